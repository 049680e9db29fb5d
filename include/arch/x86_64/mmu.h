/*
 * mmu.h - x86-64 4-level page tables as plain table manipulation.
 *
 * An mmu_space is one tree of page tables (PML4 -> PDPT -> PD -> PT) over the
 * lower canonical half [0, 2^47). mmu_map, mmu_unmap and mmu_protect work on
 * any page-aligned range: each uses the largest page the range and the
 * physical address allow (1 GiB when use_1g, 2 MiB, 4 KiB), splits a large
 * page when a range covers only part of it, and afterwards merges a table
 * back into one large page where all its entries map one aligned run with
 * the same attributes. Invariants, checked by mmu_check:
 *   1. every table below the root holds at least one present entry (an
 *      emptied table goes back to the page source at once);
 *   2. no table could be replaced by one large page (it is merged);
 *   3. a large page's physical address is aligned to its size, and 1 GiB
 *      pages exist only when use_1g; no NX bit when !use_nx;
 *   4. `tables` counts the table pages the tree holds, root included.
 *
 * Nothing here touches the CPU: table pages come from take_table, go back
 * through give_table, are reached through table_ptr (physical -> pointer),
 * and TLB invalidation goes through flush, so the same code runs on the
 * host over tables in an ordinary buffer.
 */
#ifndef ARCH_X86_64_MMU_H
#define ARCH_X86_64_MMU_H

#include <stdbool.h>
#include <stdint.h>

#define MMU_PAGE      4096ull
#define MMU_SIZE_2M   (1ull << 21)
#define MMU_SIZE_1G   (1ull << 30)
#define MMU_VA_LIMIT  (1ull << 47)
#define MMU_PA_LIMIT  (1ull << 52)

/* Access a mapping allows beyond reading (a present page is always readable). */
enum {
    MMU_WRITE   = 1u << 0,
    MMU_EXEC    = 1u << 1,
    MMU_NOCACHE = 1u << 2,   /* PCD | PWT: device memory such as a framebuffer */
};

typedef enum mmu_status {
    MMU_OK = 0,
    MMU_ERR_ALIGN,    /* an address or length is not page-aligned */
    MMU_ERR_RANGE,    /* the range leaves [0, 2^47) or the physical range [0, 2^52) */
    MMU_ERR_NOMEM,    /* take_table had no page: the range is partly done, every page old or new */
} mmu_status;

typedef struct mmu_space {
    uint64_t root;        /* physical address of the PML4 */
    bool use_1g;          /* 1 GiB pages allowed (CPUID 0x80000001 EDX bit 26) */
    bool use_nx;          /* NX bit allowed (EFER.NXE set); without it every page is executable */
    uint64_t tables;      /* table pages held, root included */
    /* A page for a table, physical address (page-aligned), or UINT64_MAX when there is none. */
    uint64_t (*take_table)(void *ctx);
    /* An emptied table page goes back. */
    void (*give_table)(void *ctx, uint64_t phys);
    /* The table at physical address `phys`, as a pointer this code can use. */
    uint64_t *(*table_ptr)(void *ctx, uint64_t phys);
    /* Translations for [va, va + len) changed; all = paging-structure entries changed too. May be NULL. */
    void (*flush)(void *ctx, uint64_t va, uint64_t len, bool all);
    void *ctx;
} mmu_space;

/* What one address translates to: a page (present) or a hole, with its extent. */
typedef struct mmu_mapping {
    bool present;
    uint64_t va;          /* start of the page or of the hole's table entry */
    uint64_t size;        /* 4 KiB, 2 MiB, 1 GiB or 512 GiB (a hole in the root) */
    uint64_t pa;          /* physical address of the page (present only) */
    unsigned prot;        /* MMU_WRITE | MMU_EXEC | MMU_NOCACHE (present only) */
} mmu_mapping;

/* A broken invariant found by mmu_check. */
typedef struct mmu_problem {
    const char *what;
    uint64_t va;          /* first address the damaged entry covers */
    int level;            /* 4 = PML4 .. 1 = PT */
} mmu_problem;

/* Set up an empty tree: takes the root page. False when take_table has none. */
bool mmu_init(mmu_space *s);
/* Adopt an existing tree at s->root: counts its tables into s->tables. */
void mmu_adopt(mmu_space *s);
/* Map [va, va + len) to [pa, pa + len) with `prot`, replacing whatever was there. */
mmu_status mmu_map(mmu_space *s, uint64_t va, uint64_t pa, uint64_t len, unsigned prot);
/* Unmap [va, va + len); holes inside it are fine. */
mmu_status mmu_unmap(mmu_space *s, uint64_t va, uint64_t len);
/* Give every mapped page in [va, va + len) the access `prot`; holes stay holes. */
mmu_status mmu_protect(mmu_space *s, uint64_t va, uint64_t len, unsigned prot);
/* What `va` translates to now. */
mmu_mapping mmu_query(const mmu_space *s, uint64_t va);
/* Walk the whole tree: true when every invariant in the header holds, else the first problem in *p. */
bool mmu_check(const mmu_space *s, mmu_problem *p);
/* Give every table page back (the tree is empty afterwards, root included). */
void mmu_destroy(mmu_space *s);
/* A word for a status, for messages. */
const char *mmu_status_text(mmu_status st);

#endif

/*
 * vm.h - the kernel's address space: what each range of addresses is, and
 * the calls that change what is mapped there.
 *
 * The address space is one mmu_space (arch/x86_64/mmu.h): the direct map of
 * RAM (virtual == physical) that the boot builds, plus a window above it
 * where vm_reserve hands out virtual ranges with unmapped guard pages on
 * both sides; vm_commit backs pages of a reserved range with fresh pages
 * from the page source, vm_decommit gives them back; a reserve marked on
 * demand (vm_set_on_demand) is committed a page at a time by the page-fault
 * handler (vm_fault_commit), at the first touch. Every range anyone
 * registers (kernel sections, stacks, guard pages, zones, heaps) goes into
 * one registry with a kind and a name, so vm_describe can say what any
 * address is: that is what the page-fault report prints.
 *
 * Invariants: registered ranges are page-aligned; vm_lookup returns the
 * smallest registered range holding the address (a guard page inside a
 * larger region wins); the reserve window only grows (a released reserve's
 * addresses are never handed out again, so a stale pointer into it faults).
 */
#ifndef NANOKERNEL_VM_H
#define NANOKERNEL_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/mmu.h"

typedef enum vm_kind {
    VM_NULL = 1,     /* the unmapped page(s) at address 0 */
    VM_TEXT,         /* kernel code: read-only, executable */
    VM_RODATA,       /* kernel read-only data */
    VM_DATA,         /* kernel data and bss: read-write, no execute */
    VM_STACK,        /* a kernel stack */
    VM_GUARD,        /* an unmapped guard page; the name says whose */
    VM_ZONE,         /* a Classic Memory Manager zone's storage */
    VM_HEAP,         /* kernel-heap memory */
    VM_TABLES,       /* page tables, PMM metadata */
    VM_RESERVED,     /* a vm_reserve range */
    VM_FREED,        /* memory given back; any access is a use after free */
} vm_kind;

typedef struct vm_region {
    uint64_t base, len;
    vm_kind kind;
    const char *name;   /* caller's string, kept as given */
    bool on_demand;     /* a reserve whose pages vm_fault_commit backs at first touch */
    uint64_t mapped_top;   /* no page at or above it is mapped: a reserve starts with it at
                            * base, vm_commit and vm_remap raise it, a vm_decommit reaching
                            * it lowers it; other ranges keep base + len */
} vm_region;

/* A few dozen kernel ranges, plus two guard pages per live large kernel-heap allocation. */
enum { VM_MAX_REGIONS = 256 };

/*
 * Start the registry over `space` (NULL: registry only, nothing is mapped or
 * unmapped - the MM_PROTECT=0 kernel and host tests of the registry alone).
 * Committed pages come from take_page (physical address, or 0 when there is
 * none) and go back through give_page. The reserve window is [window_base,
 * window_base + window_len).
 */
void vm_init(mmu_space *space, uint64_t (*take_page)(void), void (*give_page)(uint64_t),
             uint64_t window_base, uint64_t window_len);
/* Turn protection on over `space`: every registered guard and NULL range is unmapped now. */
bool vm_attach(mmu_space *space);
/* The space vm_init or vm_attach gave (NULL without protection). */
mmu_space *vm_space(void);

/* Record a range; false (and a log line) when the registry is full or the range is not page-aligned. */
bool vm_register(uint64_t base, uint64_t len, vm_kind kind, const char *name);
/* Forget the range registered at exactly `base` with `kind`; false if there is none. */
bool vm_unregister(uint64_t base, vm_kind kind);
/* The smallest registered range holding `addr`, or NULL. */
const vm_region *vm_lookup(uint64_t addr);

/* Unmap [base, base + len) and register it as a guard whose name says whose it is. */
bool vm_guard(uint64_t base, uint64_t len, const char *whose);
/* Map a guard range back into the direct map (read-write, no execute) and forget it. */
bool vm_unguard(uint64_t base, uint64_t len);

/*
 * A virtual range of `len` bytes in the window with `guard_pages` unmapped
 * pages before and after it, registered as `kind`/`name`; nothing is
 * committed yet. Returns the base, or 0 when the window is used up.
 */
uint64_t vm_reserve(uint64_t len, uint64_t guard_pages, vm_kind kind, const char *name);
/* Back [va, va + len) (inside a reserve) with fresh pages; false (nothing changed) when pages run out. */
bool vm_commit(uint64_t va, uint64_t len, unsigned prot);
/* Unmap [va, va + len) and give its pages back; holes are fine. The walk
 * stops at the range's mapped_top and skips a hole a table entry at a time,
 * so decommitting what is already decommitted costs next to nothing. */
void vm_decommit(uint64_t va, uint64_t len);
/*
 * Mark the reserve at exactly `base` as committed on demand: a not-present
 * fault on one of its pages commits that page (vm_fault_commit). False if
 * no range starts there.
 */
bool vm_set_on_demand(uint64_t base);
/* Whether `addr` lies in a range committed on demand. */
bool vm_is_on_demand(uint64_t addr);
typedef enum vm_fault_result {
    VM_FAULT_NOT_MINE = 0,   /* not an unbacked page of an on-demand reserve: report it */
    VM_FAULT_COMMITTED,      /* a fresh page now backs the address: resume */
    VM_FAULT_NO_PAGE,        /* it was one, but the page source had no page left */
} vm_fault_result;
/* A not-present access to `addr`: commit its page if it belongs to an on-demand reserve. */
vm_fault_result vm_fault_commit(uint64_t addr);
/* Pages of [va, va + len) that are mapped now (page-aligned inward). */
uint64_t vm_committed_pages(uint64_t va, uint64_t len);
/*
 * Pages promised to the reserves committed on demand: for each, its pages
 * not committed yet plus the most page-table pages mapping all of it could
 * need (a page table per 2 MiB, a directory per 1 GiB, a pointer table per
 * 512 GiB, one more of each for the ends), kept exact as pages commit and
 * go back. A first touch of such a reserve is sure to find a page only
 * while the page source keeps this many free: whoever hands pages out to
 * someone else (the platform's page runs) leaves them alone.
 */
uint64_t vm_promised_pages(void);
/* Recount the promise from the registry and the page tables into *counted:
 * true when it equals vm_promised_pages (the invariant). */
bool vm_check_promised(uint64_t *counted);
/*
 * Move the pages of [src, src + len) to [dst, dst + len) by rewriting page
 * table entries, not copying: afterwards dst's pages are the ones src had,
 * and the pages dst displaced fill the part of src that dst does not cover
 * (overlapping ranges rotate). Both ranges must lie inside one registered
 * range (no guard, and no smaller range registered inside them), and every
 * page of both must be mapped, except in a reserve committed on demand
 * (vm_set_on_demand): there a page not committed yet moves as a hole, so
 * its new place is committed at the next touch (fresh contents) and no
 * physical page is taken or given. Else false and nothing changed. All
 * page-aligned.
 */
bool vm_remap(uint64_t dst, uint64_t src, uint64_t len);
/* Since boot: vm_remap calls that moved pages, and how many pages they moved (tests). */
void vm_remap_counts(uint64_t *calls, uint64_t *pages);

/* Change the access of the mapped pages in [va, va + len). */
bool vm_protect(uint64_t va, uint64_t len, unsigned prot);

/*
 * Quarantine: [base, base + len) is memory just freed (physical pages in
 * the direct map). With protection on it is unmapped and registered as
 * VM_FREED `what`, so a use after free faults and is named; it goes back
 * through give_run once VM_QUARANTINE_RUNS newer runs (or more than
 * VM_QUARANTINE_BYTES) have followed it. Returns false, keeping nothing,
 * without protection or for a run larger than VM_QUARANTINE_BYTES: the
 * caller then frees it at once.
 */
enum { VM_QUARANTINE_RUNS = 4 };
#define VM_QUARANTINE_BYTES (1ull << 20)
bool vm_quarantine(uint64_t base, uint64_t len, const char *what, void (*give_run)(uint64_t base, uint64_t len));
/* Give every quarantined run back now (tests that compare allocator statistics). */
void vm_quarantine_flush(void);
/* Pages held in quarantine now. */
uint64_t vm_quarantined_pages(void);

/* What `addr` is, in words ("the NULL page", "the guard page below the boot stack", ...). */
void vm_describe(uint64_t addr, char *buf, size_t size);
/* "text", "guard page", ... */
const char *vm_kind_text(vm_kind kind);

#endif

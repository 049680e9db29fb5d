/*
 * pmm.h - the physical page manager: 4 KiB frames from the firmware's map.
 *
 * The PMM hands out page frames from the AVAILABLE regions it was given,
 * minus every range passed to pmm_reserve(). It keeps one bit per page plus
 * 64-ary summary levels ("this word has a free page", and the longest free
 * run under each word with the runs at its ends) in a metadata block it
 * places inside available RAM (or in a caller buffer, see
 * pmm_init_regions_with_metadata), so it never writes to a managed page.
 *
 * Addresses are physical; the kernel identity-maps RAM, so they are also
 * the virtual addresses. 0 is never a managed page, so 0 means "failed".
 * Every page is page-aligned: pmm_alloc_pages(count, align_pages) is the
 * documented way to get bare, physically contiguous, page-aligned memory
 * (kmalloc_aligned(PMM_PAGE_SIZE, n) when a heap pointer is wanted;
 * nanokernel/kheap.h). The Classic Memory Manager's temporary handles are
 * page runs taken this way (platform.h: plat_page_run_alloc).
 *
 * Boot order (the kernel image and boot data live in available RAM, so the
 * metadata must not be placed over them):
 *   1. pmm_reserve() every range that must never be handed out (first 1 MiB,
 *      kernel image, multiboot info, modules, boot page tables). Before init
 *      these are remembered (up to PMM_MAX_EARLY_RESERVES) and the metadata
 *      placement avoids them;
 *   2. pmm_init_regions(available, count);
 *   3. more pmm_reserve() calls are allowed after init too (they take the
 *      pages out of service; a reserve over allocated pages is reported).
 *
 * Misuse (freeing a page that is not allocated, not page-aligned, not
 * managed, or claimed by a kernel subsystem, see pmm_claim) is reported
 * through diag_report() and changes nothing.
 */
#ifndef NANOKERNEL_PMM_H
#define NANOKERNEL_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMM_PAGE_SIZE  4096u
#define PMM_PAGE_SHIFT 12u

/* Segment slots beyond those the map and the early reserves need: how many
 * reserves after init may split a managed range (the table lives in the
 * metadata and is sized from the map, so the map itself is never cut). */
#define PMM_SPARE_SEGMENTS 64
/* Most reserves remembered before pmm_init_regions() (the boot path needs
 * 4 plus one per boot module). */
#define PMM_MAX_EARLY_RESERVES 32

/* x86-64's architectural limit on physical addresses (CPUID 0x80000008
 * reports the CPU's own, at most this). */
#define PMM_MAX_PHYS_BITS 52u

/* One range of physical memory, in bytes. */
typedef struct nk_region {
    uint64_t base;
    uint64_t length;
} nk_region;

typedef struct pmm_stats {
    uint64_t total_pages;    /* pages that can be handed out (reserves excluded) */
    uint64_t free_pages;
    uint64_t reserved_pages; /* available pages taken out by reserves + metadata */
    uint64_t metadata_bytes; /* the bitmap levels */
    uint64_t segment_bytes;  /* the segment table after them (sized from the map) */
    uint64_t index_bits;     /* level-0 bits, including per-region padding */
    unsigned levels;         /* bitmap levels, level 0 included */
    unsigned segments;       /* managed physical ranges */
    uintptr_t metadata_base; /* where the bitmap levels live */
} pmm_stats;

/*
 * Normalise `regions` (any order; overlaps merged; bases rounded up and ends
 * down to pages; page 0 dropped), place the metadata at the top of the
 * highest available region that can hold it outside every early reserve,
 * reserve it, and apply the early reserves. Returns false (and reports) if
 * nothing usable remains or the metadata fits nowhere. May be called again
 * to start over (host tests do).
 */
bool pmm_init_regions(const nk_region *regions, size_t count);

/*
 * The same, with the metadata in the caller's buffer (which the PMM never
 * hands out unless it is itself in `regions`, in which case it is reserved).
 * Host tests use this for sparse fake maps whose addresses do not exist.
 * `meta_len` must be at least pmm_metadata_bytes(regions, count).
 */
bool pmm_init_regions_with_metadata(const nk_region *regions, size_t count,
                                    void *meta, size_t meta_len);

/* Bytes of metadata (bitmap levels and segment table) the given map
 * needs, with the early reserves made so far; 0 if unusable. */
size_t pmm_metadata_bytes(const nk_region *regions, size_t count);

/*
 * The CPU's physical address width (CPUID 0x80000008 EAX[7:0] in the
 * kernel; a parameter on the host). Map entries, or parts of them, at or
 * above 2^bits are dropped at init with a log line. Out-of-range values
 * mean PMM_MAX_PHYS_BITS, which is also the default. pmm_reset keeps it.
 */
void pmm_set_phys_addr_bits(unsigned bits);
unsigned pmm_phys_addr_bits(void);

/* One usable region [phys_base, phys_base + total_memory_bytes). */
bool pmm_init(uint64_t total_memory_bytes, uintptr_t phys_base);

/* Forget the map and every early reserve (host tests start over with it). */
void pmm_reset(void);

/* Never hand out [base, base+len) (rounded out to whole pages). */
void pmm_reserve(uint64_t base, uint64_t len);

/* One page; 0 when none is free. */
uintptr_t pmm_alloc_page(void);
void pmm_free_page(uintptr_t page);

/*
 * `count` physically contiguous pages whose start is a multiple of
 * `align_pages` pages (a power of two; 0 counts as 1). 0 when impossible.
 * First fit: the lowest such run. Up to 2^21 - 1 pages the search goes
 * through the run summaries and does not depend on how fragmented memory
 * is (with an alignment, one search per free run below the answer that
 * is long enough but cannot hold it aligned); longer runs walk fragments.
 */
uintptr_t pmm_alloc_pages(size_t count, size_t align_pages);

/*
 * Like pmm_alloc_pages, but it is page number `offset_pages` of the run that
 * is aligned (the kernel heap puts a header page in front of an aligned
 * payload this way). offset_pages < count.
 */
uintptr_t pmm_alloc_pages_offset(size_t count, size_t align_pages, size_t offset_pages);

/*
 * The longest run of free pages now: the most pmm_alloc_pages(n, 1) can
 * give at once. Read from the run summaries (it costs what a run search's
 * preparation costs: re-summarising the blocks single-page calls touched
 * since the last run call); it saturates at 2^21 - 1 pages (8 GiB), so a
 * longer free run reports that. 0 when nothing is free.
 */
uint64_t pmm_largest_free_run(void);

/* Free `count` pages from `base`; every one must be allocated. Any whole
 * pages of a run pmm_alloc_pages gave may go back, alone or together. */
void pmm_free_pages(uintptr_t base, size_t count);

uint64_t pmm_total_pages(void);
uint64_t pmm_free_page_count(void);
void pmm_get_stats(pmm_stats *out);

/*
 * Claims: a kernel subsystem that keeps its own structures in pages it got
 * from the PMM (the kernel heap's arenas) claims them, so that a stray
 * pmm_free_page/pmm_free_pages of any of them is reported and refused
 * instead of handing live memory out again. The record is the caller's
 * (it may live in the claimed pages); claims must not overlap. Unclaim
 * before freeing the pages. A reset or new map forgets every claim.
 * A free outside every claim costs one compare against the claims' span
 * (a bound that only widens while claims exist); a free inside it walks
 * the claims. Claiming and unclaiming cost the same whatever the number
 * of claims, except that claiming a record that may be listed already
 * (one with a back link, or the list's head) walks the claims to find it;
 * a zeroed record is listed without a walk.
 */
typedef struct pmm_claim {
    struct pmm_claim *next, *prev;
    uintptr_t base;
    uint64_t pages;
    const char *owner;       /* the report when a free hits the claim */
} pmm_claim;

void pmm_claim_pages(pmm_claim *c, uintptr_t base, size_t count, const char *owner);
void pmm_unclaim_pages(pmm_claim *c);

/*
 * Unclaim `c` and free exactly its pages, with the checks pmm_free_pages
 * makes except the search of the other claims (claims never overlap, so
 * none can hold these pages). Costs the same whatever the number of
 * claims: the kernel heap gives an arena back this way.
 */
void pmm_free_claimed(pmm_claim *c);

/* Drop every claim made with this owner pointer (a claimant starting over). */
void pmm_unclaim_owner(const char *owner);

/* The claim holding any page of [base, base + count pages), or NULL. */
const pmm_claim *pmm_claim_of(uintptr_t base, size_t count);

/* True if [base, base+len) lies entirely in managed (non-reserved) pages. */
bool pmm_is_managed(uintptr_t base, size_t len);

/* Full integrity walk: NULL if consistent, else a description. */
const char *pmm_check(void);

#endif

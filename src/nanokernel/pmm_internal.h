/*
 * pmm_internal.h - the page manager's private state, shared by pmm*.c.
 *
 * Bit layout (the whole design rests on it):
 *   level 0: one bit per managed page, 1 = free, 0 = allocated, reserved,
 *            or padding past the last page. Pages are numbered by "index":
 *            the available regions laid end to end, so holes in the
 *            physical map cost no bits.
 *   level k (k >= 1): bit j is 1 exactly when word j of level k-1 is
 *            non-zero ("somewhere below there is a free page"), except
 *            that a level-0 word on the unpublished stack has its level-1
 *            bit 0 although it is non-zero.
 *   The top level is a single word.
 * The unpublished stack: level-0 words a free turned from empty to
 * non-empty, kept out of the summaries so that the next allocation takes
 * them back without touching any summary. Every stacked word is non-zero
 * and listed once; no bulk operation (runs, reserves, init) and no search
 * through the summaries runs with a non-empty stack (pmm_stack_flush).
 * A segment is a physically contiguous run of managed pages; its pages
 * have consecutive indexes. Segments are sorted by address (and so by
 * index) and never touch each other (a reserve splits a segment, and the
 * reserved pages in between keep index bits that stay 0 forever).
 * The allocation hint: every level-0 word below word `hint` is zero or
 * stacked, so the lowest published free page is found from there, never
 * from 0.
 * Run summaries (pmm_summary.c): runs[k][j], k >= 1, gives the longest
 * free run under level-k word j and the free runs at its two ends; a
 * "block" is the 4096 pages under one level-1 word. A block marked in
 * `dirty` may hold a stale summary (single-page calls mark instead of
 * summarising); every other summary is exact, with stacked words counted
 * as empty. Consecutive segments are one index apart (a gap bit that is
 * never free), so no free run in index space crosses a segment edge.
 * While no map is loaded, level[0] is a one-word empty array and both
 * translation caches are empty, so the hot paths need no "ready" test.
 */
#ifndef NANOKERNEL_PMM_INTERNAL_H
#define NANOKERNEL_PMM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nanokernel/pmm.h"

#define PMM_MAX_LEVELS 8
/* Capacity of the stack of unpublished words (see below and pmm.c). */
#define PMM_STACK_WORDS 32
#define PMM_NONE UINT64_MAX
/* Run summaries saturate here (pages); longer runs take the plain scan. */
#define PMM_RUN_CAP ((1ull << 21) - 1)
/* Dirty blocks listed for the next run search; beyond, it walks `dirty`. */
#define PMM_DIRTY_LIST 64

typedef struct pmm_segment {
    uint64_t pfn;    /* first page frame number */
    uint64_t npages;
    uint64_t idx;    /* index of the first page */
} pmm_segment;

/*
 * One segment's address <-> index translation, kept flat so the hot paths
 * test membership with one subtraction and one compare: pages
 * [idx, idx + span) live at [base, base + span * PMM_PAGE_SIZE).
 * span == 0 is an empty cache (nothing is ever inside it).
 */
typedef struct pmm_xlat {
    uintptr_t base;
    uint64_t idx;
    uint64_t span;
} pmm_xlat;

typedef struct pmm_state {
    uint64_t *level[PMM_MAX_LEVELS];
    uint64_t words[PMM_MAX_LEVELS];
    uint64_t *runs[PMM_MAX_LEVELS]; /* k >= 1: run summary of level-k word j */
    uint8_t *dirty;        /* one byte per block, non-zero: its run summary may be stale */
    uint64_t dirty_list[PMM_DIRTY_LIST];
    unsigned ndirty;
    bool dirty_overflow;   /* more dirty blocks than the list holds */
    unsigned levels;
    uint64_t nbits;        /* level-0 bits in use (pages indexed) */
    pmm_segment *seg;      /* in the metadata block, after the levels */
    uint64_t nseg, seg_cap;
    pmm_xlat alloc_x;      /* segment of the last page handed out */
    pmm_xlat free_x;       /* segment of the last page freed */
    uint64_t hint;         /* no published free page below this level-0 word */
    uint64_t stack[PMM_STACK_WORDS]; /* unpublished level-0 words, newest last */
    unsigned nstack;
    uint64_t total, free, reserved;
    uintptr_t meta_base;
    uint64_t meta_bytes;
    bool ready;
    nk_region early[PMM_MAX_EARLY_RESERVES];
    unsigned nearly;
    uint64_t max_pfn;      /* pages at or above this cannot exist (0: PMM_MAX_PHYS_BITS) */
    pmm_claim *claims;     /* unsorted, doubly linked list of claimed runs */
    uintptr_t claim_lo;    /* every claimed page lies in [claim_lo, claim_lo + claim_span) */
    uint64_t claim_span;   /* 0: no claims */
} pmm_state;

extern pmm_state pmm_g;

static inline uint64_t pmm_bit(uint64_t i)
{
    return 1ull << (i & 63);
}

static inline uint64_t pmm_ctz(uint64_t w)
{
    return (uint64_t)__builtin_ctzll(w);
}

/* pmm_bits.c: word-level range operations on the levels; the mark
 * operations need an empty stack (callers run pmm_stack_flush first). */
uint64_t pmm_bits_count(uint64_t a, uint64_t b);
uint64_t pmm_next_set(uint64_t i, uint64_t limit);
uint64_t pmm_next_clear(uint64_t a, uint64_t b);
void pmm_mark_free(uint64_t a, uint64_t b);
void pmm_mark_used(uint64_t a, uint64_t b);

/* pmm_summary.c: run summaries; pmm_runs_mark follows a bulk change of
 * [a, b) to all free or all used; searches need an empty stack and clean
 * blocks (pmm_stack_flush, then pmm_runs_clean). */
void pmm_runs_mark(uint64_t a, uint64_t b, bool free);
void pmm_runs_dirty(uint64_t block);
void pmm_runs_clean(void);
uint64_t pmm_runs_find(uint64_t n, uint64_t from);
/* The longest free run (pages, saturating at PMM_RUN_CAP): the top summary. */
uint64_t pmm_runs_longest(void);
const char *pmm_runs_check(void);

/* Level-0 word j changed outside a bulk operation: its block's summary
 * may be stale (one byte test when it is already marked). */
static inline void pmm_runs_touch(uint64_t j)
{
    if (!pmm_g.dirty[j >> 6])
        pmm_runs_dirty(j >> 6);
}

/* pmm_claim.c: true (after a report) if a claim holds a page of the run. */
bool pmm_claim_refuses(const char *call, uintptr_t base, size_t count);
void pmm_forget_claims(void);

/* pmm_runs.c: pmm_free_pages, reporting as `call`, with or without the
 * claims' check. */
void pmm_free_run(const char *call, uintptr_t base, size_t count, bool check_claims);

/* pmm.c */
uint64_t pmm_addr_to_idx(const char *call, uintptr_t addr, size_t count);
const pmm_segment *pmm_seg_of_idx(uint64_t idx);
void pmm_forget_map(void);
void pmm_stack_flush(void);

#endif

/*
 * pmm_internal.h - the page manager's private state, shared by pmm*.c.
 *
 * Bit layout (the whole design rests on it):
 *   level 0: one bit per managed page, 1 = free, 0 = allocated, reserved,
 *            or padding past the last page. Pages are numbered by "index":
 *            the available regions laid end to end, so holes in the
 *            physical map cost no bits.
 *   level k (k >= 1): bit j is 1 exactly when word j of level k-1 is
 *            non-zero ("somewhere below there is a free page").
 *   The top level is a single word.
 * A segment is a physically contiguous run of managed pages; its pages
 * have consecutive indexes. Segments are sorted by address (and so by
 * index) and never touch each other (a reserve splits a segment, and the
 * reserved pages in between keep index bits that stay 0 forever).
 */
#ifndef NANOKERNEL_PMM_INTERNAL_H
#define NANOKERNEL_PMM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "nanokernel/pmm.h"

#define PMM_MAX_LEVELS 8
#define PMM_NONE UINT64_MAX

typedef struct pmm_segment {
    uint64_t pfn;    /* first page frame number */
    uint64_t npages;
    uint64_t idx;    /* index of the first page */
} pmm_segment;

typedef struct pmm_state {
    uint64_t *level[PMM_MAX_LEVELS];
    uint64_t words[PMM_MAX_LEVELS];
    unsigned levels;
    uint64_t nbits;        /* level-0 bits in use (pages indexed) */
    pmm_segment seg[PMM_MAX_SEGMENTS];
    unsigned nseg;
    const pmm_segment *last_seg; /* lookup cache */
    uint64_t hint;         /* a level-0 word that had a free page */
    uint64_t total, free, reserved;
    uintptr_t meta_base;
    uint64_t meta_bytes;
    bool ready;
    nk_region early[PMM_MAX_EARLY_RESERVES];
    unsigned nearly;
} pmm_state;

extern pmm_state pmm_g;

static inline uint64_t pmm_bit(uint64_t i)
{
    return 1ull << (i & 63);
}

static inline unsigned pmm_ctz(uint64_t w)
{
    return (unsigned)__builtin_ctzll(w);
}

/* pmm_bits.c: word-level range operations on the levels. */
uint64_t pmm_popcount(uint64_t w);
void pmm_bits_set(unsigned k, uint64_t a, uint64_t b);
void pmm_bits_clear(unsigned k, uint64_t a, uint64_t b);
uint64_t pmm_bits_count(uint64_t a, uint64_t b);
uint64_t pmm_next_set(uint64_t i, uint64_t limit);
uint64_t pmm_next_clear(uint64_t a, uint64_t b);
void pmm_mark_free(uint64_t a, uint64_t b);
void pmm_mark_used(uint64_t a, uint64_t b);

/* pmm.c */
const pmm_segment *pmm_seg_by_pfn(uint64_t pfn);

#endif

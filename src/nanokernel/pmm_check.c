/*
 * pmm_check.c - the page manager's integrity walk and statistics.
 *
 * pmm_check() verifies every invariant listed in pmm_internal.h: segments
 * sorted and disjoint with consistent indexes, no free bit outside a
 * segment, every summary bit equal to "child word non-zero", and the free
 * counter equal to the number of free bits. It walks words, not pages.
 */
#include "pmm_internal.h"

static const char *check_segments(void)
{
    uint64_t total = 0, next_idx = 0;
    for (unsigned n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        if (s->npages == 0)
            return "pmm: empty segment";
        if (n && s->pfn <= pmm_g.seg[n - 1].pfn + pmm_g.seg[n - 1].npages)
            return "pmm: segments unsorted, overlapping or touching";
        if (s->idx < next_idx || s->idx + s->npages > pmm_g.nbits)
            return "pmm: segment indexes overlap or exceed the bitmap";
        /* bits between segments are reserved: must be 0 */
        if (pmm_bits_count(next_idx, s->idx))
            return "pmm: free bit outside every segment";
        next_idx = s->idx + s->npages;
        total += s->npages;
    }
    if (pmm_bits_count(next_idx, pmm_g.words[0] * 64))
        return "pmm: free bit past the last segment";
    if (total != pmm_g.total)
        return "pmm: total pages disagree with the segments";
    return NULL;
}

static const char *check_summaries(void)
{
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        for (uint64_t j = 0; j < pmm_g.words[k] * 64; j++) {
            bool child = j < pmm_g.words[k - 1] && pmm_g.level[k - 1][j] != 0;
            bool bit = (pmm_g.level[k][j >> 6] & pmm_bit(j)) != 0;
            if (child != bit)
                return "pmm: summary bit disagrees with the word below";
        }
    }
    if (pmm_g.words[pmm_g.levels - 1] != 1)
        return "pmm: top level is not one word";
    return NULL;
}

const char *pmm_check(void)
{
    if (!pmm_g.ready)
        return "pmm: not initialised";
    const char *why = check_segments();
    if (!why)
        why = check_summaries();
    if (!why && pmm_bits_count(0, pmm_g.words[0] * 64) != pmm_g.free)
        why = "pmm: free counter disagrees with the bitmap";
    if (!why && pmm_g.free > pmm_g.total)
        why = "pmm: more free pages than pages";
    return why;
}

void pmm_get_stats(pmm_stats *out)
{
    *out = (pmm_stats){
        .total_pages = pmm_g.total,
        .free_pages = pmm_g.free,
        .reserved_pages = pmm_g.reserved,
        .metadata_bytes = pmm_g.meta_bytes,
        .index_bits = pmm_g.nbits,
        .levels = pmm_g.levels,
        .segments = pmm_g.nseg,
        .metadata_base = pmm_g.meta_base,
    };
}

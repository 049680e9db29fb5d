/*
 * pmm_check.c - the page manager's integrity walk and statistics.
 *
 * pmm_check() verifies every invariant listed in pmm_internal.h: segments
 * sorted and disjoint with consistent indexes, no free bit outside a
 * segment, every summary bit equal to "child word non-zero", and the free
 * counter equal to the number of free bits, a well-formed unpublished
 * stack, no published free page below the allocation hint, cached
 * translations that match a segment, run summaries that match the
 * bitmap (pmm_runs_check), and a claim list whose back links match and
 * whose claims lie inside the claims' bound. It walks words, not pages.
 */
#include "pmm_internal.h"

static const char *check_segments(void)
{
    uint64_t total = 0, next_idx = 0;
    for (uint64_t n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        if (s->npages == 0)
            return "pmm: empty segment";
        if (n && s->pfn <= pmm_g.seg[n - 1].pfn + pmm_g.seg[n - 1].npages)
            return "pmm: segments unsorted, overlapping or touching";
        if (s->idx < next_idx + (n != 0) || s->idx + s->npages > pmm_g.nbits)
            return "pmm: segment indexes overlap, touch or exceed the bitmap";
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

static bool stacked(uint64_t j)
{
    for (unsigned i = 0; i < pmm_g.nstack; i++)
        if (pmm_g.stack[i] == j)
            return true;
    return false;
}

static const char *check_stack(void)
{
    if (pmm_g.nstack > PMM_STACK_WORDS)
        return "pmm: unpublished stack overflows";
    for (unsigned i = 0; i < pmm_g.nstack; i++) {
        uint64_t j = pmm_g.stack[i];
        if (j >= pmm_g.words[0] || pmm_g.level[0][j] == 0)
            return "pmm: unpublished stack holds an empty or foreign word";
        for (unsigned m = 0; m < i; m++)
            if (pmm_g.stack[m] == j)
                return "pmm: a word is stacked twice";
    }
    return NULL;
}

/* A stacked word is non-zero but its level-1 bit is 0 (not published). */
static const char *check_summaries(void)
{
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        for (uint64_t j = 0; j < pmm_g.words[k] * 64; j++) {
            bool child = j < pmm_g.words[k - 1] && pmm_g.level[k - 1][j] != 0;
            bool bit = (pmm_g.level[k][j >> 6] & pmm_bit(j)) != 0;
            if (child != bit && !(k == 1 && child && stacked(j)))
                return "pmm: summary bit disagrees with the word below";
        }
    }
    if (pmm_g.words[pmm_g.levels - 1] != 1)
        return "pmm: top level is not one word";
    return NULL;
}

/* A cached translation must be empty or exactly one current segment. */
static bool xlat_valid(const pmm_xlat *x)
{
    if (x->span == 0)
        return true;
    for (uint64_t n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        if (x->idx == s->idx && x->span == s->npages &&
            x->base == (uintptr_t)(s->pfn << PMM_PAGE_SHIFT))
            return true;
    }
    return false;
}

static const char *check_hint(void)
{
    if (pmm_g.hint >= pmm_g.words[0])
        return "pmm: allocation hint past the bitmap";
    for (uint64_t j = 0; j < pmm_g.hint; j++)
        if (pmm_g.level[0][j] && !stacked(j))
            return "pmm: a published free page below the allocation hint";
    if (!xlat_valid(&pmm_g.alloc_x) || !xlat_valid(&pmm_g.free_x))
        return "pmm: a cached translation matches no segment";
    return NULL;
}

/* The claim list: back links that match, every claim inside the bound. */
static const char *check_claims(void)
{
    const pmm_claim *prev = NULL;
    for (const pmm_claim *c = pmm_g.claims; c; prev = c, c = c->next) {
        if (c->prev != prev)
            return "pmm: a claim's back link does not match the list";
        uintptr_t end = c->base + (uintptr_t)(c->pages * PMM_PAGE_SIZE);
        if (c->pages && (c->base < pmm_g.claim_lo || end - pmm_g.claim_lo > pmm_g.claim_span))
            return "pmm: a claim lies outside the claims' bound";
    }
    return NULL;
}

const char *pmm_check(void)
{
    if (!pmm_g.ready)
        return "pmm: not initialised";
    const char *why = check_segments();
    if (!why)
        why = check_stack();
    if (!why)
        why = check_summaries();
    if (!why)
        why = check_hint();
    if (!why)
        why = pmm_runs_check();
    if (!why)
        why = check_claims();
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
        .metadata_bytes = pmm_g.meta_bytes - pmm_g.seg_cap * sizeof(pmm_segment),
        .segment_bytes = pmm_g.seg_cap * sizeof(pmm_segment),
        .index_bits = pmm_g.nbits,
        .levels = pmm_g.levels,
        .segments = (unsigned)pmm_g.nseg,
        .metadata_base = pmm_g.meta_base,
    };
}

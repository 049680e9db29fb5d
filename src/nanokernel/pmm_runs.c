/*
 * pmm_runs.c - physically contiguous, aligned runs of pages.
 *
 * Placement is first fit: the lowest address that can hold the run.
 * A run must lie inside one segment (segments are physically disjoint);
 * the gap bit between segments' indexes sees to that. Runs of up to
 * PMM_RUN_CAP pages are found through the run summaries (pmm_summary.c):
 * the lowest free run of `count` pages, bounded whatever the fragmentation.
 * With an alignment, each such candidate is checked for an aligned start
 * inside it and the search resumes past it if there is none, so an
 * aligned request costs one search per free run of `count` or more pages
 * that cannot hold it aligned, below the answer. Longer runs take the
 * plain scan (seg_find_run), which walks fragments. Runs and single pages
 * share the bitmap; pmm_mark_free/pmm_mark_used keep the summaries and
 * the allocation hint valid.
 */
#include "pmm_internal.h"

#include "lib/diag.h"

/* First index in segment `s` of a free run of `count` with the phase asked. */
static uint64_t seg_find_run(const pmm_segment *s, uint64_t count, uint64_t align,
                             uint64_t offset)
{
    uint64_t lo = s->idx, hi = s->idx + s->npages, pos = lo;
    while (pos < hi && count <= hi - pos) {
        uint64_t f = pmm_next_set(pos, hi);
        if (f == PMM_NONE)
            return PMM_NONE;
        uint64_t phase = (s->pfn + (f - lo) + offset) & (align - 1);
        uint64_t i = f + ((align - phase) & (align - 1));
        if (i >= hi || count > hi - i)
            return PMM_NONE;
        uint64_t z = pmm_next_clear(i, i + count);
        if (z == i + count)
            return i;
        pos = z + 1;
    }
    return PMM_NONE;
}

/* Lowest index of a free run of `count` (<= PMM_RUN_CAP) whose page
 * `offset` is `align`-aligned, through the run summaries. */
static uint64_t find_run(uint64_t count, uint64_t align, uint64_t offset)
{
    uint64_t limit = pmm_g.words[0] << 6;
    for (uint64_t from = 0;;) {
        uint64_t i = pmm_runs_find(count, from);
        if (i == PMM_NONE || align == 1)
            return i;
        const pmm_segment *s = pmm_seg_of_idx(i);
        DIAG_ASSERT(s != NULL, "pmm: a free run outside every segment");
        uint64_t phase = (s->pfn + (i - s->idx) + offset) & (align - 1);
        uint64_t a = i + ((align - phase) & (align - 1));
        uint64_t end = a + count < limit ? a + count : limit;
        uint64_t z = pmm_next_clear(i, end);
        if (z == a + count)
            return a;
        from = z + 1; /* z ends this free run */
    }
}

uintptr_t pmm_alloc_pages_offset(size_t count, size_t align_pages, size_t offset_pages)
{
    if (align_pages == 0)
        align_pages = 1;
    if (!pmm_g.ready || count == 0 || count > pmm_g.free || offset_pages >= count ||
        (align_pages & (align_pages - 1)))
        return 0;
    if (count == 1 && align_pages == 1)
        return pmm_alloc_page();
    pmm_stack_flush(); /* the search sees published pages only */
    if (count <= PMM_RUN_CAP) {
        pmm_runs_clean();
        uint64_t i = find_run(count, align_pages, offset_pages);
        if (i == PMM_NONE)
            return 0;
        const pmm_segment *s = pmm_seg_of_idx(i);
        pmm_mark_used(i, i + count);
        pmm_g.free -= count;
        return (uintptr_t)((i - s->idx + s->pfn) << PMM_PAGE_SHIFT);
    }
    for (uint64_t n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        if (s->npages < count)
            continue;
        uint64_t i = seg_find_run(s, count, align_pages, offset_pages);
        if (i == PMM_NONE)
            continue;
        pmm_mark_used(i, i + count);
        pmm_g.free -= count;
        return (uintptr_t)((i - s->idx + s->pfn) << PMM_PAGE_SHIFT);
    }
    return 0;
}

uintptr_t pmm_alloc_pages(size_t count, size_t align_pages)
{
    return pmm_alloc_pages_offset(count, align_pages, 0);
}

uint64_t pmm_largest_free_run(void)
{
    if (!pmm_g.ready || pmm_g.free == 0)
        return 0;
    pmm_stack_flush(); /* the summaries see published pages only */
    pmm_runs_clean();
    return pmm_runs_longest();
}

/* Does [base, base + count pages) meet the claims' bound? */
static bool claims_may_hold(uintptr_t base, size_t count)
{
    uintptr_t end = base + (uintptr_t)count * PMM_PAGE_SIZE;
    return pmm_g.claim_span && base < pmm_g.claim_lo + pmm_g.claim_span && pmm_g.claim_lo < end;
}

void pmm_free_run(const char *call, uintptr_t base, size_t count, bool check_claims)
{
    if (count == 0)
        return;
    uint64_t idx = pmm_addr_to_idx(call, base, count);
    if (idx == PMM_NONE)
        return;
    if (check_claims && claims_may_hold(base, count) && pmm_claim_refuses(call, base, count))
        return;
    if (pmm_bits_count(idx, idx + count) != 0) {
        diag_report(call, base, "a page in the run is not allocated");
        return;
    }
    pmm_stack_flush();
    pmm_mark_free(idx, idx + count);
    pmm_g.free += count;
}

void pmm_free_pages(uintptr_t base, size_t count)
{
    pmm_free_run("pmm_free_pages", base, count, true);
}

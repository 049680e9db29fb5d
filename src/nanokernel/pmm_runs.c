/*
 * pmm_runs.c - physically contiguous, aligned runs of pages.
 *
 * A run must lie inside one segment (segments are physically disjoint, so
 * consecutive indexes across a segment edge are not consecutive frames).
 * The search is first fit from the bottom of each segment: the next free
 * page comes from the summaries (O(levels) words), the run is then checked
 * a word at a time, and on a clash the search resumes past the allocated
 * page, so it never walks pages one by one. Runs and single pages share
 * the bitmap; pmm_mark_free/pmm_mark_used keep the summaries and the
 * allocation hint valid.
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

void pmm_free_pages(uintptr_t base, size_t count)
{
    if (count == 0)
        return;
    uint64_t idx = pmm_addr_to_idx("pmm_free_pages", base, count);
    if (idx == PMM_NONE || pmm_claim_refuses("pmm_free_pages", base, count))
        return;
    if (pmm_bits_count(idx, idx + count) != 0) {
        diag_report("pmm_free_pages", base, "a page in the run is not allocated");
        return;
    }
    pmm_stack_flush();
    pmm_mark_free(idx, idx + count);
    pmm_g.free += count;
}

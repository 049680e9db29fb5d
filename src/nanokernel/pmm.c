/*
 * pmm.c - page allocation and freeing on the summary bitmap.
 *
 * Why a summary bitmap: it costs 1 + 1/64 + 1/4096... bits per page (the
 * issue allows 1.1), never writes to the pages it manages (a sparse 1 TiB
 * map stays cheap), and any search is one word per level: a 16 TiB machine
 * has 6 levels. A buddy allocator would need free-list links inside the
 * free pages themselves; a free-list cache over a flat bitmap still needs
 * a linear refill scan. Measured with bench/bench_pmm.c (see README).
 *
 * Fast path: `hint` names a level-0 word that last had a free page; an
 * allocation takes its lowest bit and only climbs the summaries when the
 * word empties. When the hint word is empty, a descent from the top word
 * finds the lowest free page. Freeing sets a bit, climbs only if the word
 * was empty, and points the hint at that word (measured: without this, a
 * random alloc/free mix descends on 9 allocations out of 10).
 * Freeing needs no "initialised" test: an uninitialised PMM has no
 * segments, so every address is reported as outside managed RAM. Index -> address goes through a one-entry segment cache.
 */
#include "pmm_internal.h"

#include "nanokernel/nk_error.h"

pmm_state pmm_g;

static const pmm_segment *seg_search(uint64_t key, bool by_idx)
{
    unsigned lo = 0, hi = pmm_g.nseg;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const pmm_segment *s = &pmm_g.seg[mid];
        uint64_t start = by_idx ? s->idx : s->pfn;
        if (key < start)
            hi = mid;
        else if (key - start >= s->npages)
            lo = mid + 1;
        else
            return pmm_g.last_seg = s;
    }
    return NULL;
}

/* The segment holding page frame `pfn`, or NULL if it is not managed. */
const pmm_segment *pmm_seg_by_pfn(uint64_t pfn)
{
    const pmm_segment *s = pmm_g.last_seg;
    if (s && pfn - s->pfn < s->npages)
        return s;
    return seg_search(pfn, false);
}

static uintptr_t idx_to_addr(uint64_t idx)
{
    const pmm_segment *s = pmm_g.last_seg;
    if (!s || idx - s->idx >= s->npages)
        s = seg_search(idx, true);
    NK_ASSERT(s != NULL, "a free bit outside every segment");
    return (uintptr_t)((idx - s->idx + s->pfn) << PMM_PAGE_SHIFT);
}

/* Lowest level-0 word with a free page, or PMM_NONE. */
static uint64_t descend_lowest(void)
{
    uint64_t j = 0;
    unsigned k = pmm_g.levels - 1;
    if (!pmm_g.level[k][0])
        return PMM_NONE;
    for (; k > 0; k--)
        j = (j << 6) | pmm_ctz(pmm_g.level[k][j]);
    return j;
}

static void summary_clear_up(uint64_t j)
{
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        uint64_t *w = &pmm_g.level[k][j >> 6];
        *w &= ~pmm_bit(j);
        if (*w)
            return;
        j >>= 6;
    }
}

static void summary_set_up(uint64_t j)
{
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        uint64_t *w = &pmm_g.level[k][j >> 6];
        uint64_t old = *w;
        *w = old | pmm_bit(j);
        if (old)
            return;
        j >>= 6;
    }
}

uintptr_t pmm_alloc_page(void)
{
    if (!pmm_g.ready)
        return 0;
    uint64_t j = pmm_g.hint;
    uint64_t *w = &pmm_g.level[0][j];
    if (!*w) {
        j = descend_lowest();
        if (j == PMM_NONE)
            return 0;
        pmm_g.hint = j;
        w = &pmm_g.level[0][j];
    }
    uint64_t idx = (j << 6) | pmm_ctz(*w);
    *w &= *w - 1;
    if (!*w)
        summary_clear_up(j);
    pmm_g.free--;
    return idx_to_addr(idx);
}

/*
 * Index of the page at `addr` if it is a managed page, else reports
 * `call` and returns PMM_NONE.
 */
[[gnu::always_inline]] static inline uint64_t addr_to_idx(const char *call, uintptr_t addr,
                                                          size_t count)
{
    if (addr & (PMM_PAGE_SIZE - 1)) {
        nk_report_error(call, addr, "address is not page-aligned");
        return PMM_NONE;
    }
    uint64_t pfn = addr >> PMM_PAGE_SHIFT;
    const pmm_segment *s = pmm_seg_by_pfn(pfn);
    if (!s || count > s->npages - (pfn - s->pfn)) {
        nk_report_error(call, addr, "page is outside managed RAM");
        return PMM_NONE;
    }
    return pfn - s->pfn + s->idx;
}

void pmm_free_page(uintptr_t page)
{
    uint64_t idx = addr_to_idx("pmm_free_page", page, 1);
    if (idx == PMM_NONE)
        return;
    uint64_t *w = &pmm_g.level[0][idx >> 6];
    uint64_t old = *w;
    if (old & pmm_bit(idx)) {
        nk_report_error("pmm_free_page", page, "page is not allocated (double free?)");
        return;
    }
    *w = old | pmm_bit(idx);
    if (!old)
        summary_set_up(idx >> 6);
    pmm_g.free++;
    pmm_g.hint = idx >> 6; /* freed pages are reused first: no descent next time */
}

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
    for (unsigned n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        if (s->npages < count)
            continue;
        uint64_t i = seg_find_run(s, count, align_pages, offset_pages);
        if (i == PMM_NONE)
            continue;
        pmm_mark_used(i, i + count);
        pmm_g.free -= count;
        pmm_g.last_seg = s;
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
    uint64_t idx = addr_to_idx("pmm_free_pages", base, count);
    if (idx == PMM_NONE)
        return;
    if (pmm_bits_count(idx, idx + count) != 0) {
        nk_report_error("pmm_free_pages", base, "a page in the run is not allocated");
        return;
    }
    pmm_mark_free(idx, idx + count);
    pmm_g.free += count;
}

uint64_t pmm_total_pages(void)
{
    return pmm_g.total;
}

uint64_t pmm_free_page_count(void)
{
    return pmm_g.free;
}

bool pmm_is_managed(uintptr_t base, size_t len)
{
    if (!pmm_g.ready || len == 0)
        return false;
    uint64_t pfn = base >> PMM_PAGE_SHIFT;
    uint64_t last = (base + len - 1) >> PMM_PAGE_SHIFT;
    const pmm_segment *s = pmm_seg_by_pfn(pfn);
    return s && last - s->pfn < s->npages;
}

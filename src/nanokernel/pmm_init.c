/*
 * pmm_init.c - building the page manager from a memory map, and reserves.
 *
 * The map is trusted for nothing: entries may be unsorted, overlap, touch,
 * be empty or not page-aligned. They are cut to whole pages (page 0 is
 * dropped so that 0 can mean "no page") and merged into segments, walked
 * in address order (seg_walk) without any storage of their own: the
 * segment table is sized from the map and lives in the metadata block, so
 * no map is too big for it.
 * Indexes are handed out in address order with one gap bit between
 * segments (never free, so no free run crosses a segment edge), so a
 * 1 TiB hole costs one bit. The metadata goes at the top of the highest region that
 * holds it clear of every early reserve (low memory is where boot loaders
 * put the kernel and its modules), or in a caller buffer.
 */
#include "pmm_internal.h"

#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "lib/diag.h"

typedef struct pmm_layout {
    uint64_t nseg;          /* merged segments in the map */
    uint64_t pages;         /* managed pages */
    uint64_t nbits;         /* the pages and one gap bit between segments */
    uint64_t words[PMM_MAX_LEVELS];
    unsigned levels;
    uint64_t level_bytes;   /* the bitmap levels, run summaries and dirty bits */
    uint64_t seg_cap;       /* segment slots: the map's, one per early reserve, spares */
    uint64_t bytes;         /* levels + segment table */
    uint64_t dropped;       /* bytes at or above the address width */
} pmm_layout;

/* Walks the merged page runs of a map in address order, without storage:
 * linear when the regions come sorted by base (the boot path's do), else
 * a scan per step (small unsorted maps: host tests, the fuzzer). */
typedef struct seg_walk {
    const nk_region *r;
    size_t count, cursor;
    uint64_t pos, limit;
    bool sorted;
} seg_walk;

/* Region r cut to whole pages below limit, page 0 dropped: [*a, *b). */
static bool region_pages(const nk_region *r, uint64_t limit, uint64_t *a, uint64_t *b)
{
    uint64_t end = r->base + r->length;
    if (end < r->base)
        end = UINT64_MAX;
    *a = (r->base >> PMM_PAGE_SHIFT) + ((r->base & (PMM_PAGE_SIZE - 1)) != 0);
    *b = end >> PMM_PAGE_SHIFT;
    if (*a == 0)
        *a = 1;
    if (*b > limit)
        *b = limit;
    return *a < *b;
}

static uint64_t pmm_limit(void)
{
    return pmm_g.max_pfn ? pmm_g.max_pfn : 1ull << (PMM_MAX_PHYS_BITS - PMM_PAGE_SHIFT);
}

static void walk_start(seg_walk *w, const nk_region *r, size_t count)
{
    *w = (seg_walk){ .r = r, .count = count, .limit = pmm_limit(), .sorted = true };
    uint64_t last = 0, a, b;
    for (size_t i = 0; i < count; i++)
        if (region_pages(&r[i], w->limit, &a, &b)) {
            if (a < last)
                w->sorted = false;
            last = a;
        }
}

/* The next merged run [*a, *b) above the previous one; false when done. */
static bool walk_next(seg_walk *w, uint64_t *sa, uint64_t *sb)
{
    uint64_t a, b, start = UINT64_MAX, end = 0;
    size_t i = w->sorted ? w->cursor : 0;
    for (; i < w->count; i++) {
        if (!region_pages(&w->r[i], w->limit, &a, &b) || b <= w->pos)
            continue;
        if (a < w->pos)
            a = w->pos;
        if (a < start) {
            start = a;
            end = b;
        }
        if (w->sorted)
            break; /* sorted: the first one left is the lowest */
    }
    if (start == UINT64_MAX)
        return false;
    if (w->sorted) {
        for (; i < w->count; i++) {
            if (!region_pages(&w->r[i], w->limit, &a, &b))
                continue;
            if (a > end)
                break;
            if (b > end)
                end = b;
        }
        w->cursor = i;
    } else {
        for (bool grew = true; grew;) {
            grew = false;
            for (i = 0; i < w->count; i++)
                if (region_pages(&w->r[i], w->limit, &a, &b) && a <= end && b > end) {
                    end = b;
                    grew = true;
                }
        }
    }
    w->pos = end;
    *sa = start;
    *sb = end;
    return true;
}

/*
 * Size the layout of a map. Pages at or above the address limit
 * (pmm_set_phys_addr_bits, at most PMM_MAX_PHYS_BITS) cannot exist and are
 * dropped (l->dropped), which also bounds the levels: 2^40 pages need 7
 * (PMM_MAX_LEVELS is 8). The segment table is sized from the map itself:
 * one slot per merged run, one per early reserve (each may split one), and
 * PMM_SPARE_SEGMENTS for reserves after init.
 */
static bool layout_build(pmm_layout *l, const nk_region *r, size_t count)
{
    *l = (pmm_layout){ 0 };
    if (!r)
        return false;
    uint64_t limit = pmm_limit();
    for (size_t n = 0; n < count; n++) {
        uint64_t end = r[n].base + r[n].length < r[n].base ? UINT64_MAX : r[n].base + r[n].length;
        uint64_t top = limit << PMM_PAGE_SHIFT;
        if (end > top)
            l->dropped += end - (r[n].base > top ? r[n].base : top);
    }
    seg_walk w;
    walk_start(&w, r, count);
    uint64_t a, b;
    while (walk_next(&w, &a, &b)) {
        l->nseg++;
        l->pages += b - a;
    }
    if (l->pages == 0)
        return false;
    l->nbits = l->pages + l->nseg - 1;
    uint64_t bits = l->nbits;
    do {
        DIAG_ASSERT(l->levels < PMM_MAX_LEVELS, "pmm: more levels than the page limit allows");
        l->words[l->levels] = (bits + 63) / 64;
        /* level 0 is the bitmap; each higher level has its bits and one
         * run summary per word */
        l->level_bytes += l->words[l->levels] * (l->levels ? 16 : 8);
        bits = l->words[l->levels++];
    } while (bits > 1);
    uint64_t blocks = l->levels > 1 ? l->words[1] : 1;
    l->level_bytes += (blocks + 7) & ~7ull; /* the dirty-block bytes */
    l->seg_cap = l->nseg + pmm_g.nearly + PMM_SPARE_SEGMENTS;
    l->bytes = l->level_bytes + l->seg_cap * sizeof(pmm_segment);
    return true;
}

size_t pmm_metadata_bytes(const nk_region *regions, size_t count)
{
    pmm_layout l;
    return layout_build(&l, regions, count) ? (size_t)l.bytes : 0;
}

static bool overlaps_early(uint64_t a, uint64_t b, uint64_t *below)
{
    for (unsigned i = 0; i < pmm_g.nearly; i++) {
        uint64_t ra = pmm_g.early[i].base, rb = ra + pmm_g.early[i].length;
        if (a < rb && ra < b) {
            *below = ra;
            return true;
        }
    }
    return false;
}

/* Highest page-aligned spot for `bytes` in the map that avoids early reserves. */
static uint64_t place_metadata(const nk_region *r, size_t count, uint64_t bytes)
{
    uint64_t best = 0, a, b;
    seg_walk w;
    walk_start(&w, r, count);
    while (walk_next(&w, &a, &b)) {
        uint64_t lo = a << PMM_PAGE_SHIFT, top = b << PMM_PAGE_SHIFT;
        for (unsigned tries = 0; tries <= pmm_g.nearly; tries++) {
            if (top < lo || top - lo < bytes)
                break;
            uint64_t at = (top - bytes) & ~(uint64_t)(PMM_PAGE_SIZE - 1);
            uint64_t below;
            if (!overlaps_early(at, at + bytes, &below)) {
                best = at; /* runs ascend: a later fit is higher */
                break;
            }
            top = below;
        }
    }
    return best;
}

static bool pmm_start(const nk_region *regions, size_t count, void *meta, size_t meta_len)
{
    pmm_layout l;
    pmm_forget_map();
    bool usable = layout_build(&l, regions, count);
    if (l.dropped)
        kprintf("pmm: %lu bytes of RAM above the %u-bit physical address limit dropped\n",
                (unsigned long)l.dropped, pmm_phys_addr_bits());
    if (!usable) {
        diag_report("pmm_init_regions", 0, "no usable memory in the map");
        return false;
    }
    uintptr_t at = (uintptr_t)meta;
    if (meta) {
        if (meta_len < l.bytes || ((uintptr_t)meta & 7)) {
            diag_report("pmm_init_regions", at, "metadata buffer too small or misaligned");
            return false;
        }
    } else {
        at = (uintptr_t)place_metadata(regions, count, l.bytes);
        if (!at) {
            diag_report("pmm_init_regions", 0, "no room for the page bitmap");
            return false;
        }
    }
    nk_memset((void *)at, 0, (size_t)l.level_bytes);
    uint64_t *p = (uint64_t *)at;
    for (unsigned k = 0; k < l.levels; k++) {
        pmm_g.level[k] = p;
        pmm_g.words[k] = l.words[k];
        p += l.words[k];
    }
    for (unsigned k = 1; k < l.levels; k++) {
        pmm_g.runs[k] = p; /* zero: "nothing free", true of the zero bitmap */
        p += l.words[k];
    }
    pmm_g.dirty = (uint8_t *)p;
    p += ((l.levels > 1 ? l.words[1] : 1) + 7) / 8;
    pmm_g.seg = (pmm_segment *)p;
    pmm_g.seg_cap = l.seg_cap;
    uint64_t a, b, idx = 0;
    seg_walk w;
    walk_start(&w, regions, count);
    while (walk_next(&w, &a, &b)) {
        pmm_g.seg[pmm_g.nseg++] = (pmm_segment){ .pfn = a, .npages = b - a, .idx = idx };
        idx += b - a + 1; /* the gap bit */
    }
    pmm_g.levels = l.levels;
    pmm_g.nbits = l.nbits;
    pmm_g.hint = 0;
    pmm_g.total = pmm_g.free = l.pages;
    pmm_g.reserved = 0;
    pmm_g.meta_base = at;
    pmm_g.meta_bytes = l.bytes;
    for (uint64_t n = 0; n < pmm_g.nseg; n++)
        pmm_mark_free(pmm_g.seg[n].idx, pmm_g.seg[n].idx + pmm_g.seg[n].npages);
    pmm_g.ready = true;

    unsigned early = pmm_g.nearly;
    pmm_g.nearly = 0;
    pmm_reserve(at, l.bytes);
    for (unsigned i = 0; i < early; i++)
        pmm_reserve(pmm_g.early[i].base, pmm_g.early[i].length);
    return true;
}

bool pmm_init_regions(const nk_region *regions, size_t count)
{
    return pmm_start(regions, count, NULL, 0);
}

bool pmm_init_regions_with_metadata(const nk_region *regions, size_t count, void *meta,
                                    size_t meta_len)
{
    if (!meta) {
        diag_report("pmm_init_regions_with_metadata", 0, "no metadata buffer");
        return false;
    }
    return pmm_start(regions, count, meta, meta_len);
}

bool pmm_init(uint64_t total_memory_bytes, uintptr_t phys_base)
{
    nk_region r = { .base = phys_base, .length = total_memory_bytes };
    return pmm_start(&r, 1, NULL, 0);
}

void pmm_set_phys_addr_bits(unsigned bits)
{
    if (bits < PMM_PAGE_SHIFT + 1 || bits > PMM_MAX_PHYS_BITS)
        bits = PMM_MAX_PHYS_BITS;
    pmm_g.max_pfn = 1ull << (bits - PMM_PAGE_SHIFT);
}

unsigned pmm_phys_addr_bits(void)
{
    return pmm_g.max_pfn ? (unsigned)__builtin_ctzll(pmm_g.max_pfn) + PMM_PAGE_SHIFT : PMM_MAX_PHYS_BITS;
}

void pmm_reset(void)
{
    pmm_forget_map();
    pmm_g.nearly = 0;
}

/* Take pfns [a, b) out of segment n (they are all free); false if no slot. */
static bool seg_cut(uint64_t n, uint64_t a, uint64_t b)
{
    pmm_segment s = pmm_g.seg[n];
    bool left = a > s.pfn, right = b < s.pfn + s.npages;
    if (left && right && pmm_g.nseg == pmm_g.seg_cap)
        return false;
    pmm_mark_used(s.idx + (a - s.pfn), s.idx + (b - s.pfn));
    pmm_g.free -= b - a;
    pmm_g.total -= b - a;
    pmm_g.reserved += b - a;
    pmm_segment l = { s.pfn, a - s.pfn, s.idx };
    pmm_segment r = { b, s.pfn + s.npages - b, s.idx + (b - s.pfn) };
    /* the segments after n move by (left + right - 1): -1, 0 or +1 */
    uint64_t keep = (uint64_t)left + (uint64_t)right;
    nk_memmove(&pmm_g.seg[n + keep], &pmm_g.seg[n + 1], (size_t)(pmm_g.nseg - n - 1) * sizeof(pmm_segment));
    pmm_g.nseg = pmm_g.nseg + keep - 1;
    if (left)
        pmm_g.seg[n++] = l;
    if (right)
        pmm_g.seg[n] = r;
    /* the cached translations may cover the pages just taken out */
    pmm_g.alloc_x = (pmm_xlat){ 0 };
    pmm_g.free_x = (pmm_xlat){ 0 };
    return true;
}

/* The pfns [*lo, *hi) that [a, b) shares with segment s; false if none. */
static bool seg_overlap(const pmm_segment *s, uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    *lo = a > s->pfn ? a : s->pfn;
    *hi = b < s->pfn + s->npages ? b : s->pfn + s->npages;
    return *lo < *hi;
}

void pmm_reserve(uint64_t base, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    if (!pmm_g.ready) {
        if (pmm_g.nearly == PMM_MAX_EARLY_RESERVES) {
            diag_report("pmm_reserve", (uintptr_t)base, "too many reserves before init");
            return;
        }
        pmm_g.early[pmm_g.nearly++] = (nk_region){ base, end - base };
        return;
    }
    uint64_t a = base >> PMM_PAGE_SHIFT;
    uint64_t b = (end >> PMM_PAGE_SHIFT) + ((end & (PMM_PAGE_SIZE - 1)) != 0);
    /* check first, so a refused reserve changes nothing */
    for (uint64_t n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        uint64_t lo, hi;
        if (seg_overlap(s, a, b, &lo, &hi) &&
            pmm_bits_count(s->idx + lo - s->pfn, s->idx + hi - s->pfn) != hi - lo) {
            diag_report("pmm_reserve", (uintptr_t)(lo << PMM_PAGE_SHIFT),
                            "range holds allocated pages");
            return;
        }
    }
    pmm_stack_flush();
    for (uint64_t n = 0; n < pmm_g.nseg;) {
        const pmm_segment *s = &pmm_g.seg[n];
        uint64_t lo, hi;
        if (!seg_overlap(s, a, b, &lo, &hi)) {
            n++;
            continue;
        }
        bool keeps_left = lo > s->pfn;
        if (!seg_cut(n, lo, hi)) {
            diag_report("pmm_reserve", (uintptr_t)(lo << PMM_PAGE_SHIFT),
                            "too many segments; range left in service");
            return;
        }
        n += keeps_left;
    }
}

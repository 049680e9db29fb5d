/*
 * pmm_init.c - building the page manager from a memory map, and reserves.
 *
 * The map is trusted for nothing: entries may be unsorted, overlap, touch,
 * be empty or not page-aligned. They are cut to whole pages (page 0 is
 * dropped so that 0 can mean "no page"), sorted and merged into segments.
 * Indexes are handed out in address order with no gaps, so a 1 TiB hole
 * costs nothing. The metadata goes at the top of the highest region that
 * holds it clear of every early reserve (low memory is where boot loaders
 * put the kernel and its modules), or in a caller buffer.
 */
#include "pmm_internal.h"

#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "nanokernel/nk_error.h"

typedef struct pmm_layout {
    pmm_segment seg[PMM_MAX_SEGMENTS];
    unsigned nseg;
    uint64_t nbits;
    uint64_t words[PMM_MAX_LEVELS];
    unsigned levels;
    uint64_t bytes;
} pmm_layout;

static void layout_insert(pmm_layout *l, uint64_t a, uint64_t b)
{
    unsigned i = 0;
    while (i < l->nseg && l->seg[i].pfn + l->seg[i].npages < a)
        i++;
    /* merge every segment that overlaps or touches [a, b) */
    unsigned j = i;
    while (j < l->nseg && l->seg[j].pfn <= b) {
        if (l->seg[j].pfn < a)
            a = l->seg[j].pfn;
        if (l->seg[j].pfn + l->seg[j].npages > b)
            b = l->seg[j].pfn + l->seg[j].npages;
        j++;
    }
    if (j == i && l->nseg == PMM_MAX_SEGMENTS) {
        nk_report_error("pmm_init_regions", (uintptr_t)(a << PMM_PAGE_SHIFT),
                        "too many memory regions; this one is ignored");
        return;
    }
    unsigned removed = j - i;
    if (removed != 1) {
        unsigned tail = l->nseg - j;
        /* shift the tail to leave exactly one slot at i */
        nk_memmove(&l->seg[i + 1], &l->seg[j], tail * sizeof(pmm_segment));
        l->nseg = l->nseg - removed + 1;
    }
    l->seg[i] = (pmm_segment){ .pfn = a, .npages = b - a };
}

/*
 * Build the layout. Pages at or above pmm_g.max_pfn (the CPU's physical
 * address width, at most PMM_MAX_PHYS_BITS) cannot exist and are dropped,
 * which also bounds the levels: 2^40 pages need 7 (PMM_MAX_LEVELS is 8).
 * *dropped receives the bytes dropped that way.
 */
static bool layout_build(pmm_layout *l, const nk_region *r, size_t count, uint64_t *dropped)
{
    *l = (pmm_layout){ 0 };
    *dropped = 0;
    if (!r)
        return false;
    uint64_t limit = pmm_g.max_pfn ? pmm_g.max_pfn : 1ull << (PMM_MAX_PHYS_BITS - PMM_PAGE_SHIFT);
    for (size_t n = 0; n < count; n++) {
        uint64_t end = r[n].base + r[n].length;
        if (end < r[n].base)
            end = UINT64_MAX;
        uint64_t a = (r[n].base >> PMM_PAGE_SHIFT) + ((r[n].base & (PMM_PAGE_SIZE - 1)) != 0);
        uint64_t b = end >> PMM_PAGE_SHIFT;
        if (b > limit) {
            uint64_t from = a > limit ? a : limit;
            if (b > from)
                *dropped += (b - from) << PMM_PAGE_SHIFT;
            b = limit;
        }
        if (a == 0)
            a = 1;
        if (a < b)
            layout_insert(l, a, b);
    }
    for (unsigned i = 0; i < l->nseg; i++) {
        l->seg[i].idx = l->nbits;
        l->nbits += l->seg[i].npages;
    }
    if (l->nbits == 0)
        return false;
    uint64_t bits = l->nbits;
    do {
        NK_ASSERT(l->levels < PMM_MAX_LEVELS, "pmm: more levels than the page limit allows");
        l->words[l->levels] = (bits + 63) / 64;
        l->bytes += l->words[l->levels] * 8;
        bits = l->words[l->levels++];
    } while (bits > 1);
    return true;
}

size_t pmm_metadata_bytes(const nk_region *regions, size_t count)
{
    pmm_layout l;
    uint64_t dropped;
    return layout_build(&l, regions, count, &dropped) ? (size_t)l.bytes : 0;
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
static uint64_t place_metadata(const pmm_layout *l, uint64_t bytes)
{
    for (unsigned n = l->nseg; n-- > 0;) {
        uint64_t lo = l->seg[n].pfn << PMM_PAGE_SHIFT;
        uint64_t top = (l->seg[n].pfn + l->seg[n].npages) << PMM_PAGE_SHIFT;
        for (unsigned tries = 0; tries <= PMM_MAX_EARLY_RESERVES; tries++) {
            if (top < lo || top - lo < bytes)
                break;
            uint64_t at = (top - bytes) & ~(uint64_t)(PMM_PAGE_SIZE - 1);
            uint64_t below;
            if (!overlaps_early(at, at + bytes, &below))
                return at;
            top = below;
        }
    }
    return 0;
}

static bool pmm_start(const nk_region *regions, size_t count, void *meta, size_t meta_len)
{
    static pmm_layout l;
    uint64_t dropped;
    pmm_forget_map();
    bool usable = layout_build(&l, regions, count, &dropped);
    if (dropped)
        kprintf("pmm: %lu bytes of RAM above the %u-bit physical address limit dropped\n",
                (unsigned long)dropped, pmm_phys_addr_bits());
    if (!usable) {
        nk_report_error("pmm_init_regions", 0, "no usable memory in the map");
        return false;
    }
    uintptr_t at = (uintptr_t)meta;
    if (meta) {
        if (meta_len < l.bytes || ((uintptr_t)meta & 7)) {
            nk_report_error("pmm_init_regions", at, "metadata buffer too small or misaligned");
            return false;
        }
    } else {
        at = (uintptr_t)place_metadata(&l, l.bytes);
        if (!at) {
            nk_report_error("pmm_init_regions", 0, "no room for the page bitmap");
            return false;
        }
    }
    nk_memset((void *)at, 0, (size_t)l.bytes);
    uint64_t *p = (uint64_t *)at;
    for (unsigned k = 0; k < l.levels; k++) {
        pmm_g.level[k] = p;
        pmm_g.words[k] = l.words[k];
        p += l.words[k];
    }
    pmm_g.levels = l.levels;
    pmm_g.nbits = l.nbits;
    nk_memcpy(pmm_g.seg, l.seg, sizeof(l.seg));
    pmm_g.nseg = l.nseg;
    pmm_g.hint = 0;
    pmm_g.total = pmm_g.free = l.nbits;
    pmm_g.reserved = 0;
    pmm_g.meta_base = at;
    pmm_g.meta_bytes = l.bytes;
    pmm_mark_free(0, l.nbits);
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
        nk_report_error("pmm_init_regions_with_metadata", 0, "no metadata buffer");
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
static bool seg_cut(unsigned n, uint64_t a, uint64_t b)
{
    pmm_segment s = pmm_g.seg[n];
    bool left = a > s.pfn, right = b < s.pfn + s.npages;
    if (left && right && pmm_g.nseg == PMM_MAX_SEGMENTS)
        return false;
    pmm_mark_used(s.idx + (a - s.pfn), s.idx + (b - s.pfn));
    pmm_g.free -= b - a;
    pmm_g.total -= b - a;
    pmm_g.reserved += b - a;
    pmm_segment l = { s.pfn, a - s.pfn, s.idx };
    pmm_segment r = { b, s.pfn + s.npages - b, s.idx + (b - s.pfn) };
    int delta = (int)left + (int)right - 1;
    nk_memmove(&pmm_g.seg[n + 1 + delta], &pmm_g.seg[n + 1],
               (pmm_g.nseg - n - 1) * sizeof(pmm_segment));
    pmm_g.nseg = (unsigned)((int)pmm_g.nseg + delta);
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
            nk_report_error("pmm_reserve", (uintptr_t)base, "too many reserves before init");
            return;
        }
        pmm_g.early[pmm_g.nearly++] = (nk_region){ base, end - base };
        return;
    }
    uint64_t a = base >> PMM_PAGE_SHIFT;
    uint64_t b = (end >> PMM_PAGE_SHIFT) + ((end & (PMM_PAGE_SIZE - 1)) != 0);
    /* check first, so a refused reserve changes nothing */
    for (unsigned n = 0; n < pmm_g.nseg; n++) {
        const pmm_segment *s = &pmm_g.seg[n];
        uint64_t lo, hi;
        if (seg_overlap(s, a, b, &lo, &hi) &&
            pmm_bits_count(s->idx + lo - s->pfn, s->idx + hi - s->pfn) != hi - lo) {
            nk_report_error("pmm_reserve", (uintptr_t)(lo << PMM_PAGE_SHIFT),
                            "range holds allocated pages");
            return;
        }
    }
    pmm_stack_flush();
    for (unsigned n = 0; n < pmm_g.nseg;) {
        const pmm_segment *s = &pmm_g.seg[n];
        uint64_t lo, hi;
        if (!seg_overlap(s, a, b, &lo, &hi)) {
            n++;
            continue;
        }
        bool keeps_left = lo > s->pfn;
        if (!seg_cut(n, lo, hi)) {
            nk_report_error("pmm_reserve", (uintptr_t)(lo << PMM_PAGE_SHIFT),
                            "too many segments; range left in service");
            return;
        }
        n += keeps_left;
    }
}

/*
 * mm_remap.c - large blocks: blocks whose data reaches the zone's
 * threshold (bigPhys, from MM_REMAP_MIN) get page-aligned data, and a
 * relocatable one moves by having its pages remapped (platform.h:
 * plat_remap_pages) instead of its bytes copied.
 *
 * Layout: a large block is an ordinary block whose header sits 16 bytes
 * below a page boundary (a 2 MiB boundary from MM_HUGE_MIN: big_align). The space below it is either nothing (the block
 * before ends there) or an ordinary free block of at least MM_MIN_BLOCK
 * bytes, so every invariant of mm_internal.h holds unchanged and the heap
 * check, the scramble and the "which block" lookup need nothing new to walk
 * one. Page alignment is a placement choice, not an invariant: a large
 * block placed without it (no free block had room for the alignment, a
 * zone that cannot remap, a move by another path) is still a sound block
 * and is simply copied when it moves.
 *
 * A move by remapping: when both the old and the new data start on a page
 * boundary the distance is a whole number of pages, so the data's whole
 * pages are remapped, and only the tail (less than a page) and the 16-byte
 * header are copied. Whatever the platform cannot remap is copied.
 * MoveHHi past more small blocks than the free room holds rotates instead
 * (big_hhi_rotate): the small blocks wait right above the large block's
 * whole pages, and one remap trades those pages with the ones above them,
 * which the platform puts in the vacated place in order (platform.h).
 *
 * Invariants: bigPhys is UINT64_MAX (none) or at least a page and a
 * header; remaps is set only for a
 * zone whose whole span the platform reported remappable at creation.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

#include "lib/kstring.h"
#include "platform.h"

enum { BIG_PAGE = PLAT_PAGE_SIZE };
_Static_assert((int)BIG_PAGE == (int)MM_PAGE, "mm_internal.h's page is the platform's");

static mm_remap_stats g_big_stats;

static inline bool big_page_aligned(const void *p) { return ((uintptr_t)p & (BIG_PAGE - 1)) == 0; }

bool big_remappable(THz z, const mm_block *b)
{
    return zone_priv(z)->remaps && big_size(z, block_size(b)) && big_page_aligned((const char *)b + MM_HDR);
}

/* A place for the header of a block of phys bytes whose data is aligned
 * to a (a power of two), in [lo, hi): the lowest (high: the highest) whose
 * space below is empty or can be a free block. NULL if there is none. */
static mm_block *big_place(char *lo, char *hi, uint64_t phys, uint64_t a, bool high)
{
    uintptr_t l = (uintptr_t)lo, h = (uintptr_t)hi, t;
    if (h - l < phys)
        return NULL;
    if (high) {
        t = ((h - phys + MM_HDR) & ~(uintptr_t)(a - 1)) - MM_HDR;
        return t >= l && (t == l || t - l >= MM_MIN_BLOCK) ? (mm_block *)t : NULL;
    }
    t = ((l + MM_HDR + a - 1) & ~(uintptr_t)(a - 1)) - MM_HDR;
    if (t != l && t - l < MM_MIN_BLOCK)
        t += a;
    return t + phys <= h ? (mm_block *)t : NULL;
}

mm_block *big_alloc(THz z, uint64_t phys, enum mm_kind kind)
{
    uint64_t want = big_room(phys);   /* any free block this large has a place */
    mm_block *f = kind == MM_KIND_NONREL ? at_lowest_fit(z, want) : fl_find(z, want);
    if (f == NULL || !(kind == MM_KIND_NONREL ? vf_free(z, f) : vf_free_found(z, f)))
        return NULL;   /* none, or damage reported before anything changed */
    mm_block *t = big_place((char *)f, (char *)f + block_size(f), phys, big_align(phys), kind == MM_KIND_REL);
    if (t == NULL)
        return NULL;
    mm_block *b = blk_carve_at(z, f, t, phys);
    if (kind == MM_KIND_REL)
        block_set_type(b, MM_T_REL);
    return b;
}

mm_block *big_scramble_dest(THz z, uint64_t phys)
{
    mm_block *f = fl_find(z, big_room(phys) + MM_MIN_BLOCK);   /* the part above stays a block */
    if (f == NULL || !vf_free_found(z, f))
        return NULL;
    mm_block *t = big_place((char *)f, (char *)f + block_size(f), phys, big_align(phys), false);
    return t != NULL ? blk_carve_at(z, f, t, phys) : NULL;
}

mm_block *big_hhi_target(char *lo, mm_block *end, uint64_t size)
{
    uintptr_t a = big_align(size), e = (uintptr_t)end, l = (uintptr_t)lo;
    if (e - l < size)
        return NULL;
    uintptr_t t = ((e - size + MM_HDR) & ~(a - 1)) - MM_HDR;
    if (e - t - size != 0 && e - t - size < MM_MIN_BLOCK)
        t -= a;
    return t >= l ? (mm_block *)t : NULL;
}

/* How far a large block may rise over span bytes (the room above it, or
 * room and others together) by whole pages, leaving others bytes below it:
 * the space left above and below it empty or a block. 0 if it cannot. */
static uintptr_t big_rise(uintptr_t span, uint64_t others)
{
    uintptr_t d = span & ~(uintptr_t)(BIG_PAGE - 1);
    if (span - d != 0 && span - d < MM_MIN_BLOCK)
        d = d >= BIG_PAGE ? d - BIG_PAGE : 0;   /* the space left above must be a block */
    if (d == 0 || d < others || (d - others != 0 && d - others < MM_MIN_BLOCK))
        return 0;   /* the space left below, above the others, must be a block too */
    return d;
}

mm_block *big_hhi_lift(mm_block *b, mm_block *end, uint64_t others)
{
    uintptr_t d = big_rise((uintptr_t)end - (uintptr_t)b - block_size(b) - others, others);
    return d != 0 ? (mm_block *)((char *)b + d) : NULL;
}

mm_block *big_hhi_rotate_target(mm_block *b, mm_block *end, uint64_t others)
{
    uintptr_t d = big_rise((uintptr_t)end - (uintptr_t)b - block_size(b), others);
    return d != 0 ? (mm_block *)((char *)b + d) : NULL;
}

mm_block *big_slide_target(mm_block *b, mm_block *t, uint64_t spare)
{
    uintptr_t lo = (uintptr_t)b, want = (uintptr_t)t;
    if (want < lo)
        return NULL;
    uintptr_t at = lo + ((want - lo) & ~(uintptr_t)(BIG_PAGE - 1));   /* b's data stays page-aligned */
    if (want - at != 0 && want - at < MM_MIN_BLOCK) {
        if (at == lo)
            return NULL;
        at -= BIG_PAGE;
    }
    return want - at <= spare ? (mm_block *)at : NULL;
}

mm_block *big_target(char *gap, mm_block *b)
{
    uint64_t size = block_size(b), a = big_align(size);
    mm_block *t = big_place(gap, (char *)b + size, size, a, false);
    if ((t == NULL || t >= b) && a != BIG_PAGE)
        t = big_place(gap, (char *)b + size, size, BIG_PAGE, false);
    return t != NULL && t < b ? t : b;
}

void big_move(THz z, mm_block *b, mm_block *t)
{
    mm_block hdr = *b;   /* its page may be remapped over */
    uint64_t size = block_size(b), data = size - MM_HDR, whole = data & ~(uint64_t)(BIG_PAGE - 1);
    char *src = block_data(b), *dst = block_data(t);
    uintptr_t dist = t < b ? (uintptr_t)((char *)b - (char *)t) : (uintptr_t)((char *)t - (char *)b);
    DIAG_ASSERT(dist != 0 && (dist & (BIG_PAGE - 1)) == 0, "a large block moves by whole pages");
    /* The tails are less than a page long and at least a page apart, and
     * neither lies in the pages remapped over (the destination's whole
     * pages, the source's vacated ones), except the source's tail when
     * moving up: it is copied first. */
    bool up = t > b;
    smap_mark(z, b);
    smap_mark(z, t);
    if (up)
        nk_memmove(dst + whole, src + whole, (size_t)(data - whole));
    if (whole != 0 && plat_remap_pages(dst, src, whole)) {
        if (!up)
            nk_memmove(dst + whole, src + whole, (size_t)(data - whole));
        g_big_stats.moves++;
        g_big_stats.remapped += whole;
        g_big_stats.copied += data - whole;
    } else {
        nk_memmove(dst, src, (size_t)(up ? whole : data));
        g_big_stats.copied += data;
    }
    *t = hdr;
    block_reseal(t);   /* checked by the caller before the move */
    *zone_mp_at(z, block_link(t)) = dst;
}

/*
 * The pages of [lo, lo + a + c) rotate so the first a bytes end up at the
 * top and the c bytes above them come down to lo: one remap, whose
 * displaced pages fill the vacated ones in order (platform.h), moving the
 * shorter part's distance. a and c are whole pages. Copied in place when
 * the platform cannot remap them; false then.
 */
static bool big_rotate_pages(char *lo, uint64_t a, uint64_t c)
{
    if (c < a ? plat_remap_pages(lo + c, lo, a) : plat_remap_pages(lo, lo + a, c))
        return true;
    blk_rotate(lo, a, a + c);
    return false;
}

void big_hhi_rotate(THz z, mm_block *b, mm_block *t, uint64_t others)
{
    mm_block hdr = *b;   /* its place becomes the others' first unit */
    uint64_t size = block_size(b), data = size - MM_HDR, whole = data & ~(uint64_t)(BIG_PAGE - 1);
    uint64_t tail = data - whole, dist = (uint64_t)((char *)t - (char *)b);
    char *start = (char *)b, *pages = block_data(b), *above = pages + whole;
    DIAG_ASSERT(whole != 0 && (dist & (BIG_PAGE - 1)) == 0 && dist >= others && big_page_aligned(pages),
                "a rotation moves a page-aligned large block by whole pages over the others");
    /* Stage: the tail at its new place (right above the rotated range, so
     * the rotation leaves it alone), the others' first unit at start and
     * the rest right above b's whole pages, where the rotation brings them
     * down to start + MM_HDR. */
    if (dist >= tail + others) {   /* the tail's new place is free now */
        nk_memmove(above + dist, above, (size_t)tail);
    } else {   /* it holds the others' end: [tail | others] becomes [others | tail] first */
        blk_rotate(above, tail, tail + others);
        nk_memmove(above + dist, above + others, (size_t)tail);
    }
    char *from = dist >= tail + others ? above + tail : above;
    if (others != 0) {
        nk_memcpy(start, from, MM_HDR);
        nk_memmove(above, from + MM_HDR, (size_t)(others - MM_HDR));
    }
    if (big_rotate_pages(pages, whole, dist)) {
        g_big_stats.moves++;
        g_big_stats.remapped += whole;
        g_big_stats.copied += tail;
    } else {
        g_big_stats.copied += data;
    }
    *t = hdr;
    block_reseal(t);   /* checked by the caller before the move */
    *zone_mp_at(z, block_link(t)) = block_data(t);
}

void big_transfer(THz z, char *dst, char *src, size_t n)
{
    uint64_t whole = (uint64_t)n & ~(uint64_t)(BIG_PAGE - 1);
    bool big = zone_priv(z)->remaps && big_size(z, (uint64_t)n + MM_HDR);
    if (big && whole != 0 && big_page_aligned(dst) && big_page_aligned(src) && plat_remap_pages(dst, src, whole)) {
        nk_memcpy(dst + whole, src + whole, (size_t)(n - whole));
        g_big_stats.moves++;
        g_big_stats.remapped += whole;
        g_big_stats.copied += n - whole;
        return;
    }
    nk_memcpy(dst, src, n);
    if (big)
        g_big_stats.copied += n;
}

void mm_get_remap_stats(mm_remap_stats *out) { *out = g_big_stats; }

Size mm_set_big_min(THz zone, Size bytes)
{
    if (!mm_zone_valid(zone) || bytes < 0) {
        mm_set_err(paramErr);
        return 0;
    }
    uint64_t old = zone_priv(zone)->bigPhys;
    zone_priv(zone)->bigPhys = big_phys_for((uint64_t)bytes);
    smap_touch_all(zone);   /* which blocks are large changed */
    mm_set_err(noErr);
    return old == UINT64_MAX ? 0 : (Size)(old - MM_HDR);
}

bool mm_zone_remaps(THz zone) { return mm_zone_valid(zone) && zone_priv(zone)->remaps; }

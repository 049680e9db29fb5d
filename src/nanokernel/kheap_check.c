/*
 * kheap_check.c - kheap_check(), the heap's full integrity walk, and the
 * statistics. Every loop is bounded by sizes already validated or by the
 * block count the arena walk found, so a corrupted heap cannot make the
 * walk run forever. Blocks in the free-block cache count in kh_g.in_use,
 * not in kh_g.live; the statistics report them as free bytes.
 */
#include "kheap_internal.h"

typedef struct kh_walk {
    size_t free_blocks, free_bytes, used_bytes, live, arenas, arena_bytes;
    size_t cached_blocks, cached_bytes;
} kh_walk;

static bool in_arena(const kh_arena *a, const void *p, uint64_t len)
{
    uintptr_t lo = (uintptr_t)a, x = (uintptr_t)p;
    return x >= lo && x - lo <= a->bytes && len <= a->bytes - (x - lo);
}

static const char *walk_arena(kh_arena *a, kh_walk *w)
{
    if (a->magic != (KH_ARENA_MAGIC ^ (uintptr_t)a))
        return "kheap: arena record smashed";
    kh_block *b = kh_arena_first(a);
    bool prev_free = false, first = true;
    for (;;) {
        if (!in_arena(a, b, KH_HDR))
            return "kheap: block runs past its arena";
        uint64_t size = blk_size(b);
        if (!!(b->sf & KH_PREV_FREE) != prev_free)
            return "kheap: PREV_FREE flag disagrees with the block below";
        if (!!(b->sf & KH_FIRST) != first || (b->sf & KH_LARGE))
            return "kheap: FIRST/LARGE flag misplaced";
        if (size == 0) {
            if ((uintptr_t)b + KH_SENTINEL != (uintptr_t)a + a->bytes || (b->sf & KH_FREE) || !blk_used_ok(b))
                return "kheap: arena sentinel missing or smashed";
            break;
        }
        if (size < KH_MIN_BLOCK || (size & 15) || !in_arena(a, b, size + KH_HDR))
            return "kheap: block size impossible";
        if (b->sf & KH_FREE) {
            if (prev_free)
                return "kheap: two free blocks side by side (missed coalesce)";
            if (blk_footer_below(blk_next(b)) != size)
                return "kheap: free block footer disagrees with its header";
            w->free_blocks++;
            w->free_bytes += size;
        } else if (blk_used_ok(b)) {
            w->used_bytes += size;
            w->live++;
        } else if (blk_cached_ok(b) && size <= KH_CACHE_MAX) {
            w->cached_blocks++;
            w->cached_bytes += size;
        } else {
            return "kheap: used block header check value does not match";
        }
        prev_free = b->sf & KH_FREE;
        first = false;
        b = blk_next(b);
    }
    w->arenas++;
    w->arena_bytes += a->bytes;
    return NULL;
}

static const char *check_lists(const kh_walk *w)
{
    size_t seen = 0;
    for (unsigned fl = 0; fl < KH_FL_COUNT; fl++) {
        if (!!(kh_g.fl_map & (1ull << fl)) != (kh_g.sl_map[fl] != 0))
            return "kheap: first-level bitmap disagrees with second level";
        for (unsigned sl = 0; sl < KH_SL_COUNT; sl++) {
            kh_block *b = kh_g.head[fl * KH_SL_COUNT + sl], *prev = NULL;
            if (!!(kh_g.sl_map[fl] & (1u << sl)) != (b != NULL))
                return "kheap: list bitmap bit disagrees with the list";
            for (; b; prev = b, b = b->next_free) {
                unsigned f, s;
                if (++seen > w->free_blocks)
                    return "kheap: free lists hold more blocks than the arenas (cycle or stray)";
                if (!kh_hdr_in_range((uintptr_t)b) || !(b->sf & KH_FREE) || blk_free_prev(b) != prev)
                    return "kheap: free list links broken or free header check value does not match";
                kh_mapping(blk_size(b), &f, &s);
                if (f != fl || s != sl)
                    return "kheap: free block on the wrong list";
            }
        }
    }
    return seen == w->free_blocks ? NULL : "kheap: a free block is on no list";
}

/* Every cache stack: its blocks check, have its size, and number what
 * cache_room says; together they are every cached block the walk met. */
static const char *check_cache(const kh_walk *w)
{
    size_t n = 0, bytes = 0;
    for (unsigned i = 0; i < KH_CACHE_CLASSES; i++) {
        uint32_t depth = i < KH_MIN_BLOCK / 16 ? 0 : kh_cache_depth(16ull * i), k = 0;
        if (kh_cache_room[i] < 0 || (uint32_t)kh_cache_room[i] > depth)
            return "kheap: cache stack room outside 0 .. its depth";
        uint32_t held = depth - (uint32_t)kh_cache_room[i];
        for (kh_block *b = kh_cache[i]; b; k++) {
            if (k >= held)
                return "kheap: cache stack longer than its count (cycle or stray)";
            if (!kh_hdr_in_range((uintptr_t)b) || !blk_cached_ok(b) || blk_size(b) != 16ull * i ||
                (b->sf & (KH_FREE | KH_LARGE)))
                return "kheap: cached block header or stack link damaged, or block on the wrong stack";
            bytes += 16ull * i;
            b = (kh_block *)(uintptr_t)blk_cache_link(b);
        }
        if (k != held)
            return "kheap: cache stack shorter than its count";
        n += k;
    }
    if (n != w->cached_blocks || bytes != w->cached_bytes)
        return "kheap: cached blocks in the arenas and on the stacks disagree";
    return NULL;
}

static const char *check_large(kh_walk *w)
{
    size_t n = 0, bytes = 0;
    kh_large *prev = NULL;
    for (kh_large *l = kh_g.large; l; prev = l, l = l->next) {
        kh_block *h = (kh_block *)&l->sf;
        if (++n > kh_g.live)
            return "kheap: large list longer than the live count (cycle?)";
        if (!kh_hdr_in_range((uintptr_t)h))
            return "kheap: large list points outside the heap";
        if (l->prev != prev || !(l->sf & KH_LARGE) || !blk_used_ok(h))
            return "kheap: large block record smashed";
        bytes += blk_size(h);
    }
    if (bytes != kh_g.large_bytes)
        return "kheap: large byte counter disagrees with the list";
    w->live += n;
    w->used_bytes += bytes;
    return NULL;
}

const char *kheap_check(void)
{
    if (!kh_g.ready)
        return "kheap: not initialised";
    kh_walk w = { 0 };
    const char *why = NULL;
    size_t guard = 0;
    for (kh_arena *a = kh_g.arenas; a && !why; a = a->next)
        why = ++guard > kh_g.narenas ? "kheap: arena list longer than its count" : walk_arena(a, &w);
    if (!why)
        why = check_lists(&w);
    if (!why)
        why = check_cache(&w);
    if (!why)
        why = check_large(&w);
    if (why)
        return why;
    if (w.free_bytes != kh_free_bytes() || w.used_bytes + w.cached_bytes != kh_g.in_use ||
        w.cached_bytes != kh_cached_bytes() || w.live != kh_g.live)
        return "kheap: byte or block counters disagree with the walk";
    if (w.arenas != kh_g.narenas || w.arena_bytes != kh_g.arena_bytes)
        return "kheap: arena counters disagree with the walk";
    if (kh_g.peak < kh_g.in_use)
        return "kheap: peak below current use";
    return NULL;
}

/* Largest request one free block can serve: the biggest block on the
 * highest non-empty list (lists below hold smaller blocks). */
static size_t largest_free(void)
{
    if (!kh_g.fl_map)
        return 0;
    unsigned fl = 63u - (unsigned)__builtin_clzll(kh_g.fl_map);
    unsigned sl = 31u - (unsigned)__builtin_clz(kh_g.sl_map[fl]);
    uint64_t best = 0;
    size_t guard = 0;
    for (kh_block *b = kh_g.head[fl * KH_SL_COUNT + sl];
         b && kh_hdr_in_range((uintptr_t)b) && guard++ < kh_g.live + kh_free_bytes() / KH_MIN_BLOCK + 1;
         b = b->next_free)
        if (blk_size(b) > best)
            best = blk_size(b);
    return best > KH_HDR ? (size_t)(best - KH_HDR) : 0;
}

void kheap_get_stats(kheap_stats *out)
{
    size_t cached = kh_cached_bytes();
    *out = (kheap_stats){
        .bytes_in_use = kh_g.in_use - cached,
        .bytes_free = kh_free_bytes() + cached,
        .largest_free = largest_free(),
        .peak_in_use = kh_g.peak,
        .arena_bytes = kh_g.arena_bytes,
        .large_bytes = kh_g.large_bytes,
        .live_blocks = kh_g.live,
        .arenas = kh_g.narenas,
    };
}

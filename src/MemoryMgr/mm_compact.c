/*
 * mm_compact.c - moving and purging relocatable blocks: compaction,
 * purging and the MM_SCRAMBLE heap scramble.
 *
 * Compaction (IM: Memory, "Heap compaction") walks the zone once, bottom
 * to top, and slides every unlocked relocatable block down into the free
 * space below it. Invariants it relies on and keeps:
 *  1. the free space met so far is one contiguous gap [gap, cursor) that
 *     starts right after an immovable or moved block;
 *  2. a run of consecutive movable blocks is moved with one nk_memmove,
 *     which is overlap-safe, so a block moving down by less than its own
 *     size keeps every byte;
 *  3. master pointers are rewritten after the run has moved, from the
 *     headers at their new place (the headers move with the data);
 *  4. locked and nonrelocatable blocks never move: the gap before one
 *     becomes a free block and the gap restarts after it;
 *  5. the free lists are rebuilt from the gaps, so no list entry can point
 *     at space that a moved block now occupies.
 *
 * The walk is a chain of dependent header loads spread over the whole zone,
 * so it is bound by memory latency, not by copying: it prefetches every
 * cache line of the next MM_COMPACT_AHEAD bytes (never more than that per
 * block, so a huge free block costs nothing extra). On a fragmented 64 MiB
 * zone this more than doubles CompactMem's speed (bench/bench_mm.c).
 */
#include "mm_internal.h"

#include "lib/kstring.h"

enum { MM_COMPACT_AHEAD = 8192, MM_CACHE_LINE = 64 };

/* Prefetch the lines of [max(*pf, b), b + MM_COMPACT_AHEAD) not yet asked for. */
static void compact_prefetch(char **pf, const mm_block *b, const mm_block *trailer)
{
    const char *lim = (const char *)b + MM_COMPACT_AHEAD;
    if (lim > (const char *)trailer)
        lim = (const char *)trailer;
    if (*pf < (const char *)b)
        *pf = (char *)b;
    for (; *pf < lim; *pf += MM_CACHE_LINE)
        __builtin_prefetch(*pf);
}

static bool compact_movable(const mm_block *b)
{
    return block_type(b) == MM_T_REL && !block_locked(b);
}

/* Close the gap [gap, b) as one free block; returns its size. */
static uint64_t compact_close_gap(THz z, char *gap, mm_block *b)
{
    if (gap == NULL) {
        block_set_prev_free(b, false);
        return 0;
    }
    mm_block *f = (mm_block *)gap;
    block_set_tag(f, (uint64_t)((char *)b - gap), MM_T_FREE, 0);
    fl_insert(z, f);
    block_set_prev_free(b, true);
    return block_size(f);
}

/* Move the run [src, end) down to gap; fix each moved block's master pointer. */
static void compact_move_run(THz z, char *gap, mm_block *src, mm_block *end)
{
    size_t len = (size_t)((char *)end - (char *)src);
    nk_memmove(gap, src, len);
    for (mm_block *m = (mm_block *)gap; (char *)m < gap + len; m = block_next(m)) {
        block_set_prev_free(m, false);
        *zone_mp_at(z, block_link(m)) = block_data(m);
    }
}

uint64_t mm_compact(THz z)
{
    /* The free lists are rebuilt, but damaged links are still reported,
     * not silently replaced. */
    if (!vf_walk(z, true))
        return 0;   /* damage reported before anything moved */
    return mm_compact_unchecked(z);
}

uint64_t mm_compact_unchecked(THz z)
{
    mm_block *trailer = zone_trailer(z);
    char *gap = NULL;
    uint64_t largest = 0;
    char *pf = (char *)zone_first(z);
    fl_reset(z);
    for (mm_block *b = zone_first(z); b != trailer;) {
        compact_prefetch(&pf, b, trailer);
        if (block_is_free(b)) {
            if (gap == NULL)
                gap = (char *)b;
            if ((b = zone_step(z, b)) == NULL)
                return largest;   /* damage reported, never followed */
        } else if (gap != NULL && compact_movable(b)) {
            mm_block *end = b;
            while (end != trailer && compact_movable(end)) {
                compact_prefetch(&pf, end, trailer);
                if ((end = zone_step(z, end)) == NULL)
                    return largest;
            }
            compact_move_run(z, gap, b, end);
            gap += (char *)end - (char *)b;
            b = end;
        } else {
            uint64_t f = compact_close_gap(z, gap, b);
            largest = f > largest ? f : largest;
            gap = NULL;
            if ((b = zone_step(z, b)) == NULL)
                return largest;
        }
    }
    uint64_t f = compact_close_gap(z, gap, trailer);
    return f > largest ? f : largest;
}

static bool purge_candidate(THz z, mm_block *b, Handle protect)
{
    if (block_type(b) != MM_T_REL || block_locked(b) || !block_purgeable(b))
        return false;
    Handle h = zone_mp_at(z, block_link(b));
    return h != protect && h != mm_gz_save();
}

mm_block *mm_purge_block(THz z, mm_block *b)
{
    Handle h = zone_mp_at(z, block_link(b));
    if (z->purgeProc != NULL) {
        /* IM: the purge-warning procedure must not move memory; it may
         * save the data, or even make the block unpurgeable. */
        z->purgeProc(h);
        if (mm_mp_is_free(h) || *h != block_data(b) || block_locked(b) || !block_purgeable(b))
            return NULL;
    }
    mm_block *m = blk_release(z, b);
    if (m != NULL)
        *h = NULL;
    return m;
}

/*
 * A purge-warning procedure may keep the block (make it unpurgeable, lock
 * it) or release it itself (DisposeHandle, EmptyHandle): the walk then
 * starts again from the bottom, as the block's header may have merged into
 * a free neighbour. Each restart follows one fewer purgeable block, so the
 * walk ends. A procedure that moved the block breaks IM's rule that it must
 * not move memory: that is reported and the purge stops.
 */
void mm_purge(THz z, uint64_t want, Handle protect)
{
    unsigned mark = mm_damage_mark();
    if (!vf_walk(z, true))
        return;   /* damage reported before anything was purged */
    mm_block *trailer = zone_trailer(z);
    for (mm_block *b = zone_first(z); b != trailer;) {
        if (!purge_candidate(z, b, protect)) {
            if ((b = zone_step(z, b)) == NULL)
                return;
            continue;
        }
        Handle h = zone_mp_at(z, block_link(b));
        Ptr data = block_data(b);
        mm_block *m = mm_purge_block(z, b);
        if (mm_damage_since(mark) != noErr)
            return;   /* a purge-warning procedure damaged the zone */
        if (m == NULL) {
            if (mm_mp_is_free(h) || *h == NULL) {
                b = zone_first(z);
            } else if (*h != data) {
                mm_misuse("purge-warning procedure", h, z, b, "moved the block it was warned about", memPurErr);
                return;
            } else if ((b = zone_step(z, b)) == NULL) {
                return;
            }
            continue;
        }
        if (want != 0 && block_size(m) >= want)
            return;
        b = block_next(m);
    }
}

/* A new home for a scrambled block of phys bytes: carved from a free block
 * big enough that its remainder stays a block, so the moved block keeps
 * its physical size (and its size correction) and FreeMem is unchanged. */
static mm_block *scramble_dest(THz z, uint64_t phys)
{
    mm_block *f = fl_find(z, phys + MM_MIN_BLOCK);
    if (f == NULL || !vf_free(z, f))
        return NULL;
    mm_block *n = blk_carve(z, f, phys, true);
    block_set_type(n, MM_T_REL);
    blk_count_new(z, MM_T_REL);
    return n;
}

void mm_scramble(THz z, Handle protect)
{
    (void)protect;   /* moving a protected handle is allowed; only purging is not */
    if (!vf_walk(z, true))
        return;   /* damage reported before anything moved */
    mm_block *trailer = zone_trailer(z);
    for (mm_block *b = zone_first(z); b != NULL && b != trailer;) {
        mm_block *n = compact_movable(b) && !block_marked(b) ? scramble_dest(z, block_size(b)) : NULL;
        if (n == NULL) {
            b = zone_step(z, b);
            continue;
        }
        blk_move(z, b, n);
        block_set_mark(n, true);
        nk_memset(block_data(b), 0xE5, block_size(b) - MM_HDR);
        mm_block *m = blk_release(z, b);
        if (m == NULL)
            return;
        b = block_next(m);
    }
    for (mm_block *b = zone_first(z); b != NULL && b != trailer; b = zone_step(z, b))
        if (block_type(b) == MM_T_REL)
            block_set_mark(b, false);
}

Size mm_zone_largest_free(THz z)
{
    return mm_logical_room(mm_largest_free(z));
}

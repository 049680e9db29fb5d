/*
 * mm_grow_block.c - growing a block where it stands. First the free block
 * above it; failing that, the run of blocks above it is cleared by moving
 * its unlocked relocatable blocks elsewhere (IM: Memory lets SetPtrSize and
 * SetHandleSize of a locked block move relocatable blocks out of the way).
 *
 * Eviction rules:
 *  1. feasibility is decided first by a walk over just the blocks above
 *     (free or movable, up to the size needed); a locked, nonrelocatable
 *     or protected block there means memFullErr with nothing changed;
 *  2. the free blocks of that run are taken off their lists first, so the
 *     evicted blocks cannot be placed inside the run itself; the part of
 *     the last one beyond what is needed goes straight back on a list;
 *  3. if an evicted block finds no home, the zone is compacted, which
 *     rebuilds the free lists from the walk and so takes the orphaned
 *     free space back (relocatable blocks may move; nothing is lost).
 */
#include "mm_internal.h"

static bool evict_movable(THz z, mm_block *b, Handle protect)
{
    return block_type(b) == MM_T_REL && !block_locked(b) && zone_mp_at(z, block_link(b)) != protect;
}

/* End of the run above b that would give b `phys` bytes, or NULL. */
static mm_block *evict_plan(THz z, mm_block *b, uint64_t phys, Handle protect)
{
    uint64_t have = block_size(b);
    mm_block *t = zone_trailer(z), *m = zone_step(z, b);
    bool below_free = false;   /* b is allocated */
    while (have < phys) {
        if (m == NULL || m == t || !(block_is_free(m) || evict_movable(z, m, protect)))
            return NULL;
        if (block_is_free(m) ? !vf_free(z, m) : !vf_rel(z, m))
            return NULL;   /* damage reported before anything moved */
        if (block_prev_free(m) != below_free) {   /* the eviction rewrites every bit of the run */
            mm_damage(z, m, memBCErr, "below-is-free bit disagrees with the block below");
            return NULL;
        }
        below_free = block_is_free(m);
        have += block_size(m);
        m = zone_step(z, m);
    }
    if (m == NULL || (m != t && !vf_block(z, m)) || !vf_below(z, m))
        return NULL;
    return m;
}

/* The new home is sized for m's contents, not m's physical size: a found
 * block may be up to MM_MIN_BLOCK - 1 bytes larger than asked, and sizing
 * from the old block would let that slack pile up over repeated moves past
 * what the size correction can hold. */
static bool evict_one(THz z, mm_block *m)
{
    mm_block *n = mm_alloc_fast(z, mm_phys_for(block_logical(m)), MM_KIND_REL);
    if (n == NULL)
        return false;
    blk_move(z, m, n);
    z->cntRel--;
    block_set_type(m, MM_T_FREE);
    return true;
}

/* When the run ends in a free block larger than needed, give its unneeded
 * top back to the free lists at once, so the evicted blocks can use it. */
static mm_block *evict_keep_tail(THz z, mm_block *b, uint64_t phys, mm_block *last, mm_block *end)
{
    char *cut = (char *)b + phys;
    /* Both parts must stand as blocks: the part of last below cut keeps a
     * header a later walk (the failure path's compaction) steps by. */
    if (!block_is_free(last) || (uint64_t)((char *)end - cut) < MM_MIN_BLOCK
        || cut - (char *)last < MM_MIN_BLOCK)
        return end;
    mm_block *rest = (mm_block *)cut;
    block_set_size(last, (uint64_t)(cut - (char *)last));
    block_set_tag(rest, (uint64_t)((char *)end - cut), MM_T_FREE, 0);
    fl_insert(z, rest);
    return rest;
}

bool mm_grow_block(THz z, mm_block *b, uint64_t phys, Handle protect)
{
    if (blk_grow_in_place(z, b, phys))
        return true;
    /* The plan checks every block of the run and the one ending it; the
     * failure path's compaction checks each header it moves by itself. */
    mm_block *end = evict_plan(z, b, phys, protect);
    if (end == NULL)
        return false;
    smap_touch(z, b, (uint64_t)((char *)end - (char *)b));   /* b takes in the run up to end */
    mm_block *last = NULL;
    pl_lower_floor(z, b);   /* the blocks above b become part of it */
    for (mm_block *m = block_next(b); m != end; m = block_next(m)) {
        last = m;
        if (block_is_free(m))
            fl_remove(z, m);
    }
    end = evict_keep_tail(z, b, phys, last, end);
    for (mm_block *m = block_next(b); m != end; m = block_next(m)) {
        if (!block_is_free(m) && !evict_one(z, m)) {
            mm_compact_unchecked(z, block_next(b), end);   /* the run's free space is off the lists */
            return false;
        }
    }
    block_set_prev_free(end, false);
    uint64_t total = (uint64_t)((char *)end - (char *)b);
    block_set_size(b, total);
    bool ok = blk_shrink(z, b, phys);   /* false: damage above the run, reported; b keeps the run */
    zone_note_free(z);
    return ok;
}

/*
 * mm_alloc.c - getting a block, in the order Inside Macintosh: Memory
 * (1992, "Allocating Memory") gives when no free block is big enough:
 *
 *   1. the free lists (constant time, see mm_freelist.c);
 *   2. compact the zone, until a free block of the size needed exists
 *      (mm_compact_for: the walk stops there, IM allows it);
 *   3. the Application zone only: grow it toward its limit (ApplLimit);
 *   4. purge unlocked purgeable blocks (purge-warning proc first), then
 *      compact again if purging freed anything. A zone with nothing
 *      purgeable skips the purge without a walk (mm_zone_priv.nPurge), so
 *      a failed allocation there compacts the zone exactly once;
 *   5. call the zone's grow-zone procedure with the physical size needed
 *      (header included) and GZSaveHnd() set to the handle being allocated
 *      or resized, purging and compacting after each call, until it
 *      returns 0 (or frees nothing MM_GZ_IDLE_MAX times in a row, so a
 *      procedure that lies cannot hang the system);
 *   6. memFullErr: the caller's handle and data are untouched.
 *
 * A grow-zone procedure that disposes of GZSaveHnd() or empties it breaks
 * IM's contract: the allocation is refused as misuse (memWZErr for a
 * disposed handle, nilHandleErr for an emptied one), nothing is attached
 * to the handle, and the caller returns at once (mm_alloc_lost).
 *
 * Placement: a nonrelocatable block (NewPtr*, MoreMasters' master-pointer
 * blocks) goes as low as IM asks, sliding unlocked relocatable blocks up
 * when that lets it sit lower (mm_place.c: a search of at most
 * MM_PLACE_SPAN blocks, then the lowest single free block that fits, found
 * in O(log n) by the address index, mm_addrtree.c); a relocatable block
 * takes the room ReserveMem made for it if there is one, else the high end
 * of a good fit from the size-class lists (mm_freelist.c), so the two
 * kinds separate.
 */
#include "mm_internal.h"

enum { MM_GZ_IDLE_MAX = 16 };

bool mm_size_ok(Size s)
{
    return s >= 0 && s <= MM_MAX_LOGICAL;
}

/* A large block (mm_remap.c): page-aligned where a free block has room for
 * the alignment, else placed as any other (NULL: damage was reported). */
static mm_block *alloc_big(THz z, uint64_t phys, enum mm_kind kind, bool *damaged)
{
    unsigned mark = mm_damage_mark();
    mm_block *b = big_alloc(z, phys, kind);
    *damaged = b == NULL && mm_damage_since(mark) != noErr;
    return b;
}

mm_block *mm_alloc_fast(THz z, uint64_t phys, enum mm_kind kind)
{
    mm_block *b = NULL;
    bool damaged = false;
    if (kind == MM_KIND_NONREL) {
        if (big_size(z, phys))
            b = alloc_big(z, phys, kind, &damaged);
        if (b == NULL && !damaged)
            b = pl_nonrel(z, phys);   /* checks what it carves or moves */
    } else {
        if (zone_priv(z)->reserve != NULL) {
            unsigned mark = mm_damage_mark();
            b = pl_take_reserve(z, phys);
            if (b == NULL && mm_damage_since(mark) != noErr)
                return NULL;   /* damage reported before anything changed */
        }
        /* A handle is aligned only where its pages can be remapped. */
        if (b == NULL && big_size(z, phys) && zone_priv(z)->remaps && (b = alloc_big(z, phys, kind, &damaged)) == NULL
            && damaged)
            return NULL;   /* damage reported before anything changed */
        mm_block *f = b == NULL ? fl_find(z, phys) : NULL;
        if (f != NULL && !vf_free_found(z, f))
            return NULL;   /* damage reported before anything changed */
        if (f != NULL)
            b = blk_carve(z, f, phys, true);
        if (b != NULL)
            block_set_type(b, MM_T_REL);
    }
    if (b == NULL)
        return NULL;
    blk_count_new(z, block_type(b));
    zone_note_free(z);
    return b;
}

void mm_may_move(THz z, Handle protect)
{
    (void)z;
    (void)protect;
#if CONFIG_MM_PURGE_ALL
    mm_purge(z, 0, protect);
#endif
#if CONFIG_MM_SCRAMBLE
    mm_scramble(z, protect);
#endif
}

bool mm_alloc_lost(Handle protect, bool had_block)
{
    return protect != NULL && (mm_mp_is_free(protect) || (had_block && *protect == NULL));
}

/* The free block a compaction for a block of phys bytes stops at: a large
 * block's room for its alignment (mm_remap.c), so it can still be placed
 * page-aligned; any block that fits otherwise. */
static uint64_t alloc_need(THz z, uint64_t phys)
{
    return big_size(z, phys) ? big_room(phys) : phys;
}

static mm_block *alloc_grow_zone_proc(THz z, uint64_t phys, enum mm_kind kind, Handle protect, bool *lost)
{
    mm_block *b = NULL;
    Handle saved = mm_gz_save();
    bool had_block = protect != NULL && *protect != NULL;
    unsigned idle = 0;
    mm_set_gz_save(protect);
    zone_priv(z)->busy++;
    for (;;) {
        Size before = z->zcbFree;
        long r = z->gzProc((Size)phys);
        if (mm_alloc_lost(protect, had_block)) {
            *lost = true;
            mm_misuse("grow-zone procedure", protect, z, NULL,
                      mm_mp_is_free(protect) ? "disposed of GZSaveHnd()" : "emptied GZSaveHnd()",
                      mm_mp_is_free(protect) ? memWZErr : nilHandleErr);
            break;
        }
        unsigned mark = mm_damage_mark();
        mm_purge(z, phys, protect);
        if (mm_damage_since(mark) == noErr)
            mm_compact_for(z, alloc_need(z, phys));
        if (mm_damage_since(mark) != noErr)
            break;
        b = mm_alloc_fast(z, phys, kind);
        if (b != NULL || r == 0 || mm_damage_since(mark) != noErr)
            break;
        idle = z->zcbFree > before ? 0 : idle + 1;
        if (idle >= MM_GZ_IDLE_MAX)
            break;
    }
    zone_priv(z)->busy--;
    mm_set_gz_save(saved);
    return b;
}

mm_block *mm_alloc(THz z, Size logical, enum mm_kind kind, Handle protect)
{
    if (!mm_size_ok(logical)) {
        mm_set_err(memFullErr);
        return NULL;
    }
    uint64_t phys = mm_phys_for(logical);
    unsigned mark = mm_damage_mark();
    /* Damage found by a step ends the sequence: the step changed nothing,
     * and MemError keeps the damage's result code. */
#define ALLOC_DAMAGED() (mm_damage_since(mark) != noErr)
    mm_may_move(z, protect);
    mm_block *b = ALLOC_DAMAGED() ? NULL : mm_alloc_fast(z, phys, kind);
    if (b == NULL && !ALLOC_DAMAGED() && mm_compact_for(z, alloc_need(z, phys)) >= phys)
        b = mm_alloc_fast(z, phys, kind);
    if (b == NULL && !ALLOC_DAMAGED() && zone_priv(z)->limit > z->bkLim && mm_zone_grow(z, phys))
        b = mm_alloc_fast(z, phys, kind);
    if (b == NULL && !ALLOC_DAMAGED() && zone_priv(z)->nPurge > 0) {
        Size before = z->zcbFree;
        mm_purge(z, phys, protect);
        b = ALLOC_DAMAGED() ? NULL : mm_alloc_fast(z, phys, kind);
        if (b == NULL && !ALLOC_DAMAGED() && z->zcbFree > before && mm_compact_for(z, alloc_need(z, phys)) >= phys)
            b = mm_alloc_fast(z, phys, kind);
    }
    bool lost = false;
    if (b == NULL && !ALLOC_DAMAGED() && z->gzProc != NULL && zone_priv(z)->busy == 0)
        b = alloc_grow_zone_proc(z, phys, kind, protect, &lost);
    if (b == NULL && ALLOC_DAMAGED()) {
        mm_set_err(mm_damage_since(mark));
        return NULL;
    }
#undef ALLOC_DAMAGED
    if (b == NULL) {
        if (!lost)
            mm_set_err(memFullErr);
        return NULL;
    }
    blk_set_logical(b, logical);
    mm_set_err(noErr);
    return b;
}

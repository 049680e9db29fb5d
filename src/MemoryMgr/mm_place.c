/*
 * mm_place.c - where Inside Macintosh: Memory puts blocks, beyond taking
 * a free block that fits:
 *
 *  - NewPtr and master-pointer blocks go as low as possible, and unlocked
 *    relocatable blocks move UP to let them (chapter 1, "Heap
 *    fragmentation"): pl_nonrel;
 *  - ReserveMem makes its room at the lowest such place, and the next
 *    relocatable allocation that fits takes that room (pl_take_reserve), so
 *    the ReserveMem / NewHandle / HLock pattern leaves no island;
 *  - MoveHHi moves a block up until it meets a nonrelocatable block, a
 *    locked block or the zone's end; unlocked blocks in its way slide down
 *    below it: pl_move_hhi.
 *
 * A large block with page-aligned data in a zone that remaps (mm_remap.c)
 * moves by whole pages in both: its pages are remapped, and the free
 * space its alignment leaves next to it stays a free block.
 *
 * The search is bounded: it starts at the zone's floor (every block below
 * it is nonrelocatable or locked, so nothing there can move or be free)
 * and visits at most MM_PLACE_SPAN blocks. On the way it follows runs of
 * free and unlocked relocatable blocks between immovable ones; the first
 * run whose free bytes reach the request gets the block at its start, its
 * relocatable blocks packed against the run's top. Nothing found within
 * the span: the lowest single free block that fits (the address index;
 * for a block under 64 bytes also the small lists' heads, fl_lowest_fit).
 * A run whose relocatable blocks exceed MM_PLACE_MOVE_MAX bytes counts as
 * a barrier (bytes copied per call stay bounded too).
 * The floor only rises while the search walks immovable blocks, and drops
 * when a block below it is freed or unlocked, so a zone whose bottom is
 * full of pointers is not walked again on every call.
 *
 * Invariants: every block below the floor is nonrelocatable or a locked
 * relocatable block (pl_check, run by the heap check); the reserve is a
 * free block on the free lists or is dropped when found stale.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

#include "lib/kstring.h"
#include "platform.h"

static bool pl_movable(const mm_block *b)
{
    return block_type(b) == MM_T_REL && !block_locked(b);
}

static bool pl_immovable(const mm_block *b)
{
    return !block_is_free(b) && !pl_movable(b);
}

static mm_block *pl_floor(THz z)
{
    mm_block *f = zone_priv(z)->floor;
    return f != NULL ? f : zone_first(z);
}

/* Point the master pointer of every block in [from, to) at its data. */
static void pl_fix_masters(THz z, mm_block *from, mm_block *to)
{
    for (mm_block *m = from; m < to; m = block_next(m)) {
        block_reseal(m);   /* every caller checked the blocks before moving them */
        block_set_prev_free(m, false);
        *zone_mp_at(z, block_link(m)) = block_data(m);
    }
}

/* Everything a slide over [run, end) touches: each free block with its
 * links, each relocatable block with its master pointer and its
 * below-is-free bit (the block below run is immovable or absent), and
 * end's header (its bit is rewritten). Damage is reported; false. */
static bool pl_run_ok(THz z, mm_block *run, mm_block *end)
{
    bool below_free = false;
    for (mm_block *m = run; m != end; m = block_next(m)) {
        if (block_is_free(m) ? !vf_free(z, m) : !vf_rel(z, m))
            return false;
        if (!block_is_free(m) && block_prev_free(m) != below_free) {
            mm_damage(z, m, memBCErr, "below-is-free bit disagrees with the block below");
            return false;
        }
        below_free = block_is_free(m);
    }
    if (end != zone_trailer(z) && !vf_block(z, end))
        return false;
    if (block_prev_free(end) != below_free) {
        mm_damage(z, end, memBCErr, "below-is-free bit disagrees with the block below");
        return false;
    }
    return true;
}

/* Relocatable block m has just moved: header resealed, below-is-free
 * clear (the caller sets it where a free block ends up below), master
 * pointer at its data. */
static void pl_fix_one(THz z, mm_block *m)
{
    block_reseal(m);   /* every caller checked the block before moving it */
    block_set_prev_free(m, false);
    *zone_mp_at(z, block_link(m)) = block_data(m);
}

/*
 * [run, end) holds free blocks and n unlocked relocatable blocks rel[]
 * (address order) with room free bytes, room >= phys. The relocatable
 * blocks are packed against end, and a nonrelocatable block of phys bytes
 * (more if the rest could not stand alone) is made at run. A large block
 * with page-aligned data in a zone that remaps slides by whole pages
 * (big_slide_target, big_move: its pages remapped) when the free bytes
 * that leaves above it, at most the room's spare over phys in all, can
 * stay a free block; the blocks below it pack against it. So the new
 * block's place is the same either way.
 */
static mm_block *pl_slide_up(THz z, mm_block *run, mm_block *end, mm_block **rel, unsigned n, uint64_t room,
                             uint64_t phys)
{
    if (!pl_run_ok(z, run, end))
        return NULL;   /* damage reported before anything moved */
    smap_touch(z, run, (uint64_t)((char *)end - (char *)run));
    for (mm_block *m = run; m != end; m = block_next(m))
        if (block_is_free(m))
            fl_remove(z, m);
    block_set_prev_free(end, false);
    uint64_t spare = room - phys;   /* free bytes left over; the large blocks' gaps come out of it */
    char *top = (char *)end;
    mm_block *above = end;
    for (unsigned i = n; i-- > 0;) {
        mm_block *r = rel[i], *t = (mm_block *)(top - block_size(rel[i]));
        uint64_t s = block_size(r);
        mm_block *bt = big_remappable(z, r) ? big_slide_target(r, t, spare) : NULL;
        if (bt != NULL) {
            if (bt != r)
                big_move(z, r, bt);
            pl_fix_one(z, bt);
            if (bt != t) {   /* the space above it stays free */
                mm_block *f = (mm_block *)((char *)bt + s);
                block_set_tag(f, (uint64_t)((char *)t - (char *)bt), MM_T_FREE, 0);
                fl_insert(z, f);
                block_set_prev_free(above, true);
                spare -= (uint64_t)((char *)t - (char *)bt);
            }
            t = bt;
        } else {
            nk_memmove(t, r, s);
            pl_fix_one(z, t);
        }
        top = (char *)t;
        above = t;
    }
    mm_block *b = run;
    if (spare >= MM_MIN_BLOCK) {
        block_set_tag(b, phys, MM_T_NONREL, 0);
        mm_block *f = block_next(b);
        block_set_tag(f, spare, MM_T_FREE, 0);
        fl_insert(z, f);
        block_set_prev_free((mm_block *)top, true);
    } else {
        block_set_tag(b, phys + spare, MM_T_NONREL, 0);
    }
    b->info = 0;
    return b;
}

mm_block *pl_nonrel(THz z, uint64_t phys)
{
    mm_block *t = zone_trailer(z), *b = pl_floor(z);
    unsigned budget = MM_PLACE_SPAN;
    for (; b != t && budget > 0 && pl_immovable(b); budget--) {
        if ((b = zone_step(z, b)) == NULL)
            return NULL;
        zone_priv(z)->floor = b;
    }
    mm_block *run = b, *rel[MM_PLACE_SPAN];
    unsigned n = 0;
    uint64_t room = 0, moved = 0;
    for (; b != t && budget > 0; budget--) {
        bool barrier = pl_immovable(b);
        if (block_is_free(b)) {
            room += block_size(b);
            if (room >= phys && n == 0) {
                /* Nothing movable since the last barrier: b is the run's
                 * only free block, unless free blocks touch (damage). */
                if (room != block_size(b)) {
                    mm_damage(z, b, memBCErr, "free block follows another free block");
                    return NULL;
                }
                return vf_free(z, b) ? blk_carve(z, b, phys, false) : NULL;
            }
            if (room >= phys)
                return pl_slide_up(z, run, block_next(b), rel, n, room, phys);
        } else if (pl_movable(b)) {
            rel[n++] = b;
            moved += block_size(b);
            barrier = moved > MM_PLACE_MOVE_MAX;
        }
        mm_block *next = zone_step(z, b);
        if (next == NULL)
            return NULL;
        if (barrier) {
            run = next;
            n = 0;
            room = 0;
            moved = 0;
        }
        b = next;
    }
    mm_block *f = fl_lowest_fit(z, phys);
    return f != NULL && vf_free(z, f) ? blk_carve(z, f, phys, false) : NULL;
}

mm_block *pl_take_reserve(THz z, uint64_t phys)
{
    mm_block *r = zone_priv(z)->reserve;
    if (r == NULL)
        return NULL;
    if (!fl_holds(z, r)) {
        zone_priv(z)->reserve = NULL;
        return NULL;
    }
    if (block_size(r) < phys || !vf_free(z, r))
        return NULL;   /* too small, or damage reported */
    zone_priv(z)->reserve = NULL;
    return blk_carve(z, r, phys, false);
}

/* [lo, hi) (possibly empty) becomes a free block, merged with a free
 * block below when below_free, through blk_free's checked merge. */
static void pl_free_span(THz z, char *lo, char *hi, bool below_free)
{
    if (lo == NULL || hi <= lo)
        return;
    mm_block *f = (mm_block *)lo;
    block_set_tag(f, (uint64_t)(hi - lo), MM_T_NONREL, below_free ? MM_TAG_PREVFREE : 0);
    f->info = 0;   /* a sane allocated header for blk_free's check */
    blk_free(z, f);
}

/*
 * Relocatable blocks keep their headers and data as one unit, and every
 * unit is a multiple of 16 bytes: rotating [b | others] by reversing the
 * two parts and then the whole swaps them with no buffer.
 */
void pl_move_hhi(THz z, mm_block *b)
{
    if (!vf_rel(z, b) || !vf_below(z, b))
        return;   /* damage reported before anything moved */
    mm_block *t = zone_trailer(z), *end = zone_step(z, b);
    uint64_t sb = block_size(b), room = 0;
    bool others = false;
    bool seen_free = false;   /* the block below end was free (b is allocated) */
    for (; end != NULL && end != t; end = zone_step(z, end)) {
        if (!vf_block(z, end))
            return;   /* damage reported before anything moved */
        if (block_prev_free(end) != seen_free) {   /* every bit up to end is rewritten */
            mm_damage(z, end, memBCErr, "below-is-free bit disagrees with the block below");
            return;
        }
        if (pl_immovable(end))
            break;
        if (block_is_free(end) ? !vf_free(z, end) : !vf_rel(z, end))
            return;
        seen_free = block_is_free(end);
        if (block_is_free(end))
            room += block_size(end);
        else
            others = true;
    }
    if (end == NULL || (room == 0 && !others))
        return;   /* damage reported by zone_step, or already against its barrier */
    if (end == t && block_prev_free(t) != seen_free) {   /* the trailer's bit is rewritten too */
        mm_damage(z, t, memBCErr, "trailer's below-is-free bit disagrees with the block below");
        return;
    }
    Handle h = zone_mp_at(z, block_link(b));
    bool below_free = block_prev_free(b);
    char *start = (char *)b, *cur = start + sb;
    smap_touch(z, start, (uint64_t)((char *)end - start));
    for (mm_block *m = block_next(b); m != end;) {
        mm_block *next = block_next(m);
        uint64_t s = block_size(m);
        if (block_is_free(m)) {
            fl_remove(z, m);
        } else {
            nk_memmove(cur, m, s);
            cur += s;
        }
        m = next;
    }
    uint64_t r = (uint64_t)(cur - start) - sb;   /* the others' bytes, now right after b */
    char *dest = (char *)end - sb;
    mm_block *bt = big_remappable(z, b) ? big_hhi_target(start + sb + r, end, sb) : NULL;
    mm_block *lift = bt == NULL && big_remappable(z, b) ? big_hhi_lift(b, end, r) : NULL;
    mm_block *rot = bt == NULL && lift == NULL && big_remappable(z, b) ? big_hhi_rotate_target(b, end, r) : NULL;
    if (bt != NULL || lift != NULL || rot != NULL) {
        /* A large block goes to the highest aligned place above the
         * others, by remapping; the rest of the room stays free on both
         * sides of it (the part above less than its alignment). When the
         * room is smaller than the block (lift), its new place overlaps
         * where the others were packed, so they wait at the top of the
         * room while it moves. When the room cannot hold the others
         * either (rot), b's pages and the pages above them trade places
         * in one remap that brings the others down. */
        block_set_prev_free(b, false);   /* b's header moves; the free block below it is rebuilt */
        if (rot != NULL) {
            bt = rot;
            big_hhi_rotate(z, b, bt, r);
        } else if (lift != NULL) {
            bt = lift;
            nk_memmove((char *)end - r, start + sb, r);
            big_move(z, b, bt);
            nk_memmove(start, (char *)end - r, r);
        } else {
            big_move(z, b, bt);
            nk_memmove(start, start + sb, r);
        }
        pl_fix_masters(z, (mm_block *)start, (mm_block *)(start + r));
        if (r > 0)
            block_set_prev_free((mm_block *)start, below_free);
        block_set_prev_free(end, false);
        block_set_prev_free(bt, false);
        pl_free_span(z, (char *)bt + sb, (char *)end, false);
        pl_free_span(z, start + r, (char *)bt, r == 0 && below_free);
        /* A lift rises at most by the free room, so that the others can
         * wait above it; when the others were larger than what is left
         * above it now, one more lift (with nothing to pass) takes it up. */
        if (lift != NULL && (uint64_t)((char *)end - ((char *)bt + sb)) >= MM_PAGE + MM_MIN_BLOCK)
            pl_move_hhi(z, bt);
        return;
    }
    if (room >= sb) {
        nk_memmove(dest, start, sb);
        nk_memmove(start, start + sb, r);
    } else {
        blk_rotate(start, sb, sb + r);
        nk_memmove(dest, start + r, sb);
    }
    pl_fix_masters(z, (mm_block *)start, (mm_block *)(start + r));
    mm_block *nb = (mm_block *)dest;
    block_reseal(nb);   /* b was checked (vf_rel) before it moved */
    block_set_prev_free(nb, false);
    *h = block_data(nb);
    block_set_prev_free(end, false);
    if (r > 0)
        block_set_prev_free((mm_block *)start, below_free);
    if (room > 0) {
        mm_block *f = (mm_block *)(start + r);
        block_set_tag(f, room, MM_T_NONREL, r == 0 && below_free ? MM_TAG_PREVFREE : 0);
        f->info = 0;   /* a sane allocated header for blk_free's check */
        blk_free(z, f);
    }
}

OSErr pl_check(THz z, mm_block **where, const char **what)
{
    mm_block *f = zone_priv(z)->floor;
    if (f == NULL)
        return noErr;
    mm_block *t = zone_trailer(z), *b = zone_first(z);
    for (; b != t && b < f; b = block_next(b)) {
        if (!pl_immovable(b)) {
            *where = b;
            *what = "a free or unlocked relocatable block lies below the placement floor";
            return memBCErr;
        }
    }
    if (b != f) {
        *where = f;
        *what = "the placement floor is not a block of the zone";
        return memBCErr;
    }
    return noErr;
}

OSErr mm_check_place_low(THz z, Ptr p)
{
    if (!mm_zone_valid(z) || p == NULL || !zone_contains(z, p))
        return memAZErr;
    mm_block *want = block_from_data(p), *t = zone_trailer(z);
    uint64_t phys = mm_phys_for(block_logical(want)), room = 0, moved = 0;
    if (big_size(z, phys) && ((uintptr_t)p & (PLAT_PAGE_SIZE - 1)) == 0)
        return block_type(want) == MM_T_NONREL ? noErr : memAZErr;   /* placed by the large-block rule: no slide */
    unsigned seen = 0;
    mm_block *b = zone_first(z);
    for (; b != t && b < want; b = block_next(b), seen++) {
        if (block_is_free(b)) {
            room += block_size(b);
            if (room >= phys && seen < MM_PLACE_SPAN)
                return memBCErr;
        } else if (pl_immovable(b) || (moved += block_size(b)) > MM_PLACE_MOVE_MAX) {
            room = 0;
            moved = 0;
        }
    }
    return b == want && block_type(want) == MM_T_NONREL ? noErr : memAZErr;
}

OSErr mm_check_move_hhi(THz z, Handle h)
{
    if (!mm_zone_valid(z) || h == NULL || *h == NULL || !zone_contains(z, *h))
        return memAZErr;
    mm_block *b = handle_block(h), *n = block_next(b);
    if (n != zone_trailer(z) && block_is_free(n) && big_remappable(z, b)
        && block_size(n) < big_align(block_size(b)) + MM_MIN_BLOCK)
        n = block_next(n);   /* a large block's alignment may leave a little free space above it */
    if (n == zone_trailer(z))
        return noErr;
    return pl_immovable(n) ? noErr : memBCErr;
}

/*
 * mm_flags.c - a relocatable block's state bits (lock, purge, resource),
 * kept in its header: bits, not counters, so HLock twice and HUnlock once
 * leaves the block unlocked. An empty handle has no block and so no state:
 * those calls answer nilHandleErr. Also MoveHHi and HLockHi.
 */
#include "mm_internal.h"

#include "lib/kstring.h"

static mm_block *flags_block(const char *call, Handle h, THz *z)
{
    OSErr e = mm_lookup_handle(call, h, false, z);
    mm_set_err(e);
    return e == noErr ? handle_block(h) : NULL;
}

static void flags_update(const char *call, Handle h, unsigned set, unsigned clear)
{
    THz z;
    mm_block *b = flags_block(call, h, &z);
    if (b != NULL)
        block_set_state(b, (block_state(b) & ~clear) | set);
}

void HLock(Handle h) { flags_update("HLock", h, kHandleLockedMask, 0); }
void HUnlock(Handle h) { flags_update("HUnlock", h, 0, kHandleLockedMask); }
void HPurge(Handle h) { flags_update("HPurge", h, kHandlePurgeableMask, 0); }
void HNoPurge(Handle h) { flags_update("HNoPurge", h, 0, kHandlePurgeableMask); }
void HSetRBit(Handle h) { flags_update("HSetRBit", h, kHandleIsResourceMask, 0); }
void HClrRBit(Handle h) { flags_update("HClrRBit", h, 0, kHandleIsResourceMask); }

/* IM: on failure the result is the low byte of the result code (an empty
 * handle gives (SInt8)nilHandleErr). */
SInt8 HGetState(Handle h)
{
    THz z;
    mm_block *b = flags_block("HGetState", h, &z);
    return b ? (SInt8)block_state(b) : (SInt8)(MemError() & 0xff);
}

void HSetState(Handle h, SInt8 flags)
{
    flags_update("HSetState", h, (unsigned)(UInt8)flags & MM_STATE_MASK, MM_STATE_MASK);
}

/* The highest free block above b that can hold phys bytes, or NULL. */
static mm_block *movehhi_target(THz z, mm_block *b, uint64_t phys)
{
    mm_block *best = NULL, *t = zone_trailer(z);
    for (mm_block *m = zone_step(z, b); m != NULL && m != t; m = zone_step(z, m))
        if (block_is_free(m) && block_size(m) >= phys)
            best = m;
    return best;
}

/*
 * IM: MoveHHi moves the block as high as it can go: into the highest free
 * block above it that holds it, or, when only the free block right above
 * it exists, up against that free block's end (an overlapping move).
 */
void MoveHHi(Handle h)
{
    THz z;
    mm_block *b = flags_block("MoveHHi", h, &z);
    if (b == NULL)
        return;
    if (block_locked(b)) {
        mm_set_err(memLockedErr);
        return;
    }
    if (MM_GATE(z, "MoveHHi") != noErr)
        return;
    unsigned mark = mm_damage_mark();
    uint64_t phys = block_size(b);
    mm_block *f = vf_release(z, b) ? movehhi_target(z, b, phys) : NULL;
    if (f != NULL)
        (void)vf_free(z, f);
    if (mm_damage_since(mark) != noErr)
        return;   /* damage reported, MemError says what; nothing moved */
    if (f != NULL) {
        mm_block *n = blk_carve(z, f, phys, true);
        block_set_type(n, MM_T_REL);
        blk_move(z, b, n);
        blk_free(z, b);
        zone_note_free(z);   /* a target too small to split is taken whole */
    } else if (block_is_free(block_next(b))) {
        mm_block *f2 = block_next(b);
        uint64_t up = block_size(f2);
        fl_remove(z, f2);
        mm_block *n = (mm_block *)((char *)b + up);
        bool pf = block_prev_free(b);
        nk_memmove(n, b, phys);
        block_set_prev_free(n, false);
        block_set_prev_free(block_next(n), false);
        *h = block_data(n);
        block_set_tag(b, up, MM_T_FREE, pf ? MM_TAG_PREVFREE : 0);
        block_set_prev_free(n, true);
        blk_free(z, b);
    }
    mm_set_err(noErr);
    MM_CHECK(z, "MoveHHi");
}

/* A locked block is not moved and stays locked: memLockedErr, as MoveHHi. */
void HLockHi(Handle h)
{
    MoveHHi(h);
    OSErr e = MemError();
    if (e == noErr)
        HLock(h);
    mm_set_err(e);
}

/*
 * mm_flags.c - a relocatable block's state bits (lock, purge, resource),
 * kept in its header: bits, not counters, so HLock twice and HUnlock once
 * leaves the block unlocked. An empty handle has no block and so no state:
 * those calls answer nilHandleErr. Also MoveHHi and HLockHi. A temporary
 * handle's bits live in its page run's header (mm_temp.c); its block
 * never moves, so MoveHHi leaves it where it is.
 */
#include "mm_internal.h"

static bool flags_handle(const char *call, Handle h, THz *z)
{
    OSErr e = mm_lookup_handle(call, h, false, z);
    mm_set_err(e);
    return e == noErr;
}

static void flags_update(const char *call, Handle h, unsigned set, unsigned clear)
{
    THz z;
    if (flags_handle(call, h, &z))
        handle_set_state(z, h, (handle_state(z, h) & ~clear) | set);
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
    return flags_handle("HGetState", h, &z) ? (SInt8)handle_state(z, h) : (SInt8)(MemError() & 0xff);
}

void HSetState(Handle h, SInt8 flags)
{
    flags_update("HSetState", h, (unsigned)(UInt8)flags & MM_STATE_MASK, MM_STATE_MASK);
}

/*
 * IM: MoveHHi moves the block upward until it reaches a nonrelocatable
 * block, a locked relocatable block or the top of the heap; unlocked
 * blocks in its way slide down below it (mm_place.c).
 */
void MoveHHi(Handle h)
{
    THz z;
    if (!flags_handle("MoveHHi", h, &z))
        return;
    if (handle_state(z, h) & kHandleLockedMask) {
        mm_set_err(memLockedErr);
        return;
    }
    if (handle_is_temp(z, h))
        return;   /* a page run: nothing to move past (noErr) */
    if (MM_GATE(z, "MoveHHi") != noErr)
        return;
    mm_block *b = handle_block(h);
    unsigned mark = mm_damage_mark();
    pl_move_hhi(z, b);   /* checks what it moves before moving it */
    if (mm_damage_since(mark) != noErr)
        return;   /* damage reported, MemError says what; nothing moved */
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

/*
 * test_mm_handle.c - relocatable blocks and their master pointers:
 * NewHandle(Clear/Sys/SysClear), NewEmptyHandle(Sys), DisposeHandle,
 * Get/SetHandleSize, RecoverHandle(Sys), ReallocateHandle, EmptyHandle,
 * the state calls (HLock ... HSetState), MoveHHi, HLockHi, HandleZone,
 * MoreMasters, and every documented error.
 */
#include "mm_test_util.h"
#include "tap.h"

static char buf[128 << 10] __attribute__((aligned(16)));

int main(void)
{
    mt_catch_reports();
    tap_ok(mt_install(256 << 10, 1 << 20, 0), "zones installed");
    THz z = mt_zone(buf, sizeof buf, NULL, 4);

    bool exact = true;
    for (Size n = 0; n < 70; n++) {
        Handle h = NewHandle(n);
        exact = exact && h && *h && GetHandleSize(h) == n && MemError() == noErr && HandleZone(h) == z;
        DisposeHandle(h);
    }
    tap_ok(exact, "NewHandle/GetHandleSize: exact sizes 0..69, HandleZone right");
    Handle c = NewHandleClear(500);
    bool zero = c && *c;
    for (int i = 0; zero && i < 500; i++)
        zero = (*c)[i] == 0;
    tap_ok(zero, "NewHandleClear zero-fills");
    Handle hs = NewHandleSys(10), hsc = NewHandleSysClear(10);
    tap_ok(hs && hsc && HandleZone(hs) == SystemZone() && HandleZone(hsc) == SystemZone() && (*hsc)[9] == 0,
           "NewHandleSys/NewHandleSysClear allocate in the System zone");
    Handle e = NewEmptyHandle(), es = NewEmptyHandleSys();
    tap_ok(e && *e == NULL && HandleZone(e) == z && es && *es == NULL && HandleZone(es) == SystemZone(),
           "NewEmptyHandle(Sys): master pointer only, in the right zone");
    TAP_EQ(GetHandleSize(e), 0, "GetHandleSize of an empty handle is 0");
    TAP_EQ(MemError(), nilHandleErr, "...with nilHandleErr");
    DisposeHandle(hs);
    DisposeHandle(hsc);
    DisposeHandle(es);

    /* master pointers: more than one MoreMasters block's worth */
    Size mp0 = z->cntHandles;
    Handle many[20];
    for (int i = 0; i < 20; i++)
        many[i] = NewHandle(8);
    tap_ok(z->cntHandles > mp0, "running out of master pointers allocates another block");
    MoreMasters();
    tap_ok(MemError() == noErr && z->cntHandles >= mp0 + 8, "MoreMasters adds cMoreMasters master pointers");
    for (int i = 0; i < 20; i++)
        DisposeHandle(many[i]);
    TAP_EQ(z->cntEmpty, z->cntHandles - 2, "DisposeHandle returns each master pointer (c and e remain)");

    /* SetHandleSize */
    Handle h = NewHandle(100);
    mt_fill(*h, 100, 4);
    SetHandleSize(h, 50);
    tap_ok(MemError() == noErr && GetHandleSize(h) == 50 && mt_same(*h, 50, 4), "SetHandleSize shrinks");
    Ptr at = *h;
    Handle blocker = NewHandle(16);
    SetHandleSize(h, 60);
#if CONFIG_MM_SCRAMBLE
    /* SetHandleSize may move memory, so the scramble moves h before it grows */
    tap_ok(MemError() == noErr && GetHandleSize(h) == 60 && mt_same(*h, 50, 4), "SetHandleSize grows (scrambled)");
#else
    tap_ok(MemError() == noErr && *h == at && GetHandleSize(h) == 60, "SetHandleSize grows in place when it can");
#endif
    SetHandleSize(h, 20000);
    tap_ok(MemError() == noErr && GetHandleSize(h) == 20000 && mt_same(*h, 50, 4), "SetHandleSize grows by moving, contents kept");
    HLock(h);
    at = *h;
    Ptr fence = NewPtr(MaxBlock());   /* nothing free anywhere */
    SetHandleSize(h, 40000);
    tap_ok(MemError() == memFullErr && *h == at && GetHandleSize(h) == 20000 && mt_same(*h, 50, 4),
           "locked handle that cannot grow: memFullErr, unchanged");
    DisposePtr(fence);
    HUnlock(h);
    SetHandleSize(h, -3);
    TAP_EQ(MemError(), memFullErr, "SetHandleSize negative: memFullErr");
    SetHandleSize(e, 10);
    TAP_EQ(MemError(), nilHandleErr, "SetHandleSize on an empty handle: nilHandleErr");
    SetHandleSize(NULL, 10);
    TAP_EQ(MemError(), nilHandleErr, "SetHandleSize(NULL): nilHandleErr");
    DisposeHandle(blocker);

    /* RecoverHandle */
    tap_ok(RecoverHandle(*h) == h && MemError() == noErr, "RecoverHandle takes the master pointer value");
    Handle sh = NewHandleSys(30);
    tap_ok(RecoverHandleSys(*sh) == sh, "RecoverHandleSys finds a System-zone handle");
    mt_take_reports();
    tap_ok(RecoverHandle(*sh) == NULL && MemError() == memAZErr && mt_take_reports() == 1,
           "RecoverHandle of a block in another zone is rejected");
    tap_ok(RecoverHandle(*h + 16) == NULL && mt_take_reports() == 1, "RecoverHandle of an interior pointer is rejected");
    tap_ok(RecoverHandle(NULL) == NULL && MemError() == nilHandleErr, "RecoverHandle(NULL): nilHandleErr");
    DisposeHandle(sh);

    /* state bits */
    HLock(h);
    HLock(h);
    HUnlock(h);
    TAP_EQ(HGetState(h) & kHandleLockedMask, 0, "HLock twice, HUnlock once: unlocked (bits, not counters)");
    HPurge(h);
    TAP_EQ((UInt8)HGetState(h), 0x40, "HPurge sets 0x40");
    HSetRBit(h);
    TAP_EQ((UInt8)HGetState(h), 0x60, "HSetRBit sets 0x20");
    HLock(h);
    TAP_EQ((UInt8)HGetState(h), 0xE0, "HLock sets 0x80");
    HNoPurge(h);
    HClrRBit(h);
    TAP_EQ((UInt8)HGetState(h), 0x80, "HNoPurge/HClrRBit clear theirs");
    HSetState(h, 0x60);
    TAP_EQ((UInt8)HGetState(h), 0x60, "HSetState sets all three");
    HSetState(h, 0);
    HLock(e);
    TAP_EQ(MemError(), nilHandleErr, "HLock on an empty handle: nilHandleErr");
    TAP_EQ(HGetState(e), (SInt8)nilHandleErr, "HGetState on an empty handle is the low byte of nilHandleErr");
    HUnlock(NULL);
    TAP_EQ(MemError(), nilHandleErr, "HUnlock(NULL): nilHandleErr");

    /* MoveHHi / HLockHi */
    Handle lo = NewHandle(64);
    mt_fill(*lo, 64, 9);
    Ptr before = *lo;
    MoveHHi(lo);
    tap_ok(MemError() == noErr && *lo >= before && mt_same(*lo, 64, 9), "MoveHHi moves the block up, contents kept");
    HLockHi(lo);
    tap_ok(MemError() == noErr && (HGetState(lo) & kHandleLockedMask), "HLockHi leaves it locked");
    HLockHi(lo);
    tap_ok(MemError() == memLockedErr && (HGetState(lo) & kHandleLockedMask),
           "HLockHi on a locked handle: memLockedErr, still locked");
    MoveHHi(lo);
    TAP_EQ(MemError(), memLockedErr, "MoveHHi on a locked handle: memLockedErr");
    HUnlock(lo);

    /* EmptyHandle / ReallocateHandle */
    HLock(lo);
    EmptyHandle(lo);
    tap_ok(MemError() == memPurErr && *lo != NULL, "EmptyHandle on a locked handle: memPurErr");
    ReallocateHandle(lo, 10);
    tap_ok(MemError() == memPurErr && GetHandleSize(lo) == 64, "ReallocateHandle on a locked handle: memPurErr");
    HUnlock(lo);
    Handle *mp = (Handle *)lo;
    EmptyHandle(lo);
    tap_ok(MemError() == noErr && *lo == NULL && HandleZone(lo) == z && (Handle *)lo == mp,
           "EmptyHandle frees the block, keeps the master pointer");
    Handle other = NewHandle(10);
    tap_ok(other != lo, "an emptied handle's master pointer is not reused");
    ReallocateHandle(lo, 77);
    tap_ok(MemError() == noErr && *lo && GetHandleSize(lo) == 77 && HGetState(lo) == 0,
           "ReallocateHandle gives an empty handle a new block");
    ReallocateHandle(lo, (Size)1 << 50);
    tap_ok(MemError() == memFullErr && *lo == NULL && HandleZone(lo) == z,
           "ReallocateHandle failure leaves the handle empty (IM: the old block is released first)");
    ReallocateHandle(lo, 77);
    DisposeHandle(other);

    /* misuse */
    mt_take_reports();
    long f = FreeMem();
    DisposeHandle(lo);
    long f2 = FreeMem();
    DisposeHandle(lo);
    tap_ok(MemError() == memWZErr && mt_take_reports() == 1 && FreeMem() == f2 && f2 > f,
           "double DisposeHandle is reported (memWZErr) and changes nothing");
    HLock(lo);
    tap_ok(MemError() == memWZErr && mt_take_reports() == 1, "HLock on a disposed handle: memWZErr");
    TAP_EQ(GetHandleSize(lo), 0, "GetHandleSize on a disposed handle is 0");
    mt_take_reports();
    Ptr fake[2] __attribute__((aligned(16))) = { 0, 0 };
    DisposeHandle((Handle)fake);
    tap_ok(MemError() == memAZErr && mt_take_reports() == 1, "a handle outside every zone: memAZErr");
    Handle bad = (Handle)(*h + 32);   /* inside a block: its value leads to no block */
    memset(*h, 0, 128);
    *bad = *h + 64;
    GetHandleSize(bad);
    tap_ok(MemError() == memPCErr && mt_take_reports() == 1, "a non-master-pointer inside the zone: memPCErr");
    DisposeHandle(NULL);
    TAP_EQ(MemError(), nilHandleErr, "DisposeHandle(NULL): nilHandleErr");
    tap_ok(HandleZone(NULL) == NULL && MemError() == nilHandleErr, "HandleZone(NULL): nilHandleErr");
    tap_ok(NewHandle(-5) == NULL && MemError() == memFullErr, "NewHandle negative: memFullErr");
    tap_ok(NewHandle((Size)1 << 60) == NULL && MemError() == memFullErr, "NewHandle absurd: memFullErr");
    DisposeHandle(h);
    DisposeHandle(c);
    DisposeHandle(e);
    tap_ok(mt_ok(z) && z->cntEmpty == z->cntHandles, "heap check passes; all master pointers free");
    return tap_done();
}

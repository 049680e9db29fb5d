/*
 * test_mm_ptr.c - nonrelocatable blocks: NewPtr, NewPtrClear, NewPtrSys,
 * NewPtrSysClear, DisposePtr, GetPtrSize, SetPtrSize, PtrZone and every
 * documented error, on zones made with InitZone over plain buffers.
 */
#include "mm_test_util.h"
#include "tap.h"

int main(void)
{
    mt_catch_reports();
    tap_ok(mt_install(256 << 10, 1 << 20, 0), "zones installed");
    static char buf[64 << 10] __attribute__((aligned(16)));
    THz z = mt_zone(buf, sizeof buf, NULL, 16);
    tap_ok(z != NULL && GetZone() == z, "InitZone makes the new zone current");

    /* exact logical sizes */
    bool exact = true;
    for (Size n = 0; n < 70; n++) {
        Ptr p = NewPtr(n);
        exact = exact && p && GetPtrSize(p) == n && MemError() == noErr && PtrZone(p) == z;
        exact = exact && ((uintptr_t)p & 15) == 0;
        DisposePtr(p);
    }
    tap_ok(exact, "NewPtr/GetPtrSize: exact sizes 0..69, 16-byte aligned, PtrZone right");

    long free0 = FreeMem();
    Ptr c = NewPtrClear(1000);
    bool zero = c != NULL;
    for (int i = 0; zero && i < 1000; i++)
        zero = c[i] == 0;
    tap_ok(zero && MemError() == noErr, "NewPtrClear zero-fills");
    tap_ok(FreeMem() < free0, "FreeMem drops after NewPtr");
    DisposePtr(c);
    TAP_EQ(MemError(), noErr, "DisposePtr sets noErr");
    TAP_EQ(FreeMem(), free0, "FreeMem back exactly after DisposePtr");

    Ptr s1 = NewPtrSys(100), s2 = NewPtrSysClear(50);
    tap_ok(s1 && s2 && PtrZone(s1) == SystemZone() && PtrZone(s2) == SystemZone() && s2[49] == 0,
           "NewPtrSys/NewPtrSysClear allocate in the System zone");
    DisposePtr(s1);
    DisposePtr(s2);

    /* SetPtrSize: shrink and grow in place, never move */
    Ptr p = NewPtr(300);
    mt_fill(p, 300, 1);
    SetPtrSize(p, 10);
    tap_ok(MemError() == noErr && GetPtrSize(p) == 10 && mt_same(p, 10, 1), "SetPtrSize shrinks in place");
    SetPtrSize(p, 2000);
    tap_ok(MemError() == noErr && GetPtrSize(p) == 2000 && mt_same(p, 10, 1), "SetPtrSize grows in place into free space");
    Ptr wall = NewPtr(16);
    tap_ok((char *)wall == p + 2016, "the next NewPtr lands right above p (nonrelocatable blocks go low)");
    SetPtrSize(p, 5000);
    TAP_EQ(MemError(), memFullErr, "SetPtrSize cannot grow past a nonrelocatable block");
    TAP_EQ(GetPtrSize(p), 2000, "...and the size is unchanged");
    SetPtrSize(p, -1);
    TAP_EQ(MemError(), memFullErr, "SetPtrSize negative size is memFullErr");
    SetPtrSize(p, (Size)1 << 60);
    TAP_EQ(MemError(), memFullErr, "SetPtrSize absurd size is memFullErr");
    TAP_EQ(GetPtrSize(p), 2000, "...size unchanged");

    /* errors */
    tap_ok(NewPtr(-1) == NULL && MemError() == memFullErr, "NewPtr(-1) is NULL with memFullErr");
    tap_ok(NewPtr((Size)1 << 62) == NULL && MemError() == memFullErr, "NewPtr(2^62) is memFullErr");
    tap_ok(NewPtr(1 << 20) == NULL && MemError() == memFullErr, "NewPtr larger than the zone is memFullErr");
    mt_take_reports();
    DisposePtr(NULL);
    tap_ok(MemError() == nilHandleErr && mt_take_reports() == 0, "DisposePtr(NULL) is nilHandleErr, not misuse");
    TAP_EQ(GetPtrSize(NULL), 0, "GetPtrSize(NULL) is 0");
    TAP_EQ(MemError(), nilHandleErr, "...with nilHandleErr");
    long before = FreeMem();
    DisposePtr(wall);
    long mid = FreeMem();
    DisposePtr(wall);
    tap_ok(MemError() == memWZErr && mt_take_reports() == 1 && FreeMem() == mid && mid > before,
           "double DisposePtr is reported, memWZErr, nothing changes");
    char local[64] __attribute__((aligned(16)));
    DisposePtr(local + 16);
    tap_ok(MemError() == memAZErr && mt_take_reports() == 1, "DisposePtr of a pointer outside every zone: memAZErr");
    DisposePtr(p + 16);
    tap_ok(MemError() != noErr && mt_take_reports() == 1 && GetPtrSize(p) == 2000, "DisposePtr of an interior pointer is rejected");
    DisposePtr(p + 3);
    tap_ok(MemError() == memAZErr && mt_take_reports() == 1, "misaligned pointer rejected");
    Handle h = NewHandle(40);
    DisposePtr(*h);
    tap_ok(MemError() == memBCErr && mt_take_reports() == 1 && GetHandleSize(h) == 40, "DisposePtr of a handle's block is rejected");
    tap_ok(PtrZone(*h) == NULL && MemError() == memBCErr && mt_take_reports() == 1, "PtrZone of a relocatable block is rejected");
    DisposeHandle(h);
    tap_ok(mt_ok(z), "heap check passes");

    /* MemoryManager.h: NewPtr at or above CONFIG_MM_REMAP_MIN is page-aligned
     * (in a zone with the room), also in a zone that cannot remap. */
    SetZone(ApplicationZone());
    MaxApplZone();
    bool aligned = true;
    Ptr big[3] = { 0 };
    Ptr small = NewPtr(40);   /* so the zone's first free byte is not on a page */
    for (int i = 0; CONFIG_MM_REMAP_MIN != 0 && i < 3; i++) {
        big[i] = NewPtr((Size)CONFIG_MM_REMAP_MIN * (i + 1) + 5 * i);
        aligned = aligned && big[i] != NULL && ((uintptr_t)big[i] & 4095) == 0;
    }
    if (CONFIG_MM_REMAP_MIN == 0)
        tap_skip("CONFIG_MM_REMAP_MIN=0: no large blocks, no alignment promised");
    else
        tap_ok(aligned, "NewPtr of CONFIG_MM_REMAP_MIN bytes and more: page-aligned data (%p %p %p)", (void *)big[0],
               (void *)big[1], (void *)big[2]);
    for (int i = 0; i < 3; i++)
        DisposePtr(big[i]);
    DisposePtr(small);
    tap_ok(mt_ok(ApplicationZone()), "Application zone heap check passes");
    return tap_done();
}

/*
 * test_mm_copy.c - BlockMove(Data), HandToHand, PtrToHand, PtrToXHand,
 * HandAndHand, PtrAndHand, Munger, the temporary-memory calls
 * (TempNewHandle, TempFreeMem, TempMaxMem, TempTopMem) on a platform
 * without page runs, where they use a zone (test_mm_temp.c: page runs),
 * and MemError.
 */
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

static char buf[64 << 10] __attribute__((aligned(16)));

static bool bytes_are(Handle h, const char *s)
{
    size_t n = strlen(s);
    return GetHandleSize(h) == (Size)n && memcmp(*h, s, n) == 0;
}

int main(void)
{
    mt_catch_reports();
    tap_ok(mt_install(256 << 10, 1 << 20, 256 << 10), "zones installed with a temporary region");
    THz other = SystemZone();
    THz z = mt_zone(buf, sizeof buf, NULL, 16);

    char a[32] = "abcdefghijklmnopqrstuvwxyz";
    BlockMove(a, a + 2, 10);
    tap_ok(memcmp(a, "ababcdefghijmnop", 16) == 0 && MemError() == noErr, "BlockMove handles overlap upward");
    BlockMoveData(a + 2, a, 10);
    tap_ok(memcmp(a, "abcdefghijijmnop", 16) == 0, "BlockMoveData handles overlap downward");
    BlockMove(NULL, a, 4);
    TAP_EQ(MemError(), paramErr, "BlockMove from NULL: paramErr");
    BlockMove(a, a, 0);
    TAP_EQ(MemError(), noErr, "BlockMove of 0 bytes is fine");

    Handle h = NULL;
    TAP_EQ(PtrToHand("hello", &h, 5), noErr, "PtrToHand");
    tap_ok(h && bytes_are(h, "hello") && HandleZone(h) == z, "PtrToHand copies into a new handle in the current zone");
    TAP_EQ(PtrToHand(NULL, &h, 5), paramErr, "PtrToHand from NULL: paramErr");
    TAP_EQ(PtrToHand("x", &h, -1), memFullErr, "PtrToHand with a negative size: memFullErr");

    SetZone(other);
    Handle copy = h;
    TAP_EQ(HandToHand(&copy), noErr, "HandToHand");
    tap_ok(copy != h && bytes_are(copy, "hello") && HandleZone(copy) == z,
           "HandToHand copies into the source's zone, not the current one");
    SetZone(z);
    Handle empty = NewEmptyHandle(), e2 = empty;
    TAP_EQ(HandToHand(&e2), nilHandleErr, "HandToHand of an empty handle: nilHandleErr");
    TAP_EQ(HandToHand(NULL), paramErr, "HandToHand(NULL): paramErr");

    TAP_EQ(PtrToXHand("world!", copy, 6), noErr, "PtrToXHand");
    tap_ok(bytes_are(copy, "world!"), "PtrToXHand replaces the contents and size");
    TAP_EQ(PtrToXHand("abc", empty, 3), nilHandleErr, "PtrToXHand into an empty handle: nilHandleErr");
    tap_ok(*empty == NULL, "...and the handle stays empty");

    TAP_EQ(HandAndHand(h, copy), noErr, "HandAndHand");
    tap_ok(bytes_are(copy, "world!hello") && bytes_are(h, "hello"), "HandAndHand appends hand1 to hand2");
    TAP_EQ(HandAndHand(h, h), noErr, "HandAndHand onto itself");
    tap_ok(bytes_are(h, "hellohello"), "...doubles it");
    TAP_EQ(PtrAndHand("!!", h, 2), noErr, "PtrAndHand");
    tap_ok(bytes_are(h, "hellohello!!"), "PtrAndHand appends bytes");
    TAP_EQ(PtrAndHand("x", h, -2), paramErr, "PtrAndHand negative size: paramErr");
    TAP_EQ(PtrAndHand("x", NULL, 1), nilHandleErr, "PtrAndHand to NULL: nilHandleErr");
    HLock(h);
    Ptr fence = NewPtr(MaxBlock());
    OSErr e = PtrAndHand(buf, h, 50000);
    tap_ok(e == memFullErr && bytes_are(h, "hellohello!!"), "PtrAndHand that cannot grow: memFullErr, unchanged");
    DisposePtr(fence);
    HUnlock(h);

    /* Munger */
    PtrToXHand("the cat sat on the mat", h, 22);
    long r = Munger(h, 0, "the", 3, "a", 1);
    tap_ok(r == 1 && bytes_are(h, "a cat sat on the mat"), "Munger replaces the first match, returns the offset after it");
    r = Munger(h, 0, "the", 3, "a", 1);
    tap_ok(r == 14 && bytes_are(h, "a cat sat on a mat"), "Munger finds the next match");
    r = Munger(h, 0, "dog", 3, "x", 1);
    tap_ok(r < 0 && bytes_are(h, "a cat sat on a mat"), "Munger: no match gives a negative result");
    r = Munger(h, 0, "sat", 3, NULL, 0);
    tap_ok(r == 6 && bytes_are(h, "a cat sat on a mat"), "Munger with ptr2 NULL only searches");
    r = Munger(h, 2, NULL, 3, "dog", 3);
    tap_ok(r == 5 && bytes_are(h, "a dog sat on a mat"), "Munger with ptr1 NULL replaces len1 bytes at offset");
    r = Munger(h, 5, "", 0, " happily", 8);
    tap_ok(r == 13 && bytes_are(h, "a dog happily sat on a mat"), "Munger with len1 0 inserts");
    r = Munger(h, 0, "happily ", 8, "", 0);
    tap_ok(r == 6 && bytes_are(h, "a dog sat on a mat"), "Munger with len2 0 deletes");
    r = Munger(h, 13, NULL, -1, "rug", 3);
    tap_ok(r == 16 && bytes_are(h, "a dog sat on rug"), "Munger with len1 < 0 replaces to the end");
    r = Munger(h, 100, "a", 1, "b", 1);
    tap_ok(r < 0 && MemError() == paramErr, "Munger with an offset beyond the end: paramErr");
    r = Munger(NULL, 0, "a", 1, "b", 1);
    tap_ok(r < 0 && MemError() == nilHandleErr, "Munger(NULL): nilHandleErr");

    /* temporary memory when the platform has no page runs */
    plat_host_set_page_budget(0);
    THz tz = mm_temp_zone();
    OSErr te = 1;
    Handle t = TempNewHandle(1000, &te);
    tap_ok(t && te == noErr && HandleZone(t) == tz && tz != SystemZone() && tz != ApplicationZone(),
           "TempNewHandle allocates in the temporary zone");
    long tf = TempFreeMem();
    tap_ok(tf > 0 && tf < (256 << 10), "TempFreeMem reads the temporary zone (%ld)", tf);
    Size tg = -1;
    Size tm = TempMaxMem(&tg);
    tap_ok(tm > 0 && tm <= tf && tg == 0 && GetZone() == z, "TempMaxMem: largest block, current zone kept");
    tap_ok(TempTopMem() == tz->bkLim + 16, "TempTopMem is the end of temporary memory");
    Handle t2 = TempNewHandle(1 << 30, &te);
    tap_ok(t2 == NULL && te == memFullErr, "TempNewHandle too large: memFullErr");
    DisposeHandle(t);
    TAP_EQ(TempFreeMem(), tf + 1024, "DisposeHandle gives a temporary handle's 1024 physical bytes back");
    tap_ok(mt_install(256 << 10, 1 << 20, 0) && mm_temp_zone() == NULL, "without a temporary region...");
    t = TempNewHandle(100, &te);
    tap_ok(t && te == noErr && HandleZone(t) == SystemZone(), "...temporary handles come from the System zone");
    DisposeHandle(t);
    plat_host_set_page_budget((uint64_t)256 << 20);

    /* MemError is per call */
    NewPtr(-1);
    TAP_EQ(MemError(), memFullErr, "MemError after a failed call");
    GetZone();
    TAP_EQ(MemError(), noErr, "MemError is reset by the next call");
    (void)z;
    return tap_done();
}

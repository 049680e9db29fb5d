/*
 * test_mm_protocol.c - the grow-zone and purge-warning protocol and the
 * routines whose results Inside Macintosh: Memory pins down:
 *  - cbNeeded is the physical size needed (header included);
 *  - GZSaveHnd() is the handle being allocated or resized, whichever zone
 *    runs the procedure;
 *  - a grow-zone procedure that disposes of or empties GZSaveHnd(), and a
 *    purge-warning procedure that disposes of the handle being purged, get
 *    a defined result: no use of freed memory, no endless loop;
 *  - ReallocateHandle releases the old block first; InitApplZone makes the
 *    Application zone current; TempMaxMem compacts without purging;
 *    PurgeMem with a cbNeeded no block can have purges everything.
 * Each scenario runs on a fresh zone; alarm() turns a hang into a failure.
 */
#include <unistd.h>

#include "mm_test_util.h"
#include "tap.h"

static char zbuf[64 << 10] __attribute__((aligned(16)));
static char zbuf2[64 << 10] __attribute__((aligned(16)));

static Size   gz_need;
static Handle gz_saw;
static int    gz_calls;
static int    gz_action;   /* 0 record only, 1 dispose GZSaveHnd(), 2 empty it */

static long gz_proc(Size cbNeeded)
{
    gz_calls++;
    gz_need = cbNeeded;
    gz_saw = GZSaveHnd();
    if (gz_action == 1 && gz_saw)
        DisposeHandle(gz_saw);
    else if (gz_action == 2 && gz_saw)
        EmptyHandle(gz_saw);
    return 0;
}

/* A zone over zbuf with gz_proc, filled so that little is free. */
static THz full_zone(char *mem, size_t size, Size leave)
{
    THz z = mt_zone(mem, size, gz_proc, 16);
    Ptr fill = NewPtr(MaxBlock() - leave);
    (void)fill;
    gz_calls = 0;
    gz_need = 0;
    gz_saw = NULL;
    gz_action = 0;
    return z;
}

static int    pw_calls;
static void purge_disposer(Handle h)
{
    pw_calls++;
    DisposeHandle(h);
}

static void test_cb_needed(void)
{
    THz z = full_zone(zbuf, sizeof zbuf, 1000);
    Handle h = NewHandle(6000);
    tap_ok(h == NULL && MemError() == memFullErr && gz_calls > 0, "NewHandle(6000) in a full zone calls the grow-zone procedure");
    tap_ok(gz_need >= 6000 + 16 && gz_need % 16 == 0 && gz_need < 6000 + 64,
           "cbNeeded is the physical size (header included): %ld for 6000 bytes", (long)gz_need);
    tap_ok(gz_saw != NULL && mm_check_zone(z, "t", true) == noErr,
           "GZSaveHnd() during NewHandle is the handle being allocated");
}

static void test_gzsave_other_zone(void)
{
    THz other = mt_zone(zbuf2, sizeof zbuf2, NULL, 16);
    THz sys = full_zone(zbuf, sizeof zbuf, 2000);
    Handle hs = NewHandle(100);
    SetZone(other);
    gz_calls = 0;
    SetHandleSize(hs, 20000);
    tap_ok(MemError() == memFullErr && gz_calls > 0 && gz_saw == hs,
           "GZSaveHnd() is the handle being resized though its zone is not the current one (%p vs %p)",
           (void *)gz_saw, (void *)hs);
    tap_ok(GetZone() == other && mm_check_zone(sys, "t", true) == noErr, "current zone unchanged, heap intact");
}

static void test_gz_disposes(void)
{
    THz z = full_zone(zbuf, sizeof zbuf, 2000);
    Handle h = NewHandle(100);
    mt_fill(*h, 100, 3);
    gz_action = 1;
    mt_take_reports();
    SetHandleSize(h, 20000);
    OSErr e = MemError();
    tap_ok(e == memWZErr && gz_calls == 1 && mt_take_reports() == 1,
           "a grow-zone procedure that disposes of GZSaveHnd(): SetHandleSize refused as misuse (err %d, %d calls)",
           e, gz_calls);
    tap_ok(mm_check_zone(z, "t", true) == noErr, "...and the zone is intact");

    z = full_zone(zbuf, sizeof zbuf, 2000);
    h = NewHandle(100);
    gz_action = 2;
    SetHandleSize(h, 20000);
    e = MemError();
    tap_ok(e == nilHandleErr && *h == NULL && mt_take_reports() == 1 && mm_check_zone(z, "t", true) == noErr,
           "a grow-zone procedure that empties GZSaveHnd(): nilHandleErr, the handle stays empty (err %d)", e);

    z = full_zone(zbuf, sizeof zbuf, 2000);
    gz_action = 1;
    Handle n = NewHandle(20000);
    e = MemError();
    Handle again = NewHandle(10);
    tap_ok(n == NULL && e == memWZErr && again != NULL && mm_check_zone(z, "t", true) == noErr,
           "a grow-zone procedure that disposes of the handle NewHandle is filling: NULL, memWZErr, zone intact");
    mt_take_reports();

    z = full_zone(zbuf, sizeof zbuf, 2000);
    h = NewHandle(100);
    gz_action = 1;
    ReallocateHandle(h, 20000);
    e = MemError();
    tap_ok(e == memWZErr && mm_check_zone(z, "t", true) == noErr,
           "...and the one ReallocateHandle is filling (err %d)", e);
    mt_take_reports();
}

static void test_purge_warning_disposes(void)
{
    THz z = mt_zone(zbuf, sizeof zbuf, NULL, 16);
    z->purgeProc = purge_disposer;
    Handle hs[6];
    for (int i = 0; i < 6; i++)
        hs[i] = NewHandle(1000);
    for (int i = 0; i < 6; i++)   /* only now: MM_PURGE_ALL purges at every call that may move memory */
        HPurge(hs[i]);
    pw_calls = 0;
    alarm(10);
    Size grow = 0;
    Size m = MaxMem(&grow);
    alarm(0);
    tap_ok(pw_calls == 6 && MemError() == noErr && m > 6000, "MaxMem with a purge-warning procedure that disposes each handle ends (%d warnings)",
           pw_calls);
    tap_ok(mm_check_zone(z, "t", true) == noErr && HandleZone(hs[0]) == NULL && MemError() == memWZErr,
           "...the handles are disposed and the zone is intact");
    mt_take_reports();
    z->purgeProc = NULL;
}

static void test_realloc_releases_first(void)
{
    THz z = mt_zone(zbuf, sizeof zbuf, NULL, 16);
    Size big = MaxBlock() * 2 / 3;
    Handle h = NewHandle(big);
    ReallocateHandle(h, big);
    tap_ok(MemError() == noErr && *h != NULL && GetHandleSize(h) == big && mm_check_zone(z, "t", true) == noErr,
           "ReallocateHandle to a size that fits only once the old block is released (%ld bytes)", (long)big);
}

static void test_appl_temp_purge(void)
{
    tap_ok(mt_install(256 << 10, 1 << 20, 256 << 10), "zones installed with temporary memory");
    SetZone(SystemZone());
    InitApplZone();
    tap_ok(MemError() == noErr && GetZone() == ApplicationZone(), "InitApplZone makes the Application zone current");

    OSErr err;
    Handle t = TempNewHandle(1000, &err);
    HPurge(t);
    Size grow = -1;
    Size mx = TempMaxMem(&grow);
#if CONFIG_MM_PURGE_ALL
    (void)mx;
    tap_skip("TempMaxMem does not purge: MM_PURGE_ALL purges at every call that may move memory");
#else
    tap_ok(t != NULL && *t != NULL && mx > 0 && MemError() == noErr, "TempMaxMem compacts but does not purge");
#endif
    DisposeHandle(t);

    Handle p = NewHandle(500);
    HPurge(p);
    PurgeMem(maxSize + 1);
    tap_ok(*p == NULL && MemError() == memFullErr, "PurgeMem(cbNeeded beyond maxSize) purges everything: memFullErr");
    DisposeHandle(p);
}

int main(void)
{
    mt_catch_reports();
    test_cb_needed();
    test_gzsave_other_zone();
    test_gz_disposes();
    test_purge_warning_disposes();
    test_realloc_releases_first();
    test_appl_temp_purge();
    return tap_done();
}

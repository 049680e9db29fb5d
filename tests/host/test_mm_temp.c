/*
 * test_mm_temp.c - temporary memory from page runs (mm_temp.c): a
 * temporary handle's block lies outside every zone in pages the platform
 * gave (the host's mmap, counted against plat_host_set_page_budget), its
 * master pointer is a slot of the temporary zone (or of the System zone
 * without one), and every handle call treats it as an ordinary handle.
 * The pages come back at DisposeHandle, EmptyHandle and a shrink; TempFreeMem
 * and TempMaxMem read the platform's room; misuse gets IM's codes; a
 * damaged run header is reported, never followed; the heap check and the
 * fault handler's "which block" know page runs.
 */
#include "MemoryMgr/mm_whereis.h"
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

enum { PAGE = 4096, HDR = 64 };

static uint64_t pages_for(Size n) { return ((uint64_t)n + HDR + PAGE - 1) / PAGE * PAGE; }

static bool outside_zones(const void *p)
{
    THz zs[] = { SystemZone(), ApplicationZone(), mm_temp_zone() };
    for (unsigned i = 0; i < 3; i++)
        if (zs[i] != NULL && (const char *)p >= zs[i]->heapData && (const char *)p < zs[i]->bkLim)
            return false;
    return true;
}

static void test_page_runs(void)
{
    tap_ok(mt_install(256 << 10, 1 << 20, 64 << 10), "zones installed with a temporary zone");
    THz tz = mm_temp_zone();
    uint64_t out0 = plat_host_page_runs_out();
    long free0 = TempFreeMem();
    OSErr e = 1;
    const Size n = 100000;
    Handle t = TempNewHandle(n, &e);
    tap_ok(t != NULL && e == noErr && HandleZone(t) == tz, "TempNewHandle: a handle of the temporary zone");
    tap_ok(t && outside_zones(*t) && ((uintptr_t)*t & (PAGE - 1)) == HDR,
           "its block lies outside every zone, 64 bytes into a page run");
    TAP_EQ(plat_host_page_runs_out() - out0, pages_for(n), "the run is the pages the request needs");
    TAP_EQ(free0 - TempFreeMem(), (long)pages_for(n), "TempFreeMem drops by the run");
    TAP_EQ(GetHandleSize(t), n, "GetHandleSize");
    tap_ok(mt_ok(tz) && mt_ok(SystemZone()) && mt_ok(ApplicationZone()), "heap check passes with a live run");

    mt_fill(*t, (size_t)n, 7);
    SetHandleSize(t, 3 * n);
    tap_ok(MemError() == noErr && GetHandleSize(t) == 3 * n && mt_same(*t, (size_t)n, 7),
           "SetHandleSize grows it to a new run with its contents");
    TAP_EQ(plat_host_page_runs_out() - out0, pages_for(3 * n), "the old run went back");
    Ptr before = *t;
    SetHandleSize(t, 5000);
    tap_ok(MemError() == noErr && GetHandleSize(t) == 5000 && mt_same(*t, 5000, 7), "a shrink keeps the contents");
    tap_ok(CONFIG_MM_SCRAMBLE ? *t != before : *t == before,
           CONFIG_MM_SCRAMBLE ? "MM_SCRAMBLE: an unlocked one moves on every size change"
                              : "a shrink stays in place");
    TAP_EQ(plat_host_page_runs_out() - out0, pages_for(5000), "a shrink gives the pages past the new end back");

    HLock(t);
    tap_ok(HGetState(t) == (SInt8)kHandleLockedMask, "HLock: HGetState says locked");
    SetHandleSize(t, 1 << 20);
    tap_ok(MemError() == memFullErr && GetHandleSize(t) == 5000, "a locked one cannot grow past its pages");
    SetHandleSize(t, 6000);
    tap_ok(MemError() == noErr && GetHandleSize(t) == 6000, "... but grows within them");
    Ptr at = *t;
    MoveHHi(t);
    TAP_EQ(MemError(), memLockedErr, "MoveHHi of a locked one: memLockedErr");
    HUnlock(t);
    MoveHHi(t);
    tap_ok(MemError() == noErr && *t == at, "MoveHHi: noErr, the block stays");
    HSetState(t, (SInt8)(kHandlePurgeableMask | kHandleIsResourceMask));
    tap_ok(HGetState(t) == (SInt8)(kHandlePurgeableMask | kHandleIsResourceMask), "HSetState / HGetState");
    HNoPurge(t);
    HClrRBit(t);
    TAP_EQ(HGetState(t), 0, "HNoPurge, HClrRBit");
    TAP_EQ(RecoverHandle(*t), t, "RecoverHandle finds it");

    /* Copies to and from it. */
    Handle c = t;
    tap_ok(HandToHand(&c) == noErr && c != t && GetHandleSize(c) == 6000 && mt_same(*c, 5000, 7),
           "HandToHand copies it");
    tap_ok(HandAndHand(c, t) == noErr && GetHandleSize(t) == 12000 && mt_same(*t + 6000, 5000, 7),
           "HandAndHand appends to it");
    tap_ok(Munger(t, 0, NULL, 6000, "abc", 3) == 3 && GetHandleSize(t) == 6003 && memcmp(*t, "abc", 3) == 0,
           "Munger on it");
    DisposeHandle(c);

    char where[200];
    tap_ok(mm_whereis(*t + 10, where, sizeof where) && strstr(where, "temporary memory") && strstr(where, "offset 10"),
           "mm_whereis names the page run (%s)", where);
    tap_ok(mm_whereis(*t - 8, where, sizeof where) && strstr(where, "header of the page run"),
           "mm_whereis: the run's header");

    EmptyHandle(t);
    tap_ok(MemError() == noErr && *t == NULL && HandleZone(t) == tz, "EmptyHandle keeps the master pointer");
    TAP_EQ(plat_host_page_runs_out(), out0, "EmptyHandle gives the pages back");
    ReallocateHandle(t, 200);
    tap_ok(MemError() == noErr && *t != NULL && !outside_zones(*t), "an emptied one is reallocated in its zone");
    DisposeHandle(t);

    t = TempNewHandle(300, &e);
    ReallocateHandle(t, 9000);
    tap_ok(MemError() == noErr && *t != NULL && outside_zones(*t) && GetHandleSize(t) == 9000,
           "ReallocateHandle of a live one gives it a new run");
    TAP_EQ(plat_host_page_runs_out() - out0, pages_for(9000), "... and the old run back");
    DisposeHandle(t);
    TAP_EQ(plat_host_page_runs_out(), out0, "DisposeHandle gives the pages back at once");
    TAP_EQ(TempFreeMem(), free0, "TempFreeMem comes back");
    tap_ok(mt_ok(tz), "heap check passes after");
}

static void test_room(void)
{
    tap_ok(mt_install(256 << 10, 1 << 20, 64 << 10), "zones installed");
    plat_host_set_page_budget(1 << 20);
    Size grow = -1;
    Size mx = TempMaxMem(&grow);
    tap_ok(mx == (1 << 20) - HDR && grow == 0, "TempMaxMem: the longest run less its header (%ld), grow 0", (long)mx);
    TAP_EQ(TempFreeMem(), 1 << 20, "TempFreeMem: the platform's free page-run bytes");
    OSErr e = 1;
    Handle no = TempNewHandle(mx + 1, &e);
    tap_ok(no == NULL && e == memFullErr && MemError() == memFullErr, "one byte more than TempMaxMem: memFullErr");
    Handle all = TempNewHandle(mx, &e);
    tap_ok(all != NULL && e == noErr && TempFreeMem() == 0 && TempMaxMem(NULL) == 0, "TempMaxMem's answer fits");
    Handle t = TempNewHandle(1, &e);
    tap_ok(t == NULL && e == memFullErr, "nothing left: memFullErr");
    DisposeHandle(all);
    TAP_EQ(TempFreeMem(), 1 << 20, "all back");
    plat_host_set_page_budget((uint64_t)256 << 20);
    tap_ok(mt_ok(mm_temp_zone()), "heap check");
}

static void test_misuse(void)
{
    tap_ok(mt_install(256 << 10, 1 << 20, 0), "zones installed without a temporary zone");
    OSErr e = 1;
    Handle t = TempNewHandle(5000, &e);
    tap_ok(t != NULL && HandleZone(t) == SystemZone() && outside_zones(*t),
           "without a temporary zone the master pointer is the System zone's");
    tap_ok(mt_ok(SystemZone()), "System zone heap check passes");
    mt_take_reports();
    DisposePtr(*t);
    tap_ok(MemError() == memBCErr && mt_take_reports() == 1 && strstr(mt_last_reason, "temporary"),
           "DisposePtr of its block: reported, memBCErr");
    tap_ok(GetHandleSize(t) == 5000, "the handle is untouched");
    uint64_t out = plat_host_page_runs_out();
    DisposeHandle(t);
    TAP_EQ(MemError(), noErr, "DisposeHandle");
    DisposeHandle(t);
    tap_ok(MemError() == memWZErr && mt_take_reports() == 1, "a second DisposeHandle: reported, memWZErr");
    TAP_EQ(out - plat_host_page_runs_out(), pages_for(5000), "the pages went back once");

    /* A master pointer written over with an address inside a live run. */
    t = TempNewHandle(5000, &e);
    Ptr keep = *t;
    *t = keep + 16;
    TAP_EQ(GetHandleSize(t), 0, "a master pointer into the middle of a run ...");
    tap_ok(MemError() == memPCErr && mt_take_reports() == 1, "... is reported: memPCErr");
    tap_ok(mm_check_zone(SystemZone(), "test", false) == memPCErr, "the heap check finds it");
    *t = keep;

    /* A run header written over: reported, never followed. */
    uint64_t *hdr = (uint64_t *)(void *)(keep - HDR);
    uint64_t saved = hdr[6];
    hdr[6] ^= 0x10;   /* the chain link */
    TAP_EQ(GetHandleSize(t), 0, "a damaged run header ...");
    tap_ok(MemError() == memBCErr && mt_take_reports() >= 1, "... is reported as damage: memBCErr");
    tap_ok(mm_check_zone(SystemZone(), "test", false) == memBCErr, "the heap check finds it");
    char where[200];
    tap_ok(!mm_whereis(keep + 4, where, sizeof where), "mm_whereis does not follow it");
    hdr[6] = saved;
    tap_ok(GetHandleSize(t) == 5000 && mt_ok(SystemZone()), "restored: the handle and the zone are sound again");
    DisposeHandle(t);
    mt_take_reports();

    /* A fresh install gives every run of the old zones back. */
    for (int i = 0; i < 4; i++)
        TempNewHandle(10000, &e);
    tap_ok(plat_host_page_runs_out() > 0, "four runs out");
    tap_ok(mt_install(256 << 10, 1 << 20, 0), "reinstalled");
    TAP_EQ(plat_host_page_runs_out(), 0, "the old zones' runs went back");
    tap_ok(mt_install(256 << 10, 1 << 20, 64 << 10), "reinstalled with a temporary zone");
    Handle live = TempNewHandle(10000, &e);
    mm_forget_zone(mm_temp_zone());
    tap_ok(live != NULL && plat_host_page_runs_out() == 0 && mm_temp_zone() == NULL,
           "mm_forget_zone of the temporary zone gives its runs back");
}

/* Many live runs (several per hash chain, so runs leave from the middle
 * and ends of chains): random creates, size changes, locks, empties,
 * reallocations and disposes, each handle's contents and size against a
 * shadow, the pages out against the sum of the runs, the heap check after
 * every step. */
static void test_random(void)
{
    enum { N = 300, STEPS = 6000 };
    static Handle h[N];
    static Size size[N];
    static unsigned seed[N];
    tap_ok(mt_install(256 << 10, 1 << 20, 256 << 10), "zones installed");
    THz tz = mm_temp_zone();
    uint64_t out0 = plat_host_page_runs_out(), x = 0x9E3779B97F4A7C15ull;
    bool ok = true;
    int step = 0;
    for (; ok && step < STEPS; step++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        unsigned i = (unsigned)(x % N), op = (unsigned)(x >> 32) % 6;
        Size n = (Size)((x >> 40) % 20000);
        OSErr e;
        if (h[i] == NULL) {
            h[i] = TempNewHandle(n, &e);
            ok = h[i] != NULL && e == noErr;
            size[i] = n;
            seed[i] = (unsigned)step;
            mt_fill(*h[i], (size_t)n, seed[i]);
        } else if (op == 0) {
            DisposeHandle(h[i]);
            ok = MemError() == noErr;
            h[i] = NULL;
        } else if (op <= 2 && *h[i] != NULL) {
            bool locked = (HGetState(h[i]) & kHandleLockedMask) != 0;
            Size keep = size[i] < n ? size[i] : n;
            SetHandleSize(h[i], n);
            if (MemError() == noErr)
                size[i] = n;
            else
                ok = locked && MemError() == memFullErr;
            ok = ok && mt_same(*h[i], (size_t)(keep < size[i] ? keep : size[i]), seed[i]);
            mt_fill(*h[i], (size_t)size[i], seed[i]);
        } else if (op == 3) {
            if (HGetState(h[i]) & kHandleLockedMask)
                HUnlock(h[i]);
            else
                HLock(h[i]);
        } else if (op == 4 && *h[i] != NULL && !(HGetState(h[i]) & kHandleLockedMask)) {
            ReallocateHandle(h[i], n);
            ok = MemError() == noErr && GetHandleSize(h[i]) == n;
            size[i] = n;
            mt_fill(*h[i], (size_t)n, seed[i]);
        } else if (op == 5 && *h[i] != NULL && !(HGetState(h[i]) & kHandleLockedMask)) {
            EmptyHandle(h[i]);
            DisposeHandle(h[i]);   /* an empty handle's master pointer goes back too */
            ok = MemError() == noErr;
            h[i] = NULL;
        }
        uint64_t want = out0;
        for (unsigned k = 0; ok && k < N; k++) {
            if (h[k] == NULL)
                continue;
            ok = GetHandleSize(h[k]) == size[k] && RecoverHandle(*h[k]) == h[k] && outside_zones(*h[k]);
            want += pages_for(size[k]);
        }
        ok = ok && plat_host_page_runs_out() == want && mm_check_zone(tz, "random", false) == noErr;
    }
    tap_ok(ok, "%d random steps over %d handles: contents, sizes, pages out and heap check agree", step, N);
    for (unsigned k = 0; k < N; k++)
        if (h[k] != NULL)
            DisposeHandle(h[k]);
    TAP_EQ(plat_host_page_runs_out(), out0, "every page back");
    tap_ok(mt_ok(tz), "heap check at the end");
}

int main(void)
{
    mt_catch_reports();
    test_page_runs();
    test_room();
    test_misuse();
    test_random();
    return tap_done();
}

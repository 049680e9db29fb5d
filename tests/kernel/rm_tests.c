/*
 * rm_tests.c - the "ResourceMgr" KTAP suite, at boot on the System fork
 * GRUB loaded (registered by main.c) and on the host (tests/host/
 * test_rsrc.c registers the same fork compiled from System.r): the fork
 * opens, a WIND reads back byte for byte as Inside Macintosh lays it out,
 * every resource of every type comes back in a resource handle of its
 * size with the attributes' handle state, a purged resource is read back
 * into the same handle, SetResLoad(false), names, detach and release, and
 * closing the file gives both zones' FreeMem back exactly with clean heap
 * checks.
 */
#include "kernel_suites.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "Resources.h"
#include "lib/ktap.h"

#define KT_RM_TYPE(a, b, c, d) ((ResType)(a) << 24 | (ResType)(b) << 16 | (ResType)(c) << 8 | (ResType)(d))

enum { KT_RM_MASTERS = 64 };

static const unsigned char kt_rm_system[] = "\x06System";

/* WIND 128 of System.r: bounds, procID, visible, goAway, refCon, title, pad, positioning. */
static const unsigned char kt_rm_wind128[] = {
    0x00, 60, 0x00, 40, 0x01, 0x04, 0x01, 0x68,      /* {60, 40, 260, 360} */
    0x00, 0x08,                                      /* zoomDocProc */
    0x01, 0x00, 0x01, 0x00,                          /* visible, fill; goAway, fill */
    0x00, 0x00, 0x00, 0x00,                          /* refCon */
    0x08, 'U', 'n', 't', 'i', 't', 'l', 'e', 'd',    /* title */
    0x00,                                            /* align word */
    0x00, 0x00,                                      /* noAutoCenter */
};

static void kt_rm_reserve_masters(void)
{
    static Handle hs[KT_RM_MASTERS];
    for (int i = 0; i < KT_RM_MASTERS; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_RM_MASTERS; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

static bool kt_rm_same(Handle h, const unsigned char *want, long n)
{
    if (h == NULL || *h == NULL || GetHandleSize(h) != n)
        return false;
    for (long i = 0; i < n; i++)
        if ((unsigned char)(*h)[i] != want[i])
            return false;
    return true;
}

/* Every resource of the System fork's types: handle, size, state, home, info. */
static bool kt_rm_every_resource(short ref)
{
    static const ResType types[] = {
        KT_RM_TYPE('W', 'I', 'N', 'D'), KT_RM_TYPE('M', 'E', 'N', 'U'), KT_RM_TYPE('D', 'L', 'O', 'G'),
        KT_RM_TYPE('A', 'L', 'R', 'T'), KT_RM_TYPE('D', 'I', 'T', 'L'), KT_RM_TYPE('C', 'N', 'T', 'L'),
        KT_RM_TYPE('S', 'T', 'R', ' '), KT_RM_TYPE('S', 'T', 'R', '#') };
    static const short counts[] = { 3, 3, 2, 3, 5, 5, 2, 1 };
    bool ok = true;
    for (unsigned t = 0; t < sizeof types / sizeof types[0]; t++) {
        short n = CountResources(types[t]);
        if (n != counts[t]) {
            ktap_diag("CountResources of type %u: %d, want %d", t, n, counts[t]);
            ok = false;
        }
        for (short i = 1; i <= n; i++) {
            Handle h = GetIndResource(types[t], i);
            short id = 0;
            ResType type = 0;
            Str255 name;
            GetResInfo(h, &id, &type, name);
            short attrs = GetResAttrs(h);
            SInt8 st = h ? HGetState(h) : 0;
            bool good = h != NULL && *h != NULL && type == types[t] && GetHandleSize(h) == SizeResource(h) &&
                        (st & 0x20) && ((st & 0x40) != 0) == ((attrs & resPurgeable) != 0) &&
                        HomeResFile(h) == ref && Get1Resource(types[t], id) == h;
            if (!good) {
                ktap_diag("type %u index %d: handle, size, state 0x%02x or info wrong", t, i, (unsigned)(st & 0xFF));
                ok = false;
            }
            ReleaseResource(h);
        }
        if (GetIndResource(types[t], (short)(n + 1)) != NULL || ResError() != resNotFound)
            ok = false;
    }
    return ok;
}

/* Purged (emptied or purged by the Memory Manager), read back into the same handle. */
static bool kt_rm_purge_reload(void)
{
    Handle h = GetResource(KT_RM_TYPE('S', 'T', 'R', '#'), 128);
    if (h == NULL || !(HGetState(h) & 0x40))
        return false;
    long n = GetHandleSize(h);
    unsigned char copy[256];
    if (n > (long)sizeof copy)
        return false;
    BlockMoveData(*h, copy, n);
    EmptyHandle(h);
    bool ok = *h == NULL && GetResource(KT_RM_TYPE('S', 'T', 'R', '#'), 128) == h && kt_rm_same(h, copy, n);
    PurgeMem(maxSize); /* every purgeable block, however much room the zone has */
    ok = ok && *h == NULL;
    LoadResource(h);
    ok = ok && ResError() == noErr && kt_rm_same(h, copy, n) && (HGetState(h) & 0x60) == 0x60;
    ReleaseResource(h);
    return ok && ResError() == noErr;
}

static bool kt_rm_resload_false(void)
{
    SetResLoad(false);
    Handle h = GetResource(KT_RM_TYPE('S', 'T', 'R', ' '), 129);
    bool ok = h != NULL && *h == NULL;
    SetResLoad(true);
    LoadResource(h);
    ok = ok && ResError() == noErr && h && *h != NULL && (unsigned char)(*h)[0] == GetHandleSize(h) - 1;
    ReleaseResource(h);
    return ok;
}

static bool kt_rm_names_detach_errors(void)
{
    Handle w = GetNamedResource(KT_RM_TYPE('W', 'I', 'N', 'D'), (const unsigned char *)"\x05nOTES");
    short id = 0;
    GetResInfo(w, &id, NULL, NULL);
    bool ok = w != NULL && id == 129;
    ReleaseResource(w);
    ok = ok && GetResource(KT_RM_TYPE('W', 'I', 'N', 'D'), 999) == NULL && ResError() == resNotFound;
    ok = ok && GetNamedResource(KT_RM_TYPE('W', 'I', 'N', 'D'), (const unsigned char *)"\x04None") == NULL;
    Handle plain = NewHandle(8);
    ReleaseResource(plain);
    ok = ok && plain != NULL && ResError() == resNotFound && HomeResFile(plain) == -1 && SizeResource(plain) == -1;
    if (plain)
        DisposeHandle(plain);
    Handle s = GetResource(KT_RM_TYPE('S', 'T', 'R', ' '), 128);
    DetachResource(s);
    ok = ok && s != NULL && ResError() == noErr && HomeResFile(s) == -1 && !(HGetState(s) & 0x20);
    Handle again = GetResource(KT_RM_TYPE('S', 'T', 'R', ' '), 128);
    ok = ok && again != NULL && again != s && GetHandleSize(again) == GetHandleSize(s);
    ReleaseResource(again);
    if (s)
        DisposeHandle(s);
    UseResFile(-5);
    return ok && ResError() == resFNotFound;
}

int rm_run_tests(void)
{
    ktap_suite s;
    ktap_suite_begin(&s, "ResourceMgr", 7);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    Ptr app_end = app ? app->bkLim + 16 : NULL;
    kt_rm_reserve_masters();
    long free0 = FreeMem(), sys0 = FreeMemSys();
    short ref = OpenResFile(kt_rm_system);
    ktap_check(&s, ref > 0 && CurResFile() == ref, "system_fork_opens");
    if (ref <= 0) {
        ktap_diag("OpenResFile(System): ResError %d", ResError());
        SetZone(home);
        return ktap_suite_end(&s);
    }
    Handle w = GetResource(KT_RM_TYPE('W', 'I', 'N', 'D'), 128);
    ktap_check(&s, kt_rm_same(w, kt_rm_wind128, sizeof kt_rm_wind128) && SizeResource(w) == (long)sizeof kt_rm_wind128,
               "wind_128_reads_back_byte_for_byte");
    ReleaseResource(w);
    ktap_check(&s, kt_rm_every_resource(ref), "every_resource_in_a_resource_handle");
    ktap_check(&s, kt_rm_purge_reload(), "purged_resource_read_back_into_the_same_handle");
    ktap_check(&s, kt_rm_resload_false(), "setresload_false_then_loadresource");
    ktap_check(&s, kt_rm_names_detach_errors(), "names_detach_release_and_errors");
    CloseResFile(ref);
    bool closed = ResError() == noErr && CurResFile() == -1;
    if (app != NULL && mm_zone_shrink_to(app, app_end) != noErr)
        ktap_diag("the Application zone's growth could not be given back");
    long free1 = FreeMem(), sys1 = FreeMemSys();
    if (free1 != free0 || sys1 != sys0)
        ktap_diag("FreeMem %ld -> %ld, FreeMemSys %ld -> %ld", free0, free1, sys0, sys1);
    ktap_check(&s, closed && free1 == free0 && sys1 == sys0 && mm_check_zone(GetZone(), "ResourceMgr", true) == noErr &&
               mm_check_zone(SystemZone(), "ResourceMgr", true) == noErr,
               "close_gives_freemem_back_and_heap_checks_clean");
    SetZone(home);
    return ktap_suite_end(&s);
}

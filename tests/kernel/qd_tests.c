/*
 * qd_tests.c - the "QuickDraw" KTAP suite, at boot and on the host
 * (tests/host/test_qd_draw.c): region identities checked with EqualRgn and
 * qd_rgn_check, every reference scene rendered off-screen and compared with
 * its hash, and the Application zone's FreeMem back exactly where it was
 * with a clean heap check. Runs in the Application zone; InitGraf is called
 * only if nobody has (the standard patterns are still zero).
 */
#include "kernel_suites.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "qd_tests.h"
#include "lib/ktap.h"
#include "../../src/Toolbox/QuickDraw/qd_internal.h"

enum { KT_QD_MASTERS = 64 };

/* Master pointer blocks are never freed; make them before measuring FreeMem. */
static void kt_qd_reserve_masters(void)
{
    static Handle hs[KT_QD_MASTERS];
    for (int i = 0; i < KT_QD_MASTERS; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_QD_MASTERS; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

/* (A u B) - B == A - B, A ^ B == (A - B) u (B - A), A n B == A - (A - B),
 * on ovals and round rects at varying offsets; every result canonical. */
static bool kt_qd_identities(void)
{
    RgnHandle a = NewRgn(), b = NewRgn(), l = NewRgn(), r = NewRgn(), t = NewRgn();
    bool ok = a && b && l && r && t;
    for (int i = 0; ok && i < 24; i++) {
        Rect ra = { (short)(i * 3), (short)(i * 5 % 37), (short)(i * 3 + 20 + i % 7), (short)(i * 5 % 37 + 30) };
        Rect rb = { (short)(i * 7 % 29), (short)(i * 2), (short)(i * 7 % 29 + 25), (short)(i * 2 + 18 + i % 5) };
        OpenRgn();
        FrameOval(&ra);
        CloseRgn(a);
        OpenRgn();
        FrameRoundRect(&rb, (short)(i % 12), (short)(i % 9));
        CloseRgn(b);
        UnionRgn(a, b, l);
        DiffRgn(l, b, l);
        DiffRgn(a, b, r);
        ok = ok && EqualRgn(l, r);
        DiffRgn(b, a, t);
        UnionRgn(r, t, r);
        XorRgn(a, b, l);
        ok = ok && EqualRgn(l, r);
        DiffRgn(a, b, t);
        DiffRgn(a, t, l);
        SectRgn(a, b, r);
        ok = ok && EqualRgn(l, r) && QDError() == noErr;
        ok = ok && qd_rgn_check(l, true) == noErr && qd_rgn_check(r, true) == noErr && qd_rgn_check(t, true) == noErr;
        if (!ok)
            ktap_diag("region identity %d failed", i);
    }
    RgnHandle all[5] = { a, b, l, r, t };
    for (int i = 0; i < 5; i++)
        if (all[i])
            DisposeRgn(all[i]);
    return ok;
}

int qd_run_tests(void)
{
    ktap_suite s;
    ktap_suite_begin(&s, "QuickDraw", (int)qd_scene_count + 2);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    Ptr app_end = app ? app->bkLim + 16 : NULL;    /* growth is given back before FreeMem is compared */
    kt_qd_reserve_masters();
    if (qd.black.pat[0] != 0xFF)
        InitGraf(&qd.thePort);
    long free0 = FreeMem();
    ktap_check(&s, kt_qd_identities(), "region_identities_canonical");
    Ptr buf = NewPtrClear((Size)QD_SCENE_W * QD_SCENE_H * 4);
    BitMap bm = { buf, QD_SCENE_W * 4, { 0, 0, QD_SCENE_H, QD_SCENE_W } };
    for (unsigned i = 0; i < qd_scene_count; i++) {
        bool ok = buf != NULL && qd_scene_render(i, &bm) == noErr;
        uint64_t h = ok ? qd_bitmap_hash(&bm) : 0;
        if (ok && h != qd_scenes[i].hash)
            ktap_diag("scene %s: hash %016lx, reference %016lx", qd_scenes[i].name, (unsigned long)h,
                      (unsigned long)qd_scenes[i].hash);
        ktap_check(&s, ok && h == qd_scenes[i].hash, qd_scenes[i].name);
    }
    if (buf)
        DisposePtr(buf);
    if (app != NULL && mm_zone_shrink_to(app, app_end) != noErr)
        ktap_diag("the Application zone's growth could not be given back");
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    ktap_check(&s, free1 == free0 && mm_check_zone(GetZone(), "QuickDraw", true) == noErr,
               "freemem_back_exactly_and_heap_check");
    SetZone(home);
    return ktap_suite_end(&s);
}

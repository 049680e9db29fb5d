/*
 * wm_tests.c - the "WindowMgr" KTAP suite, at boot on the screen and on
 * the host (tests/host/test_wm.c, a 1024x768 buffer): a window opened
 * from WIND 128, drawn in and closed gives FreeMem back exactly with a
 * clean heap check and the window list as it was; the document window's
 * regions and parts; update events and BeginUpdate/EndUpdate; ordering
 * and visibility; a move redraws exactly what it uncovered; titles and
 * reference constants; activate events in Inside Macintosh's order;
 * windows opened in a small zone until memFullErr, the failed open leaving
 * nothing, closed in shuffled order, for several rounds with the purgeable
 * resources they use purged and read back; the same once in the
 * Application zone capped to a 256 KiB partition (the A/B figure); and
 * a scripted session (drag, grow, zoom, select, close through events)
 * whose screen hashes to a stored reference.
 */
#include "kernel_suites.h"
#include "kt_toolbox.h"
#include "Desktop.h"
#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "Resources.h"
#include "lib/kprintf.h"
#include "lib/ktap.h"
#include "platform.h"

#define KT_WM_TYPE(a, b, c, d) ((ResType)(a) << 24 | (ResType)(b) << 16 | (ResType)(c) << 8 | (ResType)(d))
#define KT_WIND KT_WM_TYPE('W', 'I', 'N', 'D')
#define KT_STRN KT_WM_TYPE('S', 'T', 'R', '#')

enum {
    KT_WM_MASTERS = 3584,           /* master pointers made before measuring: 7 handles per window, KT_WM_MAX windows */
    /* The stress sub-zone and its master pointers: half as large under the
     * MM's debug modes, whose check, scramble or purge on every call make
     * the fill's cost grow with the square of the windows it opens. */
    KT_WM_SUBZONE = (KT_MM_DEBUG ? 24 : 48) * 1024,
    KT_WM_SUB_MASTERS = KT_MM_DEBUG ? 640 : 1280,
    /* Rounds of the sub-zone stress: one under the MM's debug modes, where a
     * zone check, a scramble and a purge on every call make a round minutes long. */
    KT_WM_ROUNDS = KT_MM_DEBUG ? 1 : 3,
    KT_WM_PARTITION = 256 * 1024,   /* the Application zone's partition for the A/B figure */
    KT_WM_MAX = 512,
};

static WindowPtr ws_open[KT_WM_MAX];

static void kt_wm_reserve_masters(void)
{
    static Handle hs[KT_WM_MASTERS];
    for (int i = 0; i < KT_WM_MASTERS; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_WM_MASTERS; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

static unsigned kt_wm_count(void)
{
    unsigned n = 0;
    for (WindowPeek w = LMGetWindowList(); w != NULL; w = w->nextWindow)
        n++;
    return n;
}

/* Content drawing: an oval, a line, the title. */
static void kt_wm_draw(WindowPtr w)
{
    GrafPtr saved;
    GetPort(&saved);
    SetPort(w);
    HideCursor();
    Rect r = w->portRect;
    EraseRect(&r);
    InsetRect(&r, 10, 10);
    FrameOval(&r);
    MoveTo(4, 4);
    LineTo((short)(w->portRect.right - 4), (short)(w->portRect.bottom - 4));
    Str255 t;
    GetWTitle(w, t);
    MoveTo(12, 30);
    DrawString(t);
    DrawGrowIcon(w);
    ShowCursor();
    SetPort(saved);
}

/* Answer every pending update event by drawing. */
static void kt_wm_updates(void)
{
    kt_answer_updates(kt_wm_draw);
}

static bool kt_wm_open_close(void)
{
    long free0 = FreeMem();
    WindowPtr front0 = FrontWindow();
    unsigned n0 = kt_wm_count();
    WindowPtr w = GetNewWindow(128, NULL, (WindowPtr)(intptr_t)-1);
    bool ok = w != NULL && FrontWindow() == w && kt_wm_count() == n0 + 1;
    if (w) {
        kt_wm_updates();
        DisposeWindow(w);
    }
    WindowRecord rec;
    WindowPtr w2 = GetNewWindow(129, &rec, (WindowPtr)(intptr_t)-1);
    ok = ok && w2 == &rec.port;
    if (w2) {
        kt_wm_updates();
        CloseWindow(w2);
    }
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    return ok && free1 == free0 && FrontWindow() == front0 && kt_wm_count() == n0 &&
           mm_check_zone(GetZone(), "WindowMgr", true) == noErr;
}

static bool kt_wm_regions_and_parts(void)
{
    Rect b = { 60, 40, 260, 360 };
    WindowPtr w = NewWindow(NULL, &b, (const unsigned char *)"\x04Test", true, zoomDocProc,
                            (WindowPtr)(intptr_t)-1, true, 7);
    if (w == NULL)
        return false;
    WindowPeek p = (WindowPeek)(void *)w;
    Rect sb = { 41, 39, 262, 362 };
    bool ok = EqualRect(&(*p->contRgn)->rgnBBox, &b) && EqualRect(&(*p->strucRgn)->rgnBBox, &sb) &&
              !PtInRgn((Point){ .v = 41, .h = 361 }, p->strucRgn) && PtInRgn((Point){ .v = 42, .h = 361 }, p->strucRgn);
    WindowPtr hit = NULL;
    ok = ok && FindWindow((Point){ .v = 50, .h = 200 }, &hit) == inDrag && hit == w;
    ok = ok && FindWindow((Point){ .v = 50, .h = 52 }, &hit) == inGoAway;
    ok = ok && FindWindow((Point){ .v = 50, .h = 346 }, &hit) == inZoomOut;
    ok = ok && FindWindow((Point){ .v = 100, .h = 100 }, &hit) == inContent;
    ok = ok && FindWindow((Point){ .v = 255, .h = 355 }, &hit) == inGrow;
    ok = ok && FindWindow((Point){ .v = 400, .h = 600 }, &hit) == inDesk && hit == NULL;
    ok = ok && FindWindow((Point){ .v = 5, .h = 600 }, &hit) == inMenuBar;
    ok = ok && GetWRefCon(w) == 7;
    SetWRefCon(w, -99);
    ok = ok && GetWRefCon(w) == -99;
    SetWTitle(w, (const unsigned char *)"\x0bNew title!!");
    Str255 t;
    GetWTitle(w, t);
    ok = ok && t[0] == 11 && t[11] == '!' && GetHandleSize((Handle)p->titleHandle) == 12 && p->titleWidth > 40;
    DisposeWindow(w);
    return ok;
}

static bool kt_wm_update_events(void)
{
    Rect b = { 100, 100, 200, 300 };
    WindowPtr w = NewWindow(NULL, &b, (const unsigned char *)"\x01U", true, documentProc,
                            (WindowPtr)(intptr_t)-1, true, 0);
    if (w == NULL)
        return false;
    EventRecord e;
    bool ok = GetNextEvent(updateMask, &e) && e.what == updateEvt && e.message == (unsigned long)(uintptr_t)w;
    BeginUpdate(w);
    Rect vb = (*w->visRgn)->rgnBBox;
    ok = ok && vb.left == 0 && vb.top == 0 && vb.right == 200 && vb.bottom == 100;
    EndUpdate(w);
    ok = ok && !GetNextEvent(updateMask, &e);
    SetPort(w);
    Rect r = { 10, 10, 20, 20 };
    InvalRect(&r);
    ok = ok && GetNextEvent(updateMask, &e) && e.message == (unsigned long)(uintptr_t)w;
    Rect ub = (*((WindowPeek)(void *)w)->updateRgn)->rgnBBox;
    ok = ok && ub.left == 110 && ub.top == 110 && ub.right == 120 && ub.bottom == 120;
    ValidRect(&r);
    ok = ok && !GetNextEvent(updateMask, &e);
    DisposeWindow(w);
    return ok;
}

static bool kt_wm_order(void)
{
    Rect ra = { 100, 100, 300, 400 }, rb = { 150, 200, 350, 500 };
    WindowPtr a = NewWindow(NULL, &ra, (const unsigned char *)"\x01" "A", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    WindowPtr b = NewWindow(NULL, &rb, (const unsigned char *)"\x01" "B", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    if (!a || !b) {
        if (a) DisposeWindow(a);
        if (b) DisposeWindow(b);
        return false;
    }
    kt_wm_updates();
    WindowPeek pa = (WindowPeek)(void *)a, pb = (WindowPeek)(void *)b;
    Point under = { .v = 200 - 100, .h = 250 - 100 };   /* A-local point under B */
    bool ok = FrontWindow() == b && pb->hilited && !pa->hilited && !PtInRgn(under, a->visRgn);
    SelectWindow(a);
    ok = ok && FrontWindow() == a && pa->hilited && !pb->hilited && PtInRgn(under, a->visRgn);
    EventRecord e;
    ok = ok && GetNextEvent(updateMask, &e) && e.message == (unsigned long)(uintptr_t)a;
    kt_wm_updates();
    SendBehind(a, NULL);
    ok = ok && FrontWindow() == b && pb->hilited && !PtInRgn(under, a->visRgn);
    kt_wm_updates();
    HideWindow(b);
    ok = ok && FrontWindow() == a && pa->hilited && EmptyRgn(b->visRgn) && PtInRgn(under, a->visRgn);
    kt_wm_updates();
    ShowWindow(b);
    ok = ok && !EmptyRgn(b->visRgn);
    kt_wm_updates();
    DisposeWindow(b);
    DisposeWindow(a);
    return ok;
}

/* The next event is an activate event for w, activeFlag as active says. */
static bool kt_wm_next_activate(WindowPtr w, bool active)
{
    EventRecord e;
    if (!GetNextEvent(everyEvent, &e) || e.what != activateEvt) {
        ktap_diag("expected an activate event (active %d), got event %d", active, e.what);
        return false;
    }
    if (e.message != (unsigned long)(uintptr_t)w || ((e.modifiers & activeFlag) != 0) != active) {
        ktap_diag("activate event for the wrong window or with activeFlag %d", e.modifiers & activeFlag);
        return false;
    }
    return true;
}

static bool kt_wm_no_activate(void)
{
    EventRecord e;
    if (EventAvail(activMask, &e)) {
        ktap_diag("an activate event (active %d) not expected", e.modifiers & activeFlag);
        return false;
    }
    return true;
}

/*
 * Activate events as Inside Macintosh describes them: for every change of
 * the active window, the deactivate event first, then the activate event,
 * ahead of any queued event; none for a window closed or for changes made
 * and undone before the application looked.
 */
static bool kt_wm_activate_events(void)
{
    EventRecord e;
    while (GetNextEvent(activMask, &e))
        ;
    FlushEvents(everyEvent, 0);
    Rect ra = { 100, 100, 300, 400 }, rb = { 150, 200, 350, 500 };
    WindowPtr a = NewWindow(NULL, &ra, (const unsigned char *)"\x01" "A", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    bool ok = a != NULL && kt_wm_next_activate(a, true) && kt_wm_no_activate();
    WindowPtr b = NewWindow(NULL, &rb, (const unsigned char *)"\x01" "B", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    ok = ok && b != NULL;
    if (!ok) {
        if (a) DisposeWindow(a);
        if (b) DisposeWindow(b);
        return false;
    }
    PostEvent(keyDown, 'x');                       /* activate events come before it */
    ok = ok && kt_wm_next_activate(a, false) && kt_wm_next_activate(b, true);
    ok = ok && GetNextEvent(keyDownMask, &e) && (e.message & charCodeMask) == 'x';
    SelectWindow(a);
    ok = ok && EventAvail(activMask, &e) && e.message == (unsigned long)(uintptr_t)b;   /* seen, left */
    ok = ok && kt_wm_next_activate(b, false) && kt_wm_next_activate(a, true) && kt_wm_no_activate();
    HideWindow(a);
    ok = ok && kt_wm_next_activate(a, false) && kt_wm_next_activate(b, true);
    ShowWindow(a);
    ok = ok && kt_wm_next_activate(b, false) && kt_wm_next_activate(a, true);
    SendBehind(a, NULL);
    ok = ok && kt_wm_next_activate(a, false) && kt_wm_next_activate(b, true);
    SelectWindow(a);
    SelectWindow(b);                               /* undone unseen: nothing to hear */
    ok = ok && kt_wm_no_activate();
    CloseWindow(b);                                /* the closed window gets no event */
    ok = ok && kt_wm_next_activate(a, true) && kt_wm_no_activate();
    DisposePtr((Ptr)(void *)b);
    kt_wm_updates();
    DisposeWindow(a);
    ok = ok && kt_wm_no_activate() && FrontWindow() == NULL;
    kt_wm_updates();
    return ok;
}

static UInt32 kt_wm_px(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return *((const UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left));
}

/*
 * A moves off part of B: every pixel outside A's old and new structure is
 * untouched, A's content is carried (no update for it), and B's update
 * region is exactly the part of its content A uncovered.
 */
static bool kt_wm_drag_exact(void)
{
    enum { X0 = 100, Y0 = 100, X1 = 700, Y1 = 560 };
    Rect ra = { 200, 200, 350, 420 }, rb = { 150, 300, 450, 600 };
    WindowPtr b = NewWindow(NULL, &rb, (const unsigned char *)"\x01" "B", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    WindowPtr a = NewWindow(NULL, &ra, (const unsigned char *)"\x01" "A", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    Ptr snap = NewPtr((Size)(X1 - X0) * (Y1 - Y0) * 4);
    RgnHandle touched = NewRgn(), expect = NewRgn();
    bool ok = a && b && snap && touched && expect;
    if (ok) {
        kt_wm_updates();
        HideCursor();
        UInt32 *s = (UInt32 *)(void *)snap;
        for (short v = Y0; v < Y1; v++)
            for (short h = X0; h < X1; h++)
                s[(v - Y0) * (X1 - X0) + (h - X0)] = kt_wm_px(h, v);
        WindowPeek pa = (WindowPeek)(void *)a, pb = (WindowPeek)(void *)b;
        CopyRgn(pa->strucRgn, touched);
        DiffRgn(pa->strucRgn, pa->contRgn, expect);
        CopyRgn(pa->strucRgn, expect);
        SectRgn(expect, pb->contRgn, expect);                /* B's content under A before */
        MoveWindow(a, 120, 300, false);
        UnionRgn(touched, pa->strucRgn, touched);
        DiffRgn(expect, pa->strucRgn, expect);               /* ... and no longer under A */
        int outside = 0;
        for (short v = Y0; v < Y1; v++)
            for (short h = X0; h < X1; h++)
                if (s[(v - Y0) * (X1 - X0) + (h - X0)] != kt_wm_px(h, v) &&   /* the region only for a changed pixel */
                    !PtInRgn((Point){ .v = v, .h = h }, touched))
                    outside++;
        bool carried = EmptyRgn(pa->updateRgn);
        bool exact = EqualRgn(pb->updateRgn, expect);
        ShowCursor();
        if (outside || !carried || !exact)
            ktap_diag("drag: %d pixels changed outside, A carried %d, B's update exact %d", outside, carried, exact);
        ok = outside == 0 && carried && exact;
        kt_wm_updates();
    }
    if (snap) DisposePtr(snap);
    if (touched) DisposeRgn(touched);
    if (expect) DisposeRgn(expect);
    if (a) DisposeWindow(a);
    if (b) DisposeWindow(b);
    return ok;
}

/* ---- the gray outline of DragWindow and GrowWindow ---- */

enum { KT_OL_X0 = 100, KT_OL_Y0 = 100, KT_OL_X1 = 700, KT_OL_Y1 = 560, KT_OL_SAMPLES = 12 };

static struct {
    const UInt32 *snap;
    int passes;
    long most_changed;
} kt_ol;

static long kt_wm_changed(const UInt32 *snap, RgnHandle outside)
{
    long n = 0;
    for (short v = KT_OL_Y0; v < KT_OL_Y1; v++)
        for (short h = KT_OL_X0; h < KT_OL_X1; h++)
            if (snap[(v - KT_OL_Y0) * (KT_OL_X1 - KT_OL_X0) + (h - KT_OL_X0)] != kt_wm_px(h, v) &&
                (outside == NULL || !PtInRgn((Point){ .v = v, .h = h }, outside)))
                n++;
    return n;
}

/* DragHook: how much of the screen differs from before the drag, mid-drag. */
static long kt_wm_drag_hook(void)
{
    if (kt_ol.passes++ < KT_OL_SAMPLES) {
        long n = kt_wm_changed(kt_ol.snap, NULL);
        if (n > kt_ol.most_changed)
            kt_ol.most_changed = n;
    }
    return 0;
}

/*
 * A drag (grow: a resize) through the script with the cursor hidden: while
 * the button is down, DragHook sees the gray outline on the screen (a few
 * hundred pixels changed: half the pixels of a ~800-pixel frame, the gray
 * pattern); once it is up, no pixel has changed outside the window's old
 * and new structure (the outline is erased).
 */
static bool kt_wm_outline(bool grow)
{
    Rect ra = { 200, 200, 350, 420 };
    WindowPtr a = NewWindow(NULL, &ra, (const unsigned char *)"\x01" "A", true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    Ptr snap = NewPtr((Size)(KT_OL_X1 - KT_OL_X0) * (KT_OL_Y1 - KT_OL_Y0) * 4);
    RgnHandle touched = NewRgn();
    bool ok = a && snap && touched;
    if (ok) {
        const ev_step steps[] = {
            { .op = evStepMove, .where = grow ? (Point){ .v = 345, .h = 415 } : (Point){ .v = 190, .h = 300 } },
            { .op = evStepDown },
            { .op = evStepMove, .where = grow ? (Point){ .v = 400, .h = 500 } : (Point){ .v = 250, .h = 380 }, .ticks = 6 },
            { .op = evStepPause, .ticks = 4 },
            { .op = evStepUp },
            { .op = evStepEnd },
        };
        kt_wm_updates();
        FlushEvents(everyEvent, 0);
        HideCursor();
        UInt32 *sp = (UInt32 *)(void *)snap;
        for (short v = KT_OL_Y0; v < KT_OL_Y1; v++)
            for (short h = KT_OL_X0; h < KT_OL_X1; h++)
                sp[(v - KT_OL_Y0) * (KT_OL_X1 - KT_OL_X0) + (h - KT_OL_X0)] = kt_wm_px(h, v);
        kt_ol.snap = sp;
        kt_ol.passes = 0;
        kt_ol.most_changed = 0;
        WindowPeek pa = (WindowPeek)(void *)a;
        CopyRgn(pa->strucRgn, touched);
        UniversalProcPtr hook0 = LMGetDragHook();
        LMSetDragHook(kt_wm_drag_hook);
        ok = ev_script_start(steps, sizeof steps / sizeof steps[0]) == noErr;
        UInt32 start = TickCount();
        bool tracked = false;
        EventRecord e;
        while (ok && !tracked) {
            if (GetNextEvent(mDownMask, &e)) {
                Rect bounds = qd.screenBits.bounds, sizes = { 64, 64, 2000, 2000 };
                if (grow) {
                    long sz = GrowWindow(a, e.where, &sizes);
                    ok = sz != 0;
                    if (sz)
                        SizeWindow(a, (short)(sz & 0xFFFF), (short)(sz >> 16), true);
                } else {
                    DragWindow(a, e.where, &bounds);
                }
                tracked = true;
            } else if (TickCount() - start > 600) {
                ktap_diag("the outline script did not finish");
                ok = false;
            } else {
                plat_idle();
            }
        }
        LMSetDragHook(hook0);
        while (ev_script_running() && TickCount() - start < 600)
            plat_idle();
        UnionRgn(touched, pa->strucRgn, touched);
        long after = kt_wm_changed(sp, touched);
        Rect c = (*pa->contRgn)->rgnBBox;
        bool moved = grow ? c.right == 505 && c.bottom == 405 : c.left == 280 && c.top == 260;
        if (kt_ol.most_changed < 200 || after != 0 || !moved)
            ktap_diag("%s: %d passes, at most %ld pixels changed mid-track, %ld outside after, window %d,%d-%d,%d",
                      grow ? "grow" : "drag", kt_ol.passes, kt_ol.most_changed, after, c.left, c.top, c.right, c.bottom);
        ok = ok && kt_ol.passes > 0 && kt_ol.most_changed >= 200 && after == 0 && moved;
        ShowCursor();
        kt_wm_updates();
    }
    if (snap) DisposePtr(snap);
    if (touched) DisposeRgn(touched);
    if (a) DisposeWindow(a);
    kt_wm_updates();
    return ok;
}

static UInt32 kt_wm_rand(UInt32 *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* One window as the stress test opens it: WIND 128, a title from STR# 128,
 * content drawn; moved to one of 108 places (or left where WIND 128 puts it
 * when stack: hundreds of windows then cost one stack's regions to redraw). */
static WindowPtr kt_wm_stress_open(int i, Handle strs, bool stack)
{
    WindowPtr w = GetNewWindow(128, NULL, (WindowPtr)(intptr_t)-1);
    if (w == NULL)
        return NULL;
    if (!stack)
        MoveWindow(w, (short)(40 + (i % 12) * 24), (short)(60 + (i % 9) * 20), false);
    LoadResource(strs);
    if (ResError() == noErr && *strs != NULL) {
        unsigned char *p = (unsigned char *)*strs;
        int count = p[0] << 8 | p[1], k = i % count;
        p += 2;
        while (k-- > 0)
            p += 1 + p[0];
        Str255 t;
        BlockMoveData(p, t, 1 + p[0]);
        SetWTitle(w, t);
    }
    kt_wm_updates();
    return w;
}

/*
 * Open windows in the current zone until the first memFullErr: the failed
 * open must leave nothing (FreeMem, window list and front window as before,
 * a clean heap check); then close them all in shuffled order. The number
 * opened goes to *opened.
 */
static bool kt_wm_fill(Handle strs, UInt32 *seed, int *opened, bool stack, const char *what)
{
    int n = 0;
    bool ok = true;
    for (;;) {
        if (n == KT_WM_MAX) {
            ktap_diag("%s: no memFullErr after %d windows", what, n);
            ok = false;
            break;
        }
        /* The purgeable STR# is held across the open so FreeMem is exact. */
        bool held = strs && *strs;
        if (held)
            HNoPurge(strs);
        long before = FreeMem();
        unsigned count = kt_wm_count();
        WindowPtr front = FrontWindow();
        WindowPtr w = kt_wm_stress_open(n, strs, stack);
        if (w == NULL) {
            OSErr e = wm_error();
            bool clean = e == memFullErr && FreeMem() == before && kt_wm_count() == count &&
                         FrontWindow() == front && mm_check_zone(GetZone(), what, true) == noErr;
            if (!clean)
                ktap_diag("%s: the failed open (error %d) left FreeMem %ld -> %ld", what, e, before, FreeMem());
            ok = clean;
            if (held)
                HPurge(strs);
            break;
        }
        if (held || (strs && *strs))
            HPurge(strs);
        ws_open[n++] = w;
    }
    *opened = n;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)(kt_wm_rand(seed) % (UInt32)(i + 1));
        WindowPtr t = ws_open[i];
        ws_open[i] = ws_open[j];
        ws_open[j] = t;
    }
    for (int i = 0; i < n; i++) {
        DisposeWindow(ws_open[i]);
        if (i % 8 == 0)
            kt_wm_updates();
    }
    kt_wm_updates();
    return ok && n > 0 && kt_wm_count() == 0;
}

static bool kt_wm_stress(void)
{
    Ptr block;
    THz home, sub = kt_subzone_open(KT_WM_SUBZONE, &block, &home);
    if (sub == NULL)
        return false;
    static Handle masters[KT_WM_SUB_MASTERS];  /* the zone's master pointers, made before measuring */
    for (int i = 0; i < KT_WM_SUB_MASTERS; i++)
        masters[i] = NewEmptyHandle();
    for (int i = 0; i < KT_WM_SUB_MASTERS; i++)
        if (masters[i])
            DisposeHandle(masters[i]);
    long free0 = FreeMem();
    UInt32 seed = 0x5eed;
    bool ok = true;
    for (int round = 0; ok && round < KT_WM_ROUNDS; round++) {
        Handle strs = GetResource(KT_STRN, 128);
        int n = 0;
        ok = kt_wm_fill(strs, &seed, &n, false, "WindowMgr stress");
        ktap_diag("stress round %d: %d windows open in a %d KiB zone at memFullErr", round, n, KT_WM_SUBZONE / 1024);
        PurgeMem(KT_WM_SUBZONE);
        CompactMem(KT_WM_SUBZONE);
        Handle again = GetResource(KT_STRN, 128);      /* purged and read back in place */
        ok = ok && again == strs && again && *again != NULL;
    }
    ReleaseResource(GetResource(KT_STRN, 128));
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("stress zone FreeMem %ld -> %ld", free0, free1);
    ok = ok && free1 == free0 && mm_check_zone(sub, "WindowMgr stress", true) == noErr;
    kt_subzone_close(block, home);
    return ok;
}

/*
 * The A/B figure: windows open at the first memFullErr in the Application
 * zone itself. Its limit is lowered (SetApplLimit) to a partition of
 * KT_WM_PARTITION bytes from its start, the size a Classic user gives an
 * application in its Get Info window, or to the zone's own limit when that
 * is lower; it grows on demand up to there as windows open. The limit is
 * put back afterwards and the suite gives the growth back.
 */
static bool kt_wm_app_fill(int *opened)
{
    THz app = ApplicationZone();
    *opened = 0;
    if (app == NULL || GetZone() != app)
        return false;
    Ptr limit0 = GetApplLimit(), end0 = app->bkLim + 16, part = (Ptr)app->heapData + KT_WM_PARTITION;
    long free0 = FreeMem();
    if (part > limit0)
        part = limit0;
    if (part < end0 && mm_zone_shrink_to(app, part) != noErr) {
        ktap_diag("Application zone: blocks in use above the partition; not measured");
        return false;
    }
    SetApplLimit(part);
    UInt32 seed = 0xab;
    bool ok = kt_wm_fill(GetResource(KT_STRN, 128), &seed, opened, true, "WindowMgr Application zone");
    ReleaseResource(GetResource(KT_STRN, 128));
    Ptr end1 = app->bkLim + 16;
    if (end1 > end0 && mm_zone_shrink_to(app, end0) != noErr)
        ktap_diag("Application zone: the growth could not be given back");
    SetApplLimit(end0);
    MaxApplZone();                           /* back out to where it ended */
    SetApplLimit(limit0);
    long free1 = FreeMem();
    if (free1 != free0 || app->bkLim + 16 != end0)
        ktap_diag("Application zone FreeMem %ld -> %ld, end moved by %ld", free0, free1, (long)(app->bkLim + 16 - end0));
    kprintf("AB wm_windows_at_memfull=%d wm_partition_kib=%ld\n", *opened, (long)(part - (Ptr)app->heapData) / 1024);
    return ok && free1 == free0 && app->bkLim + 16 == end0 && mm_check_zone(app, "WindowMgr Application zone", true) == noErr;
}

/* The scripted session: drag, select, grow, zoom out and back, hide and
 * show (keys h and s), close; every frame after an event goes into the hash. */
static const ev_step kt_wm_script[] = {
    { .op = evStepMove, .where = { .v = 50, .h = 200 }, .ticks = 4 },      /* Document's title bar */
    { .op = evStepDown },
    { .op = evStepMove, .where = { .v = 90, .h = 260 }, .ticks = 6 },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 330, .h = 500 }, .ticks = 4 },     /* Notes' content: select */
    { .op = evStepDown },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 355, .h = 555 }, .ticks = 4 },     /* Notes' grow box */
    { .op = evStepDown },
    { .op = evStepMove, .where = { .v = 420, .h = 640 }, .ticks = 6 },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 110, .h = 632 }, .ticks = 4 },     /* Notes' zoom box */
    { .op = evStepDown },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 31, .h = 1008 }, .ticks = 4 },     /* zoomed: its zoom box again */
    { .op = evStepDown },
    { .op = evStepUp },
    { .op = evStepKey, .keyCode = 0x04 },                                   /* h: hide the front window */
    { .op = evStepKey, .keyCode = 0x01 },                                   /* s: show the hidden ones */
    { .op = evStepMove, .where = { .v = 110, .h = 232 }, .ticks = 4 },     /* Notes' close box */
    { .op = evStepDown },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 400, .h = 700 }, .ticks = 4 },
    { .op = evStepPause, .ticks = 2 },
    { .op = evStepEnd },
};

static bool kt_wm_listed(WindowPtr w)
{
    for (WindowPeek p = LMGetWindowList(); p != NULL; p = p->nextWindow)
        if (&p->port == w)
            return true;
    return false;
}

static void kt_wm_handle(const EventRecord *e)
{
    if (e->what == updateEvt) {
        WindowPtr w = (WindowPtr)(uintptr_t)e->message;
        BeginUpdate(w);
        kt_wm_draw(w);
        EndUpdate(w);
        return;
    }
    if (e->what == keyDown) {
        char c = (char)(e->message & charCodeMask);
        if (c == 'h' && FrontWindow())
            HideWindow(FrontWindow());
        if (c == 's')
            for (WindowPeek p = LMGetWindowList(); p != NULL; p = p->nextWindow)
                if (!p->visible)
                    ShowWindow(&p->port);
        return;
    }
    if (e->what != mouseDown)
        return;
    WindowPtr w;
    short part = FindWindow(e->where, &w);
    Rect drag = qd.screenBits.bounds, sizes = { 64, 64, 2000, 2000 };
    switch (part) {
    case inDrag:
        DragWindow(w, e->where, &drag);
        break;
    case inGrow: {
        long s = GrowWindow(w, e->where, &sizes);
        if (s)
            SizeWindow(w, (short)(s & 0xFFFF), (short)(s >> 16), true);
        break;
    }
    case inGoAway:
        if (TrackGoAway(w, e->where))
            DisposeWindow(w);
        break;
    case inZoomIn:
    case inZoomOut:
        if (TrackBox(w, e->where, part))
            ZoomWindow(w, part, true);
        break;
    case inContent:
        if (w != FrontWindow())
            SelectWindow(w);
        break;
    default:
        break;
    }
}

/* FNV-1a of the screen's top-left 800x600 pixels, continuing h. */
static UInt32 kt_wm_hash(UInt32 h)
{
    const Rect *b = &qd.screenBits.bounds;
    short right = b->right < 800 ? b->right : 800, bottom = b->bottom < 600 ? b->bottom : 600;
    HideCursor();
    for (short v = b->top; v < bottom; v++)
        for (short x = b->left; x < right; x++) {
            h ^= kt_wm_px(x, v);
            h *= 16777619u;
        }
    ShowCursor();
    return h;
}


/* The reference hash of the scripted session's frames (each 800x600 of a 1024x768 screen). */
static const UInt32 kt_wm_script_hash = 0x0ba29a8fu;

static bool kt_wm_scripted(UInt32 *hash)
{
    WindowPtr d = GetNewWindow(128, NULL, (WindowPtr)(intptr_t)-1);
    WindowPtr n = GetNewWindow(129, NULL, (WindowPtr)(intptr_t)-1);
    bool ok = d && n;
    UInt32 h = 2166136261u;
    int frames = 0;
    if (ok) {
        kt_wm_updates();
        h = kt_wm_hash(h);
        ok = ev_script_start(kt_wm_script, sizeof kt_wm_script / sizeof kt_wm_script[0]) == noErr;
        UInt32 start = TickCount();
        EventRecord e;
        while (ok) {
            bool running = ev_script_running();
            while (GetNextEvent(everyEvent, &e)) {
                kt_wm_handle(&e);
                if (e.what == mouseDown || e.what == keyDown) {
                    kt_wm_updates();
                    h = kt_wm_hash(h);
                    frames++;
                }
            }
            if (!running)
                break;
            if (TickCount() - start > 900) {
                ktap_diag("the window script did not finish");
                ok = false;
                break;
            }
            plat_idle();
        }
        if (ok && (frames != 8 || FrontWindow() != d || kt_wm_listed(n))) {
            ktap_diag("scripted session: %d frames, Document front %d, Notes closed %d", frames,
                      FrontWindow() == d, !kt_wm_listed(n));
            ok = false;
        }
    }
    *hash = h;
    if (d && kt_wm_listed(d))
        DisposeWindow(d);
    if (n && kt_wm_listed(n))
        DisposeWindow(n);
    return ok;
}

/* The A/B table's Toolbox figure: cycles per GetNewWindow + update drawing + DisposeWindow. */
static bool kt_wm_bench(void)
{
    enum { N = 16 };
    uint64_t t0 = plat_cycles();
    for (int i = 0; i < N; i++) {
        WindowPtr w = GetNewWindow(128, NULL, (WindowPtr)(intptr_t)-1);
        if (w == NULL)
            return false;
        kt_wm_updates();
        DisposeWindow(w);
    }
    uint64_t per = (plat_cycles() - t0) / N;
    kprintf("AB wm_window_cycles=%lu\n", (unsigned long)per);
    return per > 0;
}

/* What a Window Manager suite sets up and must leave as it found: the
 * Application zone current, master pointers made before FreeMem is read,
 * the System file open and the Window Manager initialised. */
typedef struct kt_wm_env {
    THz   home, app;
    Ptr   app_end;
    long  free0;
    short ref;
} kt_wm_env;

static void kt_wm_begin(kt_wm_env *e)
{
    e->home = GetZone();
    e->app = ApplicationZone();
    if (e->app != NULL)
        SetZone(e->app);
    e->app_end = e->app ? e->app->bkLim + 16 : NULL;
    kt_wm_reserve_masters();
    e->free0 = FreeMem();
    e->ref = OpenResFile((const unsigned char *)"\x06System");
    InitWindows();
}

/* Close the System file, give the zone's growth back and check it is as it was. */
static void kt_wm_end(ktap_suite *s, kt_wm_env *e, const char *suite)
{
    if (e->ref > 0)
        CloseResFile(e->ref);
    if (e->app != NULL && mm_zone_shrink_to(e->app, e->app_end) != noErr)
        ktap_diag("the Application zone's growth could not be given back");
    long free1 = FreeMem();
    if (free1 != e->free0)
        ktap_diag("FreeMem %ld -> %ld", e->free0, free1);
    ktap_check(s, free1 == e->free0 && mm_check_zone(GetZone(), suite, true) == noErr,
               "application_zone_back_exactly_and_heap_check");
    SetZone(e->home);
}

int wm_run_tests(void)
{
    ktap_suite s;
    kt_wm_env e;
    ktap_suite_begin(&s, "WindowMgr", 12);
    kt_wm_begin(&e);
    ktap_check(&s, e.ref > 0 && FrontWindow() == NULL, "initwindows_and_system_file");
    ktap_check(&s, kt_wm_open_close(), "open_close_regression_freemem_exact");
    ktap_check(&s, kt_wm_regions_and_parts(), "document_window_regions_parts_title_refcon");
    ktap_check(&s, kt_wm_update_events(), "update_events_begin_end_inval_valid");
    ktap_check(&s, kt_wm_order(), "select_sendbehind_hide_show_visregions");
    ktap_check(&s, kt_wm_activate_events(), "activate_events_deactivate_first_activeflag");
    ktap_check(&s, kt_wm_drag_exact(), "move_redraws_exactly_the_uncovered_area");
    ktap_check(&s, kt_wm_outline(false), "dragwindow_gray_outline_shown_then_erased");
    ktap_check(&s, kt_wm_outline(true), "growwindow_gray_outline_shown_then_erased");
    UInt32 h = 0;
    bool scripted = kt_wm_scripted(&h);
    if (h != kt_wm_script_hash)
        ktap_diag("scripted session: hash %08lx, reference %08lx", (unsigned long)h, (unsigned long)kt_wm_script_hash);
    ktap_check(&s, scripted && h == kt_wm_script_hash, "scripted_session_frame_hash");
    ktap_check(&s, kt_wm_bench(), "window_open_draw_close_cycles");
    kt_wm_end(&s, &e, "WindowMgr");
    return ktap_suite_end(&s);
}

/* The fills to memFullErr, a suite of their own: with hundreds of windows
 * open they cost more than the rest of the Window Manager's tests together,
 * so make test runs them on each backend's own boots and leaves them out of
 * the variant boots (KT_SUITES="-wm_memfull"). */
int wm_memfull_run_tests(void)
{
    ktap_suite s;
    kt_wm_env e;
    ktap_suite_begin(&s, "wm_memfull", 3);
    kt_wm_begin(&e);
    int app_n = 0;
    /* Hundreds of windows cost minutes under a debug mode, which checks,
     * scrambles or purges on every call; the debug modes run the sub-zone
     * stress, and the A/B figure comes from the builds the table measures. */
    if (KT_MM_DEBUG)
        ktap_skip(&s, "application_zone_windows_until_memfullerr", "the A/B figure is measured without the MM debug modes");
    else
        ktap_check(&s, kt_wm_app_fill(&app_n), "application_zone_windows_until_memfullerr");
    ktap_check(&s, e.ref > 0 && kt_wm_stress(), "stress_until_memfullerr_rounds_zone_back");
    kt_wm_end(&s, &e, "wm_memfull");
    return ktap_suite_end(&s);
}

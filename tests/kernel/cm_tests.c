/*
 * cm_tests.c - the "ControlMgr" KTAP suite, at boot on the screen and on
 * the host (tests/host/test_ctl.c, a 1024x768 buffer): controls made from
 * code and from CNTL resources and disposed give FreeMem back exactly
 * with a clean heap check; values pin to min..max; titles resize the
 * record's block; FindControl and TestControl skip hidden and inactive
 * controls; scripted mouse presses tracked by TrackControl (highlighted
 * exactly while inside, the part only when released inside); closing a
 * window disposes its controls; bad arguments change nothing; cm_check
 * reports a damaged control list; controls
 * made in a small zone until memFullErr leave nothing behind when they
 * fail; and the drawn controls hash to a stored reference.
 */
#include "kernel_suites.h"
#include "Controls.h"
#include "Desktop.h"
#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "Resources.h"
#include "lib/ktap.h"
#include "platform.h"

enum { KT_CM_MASTERS = 128, KT_CM_SUBZONE = 16 * 1024, KT_CM_MAX = 400 };

static const Rect kt_cm_bounds = { 100, 100, 300, 420 };  /* the test window's content, global */

static void kt_cm_reserve_masters(void)
{
    static Handle hs[KT_CM_MASTERS];
    for (int i = 0; i < KT_CM_MASTERS; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_CM_MASTERS; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

static WindowPtr kt_cm_window(void)
{
    return NewWindow(NULL, &kt_cm_bounds, (const unsigned char *)"\x08" "Controls", true, noGrowDocProc,
                     (WindowPtr)(intptr_t)-1, true, 0);
}

static UInt32 kt_cm_px(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return *((const UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left));
}

/* The pixel at a point local to w. */
static UInt32 kt_cm_local_px(WindowPtr w, short h, short v)
{
    return kt_cm_px((short)(h - w->portRect.left + kt_cm_bounds.left), (short)(v - w->portRect.top + kt_cm_bounds.top));
}

/* The window's update events answered: erase and draw the controls. */
static void kt_cm_updates(void)
{
    EventRecord e;
    for (int guard = 0; guard < 16 && GetNextEvent(updateMask, &e); guard++) {
        WindowPtr w = (WindowPtr)(uintptr_t)e.message;
        BeginUpdate(w);
        SetPort(w);
        HideCursor();
        EraseRect(&w->portRect);
        ShowCursor();
        DrawControls(w);
        EndUpdate(w);
    }
}

static bool kt_cm_new_dispose(void)
{
    long free0 = FreeMem();
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    Rect rb = { 150, 230, 170, 300 }, rc = { 20, 20, 38, 200 };
    ControlHandle ok_btn = NewControl(w, &rb, (const unsigned char *)"\x02OK", true, 0, 0, 1, pushButProc, 5);
    ControlHandle cb = NewControl(w, &rc, (const unsigned char *)"\x05" "Check", true, 0, 0, 1, checkBoxProc, 6);
    ControlHandle r1 = GetNewControl(131, w), r2 = GetNewControl(132, w), c2 = GetNewControl(130, w);
    bool ok = ok_btn && cb && r1 && r2 && c2 && cm_count(w) == 5 && cm_check(w, true) == noErr;
    ok = ok && (ControlHandle)(void *)((WindowPeek)(void *)w)->controlList == c2 && (*c2)->nextControl == r2;
    ok = ok && GetControlValue(r1) == 1 && GetControlValue(r2) == 0 && GetControlReference(r2) == 2 &&
         GetControlReference(ok_btn) == 5 && (*r1)->contrlOwner == w && (*r1)->contrlVis == 255;
    Str255 t;
    GetControlTitle(c2, t);
    ok = ok && t[0] == 13 && t[1] == 'K' && t[13] == 'p';
    Rect want = { 60, 20, 78, 200 };
    ok = ok && c2 && EqualRect(&(*c2)->contrlRect, &want);
    kt_cm_updates();
    DisposeControl(cb);
    ok = ok && cm_count(w) == 4 && cm_check(w, true) == noErr;
    KillControls(w);
    ok = ok && cm_count(w) == 0 && ((WindowPeek)(void *)w)->controlList == NULL;
    kt_cm_updates();
    DisposeWindow(w);
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    return ok && free1 == free0 && mm_check_zone(GetZone(), "ControlMgr", true) == noErr;
}

static bool kt_cm_values_titles(void)
{
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    Rect r = { 20, 20, 38, 200 };
    ControlHandle c = NewControl(w, &r, (const unsigned char *)"\x01" "A", true, 7, 0, 5, checkBoxProc, 0);
    bool ok = c != NULL && GetControlValue(c) == 5;     /* pinned at creation */
    SetControlValue(c, -3);
    ok = ok && GetControlValue(c) == 0;
    SetControlValue(c, 2);
    ok = ok && GetControlValue(c) == 2;
    SetControlMaximum(c, 1);
    ok = ok && GetControlMaximum(c) == 1 && GetControlValue(c) == 1;
    SetControlMinimum(c, 3);                            /* the maximum follows */
    ok = ok && GetControlMinimum(c) == 3 && GetControlMaximum(c) == 3 && GetControlValue(c) == 3;
    SetControlMinimum(c, 0);
    SetControlMaximum(c, 1);
    ok = ok && GetControlValue(c) == 1 && cm_check(w, true) == noErr;
    Size n0 = GetHandleSize((Handle)c);
    static const unsigned char longer[] = "\x1e" "A much longer check box title.";
    SetControlTitle(c, longer);
    Size n1 = GetHandleSize((Handle)c);
    Str255 t;
    GetControlTitle(c, t);
    ok = ok && n1 == n0 + 29 && t[0] == 30 && t[30] == '.';
    SetControlTitle(c, (const unsigned char *)"\x02Hi");
    ok = ok && GetHandleSize((Handle)c) == n0 + 1 && cm_check(w, true) == noErr;
    SetControlTitle(c, NULL);
    GetControlTitle(c, t);
    ok = ok && t[0] == 0 && GetHandleSize((Handle)c) == n0 - 1;
    DisposeWindow(w);                                   /* disposes c too */
    return ok;
}

static bool kt_cm_find_test(void)
{
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    Rect rb = { 150, 230, 170, 300 }, rc = { 20, 20, 38, 200 };
    ControlHandle b = NewControl(w, &rb, (const unsigned char *)"\x02OK", true, 0, 0, 1, pushButProc, 0);
    ControlHandle c = NewControl(w, &rc, (const unsigned char *)"\x01" "C", true, 0, 0, 1, checkBoxProc, 0);
    ControlHandle which = NULL;
    Point in_b = { .v = 160, .h = 260 }, in_c = { .v = 25, .h = 100 }, none = { .v = 100, .h = 100 };
    bool ok = b && c && FindControl(in_b, w, &which) == inButton && which == b;
    ok = ok && FindControl(in_c, w, &which) == inCheckBox && which == c;
    ok = ok && FindControl(none, w, &which) == 0 && which == NULL;
    ok = ok && TestControl(b, in_b) == inButton && TestControl(b, in_c) == 0;
    HiliteControl(b, kControlInactivePart);
    ok = ok && (*b)->contrlHilite == 255 && FindControl(in_b, w, &which) == 0 && which == NULL &&
         TestControl(b, in_b) == 0;
    HiliteControl(b, 0);
    HideControl(c);
    ok = ok && (*c)->contrlVis == 0 && FindControl(in_c, w, &which) == 0;
    ShowControl(c);
    ok = ok && FindControl(in_c, w, &which) == inCheckBox;
    MoveControl(c, 40, 60);
    ok = ok && (*c)->contrlRect.top == 60 && (*c)->contrlRect.left == 40 && (*c)->contrlRect.right == 220 &&
         FindControl(in_c, w, &which) == 0 && FindControl((Point){ .v = 65, .h = 100 }, w, &which) == inCheckBox;
    SizeControl(c, 100, 20);
    ok = ok && (*c)->contrlRect.right == 140 && (*c)->contrlRect.bottom == 80;
    HideWindow(w);
    ok = ok && FindControl(in_b, w, &which) == 0;
    ShowWindow(w);
    kt_cm_updates();
    DisposeWindow(w);
    return ok;
}

/* ---- tracking by script ---------------------------------------------------------- */

typedef struct kt_cm_track_log {
    int calls;
    int wrong;               /* calls without the part highlighted and drawn inverted */
    WindowPtr w;
} kt_cm_track_log;

static kt_cm_track_log g_kt_cm_log;

static void kt_cm_action(ControlHandle c, short part)
{
    g_kt_cm_log.calls++;
    Rect r = (*c)->contrlRect;
    short mid = (short)((r.top + r.bottom) / 2);
    UInt32 px = kt_cm_local_px(g_kt_cm_log.w, (short)(r.left + 4), mid);
    bool drawn = part == inButton ? (px & 0xFFFFFF) == 0 : true;
    if ((*c)->contrlHilite != part || !drawn)
        g_kt_cm_log.wrong++;
}

/* Button at local (230..300, 150..170) = global (330..400, 250..270);
 * check box at local (20..200, 20..38) = global (120..300, 120..138). */
/* Each press waits until TrackControl's loop has seen it (evStepTracked)
 * before the mouse moves or is released, and each move out or back in
 * until the loop has seen the mouse there, so the checks hold however slow
 * the kernel (the debug modes, an emulator short of CPU time). */
static const ev_step kt_cm_script[] = {
    { .op = evStepMove, .where = { .v = 260, .h = 360 }, .ticks = 2 },   /* press and release in the button */
    { .op = evStepDown },
    { .op = evStepTracked },
    { .op = evStepPause, .ticks = 3 },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 128, .h = 150 }, .ticks = 2 },   /* the check box: out, then up */
    { .op = evStepDown },
    { .op = evStepTracked },
    { .op = evStepMove, .where = { .v = 200, .h = 150 }, .ticks = 3 },
    { .op = evStepTracked },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 128, .h = 150 }, .ticks = 2 },   /* out and back in, then up */
    { .op = evStepDown },
    { .op = evStepTracked },
    { .op = evStepMove, .where = { .v = 200, .h = 150 }, .ticks = 3 },
    { .op = evStepTracked },
    { .op = evStepMove, .where = { .v = 130, .h = 160 }, .ticks = 3 },
    { .op = evStepTracked },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 220, .h = 150 }, .ticks = 2 },   /* in no control: nothing tracks */
    { .op = evStepDown },
    { .op = evStepUp },
    { .op = evStepPause, .ticks = 2 },
    { .op = evStepEnd },
};

static bool kt_cm_track(void)
{
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    Rect rb = { 150, 230, 170, 300 }, rc = { 20, 20, 38, 200 };
    ControlHandle b = NewControl(w, &rb, (const unsigned char *)"\x02OK", true, 0, 0, 1, pushButProc, 0);
    ControlHandle c = NewControl(w, &rc, (const unsigned char *)"\x05" "Check", true, 0, 0, 1, checkBoxProc, 0);
    bool ok = b && c;
    kt_cm_updates();
    g_kt_cm_log = (kt_cm_track_log){ .w = w };
    short results[8];
    ControlHandle hits[8];
    int downs = 0, button_calls = 0, button_wrong = 0;
    FlushEvents(everyEvent, 0);
    ok = ok && ev_script_start(kt_cm_script, sizeof kt_cm_script / sizeof kt_cm_script[0]) == noErr;
    UInt32 start = TickCount();
    while (ok) {
        bool running = ev_script_running();
        EventRecord e;
        while (GetNextEvent(mDownMask, &e) && downs < 8) {
            SetPort(w);
            Point p = e.where;
            GlobalToLocal(&p);
            ControlHandle which = NULL;
            short part = FindControl(p, w, &which);
            hits[downs] = which;
            results[downs] = which ? TrackControl(which, p, kt_cm_action) : -1;
            if (results[downs] == inCheckBox)
                SetControlValue(which, (short)!GetControlValue(which));
            if (downs == 0) {
                button_calls = g_kt_cm_log.calls;
                button_wrong = g_kt_cm_log.wrong;
            }
            (void)part;
            downs++;
        }
        if (!running)
            break;
        if (TickCount() - start > 600) {
            ktap_diag("the control script did not finish");
            ok = false;
            break;
        }
        plat_idle();
    }
    FlushEvents(everyEvent, 0);
    if (ok && !(downs == 4 && hits[0] == b && results[0] == inButton && hits[1] == c && results[1] == 0 &&
                hits[2] == c && results[2] == inCheckBox && hits[3] == NULL && results[3] == -1)) {
        ktap_diag("tracking: %d presses, results %d %d %d %d", downs, results[0], downs > 1 ? results[1] : 9,
                  downs > 2 ? results[2] : 9, downs > 3 ? results[3] : 9);
        ok = false;
    }
    if (ok && (button_calls == 0 || button_wrong != 0 || g_kt_cm_log.wrong != 0 || g_kt_cm_log.calls <= button_calls)) {
        ktap_diag("tracking: action calls %d (button %d), wrong highlight %d", g_kt_cm_log.calls, button_calls,
                  g_kt_cm_log.wrong);
        ok = false;
    }
    ok = ok && GetControlValue(c) == 1 && (*b)->contrlHilite == 0 && (*c)->contrlHilite == 0;
    Rect br = (*b)->contrlRect;
    ok = ok && (kt_cm_local_px(w, (short)(br.left + 4), (short)((br.top + br.bottom) / 2)) & 0xFFFFFF) == 0xFFFFFF;
    DisposeWindow(w);
    return ok;
}

/* ---- lifetime, bad input, memory pressure ------------------------------------- */

static bool kt_cm_close_disposes(void)
{
    long free0 = FreeMem();
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    bool ok = GetNewControl(128, w) && GetNewControl(130, w) && GetNewControl(131, w) && cm_count(w) == 3;
    CloseWindow(w);                          /* NewPtr storage: only the controls and parts come back ... */
    DisposePtr((Ptr)(void *)w);              /* ... and then the record */
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("close: FreeMem %ld -> %ld", free0, free1);
    return ok && free1 == free0;
}

static bool kt_cm_bad_input(void)
{
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    Rect r = { 20, 20, 38, 200 };
    ControlHandle c = NewControl(w, &r, (const unsigned char *)"\x01" "C", true, 1, 0, 1, checkBoxProc, 0);
    long free0 = FreeMem();
    bool ok = c != NULL;
    ok = ok && NewControl(w, &r, NULL, true, 0, 0, 1, scrollBarProc, 0) == NULL && cm_error() == paramErr;
    ok = ok && NewControl(NULL, &r, NULL, true, 0, 0, 1, pushButProc, 0) == NULL && cm_error() == paramErr;
    WindowRecord fake = { 0 };
    ok = ok && NewControl(&fake.port, &r, NULL, true, 0, 0, 1, pushButProc, 0) == NULL && cm_error() == paramErr;
    ok = ok && GetNewControl(129, w) == NULL && cm_error() == paramErr;       /* a scroll bar: not provided */
    ok = ok && GetNewControl(999, w) == NULL && cm_error() == resNotFound;
    Handle other = NewHandleClear(64);
    ControlHandle notc = (ControlHandle)(void *)other;
    DisposeControl(notc);
    ok = ok && cm_error() == paramErr && GetHandleSize(other) == 64;
    SetControlValue(notc, 3);
    ok = ok && cm_error() == paramErr && GetControlValue(notc) == 0;
    DisposeControl(NULL);
    HiliteControl(NULL, 0);
    SetControlTitle(NULL, (const unsigned char *)"\x01x");
    ok = ok && TrackControl(NULL, (Point){ 0, 0 }, NULL) == 0 && FindControl((Point){ 0, 0 }, NULL, NULL) == 0;
    HiliteControl(c, 300);
    ok = ok && cm_error() == paramErr && (*c)->contrlHilite == 0;
    DisposeHandle(other);
    ok = ok && FreeMem() == free0 && cm_check(w, true) == noErr && cm_count(w) == 1;
    DisposeWindow(w);
    return ok;
}

/* cm_check finds each kind of damage, without following it. */
static bool kt_cm_check_damage(void)
{
    WindowPtr w = kt_cm_window(), other = kt_cm_window();
    if (w == NULL || other == NULL) {
        if (w) DisposeWindow(w);
        if (other) DisposeWindow(other);
        return false;
    }
    Rect r = { 20, 20, 38, 200 };
    ControlHandle a = NewControl(w, &r, (const unsigned char *)"\x01" "A", false, 1, 0, 1, checkBoxProc, 0);
    ControlHandle b = NewControl(w, &r, (const unsigned char *)"\x01" "B", false, 0, 0, 1, radioButProc, 0);
    bool ok = a && b && cm_check(w, false) == noErr;
    if (ok) {
        (*a)->contrlValue = 5;                            /* above its maximum */
        ok = ok && cm_check(w, false) == paramErr;
        (*a)->contrlValue = 1;
        (*b)->contrlOwner = other;                        /* in w's list, owned by another */
        ok = ok && cm_check(w, false) == paramErr;
        (*b)->contrlOwner = w;
        (*b)->contrlVis = 7;
        ok = ok && cm_check(w, false) == paramErr;
        (*b)->contrlVis = 0;
        (*a)->contrlTitle[0] = 9;                         /* longer than its block */
        ok = ok && cm_check(w, false) == paramErr;
        (*a)->contrlTitle[0] = 1;
        (*a)->nextControl = b;                            /* a cycle: b -> a -> b */
        ok = ok && cm_check(w, false) == paramErr;
        (*a)->nextControl = NULL;
        ok = ok && cm_check(w, true) == noErr && cm_check(NULL, false) == paramErr;
    }
    DisposeWindow(other);
    DisposeWindow(w);
    return ok;
}

/* A window's controls made in a small zone until NewControl fails: the
 * failure leaves FreeMem as it was; a title too long to fit keeps the old one. */
static bool kt_cm_memfull(int *made)
{
    WindowPtr w = kt_cm_window();
    Ptr block = NewPtr(KT_CM_SUBZONE);
    if (w == NULL || block == NULL) {
        if (w) DisposeWindow(w);
        if (block) DisposePtr(block);
        return false;
    }
    THz home = GetZone();
    InitZone(NULL, 64, block + KT_CM_SUBZONE, block);
    THz sub = GetZone();
    static Handle masters[KT_CM_MAX * 2];
    for (int i = 0; i < KT_CM_MAX * 2; i++)
        masters[i] = NewEmptyHandle();
    for (int i = 0; i < KT_CM_MAX * 2; i++)
        if (masters[i])
            DisposeHandle(masters[i]);
    long free0 = FreeMem();
    bool ok = true;
    int n = 0;
    for (;; n++) {
        if (n == KT_CM_MAX) {
            ktap_diag("no memFullErr after %d controls", n);
            ok = false;
            break;
        }
        long before = FreeMem();
        Rect r = { (short)(10 + (n % 8) * 20), (short)(10 + (n / 8 % 4) * 70), 0, 0 };
        r.bottom = (short)(r.top + 18);
        r.right = (short)(r.left + 68);
        ControlHandle c = NewControl(w, &r, (const unsigned char *)"\x06" "Choice", true, n & 1, 0, 1,
                                     n % 3 == 0 ? pushButProc : n % 3 == 1 ? checkBoxProc : radioButProc, n);
        if (c == NULL) {
            ok = cm_error() == memFullErr && FreeMem() == before && cm_count(w) == n &&
                 mm_check_zone(sub, "ControlMgr memfull", true) == noErr;
            if (!ok)
                ktap_diag("the failed NewControl (error %d) left FreeMem %ld -> %ld", cm_error(), before, FreeMem());
            break;
        }
    }
    *made = n;
    ControlHandle first = (ControlHandle)(void *)((WindowPeek)(void *)w)->controlList;
    if (ok && first) {
        static unsigned char big[256];
        big[0] = 255;
        for (int i = 1; i <= 255; i++)
            big[i] = (unsigned char)('a' + i % 26);
        Ptr fill[8] = { 0 };
        for (int i = 0; i < 8 && FreeMem() > 64; i++)       /* take what is left */
            fill[i] = NewPtr(FreeMem() > 4096 ? 4096 : FreeMem() - 48);
        SetControlTitle(first, big);
        OSErr e = cm_error();
        Str255 t;
        GetControlTitle(first, t);
        ok = e == memFullErr && t[0] == 6 && t[1] == 'C' && cm_check(w, true) == noErr;
        if (!ok)
            ktap_diag("a title that cannot fit: error %d, title length %d", e, t[0]);
        for (int i = 0; i < 8; i++)
            if (fill[i])
                DisposePtr(fill[i]);
    }
    ok = ok && cm_check(w, true) == noErr && n > 8;
    KillControls(w);
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("memfull zone FreeMem %ld -> %ld", free0, free1);
    ok = ok && free1 == free0 && mm_check_zone(sub, "ControlMgr memfull", true) == noErr;
    SetZone(home);
    DisposeWindow(w);
    DisposePtr(block);
    return ok;
}

/* ---- rendering ---------------------------------------------------------------------- */

/* FNV-1a of the test window's content pixels. */
static UInt32 kt_cm_hash(void)
{
    UInt32 h = 2166136261u;
    HideCursor();
    for (short v = kt_cm_bounds.top; v < kt_cm_bounds.bottom; v++)
        for (short x = kt_cm_bounds.left; x < kt_cm_bounds.right; x++) {
            h ^= kt_cm_px(x, v) & 0xFFFFFF;
            h *= 16777619u;
        }
    ShowCursor();
    return h;
}

/* The reference hash of the drawn controls (push buttons: default outlined,
 * plain, pressed, inactive; check boxes off, on, mixed, pressed; radio buttons
 * on, off, inactive). */
static const UInt32 kt_cm_render_hash = 0x72bcd31cu;

static bool kt_cm_render(UInt32 *hash)
{
    WindowPtr w = kt_cm_window();
    if (w == NULL)
        return false;
    kt_cm_updates();
    struct { Rect r; const char *t; short proc, value, hilite; } k[] = {
        { { 160, 240, 180, 310 }, "\x02OK", pushButProc, 0, 0 },
        { { 160, 150, 180, 220 }, "\x06" "Cancel", pushButProc, 0, 0 },
        { { 120, 240, 140, 310 }, "\x04" "Save", pushButProc, 0, inButton },
        { { 120, 150, 140, 220 }, "\x05" "Print", pushButProc, 0, kControlInactivePart },
        { { 10, 10, 28, 150 }, "\x03" "Off", checkBoxProc, 0, 0 },
        { { 30, 10, 48, 150 }, "\x02On", checkBoxProc, 1, 0 },
        { { 50, 10, 68, 150 }, "\x05" "Mixed", checkBoxProc, 2, 0 },
        { { 70, 10, 88, 150 }, "\x07" "Pressed", checkBoxProc, 0, inCheckBox },
        { { 10, 170, 28, 310 }, "\x05" "Radio", radioButProc, 1, 0 },
        { { 30, 170, 48, 310 }, "\x05" "Other", radioButProc, 0, 0 },
        { { 50, 170, 68, 310 }, "\x06" "Greyed", radioButProc, 1, kControlInactivePart },
    };
    bool ok = true;
    for (unsigned i = 0; i < sizeof k / sizeof k[0]; i++) {
        ControlHandle c = NewControl(w, &k[i].r, (const unsigned char *)k[i].t, true, k[i].value, 0, 2, k[i].proc, 0);
        ok = ok && c != NULL;
        if (c)
            HiliteControl(c, k[i].hilite);
    }
    SetPort(w);                              /* the default button's outline, drawn by its caller */
    HideCursor();
    Rect outline = k[0].r;
    InsetRect(&outline, -4, -4);
    PenSize(3, 3);
    FrameRoundRect(&outline, 16, 16);
    PenNormal();
    ShowCursor();
    *hash = kt_cm_hash();
    DisposeWindow(w);
    return ok;
}

int cm_run_tests(void)
{
    ktap_suite s;
    ktap_suite_begin(&s, "ControlMgr", 10);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    kt_cm_reserve_masters();
    long free0 = FreeMem();
    short ref = OpenResFile((const unsigned char *)"\x06System");
    InitWindows();
    ktap_check(&s, kt_cm_new_dispose(), "new_getnew_dispose_kill_freemem_exact");
    ktap_check(&s, kt_cm_values_titles(), "values_pinned_titles_resize_the_record");
    ktap_check(&s, kt_cm_find_test(), "find_test_skip_hidden_and_inactive");
    ktap_check(&s, kt_cm_track(), "track_scripted_hilite_while_inside");
    ktap_check(&s, kt_cm_close_disposes(), "closewindow_disposes_its_controls");
    ktap_check(&s, kt_cm_bad_input(), "bad_arguments_change_nothing");
    ktap_check(&s, kt_cm_check_damage(), "cm_check_reports_damage");
    int made = 0;
    ktap_check(&s, kt_cm_memfull(&made), "memfullerr_leaves_nothing_title_kept");
    ktap_diag("controls_at_memfull=%d", made);
    UInt32 h = 0;
    bool drawn = kt_cm_render(&h);
    if (h != kt_cm_render_hash)
        ktap_diag("controls drawn: hash %08lx, reference %08lx", (unsigned long)h, (unsigned long)kt_cm_render_hash);
    ktap_check(&s, drawn && h == kt_cm_render_hash, "controls_render_hash");
    if (ref > 0)
        CloseResFile(ref);
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    ktap_check(&s, free1 == free0 && mm_check_zone(GetZone(), "ControlMgr", true) == noErr,
               "application_zone_back_exactly_and_heap_check");
    SetZone(home);
    return ktap_suite_end(&s);
}

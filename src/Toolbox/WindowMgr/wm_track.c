/*
 * wm_track.c - where the mouse is and what it does to windows: FindWindow,
 * and the calls that follow the mouse until its button comes up
 * (DragWindow, GrowWindow, TrackGoAway, TrackBox), and ZoomWindow.
 *
 * Tracking waits for the button to come up, letting time pass so the boot
 * script's glides play out, and takes the release point from the mouse-up
 * event; the change is made once, at the release, so a drag redraws only
 * what its one move uncovers. Meanwhile DragWindow and GrowWindow show
 * where the window would go as a gray outline drawn in XOR (patXor with the
 * gray pattern): drawing it a second time in the same place erases it, so
 * the screen is exactly as before when tracking ends. Every tracking loop
 * calls DragHook once per pass.
 */
#include "wm_internal.h"

#include "Desktop.h"
#include "platform.h"

short FindWindow(Point thePoint, WindowPtr *theWindow)
{
    if (theWindow)
        *theWindow = NULL;
    if (thePoint.v < qd.screenBits.bounds.top + desktop_menu_bar_height)
        return inMenuBar;
    for (WindowPeek w = g_wm.front; w != NULL; w = w->nextWindow) {
        short part = wdef_hit(w, thePoint);
        if (part != 0) {
            if (theWindow)
                *theWindow = &w->port;
            return part;
        }
    }
    return inDesk;
}

static UniversalProcPtr wm_drag_hook;

UniversalProcPtr LMGetDragHook(void)
{
    return wm_drag_hook;
}

void LMSetDragHook(UniversalProcPtr value)
{
    wm_drag_hook = value;
}

/* One pass of a tracking loop: DragHook, then time passes. */
static void wm_track_pass(void)
{
    if (wm_drag_hook)
        wm_drag_hook();
    plat_idle();
}

/* After the button came up: where (global), the mouse-up event's point, so
 * a caller that looks late still gets the release where it happened. */
static Point wm_release_point(void)
{
    EventRecord up;
    if (GetOSEvent(mUpMask, &up))
        return up.where;
    return ev_mouse_location();
}

/* Follow the mouse until the button comes up; where it came up (global). */
static Point wm_follow(void)
{
    while (StillDown())
        wm_track_pass();
    return wm_release_point();
}

/* Draw (or erase: the same call again) rgn offset by (dh, dv) as a gray XOR
 * outline in the current port. */
static void wm_xor_outline(RgnHandle rgn, short dh, short dv)
{
    PenState ps;
    GetPenState(&ps);
    PenNormal();
    PenMode(patXor);
    PenPat(&qd.gray);
    OffsetRgn(rgn, dh, dv);
    HideCursor();
    FrameRgn(rgn);
    ShowCursor();
    OffsetRgn(rgn, (short)-dh, (short)-dv);
    SetPenState(&ps);
}

/* Offset of the mouse p from start (local), pinned so start stays in limit and along axis. */
static Point wm_drag_offset(Point p, Point start, const Rect *limit, short axis)
{
    if (limit) {
        p.h = p.h < limit->left ? limit->left : p.h >= limit->right ? (short)(limit->right - 1) : p.h;
        p.v = p.v < limit->top ? limit->top : p.v >= limit->bottom ? (short)(limit->bottom - 1) : p.v;
    }
    Point d = { .v = (short)(p.v - start.v), .h = (short)(p.h - start.h) };
    if (axis == hAxisOnly)
        d.v = 0;
    if (axis == vAxisOnly)
        d.h = 0;
    return d;
}

long DragGrayRgn(RgnHandle theRgn, Point startPt, const Rect *limitRect, const Rect *slopRect,
                 short axis, DragGrayRgnUPP actionProc)
{
    if (theRgn == NULL || qd.thePort == NULL)
        return (long)0x80008000;
    bool shown = false;
    Point at = { 0 }, mouse;
    for (;;) {
        bool down = StillDown();
        GetMouse(&mouse);
        if (!down) {
            mouse = wm_release_point();
            GlobalToLocal(&mouse);
        }
        bool in = slopRect == NULL || PtInRect(mouse, slopRect);
        Point d = wm_drag_offset(mouse, startPt, limitRect, axis);
        if (shown && (!in || !down || d.h != at.h || d.v != at.v)) {
            wm_xor_outline(theRgn, at.h, at.v);          /* erase where it was */
            shown = false;
        }
        if (!down) {
            if (!in)
                return (long)0x80008000;
            return (long)((unsigned long)(unsigned short)d.v << 16 | (unsigned short)d.h);
        }
        if (in && !shown) {
            wm_xor_outline(theRgn, d.h, d.v);
            at = d;
            shown = true;
        }
        if (actionProc)
            actionProc();
        wm_track_pass();
    }
}

/* The WMgrPort, clipped to the desktop, for an outline; its clip is kept in save. */
static void wm_outline_port(GrafPtr *was, RgnHandle save)
{
    GetPort(was);
    SetPort(&g_wm.port);
    GetClip(save);
    SetClip(g_wm.gray);
}

static void wm_outline_done(GrafPtr was, RgnHandle save)
{
    SetClip(save);
    SetPort(was);
}

void DragWindow(WindowPtr wp, Point startPt, const Rect *boundsRect)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w))
        return;
    if (&w->port != FrontWindow())
        SelectWindow(wp);
    /* The outline: a copy of the structure, drawn in the WMgrPort (global
     * coordinates) over the desktop and the windows, not the menu bar. */
    RgnHandle outline = g_wm.scratch[3];
    CopyRgn(w->strucRgn, outline);
    GrafPtr saved;
    wm_outline_port(&saved, g_wm.scratch[WM_KEEP]);
    long off = DragGrayRgn(outline, startPt, boundsRect, boundsRect, noConstraint, NULL);
    wm_outline_done(saved, g_wm.scratch[WM_KEEP]);
    if (off == (long)0x80008000)
        return;
    short dh = (short)(off & 0xFFFF), dv = (short)((unsigned long)off >> 16);
    if (dh == 0 && dv == 0)
        return;
    Rect c;
    wm_content_rect(w, &c);
    MoveWindow(wp, (short)(c.left + dh), (short)(c.top + dv), false);
}

/* The content size the mouse at p asks for, within sizeRect's limits. */
static void wm_grow_size(const Rect *c, Point start, Point p, const Rect *sizeRect, long *width, long *height)
{
    long wd = c->right - c->left + p.h - start.h, ht = c->bottom - c->top + p.v - start.v;
    short minw = sizeRect ? sizeRect->left : WM_MIN_SIZE, minh = sizeRect ? sizeRect->top : WM_MIN_SIZE;
    short maxw = sizeRect ? sizeRect->right : 32767, maxh = sizeRect ? sizeRect->bottom : 32767;
    *width = wd < minw ? minw : wd > maxw ? maxw : wd;
    *height = ht < minh ? minh : ht > maxh ? maxh : ht;
}

/* The grow image of a window whose content would be c: its frame, the title
 * bar's bottom line and the scroll bars' edges, as a gray XOR outline in the
 * current port (drawing it again erases it; no pixel is drawn twice). */
static void wm_grow_image(const Rect *c)
{
    Rect f = { (short)(c->top - WM_TITLE_BAR), (short)(c->left - 1), (short)(c->bottom + 1), (short)(c->right + 1) };
    short gl = (short)(c->right - WM_GROW), gt = (short)(c->bottom - WM_GROW);
    PenState ps;
    GetPenState(&ps);
    PenNormal();
    PenMode(patXor);
    PenPat(&qd.gray);
    HideCursor();
    FrameRect(&f);
    MoveTo((short)(f.left + 1), (short)(c->top - 1));
    LineTo((short)(f.right - 2), (short)(c->top - 1));
    if (gl > c->left && gt > c->top) {
        MoveTo(gl, c->top);
        LineTo(gl, (short)(c->bottom - 1));
        MoveTo(c->left, gt);
        LineTo((short)(gl - 1), gt);
        MoveTo((short)(gl + 1), gt);
        LineTo((short)(c->right - 1), gt);
    }
    ShowCursor();
    SetPenState(&ps);
}

long GrowWindow(WindowPtr wp, Point startPt, const Rect *sizeRect)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w))
        return 0;
    Rect c;
    wm_content_rect(w, &c);
    GrafPtr saved;
    wm_outline_port(&saved, g_wm.scratch[WM_KEEP]);
    long width = c.right - c.left, height = c.bottom - c.top, shown_w = 0, shown_h = 0;
    bool shown = false;
    while (StillDown()) {
        wm_grow_size(&c, startPt, ev_mouse_location(), sizeRect, &width, &height);
        if (shown && (width != shown_w || height != shown_h)) {
            Rect old = { c.top, c.left, (short)(c.top + shown_h), (short)(c.left + shown_w) };
            wm_grow_image(&old);
            shown = false;
        }
        if (!shown) {
            Rect now = { c.top, c.left, (short)(c.top + height), (short)(c.left + width) };
            wm_grow_image(&now);
            shown_w = width;
            shown_h = height;
            shown = true;
        }
        wm_track_pass();
    }
    if (shown) {
        Rect old = { c.top, c.left, (short)(c.top + shown_h), (short)(c.left + shown_w) };
        wm_grow_image(&old);
    }
    wm_outline_done(saved, g_wm.scratch[WM_KEEP]);
    wm_grow_size(&c, startPt, wm_release_point(), sizeRect, &width, &height);
    if (width == c.right - c.left && height == c.bottom - c.top)
        return 0;
    return height << 16 | width;
}

/* Track a title-bar box: true when the button comes up inside it. */
static Boolean wm_track_box(WindowPeek w, bool zoom)
{
    Rect box;
    if (w == NULL || !wm_in_list(w) || !(zoom ? wdef_zoom_box(w, &box) : wdef_close_box(w, &box)))
        return false;
    Point end = wm_follow();
    return PtInRect(end, &box);
}

Boolean TrackGoAway(WindowPtr wp, Point thePt)
{
    (void)thePt;
    return wm_track_box(wm_peek(wp), false);
}

Boolean TrackBox(WindowPtr wp, Point thePt, short partCode)
{
    (void)thePt;
    if (partCode != inZoomIn && partCode != inZoomOut)
        return false;
    return wm_track_box(wm_peek(wp), true);
}

void ZoomWindow(WindowPtr wp, short partCode, Boolean front)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w) || (partCode != inZoomIn && partCode != inZoomOut)) {
        g_wm.err = paramErr;
        return;
    }
    wm_wdata *d = wm_data(w);
    Rect c;
    wm_content_rect(w, &c);
    if (partCode == inZoomOut)
        d->zoom.userState = c;
    Rect to = partCode == inZoomOut ? d->zoom.stdState : d->zoom.userState;
    MoveWindow(wp, to.left, to.top, front);
    SizeWindow(wp, (short)(to.right - to.left), (short)(to.bottom - to.top), true);
}

void DrawGrowIcon(WindowPtr wp)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w) || !wdef_has_grow(w))
        return;
    GrafPtr saved;
    GetPort(&saved);
    SetPort(wp);
    PenNormal();
    Rect r = w->port.portRect;
    short gl = (short)(r.right - WM_GROW), gt = (short)(r.bottom - WM_GROW);
    MoveTo(gl, r.top);                     /* the scroll bars' edges */
    LineTo(gl, (short)(r.bottom - 1));
    MoveTo(r.left, gt);
    LineTo((short)(r.right - 1), gt);
    Rect box = { (short)(gt + 1), (short)(gl + 1), r.bottom, r.right };
    EraseRect(&box);
    if (w->hilited) {
        Rect big = { (short)(gt + 5), (short)(gl + 5), (short)(gt + 13), (short)(gl + 13) };
        Rect small = { (short)(gt + 3), (short)(gl + 3), (short)(gt + 9), (short)(gl + 9) };
        FrameRect(&big);
        EraseRect(&small);
        FrameRect(&small);
    }
    SetPort(saved);
}

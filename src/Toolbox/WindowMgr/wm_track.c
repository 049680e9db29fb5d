/*
 * wm_track.c - where the mouse is and what it does to windows: FindWindow,
 * and the calls that follow the mouse until its button comes up
 * (DragWindow, GrowWindow, TrackGoAway, TrackBox), and ZoomWindow.
 *
 * Tracking waits for the button to come up, letting time pass so the boot
 * script's glides play out, and takes the release point from the mouse-up
 * event; the change is made once, at the release, so a drag redraws only
 * what its one move uncovers.
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

/* Follow the mouse until the button comes up; where it came up (global):
 * the mouse-up event's point, so a caller that looks late still gets the
 * release where it happened. */
static Point wm_follow(void)
{
    while (StillDown())
        plat_idle();
    EventRecord up;
    if (GetOSEvent(mUpMask, &up))
        return up.where;
    return ev_mouse_location();
}

void DragWindow(WindowPtr wp, Point startPt, const Rect *boundsRect)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w))
        return;
    if (&w->port != FrontWindow())
        SelectWindow(wp);
    Point end = wm_follow();
    if (boundsRect && !PtInRect(end, boundsRect))
        return;
    short dh = (short)(end.h - startPt.h), dv = (short)(end.v - startPt.v);
    if (dh == 0 && dv == 0)
        return;
    Rect c;
    wm_content_rect(w, &c);
    MoveWindow(wp, (short)(c.left + dh), (short)(c.top + dv), false);
}

long GrowWindow(WindowPtr wp, Point startPt, const Rect *sizeRect)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w))
        return 0;
    Point end = wm_follow();
    Rect c;
    wm_content_rect(w, &c);
    long width = c.right - c.left + end.h - startPt.h, height = c.bottom - c.top + end.v - startPt.v;
    short minw = sizeRect ? sizeRect->left : WM_MIN_SIZE, minh = sizeRect ? sizeRect->top : WM_MIN_SIZE;
    short maxw = sizeRect ? sizeRect->right : 32767, maxh = sizeRect ? sizeRect->bottom : 32767;
    width = width < minw ? minw : width > maxw ? maxw : width;
    height = height < minh ? minh : height > maxh ? maxh : height;
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

/*
 * wm_windows.c - the window list and everything that changes it: making
 * and disposing of windows, order, visibility, position and size, titles
 * and reference constants; the recomputation of visible regions and the
 * drawing of exactly what each change uncovered.
 *
 * Every change follows one pattern: note the region the change touches
 * (the old and new structure of the window concerned) in global
 * coordinates, make the change, then wm_recalc(touched): visRgns are
 * recomputed front to back and only the parts of `touched` that became
 * visible are drawn. A window's pixels that are still right (the content
 * a move carried with CopyBits) are kept out of its update region.
 */
#include "wm_internal.h"

#include "Desktop.h"
#include "Resources.h"

wm_state g_wm;

/* Called first by CloseWindow, while the window is whole (the Control Manager's KillControls). */
static wm_close_hook g_wm_close_hook;

void wm_set_close_hook(wm_close_hook hook)
{
    g_wm_close_hook = hook;
}

OSErr wm_error(void)
{
    return g_wm.err;
}

bool wm_in_list(WindowPeek w)
{
    for (WindowPeek p = g_wm.front; p != NULL; p = p->nextWindow)
        if (p == w)
            return true;
    return false;
}

/* A window argument: in the list, or the call does nothing and says so. */
static WindowPeek wm_arg(WindowPtr w)
{
    WindowPeek p = wm_peek(w);
    if (p == NULL || !wm_in_list(p)) {
        g_wm.err = paramErr;
        return NULL;
    }
    g_wm.err = noErr;
    return p;
}

void wm_content_rect(WindowPeek w, Rect *r)
{
    *r = w->port.portRect;
    OffsetRect(r, (short)-w->port.portBits.bounds.left, (short)-w->port.portBits.bounds.top);
}

/* ---- initialisation ---------------------------------------------------------------- */

void InitWindows(void)
{
    if (!g_wm.ready) {
        THz home = GetZone();
        SetZone(SystemZone());
        GrafPtr saved;
        GetPort(&saved);
        OpenPort(&g_wm.port);
        g_wm.gray = NewRgn();
        for (int i = 0; i < WM_SCRATCH; i++)
            g_wm.scratch[i] = NewRgn();
        g_wm.save_vis = NewRgn();
        SetZone(home);
        if (saved)
            SetPort(saved);
        g_wm.ready = true;
    }
    Rect desk = qd.screenBits.bounds;
    desk.top = (short)(desk.top + desktop_menu_bar_height);
    RectRgn(g_wm.gray, &desk);
    g_wm.front = NULL;
    g_wm.active = g_wm.activate = g_wm.deactivate = NULL;
    ev_set_update_hook(wm_update_event);
    ev_set_activate_hook(wm_activate_event);
    desktop_draw();
    g_wm.err = noErr;
}

void GetWMgrPort(GrafPtr *wPort)
{
    if (wPort)
        *wPort = &g_wm.port;
}

RgnHandle GetGrayRgn(void)
{
    return g_wm.gray;
}

/* ---- visible regions and drawing ------------------------------------------------------- */

void wm_cover_before(WindowPeek w, RgnHandle dst)
{
    SetEmptyRgn(dst);
    for (WindowPeek p = g_wm.front; p != NULL && p != w; p = p->nextWindow)
        if (p->visible)
            UnionRgn(dst, p->strucRgn, dst);
}

/* Fill the desktop's part of rgn (global) with its pattern. */
static void wm_paint_desk(RgnHandle rgn)
{
    GrafPtr saved;
    GetPort(&saved);
    SetPort(&g_wm.port);
    SectRgn(rgn, g_wm.gray, rgn);
    FillRgn(rgn, &qd.gray);
    SetPort(saved);
}

/*
 * Nothing of w can show: its structure lies inside `covered` (checked in
 * `t`). The bounding boxes decide most cases without a region operation.
 */
static bool wm_buried(WindowPeek w, RgnHandle covered, RgnHandle t)
{
    const Rect *c = &(*covered)->rgnBBox, *s = &(*w->strucRgn)->rgnBBox;
    if (EmptyRgn(covered) || s->top < c->top || s->left < c->left || s->bottom > c->bottom || s->right > c->right)
        return false;
    DiffRgn(w->strucRgn, covered, t);
    return QDError() == noErr && EmptyRgn(t);
}

void wm_recalc(RgnHandle exposed, WindowPeek keep_win, RgnHandle keep)
{
    RgnHandle covered = g_wm.scratch[0], t = g_wm.scratch[1], u = g_wm.scratch[2];
    THz home = GetZone();
    SetZone(SystemZone());                           /* QuickDraw's temporaries too */
    SetEmptyRgn(covered);
    if (exposed)
        HideCursor();
    for (WindowPeek w = g_wm.front; w != NULL; w = w->nextWindow) {
        if (!w->visible || wm_buried(w, covered, t)) {
            SetEmptyRgn(w->port.visRgn);        /* a buried window adds nothing to covered either */
            continue;
        }
        DiffRgn(w->contRgn, covered, t);                 /* the visible content, global */
        CopyRgn(t, w->port.visRgn);
        if (QDError() != noErr)
            SetEmptyRgn(w->port.visRgn);                 /* no room: it draws nothing rather than over others */
        OffsetRgn(w->port.visRgn, w->port.portBits.bounds.left, w->port.portBits.bounds.top);
        if (exposed) {
            SectRgn(w->strucRgn, exposed, u);
            DiffRgn(u, covered, u);                      /* newly visible structure */
            if (!EmptyRgn(u)) {
                DiffRgn(u, w->contRgn, t);
                if (!EmptyRgn(t))
                    wdef_draw_frame(w, t);
                SectRgn(u, w->contRgn, t);
                if (w == keep_win && keep)
                    DiffRgn(t, keep, t);
                if (!EmptyRgn(t)) {
                    GrafPtr saved;
                    GetPort(&saved);
                    SetPort(&g_wm.port);
                    EraseRgn(t);
                    SetPort(saved);
                    UnionRgn(w->updateRgn, t, w->updateRgn);
                }
            }
        }
        UnionRgn(covered, w->strucRgn, covered);
    }
    if (exposed) {
        DiffRgn(exposed, covered, t);
        wm_paint_desk(t);
        ShowCursor();
    }
    SetZone(home);
}

/* Redraw w's frame where it is visible (after a change of highlighting or title). */
static void wm_redraw_frame(WindowPeek w)
{
    RgnHandle clip = g_wm.scratch[2];
    wm_cover_before(w, g_wm.scratch[0]);
    DiffRgn(w->strucRgn, w->contRgn, clip);
    DiffRgn(clip, g_wm.scratch[0], clip);
    HideCursor();
    wdef_draw_frame(w, clip);
    ShowCursor();
}

/* ---- the list -------------------------------------------------------------------------- */

static void wm_unlink(WindowPeek w)
{
    WindowPeek *pp = &g_wm.front;
    while (*pp != NULL && *pp != w)
        pp = &(*pp)->nextWindow;
    if (*pp == w)
        *pp = w->nextWindow;
    w->nextWindow = NULL;
}

/* Insert w behind `behind` (NULL: at the back; (WindowPeek)-1: in front). */
static void wm_link(WindowPeek w, WindowPeek behind)
{
    if (behind == (WindowPeek)(intptr_t)-1 || g_wm.front == NULL) {
        w->nextWindow = g_wm.front;
        g_wm.front = w;
        return;
    }
    WindowPeek p = g_wm.front;
    while (p->nextWindow != NULL && p != behind)
        p = p->nextWindow;
    w->nextWindow = p->nextWindow;
    p->nextWindow = w;
}

WindowPeek LMGetWindowList(void)
{
    return g_wm.front;
}

WindowPtr FrontWindow(void)
{
    for (WindowPeek p = g_wm.front; p != NULL; p = p->nextWindow)
        if (p->visible)
            return &p->port;
    return NULL;
}

/* ---- making windows ------------------------------------------------------------------- */

static void wm_free_parts(WindowPeek w, bool own_storage)
{
    if (w->port.visRgn || w->port.clipRgn)
        ClosePort(&w->port);
    RgnHandle rs[3] = { w->strucRgn, w->contRgn, w->updateRgn };
    for (int i = 0; i < 3; i++)
        if (rs[i])
            DisposeRgn(rs[i]);
    if (w->titleHandle)
        DisposeHandle((Handle)w->titleHandle);
    if (w->dataHandle)
        DisposeHandle(w->dataHandle);
    if (own_storage)
        DisposePtr((Ptr)(void *)w);
}

/* The title into w's title handle (made if needed). noErr or memFullErr; the old title stays on failure. */
static OSErr wm_set_title(WindowPeek w, ConstStr255Param title)
{
    unsigned n = title ? title[0] : 0;
    if (w->titleHandle == NULL) {
        w->titleHandle = (StringHandle)NewHandle((Size)n + 1);
        if (w->titleHandle == NULL)
            return memFullErr;
    } else {
        SetHandleSize((Handle)w->titleHandle, (Size)n + 1);
        if (MemError() != noErr)
            return memFullErr;
    }
    (*w->titleHandle)[0] = (unsigned char)n;
    if (n)
        BlockMoveData(title + 1, *w->titleHandle + 1, n);
    GrafPtr saved;
    GetPort(&saved);
    SetPort(&g_wm.port);
    TextFont(0);
    TextFace(0);
    HLock((Handle)w->titleHandle);
    w->titleWidth = StringWidth(*w->titleHandle);
    HUnlock((Handle)w->titleHandle);
    SetPort(saved);
    return noErr;
}

WindowPtr NewWindow(void *wStorage, const Rect *boundsRect, ConstStr255Param title, Boolean visible,
                    short theProc, WindowPtr behind, Boolean goAwayFlag, long refCon)
{
    if (!g_wm.ready || boundsRect == NULL || EmptyRect(boundsRect)) {
        g_wm.err = paramErr;
        return NULL;
    }
    WindowPeek w = wStorage ? (WindowPeek)wStorage : (WindowPeek)(void *)NewPtr(sizeof(WindowRecord));
    if (w == NULL) {
        g_wm.err = memFullErr;
        return NULL;
    }
    BlockMoveData(&(WindowRecord){ 0 }, w, sizeof *w);
    GrafPtr saved;
    GetPort(&saved);
    OpenPort(&w->port);
    bool ok = QDError() == noErr;
    if (ok) {
        w->strucRgn = NewRgn();
        w->contRgn = NewRgn();
        w->updateRgn = NewRgn();
        w->dataHandle = NewHandleClear(sizeof(wm_wdata));
        ok = w->strucRgn && w->contRgn && w->updateRgn && w->dataHandle && wm_set_title(w, title) == noErr;
    }
    if (ok) {
        w->windowKind = userKind;
        w->visible = visible;
        w->goAwayFlag = goAwayFlag;
        w->spareFlag = theProc == zoomDocProc || theProc == zoomNoGrow;
        w->refCon = refCon;
        PortSize((short)(boundsRect->right - boundsRect->left), (short)(boundsRect->bottom - boundsRect->top));
        MovePortTo(boundsRect->left, boundsRect->top);
        wm_wdata *d = wm_data(w);
        d->procID = theProc;
        d->zoom.userState = *boundsRect;
        d->zoom.stdState = qd.screenBits.bounds;
        d->zoom.stdState.top = (short)(d->zoom.stdState.top + desktop_menu_bar_height + WM_TITLE_BAR + 2);
        InsetRect(&d->zoom.stdState, 3, 0);
        d->zoom.stdState.bottom = (short)(d->zoom.stdState.bottom - 3);
        wdef_calc(w);
        ok = QDError() == noErr;
    }
    if (saved)
        SetPort(saved);
    if (!ok) {
        wm_free_parts(w, wStorage == NULL);
        g_wm.err = memFullErr;
        return NULL;
    }
    WindowPeek b = behind == (WindowPtr)(intptr_t)-1 ? (WindowPeek)(intptr_t)-1 : wm_peek(behind);
    bool front = b == (WindowPeek)(intptr_t)-1 || FrontWindow() == NULL;
    if (front && visible) {
        WindowPeek old = wm_peek(FrontWindow());
        if (old) {
            old->hilited = false;
            wm_redraw_frame(old);
        }
        w->hilited = true;
    }
    wm_link(w, b);
    wm_recalc(w->strucRgn, NULL, NULL);
    if (front && visible)
        wm_activate(w);
    g_wm.err = noErr;
    return &w->port;
}

WindowPtr GetNewWindow(short windowID, void *wStorage, WindowPtr behind)
{
    Handle h = GetResource((ResType)('W' << 24 | 'I' << 16 | 'N' << 8 | 'D'), windowID);
    if (h == NULL) {
        g_wm.err = ResError() == noErr ? resNotFound : ResError();
        return NULL;
    }
    const unsigned char *b = (const unsigned char *)*h;
    Size n = GetHandleSize(h);
    if (n < 19 || 19 + b[18] > n) {
        ReleaseResource(h);
        g_wm.err = paramErr;
        return NULL;
    }
    Rect r = { (short)(b[0] << 8 | b[1]), (short)(b[2] << 8 | b[3]), (short)(b[4] << 8 | b[5]), (short)(b[6] << 8 | b[7]) };
    short proc = (short)(b[8] << 8 | b[9]);
    Boolean vis = b[10] != 0, goAway = b[12] != 0;
    long refCon = (long)(int32_t)((uint32_t)b[14] << 24 | (uint32_t)b[15] << 16 | (uint32_t)b[16] << 8 | b[17]);
    Str255 title;
    BlockMoveData(b + 18, title, 1 + b[18]);
    ReleaseResource(h);                       /* the template is read; as GetNewWindow does on a Mac */
    return NewWindow(wStorage, &r, title, vis, proc, behind, goAway, refCon);
}

void CloseWindow(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL)
        return;
    if (g_wm_close_hook && w->controlList)
        g_wm_close_hook(wp);
    bool was_front = &w->port == FrontWindow();
    RgnHandle touched = g_wm.scratch[WM_TOUCHED];   /* the old structure outlives the window */
    CopyRgn(w->strucRgn, touched);
    wm_unlink(w);
    wm_free_parts(w, false);
    wm_forget_active(w);
    if (was_front) {
        WindowPeek nf = wm_peek(FrontWindow());
        if (nf) {
            nf->hilited = true;
            UnionRgn(touched, nf->strucRgn, touched);
        }
    }
    wm_recalc(touched, NULL, NULL);
    wm_activate(wm_peek(FrontWindow()));
    if (qd.thePort == wp)
        SetPort(&g_wm.port);
}

void DisposeWindow(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL)
        return;
    bool own = PtrZone((Ptr)(void *)w) != NULL && MemError() == noErr;
    CloseWindow(wp);
    if (own)
        DisposePtr((Ptr)(void *)w);
}

void wm_reset(void)
{
    while (g_wm.front != NULL)
        DisposeWindow(&g_wm.front->port);
}

/* ---- order and visibility --------------------------------------------------------------- */

/* Make w front-most (not highlighting) and draw what it uncovers. */
void BringToFront(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL || g_wm.front == w)
        return;
    wm_unlink(w);
    wm_link(w, (WindowPeek)(intptr_t)-1);
    wm_recalc(w->strucRgn, NULL, NULL);
}

void HiliteWindow(WindowPtr wp, Boolean fHilite)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL || (w->hilited != 0) == (fHilite != 0))
        return;
    w->hilited = fHilite != 0;
    wm_redraw_frame(w);
}

void SelectWindow(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL)
        return;
    WindowPeek old = wm_peek(FrontWindow());
    if (old && old != w)
        HiliteWindow(&old->port, false);
    BringToFront(wp);
    HiliteWindow(wp, true);
    if (w->visible)
        wm_activate(w);
}

void SendBehind(WindowPtr wp, WindowPtr behindWindow)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL)
        return;
    WindowPeek b = wm_peek(behindWindow);
    if (b == w || (b != NULL && !wm_in_list(b)))
        return;
    bool was_front = &w->port == FrontWindow();
    RgnHandle touched = g_wm.scratch[WM_TOUCHED];
    CopyRgn(w->strucRgn, touched);
    wm_unlink(w);
    wm_link(w, b);
    if (was_front && FrontWindow() != wp) {
        w->hilited = false;
        WindowPeek nf = wm_peek(FrontWindow());
        nf->hilited = true;
        wm_redraw_frame(w);
        UnionRgn(touched, nf->strucRgn, touched);
    }
    wm_recalc(touched, NULL, NULL);
    wm_activate(wm_peek(FrontWindow()));
}

static void wm_set_visible(WindowPeek w, bool vis)
{
    RgnHandle touched = g_wm.scratch[WM_TOUCHED];
    bool was_front = &w->port == FrontWindow();
    CopyRgn(w->strucRgn, touched);
    w->visible = vis;
    wdef_calc(w);
    UnionRgn(touched, w->strucRgn, touched);
    WindowPeek nf = wm_peek(FrontWindow());
    if (!vis && was_front && nf) {
        nf->hilited = true;
        UnionRgn(touched, nf->strucRgn, touched);
    }
    wm_recalc(touched, NULL, NULL);
    wm_activate(wm_peek(FrontWindow()));
}

void HideWindow(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    if (w != NULL && w->visible)
        wm_set_visible(w, false);
}

void ShowWindow(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL || w->visible)
        return;
    if (g_wm.front == w || FrontWindow() == NULL) {
        WindowPeek old = wm_peek(FrontWindow());
        if (old) {
            old->hilited = false;
            wm_redraw_frame(old);
        }
        w->hilited = true;
    }
    wm_set_visible(w, true);
}

/* ---- position and size -------------------------------------------------------------------- */

void MoveWindow(WindowPtr wp, short hGlobal, short vGlobal, Boolean front)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL)
        return;
    Rect c;
    wm_content_rect(w, &c);
    short dh = (short)(hGlobal - c.left), dv = (short)(vGlobal - c.top);
    RgnHandle touched = g_wm.scratch[WM_TOUCHED], carried = g_wm.scratch[WM_KEEP];
    if (front && g_wm.front != w) {
        WindowPeek old = wm_peek(FrontWindow());
        wm_unlink(w);
        wm_link(w, (WindowPeek)(intptr_t)-1);
        if (old && old != w && w->visible) {
            old->hilited = false;
            w->hilited = true;
            wm_redraw_frame(old);
        }
        wm_recalc(w->strucRgn, NULL, NULL);
        if (w->visible)
            wm_activate(w);
    }
    /* The content visible before, moved: where it is still visible after, its pixels are carried. */
    CopyRgn(w->port.visRgn, carried);
    OffsetRgn(carried, (short)(dh - w->port.portBits.bounds.left), (short)(dv - w->port.portBits.bounds.top));
    CopyRgn(w->strucRgn, touched);
    GrafPtr was;
    GetPort(&was);
    SetPort(&w->port);
    MovePortTo(hGlobal, vGlobal);
    SetPort(was);
    wdef_calc(w);
    UnionRgn(touched, w->strucRgn, touched);
    wm_cover_before(w, g_wm.scratch[3]);
    DiffRgn(carried, g_wm.scratch[3], carried);
    SectRgn(carried, w->contRgn, carried);
    if (w->visible && !EmptyRgn(carried)) {
        GrafPtr saved;
        GetPort(&saved);
        SetPort(&g_wm.port);
        Rect nc = c;
        OffsetRect(&nc, dh, dv);
        HideCursor();
        CopyBits(&qd.screenBits, &qd.screenBits, &c, &nc, srcCopy, carried);
        ShowCursor();
        SetPort(saved);
    }
    OffsetRgn(w->updateRgn, dh, dv);
    wm_recalc(touched, w, carried);
}

void SizeWindow(WindowPtr wp, short width, short height, Boolean fUpdate)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL || width <= 0 || height <= 0)
        return;
    RgnHandle touched = g_wm.scratch[WM_TOUCHED], keep = g_wm.scratch[WM_KEEP];
    SetEmptyRgn(keep);
    CopyRgn(w->strucRgn, touched);
    GrafPtr saved;
    GetPort(&saved);
    SetPort(&w->port);
    PortSize(width, height);
    SetPort(saved);
    wdef_calc(w);
    UnionRgn(touched, w->strucRgn, touched);
    /* fUpdate: the whole new content is to be drawn (the grow box and any
     * scroll bars move with the edges); otherwise the caller answers for it. */
    if (!fUpdate)
        CopyRgn(w->contRgn, keep);
    wm_recalc(touched, w, keep);
}

/* ---- title and reference constant ----------------------------------------------------------- */

void SetWTitle(WindowPtr wp, ConstStr255Param title)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL)
        return;
    g_wm.err = wm_set_title(w, title);
    if (g_wm.err == noErr)
        wm_redraw_frame(w);
}

void GetWTitle(WindowPtr wp, Str255 title)
{
    WindowPeek w = wm_arg(wp);
    if (w == NULL || title == NULL)
        return;
    unsigned n = (*w->titleHandle)[0];
    BlockMoveData(*w->titleHandle, title, (Size)n + 1);
}

void SetWRefCon(WindowPtr wp, long data)
{
    WindowPeek w = wm_arg(wp);
    if (w)
        w->refCon = data;
}

long GetWRefCon(WindowPtr wp)
{
    WindowPeek w = wm_arg(wp);
    return w ? w->refCon : 0;
}

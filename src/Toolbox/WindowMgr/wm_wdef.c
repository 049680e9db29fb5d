/*
 * wm_wdef.c - the standard document window definition: its regions, its
 * frame as the System 7 draws it in black and white, and hit testing.
 *
 * Geometry, from the content rectangle C (global): the frame F is C
 * outset by one pixel with a WM_TITLE_BAR-pixel title bar on top; the
 * structure is F plus a one-pixel drop shadow right and below. The close
 * box sits 8 pixels from the title bar's left, the zoom box 8 pixels from
 * its right, both WM_BOX square and 4 pixels from its top; the grow box is
 * the content's bottom-right WM_GROW square.
 *
 * The dialog boxes have no title bar and no boxes: dBoxProc's frame is
 * WM_DBOX_MARGIN pixels around the content, a 1-pixel black line, a
 * 1-pixel white one, a 2-pixel black one and white to the content;
 * plainDBox is a 1-pixel line; altDBoxProc a 1-pixel line with a 2-pixel
 * shadow right and below. A click anywhere on them is inContent.
 */
#include "wm_internal.h"

enum { WM_DBOX_MARGIN = 7, WM_ALT_SHADOW = 2 };

static bool wdef_dbox(WindowPeek w)
{
    short p = wm_data(w)->procID;
    return p == dBoxProc || p == plainDBox || p == altDBoxProc;
}

static void wdef_frame(WindowPeek w, Rect *f)
{
    Rect c;
    wm_content_rect(w, &c);
    if (wdef_dbox(w)) {
        short m = wm_data(w)->procID == dBoxProc ? WM_DBOX_MARGIN : 1;
        *f = c;
        InsetRect(f, (short)-m, (short)-m);
        return;
    }
    SetRect(f, (short)(c.left - 1), (short)(c.top - WM_TITLE_BAR), (short)(c.right + 1), (short)(c.bottom + 1));
}

bool wdef_has_grow(WindowPeek w)
{
    short p = wm_data(w)->procID;
    return p != noGrowDocProc && p != zoomNoGrow && !wdef_dbox(w);
}

void wdef_calc(WindowPeek w)
{
    if (!w->visible) {
        SetEmptyRgn(w->strucRgn);
        SetEmptyRgn(w->contRgn);
        return;
    }
    Rect c, f, sh;
    wm_content_rect(w, &c);
    wdef_frame(w, &f);
    RectRgn(w->contRgn, &c);
    /* Built in the System zone's scratch region, then copied: when the
     * window's handle cannot grow, the bounding rectangle (which also
     * covers every pixel the frame draws) stands in for the shape. */
    THz home = GetZone();
    SetZone(SystemZone());
    RgnHandle s = g_wm.scratch[3];
    sh = f;
    short shadow = !wdef_dbox(w) ? 1 : wm_data(w)->procID == altDBoxProc ? WM_ALT_SHADOW : 0;
    OffsetRect(&sh, shadow, shadow);
    RectRgn(s, &f);
    RectRgn(w->strucRgn, &sh);
    UnionRgn(s, w->strucRgn, s);
    OSErr e = QDError();
    SetZone(home);
    CopyRgn(s, w->strucRgn);
    if (e != noErr || QDError() != noErr) {
        UnionRect(&f, &sh, &f);
        RectRgn(w->strucRgn, &f);
    }
}

bool wdef_close_box(WindowPeek w, Rect *r)
{
    Rect f;
    wdef_frame(w, &f);
    SetRect(r, (short)(f.left + 8), (short)(f.top + 4), (short)(f.left + 8 + WM_BOX), (short)(f.top + 4 + WM_BOX));
    return w->goAwayFlag && w->hilited && !wdef_dbox(w);
}

bool wdef_zoom_box(WindowPeek w, Rect *r)
{
    Rect f;
    wdef_frame(w, &f);
    SetRect(r, (short)(f.right - 8 - WM_BOX), (short)(f.top + 4), (short)(f.right - 8), (short)(f.top + 4 + WM_BOX));
    return w->spareFlag && w->hilited && !wdef_dbox(w);
}

static void wdef_line(short h0, short v0, short h1, short v1)
{
    MoveTo(h0, v0);
    LineTo(h1, v1);
}

/* A dialog box's frame f, in the WMgrPort with the clip set. */
static void wdef_draw_dbox(WindowPeek w, const Rect *f)
{
    short p = wm_data(w)->procID;
    EraseRect(f);
    FrameRect(f);
    if (p == dBoxProc) {
        Rect in = *f;
        InsetRect(&in, 2, 2);
        PenSize(2, 2);
        FrameRect(&in);
        PenNormal();
    } else if (p == altDBoxProc) {
        Rect sh = { (short)(f->bottom), (short)(f->left + WM_ALT_SHADOW), (short)(f->bottom + WM_ALT_SHADOW),
                    (short)(f->right + WM_ALT_SHADOW) };
        PaintRect(&sh);
        SetRect(&sh, f->right, (short)(f->top + WM_ALT_SHADOW), (short)(f->right + WM_ALT_SHADOW), (short)(f->bottom + WM_ALT_SHADOW));
        PaintRect(&sh);
    }
    Rect wide = { -32767, -32767, 32767, 32767 };
    ClipRect(&wide);
}

void wdef_draw_frame(WindowPeek w, RgnHandle clip)
{
    if (!w->visible)
        return;
    GrafPtr saved;
    GetPort(&saved);
    SetPort(&g_wm.port);
    SetClip(clip);
    PenNormal();
    Rect f, c, ti, box;
    wdef_frame(w, &f);
    wm_content_rect(w, &c);
    if (wdef_dbox(w)) {
        wdef_draw_dbox(w, &f);
        SetPort(saved);
        return;
    }
    FrameRect(&f);
    wdef_line((short)(f.left + 1), f.bottom, f.right, f.bottom);        /* shadow */
    wdef_line(f.right, (short)(f.top + 1), f.right, f.bottom);
    SetRect(&ti, (short)(f.left + 1), (short)(f.top + 1), (short)(f.right - 1), (short)(c.top - 1));
    EraseRect(&ti);
    wdef_line(f.left, (short)(c.top - 1), (short)(f.right - 1), (short)(c.top - 1));
    if (w->hilited) {
        for (short v = (short)(ti.top + 3); v <= ti.top + 13; v = (short)(v + 2))
            wdef_line((short)(ti.left + 1), v, (short)(ti.right - 2), v);
        if (wdef_close_box(w, &box)) {
            Rect gap = box;
            InsetRect(&gap, -1, 0);
            EraseRect(&gap);
            FrameRect(&box);
        }
        if (wdef_zoom_box(w, &box)) {
            Rect gap = box, inner;
            InsetRect(&gap, -1, 0);
            EraseRect(&gap);
            FrameRect(&box);
            SetRect(&inner, box.left, box.top, (short)(box.left + 7), (short)(box.top + 7));
            FrameRect(&inner);
        }
    }
    if (w->titleHandle != NULL && **w->titleHandle > 0) {
        TextFont(0);
        TextFace(0);
        TextMode(srcOr);
        short tw = w->titleWidth, room = (short)(ti.right - ti.left - 64);
        if (tw > room)
            tw = room > 0 ? room : 0;
        short h = (short)((ti.left + ti.right - tw) / 2);
        Rect gap = { (short)(ti.top + 1), (short)(h - 6), (short)(ti.bottom), (short)(h + tw + 6) };
        if (w->hilited)
            EraseRect(&gap);
        Rect tclip = { ti.top, h, ti.bottom, (short)(h + tw) };
        RgnHandle t = g_wm.scratch[3];
        RectRgn(t, &tclip);
        SectRgn(t, clip, t);
        SetClip(t);
        HLock((Handle)w->titleHandle);
        MoveTo(h, (short)(ti.top + 13));
        DrawString(*w->titleHandle);
        HUnlock((Handle)w->titleHandle);
    }
    Rect wide = { -32767, -32767, 32767, 32767 };
    ClipRect(&wide);
    SetPort(saved);
}

short wdef_hit(WindowPeek w, Point p)
{
    if (!w->visible || !PtInRgn(p, w->strucRgn))
        return 0;
    Rect c, box;
    wm_content_rect(w, &c);
    if (wdef_dbox(w))
        return inContent;
    if (PtInRect(p, &c)) {
        SetRect(&box, (short)(c.right - WM_GROW), (short)(c.bottom - WM_GROW), c.right, c.bottom);
        return w->hilited && wdef_has_grow(w) && PtInRect(p, &box) ? inGrow : inContent;
    }
    if (wdef_close_box(w, &box) && PtInRect(p, &box))
        return inGoAway;
    if (wdef_zoom_box(w, &box) && PtInRect(p, &box))
        return EqualRect(&c, &wm_data(w)->zoom.stdState) ? inZoomIn : inZoomOut;
    return inDrag;
}

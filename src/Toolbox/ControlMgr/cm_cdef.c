/*
 * cm_cdef.c - the built-in control definitions in the System 7 look:
 * the push button (a rounded rectangle, its title centred, inverted while
 * pressed), the check box (a 12-pixel square, an X when checked, a dash
 * when mixed) and the radio button (a 12-pixel circle, a dot when on);
 * the last two draw their box's frame twice as thick while pressed. An
 * inactive control's title and box are dimmed with a gray pattern.
 *
 * Drawing uses the owner's port with the pen and text settings it had
 * restored after, the system font unless the procID has useWFont.
 */
#include "cm_internal.h"

/* The rectangle of the check box's square or the radio button's circle. */
static void cdef_box(const Rect *r, Rect *box)
{
    short top = (short)(r->top + (r->bottom - r->top - CM_BOX) / 2);
    SetRect(box, (short)(r->left + 2), top, (short)(r->left + 2 + CM_BOX), (short)(top + CM_BOX));
}

/* The title's baseline so the text is centred vertically in r. */
static short cdef_baseline(const Rect *r)
{
    FontInfo fi;
    GetFontInfo(&fi);
    return (short)(r->top + (r->bottom - r->top - fi.ascent - fi.descent) / 2 + fi.ascent);
}

/* Dim what lies in r: every other pixel whitened. */
static void cdef_dim(const Rect *r)
{
    PenPat(&qd.gray);
    PenMode(patBic);
    PaintRect(r);
    PenNormal();
}

static void cdef_button(ControlPtr p)
{
    Rect r = p->contrlRect;
    EraseRoundRect(&r, CM_BUTTON_OVAL, CM_BUTTON_OVAL);
    FrameRoundRect(&r, CM_BUTTON_OVAL, CM_BUTTON_OVAL);
    short w = StringWidth(p->contrlTitle);
    MoveTo((short)(r.left + (r.right - r.left - w) / 2), cdef_baseline(&r));
    DrawString(p->contrlTitle);
    if (p->contrlHilite == kControlInactivePart) {
        Rect in = r;
        InsetRect(&in, 3, 3);
        cdef_dim(&in);
    } else if (p->contrlHilite == inButton) {
        Rect in = r;
        InsetRect(&in, 1, 1);
        InvertRoundRect(&in, CM_BUTTON_OVAL - 2, CM_BUTTON_OVAL - 2);
    }
}

static void cdef_box_control(ControlPtr p, bool radio)
{
    Rect r = p->contrlRect, box, in;
    EraseRect(&r);
    cdef_box(&r, &box);
    in = box;
    InsetRect(&in, 1, 1);
    if (radio) {
        FrameOval(&box);
        if (p->contrlHilite == inCheckBox)
            FrameOval(&in);
        if (p->contrlValue != 0) {
            Rect dot = box;
            InsetRect(&dot, 3, 3);
            PaintOval(&dot);
        }
    } else {
        FrameRect(&box);
        if (p->contrlHilite == inCheckBox)
            FrameRect(&in);
        if (p->contrlValue == 1) {
            MoveTo(box.left, box.top);
            LineTo((short)(box.right - 1), (short)(box.bottom - 1));
            MoveTo((short)(box.right - 1), box.top);
            LineTo(box.left, (short)(box.bottom - 1));
        } else if (p->contrlValue > 1) {
            MoveTo((short)(box.left + 3), (short)(box.top + CM_BOX / 2 - 1));
            LineTo((short)(box.right - 4), (short)(box.top + CM_BOX / 2 - 1));
        }
    }
    MoveTo((short)(box.right + CM_BOX_GAP), cdef_baseline(&r));
    DrawString(p->contrlTitle);
    if (p->contrlHilite == kControlInactivePart)
        cdef_dim(&r);
}

void cdef_draw(ControlHandle c)
{
    GrafPtr port = qd.thePort;
    PenState pen;
    GetPenState(&pen);
    short font = port->txFont, size = port->txSize, mode = port->txMode;
    StyleField face = port->txFace;
    bool wfont = (cm_proc(c) & useWFont) != 0;
    short kind = cm_kind(c);
    HLock((Handle)c);                        /* DrawString reads the title in place */
    ControlPtr p = *c;
    PenNormal();
    if (!wfont) {
        TextFont(systemFont);
        TextFace(normal);
        TextSize(0);
    }
    TextMode(srcOr);
    if (kind == pushButProc)
        cdef_button(p);
    else
        cdef_box_control(p, kind == radioButProc);
    HUnlock((Handle)c);
    TextFont(font);
    TextFace(face);
    TextSize(size);
    TextMode(mode);
    SetPenState(&pen);
}

short cdef_hit(ControlHandle c, Point p)
{
    Rect r = (*c)->contrlRect;
    if (!PtInRect(p, &r))
        return 0;
    return cm_kind(c) == pushButProc ? inButton : inCheckBox;
}

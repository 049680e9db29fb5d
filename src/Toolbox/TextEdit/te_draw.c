/*
 * te_draw.c - what an edit record shows and how the mouse and the clock
 * change it: drawing the lines in viewRect, the selection inverted or
 * the caret, TEUpdate, TEActivate/TEDeactivate, TEIdle's blink,
 * TESetSelect, and TEClick (caret placement, dragging, shift-extend, a
 * double click selecting a word).
 *
 * Drawing is clipped to viewRect within the port's clip region (when the
 * two scratch regions it needs cannot be had, only whole lines inside
 * viewRect are drawn), with the cursor hidden; hText is locked while
 * DrawText reads it.
 */
#include "te_internal.h"

#include "Desktop.h"
#include "Events.h"
#include "platform.h"

/* The caret's rectangle for the current (empty) selection. */
static void te_caret_rect(TEHandle te, Rect *r)
{
    Point p = te_point_of(te, (*te)->selStart);
    SetRect(r, (short)(p.h - 1), p.v, p.h, (short)(p.v + (*te)->lineHeight));
    (*te)->selPoint = p;
    (*te)->selRect = *r;
}

void te_invert_caret(TEHandle te)
{
    Rect r, clip;
    te_caret_rect(te, &r);
    if (SectRect(&r, &(*te)->viewRect, &clip)) {
        HideCursor();
        InvertRect(&clip);
        ShowCursor();
    }
    (*te)->caretState = (short)!(*te)->caretState;
}

/* Invert the selection's rectangles, line by line. */
static void te_invert_selection(TEHandle te)
{
    long s = (*te)->selStart, e = (*te)->selEnd;
    long l0 = te_line_of(te, s), l1 = te_line_of(te, e);
    Point p0 = te_point_of(te, s), p1 = te_point_of(te, e);
    for (long l = l0; l <= l1; l++) {
        short top = (short)((*te)->destRect.top + l * (*te)->lineHeight);
        Rect r = { top, l == l0 ? p0.h : (*te)->destRect.left, (short)(top + (*te)->lineHeight),
                   l == l1 ? p1.h : (*te)->destRect.right };
        Rect in;
        if (SectRect(&r, &(*te)->viewRect, &in))
            InvertRect(&in);
        (*te)->selRect = r;
    }
    (*te)->selPoint = p1;
}

void te_draw(TEHandle te, const Rect *area)
{
    te_port_save ps;
    te_port_begin(te, &ps);
    Rect a;
    if (!SectRect(area, &(*te)->viewRect, &a)) {
        te_port_end(&ps);
        return;
    }
    RgnHandle saved = NewRgn(), clip = NewRgn();
    bool clipped = saved && clip;
    if (clipped) {
        GetClip(saved);
        RectRgn(clip, &a);
        SectRgn(clip, saved, clip);
        SetClip(clip);
    }
    HideCursor();
    EraseRect(&a);
    Handle ht = (*te)->hText;
    HLock(ht);
    short lh = (*te)->lineHeight;
    for (long l = 0; l < (*te)->nLines; l++) {
        short top = (short)((*te)->destRect.top + l * lh), bottom = (short)(top + lh);
        if (bottom <= a.top || top >= a.bottom)
            continue;
        if (!clipped && (top < a.top || bottom > a.bottom))
            continue;
        long s = (*te)->lineStarts[l], e = (*te)->lineStarts[l + 1];
        if (e > s && (unsigned char)(*ht)[e - 1] == TE_CR)
            e--;
        MoveTo((*te)->destRect.left, (short)(top + (*te)->fontAscent));
        DrawText(*ht, (short)s, (short)(e - s));
    }
    HUnlock(ht);
    (*te)->caretState = 0;
    if ((*te)->active) {
        if ((*te)->selStart != (*te)->selEnd)
            te_invert_selection(te);
        else {
            te_invert_caret(te);
            (*te)->caretTime = (long)TickCount();
        }
    }
    ShowCursor();
    if (clipped)
        SetClip(saved);
    if (saved)
        DisposeRgn(saved);
    if (clip)
        DisposeRgn(clip);
    te_port_end(&ps);
}

void te_redraw(TEHandle te)
{
    Rect v = (*te)->viewRect;
    te_draw(te, &v);
}

static bool te_ok(TEHandle te)
{
    if (te == NULL || *te == NULL || (*te)->hText == NULL) {
        g_te_err = paramErr;
        return false;
    }
    g_te_err = noErr;
    return true;
}

void TEUpdate(const Rect *rUpdate, TEHandle te)
{
    if (!te_ok(te) || rUpdate == NULL) {
        g_te_err = paramErr;
        return;
    }
    Rect r = *rUpdate;
    te_draw(te, &r);
}

void TEActivate(TEHandle te)
{
    if (!te_ok(te) || (*te)->active)
        return;
    (*te)->active = 1;
    te_redraw(te);
}

void TEDeactivate(TEHandle te)
{
    if (!te_ok(te) || !(*te)->active)
        return;
    (*te)->active = 0;
    te_redraw(te);
}

void TEIdle(TEHandle te)
{
    if (!te_ok(te) || !(*te)->active || (*te)->selStart != (*te)->selEnd)
        return;
    long now = (long)TickCount();
    if (now - (*te)->caretTime < te_caret_ticks)
        return;
    te_port_save ps;
    te_port_begin(te, &ps);
    te_invert_caret(te);
    te_port_end(&ps);
    (*te)->caretTime = now;
}

/* Select [a, b) in either order, pinned to the text; redrawn if it changed. */
static void te_select(TEHandle te, long a, long b)
{
    long len = (*te)->teLength;
    a = a < 0 ? 0 : a > len ? len : a;
    b = b < 0 ? 0 : b > len ? len : b;
    if (b < a) {
        long t = a;
        a = b;
        b = t;
    }
    if (a == (*te)->selStart && b == (*te)->selEnd)
        return;
    (*te)->selStart = (short)a;
    (*te)->selEnd = (short)b;
    te_redraw(te);
}

void TESetSelect(long selStart, long selEnd, TEHandle te)
{
    if (te_ok(te))
        te_select(te, selStart, selEnd);
}

static bool te_word_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* Select the word around off (a double click); false if off touches none. */
static bool te_select_word(TEHandle te, long off)
{
    const unsigned char *t = (const unsigned char *)*(*te)->hText;
    long len = (*te)->teLength, a = off, b = off;
    while (a > 0 && te_word_char(t[a - 1]))
        a--;
    while (b < len && te_word_char(t[b]))
        b++;
    if (a == b)
        return false;
    te_select(te, a, b);
    return true;
}

void TEClick(Point pt, Boolean extend, TEHandle te)
{
    if (!te_ok(te))
        return;
    te_port_save ps;
    te_port_begin(te, &ps);
    long off = te_offset_at(te, pt), anchor = off;
    if (extend)
        anchor = off <= (*te)->selStart ? (*te)->selEnd : (*te)->selStart;
    te_port_end(&ps);
    long now = (long)TickCount();
    bool dbl = !extend && off == (*te)->clickLoc && now - (*te)->clickTime <= te_double_ticks;
    (*te)->clickLoc = (short)off;
    (*te)->clickTime = now;
    if (dbl && te_select_word(te, off)) {
        (*te)->clickTime = now - te_double_ticks - 1;  /* a third click starts afresh */
        while (StillDown())
            plat_idle();
        EventRecord up;
        (void)GetOSEvent(mUpMask, &up);
        return;
    }
    te_select(te, anchor, off);
    while (StillDown()) {
        Point m;
        te_port_begin(te, &ps);
        GetMouse(&m);
        off = te_offset_at(te, m);
        te_port_end(&ps);
        te_select(te, anchor, off);
        plat_idle();
    }
    EventRecord up;
    if (GetOSEvent(mUpMask, &up)) {
        te_port_begin(te, &ps);
        Point m = up.where;
        GlobalToLocal(&m);
        off = te_offset_at(te, m);
        te_port_end(&ps);
        te_select(te, anchor, off);
    }
}

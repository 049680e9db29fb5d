/*
 * wm_update.c - update regions and update events: InvalRect/InvalRgn and
 * ValidRect/ValidRgn on the current window, BeginUpdate/EndUpdate, and the
 * hook through which GetNextEvent asks for an update event once the event
 * queue has nothing for it.
 *
 * Invariants: updateRgn is global and lies inside the window's contRgn;
 * between BeginUpdate and EndUpdate the window's visRgn is its visible
 * content intersected with what needed drawing, and the visRgn it had is
 * kept in g_wm.save_vis.
 */
#include "wm_internal.h"

/* The current port as a window in the list, or NULL. */
static WindowPeek wm_cur(void)
{
    WindowPeek w = wm_peek(qd.thePort);
    if (w == NULL || !wm_in_list(w)) {
        g_wm.err = paramErr;
        return NULL;
    }
    return w;
}

/* rgn (local to w) into global coordinates. */
static void wm_to_global(WindowPeek w, RgnHandle rgn)
{
    OffsetRgn(rgn, (short)-w->port.portBits.bounds.left, (short)-w->port.portBits.bounds.top);
}

static void wm_inval(RgnHandle local, bool add)
{
    WindowPeek w = wm_cur();
    if (w == NULL)
        return;
    RgnHandle t = g_wm.scratch[3];
    CopyRgn(local, t);
    wm_to_global(w, t);
    if (add) {
        SectRgn(t, w->contRgn, t);
        UnionRgn(w->updateRgn, t, w->updateRgn);
    } else {
        DiffRgn(w->updateRgn, t, w->updateRgn);
    }
    g_wm.err = QDError();
}

void InvalRgn(RgnHandle badRgn)
{
    if (badRgn)
        wm_inval(badRgn, true);
}

void ValidRgn(RgnHandle goodRgn)
{
    if (goodRgn)
        wm_inval(goodRgn, false);
}

void InvalRect(const Rect *badRect)
{
    if (badRect == NULL)
        return;
    RectRgn(g_wm.scratch[2], badRect);
    wm_inval(g_wm.scratch[2], true);
}

void ValidRect(const Rect *goodRect)
{
    if (goodRect == NULL)
        return;
    RectRgn(g_wm.scratch[2], goodRect);
    wm_inval(g_wm.scratch[2], false);
}

void BeginUpdate(WindowPtr wp)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || !wm_in_list(w) || g_wm.save_vis == NULL) {
        g_wm.err = paramErr;
        return;
    }
    CopyRgn(w->port.visRgn, g_wm.save_vis);
    RgnHandle t = g_wm.scratch[3];
    CopyRgn(w->updateRgn, t);
    OffsetRgn(t, w->port.portBits.bounds.left, w->port.portBits.bounds.top);
    SectRgn(w->port.visRgn, t, w->port.visRgn);
    SetEmptyRgn(w->updateRgn);
    g_wm.updating = w;
    g_wm.err = QDError();
}

void EndUpdate(WindowPtr wp)
{
    WindowPeek w = wm_peek(wp);
    if (w == NULL || w != g_wm.updating) {
        g_wm.err = paramErr;
        return;
    }
    CopyRgn(g_wm.save_vis, w->port.visRgn);
    g_wm.updating = NULL;
    g_wm.err = QDError();
}

/* The Event Manager's hook: an update event for the front-most window that needs one. */
Boolean wm_update_event(EventMask mask, EventRecord *e)
{
    if (!(mask & updateMask) || e == NULL)
        return false;
    for (WindowPeek w = g_wm.front; w != NULL; w = w->nextWindow)
        if (w->visible && !EmptyRgn(w->updateRgn)) {
            e->what = updateEvt;
            e->message = (unsigned long)(uintptr_t)&w->port;
            e->when = TickCount();
            e->where = ev_mouse_location();
            e->modifiers = 0;
            return true;
        }
    return false;
}

/*
 * wm_update.c - update regions and update events: InvalRect/InvalRgn and
 * ValidRect/ValidRgn on the current window, BeginUpdate/EndUpdate, and the
 * hook through which GetNextEvent asks for an update event once the event
 * queue has nothing for it; activate events, which GetNextEvent asks for
 * before anything else.
 *
 * Activate events work as Inside Macintosh: Macintosh Toolbox Essentials
 * describes: when the active window changes, one deactivate event (for the
 * window that was active) and one activate event (for the one that now is)
 * are pending, the deactivate reported first; message is the window,
 * activeFlag in modifiers is set to activate and clear to deactivate. A
 * change before the application has looked cancels what it no longer needs
 * to hear: a window activated and deactivated unseen gets neither event.
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

void wm_activate(WindowPeek w)
{
    WindowPeek old = g_wm.active;
    if (old == w)
        return;
    if (old != NULL) {
        if (g_wm.activate == old)
            g_wm.activate = NULL;            /* never reported active: nothing to take back */
        else
            g_wm.deactivate = old;
    }
    if (w != NULL) {
        if (g_wm.deactivate == w)
            g_wm.deactivate = NULL;          /* its deactivation was never reported */
        else
            g_wm.activate = w;
    }
    g_wm.active = w;
}

void wm_forget_active(WindowPeek w)
{
    if (g_wm.activate == w)
        g_wm.activate = NULL;
    if (g_wm.deactivate == w)
        g_wm.deactivate = NULL;
    if (g_wm.active == w)
        g_wm.active = NULL;
}

Boolean wm_activate_event(EventRecord *e, Boolean remove)
{
    WindowPeek *slot = g_wm.deactivate ? &g_wm.deactivate : g_wm.activate ? &g_wm.activate : NULL;
    if (slot == NULL || e == NULL)
        return false;
    e->what = activateEvt;
    e->message = (unsigned long)(uintptr_t)&(*slot)->port;
    e->modifiers = slot == &g_wm.activate ? activeFlag : 0;
    if (remove)
        *slot = NULL;
    return true;
}

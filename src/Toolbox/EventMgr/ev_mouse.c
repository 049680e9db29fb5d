/*
 * ev_mouse.c - the mouse: its global position pinned to the mouse bounds,
 * the button (down while the platform's or the script's button is down),
 * and the calls that read them: Button, StillDown, WaitMouseUp.
 *
 * A mouseDown or mouseUp is posted only when the combined button state
 * changes, so the queue always alternates them.
 */
#include "event_internal.h"

static short ev_clamp(short v, short lo, short hi_exclusive)
{
    if (v >= hi_exclusive)
        v = (short)(hi_exclusive - 1);
    return v < lo ? lo : v;
}

static bool ev_bounds_empty(void)
{
    return g_ev.bounds.bottom <= g_ev.bounds.top || g_ev.bounds.right <= g_ev.bounds.left;
}

void ev_mouse_set(Point p)
{
    if (!ev_bounds_empty()) {
        p.h = ev_clamp(p.h, g_ev.bounds.left, g_ev.bounds.right);
        p.v = ev_clamp(p.v, g_ev.bounds.top, g_ev.bounds.bottom);
    }
    bool moved = p.h != g_ev.mouse.h || p.v != g_ev.mouse.v;
    g_ev.mouse = p;
    if (moved && g_ev.hook)
        g_ev.hook(p);
}

void ev_set_mouse_bounds(const Rect *r)
{
    g_ev.bounds = r ? *r : (Rect){ 0, 0, 0, 0 };
    ev_mouse_set(g_ev.mouse);
}

void ev_set_mouse_hook(ev_mouse_hook hook)
{
    g_ev.hook = hook;
}

bool ev_button_down(void)
{
    return g_ev.hw_button || g_ev.script_button;
}

void ev_mouse_button_changed(void)
{
    bool down = ev_button_down();
    if (down == g_ev.button_reported)
        return;
    g_ev.button_reported = down;
    PostEvent(down ? mouseDown : mouseUp, 0);
}

Point ev_mouse_location(void)
{
    ev_pump();
    return g_ev.mouse;
}

Boolean Button(void)
{
    ev_pump();
    return ev_button_down();
}

/* A true answer is what a script's evStepTracked waits for (ev_script.c). */
Boolean StillDown(void)
{
    unsigned i;
    ev_pump();
    bool down = ev_button_down() && !ev_queue_find(mDownMask | mUpMask, &i);
    if (down && g_ev.awaiting_track && !g_ev.track_seen) {
        g_ev.track_seen = true;
        g_ev.track_tick = TickCount();
    }
    return down;
}

Boolean WaitMouseUp(void)
{
    if (StillDown())
        return true;
    unsigned i;
    if (ev_queue_find(mUpMask, &i)) {
        EventRecord gone;
        ev_queue_take(i, &gone, true);
    }
    return false;
}

/*
 * ev_toolbox.c - the pump that feeds the queue from its sources, and the
 * Toolbox calls on top of the queue: GetNextEvent, EventAvail.
 *
 * GetNextEvent returns, in Inside Macintosh's order of priority, a pending
 * activate event (the activate hook: the Window Manager's deactivate, then
 * activate), then what the queue holds, then, when it holds nothing for
 * the mask, an update event from the update hook. EventAvail reports the
 * same without removing it (it asks for no update event).
 */
#include "event_internal.h"

#include "platform.h"

/* At most this many platform inputs per pump, so a babbling device cannot hold the caller. */
enum { ev_pump_max_inputs = 256 };

static void ev_platform_input(void)
{
    plat_input in;
    for (int n = 0; n < ev_pump_max_inputs && plat_input_poll(&in); n++) {
        if (in.kind == PLAT_INPUT_MOUSE) {
            ev_mouse_set((Point){ .v = (short)(g_ev.mouse.v + in.dv), .h = (short)(g_ev.mouse.h + in.dh) });
            g_ev.hw_button = in.button;
            ev_mouse_button_changed();
        } else if (in.kind == PLAT_INPUT_KEY) {
            ev_key_event(in.key_code, in.key_down, 0);
        }
    }
}

void ev_pump(void)
{
    if (g_ev.in_pump)
        return;             /* a mouse hook that asks for events does not re-enter */
    g_ev.in_pump = true;
    UInt32 now = TickCount();
    ev_platform_input();
    ev_script_run(now);
    ev_autokey(now);
    g_ev.in_pump = false;
}

static ev_update_hook ev_updates;

void ev_set_update_hook(ev_update_hook hook)
{
    ev_updates = hook;
}

static ev_activate_hook ev_activates;

void ev_set_activate_hook(ev_activate_hook hook)
{
    ev_activates = hook;
}

/* A pending activate event for the mask, completed with the time, the mouse
 * and the modifier keys; removed from the pending ones when remove. */
static Boolean ev_activate(EventMask eventMask, EventRecord *theEvent, Boolean remove)
{
    if (ev_activates == NULL || theEvent == NULL || !(eventMask & activMask))
        return false;
    ev_pump();
    if (!ev_activates(theEvent, remove))
        return false;
    theEvent->when = TickCount();
    theEvent->where = g_ev.mouse;
    theEvent->modifiers = (EventModifiers)((ev_modifiers() & ~activeFlag) | (theEvent->modifiers & activeFlag));
    return true;
}

Boolean GetNextEvent(EventMask eventMask, EventRecord *theEvent)
{
    if (ev_activate(eventMask, theEvent, true))
        return true;
    if (GetOSEvent(eventMask, theEvent))
        return true;
    return ev_updates != NULL && ev_updates(eventMask, theEvent);
}

Boolean EventAvail(EventMask eventMask, EventRecord *theEvent)
{
    if (ev_activate(eventMask, theEvent, false))
        return true;
    return OSEventAvail(eventMask, theEvent);
}

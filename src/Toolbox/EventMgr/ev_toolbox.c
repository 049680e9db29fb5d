/*
 * ev_toolbox.c - the pump that feeds the queue from its sources, and the
 * Toolbox calls on top of the queue: GetNextEvent, EventAvail.
 *
 * GetNextEvent returns what the queue holds; when it holds nothing for the
 * mask, the update hook (the Window Manager's) may supply an update event.
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

Boolean GetNextEvent(EventMask eventMask, EventRecord *theEvent)
{
    if (GetOSEvent(eventMask, theEvent))
        return true;
    return ev_updates != NULL && ev_updates(eventMask, theEvent);
}

Boolean EventAvail(EventMask eventMask, EventRecord *theEvent)
{
    return OSEventAvail(eventMask, theEvent);
}

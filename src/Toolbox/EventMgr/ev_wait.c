/*
 * ev_wait.c - the Event Manager calls that need QuickDraw: WaitNextEvent
 * (the mouse region is a QuickDraw region) and GetMouse (local coordinates
 * of the current port).
 */
#include "event_internal.h"

#include "platform.h"

void GetMouse(Point *mouseLoc)
{
    ev_pump();
    if (!mouseLoc)
        return;
    *mouseLoc = g_ev.mouse;
    if (qd.thePort)
        GlobalToLocal(mouseLoc);
}

static bool ev_mouse_outside(RgnHandle mouseRgn)
{
    return mouseRgn && *mouseRgn && !PtInRgn(g_ev.mouse, mouseRgn);
}

Boolean WaitNextEvent(EventMask eventMask, EventRecord *theEvent, UInt32 sleep, RgnHandle mouseRgn)
{
    UInt32 start = TickCount();
    for (;;) {
        if (GetNextEvent(eventMask, theEvent))
            return true;
        if (theEvent && (eventMask & osMask) && ev_mouse_outside(mouseRgn)) {
            theEvent->what = osEvt;
            theEvent->message = (unsigned long)mouseMovedMessage << 24;
            return true;
        }
        if (TickCount() - start >= sleep)
            return false;
        plat_idle();
    }
}

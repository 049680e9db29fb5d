/*
 * ev_check.c - verifies the Event Manager's invariants (event_internal.h);
 * the tests call it after every step, so a broken queue or a mouse outside
 * its bounds is found where it happens.
 */
#include "event_internal.h"

#include "lib/kprintf.h"

static bool ev_fail(const char *what)
{
    kprintf("ev_check: %s\n", what);
    return false;
}

bool ev_check(void)
{
    if (g_ev.count > ev_queue_capacity || g_ev.head >= ev_queue_capacity)
        return ev_fail("queue head or count out of range");
    for (unsigned i = 0; i < g_ev.count; i++) {
        EventKind w = g_ev.q[(g_ev.head + i) % ev_queue_capacity].what;
        if (w == nullEvent || w > 15)
            return ev_fail("a queued event is a null event or of an unknown kind");
    }
    const Rect *b = &g_ev.bounds;
    if (b->bottom > b->top && b->right > b->left &&
        (g_ev.mouse.h < b->left || g_ev.mouse.h >= b->right || g_ev.mouse.v < b->top ||
         g_ev.mouse.v >= b->bottom))
        return ev_fail("the mouse is outside its bounds");
    if (g_ev.script_pc > g_ev.script_count)
        return ev_fail("script position past its end");
    if (!g_ev.script && (g_ev.script_count || g_ev.script_pc))
        return ev_fail("no script but a script position");
    if (g_ev.awaiting_track &&
        (!g_ev.script || g_ev.script_pc >= g_ev.script_count || g_ev.script[g_ev.script_pc].op != evStepTracked))
        return ev_fail("waiting for a tracking loop outside an evStepTracked step");
    return true;
}

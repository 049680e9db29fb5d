/*
 * ev_queue.c - the operating-system event queue: PostEvent, FlushEvents,
 * GetOSEvent, OSEventAvail, SetEventMask, and the state record itself.
 *
 * The queue is a fixed ring of ev_queue_capacity records inside g_ev (the
 * Macintosh keeps a fixed number of queue elements too); posting to a full
 * queue drops the oldest event. Events come out oldest first among those
 * matching the caller's mask.
 */
#include "event_internal.h"

#include <stddef.h>

#include "lib/kstring.h"
#include "platform.h"

/* The LP64 record with natural alignment, as every record in this tree. */
_Static_assert(offsetof(EventRecord, message) == 8 && offsetof(EventRecord, when) == 16 &&
                   offsetof(EventRecord, where) == 20 && offsetof(EventRecord, modifiers) == 24 &&
                   sizeof(EventRecord) == 32,
               "EventRecord layout");

/* Everything but keyUp, as the Macintosh starts. */
enum { ev_default_mask = everyEvent & ~keyUpMask };

ev_state g_ev = { .sys_mask = ev_default_mask, .repeat_key = 0xFF };

static unsigned ev_slot(unsigned index)
{
    return (g_ev.head + index) % ev_queue_capacity;
}

void ev_null_event(EventRecord *out)
{
    *out = (EventRecord){
        .what = nullEvent, .message = 0, .when = TickCount(), .where = g_ev.mouse,
        .modifiers = ev_modifiers(),
    };
}

void ev_post(EventKind what, unsigned long message)
{
    if (g_ev.count == ev_queue_capacity) {
        g_ev.head = ev_slot(1);
        g_ev.count--;
    }
    EventRecord *e = &g_ev.q[ev_slot(g_ev.count)];
    ev_null_event(e);
    e->what = what;
    e->message = message;
    g_ev.count++;
}

bool ev_queue_find(EventMask mask, unsigned *index)
{
    for (unsigned i = 0; i < g_ev.count; i++) {
        if (mask & (1u << g_ev.q[ev_slot(i)].what)) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* Copies event `index` to *out; when remove, closes the gap keeping the order. */
void ev_queue_take(unsigned index, EventRecord *out, bool remove)
{
    *out = g_ev.q[ev_slot(index)];
    if (!remove)
        return;
    for (unsigned i = index; i + 1 < g_ev.count; i++)
        g_ev.q[ev_slot(i)] = g_ev.q[ev_slot(i + 1)];
    g_ev.count--;
}

static Boolean ev_os_event(EventMask mask, EventRecord *theEvent, bool remove)
{
    unsigned i;
    ev_pump();
    if (!theEvent)
        return false;
    if (!ev_queue_find(mask, &i)) {
        ev_null_event(theEvent);
        return false;
    }
    ev_queue_take(i, theEvent, remove);
    return true;
}

OSErr PostEvent(EventKind eventCode, unsigned long eventMsg)
{
    if (eventCode == nullEvent || eventCode > 15 || !(g_ev.sys_mask & (1u << eventCode)))
        return evtNotEnb;
    ev_post(eventCode, eventMsg);
    return noErr;
}

void FlushEvents(EventMask whichMask, EventMask stopMask)
{
    ev_pump();
    unsigned i = 0;
    while (i < g_ev.count) {
        EventKind what = g_ev.q[ev_slot(i)].what;
        if (stopMask & (1u << what))
            return;
        if (whichMask & (1u << what)) {
            EventRecord gone;
            ev_queue_take(i, &gone, true);
        } else {
            i++;
        }
    }
}

Boolean GetOSEvent(EventMask mask, EventRecord *theEvent)
{
    return ev_os_event(mask, theEvent, true);
}

Boolean OSEventAvail(EventMask mask, EventRecord *theEvent)
{
    return ev_os_event(mask, theEvent, false);
}

void SetEventMask(EventMask value)
{
    g_ev.sys_mask = value;
}

UInt32 TickCount(void)
{
    return plat_ticks();
}

void ev_init(const Rect *mouseBounds)
{
    ev_mouse_hook hook = g_ev.hook;
    nk_memset(&g_ev, 0, sizeof g_ev);
    g_ev.sys_mask = ev_default_mask;
    g_ev.repeat_key = 0xFF;
    g_ev.hook = hook;
    ev_set_mouse_bounds(mouseBounds);
    if (mouseBounds)
        g_ev.mouse = (Point){ .v = (short)((mouseBounds->top + mouseBounds->bottom) / 2),
                              .h = (short)((mouseBounds->left + mouseBounds->right) / 2) };
    ev_mouse_set(g_ev.mouse);
}

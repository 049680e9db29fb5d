/*
 * ev_script.c - the scripted source: a list of ev_step played against
 * TickCount, so a boot (or a test) drives the mouse and keyboard without a
 * person.
 *
 * Each step starts at step_due. Down, up and key steps take no time; a
 * pause moves step_due on by its length; a move with ticks > 0 glides
 * linearly from where the mouse was when it started, reaching its target
 * at step_due + ticks. ev_script_run executes every step that is due, so
 * however late the pump runs, the script's timeline is kept, never drifted,
 * with one exception: a step that posts events waits while the queue has
 * no room for them. A slow application (a debug mode checking the heap on
 * every call) then gets a burst of due steps late instead of losing the
 * oldest of them to a full queue, as a typist would wait for a busy machine.
 */
#include "event_internal.h"

static bool ev_step_valid(const ev_step *s)
{
    return s->op >= evStepEnd && s->op <= evStepTracked && (s->op != evStepKey || s->keyCode < 128);
}

OSErr ev_script_start(const ev_step *steps, size_t count)
{
    if (!steps)
        return paramErr;
    for (size_t i = 0; i < count && steps[i].op != evStepEnd; i++)
        if (!ev_step_valid(&steps[i]))
            return paramErr;
    ev_script_stop();
    g_ev.script = steps;
    g_ev.script_count = count;
    g_ev.script_pc = 0;
    g_ev.step_due = TickCount();
    g_ev.gliding = false;
    g_ev.awaiting_track = false;
    return noErr;
}

Boolean ev_script_running(void)
{
    ev_pump();
    return g_ev.script != NULL;
}

void ev_script_stop(void)
{
    g_ev.script = NULL;
    g_ev.script_count = g_ev.script_pc = 0;
    g_ev.gliding = false;
    g_ev.awaiting_track = false;
    if (g_ev.script_button) {
        g_ev.script_button = false;
        ev_mouse_button_changed();
    }
}

static short ev_lerp(short from, short to, UInt32 done, UInt32 total)
{
    return (short)(from + (long)(to - from) * (long)done / (long)total);
}

/* Advances a move step; true when it has reached its target. */
static bool ev_step_move(const ev_step *s, UInt32 now)
{
    if (s->ticks == 0) {
        ev_mouse_set(s->where);
        return true;
    }
    if (!g_ev.gliding) {
        g_ev.gliding = true;
        g_ev.glide_from = g_ev.mouse;
    }
    UInt32 done = now - g_ev.step_due;
    if (done >= s->ticks) {
        ev_mouse_set(s->where);
        g_ev.gliding = false;
        g_ev.step_due += s->ticks;
        return true;
    }
    ev_mouse_set((Point){ .v = ev_lerp(g_ev.glide_from.v, s->where.v, done, s->ticks),
                          .h = ev_lerp(g_ev.glide_from.h, s->where.h, done, s->ticks) });
    return false;
}

/* evStepTracked: the first run starts the wait; the step ends at the first
 * run after a StillDown saw the button down (ev_mouse.c notes it only while
 * a step waits), and the following steps are timed from that call's tick. */
static bool ev_step_tracked(void)
{
    if (!g_ev.awaiting_track) {
        g_ev.awaiting_track = true;
        g_ev.track_seen = false;
        return false;
    }
    if (!g_ev.track_seen)
        return false;
    g_ev.awaiting_track = false;
    g_ev.step_due = g_ev.track_tick;
    return true;
}

/* Whether the queue has room for n more events (a step waits until it has). */
static bool ev_script_room(unsigned n)
{
    return g_ev.count + n <= ev_queue_capacity;
}

/* Runs step s at or after its due time; false while it is still in progress. */
static bool ev_step_run(const ev_step *s, UInt32 now)
{
    switch (s->op) {
    case evStepMove:
        return ev_step_move(s, now);
    case evStepDown:
    case evStepUp:
        if (!ev_script_room(1))
            return false;
        g_ev.script_button = s->op == evStepDown;
        ev_mouse_button_changed();
        return true;
    case evStepKey:
        if (!ev_script_room(2))
            return false;
        ev_key_event(s->keyCode, true, s->modifiers);
        ev_key_event(s->keyCode, false, s->modifiers);
        return true;
    case evStepPause:
        g_ev.step_due += s->ticks;
        return true;
    case evStepTracked:
        return ev_step_tracked();
    case evStepEnd:
        break;
    }
    return true;
}

void ev_script_run(UInt32 now)
{
    while (g_ev.script && (SInt32)(now - g_ev.step_due) >= 0) {
        if (g_ev.script_pc >= g_ev.script_count || g_ev.script[g_ev.script_pc].op == evStepEnd) {
            g_ev.script = NULL;
            g_ev.script_count = g_ev.script_pc = 0;
            return;
        }
        if (!ev_step_run(&g_ev.script[g_ev.script_pc], now))
            return;
        g_ev.script_pc++;
    }
}

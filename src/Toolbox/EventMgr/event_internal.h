/*
 * event_internal.h - the Event Manager's one state record and the helpers
 * its files share (ev_ prefix; nothing here is public).
 *
 * Invariants (ev_check verifies them):
 *   1. 0 <= count <= ev_queue_capacity, head < ev_queue_capacity; the queued
 *      events are q[head], q[head+1], ... (mod capacity), oldest first, and
 *      none is a nullEvent;
 *   2. the mouse lies inside bounds (right and bottom exclusive) whenever
 *      bounds is not empty;
 *   3. script_pc <= script_count; script is NULL exactly when no script runs.
 */
#ifndef EVENTMGR_EVENT_INTERNAL_H
#define EVENTMGR_EVENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "Events.h"

/* Virtual key codes the manager itself must know (modifier keys). */
enum {
    ev_kc_command = 0x37, ev_kc_shift = 0x38, ev_kc_caps = 0x39, ev_kc_option = 0x3A,
    ev_kc_control = 0x3B, ev_kc_rshift = 0x3C, ev_kc_roption = 0x3D, ev_kc_rcontrol = 0x3E,
};

/* Auto-key timing in ticks: first repeat after KeyThresh, then every KeyRepThresh. */
enum { ev_key_thresh = 24, ev_key_rep_thresh = 6 };

typedef struct ev_state {
    EventRecord q[ev_queue_capacity];
    unsigned head, count;
    EventMask sys_mask;

    Point mouse;                  /* global */
    Rect bounds;
    bool hw_button;               /* the platform's button */
    bool script_button;           /* the script's button */
    bool button_reported;         /* the button state the last mouse event posted */
    ev_mouse_hook hook;

    KeyMapByteArray keys;
    bool alpha_lock;              /* caps lock toggles it */
    UInt8 repeat_key;             /* the key auto-key repeats; 0xFF: none */
    UInt32 repeat_due;

    const ev_step *script;
    size_t script_count, script_pc;
    UInt32 step_due;              /* tick at which the current step starts */
    bool gliding;                 /* a move step is in progress */
    Point glide_from;
    EventModifiers script_mods;
    bool awaiting_track;          /* an evStepTracked step is waiting */
    bool track_seen;              /* ...and a StillDown has returned true since it began */
    UInt32 track_tick;            /* the tick of that StillDown */

    bool in_pump;
} ev_state;

extern ev_state g_ev;

/* ev_queue.c */
void ev_post(EventKind what, unsigned long message);   /* ignores the mask check's result */
bool ev_queue_find(EventMask mask, unsigned *index);   /* index = 0 for the oldest */
void ev_queue_take(unsigned index, EventRecord *out, bool remove);
void ev_null_event(EventRecord *out);

/* ev_mouse.c */
void ev_mouse_set(Point p);                /* pinned to bounds; calls the hook on change */
void ev_mouse_button_changed(void);        /* post mouseDown/Up if the combined state changed */
bool ev_button_down(void);

/* ev_keys.c */
EventModifiers ev_modifiers(void);
void ev_key_event(UInt8 keyCode, bool down, EventModifiers extra);
void ev_autokey(UInt32 now);

/* ev_script.c */
void ev_script_run(UInt32 now);

/* ev_check.c: invariants above; false (with a diagnostic) on the first broken one. */
bool ev_check(void);

#endif

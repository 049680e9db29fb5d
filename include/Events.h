/*
 * Events.h - the Event Manager: the event queue, the mouse and the keyboard,
 * and the tick clock, named as in Apple's Universal Interfaces (Events.h,
 * OSUtils.h for the queue calls) with the LP64 EventRecord of Apple's 64-bit
 * interfaces: `message` is an unsigned long, so it can carry a pointer (a
 * WindowPtr in update and activate events). Semantics follow Inside
 * Macintosh: Macintosh Toolbox Essentials, chapter 2.
 *
 * Sources. Two feed the queue, both drained whenever an Event Manager call
 * looks at the state (ev_pump): the platform's input (plat_input_poll: the
 * PS/2 mouse and keyboard on a PC) and a script of mouse moves, button
 * presses, keys and pauses played against TickCount, so a boot runs
 * unattended. The mouse position is global (screen) coordinates, pinned to
 * the rectangle set by ev_set_mouse_bounds.
 *
 * The queue holds ev_queue_capacity events; posting to a full queue drops
 * the oldest, as the Macintosh's does. Only event kinds enabled in the
 * system event mask (SetEventMask; everything but keyUp by default) are
 * posted. Key events carry the character code in bits 0-7 of message and the
 * virtual key code in bits 8-15, translated by a US keyboard layout.
 */
#ifndef EVENTS_H
#define EVENTS_H

#include "MacTypes.h"
#include "Quickdraw.h"

typedef UInt16 EventKind;
typedef UInt16 EventMask;
typedef UInt16 EventModifiers;

enum {                              /* EventKind */
    nullEvent = 0, mouseDown = 1, mouseUp = 2, keyDown = 3, keyUp = 4, autoKey = 5,
    updateEvt = 6, diskEvt = 7, activateEvt = 8, osEvt = 15, kHighLevelEvent = 23,
};

enum {                              /* EventMask */
    mDownMask = 1 << mouseDown, mUpMask = 1 << mouseUp, keyDownMask = 1 << keyDown,
    keyUpMask = 1 << keyUp, autoKeyMask = 1 << autoKey, updateMask = 1 << updateEvt,
    diskMask = 1 << diskEvt, activMask = 1 << activateEvt, highLevelEventMask = 0x0400,
    osMask = 1 << osEvt, everyEvent = 0xFFFF,
};

enum {                              /* message fields of key events */
    charCodeMask = 0x000000FF, keyCodeMask = 0x0000FF00,
};

#define osEvtMessageMask 0xFF000000ul /* osEvt: the message's kind, bits 24-31 */
enum { mouseMovedMessage = 0xFA, suspendResumeMessage = 0x01 };

enum {                              /* EventModifiers */
    activeFlag = 0x0001,
    btnState = 0x0080,              /* set while the button is UP */
    cmdKey = 0x0100, shiftKey = 0x0200, alphaLock = 0x0400, optionKey = 0x0800,
    controlKey = 0x1000, rightShiftKey = 0x2000, rightOptionKey = 0x4000,
    rightControlKey = 0x8000,
};

enum { evtNotEnb = 1 };             /* PostEvent: that kind is not enabled */

typedef struct EventRecord {      /* natural alignment: 32 bytes, message at 8 */
    EventKind      what;
    unsigned long  message;
    UInt32         when;            /* TickCount when it happened */
    Point          where;           /* mouse, global coordinates */
    EventModifiers modifiers;
} EventRecord;

/* Key k (virtual key code 0..127) is down when bit (k & 7) of byte (k >> 3)
 * is set: the byte order of the 68000's big-endian long words. */
typedef UInt32 KeyMap[4];
typedef UInt8  KeyMapByteArray[16];

/* ---- the queue (OSUtils) -------------------------------------------------- */
/* Posts an event now at the current mouse position and modifiers: noErr, or
 * evtNotEnb when eventCode is not enabled in the system event mask. */
OSErr   PostEvent(EventKind eventCode, unsigned long eventMsg);
/* Removes the events of whichMask from the front, stopping at the first
 * event of stopMask; other events are left in place. */
void    FlushEvents(EventMask whichMask, EventMask stopMask);
/* The first queued event of mask, removed (GetOSEvent) or left (OSEventAvail);
 * false and a null event when there is none. */
Boolean GetOSEvent(EventMask mask, EventRecord *theEvent);
Boolean OSEventAvail(EventMask mask, EventRecord *theEvent);
void    SetEventMask(EventMask value);

/* ---- the Toolbox calls ------------------------------------------------------ */
Boolean GetNextEvent(EventMask eventMask, EventRecord *theEvent);
Boolean EventAvail(EventMask eventMask, EventRecord *theEvent);
/* GetNextEvent that waits up to sleep ticks for an event; when mouseRgn is
 * not NULL and the mouse is outside it, returns a mouse-moved osEvt. */
Boolean WaitNextEvent(EventMask eventMask, EventRecord *theEvent, UInt32 sleep, RgnHandle mouseRgn);

/* ---- mouse, keyboard, time ------------------------------------------------- */
void    GetMouse(Point *mouseLoc);  /* local coordinates of the current port (global without one) */
Boolean Button(void);
Boolean StillDown(void);            /* down, and no mouse event queued since */
Boolean WaitMouseUp(void);          /* StillDown; false also dequeues the mouse-up */
void    GetKeys(KeyMap theKeys);
UInt32  TickCount(void);

/* ---- project extensions (not in Apple's interfaces) ------------------------- */
enum { ev_queue_capacity = 32 };

/* Empties the queue and the key map, button up, mouse at the centre of the
 * bounds, default event mask; the script stops. InitEvents-like. */
void    ev_init(const Rect *mouseBounds);
/* The mouse in global coordinates (GetMouse gives local ones). */
Point   ev_mouse_location(void);
/* The rectangle the mouse is pinned to (right and bottom exclusive). */
void    ev_set_mouse_bounds(const Rect *r);
/* Drain the platform input and run the script up to now. Every call above
 * does this first; a caller that only draws can call it too. */
void    ev_pump(void);
/* The character the built-in US layout gives virtual key keyCode with
 * modifiers (shiftKey, alphaLock, controlKey); 0 for a modifier key or an
 * unknown code. */
UInt8   ev_key_char(UInt8 keyCode, EventModifiers modifiers);
/* Called after every change of the mouse position (the cursor follows it). */
typedef void (*ev_mouse_hook)(Point globalPt);
void    ev_set_mouse_hook(ev_mouse_hook hook);

/* Asked by GetNextEvent when the queue holds nothing for the mask: the
 * Window Manager's update events (an event in *e and true, or false). */
typedef Boolean (*ev_update_hook)(EventMask mask, EventRecord *e);
void    ev_set_update_hook(ev_update_hook hook);

/* Asked first by GetNextEvent and EventAvail when the mask takes activMask:
 * the Window Manager's pending activate event (what, message, and activeFlag
 * in modifiers; the Event Manager adds the time, mouse and modifier keys),
 * taken off its pending ones when remove. */
typedef Boolean (*ev_activate_hook)(EventRecord *e, Boolean remove);
void    ev_set_activate_hook(ev_activate_hook hook);

/* A script step. Moves glide over `ticks` ticks (0: jump); downs and ups
 * post a mouse event at the current position; a key posts keyDown then
 * keyUp for the virtual key code with the given modifiers; a pause waits.
 * evStepTracked waits, however long it takes, until a tracking loop has
 * seen the scripted button down once since the step began (StillDown has
 * returned true: the loop took the mouseDown and reads the mouse where the
 * script left it); the timeline goes on from that tick. It makes a script
 * independent of the machine's speed where a check needs the tracking to
 * have begun before the next step (a release, a move on). */
typedef enum ev_step_op {
    evStepEnd = 0, evStepMove, evStepDown, evStepUp, evStepKey, evStepPause, evStepTracked,
} ev_step_op;

typedef struct ev_step {
    ev_step_op op;
    Point      where;              /* evStepMove: the destination (global) */
    UInt16     ticks;              /* evStepMove: glide time; evStepPause: length */
    UInt8      keyCode;            /* evStepKey */
    EventModifiers modifiers;      /* evStepKey: cmdKey, shiftKey, optionKey, controlKey */
} ev_step;

/* Starts playing steps[0..) until evStepEnd or count steps; the array must
 * stay valid while it plays. paramErr (nothing started) for a NULL array or
 * an op out of range in it. */
OSErr   ev_script_start(const ev_step *steps, size_t count);
Boolean ev_script_running(void);
/* Stops the script; a button it pressed is released (posting mouseUp). */
void    ev_script_stop(void);

#endif

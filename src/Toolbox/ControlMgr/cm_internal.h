/*
 * cm_internal.h - the Control Manager's shared state and helpers: the
 * record's size rule, the argument check every routine starts with, and
 * the built-in definition's entry points (cm_cdef.c).
 *
 * Invariants: a control's block is exactly CM_HEADER + 1 + title length
 * bytes; it is in the control list of its contrlOwner, which is a window
 * in the window list; contrlData is a handle of sizeof(cm_cdata).
 */
#ifndef CM_INTERNAL_H
#define CM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "Controls.h"
#include "MemoryMgr/MemoryManager.h"

enum {
    CM_HEADER = (int)offsetof(ControlRecord, contrlTitle),
    CM_BOX = 12,             /* the check box's square and the radio button's circle */
    CM_BOX_GAP = 5,          /* between the box and the title */
    CM_BUTTON_OVAL = 16,     /* the push button's corner oval */
    CM_MAX_CONTROLS = 4096,  /* a list longer than this is taken to be a cycle */
};

/* A control's definition data (its contrlData). */
typedef struct cm_cdata {
    short procID;
} cm_cdata;

extern OSErr g_cm_err;

static inline ControlHandle cm_list(WindowPtr w)
{
    return (ControlHandle)(void *)((WindowPeek)(void *)w)->controlList;
}

static inline short cm_proc(ControlHandle c)
{
    return ((cm_cdata *)(void *)*(*c)->contrlData)->procID;
}

/* The kind of definition: pushButProc, checkBoxProc or radioButProc. */
static inline short cm_kind(ControlHandle c)
{
    return (short)(cm_proc(c) & ~useWFont);
}

/* Is w a window in the window list? */
bool cm_window_ok(WindowPtr w);
/* c is a control in its owner's list, or g_cm_err = paramErr and false. */
bool cm_arg(ControlHandle c);

/* cm_cdef.c: draw c in its owner's port (the caller has set it). */
void cdef_draw(ControlHandle c);
/* The part of c under the local point p (ignoring visibility and hilite), or 0. */
short cdef_hit(ControlHandle c, Point p);

#endif

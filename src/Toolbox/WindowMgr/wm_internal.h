/*
 * wm_internal.h - the Window Manager's shared state and helpers: the
 * window list, the Window Manager port, the desktop region, the scratch
 * regions, and the window definition's entry points (wm_wdef.c).
 *
 * Invariants: g_wm.front is the head of the list (front to back through
 * nextWindow); every window in it was built completely by NewWindow (all
 * its regions and handles exist); a window's strucRgn and contRgn are
 * empty while it is invisible; scratch regions live in the System zone so
 * memory pressure in the Application zone cannot stop a redraw; the
 * pending activate and deactivate events name windows in the list, never
 * the same one.
 */
#ifndef WM_INTERNAL_H
#define WM_INTERNAL_H

#include <stdbool.h>

#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"

enum {
    WM_TITLE_BAR = 19,       /* title bar height, its frame lines included */
    WM_BOX = 11,             /* close and zoom boxes */
    WM_GROW = 15,            /* the grow box at the content's bottom-right */
    WM_SCRATCH = 6,          /* 0-2 wm_recalc, 3 the definition, 4-5 the calls that change windows */
    WM_TOUCHED = 4,
    WM_KEEP = 5,
    WM_MIN_SIZE = 64,        /* GrowWindow's smallest content, both ways */
};

/* A window's definition data (its dataHandle). */
typedef struct wm_wdata {
    WStateData zoom;
    short procID;
} wm_wdata;

typedef struct wm_state {
    bool ready;
    WindowPeek front;
    GrafPort port;           /* WMgrPort: the whole screen */
    RgnHandle gray;          /* the desktop: the screen below the menu bar */
    RgnHandle scratch[WM_SCRATCH];
    RgnHandle save_vis;      /* the updating window's visRgn (BeginUpdate) */
    WindowPeek updating;
    WindowPeek active;       /* the window the application was last told is active */
    WindowPeek activate;     /* pending activate event (CurActivate), or NULL */
    WindowPeek deactivate;   /* pending deactivate event (CurDeactive), or NULL */
    OSErr err;
} wm_state;

extern wm_state g_wm;

static inline WindowPeek wm_peek(WindowPtr w)
{
    return (WindowPeek)(void *)w;
}

static inline wm_wdata *wm_data(WindowPeek w)
{
    return (wm_wdata *)(void *)*w->dataHandle;
}

/* Is w in the window list? */
bool wm_in_list(WindowPeek w);

/* Content rectangle (global) of w from its port. */
void wm_content_rect(WindowPeek w, Rect *r);

/* wm_wdef.c: compute strucRgn and contRgn from the port (empty if invisible). */
void wdef_calc(WindowPeek w);
/* Draw w's frame (title bar, boxes, shadow) in the WMgrPort, clipped to clip (global). */
void wdef_draw_frame(WindowPeek w, RgnHandle clip);
/* Which part of w (global point): inContent, inDrag, inGrow, inGoAway, inZoomIn/Out, or 0. */
short wdef_hit(WindowPeek w, Point p);
/* The rectangles of the title bar's boxes (global). */
bool wdef_close_box(WindowPeek w, Rect *r);
bool wdef_zoom_box(WindowPeek w, Rect *r);
bool wdef_has_grow(WindowPeek w);

/*
 * Recompute every window's visRgn front to back and draw what lies in
 * `exposed` (global) and has become visible: frames drawn, content erased
 * and added to the window's updateRgn (except inside `keep`, content whose
 * pixels are already right), the desktop filled. exposed NULL: nothing drawn.
 */
void wm_recalc(RgnHandle exposed, WindowPeek keep_win, RgnHandle keep);

/* wm_update.c: the Event Manager's hook for update events. */
Boolean wm_update_event(EventMask mask, EventRecord *e);
/* wm_update.c: the Event Manager's hook for activate events. */
Boolean wm_activate_event(EventRecord *e, Boolean remove);
/* w (NULL: none) becomes the active window: the deactivate and activate events this needs are made pending. */
void wm_activate(WindowPeek w);
/* w leaves the list: no event is pending for it and it is no longer active. */
void wm_forget_active(WindowPeek w);

/* The union of strucRgns of the visible windows in front of w, into dst. */
void wm_cover_before(WindowPeek w, RgnHandle dst);

#endif

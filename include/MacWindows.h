/*
 * MacWindows.h - the Window Manager (Macintosh Toolbox Essentials, chapter
 * 4) on QuickDraw, with Apple's WindowRecord in LP64.
 *
 * Every window is a GrafPort on the screen whose portRect is its content
 * in local coordinates; strucRgn, contRgn and updateRgn are global. The
 * window list runs front to back from FrontWindow through nextWindow.
 * Whenever windows open, close, move, resize, hide, show or change order,
 * the visible regions are recomputed front to back with the region
 * algebra, and only what became visible is drawn: frames by the window
 * definition at once, content erased and added to updateRgn, so that
 * GetNextEvent/WaitNextEvent return an update event for the window.
 *
 * The one window definition is the standard document window (the System 7
 * look): a 1-pixel frame with a drop shadow, a 19-pixel title bar with
 * stripes, a close box and a zoom box when the window is active, and an
 * optional grow box (DrawGrowIcon). procID: documentProc, noGrowDocProc,
 * zoomDocProc, zoomNoGrow; other IDs are drawn as documentProc.
 */
#ifndef MACWINDOWS_H
#define MACWINDOWS_H

#include "Events.h"
#include "MacTypes.h"
#include "Quickdraw.h"

typedef unsigned char **StringHandle;

typedef struct WindowRecord {
    GrafPort port;
    short windowKind;               /* userKind for NewWindow's windows */
    Boolean visible;
    Boolean hilited;
    Boolean goAwayFlag;             /* has a close box */
    Boolean spareFlag;              /* has a zoom box */
    RgnHandle strucRgn;             /* global: frame, title bar and shadow */
    RgnHandle contRgn;              /* global: the content */
    RgnHandle updateRgn;            /* global: what needs drawing */
    Handle windowDefProc;           /* NULL: the built-in document definition */
    Handle dataHandle;              /* the definition's data (wm_wdata: procID, zoom states) */
    StringHandle titleHandle;
    short titleWidth;               /* pixels */
    Handle controlList;
    struct WindowRecord *nextWindow;
    Handle windowPic;
    long refCon;
} WindowRecord;

typedef GrafPtr WindowPtr;
typedef WindowRecord *WindowPeek;
typedef WindowPtr WindowRef;

/* The zoom states kept in a zoomable window's dataHandle. */
typedef struct WStateData {
    Rect userState;
    Rect stdState;
} WStateData;

enum {
    documentProc = 0, dBoxProc = 1, plainDBox = 2, altDBoxProc = 3,
    noGrowDocProc = 4, movableDBoxProc = 5, zoomDocProc = 8, zoomNoGrow = 12,
};

enum { dialogKind = 2, userKind = 8 };

/* FindWindow part codes. */
enum {
    inDesk = 0, inMenuBar = 1, inSysWindow = 2, inContent = 3, inDrag = 4,
    inGrow = 5, inGoAway = 6, inZoomIn = 7, inZoomOut = 8,
};


void      InitWindows(void);
void      GetWMgrPort(GrafPtr *wPort);
RgnHandle GetGrayRgn(void);
WindowPtr NewWindow(void *wStorage, const Rect *boundsRect, ConstStr255Param title, Boolean visible,
                    short theProc, WindowPtr behind, Boolean goAwayFlag, long refCon);
WindowPtr GetNewWindow(short windowID, void *wStorage, WindowPtr behind);
void      CloseWindow(WindowPtr w);      /* caller's storage stays */
void      DisposeWindow(WindowPtr w);    /* CloseWindow, and DisposePtr of NewPtr storage */
WindowPtr FrontWindow(void);
void      SelectWindow(WindowPtr w);
void      BringToFront(WindowPtr w);
void      SendBehind(WindowPtr w, WindowPtr behindWindow);
void      HideWindow(WindowPtr w);
void      ShowWindow(WindowPtr w);
void      HiliteWindow(WindowPtr w, Boolean fHilite);
void      MoveWindow(WindowPtr w, short hGlobal, short vGlobal, Boolean front);
void      DragWindow(WindowPtr w, Point startPt, const Rect *boundsRect); /* a gray outline follows the mouse */
void      SizeWindow(WindowPtr w, short width, short height, Boolean fUpdate);
long      GrowWindow(WindowPtr w, Point startPt, const Rect *sizeRect); /* gray outline; height << 16 | width, 0 if unchanged */
void      ZoomWindow(WindowPtr w, short partCode, Boolean front);
Boolean   TrackBox(WindowPtr w, Point thePt, short partCode);
Boolean   TrackGoAway(WindowPtr w, Point thePt);
short     FindWindow(Point thePoint, WindowPtr *theWindow);
void      SetWTitle(WindowPtr w, ConstStr255Param title);
void      GetWTitle(WindowPtr w, Str255 title);
void      SetWRefCon(WindowPtr w, long data);
long      GetWRefCon(WindowPtr w);
void      InvalRect(const Rect *badRect);   /* local to the current port (a window) */
void      InvalRgn(RgnHandle badRgn);
void      ValidRect(const Rect *goodRect);
void      ValidRgn(RgnHandle goodRgn);
void      BeginUpdate(WindowPtr w);         /* visRgn limited to what needs drawing */
void      EndUpdate(WindowPtr w);           /* visRgn back, updateRgn empty */
void      DrawGrowIcon(WindowPtr w);

WindowPeek LMGetWindowList(void);          /* the front of the window list (visible or not) */

/* The procedure DragGrayRgn calls each time through its loop, while the
 * button is down (NULL: none). */
typedef void (*DragGrayRgnProcPtr)(void);
typedef DragGrayRgnProcPtr DragGrayRgnUPP;
enum { noConstraint = 0, hAxisOnly = 1, vAxisOnly = 2 };
/*
 * Drag a gray outline of theRgn (local to the current port) with the mouse
 * until the button comes up; the outline is drawn in XOR and erased at the
 * end. The offset keeps the start point inside limitRect and follows axis;
 * outside slopRect the outline disappears. Returns the offset (vertical in
 * the high word, horizontal in the low word), or 0x80008000 when released
 * outside slopRect.
 */
long      DragGrayRgn(RgnHandle theRgn, Point startPt, const Rect *limitRect, const Rect *slopRect,
                      short axis, DragGrayRgnUPP actionProc);
/* DragHook: called each time through the tracking loops of DragWindow,
 * GrowWindow, DragGrayRgn, TrackGoAway and TrackBox (NULL: none). */
UniversalProcPtr LMGetDragHook(void);
void      LMSetDragHook(UniversalProcPtr value);

/* ---- project extensions ---------------------------------------------------------- */
/* The last error the Window Manager met (memFullErr when NewWindow failed). */
OSErr     wm_error(void);
/* Close every window and forget the window list (tests). */
void      wm_reset(void);
/* Called by CloseWindow, before anything of the window is freed, when its
 * controlList is not NULL: the Control Manager disposes the controls. */
typedef void (*wm_close_hook)(WindowPtr w);
void      wm_set_close_hook(wm_close_hook hook);

#endif

/*
 * Controls.h - the Control Manager (Macintosh Toolbox Essentials, chapter
 * 5) for what dialogs need: push buttons, check boxes and radio buttons,
 * with Apple's ControlRecord in LP64 and the System 7 look.
 *
 * A control is a ControlRecord in a relocatable block of the current zone
 * (a ControlHandle), sized to hold its title and no more, so
 * SetControlTitle grows and shrinks it. Its definition data (contrlData)
 * is a second handle holding the procID; contrlDefProc is NULL for the
 * built-in definitions (there are no CDEF resources). Controls belong to
 * one window and are kept in its control list (WindowRecord.controlList,
 * newest first through nextControl); closing the window disposes them.
 * Rectangles and points are in the owner window's local coordinates.
 * Drawing happens in the owner's port, clipped as any drawing there.
 *
 * contrlVis is 255 when visible and 0 when hidden; contrlHilite is 0 for
 * an active control, a part code while that part is highlighted, and 255
 * (kControlInactivePart) when inactive. contrlMin <= contrlValue <=
 * contrlMax always (SetControlValue pins). The push button's default
 * outline is drawn by the caller (the Dialog Manager), as in System 7.
 *
 * Bad arguments (a NULL handle, a handle that is not a control in its
 * owner's list, an unknown procID) change nothing; routines that return a
 * value return 0 and cm_error() says why.
 */
#ifndef CONTROLS_H
#define CONTROLS_H

#include "MacTypes.h"
#include "MacWindows.h"
#include "Quickdraw.h"

typedef struct ControlRecord ControlRecord;
typedef ControlRecord *ControlPtr;
typedef ControlPtr *ControlHandle;
typedef ControlHandle ControlRef;

/* Called while TrackControl follows the mouse, with the part it is in. */
typedef void (*ControlActionProcPtr)(ControlHandle theControl, short partCode);
typedef ControlActionProcPtr ControlActionUPP;

struct ControlRecord {
    ControlHandle nextControl;     /* the next (older) control of the same window */
    WindowPtr contrlOwner;
    Rect contrlRect;
    UInt8 contrlVis;               /* 255 visible, 0 hidden */
    UInt8 contrlHilite;            /* 0 active, a part code, 255 inactive */
    short contrlValue;
    short contrlMin;
    short contrlMax;
    Handle contrlDefProc;          /* NULL: a built-in definition */
    Handle contrlData;             /* the definition's data: its procID */
    ControlActionUPP contrlAction;
    long contrlRfCon;
    Str255 contrlTitle;            /* only 1 + length bytes are in the block */
};

enum {                              /* control definition IDs */
    pushButProc = 0, checkBoxProc = 1, radioButProc = 2, useWFont = 8, scrollBarProc = 16,
};

enum {                              /* part codes */
    inButton = 10, inCheckBox = 11,
    kControlNoPart = 0, kControlButtonPart = 10, kControlCheckBoxPart = 11,
    kControlRadioButtonPart = 11, kControlInactivePart = 255,
};

enum { kControlCheckBoxUncheckedValue = 0, kControlCheckBoxCheckedValue = 1 };

ControlHandle NewControl(WindowPtr owningWindow, const Rect *boundsRect, ConstStr255Param controlTitle,
                         Boolean initiallyVisible, short initialValue, short minimumValue,
                         short maximumValue, short procID, long controlReference);
ControlHandle GetNewControl(short resourceID, WindowPtr owningWindow);  /* from 'CNTL' */
void    DisposeControl(ControlHandle theControl);  /* erased if visible, unlinked, freed */
void    KillControls(WindowPtr theWindow);         /* DisposeControl of every control */
void    DrawControls(WindowPtr theWindow);         /* every visible control */
void    Draw1Control(ControlHandle theControl);
void    UpdateControls(WindowPtr theWindow, RgnHandle updateRegion); /* those meeting the region (local) */
void    ShowControl(ControlHandle theControl);
void    HideControl(ControlHandle theControl);     /* erased and its rectangle invalidated */
void    HiliteControl(ControlHandle theControl, short hiliteState);
void    MoveControl(ControlHandle theControl, short h, short v);       /* new top-left */
void    SizeControl(ControlHandle theControl, short w, short h);
short   FindControl(Point testPoint, WindowPtr theWindow, ControlHandle *theControl);
short   TestControl(ControlHandle theControl, Point testPoint);
/* Follows the mouse while its button is down, the part highlighted while
 * the mouse is inside it; the part code if the button came up inside,
 * else 0. actionProc: NULL none, (ControlActionUPP)-1 the control's own. */
short   TrackControl(ControlHandle theControl, Point startPoint, ControlActionUPP actionProc);
void    SetControlValue(ControlHandle theControl, short newValue);
short   GetControlValue(ControlHandle theControl);
void    SetControlMinimum(ControlHandle theControl, short newMinimum);
short   GetControlMinimum(ControlHandle theControl);
void    SetControlMaximum(ControlHandle theControl, short newMaximum);
short   GetControlMaximum(ControlHandle theControl);
void    SetControlTitle(ControlHandle theControl, ConstStr255Param title);
void    GetControlTitle(ControlHandle theControl, Str255 title);
void    SetControlReference(ControlHandle theControl, long data);
long    GetControlReference(ControlHandle theControl);
void    SetControlAction(ControlHandle theControl, ControlActionUPP actionProc);
ControlActionUPP GetControlAction(ControlHandle theControl);
short   GetControlVariant(ControlHandle theControl);  /* the procID's low 4 bits */

/* Apple's older names. */
#define SetCtlValue SetControlValue
#define GetCtlValue GetControlValue
#define SetCTitle   SetControlTitle
#define GetCTitle   GetControlTitle
#define SetCRefCon  SetControlReference
#define GetCRefCon  GetControlReference

/* ---- project extensions ---------------------------------------------------------- */
/* The last error the Control Manager met: memFullErr (NewControl,
 * SetControlTitle), resNotFound, paramErr (a bad handle or procID). */
OSErr   cm_error(void);
/* Verifies theWindow's control list: each handle a live block big enough
 * for its title, owned by theWindow, min <= value <= max, visibility and
 * definition data sane, no cycle. noErr or paramErr, with a diagnostic
 * when report is true. */
OSErr   cm_check(WindowPtr theWindow, Boolean report);
/* The number of controls in theWindow's list. */
short   cm_count(WindowPtr theWindow);

#endif

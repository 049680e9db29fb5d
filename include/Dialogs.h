/*
 * Dialogs.h - the Dialog Manager (Macintosh Toolbox Essentials, chapter
 * 6): dialog boxes and alerts on the Window Manager, named as in Apple's
 * Universal Interfaces, with DialogRecord in LP64.
 *
 * A dialog is a window (windowKind dialogKind) whose DialogRecord extends
 * the WindowRecord with its item list: a handle holding Apple's DITL
 * format exactly (the item count minus one, then per item a 4-byte
 * placeholder, the display rectangle, the type byte, the data length and
 * the data, padded to even; all big-endian), followed, 8-byte aligned, by
 * one pointer-sized entry per item: the item's handle (a control, or the
 * item's text in a handle of its own for static and edit text) or its
 * procedure (user items). A 64-bit handle does not fit the 4-byte
 * placeholder, so the placeholder stays zero and the table holds it.
 *
 * Items: buttons, check boxes and radio buttons are Control Manager
 * controls in the dialog's control list; static text and edit text are
 * handles of text (no length byte); user items are procedures the
 * application installs with SetDialogItem. A hidden item's rectangle is
 * moved 16384 pixels right, as Apple's HideDialogItem does. Static text
 * is drawn word-wrapped in its rectangle with ^0..^3 replaced by the
 * ParamText strings.
 *
 * Alerts read an ALRT resource: its rectangle, its DITL ID and a word of
 * four stage nibbles (stage 1 in bits 0-3): bit 3 the default item (0 OK
 * = item 1, 1 Cancel = item 2), bit 2 whether the box is drawn, bits 0-1
 * the sound (0-3) passed to the ErrorSound procedure. The same alert shown
 * again goes to the next stage (the fourth repeats); another alert, or
 * ResetAlertStage, starts again at the first. An alert whose stage draws
 * no box returns -1 after its sound.
 *
 * Memory. Templates (DLOG, ALRT) and item lists (DITL) read only for one
 * call are released after it; those already in memory stay as they are.
 * CouldAlert/CouldDialog read an alert's or dialog's templates and make
 * them unpurgeable, so they are there when memory is short; FreeAlert/
 * FreeDialog make them purgeable again. When the Application zone cannot
 * hold an alert, it is built once more in the System zone, so a preloaded
 * alert can still report that memory ran out. A dialog that cannot be
 * completely built is not built at all (NULL, nothing left over).
 */
#ifndef DIALOGS_H
#define DIALOGS_H

#include "Controls.h"
#include "Events.h"
#include "MacTypes.h"
#include "MacWindows.h"
#include "Quickdraw.h"
#include "TextEdit.h"

typedef SInt16 DialogItemIndex;
typedef SInt16 DialogItemType;
typedef WindowPtr DialogPtr;
typedef DialogPtr DialogRef;

typedef struct DialogRecord {
    WindowRecord window;
    Handle items;                   /* the item list (see above) */
    TEHandle textH;                 /* the one TERec of the dialog's edit text items */
    SInt16 editField;               /* the current edit text item minus 1; -1 when none */
    SInt16 editOpen;                /* used internally */
    SInt16 aDefItem;                /* the default item: Return and Enter hit it */
} DialogRecord;
typedef DialogRecord *DialogPeek;

/* Item types (the DITL type byte). */
enum {
    userItem = 0, ctrlItem = 4, btnCtrl = 0, chkCtrl = 1, radCtrl = 2, resCtrl = 3,
    statText = 8, editText = 16, iconItem = 32, picItem = 64, itemDisable = 128,
};

/* Standard item numbers. */
enum { kStdOkItemIndex = 1, kStdCancelItemIndex = 2, ok = 1, cancel = 2 };

/* Alert icon IDs. */
enum { kStopIcon = 0, kNoteIcon = 1, kCautionIcon = 2 };

/* Procedures. A UPP is the procedure pointer itself. */
typedef Boolean (*ModalFilterProcPtr)(DialogPtr theDialog, EventRecord *theEvent, DialogItemIndex *itemHit);
typedef void (*UserItemProcPtr)(DialogPtr theDialog, DialogItemIndex itemNo);
typedef void (*SoundProcPtr)(SInt16 soundNumber);
typedef ModalFilterProcPtr ModalFilterUPP;
typedef UserItemProcPtr UserItemUPP;
typedef SoundProcPtr SoundUPP;

static inline ModalFilterUPP NewModalFilterUPP(ModalFilterProcPtr p) { return p; }
static inline UserItemUPP NewUserItemUPP(UserItemProcPtr p) { return p; }
static inline SoundUPP NewSoundUPP(SoundProcPtr p) { return p; }
static inline void DisposeModalFilterUPP(ModalFilterUPP u) { (void)u; }
static inline void DisposeUserItemUPP(UserItemUPP u) { (void)u; }
static inline void DisposeSoundUPP(SoundUPP u) { (void)u; }

void      InitDialogs(void *ignored);
void      ErrorSound(SoundUPP soundProc);     /* NULL: alerts make no sound */

DialogPtr NewDialog(void *dStorage, const Rect *boundsRect, ConstStr255Param title, Boolean visible,
                    SInt16 procID, WindowPtr behind, Boolean goAwayFlag, SInt32 refCon, Handle items);
DialogPtr GetNewDialog(SInt16 dialogID, void *dStorage, WindowPtr behind);
void      CloseDialog(DialogPtr theDialog);   /* caller's storage stays */
void      DisposeDialog(DialogPtr theDialog);

void      ModalDialog(ModalFilterUPP modalFilter, DialogItemIndex *itemHit);
Boolean   IsDialogEvent(const EventRecord *theEvent);
Boolean   DialogSelect(const EventRecord *theEvent, DialogPtr *theDialog, DialogItemIndex *itemHit);
void      DrawDialog(DialogPtr theDialog);
void      UpdateDialog(DialogPtr theDialog, RgnHandle updateRgn);

void      GetDialogItem(DialogPtr theDialog, DialogItemIndex itemNo, DialogItemType *itemType, Handle *item, Rect *box);
void      SetDialogItem(DialogPtr theDialog, DialogItemIndex itemNo, DialogItemType itemType, Handle item,
                        const Rect *box);
void      GetDialogItemText(Handle item, Str255 text);
void      SetDialogItemText(Handle item, ConstStr255Param text);
void      SelectDialogItemText(DialogPtr theDialog, DialogItemIndex itemNo, SInt16 strtSel, SInt16 endSel);
void      HideDialogItem(DialogPtr theDialog, DialogItemIndex itemNo);
void      ShowDialogItem(DialogPtr theDialog, DialogItemIndex itemNo);
DialogItemIndex FindDialogItem(DialogPtr theDialog, Point thePt);   /* 0-based, -1 when none */
DialogItemIndex CountDITL(DialogPtr theDialog);
void      ParamText(ConstStr255Param param0, ConstStr255Param param1, ConstStr255Param param2,
                    ConstStr255Param param3);

DialogItemIndex Alert(SInt16 alertID, ModalFilterUPP modalFilter);
DialogItemIndex StopAlert(SInt16 alertID, ModalFilterUPP modalFilter);
DialogItemIndex NoteAlert(SInt16 alertID, ModalFilterUPP modalFilter);
DialogItemIndex CautionAlert(SInt16 alertID, ModalFilterUPP modalFilter);
SInt16    GetAlertStage(void);                /* 0..3: the stage of the last alert minus 1 */
void      ResetAlertStage(void);
void      CouldAlert(SInt16 alertID);
void      FreeAlert(SInt16 alertID);
void      CouldDialog(SInt16 dialogID);
void      FreeDialog(SInt16 dialogID);

/* Older names. */
#define GetDItem(d, i, t, h, b) GetDialogItem((d), (i), (t), (h), (b))
#define SetDItem(d, i, t, h, b) SetDialogItem((d), (i), (t), (h), (b))
#define GetIText(h, s)          GetDialogItemText((h), (s))
#define SetIText(h, s)          SetDialogItemText((h), (s))
#define SelIText(d, i, s, e)    SelectDialogItemText((d), (i), (s), (e))
#define HideDItem(d, i)         HideDialogItem((d), (i))
#define ShowDItem(d, i)         ShowDialogItem((d), (i))
#define ResetAlrtStage()        ResetAlertStage()

/* ---- project extensions ---------------------------------------------------------- */
/* The last error the Dialog Manager met: memFullErr when a dialog or alert
 * could not be built, resNotFound for a missing template, paramErr for a
 * malformed one or a bad argument. */
OSErr     dm_error(void);

#endif

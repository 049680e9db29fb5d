/*
 * dm_internal.h - the Dialog Manager's shared state and its item-list
 * helpers (dm_items.c).
 *
 * Invariants: a dialog's item list was checked whole by dm_items_check
 * before the dialog was made, so every walk below stays inside the handle;
 * the table of item objects sits at the handle's end, one entry per item;
 * every dialog the Dialog Manager made is a window of windowKind
 * dialogKind in the window list until CloseDialog.
 */
#ifndef DM_INTERNAL_H
#define DM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "Dialogs.h"
#include "MemoryMgr/MemoryManager.h"
#include "Resources.h"

#define DM_TYPE(a, b, c, d) ((ResType)(a) << 24 | (ResType)(b) << 16 | (ResType)(c) << 8 | (ResType)(d))

enum {
    DM_HIDE_OFFSET = 16384,       /* HideDialogItem moves the rectangle this far right */
    DM_ITEM_HEAD = 14,            /* placeholder 4, rectangle 8, type 1, length 1 */
    DM_TEXT_MAX = 1280,           /* static text after ParamText: 255 + 4 x 255 and more */
    DM_ALERT_STAGES = 4,
};

typedef struct dm_state {
    Str255 param[4];              /* ParamText's ^0..^3 */
    SoundUPP sound;               /* ErrorSound */
    SInt16 alert_id;              /* the last alert shown (ANumber) */
    SInt16 alert_count;           /* its stage minus 1 (ACount); -1 after ResetAlertStage */
    OSErr err;
    unsigned char text[DM_TEXT_MAX];   /* static text with the parameters substituted */
} dm_state;

extern dm_state g_dm;

static inline DialogPeek dm_peek(DialogPtr d)
{
    return (DialogPeek)(void *)d;
}

static inline uint16_t dm_get16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void dm_put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A dialog argument: a dialog in the window list, or NULL (paramErr). */
DialogPeek dm_arg(DialogPtr d);

/* Item list layout. dm_items_check: the bytes [0, len) are a well-formed
 * DITL; its item count and the byte length it occupies. */
bool   dm_items_check(const unsigned char *p, Size len, int *count, Size *used);
int    dm_count(Handle items);
/* Offset of item n (1-based) in the list; the list must have been checked. */
Size   dm_item_at(Handle items, int n);
/* The object table's entry of item n (1-based). */
void **dm_slot(Handle items, int n);
void   dm_item_rect(Handle items, int n, Rect *r);
void   dm_set_item_rect(Handle items, int n, const Rect *r);
unsigned dm_item_type(Handle items, int n);

/* Make the objects of every item (controls, text handles); false and
 * nothing left when memory runs out. dm_items_free undoes it. */
bool   dm_items_make(DialogPeek d);
void   dm_items_free(DialogPeek d);

/* Drawing. */
void   dm_draw_item(DialogPeek d, int n);
void   dm_draw_text_box(const unsigned char *text, Size len, const Rect *r, bool substitute);
void   dm_outline_default(DialogPeek d);

/* Edit text: make item n (1-based) the current field, its text in the TERec. */
void   dm_edit_enter(DialogPeek d, int n, bool select_all);
void   dm_edit_leave(DialogPeek d);

/* An alert: its default button outlined, defItem hit by Return and Enter. */
void   dm_mark_alert(DialogPtr theDialog, SInt16 defItem);
/* A template resource, loaded if need be; *release: this call loaded it. */
Handle dm_template(ResType type, short id, bool *release);
/* A copy of DITL id in the current zone. */
Handle dm_copy_ditl(short id);

#endif

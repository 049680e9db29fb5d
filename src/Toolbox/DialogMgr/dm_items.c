/*
 * dm_items.c - the item list: checking a DITL, walking it, the table of
 * item objects at its end, making and freeing those objects, and drawing
 * items (word-wrapped static text with ParamText's substitutions, framed
 * edit text, controls, user items).
 *
 * The list is Apple's DITL bytes (big-endian) followed by the object
 * table, 8-byte aligned, of dm_count() pointer-sized entries. Items are
 * numbered from 1; the walk from the start is checked once, at NewDialog,
 * and trusted afterwards because nothing but this file changes the list.
 */
#include "dm_internal.h"

dm_state g_dm = { .alert_id = -1, .alert_count = -1 };

/* ---- layout ------------------------------------------------------------------------------ */

static Size dm_item_size(const unsigned char *item)
{
    Size n = DM_ITEM_HEAD + item[13];
    return (n + 1) & ~(Size)1;
}

bool dm_items_check(const unsigned char *p, Size len, int *count, Size *used)
{
    if (p == NULL || len < 2)
        return false;
    int n = (int16_t)dm_get16(p) + 1;
    if (n < 1)
        return false;
    Size at = 2;
    for (int i = 0; i < n; i++) {
        if (at + DM_ITEM_HEAD > len)
            return false;
        Size s = dm_item_size(p + at);
        if (at + s > len && at + DM_ITEM_HEAD + p[at + 13] > len)
            return false;
        at += s;
    }
    *count = n;
    *used = at > len ? len : at;
    return true;
}

int dm_count(Handle items)
{
    return (int16_t)dm_get16((const unsigned char *)*items) + 1;
}

Size dm_item_at(Handle items, int n)
{
    const unsigned char *p = (const unsigned char *)*items;
    Size at = 2;
    for (int i = 1; i < n; i++)
        at += dm_item_size(p + at);
    return at;
}

void **dm_slot(Handle items, int n)
{
    Size table = GetHandleSize(items) - (Size)dm_count(items) * (Size)sizeof(void *);
    return (void **)(void *)(*items + table) + (n - 1);
}

void dm_item_rect(Handle items, int n, Rect *r)
{
    const unsigned char *p = (const unsigned char *)*items + dm_item_at(items, n) + 4;
    SetRect(r, (short)dm_get16(p + 2), (short)dm_get16(p), (short)dm_get16(p + 6), (short)dm_get16(p + 4));
}

void dm_set_item_rect(Handle items, int n, const Rect *r)
{
    unsigned char *p = (unsigned char *)*items + dm_item_at(items, n) + 4;
    dm_put16(p, (uint16_t)r->top);
    dm_put16(p + 2, (uint16_t)r->left);
    dm_put16(p + 4, (uint16_t)r->bottom);
    dm_put16(p + 6, (uint16_t)r->right);
}

unsigned dm_item_type(Handle items, int n)
{
    return ((const unsigned char *)*items)[dm_item_at(items, n) + 12];
}

static void dm_set_item_type(Handle items, int n, unsigned type)
{
    ((unsigned char *)*items)[dm_item_at(items, n) + 12] = (unsigned char)type;
}

/* The item's data bytes (its text or title) copied out as a Pascal string. */
static void dm_item_data(Handle items, int n, Str255 s)
{
    const unsigned char *p = (const unsigned char *)*items + dm_item_at(items, n);
    s[0] = p[13];
    BlockMoveData(p + 14, s + 1, p[13]);
}

static bool dm_hidden(const Rect *r)
{
    return r->left >= DM_HIDE_OFFSET / 2;
}

/* ---- item objects ------------------------------------------------------------------------- */

void dm_items_free(DialogPeek d)
{
    Handle items = d->items;
    int n = dm_count(items);
    Handle te_text = d->textH ? (**d->textH).hText : NULL;
    for (int i = 1; i <= n; i++) {
        void **slot = dm_slot(items, i);
        void *obj = *slot;
        *slot = NULL;
        unsigned kind = dm_item_type(items, i) & 0x7F;
        if (obj == NULL)
            continue;
        if (kind & ctrlItem)
            DisposeControl((ControlHandle)obj);
        else if ((kind == statText || kind == editText) && (Handle)obj != te_text)
            DisposeHandle((Handle)obj);
    }
    if (d->textH) {
        TEDispose(d->textH);                    /* with the current field's text */
        d->textH = NULL;
    }
    d->editField = -1;
}

bool dm_items_make(DialogPeek d)
{
    Handle items = d->items;
    int n = dm_count(items);
    WindowPtr w = &d->window.port;
    int first_edit = 0;
    for (int i = 1; i <= n; i++) {
        Str255 s;
        Rect r;
        dm_item_data(items, i, s);
        dm_item_rect(items, i, &r);
        unsigned kind = dm_item_type(items, i) & 0x7F;
        void *obj = NULL;
        if (kind == ctrlItem + resCtrl) {
            const unsigned char *p = (const unsigned char *)*items + dm_item_at(items, i);
            short id = p[13] >= 2 ? (short)dm_get16(p + 14) : 0;
            ControlHandle c = GetNewControl(id, w);
            if (c != NULL)
                MoveControl(c, r.left, r.top);
            obj = c;
        } else if (kind & ctrlItem) {
            obj = NewControl(w, &r, s, true, 0, 0, 1, (short)(kind & 3), 0);
        } else if (kind == statText || kind == editText) {
            Handle h = NewHandle(s[0]);
            if (h != NULL)
                BlockMoveData(s + 1, *h, s[0]);
            obj = h;
            if (kind == editText && first_edit == 0)
                first_edit = i;
        } else {
            continue;                           /* user items, icons and pictures own nothing */
        }
        if (obj == NULL) {
            dm_items_free(d);
            return false;
        }
        *dm_slot(items, i) = obj;
    }
    if (first_edit) {
        Rect r;
        dm_item_rect(items, first_edit, &r);
        SetPort(w);
        d->textH = TENew(&r, &r);
        if (d->textH == NULL) {
            dm_items_free(d);
            return false;
        }
        dm_edit_enter(d, first_edit, true);
    }
    return true;
}

/* ---- edit text ------------------------------------------------------------------------------- */

void dm_edit_leave(DialogPeek d)
{
    if (d->textH && d->editField >= 0)
        TEDeactivate(d->textH);
}

/* The TERec edits the item's own handle: hText is pointed at it, and the
 * handle TENew made for itself is given up the first time. */
void dm_edit_enter(DialogPeek d, int n, bool select_all)
{
    TEHandle te = d->textH;
    if (te == NULL || (dm_item_type(d->items, n) & 0x7F) != editText)
        return;
    Handle text = (Handle)*dm_slot(d->items, n);
    Rect r;
    dm_item_rect(d->items, n, &r);
    if (d->editField != n - 1) {
        dm_edit_leave(d);
        Handle old = (**te).hText;
        if (d->editField < 0 && old != text)
            DisposeHandle(old);                 /* TENew's own, never an item's */
        (**te).hText = text;
        (**te).teLength = (short)GetHandleSize(text);
        (**te).destRect = r;
        (**te).viewRect = r;
        TECalText(te);
        d->editField = (short)(n - 1);
    }
    if (select_all)
        TESetSelect(0, 32767, te);
    if (d->window.hilited)
        TEActivate(te);
}

/* ---- drawing ----------------------------------------------------------------------------------- */

/* text[0..len) with ^0..^3 replaced by the ParamText strings, into g_dm.text. */
static Size dm_substitute(const unsigned char *text, Size len)
{
    Size o = 0;
    for (Size i = 0; i < len && o < DM_TEXT_MAX; i++) {
        if (text[i] == '^' && i + 1 < len && text[i + 1] >= '0' && text[i + 1] <= '3') {
            const unsigned char *p = g_dm.param[text[i + 1] - '0'];
            for (int k = 1; k <= p[0] && o < DM_TEXT_MAX; k++)
                g_dm.text[o++] = p[k];
            i++;
        } else {
            g_dm.text[o++] = text[i];
        }
    }
    return o;
}

void dm_draw_text_box(const unsigned char *text, Size len, const Rect *r, bool substitute)
{
    if (substitute) {
        len = dm_substitute(text, len);
        text = g_dm.text;
    } else {
        if (len > DM_TEXT_MAX)
            len = DM_TEXT_MAX;
        BlockMoveData(text, g_dm.text, len);
        text = g_dm.text;
    }
    FontInfo fi;
    GetFontInfo(&fi);
    short line = (short)(fi.ascent + fi.descent + fi.leading);
    short width = (short)(r->right - r->left), v = (short)(r->top + fi.ascent);
    Size at = 0;
    while (at < len && v - fi.ascent < r->bottom) {
        Size end = at, fit = at;              /* fit: the end of the last word that fits */
        while (end < len && text[end] != '\r') {
            Size next = end;
            while (next < len && text[next] == ' ')
                next++;
            while (next < len && text[next] != ' ' && text[next] != '\r')
                next++;
            if (TextWidth(text, (short)at, (short)(next - at)) > width && fit > at)
                break;
            end = fit = next;
        }
        if (fit == at) {                      /* one word wider than the box: cut it */
            while (fit < len && text[fit] != '\r' && TextWidth(text, (short)at, (short)(fit + 1 - at)) <= width)
                fit++;
            if (fit == at && at < len && text[at] != '\r')
                fit++;
        }
        MoveTo(r->left, v);
        DrawText(text, (short)at, (short)(fit - at));
        at = fit;
        while (at < len && text[at] == ' ')
            at++;
        if (at < len && text[at] == '\r')
            at++;
        v = (short)(v + line);
    }
}

void dm_outline_default(DialogPeek d)
{
    int n = d->aDefItem;
    if (n < 1 || n > dm_count(d->items) || (dm_item_type(d->items, n) & 0x7F) != ctrlItem + btnCtrl)
        return;
    Rect r;
    dm_item_rect(d->items, n, &r);
    if (dm_hidden(&r))
        return;
    PenState ps;
    GetPenState(&ps);
    PenNormal();
    PenSize(3, 3);
    InsetRect(&r, -4, -4);
    FrameRoundRect(&r, 16, 16);
    SetPenState(&ps);
}

void dm_draw_item(DialogPeek d, int n)
{
    Handle items = d->items;
    Rect r;
    dm_item_rect(items, n, &r);
    if (dm_hidden(&r))
        return;
    unsigned kind = dm_item_type(items, n) & 0x7F;
    void *obj = *dm_slot(items, n);
    if (kind & ctrlItem) {
        if (obj)
            Draw1Control((ControlHandle)obj);
    } else if (kind == statText || kind == editText) {
        Handle h = (Handle)obj;
        if (kind == editText) {
            Rect f = r;
            InsetRect(&f, -3, -3);
            FrameRect(&f);
        }
        if (kind == editText && d->textH && d->editField == n - 1) {
            TEUpdate(&r, d->textH);
        } else if (h) {
            EraseRect(&r);
            char st = HGetState(h);
            HLock(h);
            dm_draw_text_box((const unsigned char *)*h, GetHandleSize(h), &r, kind == statText);
            HSetState(h, st);
        }
    } else if (kind == userItem) {
        if (obj)
            ((UserItemUPP)(uintptr_t)obj)(&d->window.port, (DialogItemIndex)n);
    }
}

/* ---- item calls ---------------------------------------------------------------------------------- */

static bool dm_item_arg(DialogPeek d, DialogItemIndex n)
{
    if (d == NULL)
        return false;
    if (n < 1 || n > dm_count(d->items)) {
        g_dm.err = paramErr;
        return false;
    }
    return true;
}

DialogItemIndex CountDITL(DialogPtr theDialog)
{
    DialogPeek d = dm_arg(theDialog);
    return d ? (DialogItemIndex)dm_count(d->items) : 0;
}

void GetDialogItem(DialogPtr theDialog, DialogItemIndex itemNo, DialogItemType *itemType, Handle *item, Rect *box)
{
    DialogPeek d = dm_arg(theDialog);
    if (!dm_item_arg(d, itemNo)) {
        if (itemType)
            *itemType = 0;
        if (item)
            *item = NULL;
        if (box)
            SetRect(box, 0, 0, 0, 0);
        return;
    }
    if (itemType)
        *itemType = (DialogItemType)dm_item_type(d->items, itemNo);
    if (item)
        *item = (Handle)*dm_slot(d->items, itemNo);
    if (box)
        dm_item_rect(d->items, itemNo, box);
}

void SetDialogItem(DialogPtr theDialog, DialogItemIndex itemNo, DialogItemType itemType, Handle item, const Rect *box)
{
    DialogPeek d = dm_arg(theDialog);
    if (!dm_item_arg(d, itemNo) || box == NULL)
        return;
    dm_set_item_type(d->items, itemNo, (unsigned)itemType & 0xFF);
    *dm_slot(d->items, itemNo) = item;
    dm_set_item_rect(d->items, itemNo, box);
}

void GetDialogItemText(Handle item, Str255 text)
{
    if (text == NULL)
        return;
    text[0] = 0;
    if (item == NULL || *item == NULL)
        return;
    Size n = GetHandleSize(item);
    if (n > 255)
        n = 255;
    text[0] = (unsigned char)n;
    BlockMoveData(*item, text + 1, n);
}

/* The dialog in the window list holding item handle h, and its number. */
static DialogPeek dm_owner(Handle h, int *n)
{
    for (WindowPeek w = LMGetWindowList(); w != NULL; w = w->nextWindow) {
        if (w->windowKind != dialogKind)
            continue;
        DialogPeek d = (DialogPeek)(void *)w;
        for (int i = 1; i <= dm_count(d->items); i++)
            if (*dm_slot(d->items, i) == (void *)h) {
                *n = i;
                return d;
            }
    }
    return NULL;
}

void SetDialogItemText(Handle item, ConstStr255Param text)
{
    if (item == NULL || text == NULL) {
        g_dm.err = paramErr;
        return;
    }
    Str255 copy;                              /* text may lie in a block that moves */
    BlockMoveData(text, copy, 1 + text[0]);
    SetHandleSize(item, copy[0]);
    if (MemError() != noErr) {
        g_dm.err = MemError();
        return;
    }
    BlockMoveData(copy + 1, *item, copy[0]);
    g_dm.err = noErr;
    int n = 0;
    DialogPeek d = dm_owner(item, &n);
    if (d == NULL)
        return;
    if (d->textH && d->editField == n - 1) {
        (**d->textH).teLength = (short)copy[0];
        TECalText(d->textH);
        TESetSelect(copy[0], copy[0], d->textH);
    }
    GrafPtr saved;
    GetPort(&saved);
    SetPort(&d->window.port);
    if (d->window.visible)
        dm_draw_item(d, n);
    SetPort(saved);
}

void SelectDialogItemText(DialogPtr theDialog, DialogItemIndex itemNo, SInt16 strtSel, SInt16 endSel)
{
    DialogPeek d = dm_arg(theDialog);
    if (!dm_item_arg(d, itemNo) || (dm_item_type(d->items, itemNo) & 0x7F) != editText || d->textH == NULL)
        return;
    GrafPtr saved;
    GetPort(&saved);
    SetPort(theDialog);
    dm_edit_enter(d, itemNo, false);
    TESetSelect(strtSel, endSel, d->textH);
    SetPort(saved);
}

static void dm_show_hide(DialogPtr theDialog, DialogItemIndex itemNo, bool show)
{
    DialogPeek d = dm_arg(theDialog);
    if (!dm_item_arg(d, itemNo))
        return;
    Rect r;
    dm_item_rect(d->items, itemNo, &r);
    if (dm_hidden(&r) == !show)
        return;
    short dh = show ? -DM_HIDE_OFFSET : DM_HIDE_OFFSET;
    Rect moved = r;
    OffsetRect(&moved, dh, 0);
    dm_set_item_rect(d->items, itemNo, &moved);
    unsigned kind = dm_item_type(d->items, itemNo) & 0x7F;
    void *obj = *dm_slot(d->items, itemNo);
    GrafPtr saved;
    GetPort(&saved);
    SetPort(theDialog);
    if ((kind & ctrlItem) && obj) {
        if (show)
            ShowControl((ControlHandle)obj);
        else
            HideControl((ControlHandle)obj);
    } else {
        Rect inval = show ? moved : r;
        if (kind == editText) {
            InsetRect(&inval, -4, -4);
            if (!show && d->editField == itemNo - 1)
                dm_edit_leave(d);
        }
        if (!show)
            EraseRect(&inval);
        InvalRect(&inval);
    }
    SetPort(saved);
}

void HideDialogItem(DialogPtr theDialog, DialogItemIndex itemNo)
{
    dm_show_hide(theDialog, itemNo, false);
}

void ShowDialogItem(DialogPtr theDialog, DialogItemIndex itemNo)
{
    dm_show_hide(theDialog, itemNo, true);
}

DialogItemIndex FindDialogItem(DialogPtr theDialog, Point thePt)
{
    DialogPeek d = dm_arg(theDialog);
    if (d == NULL)
        return -1;
    for (int i = 1; i <= dm_count(d->items); i++) {
        Rect r;
        dm_item_rect(d->items, i, &r);
        if (PtInRect(thePt, &r))
            return (DialogItemIndex)(i - 1);
    }
    return -1;
}

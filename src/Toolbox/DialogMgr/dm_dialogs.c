/*
 * dm_dialogs.c - dialogs: making them from an item list or from DLOG and
 * DITL resources, closing them, drawing them, and the event side:
 * IsDialogEvent, DialogSelect and ModalDialog with its filter procedure,
 * plus ParamText and the templates' loading rule.
 *
 * NewDialog takes the item list handle: it is enlarged by the object
 * table, and disposed of with the dialog. A dialog is made invisible,
 * given its items, then shown, so the first picture comes from the update
 * event DialogSelect answers with DrawDialog. Every failure undoes what
 * was built, leaving the caller's item list as it was given.
 */
#include "dm_internal.h"

enum {
    DM_DLOG_MIN = 21,              /* rect 8, procID 2, visible 2, goAway 2, refCon 4, DITL ID 2, title length 1 */
    DM_FLASH_TICKS = 8,            /* a button hit by Return stays highlighted this long */
    kDMButtonPart = 10,            /* kControlButtonPart */
    DM_ALERT_MARK = 1,             /* editOpen: outline the default button (alerts) */
};

OSErr dm_error(void)
{
    return g_dm.err;
}

DialogPeek dm_arg(DialogPtr dp)
{
    DialogPeek d = dm_peek(dp);
    for (WindowPeek w = LMGetWindowList(); d != NULL && w != NULL; w = w->nextWindow)
        if (w == &d->window && w->windowKind == dialogKind && d->items != NULL) {
            g_dm.err = noErr;
            return d;
        }
    g_dm.err = paramErr;
    return NULL;
}

void InitDialogs(void *ignored)
{
    (void)ignored;
    for (int i = 0; i < 4; i++)
        g_dm.param[i][0] = 0;
    g_dm.alert_id = -1;
    g_dm.alert_count = -1;
    g_dm.err = noErr;
}

void ErrorSound(SoundUPP soundProc)
{
    g_dm.sound = soundProc;
}

void ParamText(ConstStr255Param p0, ConstStr255Param p1, ConstStr255Param p2, ConstStr255Param p3)
{
    ConstStr255Param p[4] = { p0, p1, p2, p3 };
    for (int i = 0; i < 4; i++) {
        if (p[i] != NULL)
            BlockMoveData(p[i], g_dm.param[i], 1 + p[i][0]);
        else
            g_dm.param[i][0] = 0;
    }
}

/* ---- making and closing ------------------------------------------------------------------ */

DialogPtr NewDialog(void *dStorage, const Rect *boundsRect, ConstStr255Param title, Boolean visible,
                    SInt16 procID, WindowPtr behind, Boolean goAwayFlag, SInt32 refCon, Handle items)
{
    int n;
    Size used;
    if (boundsRect == NULL || items == NULL || *items == NULL ||
        !dm_items_check((const unsigned char *)*items, GetHandleSize(items), &n, &used)) {
        g_dm.err = paramErr;
        return NULL;
    }
    Size old = GetHandleSize(items);
    Size table = (used + 7) & ~(Size)7;
    SetHandleSize(items, table + (Size)n * (Size)sizeof(void *));
    if (MemError() != noErr) {
        g_dm.err = memFullErr;
        return NULL;
    }
    for (int i = 1; i <= n; i++)
        *dm_slot(items, i) = NULL;
    void *storage = dStorage ? dStorage : (void *)NewPtrClear(sizeof(DialogRecord));
    WindowPtr w = storage ? NewWindow(storage, boundsRect, title ? title : (ConstStr255Param) "", false, procID,
                                      behind, goAwayFlag, refCon)
                          : NULL;
    if (w == NULL) {
        if (storage && !dStorage)
            DisposePtr((Ptr)storage);
        SetHandleSize(items, old);
        g_dm.err = memFullErr;
        return NULL;
    }
    DialogPeek d = dm_peek(w);
    d->window.windowKind = dialogKind;
    d->items = items;
    d->textH = NULL;
    d->editField = -1;
    d->editOpen = 0;
    d->aDefItem = ok;
    GrafPtr saved;
    GetPort(&saved);
    if (!dm_items_make(d)) {
        d->items = NULL;
        if (dStorage)
            CloseWindow(w);
        else
            DisposeWindow(w);
        SetHandleSize(items, old);
        SetPort(saved);
        g_dm.err = memFullErr;
        return NULL;
    }
    SetPort(w);
    TextFont(systemFont);
    if (visible)
        ShowWindow(w);
    g_dm.err = noErr;
    return w;
}

/* A template resource: loaded if need be; *release says whether this call
 * loaded it and so must release it afterwards. */
Handle dm_template(ResType type, short id, bool *release)
{
    SetResLoad(false);
    Handle h = GetResource(type, id);
    SetResLoad(true);
    *release = false;
    if (h == NULL) {
        g_dm.err = ResError() == noErr ? resNotFound : ResError();
        return NULL;
    }
    if (*h == NULL) {
        LoadResource(h);
        if (*h == NULL) {
            g_dm.err = ResError() == noErr ? memFullErr : ResError();
            return NULL;
        }
        *release = true;
    }
    return h;
}

/* A copy of DITL id in the current zone (HandToHand copies into the
 * resource's own zone, so a copy for another zone is made by hand). */
Handle dm_copy_ditl(short id)
{
    bool release;
    Handle r = dm_template(DM_TYPE('D', 'I', 'T', 'L'), id, &release);
    if (r == NULL)
        return NULL;
    Handle copy = r;
    if (HandleZone(r) == GetZone()) {
        if (HandToHand(&copy) != noErr)
            copy = NULL;
    } else {
        char st = HGetState(r);
        HLock(r);
        if (PtrToHand(*r, &copy, GetHandleSize(r)) != noErr)
            copy = NULL;
        HSetState(r, st);
    }
    if (release)
        ReleaseResource(r);
    if (copy == NULL)
        g_dm.err = memFullErr;
    return copy;
}

DialogPtr GetNewDialog(SInt16 dialogID, void *dStorage, WindowPtr behind)
{
    bool release;
    Handle h = dm_template(DM_TYPE('D', 'L', 'O', 'G'), dialogID, &release);
    if (h == NULL)
        return NULL;
    const unsigned char *b = (const unsigned char *)*h;
    Size len = GetHandleSize(h);
    if (len < DM_DLOG_MIN || DM_DLOG_MIN + b[20] > len) {
        if (release)
            ReleaseResource(h);
        g_dm.err = paramErr;
        return NULL;
    }
    Rect r = { (short)dm_get16(b), (short)dm_get16(b + 2), (short)dm_get16(b + 4), (short)dm_get16(b + 6) };
    short proc = (short)dm_get16(b + 8), ditl = (short)dm_get16(b + 18);
    Boolean vis = b[10] != 0, goAway = b[12] != 0;
    SInt32 refCon = (SInt32)((uint32_t)b[14] << 24 | (uint32_t)b[15] << 16 | (uint32_t)b[16] << 8 | b[17]);
    Str255 title;
    BlockMoveData(b + 20, title, 1 + b[20]);
    if (release)
        ReleaseResource(h);
    Handle items = dm_copy_ditl(ditl);
    if (items == NULL)
        return NULL;
    DialogPtr d = NewDialog(dStorage, &r, title, vis, proc, behind, goAway, refCon, items);
    if (d == NULL) {
        OSErr e = g_dm.err;
        DisposeHandle(items);
        g_dm.err = e;
    }
    return d;
}

static DialogPeek dm_close_items(DialogPtr theDialog)
{
    DialogPeek d = dm_arg(theDialog);
    if (d == NULL)
        return NULL;
    dm_items_free(d);
    DisposeHandle(d->items);
    d->items = NULL;
    return d;
}

void CloseDialog(DialogPtr theDialog)
{
    if (dm_close_items(theDialog))
        CloseWindow(theDialog);
}

void DisposeDialog(DialogPtr theDialog)
{
    if (dm_close_items(theDialog))
        DisposeWindow(theDialog);
}

/* ---- drawing ------------------------------------------------------------------------------ */

void DrawDialog(DialogPtr theDialog)
{
    DialogPeek d = dm_arg(theDialog);
    if (d == NULL || !d->window.visible)
        return;
    GrafPtr saved;
    GetPort(&saved);
    SetPort(theDialog);
    for (int i = 1; i <= dm_count(d->items); i++)
        dm_draw_item(d, i);
    if (d->editOpen & DM_ALERT_MARK)
        dm_outline_default(d);
    SetPort(saved);
}

void UpdateDialog(DialogPtr theDialog, RgnHandle updateRgn)
{
    DialogPeek d = dm_arg(theDialog);
    if (d == NULL || updateRgn == NULL || !d->window.visible)
        return;
    GrafPtr saved;
    GetPort(&saved);
    SetPort(theDialog);
    for (int i = 1; i <= dm_count(d->items); i++) {
        Rect r;
        dm_item_rect(d->items, i, &r);
        InsetRect(&r, -4, -4);
        if (RectInRgn(&r, updateRgn))
            dm_draw_item(d, i);
    }
    if (d->editOpen & DM_ALERT_MARK)
        dm_outline_default(d);
    SetPort(saved);
}

void dm_mark_alert(DialogPtr theDialog, SInt16 defItem)
{
    DialogPeek d = dm_peek(theDialog);
    d->editOpen |= DM_ALERT_MARK;
    d->aDefItem = defItem;
}

/* ---- events ------------------------------------------------------------------------------- */

static DialogPeek dm_dialog_of(WindowPtr w)
{
    WindowPeek p = (WindowPeek)(void *)w;
    return p != NULL && p->windowKind == dialogKind ? dm_arg(w) : NULL;
}

Boolean IsDialogEvent(const EventRecord *e)
{
    if (e == NULL)
        return false;
    if (e->what == updateEvt || e->what == activateEvt)
        return dm_dialog_of((WindowPtr)(uintptr_t)e->message) != NULL;
    return dm_dialog_of(FrontWindow()) != NULL;
}

static bool dm_enabled(DialogPeek d, int n)
{
    return (dm_item_type(d->items, n) & itemDisable) == 0;
}

/* Tab: the next edit text item after the current one, its text selected. */
static void dm_tab(DialogPeek d)
{
    int n = dm_count(d->items);
    for (int k = 1; k <= n; k++) {
        int i = (d->editField + k) % n + 1;
        Rect r;
        dm_item_rect(d->items, i, &r);
        if ((dm_item_type(d->items, i) & 0x7F) == editText && r.left < DM_HIDE_OFFSET / 2) {
            dm_edit_enter(d, i, true);
            return;
        }
    }
}

static Boolean dm_mouse(DialogPeek d, const EventRecord *e, DialogItemIndex *itemHit)
{
    WindowPtr hitw;
    if (FindWindow(e->where, &hitw) != inContent || hitw != &d->window.port)
        return false;
    Point p = e->where;
    GlobalToLocal(&p);
    int n = FindDialogItem(&d->window.port, p) + 1;
    if (n < 1)
        return false;
    unsigned kind = dm_item_type(d->items, n) & 0x7F;
    void *obj = *dm_slot(d->items, n);
    if (kind & ctrlItem) {
        if (obj == NULL || (**(ControlHandle)obj).contrlHilite == 255 ||
            TrackControl((ControlHandle)obj, p, NULL) == 0)
            return false;
    } else if (kind == editText && d->textH) {
        dm_edit_enter(d, n, false);
        TEClick(p, (e->modifiers & shiftKey) != 0, d->textH);
    }
    if (!dm_enabled(d, n))
        return false;
    *itemHit = (DialogItemIndex)n;
    return true;
}

Boolean DialogSelect(const EventRecord *e, DialogPtr *theDialog, DialogItemIndex *itemHit)
{
    DialogItemIndex hit = 0;
    DialogPeek d;
    if (e == NULL)
        return false;
    if (e->what == updateEvt || e->what == activateEvt)
        d = dm_dialog_of((WindowPtr)(uintptr_t)e->message);
    else
        d = dm_dialog_of(FrontWindow());
    if (d == NULL)
        return false;
    WindowPtr w = &d->window.port;
    if (theDialog)
        *theDialog = w;
    GrafPtr saved;
    GetPort(&saved);
    SetPort(w);
    Boolean result = false;
    switch (e->what) {
    case updateEvt:
        BeginUpdate(w);
        DrawDialog(w);
        EndUpdate(w);
        break;
    case activateEvt:
        if (d->textH && d->editField >= 0) {
            if (e->modifiers & activeFlag)
                TEActivate(d->textH);
            else
                TEDeactivate(d->textH);
        }
        break;
    case mouseDown:
        result = dm_mouse(d, e, &hit);
        break;
    case keyDown:
    case autoKey:
        if ((e->modifiers & cmdKey) || d->textH == NULL || d->editField < 0)
            break;
        if ((e->message & charCodeMask) == '\t') {
            dm_tab(d);
            break;
        }
        TEKey((short)(e->message & charCodeMask), d->textH);
        hit = (DialogItemIndex)(d->editField + 1);
        result = dm_enabled(d, hit);
        break;
    default:
        if (d->textH && d->editField >= 0)
            TEIdle(d->textH);
        break;
    }
    SetPort(saved);
    if (itemHit)
        *itemHit = result ? hit : 0;
    return result;
}

/* Return or Enter: the default item, its button shown pressed for a moment. */
static bool dm_default_key(DialogPeek d, const EventRecord *e, DialogItemIndex *itemHit)
{
    if (e->what != keyDown && e->what != autoKey)
        return false;
    unsigned ch = e->message & charCodeMask;
    int n = d->aDefItem;
    if ((ch != '\r' && ch != 0x03) || n < 1 || n > dm_count(d->items) || !dm_enabled(d, n))
        return false;
    unsigned kind = dm_item_type(d->items, n) & 0x7F;
    ControlHandle c = (kind & ctrlItem) ? (ControlHandle)*dm_slot(d->items, n) : NULL;
    if (c != NULL) {
        if ((**c).contrlHilite == 255)
            return false;
        GrafPtr saved;
        GetPort(&saved);
        SetPort(&d->window.port);
        HiliteControl(c, kDMButtonPart);
        UInt32 t0 = TickCount();
        while (TickCount() - t0 < DM_FLASH_TICKS) {
            EventRecord idle;
            WaitNextEvent(0, &idle, 1, NULL);
        }
        HiliteControl(c, 0);
        SetPort(saved);
    }
    *itemHit = (DialogItemIndex)n;
    return true;
}

void ModalDialog(ModalFilterUPP modalFilter, DialogItemIndex *itemHit)
{
    DialogItemIndex hit = 0;
    DialogPeek d = dm_dialog_of(FrontWindow());
    if (d == NULL) {
        g_dm.err = paramErr;
        if (itemHit)
            *itemHit = 0;
        return;
    }
    DialogPtr w = &d->window.port;
    for (;;) {
        EventRecord e;
        if (!WaitNextEvent(everyEvent & ~keyUpMask, &e, 1, NULL))
            e.what = nullEvent;
        if (modalFilter && modalFilter(w, &e, &hit))
            break;
        if (dm_arg(w) == NULL) {               /* the filter closed it */
            hit = 0;
            break;
        }
        if (dm_default_key(d, &e, &hit))
            break;
        if (e.what == updateEvt && (WindowPtr)(uintptr_t)e.message != w) {
            WindowPtr other = (WindowPtr)(uintptr_t)e.message;
            BeginUpdate(other);                /* the application's filter draws other windows */
            EndUpdate(other);
            continue;
        }
        if (e.what == mouseDown) {
            WindowPtr hitw;
            if (FindWindow(e.where, &hitw) != inContent || hitw != w)
                continue;                      /* modal: nothing else can be clicked */
        }
        DialogPtr which = NULL;
        if (DialogSelect(&e, &which, &hit) && which == w)
            break;
    }
    if (itemHit)
        *itemHit = hit;
}

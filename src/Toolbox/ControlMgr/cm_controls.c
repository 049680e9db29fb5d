/*
 * cm_controls.c - the control records and the window's control list:
 * making and disposing of controls (NewControl, GetNewControl,
 * DisposeControl, KillControls), their values, titles, reference
 * constants, visibility, highlighting, position and size, and the check
 * of a window's list.
 *
 * Each change that shows is drawn at once in the owner's port (saved and
 * restored around the drawing, the cursor hidden). A record is sized to
 * its title: SetControlTitle resizes the block, which may move it, so no
 * pointer into a record is kept across a call that allocates.
 */
#include "cm_internal.h"

#include "Desktop.h"
#include "Resources.h"
#include "lib/kprintf.h"

OSErr g_cm_err;

OSErr cm_error(void)
{
    return g_cm_err;
}

bool cm_window_ok(WindowPtr w)
{
    if (w == NULL)
        return false;
    for (WindowPeek p = LMGetWindowList(); p != NULL; p = p->nextWindow)
        if (&p->port == w)
            return true;
    return false;
}

/* Is c a block big enough to be a control? */
static bool cm_block_ok(ControlHandle c)
{
    if (c == NULL || *c == NULL)
        return false;
    Size n = GetHandleSize((Handle)c);
    return MemError() == noErr && n >= CM_HEADER + 1 && n == CM_HEADER + 1 + (*c)->contrlTitle[0];
}

bool cm_arg(ControlHandle c)
{
    if (cm_block_ok(c) && cm_window_ok((*c)->contrlOwner)) {
        int n = 0;
        for (ControlHandle p = cm_list((*c)->contrlOwner); p != NULL && n < CM_MAX_CONTROLS; p = (*p)->nextControl, n++)
            if (p == c) {
                g_cm_err = noErr;
                return true;
            }
    }
    g_cm_err = paramErr;
    return false;
}

/* Draw c now if it is visible: the owner's port, the cursor hidden. */
static void cm_redraw(ControlHandle c)
{
    if (!(*c)->contrlVis)
        return;
    GrafPtr saved;
    GetPort(&saved);
    SetPort((*c)->contrlOwner);
    HideCursor();
    cdef_draw(c);
    ShowCursor();
    SetPort(saved);
}

/* Erase c's rectangle in its owner and add it to the update region. */
static void cm_erase(ControlHandle c)
{
    GrafPtr saved;
    GetPort(&saved);
    SetPort((*c)->contrlOwner);
    Rect r = (*c)->contrlRect;
    HideCursor();
    EraseRect(&r);
    ShowCursor();
    InvalRect(&r);
    SetPort(saved);
}

static void cm_close_hook(WindowPtr w);

ControlHandle NewControl(WindowPtr owner, const Rect *boundsRect, ConstStr255Param title, Boolean visible,
                         short value, short min, short max, short procID, long refCon)
{
    short kind = (short)(procID & ~useWFont);
    if (!cm_window_ok(owner) || boundsRect == NULL || (kind != pushButProc && kind != checkBoxProc && kind != radioButProc)) {
        g_cm_err = paramErr;
        return NULL;
    }
    Rect r = *boundsRect;                    /* copied before anything allocates */
    unsigned len = title ? title[0] : 0;
    ControlHandle c = (ControlHandle)(void *)NewHandleClear((Size)CM_HEADER + 1 + len);
    if (c == NULL) {
        g_cm_err = memFullErr;
        return NULL;
    }
    Handle data = NewHandle(sizeof(cm_cdata));
    if (data == NULL) {
        DisposeHandle((Handle)c);
        g_cm_err = memFullErr;
        return NULL;
    }
    ((cm_cdata *)(void *)*data)->procID = procID;
    ControlPtr p = *c;
    p->contrlOwner = owner;
    p->contrlRect = r;
    p->contrlVis = visible ? 255 : 0;
    p->contrlHilite = 0;
    if (max < min)
        max = min;
    p->contrlMin = min;
    p->contrlMax = max;
    p->contrlValue = value < min ? min : value > max ? max : value;
    p->contrlDefProc = NULL;
    p->contrlData = data;
    p->contrlAction = NULL;
    p->contrlRfCon = refCon;
    if (title)
        BlockMoveData(title, p->contrlTitle, 1 + len);
    WindowPeek w = (WindowPeek)(void *)owner;
    p->nextControl = cm_list(owner);
    w->controlList = (Handle)(void *)c;
    wm_set_close_hook(cm_close_hook);
    g_cm_err = noErr;
    cm_redraw(c);
    return c;
}

static short cm_be16(const unsigned char *b)
{
    return (short)(b[0] << 8 | b[1]);
}

/* 'CNTL': rect, value, visible (and a fill byte), max, min, procID, refCon (32 bits), title. */
ControlHandle GetNewControl(short resourceID, WindowPtr owner)
{
    if (!cm_window_ok(owner)) {
        g_cm_err = paramErr;
        return NULL;
    }
    Handle h = GetResource((ResType)('C' << 24 | 'N' << 16 | 'T' << 8 | 'L'), resourceID);
    if (h == NULL) {
        g_cm_err = ResError() == noErr ? resNotFound : ResError();
        return NULL;
    }
    const unsigned char *b = (const unsigned char *)*h;
    Size n = GetHandleSize(h);
    if (n < 23 || 23 + b[22] > n) {
        ReleaseResource(h);
        g_cm_err = paramErr;
        return NULL;
    }
    Rect r = { cm_be16(b), cm_be16(b + 2), cm_be16(b + 4), cm_be16(b + 6) };
    short value = cm_be16(b + 8), max = cm_be16(b + 12), min = cm_be16(b + 14), proc = cm_be16(b + 16);
    Boolean vis = b[10] != 0;
    long refCon = (long)(int32_t)((uint32_t)b[18] << 24 | (uint32_t)b[19] << 16 | (uint32_t)b[20] << 8 | b[21]);
    Str255 title;
    BlockMoveData(b + 22, title, 1 + b[22]);
    ReleaseResource(h);                       /* the template is read */
    return NewControl(owner, &r, title, vis, value, min, max, proc, refCon);
}

/* Unlink c from its owner's list and free it; nothing drawn. */
static void cm_free(ControlHandle c)
{
    WindowPeek w = (WindowPeek)(void *)(*c)->contrlOwner;
    if (cm_list(&w->port) == c) {
        w->controlList = (Handle)(void *)(*c)->nextControl;
    } else {
        ControlHandle p = cm_list(&w->port);
        while ((*p)->nextControl != c)
            p = (*p)->nextControl;
        (*p)->nextControl = (*c)->nextControl;
    }
    DisposeHandle((*c)->contrlData);
    DisposeHandle((Handle)c);
}

void DisposeControl(ControlHandle c)
{
    if (!cm_arg(c))
        return;
    if ((*c)->contrlVis)
        cm_erase(c);
    cm_free(c);
}

void KillControls(WindowPtr w)
{
    if (!cm_window_ok(w)) {
        g_cm_err = paramErr;
        return;
    }
    while (cm_list(w) != NULL)
        DisposeControl(cm_list(w));
}

/* CloseWindow's hook: the window is going, so its controls go without drawing. */
static void cm_close_hook(WindowPtr w)
{
    int n = 0;
    while (cm_list(w) != NULL && n++ < CM_MAX_CONTROLS) {
        ControlHandle c = cm_list(w);
        if (!cm_block_ok(c) || (*c)->contrlOwner != w) {
            kprintf("CloseWindow: the control list of window %p is damaged at %p; left as it is\n",
                    (void *)w, (void *)c);
            ((WindowPeek)(void *)w)->controlList = NULL;
            return;
        }
        cm_free(c);
    }
}

void DrawControls(WindowPtr w)
{
    if (!cm_window_ok(w)) {
        g_cm_err = paramErr;
        return;
    }
    for (ControlHandle c = cm_list(w); c != NULL; c = (*c)->nextControl)
        cm_redraw(c);
}

void UpdateControls(WindowPtr w, RgnHandle rgn)
{
    if (!cm_window_ok(w) || rgn == NULL) {
        g_cm_err = paramErr;
        return;
    }
    for (ControlHandle c = cm_list(w); c != NULL; c = (*c)->nextControl) {
        Rect r = (*c)->contrlRect;
        if (RectInRgn(&r, rgn))
            cm_redraw(c);
    }
}

void Draw1Control(ControlHandle c)
{
    if (cm_arg(c))
        cm_redraw(c);
}

void ShowControl(ControlHandle c)
{
    if (!cm_arg(c) || (*c)->contrlVis)
        return;
    (*c)->contrlVis = 255;
    cm_redraw(c);
}

void HideControl(ControlHandle c)
{
    if (!cm_arg(c) || !(*c)->contrlVis)
        return;
    (*c)->contrlVis = 0;
    cm_erase(c);
}

void HiliteControl(ControlHandle c, short state)
{
    if (!cm_arg(c))
        return;
    if (state < 0 || state > 255) {
        g_cm_err = paramErr;
        return;
    }
    if ((*c)->contrlHilite == state)
        return;
    (*c)->contrlHilite = (UInt8)state;
    cm_redraw(c);
}

void MoveControl(ControlHandle c, short h, short v)
{
    if (!cm_arg(c))
        return;
    Boolean vis = (*c)->contrlVis;
    if (vis)
        cm_erase(c);
    Rect *r = &(*c)->contrlRect;
    OffsetRect(r, (short)(h - r->left), (short)(v - r->top));
    cm_redraw(c);
}

void SizeControl(ControlHandle c, short w, short h)
{
    if (!cm_arg(c))
        return;
    if (w < 0 || h < 0) {
        g_cm_err = paramErr;
        return;
    }
    if ((*c)->contrlVis)
        cm_erase(c);
    Rect *r = &(*c)->contrlRect;
    r->right = (short)(r->left + w);
    r->bottom = (short)(r->top + h);
    cm_redraw(c);
}

/* Pin and store the value; drawn when it changed. */
static void cm_set_value(ControlHandle c, short v)
{
    ControlPtr p = *c;
    v = v < p->contrlMin ? p->contrlMin : v > p->contrlMax ? p->contrlMax : v;
    if (v == p->contrlValue)
        return;
    p->contrlValue = v;
    cm_redraw(c);
}

void SetControlValue(ControlHandle c, short v)
{
    if (cm_arg(c))
        cm_set_value(c, v);
}

short GetControlValue(ControlHandle c)
{
    return cm_arg(c) ? (*c)->contrlValue : 0;
}

void SetControlMinimum(ControlHandle c, short v)
{
    if (!cm_arg(c))
        return;
    (*c)->contrlMin = v;
    if ((*c)->contrlMax < v)
        (*c)->contrlMax = v;
    cm_set_value(c, (*c)->contrlValue);
}

short GetControlMinimum(ControlHandle c)
{
    return cm_arg(c) ? (*c)->contrlMin : 0;
}

void SetControlMaximum(ControlHandle c, short v)
{
    if (!cm_arg(c))
        return;
    (*c)->contrlMax = v;
    if ((*c)->contrlMin > v)
        (*c)->contrlMin = v;
    cm_set_value(c, (*c)->contrlValue);
}

short GetControlMaximum(ControlHandle c)
{
    return cm_arg(c) ? (*c)->contrlMax : 0;
}

void SetControlTitle(ControlHandle c, ConstStr255Param title)
{
    if (!cm_arg(c))
        return;
    Str255 t = { 0 };
    if (title)
        BlockMoveData(title, t, 1 + title[0]);   /* title may lie in a block that moves */
    SetHandleSize((Handle)c, (Size)CM_HEADER + 1 + t[0]);
    if (MemError() != noErr) {
        g_cm_err = memFullErr;                     /* the old title stays */
        return;
    }
    BlockMoveData(t, (*c)->contrlTitle, 1 + t[0]);
    cm_redraw(c);
}

void GetControlTitle(ControlHandle c, Str255 title)
{
    if (title == NULL)
        return;
    if (!cm_arg(c)) {
        title[0] = 0;
        return;
    }
    BlockMoveData((*c)->contrlTitle, title, 1 + (*c)->contrlTitle[0]);
}

void SetControlReference(ControlHandle c, long data)
{
    if (cm_arg(c))
        (*c)->contrlRfCon = data;
}

long GetControlReference(ControlHandle c)
{
    return cm_arg(c) ? (*c)->contrlRfCon : 0;
}

void SetControlAction(ControlHandle c, ControlActionUPP action)
{
    if (cm_arg(c))
        (*c)->contrlAction = action;
}

ControlActionUPP GetControlAction(ControlHandle c)
{
    return cm_arg(c) ? (*c)->contrlAction : NULL;
}

short GetControlVariant(ControlHandle c)
{
    return cm_arg(c) ? (short)(cm_proc(c) & 0xF) : 0;
}

short cm_count(WindowPtr w)
{
    if (!cm_window_ok(w))
        return 0;
    short n = 0;
    for (ControlHandle c = cm_list(w); c != NULL && n < CM_MAX_CONTROLS; c = (*c)->nextControl)
        n++;
    return n;
}

OSErr cm_check(WindowPtr w, Boolean report)
{
    if (!cm_window_ok(w)) {
        if (report)
            kprintf("cm_check: %p is not a window in the window list\n", (void *)w);
        return paramErr;
    }
    int n = 0;
    for (ControlHandle c = cm_list(w); c != NULL; c = (*c)->nextControl, n++) {
        const char *why = NULL;
        if (n >= CM_MAX_CONTROLS)
            why = "the list does not end (a cycle?)";
        else if (!cm_block_ok(c))
            why = "not a block sized to its title";
        else if ((*c)->contrlOwner != w)
            why = "owned by another window";
        else if ((*c)->contrlMin > (*c)->contrlValue || (*c)->contrlValue > (*c)->contrlMax)
            why = "value outside min..max";
        else if ((*c)->contrlVis != 0 && (*c)->contrlVis != 255)
            why = "contrlVis neither 0 nor 255";
        else if ((*c)->contrlData == NULL || GetHandleSize((*c)->contrlData) != (Size)sizeof(cm_cdata) ||
                 MemError() != noErr)
            why = "no definition data";
        else if (cm_kind(c) != pushButProc && cm_kind(c) != checkBoxProc && cm_kind(c) != radioButProc)
            why = "unknown procID";
        if (why) {
            if (report)
                kprintf("cm_check: window %p, control %d at %p: %s\n", (void *)w, n, (void *)c, why);
            return paramErr;
        }
    }
    return noErr;
}

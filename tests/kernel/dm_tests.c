/*
 * dm_tests.c - the "DialogMgr" KTAP suite, at boot on the screen and on
 * the host (tests/host/test_dlg.c): a dialog from DLOG 130 and DITL 130
 * has Apple's item list with one handle per text item and controls for
 * buttons, check boxes and radio buttons, and hiding, showing and
 * setting items work; malformed item lists are refused untouched; a modal
 * dialog driven by the event script types into two edit text items
 * (moving between them with Tab, the text handle growing while the zone
 * is compacted under it), toggles the check box and a radio button and is
 * dismissed by a click on OK, then by Return and Enter (the default
 * item); alert 130 goes through its four stages (sounds 0-3, the default
 * item moving to Cancel, the last stage drawing nothing) and another
 * alert starts again at stage one, and the drawn boxes hash to stored
 * references; the preloaded alert 131 still appears
 * when the zone is full. Every dialog disposed gives FreeMem back exactly
 * with a clean heap check.
 */
#include "kernel_suites.h"
#include "kt_toolbox.h"
#include "Desktop.h"
#include "Dialogs.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "Resources.h"
#include "lib/kprintf.h"
#include "lib/ktap.h"
#include "platform.h"

#define KT_DM_TYPE(a, b, c, d) ((ResType)(a) << 24 | (ResType)(b) << 16 | (ResType)(c) << 8 | (ResType)(d))

enum {
    KT_DM_MASTERS = 256, KT_DM_TIMEOUT = 3000, KT_DM_KEYS = 40, KT_DM_SUBZONE = 64 * 1024,
    KT_DM_TOP = 100, KT_DM_LEFT = 160,              /* DLOG 130's content, global */
    KT_VK_A = 0x00, KT_VK_S = 0x01, KT_VK_D = 0x02, KT_VK_F = 0x03, KT_VK_B = 0x0B,
    KT_VK_RETURN = 0x24, KT_VK_TAB = 0x30, KT_VK_DELETE = 0x33, KT_VK_ENTER = 0x4C,
};

/* Reference hashes of alert 130's box as drawn: OK the default (stages 1
 * and 2), Cancel the default (stage 3); "^0" is "Untitled". */
#define KT_DM_ALERT_HASH_OK     0xccbdb594u
#define KT_DM_ALERT_HASH_CANCEL 0x043b3e48u

/* Master pointers made before measuring, so FreeMem can be compared. */
static void kt_dm_reserve_masters(int n)
{
    static Handle hs[KT_DM_SUBZONE / 16];
    if (n > (int)(sizeof hs / sizeof hs[0]))
        n = (int)(sizeof hs / sizeof hs[0]);
    for (int i = 0; i < n; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < n; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

static bool kt_dm_pstr_eq(const unsigned char *a, const char *c)
{
    int n = 0;
    while (c[n])
        n++;
    if (a[0] != n)
        return false;
    for (int i = 0; i < n; i++)
        if (a[1 + i] != (unsigned char)c[i])
            return false;
    return true;
}

static bool kt_dm_rect_is(const Rect *r, short top, short left, short bottom, short right)
{
    return r->top == top && r->left == left && r->bottom == bottom && r->right == right;
}

/* Answer update events: dialogs through DialogSelect. */
static void kt_dm_updates(void)
{
    EventRecord e;
    for (int guard = 0; guard < 64 && GetNextEvent(updateMask, &e); guard++) {
        DialogPtr d;
        DialogItemIndex hit;
        if (IsDialogEvent(&e))
            DialogSelect(&e, &d, &hit);
        else {
            BeginUpdate((WindowPtr)(uintptr_t)e.message);
            EndUpdate((WindowPtr)(uintptr_t)e.message);
        }
    }
}

static int g_kt_dm_user_draws;

static void kt_dm_user_item(DialogPtr d, DialogItemIndex n)
{
    Rect r;
    DialogItemType t;
    Handle h;
    GetDialogItem(d, n, &t, &h, &r);
    FrameOval(&r);
    g_kt_dm_user_draws++;
}

static bool kt_dm_items(void)
{
    long free0 = FreeMem();
    ParamText((ConstStr255Param) "\x03Joe", NULL, NULL, NULL);
    DialogPtr d = GetNewDialog(130, NULL, (WindowPtr)(intptr_t)-1);
    if (d == NULL) {
        ktap_diag("GetNewDialog(130): error %d", dm_error());
        return false;
    }
    DialogPeek p = (DialogPeek)(void *)d;
    DialogItemType t;
    Handle h[10] = { 0 };
    Rect r[10];
    for (int i = 1; i <= 9; i++)
        GetDialogItem(d, (DialogItemIndex)i, &t, &h[i], &r[i]);
    bool pass = CountDITL(d) == 9 && p->window.windowKind == dialogKind && p->aDefItem == kStdOkItemIndex &&
              FrontWindow() == d && p->window.visible;
    GetDialogItem(d, 1, &t, &h[1], &r[1]);
    pass = pass && t == ctrlItem + btnCtrl && h[1] != NULL && kt_dm_rect_is(&r[1], 160, 270, 180, 340);
    GetDialogItem(d, 3, &t, &h[3], &r[3]);
    pass = pass && t == (statText | itemDisable) && h[3] != NULL;
    Str255 s;
    GetDialogItemText(h[3], s);
    pass = pass && kt_dm_pstr_eq(s, "Name: ^0");
    GetDialogItem(d, 4, &t, &h[4], &r[4]);
    GetDialogItemText(h[4], s);
    pass = pass && t == editText && kt_dm_pstr_eq(s, "Untitled") && p->textH != NULL && p->editField == 3 &&
         (**p->textH).hText == h[4] && h[4] != h[3];
    GetDialogItem(d, 9, &t, &h[9], &r[9]);
    pass = pass && t == editText && h[9] != NULL && h[9] != h[4] && GetHandleSize(h[9]) == 0;
    GetDialogItem(d, 5, &t, &h[5], &r[5]);
    pass = pass && t == ctrlItem + chkCtrl && h[5] && GetControlValue((ControlHandle)h[5]) == 0 &&
         (**(ControlHandle)h[5]).contrlOwner == d;
    GetDialogItem(d, 8, &t, &h[8], &r[8]);
    pass = pass && t == (userItem | itemDisable) && h[8] == NULL;
    if (!pass)
        ktap_diag("items as read from DITL 130 are wrong");
    /* A user item's procedure is installed and drawn with the dialog. */
    SetDialogItem(d, 8, userItem | itemDisable, (Handle)(uintptr_t)kt_dm_user_item, &r[8]);
    GetDialogItem(d, 8, &t, &h[8], &r[8]);
    g_kt_dm_user_draws = 0;
    kt_dm_updates();
    pass = pass && h[8] == (Handle)(uintptr_t)kt_dm_user_item && g_kt_dm_user_draws == 1;
    /* Item text in its own handle; the current edit field's TERec follows. */
    SetDialogItemText(h[4], (ConstStr255Param) "\x05Hello");
    GetDialogItemText(h[4], s);
    pass = pass && kt_dm_pstr_eq(s, "Hello") && GetHandleSize(h[4]) == 5 && (**p->textH).teLength == 5;
    /* Hidden items move 16384 right and are not found. */
    GrafPtr saved;
    GetPort(&saved);
    SetPort(d);
    Point in5 = { .v = 50, .h = 20 };
    pass = pass && FindDialogItem(d, in5) == 4;
    HideDialogItem(d, 5);
    Rect hr;
    GetDialogItem(d, 5, &t, &h[5], &hr);
    pass = pass && hr.left == r[5].left + 16384 && FindDialogItem(d, in5) == -1 && (**(ControlHandle)h[5]).contrlVis == 0;
    ShowDialogItem(d, 5);
    GetDialogItem(d, 5, &t, &h[5], &hr);
    pass = pass && EqualRect(&hr, &r[5]) && FindDialogItem(d, in5) == 4 && (**(ControlHandle)h[5]).contrlVis != 0;
    SetPort(saved);
    /* Out-of-range item numbers: nothing, and paramErr. */
    GetDialogItem(d, 10, &t, &h[0], &hr);
    pass = pass && h[0] == NULL && t == 0 && dm_error() == paramErr;
    kt_dm_updates();
    DisposeDialog(d);
    pass = pass && FrontWindow() == NULL && dm_error() == noErr;
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    return pass && free1 == free0 && mm_check_zone(GetZone(), "DialogMgr items", true) == noErr;
}

/* Malformed item lists and arguments are refused and the list is left as given. */
static bool kt_dm_malformed(void)
{
    long free0 = FreeMem();
    static const unsigned char bad[][20] = {
        { 0x00, 0x04, 0, 0, 0, 0, 0, 1, 0, 1, 0, 2, 0, 2, 8, 0 },          /* five items, one present */
        { 0x00, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 0, 2, 0, 2, 8, 200, 'x' },  /* text runs past the end */
        { 0xFF, 0xFF, 0 },                                                 /* -1 + 1 = no items */
    };
    static const long len[] = { 16, 17, 3 };
    Rect b = { 100, 100, 200, 300 };
    bool pass = true;
    for (int i = 0; i < 3; i++) {
        Handle h = NULL;
        pass = pass && PtrToHand(bad[i], &h, len[i]) == noErr;
        if (h == NULL)
            return false;
        DialogPtr d = NewDialog(NULL, &b, (ConstStr255Param) "", true, dBoxProc, (WindowPtr)(intptr_t)-1, false, 0, h);
        pass = pass && d == NULL && dm_error() == paramErr && GetHandleSize(h) == len[i] && FrontWindow() == NULL;
        if (d)
            DisposeDialog(d);
        else
            DisposeHandle(h);
    }
    pass = pass && NewDialog(NULL, &b, NULL, true, 0, NULL, false, 0, NULL) == NULL && dm_error() == paramErr;
    pass = pass && GetNewDialog(149, NULL, NULL) == NULL && dm_error() == resNotFound;
    DisposeDialog(NULL);
    pass = pass && dm_error() == paramErr;
    return pass && FreeMem() == free0 && mm_check_zone(GetZone(), "DialogMgr malformed", true) == noErr;
}

/* ---- the scripted modal dialog -------------------------------------------------------------- */

static ev_step g_kt_dm_script[KT_DM_KEYS * 2 + 64];
static size_t g_kt_dm_steps;

static void kt_dm_step(ev_step s)
{
    if (g_kt_dm_steps < sizeof g_kt_dm_script / sizeof g_kt_dm_script[0])
        g_kt_dm_script[g_kt_dm_steps++] = s;
}

/* A click at the dialog's local point (v, h). */
static void kt_dm_click(short v, short h)
{
    kt_dm_step((ev_step){ .op = evStepMove, .where = { .v = (short)(KT_DM_TOP + v), .h = (short)(KT_DM_LEFT + h) }, .ticks = 3 });
    kt_dm_step((ev_step){ .op = evStepDown });
    kt_dm_step((ev_step){ .op = evStepPause, .ticks = 1 });
    kt_dm_step((ev_step){ .op = evStepUp });
    kt_dm_step((ev_step){ .op = evStepPause, .ticks = 2 });
}

static void kt_dm_key(UInt8 code)
{
    kt_dm_step((ev_step){ .op = evStepKey, .keyCode = code });
    kt_dm_step((ev_step){ .op = evStepPause, .ticks = 1 });
}

typedef struct kt_dm_fstate {
    UInt32 start;
    Handle text;
    Handle *fill;
    int nfill;
    uintptr_t last;
    int moves, keys, pins;
    Handle pin[KT_DM_SUBZONE / 32];
    bool timed_out;
} kt_dm_fstate;
static kt_dm_fstate g_kt_dm_f;

/* Where the zone's blocks are: a sum of the text's and the fillers' addresses. */
static uintptr_t kt_dm_layout(void)
{
    uintptr_t sum = (uintptr_t)*g_kt_dm_f.text;
    for (int i = 0; i < g_kt_dm_f.nfill; i++)
        if (g_kt_dm_f.fill[i])
            sum += (uintptr_t)*g_kt_dm_f.fill[i] * (uintptr_t)(2 * i + 3);
    for (int i = 0; i < g_kt_dm_f.pins; i++)
        if (g_kt_dm_f.pin[i])
            sum += (uintptr_t)*g_kt_dm_f.pin[i] * (uintptr_t)(2 * i + 5);
    return sum;
}


/* Fill the zone's free space with small blocks and free every other one:
 * plenty free, none of it next to the text. */
static void kt_dm_fragment(void)
{
    int first = g_kt_dm_f.pins, cap = (int)(sizeof g_kt_dm_f.pin / sizeof g_kt_dm_f.pin[0]);
    while (g_kt_dm_f.pins < cap && (g_kt_dm_f.pin[g_kt_dm_f.pins] = NewHandle(32)) != NULL)
        g_kt_dm_f.pins++;
    for (int i = first; i < g_kt_dm_f.pins; i += 2) {
        DisposeHandle(g_kt_dm_f.pin[i]);
        g_kt_dm_f.pin[i] = NULL;
    }
}

/* The filter: a time-out; it counts the events after which blocks of the
 * zone had moved (the text grew and the zone was compacted or blocks
 * moved to make room for it), and every fourth key fragments the zone's
 * free space again, so the room made before is gone. */
static Boolean kt_dm_filter(DialogPtr d, EventRecord *e, DialogItemIndex *itemHit)
{
    (void)d;
    if (TickCount() - g_kt_dm_f.start > KT_DM_TIMEOUT) {
        g_kt_dm_f.timed_out = true;
        *itemHit = -2;
        return true;
    }
    if (g_kt_dm_f.text && kt_dm_layout() != g_kt_dm_f.last) {
        g_kt_dm_f.moves++;
        g_kt_dm_f.last = kt_dm_layout();
    }
    if (e->what == keyDown && g_kt_dm_f.text) {
        g_kt_dm_f.keys++;
        if (g_kt_dm_f.keys % 4 == 0) {
            kt_dm_fragment();
            g_kt_dm_f.last = kt_dm_layout();
        }
    }
    return false;
}

/* Run ModalDialog until OK or Cancel, as an application would: the check
 * box toggles, the radio buttons choose. */
static DialogItemIndex kt_dm_run_modal(DialogPtr d, int *count)
{
    DialogItemIndex item = 0;
    *count = 0;
    do {
        ModalDialog(kt_dm_filter, &item);
        (*count)++;
        DialogItemType t;
        Handle h;
        Rect r;
        if (item == 5) {
            GetDialogItem(d, 5, &t, &h, &r);
            SetControlValue((ControlHandle)h, (short)!GetControlValue((ControlHandle)h));
        } else if (item == 6 || item == 7) {
            for (DialogItemIndex i = 6; i <= 7; i++) {
                GetDialogItem(d, i, &t, &h, &r);
                SetControlValue((ControlHandle)h, i == item);
            }
        }
    } while (item != kStdOkItemIndex && item != cancel && item != -2 && *count < 400);
    return item;
}

static bool kt_dm_modal_in(THz sub)
{
    DialogPtr d = GetNewDialog(130, NULL, (WindowPtr)(intptr_t)-1);
    if (d == NULL)
        return false;
    kt_dm_updates();
    /* Fill the zone with small blocks and free every other one. */
    static Handle fill[KT_DM_SUBZONE / 32];
    int nfill = 0;
    while (nfill < (int)(sizeof fill / sizeof fill[0]) && (fill[nfill] = NewHandle(32)) != NULL)
        nfill++;
    for (int i = 0; i < nfill; i += 2) {
        DisposeHandle(fill[i]);
        fill[i] = NULL;
    }
    DialogPeek p = (DialogPeek)(void *)d;
    DialogItemType t;
    Handle h4, h9;
    Rect r;
    GetDialogItem(d, 4, &t, &h4, &r);
    GetDialogItem(d, 9, &t, &h9, &r);
    g_kt_dm_steps = 0;
    kt_dm_click(132, 120);                   /* into the empty edit text (item 9) */
    kt_dm_key(KT_VK_A);
    kt_dm_key(KT_VK_B);
    kt_dm_key(KT_VK_TAB);                    /* to item 4, its text selected */
    static const UInt8 keys[4] = { KT_VK_A, KT_VK_S, KT_VK_D, KT_VK_F };
    for (int i = 0; i < KT_DM_KEYS; i++)
        kt_dm_key(keys[i % 4]);
    kt_dm_key(KT_VK_DELETE);
    kt_dm_click(53, 20);                     /* the check box */
    kt_dm_click(101, 20);                    /* the radio button "Large" */
    kt_dm_click(170, 305);                   /* OK */
    kt_dm_step((ev_step){ .op = evStepEnd });
    g_kt_dm_f = (kt_dm_fstate){ .start = TickCount(), .text = h4, .fill = fill, .nfill = nfill };
    g_kt_dm_f.last = kt_dm_layout();
    bool pass = ev_script_start(g_kt_dm_script, g_kt_dm_steps) == noErr;
    int calls = 0;
    DialogItemIndex item = pass ? kt_dm_run_modal(d, &calls) : 0;
    ev_script_stop();
    Str255 s4, s9;
    GetDialogItemText(h4, s4);
    GetDialogItemText(h9, s9);
    char want[KT_DM_KEYS + 1];
    for (int i = 0; i < KT_DM_KEYS - 1; i++)
        want[i] = "asdf"[i % 4];
    want[KT_DM_KEYS - 1] = 0;
    Handle c5, c6, c7;
    GetDialogItem(d, 5, &t, &c5, &r);
    GetDialogItem(d, 6, &t, &c6, &r);
    GetDialogItem(d, 7, &t, &c7, &r);
    bool texts = kt_dm_pstr_eq(s4, want) && kt_dm_pstr_eq(s9, "ab") && p->editField == 3 && (**p->textH).hText == h4;
    bool controls = GetControlValue((ControlHandle)c5) == 1 && GetControlValue((ControlHandle)c6) == 0 &&
                    GetControlValue((ControlHandle)c7) == 1;
    if (!(item == kStdOkItemIndex && texts && controls && g_kt_dm_f.moves >= 3))
        ktap_diag("modal: item %d after %d calls (timeout %d), texts %d (lengths %d, %d), controls %d, "
                  "the zone's blocks moved %d times", item, calls, g_kt_dm_f.timed_out, texts, s4[0], s9[0], controls,
                  g_kt_dm_f.moves);
    ktap_diag("modal: the zone's blocks moved after %d of %d keys", g_kt_dm_f.moves, g_kt_dm_f.keys);
    pass = pass && item == kStdOkItemIndex && texts && controls && g_kt_dm_f.moves >= 3;

    /* Return and Enter hit the default item, whichever it is. */
    g_kt_dm_f.text = NULL;
    static const ev_step ret[] = { { .op = evStepPause, .ticks = 2 }, { .op = evStepKey, .keyCode = KT_VK_RETURN },
                                   { .op = evStepEnd } };
    static const ev_step enter[] = { { .op = evStepPause, .ticks = 2 }, { .op = evStepKey, .keyCode = KT_VK_ENTER },
                                     { .op = evStepEnd } };
    ev_script_start(ret, 3);
    g_kt_dm_f.start = TickCount();
    ModalDialog(kt_dm_filter, &item);
    pass = pass && item == kStdOkItemIndex;
    p->aDefItem = cancel;
    ev_script_start(enter, 3);
    g_kt_dm_f.start = TickCount();
    ModalDialog(kt_dm_filter, &item);
    pass = pass && item == cancel;
    ev_script_stop();
    FlushEvents(everyEvent, 0);
    kt_dm_updates();
    DisposeDialog(d);
    for (int i = 0; i < g_kt_dm_f.pins; i++)
        if (g_kt_dm_f.pin[i])
            DisposeHandle(g_kt_dm_f.pin[i]);
    for (int i = 0; i < nfill; i++)
        if (fill[i])
            DisposeHandle(fill[i]);
    return pass && mm_check_zone(sub, "DialogMgr modal", true) == noErr;
}

/* The scripted dialog lives in a small zone, fragmented and full. */
static bool kt_dm_modal(void)
{
    Ptr block;
    THz home, sub = kt_subzone_open(KT_DM_SUBZONE, &block, &home);
    if (sub == NULL)
        return false;
    kt_dm_reserve_masters(KT_DM_SUBZONE / 16);
    long free0 = FreeMem();
    bool pass = kt_dm_modal_in(sub);
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("modal: FreeMem %ld -> %ld", free0, free1);
    pass = pass && free1 == free0 && mm_check_zone(sub, "DialogMgr modal", true) == noErr;
    kt_subzone_close(block, home);
    return pass;
}

/* ---- alerts ------------------------------------------------------------------------------------ */

static SInt16 g_kt_dm_sounds[8];
static int g_kt_dm_nsounds;

static void kt_dm_sound(SInt16 n)
{
    if (g_kt_dm_nsounds < 8)
        g_kt_dm_sounds[g_kt_dm_nsounds++] = n;
}

typedef struct kt_dm_astate {
    UInt32 start;
    SInt16 def_item;
    THz zone;
    bool shown;
    UInt32 hash;                  /* the alert box's pixels once drawn */
} kt_dm_astate;
static kt_dm_astate g_kt_dm_a;

/* FNV-1a of the screen inside r (global), the cursor hidden. */
static UInt32 kt_dm_hash_rect(const Rect *r)
{
    const BitMap *sb = &qd.screenBits;
    Rect in;
    UInt32 h = 2166136261u;
    if (!SectRect(r, &sb->bounds, &in))
        return h;
    HideCursor();
    for (short v = in.top; v < in.bottom; v++)
        for (short x = in.left; x < in.right; x++) {
            h ^= *((const UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (x - sb->bounds.left));
            h *= 16777619u;
        }
    ShowCursor();
    return h;
}

static Boolean kt_dm_alert_filter(DialogPtr d, EventRecord *e, DialogItemIndex *itemHit)
{
    (void)e;
    DialogPeek p = (DialogPeek)(void *)d;
    g_kt_dm_a.shown = FrontWindow() == d && p->window.visible;
    g_kt_dm_a.def_item = p->aDefItem;
    g_kt_dm_a.zone = PtrZone((Ptr)(void *)d);
    if (e->what == keyDown && g_kt_dm_a.hash == 0) {
        if (!EmptyRgn(p->window.updateRgn)) {   /* the key came before the update: draw it now */
            BeginUpdate(d);
            DrawDialog(d);
            EndUpdate(d);
        }
        g_kt_dm_a.hash = kt_dm_hash_rect(&(**p->window.strucRgn).rgnBBox);
    }
    if (TickCount() - g_kt_dm_a.start > KT_DM_TIMEOUT) {
        *itemHit = -2;
        return true;
    }
    return false;
}

static DialogItemIndex kt_dm_alert(SInt16 id, int kind)
{
    static const ev_step ret[] = { { .op = evStepPause, .ticks = 3 }, { .op = evStepKey, .keyCode = KT_VK_RETURN },
                                   { .op = evStepEnd } };
    g_kt_dm_a = (kt_dm_astate){ .start = TickCount() };
    ev_script_start(ret, 3);
    DialogItemIndex r = kind == 0 ? Alert(id, kt_dm_alert_filter)
                      : kind == 1 ? StopAlert(id, kt_dm_alert_filter)
                      : kind == 2 ? NoteAlert(id, kt_dm_alert_filter)
                                  : CautionAlert(id, kt_dm_alert_filter);
    ev_script_stop();
    FlushEvents(everyEvent, 0);
    kt_dm_updates();
    return r;
}

static bool kt_dm_alert_stages(void)
{
    long free0 = FreeMem();
    ErrorSound(kt_dm_sound);
    ResetAlertStage();
    g_kt_dm_nsounds = 0;
    ParamText((ConstStr255Param) "\x08Untitled", NULL, NULL, NULL);
    /* Stages 1-4 then 4 again: OK, OK, Cancel (the default), nothing drawn twice. */
    static const DialogItemIndex want[5] = { kStdOkItemIndex, kStdOkItemIndex, cancel, -1, -1 };
    static const SInt16 want_stage[5] = { 0, 1, 2, 3, 3 };
    static const SInt16 want_def[5] = { kStdOkItemIndex, kStdOkItemIndex, cancel, 0, 0 };
    static const UInt32 want_hash[5] = { KT_DM_ALERT_HASH_OK, KT_DM_ALERT_HASH_OK, KT_DM_ALERT_HASH_CANCEL, 0, 0 };
    bool pass = true;
    for (int i = 0; i < 5; i++) {
        DialogItemIndex r = kt_dm_alert(130, i % 4);
        bool stage_ok = r == want[i] && GetAlertStage() == want_stage[i] && g_kt_dm_a.shown == (want[i] != -1) &&
                        (want[i] == -1 || g_kt_dm_a.def_item == want_def[i]) && FrontWindow() == NULL &&
                        g_kt_dm_a.hash == want_hash[i];
        if (!stage_ok)
            ktap_diag("alert 130 #%d: item %d stage %d shown %d default %d hash %08lx (reference %08lx)", i + 1, r,
                      GetAlertStage(), g_kt_dm_a.shown, g_kt_dm_a.def_item, (unsigned long)g_kt_dm_a.hash,
                      (unsigned long)want_hash[i]);
        pass = pass && stage_ok;
    }
    static const SInt16 want_sounds[5] = { 0, 1, 2, 3, 3 };
    for (int i = 0; i < 5; i++)
        pass = pass && g_kt_dm_nsounds >= 5 && g_kt_dm_sounds[i] == want_sounds[i];
    /* Another alert starts at stage 1; ResetAlertStage starts the same one again. */
    DialogItemIndex r = kt_dm_alert(128, 2);
    pass = pass && r == kStdOkItemIndex && GetAlertStage() == 0 && g_kt_dm_a.shown && g_kt_dm_nsounds == 6 && g_kt_dm_sounds[5] == 0;
    r = kt_dm_alert(128, 0);
    pass = pass && r == kStdOkItemIndex && GetAlertStage() == 1 && g_kt_dm_nsounds == 7 && g_kt_dm_sounds[6] == 1;
    ResetAlertStage();
    r = kt_dm_alert(128, 0);
    pass = pass && r == kStdOkItemIndex && GetAlertStage() == 0;
    /* A missing ALRT: -1 and resNotFound, no sound. */
    int before = g_kt_dm_nsounds;
    pass = pass && Alert(149, NULL) == -1 && dm_error() == resNotFound && g_kt_dm_nsounds == before;
    ErrorSound(NULL);
    ResetAlertStage();
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("alerts: FreeMem %ld -> %ld", free0, free1);
    return pass && free1 == free0 && mm_check_zone(GetZone(), "DialogMgr alerts", true) == noErr;
}

/* A full zone: the alert preloaded with CouldAlert still appears (built in
 * the System zone) and leaves both zones as they were. */
static bool kt_dm_alert_full_zone(void)
{
    CouldAlert(131);
    Handle alrt = GetResource(KT_DM_TYPE('A', 'L', 'R', 'T'), 131);
    Handle ditl = GetResource(KT_DM_TYPE('D', 'I', 'T', 'L'), 132);
    bool pass = dm_error() == noErr && alrt && *alrt && ditl && *ditl && !(HGetState(alrt) & 0x40) &&
              !(HGetState(ditl) & 0x40);
    Ptr block;
    THz home, sub = kt_subzone_open(KT_DM_SUBZONE, &block, &home);
    if (sub == NULL)
        return false;
    static Handle fill[KT_DM_SUBZONE / 16];
    int n = 0;
    for (Size sz = 1024; sz >= 16; sz /= 2)
        while (n < (int)(sizeof fill / sizeof fill[0]) && (fill[n] = NewHandle(sz)) != NULL)
            n++;
    long sub_free = FreeMem(), sys_free = FreeMemSys();
    ParamText((ConstStr255Param) "\x10Opening a window", (ConstStr255Param) "\x0f" "Close a window.", NULL, NULL);
    DialogItemIndex r = kt_dm_alert(131, 0);
    pass = pass && r == kStdOkItemIndex && g_kt_dm_a.shown && g_kt_dm_a.zone == SystemZone();
    if (!pass)
        ktap_diag("full zone: alert 131 item %d shown %d in the System zone %d", r, g_kt_dm_a.shown,
                  g_kt_dm_a.zone == SystemZone());
    if (FreeMem() != sub_free || FreeMemSys() < sys_free)
        ktap_diag("full zone: FreeMem %ld -> %ld, System zone %ld -> %ld", sub_free, FreeMem(), sys_free, FreeMemSys());
    pass = pass && FreeMem() == sub_free && FreeMemSys() >= sys_free && mm_check_zone(sub, "DialogMgr full", true) == noErr &&
         mm_check_zone(SystemZone(), "DialogMgr full", true) == noErr;
    while (n > 0)
        DisposeHandle(fill[--n]);
    kt_subzone_close(block, home);
    FreeAlert(131);
    pass = pass && (HGetState(alrt) & 0x40) && (HGetState(ditl) & 0x40);
    ReleaseResource(alrt);
    ReleaseResource(ditl);
    ResetAlertStage();
    return pass;
}

int dm_run_tests(void)
{
    ktap_suite s;
    ktap_suite_begin(&s, "DialogMgr", 7);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    Ptr app_end = app ? app->bkLim + 16 : NULL;
    kt_dm_reserve_masters(KT_DM_MASTERS);
    long free0 = FreeMem();
    short ref = OpenResFile((const unsigned char *)"\x06System");
    InitWindows();
    TEInit();
    InitDialogs(NULL);
    ktap_check(&s, ref > 0 && FrontWindow() == NULL, "initdialogs_and_system_file");
    ktap_check(&s, kt_dm_items(), "ditl_items_text_handles_controls_hide_show_freemem_exact");
    ktap_check(&s, kt_dm_malformed(), "malformed_item_lists_refused_untouched");
    ktap_check(&s, kt_dm_modal(), "scripted_modal_dialog_edit_text_controls_ok_return_enter");
    ktap_check(&s, kt_dm_alert_stages(), "alert_stages_sounds_default_item_reset");
    ktap_check(&s, kt_dm_alert_full_zone(), "preloaded_alert_appears_in_a_full_zone");
    if (ref > 0)
        CloseResFile(ref);
    if (app != NULL && mm_zone_shrink_to(app, app_end) != noErr)
        ktap_diag("the Application zone's growth could not be given back");
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    ktap_check(&s, free1 == free0 && mm_check_zone(GetZone(), "DialogMgr", true) == noErr,
               "application_zone_back_exactly_and_heap_check");
    SetZone(home);
    return ktap_suite_end(&s);
}

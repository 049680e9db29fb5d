/*
 * app_tests.c - the "app" KTAP suite: an application's life in miniature,
 * played at boot (and on the host, tests/host/test_app.c) by the Event
 * Manager's script. A menu bar with the Apple, File and Edit menus from the
 * System file; File > New opens documents (by mouse and by command key);
 * an Edit command is chosen both ways; a back window is clicked forward;
 * Close by key and by menu; Quit; the desktop is left empty. Every frame
 * after a command, each pulled-down menu as it appears and each alert
 * when its key arrives go into one hash checked against a stored reference.
 *
 * The pressure run plays the same application with the Application zone
 * filled by ballast until only a few documents fit: File > New is chosen
 * until opens fail with memFullErr; each failure is reported to the user
 * as an alert, for which a cushion handle is kept in reserve and given up
 * while the alert is up; a failed open leaves nothing behind (FreeMem and
 * the window list as before); the run goes on, closes everything and
 * quits. Both runs end with the Application zone's FreeMem back exactly
 * and clean heap checks. (What the Toolbox grows in the System zone on
 * first use stays there; the host test runs the suite twice and checks the
 * second run takes nothing more from it.)
 */
#include "kernel_suites.h"
#include "kt_toolbox.h"
#include "Controls.h"
#include "Desktop.h"
#include "Dialogs.h"
#include "MacWindows.h"
#include "Menus.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "Resources.h"
#include "TextEdit.h"
#include "lib/ktap.h"
#include "platform.h"

enum {
    APP_APPLE = 128, APP_FILE = 129, APP_EDIT = 130,
    APP_NEW = 1, APP_CLOSE = 2, APP_RENAME = 3, APP_QUIT = 5, APP_COPY = 4,
    APP_DLOG_RENAME = 130, APP_ALRT_SAVE = 130, APP_ALRT_MEMORY = 131,
    APP_ITEM_NAME = 4, APP_ITEM_KEEP = 5,
    APP_MAX_DOCS = 16, APP_DOC_DATA = 2048, APP_STEPS = 96, APP_BALLAST = 384,
    APP_TIMEOUT = 3000,
};

/* ---- the application ---------------------------------------------------------------------- */

typedef struct app_state {
    int opened, failed, alerts, closed, edits, commands, frames, renamed, toggles, saves;
    bool quit, hashing;
    OSErr last_err;
    UInt32 hash;
    Handle cushion;          /* given up while a failure is reported */
    Size cushion_size;
} app_state;

static app_state g_app;

static UInt32 app_px(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return *((const UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left));
}

/* FNV-1a of r's pixels (clipped to the screen) into the run's hash, the cursor hidden. */
static void app_hash_rect(const Rect *r)
{
    Rect c;
    if (!g_app.hashing || !SectRect(r, &qd.screenBits.bounds, &c))
        return;
    HideCursor();
    UInt32 h = g_app.hash;
    for (short v = c.top; v < c.bottom; v++)
        for (short x = c.left; x < c.right; x++) {
            h ^= app_px(x, v);
            h *= 16777619u;
        }
    g_app.hash = h;
    g_app.frames++;
    ShowCursor();
}

static void app_hash_frame(void)
{
    Rect r = { 0, 0, 600, 800 };
    app_hash_rect(&r);
}

/* MenuSelect's hook: each pulled-down menu is hashed as it appears, before any item
 * lights up (which items the mouse crosses depends on when the clock samples it). */
static void app_track_hook(MenuID menu, short item)
{
    Rect r;
    if (menu == 0 || item != -1 || !mn_menu_rect(menu, &r))
        return;
    r.right++;
    r.bottom++;
    app_hash_rect(&r);
}

static void app_draw(WindowPtr w)
{
    GrafPtr saved;
    GetPort(&saved);
    SetPort(w);
    HideCursor();
    Rect r = w->portRect;
    EraseRect(&r);
    InsetRect(&r, 20, 20);
    FrameOval(&r);
    Str255 t;
    GetWTitle(w, t);
    MoveTo(10, 16);
    DrawString(t);
    ShowCursor();
    SetPort(saved);
}

static void app_updates(void)
{
    kt_answer_updates(app_draw);
}

static int app_windows(void)
{
    int n = 0;
    for (WindowPeek p = LMGetWindowList(); p != NULL; p = p->nextWindow)
        n++;
    return n;
}

static void app_draw(WindowPtr w);

/* Under a modal dialog or alert: other windows' updates drawn, and the frame hashed
 * when a click or key arrives (the box is up and drawn by then). Dialogs with edit text
 * are not hashed: their caret blinks with the clock. */
static bool g_app_hash_modal;

static Boolean app_modal_filter(DialogPtr d, EventRecord *e, DialogItemIndex *hit)
{
    (void)hit;
    if (e->what == updateEvt && (WindowPtr)(uintptr_t)e->message != d) {
        WindowPtr w = (WindowPtr)(uintptr_t)e->message;
        BeginUpdate(w);
        app_draw(w);
        EndUpdate(w);
    } else if (g_app_hash_modal && (e->what == keyDown || e->what == mouseDown)) {
        app_hash_frame();
    }
    return false;
}

/* A failure the user is told about: the preloaded "Out of memory" alert, with the
 * cushion given up while it is up and taken back after. */
static void app_report(OSErr err, ConstStr255Param what)
{
    g_app.failed++;
    g_app.last_err = err;
    if (g_app.cushion) {
        DisposeHandle(g_app.cushion);                    /* the alert's room */
        g_app.cushion = NULL;
    }
    ParamText(what, (const unsigned char *)"\x1d" "Close a window and try again.", NULL, NULL);
    g_app_hash_modal = true;
    DialogItemIndex hit = StopAlert(APP_ALRT_MEMORY, app_modal_filter);
    g_app_hash_modal = false;
    if (hit == ok)
        g_app.alerts++;
    if (g_app.cushion_size > 0)
        g_app.cushion = NewHandle(g_app.cushion_size);   /* back in reserve */
}

/* File > New: a document is a window and its data handle; both or neither. */
static void app_new_document(void)
{
    int n = g_app.opened;
    Rect r = { (short)(60 + 22 * (n % 8)), (short)(40 + 26 * (n % 8)), (short)(230 + 22 * (n % 8)),
               (short)(330 + 26 * (n % 8)) };
    unsigned char title[16] = "\x0aUntitled  ";
    title[10] = (unsigned char)('1' + n % 9);
    long before = FreeMem();
    int count = app_windows();
    WindowPtr w = NewWindow(NULL, &r, title, true, documentProc, (WindowPtr)(intptr_t)-1, true, 0);
    Handle data = w ? NewHandleClear(APP_DOC_DATA) : NULL;
    if (w == NULL || data == NULL) {
        OSErr e = w ? memFullErr : wm_error();
        if (w)
            DisposeWindow(w);
        bool clean = FreeMem() == before && app_windows() == count;
        if (!clean)
            ktap_diag("a failed open left FreeMem %ld -> %ld, windows %d -> %d", before, FreeMem(), count, app_windows());
        app_report(e, (const unsigned char *)"\x12Opening a document");
        if (!clean)
            g_app.last_err = paramErr;
        return;
    }
    SetWRefCon(w, (long)(intptr_t)data);
    g_app.opened++;
}

/* File > Rename...: the "Edit" dialog (DLOG 130): the name typed into its edit text,
 * "Keep a copy" toggled, OK renames the front document and marks it changed. */
static void app_rename(void)
{
    WindowPtr front = FrontWindow();
    if (front == NULL)
        return;
    Str255 title;
    GetWTitle(front, title);
    ParamText(title, NULL, NULL, NULL);
    DialogPtr d = GetNewDialog(APP_DLOG_RENAME, NULL, (WindowPtr)(intptr_t)-1);
    if (d == NULL) {
        app_report(dm_error(), (const unsigned char *)"\x14Opening a dialog box");
        return;
    }
    SelectDialogItemText(d, APP_ITEM_NAME, 0, 32767);
    DialogItemIndex hit = 0;
    while (hit != ok && hit != cancel) {
        ModalDialog(app_modal_filter, &hit);
        if (hit == APP_ITEM_KEEP) {
            DialogItemType type;
            Handle item;
            Rect box;
            GetDialogItem(d, APP_ITEM_KEEP, &type, &item, &box);
            SetControlValue((ControlHandle)item, !GetControlValue((ControlHandle)item));
            g_app.toggles++;
        }
        if (hit == 0)
            break;                                       /* the dialog went away */
    }
    if (hit == ok) {
        DialogItemType type;
        Handle item;
        Rect box;
        GetDialogItem(d, APP_ITEM_NAME, &type, &item, &box);
        Str255 name;
        GetDialogItemText(item, name);
        if (name[0] > 0) {
            SetWTitle(front, name);
            ((WindowPeek)(void *)front)->refCon |= 1;    /* changed: closing asks first */
            g_app.renamed++;
        }
    }
    DisposeDialog(d);
    app_updates();
}

static void app_close_front(void)
{
    WindowPtr w = FrontWindow();
    if (w == NULL)
        return;
    if (GetWRefCon(w) & 1) {                             /* changed: "Save changes?" */
        Str255 title;
        GetWTitle(w, title);
        ParamText(title, NULL, NULL, NULL);
        ResetAlertStage();
        g_app_hash_modal = true;
        DialogItemIndex hit = CautionAlert(APP_ALRT_SAVE, app_modal_filter);
        g_app_hash_modal = false;
        app_updates();
        if (hit == cancel)
            return;
        g_app.saves += hit == ok;
        SetWRefCon(w, GetWRefCon(w) & ~1L);
    }
    DisposeHandle((Handle)(intptr_t)(GetWRefCon(w) & ~1L));
    DisposeWindow(w);
    g_app.closed++;
}

static void app_command(long choice)
{
    short menu = (short)(choice >> 16), item = (short)(choice & 0xFFFF);
    if (menu == 0)
        return;
    g_app.commands++;
    if (menu == APP_FILE && item == APP_NEW)
        app_new_document();
    else if (menu == APP_FILE && item == APP_CLOSE)
        app_close_front();
    else if (menu == APP_FILE && item == APP_RENAME)
        app_rename();
    else if (menu == APP_FILE && item == APP_QUIT)
        g_app.quit = true;
    else if (menu == APP_EDIT)
        g_app.edits++;
    HiliteMenu(0);
}

static void app_event(const EventRecord *e)
{
    if (e->what == updateEvt) {
        WindowPtr w = (WindowPtr)(uintptr_t)e->message;
        BeginUpdate(w);
        app_draw(w);
        EndUpdate(w);
        return;
    }
    if (e->what == keyDown && (e->modifiers & cmdKey)) {
        app_command(MenuKey((CharParameter)(e->message & charCodeMask)));
    } else if (e->what == mouseDown) {
        WindowPtr w;
        short part = FindWindow(e->where, &w);
        if (part == inMenuBar)
            app_command(MenuSelect(e->where));
        else if (part == inContent && w != FrontWindow())
            SelectWindow(w);
        else if (part == inGoAway && TrackGoAway(w, e->where)) {
            SelectWindow(w);
            app_close_front();
        }
    } else {
        return;
    }
    app_updates();
    app_hash_frame();
}

/* Runs the event loop until Quit or the script's end; false on timeout. */
static bool app_loop(const ev_step *steps, size_t count)
{
    FlushEvents(everyEvent, 0);
    if (ev_script_start(steps, count) != noErr)
        return false;
    UInt32 start = TickCount();
    EventRecord e;
    while (!g_app.quit) {
        bool running = ev_script_running();
        while (!g_app.quit && GetNextEvent(everyEvent, &e))
            app_event(&e);
        if (!running)
            break;
        if (TickCount() - start > APP_TIMEOUT) {
            ktap_diag("the application's script did not finish");
            ev_script_stop();
            return false;
        }
        plat_idle();
    }
    ev_script_stop();
    return true;
}

/* ---- building the script from where things are on the screen ------------------------------------- */

typedef struct app_script {
    ev_step steps[APP_STEPS];
    int n;
} app_script;

static void app_step(app_script *s, ev_step st)
{
    if (s->n < APP_STEPS - 1)
        s->steps[s->n++] = st;
    s->steps[s->n] = (ev_step){ .op = evStepEnd };
}

static Point app_title_point(MenuID id)
{
    Rect r = { 0, 0, 0, 0 };
    mn_title_rect(id, &r);
    return (Point){ .v = (short)((r.top + r.bottom) / 2), .h = (short)(r.left + 8) };
}

/* The middle of item's row in menu id (items counted as the menu lays them out). */
static Point app_item_point(MenuID id, short item)
{
    Rect r = { 0, 0, 0, 0 };
    mn_menu_rect(id, &r);
    MenuHandle m = GetMenuHandle(id);
    short top = (short)(r.top + 1);
    for (short i = 1; i < item && m; i++) {
        Str255 t;
        GetMenuItemText(m, i, t);
        top = (short)(top + (t[0] >= 1 && t[1] == '-' ? 8 : 16));
    }
    return (Point){ .v = (short)(top + 8), .h = (short)(r.left + 30) };
}

static void app_choose(app_script *s, MenuID id, short item)
{
    app_step(s, (ev_step){ .op = evStepMove, .where = app_title_point(id), .ticks = 3 });
    app_step(s, (ev_step){ .op = evStepDown });
    app_step(s, (ev_step){ .op = evStepMove, .where = app_item_point(id, 1), .ticks = 2 });
    app_step(s, (ev_step){ .op = evStepMove, .where = app_item_point(id, item), .ticks = 3 });
    app_step(s, (ev_step){ .op = evStepUp });
}

static void app_key(app_script *s, UInt8 keyCode, EventModifiers mods)
{
    app_step(s, (ev_step){ .op = evStepKey, .keyCode = keyCode, .modifiers = mods });
}

enum { KEY_N = 0x2D, KEY_W = 0x0D, KEY_Q = 0x0C, KEY_C = 0x08, KEY_R = 0x0F, KEY_M = 0x2E, KEY_E = 0x0E,
       KEY_O = 0x1F, KEY_RETURN = 0x24 };

static void app_click(app_script *s, Point p)
{
    app_step(s, (ev_step){ .op = evStepMove, .where = p, .ticks = 3 });
    app_step(s, (ev_step){ .op = evStepDown });
    app_step(s, (ev_step){ .op = evStepUp });
}

/* ---- setting up and tearing down ---------------------------------------------------------------- */

static bool app_menus(void)
{
    MenuHandle m[3] = { GetMenu(APP_APPLE), GetMenu(APP_FILE), GetMenu(APP_EDIT) };
    bool ok = m[0] && m[1] && m[2];
    if (m[1]) {
        InsertMenuItem(m[1], (const unsigned char *)"\x0bRename.../R", APP_CLOSE);
        ok = ok && CountMItems(m[1]) == 5;
    }
    for (int i = 0; i < 3; i++)
        if (m[i])
            InsertMenu(m[i], 0);
    DrawMenuBar();
    return ok;
}

static void app_dispose_menus(void)
{
    for (MenuID id = APP_APPLE; id <= APP_EDIT; id++) {
        MenuHandle m = GetMenuHandle(id);
        if (m)
            DisposeMenu(m);
    }
    ClearMenuBar();
    DrawMenuBar();
}

static void app_reset(void)
{
    g_app = (app_state){ .hash = 2166136261u, .hashing = true };
}

/* The reference hash of the scripted run's key frames (800x600 of a 1024x768 screen, and each menu). */
static const UInt32 app_run_hash = 0x5cf63becu;

static bool app_scripted_run(UInt32 *hash)
{
    app_reset();
    static app_script s;
    s.n = 0;
    app_choose(&s, APP_FILE, APP_NEW);                     /* Untitled 1 by mouse */
    app_key(&s, KEY_N, cmdKey);                             /* Untitled 2 by key */
    app_choose(&s, APP_EDIT, APP_COPY);                     /* Edit > Copy by mouse ... */
    app_key(&s, KEY_C, cmdKey);                             /* ... and by key */
    app_click(&s, (Point){ .v = 100, .h = 60 });            /* Untitled 1's content: to the front */
    app_key(&s, KEY_R, cmdKey);                             /* Rename...: the dialog */
    app_key(&s, KEY_M, 0);                                  /* "memo" typed over "Untitled" */
    app_key(&s, KEY_E, 0);
    app_key(&s, KEY_M, 0);
    app_key(&s, KEY_O, 0);
    app_click(&s, (Point){ .v = 153, .h = 190 });           /* "Keep a copy" toggled */
    app_click(&s, (Point){ .v = 270, .h = 465 });           /* OK */
    app_step(&s, (ev_step){ .op = evStepPause, .ticks = 30 });  /* the dialog goes before the next command */
    app_key(&s, KEY_W, cmdKey);                             /* close it by key: "Save changes?" */
    app_key(&s, KEY_RETURN, 0);                             /* OK, the default */
    app_step(&s, (ev_step){ .op = evStepPause, .ticks = 30 });  /* the alert goes before the next click */
    app_choose(&s, APP_FILE, APP_CLOSE);                    /* close Untitled 2 by menu */
    app_choose(&s, APP_APPLE, 3);                           /* no third item: nothing chosen */
    app_key(&s, KEY_Q, cmdKey);                             /* Quit */
    bool played = app_loop(s.steps, (size_t)s.n + 1);
    *hash = g_app.hash;
    bool ok = played && g_app.quit && g_app.opened == 2 && g_app.closed == 2 && g_app.edits == 2 &&
              g_app.renamed == 1 && g_app.toggles == 1 && g_app.saves == 1 && g_app.failed == 0 &&
              app_windows() == 0 && FrontWindow() == NULL;
    if (!ok)
        ktap_diag("run: played %d quit %d opened %d closed %d edits %d renamed %d toggles %d saves %d failed %d "
                  "windows %d", played, g_app.quit, g_app.opened, g_app.closed, g_app.edits, g_app.renamed,
                  g_app.toggles, g_app.saves, g_app.failed, app_windows());
    return ok;
}

/* ---- the pressure run ----------------------------------------------------------------------------------- */

static Handle g_ballast[APP_BALLAST];

/* Fill the current zone with handles, large first, halving to 16 bytes; how many. */
static int app_fill(void)
{
    int n = 0;
    for (Size chunk = FreeMem() / 16; chunk >= 16; chunk /= 2)
        while (n < APP_BALLAST) {
            Handle h = NewHandle(chunk);
            if (h == NULL)
                break;
            g_ballast[n++] = h;
        }
    return n;
}

static bool app_pressure_run(int *opened, int *failed)
{
    app_reset();
    g_app.hashing = false;
    /* What one document costs, measured, so the ballast leaves room for about three. */
    long f0 = FreeMem();
    app_new_document();
    long doc = f0 - FreeMem();
    app_close_front();
    app_reset();
    g_app.hashing = false;
    g_app.cushion_size = 4096;
    CouldAlert(APP_ALRT_MEMORY);                            /* the report must not need memory to load */
    MaxApplZone();
    /* The room for two and a half documents is held by one handle while
     * the ballast fills everything else, down to 16-byte blocks, then
     * given back: what is free afterwards is that one block. Measuring
     * room with FreeMem or MaxBlock after freeing ballast instead leaves
     * free bytes in pieces (the small ballast's holes, the page alignment
     * of large blocks), and a document's small blocks fit in them. */
    g_app.cushion = NewHandle(g_app.cushion_size);
    long room = 2 * doc + doc / 2;
    Handle space = NewHandle(room);
    int n = space ? app_fill() : 0;
    int freed = n;
    if (space)
        DisposeHandle(space);
    bool ok = g_app.cushion != NULL && n > 0;
    ktap_diag("pressure: a document costs %ld bytes; %d ballast blocks, %d kept, FreeMem %ld, MaxBlock %ld", doc, n, freed,
              FreeMem(), MaxBlock());
    static app_script s;
    s.n = 0;
    for (int i = 0; i < 3; i++) {
        app_choose(&s, APP_FILE, APP_NEW);
        app_key(&s, KEY_RETURN, 0);                         /* dismisses the alert if the open failed */
        app_step(&s, (ev_step){ .op = evStepPause, .ticks = 20 });
    }
    for (int i = 0; i < 4; i++) {
        app_key(&s, KEY_N, cmdKey);
        app_key(&s, KEY_RETURN, 0);
        app_step(&s, (ev_step){ .op = evStepPause, .ticks = 20 });
    }
    for (int i = 0; i < 8; i++)
        app_key(&s, KEY_W, cmdKey);
    app_choose(&s, APP_FILE, APP_QUIT);
    bool played = ok && app_loop(s.steps, (size_t)s.n + 1);
    *opened = g_app.opened;
    *failed = g_app.failed;
    ok = played && g_app.quit && g_app.opened >= 1 && g_app.failed >= 1 && g_app.opened + g_app.failed == 7 &&
         g_app.alerts == g_app.failed && g_app.last_err == memFullErr && g_app.closed == g_app.opened &&
         app_windows() == 0;
    if (!ok)
        ktap_diag("pressure: played %d opened %d failed %d alerts %d closed %d last error %d windows %d", played,
                  g_app.opened, g_app.failed, g_app.alerts, g_app.closed, g_app.last_err, app_windows());
    if (g_app.cushion)
        DisposeHandle(g_app.cushion);
    g_app.cushion = NULL;
    while (freed > 0)
        DisposeHandle(g_ballast[--freed]);
    FreeAlert(APP_ALRT_MEMORY);
    return ok;
}

static void app_reserve_masters(void)
{
    static Handle hs[APP_BALLAST + 64];
    for (int i = 0; i < APP_BALLAST + 64; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < APP_BALLAST + 64; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
    for (int i = 0; i < 64; i++)                    /* MenuSelect's save handle and the alert's, in the System zone */
        hs[i] = NewEmptyHandleSys();
    for (int i = 0; i < 64; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

int app_run_tests(void)
{
    ktap_suite s;
    if (!qd.screenBits.baseAddr) {
        ktap_suite_begin(&s, "app", 1);
        ktap_skip(&s, "scripted_run", "no screen");
        return ktap_suite_end(&s);
    }
    ktap_suite_begin(&s, "app", 6);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    Ptr app_end = app ? app->bkLim + 16 : NULL;
    app_reserve_masters();
    InitWindows();
    InitMenus();
    TEInit();
    InitDialogs(NULL);
    long free0 = FreeMem();
    short ref = OpenResFile((const unsigned char *)"\x06System");
    bool menus = ref > 0 && app_menus();
    ktap_check(&s, menus, "menu_bar_apple_file_edit");
    mn_set_track_hook(app_track_hook);
    UInt32 h = 0;
    bool run = menus && app_scripted_run(&h);
    ktap_check(&s, run, "scripted_run_new_edit_close_quit");
    if (h != app_run_hash)
        ktap_diag("scripted run: %d frames, hash %08lx, reference %08lx", g_app.frames, (unsigned long)h,
                  (unsigned long)app_run_hash);
    ktap_check(&s, run && h == app_run_hash, "scripted_run_key_frames_hash");
    int opened = 0, failed = 0;
    ktap_check(&s, menus && app_pressure_run(&opened, &failed), "pressure_run_opens_fail_memfullerr_reported_clean");
    ktap_diag("pressure run: %d documents opened, %d opens failed and were reported", opened, failed);
    mn_set_track_hook(NULL);
    app_dispose_menus();
    if (ref > 0)
        CloseResFile(ref);
    if (app != NULL && mm_zone_shrink_to(app, app_end) != noErr)
        ktap_diag("the Application zone's growth could not be given back");
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    ktap_check(&s, free1 == free0, "freemem_back_exactly");
    ktap_check(&s, mm_check_zone(GetZone(), "app", true) == noErr && mm_check_zone(SystemZone(), "app", true) == noErr &&
                       FrontWindow() == NULL,
               "heap_check_clean_empty_desktop");
    SetZone(home);
    return ktap_suite_end(&s);
}

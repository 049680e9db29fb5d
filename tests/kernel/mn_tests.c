/*
 * mn_tests.c - the "MenuMgr" KTAP suite, at boot on the screen and on the
 * host (tests/host/test_menus.c, a 1024x768 buffer): a menu bar built from
 * the System file's MENU resources and one built in code with every
 * metacharacter; items inserted, deleted, renamed, checked, disabled; the
 * bar drawn and highlighted; items chosen by a scripted mouse (MenuSelect,
 * the pixels under the pulled-down menu restored exactly, its frame hashed
 * to a stored reference) and by command key (MenuKey); GetMenuBar and
 * SetMenuBar; a damaged menu record refused; menus grown in a small zone
 * until memFullErr, the failed append leaving the menu as it was; and
 * everything disposed: FreeMem back exactly, heap check clean.
 */
#include "kernel_suites.h"
#include "Desktop.h"
#include "MacWindows.h"
#include "Menus.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "Resources.h"
#include "lib/ktap.h"
#include "platform.h"

enum { KT_MN_APPLE = 128, KT_MN_FILE = 129, KT_MN_EDIT = 130, KT_MN_CODE = 200, KT_MN_SUBZONE = 16 * 1024 };

static UInt32 kt_mn_px(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return *((const UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left));
}

/* FNV-1a of the screen's pixels in r (clipped to the screen), continuing h; the cursor hidden. */
static UInt32 kt_mn_hash_rect(UInt32 h, const Rect *r)
{
    Rect c;
    if (!SectRect(r, &qd.screenBits.bounds, &c))
        return h;
    HideCursor();
    for (short v = c.top; v < c.bottom; v++)
        for (short x = c.left; x < c.right; x++) {
            h ^= kt_mn_px(x, v);
            h *= 16777619u;
        }
    ShowCursor();
    return h;
}

static UInt32 kt_mn_hash_screen(void)
{
    return kt_mn_hash_rect(2166136261u, &qd.screenBits.bounds);
}

static void kt_mn_reserve_masters(void)
{
    static Handle hs[64];
    for (int i = 0; i < 64; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < 64; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

/* ok && cond, naming the line of the first check that fails. */
static bool kt_mn_ok(bool ok, bool cond, int line)
{
    if (ok && !cond)
        ktap_diag("check at mn_tests.c:%d failed", line);
    return ok && cond;
}

static bool kt_mn_text_is(MenuHandle m, short item, const char *want)
{
    Str255 t;
    GetMenuItemText(m, item, t);
    int n = 0;
    while (want[n])
        n++;
    if (t[0] != n)
        return false;
    for (int i = 0; i < n; i++)
        if (t[1 + i] != (unsigned char)want[i])
            return false;
    return true;
}

static bool kt_mn_enabled(MenuHandle m, short item)
{
    return ((unsigned long)(*m)->enableFlags >> item & 1u) != 0;
}

/* The Apple, File and Edit menus from MENU 128-130, in the bar. */
static bool kt_mn_from_resources(void)
{
    MenuHandle a = GetMenu(KT_MN_APPLE), f = GetMenu(KT_MN_FILE), e = GetMenu(KT_MN_EDIT);
    bool ok = a && f && e;
    if (!ok)
        ktap_diag("GetMenu: %p %p %p, error %d", (void *)a, (void *)f, (void *)e, mn_error());
    if (ok) {
        InsertMenu(a, 0);
        InsertMenu(f, 0);
        InsertMenu(e, 0);
        InsertMenu(f, 0);                                   /* already there: nothing */
        ok = GetMenuHandle(KT_MN_FILE) == f && GetMenuHandle(KT_MN_EDIT) == e && GetMenuHandle(KT_MN_APPLE) == a;
        ok = ok && CountMItems(a) == 2 && CountMItems(f) == 4 && CountMItems(e) == 6;
        ok = ok && kt_mn_text_is(f, 1, "New") && kt_mn_text_is(f, 4, "Quit") && kt_mn_text_is(e, 5, "Paste");
        CharParameter k = 0;
        GetItemCmd(f, 2, &k);
        Style st = 0;
        GetItemStyle(f, 4, &st);
        ok = ok && k == 'W' && st == bold;
        ok = ok && !kt_mn_enabled(f, 3) && kt_mn_enabled(f, 2) && !kt_mn_enabled(e, 2) && kt_mn_enabled(e, 6);
        ok = ok && mn_check_menu(a, true) == noErr && mn_check_menu(f, true) == noErr && mn_check_menu(e, true) == noErr;
        Rect ra, rf, re;
        ok = ok && mn_title_rect(KT_MN_APPLE, &ra) && mn_title_rect(KT_MN_FILE, &rf) && mn_title_rect(KT_MN_EDIT, &re) &&
             ra.right == rf.left && rf.right == re.left && ra.left == 10;
    }
    return ok;
}

/* A menu built in code with every metacharacter, then edited. */
static bool kt_mn_from_code(MenuHandle *out)
{
    MenuHandle m = NewMenu(KT_MN_CODE, (const unsigned char *)"\x05Tools");
    if (m == NULL)
        return false;
    *out = m;
    AppendMenu(m, (const unsigned char *)"\x2f" "Bold<B/B;Italic<I;(Gone;-;Checked!\x12;Icon^3\rLast");
    bool ok = mn_error() == noErr && CountMItems(m) == 7;
    ok = kt_mn_ok(ok, kt_mn_text_is(m, 1, "Bold") && kt_mn_text_is(m, 3, "Gone") && kt_mn_text_is(m, 4, "-") &&
         kt_mn_text_is(m, 6, "Icon") && kt_mn_text_is(m, 7, "Last"), __LINE__);
    Style st = 0;
    CharParameter k = 0, mark = 0;
    GetItemStyle(m, 1, &st);
    GetItemCmd(m, 1, &k);
    GetItemMark(m, 5, &mark);
    ok = kt_mn_ok(ok, st == bold && k == 'B' && mark == checkMark, __LINE__);
    GetItemStyle(m, 2, &st);
    ok = kt_mn_ok(ok, st == italic && !kt_mn_enabled(m, 3) && !kt_mn_enabled(m, 4) && kt_mn_enabled(m, 5), __LINE__);
    /* Insert after item 2: the enable bits above move up with their items. */
    InsertMenuItem(m, (const unsigned char *)"\x0cNew A;(New B", 2);
    ok = kt_mn_ok(ok, CountMItems(m) == 9 && kt_mn_text_is(m, 3, "New A") && kt_mn_text_is(m, 4, "New B") &&
         kt_mn_text_is(m, 5, "Gone") && kt_mn_enabled(m, 3) && !kt_mn_enabled(m, 4) && !kt_mn_enabled(m, 5) &&
         kt_mn_enabled(m, 7), __LINE__);
    DeleteMenuItem(m, 4);
    DeleteMenuItem(m, 3);
    ok = kt_mn_ok(ok, CountMItems(m) == 7 && kt_mn_text_is(m, 3, "Gone") && !kt_mn_enabled(m, 3) && kt_mn_enabled(m, 2), __LINE__);
    /* Text grows and shrinks the block by exactly the difference. */
    Size before = GetHandleSize((Handle)m);
    SetMenuItemText(m, 7, (const unsigned char *)"\x0dLast of them!");
    ok = kt_mn_ok(ok, GetHandleSize((Handle)m) == before + 9 && kt_mn_text_is(m, 7, "Last of them!"), __LINE__);
    SetMenuItemText(m, 7, (const unsigned char *)"\x04Last");
    ok = kt_mn_ok(ok, GetHandleSize((Handle)m) == before, __LINE__);
    /* Bad arguments change nothing. */
    DeleteMenuItem(m, 0);
    ok = kt_mn_ok(ok, mn_error() == paramErr, __LINE__);
    DeleteMenuItem(m, 8);
    SetMenuItemText(m, 1, (const unsigned char *)"");
    ok = kt_mn_ok(ok, mn_error() == paramErr && CountMItems(m) == 7 && GetHandleSize((Handle)m) == before, __LINE__);
    CheckItem(m, 1, true);
    GetItemMark(m, 1, &mark);
    ok = kt_mn_ok(ok, mark == checkMark, __LINE__);
    CheckItem(m, 1, false);
    GetItemMark(m, 1, &mark);
    ok = kt_mn_ok(ok, mark == noMark, __LINE__);
    DisableItem(m, 1);
    ok = kt_mn_ok(ok, !kt_mn_enabled(m, 1), __LINE__);
    EnableItem(m, 1);
    ok = kt_mn_ok(ok, kt_mn_enabled(m, 1) && mn_check_menu(m, true) == noErr, __LINE__);
    InsertMenu(m, KT_MN_EDIT);                               /* before Edit */
    Rect rf, rc, re;
    ok = kt_mn_ok(ok, mn_title_rect(KT_MN_FILE, &rf) && mn_title_rect(KT_MN_CODE, &rc) && mn_title_rect(KT_MN_EDIT, &re) &&
         rf.right == rc.left && rc.right == re.left, __LINE__);
    return ok;
}

/* The bar drawn: white with a black bottom line, the titles in black, a highlight inverting one. */
static bool kt_mn_draw(void)
{
    DrawMenuBar();
    Rect rf;
    if (!mn_title_rect(KT_MN_FILE, &rf))
        return false;
    HideCursor();
    short line = (short)(GetMBarHeight() - 1);
    int ink = 0;
    for (short v = rf.top; v < rf.bottom; v++)
        for (short h = rf.left; h < rf.right; h++)
            ink += kt_mn_px(h, v) == 0;
    bool ok = kt_mn_px(rf.left + 1, 1) == 0x00FFFFFF && kt_mn_px(rf.left + 1, line) == 0 && ink > 20;
    HiliteMenu(KT_MN_FILE);
    ok = ok && kt_mn_px(rf.left + 1, 1) == 0 && mn_hilited() == KT_MN_FILE && kt_mn_px(rf.left + 1, line) == 0;
    HiliteMenu(0);
    ok = ok && kt_mn_px(rf.left + 1, 1) == 0x00FFFFFF && mn_hilited() == 0;
    ShowCursor();
    if (!ok)
        ktap_diag("bar: ink %d", ink);
    return ok;
}

/* Plays steps, handing each mouse-down in the bar to MenuSelect; the choices and the frame hash. */
typedef struct kt_mn_run {
    long chosen[4];
    int n;
    UInt32 hash;
    bool restored;
} kt_mn_run;

static kt_mn_run *g_kt_run;

/* MenuSelect's tracking hook: the first time File's New is highlighted, the menu (with its
 * shadow) is hashed - the key frame. */
static void kt_mn_track_hook(MenuID menu, short item)
{
    Rect r;
    if (g_kt_run == NULL || g_kt_run->hash != 0 || menu != KT_MN_FILE || item != 1 || !mn_menu_rect(menu, &r))
        return;
    r.right++;
    r.bottom++;
    g_kt_run->hash = kt_mn_hash_rect(2166136261u, &r);
}

static bool kt_mn_play(const ev_step *steps, size_t count, kt_mn_run *run)
{
    FlushEvents(everyEvent, 0);
    if (ev_script_start(steps, count) != noErr)
        return false;
    UInt32 start = TickCount();
    EventRecord e;
    run->restored = true;
    for (;;) {
        bool running = ev_script_running();
        while (GetNextEvent(mDownMask | mUpMask | keyDownMask, &e)) {
            WindowPtr w;
            if (e.what != mouseDown || FindWindow(e.where, &w) != inMenuBar)
                continue;
            UInt32 before = kt_mn_hash_screen();
            g_kt_run = run;
            mn_set_track_hook(kt_mn_track_hook);
            long r = MenuSelect(e.where);
            mn_set_track_hook(NULL);
            g_kt_run = NULL;
            if (run->n < 4)
                run->chosen[run->n++] = r;
            HiliteMenu(0);
            run->restored = run->restored && kt_mn_hash_screen() == before;
        }
        if (!running)
            return true;
        if (TickCount() - start > 900) {
            ev_script_stop();
            return false;
        }
        plat_idle();
    }
}

/* Down on File, glide to New, a pause (the frame is hashed then), release; down on Edit,
 * drag onto File and onto Quit; down on File and release outside every menu. Each step
 * that a check needs MenuSelect to have seen waits for its tracking loop (evStepTracked),
 * so the script holds however slow the machine. */
static const ev_step kt_mn_script[] = {
    { .op = evStepMove, .where = { .v = 8, .h = 60 }, .ticks = 3 },
    { .op = evStepDown },
    { .op = evStepTracked },
    { .op = evStepMove, .where = { .v = 28, .h = 70 }, .ticks = 4 },
    { .op = evStepTracked },
    { .op = evStepPause, .ticks = 3 },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 8, .h = 170 }, .ticks = 3 },
    { .op = evStepDown },
    { .op = evStepTracked },                            /* MenuSelect is tracking before the drag, */
    { .op = evStepMove, .where = { .v = 8, .h = 60 }, .ticks = 4 },
    { .op = evStepTracked },                            /* and sees the mouse on File */
    { .op = evStepMove, .where = { .v = 68, .h = 70 }, .ticks = 4 },
    { .op = evStepTracked },
    { .op = evStepUp },
    { .op = evStepMove, .where = { .v = 8, .h = 60 }, .ticks = 3 },
    { .op = evStepDown },
    { .op = evStepMove, .where = { .v = 400, .h = 500 }, .ticks = 4 },
    { .op = evStepUp },
    { .op = evStepEnd },
};

/* The reference hash of the File menu pulled down with New highlighted (its rectangle and shadow). */
static const UInt32 kt_mn_frame_hash = 0xac87adf6u;

static bool kt_mn_select(UInt32 *frame)
{
    if (GetMenuHandle(KT_MN_FILE) == NULL)
        return false;
    long sys0 = FreeMemSys();
    kt_mn_run run = { 0 };
    bool played = kt_mn_play(kt_mn_script, sizeof kt_mn_script / sizeof kt_mn_script[0], &run);
    bool ok = played && run.n == 3 && run.chosen[0] == ((long)KT_MN_FILE << 16 | 1) &&
              run.chosen[1] == ((long)KT_MN_FILE << 16 | 4) && run.chosen[2] == 0 && run.restored &&
              FreeMemSys() == sys0;
    *frame = run.hash;
    if (!ok)
        ktap_diag("select: played %d, %d choices %lx %lx %lx, restored %d, System zone %ld -> %ld", played, run.n,
                  run.chosen[0], run.chosen[1], run.chosen[2], run.restored, sys0, FreeMemSys());
    return ok;
}

static bool kt_mn_keys(void)
{
    MenuHandle f = GetMenuHandle(KT_MN_FILE), e = GetMenuHandle(KT_MN_EDIT);
    if (!f || !e)
        return false;
    bool ok = MenuKey('n') == ((long)KT_MN_FILE << 16 | 1) && mn_hilited() == KT_MN_FILE;
    HiliteMenu(0);
    ok = kt_mn_ok(ok, MenuKey('V') == ((long)KT_MN_EDIT << 16 | 5), __LINE__);
    HiliteMenu(0);
    DisableItem(f, 2);
    ok = kt_mn_ok(ok, MenuKey('w') == 0 && mn_hilited() == 0, __LINE__);
    EnableItem(f, 2);
    ok = kt_mn_ok(ok, MenuKey('w') == ((long)KT_MN_FILE << 16 | 2), __LINE__);
    HiliteMenu(0);
    DisableItem(e, 0);                                       /* the whole Edit menu: its title grays */
    ok = kt_mn_ok(ok, mn_bar_invalid(), __LINE__);
    ok = kt_mn_ok(ok, MenuKey('c') == 0 && !mn_bar_invalid(), __LINE__);
    EnableItem(e, 0);
    ok = kt_mn_ok(ok, MenuKey('c') == ((long)KT_MN_EDIT << 16 | 4) && !mn_bar_invalid(), __LINE__);
    HiliteMenu(0);
    ok = kt_mn_ok(ok, MenuKey('j') == 0 && MenuKey(0) == 0, __LINE__);
    return ok;
}

static bool kt_mn_bar_copy(void)
{
    Handle saved = GetMenuBar();
    if (saved == NULL)
        return false;
    Size size = GetHandleSize(saved);
    ClearMenuBar();
    bool ok = GetMenuHandle(KT_MN_FILE) == NULL && MenuKey('n') == 0;
    SetMenuBar(saved);
    ok = ok && mn_error() == noErr && GetMenuHandle(KT_MN_FILE) != NULL && MenuKey('n') == ((long)KT_MN_FILE << 16 | 1);
    HiliteMenu(0);
    DeleteMenu(KT_MN_CODE);
    ok = ok && GetMenuHandle(KT_MN_CODE) == NULL && mn_error() == noErr;
    DeleteMenu(KT_MN_CODE);
    ok = ok && mn_error() == paramErr;
    /* A list whose size does not match its count is refused and changes nothing. */
    SetHandleSize(saved, size - 4);
    SetMenuBar(saved);
    ok = ok && mn_error() == paramErr && GetMenuHandle(KT_MN_FILE) != NULL && GetMenuHandle(KT_MN_CODE) == NULL;
    DisposeHandle(saved);
    return ok;
}

/* A damaged record (an item running past the block) is refused by every call. */
static bool kt_mn_damaged(void)
{
    MenuHandle m = NewMenu(KT_MN_CODE + 1, (const unsigned char *)"\x03" "Bad");
    if (m == NULL)
        return false;
    AppendMenu(m, (const unsigned char *)"\x03One");
    Size size = GetHandleSize((Handle)m);
    unsigned char *b = (unsigned char *)(void *)*m;
    long item = (long)((unsigned char *)(*m)->menuData - b) + 1 + 3;     /* "One"'s length byte */
    b[item] = 200;
    bool ok = mn_check_menu(m, false) == paramErr && CountMItems(m) == 0 && mn_error() == paramErr;
    AppendMenu(m, (const unsigned char *)"\x03Two");
    ok = ok && mn_error() == paramErr && GetHandleSize((Handle)m) == size;
    InsertMenu(m, 0);
    ok = ok && mn_error() == paramErr && GetMenuHandle(KT_MN_CODE + 1) == NULL;
    b = (unsigned char *)(void *)*m;
    b[item] = 3;
    ok = ok && mn_check_menu(m, true) == noErr && CountMItems(m) == 1;
    SetHandleSize((Handle)m, size + 4);                       /* bytes after the end byte */
    if (MemError() == noErr) {
        for (int i = 0; i < 4; i++)
            ((unsigned char *)(void *)*m)[size + i] = 0;
        ok = ok && mn_check_menu(m, false) == paramErr && CountMItems(m) == 0;
        SetHandleSize((Handle)m, size);
    }
    ok = ok && mn_check_menu(m, true) == noErr;
    DisposeMenu(m);
    return ok;
}

/* In a small zone a menu grows until memFullErr; the failed append leaves it as it was. */
static bool kt_mn_pressure(void)
{
    Ptr block = NewPtr(KT_MN_SUBZONE);
    if (block == NULL)
        return false;
    THz home = GetZone();
    InitZone(NULL, 16, block + KT_MN_SUBZONE, block);
    if (MemError() != noErr) {
        SetZone(home);
        DisposePtr(block);
        return false;
    }
    THz sub = GetZone();
    long free0 = FreeMem();
    MenuHandle m = NewMenu(7, (const unsigned char *)"\x04" "Full");
    bool ok = m != NULL, full = false;
    for (int i = 0; ok && i < 2000; i++) {
        short n = CountMItems(m);
        Size size = GetHandleSize((Handle)m);
        long before = FreeMem();
        AppendMenu(m, (const unsigned char *)"\x1f" "An item with a long name/K;(Two");
        if (mn_error() == memFullErr) {
            short now = CountMItems(m);
            /* The first of the two items may have fitted: the second did not. */
            ok = (now == n && GetHandleSize((Handle)m) == size && FreeMem() == before) ||
                 (now == n + 1 && kt_mn_text_is(m, now, "An item with a long name"));
            ok = ok && mn_check_menu(m, true) == noErr && mm_check_zone(sub, "MenuMgr pressure", true) == noErr;
            full = true;
            break;
        }
        ok = CountMItems(m) == n + 2;
    }
    if (m)
        DisposeMenu(m);
    ok = ok && full && FreeMem() == free0 && mm_check_zone(sub, "MenuMgr pressure", true) == noErr;
    SetZone(home);
    DisposePtr(block);
    return ok;
}

int mn_run_tests(void)
{
    ktap_suite s;
    if (!qd.screenBits.baseAddr) {
        ktap_suite_begin(&s, "MenuMgr", 1);
        ktap_skip(&s, "menus", "no screen");
        return ktap_suite_end(&s);
    }
    ktap_suite_begin(&s, "MenuMgr", 12);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    kt_mn_reserve_masters();
    short ref = OpenResFile((const unsigned char *)"\x06System");
    InitWindows();
    InitMenus();
    long free0 = FreeMem(), sys0 = FreeMemSys();
    ktap_check(&s, ref > 0 && GetMenuHandle(KT_MN_FILE) == NULL && kt_mn_px(100, 5) == 0x00FFFFFF, "initmenus_empty_bar");
    ktap_check(&s, kt_mn_from_resources(), "menu_bar_from_MENU_resources");
    MenuHandle code = NULL;
    ktap_check(&s, kt_mn_from_code(&code), "menu_from_code_metacharacters_insert_delete_text");
    ktap_check(&s, kt_mn_draw(), "draw_menu_bar_and_hilite");
    UInt32 frame = 0;
    ktap_check(&s, kt_mn_select(&frame), "menuselect_by_script_bits_restored");
    if (frame != kt_mn_frame_hash)
        ktap_diag("pulled-down File menu: hash %08lx, reference %08lx", (unsigned long)frame,
                  (unsigned long)kt_mn_frame_hash);
    ktap_check(&s, frame == kt_mn_frame_hash, "pulled_down_menu_frame_hash");
    ktap_check(&s, kt_mn_keys(), "menukey_command_keys_enable_disable");
    ktap_check(&s, kt_mn_bar_copy(), "getmenubar_setmenubar_clear_delete");
    ktap_check(&s, kt_mn_damaged(), "damaged_menu_refused");
    ktap_check(&s, kt_mn_pressure(), "append_until_memfullerr_menu_intact");
    /* Dispose of everything: the bar empties and the zones come back exactly. */
    for (MenuID id = KT_MN_APPLE; id <= KT_MN_EDIT; id++)
        DisposeMenu(GetMenuHandle(id));
    if (code)
        DisposeMenu(code);
    ClearMenuBar();
    DrawMenuBar();
    long free1 = FreeMem();
    if (free1 != free0 || FreeMemSys() != sys0)
        ktap_diag("FreeMem %ld -> %ld, FreeMemSys %ld -> %ld", free0, free1, sys0, FreeMemSys());
    ktap_check(&s, free1 == free0 && FreeMemSys() == sys0 && GetMenuHandle(KT_MN_FILE) == NULL, "dispose_all_freemem_exact");
    ktap_check(&s, mm_check_zone(GetZone(), "MenuMgr", true) == noErr && mm_check_zone(SystemZone(), "MenuMgr", true) == noErr,
               "heap_check_clean");
    if (ref > 0)
        CloseResFile(ref);
    SetZone(home);
    return ktap_suite_end(&s);
}

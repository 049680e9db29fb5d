/*
 * desktop_tests.c - the "desktop" KTAP suite: draws the desktop on
 * qd.screenBits, reads the pixels back, then plays the boot script (the
 * cursor glides across the desktop, clicks, drags, types) and checks the
 * events it produced, that the cursor followed the mouse and that the
 * pixels under the cursor came back exactly when it moved. It leaves the
 * finished scene on the screen and says so on the console
 * ("desktop: drawn ..."), which is what `make screenshot` waits for.
 *
 * Runs in the kernel (last suite, on the framebuffer or the off-screen
 * bitmap) and on the host (tests/host/test_desktop.c, on a buffer), after
 * the caller has called qd_set_screen and InitGraf.
 */
#include "kernel_suites.h"
#include "Desktop.h"

#include "Events.h"
#include "lib/kprintf.h"
#include "lib/ktap.h"
#include "MemoryMgr/MemoryManager.h"
#include "platform.h"

enum { desk_black = 0x00000000, desk_white = 0x00FFFFFF };
enum { desk_script_timeout = 600 };    /* ticks: ten seconds for a script of about one */

/* The boot script: glide in from the centre, click on the desktop, drag,
 * type a key, and come to rest where the screenshot shows the arrow. */
static const ev_step g_boot_script[] = {
    { .op = evStepPause, .ticks = 6 },
    { .op = evStepMove, .where = { .v = 200, .h = 300 }, .ticks = 20 },
    { .op = evStepDown },
    { .op = evStepPause, .ticks = 3 },
    { .op = evStepMove, .where = { .v = 260, .h = 380 }, .ticks = 10 },
    { .op = evStepUp },
    { .op = evStepKey, .keyCode = 0x00 },              /* 'a' */
    { .op = evStepMove, .where = { .v = 300, .h = 420 }, .ticks = 15 },
    { .op = evStepEnd },
};
static const Point g_rest = { .v = 300, .h = 420 };

static UInt32 desk_pixel(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return *((const UInt32 *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left));
}

/* FNV-1a over every pixel of the screen. */
static UInt32 desk_hash(void)
{
    const Rect *b = &qd.screenBits.bounds;
    UInt32 h = 2166136261u;
    for (short v = b->top; v < b->bottom; v++)
        for (short x = b->left; x < b->right; x++) {
            h ^= desk_pixel(x, v);
            h *= 16777619u;
        }
    return h;
}

static bool desk_gray_at(short h, short v)
{
    UInt32 a = desk_pixel(h, v), b = desk_pixel((short)(h + 1), v), c = desk_pixel(h, (short)(v + 1));
    return (a == desk_black || a == desk_white) && a != b && a != c;
}

/* Master pointer blocks are never given back: make enough before FreeMem is measured. */
static void desk_reserve_masters(void)
{
    enum { n = 32 };
    Handle hs[n];
    for (int i = 0; i < n; i++)
        hs[i] = NewHandle(8);
    for (int i = 0; i < n; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

typedef struct desk_seen {
    int downs, ups, keys;
    Point down_at, up_at;
    UInt8 key_char;
} desk_seen;

/* Plays the boot script to its end, collecting its events; false on timeout. */
static bool desk_play(desk_seen *seen)
{
    EventRecord e;
    UInt32 start = TickCount();
    FlushEvents(everyEvent, 0);
    if (ev_script_start(g_boot_script, sizeof g_boot_script / sizeof g_boot_script[0]) != noErr)
        return false;
    for (;;) {
        bool running = ev_script_running();
        while (GetNextEvent(everyEvent, &e)) {
            if (e.what == mouseDown) {
                seen->downs++;
                seen->down_at = e.where;
            } else if (e.what == mouseUp) {
                seen->ups++;
                seen->up_at = e.where;
            } else if (e.what == keyDown) {
                seen->keys++;
                seen->key_char = (UInt8)(e.message & charCodeMask);
            }
        }
        if (!running)
            return true;
        if (TickCount() - start > desk_script_timeout) {
            ev_script_stop();
            return false;
        }
        plat_idle();
    }
}

int desktop_run_tests(void)
{
    ktap_suite s;
    const Rect *b = &qd.screenBits.bounds;
    if (!qd.screenBits.baseAddr) {
        ktap_suite_begin(&s, "desktop", 1);
        ktap_skip(&s, "desktop_drawn", "no screen: no framebuffer and no room for an off-screen bitmap");
        return ktap_suite_end(&s);
    }
    ktap_suite_begin(&s, "desktop", 10);
    if (b->right - b->left < 64 || b->bottom - b->top < 64) {
        ktap_diag("a screen of %dx%d is too small for the desktop", b->right - b->left, b->bottom - b->top);
        return ktap_suite_end(&s);    /* the plan is not met: the suite fails */
    }
    short w = (short)(b->right - b->left), h = (short)(b->bottom - b->top);
    desk_reserve_masters();
    long free_before = FreeMem();

    ev_init(b);
    OSErr err = desktop_draw();
    if (!ktap_check(&s, err == noErr, "desktop_draw_noErr"))
        ktap_diag("desktop_draw returned %d", err);
    HideCursor();     /* read the pixels without the arrow on them */
    ktap_check(&s, desk_pixel(100, 5) == desk_white && desk_pixel((short)(w - 40), 12) == desk_white,
               "menu_bar_white");
    short line = desktop_menu_bar_height - 1;
    ktap_check(&s, desk_pixel(100, line) == desk_black && desk_pixel((short)(w - 40), line) == desk_black &&
                       desk_pixel(100, (short)(line - 1)) == desk_white,
               "menu_bar_bottom_line_black");
    bool corners = desk_pixel(0, 0) == desk_black && desk_pixel((short)(w - 1), 0) == desk_black &&
                   desk_pixel(0, (short)(h - 1)) == desk_black &&
                   desk_pixel((short)(w - 1), (short)(h - 1)) == desk_black &&
                   desk_pixel(desktop_corner_diameter, 2) == desk_white;
    ktap_check(&s, corners, "screen_corners_rounded_black");
    ktap_check(&s, desk_gray_at(200, 200) && desk_gray_at((short)(w - 50), (short)(h - 50)), "desktop_gray_pattern");
    UInt32 bare = desk_hash();
    ShowCursor();

    desk_seen seen = { 0 };
    bool played = desk_play(&seen);
    ktap_check(&s, played, "boot_script_played");
    bool events = seen.downs == 1 && seen.ups == 1 && seen.keys == 1 && seen.down_at.h == 300 &&
                  seen.down_at.v == 200 && seen.up_at.h == 380 && seen.up_at.v == 260 && seen.key_char == 'a';
    if (!ktap_check(&s, events, "script_events_in_order_at_their_points"))
        ktap_diag("downs %d ups %d keys %d, down (%d,%d), up (%d,%d), char %u", seen.downs, seen.ups, seen.keys,
                  seen.down_at.h, seen.down_at.v, seen.up_at.h, seen.up_at.v, seen.key_char);
    Point at = cursor_location();
    bool follows = at.h == g_rest.h && at.v == g_rest.v && cursor_visible() &&
                   desk_pixel(g_rest.h, g_rest.v) == desk_black;
    if (!ktap_check(&s, follows, "cursor_follows_the_mouse"))
        ktap_diag("cursor at (%d,%d), visible %d", at.h, at.v, cursor_visible());
    HideCursor();
    UInt32 after = desk_hash();
    ShowCursor();
    if (!ktap_check(&s, after == bare, "cursor_restores_what_was_under_it"))
        ktap_diag("screen hash without the cursor 0x%08x, after the cursor moved 0x%08x", bare, after);
    if (!ktap_check(&s, FreeMem() == free_before, "FreeMem_restored"))
        ktap_diag("FreeMem %ld before, %ld after", free_before, FreeMem());
    kprintf("desktop: drawn, %dx%d, cursor at (%d,%d)\n", w, h, at.h, at.v);
    return ktap_suite_end(&s);
}

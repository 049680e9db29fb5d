/*
 * test_desktop.c - host tests for the desktop and the software cursor: the
 * "desktop" KTAP suite (desktop_run_tests) on a 1024x768 buffer and on a
 * small screen with padded rows, and the cursor at the screen's edges and
 * corners (clipped: ASan sees any pixel written outside the exactly-sized
 * buffer), hidden and shown by level, SetCursor, and its save-under (what
 * it covered comes back bit for bit when it moves or hides).
 */
#include "kernel_suites.h"
#include "Desktop.h"

#include <stdlib.h>
#include <string.h>

#include "Events.h"
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

static UInt32 *g_px;
static int g_w, g_h, g_row;     /* g_row in pixels */

static void screen(int w, int h, int row_px)
{
    free(g_px);
    g_w = w;
    g_h = h;
    g_row = row_px;
    g_px = mt_alloc_buf((size_t)row_px * 4 * (size_t)(h - 1) + (size_t)w * 4);   /* exactly the pixels, no slack */
    for (long i = 0; i < (long)row_px * (h - 1) + w; i++)
        g_px[i] = 0x00123456u ^ (UInt32)(i * 2654435761u);
    TAP_EQ(qd_set_screen(g_px, row_px * 4, (short)w, (short)h), noErr, "qd_set_screen %dx%d, row %d px", w, h, row_px);
    InitGraf(&qd.thePort);
    plat_host_set_ticks(100);
    Rect b = { 0, 0, (short)h, (short)w };
    ev_init(&b);
}

static UInt32 px(int h, int v)
{
    return g_px[(long)v * g_row + h];
}

static UInt32 hash_screen(void)
{
    UInt32 x = 2166136261u;
    for (int v = 0; v < g_h; v++)
        for (int h = 0; h < g_w; h++)
            x = (x ^ px(h, v)) * 16777619u;
    return x;
}

static void move_mouse(int h, int v)
{
    ev_step s[] = { { .op = evStepMove, .where = { .v = (short)v, .h = (short)h } }, { .op = evStepEnd } };
    ev_script_start(s, 2);
    ev_pump();
}

static void test_suite_on(int w, int h, int row_px)
{
    screen(w, h, row_px);
    TAP_EQ(desktop_run_tests(), 0, "desktop KTAP suite passes on %dx%d", w, h);
}

static void test_cursor_edges(void)
{
    screen(320, 200, 320);
    InitCursor();
    HideCursor();
    UInt32 bare = hash_screen();
    ShowCursor();
    tap_ok(cursor_visible() && px(161, 101) == 0, "InitCursor shows the arrow at the mouse (tip black)");
    tap_ok(hash_screen() != bare, "the arrow changed the screen");
    static const int spots[][2] = { { 0, 0 }, { 319, 0 }, { 0, 199 }, { 319, 199 }, { 318, 100 }, { 160, 198 }, { -40, -40 }, { 5000, 5000 } };
    bool restored = true;
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        move_mouse(spots[i][0], spots[i][1]);
        HideCursor();
        restored &= hash_screen() == bare;
        ShowCursor();
    }
    tap_ok(restored, "at every edge and corner the cursor draws clipped and restores what it covered");
    Point at = cursor_location();
    tap_ok(at.h == 319 && at.v == 199 && px(319, 199) != 0x00FFFFFF, "pinned to the last pixel, tip drawn there");

    HideCursor();
    HideCursor();
    ShowCursor();
    tap_ok(!cursor_visible() && hash_screen() == bare, "two hides need two shows");
    ShowCursor();
    tap_ok(cursor_visible(), "...and the second show draws it");
    ShowCursor();
    ShowCursor();
    HideCursor();
    tap_ok(!cursor_visible(), "extra shows do not build up a level above 0");
    ShowCursor();

    Cursor block = { .hotSpot = { .v = 0, .h = 0 } };
    for (int r = 0; r < 16; r++) {
        block.data[r] = (short)0xFFFF;
        block.mask[r] = r < 8 ? (short)0xFFFF : 0;
    }
    move_mouse(100, 100);
    HideCursor();
    UInt32 under = px(100, 110);
    ShowCursor();
    SetCursor(&block);
    tap_ok(px(100, 100) == 0 && px(115, 107) == 0, "SetCursor: mask and data 1 draw black");
    tap_ok(px(100, 110) == (under ^ 0x00FFFFFF), "mask 0 data 1 inverts the screen");
    HideCursor();
    tap_ok(hash_screen() == bare, "hiding the new cursor restores the screen");
    ShowCursor();
    SetCursor(NULL);
    tap_ok(cursor_visible(), "SetCursor(NULL) changes nothing");
}

/* The cursor drawn on one screen, then the screen replaced: hiding it must
 * not put the first screen's pixels back into the second. */
static void test_cursor_screen_change(void)
{
    screen(200, 200, 200);
    InitCursor();
    move_mouse(100, 100);
    tap_ok(cursor_visible(), "the cursor is drawn on the first screen");
    screen(400, 300, 400);
    HideCursor();
    bool untouched = true;
    for (long i = 0; i < 400L * 300; i++)
        untouched &= g_px[i] == (0x00123456u ^ (UInt32)(i * 2654435761u));
    tap_ok(untouched, "after a screen change, hiding the cursor writes nothing of the old screen into the new");
    ShowCursor();
}

int main(void)
{
    if (!mt_install(1 << 20, 8 << 20, 0))
        return 2;
    test_suite_on(1024, 768, 1024);
    test_suite_on(640, 480, 700);
    test_cursor_edges();
    test_cursor_screen_change();
    return tap_done();
}

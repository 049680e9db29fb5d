/*
 * cursor.c - the software cursor: InitCursor, SetCursor, HideCursor,
 * ShowCursor, drawn straight into qd.screenBits' 32-bit pixels.
 *
 * Invariants:
 *   1. g_crsr.drawn is true exactly when the image is on the screen, and
 *      then g_crsr.saved holds the pixels it covers (the box at drawn_at,
 *      clipped to the screen) and g_crsr.on is that screen; once
 *      qd.screenBits names another screen, the image is forgotten, never
 *      restored into it (the box may lie outside the new one);
 *   2. drawn implies level == 0; a level below 0 never draws.
 * Moving the cursor is: restore what it covered, save what it will cover,
 * draw. The saved box is clipped to screenBits.bounds, so a hot spot near an
 * edge draws the part that is on the screen and touches nothing else.
 */
#include "Desktop.h"

#include <stdbool.h>

#include "Events.h"

enum { crsr_size = 16, crsr_black = 0x00000000, crsr_white = 0x00FFFFFF };

typedef struct crsr_state {
    Cursor image;
    short level;                  /* 0 shown, < 0 hidden */
    Point at;                     /* the mouse (hot spot), global */
    bool drawn;
    Rect box;                     /* screen pixels the drawn image covers */
    BitMap on;                    /* the screen it was drawn on */
    UInt32 saved[crsr_size * crsr_size];
} crsr_state;

static crsr_state g_crsr = { .level = -1 };

static bool crsr_have_screen(void)
{
    return qd.screenBits.baseAddr && qd.screenBits.bounds.right > qd.screenBits.bounds.left &&
           qd.screenBits.bounds.bottom > qd.screenBits.bounds.top;
}

/* The 32-bit pixel at global (h, v) of the screen. */
static UInt32 *crsr_pixel(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return (UInt32 *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left);
}

static bool crsr_bit(const Bits16 rows, int r, int c)
{
    return (UInt16)rows[r] & (0x8000u >> c);
}

/* Whether qd.screenBits is still the screen the image was drawn on. */
static bool crsr_same_screen(void)
{
    const BitMap *sb = &qd.screenBits;
    return sb->baseAddr == g_crsr.on.baseAddr && sb->rowBytes == g_crsr.on.rowBytes &&
           EqualRect(&sb->bounds, &g_crsr.on.bounds);
}

static void crsr_erase(void)
{
    if (!g_crsr.drawn)
        return;
    if (!crsr_same_screen()) {   /* its screen is gone: nothing to put back */
        g_crsr.drawn = false;
        return;
    }
    int w = g_crsr.box.right - g_crsr.box.left;
    for (short v = g_crsr.box.top; v < g_crsr.box.bottom; v++)
        for (short h = g_crsr.box.left; h < g_crsr.box.right; h++)
            *crsr_pixel(h, v) = g_crsr.saved[(v - g_crsr.box.top) * w + (h - g_crsr.box.left)];
    g_crsr.drawn = false;
}

static void crsr_draw(void)
{
    if (g_crsr.drawn || g_crsr.level < 0 || !crsr_have_screen())
        return;
    Rect full = { .top = (short)(g_crsr.at.v - g_crsr.image.hotSpot.v),
                  .left = (short)(g_crsr.at.h - g_crsr.image.hotSpot.h) };
    full.bottom = (short)(full.top + crsr_size);
    full.right = (short)(full.left + crsr_size);
    if (!SectRect(&full, &qd.screenBits.bounds, &g_crsr.box))
        return;
    int w = g_crsr.box.right - g_crsr.box.left;
    for (short v = g_crsr.box.top; v < g_crsr.box.bottom; v++) {
        for (short h = g_crsr.box.left; h < g_crsr.box.right; h++) {
            UInt32 *px = crsr_pixel(h, v);
            int r = v - full.top, c = h - full.left;
            g_crsr.saved[(v - g_crsr.box.top) * w + (h - g_crsr.box.left)] = *px;
            bool data = crsr_bit(g_crsr.image.data, r, c), mask = crsr_bit(g_crsr.image.mask, r, c);
            if (mask)
                *px = data ? crsr_black : crsr_white;
            else if (data)
                *px ^= crsr_white;
        }
    }
    g_crsr.on = qd.screenBits;
    g_crsr.drawn = true;
}

static void crsr_follow(Point global)
{
    crsr_erase();
    g_crsr.at = global;
    crsr_draw();
}

void InitCursor(void)
{
    crsr_erase();
    g_crsr.image = qd.arrow;
    g_crsr.level = 0;
    ev_set_mouse_hook(crsr_follow);
    ev_pump();
    g_crsr.at = ev_mouse_location();
    crsr_draw();
}

void SetCursor(const Cursor *crsr)
{
    if (!crsr)
        return;
    crsr_erase();
    g_crsr.image = *crsr;
    crsr_draw();
}

void HideCursor(void)
{
    crsr_erase();
    if (g_crsr.level > -32767)
        g_crsr.level--;
}

void ShowCursor(void)
{
    if (g_crsr.level < 0)
        g_crsr.level++;
    crsr_draw();
}

Point cursor_location(void)
{
    return g_crsr.at;
}

Boolean cursor_visible(void)
{
    return g_crsr.drawn;
}

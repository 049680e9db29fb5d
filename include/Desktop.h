/*
 * Desktop.h - the System 7 desktop and the software cursor.
 *
 * The desktop is what the Window Manager's InitWindows and the Menu
 * Manager's InitMenus leave on the screen before any window opens: the
 * desktop pattern (50% gray), a white menu bar 20 pixels tall with a black
 * line along its bottom, and the screen's corners rounded off in black.
 * The bar drawn here is empty; from InitMenus on the Menu Manager owns it
 * (Menus.h: DrawMenuBar repaints it with its titles, MenuSelect pulls menus
 * down from it) and the Window Manager never draws there.
 *
 * The cursor is drawn in software over qd.screenBits (32-bit pixels):
 * before drawing it the 16x16 pixels under it are saved, and hiding it puts
 * them back, so a visible cursor never changes the picture beneath it. Mask
 * and data bits follow Inside Macintosh: mask 1 data 1 black, mask 1 data 0
 * white, mask 0 data 1 inverts the screen, mask 0 data 0 leaves it. The
 * cursor follows the Event Manager's mouse (its mouse hook). Anything that
 * draws on the screen where the cursor may be hides it first (HideCursor)
 * and shows it after (ShowCursor).
 */
#ifndef DESKTOP_H
#define DESKTOP_H

#include "MacTypes.h"
#include "Quickdraw.h"

/* Cursor routines (QuickDraw's in Inside Macintosh). The visibility level
 * starts hidden (-1) and InitCursor makes it 0: visible at 0, hidden below. */
void    InitCursor(void);               /* the arrow, level 0 (shown), at the mouse */
void    SetCursor(const Cursor *crsr);  /* a copy of crsr becomes the cursor */
void    HideCursor(void);               /* level - 1; restores what was under it */
void    ShowCursor(void);               /* level + 1 up to 0; draws it at 0 */

/* ---- project extensions ------------------------------------------------------ */
enum { desktop_menu_bar_height = 20, desktop_corner_diameter = 16 };

/* Draws the desktop over all of qd.screenBits (the cursor hidden meanwhile),
 * then InitCursor: the arrow, shown, following the Event Manager's mouse. noErr, or the
 * QuickDraw/Memory Manager error that stopped it (nothing is left allocated). */
OSErr   desktop_draw(void);

/* Where the cursor's hot spot is drawn (global), and whether it is showing. */
Point   cursor_location(void);
Boolean cursor_visible(void);


#endif

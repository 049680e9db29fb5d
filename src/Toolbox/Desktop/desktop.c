/*
 * desktop.c - draws the System 7 desktop on qd.screenBits: the gray desktop
 * pattern, the white menu bar with its black bottom line, and the rounded
 * screen corners, then puts the cursor up.
 *
 * It draws through its own GrafPort on the screen. The menu bar it draws
 * is the empty one; the Menu Manager redraws it with titles (DrawMenuBar). The corners are a region: the screen's
 * rectangle minus a round rectangle recorded with OpenRgn/CloseRgn, painted
 * black. The arrow goes up last (InitCursor). Every region is disposed before returning, on success or failure,
 * so the zone's free space is back where it was.
 */
#include "Desktop.h"

#include "Events.h"

static GrafPort g_desk_port;

/* Paints black what lies outside the screen's rounded rectangle. */
static OSErr desk_corners(const Rect *screen)
{
    RgnHandle outside = NewRgn(), round = NewRgn();
    OSErr err = QDError();
    if (outside && round) {
        RectRgn(outside, screen);
        OpenRgn();
        FrameRoundRect(screen, desktop_corner_diameter, desktop_corner_diameter);
        CloseRgn(round);
        err = QDError();
        if (err == noErr)
            DiffRgn(outside, round, outside);
        err = err ? err : QDError();
        if (err == noErr) {
            PenNormal();
            PaintRgn(outside);
            err = QDError();
        }
    }
    if (outside)
        DisposeRgn(outside);
    if (round)
        DisposeRgn(round);
    return err;
}

static void desk_menu_bar(const Rect *screen)
{
    Rect bar = *screen;
    bar.bottom = (short)(bar.top + desktop_menu_bar_height);
    FillRect(&bar, &qd.white);
    PenNormal();
    MoveTo(bar.left, (short)(bar.bottom - 1));
    LineTo((short)(bar.right - 1), (short)(bar.bottom - 1));
}

OSErr desktop_draw(void)
{
    if (!qd.screenBits.baseAddr)
        return paramErr;
    GrafPtr saved;
    GetPort(&saved);
    OpenPort(&g_desk_port);
    OSErr err = QDError();
    if (err != noErr)
        return err;
    Rect screen = qd.screenBits.bounds;

    HideCursor();
    FillRect(&screen, &qd.gray);
    desk_menu_bar(&screen);
    err = QDError();
    if (err == noErr)
        err = desk_corners(&screen);
    InitCursor();

    ClosePort(&g_desk_port);
    SetPort(saved);
    return err;
}

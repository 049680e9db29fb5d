/*
 * test_app.c - the scripted application run on the host: System.r compiled
 * and registered as the System file, QuickDraw on a 1024x768 buffer, the
 * desktop drawn by InitWindows and the empty menu bar by InitMenus, then
 * the "app" KTAP suite (the scripted run and the pressure run) twice: the
 * Application zone's FreeMem back where it began after each, the System
 * zone's unchanged by the second run (what the Toolbox grows there on first
 * use stays), and the heap checks clean.
 */
#include "kernel_suites.h"

#include "MacWindows.h"
#include "Menus.h"
#include "toolbox_host.h"

enum { MM_SCRAMBLE_SLACK = 48 };   /* a remainder below the 64-byte minimum block */

int main(void)
{
    static tb_host t;
    if (!tb_host_begin(&t, true, 512))
        return tap_done();
    Handle hs[64];                           /* System-zone master pointers too */
    for (int i = 0; i < 64; i++)
        hs[i] = NewEmptyHandleSys();
    for (int i = 0; i < 64; i++)
        DisposeHandle(hs[i]);
    InitWindows();                           /* the Window Manager's port and the menu list exist before measuring */
    InitMenus();
    long free0 = FreeMem(), sys0 = FreeMemSys();
    TAP_EQ(app_run_tests(), 0, "the app KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    long sys1 = FreeMemSys();
    tap_ok(sys1 <= sys0, "the first run leaves at most %ld bytes of first-use growth in the System zone", sys0 - sys1);
    TAP_EQ(app_run_tests(), 0, "the app KTAP suite passes again");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began again");
#if CONFIG_MM_SCRAMBLE
    /* The scramble moves every block on every call, and a relocatable block
     * can come out of a move keeping a remainder below the minimum block
     * (at most MM_SCRAMBLE_SLACK bytes), so under it the System zone's free
     * bytes may sit that much lower after a run, but no lower however many
     * runs follow: a leak of even 16 bytes a run would pass it in four. */
    long low = FreeMemSys();
    for (int k = 0; k < 4; k++) {
        (void)app_run_tests();
        low = FreeMemSys() < low ? FreeMemSys() : low;
    }
    tap_ok(low >= sys1 - MM_SCRAMBLE_SLACK, "four more runs take at most %d bytes from the System zone (%ld -> lowest %ld)",
           MM_SCRAMBLE_SLACK, sys1, low);
#else
    tap_ok(FreeMemSys() >= sys1, "the second run takes nothing from the System zone (%ld -> %ld)", sys1, FreeMemSys());
#endif
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    tb_host_end(&t);
    return tap_done();
}

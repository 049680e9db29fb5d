/*
 * test_menus.c - the Menu Manager on the host: System.r compiled and
 * registered as the System file, QuickDraw on a 1024x768 buffer, the
 * desktop drawn by InitWindows and the empty menu bar by InitMenus, then
 * the "MenuMgr" KTAP suite; both zones' FreeMem back where they were after
 * InitMenus (its menu list stays) and the heap checks clean.
 */
#include "kernel_suites.h"

#include "MacWindows.h"
#include "Menus.h"
#include "toolbox_host.h"

int main(void)
{
    static tb_host t;
    if (!tb_host_begin(&t, true, 512))
        return tap_done();
    InitWindows();                           /* the Window Manager's port and the menu list exist before measuring */
    InitMenus();
    long free0 = FreeMem(), sys0 = FreeMemSys();
    TAP_EQ(mn_run_tests(), 0, "the MenuMgr KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    TAP_EQ(FreeMemSys(), sys0, "the System zone is back where it began");
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    tb_host_end(&t);
    return tap_done();
}

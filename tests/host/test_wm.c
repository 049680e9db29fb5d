/*
 * test_wm.c - the Window Manager on the host: System.r compiled and
 * registered as the System file, QuickDraw on a 1024x768 buffer, the
 * desktop drawn by InitWindows, then the "WindowMgr" and "wm_memfull" KTAP suites; both
 * zones' FreeMem back where they began and the heap checks clean.
 */
#include "kernel_suites.h"

#include "MacWindows.h"
#include "toolbox_host.h"

int main(void)
{
    static tb_host t;
    if (!tb_host_begin(&t, false, 4096))
        return tap_done();
    long free0 = FreeMem(), sys0 = FreeMemSys();
    TAP_EQ(wm_run_tests(), 0, "the WindowMgr KTAP suite passes on the host");
    TAP_EQ(wm_memfull_run_tests(), 0, "the wm_memfull KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    tap_ok(FreeMemSys() <= sys0, "the System zone holds only the Window Manager's port and scratch regions");
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    tb_host_end(&t);
    return tap_done();
}

/*
 * test_dlg.c - the Dialog Manager on the host: System.r compiled and
 * registered as the System file, QuickDraw on a 1024x768 buffer, the
 * desktop drawn by InitWindows, then the "DialogMgr" KTAP suite; both
 * zones' FreeMem back where they began and the heap checks clean.
 */
#include "kernel_suites.h"

#include "MacWindows.h"
#include "toolbox_host.h"

int main(void)
{
    static tb_host t;
    if (!tb_host_begin(&t, true, 512))
        return tap_done();
    long free0 = FreeMem(), sys0 = FreeMemSys();
    TAP_EQ(dm_run_tests(), 0, "the DialogMgr KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    tap_ok(FreeMemSys() <= sys0, "the System zone holds no more than the managers' own state afterwards");
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    tb_host_end(&t);
    return tap_done();
}

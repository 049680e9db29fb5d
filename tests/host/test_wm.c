/*
 * test_wm.c - the Window Manager on the host: System.r compiled and
 * registered as the System file, QuickDraw on a 1024x768 buffer, the
 * desktop drawn by InitWindows, then the "WindowMgr" KTAP suite; both
 * zones' FreeMem back where they began and the heap checks clean.
 */
#include "kernel_suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Events.h"
#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"
#include "Resources.h"
#include "mm_test_util.h"
#include "platform.h"
#include "rez.h"
#include "host_file.h"
#include "tap.h"

enum { SW = 1024, SH = 768 };

int main(void)
{
    tap_ok(mt_install(1 << 20, 16 << 20, 0), "zones installed");
    char *text = host_read_file(SYSTEM_R_PATH, NULL), err[256] = "";
    rez_unit u = { 0 };
    rez_fork f = { 0 };
    bool ok = text && rez_compile(text, strlen(text), &u, err, sizeof err) == 0 &&
              rez_write_fork(&u, &f, err, sizeof err) == 0;
    free(text);
    tap_ok(ok, "System.r compiles %s", err);
    if (!ok)
        return tap_done();
    TAP_EQ(rm_register_fork("System", f.bytes, (long)f.len, NULL), noErr, "the System fork registers");
    UInt32 *px = mt_alloc_buf((size_t)SW * SH * 4);
    TAP_EQ(qd_set_screen(px, SW * 4, SW, SH), noErr, "a 1024x768 screen");
    InitGraf(&qd.thePort);
    plat_host_set_ticks(100);
    Rect b = { 0, 0, SH, SW };
    ev_init(&b);
    static Handle hs[3072];                  /* master pointers made before measuring */
    for (int i = 0; i < 3072; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < 3072; i++)
        DisposeHandle(hs[i]);
    long free0 = FreeMem(), sys0 = FreeMemSys();
    TAP_EQ(wm_run_tests(), 0, "the WindowMgr KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    tap_ok(FreeMemSys() <= sys0, "the System zone holds only the Window Manager's port and scratch regions");
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    rm_reset();
    rez_free_unit(&u);
    rez_free_fork(&f);
    free(px);
    return tap_done();
}

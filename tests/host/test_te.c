/*
 * test_te.c - TextEdit on the host: QuickDraw on a 1024x768 buffer, the
 * desktop drawn by InitWindows, 2000 keys typed into an edit record in a
 * small zone (hText moved through several compactions, content equal to
 * the model, the zone's FreeMem back exactly), then the "TextEdit" KTAP
 * suite; FreeMem back where it began and the heap checks clean.
 */
#include "kernel_suites.h"

#include <stdlib.h>

#include "Events.h"
#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"
#include "TextEdit.h"
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

enum { SW = 1024, SH = 768, KEYS = 2000 };

int main(void)
{
    tap_ok(mt_install(1 << 20, 16 << 20, 0), "zones installed");
    MaxApplZone();
    UInt32 *px = mt_alloc_buf((size_t)SW * SH * 4);
    TAP_EQ(qd_set_screen(px, SW * 4, SW, SH), noErr, "a 1024x768 screen");
    InitGraf(&qd.thePort);
    plat_host_set_ticks(100);
    Rect b = { 0, 0, SH, SW };
    ev_init(&b);
    Handle hs[512];                          /* master pointers made before measuring */
    for (int i = 0; i < 512; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < 512; i++)
        DisposeHandle(hs[i]);
    long free0 = FreeMem();
    InitWindows();
    int moves = 0, compactions = 0;
    tap_ok(te_typing_run(KEYS, &moves, &compactions), "%d keys typed: content equals the model, zone back exactly", KEYS);
    tap_ok(compactions >= 9 && moves >= compactions, "hText moved %d times over %d compactions", moves, compactions);
    TAP_EQ(te_run_tests(), 0, "the TextEdit KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    tap_ok(mt_ok(GetZone()) && mt_ok(SystemZone()), "heap checks clean");
    free(px);
    return tap_done();
}

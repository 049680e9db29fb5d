/*
 * toolbox_host.h - the host setup the Toolbox managers' tests share: the
 * zones installed, System.r compiled with the Rez compiler's core and
 * registered as the System file, QuickDraw on a 1024x768 buffer, the Event
 * Manager on it at tick 100, and a supply of master pointers made before
 * anything is measured (so a suite's FreeMem comparisons see no master-
 * pointer block appear). tb_host_begin reports each step as a TAP check;
 * tb_host_end gives everything back.
 */
#ifndef TESTS_HOST_TOOLBOX_HOST_H
#define TESTS_HOST_TOOLBOX_HOST_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "Events.h"
#include "MemoryMgr/MemoryManager.h"
#include "Resources.h"
#include "host_file.h"
#include "mm_test_util.h"
#include "platform.h"
#include "rez.h"
#include "tap.h"

enum { TB_SCREEN_W = 1024, TB_SCREEN_H = 768 };

typedef struct tb_host {
    rez_unit u;
    rez_fork f;
    UInt32  *px;
} tb_host;

/* max_appl: MaxApplZone first (else the Application zone keeps its
 * starting size, as a partition). masters: empty handles made and disposed
 * in the Application zone. False when System.r does not compile or register. */
static inline bool tb_host_begin(tb_host *t, bool max_appl, int masters)
{
    *t = (tb_host){ 0 };
    tap_ok(mt_install(1 << 20, 16 << 20, 0), "zones installed");
    if (max_appl)
        MaxApplZone();
    char *text = host_read_file(SYSTEM_R_PATH, NULL), err[256] = "";
    bool ok = text && rez_compile(text, strlen(text), &t->u, err, sizeof err) == 0 &&
              rez_write_fork(&t->u, &t->f, err, sizeof err) == 0;
    free(text);
    tap_ok(ok, "System.r compiles %s", err);
    if (!ok)
        return false;
    OSErr e = rm_register_fork("System", t->f.bytes, (long)t->f.len, NULL);
    TAP_EQ(e, noErr, "the System fork registers");
    if (e != noErr)
        return false;
    t->px = mt_alloc_buf((size_t)TB_SCREEN_W * TB_SCREEN_H * 4);
    TAP_EQ(qd_set_screen(t->px, TB_SCREEN_W * 4, TB_SCREEN_W, TB_SCREEN_H), noErr, "a 1024x768 screen");
    InitGraf(&qd.thePort);
    plat_host_set_ticks(100);
    Rect b = { 0, 0, TB_SCREEN_H, TB_SCREEN_W };
    ev_init(&b);
    Handle *hs = malloc((size_t)masters * sizeof *hs);
    for (int i = 0; hs && i < masters; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; hs && i < masters; i++)
        DisposeHandle(hs[i]);
    free(hs);
    return true;
}

static inline void tb_host_end(tb_host *t)
{
    rm_reset();
    rez_free_unit(&t->u);
    rez_free_fork(&t->f);
    free(t->px);
}

#endif

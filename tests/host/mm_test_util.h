/*
 * mm_test_util.h - helpers shared by the Memory Manager host tests: zones
 * on plain buffers, a misuse hook that counts reports instead of ending the
 * run, and byte patterns to prove a block's contents survived.
 */
#ifndef TESTS_HOST_MM_TEST_UTIL_H
#define TESTS_HOST_MM_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "MemoryMgr/mm_init.h"
#include "lib/diag.h"

static int  mt_reports;
static char mt_last_call[64];
static char mt_last_reason[160];

[[maybe_unused]] static void mt_hook(const char *call, uintptr_t addr, const char *reason)
{
    (void)addr;
    (void)reason;
    mt_reports++;
    snprintf(mt_last_call, sizeof mt_last_call, "%s", call);
}

[[maybe_unused]] static void mt_misuse_hook(const mm_misuse_report *r)
{
    mt_reports++;
    snprintf(mt_last_call, sizeof mt_last_call, "%s", r->call);
    snprintf(mt_last_reason, sizeof mt_last_reason, "%s", r->reason);
}

/* Count misuse and error reports instead of ending the run. */
[[maybe_unused]] static void mt_catch_reports(void)
{
    diag_set_hook(mt_hook);
    mm_set_misuse_hook(mt_misuse_hook);
}

/* Counts reports from now on; returns how many arrived since the last call. */
[[maybe_unused]] static int mt_take_reports(void)
{
    int n = mt_reports;
    mt_reports = 0;
    return n;
}

/* A fresh zone over buf[0..size), made current. */
[[maybe_unused]] static THz mt_zone(void *buf, size_t size, GrowZoneProcPtr gz, short masters)
{
    InitZone(gz, masters, (char *)buf + size, buf);
    return MemError() == noErr ? GetZone() : NULL;
}

[[maybe_unused]] static bool mt_ok(THz z)
{
    return mm_check_zone(z, "test", true) == noErr;
}

[[maybe_unused]] static uint8_t mt_pat(unsigned seed, size_t i)
{
    return (uint8_t)(seed * 37u + i * 131u + (i >> 8));
}

[[maybe_unused]] static void mt_fill(void *p, size_t n, unsigned seed)
{
    uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        b[i] = mt_pat(seed, i);
}

[[maybe_unused]] static bool mt_same(const void *p, size_t n, unsigned seed)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != mt_pat(seed, i))
            return false;
    return true;
}

[[maybe_unused]] static void *mt_alloc_buf(size_t n)
{
    void *p = aligned_alloc(64, (n + 63) & ~(size_t)63);
    if (p == NULL) {
        fprintf(stderr, "out of host memory\n");
        exit(2);
    }
    return p;
}

/* System/Application/temporary zones over fresh buffers (installed once per call). */
[[maybe_unused]] static bool mt_install(size_t sys, size_t app, size_t tmp)
{
    static char *bs, *ba, *bt;
    static size_t ns, na, nt;
    if (sys > ns) { mm_forget_storage(bs, ns); free(bs); bs = mt_alloc_buf(sys); ns = sys; }
    if (app > na) { mm_forget_storage(ba, na); free(ba); ba = mt_alloc_buf(app); na = app; }
    if (tmp > nt) { mm_forget_storage(bt, nt); free(bt); bt = mt_alloc_buf(tmp); nt = tmp; }
    mm_zone_storage st = { bs, sys, ba, app, tmp ? bt : NULL, tmp };
    return mm_install_zones(&st) == noErr;
}

#endif

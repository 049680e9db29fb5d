/*
 * test_mm_whereis.c - mm_whereis names the Classic block an address lies in
 * (the page-fault report's zone detail): relocatable blocks with their
 * handle and state, nonrelocatable blocks, free blocks, block headers,
 * addresses outside every zone, and a damaged block size that ends the walk
 * instead of being followed.
 */
#include <stdio.h>
#include <string.h>

#include "MemoryMgr/mm_whereis.h"
#include "mm_test_util.h"
#include "tap.h"

static char g_buf[256];

static bool says(const void *addr, const char *want)
{
    if (!mm_whereis(addr, g_buf, sizeof g_buf)) {
        tap_diag("%p: no zone", addr);
        return false;
    }
    if (!strstr(g_buf, want)) {
        tap_diag("%p: \"%s\" lacks \"%s\"", addr, g_buf, want);
        return false;
    }
    return true;
}

int main(void)
{
    tap_plan(6);
    mt_install(1 << 20, 2 << 20, 0);
    SetZone(ApplicationZone());
    Handle h = NewHandle(100);
    HLock(h);
    Ptr p = NewPtr(48);
    char want[96];
    snprintf(want, sizeof want, "relocatable block %p (100 bytes, handle %p, locked)", (void *)*h, (void *)h);
    tap_ok(says(*h + 10, "Classic zone '") && says(*h + 10, want) && says(*h + 10, "offset 10"),
           "an address in a handle's block names the block, its handle and its state");
    HUnlock(h);
    HPurge(h);
    snprintf(want, sizeof want, "handle %p, unlocked, purgeable", (void *)h);
    tap_ok(says(*h, want), "the state follows HUnlock/HPurge");
    snprintf(want, sizeof want, "nonrelocatable block %p (48 bytes), offset 47", (void *)p);
    tap_ok(says(p + 47, want), "an address in a pointer block names the block");
    tap_ok(says(p - 8, "the header of the block at"), "an address in a block header says so");
    static char outside[64];
    tap_ok(!mm_whereis(outside, g_buf, sizeof g_buf), "an address in no zone gives false");
    /* damage p's size to something that leaves the zone: the walk stops there */
    uint64_t *tag = (uint64_t *)(p - 16), saved = *tag;
    *tag = (saved & 15) | (1ull << 40);
    bool damaged = says(p + 1000, "past a damaged block header");
    *tag = saved;
    tap_ok(damaged, "a damaged block size ends the walk with a report, never followed");
    return tap_failed ? 1 : 0;
}

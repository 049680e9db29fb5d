/*
 * mm_globals.c - the Memory Manager's low-memory globals: MemErr, TheZone,
 * SysZone, ApplZone and the temporary zone, plus the one way misuse is
 * reported (diag_report, then a MemError the caller returns).
 */
#include "mm_internal.h"

static OSErr g_mem_err;
static THz   g_the_zone;
static THz   g_sys_zone;
static THz   g_appl_zone;
static THz   g_temp_zone;

void mm_set_err(OSErr e) { g_mem_err = e; }
OSErr MemError(void) { return g_mem_err; }

THz mm_cur_zone(void) { return g_the_zone; }
THz mm_sys_zone(void) { return g_sys_zone; }
THz mm_app_zone(void) { return g_appl_zone; }
void mm_set_sys_zone(THz z) { g_sys_zone = z; }
void mm_set_app_zone(THz z) { g_appl_zone = z; }
void mm_set_temp_zone(THz z) { g_temp_zone = z; }
THz mm_temp_zone(void) { return g_temp_zone; }

THz GetZone(void)
{
    mm_set_err(noErr);
    return g_the_zone;
}

/* IM: SetZone does no checking. We refuse a pointer that is not a live
 * zone, because every later call would dereference it. */
void SetZone(THz hz)
{
    if (!mm_zone_valid(hz)) {
        mm_misuse("SetZone", hz, "not a heap zone", paramErr);
        return;
    }
    g_the_zone = hz;
    mm_set_err(noErr);
}

THz SystemZone(void) { mm_set_err(noErr); return g_sys_zone; }
THz ApplicationZone(void) { mm_set_err(noErr); return g_appl_zone; }

void mm_misuse(const char *call, const void *addr, const char *reason, OSErr err)
{
    diag_report(call, (uintptr_t)addr, reason);
    mm_set_err(err);
}

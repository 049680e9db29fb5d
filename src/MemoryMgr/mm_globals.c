/*
 * mm_globals.c - the Memory Manager's low-memory globals: MemErr, TheZone,
 * SysZone, ApplZone and the temporary zone, plus the one way misuse is
 * reported (the misuse hook, then a MemError the caller returns; see
 * mm_debug.h for the policy and MM_STRICT).
 */
#include "MemoryMgr/mm_debug.h"
#include "lib/kprintf.h"
#include "mm_internal.h"

static OSErr g_mem_err;
static THz   g_the_zone;
static THz   g_sys_zone;
static THz   g_appl_zone;
static THz   g_temp_zone;
static Handle g_gz_save;

void mm_set_err(OSErr e) { g_mem_err = e; }
OSErr MemError(void) { return g_mem_err; }

THz mm_cur_zone(void) { return g_the_zone; }
THz mm_sys_zone(void) { return g_sys_zone; }
THz mm_app_zone(void) { return g_appl_zone; }
void mm_set_sys_zone(THz z) { g_sys_zone = z; }
void mm_set_app_zone(THz z) { g_appl_zone = z; }
void mm_set_temp_zone(THz z) { g_temp_zone = z; }
void mm_set_cur_zone(THz z) { g_the_zone = z; }
THz mm_temp_zone(void) { return g_temp_zone; }
Handle mm_gz_save(void) { return g_gz_save; }
void mm_set_gz_save(Handle h) { g_gz_save = h; }

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
        mm_misuse("SetZone", hz, NULL, NULL, "not a heap zone", paramErr);
        return;
    }
    g_the_zone = hz;
    mm_set_err(noErr);
}

THz SystemZone(void) { mm_set_err(noErr); return g_sys_zone; }
THz ApplicationZone(void) { mm_set_err(noErr); return g_appl_zone; }

static const char *misuse_err_name(OSErr e)
{
    switch (e) {
    case paramErr:     return "paramErr";
    case memFullErr:   return "memFullErr";
    case nilHandleErr: return "nilHandleErr";
    case memAdrErr:    return "memAdrErr";
    case memWZErr:     return "memWZErr";
    case memPurErr:    return "memPurErr";
    case memAZErr:     return "memAZErr";
    case memPCErr:     return "memPCErr";
    case memBCErr:     return "memBCErr";
    case memSCErr:     return "memSCErr";
    case memLockedErr: return "memLockedErr";
    default:           return "error";
    }
}

void mm_format_misuse(const mm_misuse_report *r, char *buf, unsigned long size)
{
    int n = ksnprintf(buf, size, "MM misuse: %s($%016lx)", r->call, (unsigned long)(uintptr_t)r->addr);
    if (n >= 0 && (unsigned long)n < size && r->zone)
        n += ksnprintf(buf + n, size - (unsigned long)n, " zone '%s'", r->zone);
    if (n >= 0 && (unsigned long)n < size && r->block)
        n += ksnprintf(buf + n, size - (unsigned long)n, " block $%016lx", (unsigned long)(uintptr_t)r->block);
    if (n >= 0 && (unsigned long)n < size)
        ksnprintf(buf + n, size - (unsigned long)n, ": %s -> %s (%d)", r->reason, misuse_err_name(r->err), r->err);
}

static void misuse_default(const mm_misuse_report *r)
{
    char line[256];
    mm_format_misuse(r, line, sizeof line);
    kprintf("%s\n", line);
#if CONFIG_MM_STRICT
    diag_report(r->call, (uintptr_t)r->addr, "Classic misuse with MM_STRICT=1 (see the line above)");
#endif
}

static mm_misuse_hook g_misuse_hook = misuse_default;

mm_misuse_hook mm_set_misuse_hook(mm_misuse_hook hook)
{
    mm_misuse_hook old = g_misuse_hook;
    g_misuse_hook = hook ? hook : misuse_default;
    return old == misuse_default ? NULL : old;
}

unsigned g_mm_damage_count;
OSErr    g_mm_damage_err;

void mm_damage(THz z, const void *addr, OSErr err, const char *what)
{
    static char line[160];
    g_mm_damage_count++;
    g_mm_damage_err = err;
    mm_set_err(err);
    ksnprintf(line, sizeof line, "heap damage in zone '%s' at block $%016lx: %s", z ? zone_priv(z)->name : "?",
              (unsigned long)(uintptr_t)addr, what);
    diag_report("Memory Manager", (uintptr_t)addr, line);
    mm_set_err(err);
}

void mm_misuse(const char *call, const void *addr, THz z, const void *block, const char *reason, OSErr err)
{
    mm_misuse_report r = { call, addr, z ? zone_priv(z)->name : NULL, block, reason, err };
    mm_set_err(err);
    g_misuse_hook(&r);
    mm_set_err(err);
}

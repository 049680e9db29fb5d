/*
 * mm_install.c - laying the System, Application and temporary zones over
 * the storage the boot hands us (mm_install_zones, see mm_init.h).
 *
 * The Application zone starts at MM_APPL_INITIAL bytes (or its whole
 * storage if smaller) and grows toward ApplLimit, the end of its storage,
 * on demand or through MaxApplZone, as on a Mac.
 */
#include "MemoryMgr/mm_init.h"

#include "mm_internal.h"

enum { MM_APPL_INITIAL = 256 * 1024, MM_SYS_MASTERS = 64, MM_APPL_MASTERS = 64 };

/* A fixed-size zone (System, temporary) over [base, base + size). */
static THz install_fixed_zone(void *base, size_t size, const char *name)
{
    char *end = (char *)base + size;
    return mm_zone_create(base, end, end, MM_SYS_MASTERS, NULL, name);
}

OSErr mm_install_zones(const mm_zone_storage *st)
{
    if (st == NULL || st->system_base == NULL || st->app_base == NULL
        || (st->temp_size != 0 && st->temp_base == NULL)) {
        mm_set_err(paramErr);
        return paramErr;
    }
    THz sys = install_fixed_zone(st->system_base, st->system_size, "S");
    if (sys == NULL)
        return MemError();
    mm_set_sys_zone(sys);
    mm_set_temp_zone(NULL);
    if (st->temp_size != 0) {
        THz t = install_fixed_zone(st->temp_base, st->temp_size, "T");
        if (t == NULL)
            return MemError();
        mm_set_temp_zone(t);
    }
    mm_set_app_zone(NULL);
    mm_appl_storage(st->app_base, st->app_size, MM_APPL_INITIAL, MM_APPL_MASTERS);
    SetZone(sys);
    InitApplZone();
    if (MemError() != noErr)
        return MemError();
    SetZone(ApplicationZone());
    return MemError();
}

/*
 * zone_guard.h - the kernel backends' guard pages around zone storage.
 *
 * A backend that can leave a page free on each side of a zone's storage
 * registers the storage (vm.h, VM_ZONE) and the two pages as guards, so a
 * write one byte past either end of the zone faults with a report naming
 * the zone (once memory protection is on; with MM_PROTECT=0 the pages are
 * only recorded). The guard pages belong to the backend's own allocation,
 * so nothing else is ever placed there.
 */
#ifndef MEMORYMGR_BACKEND_ZONE_GUARD_H
#define MEMORYMGR_BACKEND_ZONE_GUARD_H

#include <stdint.h>

#include "mm_backend.h"
#include "nanokernel/vm.h"

#define ZONE_GUARD_PAGE 4096u

/* `base` and `size` page-aligned; the pages at base - 4 KiB and base + size are the backend's. */
static inline void zone_guard_add(void *base, uint64_t size, const char *zone, const char *before, const char *after)
{
    uintptr_t b = (uintptr_t)base;
    vm_register(b, size, VM_ZONE, zone);
    vm_guard(b - ZONE_GUARD_PAGE, ZONE_GUARD_PAGE, before);
    vm_guard(b + size, ZONE_GUARD_PAGE, after);
}

/* Undo zone_guard_add before the storage goes back. */
static inline void zone_guard_remove(void *base, uint64_t size)
{
    uintptr_t b = (uintptr_t)base;
    vm_unguard(b - ZONE_GUARD_PAGE, ZONE_GUARD_PAGE);
    vm_unguard(b + size, ZONE_GUARD_PAGE);
    vm_unregister(b, VM_ZONE);
}

/* Both zones of a backend's storage, guarded as zone_guard_add does one. */
static inline void zone_guard_storage(const mm_zone_storage *s)
{
    zone_guard_add(s->system_base, s->system_size, "System", "before the System zone", "after the System zone");
    zone_guard_add(s->app_base, s->app_size, "Application", "before the Application zone",
                   "after the Application zone");
}

/* Undo zone_guard_storage before the storage goes back. */
static inline void zone_unguard_storage(const mm_zone_storage *s)
{
    zone_guard_remove(s->app_base, s->app_size);
    zone_guard_remove(s->system_base, s->system_size);
}

#endif

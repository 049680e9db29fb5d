/*
 * mm_init.h - how the boot gives the Classic Memory Manager its memory.
 *
 * The storage comes from a zone-storage backend (static arrays, kmalloc or
 * the memory map); the Memory Manager only lays its zones over it.
 */
#ifndef MEMORYMGR_MM_INIT_H
#define MEMORYMGR_MM_INIT_H

#include <stddef.h>

#include "MacTypes.h"

typedef struct mm_zone_storage {
    void  *system_base;
    size_t system_size;
    void  *app_base;
    size_t app_size;
    void  *temp_base;   /* may be NULL with temp_size 0: temporary memory then comes from the System zone */
    size_t temp_size;
} mm_zone_storage;

/*
 * Creates the System zone over the system storage, the Application zone
 * (current zone; ApplLimit = end of the app storage; it starts small and
 * grows on demand or by MaxApplZone) and the temporary zone. Calling it
 * again re-installs everything. Returns noErr or memFullErr/paramErr.
 */
OSErr mm_install_zones(const mm_zone_storage *storage);

#endif

/*
 * mm_init.h - the Classic Memory Manager's start-up: how the boot gives it
 * its memory.
 *
 * A kernel calls InitMemoryManager() once, after whatever its zone-storage
 * backend needs is up (for the kmalloc and dynamic backends, the
 * nanokernel). The storage comes from that backend (src/MemoryMgr/backend/:
 * static arrays, kmalloc or the memory map); the Memory Manager only lays
 * its zones over it. mm_install_zones() is the same step over storage the
 * caller already has (host tests).
 */
#ifndef MEMORYMGR_MM_INIT_H
#define MEMORYMGR_MM_INIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "MacTypes.h"

typedef struct mm_zone_storage {
    void  *system_base;
    size_t system_size;
    void  *app_base;
    size_t app_size;
    void  *temp_base;   /* may be NULL with temp_size 0: temporary handles' master pointers then live in the System zone */
    size_t temp_size;
} mm_zone_storage;

/*
 * Creates the System zone over the system storage, the Application zone
 * (current zone; ApplLimit = end of the app storage; it starts small and
 * grows on demand or by MaxApplZone) and the temporary zone. Calling it
 * again re-installs everything. Returns noErr or memFullErr/paramErr.
 */
OSErr mm_install_zones(const mm_zone_storage *storage);

/*
 * Takes the zones' storage from the linked backend (its argument: the bytes
 * of usable RAM, which the dynamic backend sizes the zones from), installs
 * the zones over it with mm_install_zones, and prints what it set up. On
 * failure prints a FATAL line, gives the storage back and returns false.
 */
bool InitMemoryManager(uint64_t usable_bytes);

/*
 * Storage [base, base + size) is about to be given back outside the Memory
 * Manager (freed, unmapped, reused for something else): every zone whose
 * header lies in it leaves the zone registry, and TheZone, SysZone,
 * ApplZone or the temporary zone naming one of them becomes NULL. After
 * this the Memory Manager never reads that storage again. Storage released
 * without this call is a use after free the next lookup may hit; zones
 * inside Memory Manager blocks need no call (releasing the block does it).
 */
void mm_forget_storage(const void *base, size_t size);

#endif

/*
 * InitMemoryManager.c - brings up the Classic Memory Manager on whatever
 * storage the configured backend (mm_backend.h) provides, and says in the
 * boot log what it set up. This is the only caller of the backend.
 */
#include "MemoryMgr/MemoryManager.h"
#include "backend/mm_backend.h"
#include "MemoryMgr/mm_init.h"
#include "lib/kprintf.h"

static mm_zone_storage g_storage;

bool InitMemoryManager(uint64_t usable_bytes)
{
    const char *why = "unknown reason";

    if (!mm_backend_acquire(usable_bytes, &g_storage, &why)) {
        kprintf("FATAL: InitMemoryManager: %s backend: %s\n", mm_backend_name(), why);
        return false;
    }
    kprintf("MemoryMgr: %s backend: System heap 0x%lx (%lu KiB), Application heap 0x%lx (%lu KiB)\n",
            mm_backend_name(), (unsigned long)(uintptr_t)g_storage.system_base,
            (unsigned long)(g_storage.system_size >> 10), (unsigned long)(uintptr_t)g_storage.app_base,
            (unsigned long)(g_storage.app_size >> 10));
    OSErr err = mm_install_zones(&g_storage);
    if (err != noErr) {
        kprintf("FATAL: InitMemoryManager: mm_install_zones failed with OSErr %d\n", err);
        mm_forget_storage(g_storage.system_base, g_storage.system_size);
        mm_forget_storage(g_storage.app_base, g_storage.app_size);
        mm_forget_storage(g_storage.temp_base, g_storage.temp_size);
        mm_backend_release(&g_storage);
        return false;
    }
    kprintf("MemoryMgr: SystemZone 0x%lx FreeMemSys %ld; ApplicationZone 0x%lx FreeMem %ld\n",
            (unsigned long)(uintptr_t)SystemZone(), (long)FreeMemSys(),
            (unsigned long)(uintptr_t)ApplicationZone(), (long)FreeMem());
    kprintf("AB backend=%s sys_zone=%lu app_zone=%lu\n", mm_backend_name(),
            (unsigned long)g_storage.system_size, (unsigned long)g_storage.app_size);
    return true;
}

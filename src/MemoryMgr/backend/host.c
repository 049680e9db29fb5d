/*
 * host.c - the zone-storage backend of hosted builds: the legacy
 * sizes (2 MiB System, 6 MiB Application) mapped by the host platform
 * (plat_host_map: page-aligned, registered as remappable, so large handles
 * move by mremap), so that InitMemoryManager() runs unchanged in host
 * tests and fuzzers.
 */
#include "mm_backend.h"
#include "platform.h"

const char *mm_backend_name(void)
{
    return "host";
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    (void)usable_bytes;
    *out = (mm_zone_storage){ 0 };
    void *sys = plat_host_map(MM_LEGACY_SYSTEM_HEAP_BYTES);
    void *app = plat_host_map(MM_LEGACY_APP_HEAP_BYTES);
    if (!sys || !app) {
        plat_host_unmap(sys, MM_LEGACY_SYSTEM_HEAP_BYTES);
        plat_host_unmap(app, MM_LEGACY_APP_HEAP_BYTES);
        *why = "host mmap failed";
        return false;
    }
    *out = (mm_zone_storage){
        .system_base = sys, .system_size = MM_LEGACY_SYSTEM_HEAP_BYTES,
        .app_base = app, .app_size = MM_LEGACY_APP_HEAP_BYTES,
    };
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    plat_host_unmap(storage->system_base, storage->system_size);
    plat_host_unmap(storage->app_base, storage->app_size);
    *storage = (mm_zone_storage){ 0 };
}

/*
 * host.c - the zone-storage backend of hosted builds: the legacy
 * sizes (2 MiB System, 6 MiB Application) from the host's malloc, so that
 * InitMemoryManager() runs unchanged in host tests and fuzzers.
 */
#include <stdlib.h>

#include "mm_backend.h"

const char *mm_backend_name(void)
{
    return "host";
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    (void)usable_bytes;
    *out = (mm_zone_storage){ 0 };
    void *sys = aligned_alloc(4096, MM_LEGACY_SYSTEM_HEAP_BYTES);
    void *app = aligned_alloc(4096, MM_LEGACY_APP_HEAP_BYTES);
    if (!sys || !app) {
        free(sys);
        free(app);
        *why = "host malloc failed";
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
    free(storage->system_base);
    free(storage->app_base);
    *storage = (mm_zone_storage){ 0 };
}

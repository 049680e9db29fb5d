/*
 * static.c - MM_BACKEND=static, the legacy layout: the System and
 * Application heaps are static arrays in the kernel image (2 MiB and 6 MiB).
 * They cost 8 MiB of .bss whatever the machine, which is why this backend
 * cannot boot an 8 MiB machine, and they never go back to anyone. The two
 * arrays sit in one page-aligned block with a guard page before, between
 * and after them (zone_guard.h).
 */
#include <stdint.h>

#include "mm_backend.h"
#include "zone_guard.h"

static struct {
    uint8_t guard_low[ZONE_GUARD_PAGE];
    uint8_t system[MM_LEGACY_SYSTEM_HEAP_BYTES];
    uint8_t guard_mid[ZONE_GUARD_PAGE];
    uint8_t app[MM_LEGACY_APP_HEAP_BYTES];
    uint8_t guard_high[ZONE_GUARD_PAGE];
} g_static_heaps [[gnu::aligned(4096)]];

const char *mm_backend_name(void)
{
    return "static";
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    (void)usable_bytes;
    (void)why;
    *out = (mm_zone_storage){
        .system_base = g_static_heaps.system, .system_size = sizeof(g_static_heaps.system),
        .app_base = g_static_heaps.app, .app_size = sizeof(g_static_heaps.app),
    };
    zone_guard_storage(out);
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    zone_unguard_storage(storage);
    *storage = (mm_zone_storage){ 0 };
}

/*
 * static.c - MM_BACKEND=static, the legacy layout: the System and
 * Application heaps are static arrays in the kernel image (2 MiB and 6 MiB).
 * They cost 8 MiB of .bss whatever the machine, which is why this backend
 * cannot boot an 8 MiB machine, and they never go back to anyone.
 */
#include <stdint.h>

#include "mm_backend.h"

[[gnu::aligned(4096)]] static uint8_t gSystemHeap[MM_LEGACY_SYSTEM_HEAP_BYTES];
[[gnu::aligned(4096)]] static uint8_t gAppHeap[MM_LEGACY_APP_HEAP_BYTES];

const char *mm_backend_name(void)
{
    return "static";
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    (void)usable_bytes;
    (void)why;
    *out = (mm_zone_storage){
        .system_base = gSystemHeap, .system_size = sizeof(gSystemHeap),
        .app_base = gAppHeap, .app_size = sizeof(gAppHeap),
    };
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    *storage = (mm_zone_storage){ 0 };
}

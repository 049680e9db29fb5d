/*
 * kmalloc.c - MM_BACKEND=kmalloc: the two heaps of the legacy sizes
 * (2 MiB, 6 MiB) come from the nanokernel's kmalloc, so the nanokernel must
 * be initialised first. Only these two blocks ever go back
 * to kfree; the Classic blocks inside them belong to the zones and are
 * never passed to kfree (kfree would report them as foreign pointers).
 * Each block is three pages longer than its zone: the zone starts on the
 * second page boundary inside the block, leaving a whole page before it and
 * one after it for the zone's guard pages (zone_guard.h).
 */
#include "mm_backend.h"
#include "nanokernel/kheap.h"
#include "zone_guard.h"

#define KMALLOC_SLACK (3u * ZONE_GUARD_PAGE)

static void *g_sys_block, *g_app_block;

const char *mm_backend_name(void)
{
    return "kmalloc";
}

/* The zone inside a block of size + KMALLOC_SLACK: page-aligned, a whole page before and after it. */
static void *kmalloc_zone_in(void *block)
{
    uintptr_t b = (uintptr_t)block;
    return (void *)(((b + ZONE_GUARD_PAGE - 1) & ~(uintptr_t)(ZONE_GUARD_PAGE - 1)) + ZONE_GUARD_PAGE);
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    (void)usable_bytes;
    *out = (mm_zone_storage){ 0 };
    g_sys_block = kmalloc(MM_LEGACY_SYSTEM_HEAP_BYTES + KMALLOC_SLACK);
    if (!g_sys_block) {
        *why = "kmalloc(2 MiB) for the System heap failed";
        return false;
    }
    g_app_block = kmalloc(MM_LEGACY_APP_HEAP_BYTES + KMALLOC_SLACK);
    if (!g_app_block) {
        kfree(g_sys_block);
        g_sys_block = NULL;
        *why = "kmalloc(6 MiB) for the Application heap failed (System heap freed)";
        return false;
    }
    *out = (mm_zone_storage){
        .system_base = kmalloc_zone_in(g_sys_block), .system_size = MM_LEGACY_SYSTEM_HEAP_BYTES,
        .app_base = kmalloc_zone_in(g_app_block), .app_size = MM_LEGACY_APP_HEAP_BYTES,
    };
    zone_guard_storage(out);
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    zone_unguard_storage(storage);
    kfree(g_app_block);
    kfree(g_sys_block);
    g_app_block = g_sys_block = NULL;
    *storage = (mm_zone_storage){ 0 };
}

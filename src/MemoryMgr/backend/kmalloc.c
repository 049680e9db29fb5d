/*
 * kmalloc.c - MM_BACKEND=kmalloc: the two heaps of the legacy sizes
 * (2 MiB, 6 MiB) come from the nanokernel's kmalloc, so the nanokernel must
 * be initialised first. Only these two arrays ever go back
 * to kfree; the Classic blocks inside them belong to the zones and are
 * never passed to kfree (kfree would report them as foreign pointers).
 */
#include "mm_backend.h"
#include "nanokernel/kheap.h"

const char *mm_backend_name(void)
{
    return "kmalloc";
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    (void)usable_bytes;
    *out = (mm_zone_storage){ 0 };
    void *sys = kmalloc(MM_LEGACY_SYSTEM_HEAP_BYTES);
    if (!sys) {
        *why = "kmalloc(2 MiB) for the System heap failed";
        return false;
    }
    void *app = kmalloc(MM_LEGACY_APP_HEAP_BYTES);
    if (!app) {
        kfree(sys);
        *why = "kmalloc(6 MiB) for the Application heap failed (System heap freed)";
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
    kfree(storage->app_base);
    kfree(storage->system_base);
    *storage = (mm_zone_storage){ 0 };
}

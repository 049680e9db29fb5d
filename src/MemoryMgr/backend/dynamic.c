/*
 * dynamic.c - MM_BACKEND=dynamic: the zones are sized from
 * usable RAM (zone_sizing.c: 1/16 and 1/4 with floors and caps) and taken as
 * contiguous page runs straight from the PMM, 64 KiB aligned. Everything
 * else stays with the nanokernel. The PMM never touches the pages it hands
 * out, so a 16 GiB Application zone on a 1 TiB guest costs only what the
 * zone itself writes. Each run holds one extra page on each side of its
 * zone: the zone's guard pages (zone_guard.h).
 */
#include "mm_backend.h"
#include "nanokernel/pmm.h"
#include "zone_guard.h"

#define DYNAMIC_ALIGN_PAGES 16u     /* 64 KiB */
#define DYNAMIC_GUARD_PAGES 2u      /* one before, one after */

const char *mm_backend_name(void)
{
    return "dynamic";
}

/* A zone of `bytes` with a guard page on each side; the zone itself 64 KiB aligned. 0 when none. */
static uintptr_t dynamic_take(uint64_t bytes)
{
    uintptr_t run = pmm_alloc_pages_offset(bytes / PMM_PAGE_SIZE + DYNAMIC_GUARD_PAGES, DYNAMIC_ALIGN_PAGES, 1);
    return run ? run + PMM_PAGE_SIZE : 0;
}

static void dynamic_give(void *zone, uint64_t bytes)
{
    pmm_free_pages((uintptr_t)zone - PMM_PAGE_SIZE, bytes / PMM_PAGE_SIZE + DYNAMIC_GUARD_PAGES);
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    mm_zone_sizes sz;

    *out = (mm_zone_storage){ 0 };
    if (!mm_dynamic_zone_sizes(usable_bytes, &sz)) {
        *why = "usable RAM is below the zones' floors (DYN_SYS_MIN + DYN_APP_MIN must fit in half of it)";
        return false;
    }
    uintptr_t sys = dynamic_take(sz.system_bytes);
    if (!sys) {
        *why = "the PMM has no contiguous run for the System zone";
        return false;
    }
    uintptr_t app = dynamic_take(sz.app_bytes);
    if (!app) {
        dynamic_give((void *)sys, sz.system_bytes);
        *why = "the PMM has no contiguous run for the Application zone (System zone freed)";
        return false;
    }
    *out = (mm_zone_storage){
        .system_base = (void *)sys, .system_size = sz.system_bytes,
        .app_base = (void *)app, .app_size = sz.app_bytes,
    };
    zone_guard_storage(out);
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    zone_unguard_storage(storage);
    dynamic_give(storage->app_base, storage->app_size);
    dynamic_give(storage->system_base, storage->system_size);
    *storage = (mm_zone_storage){ 0 };
}

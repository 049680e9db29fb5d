/*
 * dynamic.c - MM_BACKEND=dynamic: the zones are sized from
 * usable RAM (zone_sizing.c: 1/16 and 1/4 with floors and caps) and taken as
 * contiguous page runs straight from the PMM, 64 KiB aligned. Everything
 * else stays with the nanokernel. The PMM never touches the pages it hands
 * out, so a 16 GiB Application zone on a 1 TiB guest costs only what the
 * zone itself writes.
 */
#include "mm_backend.h"
#include "nanokernel/pmm.h"

#define DYNAMIC_ALIGN_PAGES 16u     /* 64 KiB */

const char *mm_backend_name(void)
{
    return "dynamic";
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    mm_zone_sizes sz;

    *out = (mm_zone_storage){ 0 };
    if (!mm_dynamic_zone_sizes(usable_bytes, &sz)) {
        *why = "usable RAM is below the zones' floors (DYN_SYS_MIN + DYN_APP_MIN must fit in half of it)";
        return false;
    }
    uintptr_t sys = pmm_alloc_pages(sz.system_bytes / PMM_PAGE_SIZE, DYNAMIC_ALIGN_PAGES);
    if (!sys) {
        *why = "the PMM has no contiguous run for the System zone";
        return false;
    }
    uintptr_t app = pmm_alloc_pages(sz.app_bytes / PMM_PAGE_SIZE, DYNAMIC_ALIGN_PAGES);
    if (!app) {
        pmm_free_pages(sys, sz.system_bytes / PMM_PAGE_SIZE);
        *why = "the PMM has no contiguous run for the Application zone (System zone freed)";
        return false;
    }
    *out = (mm_zone_storage){
        .system_base = (void *)sys, .system_size = sz.system_bytes,
        .app_base = (void *)app, .app_size = sz.app_bytes,
    };
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    pmm_free_pages((uintptr_t)storage->app_base, storage->app_size / PMM_PAGE_SIZE);
    pmm_free_pages((uintptr_t)storage->system_base, storage->system_size / PMM_PAGE_SIZE);
    *storage = (mm_zone_storage){ 0 };
}

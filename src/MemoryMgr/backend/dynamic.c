/*
 * dynamic.c - MM_BACKEND=dynamic: the zones are sized from usable RAM
 * (zone_sizing.c: 1/16 and 1/4 with floors and caps).
 *
 * With memory protection on (the kernel controls the page tables: vm.h has
 * a space), each zone is a reserved virtual range of its maximum size in
 * vm's reserve window, committed on demand: nothing is taken from the PMM
 * at boot, and a page gets a fresh PMM page the first time anything reads
 * or writes it (vm_fault_commit, from the page-fault handler). So bringing
 * the Memory Manager up costs the same whatever the zones' maximum sizes,
 * and the PMM keeps every page the Classic world has not touched. Pages the
 * Memory Manager no longer needs go back through plat_decommit. Each
 * reserve is registered as remappable (plat_remap_register), so the zones'
 * large blocks move by remapping their pages (vm_remap; a page not
 * committed yet moves as a hole) instead of being copied.
 *
 * Without protection (MM_PROTECT=0, no MMU control) nothing can be
 * reserved, and each zone is a contiguous page run taken whole from the PMM,
 * 64 KiB aligned; the PMM never touches the pages it hands out, so even then
 * a zone costs only what the zone itself writes. Such runs sit in the
 * direct map, which is never remappable: large blocks there are copied.
 *
 * Either way each zone has a guard page on each side (zone_guard.h) and is
 * registered as VM_ZONE, so a fault report names it. A reserve's layout:
 * [64 KiB pad | zone | 64 KiB pad], the pad registered as VM_RESERVED, its
 * page next to the zone a guard; the zone stays 64 KiB aligned.
 */
#include "mm_backend.h"
#include "nanokernel/pmm.h"
#include "platform.h"
#include "zone_guard.h"

#define DYNAMIC_ALIGN_PAGES 16u     /* 64 KiB */
#define DYNAMIC_GUARD_PAGES 2u      /* one before, one after */
#define DYNAMIC_PAD (DYNAMIC_ALIGN_PAGES * (uint64_t)PMM_PAGE_SIZE)

static bool g_reserved;   /* the storage is vm reserves (else PMM runs) */

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

/* A reserve for a zone of `bytes`, committed on demand; the zone's base, or 0 when the window is full. */
static uintptr_t dynamic_reserve(uint64_t bytes)
{
    uint64_t pad = vm_reserve(bytes + 2 * DYNAMIC_PAD, 0, VM_RESERVED, "padding around a Classic zone");
    return pad ? (uintptr_t)(pad + DYNAMIC_PAD) : 0;
}

/* Undo dynamic_reserve and zone_guard_add: every committed page goes back to the PMM. */
static void dynamic_unreserve(void *zone, uint64_t bytes)
{
    uintptr_t z = (uintptr_t)zone;
    vm_decommit(z, bytes);
    vm_unregister(z - ZONE_GUARD_PAGE, VM_GUARD);
    vm_unregister(z + bytes, VM_GUARD);
    vm_unregister(z, VM_ZONE);
    vm_unregister(z - DYNAMIC_PAD, VM_RESERVED);
}

static void dynamic_drop(void *zone, uint64_t bytes)
{
    if (g_reserved)
        dynamic_unreserve(zone, bytes);
    else
        dynamic_give(zone, bytes);
}

bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why)
{
    mm_zone_sizes sz;

    *out = (mm_zone_storage){ 0 };
    if (!mm_dynamic_zone_sizes(usable_bytes, &sz)) {
        *why = "usable RAM is below the zones' floors (DYN_SYS_MIN + DYN_APP_MIN must fit in half of it)";
        return false;
    }
    g_reserved = vm_space() != NULL;
    uintptr_t sys = g_reserved ? dynamic_reserve(sz.system_bytes) : dynamic_take(sz.system_bytes);
    if (!sys) {
        *why = g_reserved ? "vm's reserve window has no room for the System zone"
                          : "the PMM has no contiguous run for the System zone";
        return false;
    }
    uintptr_t app = g_reserved ? dynamic_reserve(sz.app_bytes) : dynamic_take(sz.app_bytes);
    if (!app) {
        if (g_reserved)
            vm_unregister(sys - DYNAMIC_PAD, VM_RESERVED);
        else
            dynamic_give((void *)sys, sz.system_bytes);
        *why = g_reserved ? "vm's reserve window has no room for the Application zone"
                          : "the PMM has no contiguous run for the Application zone (System zone freed)";
        return false;
    }
    *out = (mm_zone_storage){
        .system_base = (void *)sys, .system_size = sz.system_bytes,
        .app_base = (void *)app, .app_size = sz.app_bytes,
    };
    zone_guard_storage(out);
    if (g_reserved && (!vm_set_on_demand(sys) || !vm_set_on_demand(app))) {
        mm_backend_release(out);
        *why = "vm's registry has no room to record the zones";
        return false;
    }
    if (g_reserved && (!plat_remap_register((void *)sys, sz.system_bytes) ||
                       !plat_remap_register((void *)app, sz.app_bytes))) {
        mm_backend_release(out);
        *why = "the platform's table of remappable ranges has no room for the zones";
        return false;
    }
    return true;
}

void mm_backend_release(mm_zone_storage *storage)
{
    if (g_reserved) {
        plat_remap_unregister(storage->app_base);
        plat_remap_unregister(storage->system_base);
    } else {
        zone_unguard_storage(storage);
    }
    dynamic_drop(storage->app_base, storage->app_size);
    dynamic_drop(storage->system_base, storage->system_size);
    *storage = (mm_zone_storage){ 0 };
}

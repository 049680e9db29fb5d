/*
 * test_zone_sizing.c - the dynamic backend's sizing (zone_sizing.c) over the
 * table in docs/MIGRATION.md, and odd memory maps: the sizes it picks must be
 * obtainable as contiguous runs from a PMM initialised on that map, exactly
 * as backend/dynamic.c asks for them (the PMM runs on fake addresses with
 * its metadata in a host buffer, so no guest RAM is needed).
 */
#include <stdlib.h>

#include "../../src/MemoryMgr/backend/mm_backend.h"
#include "nanokernel/pmm.h"
#include "tap.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define TiB (1ull << 40)

static void check_row(uint64_t usable, uint64_t want_sys, uint64_t want_app, const char *label)
{
    mm_zone_sizes sz;
    bool ok = mm_dynamic_zone_sizes(usable, &sz);
    tap_ok(ok, "%s: sizing succeeds", label);
    TAP_EQ(sz.system_bytes, want_sys, "%s: System zone", label);
    TAP_EQ(sz.app_bytes, want_app, "%s: Application zone", label);
}

/* Sizes for the map's usable RAM, then both runs from a PMM on that map. */
static void check_map(const nk_region *map, size_t n, const char *label)
{
    uint64_t usable = 0;
    for (size_t i = 0; i < n; i++)
        usable += map[i].length;

    mm_zone_sizes sz;
    if (!tap_ok(mm_dynamic_zone_sizes(usable, &sz), "%s: sizing succeeds", label))
        return;
    size_t meta_len = pmm_metadata_bytes(map, n);
    void *meta = aligned_alloc(64, (meta_len + 63) & ~(size_t)63);
    tap_ok(pmm_init_regions_with_metadata(map, n, meta, meta_len), "%s: PMM initialises", label);

    uintptr_t sys = pmm_alloc_pages(sz.system_bytes / PMM_PAGE_SIZE, 16);
    uintptr_t app = pmm_alloc_pages(sz.app_bytes / PMM_PAGE_SIZE, 16);
    tap_ok(sys && app, "%s: both zones obtainable from the PMM", label);
    bool inside_sys = false, inside_app = false;
    for (size_t i = 0; i < n; i++) {
        uint64_t end = map[i].base + map[i].length;
        inside_sys |= sys >= map[i].base && sys + sz.system_bytes <= end;
        inside_app |= app >= map[i].base && app + sz.app_bytes <= end;
    }
    tap_ok(inside_sys && inside_app, "%s: each zone lies inside one available range", label);
    tap_ok(sys + sz.system_bytes <= app || app + sz.app_bytes <= sys, "%s: zones do not overlap", label);
    tap_ok((sys | app) % (64 * KiB) == 0, "%s: zones 64 KiB aligned", label);
    free(meta);
}

int main(void)
{
    /* The sizing table of docs/MIGRATION.md (usable RAM -> System, Application). */
    check_row(8 * MiB, 1 * MiB, 2 * MiB, "8 MiB (both floors)");
    check_row(16 * MiB, 1 * MiB, 4 * MiB, "16 MiB (System floor)");
    check_row(128 * MiB, 8 * MiB, 32 * MiB, "128 MiB");
    check_row(1 * GiB, 64 * MiB, 256 * MiB, "1 GiB (1/16 and 1/4)");
    check_row(4 * GiB, 256 * MiB, 1 * GiB, "4 GiB");
    check_row(64 * GiB, 1 * GiB, 16 * GiB, "64 GiB (System cap)");
    check_row(1 * TiB, 1 * GiB, 16 * GiB, "1 TiB (both caps)");
    check_row(7 * MiB + 636 * KiB, 1 * MiB, 2 * MiB, "QEMU 8 MiB guest's usable RAM");
    check_row(1 * GiB + 40 * KiB, 64 * MiB, 256 * MiB, "odd size rounds down to 64 KiB");

    mm_zone_sizes sz = { 1, 1 };
    tap_ok(!mm_dynamic_zone_sizes(4 * MiB, &sz) && sz.system_bytes == 0 && sz.app_bytes == 0,
           "4 MiB: floors do not fit in half of RAM, refused with zeroed sizes");
    tap_ok(!mm_dynamic_zone_sizes(0, &sz), "0 bytes refused");

    /* A 4 GiB machine with a 1 GiB hole below 4 GiB. */
    const nk_region hole[] = { { 1 * MiB, 2 * GiB - 1 * MiB }, { 3 * GiB, 1 * GiB }, { 4 * GiB, 1 * GiB } };
    check_map(hole, 3, "4 GiB with a 1 GiB hole");
    /* RAM only above 4 GiB. */
    const nk_region high[] = { { 4 * GiB, 8 * GiB } };
    check_map(high, 1, "RAM only above 4 GiB");
    /* Many small ranges: the Application zone needs the one big range. */
    const nk_region frag[] = { { 1 * MiB, 15 * MiB }, { 20 * MiB, 12 * MiB }, { 64 * MiB, 200 * MiB } };
    check_map(frag, 3, "fragmented 227 MiB map");
    /* A 1 TiB map (metadata only). */
    const nk_region huge[] = { { 1 * MiB, 3 * GiB - 1 * MiB }, { 4 * GiB, 1 * TiB - 3 * GiB } };
    check_map(huge, 2, "1 TiB map");
    return tap_done();
}

/*
 * test_pmm_width.c - the page manager and maps no fixed table can hold:
 * addresses beyond the CPU's physical address width (dropped, the layout
 * stays in bounds, no page handed out at or above the limit), and maps
 * with thousands of ranges and dozens of early reserves (every available
 * page managed, no reserved one handed out).
 */
#include <stdint.h>
#include <stdlib.h>

#include "nanokernel/pmm.h"
#include "nk_test_util.h"
#include "tap.h"

/* 3000 disjoint ranges, unsorted, and 30 early reserves inside them. */
static void test_many_ranges(void)
{
    enum { N = 3000, R = 30 };
    static nk_region map[N];
    for (size_t i = 0; i < N; i++) {
        size_t k = (i * 7919) % N; /* a permutation: unsorted input */
        map[i] = (nk_region){ (1ull << 32) + k * 0x10000, 0x8000 };
    }
    pmm_reset();
    for (size_t i = 0; i < R; i++)
        pmm_reserve((1ull << 32) + i * 97 * 0x10000 + 0x2000, 0x1000);
    size_t need = pmm_metadata_bytes(map, N);
    void *meta = aligned_alloc(4096, (need + 4095) & ~(size_t)4095);
    reports = 0;
    tap_ok(pmm_init_regions_with_metadata(map, N, meta, need) && reports == 0,
           "3000 ranges and 30 early reserves: init without a report");
    TAP_EQ(pmm_total_pages(), (uint64_t)N * 8 - R, "every available page but the reserved ones is managed");
    bool ok = true;
    for (uintptr_t p; (p = pmm_alloc_page()) != 0;) {
        uint64_t off = p - (1ull << 32);
        bool in_range = p >= (1ull << 32) && off % 0x10000 < 0x8000 && off / 0x10000 < N;
        bool reserved = off % 0x10000 == 0x2000 && (off / 0x10000) % 97 == 0 && off / 0x10000 / 97 < R;
        ok = ok && in_range && !reserved;
    }
    tap_ok(ok, "every page handed out is available and none is reserved");
    tap_ok(pmm_check() == NULL, "pmm check clean");
    pmm_reset();
    free(meta);
}

int main(void)
{
    diag_set_hook(nk_test_catch_report);

    /* one 2^61-byte region: at the default (architectural) width the
     * layout is built in bounds and sized for 2^52 bytes at most */
    nk_region huge = { 1ull << 20, 1ull << 61 };
    size_t need = pmm_metadata_bytes(&huge, 1);
    tap_ok(need > 0 && need < (1ull << 38), "2^61-byte region: metadata sized in bounds (%zu bytes)", need);

    /* a 36-bit CPU: everything at or above 64 GiB is dropped */
    pmm_set_phys_addr_bits(36);
    TAP_EQ(pmm_phys_addr_bits(), 36, "width set to 36 bits");
    need = pmm_metadata_bytes(&huge, 1);
    void *meta = aligned_alloc(4096, (need + 4095) & ~(size_t)4095);
    pmm_reset();
    tap_ok(pmm_init_regions_with_metadata(&huge, 1, meta, need), "PMM over the 2^61 region on a 36-bit CPU");
    TAP_EQ(pmm_total_pages(), ((1ull << 36) - (1ull << 20)) >> 12, "exactly the pages below 2^36 are managed");
    uintptr_t top = pmm_alloc_pages(1, 1ull << 22); /* an aligned run near nothing in particular */
    bool below = top != 0 && top < (1ull << 36);
    for (int i = 0; i < 1000; i++) {
        uintptr_t p = pmm_alloc_page();
        below = below && p && p < (1ull << 36);
    }
    tap_ok(below, "every page handed out lies below 2^36");
    tap_ok(pmm_check() == NULL, "pmm check clean");

    /* a map whose RAM all lies above the width: nothing usable, reported */
    nk_region high = { 1ull << 40, 1ull << 30 };
    pmm_reset();
    reports = 0;
    tap_ok(!pmm_init_regions_with_metadata(&high, 1, meta, need) && reports == 1,
           "RAM only above the width: init refuses and reports");
    pmm_set_phys_addr_bits(0);
    TAP_EQ(pmm_phys_addr_bits(), PMM_MAX_PHYS_BITS, "an impossible width means the architectural one");
    pmm_reset();
    free(meta);
    test_many_ranges();
    return tap_done();
}

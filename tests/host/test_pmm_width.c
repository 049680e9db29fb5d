/*
 * test_pmm_width.c - the page manager and maps with addresses beyond the
 * CPU's physical address width: such RAM is dropped, the layout stays in
 * bounds (ASan watches the static layout), and no page handed out lies
 * at or above the limit.
 */
#include <stdint.h>
#include <stdlib.h>

#include "nanokernel/pmm.h"
#include "nk_test_util.h"
#include "tap.h"

int main(void)
{
    nk_set_error_hook(nk_test_catch_report);

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
    return tap_done();
}

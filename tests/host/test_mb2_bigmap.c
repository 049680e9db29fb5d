/*
 * test_mb2_bigmap.c - the boot path's map handling over a map no fixed
 * table holds: 40,000 entries, reserved ones interleaved with available
 * ones, parsed from a real info block, normalised in scratch found in the
 * map itself (mb2_find_scratch, as src/boot.c does), and handed to the
 * PMM. Every byte of available RAM not claimed by a reserved entry must
 * reach the PMM; the scratch must lie in RAM nothing else claims.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multiboot2.h"
#include "nanokernel/pmm.h"
#include "nk_test_util.h"
#include "tap.h"

enum { PAIRS = 19999, ENTRIES = 2 * PAIRS + 2 };
#define GiB (1ull << 30)
#define KiB 1024ull

static unsigned char *block;
static size_t blen;

static void put32(uint32_t v) { memcpy(block + blen, &v, 4); blen += 4; }
static void put64(uint64_t v) { memcpy(block + blen, &v, 8); blen += 8; }

static void entry(uint64_t base, uint64_t len, uint32_t type)
{
    put64(base);
    put64(len);
    put32(type);
    put32(0);
}

int main(void)
{
    diag_set_hook(nk_test_catch_report);
    block = aligned_alloc(8, 1u << 20);
    blen = 8;
    put32(6); /* memory map tag */
    size_t size_at = blen;
    put32(0);
    put32(24);
    put32(0);
    /* one plain region low, then 19999 blocks of 64 KiB above 4 GiB, each
     * with a reserved page inside and listed before it, and a reserved
     * entry at the very end over the last block */
    entry(1u << 20, 1 * GiB, 1);
    uint64_t expect = 1 * GiB;
    for (uint64_t i = 0; i < PAIRS; i++) {
        uint64_t at = 4 * GiB + i * 64 * KiB;
        entry(at + 16 * KiB, 4 * KiB, 2);
        entry(at, 48 * KiB, 1);
        expect += 44 * KiB;
    }
    entry(4 * GiB + (PAIRS - 1) * 64 * KiB, 64 * KiB, 2);
    expect -= 44 * KiB;
    uint32_t tag = (uint32_t)(blen - size_at + 4);
    memcpy(block + size_at, &tag, 4);
    put32(0);
    put32(8); /* end tag */
    uint32_t total = (uint32_t)blen;
    memcpy(block, &total, 4);
    put32(0);

    static mb2_info info;
    TAP_EQ(mb2_parse(MB2_BOOTLOADER_MAGIC, block, &info), MB2_OK, "a 40,000-entry map parses");
    TAP_EQ(mb2_entry_count(&info), ENTRIES, "every entry is used");
    TAP_EQ(mb2_raw_available_sum(&info), 1 * GiB + PAIRS * 48 * KiB, "raw available sum over all entries");

    /* the boot path: scratch from the map, below 4 GiB, clear of a kernel */
    uint64_t len = (mb2_normalize_bytes(&info) + 4095) & ~4095ull;
    mb2_range avoid[1] = { { 0, 2u << 20 } };
    uint64_t at = mb2_find_scratch(&info, len, 1u << 20, 4 * GiB, avoid, 1);
    tap_ok(at >= (2u << 20) && at + len <= (1u << 20) + GiB && !(at & 4095),
           "scratch (%llu KiB) found in available RAM below 4 GiB, clear of the kernel",
           (unsigned long long)(len >> 10));
    /* the test cannot write at a fake physical address: same size, real memory */
    void *scratch = aligned_alloc(4096, len);
    mb2_range *ranges;
    size_t n = mb2_normalize(&info, scratch, len, &ranges);
    uint64_t sum = 0;
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        sum += ranges[i].length;
        sorted = sorted && (i == 0 || ranges[i].base > ranges[i - 1].base + ranges[i - 1].length);
    }
    TAP_EQ(n, 1 + 2 * (PAIRS - 1), "ranges: the low one and two per unreserved block");
    TAP_EQ(sum, expect, "every byte of available RAM kept, every reserved byte left out");
    tap_ok(sorted, "ranges sorted, disjoint, not touching");
    tap_ok(mb2_normalize(&info, scratch, mb2_normalize_bytes(&info) - 8, &ranges) == 0, "too small a scratch gives nothing, not a part");

    /* and the PMM takes all of it */
    nk_region *regions = malloc(n * sizeof *regions);
    for (size_t i = 0; i < n; i++)
        regions[i] = (nk_region){ ranges[i].base, ranges[i].length };
    pmm_reset();
    pmm_reserve(at, len);
    size_t need = pmm_metadata_bytes(regions, n);
    void *meta = aligned_alloc(4096, (need + 4095) & ~(size_t)4095);
    reports = 0;
    tap_ok(pmm_init_regions_with_metadata(regions, n, meta, need) && reports == 0, "PMM initialised, no report");
    TAP_EQ(pmm_total_pages() * 4096 + (len & ~4095ull), expect, "the PMM manages every available byte but the scratch");
    tap_ok(pmm_check() == NULL, "pmm check clean");
    pmm_reset();
    free(meta);
    free(regions);
    free(scratch);
    free(block);
    return tap_done();
}

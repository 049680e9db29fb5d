/*
 * fuzz_pmm_init.c - libFuzzer target for bringing the page manager up from
 * an arbitrary memory map, the way the boot path does: raw entries of any
 * type, order, overlap and size (up to the top of the address space) go
 * into an mb2_info, mb2_available_ranges() makes the usable ranges, early
 * reserves are registered, and the PMM is initialised over them (metadata
 * in a side buffer: the map's addresses need not exist, and the PMM never
 * touches the pages it manages). The CPU's physical address width is part
 * of the input.
 *
 * Oracle: no crash or sanitizer report; every page handed out (single
 * pages and runs) lies wholly inside an available entry, overlaps no
 * other entry and no early reserve, lies below the address width, and is
 * handed out once; pmm_check() is clean.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multiboot2.h"
#include "lib/diag.h"
#include "nanokernel/pmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_ENTRY = 6, FZ_MAX_EARLY = 8, FZ_META_MAX = 1u << 20, FZ_TAKE = 600 };

static mb2_info info;
static mb2_range ranges[MB2_MAX_MMAP * 2 + 2];
static nk_region regions[MB2_MAX_MMAP * 2 + 2];
static nk_region early[FZ_MAX_EARLY];
static uintptr_t taken[FZ_TAKE];
static int reports;

static void fz_hook(const char *call, uintptr_t addr, const char *reason)
{
    (void)call;
    (void)addr;
    (void)reason;
    reports++;
}

[[noreturn]] static void fz_fail(const char *why, uint64_t a)
{
    fprintf(stderr, "fuzz_pmm_init: %s (page 0x%llx)\n", why, (unsigned long long)a);
    abort();
}

/* An address from two input bytes and a scale: small maps and maps that
 * reach the top of the address space both occur. */
static uint64_t fz_addr(const uint8_t *p, unsigned scale)
{
    static const unsigned shift[4] = { 12, 20, 30, 44 };
    uint64_t v = (uint64_t)(p[0] | p[1] << 8) << shift[scale & 3];
    return scale & 4 ? UINT64_MAX - v : v;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    uint64_t ae = a + alen < a ? UINT64_MAX : a + alen, be = b + blen < b ? UINT64_MAX : b + blen;
    return a < be && b < ae;
}

static void check_page(uint64_t a, size_t npages, unsigned bits)
{
    uint64_t len = npages * 4096ull;
    if (bits < 64 && a + len > (1ull << bits))
        fz_fail("page at or above the physical address width", a);
    for (size_t i = 0; i < info.mmap_count; i++) {
        const mb2_mmap_entry *e = &info.mmap[i];
        if (e->type != MB2_MEM_AVAILABLE && e->length && overlaps(a, len, e->base, e->length))
            fz_fail("page inside a non-available entry", a);
    }
    /* every byte covered by the union of available entries */
    for (uint64_t pos = a, end = a + len; pos < end;) {
        uint64_t reach = pos;
        for (size_t i = 0; i < info.mmap_count; i++) {
            const mb2_mmap_entry *e = &info.mmap[i];
            uint64_t ee = e->base + e->length;
            if (e->type == MB2_MEM_AVAILABLE && e->base <= pos && pos < ee && ee > reach)
                reach = ee;
        }
        if (reach == pos)
            fz_fail("page outside every available entry", pos);
        pos = reach;
    }
    for (size_t i = 0; i < FZ_MAX_EARLY; i++)
        if (early[i].length && overlaps(a, len, early[i].base, early[i].length))
            fz_fail("page inside an early reserve", a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void *meta;
    if (size < 2 || size > 4096)
        return 0;
    if (!meta)
        meta = aligned_alloc(4096, FZ_META_MAX);
    diag_set_hook(fz_hook);
    memset(&info, 0, sizeof info);
    memset(early, 0, sizeof early);
    unsigned bits = 32 + data[0] % 21; /* 32..52 */
    unsigned nearly = data[1] % (FZ_MAX_EARLY + 1);
    data += 2;
    size -= 2;
    for (size_t off = 0; off + FZ_ENTRY <= size && info.mmap_count < MB2_MAX_MMAP; off += FZ_ENTRY) {
        const uint8_t *e = data + off;
        uint64_t base = fz_addr(e + 1, e[0] >> 2), len = fz_addr(e + 3, e[5]) & ~(uint64_t)7;
        if (len > UINT64_MAX - base)
            len = UINT64_MAX - base;
        uint32_t type = (e[0] & 3) == 0 ? MB2_MEM_RESERVED : MB2_MEM_AVAILABLE + ((e[0] & 3) == 3) * 2;
        info.mmap[info.mmap_count++] = (mb2_mmap_entry){ base, len, type };
    }
    /* early reserves: the first entries' ranges shifted, so they hit RAM */
    for (unsigned i = 0; i < nearly && i < info.mmap_count; i++)
        early[i] = (nk_region){ info.mmap[i].base + info.mmap[i].length / 3, info.mmap[i].length / 4 + 1 };
    size_t n = mb2_available_ranges(&info, ranges, sizeof ranges / sizeof ranges[0]);
    for (size_t i = 0; i < n; i++)
        regions[i] = (nk_region){ ranges[i].base, ranges[i].length };

    pmm_reset();
    pmm_set_phys_addr_bits(bits);
    for (unsigned i = 0; i < FZ_MAX_EARLY; i++)
        if (early[i].length)
            pmm_reserve(early[i].base, early[i].length);
    size_t need = pmm_metadata_bytes(regions, n);
    if (n == 0 || need == 0 || need > FZ_META_MAX) {
        pmm_reset();
        pmm_set_phys_addr_bits(0);
        return 0;
    }
    reports = 0;
    bool up = pmm_init_regions_with_metadata(regions, n, meta, need);
    if (!up)
        fz_fail("init failed on a map with usable pages and a big enough buffer", 0);
    if (up) {
        size_t k = 0;
        for (; k < FZ_TAKE; k++) {
            size_t run = 1 + (k % 7 == 6) * (k % 13);
            uintptr_t p = run == 1 ? pmm_alloc_page() : pmm_alloc_pages(run, 1);
            if (!p)
                break;
            check_page(p, run, bits);
            taken[k] = p;
        }
        for (size_t i = 0; i < k; i++)
            for (size_t j = i + 1; j < k && j < i + 64; j++)
                if (taken[i] == taken[j])
                    fz_fail("a page handed out twice", taken[i]);
        const char *why = pmm_check();
        if (why)
            fz_fail(why, 0);
    }
    pmm_reset();
    pmm_set_phys_addr_bits(0);
    diag_set_hook(NULL);
    return 0;
}

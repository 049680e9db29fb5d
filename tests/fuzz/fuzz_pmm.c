/*
 * fuzz_pmm.c - libFuzzer target for the page manager's API under misuse.
 *
 * The input drives single pages and aligned runs (with offsets), frees of
 * what it owns, double frees, misaligned, unmanaged and half-allocated
 * frees, frees of a claimed run, reserves, and writes over the pages just
 * past what it owns (the PMM keeps no state in managed pages, so they must
 * change nothing). A hook records reports and returns.
 *
 * Oracle: no crash or sanitizer report; every page handed out is managed,
 * aligned as asked and owned by nobody else; every misuse is reported and
 * changes no counter; a call that is not misuse reports nothing;
 * pmm_check() is clean after every call. The map is three regions of one
 * static buffer (holes between them), so indexes and segments matter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "nanokernel/pmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_PAGES = 1024, FZ_MAX_INPUT = 4096 };

static uint8_t *ram;
static bool owned[FZ_PAGES];
static const uint8_t *in;
static size_t in_n, in_at;
static int reports;

static void fz_hook(const char *call, uintptr_t addr, const char *reason)
{
    (void)call;
    (void)addr;
    (void)reason;
    reports++;
}

static unsigned fz_byte(void)
{
    return in_at < in_n ? in[in_at++] : 0;
}

[[noreturn]] static void fz_fail(const char *why)
{
    fprintf(stderr, "fuzz_pmm: %s\n", why);
    abort();
}

static size_t page_no(uintptr_t a)
{
    return (a - (uintptr_t)ram) / 4096;
}

/* Take ownership of [a, a + n pages) just handed out. */
static void own(uintptr_t a, size_t n)
{
    if (a < (uintptr_t)ram || (a & 4095) || page_no(a) + n > FZ_PAGES)
        fz_fail("a page handed out outside the managed buffer or misaligned");
    for (size_t i = 0; i < n; i++) {
        if (owned[page_no(a) + i])
            fz_fail("a page handed out twice");
        owned[page_no(a) + i] = true;
    }
}

/* A run of n owned pages from page index i upward, or false. */
static bool owned_run(size_t i, size_t n)
{
    if (i + n > FZ_PAGES)
        return false;
    for (size_t k = 0; k < n; k++)
        if (!owned[i + k])
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    if (!ram)
        ram = aligned_alloc(4096, (size_t)FZ_PAGES * 4096);
    in = data;
    in_n = size;
    in_at = 0;
    memset(owned, 0, sizeof owned);
    diag_set_hook(fz_hook);
    reports = 0;
    uintptr_t b = (uintptr_t)ram;
    nk_region map[3] = { { b + 4096, 300 * 4096 }, { b + 310 * 4096, 400 * 4096 }, { b + 720 * 4096, 304 * 4096 } };
    pmm_reset();
    if (!pmm_init_regions(map, 3))
        fz_fail("init failed");
    pmm_stats st;
    pmm_get_stats(&st);
    size_t meta_lo = page_no(st.metadata_base), meta_hi = meta_lo + (st.metadata_bytes + 4095) / 4096;
    static pmm_claim claim;
    bool claimed = false;
    size_t claim_at = 0, claim_n = 0;

    unsigned steps = 0;
    while (in_at < in_n && steps++ < 1000) {
        unsigned op = fz_byte() % 11, x = fz_byte(), y = fz_byte();
        size_t i = (x | (y << 8)) % FZ_PAGES, n = 1 + fz_byte() % 40;
        uintptr_t a = b + i * 4096;
        int before = reports;
        uint64_t free0 = pmm_free_page_count();
        bool misuse = false, maybe = false;
        switch (op) {
        case 0: {
            uintptr_t p = pmm_alloc_page();
            if (p)
                own(p, 1);
            break;
        }
        case 1: {
            size_t align = (size_t)1 << (x % 7), off = y % n;
            uintptr_t p = pmm_alloc_pages_offset(n, align, off);
            if (p) {
                own(p, n);
                if (((page_no(p) + off + (b >> 12)) & (align - 1)) != 0)
                    fz_fail("run not aligned as asked");
            }
            break;
        }
        case 2: /* free an owned page, or misuse if it is not ours */
        case 3:
            if (owned[i] && !(claimed && i >= claim_at && i < claim_at + claim_n)) {
                pmm_free_page(a);
                owned[i] = false;
            } else if (!owned[i]) {
                misuse = true;
                pmm_free_page(a);
            }
            break;
        case 4:
            if (owned_run(i, n) && !(claimed && i < claim_at + claim_n && claim_at < i + n)) {
                pmm_free_pages(a, n);
                for (size_t k = 0; k < n; k++)
                    owned[i + k] = false;
            } else if (!owned_run(i, n)) {
                misuse = true; /* some page of it is not allocated to us */
                pmm_free_pages(a, n);
            }
            break;
        case 5:
            misuse = true;
            pmm_free_page(a + 1 + x % 4095);
            break;
        case 6:
            misuse = true;
            pmm_free_page(x & 1 ? 4096ull * (y + 1) : b + (uintptr_t)FZ_PAGES * 4096 + 4096ull * y);
            break;
        case 7: /* writes over pages just past an owned one: the PMM must not care */
            if (owned[i] && i + 1 < FZ_PAGES && !(i + 1 >= meta_lo && i + 1 < meta_hi))
                memset(ram + (i + 1) * 4096, x, 64 + y);
            break;
        case 8: /* claim an owned run; a free inside it is refused */
            if (!claimed && owned_run(i, n)) {
                pmm_claim_pages(&claim, a, n, "claimed by the fuzzer");
                claimed = true;
                claim_at = i;
                claim_n = n;
            } else if (claimed) {
                misuse = true;
                pmm_free_page(b + (claim_at + x % claim_n) * 4096);
            }
            break;
        case 9:
            if (claimed) {
                pmm_unclaim_pages(&claim);
                claimed = false;
            }
            break;
        default: /* reserve: refused (reported) when it holds allocated pages */
            maybe = true;
            pmm_reserve(a, n * 4096);
            break;
        }
        if (misuse && reports == before)
            fz_fail("a misuse was not reported");
        if (misuse && pmm_free_page_count() != free0)
            fz_fail("a reported misuse changed the free count");
        if (!misuse && !maybe && reports != before)
            fz_fail("a report without misuse");
        const char *why = pmm_check();
        if (why)
            fz_fail(why);
    }
    diag_set_hook(NULL);
    return 0;
}

/*
 * test_kheap.c - host unit tests for the kernel heap on a PMM that manages
 * a real aligned buffer: exact-fit reuse, coalescing, realloc in place and
 * moved, every alignment, large blocks, edge cases, misuse reports,
 * exhaust-then-free restoring every statistic, and grown arenas given back
 * in random order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nanokernel/nk_memory.h"
#include "nk_test_util.h"
#include "splitmix.h"
#include "tap.h"

#define MiB (1024ul * 1024)

static uint8_t *ram;

/* PMM over `mib` MiB of real memory; heap starts on a 1 MiB run of it. */
static void setup(size_t mib)
{
    free(ram);
    ram = aligned_alloc(4096, mib * MiB);
    pmm_reset();
    pmm_init(mib * MiB, (uintptr_t)ram);
    uintptr_t h = pmm_alloc_pages(256, 1);
    kheap_init(h, h + MiB);
}

static bool heap_ok(const char *when)
{
    const char *why = kheap_check();
    if (why)
        tap_diag("%s: %s", when, why);
    return why == NULL;
}

static void test_exact_fit(void)
{
    setup(16);
    char *a = kmalloc(100), *guard = kmalloc(100);
    kfree(a);
    char *b = kmalloc(100);
    tap_ok(b == a, "freed block reused for the same size");
    kfree(b);
    char *c = kmalloc(112 - 16 + 16); /* exactly the freed block's usable size */
    tap_ok(c == a && kmalloc_usable_size(c) == 112, "exact fit, no split, usable %zu",
           kmalloc_usable_size(c));
    kfree(c);
    char *z = kmalloc(0);
    tap_ok(z && kmalloc_usable_size(z) == 16, "kmalloc(0) is a minimum block");
    kfree(z);
    kfree(guard);
    tap_ok(heap_ok("exact fit"), "heap check clean");
}

static void test_coalesce(void)
{
    setup(16);
    kheap_stats s0;
    kheap_get_stats(&s0);
    char *p[5];
    for (int i = 0; i < 5; i++)
        p[i] = kmalloc(240); /* 256-byte blocks, adjacent in a fresh arena */
    tap_ok(p[1] == p[0] + 256 && p[4] == p[0] + 4 * 256, "fresh blocks are adjacent");
    /* small freed blocks wait in the free-block cache; kheap_trim merges
     * them, so each step below trims before it looks */
    kfree(p[1]);
    kfree(p[2]); /* coalesces left with p[1] */
    kheap_trim();
    char *q = kmalloc(512 - 16);
    tap_ok(q == p[1], "left coalesce: a 512-byte block fits where two 256 were");
    kfree(q);
    kfree(p[3]);
    kheap_trim();
    kfree(p[2] = kmalloc(240)); /* split again, then free: right and left merge */
    kheap_trim();
    q = kmalloc(3 * 256 - 16);
    tap_ok(q == p[1], "coalesce both ways: three blocks became one");
    kfree(q);
    kheap_trim();
    char *r = kmalloc(240);
    tap_ok(r == p[1], "re-split from the merged block");
    kfree(p[0]); /* r's left neighbour freed, then r: right coalesce into the rest */
    kfree(r);
    kheap_trim();
    kheap_stats s1;
    kheap_get_stats(&s1);
    TAP_EQ(s1.bytes_free, s0.bytes_free - 256, "only p[4] still in use");
    kfree(p[4]);
    kheap_trim();
    kheap_get_stats(&s1);
    TAP_EQ(s1.bytes_free, s0.bytes_free, "everything merged back");
    TAP_EQ(s1.largest_free, s0.largest_free, "one free block again");
    tap_ok(heap_ok("coalesce"), "heap check clean");
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 7);
}

static bool same(const uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (uint8_t)(seed + i * 7))
            return false;
    return true;
}

static void test_realloc(void)
{
    setup(32);
    uint8_t *a = kmalloc(200), *b = kmalloc(200), *c = kmalloc(200);
    fill(a, 200, 1);
    kfree(b);
    kheap_trim();
    uint8_t *a2 = krealloc(a, 400);
    tap_ok(a2 == a && same(a2, 200, 1), "grow in place into the free neighbour");
    uint8_t *a3 = krealloc(a2, 50);
    tap_ok(a3 == a && same(a3, 50, 1), "shrink in place");
    uint8_t *b2 = kmalloc(300);
    tap_ok(b2 == a + 80, "shrunk tail is free again (reused)");
    uint8_t *a4 = krealloc(a3, 5000);
    tap_ok(a4 != a && same(a4, 50, 1), "moved when boxed in, contents kept");
    uint8_t *big = krealloc(a4, 300000);
    tap_ok(big && same(big, 50, 1), "small to large move keeps contents");
    fill(big, 300000, 9);
    uint8_t *big2 = krealloc(big, 290000);
    tap_ok(big2 == big, "large shrink stays in place");
    uint8_t *small = krealloc(big2, 64);
    tap_ok(small && same(small, 64, 9), "large to small move keeps contents");
    tap_ok(krealloc(small, 0) == NULL, "krealloc(p, 0) frees and returns NULL");
    uint8_t *n = krealloc(NULL, 32);
    tap_ok(n != NULL, "krealloc(NULL, n) allocates");
    kfree(n);
    kfree(b2);
    kfree(c);
    tap_ok(heap_ok("realloc"), "heap check clean");
}

static void test_alignment(void)
{
    setup(64);
    bool ok = true;
    for (size_t align = 16; align <= 2 * MiB; align <<= 1) {
        size_t sizes[] = { 1, 100, 5000 };
        for (int i = 0; i < 3; i++) {
            uint8_t *p = kmalloc_aligned(sizes[i], align);
            bool good = p && !((uintptr_t)p & (align - 1)) && kmalloc_usable_size(p) >= sizes[i];
            if (!good)
                tap_diag("align %zu size %zu -> %p", align, sizes[i], (void *)p);
            ok &= good;
            if (p)
                memset(p, 0xA5, sizes[i]);
            ok &= heap_ok("aligned");
            kfree(p);
        }
    }
    tap_ok(ok, "every alignment 16 B .. 2 MiB, small and multi-page sizes");
    tap_ok(kmalloc_aligned(64, 48) == NULL, "non-power-of-two alignment refused");
    tap_ok(kmalloc_aligned(64, 4 * MiB) == NULL, "alignment above 2 MiB refused");
    tap_ok(heap_ok("alignment"), "heap check clean");
}

static void test_large_and_edges(void)
{
    setup(32);
    uint64_t pages0 = pmm_free_page_count();
    void *two = kmalloc(2 * MiB), *six = kmalloc(6 * MiB);
    tap_ok(two && six, "2 MiB then 6 MiB kmalloc succeed");
    tap_ok(kmalloc_usable_size(six) >= 6 * MiB, "large usable size");
    memset(two, 1, 2 * MiB);
    memset(six, 2, 6 * MiB);
    kfree(two);
    kfree(six);
    TAP_EQ(pmm_free_page_count(), pages0, "large blocks go back to the PMM");
    tap_ok(kmalloc(SIZE_MAX) == NULL && kmalloc(KHEAP_MAX_REQUEST + 1) == NULL, "huge requests fail");
    tap_ok(kcalloc(SIZE_MAX / 2, 4) == NULL, "kcalloc overflow fails");
    uint8_t *z = kcalloc(10, 30);
    bool zero = z != NULL;
    for (int i = 0; zero && i < 300; i++)
        zero = z[i] == 0;
    tap_ok(zero, "kcalloc zeroes");
    kfree(z);
    kfree(NULL);
    tap_ok(kmalloc(40 * MiB) == NULL, "more than the PMM has fails cleanly");
    tap_ok(heap_ok("large"), "heap check clean");
}

static void test_misuse(void)
{
    setup(16);
    kheap_stats s0, s1;
    char *a = kmalloc(64), *b = kmalloc(64);
    kfree(a);
    kheap_get_stats(&s0);
    reports = 0;
    kfree(a);
    TAP_EQ(reports, 1, "double free reported: %s", last_reason ? last_reason : "");
    int local;
    kfree(&local);
    TAP_EQ(reports, 2, "foreign (stack) pointer reported");
    kfree(b + 16);
    TAP_EQ(reports, 3, "interior pointer reported");
    kfree(b + 3);
    TAP_EQ(reports, 4, "misaligned pointer reported");
    uint64_t saved = ((uint64_t *)b)[-1];
    ((uint64_t *)b)[-1] ^= 0x40; /* smash the magic */
    kfree(b);
    TAP_EQ(reports, 5, "smashed header reported");
    tap_ok(krealloc(b, 10) == NULL && reports == 6, "krealloc of a smashed block reported");
    TAP_EQ(kmalloc_usable_size(b), 0, "usable size of a smashed block is 0");
    ((uint64_t *)b)[-1] = saved;
    void *big = kmalloc(MiB);
    kfree(big);
    kfree(big);
    tap_ok(reports == 8, "double free of a large block reported");
    kheap_get_stats(&s1);
    tap_ok(memcmp(&s0, &s1, sizeof s0) == 0 || (s1.peak_in_use != s0.peak_in_use),
           "misuse changed no statistic");
    tap_ok(heap_ok("misuse"), "heap check clean");
    kfree(b);
}

static void test_exhaust_restores(void)
{
    setup(24);
    kheap_stats h0, h1;
    pmm_stats p0, p1;
    kheap_get_stats(&h0);
    pmm_get_stats(&p0);
    static void *ptrs[200000];
    size_t n = 0, sizes[] = { 16, 24, 500, 3000, 70000, 400000, 9000 };
    /* by size class, largest first, so every path runs dry in turn (the
     * last pass takes minimum blocks, so no leftover can serve one) */
    for (int pass = 6; pass >= 0; pass--)
        while (n < 200000 && (ptrs[n] = kmalloc(sizes[pass])) != NULL)
            n++;
    TAP_EQ(pmm_free_page_count(), 0, "PMM exhausted");
    tap_ok(kmalloc(16) == NULL, "heap exhausted (%zu blocks)", n);
    tap_ok(heap_ok("exhausted"), "heap check clean when full");
    for (size_t i = 0; i < n; i += 2)
        kfree(ptrs[i]);
    for (size_t i = 1; i < n; i += 2)
        kfree(ptrs[i]);
    kheap_get_stats(&h1);
    pmm_get_stats(&p1);
    h1.peak_in_use = h0.peak_in_use; /* a high-water mark, by definition not restored */
    tap_ok(memcmp(&h0, &h1, sizeof h0) == 0, "every heap statistic back to its start");
    tap_ok(memcmp(&p0, &p1, sizeof p0) == 0, "every PMM statistic back to its start");
    tap_ok(heap_ok("after exhaust"), "heap check clean");
    tap_ok(pmm_check() == NULL, "pmm check clean");
}

/*
 * About 130 grown arenas (four 250 KiB blocks fill one), their blocks freed
 * in a random order, so arenas leave the list from its head, middle and
 * tail: every arena goes back to the PMM as its last block goes, the
 * arena pages stay claimed while they live (a stray page free is refused),
 * and the heap, the PMM and their checks end where they started.
 */
static void test_arena_release(void)
{
    setup(192);
    kheap_stats h0, h1;
    pmm_stats p0, p1;
    kheap_get_stats(&h0);
    pmm_get_stats(&p0);
    enum { N = 520 };
    static void *p[N];
    bool all = true;
    for (size_t i = 0; i < N; i++)
        all = all && (p[i] = kmalloc(250 * 1024)) != NULL;
    kheap_stats h;
    kheap_get_stats(&h);
    tap_ok(all && h.arenas >= 129, "%zu arenas grown for %d blocks", h.arenas, N);
    int before = reports;
    pmm_free_page(((uintptr_t)p[N / 2] & ~(uintptr_t)4095) + 4096);
    tap_ok(reports == before + 1 && pmm_check() == NULL, "a page free inside a live arena is refused");
    uint64_t st = 0x4152454E41524C53ull;
    for (size_t i = N; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)(sm64_next(&st) % i);
        void *t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
    bool clean = true;
    for (size_t i = 0; i < N; i++) {
        kfree(p[i]);
        if (i % 16 == 0)
            clean = clean && heap_ok("arena release") && pmm_check() == NULL;
    }
    kheap_get_stats(&h1);
    pmm_get_stats(&p1);
    h1.peak_in_use = h0.peak_in_use;
    tap_ok(clean, "heap and PMM checks clean while arenas go back");
    TAP_EQ(h1.arenas, 1, "only the initial arena left");
    tap_ok(memcmp(&h0, &h1, sizeof h0) == 0, "every heap statistic back to its start");
    tap_ok(memcmp(&p0, &p1, sizeof p0) == 0, "every PMM statistic back to its start");
    uintptr_t run = pmm_alloc_pages(256, 1);
    tap_ok(run && pmm_claim_of(run, 256) == NULL, "released arena pages are unclaimed and handed out again");
    pmm_free_pages(run, 256);
    TAP_EQ(reports, before + 1, "no report but the refused free");
}

int main(void)
{
    diag_set_hook(nk_test_catch_report);
    test_exact_fit();
    test_coalesce();
    test_realloc();
    test_alignment();
    test_large_and_edges();
    test_misuse();
    test_exhaust_restores();
    test_arena_release();
    TAP_EQ(reports, 9, "no unexpected reports");
    free(ram);
    return tap_done();
}

/*
 * test_pmm.c - host unit tests for the physical page manager: maps with
 * holes, overlaps and unsorted entries, regions above 4 GiB, a sparse
 * 1 TiB map (metadata only), runs across bitmap words, reserves, bad
 * frees, exhaust-then-free returning every statistic to its start, run
 * placement under random allocation and frees against a brute-force
 * first fit, and pmm_check catching corrupted run summaries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nanokernel/nk_memory.h"
#include "nk_test_util.h"
#include "splitmix.h"
#include "tap.h"
#include "../../src/nanokernel/pmm_internal.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)
#define TiB (1024 * GiB)

static void *meta_buf;

/* Initialise on a fake map; metadata in a malloc'ed buffer. */
static bool init_fake(const nk_region *r, size_t n)
{
    size_t need = pmm_metadata_bytes(r, n);
    free(meta_buf);
    meta_buf = aligned_alloc(64, (need + 63) & ~(size_t)63);
    return meta_buf && pmm_init_regions_with_metadata(r, n, meta_buf, need);
}

static bool in_regions(uintptr_t p, const nk_region *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p >= r[i].base && p + PMM_PAGE_SIZE <= r[i].base + r[i].length)
            return true;
    return false;
}

static void test_basic(void)
{
    nk_region r = { 0x100000, 8 * MiB };
    tap_ok(init_fake(&r, 1), "init on an 8 MiB map");
    TAP_EQ(pmm_total_pages(), 2048, "8 MiB is 2048 pages");
    TAP_EQ(pmm_free_page_count(), 2048, "all free");
    uintptr_t a = pmm_alloc_page(), b = pmm_alloc_page();
    tap_ok(a && b && a != b && !(a & 4095) && in_regions(a, &r, 1), "two distinct aligned pages");
    TAP_EQ(pmm_free_page_count(), 2046, "free count drops by two");
    pmm_free_page(a);
    pmm_free_page(b);
    TAP_EQ(pmm_free_page_count(), 2048, "free count back");
    tap_ok(pmm_check() == NULL, "check clean");
    pmm_stats st;
    pmm_get_stats(&st);
    tap_ok(st.metadata_bytes * 8.0 / st.total_pages <= 1.1, "metadata %.3f bits/page <= 1.1",
           st.metadata_bytes * 8.0 / st.total_pages);
}

static void test_bad_frees(void)
{
    nk_region r = { 0x100000, 8 * MiB };
    init_fake(&r, 1);
    uintptr_t a = pmm_alloc_page();
    uint64_t before = pmm_free_page_count();
    reports = 0;
    pmm_free_page(a + 8);
    TAP_EQ(reports, 1, "unaligned free reported");
    pmm_free_page(0x100000 + 9 * MiB);
    TAP_EQ(reports, 2, "free outside managed RAM reported");
    pmm_free_page(a);
    pmm_free_page(a);
    TAP_EQ(reports, 3, "double free reported");
    pmm_free_page(a + PMM_PAGE_SIZE * 5);
    TAP_EQ(reports, 4, "free of a never-allocated page reported");
    uintptr_t run = pmm_alloc_pages(4, 1);
    pmm_free_pages(run, 5);
    TAP_EQ(reports, 5, "run free including a free page reported");
    TAP_EQ(pmm_free_page_count(), before + 1 - 4, "bad frees changed nothing");
    tap_ok(pmm_check() == NULL, "check clean after bad frees");
    pmm_free_pages(run, 4);
    pmm_free_page(0);
    TAP_EQ(reports, 6, "free of page 0 reported");
}

static void test_messy_map(void)
{
    /* unsorted, overlapping, touching, empty, unaligned; one above 4 GiB */
    nk_region r[] = {
        { 6 * GiB, 64 * MiB },     { 0x100000, 4 * MiB },   { 0x300000, 4 * MiB },
        { 0x900123, 0x10000 },     { 0x700000, 1 * MiB },   { 5 * GiB, 0 },
        { 6 * GiB + 32 * MiB, 64 * MiB },
    };
    tap_ok(init_fake(r, 7), "messy map accepted");
    pmm_stats st;
    pmm_get_stats(&st);
    /* 0x100000-0x800000 merged = 1792 pages; 0x901000-0x910000 = 15;
       6 GiB .. 6 GiB+96 MiB = 24576 */
    TAP_EQ(st.total_pages, 1792 + 15 + 24576, "pages counted once");
    TAP_EQ(st.segments, 3, "three segments after merging");
    size_t n = (size_t)pmm_total_pages(), high = 0, ok = 1;
    uintptr_t *pages = malloc(n * sizeof *pages);
    for (size_t i = 0; i < n; i++) {
        pages[i] = pmm_alloc_page();
        ok &= pages[i] != 0 && in_regions(pages[i], r, 7);
        high += pages[i] >= 4 * GiB;
    }
    tap_ok(ok, "every page from an available region");
    TAP_EQ(high, 24576, "pages above 4 GiB handed out");
    TAP_EQ(pmm_alloc_page(), 0, "exhausted map returns 0");
    for (size_t i = 0; i < n; i++)
        pmm_free_page(pages[n - 1 - i]);
    TAP_EQ(pmm_free_page_count(), n, "all pages back");
    tap_ok(pmm_check() == NULL, "check clean");
    free(pages);
}

static void test_sparse_terabyte(void)
{
    nk_region r[] = { { 0x100000, 127 * MiB }, { 4 * GiB, TiB - 4 * GiB }, { 2 * TiB, 16 * MiB } };
    tap_ok(init_fake(r, 3), "sparse 1 TiB map, metadata only");
    pmm_stats st;
    pmm_get_stats(&st);
    double bpp = st.metadata_bytes * 8.0 / st.total_pages;
    tap_ok(bpp <= 1.1, "1 TiB metadata %.4f bits/page", bpp);
    tap_ok(st.levels == 5, "five levels for 2^28 pages (got %u)", st.levels);
    uintptr_t big = pmm_alloc_pages(512 * 1024, 512);
    tap_ok(big >= 4 * GiB && !(big & (2 * MiB - 1)), "2 GiB run, 2 MiB aligned, above 4 GiB");
    uintptr_t last = 0;
    for (int i = 0; i < 1000; i++)
        last = pmm_alloc_page();
    tap_ok(last != 0, "single pages from the sparse map");
    pmm_free_pages(big, 512 * 1024);
    tap_ok(pmm_check() == NULL, "check clean");
}

static void test_runs(void)
{
    nk_region r = { 0x100000, 16 * MiB };
    init_fake(&r, 1);
    uint64_t start = pmm_free_page_count();
    /* fragment: take pages so that free runs straddle word boundaries */
    uintptr_t a = pmm_alloc_pages(60, 1);
    uintptr_t b = pmm_alloc_pages(10, 1);
    tap_ok(b == a + 60 * PMM_PAGE_SIZE, "runs are lowest-first and adjacent");
    uintptr_t c = pmm_alloc_pages(100, 1);
    tap_ok(c == b + 10 * PMM_PAGE_SIZE, "100-page run crosses two word boundaries");
    pmm_free_pages(b, 10);
    uintptr_t d = pmm_alloc_pages(10, 1);
    TAP_EQ(d, b, "freed 10-page hole across a word boundary is reused");
    uintptr_t e = pmm_alloc_pages(11, 1);
    tap_ok(e > c, "11 pages do not fit the 10-page hole");
    uintptr_t f = pmm_alloc_pages(3, 64);
    tap_ok(f && !((f >> 12) % 64), "aligned run start");
    uintptr_t g = pmm_alloc_pages_offset(5, 128, 1);
    tap_ok(g && !(((g >> 12) + 1) % 128), "page 1 of the run is aligned");
    TAP_EQ(pmm_alloc_pages(5000, 1), 0, "larger than the map fails");
    uint64_t longest = pmm_largest_free_run();
    bool longer = pmm_alloc_pages(longest + 1, 1) != 0;
    uintptr_t whole = pmm_alloc_pages(longest, 1);
    tap_ok(!longer && whole != 0 && pmm_alloc_pages(longest, 1) == 0,
           "pmm_largest_free_run (%llu pages) is exactly the longest run pmm_alloc_pages can give",
           (unsigned long long)longest);
    pmm_free_pages(whole, longest);
    pmm_free_pages(d, 1);   /* a one-page hole: d's first page (the rest goes back below) */
    TAP_EQ(pmm_largest_free_run(), longest, "a one-page hole does not change the longest run");
    TAP_EQ(pmm_alloc_pages(3, 3), 0, "non-power-of-two alignment fails");
    pmm_free_pages(a, 60);
    pmm_free_pages(d + PMM_PAGE_SIZE, 9);
    pmm_free_pages(c, 100);
    pmm_free_pages(e, 11);
    pmm_free_pages(f, 3);
    pmm_free_pages(g, 5);
    TAP_EQ(pmm_free_page_count(), start, "everything back");
    tap_ok(pmm_check() == NULL, "check clean");
}

static void test_reserve(void)
{
    nk_region r = { 0x100000, 4 * MiB };
    pmm_reset();
    pmm_reserve(0x200000, 0x3000); /* early: before init */
    init_fake(&r, 1);
    pmm_reserve(0x300800, 0x1000); /* late: straddles two pages */
    TAP_EQ(pmm_total_pages(), 1024 - 3 - 2, "reserved pages leave service");
    size_t bad = 0, n = 0;
    uintptr_t p;
    while ((p = pmm_alloc_page()) != 0) {
        n++;
        bad += (p >= 0x200000 && p < 0x203000) || (p >= 0x300000 && p < 0x302000);
    }
    TAP_EQ(bad, 0, "reserved pages never handed out");
    TAP_EQ(n, 1019, "every other page handed out");
    reports = 0;
    pmm_free_page(0x201000);
    TAP_EQ(reports, 1, "free of a reserved page reported");
    pmm_reserve(0x100000, 0x1000);
    TAP_EQ(reports, 2, "reserve over an allocated page reported");
    tap_ok(pmm_check() == NULL, "check clean");

    /* default placement: metadata inside the map, clear of early reserves */
    size_t len = 8 * MiB;
    uint8_t *ram = aligned_alloc(4096, len);
    uintptr_t base = (uintptr_t)ram;
    pmm_reset();
    pmm_reserve(base + len - 4096, 4096);
    tap_ok(pmm_init(len, base), "pmm_init on a real buffer");
    pmm_stats st;
    pmm_get_stats(&st);
    tap_ok(st.metadata_base >= base && st.metadata_base + st.metadata_bytes <= base + len - 4096,
           "metadata placed in RAM, below the early reserve");
    TAP_EQ(st.total_pages, 2048 - 1 - 1, "metadata page and reserve excluded");
    free(ram);
}

static void test_exhaust_restores(void)
{
    nk_region r[] = { { 0x100000, 3 * MiB }, { 0x800000, 5 * MiB + 4096 * 7 } };
    init_fake(r, 2);
    pmm_stats s0, s1;
    pmm_get_stats(&s0);
    uintptr_t runs[4096];
    size_t nr = 0;
    for (size_t sz = 37; nr < 4096; sz = sz % 91 + 1) {
        uintptr_t p = pmm_alloc_pages(sz, 1);
        if (!p) {
            if (sz == 1)
                break;
            sz = 0;
            continue;
        }
        runs[nr++] = p;
        runs[nr++] = sz;
    }
    TAP_EQ(pmm_free_page_count(), 0, "exhausted by runs of 1..91 pages");
    for (size_t i = 0; i < nr; i += 2)
        pmm_free_pages(runs[i], runs[i + 1]);
    pmm_get_stats(&s1);
    tap_ok(memcmp(&s0, &s1, sizeof s0) == 0, "every statistic back to its start");
    tap_ok(pmm_check() == NULL, "check clean");
}

/* Frees that empty-to-non-empty more words than the PMM's stack of
 * unpublished words holds, then a run that must flush that stack, then
 * single pages until exhaustion: every freed page comes back exactly once,
 * a double free of a stacked page is still caught, and the check (which
 * walks the stack) stays clean throughout. */
static void test_unpublished_words_overflow(void)
{
    enum { WORDS = 48, PAGES = WORDS * 64 };
    nk_region r = { 0x100000, PAGES * 4096ull };
    init_fake(&r, 1);
    size_t n = 0;
    while (pmm_alloc_page() != 0)
        n++;
    TAP_EQ(n, PAGES, "all %d pages allocated", PAGES);
    bool clean = true;
    for (size_t w = 0; w < WORDS; w++) {
        pmm_free_page(r.base + w * 64 * 4096 + 4096 * (w % 63));
        clean = clean && pmm_check() == NULL;
    }
    pmm_free_page(r.base + 5 * 64 * 4096 + 4096 * 6);       /* neighbour of word 5's page */
    tap_ok(clean && pmm_check() == NULL, "check clean after %d frees into empty words", WORDS);
    int before = reports;
    pmm_free_page(r.base + 40 * 64 * 4096 + 4096 * 40);     /* stacked page, freed twice */
    tap_ok(reports == before + 1 && pmm_free_page_count() == WORDS + 1, "double free of a stacked page reported, count unchanged");
    uintptr_t run = pmm_alloc_pages(2, 1);
    TAP_EQ(run, r.base + 5 * 64 * 4096 + 4096 * 5, "the only two-page run is found after the stack is flushed");
    size_t got = 0;
    bool expected = true;
    for (uintptr_t p; (p = pmm_alloc_page()) != 0; got++) {
        size_t idx = (p - r.base) / 4096;
        expected = expected && idx % 64 == (idx / 64) % 63 && idx / 64 != 5;
    }
    tap_ok(got == WORDS - 1 && expected, "single pages: exactly the %zu other freed pages come back", got);
    TAP_EQ(pmm_free_page_count(), 0, "exhausted again");
    tap_ok(pmm_check() == NULL, "check clean at the end");
}

/* The test's own model of a fake map: which pages are free, by page
 * number from the lowest region's base; regions are physically apart. */
typedef struct model {
    const nk_region *r;
    size_t nr;
    uint64_t base, pages;
    uint8_t *free;     /* 1 = free in the model */
    uint8_t *managed;  /* 1 = in a region (and not reserved) */
    uint32_t *seg;     /* which region a managed page lies in */
} model;

static void model_init(model *m, const nk_region *r, size_t nr)
{
    m->r = r;
    m->nr = nr;
    m->base = r[0].base;
    m->pages = (r[nr - 1].base + r[nr - 1].length - m->base) / 4096;
    m->free = calloc(m->pages, 1);
    m->managed = calloc(m->pages, 1);
    m->seg = calloc(m->pages, sizeof *m->seg);
    for (size_t i = 0; i < nr; i++)
        for (uint64_t p = (r[i].base - m->base) / 4096; p < (r[i].base + r[i].length - m->base) / 4096; p++) {
            m->free[p] = m->managed[p] = 1;
            m->seg[p] = (uint32_t)i;
        }
}

static void model_done(model *m)
{
    free(m->free);
    free(m->managed);
    free(m->seg);
}

/* Brute force: the lowest address of `count` free pages in one region
 * whose page `offset` is `align`-aligned; 0 if none. */
/* The longest free run in the model (runs do not cross regions). */
static uint64_t model_longest(const model *m)
{
    uint64_t best = 0, cur = 0;
    for (uint64_t p = 0; p < m->pages; p++) {
        cur = m->free[p] ? (cur && m->seg[p] == m->seg[p - 1] ? cur + 1 : 1) : 0;
        best = cur > best ? cur : best;
    }
    return best;
}

static uintptr_t model_first_fit(const model *m, uint64_t count, uint64_t align, uint64_t offset)
{
    for (uint64_t p = 0; p + count <= m->pages; p++) {
        uint64_t pfn = m->base / 4096 + p;
        if ((pfn + offset) & (align - 1))
            continue;
        uint64_t k = 0;
        while (k < count && m->free[p + k] && m->seg[p + k] == m->seg[p])
            k++;
        if (k == count)
            return (uintptr_t)(m->base + p * 4096);
        p += k; /* no start inside the run just seen reaches further */
    }
    return 0;
}

static void model_set(model *m, uintptr_t addr, uint64_t count, uint8_t v)
{
    for (uint64_t i = 0; i < count; i++)
        m->free[(addr - m->base) / 4096 + i] = v;
}

/*
 * Random single pages, runs (some aligned, some with an offset) and frees
 * of both on a map of several regions: every run must land exactly where a
 * brute-force first fit over the test's own model says (or fail exactly
 * when it finds nothing), pmm_largest_free_run must be the model's longest
 * run, and pmm_check, which re-derives every run summary, must stay clean.
 */
static void run_random(const char *what, const nk_region *r, size_t nr, long steps, unsigned max_run,
                       unsigned check_every)
{
    model m;
    model_init(&m, r, nr);
    tap_ok(init_fake(r, nr), "%s: map accepted", what);
    enum { HELD = 4096 };
    static uintptr_t held[HELD];
    static uint64_t held_n[HELD];
    size_t nheld = 0;
    uint64_t st = 0x52554E5354455354ull;
    long runs = 0, wrong = 0, unclean = 0, fails = 0, longest_wrong = 0;
    const char *why = NULL;
    for (long i = 0; i < steps; i++) {
        uint64_t x = sm64_next(&st);
        unsigned op = (unsigned)(x % 8);
        if (op <= 2 && nheld < HELD) {
            uintptr_t p = pmm_alloc_page();
            if (p) {
                wrong += !m.free[(p - m.base) / 4096];
                model_set(&m, p, 1, 0);
                held[nheld] = p;
                held_n[nheld++] = 1;
            }
        } else if (op <= 4 && nheld < HELD) {
            uint64_t y = sm64_next(&st);
            uint64_t count = 2 + y % (max_run - 1);
            uint64_t align = (y >> 20) % 4 == 0 ? 1ull << ((y >> 24) % 7) : 1;
            uint64_t offset = align > 1 && (y >> 30) % 2 ? (y >> 32) % count : 0;
            uintptr_t want = model_first_fit(&m, count, align, offset);
            uintptr_t got = offset ? pmm_alloc_pages_offset(count, align, offset) : pmm_alloc_pages(count, align);
            runs++;
            fails += got == 0;
            if (got != want) {
                if (!wrong)
                    tap_diag("%s step %ld: run of %lu align %lu offset %lu at %#lx, first fit %#lx", what, i,
                             (unsigned long)count, (unsigned long)align, (unsigned long)offset,
                             (unsigned long)got, (unsigned long)want);
                wrong++;
            }
            if (got) {
                model_set(&m, got, count, 0);
                held[nheld] = got;
                held_n[nheld++] = count;
            }
        } else if (nheld) {
            size_t k = (size_t)(sm64_next(&st) % nheld);
            if (held_n[k] == 1)
                pmm_free_page(held[k]);
            else
                pmm_free_pages(held[k], held_n[k]);
            model_set(&m, held[k], held_n[k], 1);
            held[k] = held[--nheld];
            held_n[k] = held_n[nheld];
        }
        if (check_every && i % check_every == 0 && (why = pmm_check()) != NULL) {
            if (!unclean)
                tap_diag("%s step %ld: %s", what, i, why);
            unclean++;
        }
        if (check_every && i % check_every == 0) {
            uint64_t got = pmm_largest_free_run(), want = model_longest(&m);
            if (got != want && !longest_wrong++)
                tap_diag("%s step %ld: longest free run %lu, the model's %lu", what, i, (unsigned long)got,
                         (unsigned long)want);
        }
    }
    TAP_EQ(wrong, 0, "%s: %ld runs (%ld failed) placed as a brute-force first fit", what, runs, fails);
    TAP_EQ(longest_wrong, 0, "%s: pmm_largest_free_run is the model's longest run at every check", what);
    tap_ok(unclean == 0 && pmm_check() == NULL, "%s: check clean throughout", what);
    model_done(&m);
}

static void test_runs_random(void)
{
    nk_region small[] = { { 0x100000, 3 * MiB }, { 0x800000, 5 * MiB + 4096 * 7 }, { 0x1000000, 64 * 4096 } };
    run_random("three regions", small, 3, 40000, 80, 7);
    /* more blocks than the dirty list holds, and long runs */
    nk_region big[] = { { 1 * GiB, 1 * GiB }, { 2 * GiB + 4096, 8 * MiB } };
    run_random("1 GiB", big, 2, 6000, 600, 500);
}

/* Holes spread over more blocks than the dirty-block list holds, then a
 * run that fits only above them all. */
static void test_runs_dirty_overflow(void)
{
    nk_region r = { 4 * GiB, 4 * GiB }; /* 256 blocks */
    init_fake(&r, 1);
    uintptr_t all = pmm_alloc_pages(1u << 20, 1);
    tap_ok(all == r.base, "the whole map as one run");
    for (uint64_t b = 0; b < 200; b++)
        pmm_free_page(all + (b * 4096 + 7) * 4096);    /* 200 blocks, one hole each */
    pmm_free_pages(all + 250 * 4096 * 4096ull, 3);
    tap_ok(pmm_check() == NULL, "check clean with %u blocks dirty", 200u);
    TAP_EQ(pmm_alloc_pages(2, 1), all + 250 * 4096 * 4096ull, "the only free run of 2 is found");
    TAP_EQ(pmm_alloc_pages(2, 1), 0, "no second one");
    tap_ok(pmm_check() == NULL && pmm_g.ndirty == 0 && !pmm_g.dirty_overflow, "check clean, no block left dirty");
}

/* pmm_check re-derives the run summaries: a damaged one is reported. */
static void test_check_catches_summaries(void)
{
    nk_region r = { 1 * GiB, 64 * MiB };
    init_fake(&r, 1);
    uintptr_t a = pmm_alloc_pages(100, 1);
    pmm_free_pages(a + 10 * 4096, 5);
    tap_ok(pmm_check() == NULL, "clean before the damage");
    uint64_t keep = pmm_g.runs[1][0];
    pmm_g.runs[1][0] ^= 1; /* the longest run of block 0 off by one */
    const char *why = pmm_check();
    tap_ok(why && strstr(why, "run summary"), "a damaged block summary is reported (%s)", why ? why : "nothing");
    pmm_g.runs[1][0] = keep;
    keep = pmm_g.runs[2][0];
    pmm_g.runs[2][0] ^= 1ull << 25; /* the top node's low-end run */
    why = pmm_check();
    tap_ok(why && strstr(why, "run summary"), "a damaged upper summary is reported (%s)", why ? why : "nothing");
    pmm_g.runs[2][0] = keep;
    pmm_g.dirty[1] = 1; /* block 1 marked dirty but not listed */
    why = pmm_check();
    tap_ok(why && strstr(why, "dirty"), "a dirty block missing from its list is reported (%s)", why ? why : "nothing");
    pmm_g.dirty[1] = 0;
    tap_ok(pmm_check() == NULL, "clean once repaired");
}

/* A free run at the very top of the map, after a shorter one: the
 * longest-run summary of a word, a block and the map must count a run at
 * their high end too, or the run is found by neither
 * pmm_largest_free_run nor pmm_alloc_pages. */
static void test_run_at_top(void)
{
    nk_region r = { 1 * GiB, 32 * MiB }; /* two blocks of 4,096 pages */
    init_fake(&r, 1);
    uint64_t pages = pmm_free_page_count();
    uintptr_t all = pmm_alloc_pages(pages, 1);
    tap_ok(all == r.base && pages == 8192, "the whole two-block map as one run");
    pmm_free_pages(all + 100 * 4096ull, 31);        /* 31 pages low in block 0 */
    pmm_free_pages(all + (8192 - 40) * 4096ull, 40); /* the map's last 40 pages */
    TAP_EQ(pmm_largest_free_run(), 40, "the 40 pages at the top are the longest run");
    TAP_EQ(pmm_alloc_pages(40, 1), all + (8192 - 40) * 4096ull, "and a run of 40 is found there");
    pmm_free_pages(all + (8192 - 40) * 4096ull, 40);
    pmm_free_pages(all + 4096 * 4096ull - 20 * 4096ull, 20); /* block 0's last 20 pages */
    TAP_EQ(pmm_largest_free_run(), 40, "a shorter run ending block 0 does not change it");
    tap_ok(pmm_check() == NULL, "check clean");
}

/* Claiming with a record that is listed already (the head, or one with a
 * back link) moves it, listed once; a zeroed record is simply listed. */
static void test_claim_reuse(void)
{
    nk_region r = { 1 * GiB, 64 * MiB };
    init_fake(&r, 1);
    uintptr_t a = pmm_alloc_pages(8, 1), b = pmm_alloc_pages(8, 1), c = pmm_alloc_pages(8, 1);
    uintptr_t d = pmm_alloc_pages(8, 1), e = pmm_alloc_pages(8, 1);
    static pmm_claim ca, cb, cc;
    pmm_claim_pages(&ca, a, 8, "claim a");
    pmm_claim_pages(&cb, b, 8, "claim b");
    pmm_claim_pages(&cc, c, 8, "claim c");
    pmm_claim_pages(&cb, d, 8, "claim b again"); /* listed in the middle: has a back link */
    pmm_claim_pages(&cb, e, 8, "claim b again"); /* now the head: no back link */
    tap_ok(pmm_claim_of(b, 8) == NULL && pmm_claim_of(d, 8) == NULL && pmm_claim_of(e, 8) == &cb
               && pmm_claim_of(a, 8) == &ca && pmm_claim_of(c, 8) == &cc && pmm_check() == NULL,
           "a listed record claimed again is listed once, for its new run");
    pmm_unclaim_pages(&cb);
    pmm_unclaim_pages(&cc);
    pmm_unclaim_pages(&ca);
    tap_ok(pmm_claim_of(a, 8) == NULL && pmm_claim_of(e, 8) == NULL && pmm_check() == NULL,
           "  unclaiming each once leaves none");
}

/* Claims: unclaiming the middle of three leaves the others refusing
 * frees; pmm_free_claimed frees exactly a listed claim's run. */
static void test_claims(void)
{
    nk_region r = { 1 * GiB, 64 * MiB };
    init_fake(&r, 1);
    uintptr_t a = pmm_alloc_pages(8, 1), b = pmm_alloc_pages(8, 1), c = pmm_alloc_pages(8, 1);
    static pmm_claim ca, cb, cc, never;
    pmm_claim_pages(&ca, a, 8, "claim a");
    pmm_claim_pages(&cb, b, 8, "claim b");
    pmm_claim_pages(&cc, c, 8, "claim c");
    uint64_t before = pmm_free_page_count();
    int rep = reports;
    pmm_unclaim_pages(&cb);
    pmm_free_page(a + 4096);
    pmm_free_pages(c, 8);
    tap_ok(reports == rep + 2 && last_reason && !strcmp(last_reason, "claim c"), "the other claims still refuse frees");
    pmm_free_pages(b, 8);
    TAP_EQ(pmm_free_page_count(), before + 8, "the unclaimed run frees");
    pmm_free_claimed(&ca);
    TAP_EQ(pmm_free_page_count(), before + 16, "pmm_free_claimed frees the claim's run");
    tap_ok(pmm_claim_of(a, 8) == NULL && pmm_claim_of(c, 8) == &cc, "and unclaims it, leaving the others");
    rep = reports;
    pmm_free_claimed(&ca);
    pmm_unclaim_pages(&never);
    tap_ok(reports == rep + 2 && pmm_free_page_count() == before + 16, "an unlisted claim is reported, nothing freed");
    pmm_claim_pages(&cb, b, 1, "claim b");
    tap_ok(pmm_check() == NULL, "two claims, check clean");
    pmm_claim *keep = cc.prev;
    cc.prev = &cc; /* a damaged back link */
    const char *why = pmm_check();
    tap_ok(why && strstr(why, "back link"), "a damaged claim back link is reported (%s)", why ? why : "nothing");
    cc.prev = keep;
    pmm_unclaim_pages(&cb);
    pmm_free_claimed(&cc);
    tap_ok(pmm_claim_of(c, 8) == NULL && pmm_check() == NULL, "no claims left, check clean");
    TAP_EQ(pmm_free_page_count(), before + 24, "every run back");
}

int main(void)
{
    diag_set_hook(nk_test_catch_report);
    test_basic();
    test_bad_frees();
    test_messy_map();
    test_sparse_terabyte();
    test_runs();
    test_reserve();
    test_exhaust_restores();
    test_unpublished_words_overflow();
    test_runs_random();
    test_runs_dirty_overflow();
    test_check_catches_summaries();
    test_claims();
    test_claim_reuse();
    test_run_at_top();
    free(meta_buf);
    return tap_done();
}

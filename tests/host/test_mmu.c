/*
 * test_mmu.c - the page-table layer (src/arch/x86_64/mmu.c) over tables in a
 * host buffer: exact table counts for 4 KiB / 2 MiB / 1 GiB maps, splits and
 * merges back, 1 TiB maps with and without 1 GiB pages, running out of table
 * pages, and random map/unmap/protect runs across a window that straddles a
 * 512 GiB boundary (so ranges cross every table boundary), each compared
 * page by page against a plain per-page model and checked with mmu_check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/mmu.h"
#include "tap.h"

/* ---- a page source over a host buffer ---------------------------------------- */

#define FAKE_PHYS 0x40000000ull   /* tables get physical addresses from here */

typedef struct pool {
    uint8_t *mem;
    uint8_t *used;                /* 1 per page handed out */
    uint64_t pages, taken, limit; /* limit: refuse beyond this many taken */
    uint64_t flushes, structural, bad_gives;
} pool;

static uint64_t pool_take(void *ctx)
{
    pool *p = ctx;
    if (p->taken >= p->limit)
        return UINT64_MAX;
    for (uint64_t i = 0; i < p->pages; i++)
        if (!p->used[i]) {
            p->used[i] = 1;
            p->taken++;
            memset(p->mem + i * MMU_PAGE, 0xA5, MMU_PAGE);  /* mmu.c must zero it */
            return FAKE_PHYS + i * MMU_PAGE;
        }
    return UINT64_MAX;
}

static void pool_give(void *ctx, uint64_t phys)
{
    pool *p = ctx;
    uint64_t i = (phys - FAKE_PHYS) / MMU_PAGE;
    if (phys < FAKE_PHYS || i >= p->pages || !p->used[i] || (phys & (MMU_PAGE - 1))) {
        p->bad_gives++;
        return;
    }
    p->used[i] = 0;
    p->taken--;
}

static uint64_t *pool_ptr(void *ctx, uint64_t phys)
{
    pool *p = ctx;
    return (uint64_t *)(p->mem + (phys - FAKE_PHYS));
}

static void pool_flush(void *ctx, uint64_t va, uint64_t len, bool all)
{
    pool *p = ctx;
    (void)va;
    (void)len;
    p->flushes++;
    p->structural += all;
}

static pool g_pool;

static void space_new(mmu_space *s, bool use_1g, bool use_nx, uint64_t pages)
{
    free(g_pool.mem);
    free(g_pool.used);
    g_pool = (pool){ .mem = aligned_alloc(MMU_PAGE, pages * MMU_PAGE), .used = calloc(pages, 1),
                     .pages = pages, .limit = pages };
    *s = (mmu_space){ .use_1g = use_1g, .use_nx = use_nx, .take_table = pool_take,
                      .give_table = pool_give, .table_ptr = pool_ptr, .flush = pool_flush, .ctx = &g_pool };
    if (!mmu_init(s))
        abort();
}

static bool space_ok(const mmu_space *s)
{
    mmu_problem p;
    if (!mmu_check(s, &p)) {
        tap_diag("mmu_check: %s at 0x%llx level %d", p.what, (unsigned long long)p.va, p.level);
        return false;
    }
    if (g_pool.taken != s->tables || g_pool.bad_gives) {
        tap_diag("pool holds %llu pages, tree counts %llu, %llu bad gives", (unsigned long long)g_pool.taken,
                 (unsigned long long)s->tables, (unsigned long long)g_pool.bad_gives);
        return false;
    }
    return true;
}

static bool mapped_as(const mmu_space *s, uint64_t va, uint64_t pa, uint64_t size, unsigned prot)
{
    mmu_mapping m = mmu_query(s, va);
    uint64_t want_va = va & ~(size - 1);
    if (!m.present || m.size != size || m.va != want_va || m.pa != pa || m.prot != prot) {
        tap_diag("query 0x%llx: present %d va 0x%llx size 0x%llx pa 0x%llx prot %u", (unsigned long long)va,
                 m.present, (unsigned long long)m.va, (unsigned long long)m.size, (unsigned long long)m.pa, m.prot);
        return false;
    }
    return true;
}

#define GIB (1ull << 30)
#define TIB (1ull << 40)
#define RW  MMU_WRITE
#define RWX (MMU_WRITE | MMU_EXEC)

/* ---- fixed cases ---------------------------------------------------------------- */

static void test_sizes(void)
{
    mmu_space s;
    space_new(&s, true, true, 64);
    tap_ok(mmu_map(&s, 0, 0x5000, MMU_PAGE, RW) == MMU_OK && s.tables == 4 &&
               mapped_as(&s, 0, 0x5000, MMU_PAGE, RW) && space_ok(&s),
           "a 4 KiB page takes PML4, PDPT, PD and PT");
    tap_ok(mmu_unmap(&s, 0, MMU_PAGE) == MMU_OK && s.tables == 1 && !mmu_query(&s, 0).present && space_ok(&s),
           "unmapping it gives the three emptied tables back");
    tap_ok(mmu_map(&s, MMU_SIZE_2M, 4 * MMU_SIZE_2M, MMU_SIZE_2M, 0) == MMU_OK && s.tables == 3 &&
               mapped_as(&s, MMU_SIZE_2M + 123 * MMU_PAGE, 4 * MMU_SIZE_2M, MMU_SIZE_2M, 0) && space_ok(&s),
           "an aligned 2 MiB run is one 2 MiB page (read-only, no execute)");
    tap_ok(mmu_map(&s, 3 * GIB, 7 * GIB, GIB, RWX) == MMU_OK && s.tables == 3 &&
               mapped_as(&s, 3 * GIB + 5 * MMU_SIZE_2M, 7 * GIB, GIB, RWX) && space_ok(&s),
           "an aligned 1 GiB run is one 1 GiB page");
    tap_ok(mmu_map(&s, 5 * GIB, 7 * GIB + MMU_SIZE_2M, GIB, RW) == MMU_OK &&
               mapped_as(&s, 5 * GIB, 7 * GIB + MMU_SIZE_2M, MMU_SIZE_2M, RW) &&
               mapped_as(&s, 6 * GIB - 1, 8 * GIB, MMU_SIZE_2M, RW) && space_ok(&s),
           "a 1 GiB run whose physical address is only 2 MiB aligned gets 2 MiB pages");
    tap_ok(mmu_map(&s, 1, 0, MMU_PAGE, RW) == MMU_ERR_ALIGN && mmu_map(&s, 0, 1, MMU_PAGE, RW) == MMU_ERR_ALIGN &&
               mmu_unmap(&s, 0, 5) == MMU_ERR_ALIGN && mmu_map(&s, MMU_VA_LIMIT - MMU_PAGE, 0, 2 * MMU_PAGE, RW) == MMU_ERR_RANGE &&
               mmu_protect(&s, UINT64_MAX & ~(MMU_PAGE - 1), MMU_PAGE, RW) == MMU_ERR_RANGE &&
               mmu_map(&s, 0, MMU_PA_LIMIT - MMU_PAGE, 2 * MMU_PAGE, RW) == MMU_ERR_RANGE && space_ok(&s),
           "unaligned or out-of-range requests are refused and change nothing");
    mmu_destroy(&s);
    tap_ok(g_pool.taken == 0 && g_pool.bad_gives == 0, "mmu_destroy gives every table back");
}

static void test_split_merge(void)
{
    mmu_space s;
    space_new(&s, true, true, 64);
    mmu_map(&s, GIB, GIB, GIB, RW);
    uint64_t hole = GIB + 300 * MMU_SIZE_2M + 17 * MMU_PAGE;
    g_pool.structural = 0;
    tap_ok(mmu_unmap(&s, hole, MMU_PAGE) == MMU_OK && !mmu_query(&s, hole).present && s.tables == 4 &&
               mapped_as(&s, hole + MMU_PAGE, hole + MMU_PAGE, MMU_PAGE, RW) &&
               mapped_as(&s, GIB, GIB, MMU_SIZE_2M, RW) && g_pool.structural == 1 && space_ok(&s),
           "a 4 KiB hole splits the 1 GiB page into 2 MiB pages and one table of 4 KiB pages");
    tap_ok(mmu_map(&s, hole, hole, MMU_PAGE, RW) == MMU_OK && s.tables == 2 && mapped_as(&s, hole, GIB, GIB, RW) &&
               space_ok(&s),
           "filling the hole merges back into one 1 GiB page");
    tap_ok(mmu_protect(&s, hole, 3 * MMU_PAGE, 0) == MMU_OK && mapped_as(&s, hole + 2 * MMU_PAGE, hole + 2 * MMU_PAGE, MMU_PAGE, 0) &&
               mapped_as(&s, hole + 3 * MMU_PAGE, hole + 3 * MMU_PAGE, MMU_PAGE, RW) && s.tables == 4 && space_ok(&s),
           "protecting three pages read-only splits down to 4 KiB");
    tap_ok(mmu_protect(&s, hole, 3 * MMU_PAGE, RW) == MMU_OK && s.tables == 2 && mapped_as(&s, hole, GIB, GIB, RW) &&
               space_ok(&s),
           "protecting them back merges into one 1 GiB page");
    tap_ok(mmu_protect(&s, 5 * GIB, GIB, RW) == MMU_OK && !mmu_query(&s, 5 * GIB).present && s.tables == 2 && space_ok(&s),
           "protecting a hole leaves it a hole");
    mmu_destroy(&s);

    space_new(&s, false, true, 64);
    mmu_map(&s, 0, 0, 4 * MMU_SIZE_2M, RWX);
    tap_ok(s.tables == 3 && mapped_as(&s, 3 * MMU_SIZE_2M, 3 * MMU_SIZE_2M, MMU_SIZE_2M, RWX), "without use_1g 2 MiB pages");
    mmu_unmap(&s, 0, MMU_PAGE);
    mmu_protect(&s, MMU_SIZE_2M + 8 * MMU_PAGE, MMU_PAGE, MMU_EXEC);
    tap_ok(s.tables == 5 && !mmu_query(&s, 0).present && mapped_as(&s, MMU_PAGE, MMU_PAGE, MMU_PAGE, RWX) &&
               mapped_as(&s, MMU_SIZE_2M + 8 * MMU_PAGE, MMU_SIZE_2M + 8 * MMU_PAGE, MMU_PAGE, MMU_EXEC) && space_ok(&s),
           "page 0 unmapped and one page made read-execute: two 2 MiB pages split");
    mmu_destroy(&s);

    space_new(&s, true, false, 64);
    mmu_map(&s, 0, 0, GIB, RW);
    tap_ok(mapped_as(&s, 0, 0, GIB, RWX) && space_ok(&s), "without use_nx every page is executable and no NX bit is set");
    mmu_destroy(&s);
}

static void test_terabyte(void)
{
    mmu_space s;
    space_new(&s, true, true, 2048);
    tap_ok(mmu_map(&s, 0, 0, TIB, RW) == MMU_OK && s.tables == 3 && mapped_as(&s, TIB - 1, TIB - GIB, GIB, RW) &&
               mapped_as(&s, 512 * GIB, 512 * GIB, GIB, RW) && space_ok(&s),
           "1 TiB with 1 GiB pages: PML4 and two PDPTs");
    tap_ok(mmu_unmap(&s, 512 * GIB - MMU_PAGE, 2 * MMU_PAGE) == MMU_OK && s.tables == 7 &&
               !mmu_query(&s, 512 * GIB).present && !mmu_query(&s, 512 * GIB - MMU_PAGE).present &&
               mapped_as(&s, 512 * GIB + MMU_PAGE, 512 * GIB + MMU_PAGE, MMU_PAGE, RW) && space_ok(&s),
           "a hole across the 512 GiB boundary splits a 1 GiB page on each side");
    tap_ok(mmu_map(&s, 512 * GIB - MMU_PAGE, 512 * GIB - MMU_PAGE, 2 * MMU_PAGE, RW) == MMU_OK && s.tables == 3 && space_ok(&s),
           "filling it merges both sides back");
    tap_ok(mmu_unmap(&s, 0, TIB) == MMU_OK && s.tables == 1 && space_ok(&s), "unmapping 1 TiB frees both PDPTs");
    mmu_destroy(&s);

    space_new(&s, false, true, 2048);
    tap_ok(mmu_map(&s, 0, 0, TIB, RW) == MMU_OK && s.tables == 1 + 2 + 1024 &&
               mapped_as(&s, TIB - 1, TIB - MMU_SIZE_2M, MMU_SIZE_2M, RW) && space_ok(&s),
           "1 TiB with 2 MiB pages: 1024 page directories");
    tap_ok(mmu_protect(&s, 0, TIB, 0) == MMU_OK && mapped_as(&s, 700 * GIB, 700 * GIB, MMU_SIZE_2M, 0) &&
               s.tables == 1027 && space_ok(&s),
           "protecting 1 TiB re-protects every 2 MiB page in place");
    tap_ok(mmu_unmap(&s, MMU_PAGE, TIB - 2 * MMU_PAGE) == MMU_OK && s.tables == 1 + 2 + 2 + 2 &&
               mapped_as(&s, 0, 0, MMU_PAGE, 0) && mapped_as(&s, TIB - MMU_PAGE, TIB - MMU_PAGE, MMU_PAGE, 0) && space_ok(&s),
           "unmapping all but the first and last page keeps just their tables");
    mmu_destroy(&s);
}

static void test_nomem(void)
{
    mmu_space s;
    space_new(&s, true, true, 64);
    mmu_map(&s, 0, 0, GIB, RW);
    g_pool.limit = g_pool.taken + 1;      /* room for the PD, not the PT */
    mmu_status st = mmu_unmap(&s, 5 * MMU_PAGE, MMU_PAGE);
    tap_ok(st == MMU_ERR_NOMEM && space_ok(&s) && mmu_query(&s, GIB - 1).present,
           "a split that runs out of table pages reports it and leaves a consistent tree (%s)", mmu_status_text(st));
    g_pool.limit = 2;
    st = mmu_map(&s, 600 * GIB, 0, MMU_PAGE, RW);
    tap_ok(st == MMU_ERR_NOMEM && !mmu_query(&s, 600 * GIB).present && space_ok(&s),
           "a map that runs out gives back the tables it took");
    mmu_destroy(&s);
}

/* ---- random runs against a per-page model ------------------------------------------- */

#define WIN_BASE  (511 * GIB)
#define WIN_LEN   (2 * GIB)
#define WIN_PAGES (WIN_LEN / MMU_PAGE)

typedef struct model_page {
    uint64_t pa;      /* UINT64_MAX = unmapped */
    unsigned prot;
} model_page;

static model_page *g_model;
static uint64_t g_rng = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static bool model_compare(const mmu_space *s)
{
    for (uint64_t va = WIN_BASE; va < WIN_BASE + WIN_LEN;) {
        mmu_mapping m = mmu_query(s, va);
        uint64_t end = m.va + m.size < WIN_BASE + WIN_LEN ? m.va + m.size : WIN_BASE + WIN_LEN;
        for (uint64_t p = va; p < end; p += MMU_PAGE) {
            const model_page *mp = &g_model[(p - WIN_BASE) / MMU_PAGE];
            bool ok = m.present ? mp->pa == m.pa + (p - m.va) && mp->prot == m.prot : mp->pa == UINT64_MAX;
            if (!ok) {
                tap_diag("page 0x%llx: tables say %s pa 0x%llx prot %u, model pa 0x%llx prot %u",
                         (unsigned long long)p, m.present ? "mapped" : "unmapped",
                         (unsigned long long)(m.pa + (p - m.va)), m.prot, (unsigned long long)mp->pa, mp->prot);
                return false;
            }
        }
        va = end;
    }
    return true;
}

static bool random_run(bool use_1g, int ops)
{
    mmu_space s;
    space_new(&s, use_1g, true, 4096);
    for (uint64_t i = 0; i < WIN_PAGES; i++)
        g_model[i] = (model_page){ UINT64_MAX, 0 };
    static const uint64_t grains[] = { MMU_PAGE, MMU_SIZE_2M, GIB };
    for (int n = 0; n < ops; n++) {
        uint64_t g = grains[rnd() % 3];
        uint64_t start = WIN_BASE + (rnd() % (WIN_LEN / g)) * g;
        uint64_t max = (WIN_BASE + WIN_LEN - start) / g, len = (1 + rnd() % (max < 4 ? max : 4)) * g;
        if (rnd() % 4 == 0) /* a small odd piece at either end */
            start += (rnd() % 8) * MMU_PAGE, len = len > 16 * MMU_PAGE ? len - 16 * MMU_PAGE : len;
        unsigned prot = (unsigned)(rnd() % 4);
        int kind = (int)(rnd() % 3);
        /* identity-like physical addresses merge; odd offsets exercise split-only runs */
        uint64_t pa = rnd() % 2 ? start : start + (rnd() % 64) * MMU_PAGE + 64 * GIB;
        mmu_status st = kind == 0 ? mmu_map(&s, start, pa, len, prot)
                        : kind == 1 ? mmu_unmap(&s, start, len) : mmu_protect(&s, start, len, prot);
        if (st != MMU_OK) {
            tap_diag("op %d kind %d at 0x%llx len 0x%llx: %s", n, kind, (unsigned long long)start,
                     (unsigned long long)len, mmu_status_text(st));
            return false;
        }
        for (uint64_t p = start; p < start + len; p += MMU_PAGE) {
            model_page *mp = &g_model[(p - WIN_BASE) / MMU_PAGE];
            if (kind == 0)
                *mp = (model_page){ pa + (p - start), prot };
            else if (kind == 1)
                mp->pa = UINT64_MAX;
            else if (mp->pa != UINT64_MAX)
                mp->prot = prot;
        }
        if (!space_ok(&s) || ((n % 8 == 7 || n == ops - 1) && !model_compare(&s))) {
            tap_diag("after op %d (kind %d at 0x%llx len 0x%llx)", n, kind, (unsigned long long)start,
                     (unsigned long long)len);
            return false;
        }
    }
    mmu_unmap(&s, 0, MMU_VA_LIMIT);
    bool empty = s.tables == 1 && space_ok(&s);
    mmu_destroy(&s);
    return empty;
}

int main(void)
{
    tap_plan(26);
    test_sizes();
    test_split_merge();
    test_terabyte();
    test_nomem();
    g_model = malloc(WIN_PAGES * sizeof *g_model);
    tap_ok(random_run(true, 400), "400 random map/unmap/protect calls with 1 GiB pages match the per-page model");
    tap_ok(random_run(false, 400), "400 random calls with 2 MiB pages at most match the per-page model");
    free(g_model);
    free(g_pool.mem);
    free(g_pool.used);
    return tap_failed ? 1 : 0;
}

/*
 * bench_bounded.c - calls whose cost must not grow with the heap: the PMM's
 * run allocation over fragmented memory and the kernel heap giving an
 * arena back. Each measured call is wrapped in callgrind collection
 * toggles and followed by a dump named after its case, so under
 *   valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes
 * every dump is one call (tools/bench-bounded.sh groups them by name and
 * prints the mean and the largest per case). Run plainly it only checks
 * that every case placed what it should and that the checks stay clean.
 *
 * Cases (fake maps: the PMM never touches the pages it manages, so the
 * addresses need not exist; the metadata is a real buffer):
 *   holes-H       a 4 GiB map, all allocated, then H single-page holes
 *                 (every other page from the bottom, freed one page at a
 *                 time) and a 64-page free run above them:
 *                 pmm_alloc_pages(2) must return that run's start. The
 *                 first call also re-summarises the blocks the H frees
 *                 marked (holes-H-first); 100 more calls (each run freed
 *                 again, unmeasured) are holes-H.
 *   fail-H        the same map with the 64-page run taken: 100 calls of
 *                 pmm_alloc_pages(2) that must fail.
 *   frag-H        a 4 GiB map, all allocated, the lowest 4H pages freed
 *                 one at a time where splitmix64 (state 0x4652414700000000
 *                 + H) says so (about H free fragments of 1..20 pages),
 *                 and a free run of 1..1024 pages in each 256th of the
 *                 rest. One measured pmm_alloc_pages(2) re-summarises
 *                 the blocks those frees marked (frag-H-first); then 1,000
 *                 steps: 4 single-page allocations or frees (unmeasured),
 *                 one measured pmm_alloc_pages(2 + next() % 511), and every
 *                 other step a held run freed (unmeasured).
 *   arena-A       a kernel heap on real memory grown to A arenas (the 1 MiB
 *                 initial one plus A - 1 grown ones, four 250 KiB blocks
 *                 each); all blocks but one per arena freed (unmeasured),
 *                 then the last block of up to 32 of the oldest arenas
 *                 (the end of the arena list) kfree'd: each gives its
 *                 arena back (kh_arena_release).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_trace.h"
#include "nanokernel/nk_memory.h"

#if __has_include(<valgrind/callgrind.h>)
#define BB_DUMP(name) CALLGRIND_DUMP_STATS_AT(name)
#else
#define BB_DUMP(name)
#endif

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

/* One measured call, dumped under `name`. */
#define MEASURE(name, expr)          \
    do {                             \
        CALLGRIND_TOGGLE_COLLECT;    \
        expr;                        \
        CALLGRIND_TOGGLE_COLLECT;    \
        BB_DUMP(name);               \
    } while (0)

static void *meta;
static bool ok = true;

static void fail(const char *what)
{
    printf("bench_bounded: %s\n", what);
    ok = false;
}

static void init_fake(uint64_t base, uint64_t bytes)
{
    nk_region r = { base, bytes };
    size_t need = pmm_metadata_bytes(&r, 1);
    free(meta);
    meta = aligned_alloc(64, (need + 63) & ~(size_t)63);
    pmm_reset();
    if (!meta || !pmm_init_regions_with_metadata(&r, 1, meta, need)) {
        fail("map refused");
        exit(1);
    }
}

static void case_holes(unsigned holes)
{
    char name[32], first[40], none[32];
    snprintf(name, sizeof name, "holes-%u", holes);
    snprintf(first, sizeof first, "holes-%u-first", holes);
    snprintf(none, sizeof none, "fail-%u", holes);
    uint64_t base = 4 * GiB;
    init_fake(base, 4 * GiB);
    uintptr_t all = pmm_alloc_pages(1u << 20, 1);
    if (all != base)
        fail("could not take the whole map");
    for (unsigned k = 0; k < holes; k++)
        pmm_free_page(base + (2ull * k + 1) * PMM_PAGE_SIZE);
    uintptr_t target = base + (2ull * holes + 64) * PMM_PAGE_SIZE;
    pmm_free_pages(target, 64);
    uintptr_t got = 0;
    MEASURE(first, got = pmm_alloc_pages(2, 1));
    if (got != target)
        fail("holes: the first fit was missed");
    pmm_free_pages(got, 2);
    for (int i = 0; i < 100; i++) {
        MEASURE(name, got = pmm_alloc_pages(2, 1));
        if (got != target)
            fail("holes: the first fit was missed");
        pmm_free_pages(got, 2);
    }
    if (pmm_alloc_pages(64, 1) != target)
        fail("holes: the 64-page run is not where it was put");
    for (int i = 0; i < 100; i++) {
        MEASURE(none, got = pmm_alloc_pages(2, 1));
        if (got)
            fail("holes: a request that cannot fit succeeded");
    }
    if (pmm_check())
        fail(pmm_check());
}

static void case_frag(unsigned frags)
{
    char name[32];
    snprintf(name, sizeof name, "frag-%u", frags);
    uint64_t base = 4 * GiB, pages = 1u << 20;
    init_fake(base, 4 * GiB);
    if (pmm_alloc_pages((size_t)pages, 1) != base)
        fail("could not take the whole map");
    uint64_t st = 0x4652414700000000ull + frags;
    for (uint64_t p = 0; p < 4ull * frags; p++)
        if (sm64_next(&st) & 1)
            pmm_free_page(base + p * PMM_PAGE_SIZE);
    uint64_t slice = (pages - 4ull * frags) / 256;
    for (int i = 0; i < 256; i++) { /* one run in each 256th of the rest */
        uint64_t n = 1 + sm64_next(&st) % 1024;
        uint64_t at = 4ull * frags + i * slice + 1 + sm64_next(&st) % (slice - n - 1);
        pmm_free_pages(base + at * PMM_PAGE_SIZE, (size_t)n);
    }
    char first[40];
    snprintf(first, sizeof first, "frag-%u-first", frags);
    uintptr_t got0 = 0;
    MEASURE(first, got0 = pmm_alloc_pages(2, 1));
    if (!got0)
        fail("frag: no room for a first run of 2");
    pmm_free_pages(got0, 2);
    enum { HELD = 4096 };
    static uintptr_t single[HELD], run[HELD];
    static size_t run_n[HELD];
    size_t ns = 0, nr = 0;
    long fails = 0;
    for (int step = 0; step < 1000; step++) {
        for (int k = 0; k < 4; k++) {
            if ((sm64_next(&st) & 1) && ns) {
                size_t j = (size_t)(sm64_next(&st) % ns);
                pmm_free_page(single[j]);
                single[j] = single[--ns];
            } else if (ns < HELD) {
                uintptr_t p = pmm_alloc_page();
                if (p)
                    single[ns++] = p;
            }
        }
        size_t n = 2 + (size_t)(sm64_next(&st) % 511);
        uintptr_t got = 0;
        MEASURE(name, got = pmm_alloc_pages(n, 1));
        if (got && nr < HELD) {
            run[nr] = got;
            run_n[nr++] = n;
        } else if (got) {
            pmm_free_pages(got, n);
        } else {
            fails++;
        }
        if ((step & 1) && nr) {
            size_t j = (size_t)(sm64_next(&st) % nr);
            pmm_free_pages(run[j], run_n[j]);
            run[j] = run[--nr];
            run_n[j] = run_n[nr];
        }
    }
    if (fails)
        printf("bench_bounded: %s: %ld of 1000 runs found no room\n", name, fails);
    if (pmm_check())
        fail(pmm_check());
}

static void case_arenas(unsigned arenas)
{
    char name[32];
    snprintf(name, sizeof name, "arena-%u", arenas);
    uint64_t bytes = (arenas + 8ull) * MiB;
    uint8_t *ram = aligned_alloc(4096, bytes);
    if (!ram) {
        fail("no memory for the arena case");
        return;
    }
    pmm_reset();
    if (!pmm_init(bytes, (uintptr_t)ram)) {
        fail("pmm_init refused");
        free(ram);
        return;
    }
    uintptr_t h = pmm_alloc_pages(256, 1);
    kheap_init(h, h + MiB);
    size_t cap = 4 * (size_t)arenas + 8, n = 0;
    void **blk = calloc(cap, sizeof *blk);
    kheap_stats s;
    for (kheap_get_stats(&s); n < cap; kheap_get_stats(&s)) {
        void *p = kmalloc(250 * 1024);
        if (!p)
            break;
        kheap_get_stats(&s);
        if (s.arenas > arenas) {
            kfree(p);
            break;
        }
        blk[n++] = p;
    }
    kheap_get_stats(&s);
    if (s.arenas != arenas)
        fail("arena case: wrong number of arenas");
    /* keep each arena's last block; an arena is known by its PMM claim (the
     * first arena, kheap_init's region, by its range) */
    const void **owner = calloc(arenas, sizeof *owner);
    void **last = calloc(arenas, sizeof *last);
    size_t seen = 1;
    owner[0] = (const void *)h;
    for (size_t i = 0; i < n; i++) {
        uintptr_t p = (uintptr_t)blk[i];
        const void *o = p >= h && p < h + MiB ? (const void *)h : (const void *)pmm_claim_of(p & ~(uintptr_t)4095, 1);
        size_t a = 0;
        while (a < seen && owner[a] != o)
            a++;
        if (o == NULL || (a == seen && seen == arenas)) {
            fail("arena case: a block outside the arenas");
            break;
        }
        if (a == seen)
            owner[seen++] = o;
        if (last[a])
            kfree(last[a]);
        last[a] = blk[i];
    }
    unsigned measured = 0;
    for (size_t a = 1; a < arenas && measured < 32; a++, measured++) {
        size_t before = (kheap_get_stats(&s), s.arenas);
        MEASURE(name, kfree(last[a]));
        last[a] = NULL;
        kheap_get_stats(&s);
        if (s.arenas != before - 1)
            fail("arena case: the kfree gave no arena back");
    }
    for (size_t a = 0; a < arenas; a++)
        kfree(last[a]);
    if (kheap_check() || pmm_check())
        fail("arena case: a check failed");
    kheap_get_stats(&s);
    if (s.arenas != 1)
        fail("arena case: arenas left over");
    free(last);
    free(owner);
    free(blk);
    pmm_reset();
    free(ram);
}

int main(int argc, char **argv)
{
    (void)bench_percall_steps; /* bench_trace.h's prefix sampling is not used here */
    const char *only = argc > 1 ? argv[1] : ""; /* holes, frag or arena: that case alone */
    unsigned sizes[] = { 1000, 10000, 100000 };
    for (int i = 0; i < 3 && (!*only || !strcmp(only, "holes")); i++)
        case_holes(sizes[i]);
    for (int i = 0; i < 3 && (!*only || !strcmp(only, "frag")); i++)
        case_frag(sizes[i]);
    unsigned arenas[] = { 17, 129, 1025 };
    for (int i = 0; i < 3 && (!*only || !strcmp(only, "arena")); i++)
        case_arenas(arenas[i]);
    printf("bench_bounded: %s\n", ok ? "every case placed as expected, checks clean" : "FAILED");
    free(meta);
    return ok ? 0 : 1;
}

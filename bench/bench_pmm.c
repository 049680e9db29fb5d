/*
 * bench_pmm.c - trace PMM-1M-v1 on the page manager, plain and in the
 * 1 TiB 99%-full stress variant.
 *
 *   bench_pmm [plain|stress|both] [percall N | top K]
 *
 * Plain: a fake 1 GiB map (the PMM never touches managed pages, so the
 * addresses need not exist; the metadata is a real buffer). 65,536 slots,
 * 1M steps of s = next() % 65536: allocate a page if the slot is empty,
 * else free it; must be 516,277 allocations and 483,723 frees.
 * Stress: a fake 1 TiB map; first the lowest 99% of its pages are
 * allocated (as 1 GiB runs, not counted), then the same trace runs while
 * every 100th step also frees one random prefilled page, chosen by a
 * second splitmix64 stream (state 0x5354524553530000) as next() % prefill;
 * a page already freed that way is skipped (counted as "repeat").
 * Counted calls go through trace_alloc_page / trace_free_page (callgrind
 * --toggle-collect targets; each adds one jmp).
 *
 * Largest call over the whole trace ("top K", under callgrind with
 * --collect-atstart=no --combine-dumps=yes): the trace runs twice in one
 * process. The first pass times every call with the time-stamp counter
 * (under callgrind a call's time follows its instruction count); the
 * second, identical pass measures the K slowest calls of the first one by
 * one, each followed by a dump, so the largest dump is the largest call
 * unless a call below the K-th slowest in time outweighs it in
 * instructions. "percall N" measures the first N steps' calls instead.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <x86intrin.h>

#include "bench_trace.h"
#include "nanokernel/nk_memory.h"

/* "top K": pass 1 times each call, pass 2 measures those at or above
 * `top_cut` cycles; calls are numbered in trace order. */
static int top_pass;
static uint32_t *top_cycles, top_cut;
static long top_call;

#define PM_CALL(step, expr)                                                  \
    do {                                                                     \
        if (top_pass == 1) {                                                 \
            uint64_t t0_ = __rdtsc();                                        \
            expr;                                                            \
            uint64_t dt_ = __rdtsc() - t0_;                                  \
            top_cycles[top_call++] = dt_ > UINT32_MAX ? UINT32_MAX : (uint32_t)dt_; \
        } else if (top_pass == 2) {                                          \
            if (top_cycles[top_call++] >= top_cut) {                         \
                BENCH_COUNT_ALONE(expr);                                     \
            } else {                                                         \
                expr;                                                        \
            }                                                                \
        } else {                                                             \
            BENCH_CALL(step, expr);                                          \
        }                                                                    \
    } while (0)

#define SLOTS 65536
#define STEPS 1000000

[[gnu::noinline]] uintptr_t trace_alloc_page(void) { return pmm_alloc_page(); }
[[gnu::noinline]] void trace_free_page(uintptr_t p) { pmm_free_page(p); }

static void init_map(uint64_t bytes)
{
    nk_region r = { 1ull << 32, bytes };
    size_t need = pmm_metadata_bytes(&r, 1);
    void *meta = aligned_alloc(64, (need + 63) & ~(size_t)63);
    if (!meta || !pmm_init_regions_with_metadata(&r, 1, meta, need))
        exit(1);
}

static bool run(bool stress)
{
    static uintptr_t slot[SLOTS];
    static uint8_t *freed;
    uint64_t st = 0x504D4D314D000000ull, st2 = 0x5354524553530000ull;
    uint64_t prefill = 0, extra = 0, repeat = 0;
    long allocs = 0, frees = 0;
    memset(slot, 0, sizeof slot);
    if (stress) {
        init_map(1ull << 40);
        prefill = pmm_total_pages() / 100 * 99;
        for (uint64_t done = 0; done < prefill;) {
            uint64_t n = prefill - done < (1u << 18) ? prefill - done : (1u << 18);
            if (!pmm_alloc_pages((size_t)n, 1))
                return false;
            done += n;
        }
        freed = calloc(prefill / 8 + 1, 1);
    } else {
        init_map(1ull << 30);
    }
    uint64_t t0 = now_ns();
    for (long i = 0; i < STEPS; i++) {
        uint32_t s = (uint32_t)(sm64_next(&st) % SLOTS);
        if (!slot[s]) {
            PM_CALL(i, slot[s] = trace_alloc_page());
            if (!slot[s])
                return false;
            allocs++;
        } else {
            PM_CALL(i, trace_free_page(slot[s]));
            slot[s] = 0;
            frees++;
        }
        if (stress && i % 100 == 99) {
            uint64_t k = sm64_next(&st2) % prefill;
            if (freed[k / 8] & (1u << (k % 8))) {
                repeat++;
                continue;
            }
            freed[k / 8] |= (uint8_t)(1u << (k % 8));
            PM_CALL(i, trace_free_page((uintptr_t)((1ull << 32) + k * PMM_PAGE_SIZE)));
            extra++;
        }
    }
    uint64_t ns = now_ns() - t0;
    const char *why = pmm_check();
    bool ok = allocs == 516277 && frees == 483723 && why == NULL;
    pmm_stats ps;
    pmm_get_stats(&ps);
    printf("pmm-%s allocs %ld frees %ld extra-frees %lu (repeats %lu) ns/op %.1f metadata %.4f bits/page "
           "levels %u check %s: %s\n",
           stress ? "stress" : "plain", allocs, frees, (unsigned long)extra, (unsigned long)repeat,
           (double)ns / (STEPS + extra), ps.metadata_bytes * 8.0 / ps.total_pages, ps.levels,
           why ? why : "clean", ok ? "trace OK" : "TRACE MISMATCH");
    free(freed);
    freed = NULL;
    return ok;
}

static int cmp_desc(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Both passes of "top K" over one mode. */
static bool run_top(bool stress, long k)
{
    enum { MAX_CALLS = STEPS + STEPS / 100 };
    top_cycles = calloc(MAX_CALLS, sizeof *top_cycles);
    uint32_t *sorted = malloc(MAX_CALLS * sizeof *sorted);
    if (!top_cycles || !sorted || k < 1)
        return false;
    top_pass = 1;
    top_call = 0;
    bool ok = run(stress);
    long calls = top_call;
    memcpy(sorted, top_cycles, (size_t)calls * sizeof *sorted);
    qsort(sorted, (size_t)calls, sizeof *sorted, cmp_desc);
    top_cut = sorted[(k < calls ? k : calls) - 1];
    top_pass = 2;
    top_call = 0;
    ok &= run(stress);
    top_pass = 0;
    free(sorted);
    free(top_cycles);
    top_cycles = NULL;
    return ok;
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "both";
    long top = 0;
    if (argc > 3 && !strcmp(argv[2], "percall"))
        bench_percall_steps = atol(argv[3]);
    if (argc > 3 && !strcmp(argv[2], "top"))
        top = atol(argv[3]);
    bool ok = true;
    if (strcmp(which, "stress"))
        ok &= top ? run_top(false, top) : run(false);
    if (strcmp(which, "plain"))
        ok &= top ? run_top(true, top) : run(true);
    return ok ? 0 : 1;
}

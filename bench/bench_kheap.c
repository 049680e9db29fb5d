/*
 * bench_kheap.c - trace KHEAP-1M-v1 on the kernel heap and on glibc malloc.
 *
 *   bench_kheap                 both allocators, plain run: verifies the
 *                               trace (counts, peaks, checksum; exit 1 on a
 *                               mismatch), prints ns/op and footprint
 *   bench_kheap kheap|glibc     one allocator (for callgrind --toggle-collect
 *                               on trace_kmalloc/trace_kfree/trace_malloc/
 *                               trace_free; each adds one jmp to the count)
 *   bench_kheap kheap|glibc percall N   per-call samples of the first N steps
 *
 * The heap: the PMM manages a 256 MiB buffer; kheap_init gets a 64 MiB run
 * of it, so the trace measures the allocator, not growth. Footprint is the
 * high-water mark of the heap's touched extent (end of the highest block
 * ever handed out, minus the arena start); for glibc it is the high-water
 * mark of sbrk(0) (every request is below the mmap threshold).
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_trace.h"
#include "nanokernel/nk_memory.h"

#define SLOTS 8192
#define STEPS 1000000

typedef struct trace_result {
    long allocs, frees, peak_objs;
    uint64_t live, peak_live, fnv, ns, foot;
    bool tag_ok;
} trace_result;

[[gnu::noinline]] void *trace_kmalloc(size_t n) { return kmalloc(n); }
[[gnu::noinline]] void trace_kfree(void *p) { kfree(p); }
[[gnu::noinline]] void *trace_malloc(size_t n) { return malloc(n); }
[[gnu::noinline]] void trace_free(void *p) { free(p); }

static uintptr_t arena_lo;
static uintptr_t foot_hwm;

static void note_kheap(void *p)
{
    uintptr_t end = (uintptr_t)p + kmalloc_usable_size(p);
    if (end > foot_hwm)
        foot_hwm = end;
}

static void note_glibc(void *p)
{
    (void)p;
    uintptr_t end = (uintptr_t)sbrk(0);
    if (end > foot_hwm)
        foot_hwm = end;
}

static trace_result run(bool kheap)
{
    static uint8_t *slot[SLOTS];
    static uint32_t size[SLOTS];
    trace_result r = { .fnv = 0xcbf29ce484222325ull, .tag_ok = true };
    uint64_t st = 0x4B48454150314D00ull;
    long objs = 0;
    memset(slot, 0, sizeof slot);
    foot_hwm = kheap ? arena_lo : (uintptr_t)sbrk(0);
    uintptr_t base = foot_hwm;
    uint64_t t0 = now_ns();
    for (long i = 0; i < STEPS; i++) {
        uint32_t s = (uint32_t)(sm64_next(&st) % SLOTS);
        if (!slot[s]) {
            uint32_t n = (uint32_t)(16 + sm64_next(&st) % 4081);
            uint8_t *p;
            BENCH_CALL(i, p = kheap ? trace_kmalloc(n) : trace_malloc(n));
            if (!p) {
                fprintf(stderr, "allocation failed at step %ld\n", i);
                exit(1);
            }
            uint64_t tag = ((uint64_t)s << 32) | n;
            memcpy(p, &tag, 8);
            p[n - 1] = (uint8_t)s;
            slot[s] = p;
            size[s] = n;
            r.allocs++;
            r.live += n;
            if (r.live > r.peak_live)
                r.peak_live = r.live;
            if (++objs > r.peak_objs)
                r.peak_objs = objs;
            kheap ? note_kheap(p) : note_glibc(p);
            r.fnv = fnv1a_u32(fnv1a_u32(r.fnv, s), n);
        } else {
            uint64_t tag;
            memcpy(&tag, slot[s], 8);
            r.tag_ok &= tag == (((uint64_t)s << 32) | size[s]) && slot[s][size[s] - 1] == (uint8_t)s;
            BENCH_CALL(i, kheap ? trace_kfree(slot[s]) : trace_free(slot[s]));
            slot[s] = NULL;
            r.frees++;
            r.live -= size[s];
            objs--;
            r.fnv = fnv1a_u32(fnv1a_u32(r.fnv, s), 0);
        }
    }
    r.ns = now_ns() - t0;
    for (int s = 0; s < SLOTS; s++)
        if (slot[s])
            kheap ? kfree(slot[s]) : free(slot[s]);
    r.foot = foot_hwm - base;
    return r;
}

static bool verify(const char *who, const trace_result *r)
{
    bool ok = r->allocs == 502027 && r->frees == 497973 && r->peak_objs == 4241 &&
              r->fnv == 0x42806cd2f34516f5ull && r->tag_ok;
    printf("%-6s allocs %ld frees %ld peak %ld objects / %.2f MiB live, fnv %016llx, tags %s: %s\n",
           who, r->allocs, r->frees, r->peak_objs, r->peak_live / 1048576.0,
           (unsigned long long)r->fnv, r->tag_ok ? "ok" : "BAD", ok ? "trace OK" : "TRACE MISMATCH");
    return ok;
}

static void setup_kheap(void)
{
    size_t len = 256u << 20;
    void *ram = aligned_alloc(4096, len);
    if (!ram || !pmm_init(len, (uintptr_t)ram))
        exit(1);
    arena_lo = pmm_alloc_pages(64u << 8, 1);
    kheap_init(arena_lo, arena_lo + (64u << 20));
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    if (argc > 3 && !strcmp(argv[2], "percall"))
        bench_percall_steps = atol(argv[3]);
    bool ok = true;
    if (!only || !strcmp(only, "kheap")) {
        setup_kheap();
        trace_result r = run(true);
        ok &= verify("kheap", &r);
        const char *why = kheap_check();
        ok &= why == NULL;
        printf("kheap  ns/op %.1f  footprint %.2f MiB  footprint/live %.4f  check %s\n",
               (double)r.ns / STEPS, r.foot / 1048576.0, (double)r.foot / r.peak_live,
               why ? why : "clean");
    }
    if (!only || !strcmp(only, "glibc")) {
        trace_result r = run(false);
        ok &= verify("glibc", &r);
        printf("glibc  ns/op %.1f  footprint %.2f MiB  footprint/live %.4f\n", (double)r.ns / STEPS,
               r.foot / 1048576.0, (double)r.foot / r.peak_live);
    }
    return ok ? 0 : 1;
}

/*
 * bench_kheap.c - traces KHEAP-1M-v1 and KHEAP-SMALL-v1 on one allocator
 * per process: the kernel heap, or a reference (glibc malloc in this
 * program; jemalloc and mimalloc in the same source built with
 * BENCH_REF_JEMALLOC / BENCH_REF_MIMALLOC and linked against the library,
 * see the Makefile's bench rules).
 *
 *   bench_kheap ALLOC TRACE            plain run: verifies the trace
 *                                      (counts, peaks, checksum; exit 1 on
 *                                      a mismatch), prints ns/op and the
 *                                      footprint
 *   bench_kheap ALLOC TRACE slow K     native run: timestamps every call and
 *                                      prints the step numbers of the K
 *                                      slowest, and of every call that took
 *                                      pages from the PMM or gave some back
 *   bench_kheap ALLOC TRACE steps FILE under callgrind --collect-atstart=no:
 *                                      one dump per call of the steps listed
 *                                      in FILE (its instruction count)
 * ALLOC is kheap or glibc (jemalloc / mimalloc in their builds); TRACE is
 * 1m or small. For the means, run under callgrind --toggle-collect on
 * trace_kmalloc / trace_kfree (the kernel heap) or trace_malloc /
 * trace_free (the reference); each adds one jmp to every call.
 *
 * The traces: a splitmix64 generator picks a slot; an empty slot gets an
 * allocation of a size from the generator, a full one is freed. KHEAP-1M-v1
 * has 8,192 slots and sizes 16 + next % 4081 from state 0x4B48454150314D00;
 * KHEAP-SMALL-v1 has 32,768 slots and sizes 16 + next % 241 from state
 * 0x4B48454150534D00. Both run 1,000,000 steps; the counts, peaks and the
 * FNV-1a-64 over (slot, size or 0) per step are checked against the values
 * the traces are defined with.
 *
 * The kernel heap runs as it boots: the PMM manages a 256 MiB buffer, the
 * first arena is a 1 MiB run taken from it (CONFIG_KHEAP_FIRST_ARENA, as
 * boot.c does) and the heap grows from the PMM. Footprint is the most
 * pages the heap held from the PMM at once (first arena included) over
 * the trace's peak live bytes. For glibc it is the high-water mark of
 * sbrk(0) (every request is below the mmap threshold); for jemalloc and
 * mimalloc, which map their memory, the growth of the peak resident set
 * (VmHWM after the trace over VmRSS before it, the peak reset first).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <x86intrin.h>

#include "bench_trace.h"
#include "nanokernel/nk_memory.h"

#if defined(BENCH_REF_JEMALLOC)
#include <jemalloc/jemalloc.h>
#define REF_NAME "jemalloc"
#elif defined(BENCH_REF_MIMALLOC)
#include <mimalloc.h>
#define REF_NAME "mimalloc"
#else
#define REF_NAME "glibc"
#endif

#define STEPS   1000000
#define MAX_SLOTS 32768

typedef struct trace_def {
    const char *name;
    uint64_t seed;
    uint32_t slots, size_mod;
    long allocs, frees, peak_objs;
    uint64_t peak_live; /* 0: not part of the definition */
    uint64_t fnv;
} trace_def;

static const trace_def traces[] = {
    { "KHEAP-1M-v1", 0x4B48454150314D00ull, 8192, 4081, 502027, 497973, 4241, 0, 0x42806cd2f34516f5ull },
    { "KHEAP-SMALL-v1", 0x4B48454150534D00ull, 32768, 241, 508181, 491819, 16635, 2272821,
      0x0514f14261c65799ull },
};

typedef struct trace_result {
    long allocs, frees, peak_objs;
    uint64_t live, peak_live, fnv, ns, foot;
    bool tag_ok;
} trace_result;

static bool use_kheap;

/* The counted wrappers: trace_kmalloc / trace_kfree for the kernel heap,
 * trace_malloc / trace_free for the reference. */
[[gnu::noinline]] void *trace_kmalloc(size_t n) { return kmalloc(n); }
[[gnu::noinline]] void trace_kfree(void *p) { kfree(p); }
#if defined(BENCH_REF_MIMALLOC)
[[gnu::noinline]] void *trace_malloc(size_t n) { return mi_malloc(n); }
[[gnu::noinline]] void trace_free(void *p) { mi_free(p); }
#else
[[gnu::noinline]] void *trace_malloc(size_t n) { return malloc(n); }
[[gnu::noinline]] void trace_free(void *p) { free(p); }
#endif

/* ---- footprint ------------------------------------------------------------ */

static uint64_t pages_before;  /* PMM free pages before the first arena */
static uint64_t pmm_low;       /* fewest free PMM pages seen */
static uintptr_t brk_base, brk_hwm;

static void note_alloc(void)
{
    if (use_kheap) {
        uint64_t f = pmm_free_page_count();
        if (f < pmm_low)
            pmm_low = f;
    } else {
        uintptr_t end = (uintptr_t)sbrk(0);
        if (end > brk_hwm)
            brk_hwm = end;
    }
}

/* A "VmXXX:" line of /proc/self/status in bytes, 0 if unreadable. */
static uint64_t proc_status_kib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    uint64_t v = 0;
    size_t kl = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl))
            v = strtoull(line + kl, NULL, 10) * 1024;
    if (f)
        fclose(f);
    return v;
}

static void reset_peak_rss(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);
    if (fd >= 0) {
        if (write(fd, "5", 1) != 1)
            perror("clear_refs");
        close(fd);
    }
}

/* ---- the trace -------------------------------------------------------------- */

/* Step numbers to sample one call each (sorted), or the native timing. */
static long *sample_steps;
static long nsample, sample_at;
static uint64_t *step_cycles; /* per step, in slow mode */
static bool *step_pmm;        /* the call changed the PMM's free count */

static void *slot[MAX_SLOTS];
static uint32_t size_of[MAX_SLOTS];

#define CALL(step, expr)                                                                 \
    do {                                                                                 \
        if (step_cycles) {                                                               \
            uint64_t f0 = use_kheap ? pmm_free_page_count() : 0;                         \
            _mm_lfence();                                                                \
            uint64_t c0 = __rdtsc();                                                     \
            expr;                                                                        \
            _mm_lfence();                                                                \
            step_cycles[step] = __rdtsc() - c0;                                          \
            step_pmm[step] = use_kheap && pmm_free_page_count() != f0;                   \
        } else if (sample_at < nsample && sample_steps[sample_at] == (step)) {           \
            sample_at++;                                                                 \
            BENCH_COUNT_ALONE(expr);                                                     \
        } else {                                                                         \
            expr;                                                                        \
        }                                                                                \
    } while (0)

static trace_result run(const trace_def *t)
{
    trace_result r = { .fnv = 0xcbf29ce484222325ull, .tag_ok = true };
    uint64_t st = t->seed;
    long objs = 0;
    memset(slot, 0, sizeof slot);
    memset(size_of, 0, sizeof size_of);
    brk_base = brk_hwm = (uintptr_t)sbrk(0);
    pmm_low = use_kheap ? pmm_free_page_count() : 0;
    reset_peak_rss();
    uint64_t rss0 = proc_status_kib("VmRSS:");
    uint64_t t0 = now_ns();
    for (long i = 0; i < STEPS; i++) {
        uint32_t s = (uint32_t)(sm64_next(&st) % t->slots);
        if (!slot[s]) {
            uint32_t n = (uint32_t)(16 + sm64_next(&st) % t->size_mod);
            uint8_t *p;
            CALL(i, p = use_kheap ? trace_kmalloc(n) : trace_malloc(n));
            if (!p) {
                fprintf(stderr, "allocation failed at step %ld\n", i);
                exit(1);
            }
            uint64_t tag = ((uint64_t)s << 32) | n;
            memcpy(p, &tag, 8);
            p[n - 1] = (uint8_t)s;
            slot[s] = p;
            size_of[s] = n;
            r.allocs++;
            r.live += n;
            if (r.live > r.peak_live)
                r.peak_live = r.live;
            if (++objs > r.peak_objs)
                r.peak_objs = objs;
            note_alloc();
            r.fnv = fnv1a_u32(fnv1a_u32(r.fnv, s), n);
        } else {
            uint64_t tag;
            uint8_t *p = slot[s];
            memcpy(&tag, p, 8);
            r.tag_ok &= tag == (((uint64_t)s << 32) | size_of[s]) && p[size_of[s] - 1] == (uint8_t)s;
            CALL(i, use_kheap ? trace_kfree(p) : trace_free(p));
            slot[s] = NULL;
            r.frees++;
            r.live -= size_of[s];
            objs--;
            r.fnv = fnv1a_u32(fnv1a_u32(r.fnv, s), 0);
        }
    }
    r.ns = now_ns() - t0;
    if (use_kheap)
        r.foot = (pages_before - pmm_low) * 4096;
    else if (!strcmp(REF_NAME, "glibc"))
        r.foot = brk_hwm - brk_base;
    else
        r.foot = proc_status_kib("VmHWM:") - rss0;
    for (uint32_t s = 0; s < t->slots; s++)
        if (slot[s])
            use_kheap ? kfree(slot[s]) : free(slot[s]);
    return r;
}

static bool verify(const char *who, const trace_def *t, const trace_result *r)
{
    bool ok = r->allocs == t->allocs && r->frees == t->frees && r->peak_objs == t->peak_objs &&
              (!t->peak_live || r->peak_live == t->peak_live) && r->fnv == t->fnv && r->tag_ok;
    printf("%-8s %-14s allocs %ld frees %ld peak %ld objects / %llu live bytes, fnv %016llx, tags %s: %s\n",
           who, t->name, r->allocs, r->frees, r->peak_objs, (unsigned long long)r->peak_live,
           (unsigned long long)r->fnv, r->tag_ok ? "ok" : "BAD", ok ? "trace OK" : "TRACE MISMATCH");
    return ok;
}

/* The heap as boot.c starts it: a 1 MiB first arena from the PMM. */
static void setup_kheap(void)
{
    size_t len = 256u << 20;
    void *ram = aligned_alloc(4096, len);
    if (!ram || !pmm_init(len, (uintptr_t)ram))
        exit(1);
    pages_before = pmm_free_page_count();
    uintptr_t arena = pmm_alloc_pages(CONFIG_KHEAP_FIRST_ARENA / 4096, 1);
    if (!arena)
        exit(1);
    kheap_init(arena, arena + CONFIG_KHEAP_FIRST_ARENA);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* qsort order: step numbers by their call's cycles, slowest first */
static int cmp_slower(const void *a, const void *b)
{
    uint64_t x = step_cycles[*(const long *)a], y = step_cycles[*(const long *)b];
    return (x < y) - (x > y);
}

/* Print the K slowest steps and every step that moved PMM pages. */
static void print_slow(long k)
{
    long *idx = malloc(sizeof(long) * STEPS);
    bool *pick = calloc(STEPS, 1);
    if (!idx || !pick)
        exit(1);
    for (long i = 0; i < STEPS; i++)
        idx[i] = i;
    qsort(idx, STEPS, sizeof(long), cmp_slower);
    for (long i = 0; i < k && i < STEPS; i++)
        pick[idx[i]] = true;
    for (long i = 0; i < STEPS; i++)
        if (pick[i] || step_pmm[i])
            printf("%ld\n", i);
    free(idx);
    free(pick);
}

static void load_steps(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    long cap = 1024, v;
    sample_steps = malloc(sizeof(long) * (size_t)cap);
    while (sample_steps && fscanf(f, "%ld", &v) == 1) {
        if (nsample == cap)
            sample_steps = realloc(sample_steps, sizeof(long) * (size_t)(cap *= 2));
        if (sample_steps)
            sample_steps[nsample++] = v;
    }
    fclose(f);
    if (!sample_steps)
        exit(1);
    qsort(sample_steps, (size_t)nsample, sizeof(long), cmp_long);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s kheap|%s 1m|small [slow K | steps FILE]\n", argv[0], REF_NAME);
        return 2;
    }
    const trace_def *t = !strcmp(argv[2], "1m") ? &traces[0] : !strcmp(argv[2], "small") ? &traces[1] : NULL;
    (void)bench_percall_steps; /* bench_pmm's sampling; this bench picks its steps */
    bool ref = !strcmp(argv[1], REF_NAME);
    use_kheap = !strcmp(argv[1], "kheap");
#if defined(BENCH_REF_JEMALLOC) || defined(BENCH_REF_MIMALLOC)
    use_kheap = false; /* this build measures its library alone */
#endif
    if (!t || (!ref && !use_kheap)) {
        fprintf(stderr, "%s: unknown allocator or trace\n", argv[0]);
        return 2;
    }
    long slow_k = argc > 4 && !strcmp(argv[3], "slow") ? atol(argv[4]) : -1;
    if (argc > 4 && !strcmp(argv[3], "steps"))
        load_steps(argv[4]);
    if (slow_k >= 0) {
        step_cycles = calloc(STEPS, sizeof *step_cycles);
        step_pmm = calloc(STEPS, sizeof *step_pmm);
        if (!step_cycles || !step_pmm)
            return 1;
    }
#if defined(BENCH_REF_JEMALLOC)
    const char *ver = "?";
    size_t vlen = sizeof ver;
    mallctl("version", &ver, &vlen, NULL, 0);
    if (slow_k < 0)
        printf("jemalloc %s\n", ver);
#elif defined(BENCH_REF_MIMALLOC)
    if (slow_k < 0)
        printf("mimalloc %d\n", mi_version());
#endif
    if (use_kheap)
        setup_kheap();
    trace_result r = run(t);
    if (slow_k >= 0) {
        print_slow(slow_k);
        return 0;
    }
    bool ok = verify(use_kheap ? "kheap" : REF_NAME, t, &r);
    const char *why = use_kheap ? kheap_check() : NULL;
    ok &= why == NULL;
    printf("%-8s %-14s ns/op %.1f  footprint %.3f MiB  footprint/live %.4f%s%s\n",
           use_kheap ? "kheap" : REF_NAME, t->name, (double)r.ns / STEPS, r.foot / 1048576.0,
           (double)r.foot / r.peak_live, use_kheap ? "  check " : "", use_kheap ? (why ? why : "clean") : "");
    return ok ? 0 : 1;
}

/*
 * bench_trace.h - the pieces the nanokernel benchmarks share: the
 * splitmix64 generator the traces are defined with, FNV-1a-64, a
 * nanosecond clock, and per-call instruction sampling under callgrind.
 *
 * Per-call sampling: when run under `valgrind --tool=callgrind
 * --collect-atstart=no --combine-dumps=yes`, BENCH_CALL wraps a call in
 * collection toggles and dumps the counters after it, so each dump's
 * "totals:" line is that one call's instruction count (tools/bench-nk.sh
 * takes the largest). Outside that mode the macro is a plain call.
 */
#ifndef BENCH_TRACE_H
#define BENCH_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS
#endif

#include "../tests/host/splitmix.h"   /* sm64_next: the generator the traces are defined with */

static inline uint64_t fnv1a_u32(uint64_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        h ^= (v >> (8 * i)) & 0xFF;
        h *= 0x100000001b3ull;
    }
    return h;
}

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Steps whose calls are sampled one by one (0 = none). */
static long bench_percall_steps;

/* Run expr with callgrind collecting it alone, then dump: one call's count. */
#define BENCH_COUNT_ALONE(expr)                                  \
    do {                                                         \
        CALLGRIND_TOGGLE_COLLECT;                                \
        expr;                                                    \
        CALLGRIND_TOGGLE_COLLECT;                                \
        CALLGRIND_DUMP_STATS;                                    \
    } while (0)

#define BENCH_CALL(step, expr)                                  \
    do {                                                         \
        if ((step) < bench_percall_steps)                        \
            BENCH_COUNT_ALONE(expr);                             \
        else                                                     \
            expr;                                                \
    } while (0)

#endif

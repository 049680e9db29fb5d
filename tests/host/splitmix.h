/*
 * splitmix.h - the random numbers of the host tests and the benchmarks
 * (bench/bench_trace.h defines its traces with it): splitmix64, one 64-bit
 * state per stream, so a test's sequence depends on its seed alone.
 */
#ifndef TESTS_HOST_SPLITMIX_H
#define TESTS_HOST_SPLITMIX_H

#include <stdint.h>

static inline uint64_t sm64_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif

/*
 * host.c - the platform interface for hosted builds (unit tests,
 * benchmarks, fuzzers): console is stdout, exit is exit(3), cycles are the TSC.
 */
#include "platform.h"

#include <stdio.h>
#include <stdlib.h>

void plat_putc(char c)
{
    putchar(c);
}

void plat_exit(bool pass)
{
    fflush(stdout);
    exit(pass ? 0 : 1);
}

uint64_t plat_cycles(void)
{
    return __builtin_ia32_rdtsc();
}

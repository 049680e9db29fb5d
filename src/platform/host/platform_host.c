/*
 * platform_host.c - the platform interface for hosted builds (unit tests,
 * benchmarks, fuzzers): console is stdout, exit is exit(3), cycles are the TSC.
 * The process's own addresses stand for physical ones; the stack is the
 * calling thread's (pthread_getattr_np).
 */
#define _GNU_SOURCE
#include "platform.h"

#include <pthread.h>
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

bool plat_phys_range(const void *addr, uint64_t len, uint64_t *phys)
{
    uint64_t a = (uint64_t)(uintptr_t)addr;
    if (a == 0 || len > UINTPTR_MAX - a)
        return false;
    *phys = a;
    return true;
}

uint64_t plat_stack_room(const void *sp)
{
    pthread_attr_t attr;
    void *lo = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return 0;
    bool ok = pthread_attr_getstack(&attr, &lo, &size) == 0;
    pthread_attr_destroy(&attr);
    const char *p = sp, *base = lo;
    return ok && p > base && p <= base + size ? (uint64_t)(p - base) : 0;
}

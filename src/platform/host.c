/*
 * host.c - the platform interface for hosted builds (unit tests,
 * benchmarks, fuzzers): console is stdout, exit is exit(3), cycles are the
 * TSC. The tick clock is a counter the tests set and plat_idle() advances by
 * one tick, so anything that waits for time finishes without real time
 * passing; input comes from a small FIFO the tests fill. The process's own
 * addresses stand for physical ones; the stack is the calling thread's
 * (pthread_getattr_np).
 */
#define _GNU_SOURCE
#include "platform.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { HOST_INPUT_CAP = 64 };

static uint32_t g_host_ticks;
static plat_input g_host_input[HOST_INPUT_CAP];
static unsigned g_host_in_head, g_host_in_count;

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

uint32_t plat_ticks(void)
{
    return g_host_ticks;
}

void plat_idle(void)
{
    g_host_ticks++;
}

void plat_host_set_ticks(uint32_t ticks)
{
    g_host_ticks = ticks;
}

bool plat_input_poll(plat_input *in)
{
    if (g_host_in_count == 0)
        return false;
    *in = g_host_input[g_host_in_head];
    g_host_in_head = (g_host_in_head + 1) % HOST_INPUT_CAP;
    g_host_in_count--;
    return true;
}

bool plat_host_push_input(const plat_input *in)
{
    if (g_host_in_count == HOST_INPUT_CAP)
        return false;
    g_host_input[(g_host_in_head + g_host_in_count) % HOST_INPUT_CAP] = *in;
    g_host_in_count++;
    return true;
}

void plat_host_flush_input(void)
{
    g_host_in_head = g_host_in_count = 0;
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

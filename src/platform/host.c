/*
 * host.c - the platform interface for hosted builds (unit tests,
 * benchmarks, fuzzers): console is stdout, exit is exit(3), cycles are the
 * TSC. The tick clock is a counter the tests set and plat_idle() advances by
 * one tick, so anything that waits for time finishes without real time
 * passing; input comes from a small FIFO the tests fill. The process's own
 * addresses stand for physical ones; the stack is the calling thread's
 * (pthread_getattr_np). Page remapping is mremap(2) over anonymous
 * mappings this file made (plat_host_map) and registered; a step that
 * fails after the first has moved pages ends the run with a diagnostic.
 */
#define _GNU_SOURCE
#include "platform.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

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

/* ---- page remapping ---- */

enum { HOST_REMAP_RANGES = 64 };

static struct {
    char    *base;
    uint64_t len;
} g_host_remap[HOST_REMAP_RANGES];

static bool host_page_aligned(uint64_t v) { return (v & (PLAT_PAGE_SIZE - 1)) == 0; }

bool plat_remap_register(void *base, uint64_t len)
{
    if (base == NULL || len == 0 || !host_page_aligned((uintptr_t)base) || !host_page_aligned(len))
        return false;
    for (unsigned i = 0; i < HOST_REMAP_RANGES; i++) {
        if (g_host_remap[i].base == NULL) {
            g_host_remap[i].base = base;
            g_host_remap[i].len = len;
            return true;
        }
    }
    return false;
}

void plat_remap_unregister(void *base)
{
    for (unsigned i = 0; i < HOST_REMAP_RANGES; i++)
        if (base != NULL && g_host_remap[i].base == base)
            g_host_remap[i].base = NULL;
}

bool plat_remappable(const void *addr, uint64_t len)
{
    const char *a = addr;
    for (unsigned i = 0; i < HOST_REMAP_RANGES; i++) {
        const char *b = g_host_remap[i].base;
        if (b != NULL && a >= b && len <= g_host_remap[i].len && (uint64_t)(a - b) <= g_host_remap[i].len - len)
            return true;
    }
    return false;
}

[[gnu::noreturn]] static void host_remap_fatal(const char *step, void *at, uint64_t len)
{
    fprintf(stderr, "FATAL: page remap: %s failed at %p (%llu bytes): the zone has a hole\n", step, at,
            (unsigned long long)len);
    fflush(stdout);
    exit(1);
}

/* Fresh zero pages over [at, at + len) (mapped, so the zone stays whole). */
static void host_refill(char *at, uint64_t len)
{
    if (len != 0 && mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        host_remap_fatal("refilling the vacated pages", at, len);
}

bool plat_remap_pages(void *dst, void *src, uint64_t len)
{
    char *d = dst, *s = src;
    if (!host_page_aligned((uintptr_t)d) || !host_page_aligned((uintptr_t)s) || !host_page_aligned(len)
        || !plat_remappable(d, len) || !plat_remappable(s, len))
        return false;
    if (len == 0 || d == s)
        return true;
    if (d + len <= s || s + len <= d) {
        if (mremap(s, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, d) == MAP_FAILED)
            return false;   /* nothing moved */
        host_refill(s, len);
        return true;
    }
    /* Overlapping: mremap refuses, so the pages go through a spare range. */
    char *tmp = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (tmp == MAP_FAILED)
        return false;
    if (mremap(s, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, tmp) == MAP_FAILED) {
        munmap(tmp, len);
        return false;   /* nothing moved */
    }
    if (mremap(tmp, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, d) == MAP_FAILED)
        host_remap_fatal("moving the pages to their new place", d, len);
    if (d < s)
        host_refill(d + len, (uint64_t)(s - d));
    else
        host_refill(s, (uint64_t)(d - s));
    return true;
}

void *plat_host_map(uint64_t len)
{
    len = (len + PLAT_PAGE_SIZE - 1) & ~(uint64_t)(PLAT_PAGE_SIZE - 1);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (!plat_remap_register(p, len)) {
        munmap(p, len);
        return NULL;
    }
    return p;
}

void plat_host_unmap(void *base, uint64_t len)
{
    if (base == NULL)
        return;
    plat_remap_unregister(base);
    munmap(base, (len + PLAT_PAGE_SIZE - 1) & ~(uint64_t)(PLAT_PAGE_SIZE - 1));
}

/*
 * host.c - the platform interface for hosted builds (unit tests,
 * benchmarks, fuzzers): console is stdout, exit is exit(3), cycles are the
 * TSC. The tick clock is a counter the tests set and plat_idle() advances by
 * one tick, so anything that waits for time finishes without real time
 * passing; input comes from a small FIFO the tests fill. The process's own
 * addresses stand for physical ones; the stack is the calling thread's
 * (pthread_getattr_np).
 *
 * Storage committed on demand (plat_host_reserve) is an mmap(PROT_NONE)
 * range with one commit byte per page; a SIGSEGV in an uncommitted page of
 * it makes the page read-write (mprotect) and the access runs again, as the
 * kernel's page-fault handler commits a page of a zone. plat_decommit
 * drops the pages' contents (MADV_DONTNEED) and makes them PROT_NONE again.
 * Any other SIGSEGV goes to the handler that was there before (the default,
 * or AddressSanitizer's report).
 *
 * Page runs are anonymous mmap(2) mappings; a run or any page-aligned part
 * of one goes back by munmap. The page budget (plat_host_set_page_budget)
 * stands for a machine's free pages, shared as in the kernel: page runs
 * and the committed pages of reserves come out of it, and the pages of
 * reserves not committed yet are promised, so a page run that would leave
 * fewer budget pages than promised is refused and plat_page_run_room
 * reports only the budget above the promise. A first touch of a reserve
 * with no budget page left is the kernel's "the PMM had no page left": a
 * diagnostic on stderr, then the fault goes on to the previous handler.
 * A budget of 0 means the host has no page runs; reserves then commit
 * without limit.
 *
 * Page remapping is mremap(2) over anonymous mappings this file made
 * (plat_host_map) and registered; a step that fails after pages have moved
 * and cannot be undone ends the run with a diagnostic; tests can make it
 * refuse every remap (plat_host_refuse_remaps).
 */
#define _GNU_SOURCE
#include "platform.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

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

uint64_t plat_phys_run(const void *addr, uint64_t len, uint64_t *phys)
{
    return plat_phys_range(addr, len, phys) ? len : 0;
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

/* ---- storage committed on demand ---- */

enum { HOST_RESERVES = 8, HOST_PAGE = 4096 };

typedef struct host_reserve {
    char *base;
    uint64_t len;
    unsigned char *committed;   /* one byte per page: 1 = read-write now */
} host_reserve;

static host_reserve g_host_reserves[HOST_RESERVES];
/* Over every live reserve: its pages, and those committed now (the sums of
 * len / HOST_PAGE and of the commit bytes). Promised = reserved - committed. */
static uint64_t g_host_reserved_pages, g_host_committed_pages;
static uint64_t g_host_page_budget = (uint64_t)256 << 20, g_host_page_out;

/* Budget pages neither a page run nor a reserve's committed page holds. */
static uint64_t host_budget_free_pages(void)
{
    uint64_t used = g_host_page_out / HOST_PAGE + g_host_committed_pages, all = g_host_page_budget / HOST_PAGE;
    return all > used ? all - used : 0;
}

/* A line on stderr from the SIGSEGV handler (write(2) is safe there). */
static void host_say(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    if (write(2, s, n) < 0)
        return;
}
static struct sigaction g_host_old_segv;
static bool g_host_segv_installed;

static host_reserve *host_reserve_of(const void *addr)
{
    const char *p = addr;
    for (unsigned i = 0; i < HOST_RESERVES; i++) {
        host_reserve *r = &g_host_reserves[i];
        if (r->base && p >= r->base && (uint64_t)(p - r->base) < r->len)
            return r;
    }
    return NULL;
}

static void host_segv(int sig, siginfo_t *info, void *uctx)
{
    host_reserve *r = host_reserve_of(info->si_addr);
    if (r) {
        uint64_t page = (uint64_t)((char *)info->si_addr - r->base) / HOST_PAGE;
        if (!r->committed[page] && g_host_page_budget != 0 && host_budget_free_pages() == 0) {
            host_say("host: a page of a reserve committed on demand was touched with no budget page left\n");
        } else if (!r->committed[page] &&
                   mprotect(r->base + page * HOST_PAGE, HOST_PAGE, PROT_READ | PROT_WRITE) == 0) {
            r->committed[page] = 1;
            g_host_committed_pages++;
            return;   /* the access runs again */
        }
    }
    /* Not ours: the previous handler takes it (the fault repeats once we return). */
    sigaction(SIGSEGV, &g_host_old_segv, NULL);
    g_host_segv_installed = false;
    (void)sig;
    (void)uctx;
}

void *plat_host_reserve(uint64_t len)
{
    if (len == 0 || len % HOST_PAGE)
        return NULL;
    host_reserve *slot = NULL;
    for (unsigned i = 0; i < HOST_RESERVES && !slot; i++)
        if (!g_host_reserves[i].base)
            slot = &g_host_reserves[i];
    if (!slot)
        return NULL;
    unsigned char *map = calloc(len / HOST_PAGE, 1);
    void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (!map || p == MAP_FAILED) {
        free(map);
        if (p != MAP_FAILED)
            munmap(p, len);
        return NULL;
    }
    if (!g_host_segv_installed) {
        struct sigaction sa = { 0 };
        sa.sa_sigaction = host_segv;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGSEGV, &sa, &g_host_old_segv) != 0) {
            free(map);
            munmap(p, len);
            return NULL;
        }
        g_host_segv_installed = true;
    }
    *slot = (host_reserve){ p, len, map };
    g_host_reserved_pages += len / HOST_PAGE;
    return p;
}

void plat_host_unreserve(void *base, uint64_t len)
{
    host_reserve *r = host_reserve_of(base);
    if (!r || r->base != base || r->len != len)
        return;
    for (uint64_t i = 0; i < r->len / HOST_PAGE; i++)
        g_host_committed_pages -= r->committed[i];
    g_host_reserved_pages -= r->len / HOST_PAGE;
    munmap(r->base, r->len);
    free(r->committed);
    *r = (host_reserve){ 0 };
}

void plat_decommit(void *base, uint64_t len)
{
    uint64_t a = (uint64_t)(uintptr_t)base;
    uint64_t lo = (a + HOST_PAGE - 1) & ~(uint64_t)(HOST_PAGE - 1), hi = (a + len) & ~(uint64_t)(HOST_PAGE - 1);
    host_reserve *r = host_reserve_of((void *)(uintptr_t)lo);
    if (hi <= lo || !r || hi - (uint64_t)(uintptr_t)r->base > r->len)
        return;
    char *p = (char *)(uintptr_t)lo;
    madvise(p, hi - lo, MADV_DONTNEED);
    mprotect(p, hi - lo, PROT_NONE);
    for (uint64_t off = lo - (uint64_t)(uintptr_t)r->base; off < hi - (uint64_t)(uintptr_t)r->base; off += HOST_PAGE) {
        g_host_committed_pages -= r->committed[off / HOST_PAGE];
        r->committed[off / HOST_PAGE] = 0;
    }
}

uint64_t plat_committed_pages(const void *base, uint64_t len)
{
    uint64_t a = (uint64_t)(uintptr_t)base;
    uint64_t lo = (a + HOST_PAGE - 1) & ~(uint64_t)(HOST_PAGE - 1), hi = (a + len) & ~(uint64_t)(HOST_PAGE - 1);
    if (hi <= lo)
        return 0;
    host_reserve *r = host_reserve_of((void *)(uintptr_t)lo);
    if (!r)
        return (hi - lo) / HOST_PAGE;
    uint64_t n = 0, end = (uint64_t)(uintptr_t)r->base + r->len;
    for (uint64_t p = lo; p < hi && p < end; p += HOST_PAGE)
        n += r->committed[(p - (uint64_t)(uintptr_t)r->base) / HOST_PAGE];
    return n;
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

/* The registered range holding [addr, addr + len) whole, or -1. */
static int remap_range_of(const void *addr, uint64_t len)
{
    const char *a = addr;
    for (unsigned i = 0; i < HOST_REMAP_RANGES; i++) {
        const char *b = g_host_remap[i].base;
        if (b != NULL && a >= b && len <= g_host_remap[i].len && (uint64_t)(a - b) <= g_host_remap[i].len - len)
            return (int)i;
    }
    return -1;
}

bool plat_remappable(const void *addr, uint64_t len)
{
    return remap_range_of(addr, len) >= 0;
}

[[gnu::noreturn]] static void host_remap_fatal(const char *step, void *at, uint64_t len)
{
    fprintf(stderr, "FATAL: page remap: %s failed at %p (%llu bytes): the zone has a hole\n", step, at,
            (unsigned long long)len);
    fflush(stdout);
    exit(1);
}

enum { HOST_TABLE_SPAN = 2 << 20 };   /* what one page table maps: mremap moves such spans whole */

static bool host_move(char *from, uint64_t len, char *to)
{
    return mremap(from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to) != MAP_FAILED;
}

/*
 * The pages trade places instead of being dropped: the source's pages go
 * to the destination and the destination's displaced pages fill what the
 * source left, so nothing is freed or faulted in again (dropping a
 * populated destination costs far more than moving it). Three moves: the
 * source to a spare range (at the same offset within a page table's span,
 * so whole tables move), the displaced pages to the vacated part, the
 * source's pages to the destination.
 */
static bool g_host_refuse_remaps;

void plat_host_refuse_remaps(bool refuse) { g_host_refuse_remaps = refuse; }

bool plat_remap_pages(void *dst, void *src, uint64_t len)
{
    char *d = dst, *s = src;
    if (g_host_refuse_remaps || !host_page_aligned((uintptr_t)d) || !host_page_aligned((uintptr_t)s) || !host_page_aligned(len)
        || remap_range_of(d, len) < 0 || remap_range_of(d, len) != remap_range_of(s, len))
        return false;
    if (len == 0 || d == s)
        return true;
    char *xs = d, *xd = s;   /* the displaced pages: where they are, where they go */
    uint64_t xl = len;
    if (d < s && s < d + len) {
        xs = d;
        xd = d + len;
        xl = (uint64_t)(s - d);
    } else if (s < d && d < s + len) {
        xs = s + len;
        xd = s;
        xl = (uint64_t)(d - s);
    }
    uint64_t rl = len + HOST_TABLE_SPAN;
    char *res = mmap(NULL, rl, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (res == MAP_FAILED)
        return false;
    uintptr_t off = (uintptr_t)s & (HOST_TABLE_SPAN - 1);
    char *tmp = (char *)((((uintptr_t)res + HOST_TABLE_SPAN - 1) & ~(uintptr_t)(HOST_TABLE_SPAN - 1)) + off);
    if (tmp + len > res + rl)
        tmp -= HOST_TABLE_SPAN;
    bool ok = host_move(s, len, tmp);
    if (ok && !host_move(xs, xl, xd)) {
        if (!host_move(tmp, len, s))
            host_remap_fatal("putting the pages back", s, len);
        ok = false;
    }
    if (ok && !host_move(tmp, len, d))
        host_remap_fatal("moving the pages to their new place", d, len);
    munmap(res, rl);   /* what is left of the spare range */
    return ok;
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

/* ---- page runs ---- */

void plat_host_set_page_budget(uint64_t bytes)
{
    g_host_page_budget = bytes;
}

uint64_t plat_host_page_runs_out(void)
{
    return g_host_page_out;
}

/* Budget pages a page run may take: the free ones above the reserves' promise. */
static uint64_t host_run_pages(void)
{
    uint64_t free_pages = host_budget_free_pages(), promised = g_host_reserved_pages - g_host_committed_pages;
    return free_pages > promised ? free_pages - promised : 0;
}

void *plat_page_run_alloc(uint64_t len)
{
    if (len == 0 || !host_page_aligned(len) || len / HOST_PAGE > host_run_pages())
        return NULL;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    g_host_page_out += len;
    return p;
}

void plat_page_run_free(void *base, uint64_t len)
{
    if (base == NULL || !host_page_aligned((uintptr_t)base) || !host_page_aligned(len) || len > g_host_page_out) {
        fprintf(stderr, "plat_page_run_free(%p, %llu): not whole pages of a page run\n", base, (unsigned long long)len);
        return;
    }
    munmap(base, len);
    g_host_page_out -= len;
}

bool plat_page_run_room(uint64_t *free_bytes, uint64_t *largest_bytes)
{
    *free_bytes = *largest_bytes = host_run_pages() * HOST_PAGE;
    return g_host_page_budget != 0;
}

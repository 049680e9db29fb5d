/*
 * test_kheap_cache.c - the kernel heap's free-block cache: a small freed
 * block comes back for the next request of its size, each size's stack is
 * bounded, a request that misses its stack takes the next few blocks of
 * its size onto it, kheap_trim and freeing the last live block merge everything,
 * and misuse or damage of a cached block is reported, never followed: a
 * double free of it, an overwrite of its header or of its stack link (the
 * next kmalloc of its size reports and hands nothing out; one seal covers
 * both), and kheap_check sees both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nanokernel/nk_memory.h"
#include "nk_test_util.h"
#include "tap.h"



/* LIFO reuse per size, nothing merged until trimmed. */
static void test_reuse_and_trim(void)
{
    nk_test_heap_setup();
    kheap_stats s0, s1;
    kheap_get_stats(&s0);
    char *a = kmalloc(100), *b = kmalloc(100), *c = kmalloc(100), *guard = kmalloc(100);
    kfree(a);
    kfree(b);
    tap_ok(kmalloc(100) == b && kmalloc(100) == a, "the last block freed of a size comes back first");
    char *d = kmalloc(200), *guard2 = kmalloc(16);
    kfree(d); /* its neighbours are used: it is cached */
    char *x = kmalloc(120);
    tap_ok(x != d, "a cached block serves its own size only");
    kfree(a);
    kfree(b);
    kfree(c);
    kheap_get_stats(&s1);
    TAP_EQ(s1.live_blocks, 3, "cached blocks are not live (guard, guard2, x are)");
    TAP_EQ(s1.bytes_in_use + s1.bytes_free, s0.bytes_in_use + s0.bytes_free, "and count as free bytes");
    tap_ok(s1.largest_free < s0.largest_free, "before kheap_trim they are not merged");
    tap_ok(kheap_check() == NULL, "heap check clean with cached blocks");
    kheap_trim();
    char *e = kmalloc(3 * 112 - 16);
    tap_ok(e == a, "after kheap_trim a, b, c merged into one block");
    kfree(e);
    kfree(x);
    kfree(guard);
    kfree(guard2);
    kheap_get_stats(&s1);
    TAP_EQ(s1.largest_free, s0.largest_free, "freeing the last live block empties the cache: one free block again");
    TAP_EQ(s1.arenas, s0.arenas, "  and the arena count is back");
    TAP_EQ(reports, 0, "no reports");
}

/* A stack holds a bounded number of blocks; the rest merge at once. */
static void test_bounded(void)
{
    nk_test_heap_setup();
    enum { N = 600 };
    static char *p[N];
    for (int i = 0; i < N; i++)
        p[i] = kmalloc(48);
    char *guard = kmalloc(48);
    kheap_trim(); /* blocks the last refill cut and nobody took leave the stack */
    for (int i = 0; i < N; i++)
        kfree(p[i]);
    kheap_stats s;
    kheap_get_stats(&s);
    /* 64-byte blocks: 4096 / 64 = 64 cached; the first 64
     * freed stay cached (LIFO), the others merged into one free run */
    size_t cached = 0;
    for (int i = 0; i < N; i++)
        if (i < 64 && kmalloc(48) == p[63 - i])
            cached++;
        else
            break;
    TAP_EQ(cached, 64, "the stack held the first 64 blocks freed, last in first out");
    TAP_EQ(s.live_blocks, 1, "the others were freed into the lists");
    tap_ok(kheap_check() == NULL, "heap check clean");
    (void)guard;
    TAP_EQ(reports, 0, "no reports");
}

/* A kmalloc that misses its empty stack cuts the next blocks of its size
 * from the same free block onto the stack: the following requests of that
 * size get them, in address order; a kfree of one never handed out is a
 * double free, and the heap check counts them as cached. */
static void test_refill(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(100);
    size_t stride = kmalloc_usable_size(a) + 16;
    char *b = kmalloc(100), *c = kmalloc(100);
    tap_ok(a != NULL && b == a + stride && c == b + stride,
           "the blocks cut after a missed request's come next, in address order");
    tap_ok(kheap_check() == NULL, "  heap check clean with the rest still on the stack");
    char *d = kmalloc(200);
    tap_ok(d > c + stride, "  another size's request is placed past the blocks still on the stack");
    kfree(d);
    kfree(c + stride);
    TAP_EQ(reports, 1, "  kfree of a block cut for the stack but never handed out is reported");
    tap_ok(nk_test_said("double free"), "  as a double free: %s", last_reason ? last_reason : "");
    char *big = kmalloc(1000), *big2 = kmalloc(1000);
    tap_ok(big != NULL && big2 != NULL && kheap_check() == NULL, "  larger sizes are not cut ahead; heap check clean");
    kheap_stats s;
    kheap_get_stats(&s);
    TAP_EQ(s.live_blocks, 5, "  the cut blocks are not live until handed out");
    kfree(a);
    kfree(b);
    kfree(c);
    kfree(big);
    kfree(big2);
    kheap_get_stats(&s);
    TAP_EQ(s.live_blocks, 0, "  freeing every live block leaves none");
    tap_ok(kheap_check() == NULL, "  heap check clean");
}

static void test_double_free_cached(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *guard = kmalloc(64);
    kfree(a);
    kfree(a);
    TAP_EQ(reports, 1, "double free of a cached block reported");
    tap_ok(nk_test_said("double free"), "  as a double free: %s", last_reason ? last_reason : "");
    TAP_EQ(kmalloc_usable_size(a), 0, "  kmalloc_usable_size of it reports, returns 0");
    tap_ok(krealloc(a, 10) == NULL, "  krealloc of it reports, returns NULL");
    TAP_EQ(reports, 3, "  each call reported");
    tap_ok(kmalloc(64) == a, "  the cached block is handed out once");
    tap_ok(kmalloc(64) != a, "  and not twice");
    tap_ok(kheap_check() == NULL, "  heap check clean");
    (void)guard;
}

/* Overwrite a cached block's header (sf) or its stack link: the next
 * kmalloc of that size reports and hands it out to no one. */
static void test_damaged(int which, const char *label)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *b = kmalloc(64), *guard = kmalloc(64);
    kfree(b);
    kfree(a); /* a on top of b */
    uint64_t *word = which == 0 ? (uint64_t *)(a - 16) : which == 1 ? (uint64_t *)(a - 8) : (uint64_t *)a;
    uint64_t saved = *word;
    *word = which == 2 ? (uint64_t)(uintptr_t)guard - 16 : saved ^ 0x100;
    tap_ok(kheap_check() != NULL, "%s: kheap_check finds it", label);
    char *c = kmalloc(64);
    TAP_EQ(reports, 1, "%s: the next kmalloc of its size reports", label);
    tap_ok(nk_test_said("cached"), "%s: naming the cached block: %s", label, last_reason ? last_reason : "");
    tap_ok(c == NULL, "%s: and hands nothing out", label);
    tap_ok(kmalloc(64) == NULL && reports == 2, "%s: again and again", label);
    *word = saved;
    tap_ok(kmalloc(64) == a && kmalloc(64) == b, "%s: after repair both come back", label);
    tap_ok(kheap_check() == NULL, "%s: heap check clean after repair", label);
    (void)guard;
}

/* An overrun from the block below into a cached block's header: the
 * overrunning block's kfree caches it without reading the neighbour; the
 * damage is reported by the kmalloc that would pop the damaged block. */
static void test_overrun_into_cached(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *b = kmalloc(64), *guard = kmalloc(64);
    kfree(b);
    uint64_t saved;
    memcpy(&saved, b - 16, 8);
    uint64_t v = 0x4141414141414141ull;
    memcpy(b - 16, &v, 8);
    kfree(a);
    TAP_EQ(reports, 0, "kfree of the block below caches it without reading the damaged neighbour");
    tap_ok(kheap_check() != NULL, "  kheap_check finds the damage");
    tap_ok(kmalloc(64) == a, "  a comes back first (top of the stack)");
    char *c = kmalloc(64);
    TAP_EQ(reports, 1, "  the kmalloc that would pop b reports it");
    tap_ok(nk_test_said("cached"), "  naming the cached block: %s", last_reason ? last_reason : "");
    tap_ok(c == NULL, "  and hands nothing out");
    memcpy(b - 16, &saved, 8);
    tap_ok(kmalloc(64) == b, "  after repair b comes back");
    TAP_EQ(reports, 1, "  with no further report");
    tap_ok(kheap_check() == NULL, "  heap check clean");
    (void)guard;
}

int main(void)
{
    diag_set_hook(nk_test_catch_report);
    test_reuse_and_trim();
    test_bounded();
    test_refill();
    test_double_free_cached();
    test_damaged(0, "cached header sf");
    test_damaged(1, "cached header check value");
    test_damaged(2, "cached stack link");
    test_overrun_into_cached();
    return tap_done();
}

/*
 * test_kheap_damage.c - a damaged kernel heap is reported, never followed.
 *
 * Each case writes where a buggy caller would (just past a block, over a
 * header, a second kfree) on a PMM that manages a real buffer, with a hook
 * that records reports and returns. The checks: the damage is reported at
 * the first heap call that touches it, with a reason that names what was
 * found; nothing is handed out twice; no page of a live arena goes back to
 * the PMM; the PMM refuses a direct free of a page of an arena or of a
 * large block.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nanokernel/nk_memory.h"
#include "nk_test_util.h"
#include "tap.h"

#define MiB (1024ul * 1024)


/* Fill a payload with pointers into the heap, as a list node would hold. */
static void fill_pointers(void *p, size_t n, void *target)
{
    for (size_t i = 0; i + 8 <= n; i += 8)
        memcpy((char *)p + i, &target, 8);
}

/* kmalloc(96) filled exactly, then 8 bytes written past its end into the
 * next block's header, then kfree of the overrun block. With `cache_full`
 * the free-block cache has no room for 112-byte blocks, so that kfree
 * goes to the lists, reads the next header and must report it; otherwise
 * the block is cached without reading its neighbour, and the damage is
 * reported by the next call that reads b's header: kheap_check, b's own
 * kfree, and never is b handed out. */
static void test_exact_fill_overrun(uint64_t value, const char *label, bool cache_full)
{
    nk_test_heap_setup();
    enum { FILL = 64 }; /* at least the stack depth of 112-byte blocks (4096 / 112) */
    static char *fill[FILL];
    char *a = kmalloc(96), *b = kmalloc(96), *guard = kmalloc(96);
    if (cache_full) {
        for (int i = 0; i < FILL; i++)
            fill[i] = kmalloc(96);
        char *fence = kmalloc(96);
        for (int i = 0; i < FILL; i++)
            kfree(fill[i]);
        (void)fence;
    }
    tap_ok(b == a + 112, "%s: blocks adjacent", label);
    memset(a, 'a', 96);
    fill_pointers(b, 96, a);
    uint64_t saved[2];
    memcpy(saved, a + 96, 16);
    memcpy(a + 96, &value, 8); /* one word past the end: b's size and flags */
    pmm_stats p0, p1;
    pmm_get_stats(&p0);
    kfree(a);
    if (cache_full) {
        TAP_EQ(reports, 1, "%s: kfree of the overrun block into the lists reports the damaged neighbour", label);
        tap_ok(nk_test_said("next block"), "%s: the reason names the next block's header: %s", label,
               last_reason ? last_reason : "");
    } else {
        TAP_EQ(reports, 0, "%s: kfree of the overrun block into the cache does not read the neighbour", label);
        tap_ok(kheap_check() != NULL, "%s: kheap_check finds the damaged header", label);
        kfree(b);
        TAP_EQ(reports, 1, "%s: b's own kfree reports its header", label);
        tap_ok(!nk_test_said("double free"), "%s: not as a double free: %s", label, last_reason ? last_reason : "");
    }
    char *c = kmalloc(96), *c2 = kmalloc(96);
    tap_ok(c != b && c2 != b, "%s: b is not handed out", label);
    tap_ok(cache_full ? c != a && c2 != a : 1, "%s: nor a, when its kfree failed", label);
    uint8_t expect[96];
    fill_pointers(expect, 96, a);
    tap_ok(memcmp(b, expect, 96) == 0, "%s: b's data untouched (no write through it)", label);
    pmm_get_stats(&p1);
    tap_ok(p1.free_pages == p0.free_pages, "%s: no page went back to the PMM", label);
    memcpy(a + 96, saved, 16); /* repair: the heap is whole again */
    if (cache_full)
        kfree(a);
    kfree(b);
    kfree(c);
    kfree(c2);
    kfree(guard);
    TAP_EQ(reports, 1, "%s: after repair every kfree is clean", label);
    const char *why = kheap_check();
    tap_ok(why == NULL, "%s: heap check clean after repair (%s)", label, why ? why : "ok");
}

/* The LARGE flag set in a small block's header. */
static void test_large_flag_forged(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *guard = kmalloc(64);
    uint64_t free0 = pmm_free_page_count();
    ((uint64_t *)a)[-2] |= 8; /* KH_LARGE */
    kfree(a);
    TAP_EQ(reports, 1, "LARGE flag in a small header: kfree reports");
    tap_ok(!nk_test_said("double free"), "  and does not call it a double free: %s", last_reason ? last_reason : "");
    TAP_EQ(pmm_free_page_count(), free0, "  no arena page went back to the PMM");
    TAP_EQ(kmalloc_usable_size(a), 0, "  usable size of the damaged block is 0");
    tap_ok(krealloc(a, 10) == NULL, "  krealloc of it fails");
    TAP_EQ(reports, 3, "  each call reported");
    ((uint64_t *)a)[-2] &= ~8ull;
    kfree(a);
    kfree(guard);
    TAP_EQ(reports, 3, "  after repair kfree is clean");
}

/* A 16-byte overwrite of b's header (0x41...), b's own kfree, then the
 * legitimate kfree of its neighbours (into the cache) and the merge that
 * empties the cache. */
static void test_header_overwrite_then_neighbour(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *b = kmalloc(64), *c = kmalloc(64), *guard = kmalloc(64);
    uint64_t saved[2];
    memcpy(saved, b - 16, 16);
    memset(b - 16, 0x41, 16);
    kfree(b);
    TAP_EQ(reports, 1, "16-byte header overwrite: b's kfree reports");
    tap_ok(!nk_test_said("double free"), "  garbage with bit 0 set is not a double free: %s",
           last_reason ? last_reason : "");
    kfree(a);
    TAP_EQ(reports, 1, "  a's kfree into the cache does not read b's header");
    kfree(c);
    TAP_EQ(reports, 1, "  c (above b) frees cleanly: it only reads its own header");
    tap_ok(kheap_check() != NULL, "  kheap_check finds b's header");
    kheap_trim();
    TAP_EQ(reports, 2, "  emptying the cache, a's merge reports the damaged neighbour instead of unlinking through it");
    tap_ok(nk_test_said("next block"), "  naming the next block: %s", last_reason ? last_reason : "");
    char *d = kmalloc(64);
    tap_ok(d != b, "  b is not handed out");
    memcpy(b - 16, saved, 16);
    kfree(a);
    kfree(b);
    kfree(d);
    kfree(guard);
    const char *why = kheap_check();
    tap_ok(why == NULL && reports == 2, "  heap whole after repair (%s)", why ? why : "ok");
}

/* A double free after the block merged into its free neighbour below. */
static void test_double_free_after_merge(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *b = kmalloc(64), *guard = kmalloc(64);
    kfree(a);
    kfree(b);
    kheap_trim(); /* both leave the free-block cache: b merges into a */
    kfree(b);
    TAP_EQ(reports, 1, "double free after a merge reported");
    tap_ok(nk_test_said("double free"), "  and called a double free: %s", last_reason ? last_reason : "");
    kfree(guard);
    tap_ok(kheap_check() == NULL, "  heap check clean");
}

/* A double free of a block on a free list (no merge) and a large one. */
static void test_plain_double_free(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64), *g1 = kmalloc(64), *b = kmalloc(64), *g2 = kmalloc(64);
    kfree(a);
    kfree(b);
    kheap_trim(); /* a and b leave the free-block cache for the free lists */
    kfree(a);
    TAP_EQ(reports, 1, "double free of a listed block reported");
    tap_ok(nk_test_said("double free"), "  as a double free: %s", last_reason ? last_reason : "");
    kfree(g1);
    kfree(g2);
    TAP_EQ(reports, 1, "  neighbours free cleanly afterwards");
    tap_ok(kheap_check() == NULL, "  heap check clean");
}

/* A write after kfree over the free-list link of a listed block. */
static void test_link_overwrite(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(200), *g1 = kmalloc(64), *b = kmalloc(200), *g2 = kmalloc(64);
    kfree(a);
    kfree(b); /* same list: b is the head, a next */
    memset(b, 0x41, 8); /* b's next link */
    char *c = kmalloc(200);
    TAP_EQ(reports, 1, "damaged free-list link reported when the list is used");
    tap_ok(c == NULL, "  the allocation fails instead of following it");
    tap_ok(kheap_check() != NULL, "  and the heap check sees it: %s", kheap_check());
    kfree(g1); /* a's neighbour: merges with a, whose link is what b's damage hid */
    (void)g2;
}

/* The PMM refuses a direct free of a page of a heap arena. */
static void test_pmm_refuses_arena_pages(void)
{
    nk_test_heap_setup();
    char *a = kmalloc(64);
    uintptr_t page = (uintptr_t)a & ~(uintptr_t)4095;
    uint64_t free0 = pmm_free_page_count();
    pmm_free_page(page);
    TAP_EQ(reports, 1, "pmm_free_page of an arena page reported");
    tap_ok(nk_test_said("kernel heap"), "  naming the kernel heap: %s", last_reason ? last_reason : "");
    pmm_free_pages(page, 1);
    TAP_EQ(reports, 2, "pmm_free_pages over an arena page reported");
    TAP_EQ(pmm_free_page_count(), free0, "  no page freed");
    /* a grown arena: claimed while it lives, released to the PMM after */
    void *big[8];
    for (int i = 0; i < 8; i++)
        big[i] = kmalloc(200000);
    uintptr_t gp = (uintptr_t)big[7] & ~(uintptr_t)4095;
    pmm_free_page(gp);
    TAP_EQ(reports, 3, "pmm_free_page of a grown arena's page reported");
    for (int i = 0; i < 8; i++)
        kfree(big[i]);
    TAP_EQ(reports, 3, "  the heap gives the grown arenas back without a report");
    /* a large block's pages too, whether its payload or its record page */
    char *large = kmalloc(3 * MiB / 2), *aligned = kmalloc_aligned(MiB, 65536);
    uint64_t free1 = pmm_free_page_count();
    pmm_free_page(((uintptr_t)large & ~(uintptr_t)4095) + 8 * 4096);
    pmm_free_pages((uintptr_t)aligned - 4096, 2);
    TAP_EQ(reports, 5, "PMM frees of a large block's pages reported");
    tap_ok(nk_test_said("large block"), "  naming the large block: %s", last_reason ? last_reason : "");
    TAP_EQ(pmm_free_page_count(), free1, "  no page freed");
    kfree(large);
    kfree(aligned);
    TAP_EQ(reports, 5, "  the heap frees them itself without a report");
    tap_ok(pmm_check() == NULL && kheap_check() == NULL, "  PMM and heap checks clean");
    kfree(a);
}

/* The head of an exact free list (112-byte blocks) damaged: its check
 * value, its next link, or the header of the block after it. The next
 * kmalloc of that size reports and hands nothing out, until repaired. */
static void test_exact_list_head(int which, const char *label)
{
    nk_test_heap_setup();
    char *a = kmalloc(96), *g1 = kmalloc(96), *b = kmalloc(96), *g2 = kmalloc(96);
    kfree(b);
    kfree(a);
    /* the cache empties top first: a, then b; each is listed at the head
     * of the 112-byte list (no neighbour of either is free), so b heads
     * it and a is next */
    kheap_trim();
    uint64_t *word = which == 0 ? (uint64_t *)(b - 8) : which == 1 ? (uint64_t *)b : (uint64_t *)(g2 - 16);
    uint64_t saved = *word;
    *word = which == 1 ? (uint64_t)(uintptr_t)(g1 - 16) : saved ^ 0x100;
    char *c = kmalloc(96);
    TAP_EQ(reports, 1, "%s: the next kmalloc of its size reports", label);
    tap_ok(c == NULL, "%s: and hands nothing out", label);
    *word = saved;
    c = kmalloc(96);
    tap_ok(c == b && kmalloc(96) == a, "%s: after repair the list serves b, then a", label);
    TAP_EQ(reports, 1, "%s: with no further report", label);
    tap_ok(kheap_check() == NULL, "%s: heap check clean", label);
}

/* With an argument, only the case of that number runs (each case can be
 * checked alone, e.g. against a heap that crashes on an earlier one). */
/* Change byte 7 of a header's size and of its check value alike: the
 * check (an exclusive or) still matches, and the size now leads far past
 * the heap. Every call that would step by it reports instead. */
static void forge_size(void *p)
{
    uint8_t *h = (uint8_t *)p - 16;
    h[7] ^= 0x44;
    h[15] ^= 0x44;
}

static void test_size_forged_with_check(void)
{
    static const size_t sizes[] = { 64, 5000 };
    for (int i = 0; i < 2; i++) {
        nk_test_heap_setup();
        char *a = kmalloc(sizes[i]), *guard = kmalloc(64);
        forge_size(a);
        TAP_EQ(kmalloc_usable_size(a), 0, "%zu-byte block, size forged with its check: kmalloc_usable_size reports, 0",
               sizes[i]);
        tap_ok(nk_test_said("size leads past the heap"), "  saying the size leads past the heap: %s",
               last_reason ? last_reason : "");
        tap_ok(krealloc(a, sizes[i] * 2) == NULL, "  krealloc in place reports, returns NULL");
        kfree(a);
        TAP_EQ(reports, 3, "  kfree reports too; each call reported");
        tap_ok(kheap_check() != NULL, "  and kheap_check still finds the damage");
        forge_size(a); /* put back */
        tap_ok(kheap_check() == NULL, "  undone, the heap checks clean");
        (void)guard;
    }
    /* a free block: the list's head is taken by kmalloc */
    nk_test_heap_setup();
    char *a = kmalloc(6000), *guard = kmalloc(64); /* a's class lies below the rest of the arena's */
    kfree(a);
    forge_size(a);
    tap_ok(kmalloc(5000) == NULL, "free block's size forged with its check: kmalloc reports, returns NULL");
    tap_ok(reports == 1 && nk_test_said("size leads past the heap"), "  saying so: %s", last_reason ? last_reason : "");
    forge_size(a);
    tap_ok(kmalloc(5000) == a && kheap_check() == NULL, "  undone, the block is handed out again");
    (void)guard;
    /* an exact-size list head (block sizes below 1 KiB) */
    nk_test_heap_setup();
    char *x[80];
    for (int i = 0; i < 80; i++)
        x[i] = kmalloc(200);
    for (int i = 0; i < 80; i += 2)
        kfree(x[i]); /* the stack holds the first ones, the rest go on the exact list */
    forge_size(x[78]);
    reports = 0;
    for (int i = 0; i < 40 && reports == 0; i++)
        kmalloc(200);
    tap_ok(reports == 1 && nk_test_said("size leads past the heap"),
           "exact list head's size forged with its check: reported when reached (%s)", last_reason ? last_reason : "");
}

int main(int argc, char **argv)
{
    int only = argc > 1 ? atoi(argv[1]) : 0;
    diag_set_hook(nk_test_catch_report);
    if (!only || only == 1)
        for (int full = 0; full < 2; full++)
            test_exact_fill_overrun(0x4141414141414141ull, full ? "overrun 0x41..41, to the lists" : "overrun 0x41..41 (bit 0 set)", full);
    if (!only || only == 2)
        for (int full = 0; full < 2; full++)
            test_exact_fill_overrun(0x00000000000000a0ull, full ? "overrun 0xa0, to the lists" : "overrun 0xa0 (a plausible used size)", full);
    if (!only || only == 3)
        for (int full = 0; full < 2; full++)
            test_exact_fill_overrun(0x0000000000000071ull, full ? "overrun 0x71, to the lists" : "overrun 0x71 (a plausible free size)", full);
    if (!only || only == 4)
        test_large_flag_forged();
    if (!only || only == 5)
        test_header_overwrite_then_neighbour();
    if (!only || only == 6)
        test_double_free_after_merge();
    if (!only || only == 7)
        test_plain_double_free();
    if (!only || only == 8)
        test_link_overwrite();
    if (!only || only == 9)
        test_pmm_refuses_arena_pages();
    if (!only || only == 10) {
        test_exact_list_head(0, "exact list head's check value");
        test_exact_list_head(1, "exact list head's next link");
        test_exact_list_head(2, "header after the exact list head");
    }
    if (!only || only == 11)
        test_size_forged_with_check();
    free(nk_test_ram);
    return tap_done();
}

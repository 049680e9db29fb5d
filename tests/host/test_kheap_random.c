/*
 * test_kheap_random.c - the kernel heap against a shadow model.
 *
 * The model keeps every live block's pointer, requested size, alignment
 * and fill byte. Each step is a kmalloc, kmalloc_aligned, kcalloc,
 * krealloc or kfree on a random slot; every block's contents are verified
 * when it is freed or resized, no two live blocks may overlap (checked via
 * the fill bytes surviving), and kheap_check() runs after every step for
 * the first CHECK_EVERY_UNTIL steps of each round and every CHECK_PERIOD
 * steps after that (a full walk per step over ~1000 blocks is too slow
 * for millions of steps under ASan). Several rounds with different seeds
 * and size mixes; 3 million steps in all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "nanokernel/nk_memory.h"
#include "splitmix.h"
#include "tap.h"

#define SLOTS 1024
#define CHECK_EVERY_UNTIL 100000
#define CHECK_PERIOD 16

static int reports;

static void catch_report(const char *call, uintptr_t addr, const char *reason)
{
    reports++;
    tap_diag("unexpected report: %s: %s at %#lx", call, reason, (unsigned long)addr);
}

static uint64_t rng;

static uint64_t next(void) { return sm64_next(&rng); }

typedef struct slot {
    uint8_t *p;
    size_t size;
    size_t align;
    uint8_t fill;
} slot;

static slot s[SLOTS];

/* Fill/verify only the ends and a stride of the middle for big blocks. */
static void paint(const slot *b)
{
    if (b->size <= 4096) {
        memset(b->p, b->fill, b->size);
        return;
    }
    memset(b->p, b->fill, 2048);
    memset(b->p + b->size - 2048, b->fill, 2048);
    for (size_t i = 2048; i < b->size - 2048; i += 4096)
        b->p[i] = b->fill;
}

/* The painted bytes among the first n (n <= b->size) still hold the fill. */
static bool intact(const slot *b, size_t n)
{
    size_t head = b->size <= 4096 ? b->size : 2048;
    for (size_t i = 0; i < n && i < head; i++)
        if (b->p[i] != b->fill)
            return false;
    if (b->size <= 4096)
        return true;
    for (size_t i = 2048; i < n && i < b->size - 2048; i += 4096)
        if (b->p[i] != b->fill)
            return false;
    for (size_t i = b->size - 2048; i < n; i++)
        if (b->p[i] != b->fill)
            return false;
    return true;
}

static size_t pick_size(int mix)
{
    uint64_t r = next() % 1000;
    if (mix == 0 || r < 700)
        return next() % 512;
    if (r < 950)
        return next() % 16384;
    if (r < 995)
        return next() % 200000;
    return 200000 + next() % 1200000; /* around and above the large threshold */
}

static const char *step(int mix, long i)
{
    slot *b = &s[next() % SLOTS];
    uint64_t op = next() % 10;
    if (b->p && op < 4) {
        if (!intact(b, b->size))
            return "contents changed before kfree";
        kfree(b->p);
        b->p = NULL;
        return NULL;
    }
    if (b->p && op < 7) {
        size_t n = pick_size(mix);
        size_t keep = n < b->size ? n : b->size;
        uint8_t *old = b->p;
        uint8_t *q = krealloc(b->p, n);
        if (n == 0) {
            b->p = NULL;
            return q ? "krealloc(p, 0) returned a block" : NULL;
        }
        if (!q)
            return NULL; /* out of memory: the old block must still be intact */
        b->p = q;
        if (!intact(b, keep)) {
            tap_diag("krealloc %p size %zu -> %p size %zu", (void *)old, b->size, (void *)q, n);
            return "krealloc lost contents";
        }
        b->size = n;
        b->align = 16;
        b->fill = (uint8_t)i;
        paint(b);
        return NULL;
    }
    if (b->p) {
        if (kmalloc_usable_size(b->p) < b->size)
            return "usable size below the request";
        return intact(b, b->size) ? NULL : "contents changed";
    }
    b->size = pick_size(mix);
    b->align = 16;
    if (op == 8) {
        b->align = (size_t)16 << (next() % 13);
        b->p = kmalloc_aligned(b->size, b->align);
    } else if (op == 9) {
        b->p = kcalloc(1, b->size);
        for (size_t k = 0; b->p && k < b->size && k < 4096; k++)
            if (b->p[k])
                return "kcalloc memory not zero";
    } else {
        b->p = kmalloc(b->size);
    }
    if (!b->p)
        return NULL;
    if ((uintptr_t)b->p & (b->align - 1))
        return "misaligned block";
    b->fill = (uint8_t)(i * 31 + 7);
    paint(b);
    return NULL;
}

static void round_(uint64_t seed, int mix, long steps, size_t ram_mib)
{
    uint8_t *ram = aligned_alloc(4096, ram_mib << 20);
    pmm_reset();
    pmm_init(ram_mib << 20, (uintptr_t)ram);
    kheap_init(0, 0);
    kheap_stats h0, h1;
    uint64_t pages0 = pmm_free_page_count();
    kheap_get_stats(&h0);
    rng = seed;
    memset(s, 0, sizeof s);
    const char *why = NULL;
    long i, checks = 0;
    for (i = 0; i < steps && !why; i++) {
        why = step(mix, i);
        if (!why && (i < CHECK_EVERY_UNTIL || i % CHECK_PERIOD == 0)) {
            why = kheap_check();
            checks++;
        }
    }
    if (!tap_ok(why == NULL, "seed %#lx mix %d: %ld steps, %ld heap checks", (unsigned long)seed, mix,
                i, checks))
        tap_diag("step %ld: %s", i - 1, why);
    for (int k = 0; k < SLOTS; k++)
        kfree(s[k].p);
    kheap_get_stats(&h1);
    tap_ok(h1.bytes_in_use == h0.bytes_in_use && h1.arenas == h0.arenas &&
               pmm_free_page_count() == pages0 && kheap_check() == NULL,
           "seed %#lx: all freed, heap and PMM back to start", (unsigned long)seed);
    free(ram);
}

int main(void)
{
    diag_set_hook(catch_report);
    round_(0x1234, 0, 1000000, 64);
    round_(0xBEEF, 1, 1000000, 512);
    round_(0xC0FFEE, 1, 1000000, 48); /* tight: exercises out-of-memory paths */
    TAP_EQ(reports, 0, "no misuse reports");
    return tap_done();
}

/*
 * fuzz_kheap.c - libFuzzer target for the kernel heap under damage.
 *
 * The input drives kmalloc/kfree/krealloc/kmalloc_aligned/kcalloc, large
 * blocks, direct PMM frees of heap pages, payload fills with heap
 * pointers, and overwrites: bytes written just past a block's usable end
 * (into the next header) or over a block's own header, of any value. A hook
 * records reports and returns.
 *
 * Oracle: no crash, no hang, no access outside the heap's buffer (ASan);
 * no address is handed out twice while live; a direct PMM free of an arena
 * page is reported; and once a header was damaged, the damage is never
 * absorbed silently: at the end either some call reported it, or
 * kheap_check() still finds it. Without damage, no call reports anything
 * that was not misuse, and kheap_check() is clean after every call.
 * Each input starts over on the same static buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "nanokernel/nk_memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_RAM = 8u << 20, FZ_SLOTS = 48, FZ_MAX_INPUT = 8192 };
/* The usable size recorded for a page-run block (never overrun: what lies
 * past its run is not the heap's). */
#define FZ_LARGE ((size_t)FZ_RAM * 2)
#define FZ_WRITTEN 512

typedef struct fz_slot {
    uint8_t *p;
    size_t usable;
} fz_slot;

typedef struct fz {
    const uint8_t *in;
    size_t n, at;
    fz_slot slot[FZ_SLOTS];
    bool damaged;      /* some header was changed by an overwrite */
    unsigned nwritten; /* bytes overwritten so far, with what they held first */
    uint8_t *written[FZ_WRITTEN];
    uint8_t original[FZ_WRITTEN];
    uint8_t *last_freed; /* freed by the last heap call, nothing allocated since */
    int reports;
} fz;

static fz g;

static void fz_hook(const char *call, uintptr_t addr, const char *reason)
{
    (void)call;
    (void)addr;
    (void)reason;
    g.reports++;
}

static unsigned fz_byte(void)
{
    return g.at < g.n ? g.in[g.at++] : 0;
}

static size_t fz_size(void)
{
    unsigned k = fz_byte();
    switch (k >> 6) {
    case 0:  return k & 63;                             /* tiny */
    case 1:  return (k & 63) * 16 + fz_byte();          /* small */
    case 2:  return ((k & 63) << 10) + fz_byte() * 8;   /* medium */
    default: return ((size_t)(k & 15) + 1) * 70000;     /* large or near it */
    }
}

[[noreturn]] static void fz_fail(const char *why)
{
    fprintf(stderr, "fuzz_kheap: %s\n", why);
    abort();
}

/* Fill a new block with pointers into the heap, like a list node. */
static void fz_fill(uint8_t *p, size_t n)
{
    uintptr_t v = (uintptr_t)p ^ (fz_byte() << 4);
    for (size_t i = 0; i + 8 <= n && i < 256; i += 8)
        memcpy(p + i, &v, 8);
}

/* What a write may fill at a new block p of n bytes (the heap's usable
 * size: a small block may have kept more than asked). */
static size_t fz_usable(uint8_t *p, size_t n)
{
    if (!p)
        return 0;
    return n >= 262144 ? FZ_LARGE : kmalloc_usable_size(p);
}

/* A block handed out must overlap no live one, damage or not. */
static void fz_store(unsigned s, uint8_t *p, size_t usable)
{
    size_t span = usable > FZ_RAM ? 16 : usable;
    if (p)
        for (unsigned i = 0; i < FZ_SLOTS; i++) {
            const fz_slot *o = &g.slot[i];
            size_t ospan = o->usable > FZ_RAM ? 16 : o->usable;
            if (i != s && o->p && p < o->p + (ospan ? ospan : 1) && o->p < p + (span ? span : 1))
                fz_fail("a block handed out over a live one");
        }
    g.slot[s] = (fz_slot){ p, usable };
    if (p) {
        g.last_freed = NULL;
        fz_fill(p, usable);
    }
}

/* Does some overwritten byte still differ from what it first held? (A
 * later overwrite may have put the original back.) */
static bool fz_still_damaged(void)
{
    for (unsigned k = 0; k < g.nwritten; k++)
        if (*g.written[k] != g.original[k])
            return true;
    return false;
}

static void fz_overwrite(uint8_t *at, unsigned len, uint8_t *lo, uint8_t *hi)
{
    if (at < lo || at + len > hi)
        return;
    uint8_t v = (uint8_t)fz_byte(), mode = (uint8_t)fz_byte();
    for (unsigned i = 0; i < len; i++) {
        uint8_t b = mode & 1 ? v : (uint8_t)(v + i * 37);
        bool seen = false;
        for (unsigned k = 0; k < g.nwritten && !seen; k++)
            seen = g.written[k] == at + i;
        if (!seen) {
            if (g.nwritten == FZ_WRITTEN)
                return; /* enough damage for one input */
            g.written[g.nwritten] = at + i;
            g.original[g.nwritten++] = at[i];
        }
        if (at[i] != b)
            g.damaged = true;
        at[i] = b;
    }
    /* Damage put back as it was is no longer damage: forget it, so the
     * per-step checks run again (a call that acted on it meanwhile without
     * a report left the heap inconsistent, and kheap_check says so) and a
     * byte the heap rewrites later is not taken for absorbed damage. */
    if (g.damaged && !fz_still_damaged()) {
        g.damaged = false;
        g.nwritten = 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *ram;
    if (size > FZ_MAX_INPUT)
        return 0;
    if (!ram)
        ram = aligned_alloc(4096, FZ_RAM);
    memset(&g, 0, sizeof g);
    g.in = data;
    g.n = size;
    diag_set_hook(fz_hook);
    pmm_reset();
    pmm_init(FZ_RAM, (uintptr_t)ram);
    uintptr_t h = pmm_alloc_pages(64, 1);
    kheap_init(h, h + 64 * 4096);

    static int trace = -1;
    if (trace < 0)
        trace = getenv("FZ_TRACE") != NULL; /* FZ_TRACE=1: print every step */
    unsigned steps = 0;
    while (g.at < g.n && steps++ < 2000) {
        unsigned op = fz_byte(), s = fz_byte() % FZ_SLOTS;
        fz_slot *sl = &g.slot[s];
        int before = g.reports;
        bool expect = false;
        if (trace)
            fprintf(stderr, "op %u slot %u p %p usable %zu damaged %d reports %d\n", op % 12, s,
                    (void *)sl->p, sl->usable, g.damaged, g.reports);
        switch (op % 12) {
        case 0:
        case 1:
            if (!sl->p) {
                size_t n = fz_size();
                uint8_t *p = kmalloc(n);
                fz_store(s, p, fz_usable(p, n));
            }
            break;
        case 2:
        case 3:
            kfree(sl->p);
            g.last_freed = g.reports == before ? sl->p : NULL;
            sl->p = NULL;
            break;
        case 4:
            if (sl->p) {
                size_t n = fz_size();
                uint8_t *q = krealloc(sl->p, n);
                if (q || n == 0) {
                    sl->p = NULL; /* the old block is gone (moved or freed) */
                    fz_store(s, q, fz_usable(q, n));
                }
            }
            break;
        case 5:
            if (!sl->p) {
                size_t n = fz_size() & 0xffff, al = (size_t)16 << (fz_byte() % 10);
                uint8_t *p = kmalloc_aligned(n, al);
                if (p && ((uintptr_t)p & (al - 1)))
                    fz_fail("kmalloc_aligned returned a misaligned block");
                /* page-aligned ones are page runs: nothing to overrun into */
                fz_store(s, p, al >= 4096 && p ? FZ_LARGE : fz_usable(p, n));
            }
            break;
        case 6: /* write just past the usable end: the next header */
            if (sl->p && sl->usable < FZ_RAM)
                fz_overwrite(sl->p + sl->usable, 1 + fz_byte() % 16, ram, ram + FZ_RAM);
            break;
        case 7: /* write over the block's own header */
            if (sl->p) {
                unsigned off = fz_byte() % 16;
                fz_overwrite(sl->p - 16 + off, 1 + fz_byte() % (16 - off), ram, ram + FZ_RAM);
            }
            break;
        case 8: /* a double free, or a free of an interior pointer */
            if (!sl->p && g.last_freed) {
                expect = true;
                kfree(g.last_freed);
                if (g.reports == before && !g.damaged)
                    fz_fail("a double free was not reported");
            } else if (sl->p && sl->usable > 16 && sl->usable < FZ_RAM) {
                expect = true;
                size_t off = 16 * (1 + fz_byte() % (sl->usable / 16 - 1));
                kfree(sl->p + off);
                if (g.reports == before)
                    fz_fail("kfree of an interior pointer was not reported");
            }
            break;
        case 9: /* the PMM must refuse a page of a heap arena or large block */
            if (sl->p) {
                expect = true;
                uintptr_t page = (uintptr_t)sl->p & ~(uintptr_t)4095;
                pmm_free_page(page);
                if (g.reports == before)
                    fz_fail("pmm_free_page of a heap page was not reported");
            }
            break;
        case 10:
            (void)kmalloc_usable_size(sl->p);
            break;
        default:
            if (!sl->p) {
                size_t c = fz_byte() % 40, n = fz_byte();
                uint8_t *p = kcalloc(c, n);
                for (size_t i = 0; p && i < c * n; i++)
                    if (p[i])
                        fz_fail("kcalloc memory not zeroed");
                fz_store(s, p, fz_usable(p, c * n));
            }
            break;
        }
        /* What overwritten bytes first held means something only while the
         * damage is pending; without damage the heap may rewrite them, so
         * the record starts afresh. */
        if (op % 12 != 6 && op % 12 != 7 && !g.damaged)
            g.nwritten = 0;
        if (!g.damaged) {
            if (g.reports != before && !expect)
                fz_fail("a report without damage or misuse");
            const char *why = kheap_check();
            if (why)
                fz_fail(why);
        }
    }
    if (g.damaged && g.reports == 0 && fz_still_damaged() && kheap_check() == NULL)
        fz_fail("a damaged header was absorbed without a report");
    diag_set_hook(NULL);
    return 0;
}

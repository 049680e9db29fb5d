/*
 * fuzz_mm_damage.c - libFuzzer target for the Classic Memory Manager under
 * damage.
 *
 * The input drives NewHandle/NewPtr (plain and clear), DisposeHandle,
 * DisposePtr, SetHandleSize, SetPtrSize, EmptyHandle, ReallocateHandle,
 * HLock/HUnlock/HPurge, MoveHHi, CompactMem, PurgeMem, MaxMem, MaxBlock,
 * MoreMasters and HandleZone/RecoverHandle, interleaved with overwrites:
 * up to 23 bytes written just past a block's physical end (the next
 * block's header and, for a free block, its free-list back link), over a
 * block's own header, and over a handle's master pointer, of any value.
 * (A free block's address-index fields lie further in; an overrun that
 * long is not what this target models.) Both hooks (diag and
 * misuse) record and return.
 *
 * Oracle: no crash, no hang (libFuzzer's -timeout), no access outside the
 * zone's own heap allocation (ASan). Without damage, no call reports
 * anything except the misuse it was given, and the heap check is clean
 * after every call. With damage: a call that finds the zone damaged
 * (heap check fails before it) must not leave it looking sound without a
 * report, so damage a call touches is reported, never absorbed. That is
 * asked of structural findings (memAZErr, memBCErr, memPCErr); a finding
 * of memSCErr (sizes and counts: a header retyped by damage leaves cntRel
 * or minCBFree off) may be evened out by a later call, as no call can
 * tell a count that was made wrong from one it keeps.
 * Each input starts over on the same heap allocation. To read a failing
 * input: FZ_TRACE=1 prints every step and the heap check's finding, and
 * FZ_DUMP=N the zone (mm_dump_zone) before every step from the N-th and
 * when the oracle fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "MemoryMgr/mm_init.h"
#include "lib/diag.h"

#include "../../src/MemoryMgr/mm_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_ZONE = 48 * 1024, FZ_SLOTS = 24, FZ_MAX_INPUT = 4096, FZ_MAX_STEPS = 600 };

typedef struct fz {
    const uint8_t *in;
    size_t n, at;
    THz z;
    char *buf;
    Handle h[FZ_SLOTS];
    Ptr p[FZ_SLOTS];
    bool damaged;   /* some overwrite changed a byte */
    int reports;    /* damage and misuse reports so far */
} fz;

static fz g;

static void fz_diag_hook(const char *call, uintptr_t addr, const char *reason)
{
    if (getenv("FZ_TRACE"))
        fprintf(stderr, "  report: %s %#lx %s\n", call, (unsigned long)addr, reason);
    g.reports++;
}

static void fz_misuse_hook(const mm_misuse_report *r)
{
    (void)r;
    g.reports++;
}

static unsigned fz_byte(void)
{
    return g.at < g.n ? g.in[g.at++] : 0;
}

static Size fz_size(void)
{
    unsigned k = fz_byte();
    switch (k >> 6) {
    case 0:  return k & 63;
    case 1:  return (Size)(k & 63) * 16 + fz_byte();
    case 2:  return (Size)((k & 15) << 10) + fz_byte() * 4;
    default: return (k & 1) ? -(Size)fz_byte() : (Size)FZ_ZONE;   /* bad or too big */
    }
}

[[noreturn]] static void fz_fail(const char *why)
{
    fprintf(stderr, "fuzz_mm_damage: %s\n", why);
    if (getenv("FZ_DUMP")) {
        mm_dump_zone(g.z);   /* the zone the failing step left */
        fflush(stdout);
    }
    abort();
}

/* Overwrite len bytes at `at` (kept inside the zone's allocation). */
static void fz_overwrite(char *at, unsigned len)
{
    if (at < g.buf || at >= g.buf + FZ_ZONE)
        return;
    if (at + len > g.buf + FZ_ZONE)
        len = (unsigned)(g.buf + FZ_ZONE - at);
    uint8_t v = (uint8_t)fz_byte(), mode = (uint8_t)fz_byte();
    for (unsigned i = 0; i < len; i++) {
        uint8_t b = mode & 1 ? v : (uint8_t)(v + i * 37);
        if ((uint8_t)at[i] != b)
            g.damaged = true;
        at[i] = (char)b;
    }
}

/* The data address a slot's block has now, or NULL (read from the zone: a
 * damaged master pointer is what the next overwrite aims from, kept inside
 * the zone's allocation). */
static char *fz_data(unsigned s, bool handle)
{
    if (handle) {
        Handle h = g.h[s];
        uintptr_t v = h ? (uintptr_t)*h : 0, lo = (uintptr_t)g.buf + MM_HDR, hi = (uintptr_t)g.buf + FZ_ZONE;
        return (v & (MM_ALIGN - 1)) == 0 && v >= lo && v < hi ? *h : NULL;   /* compared as numbers */
    }
    return g.p[s];
}

/* Physical end of the block whose data is d, from its header (in bounds or NULL). */
static char *fz_phys_end(char *d)
{
    if (d < g.buf + MM_HDR || d >= g.buf + FZ_ZONE)
        return NULL;
    uint64_t sz = block_size(block_from_data(d));
    if (sz < MM_MIN_BLOCK || sz > (uint64_t)(g.buf + FZ_ZONE - (d - MM_HDR)))
        return NULL;
    return d - MM_HDR + sz;
}

static bool fz_sound(void)
{
    return mm_check_zone(g.z, "fuzz", false) == noErr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *buf;
    if (size > FZ_MAX_INPUT)
        return 0;
    if (!buf)
        buf = aligned_alloc(64, FZ_ZONE);
    memset(&g, 0, sizeof g);
    g.in = data;
    g.n = size;
    g.buf = buf;
    diag_set_hook(fz_diag_hook);
    mm_set_misuse_hook(fz_misuse_hook);
    mm_set_space_verify(false);   /* damage the walk believes is not the map's bug */
    InitZone(NULL, 8, buf + FZ_ZONE, buf);
    g.z = GetZone();
    if (MemError() != noErr || g.z == NULL)
        fz_fail("InitZone failed");

    static int trace = -1, dump_from;
    if (trace < 0) {
        trace = getenv("FZ_TRACE") != NULL;   /* FZ_TRACE=1: print every step */
        dump_from = getenv("FZ_DUMP") ? atoi(getenv("FZ_DUMP")) : 0;   /* FZ_DUMP=N: the zone before step N on, and at a failure */
    }
    unsigned steps = 0;
    while (g.at < g.n && steps++ < FZ_MAX_STEPS) {
        unsigned op = fz_byte() % 20, s = fz_byte() % FZ_SLOTS;
        int before = g.reports;
        bool damage_op = op >= 17, misuse = false;
        OSErr before_check = mm_check_zone(g.z, "fuzz", false);
        bool was_sound = before_check == noErr;
        Handle h = g.h[s];
        SetZone(g.z);
        if (dump_from > 0 && steps >= (unsigned)dump_from) {
            mm_dump_zone(g.z);
            fflush(stdout);
        }
        if (trace && !was_sound)
            (void)mm_check_zone(g.z, "trace", true), fflush(stdout);
        if (trace)
            fprintf(stderr, "op %u slot %u h %p p %p damaged %d sound %d reports %d\n", op, s, (void *)h,
                    (void *)g.p[s], g.damaged, was_sound, g.reports);
        switch (op) {
        case 0:
        case 1:
            if (!h)
                g.h[s] = (fz_byte() & 1) ? NewHandleClear(fz_size()) : NewHandle(fz_size());
            break;
        case 2:
            if (!g.p[s])
                g.p[s] = (fz_byte() & 1) ? NewPtrClear(fz_size()) : NewPtr(fz_size());
            break;
        case 3:
            if (h) {
                DisposeHandle(h);
                g.h[s] = NULL;
            }
            break;
        case 4:
            if (g.p[s]) {
                DisposePtr(g.p[s]);
                g.p[s] = NULL;
            }
            break;
        case 5:
            if (h)
                SetHandleSize(h, fz_size());
            break;
        case 6:
            if (g.p[s])
                SetPtrSize(g.p[s], fz_size());
            break;
        case 7:
            if (h)
                EmptyHandle(h);
            break;
        case 8:
            if (h)
                ReallocateHandle(h, fz_size());
            break;
        case 9:
            if (h) {
                unsigned k = fz_byte() % 4;
                if (k == 0) HLock(h);
                else if (k == 1) HUnlock(h);
                else if (k == 2) HPurge(h);
                else HNoPurge(h);
            }
            break;
        case 10:
            if (h)
                MoveHHi(h);
            break;
        case 11:
            CompactMem(fz_size());
            break;
        case 12:
            PurgeMem(fz_size());
            break;
        case 13: {
            Size grow;
            (void)MaxMem(&grow);
            (void)MaxBlock();
            break;
        }
        case 14:
            MoreMasters();
            break;
        case 15:
            if (h) {
                (void)HandleZone(h);
                if (fz_data(s, true))
                    (void)RecoverHandle(*h);
            }
            break;
        case 16: /* misuse: a pointer where a handle belongs, and the reverse */
            misuse = true;
            if (g.p[s])
                DisposeHandle((Handle)g.p[s]);   /* a zeroed pointer block is no handle */
            if (fz_data(s, true))
                (void)GetPtrSize(*h);
            break;
        case 17: { /* just past a block's physical end: the next header and a free block's back link */
            /* Only while the zone is sound: a damaged size or master pointer
             * would aim the write anywhere, not just past a block. */
            char *d = was_sound ? fz_data(s, fz_byte() & 1) : NULL;
            char *end = d ? fz_phys_end(d) : NULL;
            if (end)
                fz_overwrite(end + fz_byte() % 8, 1 + fz_byte() % 16);
            break;
        }
        case 18: { /* over a block's own header */
            char *d = was_sound ? fz_data(s, fz_byte() & 1) : NULL;
            if (d) {
                unsigned off = fz_byte() % 16;
                fz_overwrite(d - MM_HDR + off, 1 + fz_byte() % (16 - off));
            }
            break;
        }
        default: /* over a handle's master pointer */
            if (h && (char *)h >= g.buf && (char *)h < g.buf + FZ_ZONE)
                fz_overwrite((char *)h + fz_byte() % 8, 1 + fz_byte() % 8);
            break;
        }
        if (damage_op)
            continue;
        if (!g.damaged) {
            if (g.reports != before && !misuse)
                fz_fail("a report without damage or misuse");
            if (!fz_sound())
                fz_fail("heap check failed without damage");
        } else if (!was_sound && before_check != memSCErr && g.reports == before && fz_sound()) {
            fz_fail("a call absorbed damage without reporting it");
        }
    }
    mm_forget_zone(g.z);
    mm_set_misuse_hook(NULL);
    diag_set_hook(NULL);
    return 0;
}

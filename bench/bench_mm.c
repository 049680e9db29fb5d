/*
 * bench_mm.c - the Classic Memory Manager benchmarks (tools/bench-mm.sh
 * runs them and prints the table).
 *
 *   bench_mm churn N [asked]
 *                       one 128 MiB zone, N live handles of random sizes
 *                       16..1023 (splitmix64, fixed seed; "asked": then one
 *                       MaxBlock, so the space map is kept), then CHURN_STEPS
 *                       steps of DisposeHandle(random live handle) +
 *                       NewHandle(random size) through the noinline
 *                       wrappers churn_dispose/churn_new, so callgrind
 *                       --toggle-collect=<wrapper> counts only those calls.
 *                       Filling the zone is not counted. Every block's first
 *                       and last byte carry a tag checked at dispose; exit 1
 *                       on a mismatch, a failed call or a bad heap check.
 *   bench_mm mix [P]    CLASSIC-MIX-v1 (defined below mix_run): a 36 MiB
 *                       zone 88% full with 100,000 live blocks under
 *                       NewPtr / NewHandle / SetHandleSize by 1.5x / HLock /
 *                       HUnlock / dispose. SetHandleSize goes through the
 *                       noinline wrapper mix_set_size (callgrind
 *                       --toggle-collect=mix_set_size gives the mean);
 *                       with P = 1, every SetHandleSize is wrapped in
 *                       BENCH_CALL (per-call dumps, for the largest call).
 *                       Checks: every block's tag at every touch, the
 *                       zone's block counts against the trace's, a final
 *                       heap check, and the trace's FNV-1a-64 over the
 *                       live blocks' slots, kinds and sizes (placement does
 *                       not enter it, so it is the same for any correct
 *                       allocator: tools/bench-mm.sh compares it).
 *   bench_mm calls N    one call each of MaxBlock, PurgeSpace, MoveHHi of
 *                       the lowest unlocked handle, CompactMem(2000)
 *                       (noinline wrappers call_maxblock, call_purgespace,
 *                       call_movehhi, call_compactmem) in a zone of N live
 *                       handles, MoveHHi of the lowest handle in one with
 *                       none locked (call_movehhi_open), and NewHandle(1088)
 *                       (call_newhandle) in a zone whose size class for it
 *                       holds N too-small free blocks ahead of the one that
 *                       fits (see calls_run).
 *   bench_mm compact    CompactMem of a fragmented 64 MiB zone against
 *                       memmove of the same number of bytes, natively and
 *                       wall-clock, REPEATS times; prints every round and
 *                       the medians. The zone is filled with handles of
 *                       random sizes 16..1023 until less than 2 KiB is free,
 *                       then a random half is disposed. "Bytes moved" are
 *                       the bytes CompactMem copies: the whole blocks
 *                       (header, data and padding) of the handles whose
 *                       address changed. The handles' logical bytes alone
 *                       are printed too, about 4% fewer, with the ratio
 *                       they would give (scaled by logical / moved: memmove's
 *                       time is linear in its length). The reference
 *                       is one host memmove of that many bytes from the top
 *                       of another 64 MiB buffer to its bottom. Ratio =
 *                       memmove time / CompactMem time, i.e. CompactMem's
 *                       bytes per second as a fraction of memmove's.
 *                       Each round also times the copies alone: the runs
 *                       of blocks CompactMem moves (read from the zone's
 *                       headers before it runs, untimed) are replayed with
 *                       nk_memmove at the same offsets in the reference
 *                       buffer, with no header, check or master pointer.
 *                       memmove time / that time ("copies-only ratio")
 *                       shows how much of CompactMem's gap to memmove is
 *                       the scattered copies themselves, at that moment.
 *   bench_mm density    how many blocks a 1 MiB zone holds: for each of
 *                       NewHandle and NewPtr of 8, 100 and 1,000 bytes, a
 *                       fresh zone made by InitZone over 1 MiB (1,024
 *                       master pointers per master block, so a handle's
 *                       share of a master block's header is under 0.03
 *                       bytes) is filled with that one call until it
 *                       fails; prints "density <kind> <bytes> <count>
 *                       <bytes per block>", bytes per block = the zone's
 *                       whole 1 MiB (headers, master pointers and any
 *                       unused tail included) / count. Exit 1 if the fill
 *                       does not end with memFullErr or the heap check fails.
 *   bench_mm remap      large handles (mm_remap.c) of 64 KiB to 256 MiB in a
 *                       zone over remappable host memory (plat_host_map):
 *                       CompactMem sliding one from the zone's top to its
 *                       bottom, and SetHandleSize growing one by 4 MiB
 *                       against the zone's end (so it moves), each timed
 *                       natively against a host memmove of the same bytes
 *                       between two buffers whose pages are already in, in
 *                       the same run; REPEATS rounds, medians. Every move
 *                       is checked: contents (a pattern on every page), the
 *                       heap check, and that the pages were remapped (the
 *                       remap counters). Prints one line per size and
 *                       "remap_ratio <size> <compact> <sethandlesize>"
 *                       (Memory Manager time / memmove time).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_trace.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "MemoryMgr/mm_init.h"
#include "../src/MemoryMgr/mm_internal.h"
#include "lib/kstring.h"
#include "platform.h"

enum { CHURN_STEPS = 200000, REPEATS = 7 };
#define CHURN_ZONE ((size_t)128 << 20)
#define COMPACT_ZONE ((size_t)64 << 20)

[[gnu::noinline]] Handle churn_new(Size n) { return NewHandle(n); }
[[gnu::noinline]] void churn_dispose(Handle h) { DisposeHandle(h); }

static char *bench_buf(size_t n)
{
    char *p = aligned_alloc(4096, n);
    if (p == NULL) {
        fprintf(stderr, "bench_mm: out of host memory\n");
        exit(1);
    }
    memset(p, 0, n);   /* fault the pages in before anything is measured */
    return p;
}

static Size rand_size(uint64_t *st) { return (Size)(16 + sm64_next(st) % 1008); }

/* Tag a block's first and last byte with its slot so damage shows at dispose. */
static void tag_block(Handle h, Size n, long slot)
{
    (*h)[0] = (char)slot;
    (*h)[n - 1] = (char)(slot >> 8);
}

static bool tag_ok(Handle h, long slot)
{
    Size n = GetHandleSize(h);
    return n >= 16 && (*h)[0] == (char)slot && (*h)[n - 1] == (char)(slot >> 8);
}

static int bench_churn(long live, bool asked)
{
    char *buf = bench_buf(CHURN_ZONE);
    InitZone(NULL, 1024, buf + CHURN_ZONE, buf);
    THz z = GetZone();
    Handle *slot = calloc((size_t)live, sizeof *slot);
    uint64_t st = 0x4D4D2D4348524E00ull;
    for (long i = 0; i < live; i++) {
        Size n = rand_size(&st);
        slot[i] = NewHandle(n);
        if (slot[i] == NULL) {
            fprintf(stderr, "churn %ld: fill failed at %ld (err %d)\n", live, i, MemError());
            return 1;
        }
        tag_block(slot[i], n, i);
    }
    if (asked)
        (void)MaxBlock();   /* the zone's space map is kept from now on: every change marks its chunk */
    long bad = 0;
    uint64_t t0 = now_ns();
    for (long k = 0; k < CHURN_STEPS; k++) {
        long i = (long)(sm64_next(&st) % (uint64_t)live);
        bad += !tag_ok(slot[i], i);
        churn_dispose(slot[i]);
        bad += MemError() != noErr;
        Size n = rand_size(&st);
        slot[i] = churn_new(n);
        if (slot[i] == NULL) {
            fprintf(stderr, "churn %ld: NewHandle(%ld) failed at step %ld (err %d)\n", live, n, k, MemError());
            return 1;
        }
        tag_block(slot[i], n, i);
    }
    uint64_t ns = now_ns() - t0;
    OSErr chk = mm_check_zone(z, "bench_mm", true);
    printf("churn live %ld steps %d ns/pair %.1f tags %s heapcheck %s free %ld\n", live, CHURN_STEPS,
           (double)ns / CHURN_STEPS, bad ? "BAD" : "ok", chk == noErr ? "clean" : "FAILED", FreeMem());
    return bad || chk != noErr;
}

/* Fill the zone, dispose a random half; returns how many handles remain in h[]. */
static long compact_fragment(char *buf, Handle *h, long cap, uint64_t seed)
{
    InitZone(NULL, 4096, buf + COMPACT_ZONE, buf);
    uint64_t st = seed;
    long n = 0;
    while (n < cap && FreeMem() > 2048) {
        Size sz = rand_size(&st);
        Handle x = NewHandle(sz);
        if (x == NULL)
            break;
        memset(*x, (int)(n & 0xff), (size_t)sz);
        h[n++] = x;
    }
    long kept = 0;
    for (long i = 0; i < n; i++) {
        if (sm64_next(&st) & 1)
            DisposeHandle(h[i]);
        else
            h[kept++] = h[i];
    }
    return kept;
}

/* A copy compaction makes: len bytes from zone offset src down to dst. */
typedef struct compact_copy {
    size_t src, dst, len;
} compact_copy;

/* The copies CompactMem will make in z (buf its storage), as its walk
 * makes them: a run of unlocked relocatable blocks slides down to the
 * free space below it; an immovable block restarts that space after it.
 * Returns how many went into c[cap]. The zone is sound (just built). */
static long compact_plan(THz z, const char *buf, compact_copy *c, long cap)
{
    mm_block *b = zone_first(z), *trailer = zone_trailer(z);
    char *gap = NULL;
    long n = 0;
    while (b != trailer && n < cap) {
        if (block_is_free(b)) {
            gap = gap != NULL ? gap : (char *)b;
            b = block_next(b);
        } else if (gap != NULL && block_type(b) == MM_T_REL && !block_locked(b)) {
            char *from = (char *)b;
            while (b != trailer && block_type(b) == MM_T_REL && !block_locked(b))
                b = block_next(b);
            c[n++] = (compact_copy){ (size_t)(from - buf), (size_t)(gap - buf), (size_t)((char *)b - from) };
            gap += (char *)b - from;
        } else {
            gap = NULL;
            b = block_next(b);
        }
    }
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bench_compact(void)
{
    char *buf = bench_buf(COMPACT_ZONE), *ref = bench_buf(COMPACT_ZONE);
    long cap = (long)(COMPACT_ZONE / 32);
    Handle *h = malloc((size_t)cap * sizeof *h);
    Ptr *before = malloc((size_t)cap * sizeof *before);
    long plan_cap = (long)(COMPACT_ZONE / 64);
    compact_copy *plan = malloc((size_t)plan_cap * sizeof *plan);
    double ratio[REPEATS], mm_ns[REPEATS], ref_ns[REPEATS], moved_b[REPEATS], alone_ns[REPEATS], alone_r[REPEATS],
        logical_r[REPEATS];
    int bad = 0;
    for (int r = 0; r < REPEATS; r++) {
        long n = compact_fragment(buf, h, cap, 0x434F4D5041435400ull + (uint64_t)r);
        Size free0 = FreeMem();
        for (long i = 0; i < n; i++)
            before[i] = *h[i];
        long copies = compact_plan(GetZone(), buf, plan, plan_cap);
        uint64_t t0 = now_ns();
        Size largest = CompactMem((Size)COMPACT_ZONE);
        uint64_t t1 = now_ns();
        size_t moved = 0, logical = 0;
        for (long i = 0; i < n; i++) {
            if (*h[i] != before[i]) {
                moved += (size_t)block_size(block_from_data(*h[i]));
                logical += (size_t)GetHandleSize(h[i]);
            }
            bad += (unsigned char)(*h[i])[0] != (unsigned char)(*h[i])[GetHandleSize(h[i]) - 1];
        }
        bad += mm_check_zone(GetZone(), "bench_mm", true) != noErr || FreeMem() != free0;
        uint64_t t2 = now_ns();
        memmove(ref, ref + (COMPACT_ZONE - moved), moved);
        uint64_t t3 = now_ns();
        for (long k = 0; k < copies; k++)
            nk_memmove(ref + plan[k].dst, ref + plan[k].src, plan[k].len);
        uint64_t t4 = now_ns();
        alone_ns[r] = (double)(t4 - t3);
        alone_r[r] = (double)(t3 - t2) / alone_ns[r];
        mm_ns[r] = (double)(t1 - t0);
        ref_ns[r] = (double)(t3 - t2);
        moved_b[r] = (double)moved;
        ratio[r] = ref_ns[r] / mm_ns[r];   /* (bytes/s of CompactMem) / (bytes/s of memmove) */
        logical_r[r] = ratio[r] * (double)logical / (double)moved;
        printf("compact round %d: %ld handles, moved %.2f MiB (logical %.2f), CompactMem %.3f ms (%.2f GB/s), "
               "memmove %.3f ms (%.2f GB/s), ratio %.3f (by logical bytes %.3f), largest free %ld; "
               "copies alone: %ld in %.3f ms, copies-only ratio %.3f\n",
               r, n, moved / 1048576.0, logical / 1048576.0, mm_ns[r] / 1e6, moved / mm_ns[r], ref_ns[r] / 1e6,
               moved / ref_ns[r], ratio[r], logical_r[r], (long)largest, copies, alone_ns[r] / 1e6, alone_r[r]);
        mm_forget_zone(GetZone());
    }
    qsort(ratio, REPEATS, sizeof ratio[0], cmp_double);
    qsort(mm_ns, REPEATS, sizeof mm_ns[0], cmp_double);
    qsort(ref_ns, REPEATS, sizeof ref_ns[0], cmp_double);
    qsort(moved_b, REPEATS, sizeof moved_b[0], cmp_double);
    qsort(alone_ns, REPEATS, sizeof alone_ns[0], cmp_double);
    qsort(alone_r, REPEATS, sizeof alone_r[0], cmp_double);
    qsort(logical_r, REPEATS, sizeof logical_r[0], cmp_double);
    printf("compact median: moved %.2f MiB, CompactMem %.3f ms, memmove %.3f ms, ratio %.3f (by logical bytes %.3f), "
           "contents %s; copies alone %.3f ms, copies-only ratio %.3f\n",
           moved_b[REPEATS / 2] / 1048576.0, mm_ns[REPEATS / 2] / 1e6, ref_ns[REPEATS / 2] / 1e6,
           ratio[REPEATS / 2], logical_r[REPEATS / 2], bad ? "DAMAGED" : "ok", alone_ns[REPEATS / 2] / 1e6,
           alone_r[REPEATS / 2]);
    printf("compact_ratio %.3f\n", ratio[REPEATS / 2]);
    return bad != 0;
}

/*
 * CLASSIC-MIX-v1. State: splitmix64 from 0x434C415353494D58 ("CLASSIMX").
 * Zone: InitZone over 36 MiB (37,748,736 bytes) with 4,096 master pointers.
 * Slots: 100,000; slot i holds a pointer or a handle of base size s
 * (16 + next() % 484) and, for a handle, a grown flag (its size is then
 * s * 3 / 2) and a lock bit.
 * Fill, slot by slot: k = next() % 10; k < 3: NewPtr(s); else NewHandle
 * (grown if next() & 1, so about half the handles start grown), and HLock
 * it if next() % 10 == 0. The zone is then about 88% full (bench checks
 * 87..89%: 1 - FreeMem() / zone size).
 * Steps (MIX_STEPS): i = next() % 100,000, op = next() % 8:
 *   op 0..3, a handle: unlocked: SetHandleSize to s * 3 / 2 if not grown,
 *           back to s if grown (so the mix stays near 88%); locked: no-op;
 *   op 4, a handle: locked: HUnlock; unlocked: HLock if next() % 9 == 0
 *           (about 10% locked in the long run);
 *   op 0..4 on a pointer: no-op;
 *   op 5..7: dispose the slot's block, draw a new base size and kind as in
 *           the fill (k, grown, lock).
 * Every block's first 8 bytes hold its slot and generation; a touched
 * block's tag is checked first. A failed call ends the run with exit 1.
 */
enum { MIX_SLOTS = 100000, MIX_STEPS = 200000 };
#define MIX_ZONE ((size_t)36 << 20)

typedef struct mix_slot {
    void    *blk;    /* Ptr or Handle */
    Size     base;
    uint32_t gen;
    uint8_t  handle, grown, locked;
} mix_slot;

[[gnu::noinline]] void mix_set_size(Handle h, Size n) { SetHandleSize(h, n); }

static uint64_t mix_tag(long i, const mix_slot *m) { return ((uint64_t)i << 32) | m->gen; }
static char *mix_data(const mix_slot *m) { return m->handle ? *(Handle)m->blk : (char *)m->blk; }
static Size mix_size(const mix_slot *m) { return m->handle && m->grown ? m->base * 3 / 2 : m->base; }

static bool mix_new(mix_slot *m, long i, uint64_t *st)
{
    m->base = (Size)(16 + sm64_next(st) % 484);
    m->handle = sm64_next(st) % 10 >= 3;
    m->grown = m->locked = 0;
    m->gen++;
    if (m->handle) {
        m->grown = sm64_next(st) & 1;
        m->blk = NewHandle(mix_size(m));
        if (m->blk != NULL && sm64_next(st) % 10 == 0) {
            HLock(m->blk);
            m->locked = 1;
        }
    } else {
        m->blk = NewPtr(m->base);
    }
    if (m->blk == NULL) {
        fprintf(stderr, "mix: slot %ld: allocation of %ld failed (err %d)\n", i, mix_size(m), MemError());
        return false;
    }
    uint64_t t = mix_tag(i, m);
    memcpy(mix_data(m), &t, sizeof t);
    return true;
}

static bool mix_tag_ok(const mix_slot *m, long i)
{
    uint64_t t;
    memcpy(&t, mix_data(m), sizeof t);
    return t == mix_tag(i, m);
}

static void mix_dispose(mix_slot *m)
{
    if (m->handle)
        DisposeHandle(m->blk);
    else
        DisposePtr(m->blk);
}

static int bench_mix(bool percall)
{
    char *buf = bench_buf(MIX_ZONE);
    InitZone(NULL, 4096, buf + MIX_ZONE, buf);
    THz z = GetZone();
    mix_slot *m = calloc(MIX_SLOTS, sizeof *m);
    uint64_t st = 0x434C415353494D58ull;
    long bad = 0, sets = 0;
    for (long i = 0; i < MIX_SLOTS; i++)
        if (!mix_new(&m[i], i, &st))
            return 1;
    double full = 1.0 - (double)FreeMem() / (double)MIX_ZONE;
    bench_percall_steps = percall ? MIX_STEPS : 0;
    for (long k = 0; k < MIX_STEPS; k++) {
        long i = (long)(sm64_next(&st) % MIX_SLOTS);
        unsigned op = (unsigned)(sm64_next(&st) % 8);
        mix_slot *s = &m[i];
        bad += !mix_tag_ok(s, i);
        if (op <= 3 && s->handle && !s->locked) {
            s->grown ^= 1;
            sets++;
            BENCH_CALL(k, mix_set_size(s->blk, mix_size(s)));
            if (MemError() != noErr) {
                fprintf(stderr, "mix: step %ld: SetHandleSize(%ld) failed (err %d)\n", k, mix_size(s), MemError());
                return 1;
            }
        } else if (op == 4 && s->handle) {
            if (s->locked)
                HUnlock(s->blk);
            else if (sm64_next(&st) % 9 == 0)
                HLock(s->blk);
            s->locked = s->locked ? 0 : (HGetState(s->blk) & kHandleLockedMask) != 0;
        } else if (op >= 5) {
            mix_dispose(s);
            if (!mix_new(s, i, &st))
                return 1;
        }
    }
    /* The trace's checksum: slot, kind and size of every live block. */
    uint64_t fnv = 0xcbf29ce484222325ull;
    long nrel = 0, nptr = 0;
    for (long i = 0; i < MIX_SLOTS; i++) {
        bad += !mix_tag_ok(&m[i], i);
        bad += (m[i].handle ? GetHandleSize(m[i].blk) : GetPtrSize(m[i].blk)) != mix_size(&m[i]);
        fnv = fnv1a_u32(fnv, (uint32_t)i);
        fnv = fnv1a_u32(fnv, (uint32_t)m[i].handle);
        fnv = fnv1a_u32(fnv, (uint32_t)mix_size(&m[i]));
        nrel += m[i].handle;
        nptr += !m[i].handle;
    }
    OSErr chk = mm_check_zone(z, "bench_mm mix", true);
    /* Pointer blocks also hold the master pointers (one block per 4,096 at InitZone, more from MoreMasters). */
    bool counts = z->cntRel == nrel && z->cntNRel >= nptr && z->cntNRel - nptr <= 64;
    printf("mix slots %d steps %d full %.4f setsize %ld tags %s counts %s heapcheck %s\n", MIX_SLOTS, MIX_STEPS, full,
           sets, bad ? "BAD" : "ok", counts ? "ok" : "BAD", chk == noErr ? "clean" : "FAILED");
    printf("mix_setsize_calls %ld\n", sets);
    printf("mix_fnv %016llx\n", (unsigned long long)fnv);
    return bad || !counts || chk != noErr || full < 0.87 || full > 0.89;
}

[[gnu::noinline]] long call_maxblock_first(void) { return MaxBlock(); }
[[gnu::noinline]] long call_maxblock(void) { return MaxBlock(); }
[[gnu::noinline]] void call_purgespace(long *t, long *c) { PurgeSpace(t, c); }
[[gnu::noinline]] void call_movehhi(Handle h) { MoveHHi(h); }
[[gnu::noinline]] Handle call_newhandle(Size n) { return NewHandle(n); }
[[gnu::noinline]] Size call_compactmem(Size n) { return CompactMem(n); }
[[gnu::noinline]] void call_movehhi_open(Handle h) { MoveHHi(h); }

/*
 * The bounded-call cases at N:
 *  - MaxBlock, PurgeSpace, MoveHHi: a zone of N live handles of sizes
 *    16..1023 (splitmix64 from 0x43414C4C53000000), every 10th locked,
 *    every 7th purgeable, then every 3rd disposed (free blocks spread
 *    through the zone); one MaxBlock (call_maxblock_first: the first call
 *    after the build rebuilds every chunk of the space map the build
 *    changed), then four handles disposed at 1/5 .. 4/5 of the handles,
 *    then the measured MaxBlock and PurgeSpace; MoveHHi moves the lowest
 *    unlocked handle.
 *  - NewHandle(1088) (a 1,104-byte block, whose good-fit classes are
 *    empty): N free blocks of 1,088 bytes (too small, same size class)
 *    ahead of one of 1,136 bytes on that class's list, each between two
 *    locked handles, and every other free byte of the zone taken by pointers.
 *  - CompactMem(2000) in the first zone after MoveHHi, once pointers have
 *    taken every free block of 2,000 bytes or more: it compacts, and stops
 *    at the first gap that holds 2,000 bytes.
 *  - MoveHHi with no immovable block above: the same zone's N handles with
 *    none locked; MoveHHi moves the lowest handle above the highest
 *    master-pointer block to the zone's top, past every live one above it.
 * Each wrapper runs once; exit 1 on a failed call or a bad heap check.
 */
static int calls_run(long n)
{
    size_t zsz = (size_t)n * 1200 + ((size_t)4 << 20);
    char *buf = bench_buf(zsz);
    InitZone(NULL, (short)(n > 30000 ? 30000 : n + 64), buf + zsz, buf);
    MoreMasters();
    THz z = GetZone();
    Handle *h = calloc((size_t)n, sizeof *h);
    uint64_t st = 0x43414C4C53000000ull;
    for (long i = 0; i < n; i++) {
        h[i] = NewHandle((Size)(16 + sm64_next(&st) % 1008));
        if (h[i] == NULL)
            return 1;
        if (i % 10 == 0)
            HLock(h[i]);
        else if (i % 7 == 0)
            HPurge(h[i]);
    }
    for (long i = 0; i < n; i += 3)
        if (i % 10 != 0) {
            DisposeHandle(h[i]);
            h[i] = NULL;
        }
    long t = 0, c = 0;
    long mb_first = call_maxblock_first();
    for (long q = 1; q <= 4; q++)
        for (long i = q * n / 5; i < n; i++)
            if (h[i] != NULL && !(HGetState(h[i]) & kHandleLockedMask)) {
                DisposeHandle(h[i]);
                h[i] = NULL;
                break;
            }
    long mb = call_maxblock();
    call_purgespace(&t, &c);
    Handle low = NULL;
    for (long i = 0; i < n; i++)
        if (h[i] != NULL && !(HGetState(h[i]) & kHandleLockedMask) && (low == NULL || *h[i] < *low))
            low = h[i];
    call_movehhi(low);
    OSErr e1 = MemError();
    while (mm_zone_largest_free(z) >= 2000)   /* so CompactMem(2000) has to compact */
        if (NewPtr(mm_zone_largest_free(z)) == NULL)
            return 1;
    Size cm = call_compactmem(2000);
    OSErr chk1 = mm_check_zone(z, "bench_mm calls", true);
    printf("calls %ld maxblock %ld (first %ld) purgespace %ld/%ld movehhi err %d compactmem(2000) %ld heapcheck %s\n", n,
           mb, mb_first, t, c, e1, (long)cm, chk1 == noErr ? "clean" : "FAILED");
    free(buf);
    e1 = e1 != noErr || cm < 2000 ? 1 : noErr;

    /* MoveHHi with nothing immovable above the lowest handle. */
    buf = bench_buf(zsz);
    InitZone(NULL, (short)(n > 30000 ? 30000 : n + 64), buf + zsz, buf);
    MoreMasters();
    THz z1 = GetZone();
    st = 0x43414C4C53000000ull;
    for (long i = 0; i < n; i++)
        if ((h[i] = NewHandle((Size)(16 + sm64_next(&st) % 1008))) == NULL)
            return 1;
    for (long i = 0; i < n; i += 3) {
        DisposeHandle(h[i]);
        h[i] = NULL;
    }
    char *barrier = NULL;   /* the highest nonrelocatable block (master pointers) */
    for (mm_block *b = zone_first(z1); b != zone_trailer(z1); b = block_next(b))
        if (block_type(b) == MM_T_NONREL)
            barrier = (char *)b;
    low = NULL;
    for (long i = 0; i < n; i++)
        if (h[i] != NULL && *h[i] > barrier && (low == NULL || *h[i] < *low))
            low = h[i];
    long above = 0;
    for (long i = 0; i < n; i++)
        above += h[i] != NULL && low != NULL && *h[i] > *low;
    if (low == NULL)
        return 1;
    Ptr was = *low;
    call_movehhi_open(low);
    OSErr e3 = MemError(), chk3 = mm_check_zone(z1, "bench_mm calls", true);
    bool top = mm_check_move_hhi(z1, low) == noErr && *low > was;
    printf("calls %ld movehhi-open past %ld handles err %d %s heapcheck %s\n", n, above, e3,
           top ? "at the top" : "NOT AT THE TOP", chk3 == noErr ? "clean" : "FAILED");
    free(buf);
    free(h);
    if (e3 != noErr || !top || chk3 != noErr)
        return 1;

    /* NewHandle(1088) past N too-small blocks of its class. */
    zsz = (size_t)n * 1200 + ((size_t)4 << 20);
    buf = bench_buf(zsz);
    InitZone(NULL, 64, buf + zsz, buf);
    THz z2 = GetZone();
    Handle *small = calloc((size_t)n, sizeof *small);
    Handle fit = NewHandle(1136 - 16), sep = NewHandle(16);
    for (long i = 0; i < n && fit != NULL && sep != NULL; i++) {
        HLock(sep);   /* locked: NewPtr cannot slide the handles past it */
        small[i] = NewHandle(1088 - 16);
        sep = small[i] != NULL ? NewHandle(16) : NULL;
    }
    Ptr fill = sep != NULL ? *sep : NULL;
    while (fill != NULL && MaxBlock() >= 64)
        fill = NewPtr(MaxBlock());
    if (fit == NULL || MaxBlock() >= 64) {
        fprintf(stderr, "calls %ld: could not build the size-class case\n", n);
        return 1;
    }
    DisposeHandle(fit);
    for (long i = 0; i < n; i++)
        DisposeHandle(small[i]);
    Handle got = call_newhandle(1088);
    OSErr chk2 = mm_check_zone(z2, "bench_mm calls", true);
    printf("calls %ld newhandle1088 %s heapcheck %s\n", n, got != NULL ? "ok" : "FAILED",
           chk2 == noErr ? "clean" : "FAILED");
    return e1 != noErr || chk1 != noErr || got == NULL || chk2 != noErr;
}

enum { DENSITY_ZONE = 1 << 20, DENSITY_MASTERS = 1024 };

/* Fill a fresh 1 MiB zone with n-byte handles (or pointers) until memFullErr. */
static long density_fill(char *buf, bool handles, Size n, bool *ok)
{
    memset(buf, 0, DENSITY_ZONE);
    InitZone(NULL, DENSITY_MASTERS, buf + DENSITY_ZONE, buf);
    THz z = GetZone();
    long count = 0;
    while (handles ? NewHandle(n) != NULL : NewPtr(n) != NULL)
        count++;
    *ok = MemError() == memFullErr && mm_check_zone(z, "bench_mm density", true) == noErr;
    return count;
}

static int bench_density(void)
{
    static const Size sizes[] = { 8, 100, 1000 };
    char *buf = bench_buf(DENSITY_ZONE);
    bool all = true;
    for (int k = 0; k < 2; k++)
        for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            bool ok;
            long c = density_fill(buf, k == 0, sizes[i], &ok);
            all &= ok && c > 0;
            printf("density %s %ld %ld %.2f%s\n", k == 0 ? "handle" : "ptr", sizes[i], c,
                   c > 0 ? (double)DENSITY_ZONE / (double)c : 0.0, ok ? "" : " FAILED");
        }
    free(buf);
    return !all;
}

/* One word per page, from seed: what a move must keep. */
static void remap_fill(char *p, size_t n, uint64_t seed)
{
    for (size_t off = 0; off < n; off += 4096)
        memcpy(p + off, &(uint64_t){ seed ^ off }, 8);
    p[n - 1] = (char)seed;
}

static bool remap_same(const char *p, size_t n, uint64_t seed)
{
    for (size_t off = 0; off < n; off += 4096) {
        uint64_t w;
        memcpy(&w, p + off, 8);
        if (w != (seed ^ off))
            return false;
    }
    return p[n - 1] == (char)seed;
}

/* A fresh zone over zb[0, zn) holding one large handle of n bytes at its
 * top, filled; NULL if it could not be made. */
static Handle remap_setup(char *zb, size_t zn, size_t n, uint64_t seed)
{
    mm_forget_storage(zb, zn);
    InitZone(NULL, 16, zb + zn, zb);
    if (MemError() != noErr)
        return NULL;
    Handle h = NewHandle((Size)n);
    if (h == NULL || ((uintptr_t)*h & 4095) != 0)
        return NULL;
    remap_fill(*h, n, seed);
    return h;
}

static int bench_remap(void)
{
    static const size_t sizes[] = { 64 << 10, 1 << 20, 16 << 20, 64 << 20, 256 << 20 };
    const size_t max = (size_t)256 << 20;
    char *ref = bench_buf(2 * max);
    int bad = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k], zsz = 2 * n + (16 << 20);
        /* Each size gets a mapping of its own: on Linux a 4 KiB-aligned
         * mremap splits the mapping into areas that never merge again,
         * and a later move across such pieces moves page-table entries
         * one by one instead of whole tables (200-300 us for 64 MiB). */
        char *zb = plat_host_map(zsz);
        if (zb == NULL) {
            fprintf(stderr, "bench_mm: no remappable host mapping\n");
            return 1;
        }
        double cm[REPEATS], sh[REPEATS], mv[REPEATS];
        for (int r = 0; r < REPEATS; r++) {
            uint64_t seed = 0x52454D4150ull + (uint64_t)(k * 16 + (size_t)r);
            mm_remap_stats s0, s1;
            /* CompactMem: the handle slides from the top to the bottom. */
            Handle h = remap_setup(zb, zsz, n, seed);
            if (h == NULL) {
                bad++;
                break;
            }
            Ptr old = *h;
            mm_get_remap_stats(&s0);
            uint64_t t0 = now_ns();
            CompactMem((Size)zsz);
            uint64_t t1 = now_ns();
            mm_get_remap_stats(&s1);
            bad += *h == old || !remap_same(*h, n, seed) || s1.remapped - s0.remapped < (n & ~(size_t)4095)
                   || mm_check_zone(GetZone(), "bench_mm remap", true) != noErr;
            cm[r] = (double)(t1 - t0);
            /* SetHandleSize: growing against the zone's end moves it. */
            h = remap_setup(zb, zsz, n, seed + 1);
            if (h == NULL) {
                bad++;
                break;
            }
            old = *h;
            mm_get_remap_stats(&s0);
            t0 = now_ns();
            SetHandleSize(h, (Size)(n + (4 << 20)));   /* more than the room above it */
            t1 = now_ns();
            mm_get_remap_stats(&s1);
            bad += MemError() != noErr || *h == old || !remap_same(*h, n, seed + 1)
                   || s1.remapped - s0.remapped < (n & ~(size_t)4095)
                   || mm_check_zone(GetZone(), "bench_mm remap", true) != noErr;
            sh[r] = (double)(t1 - t0);
            mm_forget_storage(zb, zsz);
            /* memmove of the same bytes, both buffers' pages already in. */
            t0 = now_ns();
            memmove(ref, ref + max, n);
            t1 = now_ns();
            mv[r] = (double)(t1 - t0);
        }
        qsort(cm, REPEATS, sizeof cm[0], cmp_double);
        qsort(sh, REPEATS, sizeof sh[0], cmp_double);
        qsort(mv, REPEATS, sizeof mv[0], cmp_double);
        double c = cm[REPEATS / 2], s = sh[REPEATS / 2], m = mv[REPEATS / 2];
        printf("remap %9zu KiB: CompactMem %10.3f us, SetHandleSize %10.3f us, memmove %10.3f us; "
               "ratios %.4f %.4f\n", n >> 10, c / 1e3, s / 1e3, m / 1e3, c / m, s / m);
        printf("remap_ratio %zu %.5f %.5f\n", n, c / m, s / m);
        plat_host_unmap(zb, zsz);
    }
    printf("remap contents %s\n", bad ? "DAMAGED" : "ok");
    return bad != 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "mix"))
        return bench_mix(argc > 2 && atoi(argv[2]) == 1);
    if (argc > 2 && !strcmp(argv[1], "calls"))
        return calls_run(atol(argv[2]));
    if (argc > 2 && !strcmp(argv[1], "churn"))
        return bench_churn(atol(argv[2]), argc > 3 && !strcmp(argv[3], "asked"));
    if (argc > 1 && !strcmp(argv[1], "compact"))
        return bench_compact();
    if (argc > 1 && !strcmp(argv[1], "remap"))
        return bench_remap();
    if (argc > 1 && !strcmp(argv[1], "density"))
        return bench_density();
    fprintf(stderr, "usage: bench_mm churn N | bench_mm compact | bench_mm mix [1] | bench_mm calls N | bench_mm remap"
                    " | bench_mm density\n");
    return 2;
}

/*
 * test_mm_spacemap.c - the space map (src/MemoryMgr/mm_spacemap.c) that
 * answers MaxBlock and PurgeSpace without a walk of the zone: its answers
 * equal the walk's (mm_space_walk) after every kind of change, a call
 * after a few changes rebuilds only the chunks they touched, the heap
 * check finds a summary or first block that disagrees with the blocks,
 * and a zone that grows or holds large movable blocks still answers right.
 * White-box: it reads the zone's private state of mm_internal.h.
 */
#include "mm_test_util.h"
#include "splitmix.h"
#include "tap.h"

#include "../../src/MemoryMgr/mm_internal.h"
#include "platform.h"

/* The debug modes check or move the whole zone at every call: fewer steps there. */
#define MM_DEBUG_MODE (CONFIG_MM_HEAPCHECK || CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL)
enum { ZONE_BYTES = 8 << 20, SLOTS = 3000, STEPS = MM_DEBUG_MODE ? 600 : 6000, FEW_HANDLES = MM_DEBUG_MODE ? 3000 : 40000 };

static uint64_t rng = 0x53504143454D4150ull;   /* "SPACEMAP" */
static uint64_t next_rand(void) { return sm64_next(&rng); }

/* MaxBlock and PurgeSpace of the current zone against the walk's answers. */
static bool space_agrees(THz z, char *why, size_t n)
{
    uint64_t wt0 = 0, wt1 = 0;
    long want_mb = mm_logical_room(mm_space_walk(z, false, &wt0));
    long want_contig = mm_logical_room(mm_space_walk(z, true, &wt1));
    long mb = MaxBlock(), total = 0, contig = 0;
    PurgeSpace(&total, &contig);
    if (mb == want_mb && contig == want_contig && total == (long)wt1)
        return true;
    snprintf(why, n, "MaxBlock %ld (walk %ld), PurgeSpace %ld/%ld (walk %ld/%ld)", mb, want_mb, total, contig,
             (long)wt1, want_contig);
    return false;
}

/* One random Memory Manager call over the handles and pointers in play. */
static void random_step(Handle *h, Ptr *p)
{
    unsigned i = (unsigned)(next_rand() % SLOTS), op = (unsigned)(next_rand() % 16);
    Size sz = (Size)(8 + next_rand() % (next_rand() % 8 == 0 ? 20000 : 700));
    switch (op) {
    case 0: case 1: case 2:
        if (h[i] == NULL)
            h[i] = NewHandle(sz);
        else
            DisposeHandle(h[i]), h[i] = NULL;
        break;
    case 3: case 4:
        if (p[i] == NULL)
            p[i] = NewPtr(sz);
        else
            DisposePtr(p[i]), p[i] = NULL;
        break;
    case 5: case 6: case 7: case 8: {
        static void (*const state_call[])(Handle) = { HLock, HUnlock, HPurge, HNoPurge };
        if (h[i])
            state_call[op - 5](h[i]);
        break;
    }
    case 9: case 10:
        if (h[i] && *h[i])
            SetHandleSize(h[i], sz);
        break;
    case 11:
        if (h[i] && *h[i])
            MoveHHi(h[i]);
        break;
    case 12:
        CompactMem((Size)(next_rand() % 4 == 0 ? maxSize : sz * 4));
        break;
    case 13:
        if (next_rand() % 4 == 0)
            PurgeMem(sz * 8);
        else if (h[i] && *h[i] && !(HGetState(h[i]) & kHandleLockedMask))
            EmptyHandle(h[i]);
        break;
    case 14:
        if (h[i] && *h[i] == NULL)
            ReallocateHandle(h[i], sz);
        break;
    default:
        ReserveMem(sz);
        break;
    }
}

/* `steps` random calls over fresh slots in zone z, each after before(step,
 * p) if given; returns how many were followed by answers that differ from
 * the walk's (the first one is shown). */
static int random_calls_differ(THz z, int steps, void (*before)(THz z, int step, Ptr *p))
{
    static Handle h[SLOTS];
    static Ptr p[SLOTS];
    memset(h, 0, sizeof h);
    memset(p, 0, sizeof p);
    char why[200] = "";
    int bad = 0;
    for (int s = 0; s < steps; s++) {
        if (before)
            before(z, s, p);
        random_step(h, p);
        if (!space_agrees(z, why, sizeof why) && bad++ == 0)
            tap_diag("step %d: %s", s, why);
    }
    return bad;
}

static int checks_bad;
/* Every 50th step, the heap check (which checks the map). */
static void check_every_50(THz z, int step, Ptr *p)
{
    (void)p;
    if (step % 50 == 1 && mm_check_zone(z, "test_mm_spacemap", true) != noErr)
        checks_bad++;
}

/* Random calls: after each, the map's answers are the walk's; every 50th, the heap check (which checks the map) is clean. */
static void random_calls_agree(void)
{
    char *buf = aligned_alloc(4096, ZONE_BYTES);
    THz z = mt_zone(buf, ZONE_BYTES, NULL, 64);
    Handle early = NewHandle(100);
    uint32_t before = zone_priv(z)->smCount;
    char why0[200] = "";
    bool agree0 = space_agrees(z, why0, sizeof why0);
    tap_ok(z != NULL && zone_priv(z)->smShift != 0 && before == 0 && zone_priv(z)->smCount >= SMAP_CHUNKS_MIN && agree0,
           "an 8 MiB zone has a space map, kept only once asked (%u chunks before the first MaxBlock, %u of %u KiB after) %s",
           before, zone_priv(z)->smCount, (1u << zone_priv(z)->smShift) >> 10, why0);
    DisposeHandle(early);
    int steps = STEPS, bad = random_calls_differ(z, steps, check_every_50);
    tap_ok(bad == 0, "MaxBlock and PurgeSpace equal the walk's after each of %d random calls (%d differ)", steps, bad);
    tap_ok(checks_bad == 0 && mt_ok(z), "the heap check, which holds every unmarked chunk to its blocks, stays clean");
    mm_forget_zone(z);
    free(buf);
}

/* After one call has built the map, a call after a few changes rebuilds only their chunks. */
static void few_changes_few_chunks(void)
{
    char *buf = aligned_alloc(4096, 32 << 20);
    THz z = mt_zone(buf, 32 << 20, NULL, 64);
    static Handle h[FEW_HANDLES];
    long n = 0;
    while (n < FEW_HANDLES && (h[n] = NewHandle((Size)(16 + next_rand() % 1000))) != NULL) {
        if (n % 10 == 0)
            HLock(h[n]);
        n++;
    }
    for (long i = 1; i < n; i += 3)
        DisposeHandle(h[i]), h[i] = NULL;
    unsigned long b0 = g_smap_blocks;
    (void)MaxBlock();
    unsigned long first = g_smap_blocks - b0;
    for (long i = 2; i < 2 + 3 * 4; i += 3)   /* four handles, far apart in the zone */
        DisposeHandle(h[i * (n / 16) / 3 * 3 + 2]), h[i * (n / 16) / 3 * 3 + 2] = NULL;
    b0 = g_smap_blocks;
    char why[200] = "";
    bool agree = space_agrees(z, why, sizeof why);
    unsigned long again = g_smap_blocks - b0;
    tap_ok(agree, "MaxBlock and PurgeSpace after four disposals equal the walk's %s", why);
    static bool holds[SMAP_CHUNKS_MAX];   /* chunks holding a live handle's block */
    uint64_t used = 0;
    for (long i = 0; i < n; i++) {
        uint64_t c = h[i] != NULL ? (uint64_t)(*h[i] - z->heapData) >> zone_priv(z)->smShift : 0;
        if (h[i] != NULL && !holds[c])
            holds[c] = true, used++;
    }
    uint64_t per_chunk = first / (used + 1) + 1;
#if CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL
    tap_skip("MM_SCRAMBLE and MM_PURGE_ALL move or purge the whole zone at every call");
    tap_skip("MM_SCRAMBLE and MM_PURGE_ALL move or purge the whole zone at every call");
    (void)first, (void)again, (void)per_chunk;
#else
    tap_ok(first >= (unsigned long)n && again <= 4 * 4 * per_chunk,
           "the first call reads all %lu blocks (%lu live handles); after four disposals, %lu "
           "(at most 4 chunks each, %llu blocks a chunk)",
           first, n, again, (unsigned long long)per_chunk);
    b0 = g_smap_blocks;
    (void)MaxBlock();
    tap_ok(g_smap_blocks == b0, "a call with nothing changed reads no block (%lu)", g_smap_blocks - b0);
#endif
    mm_forget_zone(z);
    free(buf);
}

/* A summary or a cover written over is found by the heap check. */
static void check_finds_stale_map(void)
{
    char *buf = aligned_alloc(4096, 4 << 20);
    THz z = mt_zone(buf, 4 << 20, NULL, 64);
    Handle h[200];
    for (int i = 0; i < 200; i++)
        h[i] = NewHandle(900);
    for (int i = 0; i < 200; i += 2)
        DisposeHandle(h[i]);
    (void)MaxBlock();   /* every chunk built and unmarked */
    mm_zone_priv *zp = zone_priv(z);
    uint64_t *marks = smap_marks(zp);
    uint32_t *leaf0 = (uint32_t *)((char *)(marks + 1 + (zp->smCount + 63) / 64) + (uint64_t)zp->smCount * SMAP_NODE_BYTES);
    OSErr before = mm_check_zone(z, "test_mm_spacemap", false);
    leaf0[1] += 1;   /* the first chunk's free bytes before its first immovable block */
    OSErr leaf = mm_check_zone(z, "test_mm_spacemap", false);
    leaf0[1] -= 1;
    uint32_t *first = (uint32_t *)((char *)leaf0 + (uint64_t)zp->smCount * SMAP_NODE_BYTES);
    first[1] += 1;
    OSErr cov = mm_check_zone(z, "test_mm_spacemap", false);
    first[1] -= 1;
    marks[0] |= 1;   /* a marked chunk is not held to its blocks */
    marks[1] |= 1;
    leaf0[1] += 1;
    OSErr marked = mm_check_zone(z, "test_mm_spacemap", false);
    (void)MaxBlock();   /* rebuilds it */
    OSErr after = mm_check_zone(z, "test_mm_spacemap", false);
    tap_ok(before == noErr && leaf == memSCErr && cov == memSCErr && marked != noErr && after == noErr,
           "the heap check finds a written-over summary (%d) and first block (%d), and is clean before (%d) and after a rebuild (%d)",
           leaf, cov, before, after);
    mm_forget_zone(z);
    free(buf);
}

/* Every (STEPS / 300)th step a 60,000-byte pointer: 150 of them need about 9 MiB. */
static void grow_zone(THz z, int step, Ptr *p)
{
    (void)z;
    if (step % (STEPS / 300) == 0)
        p[step / (STEPS / 300)] = NewPtr(60000);
}

/* The Application-zone case: a zone that grows toward its limit keeps the map true. */
static void growing_zone_agrees(void)
{
    size_t lim = 16 << 20;
    char *buf = aligned_alloc(4096, lim);
    THz z = mm_zone_create(buf, buf + (1 << 20), buf + lim, 64, NULL, "G");
    SetZone(z);
    int bad = random_calls_differ(z, STEPS / 2, grow_zone);
    tap_ok(bad == 0 && z->bkLim > buf + (8 << 20) && mt_ok(z),
           "a zone that grew from 1 MiB to %ld KiB answers as the walk does (%d differ)",
           (long)(z->bkLim - buf) >> 10, bad);
    mm_forget_zone(z);
    free(buf);
}

/* An Application zone made small with a far limit (the dynamic backend's:
 * 256 KiB growing toward 256 MiB): the map must fit the zone as made, so
 * its chunks are larger, and it still answers as the walk does. */
static void small_zone_far_limit(void)
{
    size_t lim = 256 << 20, room = 256 << 10;
    char *buf = plat_host_map(lim);
    THz z = buf ? mm_zone_create(buf, buf + room, buf + lim, 64, NULL, "A") : NULL;
    size_t hdr = z ? (size_t)(z->heapData - (Ptr)z) : 0;
    bool made = z != NULL && zone_priv(z)->smShift != 0 && hdr <= room / 8 + 1024;
    int bad = 0;
    char why[200] = "";
    if (z != NULL) {
        SetZone(z);
        static Ptr p[400];
        for (int i = 0; i < 400; i++) {
            p[i] = NewPtr((Size)(100000 + i * 37));   /* grows the zone to about 40 MiB */
            if (i % 3 == 0 && i > 0)
                DisposePtr(p[i - 1]), p[i - 1] = NULL;
            if (!space_agrees(z, why, sizeof why) && bad++ == 0)
                tap_diag("step %d: %s", i, why);
        }
    }
    tap_ok(made && bad == 0 && mt_ok(z),
           "a 256 KiB zone with a 256 MiB limit is made (header %zu bytes, chunks of %u KiB) and answers as the walk does "
           "(%d differ)", hdr, z ? (1u << zone_priv(z)->smShift) >> 10 : 0, bad);
    if (z != NULL)
        mm_forget_zone(z);
    if (buf != NULL)
        plat_host_unmap(buf, lim);
}

/* Large blocks that move by remapping: the map defers to the walk, which agrees with itself. */
static Handle big[6];
/* Halfway, two of the large handles go. */
static void dispose_two_large(THz z, int step, Ptr *p)
{
    (void)z, (void)p;
    if (step == STEPS / 8 + 1)
        DisposeHandle(big[1]), DisposeHandle(big[4]), big[1] = big[4] = NULL;
}

static void large_blocks_agree(void)
{
    size_t size = 64 << 20;
    char *buf = plat_host_map(size);   /* pages the host can remap */
    THz z = mt_zone(buf, size, NULL, 64);
    for (int i = 0; i < 6; i++)
        big[i] = NewHandle((Size)(300000 + i * 70000));
    int bad = random_calls_differ(z, STEPS / 4, dispose_two_large);
    tap_ok(bad == 0 && mm_zone_remaps(z) && mt_ok(z),
           "with large handles that move by remapping, the answers are the walk's (%d differ)", bad);
    mm_forget_zone(z);
    plat_host_unmap(buf, size);
}

int main(void)
{
    mt_catch_reports();
    random_calls_agree();
    few_changes_few_chunks();
    check_finds_stale_map();
    growing_zone_agrees();
    small_zone_far_limit();
    large_blocks_agree();
    return tap_done();
}

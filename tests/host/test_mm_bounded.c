/*
 * test_mm_bounded.c - the work a call does stays bounded where the answer
 * allows it: a failed allocation compacts the zone once, purging is skipped
 * without a walk in a zone holding nothing purgeable, the count of
 * purgeable blocks that decides it is true after every kind of state change
 * (and the heap check catches it when it is not), and a size class's list
 * is scanned only a few entries deep before the address index answers, and
 * compaction stops once a free block of the size asked for exists.
 * White-box: it reads the walk counters and the zone's private state of
 * src/MemoryMgr/mm_internal.h.
 */
#include "mm_test_util.h"
#include "tap.h"

#include "../../src/MemoryMgr/mm_internal.h"

static char buf[256 << 10] __attribute__((aligned(16)));

static Size npurge(THz z) { return zone_priv(z)->nPurge; }

/* A zone with handles and pointers and nothing purgeable: an allocation too
 * big for it fails after one compaction, and no purge walk. */
static void failed_allocation_compacts_once(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 32);
    Handle h[20];
    for (int i = 0; i < 20; i++)
        h[i] = NewHandle(1000);
    Ptr p = NewPtr(500);
    for (int i = 0; i < 20; i += 2)
        DisposeHandle(h[i]);   /* free blocks compaction could gather */
    unsigned long c0 = g_mm_compactions, p0 = g_mm_purges;
    Handle big = NewHandle((Size)sizeof buf);
    OSErr e = MemError();
    tap_ok(big == NULL && e == memFullErr, "too big: NewHandle fails with memFullErr (%d)", e);
    tap_ok(g_mm_compactions - c0 == 1, "a failed allocation compacts once (%lu compactions)", g_mm_compactions - c0);
#if CONFIG_MM_PURGE_ALL
    (void)p0;
    tap_skip("MM_PURGE_ALL purges at every call");
#else
    tap_ok(g_mm_purges - p0 == 0, "nothing purgeable: no purge walk (%lu walks)", g_mm_purges - p0);
#endif
    c0 = g_mm_compactions;
    Ptr bp = NewPtr((Size)sizeof buf);
    tap_ok(bp == NULL && g_mm_compactions - c0 == 1, "a failed NewPtr compacts once too (%lu)", g_mm_compactions - c0);
    DisposePtr(p);
    tap_ok(mt_ok(z), "failed allocations: heap check");
}

/* With a purgeable block the purge walk runs and frees it; PurgeMem in a
 * zone with none does not walk. */
static void purge_runs_only_when_something_is_purgeable(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 32);
    Handle keep = NewHandle(2000), pur = NewHandle(3000);
    unsigned long p0 = g_mm_purges;
    PurgeMem(maxSize);
#if CONFIG_MM_PURGE_ALL
    tap_skip("MM_PURGE_ALL purges at every call");
#else
    tap_ok(g_mm_purges == p0 && MemError() == memFullErr, "PurgeMem with nothing purgeable: no walk, memFullErr");
#endif
    HPurge(pur);
    p0 = g_mm_purges;
    PurgeMem(maxSize);
    tap_ok(g_mm_purges - p0 == 1 && *pur == NULL && *keep != NULL, "one purgeable block: the walk runs and purges it");
    tap_ok(npurge(z) == 0 && mt_ok(z), "after the purge the count is 0 and the heap check agrees");
}

/* Every state change keeps the count: lock, unlock, purge bit, HSetState,
 * move by SetHandleSize, EmptyHandle, ReallocateHandle, dispose, copy. */
/* The count is n; with MM_PURGE_ALL every call that may move memory
 * purges first, so there the heap check's count of the blocks is the
 * reference instead. */
static bool count_is(THz z, Size n)
{
    return CONFIG_MM_PURGE_ALL ? mt_ok(z) : npurge(z) == n;
}

static void purgeable_count_follows_every_change(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 32);
    Handle a = NewHandle(100), b = NewHandle(100), c = NewHandle(100);
    HPurge(a);
    HPurge(b);
    tap_ok(count_is(z, 2), "two HPurge: count 2 (%ld)", (long)npurge(z));
    HLock(a);
    tap_ok(count_is(z, 1), "a locked purgeable block cannot be purged: count 1 (%ld)", (long)npurge(z));
    HPurge(a);   /* a bit, not a counter: no change */
    HUnlock(a);
    tap_ok(count_is(z, 2) && mt_ok(z), "HUnlock: count 2 again (%ld)", (long)npurge(z));
    HNoPurge(b);
    HSetState(c, (SInt8)kHandlePurgeableMask);
    tap_ok(count_is(z, 2), "HNoPurge and HSetState(purgeable): count 2 (%ld)", (long)npurge(z));
    HLock(b);   /* a neighbour that cannot move, so c must move to grow */
    Ptr before = *c;
    SetHandleSize(c, 20000);
    tap_ok(MemError() == noErr && *c != before && count_is(z, 2) && mt_ok(z),
           "a purgeable block moved by SetHandleSize keeps its count (%ld)", (long)npurge(z));
    Handle d = c;
    tap_ok(HandToHand(&d) == noErr && count_is(z, 2) && (HGetState(c) & kHandlePurgeableMask),
           "HandToHand: the source's purge bit comes back, count 2 (%ld)", (long)npurge(z));
    EmptyHandle(c);
    tap_ok(count_is(z, 1), "EmptyHandle: count 1 (%ld)", (long)npurge(z));
    ReallocateHandle(c, 50);
    tap_ok(count_is(z, 1) && mt_ok(z), "ReallocateHandle: a new block is unpurgeable, count 1 (%ld)", (long)npurge(z));
    DisposeHandle(a);
    tap_ok(count_is(z, 0) && mt_ok(z), "DisposeHandle of the last purgeable block: count 0 (%ld)", (long)npurge(z));
    DisposeHandle(d);
    HUnlock(b);
    DisposeHandle(b);
    DisposeHandle(c);
    tap_ok(mt_ok(z), "count changes: heap check");
}

/* The heap check holds the count to the blocks. */
static void heap_check_catches_a_wrong_count(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 32);
    Handle a = NewHandle(100);
    HPurge(a);
    tap_ok(mm_check_zone(z, "test", false) == noErr, "purgeable count: zone healthy before");
    zone_priv(z)->nPurge++;
    tap_ok(mm_check_zone(z, "test", false) == memSCErr, "a count one too high: memSCErr");
    zone_priv(z)->nPurge -= 2;
    tap_ok(mm_check_zone(z, "test", false) == memSCErr, "a count one too low: memSCErr");
    zone_priv(z)->nPurge++;
    tap_ok(mm_check_zone(z, "test", false) == noErr, "count repaired: healthy again");
    DisposeHandle(a);
}

/*
 * A size class whose list holds many too-small blocks ahead of two that
 * fit: the scan stops after a few entries and the address index gives the
 * lowest block that fits (A), not the first fit down the list (B, higher
 * and freed after A, so it stands nearer the list's head). Blocks are kept apart by
 * locked handles so nothing merges, and every other free byte is taken.
 */
static void size_class_scan_is_bounded(void)
{
#if CONFIG_MM_SCRAMBLE
    tap_skip("MM_SCRAMBLE moves blocks and rebuilds the free lists at every call");
    tap_skip("MM_SCRAMBLE");
    return;
#endif
    THz z = mt_zone(buf, sizeof buf, NULL, 128);
    enum { SMALL = 40 };
    Handle small[SMALL];
    Handle fitA = NewHandle(1136 - 16), sepA = NewHandle(16);
    HLock(sepA);
    Handle fitB = NewHandle(1136 - 16), sepB = NewHandle(16);
    HLock(sepB);
    for (int i = 0; i < SMALL; i++) {
        small[i] = NewHandle(1088 - 16);
        HLock(NewHandle(16));
    }
    while (MaxBlock() >= 64)
        NewPtr(MaxBlock());
    if (handle_block(fitB) < handle_block(fitA)) {   /* A names the lower of the two */
        Handle t = fitA;
        fitA = fitB;
        fitB = t;
    }
    mm_block *a = handle_block(fitA), *b = handle_block(fitB);
    DisposeHandle(fitA);
    DisposeHandle(fitB);
    for (int i = 0; i < SMALL; i++)
        DisposeHandle(small[i]);
    unsigned long c0 = g_mm_compactions;
    Handle h = NewHandle(1088);
    bool in_a = h != NULL && (char *)*h > (char *)a && (char *)*h < (char *)a + 1136;
    bool in_b = h != NULL && (char *)*h > (char *)b && (char *)*h < (char *)b + 1136;
    tap_ok(h != NULL && g_mm_compactions == c0, "NewHandle(1088) found a block without compacting");
    tap_ok(in_a && !in_b, "past the scan's bound the index answers: the lowest fit (A), not the list's first (B)");
    tap_ok(mt_ok(z), "size-class scan: heap check");
}

/*
 * A zone of ROWS handles of 1,000 bytes stacked from the top down, every
 * other one disposed (a free block of 1,024 bytes between each two live
 * ones), nothing else free: the layout the compaction tests start from.
 * row[i] is the i-th handle from the top; the disposed ones are NULL.
 */
enum { ROWS = 100, ROW_BYTES = 1000 };

static THz rows_zone(Handle row[ROWS])
{
    THz z = mt_zone(buf, sizeof buf, NULL, 128);
    for (int i = 0; i < ROWS; i++) {
        row[i] = NewHandle(ROW_BYTES);
        mt_fill(*row[i], ROW_BYTES, (unsigned)i);
    }
    Size rest = mm_zone_largest_free(z);
    if (rest > 0)
        NewPtr(rest);   /* the free space left below the handles */
    for (int i = 1; i < ROWS; i += 2) {
        DisposeHandle(row[i]);
        row[i] = NULL;
    }
    return z;
}

/* The live rows whose data moved since at[], and whether every one kept its bytes. */
static int rows_moved(Handle row[ROWS], Ptr at[ROWS], bool *intact)
{
    int moved = 0;
    *intact = true;
    for (int i = 0; i < ROWS; i++) {
        if (row[i] == NULL)
            continue;
        moved += *row[i] != at[i];
        *intact = *intact && mt_same(*row[i], ROW_BYTES, (unsigned)i);
    }
    return moved;
}

static void rows_mark(Handle row[ROWS], Ptr at[ROWS])
{
    for (int i = 0; i < ROWS; i++)
        at[i] = row[i] != NULL ? *row[i] : NULL;
}

/* CompactMem(cbNeeded) with a cbNeeded three free blocks make: the walk
 * stops at the bottom of the zone, the rows above it stay where they are;
 * CompactMem(maxSize) then moves the rest and returns what MaxBlock said. */
static void compaction_stops_once_the_need_is_met(void)
{
#if CONFIG_MM_SCRAMBLE
    for (int i = 0; i < 6; i++)
        tap_skip("MM_SCRAMBLE moves every block at every call");
    return;
#endif
    Handle row[ROWS];
    Ptr at[ROWS];
    THz z = rows_zone(row);
    long free0 = FreeMem(), mb = MaxBlock();
    bool intact;
    rows_mark(row, at);
    unsigned long c0 = g_mm_compactions;
    Size got = CompactMem(600);
    tap_ok(got >= 600 && g_mm_compactions == c0 && rows_moved(row, at, &intact) == 0,
           "CompactMem(600) with a free block of 1,024 bytes: no walk, nothing moved, returns %ld", got);
    got = CompactMem(3000);
    int moved = rows_moved(row, at, &intact);
    tap_ok(got >= 3000 && got < mb && FreeMem() == free0 && g_mm_compactions == c0 + 1,
           "CompactMem(3000): a free block of %ld bytes (MaxBlock %ld), FreeMem kept, one walk", got, mb);
    tap_ok(moved > 0 && moved <= 3 && *row[0] == at[0] && intact,
           "the walk stopped once the gap was large enough: %d of %d rows moved, the top one did not", moved, ROWS / 2);
    tap_ok(got == mm_zone_largest_free(z) && mt_ok(z), "stopped early: the free lists and the heap check agree");
    rows_mark(row, at);
    got = CompactMem(maxSize);
    moved = rows_moved(row, at, &intact);
    tap_ok(got == mb && FreeMem() == free0 && intact, "CompactMem(maxSize) compacts everything: %ld, MaxBlock said %ld",
           got, mb);
    tap_ok(moved > ROWS / 2 - 5 && mt_ok(z), "the rest moved (%d rows), heap check clean", moved);
}

/* A NewHandle no free block holds: the allocation's compaction stops at
 * the first gap that holds it, so the rows above stay put. */
static void allocation_compacts_only_as_far_as_it_needs(void)
{
#if CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL
    for (int i = 0; i < 2; i++)
        tap_skip("the debug mode moves or purges blocks at every call");
    return;
#endif
    Handle row[ROWS];
    Ptr at[ROWS];
    THz z = rows_zone(row);
    rows_mark(row, at);
    unsigned long c0 = g_mm_compactions;
    Handle h = NewHandle(2500);
    bool intact;
    int moved = rows_moved(row, at, &intact);
    tap_ok(h != NULL && g_mm_compactions == c0 + 1 && moved > 0 && moved <= 3 && *row[0] == at[0] && intact,
           "NewHandle(2500): one compaction that moved %d of %d rows, not the top one", moved, ROWS / 2);
    tap_ok(mt_ok(z), "partial compaction for an allocation: heap check");
}

/* Damage the stopping walk reaches is reported like the whole walk's:
 * the part below compacted and sound, the damaged block untouched. */
static void stopping_compaction_reports_damage(void)
{
#if CONFIG_MM_SCRAMBLE || CONFIG_MM_HEAPCHECK
    tap_skip("the debug mode walks the zone before the compaction does");
    return;
#endif
    mt_catch_reports();
    Handle row[ROWS];
    THz z = rows_zone(row);
    mm_block *low = handle_block(row[ROWS - 2]);   /* the lowest live row */
    uint64_t tag = low->tag;
    low->tag ^= (uint64_t)1 << 20;   /* its size, seal unchanged */
    mt_take_reports();
    CompactMem(3000);
    OSErr e = MemError();
    int reports = mt_take_reports();
    low->tag = tag;
    tap_ok(e == memBCErr && reports >= 1 && mt_ok(z),
           "CompactMem(3000) meets a damaged header: reported (%d), MemError %d; repaired, the zone is sound", reports,
           e);
}

int main(void)
{
    failed_allocation_compacts_once();
    purge_runs_only_when_something_is_purgeable();
    purgeable_count_follows_every_change();
    heap_check_catches_a_wrong_count();
    size_class_scan_is_bounded();
    compaction_stops_once_the_need_is_met();
    allocation_compacts_only_as_far_as_it_needs();
    stopping_compaction_reports_damage();
    return tap_done();
}

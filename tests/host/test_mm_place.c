/*
 * test_mm_place.c - where blocks land (Inside Macintosh: Memory): NewPtr,
 * NewPtrClear and MoreMasters take the LOWEST free block that fits, even
 * when the size-class lists would offer a better fit higher up, and move
 * unlocked relocatable blocks up when that lets them sit lower still;
 * ReserveMem's room is where the next NewHandle lands; MoveHHi stops below
 * the first nonrelocatable or locked block; the heap check catches a
 * damaged address index.
 *
 * Layouts are built with handles (carved from the top of a hole) and
 * pointers (from its bottom). MM_SCRAMBLE moves every handle on each call
 * that may move memory, so the two checks that depend on the handles'
 * order are skipped there.
 */
#include "mm_test_util.h"
#include "tap.h"
#include "../../src/MemoryMgr/mm_internal.h"

static char buf[1 << 20] __attribute__((aligned(16)));

/* Three holes at rising addresses: big (low), medium (middle), small (high),
 * each fenced by a live pointer so they stay apart, then the zone's tail. */
typedef struct holes {
    Ptr low, mid, high;
    Ptr fence[3];
} holes;

static void make_holes(holes *h)
{
    h->low = NewPtr(8000);
    h->fence[0] = NewPtr(16);
    h->mid = NewPtr(1000);
    h->fence[1] = NewPtr(16);
    h->high = NewPtr(200);
    h->fence[2] = NewPtr(16);
    DisposePtr(h->low);
    DisposePtr(h->mid);
    DisposePtr(h->high);
}

static void newptr_takes_the_lowest_hole(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 16);
    holes h;
    make_holes(&h);
    tap_ok(h.low < h.mid && h.mid < h.high, "holes: low %p < middle %p < high %p", (void *)h.low,
           (void *)h.mid, (void *)h.high);
    /* The lists' good fit for 180 bytes is the 208-byte high hole. */
    tap_ok(fl_find(z, mm_phys_for(180)) == block_from_data(h.high),
           "the size lists alone would pick the high hole");
    Ptr a = NewPtr(180);
    TAP_EQ((void *)a, (void *)h.low, "NewPtr(180) lands at the start of the lowest hole");
    Ptr b = NewPtrClear(900);
    TAP_EQ((void *)b, (void *)(a + mm_phys_for(180)), "NewPtrClear(900) takes the rest of the low hole, not the middle one");
    Ptr c = NewPtr(7000);
    tap_ok(c != NULL && c > h.fence[2], "NewPtr(7000): no hole fits, it goes above every hole (%p)", (void *)c);
    Ptr d = NewPtr(6000);
    TAP_EQ((void *)d, (void *)(b + mm_phys_for(900)), "NewPtr(6000) takes what is left of the low hole");
    Ptr e = NewPtr(950);
    TAP_EQ((void *)e, (void *)h.mid, "NewPtr(950): the low hole's 864 bytes are too few, it fills the middle hole");
    tap_ok(mt_ok(z), "holes: heap check (address index included)");
}

static void newptrsys_takes_the_lowest_hole(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 16);
    holes h;
    make_holes(&h);
    mm_set_sys_zone(z);   /* the host has no System zone of its own */
    Ptr a = NewPtrSys(100);
    TAP_EQ((void *)a, (void *)h.low, "NewPtrSys(100) lands at the start of the lowest hole");
    Ptr b = NewPtrSysClear(7500);
    TAP_EQ((void *)b, (void *)(a + mm_phys_for(100)), "NewPtrSysClear(7500) takes the rest of the low hole");
    mm_set_sys_zone(NULL);
    tap_ok(mt_ok(z), "sys: heap check");
}

static void moremasters_block_goes_low(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    holes h;
    make_holes(&h);
    MoreMasters();
    TAP_EQ(MemError(), noErr, "MoreMasters succeeds");
    /* the block's first word links the master blocks; the first slot follows */
    TAP_EQ((void *)z->hFstFree, (void *)(h.low + sizeof(Ptr)), "the new master-pointer block sits in the lowest hole");
    tap_ok(mt_ok(z), "masters: heap check");
}

/* MM_PEND_MAX fenced 64-byte holes made after the current free blocks:
 * the pending ring (mm_addrtree.c) takes them and indexes every block that
 * waited before them. */
static void index_older_holes(void)
{
    Ptr p[MM_PEND_MAX];
    for (int i = 0; i < MM_PEND_MAX; i++) {
        p[i] = NewPtr(48);
        (void)NewPtr(16);
    }
    for (int i = 0; i < MM_PEND_MAX; i++)
        DisposePtr(p[i]);
}

static void heap_check_sees_a_damaged_index(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    holes h;
    make_holes(&h);
    index_older_holes();
    mm_block *f = block_from_data(h.mid);
    tap_ok(!free_pending(f) && fl_holds(z, f) && mt_ok(z), "the middle hole is in the address index's treap");
    uint64_t *max = (uint64_t *)(block_data(f) + 24);
    uint64_t saved = *max;
    *max = saved + 16;
    TAP_EQ(mm_check_zone(z, "test", false), memSCErr, "a wrong subtree max is a size finding (memSCErr)");
    *max = saved;
    mm_block **left = (mm_block **)(block_data(f) + 8), *l = *left;
    *left = block_from_data(h.fence[0]);
    OSErr e = mm_check_zone(z, "test", false);
    tap_ok(e == memBCErr || e == memAZErr, "an allocated block in the index is a block finding (got %d)", e);
    *left = l;
    TAP_EQ(mm_check_zone(z, "test", false), noErr, "restored index checks clean");
}

static char snap[sizeof buf];

/* A free block waiting outside the treap, on the pending ring: the heap
 * check follows the ring from its head and reports a damaged link or mark;
 * a free that would unlink an entry whose ring link is damaged reports it
 * and changes nothing. */
static void heap_check_sees_a_damaged_pending_ring(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    holes h;
    make_holes(&h);
    mm_block *f = block_from_data(h.mid), *hi = block_from_data(h.high), *fence = block_from_data(h.fence[0]);
    mm_block **newer = (mm_block **)(block_data(f) + 8), **older = (mm_block **)(block_data(f) + 16);
    uint64_t *mark = (uint64_t *)(block_data(f) + 24);
    mm_block *nw = *newer, *od = *older;
    tap_ok(free_pending(f) && free_pending(hi) && zone_priv(z)->nPend >= 3 && mt_ok(z),
           "fresh holes wait on the pending ring (%u waiting)", (unsigned)zone_priv(z)->nPend);
    *older = fence;
    OSErr e = mm_check_zone(z, "test", false);
    TAP_EQ(e, memBCErr, "a ring link to an allocated block is a block finding (memBCErr)");
    *older = od;
    *newer = (mm_block *)(uintptr_t)0x4141414141414140ull;
    e = mm_check_zone(z, "test", false);
    tap_ok(e == memBCErr || e == memAZErr, "a ring link overwritten with garbage is reported (got %d)", e);
    *newer = nw;
    *mark = block_size(f);
    e = mm_check_zone(z, "test", false);
    tap_ok(e == memBCErr || e == memSCErr, "a waiting block whose pending mark is overwritten is reported (got %d)", e);
    *mark = 0;
    TAP_EQ(mm_check_zone(z, "test", false), noErr, "restored ring checks clean");

    /* Freeing the fence between the middle and high holes merges them and
     * takes the high hole off the ring: its link is checked first. */
    mm_block **hi_older = (mm_block **)(block_data(hi) + 16), *hi_od = *hi_older;
    *hi_older = fence;
    memcpy(snap, buf, sizeof buf);
    mt_take_reports();
    DisposePtr(h.fence[1]);
    e = MemError();
    bool code = CONFIG_MM_HEAPCHECK ? (e <= memAZErr && e >= memSCErr) : e == memBCErr;
    tap_ok(code && mt_take_reports() >= 1 && memcmp(snap, buf, sizeof buf) == 0,
           "DisposePtr next to a waiting block whose ring link is damaged: reported, error %d, zone unchanged", e);
    *hi_older = hi_od;
    DisposePtr(h.fence[1]);
    tap_ok(MemError() == noErr && mt_ok(z) && block_size(f) == (uint64_t)(h.fence[2] - h.mid),
           "restored, the same DisposePtr merges the three blocks");
}

/* Handle k holds bytes seeded by k. */
static void fill(Handle h, int k)
{
    Size n = GetHandleSize(h);
    for (Size i = 0; i < n; i++)
        (*h)[i] = (char)(k * 31 + i);
}

static bool intact(Handle h, int k)
{
    Size n = GetHandleSize(h);
    for (Size i = 0; i < n; i++)
        if ((*h)[i] != (char)(k * 31 + i))
            return false;
    return true;
}

/* Six handles compacted to the bottom of the zone, free space above them;
 * returns the lowest handle's data address. */
static Ptr six_low_handles(Handle hs[6])
{
    for (int k = 0; k < 6; k++) {
        hs[k] = NewHandle(300 + 100 * k);
        fill(hs[k], k);
    }
    CompactMem(maxSize);
    Ptr low = *hs[0];
    for (int k = 1; k < 6; k++)
        if (*hs[k] < low)
            low = *hs[k];
    return low;
}

static void newptr_moves_handles_up(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Handle hs[6];
    Ptr low = six_low_handles(hs);
    Ptr p = NewPtr(2000);
    TAP_EQ((void *)p, (void *)low, "NewPtr(2000) takes the place of the six compacted handles at the zone's bottom");
    bool above = true, ok = true;
    for (int k = 0; k < 6; k++) {
        above = above && *hs[k] > p;
        ok = ok && intact(hs[k], k);
    }
    tap_ok(above && ok, "the handles moved up above it, contents intact");
    TAP_EQ(mm_check_place_low(z, p), noErr, "mm_check_place_low agrees");
    tap_ok(mt_ok(z), "slide up: heap check");
}

static void newptr_never_moves_a_locked_handle(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Handle hs[6];
    six_low_handles(hs);
    HLock(hs[2]);
    Ptr pinned = *hs[2], first_above = NULL;
    for (int k = 0; k < 6; k++)
        if (*hs[k] > pinned && (first_above == NULL || *hs[k] < first_above))
            first_above = *hs[k];
    Ptr p = NewPtr(2000);
    TAP_EQ((void *)*hs[2], (void *)pinned, "the locked handle stays");
    TAP_EQ((void *)p, (void *)first_above, "NewPtr takes the place of the lowest handle above the locked one");
    tap_ok(p != NULL && mm_check_place_low(z, p) == noErr && mm_check_placement(z, p) == noErr,
           "NewPtr still lands as low as the locked handle allows");
    bool ok = true;
    for (int k = 0; k < 6; k++)
        ok = ok && intact(hs[k], k);
    tap_ok(ok && mt_ok(z), "locked: contents intact, heap check");
}

static void moremasters_moves_handles_up(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Handle hs[6];
    Ptr low = six_low_handles(hs);
    MoreMasters();
    TAP_EQ(MemError(), noErr, "MoreMasters succeeds");
    TAP_EQ((void *)z->hFstFree, (void *)(low + sizeof(Ptr)), "the master-pointer block takes the handles' place at the bottom");
    bool ok = true;
    for (int k = 0; k < 6; k++)
        ok = ok && intact(hs[k], k) && *hs[k] > low;
    tap_ok(ok && mt_ok(z), "masters: handles moved up intact, heap check");
}

static void reservemem_room_is_where_newhandle_lands(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Handle hs[6];
    Ptr low = six_low_handles(hs);
    ReserveMem(6000);
    TAP_EQ(MemError(), noErr, "ReserveMem(6000) succeeds");
    Handle r = NewHandle(6000);
    TAP_EQ((void *)(r ? *r : NULL), (void *)low, "NewHandle(6000) lands at the lowest position ReserveMem made");
    HLock(r);
    bool island = false;
    for (mm_block *b = zone_first(z); b != block_from_data(*r); b = block_next(b))
        if (block_is_free(b) || (block_type(b) == MM_T_REL && !block_locked(b)))
            island = true;
    tap_ok(!island, "ReserveMem/NewHandle/HLock: nothing free or movable below the locked block (no island)");
    bool ok = true;
    for (int k = 0; k < 6; k++)
        ok = ok && intact(hs[k], k);
    tap_ok(ok && mt_ok(z), "reserve: handles intact, heap check");
}

/* A hole of `hole` bytes fenced above by a pointer; returns the fence. */
static Ptr hole_with_fence(Size hole)
{
    Ptr a = NewPtr(hole);
    Ptr fence = NewPtr(16);
    DisposePtr(a);
    return fence;
}

static void movehhi_stops_below_a_pointer(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Ptr fence = hole_with_fence(4000);
    Handle top = NewHandle(500), h = NewHandle(500);
    fill(h, 7);
    DisposeHandle(top);
    tap_ok(*h < fence, "setup: the handle is below the fence, free space between");
    MoveHHi(h);
    TAP_EQ(MemError(), noErr, "MoveHHi succeeds");
    tap_ok(*h < fence, "MoveHHi does not pass the nonrelocatable block (%p < %p)", (void *)*h, (void *)fence);
    TAP_EQ((void *)block_next(handle_block(h)), (void *)block_from_data(fence), "it stops right below the pointer");
    tap_ok(intact(h, 7) && mt_ok(z), "below pointer: contents, heap check");
}

static void movehhi_stops_below_a_locked_handle(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    hole_with_fence(4000);
    Handle lk = NewHandle(200), top = NewHandle(500), h = NewHandle(500);
    DisposeHandle(top);
    HLock(lk);
    Ptr pinned = *lk;
    MoveHHi(h);
    tap_ok(*h < pinned && block_next(handle_block(h)) == handle_block(lk),
           "MoveHHi stops right below a locked handle, which stays (%p)", (void *)*lk);
    tap_ok(*lk == pinned && mt_ok(z), "locked barrier: heap check");
}

/* Room above split by unlocked handles: h, gap, k, gap, k, gap, fence. */
static void movehhi_slides_unlocked_handles_down(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Ptr fence = hole_with_fence(4000);
    Handle t1 = NewHandle(300), k1 = NewHandle(300), t2 = NewHandle(300), k2 = NewHandle(300);
    Handle t3 = NewHandle(300), h = NewHandle(600);
    fill(k1, 1);
    fill(k2, 2);
    fill(h, 3);
    DisposeHandle(t1);
    DisposeHandle(t2);
    DisposeHandle(t3);
    Ptr was = *h;
    MoveHHi(h);
    TAP_EQ((void *)block_next(handle_block(h)), (void *)block_from_data(fence),
           "MoveHHi moves past the unlocked handles up to the pointer");
    tap_ok(*k1 < *h && *k2 < *h && *k2 == was, "the unlocked handles slid down to where it was");
    tap_ok(intact(h, 3) && intact(k1, 1) && intact(k2, 2) && mt_ok(z), "split room: contents, heap check");
}

/* Free room above smaller than the block: the move is a rotation. */
static void movehhi_rotates_when_room_is_small(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    Ptr fence = hole_with_fence(4000);
    Handle t1 = NewHandle(300), k1 = NewHandle(300), t2 = NewHandle(300), h = NewHandle(600);
    fill(t1, 4);
    fill(k1, 5);
    fill(h, 6);
    DisposeHandle(t2);
    Ptr was = *h;
    MoveHHi(h);
    TAP_EQ((void *)block_next(handle_block(h)), (void *)block_from_data(fence), "MoveHHi rotates the block past two handles");
    tap_ok(*k1 == was && *t1 > *k1 && *t1 < *h, "the handles now sit at its old place, in order");
    tap_ok(intact(h, 6) && intact(k1, 5) && intact(t1, 4) && mt_ok(z), "rotation: contents, heap check");
    Handle g = NewHandle(100);
    HLock(g);
    MoveHHi(h);
    TAP_EQ((void *)block_next(handle_block(h)), (void *)block_from_data(fence), "a second MoveHHi leaves it where it is");
    tap_ok(intact(h, 6) && mt_ok(z), "again: contents, heap check");
}

/* Property: after every NewPtr, no free block below the new one could have
 * held it. Random pointers and handles, sizes 0..3000. */
static void random_newptr_is_always_lowest(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    enum { SLOTS = 400, STEPS = 30000 };
    static Ptr ptrs[SLOTS];
    static Handle hs[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
        ptrs[i] = NULL;
        hs[i] = NULL;
    }
    uint64_t seed = 12345;
    long placed = 0, bad = 0;
    for (int step = 0; step < STEPS; step++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(seed >> 33);
        int i = (int)(r % SLOTS);
        Size n = (Size)((r >> 9) % 3001);
        if (r & 0x100) {
            if (ptrs[i]) {
                DisposePtr(ptrs[i]);
                ptrs[i] = NULL;
                continue;
            }
            ptrs[i] = NewPtr(n);
            if (ptrs[i] == NULL)
                continue;
            placed++;
            if (mm_check_placement(z, ptrs[i]) != noErr || mm_check_place_low(z, ptrs[i]) != noErr)
                bad++;
        } else if (hs[i]) {
            DisposeHandle(hs[i]);
            hs[i] = NULL;
        } else {
            hs[i] = NewHandle(n);
        }
    }
    tap_ok(placed > 1000 && bad == 0, "random: %ld NewPtr calls, %ld had a fitting free block below them (mm_check_placement)", placed, bad);
    tap_ok(mt_ok(z), "random: heap check");
    Handle h = NewHandle(10);
    TAP_EQ(mm_check_placement(z, *h), memAZErr, "mm_check_placement refuses a relocatable block");
    TAP_EQ(mm_check_placement(z, NULL), memAZErr, "mm_check_placement refuses NULL");
}

int main(void)
{
    mt_catch_reports();
    newptr_takes_the_lowest_hole();
    newptrsys_takes_the_lowest_hole();
    moremasters_block_goes_low();
    heap_check_sees_a_damaged_index();
    heap_check_sees_a_damaged_pending_ring();
    newptr_moves_handles_up();
    moremasters_moves_handles_up();
    reservemem_room_is_where_newhandle_lands();
    movehhi_stops_below_a_pointer();
    movehhi_stops_below_a_locked_handle();
    movehhi_slides_unlocked_handles_down();
    if (CONFIG_MM_SCRAMBLE) {
        tap_skip("handle order: MM_SCRAMBLE reorders the handles these layouts are built from");
    } else {
        newptr_never_moves_a_locked_handle();
        movehhi_rotates_when_room_is_small();
    }
    random_newptr_is_always_lowest();
    return tap_done();
}

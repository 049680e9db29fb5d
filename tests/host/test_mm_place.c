/*
 * test_mm_place.c - where nonrelocatable blocks land: NewPtr, NewPtrClear
 * and MoreMasters take the LOWEST free block that fits (Inside Macintosh:
 * Memory), even when the size-class lists would offer a better fit higher
 * up; and the heap check catches a damaged address index.
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

static void heap_check_sees_a_damaged_index(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    holes h;
    make_holes(&h);
    mm_block *f = block_from_data(h.mid);
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
            if (mm_check_placement(z, ptrs[i]) != noErr)
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
    random_newptr_is_always_lowest();
    return tap_done();
}

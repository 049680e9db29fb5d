/*
 * test_mm_remap.c - large blocks (mm_remap.c): a block of MM_REMAP_MIN
 * bytes or more gets page-aligned data, and a large handle moved by
 * CompactMem, SetHandleSize or MoveHHi keeps its contents while its pages are
 * remapped rather than copied. Two witnesses say the pages moved: the
 * Memory Manager's counters (mm_get_remap_stats), and a marker written
 * through the old address, which a copy leaves behind in the free space
 * and a remap does not (the host refills vacated pages with zeros). A zone
 * over storage nobody registered copies, as before.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "MemoryMgr/mm_whereis.h"
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

enum { ZONE_BYTES = 8 << 20, BIG = 300 * 1024 + 123, PAGE = PLAT_PAGE_SIZE };
enum { SLID = 128 * 1024 + 77 };
enum { HHI_ZONE = 512 * 1024 };    /* a BIG block at its bottom has less than BIG above it */   /* large, and under MM_PLACE_MOVE_MAX: NewPtr may slide it */

static void fill(char *p, Size n, unsigned seed)
{
    for (Size i = 0; i < n; i++)
        p[i] = (char)(seed + (unsigned)i * 131u + (unsigned)(i >> 12));
}

static bool same(const char *p, Size n, unsigned seed)
{
    for (Size i = 0; i < n; i++) {
        if (p[i] != (char)(seed + (unsigned)i * 131u + (unsigned)(i >> 12))) {
            tap_diag("byte %ld differs", (long)i);
            return false;
        }
    }
    return true;
}

static bool aligned(const void *p) { return ((uintptr_t)p & (PAGE - 1)) == 0; }

/* A fresh zone over [buf, buf + n), made current. */
static THz fresh_zone(char *buf, size_t n)
{
    mm_forget_storage(buf, n);
    InitZone(NULL, 16, buf + n, buf);
    return MemError() == noErr ? GetZone() : NULL;
}

/* Eight bytes of the last whole page of h's data, at its old address,
 * saved in saved[]: a copy leaves them there, a remap does not. */
static char *mark_old(Handle h, char saved[8])
{
    char *m = *h + ((GetHandleSize(h) / PAGE) - 1) * PAGE + 100;
    memcpy(saved, m, 8);
    return m;
}

static uint64_t remapped_since(const mm_remap_stats *before)
{
    mm_remap_stats now;
    mm_get_remap_stats(&now);
    return now.remapped - before->remapped;
}

/* Page i of [p, p + n pages) starts with the byte seed + i. */
static void mark_pages(char *p, unsigned n, unsigned seed)
{
    for (unsigned i = 0; i < n; i++)
        memset(p + (size_t)i * PAGE, (int)(seed + i), 64);
}

/* Page i of p now holds what page want[i] held (its first bytes are seed + want[i]). */
static bool pages_are(const char *p, const unsigned *want, unsigned n, unsigned seed)
{
    for (unsigned i = 0; i < n; i++) {
        if (p[(size_t)i * PAGE] != (char)(seed + want[i]) || p[(size_t)i * PAGE + 63] != (char)(seed + want[i])) {
            tap_diag("page %u holds page %d's bytes, want page %u's", i, (int)(unsigned char)p[(size_t)i * PAGE] - (int)seed,
                     want[i]);
            return false;
        }
    }
    return true;
}

/* plat_remap_pages' contract: the displaced pages fill the vacated ones in
 * order (disjoint ranges trade, overlapping ones rotate their union). */
static void remap_contract(char *buf)
{
    mark_pages(buf, 12, 40);
    bool ok = plat_remap_pages(buf + 8 * PAGE, buf, 3 * PAGE);   /* disjoint: 0..2 <-> 8..10 */
    const unsigned trade[12] = { 8, 9, 10, 3, 4, 5, 6, 7, 0, 1, 2, 11 };
    tap_ok(ok && pages_are(buf, trade, 12, 40), "plat_remap_pages: disjoint ranges trade their pages");
    mark_pages(buf, 12, 40);
    ok = plat_remap_pages(buf + 4 * PAGE, buf + 1 * PAGE, 6 * PAGE);   /* up by 3: [4..9] <- [1..6], [1..3] <- [7..9] */
    const unsigned up[12] = { 0, 7, 8, 9, 1, 2, 3, 4, 5, 6, 10, 11 };
    tap_ok(ok && pages_are(buf, up, 12, 40), "plat_remap_pages: up by less than its length rotates the union");
    mark_pages(buf, 12, 40);
    ok = plat_remap_pages(buf + 1 * PAGE, buf + 3 * PAGE, 5 * PAGE);   /* down by 2: [1..5] <- [3..7], [6,7] <- [1,2] */
    const unsigned down[12] = { 0, 3, 4, 5, 6, 7, 1, 2, 8, 9, 10, 11 };
    tap_ok(ok && pages_are(buf, down, 12, 40), "plat_remap_pages: down by less than its length rotates the union");
    mark_pages(buf, 12, 40);
    ok = plat_remap_pages(buf + 3 * PAGE, buf, 3 * PAGE);   /* adjacent: [3..5] <- [0..2], [0..2] <- [3..5] */
    const unsigned adj[12] = { 3, 4, 5, 0, 1, 2, 6, 7, 8, 9, 10, 11 };
    tap_ok(ok && pages_are(buf, adj, 12, 40), "plat_remap_pages: adjacent ranges trade their pages");
}

/*
 * MoveHHi over more small handles than the free room above them. A large
 * handle (ROT_WHOLE pages and a ROT_TAIL-byte tail) at the bottom of a
 * zone (zone_bytes, shrunk so the layout fills it); right above it small
 * handles of others bytes in all (blocks of ROT_UNIT, the last one the
 * remainder); then room free bytes and a locked handle, or (zone_end) the
 * zone's end. The block must rise to the highest place a whole number of
 * pages up that leaves the space above and below it empty or a block
 * (rot_expected), by remapping (by the in-place copy when refused: the
 * platform refuses the remap), or to the top by copying when there is no
 * such place, with the small handles packed in order at its old place.
 */
enum { ROT_WHOLE = 64, ROT_TAIL = 4000, ROT_BIG = ROT_WHOLE * PAGE + ROT_TAIL, ROT_UNIT = 1024, ROT_MAX = 512 };
enum { ROT_HDR = 16, ROT_MIN_BLOCK = 32 };   /* a block's header; the smallest free block */

static Handle rot_h[ROT_MAX];
static Size   rot_n[ROT_MAX];

/* The highest distance, a whole number of pages, a block can rise over
 * others bytes with room free bytes, both leftovers empty or a block; 0 if none. */
static long rot_expected(long others, long room)
{
    for (long d = (others + room) / PAGE * PAGE; d > 0 && d >= others; d -= PAGE) {
        long below = d - others, above = others + room - d;
        if ((below == 0 || below >= ROT_MIN_BLOCK) && (above == 0 || above >= ROT_MIN_BLOCK))
            return d;
    }
    return 0;
}

/* A fresh zone of n bytes with ROT_BIG's handle at its bottom and the
 * small free blocks below it (its alignment's padding) taken. */
static Handle rot_bottom(char *buf, size_t n, THz *z)
{
    mm_forget_storage(buf, n);
    InitZone(NULL, 4 * ROT_MAX, buf + n, buf);   /* master pointers for every handle made here */
    *z = GetZone();
    Handle h = NewHandle(ROT_BIG);
    if (h == NULL)
        return NULL;
    fill(*h, ROT_BIG, 29);
    CompactMem(maxSize);
    for (unsigned i = 0; i < 256; i++) {
        Handle pad = NewHandle(16);
        if (pad == NULL || *pad > *h) {
            DisposeHandle(pad);
            break;
        }
    }
    return h;
}

static void hhi_over_others(char *buf, size_t zone_bytes, long others, long room, bool zone_end, bool refused,
                            const char *what)
{
    if (CONFIG_MM_SCRAMBLE) {   /* each NewHandle below would move every block already made */
        for (int i = 0; i < 5; i++)
            tap_skip("%s: MM_SCRAMBLE moves every unlocked block on each call, so the layout cannot be built", what);
        return;
    }
    THz z;
    Handle h = rot_bottom(buf, zone_bytes, &z);
    long lock_phys = zone_end ? 0 : 64 + ROT_HDR;
    long above = h != NULL ? (long)((char *)z->bkLim - (*h + ROT_BIG)) : 0;   /* free above h */
    h = rot_bottom(buf, zone_bytes - (size_t)(above - others - room - lock_phys), &z);   /* the same place, less above */
    char *old = h != NULL ? *h : NULL, *at = old + ROT_BIG;   /* the others' first header */
    unsigned n = 0;
    for (long left = others; left > 0 && n < ROT_MAX; n++) {
        long phys = left >= 2 * ROT_UNIT ? ROT_UNIT : left;
        rot_n[n] = phys - ROT_HDR;
        left -= phys;
    }
    /* Relocatable blocks are carved from the top of the free space: the
     * locked handle first, then the room (a spacer freed at the end), then
     * the others from the highest down, each right below the last. */
    bool packed = h != NULL && aligned(old);
    Handle lock = zone_end ? NULL : NewHandle(64);
    Handle spacer = room > 0 ? NewHandle(room - ROT_HDR) : NULL;
    char *top = at + others;
    for (unsigned i = n; i-- > 0;) {
        rot_h[i] = NewHandle(rot_n[i]);
        top -= rot_n[i] + ROT_HDR;
        if (rot_h[i] == NULL || *rot_h[i] != top + ROT_HDR) {
            tap_diag("small handle %u at %p, want %p", i, rot_h[i] ? (void *)*rot_h[i] : NULL, (void *)(top + ROT_HDR));
            packed = false;
            break;
        }
        fill(*rot_h[i], rot_n[i], 100 + i);
    }
    packed = packed && (room == 0 || (spacer != NULL && *spacer == at + others + ROT_HDR))
          && (zone_end ? (char *)z->bkLim == at + others + room : lock != NULL && *lock == at + others + room + ROT_HDR);
    if (lock != NULL)
        HLock(lock);
    DisposeHandle(spacer);
    tap_ok(packed, "%s: layout: a %d-byte handle, %u handles of %ld bytes above it, %ld bytes free, then %s", what,
           ROT_BIG, n, others, room, zone_end ? "the zone's end" : "a locked handle");
    if (!packed) {
        tap_ok(false, "%s: no layout", what);
        tap_ok(false, "%s: no layout", what);
        tap_ok(false, "%s: no layout", what);
        tap_ok(false, "%s: no layout", what);
        return;
    }
    long d = rot_expected(others, room), free_before = FreeMem(), max_before = MaxBlock();
    mm_remap_stats before, after;
    mm_get_remap_stats(&before);
    plat_host_refuse_remaps(refused);
    MoveHHi(h);
    plat_host_refuse_remaps(false);
    mm_get_remap_stats(&after);
    bool kept = true;
    for (unsigned i = 0; i < n; i++)
        kept = kept && *rot_h[i] == (i == 0 ? old : *rot_h[i - 1] + rot_n[i - 1] + ROT_HDR)
            && same(*rot_h[i], rot_n[i], 100 + i);
    if (d != 0) {
        tap_ok(MemError() == noErr && *h == old + d && aligned(*h) && same(*h, ROT_BIG, 29),
               "%s: the block rose %ld bytes (want %ld), page-aligned, contents kept", what, (long)(*h - old), d);
        if (refused)
            tap_ok(after.remapped == before.remapped && after.copied - before.copied >= (uint64_t)ROT_BIG,
                   "%s: the platform refused: nothing remapped, the block copied (%llu bytes)", what,
                   (unsigned long long)(after.copied - before.copied));
        else
            tap_ok(after.remapped - before.remapped >= (uint64_t)ROT_WHOLE * PAGE
                   && after.copied - before.copied < (uint64_t)(PAGE + others),
               "%s: its pages were remapped (%llu bytes), %llu bytes copied", what,
               (unsigned long long)(after.remapped - before.remapped),
               (unsigned long long)(after.copied - before.copied));
    } else {
        tap_ok(MemError() == noErr && *h == old + others + room && same(*h, ROT_BIG, 29),
               "%s: no page-aligned place: it rose %ld bytes to the top (want %ld), contents kept", what,
               (long)(*h - old), others + room);
        tap_ok(after.remapped == before.remapped, "%s: nothing remapped", what);
    }
    tap_ok(kept && mm_check_move_hhi(z, h) == noErr && mm_check_zone(z, what, true) == noErr,
           "%s: the small handles packed in order at its old place, intact; nothing movable above it; heap check",
           what);
    /* Page alignment splits the room around the block (the part above it
     * less than a page and a block), and compaction moves it by whole
     * pages only, so MaxBlock may lose up to that much; a copy loses nothing. */
    long max_lost = d != 0 ? PAGE + ROT_MIN_BLOCK : 0;
    tap_ok(FreeMem() == free_before && MaxBlock() <= max_before && MaxBlock() >= max_before - max_lost,
           "%s: FreeMem %ld -> %ld, MaxBlock %ld -> %ld", what, free_before, FreeMem(), max_before, MaxBlock());
    if (lock != NULL)
        HUnlock(lock);
}

int main(void)
{
    tap_plan(30 + 14 * 5 + 4);
    char *buf = plat_host_map(ZONE_BYTES);
    if (buf == NULL) {
        tap_ok(false, "a remappable host mapping");
        return tap_done();
    }
    remap_contract(buf);   /* before any zone lives there */
    THz z = fresh_zone(buf, ZONE_BYTES);
    tap_ok(z != NULL && mm_zone_remaps(z), "a zone over registered storage can remap");

    /* NewPtr: a large request is page-aligned, a small one need not be. */
    Ptr big = NewPtr(BIG), small = NewPtr(100);
    tap_ok(big != NULL && aligned(big), "a large NewPtr's data is page-aligned (%p)", (void *)big);
    char where[200];
    tap_ok(mm_whereis(big - 40, where, sizeof where) && strstr(where, "padding below the large block"),
           "the free block below a large block is named as its padding: %s", where);
    TAP_EQ(mm_check_zone(z, "NewPtr", true), noErr, "heap check after large NewPtr");
    DisposePtr(big);
    DisposePtr(small);

    /* CompactMem: a large handle at the zone's top slides down by remapping. */
    z = fresh_zone(buf, ZONE_BYTES);
    Handle h = NewHandle(BIG);
    tap_ok(h != NULL && aligned(*h), "a large handle's data is page-aligned");
    fill(*h, BIG, 7);
    char saved[8], *old = *h, *marker = mark_old(h, saved);
    mm_remap_stats before;
    mm_get_remap_stats(&before);
    CompactMem(maxSize);
    tap_ok(*h < old && aligned(*h), "CompactMem moved it down, still page-aligned (%p -> %p)", (void *)old,
           (void *)*h);
    tap_ok(same(*h, BIG, 7), "its contents survived the move");
    tap_ok(remapped_since(&before) >= (uint64_t)(BIG / PAGE) * PAGE, "its whole pages were remapped (%llu bytes)",
           (unsigned long long)remapped_since(&before));
    tap_ok(marker >= *h + BIG && memcmp(marker, saved, 8) != 0,
           "the old pages went with it: the marker is gone from the old address");
    TAP_EQ(mm_check_zone(z, "CompactMem", true), noErr, "heap check after the move");

    /* SetHandleSize: growing against the zone's end moves the block. */
    z = fresh_zone(buf, ZONE_BYTES);
    h = NewHandle(BIG);
    fill(*h, BIG, 9);
    old = *h;
    marker = mark_old(h, saved);
    mm_get_remap_stats(&before);
    SetHandleSize(h, BIG + 64 * 1024);
    TAP_EQ(MemError(), noErr, "SetHandleSize grew the large handle");
    tap_ok(*h != old && aligned(*h) && same(*h, BIG, 9), "it moved, page-aligned, with its contents");
    tap_ok(remapped_since(&before) >= (uint64_t)(BIG / PAGE) * PAGE && memcmp(marker, saved, 8) != 0,
           "its pages were remapped, not copied");
    TAP_EQ(mm_check_zone(z, "SetHandleSize", true), noErr, "heap check after SetHandleSize");

    /* A move by less than the block's size: the old and new pages overlap. */
    z = fresh_zone(buf, ZONE_BYTES);
    h = NewHandle(BIG);
    Handle gap = NewHandle(8 * 1024), low = NewHandle(5000);   /* more than the tail above h holds */
    HLock(low);
    fill(*h, BIG, 11);
    old = *h;
    DisposeHandle(gap);
    mm_get_remap_stats(&before);
    CompactMem(maxSize);
    tap_ok(*h < old && old - *h < BIG && aligned(*h), "CompactMem moved it by less than its size (%ld bytes)",
           (long)(old - *h));
    tap_ok(same(*h, BIG, 11) && remapped_since(&before) > 0, "overlapping move: contents kept, pages remapped");
    TAP_EQ(mm_check_zone(z, "CompactMem", true), noErr, "heap check after the overlapping move");
    HUnlock(low);

    /* MoveHHi: from the bottom to the top, over a small handle in its way. */
    z = fresh_zone(buf, ZONE_BYTES);
    h = NewHandle(BIG);
    fill(*h, BIG, 17);
    CompactMem(maxSize);   /* now at the bottom */
    Handle other = NewHandle(300);
    memset(*other, 0x6B, 300);
    old = *h;
    mm_get_remap_stats(&before);
    MoveHHi(h);
    TAP_EQ(MemError(), noErr, "MoveHHi of the large handle");
    tap_ok(*h > old && aligned(*h) && same(*h, BIG, 17) && remapped_since(&before) >= (uint64_t)(BIG / PAGE) * PAGE,
           "MoveHHi moved it up by remapping, page-aligned, contents kept (%p -> %p)", (void *)old, (void *)*h);
    tap_ok((*other)[0] == 0x6B && (*other)[299] == 0x6B && mm_check_move_hhi(z, h) == noErr &&
               mm_check_zone(z, "MoveHHi", true) == noErr,
           "the handle in its way slid down intact; nothing movable above it; heap check");

    /* NewPtr's slide: a large handle in the way moves up by whole pages, by remapping. */
    z = fresh_zone(buf, ZONE_BYTES);
    h = NewHandle(SLID);
    fill(*h, SLID, 19);
    CompactMem(maxSize);   /* at the bottom, right above the master pointers */
    old = *h;
    marker = mark_old(h, saved);
    mm_get_remap_stats(&before);
    Ptr p = NewPtr(8000);
    tap_ok(p != NULL && (char *)p < old && *h > old && aligned(*h) && same(*h, SLID, 19),
           "NewPtr went below the large handle, which slid up page-aligned with its contents (%p -> %p)",
           (void *)old, (void *)*h);
    tap_ok(remapped_since(&before) >= (uint64_t)(SLID / PAGE) * PAGE && memcmp(marker, saved, 8) != 0,
           "the slide remapped its pages (%llu bytes)", (unsigned long long)remapped_since(&before));
    tap_ok(mm_check_place_low(z, p) == noErr && mm_check_zone(z, "slide", true) == noErr,
           "the pointer is as low as it can be; heap check");

    /* MoveHHi when the room above is smaller than the block: it rises by
     * whole pages over the small handle, which ends up below it. */
    z = fresh_zone(buf, HHI_ZONE);
    h = NewHandle(BIG);
    fill(*h, BIG, 23);
    CompactMem(maxSize);
    other = NewHandle(300);
    memset(*other, 0x5D, 300);
    old = *h;
    long room = (long)((char *)z->bkLim - (old + BIG));
    mm_get_remap_stats(&before);
    MoveHHi(h);
    tap_ok(MemError() == noErr && room < BIG && *h > old && aligned(*h) && same(*h, BIG, 23),
           "MoveHHi with %ld bytes above a %d-byte block: up page-aligned, contents kept (%p -> %p)", room, BIG,
           (void *)old, (void *)*h);
    tap_ok(remapped_since(&before) >= (uint64_t)(BIG / PAGE) * PAGE, "its pages were remapped (%llu bytes)",
           (unsigned long long)remapped_since(&before));
    tap_ok(*other < *h && (*other)[0] == 0x5D && (*other)[299] == 0x5D && mm_check_move_hhi(z, h) == noErr &&
               mm_check_zone(z, "MoveHHi", true) == noErr,
           "the small handle went below it intact; nothing movable above it; heap check");

    /* MoveHHi over more small handles than the free room: every branch. */
    enum { P = PAGE, RZ = 1 << 20 };
    hhi_over_others(buf, RZ, 10 * P + 3072, P + 512, false, false, "others over the room, tail's place among them");
    hhi_over_others(buf, RZ, 10 * P + 32, 2 * P, false, false, "others over the room, tail's place free");
    hhi_over_others(buf, RZ, 10 * P + 1024, 3072, false, false, "room under a page");
    hhi_over_others(buf, RZ, 12 * P, 0, false, false, "no room, others whole pages");
    hhi_over_others(buf, RZ, 12 * P + 1024, 0, false, false, "no room, others not whole pages");
    hhi_over_others(buf, RZ, 10 * P + 1024, 1024, false, false, "room under a page, no aligned place");
    hhi_over_others(buf, RZ, 2 * P, 2 * P + 512, false, false, "others just under the room");
    hhi_over_others(buf, RZ, 2 * P + 512, 2 * P + 512, false, false, "others as large as the room");
    hhi_over_others(buf, RZ, 2 * P + 1536, 2 * P + 512, false, false, "others just over the room");
    hhi_over_others(buf, RZ, 80 * P + 1024, P + 512, false, false, "others larger than the block");
    hhi_over_others(buf, RZ, 10 * P + 3072, P + 512, true, false, "against the zone's end");
    hhi_over_others(buf, RZ, 80 * P + 48, 2 * P + 48, true, false, "against the zone's end, others larger than the block");
    hhi_over_others(buf, RZ, 10 * P + 3072, P + 512, false, true, "the platform refuses the remap");
    hhi_over_others(buf, RZ, 80 * P + 1024, P + 512, false, true, "the platform refuses, others larger than the block");

    /* Disabled threshold: nothing is large, nothing is remapped. */
    z = fresh_zone(buf, ZONE_BYTES);
    mm_set_big_min(z, 0);
    big = NewPtr(BIG);
    h = NewHandle(BIG);
    fill(*h, BIG, 13);
    mm_get_remap_stats(&before);
    CompactMem(maxSize);
    tap_ok(same(*h, BIG, 13) && remapped_since(&before) == 0, "threshold 0: moves copy");
    mm_forget_storage(buf, ZONE_BYTES);

    /* A zone over unregistered storage copies, and keeps its contents. */
    char *plain = mt_alloc_buf(ZONE_BYTES);
    z = fresh_zone(plain, ZONE_BYTES);
    tap_ok(z != NULL && !mm_zone_remaps(z), "a zone over malloc'd storage cannot remap");
    h = NewHandle(BIG);
    fill(*h, BIG, 15);
    old = *h;
    mm_get_remap_stats(&before);
    CompactMem(maxSize);
    tap_ok(*h != old && same(*h, BIG, 15) && remapped_since(&before) == 0, "it copies the block when it moves");

    /* Bad input: a defined result. */
    mm_set_big_min(NULL, 4096);
    TAP_EQ(MemError(), paramErr, "mm_set_big_min(NULL) is paramErr");
    mm_forget_storage(plain, ZONE_BYTES);
    free(plain);
    plat_host_unmap(buf, ZONE_BYTES);
    return tap_done();
}

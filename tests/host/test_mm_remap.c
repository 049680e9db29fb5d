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

int main(void)
{
    tap_plan(30);
    char *buf = plat_host_map(ZONE_BYTES);
    if (buf == NULL) {
        tap_ok(false, "a remappable host mapping");
        return tap_done();
    }
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

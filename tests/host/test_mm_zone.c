/*
 * test_mm_zone.c - the Zone record: Inside Macintosh's fields in IM's
 * order, counts that are true after every call (and checked by the heap
 * check), InitZone on 1 KiB, and a per-zone overhead that grows with the
 * zone's size instead of a fixed 2.8 KiB header.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/mman.h>

#include "mm_test_util.h"
#include "tap.h"

static char small[1024] __attribute__((aligned(16)));
static char mid[64 << 10] __attribute__((aligned(16)));

static size_t overhead(THz z) { return (size_t)(z->heapData - (Ptr)z); }

int main(void)
{
    mt_catch_reports();
    size_t order[] = {
        offsetof(Zone, bkLim),    offsetof(Zone, purgePtr),   offsetof(Zone, hFstFree), offsetof(Zone, zcbFree),
        offsetof(Zone, gzProc),   offsetof(Zone, moreMast),   offsetof(Zone, flags),    offsetof(Zone, cntRel),
        offsetof(Zone, maxRel),   offsetof(Zone, cntNRel),    offsetof(Zone, maxNRel),  offsetof(Zone, cntEmpty),
        offsetof(Zone, cntHandles), offsetof(Zone, minCBFree), offsetof(Zone, purgeProc), offsetof(Zone, sparePtr),
        offsetof(Zone, allocPtr), offsetof(Zone, heapData),
    };
    bool ordered = order[0] == 0;
    for (size_t i = 1; i < sizeof order / sizeof order[0]; i++)
        ordered = ordered && order[i] > order[i - 1];
    tap_ok(ordered && sizeof(Zone) <= 160, "Zone has IM's fields in IM's order (%zu bytes)", sizeof(Zone));

    InitZone(NULL, 8, small + sizeof small, small);
    THz z = GetZone();
    tap_ok(MemError() == noErr && z == (THz)small, "InitZone on 1 KiB gives a zone");
    Handle h = NewHandle(100);
    Ptr p = NewPtr(40);
    tap_ok(h && p && MemError() == noErr && mt_ok(z), "...that allocates a handle and a pointer (overhead %zu bytes)",
           overhead(z));

    THz zm = mt_zone(mid, sizeof mid, NULL, 8);
    size_t big = (size_t)1 << 30;
    char *huge = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    THz zh = huge != MAP_FAILED ? mt_zone(huge, big, NULL, 8) : NULL;
    if (zh)
        tap_ok(overhead(z) < overhead(zm) && overhead(zm) < overhead(zh) && overhead(z) * 4 < sizeof small * 3,
               "per-zone overhead grows with the zone: 1 KiB %zu, 64 KiB %zu, 1 GiB %zu bytes", overhead(z),
               overhead(zm), overhead(zh));
    else
        tap_skip("no address space for a 1 GiB zone");
    if (zh)
        mm_forget_zone(zh);

    /* counts after every call of a mixed sequence */
    SetZone(zm);
    long rel = 0, nrel = zm->cntNRel, handles = zm->cntHandles;
    Size least = zm->minCBFree;
    Handle hs[40];
    Ptr ps[20];
    bool counts = true;
    int maxrel = 0;
    for (int i = 0; i < 40; i++) {
        hs[i] = NewHandle(200 + i * 10);
        rel++;
        maxrel = rel > maxrel ? (int)rel : maxrel;
        if (i % 2 == 0) {
            ps[i / 2] = NewPtr(100);
            nrel++;
        }
        if (zm->cntHandles > handles) {   /* MoreMasters ran: one more master-pointer block */
            nrel++;
            handles = zm->cntHandles;
        }
        least = zm->zcbFree < least ? zm->zcbFree : least;
        counts = counts && zm->cntRel == rel && zm->cntNRel == nrel && zm->minCBFree == least
                 && zm->cntHandles - zm->cntEmpty == rel && zm->maxRel >= maxrel && mt_ok(zm);
    }
    tap_ok(counts, "cntRel, cntNRel, cntHandles, cntEmpty, maxRel and minCBFree are true after each allocation");
    for (int i = 0; i < 40; i += 3) {
        DisposeHandle(hs[i]);
        rel--;
    }
    for (int i = 0; i < 20; i += 4) {
        DisposePtr(ps[i]);
        nrel--;
    }
    EmptyHandle(hs[1]);
    rel--;
    tap_ok(zm->cntRel == rel && zm->cntNRel == nrel && zm->maxRel >= maxrel && zm->cntHandles - zm->cntEmpty == rel + 1
               && zm->minCBFree == least && mt_ok(zm),
           "...and after disposing and emptying (cntRel %ld, cntNRel %ld, free mps %ld of %ld)", zm->cntRel,
           zm->cntNRel, zm->cntEmpty, zm->cntHandles);
    CompactMem(maxSize);
    tap_ok(zm->cntRel == rel && zm->minCBFree == least && mt_ok(zm), "...and after CompactMem");
    tap_ok(zm->purgePtr == NULL && zm->sparePtr == NULL && zm->flags == 0 && zm->allocPtr > (Ptr)zm
               && zm->allocPtr < zm->heapData,
           "purgePtr and sparePtr are NULL, allocPtr is inside the zone header");
    return tap_done();
}

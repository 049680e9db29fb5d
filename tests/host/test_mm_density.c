/*
 * test_mm_density.c - how densely a zone holds small blocks, and the
 * small free blocks that density brings (32 and 48 bytes: kept on their
 * size-class lists only, not in the address index).
 *
 * A 1 MiB zone made by InitZone (1,024 master pointers per master block)
 * holds at least 26,000 NewHandle(8) (a 32-byte block plus an 8-byte
 * master pointer) and 32,000 NewPtr(8) (a 32-byte block). Small free
 * blocks keep every heap-check invariant through merges, carves and a
 * random churn of small handles and pointers; MaxBlock sees a small free
 * block when it is the only one; a small NewPtr takes the lowest small
 * hole near the bottom of the zone; ReserveMem's room may be a small hole.
 */
#include "mm_test_util.h"
#include "splitmix.h"
#include "tap.h"

enum { ZONE = 1 << 20, MASTERS = 1024 };

static char zbuf[ZONE] __attribute__((aligned(4096)));

/* Fill a fresh 1 MiB zone with 8-byte handles or pointers until memFullErr;
 * *sound: every block 16-byte aligned, kept its contents, and the heap checks. */
static long fill(bool handles, bool *sound)
{
    THz z = mt_zone(zbuf, sizeof zbuf, NULL, MASTERS);
    static void *got[ZONE / 16];
    long n = 0;
    for (;;) {
        void *p = handles ? (void *)NewHandle(8) : (void *)NewPtr(8);
        if (p == NULL)
            break;
        char *d = handles ? *(Handle)p : (char *)p;
        mt_fill(d, 8, (unsigned)n);
        got[n++] = p;
    }
    bool ok = MemError() == memFullErr && mt_ok(z);
    for (long i = 0; ok && i < n; i++) {
        char *d = handles ? *(Handle)got[i] : (char *)got[i];
        ok = ((uintptr_t)d & 15) == 0 && mt_same(d, 8, (unsigned)i);
    }
    *sound = ok;
    return n;
}

/* A splitmix64 step, for the churn. */
int main(void)
{
    mt_catch_reports();
    tap_ok(mt_install(256 << 10, 1 << 20, 0), "zones installed");

    /* The counts are the release build's. Under MM_HEAPCHECK, which walks
     * the whole zone on every call, filling 1 MiB with 8-byte blocks is
     * quadratic (minutes); under MM_SCRAMBLE, which walks the zone to move
     * every relocatable block on every call, so are they (a minute and a
     * half). The
     * small-block cases below run in every mode. */
    bool sound;
    if (CONFIG_MM_HEAPCHECK || CONFIG_MM_SCRAMBLE) {
        for (int i = 0; i < 2; i++)
            tap_skip("the 1 MiB fill with NewHandle(8): every one of its 26,000 calls %s",
                     CONFIG_MM_HEAPCHECK ? "checks the heap" : "scrambles the zone");
    } else {
        long nh = fill(true, &sound);
        tap_diag("NewHandle(8): %ld in 1 MiB, %.2f bytes each", nh, (double)ZONE / (double)nh);
        tap_ok(nh >= 26000, "a 1 MiB zone holds at least 26,000 NewHandle(8) (got %ld)", nh);
        tap_ok(sound, "...16-byte aligned, contents kept, memFullErr at the end, heap check clean");
    }
    if (CONFIG_MM_HEAPCHECK || CONFIG_MM_SCRAMBLE) {
        for (int i = 0; i < 2; i++)
            tap_skip("the 1 MiB fill with NewPtr(8): every one of its 32,000 calls %s",
                     CONFIG_MM_HEAPCHECK ? "checks the heap" : "scrambles the zone");
    } else {
        long np = fill(false, &sound);
        tap_diag("NewPtr(8): %ld in 1 MiB, %.2f bytes each", np, (double)ZONE / (double)np);
        tap_ok(np >= 32000, "a 1 MiB zone holds at least 32,000 NewPtr(8) (got %ld)", np);
        tap_ok(sound, "...16-byte aligned, contents kept, memFullErr at the end, heap check clean");
    }

    /* Small holes: 32-byte pointers side by side, every other one freed. */
    THz z = mt_zone(zbuf, 64 << 10, NULL, 16);
    Ptr p[64];
    bool all = z != NULL;
    for (int i = 0; all && i < 64; i++)
        all = (p[i] = NewPtr(8)) != NULL && (i == 0 || p[i] == p[i - 1] + 32);
    tap_ok(all, "64 NewPtr(8) lie side by side, 32 bytes apart");
    /* ReserveMem's room may be a small hole: the next NewHandle takes it,
     * not the head of the 32-byte list (a hole freed later, higher up). */
    DisposePtr(p[21]);
    ReserveMem(8);
    DisposePtr(p[41]);
    Handle hr = NewHandle(8);
    tap_ok(hr != NULL && *hr == p[21] && mt_ok(z), "ReserveMem(8) keeps a 32-byte hole that NewHandle(8) then takes");
    DisposeHandle(hr);
    tap_ok(NewPtr(8) == p[21] && NewPtr(8) == p[41] && mt_ok(z), "NewPtr(8) fills the two holes, lowest first");
    for (int i = 1; i < 64; i += 2)
        DisposePtr(p[i]);
    tap_ok(mt_ok(z) && FreeMem() > 32 * 32, "32 small free blocks between pointers: heap check clean");
    Ptr q = NewPtr(16);
    tap_ok(q == p[1] && mt_ok(z), "NewPtr(16) takes the lowest 32-byte hole");
    DisposePtr(q);
    /* merges: small + small, small + large, and carving them again */
    DisposePtr(p[2]);   /* 32 + 32 + 32 between p[0] and p[4]... */
    bool merged = mt_ok(z);
    DisposePtr(p[4]);
    merged = merged && mt_ok(z);
    DisposePtr(p[62]);   /* joins the free top of the zone */
    merged = merged && mt_ok(z);
    tap_ok(merged, "small free blocks merge into larger ones, heap check clean at each step");
    Handle h = NewHandle(8);
    Ptr r = NewPtr(24);
    tap_ok(h != NULL && r != NULL && mt_ok(z), "a handle and a pointer carved from merged blocks, heap check clean");
    DisposeHandle(h);
    DisposePtr(r);

    /* Only small free blocks: MaxBlock sees them. */
    z = mt_zone(zbuf, 16 << 10, NULL, 4);
    long filled = 0;
    Ptr last = NULL, mid = NULL;
    while ((last = NewPtr(8)) != NULL)
        if (++filled == 100)
            mid = last;
    tap_ok(mid != NULL && MaxBlock() == 0 && mt_ok(z), "a full zone: MaxBlock is 0");
    DisposePtr(mid);
    TAP_EQ(MaxBlock(), 16, "one 32-byte free block: MaxBlock is its 16 data bytes");
    TAP_EQ(mm_zone_largest_free(z), 16, "...and the zone's largest free block is it");
    PurgeMem(16);
    TAP_EQ(MemError(), noErr, "PurgeMem(16) finds it free");
    tap_ok(NewPtr(17) == NULL && MemError() == memFullErr, "NewPtr(17) does not fit it");
    tap_ok(NewPtr(16) == mid && mt_ok(z), "NewPtr(16) takes it");

    /* A random churn of small handles and pointers, checked at every step. */
    z = mt_zone(zbuf, 256 << 10, NULL, 64);
    enum { SLOTS = 300, STEPS = 6000 };
    static void *slot[SLOTS];
    static bool is_h[SLOTS];
    uint64_t st = 0x534D414C4C000000ull;
    bool clean = z != NULL;
    long made = 0;
    for (int k = 0; clean && k < STEPS; k++) {
        unsigned i = (unsigned)(sm64_next(&st) % SLOTS);
        if (slot[i] != NULL) {
            char *d = is_h[i] ? *(Handle)slot[i] : (char *)slot[i];
            clean = mt_same(d, 8, i);
            if (is_h[i])
                DisposeHandle((Handle)slot[i]);
            else
                DisposePtr((Ptr)slot[i]);
            slot[i] = NULL;
        } else {
            Size n = (Size)(8 + sm64_next(&st) % 40);
            is_h[i] = sm64_next(&st) & 1;
            slot[i] = is_h[i] ? (void *)NewHandle(n) : (void *)NewPtr(n);
            if (slot[i] != NULL) {
                made++;
                mt_fill(is_h[i] ? *(Handle)slot[i] : (char *)slot[i], 8, i);
                if (sm64_next(&st) % 8 == 0 && is_h[i])
                    CompactMem(maxSize);
            }
        }
        clean = clean && mt_ok(z);
    }
    tap_ok(clean && made > STEPS / 3, "6,000 steps of small NewHandle/NewPtr/dispose/CompactMem: contents kept, "
                                      "heap check clean at every step");
    TAP_EQ(mt_take_reports(), 0, "no damage or misuse reported");
    return tap_done();
}

/*
 * test_mm_registry.c - the zone registry holds as many zones as memory
 * allows and never reads storage the Memory Manager no longer owns.
 *
 * 1200 zones are registered, each over its own host allocation. Every
 * third one's storage is announced with mm_forget_storage() and then
 * freed (ASan turns any later read into a failure); every third one after
 * that is announced and overwritten with garbage (a registry that still
 * walked it would follow garbage links). Then every lookup that goes
 * through the registry runs: HandleZone, RecoverHandle, DisposeHandle,
 * mm_whereis, InitZone of another zone, and the heap check of every zone
 * still live; addresses inside released storage are found in no zone.
 */
#include <string.h>

#include "MemoryMgr/mm_whereis.h"
#include "mm_test_util.h"
#include "tap.h"

enum { NZ = 1200, ZSZ = 4096 };

static char *g_store[NZ];
static THz   g_zone[NZ];
static Handle g_h[NZ];

int main(void)
{
    tap_plan(8);
    mt_catch_reports();
    int made = 0;
    for (int i = 0; i < NZ; i++) {
        g_store[i] = mt_alloc_buf(ZSZ);
        g_zone[i] = mt_zone(g_store[i], ZSZ, NULL, 4);
        g_h[i] = g_zone[i] ? NewHandle(32 + i % 64) : NULL;
        made += g_zone[i] != NULL && g_h[i] != NULL;
    }
    tap_ok(made == NZ && mt_take_reports() == 0, "%d of %d zones built and registered, each with a handle", made, NZ);

    int released = 0;
    for (int i = 0; i < NZ; i += 3) {
        mm_forget_storage(g_store[i], ZSZ);
        free(g_store[i]);
        g_store[i] = NULL;
        released++;
    }
    for (int i = 1; i < NZ; i += 3) {
        mm_forget_storage(g_store[i], ZSZ);
        memset(g_store[i], 0x41, ZSZ);
        released++;
    }
    tap_ok(GetZone() == NULL || GetZone() == g_zone[NZ - 1], "the current zone is cleared when its storage goes");

    int found = 0, live = 0;
    char where[160];
    for (int i = 2; i < NZ; i += 3) {
        live++;
        THz z = HandleZone(g_h[i]);
        SetZone(g_zone[i]);
        found += z == g_zone[i] && RecoverHandle(*g_h[i]) == g_h[i] && mm_whereis(*g_h[i], where, sizeof where)
                 && strstr(where, "relocatable block") != NULL;
    }
    tap_ok(found == live, "HandleZone, RecoverHandle and mm_whereis find all %d live zones' handles (%d)", live, found);

    int clean = 0;
    for (int i = 2; i < NZ; i += 3)
        clean += mm_check_zone(g_zone[i], "test", true) == noErr;
    tap_ok(clean == live, "heap check of every live zone: %d of %d clean", clean, live);

    int none = 0;
    for (int i = 1; i < NZ; i += 3) {
        Handle fake = (Handle)(g_store[i] + 512);
        none += HandleZone(fake) == NULL && MemError() == memAZErr && !mm_whereis(fake, where, sizeof where);
    }
    tap_ok(none == NZ / 3 && mt_take_reports() == NZ / 3,
           "an address in overwritten released storage is in no zone (%d of %d), reported as misuse", none, NZ / 3);

    char *extra = mt_alloc_buf(ZSZ);
    THz ze = mt_zone(extra, ZSZ, NULL, 4);
    Handle he = ze ? NewHandle(100) : NULL;
    tap_ok(ze && he && HandleZone(he) == ze, "InitZone after the releases registers one more zone");

    int disposed = 0;
    for (int i = 2; i < NZ; i += 3) {
        DisposeHandle(g_h[i]);
        disposed += MemError() == noErr && mm_check_zone(g_zone[i], "test", true) == noErr;
    }
    tap_ok(disposed == live, "DisposeHandle in every live zone: %d of %d", disposed, live);

    /* A zone built inside a block of another leaves the registry with the block. */
    SetZone(ze);
    Ptr inner = NewPtr(2048);
    InitZone(NULL, 4, inner + 2048, inner);
    THz zi = GetZone();
    Handle hi = NewHandle(16);
    SetZone(ze);
    DisposePtr(inner);
    Ptr reuse = NewPtr(2048);   /* the same space again, filled with garbage */
    if (reuse)
        memset(reuse, 0x5A, 2048);
    bool gone = HandleZone(hi) == NULL && mm_whereis(hi, where, sizeof where) && strstr(where, "nonrelocatable block") != NULL;
    tap_ok(zi != ze && hi != NULL && reuse && gone && mm_check_zone(ze, "test", true) == noErr,
           "a nested zone is forgotten when its block is disposed (\"%s\")", where);
    mt_take_reports();

    for (int i = 1; i < NZ; i += 3)
        free(g_store[i]);
    for (int i = 2; i < NZ; i += 3) {
        mm_forget_zone(g_zone[i]);
        free(g_store[i]);
    }
    mm_forget_storage(extra, ZSZ);
    free(extra);
    return tap_done();
}

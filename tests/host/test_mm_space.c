/*
 * test_mm_space.c - space accounting and making room: FreeMem(Sys),
 * MaxBlock(Sys), MaxMem(Sys), CompactMem(Sys), PurgeMem(Sys), PurgeSpace,
 * ReserveMem(Sys); the allocation order (compact, grow, purge with the
 * purge-warning proc, grow-zone proc with GZSaveHnd); and the zone
 * routines (InitZone errors, Get/SetZone, SetGrowZone, InitApplZone,
 * Set/GetApplLimit, MaxApplZone, TopMem, StackSpace, nested zones).
 */
#include <sys/resource.h>

#include "MacMemory.h"
#include "mm_test_util.h"
#include "tap.h"

static char buf[96 << 10] __attribute__((aligned(16)));
static char nest_buf[32 << 10] __attribute__((aligned(16)));
static int purge_warnings;
static Handle warned;
static void warn(Handle h) { purge_warnings++; warned = h; }

static int gz_calls;
static Handle gz_victim, gz_saw;
static long gz(Size need)
{
    (void)need;
    gz_calls++;
    gz_saw = GZSaveHnd();
    if (!gz_victim)
        return 0;
    DisposeHandle(gz_victim);
    gz_victim = NULL;
    return 1;
}
static long gz_liar(Size need) { (void)need; gz_calls++; return 1; }

/* StackSpace from a frame 8 KiB deeper than the caller's. */
[[gnu::noinline]] static long stack_space_deeper(void)
{
    volatile char pad[8192];
    pad[0] = 0;
    return StackSpace() + pad[0];
}

int main(void)
{
    mt_catch_reports();
    tap_ok(mt_install(256 << 10, 4 << 20, 0), "zones installed");
    THz app = ApplicationZone();
    THz z = mt_zone(buf, sizeof buf, NULL, 32);

    long f0 = FreeMem();
    tap_ok(f0 > 90000 && f0 < (long)sizeof buf, "FreeMem of a fresh zone is nearly all of it (%ld)", f0);
    TAP_EQ(MaxBlock(), f0 - 16, "MaxBlock of a fresh zone: one free block less its header");
    tap_ok(FreeMemSys() > 0 && MaxBlockSys() > 0 && FreeMemSys() != f0, "FreeMemSys/MaxBlockSys read the System zone");

    /* fragment: handles with pointers between, then free every other handle */
    Handle hs[32];
    Ptr ps[32];
    for (int i = 0; i < 32; i++) {
        hs[i] = NewHandle(1000);
        mt_fill(*hs[i], 1000, (unsigned)i);
        ps[i] = i % 8 == 0 ? NewPtr(100) : NULL;
    }
    for (int i = 0; i < 32; i += 2)
        DisposeHandle(hs[i]);
    long f1 = FreeMem(), mb = MaxBlock();
    tap_ok(FreeMem() == f1 && MaxBlock() == mb, "FreeMem and MaxBlock change nothing");
    long total = 0, contig = 0;
    PurgeSpace(&total, &contig);
    tap_ok(total == f1 && contig == mb && FreeMem() == f1, "PurgeSpace with nothing purgeable equals FreeMem/MaxBlock");
    Size got = CompactMem(1000000);
    TAP_EQ(got, mb, "CompactMem returns what MaxBlock predicted");
    TAP_EQ(FreeMem(), f1, "CompactMem keeps FreeMem");
    bool intact = true;
    for (int i = 1; i < 32; i += 2)
        intact = intact && mt_same(*hs[i], 1000, (unsigned)i);
    tap_ok(intact, "compaction kept every handle's contents");

    /* purge */
    HPurge(hs[1]);
    HPurge(hs[3]);
    HLock(hs[3]);
    z->purgeProc = warn;
    Ptr stay7 = *hs[7], stay31 = *hs[31];
    PurgeSpace(&total, &contig);
    tap_ok(total >= f1 + 1000 && FreeMem() == f1 && *hs[1] != NULL, "PurgeSpace counts purgeable blocks without purging");
    PurgeMem(1 << 20);
    tap_ok(MemError() == memFullErr && *hs[1] == NULL && *hs[3] != NULL && purge_warnings == 1 && warned == hs[1],
           "PurgeMem purges unlocked purgeable blocks only, warns first, memFullErr when still short");
    tap_ok(*hs[7] == stay7 && *hs[31] == stay31 && mt_same(*hs[7], 1000, 7), "PurgeMem does not compact (nothing moved)");
    HUnlock(hs[3]);
    PurgeMem(16);
    tap_ok(MemError() == noErr && *hs[3] != NULL, "PurgeMem stops once the request fits");
    HNoPurge(hs[3]);
    HPurge(hs[5]);
    Size grow = -1;
    got = MaxMem(&grow);
    tap_ok(*hs[5] == NULL && grow == 0 && got == MaxBlock(), "MaxMem purges and compacts; an InitZone zone cannot grow");
    got = MaxMemSys(&grow);
    tap_ok(got > 0 && grow == 0 && MemError() == noErr, "MaxMemSys on the System zone");
    tap_ok(CompactMemSys(0) > 0 && MemError() == noErr, "CompactMemSys");
    PurgeMemSys(16);
    TAP_EQ(MemError(), noErr, "PurgeMemSys");
    ReserveMem(5000);
    tap_ok(MemError() == noErr && FreeMem() >= 5000, "ReserveMem makes room");
    ReserveMem(1 << 20);
    TAP_EQ(MemError(), memFullErr, "ReserveMem beyond the zone: memFullErr");
    ReserveMemSys(100);
    TAP_EQ(MemError(), noErr, "ReserveMemSys");

    /* allocation order: compact, then purge (warning first), then grow-zone */
    for (int i = 1; i < 32; i += 2)
        DisposeHandle(hs[i]);
    for (int i = 0; i < 32; i++)
        if (ps[i])
            DisposePtr(ps[i]);
    purge_warnings = 0;
    Handle a = NewHandle(20000), b = NewHandle(20000);
    mt_fill(*a, 20000, 1);
    gz_victim = NewHandle(25000);
    Ptr fill = NewPtr(MaxBlock());
    HPurge(b);   /* only now: MM_PURGE_ALL would purge it inside NewPtr */
    SetGrowZone(gz);
    tap_ok(z->gzProc == gz && MemError() == noErr, "SetGrowZone sets the current zone's procedure");
    gz_calls = 0;
    Handle c = NewHandle(10000);
    tap_ok(c != NULL && *b == NULL && purge_warnings == 1 && gz_calls == 0,
           "purging comes before the grow-zone procedure (%d warnings, %d grow-zone calls)", purge_warnings, gz_calls);
    gz_calls = 0;
    SetHandleSize(a, 30200);   /* more than all the free space (10000 bytes), even in place */
    tap_ok(MemError() == noErr && gz_calls == 1 && gz_victim == NULL,
           "when purging is not enough the grow-zone procedure runs, and what it frees is used (err %d, %d calls)",
           MemError(), gz_calls);
    tap_ok(gz_saw == a, "the grow-zone procedure sees GZSaveHnd() == the handle being resized");
    tap_ok(mt_same(*a, 20000, 1), "the resized handle's contents survive the grow-zone procedure");
    long before = FreeMem();
    SetGrowZone(gz_liar);
    gz_calls = 0;
    Handle e = NewHandle(80000);
    tap_ok(e == NULL && MemError() == memFullErr && gz_calls > 1 && gz_calls < 100 && FreeMem() == before,
           "a grow-zone procedure that frees nothing cannot hang the allocator (%d calls)", gz_calls);
    SetGrowZone(NULL);
    DisposePtr(fill);
    DisposeHandle(a);
    DisposeHandle(b);
    DisposeHandle(c);
    tap_ok(mt_ok(z), "heap check after the allocation-order tests");

    /* zones */
    mt_take_reports();
    InitZone(NULL, 8, buf, buf + 100);
    TAP_EQ(MemError(), paramErr, "InitZone with limit below start: paramErr");
    InitZone(NULL, 8, buf + 64, buf);
    TAP_EQ(MemError(), memFullErr, "InitZone on 64 bytes: memFullErr");
    tap_ok(GetZone() == z, "a failed InitZone leaves the current zone");
    SetZone((THz)nest_buf);
    tap_ok(MemError() == paramErr && mt_take_reports() == 1 && GetZone() == z, "SetZone of a non-zone is rejected");

    /* a zone inside a block of another zone */
    Ptr inner_mem = NewPtr(8192);
    InitZone(NULL, 8, inner_mem + 8192, inner_mem);
    THz inner = GetZone();
    Handle ih = NewHandle(100);
    tap_ok(HandleZone(ih) == inner && PtrZone(inner_mem) == z, "nested zone: handles resolve to the innermost zone");
    SetZone(z);
    DisposePtr(inner_mem);
    Handle after = NewHandle(100);
    tap_ok(HandleZone(after) == z, "disposing the block that held a zone forgets that zone");
    DisposeHandle(after);

    /* the Application zone */
    SetZone(app);
    Ptr lim = GetApplLimit();
    tap_ok(lim == TopMem() && app->bkLim + 16 < lim, "ApplLimit is the end of the app storage; the zone starts small");
    Ptr end0 = app->bkLim;
    Ptr big = NewPtr(1 << 20);
    tap_ok(big != NULL && app->bkLim > end0, "the Application zone grows on demand");
    DisposePtr(big);
    SetApplLimit(app->bkLim + 16 + 4096);
    Ptr big2 = NewPtr(2 << 20);
    tap_ok(big2 == NULL && MemError() == memFullErr, "SetApplLimit stops growth");
    SetApplLimit(lim + 4096);
    TAP_EQ(MemError(), memFullErr, "SetApplLimit beyond the storage: memFullErr");
    SetApplLimit(lim);
    MaxApplZone();
    tap_ok(MemError() == noErr && app->bkLim + 16 == lim, "MaxApplZone grows to the limit");
    Size g2 = -1;
    MaxMem(&g2);
    TAP_EQ(g2, 0, "MaxMem's grow is 0 once at the limit");
    Handle keep = NewHandle(10);
    InitApplZone();
    tap_ok(MemError() == noErr && ApplicationZone()->bkLim + 16 < lim && GetApplLimit() == lim,
           "InitApplZone makes a fresh small zone, ApplLimit kept");
    (void)keep;
    long s0 = StackSpace(), s1 = stack_space_deeper();
    tap_ok(s0 > 0 && MemError() == noErr, "StackSpace answers (%ld)", s0);
    tap_ok(s1 <= s0 - 8192, "StackSpace shrinks in a deeper frame (%ld -> %ld)", s0, s1);
    struct rlimit rl;
    tap_ok(getrlimit(RLIMIT_STACK, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || (unsigned long)s0 <= rl.rlim_cur),
           "StackSpace is no more than the stack's size (%ld)", s0);
    SetZone(SystemZone());
    tap_ok(LMGetApplZone() == ApplicationZone() && LMGetSysZone() == SystemZone() && LMGetTheZone() == GetZone(),
           "LMGetApplZone, LMGetSysZone, LMGetTheZone read the zone globals");
    tap_ok(LMGetApplLimit() == GetApplLimit() && LMGetMemTop() == TopMem()
               && LMGetHeapEnd() == ApplicationZone()->bkLim,
           "LMGetApplLimit, LMGetMemTop, LMGetHeapEnd (end of the Application zone's blocks)");
    tap_ok(mm_check_zone(ApplicationZone(), "t", true) == noErr && mm_check_zone(SystemZone(), "t", true) == noErr,
           "heap checks of the installed zones pass");
    return tap_done();
}

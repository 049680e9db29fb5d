/*
 * mm_tests.c - the "MemoryMgr" KTAP suite: the regression scenarios on
 * the installed System and Application zones, at boot (and on the host
 * through tests/host/test_mm_ktap.c).
 *
 * Scenarios that need an exact block layout run in a scratch zone built
 * with InitZone inside a nonrelocatable block of the Application zone, so
 * they do not depend on what the boot allocated before. The suite makes a
 * few hundred calls, and leaves every zone as it found it: the current
 * zone, FreeMem of both zones, and the Application zone's end (growth is
 * given back with mm_zone_shrink_to) are compared at the end.
 *
 * The misuse scenario installs an error hook for its duration, because the
 * default hook ends the run. The remap scenario builds a zone in a virtual
 * range it reserves and commits itself (vm_reserve + vm_commit), gives the
 * pages back afterwards, and needs the kernel's page tables (skipped
 * without them: MM_PROTECT=0, the host). The temporary-memory scenario
 * counts the platform's free page-run bytes (in the kernel: the physical
 * page manager's free pages; on the host: mmap's budget).
 */
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "MemoryMgr/mm_init.h"
#include "kernel_suites.h"
#include "lib/diag.h"
#include "lib/kprintf.h"
#include "lib/ktap.h"
#include "nanokernel/pmm.h"
#include "nanokernel/vm.h"
#include "platform.h"

enum { KT_SCRATCH = 64 * 1024, KT_MASTERS = 256, KT_MAX = 200 };

static bool kt_pattern_ok(const char *p, long n, unsigned seed)
{
    for (long i = 0; i < n; i++)
        if ((unsigned char)p[i] != (unsigned char)(seed + (unsigned)i * 13u))
            return false;
    return true;
}

static void kt_pattern(char *p, long n, unsigned seed)
{
    for (long i = 0; i < n; i++)
        p[i] = (char)(seed + (unsigned)i * 13u);
}

static bool kt_fail(const char *what, long got, long want)
{
    ktap_diag("%s: got %ld, want %ld", what, got, want);
    return false;
}

/* A block that moves down by less than its own size keeps every byte. */
static bool kt_overlap_compaction(void)
{
    Handle big = NewHandle(4000), small = NewHandle(48);
    if (!big || !small)
        return kt_fail("NewHandle in scratch zone", MemError(), noErr);
    kt_pattern(*big, 4000, 7);
    Ptr fill = NewPtr(MaxBlock());         /* fills everything below `small` */
    if (!fill)
        return kt_fail("NewPtr(MaxBlock())", MemError(), noErr);
    Ptr before = *big;
    DisposeHandle(small);                  /* a 64-byte gap below `big` */
    CompactMem(0x7fffffff);
    long moved = before - *big;
#if CONFIG_MM_SCRAMBLE
    /* Every call scrambles first, so the layout this scenario builds does
     * not survive to CompactMem; only the contents can be checked here (the
     * normal build checks the short overlapping move itself). */
    bool ok = kt_pattern_ok(*big, 4000, 7) && GetHandleSize(big) == 4000;
#else
    bool ok = moved > 0 && moved < 4000 && kt_pattern_ok(*big, 4000, 7) && GetHandleSize(big) == 4000;
#endif
    if (!ok)
        ktap_diag("overlap: moved by %ld, contents %s", moved, kt_pattern_ok(*big, 4000, 7) ? "intact" : "DAMAGED");
    DisposePtr(fill);
    DisposeHandle(big);
    return ok;
}

/* A nonrelocatable block boxed in by a locked handle cannot grow; once the
 * handle is unlocked it is moved out of the way and the pointer grows. */
static bool kt_locked_boxed_in(void)
{
    Ptr p = NewPtr(100), q = NewPtr(100), r = NewPtr(100);
    DisposePtr(q);                         /* a 128-byte hole between p and r */
    Handle h = NewHandle(100);             /* fits the hole exactly */
    if (!p || !h || (char *)*h != p + 128)
        return kt_fail("layout [p][h]", h ? (long)(*h - p) : -1, 128);
    DisposePtr(r);                         /* free space above h: only h is in the way */
    kt_pattern(*h, 100, 3);
    kt_pattern(p, 100, 5);
    HLock(h);
    Ptr at = *h;
    SetPtrSize(p, 400);
    bool ok = MemError() == memFullErr && GetPtrSize(p) == 100 && *h == at && kt_pattern_ok(*h, 100, 3);
    if (!ok)
        ktap_diag("boxed in: SetPtrSize err %d size %ld", MemError(), GetPtrSize(p));
    HUnlock(h);
    SetPtrSize(p, 400);
    bool ok2 = MemError() == noErr && GetPtrSize(p) == 400 && *h != at && kt_pattern_ok(*h, 100, 3)
               && kt_pattern_ok(p, 100, 5);
    if (!ok2)
        ktap_diag("unlocked: SetPtrSize err %d size %ld, handle %s", MemError(), GetPtrSize(p),
                  *h == at ? "did not move" : "moved");
    ok = ok && ok2;
    DisposeHandle(h);
    DisposePtr(p);
    return ok;
}

static long g_kt_gz_calls;
static Handle g_kt_gz_victim, g_kt_gz_saw_save;

static long kt_grow_zone(Size needed)
{
    (void)needed;
    g_kt_gz_calls++;
    g_kt_gz_saw_save = GZSaveHnd();
    if (g_kt_gz_victim == NULL)
        return 0;
    long n = GetHandleSize(g_kt_gz_victim);
    DisposeHandle(g_kt_gz_victim);
    g_kt_gz_victim = NULL;
    return n;
}

/* The grow-zone procedure runs last, sees GZSaveHnd, and what it frees is used. */
static bool kt_grow_zone_proc(THz scratch)
{
    g_kt_gz_calls = 0;
    g_kt_gz_victim = NewHandle(MaxBlock() / 2);
    Handle h = NewHandle(64);
    Ptr fill = NewPtr(MaxBlock());
    if (!g_kt_gz_victim || !h || !fill)
        return kt_fail("grow-zone setup", MemError(), noErr);
    kt_pattern(*h, 64, 9);
    scratch->gzProc = kt_grow_zone;
    SetHandleSize(h, 1000);
    bool ok = MemError() == noErr && g_kt_gz_calls >= 1 && g_kt_gz_saw_save == h && g_kt_gz_victim == NULL
              && kt_pattern_ok(*h, 64, 9);
    if (!ok)
        ktap_diag("grow-zone: err %d calls %ld saw %p want %p", MemError(), g_kt_gz_calls,
                  (void *)g_kt_gz_saw_save, (void *)h);
    scratch->gzProc = NULL;
    DisposePtr(fill);
    DisposeHandle(h);
    return ok;
}

static bool kt_in_scratch(ktap_suite *s)
{
    THz home = GetZone();
    Ptr mem = NewPtr(KT_SCRATCH);
    if (mem == NULL) {
        ktap_diag("no room for a %d-byte scratch zone", KT_SCRATCH);
        return false;
    }
    InitZone(NULL, 16, mem + KT_SCRATCH, mem);
    THz scratch = GetZone();
    ktap_check(s, kt_overlap_compaction(), "compaction_moves_block_down_by_less_than_its_size");
    ktap_check(s, kt_locked_boxed_in(), "nonrelocatable_boxed_in_by_locked_block");
    ktap_check(s, kt_grow_zone_proc(scratch), "grow_zone_proc_frees_memory_gzsavehnd_protected");
    ktap_check(s, mm_check_zone(scratch, "mm_run_tests", true) == noErr, "scratch_zone_heap_check");
    SetZone(home);
    DisposePtr(mem);
    return true;
}

static long g_kt_purge_warnings;
static void kt_purge_warning(Handle h)
{
    (void)h;
    g_kt_purge_warnings++;
}

/* Purged handles keep their master pointers; new handles get other ones. */
static bool kt_purge_then_allocate(THz z)
{
    enum { N = 8 };
    Handle purged[N], fresh[N];
    PurgeProcPtr old = z->purgeProc;
    z->purgeProc = kt_purge_warning;
    g_kt_purge_warnings = 0;
    bool ok = true;
    for (int i = 0; i < N; i++) {
        purged[i] = NewHandle(200);
        if (purged[i] == NULL)
            return kt_fail("NewHandle", MemError(), noErr);
    }
    /* marked purgeable only after the last NewHandle: with MM_PURGE_ALL a
     * NewHandle purges every purgeable block first */
    for (int i = 0; i < N; i++)
        HPurge(purged[i]);
    HLock(purged[0]);                      /* a locked purgeable block stays */
    PurgeMem(0x7fffffffffffL);             /* more than any zone: purges everything */
    ok = *purged[0] != NULL && g_kt_purge_warnings >= N - 1;
    for (int i = 1; i < N; i++)
        ok = ok && *purged[i] == NULL;
    for (int i = 0; i < N; i++)
        fresh[i] = NewHandle(200);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            ok = ok && fresh[i] != NULL && fresh[i] != purged[j];
    for (int i = 1; i < N; i++)
        ok = ok && *purged[i] == NULL && GetHandleSize(purged[i]) == 0;
    for (int i = 0; i < N; i++) {
        DisposeHandle(purged[i]);
        DisposeHandle(fresh[i]);
    }
    if (!ok)
        ktap_diag("purge: %ld warnings", g_kt_purge_warnings);
    z->purgeProc = old;
    return ok;
}

static bool kt_flags_are_bits(void)
{
    Handle h = NewHandle(10);
    if (!h)
        return false;
    HLock(h);
    HLock(h);
    HUnlock(h);
    bool ok = (HGetState(h) & kHandleLockedMask) == 0;
    HSetState(h, (SInt8)(kHandleLockedMask | kHandlePurgeableMask | kHandleIsResourceMask));
    ok = ok && (UInt8)HGetState(h) == 0xE0;
    HUnlock(h);
    MoveHHi(h);
    ok = ok && MemError() == noErr;
    HLock(h);
    MoveHHi(h);
    ok = ok && MemError() == memLockedErr;
    DisposeHandle(h);
    return ok;
}

/* Fill the zone (big blocks first, alternating handles and pointers), free
 * all, and require FreeMem to be back exactly. */
static bool kt_exhaust(THz z)
{
    static void *blocks[KT_MAX];
    static bool is_handle[KT_MAX];
    THz home = GetZone();
    SetZone(z);
    long start = FreeMem();
    int n = 0;
    Size size = (Size)1 << 40;
    while (size >= 16 && n < KT_MAX) {
        bool h = n & 1;
        void *b = h ? (void *)NewHandle(size) : (void *)NewPtr(size);
        if (b == NULL) {
            if (MemError() != memFullErr)
                return kt_fail("exhaust: error", MemError(), memFullErr);
            size /= 2;
            continue;
        }
        is_handle[n] = h;
        blocks[n++] = b;
    }
    bool full = size < 16;
    for (int i = n - 1; i >= 0; i--) {
        if (is_handle[i])
            DisposeHandle(blocks[i]);
        else
            DisposePtr(blocks[i]);
    }
    long end = FreeMem();
    SetZone(home);
    if (!full)
        ktap_diag("exhaust: stopped after %d blocks without filling the zone", n);
    /* The Application zone may have grown (more free bytes); nothing else may differ. */
    bool back = z == ApplicationZone() ? end >= start : end == start;
    if (!back)
        ktap_diag("exhaust: FreeMem %ld after, %ld before", end, start);
    return full && back && mm_check_zone(z, "exhaust", true) == noErr;
}

static int g_kt_reports;
static void kt_hook(const mm_misuse_report *r)
{
    (void)r;
    g_kt_reports++;
}

static bool kt_misuse(void)
{
    mm_misuse_hook old = mm_set_misuse_hook(kt_hook);
    g_kt_reports = 0;
    Handle h = NewHandle(32);
    Ptr p = NewPtr(32);
    long free0 = FreeMem();
    DisposeHandle(h);
    DisposeHandle(h);
    bool ok = MemError() == memWZErr;
    DisposePtr(p);
    DisposePtr(p);
    ok = ok && MemError() == memWZErr;
    DisposeHandle(NULL);
    ok = ok && MemError() == nilHandleErr;
    NewHandle(-1);
    ok = ok && MemError() == memFullErr;
    ok = ok && g_kt_reports == 2 && FreeMem() > free0;
    mm_set_misuse_hook(old);
    return ok;
}

static bool kt_outside(THz z, const char *p)
{
    return z == NULL || p < z->heapData || p >= z->bkLim;
}

/* A temporary handle's block is a page run outside every zone: the free
 * page-run bytes drop by exactly its pages and come back at DisposeHandle;
 * SetHandleSize keeps its contents; the heap check passes meanwhile. */
static bool kt_temp_pages(void)
{
    OSErr e = 1;
    uint64_t free0, big0, free1, big1, free2, big2;
    Handle warm = TempNewHandle(1, &e);   /* a first master pointer's page is touched before counting */
    DisposeHandle(warm);
    if (warm == NULL || !plat_page_run_room(&free0, &big0))
        return false;
    const Size n = 64 * 4096 - 64;   /* 64 pages with the run's header */
    Handle t = TempNewHandle(n, &e);
    bool ok = t != NULL && e == noErr && plat_page_run_room(&free1, &big1) && free0 - free1 == 64 * 4096
              && TempFreeMem() == (long)free1 && ((uintptr_t)*t & 4095) == 64;
    THz tz = t ? HandleZone(t) : NULL;
    ok = ok && tz != NULL && kt_outside(SystemZone(), *t) && kt_outside(ApplicationZone(), *t)
         && kt_outside(mm_temp_zone(), *t) && mm_check_zone(tz, "temp", true) == noErr;
    if (ok) {
        kt_pattern(*t, n, 0x3C);
        SetHandleSize(t, 3 * n);
        ok = MemError() == noErr && GetHandleSize(t) == 3 * n && kt_pattern_ok(*t, n, 0x3C);
        HLock(t);
        ok = ok && (HGetState(t) & 0x80) && RecoverHandle(*t) == t && mm_check_zone(tz, "temp", true) == noErr;
        HUnlock(t);
    }
    if (t != NULL)
        DisposeHandle(t);
    ok = ok && MemError() == noErr && plat_page_run_room(&free2, &big2) && free2 == free0;
    if (!ok)
        ktap_diag("temporary handle: free page-run bytes %llu -> %llu -> %llu", (unsigned long long)free0,
                  (unsigned long long)free1, (unsigned long long)free2);
    return ok;
}

/* Pre-allocate master pointers, so the suite's handles never add a master
 * block (they are nonrelocatable and would stay). */
static void kt_reserve_masters(THz z)
{
    static Handle hs[KT_MASTERS];
    THz home = GetZone();
    SetZone(z);
    for (int i = 0; i < KT_MASTERS; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_MASTERS; i++)
        DisposeHandle(hs[i]);
    SetZone(home);
}

/* One word per page and the last byte, from seed. */
static void kt_remap_fill(char *p, size_t n, unsigned seed)
{
    for (size_t off = 0; off < n; off += 4096)
        p[off] = (char)(seed + off / 4096);
    p[n - 1] = (char)seed;
}

static bool kt_remap_same(const char *p, size_t n, unsigned seed)
{
    for (size_t off = 0; off < n; off += 4096)
        if (p[off] != (char)(seed + off / 4096))
            return false;
    return p[n - 1] == (char)seed;
}

/* A large handle in a zone over a committed reserve, moved by CompactMem
 * from the zone's top to its bottom: same contents, and the same physical
 * page now behind its new address (vm_remap moved the page, no copy). */
static void kt_remap(ktap_suite *s)
{
    const char *name = "large_handle_moves_by_remapping_its_pages";
    if (vm_space() == NULL) {
        ktap_skip(s, name, "no kernel page tables (MM_PROTECT=0 or host)");
        return;
    }
    const uint64_t len = 4u << 20;
    const size_t n = 1u << 20;
    uint64_t base = vm_reserve(len, 1, VM_ZONE, "remap test zone");
    bool committed = base != 0 && vm_commit(base, len, MMU_WRITE);
    if (!committed && base != 0 && pmm_free_page_count() * PMM_PAGE_SIZE < len + (64u << 10)) {
        ktap_skip(s, name, "too little free RAM to commit the 4 MiB zone");
        return;
    }
    if (!committed) {
        ktap_check(s, false, name);
        return;
    }
    char *zb = (char *)(uintptr_t)base;
    THz home = GetZone();
    bool ok = plat_remap_register(zb, len);
    InitZone(NULL, 16, zb + len, zb);
    THz z = GetZone();
    ok = ok && MemError() == noErr && mm_zone_remaps(z);
    Handle h = ok ? NewHandle((Size)n) : NULL;
    ok = ok && h != NULL && ((uintptr_t)*h & 4095) == 0;
    if (ok) {
        kt_remap_fill(*h, n, 0x5A);
        Ptr old = *h;
        uint64_t pa = mmu_query(vm_space(), (uint64_t)(uintptr_t)old).pa;
        mm_remap_stats a, b;
        mm_get_remap_stats(&a);
        CompactMem(maxSize);
        mm_get_remap_stats(&b);
        ok = *h < old && kt_remap_same(*h, n, 0x5A) && b.remapped - a.remapped >= n &&
             mmu_query(vm_space(), (uint64_t)(uintptr_t)*h).pa == pa && mm_check_zone(z, "remap", true) == noErr;
        if (!ok)
            ktap_diag("handle %p -> %p, %llu bytes remapped", (void *)old, (void *)*h,
                      (unsigned long long)(b.remapped - a.remapped));
    }
    SetZone(home);
    mm_forget_storage(zb, len);
    plat_remap_unregister(zb);
    vm_decommit(base, len);
    ktap_check(s, ok, name);
}

int mm_run_tests(void)
{
    ktap_suite s;
    ktap_suite_begin(&s, "MemoryMgr", 14);
    THz sys = SystemZone(), app = ApplicationZone(), home = GetZone();
    bool have = sys != NULL && app != NULL;
    ktap_check(&s, have && mm_check_zone(sys, "boot", true) == noErr && mm_check_zone(app, "boot", true) == noErr,
               "installed_zones_pass_heap_check");
    if (!have)
        return ktap_suite_end(&s);
    kt_reserve_masters(sys);
    kt_reserve_masters(app);
    SetZone(app);
    long sys0 = FreeMemSys(), app0 = FreeMem();
    Ptr app_end = app->bkLim + 16;

    kt_in_scratch(&s);
    ktap_check(&s, kt_purge_then_allocate(app), "purge_then_allocate_no_shared_master_pointer");
    ktap_check(&s, kt_flags_are_bits(), "flags_are_bits_hgetstate_movehhi");
    ktap_check(&s, kt_exhaust(sys), "system_zone_exhaust_then_dispose_all");
    ktap_check(&s, kt_exhaust(app), "application_zone_exhaust_then_dispose_all");
    ktap_check(&s, kt_misuse(), "double_dispose_and_bad_input_rejected");
    ktap_check(&s, kt_temp_pages(), "temporary_handle_is_a_page_run_given_back_at_dispose");
    kt_remap(&s);
    ktap_check(&s, mm_zone_shrink_to(app, app_end) == noErr, "application_zone_growth_given_back");

    SetZone(app);
    long sys1 = FreeMemSys(), app1 = FreeMem();
    bool same = sys1 == sys0 && app1 == app0;
    if (!same)
        ktap_diag("FreeMemSys %ld -> %ld, FreeMem %ld -> %ld", sys0, sys1, app0, app1);
    ktap_check(&s, same && mm_check_zone(sys, "end", true) == noErr && mm_check_zone(app, "end", true) == noErr,
               "freemem_back_exactly_and_heap_check");
    SetZone(home);
    return ktap_suite_end(&s);
}

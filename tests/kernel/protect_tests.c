/*
 * protect_tests.c - the "protect" KTAP suite: the live page tables really
 * give each range the access MIGRATION.md promises (page 0 and every guard
 * page unmapped, text read-execute, rodata read-only, data and zones
 * read-write no-execute where the CPU has NX, CR0.WP and EFER.NXE set), a
 * live large kernel-heap allocation has an unmapped guard page on each side
 * that kfree maps back, the tables pass mmu_check, and the registry names
 * each range; with the dynamic backend, the zones are reserves committed
 * on demand: far fewer pages committed than reserved after boot, more once
 * a big handle is written, fewer again after it goes and CompactMem runs
 * (MM_DECOMMIT=1), and a large handle there moves by remapping its pages
 * (CompactMem, MoveHHi, SetHandleSize, NewPtr's slide): its bytes stay,
 * only tails under a page are copied, and the PMM's free pages plus the
 * zones' committed pages plus the page tables come out equal, so no page
 * was lost or mapped twice. With
 * MM_PROTECT=0 only the registry checks run; the rest are skipped.
 * Kernel only.
 */
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/mmu.h"
#include "kernel_suites.h"
#include "lib/kstring.h"
#include "lib/ktap.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "MemoryMgr/mm_init.h"
#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"
#include "nanokernel/vm.h"
#include "platform.h"

extern char __kernel_start[], __rodata_start[], __data_start[], boot_stack_guard[];

static const char g_protect_rodata_probe[8] = "rodata";
static volatile uint64_t g_protect_data_probe = 1;

static bool protect_is(const mmu_space *s, uint64_t va, bool present, unsigned prot)
{
    mmu_mapping m = mmu_query(s, va);
    if (m.present != present || (present && (m.prot & (MMU_WRITE | MMU_EXEC)) != prot)) {
        ktap_diag("0x%lx: present %d prot %u, want present %d prot %u", (unsigned long)va, m.present, m.prot,
                  present, prot);
        return false;
    }
    return true;
}

static bool protect_named(uint64_t va, vm_kind kind)
{
    const vm_region *r = vm_lookup(va);
    return r && r->kind == kind;
}

/* A live 512 KiB kmalloc: its pages mapped, a named guard page unmapped on each side; mapped again once freed. */
static bool protect_large_guarded(const mmu_space *sp, unsigned rw)
{
    uint8_t *p = kmalloc(512u << 10);
    if (!p)
        return false;
    uintptr_t first = (uintptr_t)p & ~(uintptr_t)(MMU_PAGE - 1), end = (uintptr_t)p + kmalloc_usable_size(p);
    char what[160];
    bool live = protect_is(sp, first, true, rw) && protect_is(sp, end - 1, true, rw) &&
                protect_is(sp, first - MMU_PAGE, false, 0) && protect_is(sp, end, false, 0) &&
                kheap_whereis(end, what, sizeof what) && kheap_whereis(first - MMU_PAGE, what, sizeof what);
    kfree(p);
    vm_quarantine_flush();   /* freed runs stay unmapped until the quarantine lets them go */
    return live && protect_is(sp, first - MMU_PAGE, true, rw) && protect_is(sp, end, true, rw);
}

/* Committed pages of a zone's whole storage [zone, end), and whether it is committed on demand. */
static uint64_t protect_committed(const void *zone, const void *end)
{
    return vm_committed_pages((uintptr_t)zone, (uint64_t)((uintptr_t)end - (uintptr_t)zone));
}

/*
 * The dynamic backend's zones, `sys_boot`/`app_boot` pages committed when
 * the suite began: far below their reserves; a big handle written in the
 * Application zone commits its pages; disposed and compacted away, they go
 * back (MM_DECOMMIT=1).
 */
static bool protect_on_demand(uint64_t sys_boot, uint64_t app_boot)
{
    THz az = ApplicationZone(), sz = SystemZone(), cur = GetZone();
    char *app_end = GetApplLimit(), *sys_end = sz->bkLim + 16;
    uint64_t app_pages = (uint64_t)(app_end - (char *)az) / MMU_PAGE;
    uint64_t sys_pages = (uint64_t)(sys_end - (char *)sz) / MMU_PAGE;
    ktap_diag("after boot: System zone %lu of %lu pages committed, Application zone %lu of %lu",
              (unsigned long)sys_boot, (unsigned long)sys_pages, (unsigned long)app_boot, (unsigned long)app_pages);
    if (!vm_is_on_demand((uintptr_t)az) || !vm_is_on_demand((uintptr_t)sz) || sys_boot * 4 > sys_pages ||
        app_boot * 4 > app_pages)
        return false;
    Size big = (Size)(app_pages * MMU_PAGE / 4);
    if (big > (8 << 20))
        big = 8 << 20;
    SetZone(az);
    uint64_t before = protect_committed(az, app_end);
    Handle h = NewHandle(big);
    bool ok = h != NULL;
    if (ok)
        nk_memset(*h, 0x5A, (size_t)big);
    uint64_t grown = protect_committed(az, app_end);
    ktap_diag("a %ld-byte handle written: %lu -> %lu pages committed", (long)big, (unsigned long)before,
              (unsigned long)grown);
    ok = ok && grown > before && grown >= (uint64_t)big / MMU_PAGE;   /* pages it shares with the old extent count once */
    DisposeHandle(h);
    CompactMem(maxSize);
    uint64_t after = protect_committed(az, app_end);
    ktap_diag("disposed and compacted: %lu pages committed", (unsigned long)after);
    if (CONFIG_MM_DECOMMIT)
        ok = ok && after + (uint64_t)big / MMU_PAGE / 2 <= grown;
    SetZone(cur);
    return ok;
}

/* One byte per page and the last byte, from seed (touching commits every page). */
static void protect_fill(char *p, size_t n, unsigned seed)
{
    for (size_t off = 0; off < n; off += MMU_PAGE)
        p[off] = (char)(seed + off / MMU_PAGE);
    p[n - 1] = (char)(seed ^ 0x77);
}

static bool protect_same(const char *p, size_t n, unsigned seed)
{
    for (size_t off = 0; off < n; off += MMU_PAGE)
        if (p[off] != (char)(seed + off / MMU_PAGE))
            return false;
    return p[n - 1] == (char)(seed ^ 0x77);
}

/* Physical pages the PMM has free, the Classic zones hold and the page
 * tables use: a remap neither takes nor gives any, so this stays put. */
static uint64_t protect_page_balance(void)
{
    THz sz = SystemZone(), az = ApplicationZone();
    vm_quarantine_flush();
    return pmm_free_page_count() + protect_committed(sz, sz->bkLim + 16) + protect_committed(az, GetApplLimit()) +
           vm_space()->tables;
}

typedef struct protect_moves {
    mm_remap_stats mm;
    uint64_t calls, pages;
} protect_moves;

static protect_moves protect_moves_now(void)
{
    protect_moves m;
    mm_get_remap_stats(&m.mm);
    vm_remap_counts(&m.calls, &m.pages);
    return m;
}

/* h moved from old by remapping since `was`: its n bytes intact, its
 * whole pages remapped by vm_remap, under a page of them copied. */
static bool protect_remapped(const char *what, Handle h, Ptr old, size_t n, unsigned seed, protect_moves was)
{
    protect_moves now = protect_moves_now();
    uint64_t whole = n & ~(uint64_t)(MMU_PAGE - 1);
    bool ok = h != NULL && *h != NULL && *h != old && protect_same(*h, n, seed) &&
              now.mm.remapped - was.mm.remapped >= whole && now.mm.copied - was.mm.copied < MMU_PAGE &&
              now.calls > was.calls && now.pages - was.pages >= whole / MMU_PAGE;
    if (!ok)
        ktap_diag("%s: %p -> %p, %lu bytes remapped, %lu copied, %lu pages by vm_remap", what, (void *)old,
                  h && *h ? (void *)*h : NULL, (unsigned long)(now.mm.remapped - was.mm.remapped),
                  (unsigned long)(now.mm.copied - was.mm.copied), (unsigned long)(now.pages - was.pages));
    return ok;
}

/*
 * MoveHHi over more small handles than the free room (a zone of len bytes
 * at mem): a big-byte handle at the bottom, 1 KiB blocks above it sized so
 * the highest place a whole number of pages up leaves 1 KiB free below
 * it. The block's pages and the pages above them trade places in one
 * vm_remap, and the small handles come down to its old place in order.
 */
static bool protect_remap_rotate(Ptr mem, size_t len, size_t big)
{
    enum { UNIT = 1008, UNIT_PHYS = 1024, MAX = 512 };
    static Handle small[MAX];
    if (CONFIG_MM_SCRAMBLE) {   /* each NewHandle below would move every block already made */
        ktap_diag("MoveHHi's rotation not checked: MM_SCRAMBLE moves every block on each call, so its layout cannot be built");
        return true;
    }
    InitZone(NULL, 4 * MAX, mem + len, mem);   /* master pointers for every handle made here */
    THz z = GetZone();
    Handle h = NewHandle((Size)big);
    if (h == NULL)
        return false;
    protect_fill(*h, big, 0x63);
    CompactMem(maxSize);
    for (unsigned i = 0; i < 256; i++) {   /* what fits below h (its alignment's padding) is taken first */
        Handle pad = NewHandle(16);
        if (pad == NULL || *pad > *h) {
            DisposeHandle(pad);
            break;
        }
    }
    Ptr old = *h;
    uint64_t phys = (big + 16 + 15) & ~(uint64_t)15, span = (uint64_t)(z->bkLim - (old - 16)) - phys;
    uint64_t d = span & ~(uint64_t)(MMU_PAGE - 1);
    if (span - d != 0 && span - d < 32)
        d -= MMU_PAGE;
    unsigned n = (unsigned)(d / UNIT_PHYS) - 1;   /* the bytes passed: d less 1 KiB */
    bool ok = n > 8 && n <= MAX;
    for (unsigned i = 0; ok && i < n; i++) {   /* carved from the top down */
        small[i] = NewHandle(UNIT);
        ok = small[i] != NULL && *small[i] > old && (i == 0 || *small[i] == *small[i - 1] - UNIT_PHYS);
        if (ok)
            protect_fill(*small[i], UNIT, 0x70 + i);
    }
    if (!ok) {
        ktap_diag("rotation layout: %u small handles, %lu bytes above the block", n, (unsigned long)span);
        return false;
    }
    protect_moves m = protect_moves_now();
    MoveHHi(h);
    ok = protect_remapped("MoveHHi over more than the room", h, old, big, 0x63, m) && *h == old + d;
    for (unsigned i = 0; ok && i < n; i++)   /* small[n - 1] was the lowest: it is at h's old place */
        ok = *small[i] == old + (uint64_t)(n - 1 - i) * UNIT_PHYS && protect_same(*small[i], UNIT, 0x70 + i);
    ok = ok && mm_check_move_hhi(z, h) == noErr && mm_check_zone(z, "rotation", true) == noErr;
    if (!ok)
        ktap_diag("rotation: %p -> %p, want %p", (void *)old, (void *)*h, (void *)(old + d));
    return ok;
}

/*
 * The placement moves need a known layout, so they run in a zone made with
 * InitZone inside a nonrelocatable block of the Application zone (its
 * pages are still the reserve's, committed on demand and remapped by
 * vm_remap): NewPtr slides a 128 KiB handle up, MoveHHi lifts a 300 KiB
 * one with less room above it than its size over a small handle, and
 * rotates one over more small handles than the room (protect_remap_rotate).
 */
static bool protect_remap_scratch(void)
{
    const size_t len = 1u << 20, slid = (128u << 10) + 77, big = (300u << 10) + 123;
    THz home = GetZone();
    Ptr mem = NewPtr((Size)len);
    if (mem == NULL)
        return false;
    InitZone(NULL, 16, mem + len, mem);
    bool ok = MemError() == noErr && mm_zone_remaps(GetZone());
    Handle h = ok ? NewHandle((Size)slid) : NULL;
    ok = ok && h != NULL;
    if (ok) {
        protect_fill(*h, slid, 0x21);
        CompactMem(maxSize);   /* to the bottom, right above the master pointers */
        Ptr old = *h;
        protect_moves m = protect_moves_now();
        Ptr p = NewPtr(8000);
        ok = p != NULL && p < old && protect_remapped("NewPtr's slide", h, old, slid, 0x21, m) && *h > old &&
             mm_check_place_low(GetZone(), p) == noErr && mm_check_zone(GetZone(), "slide", true) == noErr;
    }
    SetZone(home);
    mm_forget_storage(mem, len);
    const size_t len2 = 512u << 10;   /* a 300 KiB block at its bottom has less than that above it */
    InitZone(NULL, 16, mem + len2, mem);
    THz z2 = GetZone();
    h = NewHandle((Size)big);
    if (h != NULL) {
        protect_fill(*h, big, 0x42);
        CompactMem(maxSize);
        Handle other = NewHandle(300);
        Ptr old = *h;
        protect_moves m = protect_moves_now();
        MoveHHi(h);
        ok = other != NULL && protect_remapped("MoveHHi with little room", h, old, big, 0x42, m) && *h > old &&
             *other < *h && mm_check_move_hhi(z2, h) == noErr && mm_check_zone(z2, "lift", true) == noErr && ok;
    } else {
        ok = false;
    }
    SetZone(home);
    mm_forget_storage(mem, len);
    ok = protect_remap_rotate(mem, len2, big) && ok;
    SetZone(home);
    mm_forget_storage(mem, len);
    DisposePtr(mem);
    return ok;
}

/*
 * The dynamic backend's Application zone itself (registered remappable):
 * a 4 MiB handle moved by CompactMem, MoveHHi and SetHandleSize, then
 * the placement moves (protect_remap_scratch), each by remapping; then
 * everything goes and the page balance is what it was.
 */
static bool protect_remap_app_zone(void)
{
    THz az = ApplicationZone(), cur = GetZone();
    Ptr app_end = az->bkLim + 16;
    SetZone(az);
    uint64_t balance0 = protect_page_balance();
    bool ok = mm_zone_remaps(az);
    MaxApplZone();
    /* 4 MiB handles, or smaller ones on a small machine (an 8 MiB one's
     * Application zone is 2 MiB): two of them, then one at 1.5 times. */
    size_t n = 4u << 20;
    while (n > (128u << 10) && (Size)(3 * n) > MaxBlock())
        n /= 2;
    Handle a = NewHandle((Size)n), b = NewHandle((Size)n);
    ok = ok && a != NULL && b != NULL && ((uintptr_t)*a & (MMU_PAGE - 1)) == 0 && ((uintptr_t)*b & (MMU_PAGE - 1)) == 0;
    if (!ok) {
        ktap_diag("remaps %d, handles %p %p", mm_zone_remaps(az), (void *)a, (void *)b);
        DisposeHandle(a);
        DisposeHandle(b);
        SetZone(cur);
        return false;
    }
    Handle h = *a > *b ? a : b;   /* the higher one stays; the gap below it makes CompactMem move it */
    DisposeHandle(h == a ? b : a);
    protect_fill(*h, n, 0x3C);
    Ptr old = *h;
    protect_moves m = protect_moves_now();
    CompactMem(maxSize);
    ok = protect_remapped("CompactMem", h, old, n, 0x3C, m) && *h < old;
    old = *h;
    m = protect_moves_now();
    MoveHHi(h);
    ok = protect_remapped("MoveHHi", h, old, n, 0x3C, m) && *h > old && ok;
    old = *h;
    m = protect_moves_now();
    SetHandleSize(h, (Size)(n + n / 2));
    ok = MemError() == noErr && protect_remapped("SetHandleSize", h, old, n, 0x3C, m) && ok;
    DisposeHandle(h);
    ok = mm_check_zone(az, "remap", true) == noErr && ok;
    ok = protect_remap_scratch() && ok;
    CompactMem(maxSize);
    ok = mm_zone_shrink_to(az, app_end) == noErr && ok;
    uint64_t balance1 = protect_page_balance();
    if (balance1 != balance0)
        ktap_diag("free + committed + table pages: %lu before, %lu after", (unsigned long)balance0,
                  (unsigned long)balance1);
    SetZone(cur);
    return ok && balance1 == balance0;
}

/*
 * Temporary memory never takes the pages the zones were promised: take
 * every temporary handle TempMaxMem offers (the PMM's free pages less what
 * the on-demand reserves still need), then allocate and write the
 * Application zone up to what FreeMem says after MaxApplZone (bounded at
 * TEMP_FILL_CAP so a large machine stays quick): every page commits, the
 * run never ends. Everything then goes back and the page-run room is what
 * it was (zone pages committing or going back never change it).
 */
enum { TEMP_HANDLES = 256, TEMP_CHUNK = 1 << 20 };   /* runs are at most 8 GiB: 256 cover 1 TiB */
/* Under the MM's debug modes every NewHandle checks the zone and moves every
 * unlocked block (scramble): the fill is quadratic there, so it stops sooner. */
#define TEMP_FILL_CAP ((KT_MM_DEBUG ? 8ull : 64ull) << 20)

static bool protect_temp_leaves_zone_pages(void)
{
    THz az = ApplicationZone(), cur = GetZone();
    Ptr app_end = az->bkLim + 16;
    static Handle temps[TEMP_HANDLES], fills[(TEMP_FILL_CAP / TEMP_CHUNK) + 2];
    uint64_t room0, big0, room1, big1;
    Size grow = 0;
    vm_quarantine_flush();
    if (!plat_page_run_room(&room0, &big0))
        return false;
    unsigned nt = 0;
    uint64_t temp_bytes = 0;
    for (Size m = TempMaxMem(&grow); nt < TEMP_HANDLES && m >= (Size)MMU_PAGE; m = TempMaxMem(&grow)) {
        OSErr e = 1;
        Handle t = TempNewHandle(m, &e);
        if (t == NULL || e != noErr)
            break;
        **t = 1;   /* the run's first page is the platform's to give: write it */
        temps[nt++] = t;
        temp_bytes += (uint64_t)m;
    }
    OSErr over = noErr;
    Handle extra = TempNewHandle(TempMaxMem(&grow) + 2 * MMU_PAGE, &over);
    uint64_t counted = 0, free_pages = pmm_free_page_count(), promised_pages = vm_promised_pages();
    bool ok = nt > 0 && extra == NULL && over == memFullErr && vm_check_promised(&counted) &&
              free_pages >= promised_pages;
    ktap_diag("temporary memory taken: %lu PMM pages free, %lu promised to the zones (recounted %lu)",
              (unsigned long)free_pages, (unsigned long)promised_pages, (unsigned long)counted);
    DisposeHandle(extra);
    SetZone(az);
    MaxApplZone();
    long promised = FreeMem();
    uint64_t target = (uint64_t)promised < TEMP_FILL_CAP ? (uint64_t)promised : TEMP_FILL_CAP, filled = 0;
    unsigned nf = 0;
    while (filled < target && nf < sizeof fills / sizeof fills[0]) {
        Size want = MaxBlock();
        if (want > TEMP_CHUNK)
            want = TEMP_CHUNK;
        if (want < 1024)
            break;
        Handle h = NewHandle(want);
        if (h == NULL)
            break;
        nk_memset(*h, 0xA5, (size_t)want);
        fills[nf++] = h;
        filled += (uint64_t)want;
    }
    ktap_diag("%u temporary handles, %lu KiB; Application zone FreeMem %ld KiB, %lu KiB written in %u handles",
              nt, (unsigned long)(temp_bytes >> 10), promised >> 10, (unsigned long)(filled >> 10), nf);
    /* Within a few blocks' overhead of the target: the zone's promise was kept. */
    ok = ok && filled + (uint64_t)nf * 64 + 4096 >= target;
    for (unsigned i = 0; i < nf; i++)
        ok = ok && (*fills[i])[0] == (char)0xA5;
    ok = ok && mm_check_zone(az, "temp-fill", true) == noErr;
    while (nf)
        DisposeHandle(fills[--nf]);
    while (nt)
        DisposeHandle(temps[--nt]);
    CompactMem(maxSize);
    ok = mm_zone_shrink_to(az, app_end) == noErr && ok;
    SetZone(cur);
    vm_quarantine_flush();
    ok = plat_page_run_room(&room1, &big1) && vm_check_promised(&counted) && ok;
    if (room1 != room0)
        ktap_diag("page-run room %lu KiB before, %lu KiB after", (unsigned long)(room0 >> 10),
                  (unsigned long)(room1 >> 10));
    return ok && room1 == room0;
}

int protect_run_tests(void)
{
    uint64_t sys_boot = protect_committed(SystemZone(), SystemZone()->bkLim + 16);
    uint64_t app_boot = protect_committed(ApplicationZone(), GetApplLimit());
    ktap_suite s;
    uint64_t guard, stack, len;
    cpu_double_fault_stack(&guard, &stack, &len);
    uintptr_t app_end = (uintptr_t)GetApplLimit();

    ktap_suite_begin(&s, "protect", 10);
    ktap_check(&s, protect_named(0, VM_NULL) && protect_named((uintptr_t)__kernel_start, VM_TEXT) &&
                       protect_named((uintptr_t)g_protect_rodata_probe, VM_RODATA) &&
                       protect_named((uintptr_t)&g_protect_data_probe, VM_DATA) &&
                       protect_named((uintptr_t)boot_stack_guard, VM_GUARD) && protect_named(guard, VM_GUARD) &&
                       protect_named(app_end, VM_GUARD) && protect_named(app_end - 1, VM_ZONE),
               "registry_names_every_kernel_range");
    const mmu_space *sp = vm_space();
    if (!sp) {
        const char *why = "MM_PROTECT=0: the flat identity map";
        ktap_skip(&s, "null_and_guard_pages_unmapped", why);
        ktap_skip(&s, "text_read_execute_rodata_read_only", why);
        ktap_skip(&s, "data_stack_zone_no_execute", why);
        ktap_skip(&s, "cr0_wp_and_efer_nxe", why);
        ktap_skip(&s, "large_kernel_heap_allocation_guarded", why);
        ktap_skip(&s, "live_tables_pass_mmu_check", why);
        ktap_skip(&s, "dynamic_zones_committed_on_demand", why);
        ktap_skip(&s, "dynamic_app_zone_large_handle_moves_by_remapping", why);
        ktap_skip(&s, "dynamic_temp_memory_leaves_zone_pages", why);
        return ktap_suite_end(&s);
    }
    unsigned rw = MMU_WRITE | (sp->use_nx ? 0u : MMU_EXEC), ro = sp->use_nx ? 0u : MMU_EXEC;
    (void)*(volatile char *)(app_end - 1);   /* a zone committed on demand maps the page at first touch */
    ktap_check(&s, protect_is(sp, 0, false, 0) && protect_is(sp, (uintptr_t)boot_stack_guard, false, 0) &&
                       protect_is(sp, guard, false, 0) && protect_is(sp, app_end, false, 0),
               "null_and_guard_pages_unmapped");
    ktap_check(&s, protect_is(sp, (uintptr_t)__kernel_start, true, MMU_EXEC) &&
                       protect_is(sp, (uintptr_t)&protect_run_tests, true, MMU_EXEC) &&
                       protect_is(sp, (uintptr_t)g_protect_rodata_probe, true, ro),
               "text_read_execute_rodata_read_only");
    ktap_check(&s, protect_is(sp, (uintptr_t)&g_protect_data_probe, true, rw) && protect_is(sp, stack, true, rw) &&
                       protect_is(sp, app_end - 1, true, rw) && protect_is(sp, (uintptr_t)__data_start, true, rw),
               "data_stack_zone_no_execute");
    uint64_t cr0;
    uint32_t efer_lo, efer_hi;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("rdmsr" : "=a"(efer_lo), "=d"(efer_hi) : "c"(0xC0000080u));
    ktap_check(&s, (cr0 & (1ull << 16)) && ((efer_lo >> 11) & 1) == (unsigned)cpu_has_nx() && sp->use_nx == cpu_has_nx(),
               "cr0_wp_and_efer_nxe");
    ktap_check(&s, protect_large_guarded(sp, rw), "large_kernel_heap_allocation_guarded");
    mmu_problem p;
    bool tables_ok = mmu_check(sp, &p);
    if (!ktap_check(&s, tables_ok, "live_tables_pass_mmu_check"))
        ktap_diag("%s at 0x%lx level %d", p.what, (unsigned long)p.va, p.level);
    if (__builtin_strcmp(CONFIG_MM_BACKEND_NAME, "dynamic") == 0) {
        ktap_check(&s, protect_on_demand(sys_boot, app_boot), "dynamic_zones_committed_on_demand");
        ktap_check(&s, protect_remap_app_zone(), "dynamic_app_zone_large_handle_moves_by_remapping");
        ktap_check(&s, protect_temp_leaves_zone_pages(), "dynamic_temp_memory_leaves_zone_pages");
    } else {
        ktap_skip(&s, "dynamic_zones_committed_on_demand", "the " CONFIG_MM_BACKEND_NAME " backend's zones are fully backed");
        ktap_skip(&s, "dynamic_app_zone_large_handle_moves_by_remapping",
                  "the " CONFIG_MM_BACKEND_NAME " backend's zones are not remappable: large blocks are copied");
        ktap_skip(&s, "dynamic_temp_memory_leaves_zone_pages",
                  "the " CONFIG_MM_BACKEND_NAME " backend's zones are fully backed: nothing is promised");
    }
    return ktap_suite_end(&s);
}

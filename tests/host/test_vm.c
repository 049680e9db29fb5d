/*
 * test_vm.c - the kernel address space (src/nanokernel/vm.c) over page
 * tables in a host buffer: the registry answers "what is this address" with
 * the smallest range, guard pages are unmapped and named, reserves get
 * guards on both sides and never reuse addresses, commit/decommit take and
 * give back exactly their pages and roll back when pages run out, a
 * reserve marked on demand gets exactly the page a fault asks for, and
 * vm_remap trades pages by their table entries (overlapping ranges rotate;
 * in a reserve committed on demand an uncommitted page moves as a hole,
 * and the pages behind the reserves stay the same count) and refuses what
 * it cannot move, changing nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "nanokernel/vm.h"
#include "tap.h"

#define FAKE_PHYS 0x40000000ull
#define POOL_PAGES 256

static uint8_t *g_mem;
static uint8_t g_used[POOL_PAGES];
static uint64_t g_taken, g_limit = POOL_PAGES;

static uint64_t take(void)
{
    if (g_taken >= g_limit)
        return 0;
    for (uint64_t i = 0; i < POOL_PAGES; i++)
        if (!g_used[i]) {
            g_used[i] = 1;
            g_taken++;
            return FAKE_PHYS + i * MMU_PAGE;
        }
    return 0;
}

static void give(uint64_t pa)
{
    uint64_t i = (pa - FAKE_PHYS) / MMU_PAGE;
    if (i < POOL_PAGES && g_used[i]) {
        g_used[i] = 0;
        g_taken--;
    } else {
        abort();   /* a page given back twice or never taken */
    }
}

static uint64_t take_table(void *ctx)
{
    (void)ctx;
    uint64_t pa = take();
    return pa ? pa : UINT64_MAX;
}

static void give_table(void *ctx, uint64_t pa)
{
    (void)ctx;
    give(pa);
}

static uint64_t *table_ptr(void *ctx, uint64_t pa)
{
    (void)ctx;
    return (uint64_t *)(g_mem + (pa - FAKE_PHYS));
}

static uint64_t g_given[16], g_given_count;

static void give_run_cb(uint64_t base, uint64_t len)
{
    (void)len;
    if (g_given_count < 16)
        g_given[g_given_count] = base;
    g_given_count++;
}

static bool describes(uint64_t addr, const char *want)
{
    char buf[160];
    vm_describe(addr, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        tap_diag("0x%llx: \"%s\", want \"%s\"", (unsigned long long)addr, buf, want);
        return false;
    }
    return true;
}

#define P MMU_PAGE
#define WINDOW (1ull << 40)

int main(void)
{
    tap_plan(30);
    g_mem = aligned_alloc(MMU_PAGE, POOL_PAGES * MMU_PAGE);
    mmu_space s = { .use_1g = true, .use_nx = true, .take_table = take_table, .give_table = give_table,
                    .table_ptr = table_ptr };
    mmu_init(&s);
    mmu_map(&s, 0, 0, 1ull << 30, MMU_WRITE);         /* a direct map of the first GiB */
    vm_init(&s, take, give, WINDOW, 1ull << 30);

    vm_register(0, P, VM_NULL, "NULL");
    vm_register(0x100000, 0x40000, VM_TEXT, ".text");
    vm_register(0x140000, 0x20000, VM_DATA, ".data/.bss");
    vm_register(0x150000, 0x10000, VM_STACK, "boot stack");
    tap_ok(describes(0, "the NULL page") && describes(0x100123, "kernel text '.text'") &&
               describes(0x152000, "kernel stack 'boot stack'") && describes(0x141000, "kernel data '.data/.bss'") &&
               describes(0x900000, "unmapped (no kernel range holds it)"),
           "vm_describe names the smallest registered range, or says unmapped");
    tap_ok(vm_guard(0x14F000, P, "below the boot stack") && !mmu_query(&s, 0x14F000).present &&
               mmu_query(&s, 0x150000).present && describes(0x14F800, "the guard page below the boot stack"),
           "a guard page is unmapped and named, inside the data range that holds it");
    tap_ok(vm_unguard(0x14F000, P) && mmu_query(&s, 0x14F000).present && describes(0x14F800, "kernel data '.data/.bss'"),
           "vm_unguard maps it back and forgets it");
    tap_ok(!vm_register(0x1001, P, VM_DATA, "odd") && !vm_register(0x2000, 0, VM_DATA, "empty"),
           "ranges that are not whole pages are refused");

    uint64_t t0 = g_taken;
    uint64_t a = vm_reserve(4 * P, 1, VM_HEAP, "test reserve");
    uint64_t b = vm_reserve(2 * P, 2, VM_HEAP, "second");
    tap_ok(a == WINDOW + P && b == a + 4 * P + P + 2 * P && describes(a - 1, "the guard page test reserve") &&
               describes(a + 4 * P, "the guard page test reserve") && describes(a + 3 * P, "kernel heap 'test reserve'") &&
               g_taken == t0,
           "reserves sit in the window with guard pages on both sides and take no pages");
    tap_ok(vm_commit(a, 4 * P, MMU_WRITE) && g_taken == t0 + 4 + 3 && mmu_query(&s, a + 3 * P).present &&
               !mmu_query(&s, a + 4 * P).present && !mmu_query(&s, a - P).present,
           "commit maps four fresh pages (and the three tables they need), the guards stay unmapped");
    tap_ok(vm_protect(a, P, 0) && mmu_query(&s, a).prot == 0 && mmu_query(&s, a + P).prot == MMU_WRITE,
           "vm_protect changes one committed page");
    vm_decommit(a, 4 * P);
    tap_ok(g_taken == t0 && !mmu_query(&s, a).present, "decommit gives back every page and the emptied tables");
    /* mapped_top: the end of what may be mapped, so a decommit stops there */
    const vm_region *ra = vm_lookup(a);
    bool top0 = ra != NULL && ra->mapped_top == a;
    bool c2 = vm_commit(a + 2 * P, P, MMU_WRITE);
    bool top1 = ra->mapped_top == a + 3 * P;
    vm_decommit(a, P);                        /* below the top: it stays */
    bool top2 = ra->mapped_top == a + 3 * P && mmu_query(&s, a + 2 * P).present;
    vm_decommit(a + P, 3 * P);                /* up to it: the top comes down to the range's start */
    tap_ok(top0 && c2 && top1 && top2 && ra->mapped_top == a + P && !mmu_query(&s, a + 2 * P).present && g_taken == t0,
           "a reserve's mapped_top starts at its base, rises with a commit, falls with a decommit reaching it");
    g_limit = g_taken + 4;   /* tables (3) and one page: the second page fails */
    tap_ok(!vm_commit(b, 2 * P, MMU_WRITE) && g_taken == t0 && !mmu_query(&s, b).present,
           "a commit that runs out of pages rolls back completely");
    g_limit = POOL_PAGES;
    tap_ok(!vm_commit(a - P, P, MMU_WRITE) && !vm_commit(0x900000, P, MMU_WRITE) && !vm_commit(a, 5 * P, MMU_WRITE),
           "commit refuses guard pages, unregistered addresses and ranges past the reserve");
    /* on demand: a fault on an unbacked page of a marked reserve commits that page, nothing else */
    tap_ok(vm_fault_commit(b) == VM_FAULT_NOT_MINE && !vm_is_on_demand(b) && vm_set_on_demand(b) &&
               vm_is_on_demand(b + P) && !vm_is_on_demand(b - 1) && !vm_set_on_demand(b + 1),
           "a reserve is committed on demand only once marked; its guard pages never are");
    uint64_t counted = 0, tables = 3;   /* a 2-page reserve: a page table, a directory, a pointer table */
    tap_ok(vm_promised_pages() == 2 + tables && vm_check_promised(&counted) && counted == 2 + tables,
           "marking it on demand promises its uncommitted pages and the tables they may need (%llu)",
           (unsigned long long)vm_promised_pages());
    uint64_t before = g_taken;
    tap_ok(vm_fault_commit(b + P + 123) == VM_FAULT_COMMITTED && mmu_query(&s, b + P).present &&
               !mmu_query(&s, b).present && vm_committed_pages(b, 2 * P) == 1 &&
               vm_fault_commit(b + P) == VM_FAULT_NOT_MINE && vm_fault_commit(b - 1) == VM_FAULT_NOT_MINE,
           "a demand fault commits its one page; a mapped page or a guard page is not a demand fault");
    g_limit = g_taken;
    tap_ok(vm_fault_commit(b) == VM_FAULT_NO_PAGE && !mmu_query(&s, b).present,
           "a demand fault with no page left says so and maps nothing");
    g_limit = POOL_PAGES;
    bool kept = vm_promised_pages() == 1 + tables && vm_check_promised(&counted);
    vm_decommit(b, 2 * P);
    tap_ok(vm_committed_pages(b, 2 * P) == 0 && g_taken < before + 1 && vm_committed_pages(0x150000, 2 * P) == 2,
           "decommit gives the demand page back; vm_committed_pages counts mapped pages");
    kept = kept && vm_promised_pages() == 2 + tables && vm_check_promised(&counted);
    tap_ok(kept, "the promise drops by a committed page (a failed commit changes nothing) and comes back at decommit");
    /* quarantine: freed runs in the direct map (first GiB) */
    bool q1 = vm_quarantine(0x200000, 4 * P, "freed run", give_run_cb);
    tap_ok(q1 && !mmu_query(&s, 0x201000).present && describes(0x201000, "freed memory 'freed run'") &&
               vm_quarantined_pages() == 4,
           "a quarantined run is unmapped and named as freed memory");
    for (int k = 1; k <= VM_QUARANTINE_RUNS; k++)
        vm_quarantine(0x200000 + (uint64_t)k * 0x10000, P, "freed run", give_run_cb);
    tap_ok(g_given_count == 1 && g_given[0] == 0x200000 && mmu_query(&s, 0x201000).present &&
               describes(0x201000, "unmapped (no kernel range holds it)") && vm_quarantined_pages() == VM_QUARANTINE_RUNS,
           "the oldest run is mapped back and given to its owner when a newer one does not fit");
    vm_quarantine_flush();
    tap_ok(g_given_count == 1 + VM_QUARANTINE_RUNS && vm_quarantined_pages() == 0 && mmu_query(&s, 0x210000).present &&
               !vm_quarantine(0x400000, VM_QUARANTINE_BYTES + P, "too big", give_run_cb),
           "flush gives every run back; a run above the byte cap is refused (the caller frees it)");
    /* remap: pages trade places by page-table entries, overlapping ranges rotate */
    uint64_t r = vm_reserve(12 * P, 1, VM_ZONE, "remap zone");
    tap_ok(r != 0 && vm_commit(r, 12 * P, MMU_WRITE), "a 12-page reserve for remapping");
    uint64_t pa[12];
    for (int i = 0; i < 12; i++)
        pa[i] = mmu_query(&s, r + (uint64_t)i * P).pa;
    bool ok = vm_remap(r + 8 * P, r, 3 * P);   /* disjoint: pages 0..2 <-> 8..10 */
    for (int i = 0; i < 3; i++)
        ok = ok && mmu_query(&s, r + (uint64_t)(8 + i) * P).pa == pa[i] && mmu_query(&s, r + (uint64_t)i * P).pa == pa[8 + i];
    tap_ok(ok && mmu_query(&s, r + 3 * P).pa == pa[3], "vm_remap of disjoint ranges trades their pages");
    for (int i = 0; i < 12; i++)
        pa[i] = mmu_query(&s, r + (uint64_t)i * P).pa;
    ok = vm_remap(r + 1 * P, r + 3 * P, 5 * P);   /* down by 2: [1..5] <- [3..7], [6,7] <- [1,2] */
    for (int i = 0; i < 5; i++)
        ok = ok && mmu_query(&s, r + (uint64_t)(1 + i) * P).pa == pa[3 + i];
    ok = ok && mmu_query(&s, r + 6 * P).pa == pa[1] && mmu_query(&s, r + 7 * P).pa == pa[2] && mmu_query(&s, r).pa == pa[0];
    tap_ok(ok, "vm_remap down by less than its length rotates the pages");
    for (int i = 0; i < 12; i++)
        pa[i] = mmu_query(&s, r + (uint64_t)i * P).pa;
    ok = vm_remap(r + 4 * P, r + 1 * P, 6 * P);   /* up by 3: [4..9] <- [1..6], [1..3] <- [7..9] */
    for (int i = 0; i < 6; i++)
        ok = ok && mmu_query(&s, r + (uint64_t)(4 + i) * P).pa == pa[1 + i];
    for (int i = 0; i < 3; i++)
        ok = ok && mmu_query(&s, r + (uint64_t)(1 + i) * P).pa == pa[7 + i];
    tap_ok(ok && mmu_query(&s, r + 10 * P).pa == pa[10], "vm_remap up by less than its length rotates the pages");
    for (int i = 0; i < 12; i++)
        pa[i] = mmu_query(&s, r + (uint64_t)i * P).pa;
    vm_decommit(r + 11 * P, P);
    ok = !vm_remap(r + 8 * P, r, 4 * P) && !vm_remap(r, r - P, P) && !vm_remap(r + 1, r + P, P);
    for (int i = 0; i < 11; i++)
        ok = ok && mmu_query(&s, r + (uint64_t)i * P).pa == pa[i];
    tap_ok(ok, "vm_remap refuses an uncommitted page, a guard page or an unaligned address, changing nothing");
    /* remap in a reserve committed on demand: an uncommitted page moves as a hole */
    uint64_t d = vm_reserve(16 * P, 1, VM_ZONE, "on-demand remap zone");
    bool dok = d != 0 && vm_set_on_demand(d) && vm_commit(d, 3 * P, MMU_WRITE);
    uint64_t dpa[3];
    for (int i = 0; i < 3; i++)
        dpa[i] = mmu_query(&s, d + (uint64_t)i * P).pa;
    uint64_t data0 = g_taken - s.tables;   /* pages behind reserves: tables come from the same pool */
    ok = dok && vm_remap(d + 8 * P, d, 4 * P);   /* [8..11] <- [0..3]: page 3 is a hole */
    for (int i = 0; i < 3; i++)
        ok = ok && mmu_query(&s, d + (uint64_t)(8 + i) * P).pa == dpa[i];
    ok = ok && !mmu_query(&s, d + 11 * P).present && vm_committed_pages(d, 8 * P) == 0;
    tap_ok(ok && vm_committed_pages(d, 16 * P) == 3 && g_taken - s.tables == data0,
           "vm_remap on demand: committed pages move, an uncommitted one moves as a hole, no page taken or lost");
    ok = vm_remap(d + 6 * P, d + 8 * P, 4 * P);   /* down by 2: [6..9] <- [8..11], [10,11] <- [6,7] (holes) */
    ok = ok && mmu_query(&s, d + 6 * P).pa == dpa[0] && mmu_query(&s, d + 7 * P).pa == dpa[1] &&
         mmu_query(&s, d + 8 * P).pa == dpa[2] && !mmu_query(&s, d + 9 * P).present &&
         !mmu_query(&s, d + 10 * P).present && !mmu_query(&s, d + 11 * P).present;
    tap_ok(ok && vm_committed_pages(d, 16 * P) == 3 && g_taken - s.tables == data0,
           "vm_remap on demand rotates overlapping ranges with holes in them");
    bool guarded = vm_guard(d + 15 * P, P, "inside the on-demand zone");
    ok = guarded && !vm_remap(d, r + P, P) && !vm_remap(d + 14 * P, d + 6 * P, 4 * P) &&
         !vm_remap(d + 12 * P, d + 6 * P, 4 * P) && !vm_remap(d + 2 * P, d + 6 * P, 2 * P + 1);
    ok = ok && mmu_query(&s, d + 6 * P).pa == dpa[0] && mmu_query(&s, d + 7 * P).pa == dpa[1] &&
         mmu_query(&s, d + 8 * P).pa == dpa[2] && mmu_query(&s, r + P).pa == pa[1] && g_taken - s.tables == data0;
    tap_ok(ok, "vm_remap refuses two registered ranges, a range past the reserve, a guard inside it, an odd length");
    vm_unregister(d + 15 * P, VM_GUARD);
    bool exact = vm_check_promised(&counted);
    vm_decommit(d, 16 * P);
    vm_decommit(r, 11 * P);
    vm_unregister(b, VM_HEAP);
    vm_unregister(d, VM_ZONE);
    tap_ok(exact && vm_promised_pages() == 0 && vm_check_promised(&counted) && counted == 0,
           "remaps keep the promise exact; unregistering the on-demand reserves takes it away");
    int n = 0;
    while (vm_register(0x10000000 + (uint64_t)n * P, P, VM_DATA, "filler"))
        n++;
    tap_ok(n > 0 && n < VM_MAX_REGIONS && vm_lookup(0x10000000) != NULL, "a full registry refuses more ranges (after %d)", n);
    free(g_mem);
    return tap_failed ? 1 : 0;
}

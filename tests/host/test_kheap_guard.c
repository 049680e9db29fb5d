/*
 * test_kheap_guard.c - guard pages around large kernel-heap blocks
 * (kheap_guard_large), with the PMM over a real buffer and the kernel
 * address space (vm.c) over host page tables that map that buffer one to
 * one, as the kernel's direct map does: each guarded block owns one
 * unmapped page before and after it, kheap_whereis names the block from
 * either guard page, a freed block's guards go back with it, and with
 * guards off no page is spent on them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nanokernel/nk_memory.h"
#include "nanokernel/vm.h"
#include "nk_test_util.h"
#include "tap.h"

#define MiB (1024ul * 1024)
#define P   PMM_PAGE_SIZE
#define TABLE_PAGES 64

static uint8_t *ram, *tables;
static uint8_t table_used[TABLE_PAGES];
static mmu_space space;

/* Page-table pages come from their own buffer, addressed by their host address. */
static uint64_t take_table(void *ctx)
{
    (void)ctx;
    for (int i = 0; i < TABLE_PAGES; i++)
        if (!table_used[i]) {
            table_used[i] = 1;
            return (uintptr_t)(tables + (size_t)i * P);
        }
    return UINT64_MAX;
}

static void give_table(void *ctx, uint64_t pa)
{
    (void)ctx;
    table_used[(pa - (uintptr_t)tables) / P] = 0;
}

static uint64_t *table_ptr(void *ctx, uint64_t pa)
{
    (void)ctx;
    return (uint64_t *)(uintptr_t)pa;
}

static uint64_t take_page(void)
{
    return pmm_alloc_page();
}

static void give_page(uint64_t pa)
{
    pmm_free_page((uintptr_t)pa);
}

/* A PMM over `mib` MiB, the heap on its first MiB, the buffer mapped one to one; guards as asked. */
static void setup(size_t mib, bool guards)
{
    free(ram);
    ram = aligned_alloc(2 * MiB, mib * MiB);
    memset(table_used, 0, sizeof table_used);
    space = (mmu_space){ .use_1g = true, .use_nx = true, .take_table = take_table, .give_table = give_table,
                         .table_ptr = table_ptr };
    mmu_init(&space);
    mmu_map(&space, (uintptr_t)ram, (uintptr_t)ram, mib * MiB, MMU_WRITE);
    vm_init(&space, take_page, give_page, 1ull << 46, 1ull << 40);
    pmm_reset();
    pmm_init(mib * MiB, (uintptr_t)ram);
    uintptr_t h = pmm_alloc_pages(256, 1);
    kheap_init(h, h + MiB);
    kheap_guard_large(guards);
}

static bool mapped(uintptr_t a)
{
    return mmu_query(&space, a).present;
}

static bool names(uintptr_t addr, const char *want)
{
    char buf[160] = "";
    bool found = kheap_whereis(addr, buf, sizeof buf);
    if (!found || strcmp(buf, want) != 0) {
        tap_diag("0x%lx: %s\"%s\", want \"%s\"", (unsigned long)addr, found ? "" : "(not found) ", buf, want);
        return false;
    }
    return true;
}

static bool heap_ok(const char *when)
{
    const char *why = kheap_check();
    if (why)
        tap_diag("%s: %s", when, why);
    return why == NULL;
}

static void test_guarded_block(void)
{
    setup(16, true);
    uint64_t free0 = pmm_free_page_count();
    uint8_t *p = kmalloc(512 * 1024);
    size_t usable = kmalloc_usable_size(p);
    uintptr_t first = (uintptr_t)p & ~(uintptr_t)(P - 1), end = (uintptr_t)p + usable;
    uint64_t pages = (end - first) / P;
    tap_ok(p && (end & (P - 1)) == 0 && usable >= 512 * 1024, "a large block ends on a page boundary");
    TAP_EQ(free0 - pmm_free_page_count(), pages + 2, "the block takes its pages and one guard page on each side");
    tap_ok(!mapped(first - P) && !mapped(end) && mapped(first) && mapped(end - 1),
           "both guard pages are unmapped, the block's pages are not");
    const vm_region *before = vm_lookup(first - P), *after = vm_lookup(end + P - 1);
    tap_ok(before && before->kind == VM_GUARD && after && after->kind == VM_GUARD,
           "both guard pages are registered as guards");
    char want[160];
    snprintf(want, sizeof want, "the guard page after the large kernel-heap allocation 0x%lx (%zu bytes)",
             (unsigned long)(uintptr_t)p, usable);
    bool after_ok = names(end, want) && names(end + P - 1, want);
    snprintf(want, sizeof want, "the guard page before the large kernel-heap allocation 0x%lx (%zu bytes)",
             (unsigned long)(uintptr_t)p, usable);
    tap_ok(after_ok && names(first - P, want), "kheap_whereis names the block from either guard page");
    char buf[160];
    tap_ok(!kheap_whereis((uintptr_t)p, buf, sizeof buf) && !kheap_whereis(end + P, buf, sizeof buf) &&
               !kheap_whereis(first - P - 1, buf, sizeof buf),
           "the block itself and the pages beyond its guards are no guard page");
    reports = 0;
    pmm_free_page(end);
    pmm_free_page(first - P);
    TAP_EQ(reports, 2, "the PMM refuses to free a guard page: the block owns it");
    tap_ok(heap_ok("guarded"), "heap check clean with a guarded block");

    kfree(p);
    tap_ok(vm_quarantined_pages() == pages + 2 && !mapped(first) && vm_lookup(end) &&
               vm_lookup(end)->kind == VM_FREED && vm_lookup(first - P)->kind == VM_FREED,
           "kfree quarantines the whole run, guards included, as freed memory");
    vm_quarantine_flush();
    tap_ok(pmm_free_page_count() == free0 && mapped(first - P) && mapped(end) && !vm_lookup(end) &&
               !vm_lookup(first - P),
           "after the quarantine every page, guards included, is mapped and back in the PMM");
    tap_ok(!kheap_whereis(end, buf, sizeof buf), "a freed block's guard page is no longer named");
}

static void test_guarded_aligned_and_big(void)
{
    setup(32, true);
    uint64_t free0 = pmm_free_page_count();
    uint8_t *a = kmalloc_aligned(100000, 64 * 1024);
    uintptr_t a_end = (uintptr_t)a + kmalloc_usable_size(a);
    tap_ok(a && ((uintptr_t)a & (64 * 1024 - 1)) == 0 && !mapped((uintptr_t)a - 2 * P) && mapped((uintptr_t)a - P) &&
               !mapped(a_end) && mapped(a_end - 1),
           "an aligned block: guard before its record page and after its last page");
    uint8_t *big = kmalloc(3 * MiB);   /* above the quarantine's cap: freed at once */
    uintptr_t b_end = (uintptr_t)big + kmalloc_usable_size(big);
    memset(big, 0x5A, 3 * MiB);
    tap_ok(big && !mapped(b_end) && !mapped(((uintptr_t)big & ~(uintptr_t)(P - 1)) - P),
           "a 3 MiB block is guarded too");
    kfree(big);
    tap_ok(mapped(b_end) && !vm_lookup(b_end) && vm_quarantined_pages() == 0,
           "a block too big to quarantine maps its guards back when freed");
    kfree(a);
    vm_quarantine_flush();
    TAP_EQ(pmm_free_page_count(), free0, "every page is back");
    tap_ok(heap_ok("aligned"), "heap check clean");
}

static void test_guards_off(void)
{
    setup(16, false);
    uint64_t free0 = pmm_free_page_count();
    uint8_t *p = kmalloc(512 * 1024);
    uintptr_t first = (uintptr_t)p & ~(uintptr_t)(P - 1), end = (uintptr_t)p + kmalloc_usable_size(p);
    char buf[160];
    TAP_EQ(free0 - pmm_free_page_count(), (end - first) / P, "guards off: a large block takes only its own pages");
    tap_ok(mapped(first - P) && mapped(end) && !kheap_whereis(end, buf, sizeof buf), "guards off: nothing unmapped");
    kfree(p);
    vm_quarantine_flush();
    TAP_EQ(pmm_free_page_count(), free0, "guards off: every page is back");
}

int main(void)
{
    diag_set_hook(nk_test_catch_report);
    tables = aligned_alloc(P, TABLE_PAGES * P);
    test_guarded_block();
    test_guarded_aligned_and_big();
    test_guards_off();
    TAP_EQ(reports, 2, "no unexpected reports");
    free(ram);
    free(tables);
    return tap_done();
}

/*
 * vm.c - the kernel address space: a registry of named ranges over one
 * mmu_space, guard pages, and reserve/commit/decommit in a window above the
 * direct map. See vm.h for the contract and invariants.
 *
 * The registry is a small unsorted table (the kernel registers a few dozen
 * ranges); a lookup scans it for the smallest range holding the address.
 * Without a space (MM_PROTECT=0, host registry tests) nothing is mapped or
 * unmapped, but every range is still recorded, so a fault report can still
 * say what an address was.
 *
 * Promised pages: g_promised counts, over every reserve committed on
 * demand, its pages not committed yet plus the most table pages mapping
 * all of it could need (vm_promise_tables, fixed per reserve). Each commit
 * of a page not present in such a reserve takes one off, each decommit of a
 * present one puts one back, vm_set_on_demand adds a reserve's share and
 * vm_unregister takes it away; a remap trades pages inside one reserve and
 * changes nothing. vm_check_promised recounts it from the page tables.
 */
#include "nanokernel/vm.h"

#include "lib/diag.h"
#include "lib/kprintf.h"

static vm_region g_regions[VM_MAX_REGIONS];
static size_t g_region_count;
static mmu_space *g_space;
static uint64_t (*g_take_page)(void);
static void (*g_give_page)(uint64_t);
static uint64_t g_window_next, g_window_end;
static uint64_t g_remap_calls, g_remap_pages;   /* vm_remap calls that moved pages, and their pages */
static uint64_t g_promised;   /* pages on-demand reserves may still take (see above) */

typedef struct vm_quarantined {
    uint64_t base, len;
    void (*give_run)(uint64_t base, uint64_t len);
} vm_quarantined;
static vm_quarantined g_quarantine[VM_QUARANTINE_RUNS];   /* oldest first */
static size_t g_quarantine_count;
static uint64_t g_quarantine_bytes;

static bool vm_aligned(uint64_t v)
{
    return (v & (MMU_PAGE - 1)) == 0;
}

/* Table pages that mapping all of a len-byte range could need, wherever it
 * starts: a page table per 2 MiB, a directory per 1 GiB, a pointer table
 * per 512 GiB, each plus one for a range that straddles a boundary. */
static uint64_t vm_promise_tables(uint64_t len)
{
    return len / MMU_SIZE_2M + 1 + len / MMU_SIZE_1G + 1 + len / (512 * MMU_SIZE_1G) + 1;
}

/* What an on-demand reserve adds to g_promised now. */
static uint64_t vm_promise_of(const vm_region *r)
{
    return r->len / MMU_PAGE - vm_committed_pages(r->base, r->len) + vm_promise_tables(r->len);
}

void vm_init(mmu_space *space, uint64_t (*take_page)(void), void (*give_page)(uint64_t),
             uint64_t window_base, uint64_t window_len)
{
    g_region_count = 0;
    g_space = space;
    g_take_page = take_page;
    g_give_page = give_page;
    g_window_next = window_base;
    g_window_end = window_base + window_len;
    g_quarantine_count = 0;
    g_quarantine_bytes = 0;
    g_promised = 0;
}

mmu_space *vm_space(void)
{
    return g_space;
}

bool vm_attach(mmu_space *space)
{
    g_space = space;
    bool ok = true;
    for (size_t i = 0; i < g_region_count; i++) {
        const vm_region *r = &g_regions[i];
        if ((r->kind == VM_GUARD || r->kind == VM_NULL) && mmu_unmap(space, r->base, r->len) != MMU_OK) {
            kprintf("vm: could not unmap %s '%s' at 0x%lx\n", vm_kind_text(r->kind), r->name, (unsigned long)r->base);
            ok = false;
        }
    }
    return ok;
}

bool vm_register(uint64_t base, uint64_t len, vm_kind kind, const char *name)
{
    if (!vm_aligned(base) || !vm_aligned(len) || len == 0 || base + len < base) {
        kprintf("vm: refused to register %s '%s' at 0x%lx+0x%lx: not whole pages\n", vm_kind_text(kind),
                name, (unsigned long)base, (unsigned long)len);
        return false;
    }
    if (g_region_count == VM_MAX_REGIONS) {
        kprintf("vm: registry full (%d ranges): %s '%s' at 0x%lx not recorded\n", VM_MAX_REGIONS,
                vm_kind_text(kind), name, (unsigned long)base);
        return false;
    }
    g_regions[g_region_count++] = (vm_region){ base, len, kind, name, false, base + len };
    return true;
}

bool vm_unregister(uint64_t base, vm_kind kind)
{
    for (size_t i = 0; i < g_region_count; i++)
        if (g_regions[i].base == base && g_regions[i].kind == kind) {
            if (g_regions[i].on_demand)
                g_promised -= vm_promise_of(&g_regions[i]);
            g_regions[i] = g_regions[--g_region_count];
            return true;
        }
    return false;
}

/* The smallest registered range holding addr, writable (vm_lookup's answer). */
static vm_region *vm_find(uint64_t addr)
{
    vm_region *best = NULL;
    for (size_t i = 0; i < g_region_count; i++) {
        vm_region *r = &g_regions[i];
        if (addr - r->base < r->len && (!best || r->len < best->len))
            best = r;
    }
    return best;
}

const vm_region *vm_lookup(uint64_t addr)
{
    return vm_find(addr);
}

/* [va, end) may now hold mapped pages of r. */
static void vm_mapped_up_to(vm_region *r, uint64_t end)
{
    if (r != NULL && end > r->mapped_top)
        r->mapped_top = end;
}

bool vm_guard(uint64_t base, uint64_t len, const char *whose)
{
    if (!vm_register(base, len, VM_GUARD, whose))
        return false;
    if (g_space && mmu_unmap(g_space, base, len) != MMU_OK) {
        vm_unregister(base, VM_GUARD);
        kprintf("vm: could not unmap the guard page %s at 0x%lx\n", whose, (unsigned long)base);
        return false;
    }
    return true;
}

bool vm_unguard(uint64_t base, uint64_t len)
{
    if (g_space && mmu_map(g_space, base, base, len, MMU_WRITE) != MMU_OK)
        return false;
    return vm_unregister(base, VM_GUARD);
}

uint64_t vm_reserve(uint64_t len, uint64_t guard_pages, vm_kind kind, const char *name)
{
    uint64_t guard = guard_pages * MMU_PAGE;
    if (!vm_aligned(len) || len == 0 || guard_pages > (1ull << 20))
        return 0;
    if (g_window_end - g_window_next < len || g_window_end - g_window_next - len < 2 * guard)
        return 0;
    uint64_t base = g_window_next + guard;
    if (!vm_register(base, len, kind, name))
        return 0;
    vm_find(base)->mapped_top = base;   /* nothing committed yet */
    if (guard && (!vm_register(base - guard, guard, VM_GUARD, name) ||
                  !vm_register(base + len, guard, VM_GUARD, name))) {
        vm_unregister(base - guard, VM_GUARD);
        vm_unregister(base, kind);
        return 0;
    }
    g_window_next = base + len + guard;
    return base;
}

bool vm_commit(uint64_t va, uint64_t len, unsigned prot)
{
    vm_region *r = vm_find(va);
    if (!g_space || !vm_aligned(va) || !vm_aligned(len) || !r || r->kind == VM_GUARD ||
        len > r->base + r->len - va)
        return false;
    for (uint64_t off = 0; off < len; off += MMU_PAGE) {
        bool fresh = r->on_demand && !mmu_query(g_space, va + off).present;
        uint64_t pa = g_take_page();
        if (!pa || mmu_map(g_space, va + off, pa, MMU_PAGE, prot) != MMU_OK) {
            if (pa)
                g_give_page(pa);
            vm_mapped_up_to(r, va + off);   /* so the decommit reaches what this call mapped */
            vm_decommit(va, off);
            return false;
        }
        if (fresh)
            g_promised--;
    }
    vm_mapped_up_to(r, va + len);
    return true;
}

void vm_decommit(uint64_t va, uint64_t len)
{
    if (!g_space || !vm_aligned(va) || !vm_aligned(len) || va + len < va)
        return;
    vm_region *r = vm_find(va);
    const vm_region *pr = NULL;   /* the range holding the last page given back */
    uint64_t end = va + len;
    if (r != NULL && end > r->mapped_top)
        end = r->mapped_top > va ? r->mapped_top : va;   /* nothing is mapped above it */
    for (uint64_t at = va; at < end;) {
        mmu_mapping m = mmu_query(g_space, at);
        if (!m.present) {
            uint64_t next = m.va + m.size;   /* the hole's whole table entry */
            at = next > at ? next : at + MMU_PAGE;
            continue;
        }
        mmu_unmap(g_space, at, MMU_PAGE);
        g_give_page(m.pa + (at - m.va));
        if (pr == NULL || at - pr->base >= pr->len)
            pr = vm_lookup(at);
        if (pr != NULL && pr->on_demand)
            g_promised++;   /* the reserve may take this page again */
        at += MMU_PAGE;
    }
    if (r != NULL && va + len >= r->mapped_top && va >= r->base && va < r->mapped_top)
        r->mapped_top = va;
}

bool vm_set_on_demand(uint64_t base)
{
    for (size_t i = 0; i < g_region_count; i++)
        if (g_regions[i].base == base && g_regions[i].kind != VM_GUARD) {
            if (!g_regions[i].on_demand)
                g_promised += vm_promise_of(&g_regions[i]);
            g_regions[i].on_demand = true;
            return true;
        }
    return false;
}

uint64_t vm_promised_pages(void)
{
    return g_promised;
}

bool vm_check_promised(uint64_t *counted)
{
    uint64_t n = 0;
    for (size_t i = 0; i < g_region_count; i++)
        if (g_regions[i].on_demand)
            n += vm_promise_of(&g_regions[i]);
    *counted = n;
    return n == g_promised;
}

bool vm_is_on_demand(uint64_t addr)
{
    const vm_region *r = vm_lookup(addr);
    return r && r->on_demand;
}

vm_fault_result vm_fault_commit(uint64_t addr)
{
    uint64_t page = addr & ~(MMU_PAGE - 1);
    if (!g_space || !vm_is_on_demand(addr) || mmu_query(g_space, page).present)
        return VM_FAULT_NOT_MINE;
    return vm_commit(page, MMU_PAGE, MMU_WRITE) ? VM_FAULT_COMMITTED : VM_FAULT_NO_PAGE;
}

uint64_t vm_committed_pages(uint64_t va, uint64_t len)
{
    uint64_t lo = (va + MMU_PAGE - 1) & ~(MMU_PAGE - 1), hi = (va + len) & ~(MMU_PAGE - 1), n = 0;
    if (!g_space || va + len < va)
        return 0;
    const vm_region *r = vm_lookup(lo);
    if (r != NULL && hi > r->mapped_top && lo >= r->base)
        hi = r->mapped_top > lo ? r->mapped_top : lo;   /* nothing is mapped above it */
    while (lo < hi) {
        mmu_mapping m = mmu_query(g_space, lo);
        uint64_t end = m.va + m.size;   /* holes are skipped a table entry at a time */
        if (end > hi || end <= lo)
            end = hi;
        if (m.present)
            n += (end - lo) / MMU_PAGE;
        lo = end;
    }
    return n;
}

/* The registered range a remap may use at va: no guard, NULL or freed range. */
static const vm_region *vm_remap_region(uint64_t va)
{
    const vm_region *r = vm_lookup(va);
    return r && r->kind != VM_GUARD && r->kind != VM_NULL && r->kind != VM_FREED ? r : NULL;
}

/* [va, va + len) lies inside r, and each of its pages is mapped (a 4 KiB
 * page or part of a large one) or, in a reserve committed on demand, not
 * committed yet. */
static bool vm_remap_ok(const vm_region *r, uint64_t va, uint64_t len)
{
    if (va < r->base || len > r->base + r->len - va)
        return false;
    for (size_t i = 0; i < g_region_count; i++) {   /* a smaller range inside (a guard) is not r's */
        const vm_region *o = &g_regions[i];
        if (o != r && o->len <= r->len && o->base < va + len && va < o->base + o->len)
            return false;
    }
    for (uint64_t off = 0; off < len; off += MMU_PAGE)
        if (!r->on_demand && !mmu_query(g_space, va + off).present)
            return false;
    return true;
}

/* The pages at a and b trade places. A page not committed yet (an
 * on-demand reserve: vm_remap_ok) trades as a hole, so its new place is
 * committed at the next touch and no physical page is taken, lost or
 * mapped twice. A trade that completes an aligned physical run may merge
 * it into a large page, and a large page is split by a map of part of it,
 * so the physical address is taken at the page's offset in whatever maps
 * it; a split or a new table that finds no table page is reported
 * (diag_report ends the run: the move is half done). */
static void vm_trade(uint64_t a, uint64_t b)
{
    mmu_mapping ma = mmu_query(g_space, a), mb = mmu_query(g_space, b);
    uint64_t pa = ma.pa + (a - ma.va), pb = mb.pa + (b - mb.va);
    mmu_status st = MMU_OK;
    if (ma.present && mb.present) {
        st = mmu_map(g_space, a, pb, MMU_PAGE, mb.prot);
        if (st == MMU_OK)
            st = mmu_map(g_space, b, pa, MMU_PAGE, ma.prot);
    } else if (ma.present || mb.present) {
        uint64_t to = ma.present ? b : a, from = ma.present ? a : b;
        st = mmu_map(g_space, to, ma.present ? pa : pb, MMU_PAGE, ma.present ? ma.prot : mb.prot);
        if (st == MMU_OK)
            st = mmu_unmap(g_space, from, MMU_PAGE);
    }
    if (st != MMU_OK)
        diag_report("vm_remap", (uintptr_t)a, "a page table needed for the move could not be had");
}

/* Reverse the order of the n pages from va. */
static void vm_reverse(uint64_t va, uint64_t n)
{
    for (uint64_t i = 0, j = n; i + 1 < j; i++, j--)
        vm_trade(va + i * MMU_PAGE, va + (j - 1) * MMU_PAGE);
}

bool vm_remap(uint64_t dst, uint64_t src, uint64_t len)
{
    if (!g_space || !vm_aligned(dst) || !vm_aligned(src) || !vm_aligned(len))
        return false;
    if (len == 0 || dst == src)
        return true;
    uint64_t lo = dst < src ? dst : src, hi = (dst > src ? dst : src) + len;
    if (hi < lo || dst + len < dst || src + len < src)
        return false;
    const vm_region *r = vm_remap_region(dst);
    if (!r || r != vm_remap_region(src))
        return false;   /* both ranges in one registered range, or nothing moves */
    bool overlap = hi - lo < 2 * len;
    if (overlap ? !vm_remap_ok(r, lo, hi - lo) : !vm_remap_ok(r, dst, len) || !vm_remap_ok(r, src, len))
        return false;
    uint64_t n = len / MMU_PAGE;
    g_remap_calls++;
    g_remap_pages += n;
    vm_mapped_up_to(vm_find(dst), hi);   /* pages may land anywhere in the union */
    if (!overlap) {
        for (uint64_t i = 0; i < n; i++)
            vm_trade(dst + i * MMU_PAGE, src + i * MMU_PAGE);
        return true;
    }
    /* A rotation of the union's m pages, by three reversals: left by the
     * distance when moving down, left by n when moving up. */
    uint64_t m = (hi - lo) / MMU_PAGE, k = dst < src ? (src - dst) / MMU_PAGE : n;
    vm_reverse(lo, k);
    vm_reverse(lo + k * MMU_PAGE, m - k);
    vm_reverse(lo, m);
    return true;
}

void vm_remap_counts(uint64_t *calls, uint64_t *pages)
{
    *calls = g_remap_calls;
    *pages = g_remap_pages;
}

bool vm_protect(uint64_t va, uint64_t len, unsigned prot)
{
    return g_space && mmu_protect(g_space, va, len, prot) == MMU_OK;
}

/* Map the oldest quarantined run back and give it to its owner. */
static void vm_quarantine_evict(void)
{
    vm_quarantined q = g_quarantine[0];
    for (size_t i = 1; i < g_quarantine_count; i++)
        g_quarantine[i - 1] = g_quarantine[i];
    g_quarantine_count--;
    g_quarantine_bytes -= q.len;
    vm_unregister(q.base, VM_FREED);
    if (mmu_map(g_space, q.base, q.base, q.len, MMU_WRITE) != MMU_OK) {
        kprintf("vm: could not map the quarantined run 0x%lx+0x%lx back: its pages stay out of use\n",
                (unsigned long)q.base, (unsigned long)q.len);
        return;
    }
    q.give_run(q.base, q.len);
}

bool vm_quarantine(uint64_t base, uint64_t len, const char *what, void (*give_run)(uint64_t base, uint64_t len))
{
    if (!g_space || !vm_aligned(base) || !vm_aligned(len) || len == 0 || len > VM_QUARANTINE_BYTES)
        return false;
    while (g_quarantine_count == VM_QUARANTINE_RUNS || g_quarantine_bytes + len > VM_QUARANTINE_BYTES)
        vm_quarantine_evict();
    if (!vm_register(base, len, VM_FREED, what))
        return false;
    if (mmu_unmap(g_space, base, len) != MMU_OK) {
        mmu_map(g_space, base, base, len, MMU_WRITE);   /* whatever part was unmapped comes back */
        vm_unregister(base, VM_FREED);
        return false;
    }
    g_quarantine[g_quarantine_count++] = (vm_quarantined){ base, len, give_run };
    g_quarantine_bytes += len;
    return true;
}

void vm_quarantine_flush(void)
{
    while (g_quarantine_count)
        vm_quarantine_evict();
}

uint64_t vm_quarantined_pages(void)
{
    return g_quarantine_bytes / MMU_PAGE;
}

const char *vm_kind_text(vm_kind kind)
{
    switch (kind) {
    case VM_NULL: return "the NULL page";
    case VM_TEXT: return "kernel text";
    case VM_RODATA: return "kernel read-only data";
    case VM_DATA: return "kernel data";
    case VM_STACK: return "kernel stack";
    case VM_GUARD: return "guard page";
    case VM_ZONE: return "Classic zone";
    case VM_HEAP: return "kernel heap";
    case VM_TABLES: return "kernel tables";
    case VM_RESERVED: return "reserved range";
    case VM_FREED: return "freed memory";
    }
    return "unknown range";
}

void vm_describe(uint64_t addr, char *buf, size_t size)
{
    const vm_region *r = vm_lookup(addr);
    if (!r)
        ksnprintf(buf, size, "unmapped (no kernel range holds it)");
    else if (r->kind == VM_NULL)
        ksnprintf(buf, size, "the NULL page");
    else if (r->kind == VM_GUARD)
        ksnprintf(buf, size, "the guard page %s", r->name);
    else
        ksnprintf(buf, size, "%s '%s'", vm_kind_text(r->kind), r->name);
}

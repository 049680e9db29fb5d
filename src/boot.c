/*
 * boot.c - the memory bring-up, in order:
 *
 *   1. parse the multiboot2 info and print the memory map;
 *   2. identity-map all RAM above 4 GiB (paging.c), tables placed in free RAM;
 *   3. the nanokernel (PMM over the available ranges, with the first 1 MiB,
 *      the kernel image, the info block, modules and page tables reserved;
 *      then the kernel heap) and the Classic Memory Manager, in the order
 *      NK_EARLY_INIT selects (the backends kmalloc and dynamic need the
 *      nanokernel first; the Makefile refuses the other order for them).
 *
 * Any failure prints a FATAL line naming what failed and ends the run.
 */
#include "boot.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "lib/kprintf.h"
#include "MemoryMgr/mm_backend.h"
#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"
#include "platform.h"

boot_state g_boot;

/* The usable ranges: normalised in scratch taken from the map itself (so
 * any number of entries fits), or, when no scratch fits, the first
 * BOOT_FALLBACK_RANGES of them here, with the rest reported exactly. */
enum { BOOT_FALLBACK_RANGES = 256 };
static mb2_range g_fallback[BOOT_FALLBACK_RANGES];
static mb2_range *g_ranges = g_fallback;
static size_t g_range_count;
static uint64_t g_scratch, g_scratch_len;

extern char __kernel_start[], __kernel_end[];

#define ONE_MIB (1ull << 20)
#define PAGE_SIZE 4096ull

[[gnu::noreturn]] static void boot_fatal(const char *stage, const char *what)
{
    kprintf("FATAL: boot: %s: %s\n", stage, what);
    kprintf("BOOT VERDICT: FAIL (boot: %s)\n", stage);
    plat_exit(false);
}

static uint64_t boot_align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static bool boot_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/*
 * The lowest page-aligned run of `len` bytes of available RAM at or above
 * the kernel image that overlaps neither the info block, a module, nor the
 * map normalisation scratch.
 * Returns 0 when there is none.
 */
static uint64_t boot_find_free(uint64_t len)
{
    const mb2_info *mb = &g_boot.mb;
    for (size_t i = 0; i < g_range_count; i++) {
        uint64_t start = g_ranges[i].base, end = g_ranges[i].base + g_ranges[i].length;
        uint64_t at = boot_align_up(start > (uintptr_t)__kernel_end ? start : (uintptr_t)__kernel_end, PAGE_SIZE);
        bool moved = true;
        while (moved && at + len <= end) {
            moved = false;
            if (boot_overlaps(at, len, mb->info_addr, mb->info_size)) {
                at = boot_align_up(mb->info_addr + mb->info_size, PAGE_SIZE);
                moved = true;
            }
            if (g_scratch_len && boot_overlaps(at, len, g_scratch, g_scratch_len)) {
                at = g_scratch + g_scratch_len; /* the ranges being walked live there */
                moved = true;
            }
            for (size_t m = 0; m < mb->module_count; m++) {
                uint64_t ms = mb->modules[m].start, me = mb->modules[m].end;
                if (boot_overlaps(at, len, ms, me - ms)) {
                    at = boot_align_up(me, PAGE_SIZE);
                    moved = true;
                }
            }
        }
        if (at + len <= end)
            return at;
    }
    return 0;
}

/*
 * The usable ranges of the whole map. The scratch for mb2_normalize comes
 * from RAM the map itself offers below 4 GiB (mapped by the boot stub),
 * clear of the first MiB, the kernel, the info block and the modules, and
 * is reserved in the PMM with them. Without such room the bounded path
 * runs and says exactly what it could not take.
 */
static void boot_normalize_map(void)
{
    const mb2_info *mb = &g_boot.mb;
    mb2_range avoid[2 + MB2_MAX_MODULES];
    size_t navoid = 0;
    avoid[navoid++] = (mb2_range){ 0, (uintptr_t)__kernel_end };
    avoid[navoid++] = (mb2_range){ mb->info_addr, mb->info_size };
    for (size_t m = 0; m < mb->module_count; m++)
        avoid[navoid++] = (mb2_range){ mb->modules[m].start, mb->modules[m].end - mb->modules[m].start };
    uint64_t len = boot_align_up(mb2_normalize_bytes(mb), PAGE_SIZE);
    uint64_t at = mb2_find_scratch(mb, len, ONE_MIB, 4ull << 30, avoid, navoid);
    if (at) {
        g_range_count = mb2_normalize(mb, (void *)(uintptr_t)at, len, &g_ranges);
        g_scratch = at;
        g_scratch_len = len;
        kprintf("boot: memory map normalised in %lu KiB at 0x%lx (%zu entries, %zu ranges)\n",
                (unsigned long)(len >> 10), (unsigned long)at, mb2_entry_count(mb), g_range_count);
        return;
    }
    g_range_count = mb2_available_ranges(mb, g_fallback, BOOT_FALLBACK_RANGES);
    size_t all = mb2_range_count(mb);
    if (all > g_range_count) {
        uint64_t kept = 0;
        for (size_t i = 0; i < g_range_count; i++)
            kept += g_fallback[i].length;
        kprintf("boot: no room to normalise the map: %zu usable ranges (%lu bytes) above the first %zu dropped\n",
                all - g_range_count, (unsigned long)(mb2_usable_bytes(mb) - kept), g_range_count);
    }
}

static void boot_parse_map(uint32_t magic, uintptr_t info)
{
    mb2_status st = mb2_parse(magic, (const void *)info, &g_boot.mb);
    if (st != MB2_OK)
        boot_fatal("multiboot2", mb2_status_text(st));
    mb2_print(&g_boot.mb);
    boot_normalize_map();
    if (g_range_count == 0)
        boot_fatal("multiboot2", "the memory map lists no usable RAM");
    /* RAM beyond the CPU's physical address width (or beyond what the
     * identity map can reach) cannot be used: the PMM drops it with a log
     * line, and the totals here leave it out. */
    unsigned bits = cpu_phys_addr_bits();
    if (bits > PAGING_IDENTITY_BITS)
        bits = PAGING_IDENTITY_BITS;
    pmm_set_phys_addr_bits(bits);
    uint64_t limit = 1ull << pmm_phys_addr_bits(), dropped = 0;
    g_boot.usable_bytes = 0;
    g_boot.highest = 0;
    for (size_t i = 0; i < g_range_count; i++) {
        uint64_t a = g_ranges[i].base, b = a + g_ranges[i].length;
        if (b > limit) {
            dropped += b - (a > limit ? a : limit);
            b = a > limit ? a : limit;
        }
        if (b > a) {
            g_boot.usable_bytes += b - a;
            g_boot.highest = b;
        }
    }
    if (dropped)
        kprintf("boot: %lu bytes of available RAM at or above 2^%u (the CPU's physical address width) dropped\n",
                (unsigned long)dropped, pmm_phys_addr_bits());
    kprintf("boot: kernel image 0x%lx-0x%lx (%lu KiB), multiboot2 info at 0x%lx (%lu bytes)\n",
            (unsigned long)(uintptr_t)__kernel_start, (unsigned long)(uintptr_t)__kernel_end,
            (unsigned long)((__kernel_end - __kernel_start) >> 10),
            (unsigned long)g_boot.mb.info_addr, (unsigned long)g_boot.mb.info_size);
}

static void boot_map_all_ram(void)
{
    bool use_1g = cpu_has_1g_pages();
    uint64_t need = paging_tables_needed(g_boot.highest, use_1g);

    if (need == 0) {
        kprintf("boot: all RAM lies below 4 GiB: the boot stub's identity map covers it\n");
        return;
    }
    uint64_t area = boot_find_free(need);
    if (!area)
        boot_fatal("paging", "no free RAM for the page tables above 4 GiB");
    uint64_t used = paging_identity_map(g_boot.highest, use_1g, area, need);
    if (used == UINT64_MAX)
        boot_fatal("paging", "page-table area too small");
    g_boot.tables_base = area;
    g_boot.tables_len = used;
    kprintf("boot: identity-mapped 0x0-0x%lx with %s pages; %lu KiB of tables at 0x%lx\n",
            (unsigned long)g_boot.highest, use_1g ? "1 GiB" : "2 MiB",
            (unsigned long)(used >> 10), (unsigned long)area);
}

/* Everything in available RAM that the PMM must never hand out: the first
 * MiB, the kernel, the info block, each module, the page tables, the map
 * normalisation scratch (the ranges the PMM is built from live there). */
_Static_assert(5 + MB2_MAX_MODULES <= PMM_MAX_EARLY_RESERVES, "the PMM remembers every early reserve");

static void boot_reserve_early(void)
{
    const mb2_info *mb = &g_boot.mb;

    pmm_reserve(0, ONE_MIB);
    pmm_reserve((uintptr_t)__kernel_start, (uintptr_t)(__kernel_end - __kernel_start));
    pmm_reserve(mb->info_addr, mb->info_size);
    for (size_t m = 0; m < mb->module_count; m++)
        pmm_reserve(mb->modules[m].start, mb->modules[m].end - mb->modules[m].start);
    if (g_boot.tables_len)
        pmm_reserve(g_boot.tables_base, g_boot.tables_len);
    if (g_scratch_len)
        pmm_reserve(g_scratch, g_scratch_len);
}

static void boot_nanokernel(void)
{
    /* the ranges become the PMM's regions in place (same two words) */
    _Static_assert(sizeof(nk_region) == sizeof(mb2_range), "nk_region and mb2_range share a layout");
    nk_region *regions = (nk_region *)(void *)g_ranges;
    pmm_stats st;

    for (size_t i = 0; i < g_range_count; i++) {
        mb2_range r = g_ranges[i];
        regions[i] = (nk_region){ r.base, r.length };
    }
    boot_reserve_early();
    if (!pmm_init_regions(regions, g_range_count))
        boot_fatal("pmm", "pmm_init_regions found no usable RAM or no room for its metadata");
    pmm_get_stats(&st);
    kprintf("nanokernel: PMM manages %lu pages (%lu MiB) in %u ranges, %lu free; "
            "metadata %lu bytes at 0x%lx (%u levels)\n",
            (unsigned long)st.total_pages, (unsigned long)(st.total_pages >> 8), st.segments,
            (unsigned long)st.free_pages, (unsigned long)st.metadata_bytes,
            (unsigned long)st.metadata_base, st.levels);
    /* The first arena comes from the PMM like every later one. */
    uintptr_t arena = pmm_alloc_pages(CONFIG_KHEAP_GROW_MIN / PMM_PAGE_SIZE, 1);
    if (!arena)
        boot_fatal("kheap", "no pages for the kernel heap's first arena");
    kheap_init(arena, arena + CONFIG_KHEAP_GROW_MIN);
    kheap_stats hs;
    kheap_get_stats(&hs);
    kprintf("nanokernel: kernel heap at 0x%lx, %lu bytes free; grows from the PMM, "
            "requests >= %lu bytes go to the PMM directly\n",
            (unsigned long)arena, (unsigned long)hs.bytes_free, (unsigned long)CONFIG_KHEAP_LARGE_THRESHOLD);
}

static void boot_classic_mm(void)
{
    if (!InitMemoryManager(g_boot.usable_bytes)) {
        kprintf("BOOT VERDICT: FAIL (boot: InitMemoryManager)\n");
        plat_exit(false);
    }
}

void boot_memory(uint32_t magic, uintptr_t info)
{
    boot_parse_map(magic, info);
    boot_map_all_ram();
#if CONFIG_NK_EARLY_INIT
    boot_nanokernel();
    boot_classic_mm();
#else
    boot_classic_mm();
    boot_nanokernel();
#endif
    g_boot.mm_ready_cycles = plat_cycles();
    kprintf("boot: Memory Manager ready, %lu TSC cycles after kernel entry\n",
            (unsigned long)(g_boot.mm_ready_cycles - g_boot.entry_cycles));
    kprintf("AB mm_ready_cycles=%lu\n", (unsigned long)(g_boot.mm_ready_cycles - g_boot.entry_cycles));
}

/*
 * boot.c - the memory bring-up, in order:
 *
 *   1. the kernel's own ranges (sections, stacks, guard pages) go into
 *      the address-space registry (vm.h), so a fault can say what it hit;
 *      then parse the multiboot2 info and print the memory map;
 *   2. identity-map all RAM above 4 GiB (paging.c), and a framebuffer
 *      that lies above 4 GiB, tables placed in free RAM;
 *   3. the nanokernel (PMM over the available ranges, with the first 1 MiB,
 *      the kernel image, the info block, modules, page tables and a
 *      framebuffer that overlaps RAM reserved; then the kernel heap) and the
 *      Classic Memory Manager, in the order NK_EARLY_INIT selects (the
 *      backends kmalloc and dynamic need the nanokernel first; the Makefile
 *      refuses the other order for them); then, with MM_PROTECT=1, memory
 *      protection (protect.c: page 0 and guard pages unmapped, text
 *      read-only, data no-execute);
 *   4. the screen: the loader's framebuffer when it is a linear 32-bit
 *      0x00RRGGBB one, else an off-screen bitmap of 1024x768x32 from the PMM
 *      (smaller when RAM is short) so that drawing works, and is tested, the
 *      same way.
 *
 * Any failure prints a FATAL line naming what failed and ends the run.
 */
#include "boot.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/protect.h"
#include "lib/kprintf.h"
#include "MemoryMgr/mm_init.h"
#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"
#include "nanokernel/vm.h"
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

/* Off-screen bitmap shapes, first choice first: the framebuffer's preferred
 * shape, then smaller ones a machine with little RAM can still hold (512x342
 * is the original Macintosh screen). */
typedef struct boot_shape {
    uint32_t width, height;
} boot_shape;
static const boot_shape g_offscreen_shapes[] = { { 1024, 768 }, { 640, 480 }, { 512, 342 } };
/* An off-screen bitmap is taken only if the PMM keeps this much free after it
 * (the nanokernel's own suite needs a 2 MiB aligned run on small machines). */
#define BOOT_OFFSCREEN_HEADROOM (4ull << 20)
enum { BOOT_SCREEN_BPP = 32 };

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

/* A graphics framebuffer the loader passed, drawable or not, as whole pages to keep clear. */
static bool boot_fb_range(uint64_t *base, uint64_t *len)
{
    const mb2_framebuffer *fb = &g_boot.mb.fb;
    uint64_t bytes = mb2_fb_bytes(fb);
    if (!fb->present || fb->type == MB2_FB_EGA_TEXT || bytes == 0 || fb->addr >= (1ull << 52) ||
        bytes > (1ull << 52) - fb->addr)
        return false;
    *base = fb->addr & ~(PAGE_SIZE - 1);
    *len = boot_align_up(fb->addr + mb2_fb_bytes(fb), PAGE_SIZE) - *base;
    return true;
}

/*
 * The lowest page-aligned run of `len` bytes of available RAM at or above
 * the kernel image that overlaps neither the info block, a module, the
 * framebuffer nor the map normalisation scratch. Returns 0 when there is none.
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
            uint64_t fb_base, fb_len;
            if (boot_fb_range(&fb_base, &fb_len) && boot_overlaps(at, len, fb_base, fb_len)) {
                at = fb_base + fb_len;
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

/* Why the framebuffer cannot be the screen, or NULL when it can. */
static const char *boot_fb_refusal(void)
{
    const mb2_framebuffer *fb = &g_boot.mb.fb;
    const char *why = mb2_fb_unusable_reason(fb);
    if (why)
        return why;
    if (fb->red.pos != 16 || fb->green.pos != 8 || fb->blue.pos != 0)
        return "pixels are not 0x00RRGGBB";
    if (fb->pitch > 0x7FFC || fb->width > 0x7FFF || fb->height > 0x7FFF)
        return "too large for QuickDraw (rowBytes above 0x7FFC)";
    return NULL;
}

static void boot_map_all_ram(void)
{
    bool use_1g = cpu_has_1g_pages();
    uint64_t ram_need = paging_tables_needed(g_boot.highest, use_1g);
    uint64_t fb_base = 0, fb_len = 0;
    if (!boot_fb_refusal())
        boot_fb_range(&fb_base, &fb_len);
    uint64_t fb_need = paging_range_tables_needed(fb_base, fb_len);

    if (ram_need + fb_need == 0) {
        kprintf("boot: all RAM lies below 4 GiB: the boot stub's identity map covers it\n");
        return;
    }
    uint64_t area = boot_find_free(ram_need + fb_need);
    if (!area)
        boot_fatal("paging", "no free RAM for the page tables above 4 GiB");
    uint64_t used = ram_need ? paging_identity_map(g_boot.highest, use_1g, area, ram_need) : 0;
    if (used == UINT64_MAX)
        boot_fatal("paging", "page-table area too small");
    uint64_t fb_used = paging_map_range(fb_base, fb_len, area + used, ram_need + fb_need - used);
    if (fb_used == UINT64_MAX)
        boot_fatal("paging", "page-table area too small for the framebuffer");
    g_boot.tables_base = area;
    g_boot.tables_len = used + fb_used;
    if (ram_need)
        kprintf("boot: identity-mapped 0x0-0x%lx with %s pages; %lu KiB of tables at 0x%lx\n",
                (unsigned long)g_boot.highest, use_1g ? "1 GiB" : "2 MiB",
                (unsigned long)(used >> 10), (unsigned long)area);
    if (fb_need)
        kprintf("boot: framebuffer 0x%lx-0x%lx identity-mapped with 2 MiB pages; %lu KiB of tables\n",
                (unsigned long)fb_base, (unsigned long)(fb_base + fb_len), (unsigned long)(fb_used >> 10));
}

/* Does [base, base + len) overlap available RAM? */
static bool boot_in_ram(uint64_t base, uint64_t len)
{
    for (size_t i = 0; i < g_range_count; i++)
        if (boot_overlaps(base, len, g_ranges[i].base, g_ranges[i].length))
            return true;
    return false;
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
    uint64_t fb_base, fb_len;
    if (boot_fb_range(&fb_base, &fb_len) && boot_in_ram(fb_base, fb_len)) {
        pmm_reserve(fb_base, fb_len);
        kprintf("boot: framebuffer 0x%lx-0x%lx lies in RAM: reserved\n", (unsigned long)fb_base,
                (unsigned long)(fb_base + fb_len));
    }
}

/* The screen: the framebuffer, else the first off-screen shape whose pages the PMM can give. */
static void boot_screen_setup(void)
{
    const mb2_framebuffer *fb = &g_boot.mb.fb;
    const char *why = boot_fb_refusal();
    if (!why) {
        g_boot.screen = (boot_screen){ fb->addr, fb->width, fb->height, fb->pitch, true };
        kprintf("framebuffer: %ux%ux%u at 0x%lx pitch %u\n", fb->width, fb->height,
                (unsigned)fb->bpp, (unsigned long)fb->addr, fb->pitch);
        return;
    }
    for (size_t i = 0; i < sizeof g_offscreen_shapes / sizeof g_offscreen_shapes[0]; i++) {
        const boot_shape *sh = &g_offscreen_shapes[i];
        uint32_t row = sh->width * BOOT_SCREEN_BPP / 8;
        size_t pages = (size_t)((boot_align_up((uint64_t)row * sh->height, PAGE_SIZE)) / PMM_PAGE_SIZE);
        pmm_stats st;
        pmm_get_stats(&st);
        if ((st.free_pages - (st.free_pages < pages ? st.free_pages : pages)) * PMM_PAGE_SIZE < BOOT_OFFSCREEN_HEADROOM)
            continue;
        uintptr_t base = pmm_alloc_pages(pages, 1);
        if (!base)
            continue;
        g_boot.screen = (boot_screen){ base, sh->width, sh->height, row, false };
        kprintf("framebuffer: none (%s), drawing off-screen %ux%ux%u at 0x%lx pitch %u%s\n", why,
                sh->width, sh->height, BOOT_SCREEN_BPP, (unsigned long)base, row,
                i ? " (no room for a larger one)" : "");
        return;
    }
    kprintf("framebuffer: none (%s), and no room for even a %ux%u off-screen bitmap with %lu MiB "
            "left free: nothing is drawn\n",
            why, g_offscreen_shapes[2].width, g_offscreen_shapes[2].height,
            (unsigned long)(BOOT_OFFSCREEN_HEADROOM >> 20));
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
    uintptr_t arena = pmm_alloc_pages(CONFIG_KHEAP_FIRST_ARENA / PMM_PAGE_SIZE, 1);
    if (!arena)
        boot_fatal("kheap", "no pages for the kernel heap's first arena");
    kheap_init(arena, arena + CONFIG_KHEAP_FIRST_ARENA);
    /* Guard pages around large allocations only where protection will unmap them. */
    kheap_guard_large(CONFIG_MM_PROTECT != 0);
    vm_register(arena, CONFIG_KHEAP_FIRST_ARENA, VM_HEAP, "first kernel-heap arena");
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

/* Protection on (MM_PROTECT=1) once the PMM can give page-table pages. */
static void boot_protection(void)
{
    if (g_boot.tables_len)
        vm_register(g_boot.tables_base, g_boot.tables_len, VM_TABLES, "boot page tables above 4 GiB");
#if CONFIG_MM_PROTECT
    protect_enable();
#else
    kprintf("protect: MM_PROTECT=0: the flat identity map stays (page 0 mapped, everything writable and executable)\n");
#endif
}

void boot_memory(uint32_t magic, uintptr_t info)
{
    protect_register_kernel();
    boot_parse_map(magic, info);
    boot_map_all_ram();
    /* With the nanokernel first, protection comes up before the Classic MM,
     * so a backend can reserve zones whose pages are committed on demand. */
#if CONFIG_NK_EARLY_INIT
    boot_nanokernel();
    boot_protection();
    boot_classic_mm();
#else
    boot_classic_mm();
    boot_nanokernel();
    boot_protection();
#endif
    g_boot.mm_ready_cycles = plat_cycles();
    kprintf("boot: Memory Manager ready, %lu TSC cycles after kernel entry\n",
            (unsigned long)(g_boot.mm_ready_cycles - g_boot.entry_cycles));
    kprintf("AB mm_ready_cycles=%lu\n", (unsigned long)(g_boot.mm_ready_cycles - g_boot.entry_cycles));
    pmm_stats st;
    pmm_get_stats(&st);
    kprintf("nk: free pages after boot %lu (%s backend)\n", (unsigned long)st.free_pages, CONFIG_MM_BACKEND_NAME);
    kprintf("AB nk_free_pages=%lu\n", (unsigned long)st.free_pages);
    boot_screen_setup();
    /* What temporary memory has once the zones' on-demand promise is set aside. */
    uint64_t temp_bytes = 0, temp_run = 0;
    plat_page_run_room(&temp_bytes, &temp_run);
    kprintf("nk: %lu free pages, %lu promised to zones committed on demand: temporary memory %lu KiB "
            "(longest run %lu KiB)\n", (unsigned long)pmm_free_page_count(), (unsigned long)vm_promised_pages(),
            (unsigned long)(temp_bytes >> 10), (unsigned long)(temp_run >> 10));
}

/*
 * x86_64.c - the platform interface (platform.h) on an x86_64 PC under QEMU/Bochs.
 *
 * Console: COM1, with "\n" sent as "\r\n", queued (serial.c) and drained
 * before the run ends and a little in every idle wait. Exit: QEMU's isa-debug-exit at
 * port 0xF4 (0x10 -> QEMU exits 33 = pass, 0x11 -> 35 = fail) and then Bochs'
 * shutdown port 0x8900; whichever emulator is not running ignores the write.
 * If neither ends the run the CPU halts with interrupts off, never resets.
 * Ticks come from the TSC calibrated at boot (timer.c); input from the PS/2
 * controller, polled (ps2.c).
 * Addresses: RAM is identity-mapped (paging.c), so a mapped address is its
 * own physical address; a range in a reserve committed on demand (vm.h:
 * the dynamic backend's zones) is committed here when asked about and is
 * contiguous only where its pages happen to be. Page remapping goes through
 * the kernel address space (nanokernel/vm.c: vm_remap) for ranges
 * registered as remappable. Page runs come from the physical page manager
 * and lie in the direct map (a run above it is given back and refused);
 * they never take the pages promised to reserves committed on demand
 * (vm_promised_pages): a run is refused when it would leave fewer free
 * pages than that, and plat_page_run_room reports only what lies above it,
 * so a zone's first touch always finds its page.
 * Stack: the boot stack (entry.S) is the only one.
 */
#include "platform.h"

#include "arch/x86_64/io.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/timer.h"
#include "nanokernel/pmm.h"
#include "nanokernel/vm.h"

enum {
    QEMU_EXIT_PORT = 0xF4, QEMU_EXIT_PASS = 0x10, QEMU_EXIT_FAIL = 0x11,
    BOCHS_SHUTDOWN_PORT = 0x8900,
};

void plat_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

void plat_exit(bool pass)
{
    serial_drain();   /* the log gets every byte printed before the run ends */
    outb(QEMU_EXIT_PORT, pass ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
    for (const char *s = "Shutdown"; *s; s++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
    cpu_halt_forever();
}

uint64_t plat_cycles(void)
{
    return rdtsc();
}

uint32_t plat_ticks(void)
{
    return timer_ticks();
}

void plat_idle(void)
{
    serial_poll();
    __asm__ volatile("pause");
}

bool plat_input_poll(plat_input *in)
{
    return ps2_poll(in);
}

/* plat_phys_run over an on-demand reserve: commit page by page while the physical run continues. */
static uint64_t x86_reserve_run(uint64_t a, uint64_t len, uint64_t *phys)
{
    uint64_t first = a & ~(MMU_PAGE - 1), base_pa = 0, page;
    if (len == 0 || a + len < a)
        return 0;
    for (page = first; page < a + len && vm_is_on_demand(page); page += MMU_PAGE) {
        if (vm_fault_commit(page) == VM_FAULT_NO_PAGE)
            break;
        mmu_mapping m = mmu_query(vm_space(), page);
        uint64_t pa = m.pa + (page - m.va);
        if (!m.present || (page != first && pa != base_pa + (page - first)))
            break;
        if (page == first)
            base_pa = pa;
    }
    if (page == first)
        return 0;
    *phys = base_pa + (a - first);
    return page - a < len ? page - a : len;
}

void plat_decommit(void *base, uint64_t len)
{
    uint64_t a = (uint64_t)(uintptr_t)base;
    uint64_t lo = (a + MMU_PAGE - 1) & ~(MMU_PAGE - 1), hi = (a + len) & ~(MMU_PAGE - 1);
    if (hi > lo && vm_is_on_demand(lo) && vm_is_on_demand(hi - 1))
        vm_decommit(lo, hi - lo);
}

uint64_t plat_committed_pages(const void *base, uint64_t len)
{
    uint64_t a = (uint64_t)(uintptr_t)base;
    uint64_t lo = (a + MMU_PAGE - 1) & ~(MMU_PAGE - 1), hi = (a + len) & ~(MMU_PAGE - 1);
    if (hi <= lo)
        return 0;
    return vm_is_on_demand(lo) ? vm_committed_pages(lo, hi - lo) : (hi - lo) / MMU_PAGE;
}

uint64_t plat_phys_run(const void *addr, uint64_t len, uint64_t *phys)
{
    uint64_t a = (uint64_t)(uintptr_t)addr;
    if (vm_is_on_demand(a))
        return x86_reserve_run(a, len, phys);
    return plat_phys_range(addr, len, phys) ? len : 0;
}

bool plat_phys_range(const void *addr, uint64_t len, uint64_t *phys)
{
    uint64_t a = (uint64_t)(uintptr_t)addr;
    if (vm_is_on_demand(a))
        return len != 0 && x86_reserve_run(a, len, phys) == len;
    if (len > paging_mapped_top() || a > paging_mapped_top() - len)
        return false;
    *phys = a;
    return true;
}

/* ---- page runs: PMM pages, used through the direct map ---- */

/* Free PMM pages above those promised to on-demand reserves. */
static uint64_t x86_run_pages(void)
{
    uint64_t free_pages = pmm_free_page_count(), promised = vm_promised_pages();
    return free_pages > promised ? free_pages - promised : 0;
}

void *plat_page_run_alloc(uint64_t len)
{
    if (len == 0 || len % PLAT_PAGE_SIZE || len / PLAT_PAGE_SIZE > x86_run_pages())
        return NULL;
    uintptr_t pa = pmm_alloc_pages(len / PLAT_PAGE_SIZE, 1);
    if (pa == 0)
        return NULL;
    if (len > paging_mapped_top() || pa > paging_mapped_top() - len) {
        pmm_free_pages(pa, len / PLAT_PAGE_SIZE);   /* not reachable through the direct map */
        return NULL;
    }
    return (void *)pa;
}

/* The PMM checks the run (managed, allocated, not claimed) and reports a bad one. */
void plat_page_run_free(void *base, uint64_t len)
{
    if (len != 0)
        pmm_free_pages((uintptr_t)base, (len + PLAT_PAGE_SIZE - 1) / PLAT_PAGE_SIZE);
}

bool plat_page_run_room(uint64_t *free_bytes, uint64_t *largest_bytes)
{
    uint64_t pages = x86_run_pages(), largest = pmm_largest_free_run();
    *free_bytes = pages * PLAT_PAGE_SIZE;
    *largest_bytes = (largest < pages ? largest : pages) * PLAT_PAGE_SIZE;
    return true;
}

extern char boot_stack[], boot_stack_top[];

uint64_t plat_stack_room(const void *sp)
{
    const char *p = sp;
    return p > boot_stack && p <= boot_stack_top ? (uint64_t)(p - boot_stack) : 0;
}

/* ---- page remapping ----
 * Ranges registered by the code that reserved them (the dynamic backend's
 * zones, reserves committed on demand; a test's committed reserve); the
 * direct map is never registered, so zones there copy. */
enum { X86_REMAP_RANGES = 16 };

static struct {
    char    *base;
    uint64_t len;
} g_remap[X86_REMAP_RANGES];

static bool remap_page_aligned(uint64_t v) { return (v & (PLAT_PAGE_SIZE - 1)) == 0; }

bool plat_remap_register(void *base, uint64_t len)
{
    if (base == NULL || len == 0 || !remap_page_aligned((uintptr_t)base) || !remap_page_aligned(len))
        return false;
    for (unsigned i = 0; i < X86_REMAP_RANGES; i++) {
        if (g_remap[i].base == NULL) {
            g_remap[i].base = base;
            g_remap[i].len = len;
            return true;
        }
    }
    return false;
}

void plat_remap_unregister(void *base)
{
    for (unsigned i = 0; i < X86_REMAP_RANGES; i++)
        if (base != NULL && g_remap[i].base == base)
            g_remap[i].base = NULL;
}

/* The registered range holding [addr, addr + len) whole, or -1. */
static int remap_range_of(const void *addr, uint64_t len)
{
    const char *a = addr;
    for (unsigned i = 0; i < X86_REMAP_RANGES; i++) {
        const char *b = g_remap[i].base;
        if (b != NULL && a >= b && len <= g_remap[i].len && (uint64_t)(a - b) <= g_remap[i].len - len)
            return (int)i;
    }
    return -1;
}

bool plat_remappable(const void *addr, uint64_t len)
{
    return remap_range_of(addr, len) >= 0;
}

/* vm_remap trades the pages by their page-table entries (mapped pages of
 * a reserve; in a reserve committed on demand a page not committed yet
 * moves as a hole; it refuses anything else, changing nothing). Both
 * ranges must lie in one registered range. */
bool plat_remap_pages(void *dst, void *src, uint64_t len)
{
    if (remap_range_of(dst, len) < 0 || remap_range_of(dst, len) != remap_range_of(src, len))
        return false;
    return vm_remap((uint64_t)(uintptr_t)dst, (uint64_t)(uintptr_t)src, len);
}

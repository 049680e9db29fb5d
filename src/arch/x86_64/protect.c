/*
 * protect.c - memory protection of the running kernel, and fault reports
 * that say what the faulting address is.
 *
 * At boot the kernel's own ranges go into vm's registry (page 0, text,
 * rodata, data+bss, the boot and double-fault stacks and the guard page
 * below each). With MM_PROTECT=1, once the PMM is up, protect_enable takes
 * the boot page tables over as an mmu_space whose table pages come from the
 * PMM: everything mapped becomes read-write no-execute (where the CPU has
 * NX: EFER.NXE), text read-execute, rodata read-only, CR0.WP makes
 * read-only binding for the kernel too, and vm_attach unmaps page 0 and
 * every registered guard page. Boot page-table pages (in the image or the
 * boot's table area) are never given to the PMM when a merge empties them.
 *
 * The report is two lines for a page fault: the raw facts (access, address,
 * RIP), then "PAGE FAULT: <access>, <not present|protection violation>:
 * <what the address is>", the line the fault tests check. Inside a Classic
 * zone, what the address is names the block (mm_whereis); in a temporary
 * handle's page run (unregistered direct-mapped RAM), the run and its
 * handle (mm_whereis too); in the guard page of a large kernel-heap
 * allocation, the allocation (kheap_whereis).
 *
 * One fault is no error: a not-present read or write of a page of a reserve
 * committed on demand (vm.h: the dynamic backend's zones) gets a fresh page
 * (protect_fault_commit) and the instruction runs again. When the PMM has
 * no page left for it, the fault is reported like any other, saying so.
 */
#include "arch/x86_64/protect.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/mmu.h"
#include "boot.h"
#include "lib/kprintf.h"
#include "MemoryMgr/mm_whereis.h"
#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"
#include "nanokernel/vm.h"
#include "platform.h"

extern char __kernel_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[], __kernel_end[];
extern char boot_stack_guard[], boot_stack[], boot_stack_top[];
extern uint64_t boot_pml4[512];

/* The reserve window sits above any direct map of RAM this kernel boots with. */
#define PROTECT_WINDOW_BASE 0x0000700000000000ull
#define PROTECT_WINDOW_LEN  0x0000080000000000ull
#define PROTECT_FLUSH_PAGES 64u
#define EFER_MSR 0xC0000080u
#define EFER_NXE (1u << 11)
#define CR0_WP   (1ull << 16)

static mmu_space g_kspace;
static char g_what[192];

static uint64_t protect_take_page(void)
{
    return pmm_alloc_page();
}

static void protect_give_page(uint64_t pa)
{
    pmm_free_page(pa);
}

static uint64_t protect_take_table(void *ctx)
{
    (void)ctx;
    uintptr_t pa = pmm_alloc_page();
    return pa ? pa : UINT64_MAX;
}

/* Table pages the boot built: inside the kernel image or the boot's table area, never the PMM's. */
static bool protect_boot_table(uint64_t pa)
{
    return (pa >= (uintptr_t)__kernel_start && pa < (uintptr_t)__kernel_end) ||
           (g_boot.tables_len && pa - g_boot.tables_base < g_boot.tables_len);
}

static void protect_give_table(void *ctx, uint64_t pa)
{
    (void)ctx;
    if (!protect_boot_table(pa))
        pmm_free_page(pa);
}

static uint64_t *protect_table_ptr(void *ctx, uint64_t pa)
{
    (void)ctx;
    return (uint64_t *)(uintptr_t)pa;   /* page tables live in the direct map */
}

static void protect_flush(void *ctx, uint64_t va, uint64_t len, bool all)
{
    (void)ctx;
    if (all || len > PROTECT_FLUSH_PAGES * MMU_PAGE) {
        __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
        return;
    }
    for (uint64_t off = 0; off < len; off += MMU_PAGE)
        __asm__ volatile("invlpg (%0)" : : "r"(va + off) : "memory");
}

static uint64_t protect_span(const char *a, const char *b)
{
    return (uint64_t)(uintptr_t)b - (uint64_t)(uintptr_t)a;
}

void protect_register_kernel(void)
{
    uint64_t df_guard, df_stack, df_len;
    vm_init(NULL, protect_take_page, protect_give_page, PROTECT_WINDOW_BASE, PROTECT_WINDOW_LEN);
    cpu_double_fault_stack(&df_guard, &df_stack, &df_len);
    vm_register(0, MMU_PAGE, VM_NULL, "NULL");
    vm_register((uintptr_t)__kernel_start, protect_span(__kernel_start, __text_end), VM_TEXT, ".text");
    vm_register((uintptr_t)__rodata_start, protect_span(__rodata_start, __rodata_end), VM_RODATA, ".rodata");
    vm_register((uintptr_t)__data_start, protect_span(__data_start, __kernel_end), VM_DATA, ".data/.bss");
    vm_register((uintptr_t)boot_stack, protect_span(boot_stack, boot_stack_top), VM_STACK, "boot stack");
    vm_guard((uintptr_t)boot_stack_guard, MMU_PAGE, "below the boot stack");
    vm_register(df_stack, df_len, VM_STACK, "double-fault stack");
    vm_guard(df_guard, MMU_PAGE, "below the double-fault stack");
}

[[gnu::noreturn]] static void protect_fatal(const char *what, mmu_status st)
{
    kprintf("FATAL: protect: %s: %s\n", what, mmu_status_text(st));
    kprintf("BOOT VERDICT: FAIL (protect: %s)\n", what);
    plat_exit(false);
}

static void protect_enable_nx(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(EFER_MSR));
    lo |= EFER_NXE;
    __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"(EFER_MSR));
}

void protect_enable(void)
{
    uint64_t t0 = plat_cycles();
    bool nx = cpu_has_nx(), big = cpu_has_1g_pages();
    if (nx)
        protect_enable_nx();
    else
        kprintf("protect: this CPU has no NX bit: data, stacks, heaps and zones stay executable\n");
    if (!big)
        kprintf("protect: this CPU has no 1 GiB pages: the direct map keeps 2 MiB pages\n");

    g_kspace = (mmu_space){ .root = (uintptr_t)boot_pml4, .use_1g = big, .use_nx = nx,
                            .take_table = protect_take_table, .give_table = protect_give_table,
                            .table_ptr = protect_table_ptr, .flush = protect_flush };
    mmu_adopt(&g_kspace);
    uint64_t boot_tables = g_kspace.tables;
    /* Text first and never non-executable, not even between two calls: this code runs there. */
    uint64_t text = (uintptr_t)__kernel_start, text_end = (uintptr_t)__text_end;
    mmu_status st = mmu_protect(&g_kspace, text, text_end - text, MMU_EXEC);
    if (st != MMU_OK)
        protect_fatal("kernel text read-execute", st);
    st = mmu_protect(&g_kspace, 0, text, MMU_WRITE);
    if (st == MMU_OK)
        st = mmu_protect(&g_kspace, text_end, MMU_VA_LIMIT - text_end, MMU_WRITE);
    if (st != MMU_OK)
        protect_fatal("direct map read-write, no execute", st);
    st = mmu_protect(&g_kspace, (uintptr_t)__rodata_start, protect_span(__rodata_start, __rodata_end), 0);
    if (st != MMU_OK)
        protect_fatal("kernel rodata read-only", st);
    if (!vm_attach(&g_kspace))
        protect_fatal("unmapping page 0 and the guard pages", MMU_ERR_NOMEM);
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WP) : "memory");
    mmu_problem p;
    if (!mmu_check(&g_kspace, &p)) {
        kprintf("FATAL: protect: page tables damaged: %s at 0x%lx (level %d)\n", p.what, (unsigned long)p.va, p.level);
        kprintf("BOOT VERDICT: FAIL (protect: page tables)\n");
        plat_exit(false);
    }
    uint64_t cycles = plat_cycles() - t0;
    kprintf("protect: page 0 unmapped, text 0x%lx-0x%lx read-execute, rodata read-only, everything else %s; "
            "guard pages unmapped; %lu table pages (boot built %lu), %lu TSC cycles\n",
            (unsigned long)(uintptr_t)__kernel_start, (unsigned long)(uintptr_t)__text_end,
            nx ? "no-execute" : "executable (no NX)", (unsigned long)g_kspace.tables,
            (unsigned long)boot_tables, (unsigned long)cycles);
    kprintf("AB protect_cycles=%lu\n", (unsigned long)cycles);
}

bool protect_fault_commit(uint64_t vector, uint64_t addr, uint64_t error_code)
{
    if (vector != 14 || (error_code & (1u | 16u)))   /* a page fault, not present, no instruction fetch */
        return false;
    return vm_fault_commit(addr) == VM_FAULT_COMMITTED;
}

/* What `addr` is, into g_what. */
static void protect_describe(uint64_t addr)
{
    const vm_region *r = vm_lookup(addr);
    if (r && r->on_demand && vm_space() && !mmu_query(vm_space(), addr & ~(MMU_PAGE - 1)).present) {
        char inner[128];
        vm_describe(addr, inner, sizeof inner);
        ksnprintf(g_what, sizeof g_what, "%s, an unbacked page committed on demand: the PMM had no page left", inner);
        return;
    }
    if (r && r->kind == VM_ZONE && mm_whereis((const void *)(uintptr_t)addr, g_what, sizeof g_what))
        return;   /* the zone and the block in it */
    if (r && r->kind == VM_GUARD && kheap_whereis(addr, g_what, sizeof g_what))
        return;   /* the large kernel-heap allocation the guard page belongs to */
    if (!r && mm_whereis((const void *)(uintptr_t)addr, g_what, sizeof g_what))
        return;   /* a temporary handle's page run (direct-mapped PMM pages) */
    vm_describe(addr, g_what, sizeof g_what);
    if (!r && pmm_is_managed(addr & ~(MMU_PAGE - 1), MMU_PAGE))
        ksnprintf(g_what, sizeof g_what, "RAM the PMM manages (no kernel range registered there)");
}

/* Is `addr` in a guard page right below a registered stack? */
static bool protect_stack_guard(uint64_t addr)
{
    const vm_region *g = vm_lookup(addr);
    if (!g || g->kind != VM_GUARD)
        return false;
    const vm_region *s = vm_lookup(g->base + g->len);
    return s && s->kind == VM_STACK;
}

const char *protect_report(uint64_t vector, uint64_t addr, uint64_t rip, uint64_t error_code, uint64_t rsp)
{
    if (vector == 14) {
        const char *access = (error_code & 16) ? "instruction fetch" : (error_code & 2) ? "write" : "read";
        const char *why = (error_code & 1) ? "protection violation" : "not present";
        protect_describe(addr);
        kprintf("PAGE FAULT: %s at 0x%016lx (%s), RIP=0x%016lx\n", access, (unsigned long)addr, why,
                (unsigned long)rip);
        kprintf("PAGE FAULT: %s, %s: %s\n", access, why, g_what);
        return g_what;
    }
    if (vector == 8) {
        uint64_t at = protect_stack_guard(addr) ? addr : rsp;
        if (protect_stack_guard(at)) {
            protect_describe(at);
            kprintf("DOUBLE FAULT: CR2=0x%016lx RSP=0x%016lx RIP=0x%016lx\n", (unsigned long)addr,
                    (unsigned long)rsp, (unsigned long)rip);
            kprintf("DOUBLE FAULT: kernel stack overflow into %s\n", g_what);
            ksnprintf(g_what, sizeof g_what, "kernel stack overflow");
            return g_what;
        }
        kprintf("DOUBLE FAULT: not a stack overflow (CR2=0x%016lx RSP=0x%016lx)\n", (unsigned long)addr,
                (unsigned long)rsp);
    }
    return NULL;
}

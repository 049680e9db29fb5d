/*
 * paging.c - identity map above 4 GiB.
 *
 * The 32-bit stub (entry.S) maps [0, 4 GiB) with 2 MiB pages in boot_pml4.
 * Once the memory map is known, this file maps [4 GiB, highest) so that
 * physical == virtual for all RAM (the PMM hands out physical addresses that
 * the kernel dereferences directly), and any device range above it that the
 * kernel draws on (a framebuffer). Table pages come from a caller-chosen
 * area that the PMM later reserves. 1 GiB pages are used for RAM when the
 * CPU has them (a 1 TiB machine then needs 3 table pages instead of 2 MiB of
 * them); device ranges always get 2 MiB pages, and whatever part of them is
 * already mapped is left as it is.
 */
#include "arch/x86_64/paging.h"

#include "lib/kstring.h"

#define PTE_PRESENT 1ull
#define PTE_WRITE   2ull
#define PTE_LARGE   0x80ull
#define PAGE        4096ull
#define SIZE_2M     (1ull << 21)
#define SIZE_1G     (1ull << 30)
#define SIZE_512G   (1ull << 39)
#define FOUR_GIB    (4ull << 30)
#define ADDR_MASK   0x000FFFFFFFFFF000ull

extern uint64_t boot_pml4[512];

/* End of the identity map: the boot stub's 4 GiB until [4 GiB, highest) is mapped. */
static uint64_t g_mapped_top = FOUR_GIB;

uint64_t paging_mapped_top(void)
{
    return g_mapped_top;
}

typedef struct paging_area {
    uint64_t next, end;
} paging_area;

static uint64_t *paging_take_table(paging_area *a)
{
    if (a->end - a->next < PAGE)
        return NULL;
    uint64_t *t = (uint64_t *)(uintptr_t)a->next;
    a->next += PAGE;
    nk_memset(t, 0, PAGE);
    return t;
}

/* The table that entry `e` points to, created (zeroed) when absent. */
static uint64_t *paging_child(uint64_t *e, paging_area *a)
{
    if (!(*e & PTE_PRESENT)) {
        uint64_t *t = paging_take_table(a);
        if (!t)
            return NULL;
        *e = (uintptr_t)t | PTE_PRESENT | PTE_WRITE;
    }
    return (uint64_t *)(uintptr_t)(*e & ADDR_MASK);
}

static uint64_t paging_round_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* The identity map lives in the lower canonical half (PML4 entries
 * 0..255), so nothing at or above 2^47 can be mapped; a larger `highest`
 * is cut there, which also keeps every round-up below from wrapping. */
static uint64_t paging_clamp(uint64_t highest)
{
    return highest > PAGING_IDENTITY_LIMIT ? PAGING_IDENTITY_LIMIT : highest;
}

uint64_t paging_tables_needed(uint64_t highest, bool use_1g)
{
    highest = paging_clamp(highest);
    if (highest <= FOUR_GIB)
        return 0;
    uint64_t pdpts = paging_round_up(highest, SIZE_512G) / SIZE_512G;
    uint64_t pds = use_1g ? 0 : paging_round_up(highest, SIZE_1G) / SIZE_1G - 4;
    return (pdpts + pds) * PAGE;
}

/* Page-table pages [base, base + len) can need: a PDPT per 512 GiB and a PD per 1 GiB touched. */
uint64_t paging_range_tables_needed(uint64_t base, uint64_t len)
{
    if (len == 0 || base + len <= FOUR_GIB)
        return 0;
    uint64_t lo = base < FOUR_GIB ? FOUR_GIB : base, hi = base + len;
    uint64_t pdpts = (paging_round_up(hi, SIZE_512G) - (lo & ~(SIZE_512G - 1))) / SIZE_512G;
    uint64_t pds = (paging_round_up(hi, SIZE_1G) - (lo & ~(SIZE_1G - 1))) / SIZE_1G;
    return (pdpts + pds) * PAGE;
}

uint64_t paging_map_range(uint64_t base, uint64_t len, uint64_t area, uint64_t area_len)
{
    paging_area a = { area, area + area_len };
    if (len == 0 || base + len <= FOUR_GIB)
        return 0;
    if (paging_range_tables_needed(base, len) > area_len)
        return UINT64_MAX;
    uint64_t lo = base < FOUR_GIB ? FOUR_GIB : base & ~(SIZE_2M - 1);
    for (uint64_t addr = lo; addr < base + len; addr += SIZE_2M) {
        uint64_t *pdpt = paging_child(&boot_pml4[addr >> 39 & 511], &a);
        if (!pdpt)
            return UINT64_MAX;
        uint64_t *pdpte = &pdpt[addr >> 30 & 511];
        if ((*pdpte & (PTE_PRESENT | PTE_LARGE)) == (PTE_PRESENT | PTE_LARGE))
            continue;                   /* inside a 1 GiB page of the RAM map */
        uint64_t *pd = paging_child(pdpte, &a);
        if (!pd)
            return UINT64_MAX;
        if (!(pd[addr >> 21 & 511] & PTE_PRESENT))
            pd[addr >> 21 & 511] = addr | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
    }
    __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
    return a.next - area;
}

uint64_t paging_identity_map(uint64_t highest, bool use_1g, uint64_t area, uint64_t area_len)
{
    paging_area a = { area, area + area_len };
    uint64_t step = use_1g ? SIZE_1G : SIZE_2M;
    highest = paging_clamp(highest);

    if (paging_tables_needed(highest, use_1g) > area_len)
        return UINT64_MAX;
    for (uint64_t addr = FOUR_GIB; addr < highest; addr += step) {
        uint64_t *pdpt = paging_child(&boot_pml4[addr >> 39 & 511], &a);
        if (!pdpt)
            return UINT64_MAX;
        uint64_t *pdpte = &pdpt[addr >> 30 & 511];
        if (use_1g) {
            *pdpte = addr | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
            continue;
        }
        uint64_t *pd = paging_child(pdpte, &a);
        if (!pd)
            return UINT64_MAX;
        pd[addr >> 21 & 511] = addr | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
    }
    __asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
    if (highest > g_mapped_top)
        g_mapped_top = highest;
    return a.next - area;
}

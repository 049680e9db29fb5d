/*
 * gdt.c - the kernel's own GDT: null, 64-bit code (0x08), data (0x10) and a
 * TSS (0x18, two slots) whose IST1 stack is used for double faults, so a
 * kernel stack overflow still reaches the exception report instead of
 * escalating to a triple fault and a silent reset.
 */
#include <stdint.h>

#include "arch/x86_64/cpu.h"

typedef struct [[gnu::packed]] tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss64;
_Static_assert(sizeof(tss64) == 104, "layout");

typedef struct [[gnu::packed]] gdt_pointer {
    uint16_t limit;
    uint64_t base;
} gdt_pointer;

enum { GDT_CODE = 0x08, GDT_DATA = 0x10, GDT_TSS = 0x18, IST_STACK_SIZE = 16384 };

static uint64_t g_gdt[5];
static tss64 g_tss;
/* The double-fault stack with a page below it that memory protection unmaps. */
static struct {
    uint8_t guard[4096];
    uint8_t stack[IST_STACK_SIZE];
} g_double_fault [[gnu::aligned(4096)]];

static uint64_t gdt_tss_low(uint64_t base, uint32_t limit)
{
    return (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
           ((uint64_t)(limit >> 16 & 0xF) << 48) | ((base >> 24 & 0xFF) << 56);
}

void gdt_init(void)
{
    uint64_t tss_base = (uintptr_t)&g_tss;

    g_tss.ist[0] = (uintptr_t)(g_double_fault.stack + IST_STACK_SIZE);
    g_tss.iomap_base = sizeof(tss64);
    g_gdt[0] = 0;
    g_gdt[1] = 0x00AF9A000000FFFF;
    g_gdt[2] = 0x00CF92000000FFFF;
    g_gdt[3] = gdt_tss_low(tss_base, sizeof(tss64) - 1);
    g_gdt[4] = tss_base >> 32;

    gdt_pointer ptr = { sizeof(g_gdt) - 1, (uintptr_t)g_gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "pushq %1\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "mov %2, %%ds\n\t"
        "mov %2, %%es\n\t"
        "mov %2, %%ss\n\t"
        "ltr %w3\n\t"
        :
        : "m"(ptr), "i"((uint64_t)GDT_CODE), "r"((uint64_t)GDT_DATA), "r"((uint64_t)GDT_TSS)
        : "rax", "memory");
}

void cpu_double_fault_stack(uint64_t *guard, uint64_t *stack, uint64_t *len)
{
    *guard = (uintptr_t)g_double_fault.guard;
    *stack = (uintptr_t)g_double_fault.stack;
    *len = sizeof g_double_fault.stack;
}

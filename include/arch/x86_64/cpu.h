/*
 * cpu.h - CPU tables and features the kernel sets up or asks about.
 */
#ifndef ARCH_X86_64_CPU_H
#define ARCH_X86_64_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* Load the kernel's GDT and TSS (double faults run on their own stack). */
void gdt_init(void);
/* Install exception handlers for vectors 0-31 that report and end the run. */
void idt_init(void);
/* Does the CPU support 1 GiB pages (CPUID 0x80000001 EDX bit 26)? */
bool cpu_has_1g_pages(void);
/* Physical address width in bits (CPUID 0x80000008 EAX[7:0]; 36 without it). */
unsigned cpu_phys_addr_bits(void);

/* Does the CPU support the no-execute bit (CPUID 0x80000001 EDX bit 20)? */
bool cpu_has_nx(void);
/* The double-fault (IST1) stack: its guard page, its base and length. */
void cpu_double_fault_stack(uint64_t *guard, uint64_t *stack, uint64_t *len);

#endif

/*
 * main.c - kmain: CPU tables, the memory bring-up (boot.c), the in-kernel
 * test suites, and the verdict.
 *
 * Output contract read by tools/boot.sh: the suites print KTAP (top level
 * here, one indented subtest block per suite), and every boot ends in one
 * "BOOT VERDICT: PASS|FAIL ..." line followed by an emulator exit.
 */
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/timer.h"
#include "boot.h"
#include "kernel_suites.h"
#include "lib/kprintf.h"
#include "MemoryMgr/MemoryManager.h"
#include "platform.h"

/* A deliberately faulting kernel (make FAULT_TEST=...) proves that faults are reported. */
static void main_fault_test(void)
{
#if CONFIG_FAULT_TEST == 1
    /* An explicit div: GCC turns a C "1 / x" into compares, with no division at all. */
    kprintf("fault test: dividing by zero\n");
    __asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\txor %%edx, %%edx\n\tdiv %%ecx"
                     : : : "eax", "ecx", "edx");
#elif CONFIG_FAULT_TEST == 2
    kprintf("fault test: writing to an unmapped address\n");
    *(volatile uint64_t *)0x00007FFFFFFFF000ull = 1;
#elif CONFIG_FAULT_TEST == 3
    kprintf("fault test: executing an invalid opcode\n");
    __asm__ volatile("ud2");
#endif
}

static int main_run_suites(void)
{
    int failed_suites = 0;

    kprintf("KTAP version 1\n1..%d\n", (int)kernel_suite_count);
    for (unsigned i = 0; i < kernel_suite_count; i++) {
        int failures = kernel_suites[i].run();
        kprintf("%s %u %s\n", failures ? "not ok" : "ok", i + 1, kernel_suites[i].name);
        if (failures)
            failed_suites++;
    }
    return failed_suites;
}

[[gnu::noreturn]] void kmain(uint32_t magic, uint32_t info);

void kmain(uint32_t magic, uint32_t info)
{
    g_boot.entry_cycles = plat_cycles();
    serial_init();
    gdt_init();
    idt_init();
    kprintf("\nnanokernel: x86_64 long mode, own GDT/TSS and IDT loaded\n");
    kprintf("nanokernel: MM_BACKEND=%s, nanokernel init %s the Classic MM\n",
            CONFIG_MM_BACKEND_NAME, CONFIG_NK_EARLY_INIT ? "before" : "after");

    timer_init();
    ps2_init();
    boot_memory(magic, info);
    main_fault_test();

    int failed = main_run_suites();
    kprintf("AB free_after=%ld\n", (long)(FreeMemSys() + FreeMem()));
    kprintf("BOOT VERDICT: %s (%u suites, %d failed)\n", failed ? "FAIL" : "PASS",
            (unsigned)kernel_suite_count, failed);
    plat_exit(failed == 0);
}

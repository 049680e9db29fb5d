/*
 * x86_64.c - the platform interface (platform.h) on an x86_64 PC under QEMU/Bochs.
 *
 * Console: COM1, with "\n" sent as "\r\n". Exit: QEMU's isa-debug-exit at
 * port 0xF4 (0x10 -> QEMU exits 33 = pass, 0x11 -> 35 = fail) and then Bochs'
 * shutdown port 0x8900; whichever emulator is not running ignores the write.
 * If neither ends the run the CPU halts with interrupts off, never resets.
 * Ticks come from the TSC calibrated at boot (timer.c); input from the PS/2
 * controller, polled (ps2.c).
 * Addresses: RAM is identity-mapped (paging.c), so a mapped address is its
 * own physical address. Stack: the boot stack (entry.S) is the only one.
 */
#include "platform.h"

#include "arch/x86_64/io.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/timer.h"

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
    __asm__ volatile("pause");
}

bool plat_input_poll(plat_input *in)
{
    return ps2_poll(in);
}

bool plat_phys_range(const void *addr, uint64_t len, uint64_t *phys)
{
    uint64_t a = (uint64_t)(uintptr_t)addr;
    if (len > paging_mapped_top() || a > paging_mapped_top() - len)
        return false;
    *phys = a;
    return true;
}

extern char boot_stack[], boot_stack_top[];

uint64_t plat_stack_room(const void *sp)
{
    const char *p = sp;
    return p > boot_stack && p <= boot_stack_top ? (uint64_t)(p - boot_stack) : 0;
}

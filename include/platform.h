/*
 * platform.h - the thin interface between portable code and the machine.
 *
 * Everything above this line (lib/, nanokernel/, MemoryMgr/) reaches the
 * outside world only through these calls, so the same sources build
 * freestanding for the kernel (src/arch/x86_64/platform.c: COM1, QEMU's
 * isa-debug-exit, Bochs' shutdown port) and hosted for unit tests and
 * benchmarks (src/platform/host/platform_host.c: stdout, exit()).
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* Emit one byte of console output. Must never block forever. */
void plat_putc(char c);

/* End the run: pass=true is success. Never returns. */
[[gnu::noreturn]] void plat_exit(bool pass);

/* A monotonic cycle counter (TSC); only differences are meaningful. */
uint64_t plat_cycles(void);

/*
 * Whether [addr, addr + len) is mapped memory that is physically
 * contiguous; if so *phys is the physical address of addr. The kernel
 * identity-maps RAM (physical == logical); on the host the process's
 * address is the platform's answer.
 */
bool plat_phys_range(const void *addr, uint64_t len, uint64_t *phys);

/* Bytes of stack left below the stack position sp (0 if not known). */
uint64_t plat_stack_room(const void *sp);

#endif

/*
 * platform.h - the thin interface between portable code and the machine.
 *
 * Everything above this line (lib/, nanokernel/, MemoryMgr/) reaches the
 * outside world only through these three calls, so the same sources build
 * freestanding for the kernel and hosted for unit tests, benchmarks and
 * fuzzers. Each build links exactly one implementation, and they sit side by
 * side in src/platform/:
 *
 *   x86_64.c  the kernel on a PC: COM1, QEMU's isa-debug-exit, Bochs'
 *             shutdown port, the TSC (using the CPU pieces in src/arch/x86_64/)
 *   host.c    hosted builds: stdout, exit(3), the TSC
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

#endif

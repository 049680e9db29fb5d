/*
 * platform.h - the thin interface between portable code and the machine.
 *
 * Everything above this line (lib/, nanokernel/, MemoryMgr/) reaches the
 * outside world only through these four calls, so the same sources build
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

#endif

/*
 * timer.h - the tick clock: the TSC, its rate measured against the PIT.
 */
#ifndef ARCH_X86_64_TIMER_H
#define ARCH_X86_64_TIMER_H

#include <stdint.h>

/* Measure the TSC rate against PIT channel 2 (no interrupts) and start the
 * tick clock at 0. Prints what it found. */
void timer_init(void);

/* Ticks (1/60 s) since timer_init. */
uint32_t timer_ticks(void);

#endif

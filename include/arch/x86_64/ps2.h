/*
 * ps2.h - the PS/2 (i8042) keyboard and mouse, polled.
 */
#ifndef ARCH_X86_64_PS2_H
#define ARCH_X86_64_PS2_H

#include <stdbool.h>

#include "platform.h"

/* Set the controller up for polling (its interrupts off, translation to
 * scan code set 1 on, the mouse reporting). Prints what it found; a missing
 * or silent controller leaves the input empty. */
void ps2_init(void);

/* The next decoded input, or false when none is pending. Never blocks. */
bool ps2_poll(plat_input *in);

#endif

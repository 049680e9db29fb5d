/*
 * serial.h - the COM1 console (16550 UART).
 */
#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include <stdbool.h>

/* Program COM1 for 115200 8N1. Returns false if no UART answers. */
bool serial_init(void);
/* Send one byte, waiting a bounded time for the transmitter. */
void serial_putc(char c);

#endif

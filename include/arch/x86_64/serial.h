/*
 * serial.h - the COM1 console (16550 UART), written through a transmit
 * queue so that printing does not wait for the line (serial.c).
 */
#ifndef ARCH_X86_64_SERIAL_H
#define ARCH_X86_64_SERIAL_H

#include <stdbool.h>

/* Program COM1 for 115200 8N1. Returns false if no UART answers. */
bool serial_init(void);
/* Queue one byte and send what the UART takes now; waits (bounded) only when the queue is full. */
void serial_putc(char c);
/* Send what the UART takes now, without waiting (for idle loops). */
void serial_poll(void);
/* Send every queued byte and wait (bounded) until the line is idle. */
void serial_drain(void);

#endif

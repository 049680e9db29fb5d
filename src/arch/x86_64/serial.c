/*
 * serial.c - COM1 output with bounded waits.
 *
 * Every wait for the transmitter is capped: a UART that never reports ready
 * (absent, or wedged) costs a bounded number of polls per byte and, after
 * repeated timeouts, is treated as gone so the boot goes on at full speed.
 */
#include "arch/x86_64/serial.h"

#include <stdint.h>

#include "arch/x86_64/io.h"

enum {
    COM1 = 0x3F8,
    UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3, UART_MCR = 4, UART_LSR = 5,
    UART_SCRATCH = 7,
    LSR_THR_EMPTY = 1 << 5,
    SERIAL_POLLS = 100000,      /* ~ms at emulator speed; plenty for 115200 baud */
    SERIAL_GIVE_UP = 8,         /* consecutive timeouts before the UART is ignored */
};

static int g_timeouts;

bool serial_init(void)
{
    outb(COM1 + UART_SCRATCH, 0x5A);
    if (inb(COM1 + UART_SCRATCH) != 0x5A)
        g_timeouts = SERIAL_GIVE_UP;    /* nothing there: never wait */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80);        /* DLAB: set the divisor */
    outb(COM1 + UART_DATA, 0x01);       /* 115200 baud */
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x03);        /* 8N1 */
    outb(COM1 + UART_FCR, 0xC7);        /* FIFO on, cleared */
    outb(COM1 + UART_MCR, 0x03);        /* DTR, RTS */
    return g_timeouts == 0;
}

void serial_putc(char c)
{
    if (g_timeouts < SERIAL_GIVE_UP) {
        int polls = 0;
        while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && polls < SERIAL_POLLS)
            polls++;
        g_timeouts = polls == SERIAL_POLLS ? g_timeouts + 1 : 0;
    }
    outb(COM1 + UART_DATA, (uint8_t)c);
}

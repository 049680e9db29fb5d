/*
 * serial.c - COM1 output through a transmit queue, with bounded waits.
 *
 * The kernel does not wait for the serial line while it has work to do: a
 * byte goes into a queue in RAM (SERIAL_QUEUE bytes) and the queue is moved
 * to the UART whenever the transmitter is empty, as many bytes at a time as
 * its FIFO holds (16 on a 16550A, 1 on a UART without a FIFO). A writer
 * waits only when the queue is full. Under QEMU the transmitter is always
 * ready, so nothing stays queued; under Bochs and on hardware the line runs
 * at 115200 baud (about 87 us a byte) and the queue lets the boot go on
 * while it drains. serial_drain sends everything queued and waits for the
 * line to be idle: plat_exit calls it before the emulator is told to stop,
 * so every byte printed before the exit reaches the log.
 *
 * Every wait for the transmitter is capped: a UART that never reports ready
 * (absent, or wedged) costs a bounded number of polls per send and, after
 * repeated timeouts, is treated as gone, so the boot goes on at full speed
 * and bytes are dropped instead of queued.
 *
 * Invariants: g_sent <= g_queued <= g_sent + SERIAL_QUEUE (free-running
 * counters; the queue holds the bytes between them); g_depth is 1 or 16.
 */
#include "arch/x86_64/serial.h"

#include <stdint.h>

#include "arch/x86_64/io.h"

enum {
    COM1 = 0x3F8,
    UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_IIR = 2, UART_LCR = 3, UART_MCR = 4, UART_LSR = 5,
    UART_SCRATCH = 7,
    LSR_THR_EMPTY = 1 << 5,      /* the transmit FIFO (or holding register) is empty */
    LSR_IDLE = 1 << 6,           /* ... and so is the shift register: the line is idle */
    IIR_FIFO_ON = 0xC0,          /* both bits: a 16550A with its FIFO enabled */
    UART_FIFO_DEPTH = 16,
    SERIAL_QUEUE = 4096,         /* a power of two */
    SERIAL_POLLS = 100000,       /* ~ms at emulator speed; plenty for one 115200 baud byte */
    SERIAL_GIVE_UP = 8,          /* consecutive timeouts before the UART is ignored */
};
_Static_assert((SERIAL_QUEUE & (SERIAL_QUEUE - 1)) == 0, "the queue index is a mask");

static char g_queue[SERIAL_QUEUE];
static uint32_t g_queued, g_sent;   /* free-running: bytes ever queued, ever handed to the UART */
static uint32_t g_depth = 1;        /* bytes the UART takes at once when its transmitter is empty */
static int g_timeouts;

static bool serial_gone(void)
{
    return g_timeouts >= SERIAL_GIVE_UP;
}

static bool serial_lsr(uint8_t bits)
{
    return (inb(COM1 + UART_LSR) & bits) == bits;
}

/* Poll until the LSR shows `bits`, at most SERIAL_POLLS times; counts a timeout. */
static bool serial_wait(uint8_t bits)
{
    int polls = 0;
    while (!serial_lsr(bits) && polls < SERIAL_POLLS)
        polls++;
    g_timeouts = polls == SERIAL_POLLS ? g_timeouts + 1 : 0;
    return polls < SERIAL_POLLS;
}

/* Hand the UART up to its FIFO depth of queued bytes; its transmitter is empty. */
static void serial_send_some(void)
{
    for (uint32_t n = 0; n < g_depth && g_sent != g_queued; n++, g_sent++)
        outb(COM1 + UART_DATA, (uint8_t)g_queue[g_sent & (SERIAL_QUEUE - 1)]);
}

/* Move what the UART can take now without waiting. */
static void serial_pump(void)
{
    if (g_sent != g_queued && serial_lsr(LSR_THR_EMPTY))
        serial_send_some();
}

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
    g_depth = (inb(COM1 + UART_IIR) & IIR_FIFO_ON) == IIR_FIFO_ON ? UART_FIFO_DEPTH : 1;
    return !serial_gone();
}

void serial_putc(char c)
{
    /* Nothing queued and the transmitter empty (always so under QEMU): straight out. */
    if (serial_gone() || (g_sent == g_queued && serial_lsr(LSR_THR_EMPTY))) {
        outb(COM1 + UART_DATA, (uint8_t)c);
        return;
    }
    if (g_queued - g_sent == SERIAL_QUEUE) {
        if (serial_wait(LSR_THR_EMPTY))
            serial_send_some();
        else
            g_sent++;                   /* no room and no UART: the oldest byte is dropped */
    }
    g_queue[g_queued++ & (SERIAL_QUEUE - 1)] = c;
    serial_pump();
}

void serial_poll(void)
{
    if (!serial_gone())
        serial_pump();
}

void serial_drain(void)
{
    while (g_sent != g_queued && !serial_gone()) {
        if (serial_wait(LSR_THR_EMPTY))
            serial_send_some();
    }
    if (!serial_gone())
        serial_wait(LSR_THR_EMPTY | LSR_IDLE);
}

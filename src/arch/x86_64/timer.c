/*
 * timer.c - TickCount's clock on a PC: the TSC, whose rate is measured once
 * at boot against the PIT (channel 2, one-shot, gate and output through
 * port 0x61, so no interrupt is involved).
 *
 * The count lasts TIMER_CAL_PIT_COUNTS PIT clocks (1193182 Hz), about 50 ms.
 * A PIT whose output never rises (none, or broken) is given a bounded number
 * of polls; the clock then assumes TIMER_FALLBACK_HZ and says so.
 */
#include "arch/x86_64/timer.h"

#include "arch/x86_64/io.h"
#include "lib/kprintf.h"

enum {
    PIT_HZ = 1193182,
    PIT_CH2_DATA = 0x42, PIT_COMMAND = 0x43, PIT_GATE_PORT = 0x61,
    PIT_GATE = 0x01, PIT_SPEAKER = 0x02, PIT_OUT2 = 0x20,
    PIT_CH2_ONESHOT_LOHI = 0xB0,     /* channel 2, lobyte/hibyte, mode 0, binary */
    TIMER_CAL_PIT_COUNTS = 59659,    /* 50 ms */
    TIMER_CAL_MAX_POLLS = 50000000,
    TICKS_PER_SECOND = 60,
};

#define TIMER_FALLBACK_HZ 1000000000ull

static uint64_t g_tsc_start;
static uint64_t g_tsc_per_tick = TIMER_FALLBACK_HZ / TICKS_PER_SECOND;

/* TSC cycles during TIMER_CAL_PIT_COUNTS PIT clocks, or 0 if OUT2 never rose. */
static uint64_t timer_measure(void)
{
    uint8_t gate = inb(PIT_GATE_PORT);
    outb(PIT_GATE_PORT, (uint8_t)((gate & ~PIT_SPEAKER) & ~PIT_GATE));
    outb(PIT_COMMAND, PIT_CH2_ONESHOT_LOHI);
    outb(PIT_CH2_DATA, TIMER_CAL_PIT_COUNTS & 0xFF);
    outb(PIT_CH2_DATA, TIMER_CAL_PIT_COUNTS >> 8);
    uint64_t t0 = rdtsc();
    outb(PIT_GATE_PORT, (uint8_t)((gate & ~PIT_SPEAKER) | PIT_GATE));   /* start counting */
    uint64_t cycles = 0;
    for (long i = 0; i < TIMER_CAL_MAX_POLLS; i++) {
        if (inb(PIT_GATE_PORT) & PIT_OUT2) {
            cycles = rdtsc() - t0;
            break;
        }
    }
    outb(PIT_GATE_PORT, gate);
    return cycles;
}

void timer_init(void)
{
    uint64_t cycles = timer_measure();
    if (cycles) {
        uint64_t hz = cycles * PIT_HZ / TIMER_CAL_PIT_COUNTS;
        g_tsc_per_tick = hz / TICKS_PER_SECOND ? hz / TICKS_PER_SECOND : 1;
        kprintf("timer: TSC at %lu kHz (measured against the PIT over 50 ms); %d ticks per second\n",
                (unsigned long)(hz / 1000), TICKS_PER_SECOND);
    } else {
        kprintf("timer: the PIT never counted down; assuming a %lu MHz TSC\n",
                (unsigned long)(TIMER_FALLBACK_HZ / 1000000));
    }
    g_tsc_start = rdtsc();
}

uint32_t timer_ticks(void)
{
    return (uint32_t)((rdtsc() - g_tsc_start) / g_tsc_per_tick);
}

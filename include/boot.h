/*
 * boot.h - the memory bring-up sequence (src/boot.c) and what it found.
 */
#ifndef BOOT_H
#define BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "multiboot2.h"

/* The pixels the Toolbox draws on: the framebuffer, or an off-screen bitmap of the same shape. */
typedef struct boot_screen {
    uint64_t base;              /* first pixel; 0 when there is no screen at all */
    uint32_t width, height;
    uint32_t row_bytes;
    bool visible;               /* the loader's framebuffer (false: off-screen pages from the PMM) */
} boot_screen;

typedef struct boot_state {
    uint64_t entry_cycles;      /* TSC at kmain entry */
    uint64_t mm_ready_cycles;   /* TSC when "Memory Manager ready" was printed */
    mb2_info mb;                /* the parsed multiboot2 info */
    uint64_t usable_bytes;      /* sum of normalized available ranges */
    uint64_t highest;           /* end of the highest available range */
    uint64_t tables_base;       /* page tables for RAM above 4 GiB */
    uint64_t tables_len;
    boot_screen screen;
} boot_state;

extern boot_state g_boot;

/*
 * Parse the multiboot2 info, map all RAM (and a framebuffer above it), bring
 * up the nanokernel and the Classic Memory Manager in the configured order,
 * and settle the screen (g_boot.screen). Returns only when all of that
 * worked; any failure prints a FATAL line and ends the run.
 */
void boot_memory(uint32_t magic, uintptr_t info);

#endif

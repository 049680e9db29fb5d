/*
 * boot.h - the memory bring-up sequence (src/boot.c) and what it found.
 */
#ifndef BOOT_H
#define BOOT_H

#include <stdint.h>

#include "multiboot2.h"

typedef struct boot_state {
    uint64_t entry_cycles;      /* TSC at kmain entry */
    uint64_t mm_ready_cycles;   /* TSC when "Memory Manager ready" was printed */
    mb2_info mb;                /* the parsed multiboot2 info */
    uint64_t usable_bytes;      /* sum of normalized available ranges */
    uint64_t highest;           /* end of the highest available range */
    uint64_t tables_base;       /* page tables for RAM above 4 GiB */
    uint64_t tables_len;
} boot_state;

extern boot_state g_boot;

/*
 * Parse the multiboot2 info, map all RAM, bring up the nanokernel and the
 * Classic Memory Manager in the configured order. Returns only when all of
 * that worked; any failure prints a FATAL line and ends the run.
 */
void boot_memory(uint32_t magic, uintptr_t info);

#endif

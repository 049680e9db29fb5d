/*
 * mm_backend.h - where the Classic Memory Manager's zones get their storage.
 *
 * This is the whole of what the Classic MM knows about the migration: one
 * backend file (src/MemoryMgr/backend_<name>.c, chosen by MM_BACKEND) answers
 * "which bytes become the System and Application zones". Nothing else in
 * src/MemoryMgr/ knows which backend was built.
 *
 *   static   legacy: gSystemHeap[2 MiB] and gAppHeap[6 MiB] static arrays
 *   kmalloc  Phase 1: both heaps (2 MiB, 6 MiB) from kmalloc
 *   dynamic  Phase 2: sized from usable RAM (zone_sizing.c), pages from the PMM
 */
#ifndef MEMORYMGR_MM_BACKEND_H
#define MEMORYMGR_MM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "MemoryMgr/mm_init.h"

/* The legacy heap sizes: the static arrays, which Phase 1 takes from kmalloc. */
#define MM_LEGACY_SYSTEM_HEAP_BYTES (2u << 20)
#define MM_LEGACY_APP_HEAP_BYTES    (6u << 20)

/* The backend's name as MM_BACKEND spells it. */
const char *mm_backend_name(void);

/*
 * Fill `out` with storage for the zones on a machine with `usable_bytes` of
 * RAM. On failure returns false with `why` set, having given back anything
 * it took.
 */
bool mm_backend_acquire(uint64_t usable_bytes, mm_zone_storage *out, const char **why);

/* Give the storage back (only what the backend took; never Classic blocks). */
void mm_backend_release(mm_zone_storage *storage);

/* Phase 2 sizing: both zones as fractions of usable RAM, with floors and caps. */
typedef struct mm_zone_sizes {
    uint64_t system_bytes;
    uint64_t app_bytes;
} mm_zone_sizes;

/*
 * System = usable / DYN_SYS_DIV, Application = usable / DYN_APP_DIV, each
 * clamped to [MIN, MAX] and rounded down to 64 KiB. Returns false when the
 * floors would take more than half of usable RAM (the nanokernel must keep
 * the rest), leaving `out` zeroed.
 */
bool mm_dynamic_zone_sizes(uint64_t usable_bytes, mm_zone_sizes *out);

/* Bring up the Classic MM on the backend's storage and print what it set up. */
bool InitMemoryManager(uint64_t usable_bytes);

#endif

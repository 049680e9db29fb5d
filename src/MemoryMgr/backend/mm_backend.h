/*
 * mm_backend.h - the private contract between the Classic Memory Manager's
 * start-up (InitMemoryManager.c) and a zone-storage backend: where the
 * System and Application zones get their bytes.
 *
 * Exactly one backend file in this folder is linked into a build, and it
 * defines the three mm_backend_* functions below; nothing else in
 * src/MemoryMgr/ knows which one was built. The backends are the only files
 * under src/MemoryMgr/ that may call into the layer beneath (the
 * nanokernel's kmalloc or PMM):
 *
 *   static.c   gSystemHeap[2 MiB] and gAppHeap[6 MiB] static arrays (the legacy layout)
 *   kmalloc.c  the same two sizes from the nanokernel's kmalloc
 *   dynamic.c  sized from usable RAM (zone_sizing.c): reserves committed on demand
 *              (page runs from the PMM without memory protection)
 *   host.c     the legacy sizes from the host's malloc (host tests, benchmarks, fuzzers)
 *
 * The kernel's valid MM_BACKEND values are listed once, in config.mk.
 */
#ifndef MEMORYMGR_BACKEND_MM_BACKEND_H
#define MEMORYMGR_BACKEND_MM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "MemoryMgr/mm_init.h"

/* The legacy heap sizes: the static arrays, which kmalloc.c and host.c allocate instead. */
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

/* dynamic.c's sizing: both zones as fractions of usable RAM, with floors and caps. */
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

#endif

/*
 * mm_debug.h - the Memory Manager's self-inspection: the heap check (what
 * MM_HEAPCHECK runs around every call), the MacsBug-style zone dump, and a
 * few read-only facts tests and tools need.
 */
#ifndef MEMORYMGR_MM_DEBUG_H
#define MEMORYMGR_MM_DEBUG_H

#include <stdbool.h>

#include "MacTypes.h"

/*
 * Walks the whole zone: every block inside it with a sane header, sizes
 * consistent, no two free blocks adjacent, every relocatable block's master
 * pointer pointing back at it, free lists and the master-pointer free list
 * consistent with the walk. Returns noErr or memAZErr/memBCErr/memPCErr/
 * memSCErr; a finding is printed (zone, block, the call named by `who`)
 * when report is true.
 */
OSErr mm_check_zone(THz zone, const char *who, bool report);

/* For tests: noErr if no free block below nonrelocatable block p in zone
 * could have held it (IM: nonrelocatable blocks go as low as possible),
 * memBCErr if one could, memAZErr if p is not a block of the zone. For a
 * large block (mm_remap.c) "could have held" means room for the request
 * plus a page and a minimal block, the room page alignment may need. Walks
 * the zone up to p: linear, never called by the Memory Manager itself. */
OSErr mm_check_placement(THz zone, Ptr p);

/* For tests (a large block with page-aligned data was placed by the
 * large-block rule, which slides nothing: noErr): noErr if no run of free and unlocked relocatable blocks below
 * nonrelocatable block p, met within the placement search's span
 * (MM_PLACE_SPAN blocks from the zone's start), has the free bytes to hold
 * it: sliding those relocatable blocks up would have put p lower.
 * memBCErr if one has, memAZErr if p is not a block of the zone. Linear. */
OSErr mm_check_place_low(THz zone, Ptr p);

/* For tests: noErr if the block after h's (just MoveHHi'd) is nonrelocatable,
 * locked or the zone's end; memBCErr if it is free or could move. A large
 * block moved by remapping (mm_remap.c) may have a free block smaller than
 * its alignment plus 64 bytes above it, then such a block. */
OSErr mm_check_move_hhi(THz zone, Handle h);

/*
 * Misuse: a Classic program passed something IM defines an error for (a
 * disposed handle, a pointer that is not a block, a non-zone to SetZone).
 * The call returns IM's result code and changes nothing; the report goes
 * to the misuse hook. The default hook prints one MacsBug-style line
 * (mm_format_misuse) and, when built with MM_STRICT=1, then ends the run
 * through diag_report. Heap corruption is not misuse: it is always
 * reported through diag_report.
 */
typedef struct mm_misuse_report {
    const char *call;     /* the routine the program called */
    const void *addr;     /* the handle, pointer or zone it passed */
    const char *zone;     /* the zone's name, or NULL if none was found */
    const void *block;    /* the block concerned, or NULL */
    const char *reason;   /* what was found */
    OSErr       err;      /* the result code the call returns */
} mm_misuse_report;
typedef void (*mm_misuse_hook)(const mm_misuse_report *report);

/* Install a hook (NULL restores the default); returns the previous one (NULL for the default). */
mm_misuse_hook mm_set_misuse_hook(mm_misuse_hook hook);

/* The report as one line (no newline) into buf[0..size). */
void mm_format_misuse(const mm_misuse_report *report, char *buf, unsigned long size);

/* MacsBug "hd"-style dump: one line per block and a summary, via kprintf. */
void mm_dump_zone(THz zone);

/* Builds with CONFIG_MM_SMAP_VERIFY (the fuzz build, MM_HEAPCHECK=1) hold
 * every MaxBlock and PurgeSpace answer of the space map to a walk of the
 * zone and halt when they differ. A harness that damages zones on purpose
 * turns it off: a damaged header the walk believes can differ from the
 * summary built before the damage without either being a bug. */
void mm_set_space_verify(bool on);

/*
 * Large blocks (mm_remap.c): moves of large blocks done by remapping pages,
 * the bytes those moves remapped, and the bytes of large blocks' moves that
 * were copied (tails, and whole moves the platform could not remap).
 * Counted since start; a test compares two readings.
 */
typedef struct mm_remap_stats {
    uint64_t moves;
    uint64_t remapped;
    uint64_t copied;
} mm_remap_stats;
void mm_get_remap_stats(mm_remap_stats *out);
/* Set zone's large-block threshold in data bytes (0: no large blocks; at
 * least a page otherwise), for tests and benchmarks; returns the old one.
 * A zone starts with MM_REMAP_MIN. */
Size mm_set_big_min(THz zone, Size bytes);
/* Whether the platform can remap zone's pages (its storage was registered). */
bool mm_zone_remaps(THz zone);

/* Temporary zone: holds temporary handles' master pointers (and, on a platform
 * without page runs, their blocks); NULL: the System zone does. */
THz mm_temp_zone(void);

/* Largest free block's logical size in zone (changes nothing). */
Size mm_zone_largest_free(THz zone);

/* Pages of the zone's extent [zone, bkLim + trailer) backed by memory now
 * (platform.h: storage committed on demand; otherwise every page). */
unsigned long long mm_zone_committed_pages(THz zone);

/* Forget one zone whose memory is about to be released or reused: as
 * mm_forget_storage (mm_init.h) for just that zone. */
void mm_forget_zone(THz zone);

/*
 * Give back growth: move the zone's end down to newEnd if everything above
 * newEnd is free. For the in-kernel suite, which must leave the Application
 * zone as it found it. Returns noErr or memFullErr.
 */
OSErr mm_zone_shrink_to(THz zone, Ptr newEnd);

#endif

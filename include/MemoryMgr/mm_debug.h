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
 * memBCErr if one could, memAZErr if p is not a block of the zone. Walks
 * the zone up to p: linear, never called by the Memory Manager itself. */
OSErr mm_check_placement(THz zone, Ptr p);

/* MacsBug "hd"-style dump: one line per block and a summary, via kprintf. */
void mm_dump_zone(THz zone);

/* Temporary zone (NULL when temporary memory comes from the System zone). */
THz mm_temp_zone(void);

/* Largest free block's logical size in zone (changes nothing). */
Size mm_zone_largest_free(THz zone);

/* Forget a zone whose memory is about to be reused (host tests). */
void mm_forget_zone(THz zone);

/*
 * Give back growth: move the zone's end down to newEnd if everything above
 * newEnd is free. For the in-kernel suite, which must leave the Application
 * zone as it found it. Returns noErr or memFullErr.
 */
OSErr mm_zone_shrink_to(THz zone, Ptr newEnd);

#endif

/*
 * mm_whereis.h - "which Classic block is this address", for fault reports.
 */
#ifndef MEMORYMGR_MM_WHEREIS_H
#define MEMORYMGR_MM_WHEREIS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * If `addr` lies in a live zone, write what it is into buf and return true:
 * the zone's name and the block holding it (its address, logical size,
 * kind; for a relocatable block its master pointer (handle) and whether it
 * is locked or purgeable), or that it lies in the zone header, a free block,
 * or past a damaged block header. False when no zone holds `addr`.
 * Reads only; a block walk never steps by a size that leaves the zone.
 */
bool mm_whereis(const void *addr, char *buf, size_t size);

#endif

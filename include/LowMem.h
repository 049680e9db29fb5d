/*
 * LowMem.h - the include name of the low-memory accessors. Those for the
 * Memory Manager's globals (LMGetApplZone, LMGetTheZone, ...) are declared
 * with the Memory Manager in MacMemory.h.
 */
#ifndef LOWMEM_H
#define LOWMEM_H

#include "MacMemory.h"

#endif

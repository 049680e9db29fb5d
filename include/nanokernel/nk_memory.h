/*
 * nk_memory.h - the nanokernel memory manager's public face: the physical
 * page manager (pmm.h) and the kernel heap (kheap.h).
 */
#ifndef NANOKERNEL_NK_MEMORY_H
#define NANOKERNEL_NK_MEMORY_H

#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"

#endif

/*
 * nk_memory.h - the nanokernel memory manager's public face: the physical
 * page manager (pmm.h) and the kernel heap (kheap.h), plus the in-kernel
 * test suite that exercises both on the live machine.
 */
#ifndef NANOKERNEL_NK_MEMORY_H
#define NANOKERNEL_NK_MEMORY_H

#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"

/* KTAP suite over the initialised PMM and heap; returns its failures and
 * leaves both exactly as it found them. */
int nk_memory_run_tests(void);

#endif

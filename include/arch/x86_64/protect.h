/*
 * protect.h - memory protection of the running kernel (MM_PROTECT=1) and the
 * fault reports that name what an address is (with or without protection).
 */
#ifndef ARCH_X86_64_PROTECT_H
#define ARCH_X86_64_PROTECT_H

#include <stdbool.h>
#include <stdint.h>

/* Record the kernel's own ranges (sections, stacks, their guards, page 0) in vm's registry. */
void protect_register_kernel(void);
/*
 * Take over the boot page tables as an mmu_space (table pages from the PMM
 * from now on), enable NX where the CPU has it, make text read-execute and
 * rodata read-only, everything else no-execute, and unmap page 0 and every
 * registered guard page. Prints what it did and what the CPU lacks.
 */
void protect_enable(void);
/*
 * A not-present read or write of an unbacked page in a reserve committed on
 * demand (a Classic zone of the dynamic backend): commit the page and say
 * true, and the faulting instruction runs again. Every other exception is
 * false and goes on to protect_report.
 */
bool protect_fault_commit(uint64_t vector, uint64_t addr, uint64_t error_code);
/* Print the page-fault or double-fault diagnostic lines for an exception; returns what was hit. */
const char *protect_report(uint64_t vector, uint64_t addr, uint64_t rip, uint64_t error_code, uint64_t rsp);

#endif

/*
 * paging.h - extends the boot stub's 4 GiB identity map to all of RAM.
 */
#ifndef ARCH_X86_64_PAGING_H
#define ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes of page-table pages needed to identity-map [4 GiB, highest). */
uint64_t paging_tables_needed(uint64_t highest, bool use_1g);

/*
 * Identity-map [4 GiB, highest) with 1 GiB pages when use_1g, else 2 MiB
 * pages, taking zeroed table pages from [area, area + area_len). Returns the
 * bytes of the area used, or UINT64_MAX if the area was too small (nothing
 * above 4 GiB is then mapped).
 */
uint64_t paging_identity_map(uint64_t highest, bool use_1g, uint64_t area, uint64_t area_len);

/* End of the identity map: every address below it is mapped, physical == virtual. */
uint64_t paging_mapped_top(void);

#endif

/*
 * paging.h - extends the boot stub's 4 GiB identity map to all of RAM.
 */
#ifndef ARCH_X86_64_PAGING_H
#define ARCH_X86_64_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* The identity map ends here at most (the lower canonical half); both
 * calls below treat a larger `highest` as this. */
#define PAGING_IDENTITY_BITS  47u
#define PAGING_IDENTITY_LIMIT (1ull << PAGING_IDENTITY_BITS)

/* Bytes of page-table pages needed to identity-map [4 GiB, highest). */
uint64_t paging_tables_needed(uint64_t highest, bool use_1g);

/*
 * Identity-map [4 GiB, highest) with 1 GiB pages when use_1g, else 2 MiB
 * pages, taking zeroed table pages from [area, area + area_len). Returns the
 * bytes of the area used, or UINT64_MAX if the area was too small (nothing
 * above 4 GiB is then mapped).
 */
uint64_t paging_identity_map(uint64_t highest, bool use_1g, uint64_t area, uint64_t area_len);

/* Bytes of table pages paging_map_range(base, len, ...) may need (0 below 4 GiB). */
uint64_t paging_range_tables_needed(uint64_t base, uint64_t len);

/*
 * Identity-map the device range [base, base + len) with 2 MiB pages where
 * it lies above 4 GiB and is not mapped yet, taking tables from [area,
 * area + area_len). Returns the bytes of the area used, or UINT64_MAX when
 * the area was too small.
 */
uint64_t paging_map_range(uint64_t base, uint64_t len, uint64_t area, uint64_t area_len);
/* End of the identity map: every address below it is mapped, physical == virtual. */
uint64_t paging_mapped_top(void);

#endif

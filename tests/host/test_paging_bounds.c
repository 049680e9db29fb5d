/*
 * test_paging_bounds.c - the page-table sizing of src/arch/x86_64/paging.c
 * for any top of RAM the map parser accepts: never 0 (which reads as "no
 * tables needed") for RAM above 4 GiB, never more than the identity map's
 * reach (2^47) needs, and monotonic. paging.c is compiled into this test
 * (its mapping half needs ring 0 and is not called); boot_pml4 is the
 * test's own.
 */
#include <stdint.h>

#include "tap.h"

uint64_t boot_pml4[512];

#include "../../src/arch/x86_64/paging.c"

#ifndef PAGING_IDENTITY_LIMIT
#define PAGING_IDENTITY_LIMIT (1ull << 47) /* the lower canonical half */
#endif

int main(void)
{
    const uint64_t GiB = 1ull << 30;
    TAP_EQ(paging_tables_needed(4 * GiB, false), 0, "RAM below 4 GiB needs no tables");
    uint64_t reach2m = paging_tables_needed(PAGING_IDENTITY_LIMIT, false);
    uint64_t reach1g = paging_tables_needed(PAGING_IDENTITY_LIMIT, true);
    tap_ok(reach2m > 0 && reach1g > 0, "the identity map's reach needs tables (%llu / %llu bytes)",
           (unsigned long long)reach2m, (unsigned long long)reach1g);
    uint64_t tops[] = { (1ull << 48) + 4096, 1ull << 52, 1ull << 63, UINT64_MAX - 4095, UINT64_MAX };
    bool ok = true;
    for (unsigned i = 0; i < sizeof tops / sizeof tops[0]; i++)
        ok = ok && paging_tables_needed(tops[i], false) == reach2m && paging_tables_needed(tops[i], true) == reach1g;
    tap_ok(ok, "a top beyond 2^47 (up to 2^64 - 1) needs what 2^47 needs: no wrap to 0, no PML4 index wrap");
    uint64_t prev = 0;
    bool mono = true;
    for (uint64_t top = 4 * GiB; top <= PAGING_IDENTITY_LIMIT && top >= 4 * GiB; top *= 2) {
        uint64_t need = paging_tables_needed(top + 1, false);
        mono = mono && need >= prev;
        prev = need;
    }
    tap_ok(mono, "sizing grows with the top of RAM");
    return tap_done();
}

/*
 * ktap.h - KTAP output for the in-kernel test suites.
 *
 * The boot prints the top level ("KTAP version 1", "1..N", one "ok N name"
 * per suite); each suite prints an indented subtest block:
 *
 *     KTAP version 1
 *     # Subtest: nk_memory
 *     1..12
 *     ok 1 pmm_alloc_free
 *     not ok 2 kheap_coalesce
 *     # kheap_coalesce: expected 3 got 2
 *
 * Suites are plain functions returning their failure count, so they also
 * run on the host against buffers.
 */
#ifndef LIB_KTAP_H
#define LIB_KTAP_H

#include <stdbool.h>

typedef struct ktap_suite {
    const char *name;
    int planned;
    int run;
    int failed;
} ktap_suite;

void ktap_suite_begin(ktap_suite *s, const char *name, int planned);
/* Record one result; returns ok so callers can chain diagnostics. */
bool ktap_check(ktap_suite *s, bool ok, const char *test_name);
/* A test that cannot run on this machine: "ok N name # SKIP reason", which
 * tools/judge-log.sh counts as skipped, never as passed. */
void ktap_skip(ktap_suite *s, const char *test_name, const char *reason);
[[gnu::format(printf, 1, 2)]] void ktap_diag(const char *fmt, ...);
/* Prints a diagnostic if the plan was not met; returns failures (+1 on a plan mismatch). */
int ktap_suite_end(ktap_suite *s);

#endif

/*
 * nk_test_util.h - what the nanokernel host tests share: an error hook that
 * counts diag_report() reports and keeps the last reason, so a test
 * can check that a misuse was reported (and that nothing else was).
 * Install it with diag_set_hook(nk_test_catch_report).
 */
#ifndef TESTS_HOST_NK_TEST_UTIL_H
#define TESTS_HOST_NK_TEST_UTIL_H

#include <stdint.h>

#include "lib/diag.h"

static int reports;
static const char *last_reason;

static inline void nk_test_catch_report(const char *call, uintptr_t addr, const char *reason)
{
    (void)call;
    (void)addr;
    reports++;
    last_reason = reason;
}

#endif

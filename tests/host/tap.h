/*
 * tap.h - a minimal TAP producer for host unit tests.
 *
 * Each test program prints "1..N" (via tap_plan or, at the end, tap_done)
 * and one "ok N - name" / "not ok N - name" line per check. tools/run-host-tests.sh
 * counts these lines across all programs; a program that crashes or exits
 * non-zero counts as a failure too.
 */
#ifndef TESTS_HOST_TAP_H
#define TESTS_HOST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_count;
static int tap_failed;

[[maybe_unused]] static void tap_plan(int n)
{
    printf("1..%d\n", n);
}

[[gnu::format(printf, 2, 3), maybe_unused]]
static bool tap_ok(bool ok, const char *fmt, ...)
{
    va_list ap;
    tap_count++;
    if (!ok)
        tap_failed++;
    printf("%s %d - ", ok ? "ok" : "not ok", tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return ok;
}

/* A check that could not run here (e.g. no address space for it): TAP's
 * "ok N # SKIP reason". tools/run-host-tests.sh counts it as skipped, never
 * as passed. */
[[gnu::format(printf, 1, 2), maybe_unused]]
static void tap_skip(const char *fmt, ...)
{
    va_list ap;
    printf("ok %d # SKIP ", ++tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

[[gnu::format(printf, 1, 2), maybe_unused]]
static void tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* Checks two integers and prints both on mismatch. */
#define TAP_EQ(got, want, ...)                                                   \
    do {                                                                         \
        long long tap_g_ = (long long)(got), tap_w_ = (long long)(want);         \
        if (!tap_ok(tap_g_ == tap_w_, __VA_ARGS__))                              \
            tap_diag("  got %lld, want %lld (%s)", tap_g_, tap_w_, #got);         \
    } while (0)

/* Call last in main when no plan was printed up front: prints the plan. */
[[maybe_unused]] static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    return tap_failed ? 1 : 0;
}

/* Call last in main when tap_plan() was used. */
[[maybe_unused]] static int tap_finish(void)
{
    return tap_failed ? 1 : 0;
}

#endif

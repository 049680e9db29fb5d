/*
 * kernel_suites.h - the in-kernel KTAP suites the boot runs, in order.
 * Each suite prints its own indented subtest block and returns its number
 * of failures; main.c prints the top level and the verdict.
 */
#ifndef KERNEL_SUITES_H
#define KERNEL_SUITES_H

typedef struct kernel_suite {
    const char *name;
    int (*run)(void);
} kernel_suite;

extern const kernel_suite kernel_suites[];
extern const unsigned kernel_suite_count;

/* The boot suite (src/boot_tests.c): what boot.c set up is really there. */
int boot_run_tests(void);
/* Both zones filled to memFullErr and emptied (src/MemoryMgr/mm_pressure_tests.c). */
int mm_pressure_run_tests(void);
/* Boot-time NewHandle/DisposeHandle churn figure for the A/B table (same file). */
int mm_bench_run_tests(void);

#endif

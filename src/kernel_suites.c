/*
 * kernel_suites.c - the table of in-kernel suites, in the order they run:
 * first what the boot set up, then each memory layer bottom-up.
 */
#include "kernel_suites.h"

const kernel_suite kernel_suites[] = {
    { "boot", boot_run_tests },
};

const unsigned kernel_suite_count = sizeof(kernel_suites) / sizeof(kernel_suites[0]);

/*
 * kernel_suites.c - the table of in-kernel suites, in the order they run:
 * first what the boot set up, then each memory layer bottom-up.
 */
#include "kernel_suites.h"

const kernel_suite kernel_suites[] = {
    { "boot", boot_run_tests },
    { "protect", protect_run_tests },
    { "nk_memory", nk_memory_run_tests },
    { "MemoryMgr", mm_run_tests },
    { "mm_pressure", mm_pressure_run_tests },
    { "mm_bench", mm_bench_run_tests },
    { "QuickDraw", qd_run_tests },
    { "ResourceMgr", rm_run_tests },
    { "WindowMgr", wm_run_tests },
    { "wm_memfull", wm_memfull_run_tests },
    { "MenuMgr", mn_run_tests },
    { "ControlMgr", cm_run_tests },
    { "TextEdit", te_run_tests },
    { "DialogMgr", dm_run_tests },
    { "app", app_run_tests },
    { "desktop", desktop_run_tests },
};

const unsigned kernel_suite_count = sizeof(kernel_suites) / sizeof(kernel_suites[0]);

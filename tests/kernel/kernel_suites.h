/*
 * kernel_suites.h - every in-kernel KTAP suite, and the table the boot runs
 * them from, in order (kernel_suites.c).
 *
 * Each suite prints its own indented subtest block and returns its number
 * of failures; main.c prints the top level and the verdict. The suites are
 * linked into the kernel image and into the host tests that run them
 * (tests/host/test_mm_ktap.c, test_mm_pressure.c, test_nk_memory.c), never
 * into the managers' host library.
 */
#ifndef TESTS_KERNEL_KERNEL_SUITES_H
#define TESTS_KERNEL_KERNEL_SUITES_H

#include <stdbool.h>

typedef struct kernel_suite {
    const char *name;
    int (*run)(void);
} kernel_suite;

extern const kernel_suite kernel_suites[];
extern const unsigned kernel_suite_count;

/* "boot" (boot_tests.c): what boot.c set up is really there. Kernel only. */
int boot_run_tests(void);

/* "protect" (protect_tests.c): the live page tables give each range the
 * access memory protection promises. Kernel only. */
int protect_run_tests(void);

/* "nk_memory" (nk_memory_tests.c): the initialised PMM and kernel heap; leaves
 * both exactly as it found them. */
int nk_memory_run_tests(void);

/* "MemoryMgr" (mm_tests.c): regression scenarios on the installed zones. */
int mm_run_tests(void);

/* "mm_pressure" (mm_pressure_tests.c): both zones filled to memFullErr and emptied. */
int mm_pressure_run_tests(void);

/* "mm_bench" (same file): NewHandle/DisposeHandle churn figure for the A/B table. */
int mm_bench_run_tests(void);

/* "QuickDraw" (qd_tests.c): each reference scene rendered and hashed; FreeMem back. */
int qd_run_tests(void);

/* "ResourceMgr" (rm_tests.c): the System fork opened, every resource read,
 * purged and read back in place; closing it gives both zones back exactly. */
int rm_run_tests(void);

/* Any of the Classic MM's debug modes (a zone check, a scramble or a purge
 * on every call): the suites shorten their quadratic fills under them. */
#define KT_MM_DEBUG (CONFIG_MM_HEAPCHECK || CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL)

/* "WindowMgr" (wm_tests.c): windows opened, drawn, moved, reordered and
 * closed; the scripted session's hash. */
int wm_run_tests(void);

/* "wm_memfull" (same file): windows opened to the first memFullErr in the
 * Application zone (the A/B figure) and in a sub-zone, round after round;
 * every failed open leaves nothing, the zones come back exactly. */
int wm_memfull_run_tests(void);

/* "MenuMgr" (mn_tests.c): menu bars from resources and from code, items chosen by
 * script and by command key, everything disposed: FreeMem back exactly. */
int mn_run_tests(void);

/* "ControlMgr" (cm_tests.c): controls made, drawn, tracked by script and
 * disposed; memFullErr leaves nothing; the drawn controls' hash. */
int cm_run_tests(void);

/* "TextEdit" (te_tests.c): edit records made, typed into, wrapped, clicked,
 * blinked and disposed; memFullErr changes nothing; the drawn text's hash. */
int te_run_tests(void);
/* Type keys keys into an edit record in a small zone against a model (the
 * host test types 2000): how often hText moved and the zone was compacted. */
bool te_typing_run(int keys, int *moves, int *compactions);

/* "DialogMgr" (dm_tests.c): dialogs from DLOG/DITL, items, a scripted modal
 * dialog, the alert stages, a preloaded alert in a full zone; no leaks. */
int dm_run_tests(void);

/* "app" (app_tests.c): the scripted run (menus, documents, commands by mouse and
 * key, quit to an empty desktop, key frames hashed) and the pressure run. */
int app_run_tests(void);

/* "desktop" (desktop_tests.c): the desktop drawn, the boot script played,
 * the cursor followed; last, so its picture stays on the screen. */
int desktop_run_tests(void);

#endif

/*
 * nk_test_util.h - what the nanokernel host tests share: an error hook that
 * counts diag_report() reports and keeps the last reason, so a test
 * can check that a misuse was reported (and that nothing else was).
 * Install it with diag_set_hook(nk_test_catch_report). Also a fresh
 * 16 MiB of RAM under the PMM with a 1 MiB kernel heap in it
 * (nk_test_heap_setup), for the kernel-heap tests.
 */
#ifndef TESTS_HOST_NK_TEST_UTIL_H
#define TESTS_HOST_NK_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"

static int reports;
static const char *last_reason;

static inline void nk_test_catch_report(const char *call, uintptr_t addr, const char *reason)
{
    (void)call;
    (void)addr;
    reports++;
    last_reason = reason;
}

/* Whether the last report's reason contains `word`. */
static inline bool nk_test_said(const char *word)
{
    return last_reason && strstr(last_reason, word);
}

/* The RAM the PMM of the last nk_test_heap_setup manages. */
static uint8_t *nk_test_ram;

/* Fresh: 16 MiB of RAM under the PMM, a 1 MiB kernel heap taken from it, no reports. */
static inline void nk_test_heap_setup(void)
{
    enum { RAM = 16u << 20, HEAP = 1u << 20 };
    free(nk_test_ram);
    nk_test_ram = aligned_alloc(4096, RAM);
    pmm_reset();
    pmm_init(RAM, (uintptr_t)nk_test_ram);
    uintptr_t h = pmm_alloc_pages(HEAP / 4096, 1);
    kheap_init(h, h + HEAP);
    reports = 0;
    last_reason = NULL;
}

#endif

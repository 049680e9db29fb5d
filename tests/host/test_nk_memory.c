/*
 * test_nk_memory.c - runs the in-kernel suite nk_memory_run_tests() on the
 * host, on a PMM managing a real buffer and a heap started on part of it,
 * and checks it passes and leaves the statistics unchanged. A second run
 * on a heap that already holds blocks checks the same from a used state.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_suites.h"
#include "nanokernel/nk_memory.h"
#include "tap.h"

int main(void)
{
    size_t len = 64u << 20;
    void *ram = aligned_alloc(4096, len);
    pmm_reset();
    tap_ok(pmm_init(len, (uintptr_t)ram), "PMM on a 64 MiB buffer");
    uintptr_t h = pmm_alloc_pages(256, 1);
    kheap_init(h, h + (1u << 20));
    TAP_EQ(nk_memory_run_tests(), 0, "suite passes on a fresh heap");

    void *keep[50];
    for (int i = 0; i < 50; i++)
        keep[i] = kmalloc((size_t)i * 300);
    kheap_stats a, b;
    pmm_stats pa, pb;
    kheap_get_stats(&a);
    pmm_get_stats(&pa);
    TAP_EQ(nk_memory_run_tests(), 0, "suite passes on a heap in use");
    kheap_get_stats(&b);
    pmm_get_stats(&pb);
    tap_ok(memcmp(&a, &b, sizeof a) == 0 && memcmp(&pa, &pb, sizeof pa) == 0,
           "statistics unchanged by the suite");
    for (int i = 0; i < 50; i++)
        kfree(keep[i]);
    tap_ok(kheap_check() == NULL && pmm_check() == NULL, "checks clean");
    free(ram);
    return tap_done();
}

/*
 * test_mm_model.c - the randomized model-based test (tests/host/mm_model.h):
 * several seeds, three zones each, a few million calls in all, every call
 * checked against the shadow model and the heap check. The zones' storage
 * is remappable (plat_host_map), and odd seeds make every block of a page
 * or more large (mm_remap.c), so those moves go by remapping pages.
 */
#include <stdlib.h>

#include "mm_model.h"
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

enum { SEEDS = 8 };
/* Steps per seed. A debug-mode build (make test runs every MM test in each)
 * instruments every call, and the heap check it adds walks the whole zone, so
 * it takes a fifth of the normal build's steps: the instrumentation meets every
 * path within them, and the normal build keeps the long run. */
#if CONFIG_MM_HEAPCHECK || CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL || CONFIG_MM_STRICT
enum { MODEL_STEPS = 60000 };
#else
enum { MODEL_STEPS = 300000 };
#endif

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : MODEL_STEPS;
    static const size_t sizes[MDL_ZONES] = { 24 * 1024, 40 * 1024, 64 * 1024 };
    char *bufs[MDL_ZONES];
    for (int z = 0; z < MDL_ZONES; z++)
        if ((bufs[z] = plat_host_map(sizes[z])) == NULL) {
            tap_ok(false, "a host mapping for zone %d", z);
            return tap_done();
        }
    static mdl m;
    long total = 0;
    mm_remap_stats before, after;
    mm_get_remap_stats(&before);
    for (int s = 0; s < SEEDS; s++) {
        mdl_init(&m, bufs, sizes, 0x1234567ull * (uint64_t)(s + 1), NULL, 0);
        mdl_set_big_min(&m, s % 2 ? PLAT_PAGE_SIZE : 0);
        while (!m.failed && m.step < steps)
            mdl_step(&m);
        mdl_teardown(&m);
        total += m.step;
        if (!tap_ok(!m.failed, "model seed %d: %ld steps (purges %ld, grow-zone calls %ld / frees %ld, "
                    "memFull %ld)", s, m.step, m.purges, m.gz_calls, m.gz_frees, m.fails))
            tap_diag("%s", m.why);
        for (int z = 0; z < MDL_ZONES; z++)
            mm_forget_zone(m.zones[z]);
    }
    tap_ok(m.purges > 0 && m.gz_frees > 0, "purging and grow-zone procedures were exercised");
    mm_get_remap_stats(&after);
    tap_ok(after.moves > before.moves, "large blocks moved by remapping: %llu moves, %llu bytes remapped",
           (unsigned long long)(after.moves - before.moves), (unsigned long long)(after.remapped - before.remapped));
    tap_diag("%ld model steps in total", total);
    return tap_done();
}

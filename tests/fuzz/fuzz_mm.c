/*
 * fuzz_mm.c - libFuzzer target for the Classic Memory Manager: the input
 * bytes drive the shadow model of tests/host/mm_model.h (the same one
 * test_mm_model runs from a PRNG). Every two input bytes are one choice
 * (which call, which object, which size, what a grow-zone procedure does);
 * the run ends when the input does.
 *
 * The model runs "thorough": after every call every zone is heap-checked
 * and every live block's size, state, zone and full contents are compared
 * with the model. Any divergence prints the model's reason and aborts, so
 * libFuzzer records the input as a crash. Each input starts from three
 * fresh zones over the same buffers, which are forgotten afterwards so no
 * state leaks from one input into the next. The buffers are remappable
 * (plat_host_map) and every block of a page or more is large, so the
 * fuzzer reaches the moves by remapping (mm_remap.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm_model.h"
#include "platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_MAX_INPUT = 16384 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t sizes[MDL_ZONES] = { 24 * 1024, 40 * 1024, 64 * 1024 };
    static char *bufs[MDL_ZONES];
    static mdl m;

    if (size > FZ_MAX_INPUT)
        return 0;
    for (int z = 0; z < MDL_ZONES; z++) {
        if (bufs[z] == NULL && (bufs[z] = plat_host_map(sizes[z])) == NULL) {
            fprintf(stderr, "fuzz_mm: no host mapping for zone %d\n", z);
            abort();
        }
    }
    mdl_init(&m, bufs, sizes, 0, data, size);
    mdl_set_big_min(&m, PLAT_PAGE_SIZE);
    m.thorough = true;
    while (!m.failed && !m.done)
        mdl_step(&m);
    if (!m.failed)
        mdl_teardown(&m);
    if (m.failed) {
        fprintf(stderr, "fuzz_mm: model diverged: %s\n", m.why);
        abort();
    }
    for (int z = 0; z < MDL_ZONES; z++)
        mm_forget_zone(m.zones[z]);
    return 0;
}

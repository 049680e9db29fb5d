/*
 * zone_sizing.c - the dynamic backend's zone sizes from usable RAM.
 *
 * Proportional: 1 GiB of RAM gives a 64 MiB System zone (1/16) and a
 * 256 MiB Application zone (1/4). Floors keep an 8 MiB machine bootable
 * (1 MiB + 2 MiB); caps (1 GiB, 16 GiB) keep a 1 TiB machine sensible: the
 * rest of RAM stays with the nanokernel. All six numbers are config.mk knobs.
 * The result is a pure function of usable_bytes, host-tested over the table
 * in docs/MIGRATION.md.
 */
#include "mm_backend.h"

#define ZONE_GRANULE (64ull << 10)

static uint64_t sizing_clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

bool mm_dynamic_zone_sizes(uint64_t usable_bytes, mm_zone_sizes *out)
{
    uint64_t sys = sizing_clamp(usable_bytes / CONFIG_DYN_SYS_DIV, CONFIG_DYN_SYS_MIN, CONFIG_DYN_SYS_MAX);
    uint64_t app = sizing_clamp(usable_bytes / CONFIG_DYN_APP_DIV, CONFIG_DYN_APP_MIN, CONFIG_DYN_APP_MAX);

    *out = (mm_zone_sizes){ 0 };
    sys &= ~(ZONE_GRANULE - 1);
    app &= ~(ZONE_GRANULE - 1);
    if (sys == 0 || app == 0 || sys + app > usable_bytes / 2)
        return false;
    *out = (mm_zone_sizes){ .system_bytes = sys, .app_bytes = app };
    return true;
}

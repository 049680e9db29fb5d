/*
 * boot_tests.c - the "boot" KTAP suite: checks that what boot.c reported is
 * really so (the map parsed, every usable byte counted, all RAM reachable
 * through the identity map, a screen to draw on, faults reported rather
 * than resets).
 */
#include "boot.h"
#include "kernel_suites.h"
#include "lib/ktap.h"
#include "nanokernel/vm.h"

static bool boot_test_touch(uint64_t addr)
{
    /* A guard page or a quarantined run is unmapped on purpose (protect suite); nothing to touch there. */
    const vm_region *r = vm_lookup(addr);
    if (r && (r->kind == VM_GUARD || r->kind == VM_FREED))
        return true;
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;
    uint64_t saved = *p;
    *p = 0xA5A5F00DC0FFEE11ull ^ addr;
    bool ok = *p == (0xA5A5F00DC0FFEE11ull ^ addr);
    *p = saved;
    return ok;
}

int boot_run_tests(void)
{
    ktap_suite s;
    mb2_range ranges[64];

    ktap_suite_begin(&s, "boot", 6);
    size_t n = mb2_available_ranges(&g_boot.mb, ranges, 64);
    ktap_check(&s, n > 0, "memory_map_has_available_ranges");

    uint64_t sum = 0;
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        sum += ranges[i].length;
        if (i && ranges[i].base < ranges[i - 1].base + ranges[i - 1].length)
            sorted = false;
    }
    ktap_check(&s, sorted, "available_ranges_sorted_disjoint");
    if (!ktap_check(&s, sum == g_boot.usable_bytes, "usable_ram_is_sum_of_ranges"))
        ktap_diag("sum %lu, reported %lu", (unsigned long)sum, (unsigned long)g_boot.usable_bytes);

    /*
     * The middle and last word of every range must be reachable and writable
     * (saved and restored: interrupts are off and nothing else runs). The
     * first word is skipped: the lowest range above 1 MiB starts with the
     * kernel image itself.
     */
    bool reachable = true;
    for (size_t i = 0; i < n; i++) {
        uint64_t mid = (ranges[i].base + ranges[i].length / 2) & ~7ull;
        uint64_t last = ranges[i].base + ranges[i].length - 8;
        if (!(boot_test_touch(mid) && boot_test_touch(last)))
            reachable = false;
    }
    ktap_check(&s, reachable, "all_ram_identity_mapped");
    ktap_check(&s, g_boot.highest == ranges[n - 1].base + ranges[n - 1].length,
               "highest_address_is_end_of_last_range");

    /* The screen's first and last pixels are there and hold what is written. */
    const boot_screen *sc = &g_boot.screen;
    if (!sc->base) {
        ktap_skip(&s, "screen_pixels_writable", "no framebuffer and no room for an off-screen bitmap");
        return ktap_suite_end(&s);
    }
    bool screen = sc->width && sc->height && sc->row_bytes >= sc->width * 4u;
    if (screen) {
        uint64_t last = sc->base + (uint64_t)sc->row_bytes * (sc->height - 1) + (sc->width - 1) * 4ull;
        screen = boot_test_touch(sc->base) && boot_test_touch(last & ~7ull);
    }
    if (!ktap_check(&s, screen, "screen_pixels_writable"))
        ktap_diag("screen base 0x%lx, %ux%u, row bytes %u", (unsigned long)sc->base, sc->width, sc->height,
                  sc->row_bytes);
    return ktap_suite_end(&s);
}

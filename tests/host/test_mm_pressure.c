/*
 * test_mm_pressure.c - InitMemoryManager on the host backend, then the two
 * in-kernel suites every boot runs (mm_pressure, mm_bench) on those zones,
 * and the zone-storage contract: InitMemoryManager leaves System and
 * Application zones that are exactly the backend's storage.
 */
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_init.h"
#include "kernel_suites.h"
#include "tap.h"

int main(void)
{
    tap_ok(InitMemoryManager(0), "InitMemoryManager succeeds on the host backend");
    tap_ok(SystemZone() != NULL && ApplicationZone() != NULL && SystemZone() != ApplicationZone(),
           "System and Application zones are installed and distinct");
    tap_ok(GetZone() == ApplicationZone(), "the Application zone is current");
    long sys_free = FreeMemSys();
    tap_ok(sys_free > (1 << 20) && sys_free < (2 << 20), "System zone FreeMem fits its 2 MiB storage (%ld)", sys_free);

    TAP_EQ(mm_pressure_run_tests(), 0, "mm_pressure suite passes on host zones");
    TAP_EQ(mm_bench_run_tests(), 0, "mm_bench suite passes on host zones");
    long again = FreeMemSys();
    TAP_EQ(mm_pressure_run_tests(), 0, "mm_pressure suite passes a second time");
    TAP_EQ(FreeMemSys(), again, "a second pressure run leaves System FreeMem unchanged");
    return tap_done();
}

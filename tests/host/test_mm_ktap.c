/*
 * test_mm_ktap.c - runs the in-kernel "MemoryMgr" KTAP suite (mm_run_tests)
 * on the host: zones installed with mm_install_zones over plain buffers,
 * once with a temporary region and once without, and checks the suite
 * reports no failure.
 */
#include "kernel_suites.h"
#include "mm_test_util.h"
#include "tap.h"

int main(void)
{
    size_t ss = 1 << 20, as = 8 << 20, ts = 1 << 20;
    char *sys = mt_alloc_buf(ss), *app = mt_alloc_buf(as), *tmp = mt_alloc_buf(ts);
    mm_zone_storage st = { sys, ss, app, as, tmp, ts };
    TAP_EQ(mm_install_zones(&st), noErr, "mm_install_zones with a temporary region");
    tap_ok(SystemZone() != NULL && ApplicationZone() == GetZone() && mm_temp_zone() != NULL,
           "System, Application (current) and temporary zones exist");
    TAP_EQ(mm_run_tests(), 0, "MemoryMgr KTAP suite passes (with temp zone)");
    mm_zone_storage st2 = { sys, ss, app, as, NULL, 0 };
    TAP_EQ(mm_install_zones(&st2), noErr, "re-install without a temporary region");
    tap_ok(mm_temp_zone() == NULL, "no temporary zone");
    TAP_EQ(mm_run_tests(), 0, "MemoryMgr KTAP suite passes again after re-install");
    mm_zone_storage bad = { NULL, ss, app, as, NULL, 0 };
    TAP_EQ(mm_install_zones(&bad), paramErr, "NULL system storage is paramErr");
    mm_zone_storage tiny = { sys, 64, app, as, NULL, 0 };
    TAP_EQ(mm_install_zones(&tiny), memFullErr, "a 64-byte system storage is memFullErr");
    return tap_done();
}

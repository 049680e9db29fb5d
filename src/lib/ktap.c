/*
 * ktap.c - KTAP subtest blocks for the in-kernel suites (see ktap.h).
 */
#include "lib/ktap.h"

#include <stdarg.h>

#include "lib/kprintf.h"

void ktap_suite_begin(ktap_suite *s, const char *name, int planned)
{
    *s = (ktap_suite){ .name = name, .planned = planned };
    kprintf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", name, planned);
}

bool ktap_check(ktap_suite *s, bool ok, const char *test_name)
{
    s->run++;
    if (!ok)
        s->failed++;
    kprintf("    %s %d %s\n", ok ? "ok" : "not ok", s->run, test_name);
    return ok;
}

void ktap_skip(ktap_suite *s, const char *test_name, const char *reason)
{
    s->run++;
    kprintf("    ok %d %s # SKIP %s\n", s->run, test_name, reason);
}

void ktap_diag(const char *fmt, ...)
{
    va_list ap;
    kprintf("    # ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
}

int ktap_suite_end(ktap_suite *s)
{
    if (s->run != s->planned) {
        ktap_diag("%s: planned %d tests but ran %d", s->name, s->planned, s->run);
        return s->failed + 1;
    }
    return s->failed;
}

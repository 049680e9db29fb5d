/*
 * nk_error.c - fault reporting shared by the page manager and kernel heap.
 *
 * The default hook is fatal: a misuse of an allocator in the kernel must end
 * the run with a diagnostic, never be ignored and never reset the machine.
 */
#include "nanokernel/nk_error.h"

#include <stddef.h>

#include "lib/kprintf.h"
#include "platform.h"

static void nk_default_hook(const char *call, uintptr_t addr, const char *reason)
{
    kprintf("\nFATAL: %s: %s (address 0x%lx)\n", call, reason, (unsigned long)addr);
    plat_exit(false);
}

static nk_error_hook g_error_hook = nk_default_hook;

nk_error_hook nk_set_error_hook(nk_error_hook hook)
{
    nk_error_hook old = g_error_hook;
    g_error_hook = hook ? hook : nk_default_hook;
    return old == nk_default_hook ? NULL : old;
}

void nk_report_error(const char *call, uintptr_t addr, const char *reason)
{
    g_error_hook(call, addr, reason);
}

void nk_panic(const char *file, int line, const char *what)
{
    kprintf("\nPANIC: %s:%d: %s\n", file, line, what);
    plat_exit(false);
}

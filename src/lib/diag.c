/*
 * diag.c - the report hook, the panic and the assertion's failure path
 * (lib/diag.h), shared by every layer.
 *
 * The default hook is fatal: a misuse of an allocator in the kernel must end
 * the run with a diagnostic, never be ignored and never reset the machine.
 */
#include "lib/diag.h"

#include <stddef.h>

#include "lib/kprintf.h"
#include "platform.h"

static void diag_default_hook(const char *call, uintptr_t addr, const char *reason)
{
    kprintf("\nFATAL: %s: %s (address 0x%lx)\n", call, reason, (unsigned long)addr);
    plat_exit(false);
}

static diag_hook g_diag_hook = diag_default_hook;

diag_hook diag_set_hook(diag_hook hook)
{
    diag_hook old = g_diag_hook;
    g_diag_hook = hook ? hook : diag_default_hook;
    return old == diag_default_hook ? NULL : old;
}

void diag_report(const char *call, uintptr_t addr, const char *reason)
{
    g_diag_hook(call, addr, reason);
}

void diag_panic(const char *file, int line, const char *what)
{
    kprintf("\nPANIC: %s:%d: %s\n", file, line, what);
    plat_exit(false);
}

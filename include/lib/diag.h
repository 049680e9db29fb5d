/*
 * diag.h - the one place where faults found by any layer are reported.
 *
 * The allocators (page manager, kernel heap, Memory Manager) call
 * diag_report() for every misuse or damage they detect (double free,
 * foreign pointer, smashed header, bad page free, a zone that fails its
 * check). The default hook prints "<call>: <reason> (address 0x...)" and
 * ends the run with the failure code through plat_exit(). Host tests and
 * in-kernel suites install their own hook to catch the report; if a hook
 * returns, the caller leaves its structures untouched and returns its
 * documented error value.
 *
 * DIAG_ASSERT checks an internal invariant; it stays on in every build and
 * a failure always ends the run (it is a bug, not bad input).
 */
#ifndef LIB_DIAG_H
#define LIB_DIAG_H

#include <stdint.h>

typedef void (*diag_hook)(const char *call, uintptr_t addr, const char *reason);

/* Install a hook (NULL restores the default); returns the previous one. */
diag_hook diag_set_hook(diag_hook hook);

/* Report misuse detected by `call` at `addr`. Returns only if a hook does. */
void diag_report(const char *call, uintptr_t addr, const char *reason);

/* Print a panic line and end the run with the failure code. */
[[gnu::noreturn]] void diag_panic(const char *file, int line, const char *what);

#define DIAG_ASSERT(cond, msg) \
    ((cond) ? (void)0 : diag_panic(__FILE__, __LINE__, "assertion failed: " #cond " (" msg ")"))

#endif

/*
 * kprintf.h - formatted console output for freestanding code.
 *
 * Output goes byte by byte to plat_putc(). Supported conversions:
 * %c %s %d %i %u %x %X %p %% with the length modifiers l, ll, z and the
 * flags '0', '-' and a field width (e.g. "%016lx", "%-12s", "%8zu").
 * Unknown conversions print themselves, so a typo is visible, not fatal.
 */
#ifndef LIB_KPRINTF_H
#define LIB_KPRINTF_H

#include <stdarg.h>
#include <stddef.h>

[[gnu::format(printf, 1, 2)]] int kprintf(const char *fmt, ...);
int kvprintf(const char *fmt, va_list ap);

/* Same formatting into a buffer; always NUL-terminates when size > 0. */
[[gnu::format(printf, 3, 4)]] int ksnprintf(char *buf, size_t size, const char *fmt, ...);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif

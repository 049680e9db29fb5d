/*
 * kprintf.c - a small printf for the kernel and the host library.
 *
 * One formatter (kfmt_run) writes through a sink; kprintf's sink is
 * plat_putc, ksnprintf's is a bounded buffer. No floating point: the
 * kernel is built with -mgeneral-regs-only.
 */
#include "lib/kprintf.h"

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

typedef struct kfmt_sink {
    char  *buf;     /* NULL: console */
    size_t size;
    size_t len;     /* bytes produced so far (may exceed size) */
} kfmt_sink;

static void kfmt_put(kfmt_sink *s, char c)
{
    if (!s->buf)
        plat_putc(c);
    else if (s->len + 1 < s->size)
        s->buf[s->len] = c;
    s->len++;
}

static void kfmt_pad(kfmt_sink *s, char c, int n)
{
    while (n-- > 0)
        kfmt_put(s, c);
}

static void kfmt_text(kfmt_sink *s, const char *text, int width, bool left)
{
    int n = 0;
    while (text[n]) n++;
    if (!left) kfmt_pad(s, ' ', width - n);
    for (int i = 0; i < n; i++) kfmt_put(s, text[i]);
    if (left) kfmt_pad(s, ' ', width - n);
}

static void kfmt_number(kfmt_sink *s, uint64_t v, bool negative, unsigned base,
                        bool upper, int width, bool zero, bool left)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + (negative ? 1 : 0);
    if (!left && !zero) kfmt_pad(s, ' ', width - len);
    if (negative) kfmt_put(s, '-');
    if (!left && zero) kfmt_pad(s, '0', width - len);
    while (n) kfmt_put(s, tmp[--n]);
    if (left) kfmt_pad(s, ' ', width - len);
}

static void kfmt_run(kfmt_sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') { kfmt_put(s, *fmt); continue; }
        const char *start = fmt++;
        bool zero = false, left = false;
        int width = 0, lng = 0;
        for (;; fmt++) {
            if (*fmt == '0') zero = true;
            else if (*fmt == '-') left = true;
            else break;
        }
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        for (;; fmt++) {
            if (*fmt == 'l') lng++;
            else if (*fmt == 'z') lng = 2;
            else break;
        }
        switch (*fmt) {
        case 'c': kfmt_put(s, (char)va_arg(ap, int)); break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            kfmt_text(s, str ? str : "(null)", width, left);
            break;
        }
        case 'd': case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            kfmt_number(s, mag, v < 0, 10, false, width, zero, left);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            kfmt_number(s, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, zero, left);
            break;
        }
        case 'p':
            kfmt_put(s, '0');
            kfmt_put(s, 'x');
            kfmt_number(s, (uintptr_t)va_arg(ap, void *), false, 16, false, width, zero, left);
            break;
        case '%': kfmt_put(s, '%'); break;
        case '\0':
            fmt--;  /* print the dangling '%' */
            [[fallthrough]];
        default:
            for (const char *p = start; p <= fmt; p++) kfmt_put(s, *p);
            break;
        }
    }
}

int kvprintf(const char *fmt, va_list ap)
{
    kfmt_sink s = { 0 };
    kfmt_run(&s, fmt, ap);
    return (int)s.len;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    kfmt_sink s = { .buf = buf, .size = size };
    kfmt_run(&s, fmt, ap);
    if (size)
        buf[s.len < size ? s.len : size - 1] = '\0';
    return (int)s.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

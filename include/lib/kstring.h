/*
 * kstring.h - byte and string helpers for freestanding code.
 *
 * Named nk_* so the host library never defines libc's own symbols; the
 * kernel maps memcpy/memset/memmove/memcmp (which the compiler may emit
 * on its own) onto these in src/arch/x86_64/libc_shims.c.
 */
#ifndef LIB_KSTRING_H
#define LIB_KSTRING_H

#include <stddef.h>

void  *nk_memset(void *dst, int value, size_t n);
void  *nk_memcpy(void *restrict dst, const void *restrict src, size_t n);
void  *nk_memmove(void *dst, const void *src, size_t n);
int    nk_memcmp(const void *a, const void *b, size_t n);
size_t nk_strlen(const char *s);
int    nk_strcmp(const char *a, const char *b);

#endif

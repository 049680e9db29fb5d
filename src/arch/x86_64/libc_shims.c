/*
 * libc_shims.c - the four libc symbols a freestanding compiler may emit calls
 * to on its own (struct copies, zero-initialisation). Kernel only: the host
 * library must not define libc's symbols, so portable code calls nk_* names.
 */
#include <stddef.h>

#include "lib/kstring.h"

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    return nk_memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
    return nk_memmove(dst, src, n);
}

void *memset(void *dst, int value, size_t n)
{
    return nk_memset(dst, value, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
    return nk_memcmp(a, b, n);
}

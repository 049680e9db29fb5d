/*
 * kstring.c - byte and string helpers for freestanding code.
 *
 * Word-at-a-time where alignment allows, because the Classic Memory
 * Manager's compaction is built on nk_memmove and is benchmarked against
 * the host's memmove. nk_memmove copies forwards when dst is below src and
 * backwards otherwise, so any overlap keeps every byte.
 *
 * In hosted x86_64 builds (the host tests' and benchmarks' libmm) a
 * forward copy of KSTR_REP_MIN bytes or more is one `rep movsb`
 * (fast-string moves copy a line at a time on hardware, and their defined
 * byte-by-byte order keeps a downward overlapping copy exact). The
 * freestanding kernel keeps the word loop: it runs mostly in emulators, and
 * QEMU's TCG emulates `rep movsb` a byte per step. Builds with
 * AddressSanitizer keep the C loop too, whose loads and stores the
 * sanitizer checks.
 */
#include "lib/kstring.h"

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t word_t;
#define WORD sizeof(word_t)

#if defined(__SANITIZE_ADDRESS__)
#define KSTR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KSTR_ASAN 1
#endif
#endif
#if defined(__x86_64__) && !defined(KSTR_ASAN) && __STDC_HOSTED__
#define KSTR_REP_MOVSB 1
enum { KSTR_REP_MIN = 64 };   /* shorter copies keep the word loop */
#endif

static bool kstr_both_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *nk_memset(void *dst, int value, size_t n)
{
    unsigned char *d = dst;
    word_t pattern = (unsigned char)value * 0x0101010101010101ull;

    while (n && ((uintptr_t)d & (WORD - 1))) { *d++ = (unsigned char)value; n--; }
    for (; n >= WORD; n -= WORD, d += WORD)
        __builtin_memcpy(d, &pattern, WORD);
    while (n--) *d++ = (unsigned char)value;
    return dst;
}

static void kstr_copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
#ifdef KSTR_REP_MOVSB
    if (n >= KSTR_REP_MIN) {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
        return;
    }
#endif
    if (kstr_both_aligned(d, s) || ((uintptr_t)d & (WORD - 1)) == ((uintptr_t)s & (WORD - 1))) {
        while (n && ((uintptr_t)d & (WORD - 1))) { *d++ = *s++; n--; }
        for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
            word_t w0, w1, w2, w3;
            __builtin_memcpy(&w0, s, WORD);
            __builtin_memcpy(&w1, s + WORD, WORD);
            __builtin_memcpy(&w2, s + 2 * WORD, WORD);
            __builtin_memcpy(&w3, s + 3 * WORD, WORD);
            __builtin_memcpy(d, &w0, WORD);
            __builtin_memcpy(d + WORD, &w1, WORD);
            __builtin_memcpy(d + 2 * WORD, &w2, WORD);
            __builtin_memcpy(d + 3 * WORD, &w3, WORD);
        }
        for (; n >= WORD; n -= WORD, d += WORD, s += WORD) {
            word_t w;
            __builtin_memcpy(&w, s, WORD);
            __builtin_memcpy(d, &w, WORD);
        }
    }
    while (n--) *d++ = *s++;
}

static void kstr_copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
    d += n;
    s += n;
    if (((uintptr_t)d & (WORD - 1)) == ((uintptr_t)s & (WORD - 1))) {
        while (n && ((uintptr_t)d & (WORD - 1))) { *--d = *--s; n--; }
        for (; n >= WORD; n -= WORD) {
            word_t w;
            d -= WORD;
            s -= WORD;
            __builtin_memcpy(&w, s, WORD);
            __builtin_memcpy(d, &w, WORD);
        }
    }
    while (n--) *--d = *--s;
}

void *nk_memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    kstr_copy_forward(dst, src, n);
    return dst;
}

void *nk_memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        kstr_copy_forward(d, s, n);
    else
        kstr_copy_backward(d, s, n);
    return dst;
}

int nk_memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t nk_strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int nk_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}

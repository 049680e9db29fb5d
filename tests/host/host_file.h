/*
 * host_file.h - reading a whole file for host tests that compile source
 * text the build does not hand them (System.r for the Resource and Window
 * Manager tests). The result is NUL-terminated and malloc'ed; NULL when the
 * file cannot be read.
 */
#ifndef TESTS_HOST_HOST_FILE_H
#define TESTS_HOST_HOST_FILE_H

#include <stdio.h>
#include <stdlib.h>

static inline char *host_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *t = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (t && fread(t, 1, (size_t)n, f) != (size_t)n) {
        free(t);
        t = NULL;
    }
    fclose(f);
    if (t) {
        t[n] = 0;
        if (len)
            *len = (size_t)n;
    }
    return t;
}

#endif

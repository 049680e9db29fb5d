/*
 * rez.c - the build's resource compiler: `rez -o OUT.rsrc IN.r` compiles a
 * text file in the Rez subset rez_core.c accepts and writes the resource
 * fork. On bad input it prints "IN.r:line N: why" and writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rez.h"

int main(int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[1], "-o") != 0) {
        fprintf(stderr, "usage: rez -o OUT.rsrc IN.r\n");
        return 2;
    }
    const char *out = argv[2], *in = argv[3];
    FILE *f = fopen(in, "rb");
    if (f == NULL) {
        perror(in);
        return 1;
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    size_t n;
    while (text != NULL && (n = fread(text + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            text = realloc(text, cap *= 2);
    }
    fclose(f);
    if (text == NULL) {
        fprintf(stderr, "rez: out of memory\n");
        return 2;
    }
    char err[256];
    rez_unit unit;
    rez_fork fork;
    if (rez_compile(text, len, &unit, err, sizeof err) != 0) {
        fprintf(stderr, "%s:%s\n", in, err);
        free(text);
        return 1;
    }
    free(text);
    if (rez_write_fork(&unit, &fork, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", in, err);
        rez_free_unit(&unit);
        return 1;
    }
    rez_free_unit(&unit);
    f = fopen(out, "wb");
    if (f == NULL || fwrite(fork.bytes, 1, fork.len, f) != fork.len || fclose(f) != 0) {
        perror(out);
        remove(out);
        rez_free_fork(&fork);
        return 1;
    }
    rez_free_fork(&fork);
    return 0;
}

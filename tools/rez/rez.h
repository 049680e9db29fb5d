/*
 * rez.h - the Rez-subset compiler shared by the host tool (rez.c) and the
 * host tests: text in a subset of Rez's syntax in, a resource fork in
 * Apple's format out (Inside Macintosh: More Macintosh Toolbox, "Resource
 * File Format"). Hosted C only; never linked into the kernel.
 *
 * Invariants: a fork is produced only when the whole input compiled; any
 * error leaves *out untouched and names the line it was found on.
 */
#ifndef TOOLS_REZ_REZ_H
#define TOOLS_REZ_REZ_H

#include <stddef.h>
#include <stdint.h>

typedef struct rez_fork {
    uint8_t *bytes;      /* malloc'd; free with rez_free */
    size_t len;
} rez_fork;

/* One compiled resource, in the order of the input. */
typedef struct rez_res {
    uint32_t type;
    int16_t id;
    uint8_t attrs;
    char name[256];      /* Pascal-style: name[0] is the length; 0 = no name */
    uint8_t *data;
    size_t len;
} rez_res;

typedef struct rez_unit {
    rez_res *res;
    size_t count;
} rez_unit;

/* Compile text[0..len). 0 on success; otherwise -1 with "line N: why" in err. */
int rez_compile(const char *text, size_t len, rez_unit *unit, char *err, size_t errlen);

/* Lay the unit out as a resource fork. 0 on success, -1 if it cannot be represented. */
int rez_write_fork(const rez_unit *unit, rez_fork *out, char *err, size_t errlen);

void rez_free_unit(rez_unit *unit);
void rez_free_fork(rez_fork *fork);

#endif

/*
 * rm_internal.h - the Resource Manager's view of a checked resource fork
 * (rm_fork.c) shared with the calls in rm_resources.c.
 *
 * Every accessor here assumes the fork passed rm_check_fork: offsets are
 * then known to lie inside the fork, so the accessors do no checks of
 * their own and never read outside it.
 */
#ifndef RM_INTERNAL_H
#define RM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "Resources.h"

enum {
    RM_HEADER_SIZE = 16,
    RM_MAP_HEADER = 28,      /* header copy, next map, refNum, attributes, two offsets */
    RM_TYPE_ENTRY = 8,
    RM_REF_ENTRY = 12,
    RM_MAX_REFS = 4096,      /* per fork: more is refused as malformed */
};

/* A fork's layout, read once from its header and map. */
typedef struct rm_layout {
    const uint8_t *base;
    long len;
    uint32_t data_off, data_len;
    uint32_t map_off, map_len;
    uint32_t type_list;      /* from the map's start */
    uint32_t name_list;      /* from the map's start */
    unsigned ntypes;
    unsigned nrefs;          /* over all types */
} rm_layout;

static inline uint16_t rm_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rm_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Fill *lay from a fork that rm_check_fork accepted. */
void rm_layout_read(const void *fork, long len, rm_layout *lay);

/* Type entry t (0-based). */
static inline const uint8_t *rm_type_entry(const rm_layout *l, unsigned t)
{
    return l->base + l->map_off + l->type_list + 2 + RM_TYPE_ENTRY * t;
}

static inline unsigned rm_type_count(const rm_layout *l, unsigned t)
{
    return rm_rd16(rm_type_entry(l, t) + 4) + 1u;
}

/* Reference k of type t. */
static inline const uint8_t *rm_ref(const rm_layout *l, unsigned t, unsigned k)
{
    return l->base + l->map_off + l->type_list + rm_rd16(rm_type_entry(l, t) + 6) + RM_REF_ENTRY * k;
}

static inline uint32_t rm_ref_data_off(const uint8_t *ref)
{
    return rm_rd32(ref + 4) & 0xFFFFFF;
}

/* The resource's length word and bytes. */
static inline const uint8_t *rm_ref_data(const rm_layout *l, const uint8_t *ref)
{
    return l->base + l->data_off + rm_ref_data_off(ref) + 4;
}

static inline uint32_t rm_ref_len(const rm_layout *l, const uint8_t *ref)
{
    return rm_rd32(l->base + l->data_off + rm_ref_data_off(ref));
}

/* The reference's name (Pascal string) or NULL. */
static inline const uint8_t *rm_ref_name(const rm_layout *l, const uint8_t *ref)
{
    uint16_t off = rm_rd16(ref + 2);
    return off == 0xFFFF ? NULL : l->base + l->map_off + l->name_list + off;
}

#endif

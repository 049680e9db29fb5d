/*
 * rm_fork.c - the check every resource fork passes before the Resource
 * Manager reads it, and the layout read from a checked fork.
 *
 * rm_check_fork reads only inside [fork, fork + len) and proves what the
 * accessors in rm_internal.h rely on: the header's data and map lie inside
 * the fork and apart; the map's type list and name list offsets lie inside
 * the map; every type's reference list lies after the type entries and
 * before the name list, and no two lists share an entry (a list that
 * points back into the type list, or into another list, would make a
 * reader walk the same entries again); every reference's data length word
 * and data lie inside the data; every name lies inside the map; no type is
 * listed twice and no ID twice within a type.
 */
#include "rm_internal.h"

static OSErr rm_bad(const char **why, OSErr err, const char *what)
{
    if (why != NULL)
        *why = what;
    return err;
}

void rm_layout_read(const void *fork, long len, rm_layout *lay)
{
    const uint8_t *b = fork;
    lay->base = b;
    lay->len = len;
    lay->data_off = rm_rd32(b);
    lay->map_off = rm_rd32(b + 4);
    lay->data_len = rm_rd32(b + 8);
    lay->map_len = rm_rd32(b + 12);
    const uint8_t *map = b + lay->map_off;
    lay->type_list = rm_rd16(map + 24);
    lay->name_list = rm_rd16(map + 26);
    lay->ntypes = (rm_rd16(map + lay->type_list) + 1u) & 0xFFFF;
    lay->nrefs = 0;
    for (unsigned t = 0; t < lay->ntypes; t++)
        lay->nrefs += rm_type_count(lay, t);
}

static bool rm_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* The reference list of type t: [start, start + count * 12) from the map's start. */
static OSErr rm_check_refs(const rm_layout *l, unsigned t, uint32_t types_end, const char **why)
{
    const uint8_t *e = rm_type_entry(l, t);
    uint64_t start = (uint64_t)l->type_list + rm_rd16(e + 6);
    uint64_t count = rm_rd16(e + 4) + 1u;
    if (start < types_end)
        return rm_bad(why, mapReadErr, "a reference list starts inside the type list (the list would loop)");
    if (start + count * RM_REF_ENTRY > l->name_list)
        return rm_bad(why, mapReadErr, "a reference list runs past the start of the name list");
    for (unsigned u = 0; u < t; u++) {
        const uint8_t *o = rm_type_entry(l, u);
        if (rm_rd32(o) == rm_rd32(e))
            return rm_bad(why, mapReadErr, "a type is listed twice in the type list");
        uint64_t ostart = (uint64_t)l->type_list + rm_rd16(o + 6), ocount = rm_rd16(o + 4) + 1u;
        if (rm_overlap(start, count * RM_REF_ENTRY, ostart, ocount * RM_REF_ENTRY))
            return rm_bad(why, mapReadErr, "two types' reference lists share entries (the lists would loop)");
    }
    const uint8_t *map = l->base + l->map_off;
    for (unsigned k = 0; k < count; k++) {
        const uint8_t *ref = map + start + RM_REF_ENTRY * k;
        uint64_t doff = rm_ref_data_off(ref);
        if (doff + 4 > l->data_len)
            return rm_bad(why, eofErr, "a resource's data offset lies past the end of the data");
        if (doff + 4 + rm_rd32(l->base + l->data_off + doff) > l->data_len)
            return rm_bad(why, eofErr, "a resource's data runs past the end of the data");
        uint16_t noff = rm_rd16(ref + 2);
        if (noff != 0xFFFF) {
            uint64_t at = (uint64_t)l->name_list + noff;
            if (at >= l->map_len || at + 1 + map[at] > l->map_len)
                return rm_bad(why, mapReadErr, "a resource's name lies past the end of the map");
        }
        for (unsigned j = 0; j < k; j++)
            if (rm_rd16(map + start + RM_REF_ENTRY * j) == rm_rd16(ref))
                return rm_bad(why, mapReadErr, "a resource ID is listed twice within its type");
    }
    return noErr;
}

OSErr rm_check_fork(const void *fork, long len, const char **why)
{
    const uint8_t *b = fork;
    if (b == NULL || len < RM_HEADER_SIZE)
        return rm_bad(why, eofErr, "the fork is shorter than its 16-byte header");
    uint64_t data_off = rm_rd32(b), map_off = rm_rd32(b + 4);
    uint64_t data_len = rm_rd32(b + 8), map_len = rm_rd32(b + 12);
    if (data_off < RM_HEADER_SIZE || map_off < RM_HEADER_SIZE)
        return rm_bad(why, mapReadErr, "the data or the map overlaps the header");
    if (data_off + data_len > (uint64_t)len)
        return rm_bad(why, eofErr, "the data runs past the end of the fork");
    if (map_off + map_len > (uint64_t)len)
        return rm_bad(why, eofErr, "the map runs past the end of the fork (truncated map)");
    if (rm_overlap(data_off, data_len, map_off, map_len))
        return rm_bad(why, mapReadErr, "the data and the map overlap");
    if (map_len < RM_MAP_HEADER + 2)
        return rm_bad(why, mapReadErr, "the map is shorter than its header");
    const uint8_t *map = b + map_off;
    uint32_t type_list = rm_rd16(map + 24), name_list = rm_rd16(map + 26);
    if (type_list < RM_MAP_HEADER || type_list + 2u > map_len)
        return rm_bad(why, mapReadErr, "the type list offset lies outside the map");
    if (name_list > map_len)
        return rm_bad(why, mapReadErr, "the name list offset lies outside the map");
    unsigned ntypes = (rm_rd16(map + type_list) + 1u) & 0xFFFF;
    uint32_t types_end = type_list + 2 + RM_TYPE_ENTRY * ntypes;
    if (types_end > map_len)
        return rm_bad(why, mapReadErr, "the type list runs past the end of the map");
    if (types_end > name_list)
        return rm_bad(why, mapReadErr, "the type list runs into the name list");
    rm_layout l = { .base = b, .len = len, .data_off = (uint32_t)data_off, .map_off = (uint32_t)map_off,
        .data_len = (uint32_t)data_len, .map_len = (uint32_t)map_len, .type_list = type_list,
        .name_list = name_list, .ntypes = ntypes };
    unsigned total = 0;
    for (unsigned t = 0; t < ntypes; t++) {
        total += rm_type_count(&l, t);
        if (total > RM_MAX_REFS)
            return rm_bad(why, mapReadErr, "the map lists more resources than the Resource Manager keeps");
        OSErr e = rm_check_refs(&l, t, types_end, why);
        if (e != noErr)
            return e;
    }
    return noErr;
}

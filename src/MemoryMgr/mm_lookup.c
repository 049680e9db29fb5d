/*
 * mm_lookup.c - the trust boundary: every handle or pointer a caller
 * passes is checked here before any block is touched. The checks are O(1)
 * (plus the zone registry): the address must lie in a live zone, a handle
 * must hold NULL, a free-slot tag, the data address of a relocatable
 * block whose link names that very handle, or the data address of a
 * temporary handle's page run whose header names it (mm_temp.c), and a
 * pointer must be the data address of a nonrelocatable block whose link
 * leads back to the zone.
 *
 * NULL is an ordinary documented error (nilHandleErr). Anything else that
 * fails is misuse: it is reported through the misuse hook (mm_misuse) and
 * the call returns with MemError set and nothing changed.
 */
#include "mm_internal.h"

OSErr mm_lookup_handle(const char *call, Handle h, bool allow_empty, THz *zout)
{
    if (h == NULL)
        return nilHandleErr;
    THz z = ((uintptr_t)h & 7) ? NULL : mm_registry_find(h);
    if (z == NULL) {
        mm_misuse(call, h, NULL, NULL, "handle is not a master pointer in any heap zone", memAZErr);
        return memAZErr;
    }
    *zout = z;
    Ptr v = *h;
    if (((uintptr_t)v & 1) || v == NULL) {
        /* The value proves nothing: h must be a slot of a master block. */
        if (!mm_mp_in_zone(z, h)) {
            mm_misuse(call, h, z, NULL,
                      v ? "handle is not a master pointer (an odd word inside the zone)"
                        : "handle is not a master pointer (a zero word inside the zone)", memAZErr);
            return memAZErr;
        }
        if (v != NULL) {
            mm_misuse(call, h, z, NULL, "handle was already disposed (its master pointer is free)", memWZErr);
            return memWZErr;
        }
        return allow_empty ? noErr : nilHandleErr;
    }
    /* The value is checked as a number before a block address is formed from it. */
    bool inside = ((uintptr_t)v & (MM_ALIGN - 1)) == 0 && (uintptr_t)v >= (uintptr_t)z->heapData + MM_HDR
                  && (uintptr_t)v < (uintptr_t)z->bkLim;
    if (!inside && !zone_contains(z, v)) {   /* a temporary handle's page run, or nothing */
        OSErr e = tr_lookup(z, h);
        if (e == memPCErr)
            mm_misuse(call, h, z, NULL, "master pointer does not lead to a relocatable block of its own", memPCErr);
        return e;
    }
    mm_block *b = inside ? block_from_data(v) : NULL;
    if (!inside || block_type(b) != MM_T_REL || zone_mp_at(z, block_link(b)) != h) {
        mm_misuse(call, h, z, b,
                  "master pointer does not lead to a relocatable block of its own", memPCErr);
        return memPCErr;
    }
    return noErr;
}

mm_block *mm_lookup_ptr(const char *call, Ptr p, THz *zout)
{
    if (p == NULL) {
        mm_set_err(nilHandleErr);
        return NULL;
    }
    /* Checked as a number before a block address is formed from it. */
    THz z = ((uintptr_t)p & (MM_ALIGN - 1)) || (uintptr_t)p <= MM_HDR ? NULL
                                                                      : mm_registry_find((char *)p - MM_HDR);
    mm_block *b = z != NULL ? block_from_data(p) : NULL;
    if (z == NULL && tr_is_block(p)) {
        mm_misuse(call, p, NULL, NULL, "pointer is a temporary handle's block, not a nonrelocatable block", memBCErr);
        return NULL;
    }
    if (z == NULL) {
        mm_misuse(call, p, NULL, NULL, "pointer is not a block in any heap zone", memAZErr);
        return NULL;
    }
    if (block_is_free(b)) {
        mm_misuse(call, p, z, b, "block is already free", memWZErr);
        return NULL;
    }
    if (block_type(b) != MM_T_NONREL || block_link(b) != zone_nonrel_link(z, b)
        || (char *)b + block_size(b) > z->bkLim) {
        mm_misuse(call, p, z, b, "not the start of a nonrelocatable block", memBCErr);
        return NULL;
    }
    if (block_marked(b)) {
        mm_misuse(call, p, z, b, "block holds master pointers", memBCErr);
        return NULL;
    }
    *zout = z;
    return b;
}

THz HandleZone(Handle h)
{
    THz z = NULL;
    OSErr e = mm_lookup_handle("HandleZone", h, true, &z);
    mm_set_err(e);
    return e == noErr ? z : NULL;
}

THz PtrZone(Ptr p)
{
    THz z = NULL;
    if (mm_lookup_ptr("PtrZone", p, &z) == NULL)
        return NULL;
    mm_set_err(noErr);
    return z;
}

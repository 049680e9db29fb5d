/*
 * mm_masters.c - master pointers. They live in nonrelocatable master
 * blocks (tag mark bit set) allocated cMoreMasters at a time, and the free
 * ones are chained through their own values, tagged with bit 0 so that a
 * disposed handle is told apart from a live or empty one:
 *
 *   *h == NULL          allocated, empty (purged or NewEmptyHandle)
 *   *h == block data    allocated, the block's link names h
 *   *h == next | 1      free; next is the following free slot (0 at the end)
 *
 * Taking and returning a master pointer is O(1). A purged handle keeps its
 * master pointer until DisposeHandle, so it can never be handed out twice.
 *
 * A master block's first word links the zone's master blocks (newest
 * first, from mm_zone_priv.masters); the slots follow it. A handle whose
 * value proves nothing (NULL, or a free-slot tag) is believed only if it is
 * a slot of one of these blocks (mm_mp_in_zone: O(master blocks), and
 * never needed for a handle that holds a block address).
 */
#include "mm_internal.h"

OSErr mm_more_masters(THz z, Size count)
{
    if (count <= 0 || count > (1 << 20))
        count = MM_DEFAULT_MASTERS;
    mm_block *b = mm_alloc(z, (count + 1) * (Size)sizeof(Ptr), MM_KIND_NONREL, NULL);
    if (b == NULL)
        return memFullErr;
    block_set_info(b, block_corr(b), 0, zone_nonrel_link(z, b));
    block_set_mark(b, true);
    Ptr *link = (Ptr *)block_data(b);
    *link = zone_priv(z)->masters;
    zone_priv(z)->masters = block_data(b);
    Handle slots = (Handle)(link + 1);
    for (Size i = count - 1; i >= 0; i--)
        mm_mp_give(z, &slots[i]);
    z->cntHandles += count;
    return noErr;
}

bool mm_mp_in_zone(THz z, Handle h)
{
    Size seen = 0;
    for (Ptr d = zone_priv(z)->masters; d != NULL && seen <= z->cntNRel; d = *(Ptr *)d, seen++) {
        if (((uintptr_t)d & (MM_ALIGN - 1)) || (uintptr_t)d < (uintptr_t)z->heapData + MM_HDR
            || (uintptr_t)d >= (uintptr_t)z->bkLim)
            return false;   /* a damaged list proves nothing */
        mm_block *b = block_from_data(d);
        uint64_t sz = block_size(b);
        if (block_type(b) != MM_T_NONREL || !block_marked(b) || sz < MM_MIN_BLOCK
            || sz > (uint64_t)(z->bkLim - (char *)b) || block_corr(b) > sz - MM_HDR)
            return false;
        uintptr_t first = (uintptr_t)d + sizeof(Ptr), end = (uintptr_t)d + (uintptr_t)block_logical(b);
        if ((uintptr_t)h >= first && (uintptr_t)h < end && ((uintptr_t)h - first) % sizeof(Ptr) == 0)
            return true;
    }
    return false;
}

/* A free master pointer can be stepped to: aligned, inside the zone, tagged free. */
static bool mp_free_slot_ok(THz z, Handle h)
{
    return ((uintptr_t)h & 7) == 0 && zone_contains(z, h) && mm_mp_is_free(h);
}

Handle mm_mp_take(THz z)
{
    if (z->hFstFree == NULL && mm_more_masters(z, z->moreMast) != noErr)
        return NULL;
    Handle h = (Handle)z->hFstFree;
    if (!mp_free_slot_ok(z, h)) {   /* the next slot is checked when it is taken */
        mm_damage(z, h, memPCErr, "master-pointer free list leads to a slot that is not a free master pointer");
        return NULL;
    }
    z->hFstFree = mm_mp_next(h);
    *h = NULL;
    z->cntEmpty--;
    return h;
}

void mm_mp_give(THz z, Handle h)
{
    *h = (Ptr)((uintptr_t)z->hFstFree | 1);
    z->hFstFree = (Ptr)h;
    z->cntEmpty++;
}

void MoreMasters(void)
{
    THz z = mm_cur_zone();
    if (z == NULL) {
        mm_set_err(memFullErr);
        return;
    }
    if (MM_GATE(z, "MoreMasters") != noErr)
        return;
    mm_set_err(mm_more_masters(z, z->moreMast));
    MM_CHECK(z, "MoreMasters");
}

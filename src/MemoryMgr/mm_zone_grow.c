/*
 * mm_zone_grow.c - changing where a zone ends. Only the Application zone
 * has room to grow: its limit (ApplLimit) lies beyond its end, and growing
 * moves the trailer up and hands the new space to the top free block
 * (merged with a free block below it). Shrinking gives back a free top.
 * Growth needs only the block layer, never allocation, so zone creation
 * (mm_zone.c -> mm_masters.c -> mm_alloc.c) and growth (mm_alloc.c -> here)
 * do not form a cycle.
 *
 * Decommitting: where the zone's storage is committed on demand (platform.h),
 * the whole pages inside the top free block that hold none of its fields
 * (header, links and address-index node in its first MM_TREE_MIN bytes,
 * size in its last word) can go back (mm_zone_decommit_top, MM_DECOMMIT=1).
 * The zone's layout does not change - bkLim stays, the block stays one free
 * block - so every size the Memory Manager reports is what a fully
 * committed zone reports; the pages come back when something is placed
 * there and touches them.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"
#include "platform.h"

#ifndef CONFIG_MM_DECOMMIT
#define CONFIG_MM_DECOMMIT 1
#endif

enum { MM_GROW_CHUNK = 64 * 1024, MM_COMMIT_PAGE = 4096 };

void zone_set_trailer(THz z, char *at, bool prev_free)
{
    if (z->bkLim != NULL)
        smap_mark(z, z->bkLim);   /* the old trailer's header goes */
    smap_mark(z, at);
    mm_block *t = (mm_block *)at;
    block_set_tag(t, MM_TRAILER, MM_T_TRAILER, prev_free ? MM_TAG_PREVFREE : 0);
    t->info = 0;
    z->bkLim = at;
}

/* Extend the zone by exactly `by` bytes (a multiple of 16, room checked). */
bool zone_extend(THz z, uint64_t by)
{
    mm_block *old = zone_trailer(z);
    if (!vf_below(z, old))
        return false;
    bool prev_free = block_prev_free(old);
    zone_set_trailer(z, z->bkLim + by, false);
    block_set_tag(old, by, MM_T_FREE, prev_free ? MM_TAG_PREVFREE : 0);
    blk_free(z, old);
    return true;
}

/* The first whole page at or above p, and the start of the page holding p. */
static uintptr_t commit_page_up(const void *p)
{
    return ((uintptr_t)p + MM_COMMIT_PAGE - 1) & ~(uintptr_t)(MM_COMMIT_PAGE - 1);
}

static uintptr_t commit_page_down(const void *p)
{
    return (uintptr_t)p & ~(uintptr_t)(MM_COMMIT_PAGE - 1);
}

void mm_zone_decommit_top(THz z)
{
    if (!CONFIG_MM_DECOMMIT)
        return;
    mm_block *t = zone_trailer(z);
    if (!block_prev_free(t) || !vf_below(z, t))
        return;
    mm_block *f = block_prev(t);
    uintptr_t lo = commit_page_up((char *)f + MM_TREE_MIN), hi = commit_page_down(block_footer(f));
    if (hi > lo)
        plat_decommit((void *)lo, hi - lo);
}

unsigned long long mm_zone_committed_pages(THz z)
{
    char *start = (char *)z;
    return plat_committed_pages((void *)commit_page_down(start),
                                (uint64_t)(commit_page_up(zone_end(z)) - commit_page_down(start)));
}

uint64_t zone_grow_room(THz z)
{
    return (uint64_t)(zone_priv(z)->limit - zone_end(z));
}

bool mm_zone_grow(THz z, uint64_t need)
{
    mm_block *t = zone_trailer(z);
    if (!vf_below(z, t))
        return false;
    uint64_t top = block_prev_free(t) ? block_size(block_prev(t)) : 0;
    if (top >= need)
        return true;
    uint64_t want = need - top;
    if (want < MM_MIN_BLOCK)
        want = MM_MIN_BLOCK;
    if (want > zone_grow_room(z))
        return false;
    if (want < MM_GROW_CHUNK)   /* grow in chunks so small requests do not grow it every time */
        want = MM_GROW_CHUNK < zone_grow_room(z) ? MM_GROW_CHUNK : zone_grow_room(z);
    return zone_extend(z, want & ~(uint64_t)(MM_ALIGN - 1));
}

OSErr mm_zone_shrink_to(THz z, Ptr newEnd)
{
    char *e = ptr_align_down(newEnd);
    if (!mm_zone_valid(z) || e > zone_end(z) || e < z->heapData + MM_TRAILER)
        return memFullErr;
    if (e == zone_end(z))
        return noErr;
    char *nb = e - MM_TRAILER;
    mm_block *t = zone_trailer(z);
    if (!block_prev_free(t))
        return memFullErr;
    mm_block *f = block_prev(t);
    if ((char *)f > nb || ((char *)f < nb && nb - (char *)f < MM_MIN_BLOCK))
        return memFullErr;
    fl_remove(z, f);
    if ((char *)f == nb) {
        zone_set_trailer(z, nb, false);
        zone_note_free(z);
        return noErr;
    }
    block_set_size(f, (uint64_t)(nb - (char *)f));
    fl_insert(z, f);
    zone_set_trailer(z, nb, true);
    zone_note_free(z);
    return noErr;
}

void MaxApplZone(void)
{
    THz z = mm_app_zone();
    if (z == NULL) {
        mm_set_err(memFullErr);
        return;
    }
    if (MM_GATE(z, "MaxApplZone") != noErr)
        return;
    uint64_t room = zone_grow_room(z) & ~(uint64_t)(MM_ALIGN - 1);
    if (room >= MM_MIN_BLOCK && !zone_extend(z, room))
        return;   /* damage reported; MemError says what */
    MM_CHECK(z, "MaxApplZone");
    mm_set_err(noErr);
}


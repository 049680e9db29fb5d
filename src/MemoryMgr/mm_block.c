/*
 * mm_block.c - carving allocated blocks out of free ones and giving them
 * back. These helpers keep the block invariants of mm_internal.h (tiling,
 * no adjacent free blocks, the below-is-free bit, footers, free lists);
 * callers only choose sizes and fill in the type and info word.
 */
#include "mm_internal.h"

#include "lib/kstring.h"

/* Each merge keeps an existing free block's index node where it can
 * (fl_resize, fl_replace): cheaper than removing and inserting. A stale
 * pointer to a merged-away header then finds tag 0 ("free"), never a live
 * header; a merged-away header inside the merged block's index node
 * (within MM_TREE_MIN bytes of its start) is already overwritten by a
 * node field and is left alone. */
/* Everything the merge touches is checked first (vf_release): damage is
 * reported and the zone left as it was. */
mm_block *blk_free(THz z, mm_block *b)
{
    if (!vf_release(z, b))
        return NULL;
    uint64_t size = block_size(b);
    mm_block *next = block_next(b);
    bool next_free = block_is_free(next) && (char *)next < z->bkLim;
    mm_block *start = b;
    if (block_prev_free(b)) {
        start = block_prev(b);
        uint64_t total = block_size(start) + size;
        smap_mark(z, b);   /* its header goes into the block below (the other ways, the free lists mark it) */
        b->tag = 0;
        if (next_free) {
            total += block_size(next);
            fl_remove(z, next);
            next->tag = 0;
        }
        fl_resize(z, start, total);
    } else if (next_free) {
        block_set_tag(b, size + block_size(next), MM_T_FREE, 0);
        fl_replace(z, next, b);
        if (size >= MM_TREE_MIN)
            next->tag = 0;
    } else {
        block_set_tag(b, size, MM_T_FREE, 0);
        fl_insert(z, b);
    }
    block_set_prev_free(block_next(start), true);
    pl_lower_floor(z, start);
    return start;
}

/* Allocated block b, off the free lists, spans its whole extent: keep phys
 * bytes and free the rest as a block of its own if it can stand alone. */
static void blk_split(THz z, mm_block *b, uint64_t phys)
{
    uint64_t size = block_size(b);
    if (size - phys < MM_MIN_BLOCK) {
        block_set_prev_free(block_next(b), false);
        return;
    }
    block_set_size(b, phys);
    mm_block *t = block_next(b);
    block_set_tag(t, size - phys, MM_T_FREE, 0);
    fl_insert(z, t);
}

mm_block *blk_carve(THz z, mm_block *f, uint64_t phys, bool high)
{
    uint64_t size = block_size(f);
    DIAG_ASSERT(block_is_free(f) && size >= phys, "carving from a block that cannot hold the request");
    uint64_t rem = size - phys;
    mm_block *b = f;
    if (high && rem >= MM_MIN_BLOCK) {
        fl_resize(z, f, rem);
        b = block_next(f);
        smap_mark(z, b);
        block_set_tag(b, phys, MM_T_NONREL, MM_TAG_PREVFREE);
        block_set_prev_free(block_next(b), false);
        b->info = 0;
        return b;
    }
    fl_remove(z, f);
    block_set_tag(b, size, MM_T_NONREL, 0);
    blk_split(z, b, phys);
    b->info = 0;
    return b;
}

mm_block *blk_carve_at(THz z, mm_block *f, mm_block *t, uint64_t phys)
{
    if (t == f)
        return blk_carve(z, f, phys, false);
    uint64_t size = block_size(f), pad = (uint64_t)((char *)t - (char *)f);
    DIAG_ASSERT(block_is_free(f) && pad >= MM_MIN_BLOCK && pad + phys <= size,
                "carving at a place the free block cannot hold");
    fl_resize(z, f, pad);
    smap_mark(z, t);
    block_set_tag(t, size - pad, MM_T_NONREL, MM_TAG_PREVFREE);
    t->info = 0;
    blk_split(z, t, phys);
    return t;
}

bool blk_shrink(THz z, mm_block *b, uint64_t phys)
{
    uint64_t cur = block_size(b);
    if (cur < phys + MM_MIN_BLOCK)
        return true;
    if (!vf_above(z, b))
        return false;
    smap_mark(z, b);
    block_set_size(b, phys);
    mm_block *t = block_next(b);
    block_set_tag(t, cur - phys, MM_T_FREE, 0);
    blk_free(z, t);
    return true;
}

bool blk_grow_in_place(THz z, mm_block *b, uint64_t phys)
{
    uint64_t cur = block_size(b);
    if (phys <= cur)
        return true;
    mm_block *n = block_next(b);
    if (!vf_above(z, b) || !block_is_free(n) || cur + block_size(n) < phys)
        return false;
    fl_remove(z, n);
    smap_mark(z, b);
    pl_lower_floor(z, b);   /* the floor may have been n, now inside b */
    block_set_size(b, cur + block_size(n));
    blk_split(z, b, phys);
    zone_note_free(z);
    return true;
}

void blk_set_logical(mm_block *b, Size logical)
{
    uint64_t corr = block_size(b) - MM_HDR - (uint64_t)logical;
    DIAG_ASSERT(corr < 256, "size correction out of range");
    block_set_corr(b, (unsigned)corr);
}

/* Reverse the order of the 16-byte units of [p, p + len). */
static void blk_reverse(char *p, uint64_t len)
{
    mm_block *lo = (mm_block *)p, *hi = (mm_block *)(p + len) - 1;
    for (; lo < hi; lo++, hi--) {
        mm_block tmp = *lo;
        *lo = *hi;
        *hi = tmp;
    }
}

void blk_rotate(char *p, uint64_t k, uint64_t len)
{
    blk_reverse(p, k);
    blk_reverse(p + k, len - k);
    blk_reverse(p, len);
}

void blk_move(THz z, mm_block *from, mm_block *to)
{
    Size logical = block_logical(from);
    big_transfer(z, block_data(to), block_data(from), (size_t)logical);   /* large: pages remapped */
    block_set_info(to, 0, block_state(from), block_link(from));
    block_set_state(from, 0);   /* the purgeable count passes to `to` with the state */
    smap_mark(z, from);
    smap_mark(z, to);
    blk_set_logical(to, logical);
    *zone_mp_at(z, block_link(from)) = block_data(to);
}

/*
 * mm_block.c - carving allocated blocks out of free ones and giving them
 * back. These helpers keep the block invariants of mm_internal.h (tiling,
 * no adjacent free blocks, the below-is-free bit, footers, free lists);
 * callers only choose sizes and fill in the type and info word.
 */
#include "mm_internal.h"

mm_block *blk_free(THz z, mm_block *b)
{
    uint64_t size = block_size(b);
    mm_block *start = b;
    mm_block *next = block_next(b);
    if (block_prev_free(b)) {
        start = block_prev(b);
        fl_remove(z, start);
        size += block_size(start);
        b->tag = 0;        /* a stale pointer to b now finds "free", not a live header */
    }
    if (block_is_free(next)) {
        fl_remove(z, next);
        size += block_size(next);
        next->tag = 0;
    }
    block_set_tag(start, size, MM_T_FREE, 0);
    fl_insert(z, start);
    block_set_prev_free(block_next(start), true);
    return start;
}

mm_block *blk_carve(THz z, mm_block *f, uint64_t phys, bool high)
{
    uint64_t size = block_size(f);
    NK_ASSERT(block_is_free(f) && size >= phys, "carving from a block that cannot hold the request");
    fl_remove(z, f);
    uint64_t rem = size - phys;
    mm_block *b = f;
    if (rem < MM_MIN_BLOCK) {
        block_set_tag(b, size, MM_T_NONREL, 0);
        block_set_prev_free(block_next(b), false);
    } else if (high) {
        block_set_tag(f, rem, MM_T_FREE, 0);
        fl_insert(z, f);
        b = block_next(f);
        block_set_tag(b, phys, MM_T_NONREL, MM_TAG_PREVFREE);
        block_set_prev_free(block_next(b), false);
    } else {
        block_set_tag(b, phys, MM_T_NONREL, 0);
        mm_block *t = block_next(b);
        block_set_tag(t, rem, MM_T_FREE, 0);
        fl_insert(z, t);
    }
    b->info = 0;
    return b;
}

void blk_shrink(THz z, mm_block *b, uint64_t phys)
{
    uint64_t cur = block_size(b);
    if (cur < phys + MM_MIN_BLOCK)
        return;
    block_set_size(b, phys);
    mm_block *t = block_next(b);
    block_set_tag(t, cur - phys, MM_T_FREE, 0);
    blk_free(z, t);
}

bool blk_grow_in_place(THz z, mm_block *b, uint64_t phys)
{
    uint64_t cur = block_size(b);
    if (phys <= cur)
        return true;
    mm_block *n = block_next(b);
    if (!block_is_free(n) || cur + block_size(n) < phys)
        return false;
    uint64_t avail = cur + block_size(n);
    fl_remove(z, n);
    if (avail - phys < MM_MIN_BLOCK) {
        block_set_size(b, avail);
        block_set_prev_free(block_next(b), false);
    } else {
        block_set_size(b, phys);
        mm_block *t = block_next(b);
        block_set_tag(t, avail - phys, MM_T_FREE, 0);
        fl_insert(z, t);
    }
    return true;
}

void blk_set_logical(mm_block *b, Size logical)
{
    uint64_t corr = block_size(b) - MM_HDR - (uint64_t)logical;
    NK_ASSERT(corr < 256, "size correction out of range");
    block_set_corr(b, (unsigned)corr);
}

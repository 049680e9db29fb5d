/*
 * kheap_realloc.c - krealloc: resize in place when the block itself or its
 * free right-hand neighbour has room, else move.
 *
 * Shrinking splits the tail off as a free block (merged with a free right
 * neighbour); growing absorbs a free right neighbour. Large blocks stay in
 * place while the new size still fits their run and is still large.
 */
#include "kheap_internal.h"

#include "lib/kstring.h"

/* Resize used block b to `size` in place; false if it cannot. */
static bool resize_in_place(kh_block *b, uint64_t size)
{
    uint64_t have = blk_size(b);
    kh_block *n = blk_next(b);
    uint64_t room = have + ((n->sf & KH_FREE) ? blk_size(n) : 0);
    if (room < size)
        return false;
    if (room == have && have - size < KH_MIN_BLOCK)
        return true; /* nothing to give back, nothing to take */
    if (n->sf & KH_FREE)
        kh_remove(n);
    kh_g.in_use -= have;
    kh_g.live--;
    /* present [b, b+room) as one free block and carve it again */
    b->sf = room | (b->sf & (KH_FIRST | KH_PREV_FREE));
    blk_next(b)->sf |= KH_PREV_FREE;
    kh_use(b, size);
    return true;
}

void *krealloc(void *p, size_t size)
{
    if (!p)
        return kmalloc(size);
    kh_block *b = kh_validate(p, "krealloc");
    if (!b)
        return NULL;
    if (size == 0) {
        kfree(p);
        return NULL;
    }
    if (size > KHEAP_MAX_REQUEST)
        return NULL;
    size_t old;
    if (b->sf & KH_LARGE) {
        old = kh_large_usable(b);
        if (size >= CONFIG_KHEAP_LARGE_THRESHOLD && size <= old)
            return p;
    } else {
        old = blk_size(b) - KH_HDR;
        if (size < CONFIG_KHEAP_LARGE_THRESHOLD && resize_in_place(b, blk_size_for(size)))
            return p;
    }
    void *q = kmalloc(size);
    if (!q)
        return NULL;
    nk_memcpy(q, p, old < size ? old : size);
    kfree(p);
    return q;
}

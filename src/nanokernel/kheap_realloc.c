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

typedef enum { RESIZE_NO, RESIZE_DONE, RESIZE_DAMAGED } resize_result;

/* Resize used block b to `size` in place, checking every header it
 * touches first (the next block, and the one after it when that is free). */
static resize_result resize_in_place(kh_block *b, uint64_t size, const void *p)
{
    uint64_t have = blk_size(b);
    kh_block *n = blk_next(b);
    if (!kh_neighbour_ok(n, "krealloc", p))
        return RESIZE_DAMAGED;
    bool n_free = n->sf & KH_FREE;
    if (n_free && !kh_neighbour_ok(blk_next(n), "krealloc", p))
        return RESIZE_DAMAGED;
    uint64_t room = have + (n_free ? blk_size(n) : 0);
    if (room < size)
        return RESIZE_NO;
    if (room == have && have - size < KH_MIN_BLOCK)
        return RESIZE_DONE; /* nothing to give back, nothing to take */
    if (n_free) {
        kh_remove(n);
        blk_bury(n);
    }
    kh_g.in_use -= have;
    kh_g.live--;
    /* present [b, b+room) as one free block and carve it again */
    b->sf = room | (b->sf & (KH_FIRST | KH_PREV_FREE));
    kh_block *after = blk_next(b);
    if (!(after->sf & KH_PREV_FREE))
        blk_flip(after, KH_PREV_FREE);
    kh_use(b, size);
    return RESIZE_DONE;
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
        if (!kh_large_ok(b)) {
            kh_large_free(b, "krealloc"); /* reports, changes nothing */
            return NULL;
        }
        old = kh_large_usable(b);
        if (size >= CONFIG_KHEAP_LARGE_THRESHOLD && size <= old)
            return p;
    } else {
        old = blk_size(b) - KH_HDR;
        resize_result r = size < CONFIG_KHEAP_LARGE_THRESHOLD ? resize_in_place(b, blk_size_for(size), p)
                                                              : RESIZE_NO;
        if (r == RESIZE_DONE)
            return p;
        if (r == RESIZE_DAMAGED)
            return NULL;
    }
    void *q = kmalloc(size);
    if (!q)
        return NULL;
    nk_memcpy(q, p, old < size ? old : size);
    kfree(p);
    return q;
}

/*
 * kheap_alloc_more.c - the other allocation entry points: kcalloc,
 * kmalloc_aligned and kmalloc_usable_size.
 *
 * An aligned small block is cut from a block big enough to hold the
 * request at any alignment: the part below the aligned header goes back to
 * the free lists (it is at least a minimum block, or empty), the tail is
 * split as usual. Page alignment and beyond use whole page runs.
 */
#include "kheap_internal.h"

#include "lib/kstring.h"
#include "nanokernel/pmm.h"

void *kcalloc(size_t count, size_t size)
{
    if (size && count > KHEAP_MAX_REQUEST / size)
        return NULL;
    void *p = kmalloc(count * size);
    if (p)
        nk_memset(p, 0, count * size);
    return p;
}

/* Split off the part of free block b below `at` as its own free block. */
static kh_block *cut_front(kh_block *b, uintptr_t at)
{
    uint64_t lead = at - (uintptr_t)b;
    if (lead == 0)
        return b;
    kh_block *r = (kh_block *)at;
    r->sf = (blk_size(b) - lead) | KH_PREV_FREE;
    b->sf = lead | KH_FREE | (b->sf & KH_FIRST);
    blk_set_footer(b, lead);
    kh_insert_sized(b, lead);
    return r;
}

void *kmalloc_aligned(size_t size, size_t align)
{
    if (align == 0 || (align & (align - 1)) || align > KHEAP_MAX_ALIGN || size > KHEAP_MAX_REQUEST)
        return NULL;
    if (align <= KHEAP_ALIGN)
        return kmalloc(size);
    if (align >= PMM_PAGE_SIZE || size >= CONFIG_KHEAP_LARGE_THRESHOLD)
        return kh_large_alloc(size, align);
    uint64_t bs = blk_size_for(size);
    uint64_t want = bs + align + KH_MIN_BLOCK;
    kh_block *b = kh_take_fit_or_grow(want, "kmalloc_aligned");
    if (!b)
        return NULL;
    uintptr_t at = (((uintptr_t)b + KH_HDR + align - 1) & ~(uintptr_t)(align - 1)) - KH_HDR;
    if (at != (uintptr_t)b && at - (uintptr_t)b < KH_MIN_BLOCK)
        at += align;
    return blk_payload(kh_use(cut_front(b, at), bs));
}

size_t kmalloc_usable_size(const void *p)
{
    if (!p)
        return 0;
    kh_block *b = kh_validate(p, "kmalloc_usable_size");
    if (!b)
        return 0;
    if (!(b->sf & KH_LARGE)) /* the size is believed when a sound header follows it */
        return kh_neighbour_ok(blk_next(b), "kmalloc_usable_size", p) ? (size_t)(blk_size(b) - KH_HDR) : 0;
    if (kh_large_ok(b))
        return kh_large_usable(b);
    kh_large_free(b, "kmalloc_usable_size"); /* reports, changes nothing */
    return 0;
}

/*
 * kheap.c - kmalloc/kfree: the segregated-fit core of the kernel heap.
 *
 * Why TLSF-style: a request maps to one of 32 lists per power of two with
 * two bit scans, so search is constant time whatever the heap size, and
 * good fit keeps fragmentation low (footprint/live ~1.04 on KHEAP-1M-v1,
 * bench/bench_kheap.c). Freed blocks coalesce with both neighbours at once,
 * using the PREV_FREE flag and footer (layout in kheap_internal.h).
 */
#include "kheap_internal.h"

#include "lib/diag.h"

kh_state kh_g;

/* Take off its list a free block of at least `size` bytes, or NULL.
 * Out of line: inlined twice into kmalloc it costs more registers than
 * the call (KHEAP-1M-v1, callgrind). */
[[gnu::noinline]] static kh_block *kh_take_fit(uint64_t size)
{
    unsigned fl, sl;
    if (size >= KH_SMALL)
        size += (1ull << (63u - (unsigned)__builtin_clzll(size) - KH_SL_SHIFT)) - 1;
    kh_mapping(size, &fl, &sl);
    uint32_t slm = kh_g.sl_map[fl] & (~0u << sl);
    if (!slm) {
        uint64_t flm = fl + 1 < 64 ? kh_g.fl_map & (~0ull << (fl + 1)) : 0;
        if (!flm)
            return NULL;
        fl = (unsigned)__builtin_ctzll(flm);
        slm = kh_g.sl_map[fl];
    }
    sl = (unsigned)__builtin_ctz(slm);
    kh_block *b = kh_g.head[fl][sl];
    kh_block *n = b->next_free;
    kh_g.head[fl][sl] = n;
    if (n)
        n->prev_free = NULL;
    else
        kh_list_emptied(fl, sl);
    return b;
}

/* kh_take_fit, growing the heap from the PMM once if nothing fits. */
kh_block *kh_take_fit_or_grow(uint64_t size)
{
    kh_block *b = kh_take_fit(size);
    if (b || !kh_grow(size))
        return b;
    b = kh_take_fit(size);
    DIAG_ASSERT(b != NULL, "a fresh arena must serve the request that grew it");
    return b;
}

/*
 * Turn free block b (already off its list) into a used block of `size`,
 * returning the tail to the free lists when it can stand on its own.
 */
kh_block *kh_use(kh_block *b, uint64_t size)
{
    uint64_t have = blk_size(b), keep = b->sf & (KH_FIRST | KH_PREV_FREE);
    if (have - size >= KH_MIN_BLOCK) {
        kh_block *r = (kh_block *)((uintptr_t)b + size);
        r->sf = (have - size) | KH_FREE;
        blk_set_footer(r);
        kh_insert(r);
        have = size;
    } else {
        blk_next(b)->sf &= ~KH_PREV_FREE;
    }
    b->sf = have | keep;
    blk_mark_used(b);
    kh_account_alloc(have);
    return b;
}

void *kmalloc(size_t size)
{
    if (size >= CONFIG_KHEAP_LARGE_THRESHOLD)
        return size > KHEAP_MAX_REQUEST ? NULL : kh_large_alloc(size, KHEAP_ALIGN);
    uint64_t bs = blk_size_for(size);
    kh_block *b = kh_take_fit_or_grow(bs);
    return b ? blk_payload(kh_use(b, bs)) : NULL;
}

[[gnu::noinline, gnu::cold]] static void report_bad_header(const kh_block *b, const char *call)
{
    if ((b->sf & KH_LARGE) && (uint64_t)(uintptr_t)b->prev_free == KH_FREED_LARGE)
        diag_report(call, (uintptr_t)b + KH_HDR, "large block is already free (double free)");
    else if (b->sf & KH_FREE)
        diag_report(call, (uintptr_t)b + KH_HDR, "block is already free (double free)");
    else
        diag_report(call, (uintptr_t)b + KH_HDR,
                        "bad block magic: header smashed, or not a heap pointer");
}

/* The header of a live block at p, or NULL after reporting why not. */
[[gnu::always_inline]] static inline kh_block *validate(const void *p, const char *call)
{
    uintptr_t a = (uintptr_t)p;
    /* One compare for "16-aligned and in [lo + KH_HDR, hi)": rotating the
     * offset right by 4 moves any low bit to the top, and an address below
     * the range wraps to a huge offset. kh_g.slots is 0 before any arena. */
    uintptr_t off = a - kh_g.lo - KH_HDR;
    if (((off >> 4) | (off << 60)) >= kh_g.slots) {
        diag_report(call, a, "pointer was never returned by the kernel heap");
        return NULL;
    }
    kh_block *b = blk_from_ptr(p);
    if (!blk_magic_ok(b)) {
        report_bad_header(b, call);
        return NULL;
    }
    return b;
}

kh_block *kh_validate(const void *p, const char *call)
{
    return validate(p, call);
}

/* Free used block b: coalesce both ways, then list it (or drop its arena). */
[[gnu::always_inline]] static inline void kh_free_block(kh_block *b)
{
    uint64_t size = blk_size(b), flags = b->sf & KH_FIRST;
    kh_g.in_use -= size;
    kh_g.live--;
    kh_block *n = blk_next(b);
    if (n->sf & KH_FREE) {
        kh_remove(n);
        size += blk_size(n);
    }
    if (b->sf & KH_PREV_FREE) {
        kh_block *p = blk_prev(b);
        kh_remove(p);
        size += blk_size(p);
        flags = p->sf & KH_FIRST;
        b = p;
    }
    b->sf = size | KH_FREE | flags;
    kh_block *after = (kh_block *)((uintptr_t)b + size);
    ((uint64_t *)after)[-1] = size; /* the footer */
    after->sf |= KH_PREV_FREE;
    if ((flags & KH_FIRST) && blk_size(after) == 0)
        kh_arena_release(b);
    else
        kh_insert_sized(b, size);
}

void kfree(void *p)
{
    if (!p)
        return;
    kh_block *b = validate(p, "kfree");
    if (!b)
        return;
    if (b->sf & KH_LARGE) {
        kh_large_free(b);
        return;
    }
    if ((b->sf & KH_PREV_FREE)) {
        kh_block *q = blk_prev(b);
        if ((q->sf & ~KH_FIRST) != (((const uint64_t *)b)[-1] | KH_FREE)) {
            diag_report("kfree", (uintptr_t)p, "free block below is smashed");
            return;
        }
    }
    kh_free_block(b);
}

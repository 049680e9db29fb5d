/*
 * kheap.c - kmalloc/kfree: the segregated-fit core of the kernel heap.
 *
 * Why TLSF-style: a request maps to one of 32 lists per power of two with
 * two bit scans, so search is constant time whatever the heap size, and
 * good fit keeps fragmentation low. A block freed into the lists
 * coalesces with both neighbours at once, using the PREV_FREE flag and
 * footer (layout in kheap_internal.h).
 *
 * In front of the lists sits the free-block cache (layout and seals in
 * kheap_internal.h): kfree of a block of at most KH_CACHE_MAX bytes pushes
 * it on its size's stack while there is room, and kmalloc of that size pops
 * it back, one seal check each way and no neighbour touched (so an
 * overrun into the next header is reported by the next call that reads
 * that header, not by this kfree). The cache is bounded per size
 * (kh_cache_depth: 4 KiB, between 2 and 64 blocks), so it holds at most
 * 1.2 MiB whatever the workload; a block that finds its stack full is
 * coalesced and listed. A kmalloc of a small size whose stack is empty
 * cuts a few more blocks of that size from the free block it splits onto
 * the stack (kh_use_refill), so a run of requests of one size reaches the
 * lists once per KH_REFILL blocks. The stacks empty into the lists when
 * the last live block is freed, when a request would otherwise fail, and
 * on kheap_trim.
 *
 * Every header a call touches is checked before the call changes anything:
 * the block itself, the neighbours it merges with or whose flags it
 * changes, and the list links it unlinks through. A failed check is
 * reported with what was found; if the hook returns, the call changes
 * nothing and returns its error value.
 */
#include "kheap_internal.h"

#include "lib/diag.h"

kh_state kh_g;
kh_block *kh_cache[KH_CACHE_CLASSES];
int32_t kh_cache_room[KH_CACHE_CLASSES];

/* Why free header b (FREE set) cannot be believed, or NULL if it can. */
static const char *free_hdr_problem(const kh_block *b)
{
    if (b->sf & KH_LARGE)
        return "free block header carries the LARGE flag: header overwritten";
    if (!kh_links_ok(b))
        return "free block header or its free-list link damaged (check value and list links "
               "disagree): written past the end of the block below, or after kfree?";
    return NULL;
}

/* Report damage found while serving `call` on pointer `at`. */
[[gnu::noinline, gnu::cold]] static void report_damage(const char *call, const void *at, const char *what)
{
    diag_report(call, (uintptr_t)at, what);
}

/* Report why neighbour n (which failed its check) cannot be believed. */
[[gnu::noinline, gnu::cold]] static void report_neighbour(const kh_block *n, const char *call, const void *p)
{
    const char *why = "the header of the next block is damaged (check value does not match): "
                      "written past the end of this block?";
    if ((n->sf & KH_FREE) && free_hdr_problem(n))
        why = "the header of the next block is damaged (marked free, but its check value and free-list "
              "links disagree): written past the end of this block, or after kfree?";
    report_damage(call, p, why);
}

/*
 * Neighbour n of a block being changed (its flags change, or it is merged):
 * true if its header is sound (a free header's links included), else
 * reports against pointer p and returns false.
 */
bool kh_neighbour_ok(const kh_block *n, const char *call, const void *p)
{
    if (!kh_hdr_in_range((uintptr_t)n)) {
        report_damage(call, p, KH_SIZE_PAST_HEAP);
        return false;
    }
    if ((n->sf & KH_FREE) ? !free_hdr_problem(n) : blk_taken_ok(n))
        return true;
    report_neighbour(n, call, p);
    return false;
}

/* Why list head b failed kh_take_fit's check. */
[[gnu::noinline, gnu::cold]] static void report_take_damage(const kh_block *b, const char *call)
{
    const char *why;
    if ((b->chk ^ b->sf ^ (uintptr_t)b ^ (uintptr_t)b->next_free) != kh_g.free_key)
        why = "free block header or its free-list link damaged (check value does not match): "
              "written past the end of the block below, or after kfree?";
    else if (!kh_hdr_in_range((uintptr_t)blk_next(b)))
        why = KH_SIZE_PAST_HEAP;
    else
        why = "the header after a free block is damaged (check value does not match)";
    report_damage(call, blk_payload((kh_block *)b), why);
}

/* A list head that failed its check comes back tagged with bit 0. */
#define KH_TAKE_DAMAGED 1u

/* Take off its list a free block of at least `size` bytes, or NULL; a
 * damaged block found is left alone and returned tagged KH_TAKE_DAMAGED.
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
    kh_block *b = kh_g.head[fl * KH_SL_COUNT + sl];
    kh_block *n = b->next_free, *after = blk_next(b);
    /* a list head encodes a 0 previous link, so its whole header and its
     * next link check at once; the block after it gets its PREV_FREE
     * cleared or a split tail below it, so it must be sound too */
    if ((b->chk ^ b->sf ^ (uintptr_t)b ^ (uintptr_t)n) != kh_g.free_key ||
        !kh_hdr_in_range((uintptr_t)after) || !blk_taken_ok(after))
        return (kh_block *)((uintptr_t)b | KH_TAKE_DAMAGED);
    kh_g.head[fl * KH_SL_COUNT + sl] = n;
    if (n)
        n->chk ^= (uintptr_t)b; /* n becomes the head: its previous link goes from b to 0 */
    else
        kh_list_emptied(fl, sl);
    return b;
}

/* kh_take_fit, growing the heap from the PMM once if nothing fits; if the
 * PMM has nothing either, the caches are emptied into the lists first. */
kh_block *kh_take_fit_or_grow(uint64_t size, const char *call)
{
    kh_block *b = kh_take_fit(size);
    if (!b) {
        if (!kh_grow(size)) {
            if (!kh_cache_drain(call) || !(b = kh_take_fit(size)))
                return NULL;
        } else {
            b = kh_take_fit(size);
            DIAG_ASSERT(b != NULL, "a fresh arena must serve the request that grew it");
        }
    }
    if ((uintptr_t)b & KH_TAKE_DAMAGED) {
        report_take_damage((kh_block *)((uintptr_t)b & ~(uintptr_t)KH_TAKE_DAMAGED), call);
        return NULL;
    }
    return b;
}

/*
 * Turn free block b (already off its list) into a used block of `size`,
 * returning the tail to the free lists when it can stand on its own.
 * The block after b was checked by whoever took b.
 */
kh_block *kh_use(kh_block *b, uint64_t size)
{
    uint64_t have = blk_size(b), keep = b->sf & (KH_FIRST | KH_PREV_FREE);
    if (have - size >= KH_MIN_BLOCK) {
        kh_block *r = blk_at(b, size);
        r->sf = (have - size) | KH_FREE;
        blk_set_footer(r, have - size);
        kh_insert_sized(r, have - size);
        have = size;
    } else {
        blk_flip(blk_next(b), KH_PREV_FREE);
    }
    b->sf = have | keep;
    blk_seal_used(b);
    kh_account_alloc(have);
    return b;
}

/* The block on top of a cache stack failed its seal. */
[[gnu::noinline, gnu::cold]] static void report_cache_damage(const kh_block *b, const char *call)
{
    report_damage(call, blk_payload((kh_block *)b),
                  "cached free block's header or stack link damaged (check value does not match): "
                  "written past the end of the block below, or after kfree?");
}

/* Take b, the top of cache stack i, whose seal (chk, with stack link
 * link) has checked, off the stack, sealed as used. */
static inline void kh_cache_take(kh_block *b, size_t i, uint64_t chk, uint64_t link)
{
    kh_cache[i] = (kh_block *)(uintptr_t)link;
    kh_cache_room[i]++;
    b->chk = chk ^ link ^ KH_CACHE_SALT; /* the cached seal checked, so this is the used one */
    kh_g.live++;
}

/* Pop the top of cache stack i if its seal checks; NULL if the stack is
 * empty, tagged KH_TAKE_DAMAGED (and left alone) if it does not check.
 * The block comes back sealed as used; it stays counted in kh_g.in_use. */
static inline kh_block *kh_cache_pop(size_t i)
{
    kh_block *b = kh_cache[i];
    if (!b)
        return NULL;
    uint64_t chk = b->chk, link = blk_cache_link(b);
    if ((chk ^ b->sf ^ (uintptr_t)b ^ link) != kh_g.cache_key)
        return (kh_block *)((uintptr_t)b | KH_TAKE_DAMAGED);
    kh_cache_take(b, i, chk, link);
    return b;
}

/* Push block b, whose header checked as used, on cache stack i, which has
 * room. Its bytes stay counted in kh_g.in_use. */
static inline void kh_cache_push(kh_block *b, size_t i)
{
    kh_block *link = kh_cache[i];
    kh_cache_room[i]--;
    b->chk ^= (uintptr_t)link ^ KH_CACHE_SALT; /* the used seal checked, so this is the cached one */
    b->next_free = link;
    kh_cache[i] = b;
}

/* kheap_init, once the keys are drawn: the cache key and empty stacks. */
void kh_cache_init(void)
{
    kh_g.cache_key = kh_g.key ^ KH_CACHE_SALT;
    for (unsigned i = 0; i < KH_CACHE_CLASSES; i++) {
        kh_cache[i] = NULL;
        kh_cache_room[i] = i < KH_MIN_BLOCK / 16 ? 0 : kh_cache_depth(16ull * i);
    }
}

size_t kh_cached_bytes(void)
{
    size_t bytes = 0;
    for (unsigned i = KH_MIN_BLOCK / 16; i < KH_CACHE_CLASSES; i++)
        bytes += (size_t)(kh_cache_depth(16ull * i) - kh_cache_room[i]) * 16u * i;
    return bytes;
}

static void kh_free_block(kh_block *b, uint64_t sf);

/* Free every cached block into the lists (coalescing, giving back whole
 * arenas). False if a damaged one was found (reported, left on its stack). */
bool kh_cache_drain(const char *call)
{
    if (!kh_g.ready)
        return true;
    for (unsigned i = KH_MIN_BLOCK / 16; i < KH_CACHE_CLASSES; i++) {
        kh_block *b;
        while ((b = kh_cache_pop(i)) != NULL) {
            if ((uintptr_t)b & KH_TAKE_DAMAGED) {
                report_cache_damage((kh_block *)((uintptr_t)b & ~(uintptr_t)KH_TAKE_DAMAGED), call);
                return false;
            }
            kh_free_block(b, b->sf); /* counts it out of in_use and live */
        }
    }
    return true;
}

[[gnu::noinline, gnu::cold]] static void *kmalloc_cache_damaged(kh_block *b)
{
    report_cache_damage(b, "kmalloc");
    return NULL;
}

/* Below this size every free list holds blocks of one size alone (16-byte
 * steps: the exact lists of level 0 and the 32 lists of 512..1023). */
#define KH_EXACT_LISTS (2 * KH_SMALL)

/* The head of exact list bs (bs < KH_EXACT_LISTS) as a used block, or NULL
 * if the list is empty or the head or the block after it does not check
 * (kh_take_fit then finds and reports the same damage). The block
 * kh_take_fit would take, without its search and split. */
static inline kh_block *kh_take_exact(uint64_t bs)
{
    unsigned idx = kh_list_index(bs);
    kh_block *b = kh_g.head[idx];
    if (!b)
        return NULL;
    kh_block *n = b->next_free, *after = blk_at(b, bs);
    if ((b->chk ^ b->sf ^ (uintptr_t)b ^ (uintptr_t)n) != kh_g.free_key || blk_size(b) != bs || !blk_taken_ok(after))
        return NULL;
    kh_g.head[idx] = n;
    if (n)
        n->chk ^= (uintptr_t)b; /* n becomes the head: its previous link goes from b to 0 */
    else
        kh_list_emptied(idx / KH_SL_COUNT, idx % KH_SL_COUNT);
    blk_flip(after, KH_PREV_FREE);
    b->sf ^= KH_FREE; /* a free block's neighbour below is used: PREV_FREE is clear */
    blk_seal_used(b);
    kh_account_alloc(bs);
    return b;
}

/*
 * kh_use for a size with a cache stack, whose stack is empty (the request
 * missed it): besides the block returned, up to KH_REFILL - 1 more blocks
 * of bs bytes are cut from b's tail onto the stack while it has room and
 * what is left of b stays a possible free block (none, or at least the
 * minimum block). A run of requests of one size then finds the lists
 * once per KH_REFILL blocks. The cut blocks are sealed and pushed as
 * kfree pushes a block, so they count in in_use, not in live.
 */
static kh_block *kh_use_refill(kh_block *b, uint64_t bs)
{
    size_t i = (size_t)(bs >> 4);
    uint64_t have = blk_size(b), room = (uint64_t)kh_cache_room[i], fits = have / bs - 1;
    uint64_t n = room < KH_REFILL - 1 ? room : KH_REFILL - 1;
    n = n < fits ? n : fits;
    uint64_t rest = have - bs * (n + 1);
    if (n != 0 && rest != 0 && rest < KH_MIN_BLOCK)
        n--; /* the rest grows by bs, to a block of its own */
    b = kh_use(b, bs * (n + 1)); /* exactly that: the rest is 0 or a block */
    if (n == 0)
        return b;
    b->sf = bs | (b->sf & KH_FLAGS);
    blk_seal_used(b);
    /* pushed from the top down, so the stack pops them in address order;
     * each sealed as kh_cache_push seals a used block */
    kh_block *link = kh_cache[i]; /* NULL: the request missed this stack */
    for (uint64_t k = n; k >= 1; k--) {
        kh_block *c = blk_at(b, bs * k);
        c->sf = bs;
        c->chk = kh_g.cache_key ^ (uintptr_t)c ^ bs ^ (uintptr_t)link;
        c->next_free = link;
        link = c;
    }
    kh_cache[i] = link;
    kh_cache_room[i] -= (int32_t)n;
    return b;
}

/* kmalloc when the cache has no block for the request. */
[[gnu::noinline]] static void *kmalloc_lists(size_t size)
{
    if (size >= CONFIG_KHEAP_LARGE_THRESHOLD)
        return size > KHEAP_MAX_REQUEST ? NULL : kh_large_alloc(size, KHEAP_ALIGN);
    uint64_t bs = blk_size_for(size);
    kh_block *b;
    if (bs < KH_EXACT_LISTS && (b = kh_take_exact(bs)) != NULL)
        return blk_payload(b);
    b = kh_take_fit_or_grow(bs, "kmalloc");
    if (!b)
        return NULL;
    return blk_payload(bs <= KH_REFILL_MAX ? kh_use_refill(b, bs) : kh_use(b, bs));
}

void *kmalloc(size_t size)
{
    /* the cache stack of blk_size_for(size); size 0 maps to stack 1, which
     * stays empty (the minimum block is 32 bytes) */
    if (size <= KH_CACHE_MAX - KH_HDR) {
        size_t i = (size + KH_HDR + 15) >> 4;
        kh_block *b = kh_cache[i];
        if (b) {
            uint64_t chk = b->chk, link = blk_cache_link(b);
            if ((chk ^ b->sf ^ (uintptr_t)b ^ link) != kh_g.cache_key)
                return kmalloc_cache_damaged(b);
            kh_cache_take(b, i, chk, link);
            return blk_payload(b);
        }
    }
    return kmalloc_lists(size);
}

/* The stack link a cached seal at b would encode: 0 or a header in the
 * heap's range if b is a cached block. Read from the header alone, since
 * the word after a pointer nobody checked may lie on an unmapped page. */
static uintptr_t cached_seal_link(const kh_block *b)
{
    return b->chk ^ b->sf ^ (uintptr_t)b ^ kh_g.cache_key;
}

/* Used block b checked, but its size leads past the heap. */
[[gnu::noinline, gnu::cold]] static void report_size_past_heap(const kh_block *b, const char *call)
{
    report_damage(call, blk_payload((kh_block *)b), KH_SIZE_PAST_HEAP);
}

/* What the header at b is, given that it does not check as a used block. */
[[gnu::noinline, gnu::cold]] static void report_bad_header(const kh_block *b, const char *call)
{
    const void *p = blk_payload((kh_block *)b);
    if (b->chk == blk_dead_value(b))
        report_damage(call, p, "block is already free (double free): it was merged into a free neighbour");
    else if ((b->sf & KH_LARGE) && b->chk == KH_FREED_LARGE)
        report_damage(call, p, "large block is already free (double free)");
    else if ((b->sf & KH_FREE) && !free_hdr_problem(b))
        report_damage(call, p, "block is already free (double free)");
    else if (cached_seal_link(b) == 0 || kh_hdr_in_range(cached_seal_link(b)))
        report_damage(call, p, "block is already free (double free): it waits in the free-block cache");
    else
        report_damage(call, p, "block header check value does not match: header overwritten "
                               "(written past the end of the block below?), or not a heap pointer");
}

/* The header of a live block at p, or NULL after reporting why not. */
[[gnu::always_inline]] static inline kh_block *validate(const void *p, const char *call)
{
    /* One compare for "16-aligned and in [lo, hi - KH_HDR)" for the
     * header (kh_hdr_in_range); kh_g.slots is 0 while no arena. NULL
     * fails it too (its header would be at -16) and is not misuse, so it
     * is told apart only on this cold path. */
    kh_block *b = blk_from_ptr(p);
    if (!kh_hdr_in_range((uintptr_t)b)) {
        if (p)
            diag_report(call, (uintptr_t)p, "pointer was never returned by the kernel heap "
                                                "(outside the heap or misaligned)");
        return NULL;
    }
    if (!blk_used_ok(b)) {
        report_bad_header(b, call);
        return NULL;
    }
    return b;
}

kh_block *kh_validate(const void *p, const char *call)
{
    return validate(p, call);
}

/* Report why the free block below b (b has PREV_FREE) cannot be believed. */
[[gnu::noinline, gnu::cold]] static void report_below(const kh_block *b, const char *call, const void *p)
{
    uint64_t f = blk_footer_below(b);
    const kh_block *q = blk_at(b, -f);
    const char *why;
    if (!kh_hdr_in_range((uintptr_t)q) || f < KH_MIN_BLOCK)
        why = "the footer of the free block below is damaged (impossible size)";
    else if ((q->sf & ~KH_FIRST) != (f | KH_FREE))
        why = "the free block below disagrees with its footer: its header or footer overwritten, "
              "or this block was already freed and merged into it (double free)";
    else
        why = free_hdr_problem(q);
    report_damage(call, p, why ? why : "the free block below is damaged");
}

/* Free used block b (checked, sf its header word, n the block after it)
 * when a neighbour is free or damaged: check both neighbours, coalesce
 * both ways, then list the result (or drop its arena). Nothing changes
 * before every header involved has passed. */
[[gnu::noinline]] static void kh_free_merge(kh_block *b, uint64_t sf, kh_block *n)
{
    const void *ptr = blk_payload(b); /* for reports only */
    uint64_t nsf = n->sf;
    kh_block *np = NULL, *q = NULL, *qp = NULL;
    if (nsf & KH_FREE) {
        np = blk_free_prev(n);
        if (!kh_prev_ok(n, np))
            goto bad_next;
    } else if (!blk_taken_ok(n)) {
        goto bad_next;
    }
    if (sf & KH_PREV_FREE) {
        uint64_t f = blk_footer_below(b);
        q = blk_at(b, -f);
        if (!kh_hdr_in_range((uintptr_t)q) || (q->sf & ~KH_FIRST) != (f | KH_FREE))
            goto bad_below;
        qp = blk_free_prev(q);
        if (!kh_prev_ok(q, qp))
            goto bad_below;
    }
    uint64_t size = sf & ~KH_FLAGS, flags = sf & KH_FIRST;
    kh_g.in_use -= size;
    kh_g.live--;
    kh_block *after = n;
    if (nsf & KH_FREE) {
        kh_remove_after(n, np);
        if (qp == n)
            qp = np; /* n was just before q on the same list */
        blk_bury(n);
        size += nsf & ~KH_FLAGS;
        after = blk_at(n, nsf & ~KH_FLAGS); /* already PREV_FREE */
    } else {
        blk_flip(n, KH_PREV_FREE);
    }
    if (q) {
        kh_remove_after(q, qp);
        size += blk_size(q);
        flags = q->sf & KH_FIRST;
        blk_bury(b);
        b = q;
    }
    b->sf = size | KH_FREE | flags;
    ((uint64_t *)after)[-1] = size; /* the footer */
    if ((flags & KH_FIRST) && blk_size(after) == 0)
        kh_arena_release(b);
    else
        kh_insert_sized(b, size);
    return;
bad_next:
    report_neighbour(n, "kfree", ptr);
    return;
bad_below:
    report_below(b, "kfree", ptr);
}

/* kh_free_merge's most common case on its own (fewer registers): the
 * block below is used, the one above is free. */
[[gnu::noinline]] static void kh_free_merge_right(kh_block *b, uint64_t sf, kh_block *n)
{
    const void *ptr = blk_payload(b); /* for reports only */
    kh_block *np = blk_free_prev(n);
    if (!kh_prev_ok(n, np)) {
        report_neighbour(n, "kfree", ptr);
        return;
    }
    uint64_t nsize = blk_size(n), size = (sf & ~KH_FLAGS) + nsize;
    kh_g.in_use -= sf & ~KH_FLAGS;
    kh_g.live--;
    kh_remove_sized(n, np, nsize);
    blk_bury(n);
    b->sf = size | KH_FREE | (sf & KH_FIRST);
    blk_set_footer(b, size); /* the block after n keeps PREV_FREE */
    if ((sf & KH_FIRST) && blk_size(blk_at(b, size)) == 0)
        kh_arena_release(b);
    else
        kh_insert_sized(b, size);
}

/* The other single case: the block below is free, the one above used
 * (and sound: checked by the caller). */
[[gnu::noinline]] static void kh_free_merge_left(kh_block *b, uint64_t sf, kh_block *n)
{
    const void *ptr = blk_payload(b); /* for reports only */
    uint64_t f = blk_footer_below(b);
    kh_block *q = blk_at(b, -f), *qp;
    if (!kh_hdr_in_range((uintptr_t)q) || (q->sf & ~KH_FIRST) != (f | KH_FREE) ||
        !kh_prev_ok(q, qp = blk_free_prev(q))) {
        report_below(b, "kfree", ptr);
        return;
    }
    uint64_t size = (sf & ~KH_FLAGS) + f, flags = q->sf & KH_FIRST;
    kh_g.in_use -= sf & ~KH_FLAGS;
    kh_g.live--;
    blk_bury(b);
    blk_flip(n, KH_PREV_FREE);
    kh_remove_sized(q, qp, f);
    q->sf = size | KH_FREE | flags;
    blk_set_footer(q, size);
    if (flags && blk_size(n) == 0)
        kh_arena_release(q);
    else
        kh_insert_sized(q, size);
}

void kfree(void *p)
{
    kh_block *b = validate(p, "kfree"); /* kfree(NULL) ends here, silently */
    if (!b)
        return;
    uint64_t sf = b->sf;
    /* a large block's sf is at least a page run over the threshold; the
     * block after a cached one is not read (kheap_internal.h says who
     * reports an overrun into it) */
    if (sf < KH_CACHE_MAX + 16 && kh_cache_room[sf >> 4] > 0) {
        kh_cache_push(b, (size_t)(sf >> 4));
        if (--kh_g.live == 0)
            kh_cache_drain("kfree"); /* an empty heap holds nothing back */
        return;
    }
    kh_free_block(b, sf);
    if (kh_g.live == 0)
        kh_cache_drain("kfree");
}

/* Free used block b (checked; sf its header word) into the lists. */
static void kh_free_block(kh_block *b, uint64_t sf)
{
    kh_block *n = blk_at(b, sf & ~KH_FLAGS); /* read only for a small block, inside the heap */
    uint64_t nsf;
    if (sf & KH_LARGE) {
        kh_large_free(b, "kfree");
        return;
    }
    if (!kh_hdr_in_range((uintptr_t)n)) {
        report_size_past_heap(b, "kfree");
        return;
    }
    if (sf & KH_PREV_FREE) {
        if (!((nsf = n->sf) & KH_FREE) && blk_taken_ok(n))
            kh_free_merge_left(b, sf, n);
        else
            kh_free_merge(b, sf, n); /* both ways, or reports the neighbour */
        return;
    }
    nsf = n->sf;
    if (nsf & KH_FREE) {
        kh_free_merge_right(b, sf, n);
        return;
    }
    if (!blk_taken_ok(n)) {
        kh_free_merge(b, sf, n); /* reports the damaged neighbour */
        return;
    }
    /* no neighbour to merge with: the common case, kept free of the
     * registers the merges need */
    uint64_t size = sf & ~KH_FLAGS;
    kh_g.in_use -= size;
    kh_g.live--;
    blk_flip(n, KH_PREV_FREE);
    b->sf = sf | KH_FREE;
    blk_set_footer(b, size);
    if ((sf & KH_FIRST) && blk_size(n) == 0)
        kh_arena_release(b);
    else
        kh_insert_sized(b, size);
}

void kheap_trim(void)
{
    kh_cache_drain("kheap_trim");
}

/*
 * kheap_arena.c - where the heap's small blocks live: the initial region
 * from kheap_init and the page runs it grows by.
 *
 * An arena is one contiguous range: a kh_arena record, one big free block,
 * and a size-0 sentinel. Grown arenas are page runs of at least
 * CONFIG_KHEAP_GROW_MIN bytes; when one becomes a single free block again
 * it goes back to the PMM, so a burst of allocations does not pin memory
 * and freeing everything returns every statistic to where it was. The
 * kheap_init arena is never given back (it was not the PMM's).
 */
#include "kheap_internal.h"

#include "lib/kstring.h"
#include "lib/diag.h"
#include "nanokernel/pmm.h"

#define ARENA_OVERHEAD (sizeof(kh_arena) + KH_HDR)

/* Widen [lo, hi) to cover a new arena or large run (both 16-aligned). */
void kh_cover(uintptr_t lo, uintptr_t hi)
{
    if (!kh_g.hi || lo < kh_g.lo)
        kh_g.lo = lo;
    if (hi > kh_g.hi)
        kh_g.hi = hi;
    kh_g.slots = (kh_g.hi - kh_g.lo - KH_HDR) >> 4;
}

static kh_block *arena_first(kh_arena *a)
{
    return (kh_block *)((uintptr_t)a + sizeof(kh_arena));
}

bool kh_arena_add(uintptr_t start, uintptr_t end, bool grown)
{
    start = (start + 15) & ~(uintptr_t)15;
    end &= ~(uintptr_t)15;
    if (end <= start || end - start < ARENA_OVERHEAD + KH_MIN_BLOCK)
        return false;
    kh_arena *a = (kh_arena *)start;
    *a = (kh_arena){ .next = kh_g.arenas, .bytes = end - start, .grown = grown,
                     .magic = KH_ARENA_MAGIC ^ start };
    kh_block *b = arena_first(a);
    b->sf = (end - KH_HDR - (uintptr_t)b) | KH_FREE | KH_FIRST;
    blk_set_footer(b);
    kh_block *sentinel = blk_next(b);
    sentinel->sf = KH_PREV_FREE;
    blk_mark_used(sentinel);
    kh_g.arenas = a;
    kh_g.arena_bytes += a->bytes;
    kh_g.narenas++;
    kh_cover(start, end);
    kh_insert(b);
    return true;
}

/* Take a page run from the PMM big enough for a block of `size`. */
bool kh_grow(uint64_t size)
{
    uint64_t want = size + ARENA_OVERHEAD;
    /* a free block must be able to hold `size` after kh_take_fit's rounding up */
    want += size >= KH_SMALL ? (size >> KH_SL_SHIFT) : 0;
    uint64_t least = (want + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
    uint64_t pages = (CONFIG_KHEAP_GROW_MIN + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
    if (pages < least)
        pages = least;
    uintptr_t run = pmm_alloc_pages((size_t)pages, 1);
    if (!run && pages > least) {
        /* nearly out of RAM: settle for what this request needs */
        pages = least;
        run = pmm_alloc_pages((size_t)pages, 1);
    }
    if (!run)
        return false;
    return kh_arena_add(run, run + pages * PMM_PAGE_SIZE, true);
}

/* Free block b spans a whole arena: give the arena back if it was grown. */
void kh_arena_release(kh_block *b)
{
    kh_arena *a = (kh_arena *)((uintptr_t)b - sizeof(kh_arena));
    if (!a->grown) {
        kh_insert(b);
        return;
    }
    kh_arena **pp = &kh_g.arenas;
    while (*pp && *pp != a)
        pp = &(*pp)->next;
    DIAG_ASSERT(*pp == a, "a grown arena missing from the arena list");
    *pp = a->next;
    kh_g.arena_bytes -= a->bytes;
    kh_g.narenas--;
    a->magic = 0;
    pmm_free_pages((uintptr_t)a, (size_t)(a->bytes / PMM_PAGE_SIZE));
}

void kheap_init(uintptr_t start, uintptr_t end)
{
    nk_memset(&kh_g, 0, sizeof kh_g);
    kh_g.ready = true;
    if (end > start)
        kh_arena_add(start, end, false);
}

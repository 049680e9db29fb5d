/*
 * kheap_arena.c - where the heap's small blocks live: the initial region
 * from kheap_init and the page runs it grows by.
 *
 * An arena is one contiguous range: a kh_arena record, one big free block,
 * and a size-0 sentinel. Grown arenas are page runs of at least
 * CONFIG_KHEAP_GROW_MIN bytes (64 KiB by default: small steps keep the
 * pages held close to the bytes in use); when one becomes a single free block again
 * it goes back to the PMM, so a burst of allocations does not pin memory
 * and freeing everything returns every statistic to where it was. The
 * kheap_init arena is never given back (it was not the PMM's). Giving one
 * back costs the same whatever the number of arenas: the arena list is
 * doubly linked and the PMM frees a claim's own run without searching the
 * other claims (pmm_free_claimed).
 */
#include "kheap_internal.h"

#include "lib/kstring.h"
#include "lib/diag.h"
#include "nanokernel/pmm.h"
#include "platform.h"

const char kh_arena_claim[] = "page belongs to an arena of the kernel heap (claimed by it): not freed";
const char kh_large_claim[] = "page belongs to a large block of the kernel heap (claimed by it): not freed";

#define ARENA_OVERHEAD (sizeof(kh_arena) + KH_SENTINEL)

/* Widen [lo, hi) to cover a new arena or large run (both 16-aligned). */
void kh_cover(uintptr_t lo, uintptr_t hi)
{
    if (!kh_g.hi || lo < kh_g.lo)
        kh_g.lo = lo;
    if (hi > kh_g.hi)
        kh_g.hi = hi;
    kh_g.slots = (kh_g.hi - kh_g.lo - KH_HDR) >> 4;
}

kh_block *kh_arena_first(kh_arena *a)
{
    return blk_at(a, sizeof(kh_arena));
}

static kh_arena *arena_of_first(kh_block *b)
{
    return (kh_arena *)((uintptr_t)b - sizeof(kh_arena));
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
    if (a->next)
        a->next->prev = a;
    /* arena pages the PMM manages are claimed: a stray page free of them
     * is refused (kheap_init's region may also be memory of its own) */
    if (grown || pmm_is_managed(start, end - start))
        pmm_claim_pages(&a->claim, start & ~(uintptr_t)(PMM_PAGE_SIZE - 1),
                        (size_t)((end - (start & ~(uintptr_t)(PMM_PAGE_SIZE - 1)) + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE),
                        kh_arena_claim);
    else
        a->claim = (pmm_claim){ 0 };
    kh_block *b = kh_arena_first(a);
    uint64_t size = end - KH_SENTINEL - (uintptr_t)b;
    b->sf = size | KH_FREE | KH_FIRST;
    blk_set_footer(b, size);
    kh_block *sentinel = blk_next(b);
    sentinel->sf = KH_PREV_FREE;
    blk_seal_used(sentinel);
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
    kh_arena *a = arena_of_first(b);
    if (!a->grown) {
        kh_insert(b);
        return;
    }
    kh_arena **from = a->prev ? &a->prev->next : &kh_g.arenas;
    DIAG_ASSERT(*from == a && (!a->next || a->next->prev == a),
                "a grown arena's list neighbours do not point back at it");
    *from = a->next;
    if (a->next)
        a->next->prev = a->prev;
    kh_g.arena_bytes -= a->bytes;
    kh_g.narenas--;
    a->magic = 0;
    size_t pages = (size_t)(a->bytes / PMM_PAGE_SIZE);
    /* a grown arena's claim is exactly its run (kh_arena_add) */
    DIAG_ASSERT(a->claim.base == (uintptr_t)a && a->claim.pages == pages,
                "a grown arena's claim is not its page run");
    pmm_free_claimed(&a->claim);
}

/* A per-start key, so check values cannot be precomputed: the cycle
 * counter stirred with the state's address (splitmix64's finaliser). */
static uint64_t kh_new_key(void)
{
    uint64_t z = plat_cycles() ^ (uintptr_t)&kh_g ^ KH_MAGIC;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void kheap_init(uintptr_t start, uintptr_t end)
{
    pmm_unclaim_owner(kh_arena_claim); /* a restart forgets the old arenas */
    pmm_unclaim_owner(kh_large_claim); /* and the old large blocks */
    nk_memset(&kh_g, 0, sizeof kh_g);
    kh_g.key = kh_new_key() | 1ull << 63; /* never an sf: see blk_dead_value */
    kh_g.free_key = kh_g.key ^ KH_FREE_SALT;
    kh_cache_init();
    kh_g.ready = true;
    if (end > start)
        kh_arena_add(start, end, false);
}

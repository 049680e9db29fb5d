/*
 * kheap_internal.h - block layout, header checks and shared state of the
 * kernel heap.
 *
 * A small block is [header 16 bytes][payload]; block sizes are multiples of
 * 16, at least 32, and include the header. Header words:
 *   sf     size | flags. Bit 0 FREE: the block is on a free list.
 *                        Bit 1 PREV_FREE: the block just below is free, so
 *                              the 8 bytes below this header are its size.
 *                        Bit 2 FIRST: first block of its arena (no left
 *                              neighbour; the arena record sits below it).
 *                        Bit 3 LARGE: a page run from the PMM (see below).
 *   chk    the check value over the whole header, bound to its address:
 *            used block:  key      ^ address ^ sf
 *            free block:  free_key ^ address ^ sf ^ next ^ prev, where
 *                         next and prev are its free-list neighbours (0 at
 *                         the ends; next is also stored in the payload)
 *          key is drawn at kheap_init; free_key = key ^ KH_FREE_SALT (odd,
 *          so a free header never passes as a used one: list links are
 *          16-aligned). Because chk is linear, a flag or link change is
 *          the same xor on chk (blk_flip) and keeps any damage visible.
 * Reading a free block: prev = chk ^ free_key ^ address ^ sf ^ next. If
 * sf, chk or the stored next was damaged, that prev is garbage, and the
 * safe-unlink test (prev->next == b, or b is its list's head when prev is
 * 0) fails; so one test covers the header and both links.
 * A free block keeps its next-on-list pointer in the first payload word and
 * its size in its last 8 bytes (the footer), so the minimum is 32 bytes.
 * A header that coalescing swallowed gets chk = dead value (blk_bury), so
 * a second kfree of it is recognised as a double free.
 * Each arena is [kh_arena record 80 B][blocks...][end sentinel 32 B]; the
 * sentinel is a size-0 header sealed as used, so coalescing stops there,
 * and 16 bytes of padding, so every header in an arena has 16 bytes
 * after it (a damaged sentinel read as a cached block reads its link
 * word inside the arena). The
 * arenas form a doubly linked list, so giving one back unlinks it in O(1).
 *
 * A large block is a page run; an 80-byte kh_large record lies right below
 * the payload, ending with sf (run bytes | LARGE) and chk, laid out like a
 * small header (pinned below) so kfree tells them apart by reading the same
 * two words. The run starts at the page holding the record. A large record
 * is believed only when it also sits on the heap's list of large records
 * (its neighbours point back at it) at one of the two places a record can
 * be: right after its run's first page start, or ending that page.
 * With kheap_guard_large on, the PMM run is two pages longer than the
 * block: one guard page before the page holding the record and one after
 * the block's last page, both covered by the block's PMM claim (so they
 * are never handed out) and unmapped through vm_guard. sf counts the
 * block's pages alone; the claim says whether the guards are there.
 *
 * The free-block cache: a freed block of at most KH_CACHE_MAX bytes may
 * wait, not coalesced, on its size's cache stack (kh_cache, LIFO) until
 * a kmalloc of that size takes it back. To its neighbours it stays a used
 * block (sf unchanged, FREE clear). Its first payload word is the stack
 * link (the block below it on the stack, 0 at the bottom) and its chk is
 * the cached seal over header and link together:
 *            cache_key ^ address ^ sf ^ link   (cache_key = key ^ KH_CACHE_SALT)
 * so one compare checks the header and the link, a kfree of it reads as a
 * double free, and the used seal is chk ^ link ^ KH_CACHE_SALT.
 * A stack holds at most kh_cache_depth(size) blocks (kh_cache_room
 * counts the places left). A cached block's bytes stay in kh_g.in_use (the
 * bytes the lists do not hold) but it does not count in kh_g.live; the
 * statistics subtract kh_cached_bytes(), so a push or pop touches neither
 * in_use nor peak; the caches are emptied into the free lists when
 * the last live block is freed and before the heap reports it is out of
 * memory (and on kheap_trim), so cached blocks never make a request fail.
 * A kfree that caches its block does not read the block after it: an
 * overrun into that header is reported by the next call that reads it
 * (its own kfree, the kmalloc that pops it, a merge that would swallow it,
 * or kheap_check), and nothing follows it before then.
 * No free header passes as a cached one (it would need prev to be
 * KH_FREE_SALT ^ KH_CACHE_SALT, odd, while links are 16-aligned), and a
 * buried one only if its stale first payload word were cache_key ^ sf,
 * which takes knowing the key.
 *
 * Nothing read from a block is followed before it is checked: a header by
 * its chk, a free-list link by the safe-unlink rule (next->prev == b and
 * prev->next == b, or the list head is b), a pointer to a header by the
 * heap's address range (kh_hdr_in_range) before it is read at all.
 *
 * Invariants (kheap_check verifies all of them):
 *   1. no two free blocks are neighbours (freeing coalesces both ways);
 *   2. PREV_FREE of a block equals FREE of the block below it;
 *   3. every free block is on exactly the list its size maps to, and a
 *      list's bitmap bit is set exactly when the list is non-empty;
 *   4. every header's chk matches; 5. the counters in kh_g equal what a
 *      walk finds; 6. every cached block is on the cache stack of its size
 *      (its seal and link check match) and each stack's count agrees with
 *      cache_room.
 */
#ifndef NANOKERNEL_KHEAP_INTERNAL_H
#define NANOKERNEL_KHEAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nanokernel/kheap.h"
#include "nanokernel/pmm.h"

#ifndef CONFIG_KHEAP_LARGE_THRESHOLD
#define CONFIG_KHEAP_LARGE_THRESHOLD 262144ull
#endif
#ifndef CONFIG_KHEAP_GROW_MIN
#define CONFIG_KHEAP_GROW_MIN 65536ull
#endif

#define KH_FREE      1ull
#define KH_PREV_FREE 2ull
#define KH_FIRST     4ull
#define KH_LARGE     8ull
#define KH_FLAGS     15ull

#define KH_HDR       16u
#define KH_MIN_BLOCK 32u
#define KH_SENTINEL  32u /* end sentinel header and padding */
#define KH_MAGIC       0x6B6865617021ED5Aull
#define KH_FREE_SALT   0x9E3779B97F4A7C15ull
#define KH_ARENA_MAGIC 0x6172656E61ull
#define KH_FREED_LARGE 0xF4EEDF4EEDF4EEDull
#define KH_CACHE_SALT  2ull

/* Cached block sizes: 32 .. KH_CACHE_MAX bytes, one stack per 16 bytes. */
#define KH_CACHE_MAX     4096u
#define KH_CACHE_CLASSES (KH_CACHE_MAX / 16u + 1u)
/* Bytes one stack may hold (at least KH_CACHE_MIN_DEPTH blocks, at most
 * KH_CACHE_MAX_DEPTH). */
#define KH_CACHE_STACK_BYTES 4096u
#define KH_CACHE_MIN_DEPTH   2u
#define KH_CACHE_MAX_DEPTH   64u
/* Blocks a kmalloc of at most KH_REFILL_MAX bytes that finds its stack
 * empty takes from one free block at once: one for the caller, the rest
 * onto the stack (kh_use_refill). Five keeps the largest such call under
 * 300 instructions; larger blocks are cut one at a time, so the stacks do
 * not hold bytes back that other sizes could use. */
#ifndef KH_REFILL
#define KH_REFILL 5u
#endif
#ifndef KH_REFILL_MAX
#define KH_REFILL_MAX 256u
#endif

/* The report for a header whose check value matches but whose size leads
 * past the heap: bytes of its size and of its check value were changed
 * alike (the check is an exclusive or, so a change repeated in both words
 * keeps it matching), and the block after it is never read. */
#define KH_SIZE_PAST_HEAP \
    "block's size leads past the heap: its header is damaged (size and check value changed alike)"

/* Size classes: 32 second-level lists per power of two; below 512 bytes
 * the lists are exact (16-byte steps). */
#define KH_SL_SHIFT 5u
#define KH_SL_COUNT (1u << KH_SL_SHIFT)
#define KH_FL_SHIFT (KH_SL_SHIFT + 4u)
#define KH_SMALL    (1ull << KH_FL_SHIFT)
#define KH_FL_COUNT (64u - KH_FL_SHIFT + 1u)

typedef struct kh_block {
    uint64_t sf;
    uint64_t chk;
    struct kh_block *next_free; /* first payload word, free blocks only */
} kh_block;

typedef struct kh_arena {
    struct kh_arena *next, *prev;
    uint64_t bytes;      /* the whole arena, record and sentinel included */
    uint64_t grown;      /* 1 if the pages came from the PMM */
    uint64_t magic;
    pmm_claim claim;     /* grown arenas: the PMM refuses frees of these pages */
} kh_arena;

typedef struct kh_large {
    pmm_claim claim;     /* the PMM refuses frees of the run's pages */
    uint64_t pad;        /* keeps the record a multiple of 16 bytes */
    struct kh_large *next, *prev;
    uint64_t sf;
    uint64_t chk;
} kh_large;

/* The header layout small and large blocks share: kfree reads sf and chk
 * at the same offsets below any payload. */
_Static_assert(offsetof(kh_block, sf) == 0 && offsetof(kh_block, chk) == 8, "small header words");
_Static_assert(offsetof(kh_block, next_free) == KH_HDR, "the free link is the first payload word");
_Static_assert(sizeof(kh_large) - offsetof(kh_large, sf) == KH_HDR, "a large record ends like a header");
_Static_assert(offsetof(kh_large, chk) - offsetof(kh_large, sf) == offsetof(kh_block, chk),
               "large sf/chk at the small header's offsets");
_Static_assert(sizeof(kh_arena) % 16 == 0 && sizeof(kh_large) % 16 == 0, "records keep payloads 16-aligned");
_Static_assert(KH_MIN_BLOCK >= KH_HDR + sizeof(kh_block *) + sizeof(uint64_t), "a free block holds link and footer");

typedef struct kh_state {
    uint64_t key, free_key, cache_key; /* check-value keys (see chk above) */
    uintptr_t lo, hi;    /* every pointer the heap returned lies in here */
    uintptr_t slots;     /* (hi - lo - KH_HDR) / 16 once covered, else 0 */
    uint64_t fl_map;
    uint32_t sl_map[KH_FL_COUNT];
    kh_block *head[KH_FL_COUNT * KH_SL_COUNT]; /* list (fl, sl) is head[fl * KH_SL_COUNT + sl] */
    kh_arena *arenas;
    kh_large *large;
    size_t in_use, peak, arena_bytes, large_bytes, live, narenas;
    bool ready;
    bool guard_large;    /* new large runs get a guard page on each side (kheap_guard_large) */
} kh_state;

extern kh_state kh_g;

/* The free-block cache's stacks, apart from kh_g so the fast paths address
 * them directly: stack i holds cached blocks of 16 * i bytes and has room
 * for kh_cache_room[i] more (kh_cache_init sets both). */
extern kh_block *kh_cache[KH_CACHE_CLASSES];
extern int32_t kh_cache_room[KH_CACHE_CLASSES];

/* ---- addresses ------------------------------------------------------------ */

static inline kh_block *blk_at(const void *b, uint64_t off)
{
    return (kh_block *)((uintptr_t)b + off);
}

static inline uint64_t blk_size(const kh_block *b)
{
    return b->sf & ~KH_FLAGS;
}

static inline kh_block *blk_next(const kh_block *b)
{
    return blk_at(b, blk_size(b));
}

/* The footer below b: the size of the free block below (when PREV_FREE). */
static inline uint64_t blk_footer_below(const kh_block *b)
{
    return ((const uint64_t *)b)[-1];
}

/* Write the footer of a block of `size` at b (its last 8 bytes). */
static inline void blk_set_footer(kh_block *b, uint64_t size)
{
    ((uint64_t *)blk_at(b, size))[-1] = size;
}

static inline kh_block *blk_from_ptr(const void *p)
{
    return (kh_block *)((uintptr_t)p - KH_HDR);
}

static inline void *blk_payload(kh_block *b)
{
    return (void *)((uintptr_t)b + KH_HDR);
}

/* True if a header at x would lie inside the heap's range and be 16-aligned:
 * the one test before reading any header reached through a stored value.
 * The rotate moves low bits to the top, and an x below lo wraps high. */
static inline bool kh_hdr_in_range(uintptr_t x)
{
    uintptr_t off = x - kh_g.lo;
    return ((off >> 4) | (off << 60)) < kh_g.slots;
}

/* ---- check values ------------------------------------------------------- */

static inline void blk_seal_used(kh_block *b)
{
    b->chk = kh_g.key ^ (uintptr_t)b ^ b->sf;
}

static inline bool blk_used_ok(const kh_block *b)
{
    return (b->chk ^ b->sf ^ (uintptr_t)b) == kh_g.key;
}

/* The cache-stack link of cached block b: its first payload word. */
static inline uint64_t blk_cache_link(const kh_block *b)
{
    return (uintptr_t)b->next_free;
}

/* A header sealed as a cached block, with its stack link (see the
 * free-block cache above). */
static inline bool blk_cached_ok(const kh_block *b)
{
    return (b->chk ^ b->sf ^ (uintptr_t)b ^ blk_cache_link(b)) == kh_g.cache_key;
}

/* A block that is not free: used, or waiting in the cache. The test for a
 * neighbour whose flags change or that bounds a merge. */
static inline bool blk_taken_ok(const kh_block *b)
{
    return blk_used_ok(b) || blk_cached_ok(b);
}

/* How many blocks of `size` bytes one cache stack may hold. */
static inline uint32_t kh_cache_depth(uint64_t size)
{
    uint64_t d = KH_CACHE_STACK_BYTES / size;
    return d < KH_CACHE_MIN_DEPTH ? KH_CACHE_MIN_DEPTH : d > KH_CACHE_MAX_DEPTH ? KH_CACHE_MAX_DEPTH : (uint32_t)d;
}

/* The previous-on-list link a free header encodes (garbage if damaged). */
static inline kh_block *blk_free_prev(const kh_block *b)
{
    return (kh_block *)(uintptr_t)(b->chk ^ b->sf ^ (uintptr_t)b ^ (uintptr_t)b->next_free ^ kh_g.free_key);
}

/* Change flags f on both words: chk stays valid exactly when it was. */
static inline void blk_flip(kh_block *b, uint64_t f)
{
    b->sf ^= f;
    b->chk ^= f;
}

/* A header coalescing swallowed: marked so a second kfree says so. */
static inline uint64_t blk_dead_value(const kh_block *b)
{
    /* checks as no used header (sf == key is impossible: key has bit 63
     * set, sizes never do) and decodes to a garbage free-list link */
    return (uintptr_t)b;
}

static inline void blk_bury(kh_block *b)
{
    b->chk = blk_dead_value(b);
}

/* ---- size classes ---------------------------------------------------------- */

/* The list a free block of `size` belongs on. */
static inline void kh_mapping(uint64_t size, unsigned *fl, unsigned *sl)
{
    if (size < KH_SMALL) {
        *fl = 0;
        *sl = (unsigned)(size >> 4);
        return;
    }
    unsigned top = 63u - (unsigned)__builtin_clzll(size);
    *fl = top - KH_FL_SHIFT + 1;
    *sl = (unsigned)(size >> (top - KH_SL_SHIFT)) ^ KH_SL_COUNT;
}

/* The index in kh_g.head of the list for `size`: fl * KH_SL_COUNT + sl of
 * kh_mapping, computed without splitting it (the free path needs only the
 * index unless the list was empty). */
static inline unsigned kh_list_index(uint64_t size)
{
    if (size < KH_SMALL)
        return (unsigned)(size >> 4);
    unsigned top = 63u ^ (unsigned)__builtin_clzll(size); /* 63 - clz: one bit scan */
    return (unsigned)(size >> (top - KH_SL_SHIFT)) + top * KH_SL_COUNT - KH_FL_SHIFT * KH_SL_COUNT;
}

/* Block size that serves a request of n bytes (n <= KHEAP_MAX_REQUEST). */
static inline uint64_t blk_size_for(size_t n)
{
    uint64_t s = ((uint64_t)n + KH_HDR + 15) & ~15ull;
    return s < KH_MIN_BLOCK ? KH_MIN_BLOCK : s;
}

static inline void kh_account_alloc(uint64_t bytes)
{
    kh_g.in_use += bytes;
    kh_g.live++;
    if (kh_g.in_use > kh_g.peak)
        kh_g.peak = kh_g.in_use;
}

/* ---- free lists ------------------------------------------------------------- */

/* List free block b (sf already final) at the head of its list. `size` is
 * the size the caller holds, so the hot free path does not reload it. */
static inline void kh_insert_sized(kh_block *b, uint64_t size)
{
    unsigned idx = kh_list_index(size);
    kh_block **hp = &kh_g.head[idx];
    kh_block *h = *hp;
    b->next_free = h;
    b->chk = kh_g.free_key ^ (uintptr_t)b ^ b->sf ^ (uintptr_t)h;
    *hp = b;
    if (h) {
        h->chk ^= (uintptr_t)b; /* h's previous link goes from 0 to b */
        return;
    }
    kh_g.sl_map[idx / KH_SL_COUNT] |= 1u << (idx % KH_SL_COUNT);
    kh_g.fl_map |= 1ull << (idx / KH_SL_COUNT);
}

static inline void kh_insert(kh_block *b)
{
    kh_insert_sized(b, blk_size(b));
}

/* List (fl, sl) has just become empty: clear its bits. */
static inline void kh_list_emptied(unsigned fl, unsigned sl)
{
    kh_g.sl_map[fl] &= ~(1u << sl);
    if (!kh_g.sl_map[fl])
        kh_g.fl_map &= ~(1ull << fl);
}

/*
 * The safe-unlink rule for free header b whose FREE flag is set, p being
 * the previous link it encodes (blk_free_prev): p points back at it (or,
 * for 0, the head of the list its size maps to is b). Because the encoding covers sf, chk and the
 * stored next link, this also checks the whole header and the next link.
 * The only header read is the previous one, and only once it is known to
 * be in range.
 */
static inline bool kh_prev_ok(const kh_block *b, const kh_block *p)
{
    if (p)
        return kh_hdr_in_range((uintptr_t)p) && p->next_free == b;
    return kh_g.head[kh_list_index(blk_size(b))] == b;
}

static inline bool kh_links_ok(const kh_block *b)
{
    return kh_prev_ok(b, blk_free_prev(b));
}

/* Take free block b of `size`, whose previous link is p, off its list
 * (kh_prev_ok has held). Both list neighbours' check values follow. */
static inline void kh_remove_sized(kh_block *b, kh_block *p, uint64_t size)
{
    kh_block *n = b->next_free;
    if (n)
        n->chk ^= (uintptr_t)b ^ (uintptr_t)p;
    if (p) {
        p->next_free = n;
        p->chk ^= (uintptr_t)b ^ (uintptr_t)n;
        return;
    }
    unsigned idx = kh_list_index(size);
    kh_g.head[idx] = n;
    if (!n)
        kh_list_emptied(idx / KH_SL_COUNT, idx % KH_SL_COUNT);
}

static inline void kh_remove_after(kh_block *b, kh_block *p)
{
    kh_remove_sized(b, p, blk_size(b));
}

/* Take free block b off its list; kh_links_ok(b) has held. */
static inline void kh_remove(kh_block *b)
{
    kh_remove_after(b, blk_free_prev(b));
}

/* kheap.c */
void kh_cache_init(void);
size_t kh_cached_bytes(void);
bool kh_cache_drain(const char *call);
kh_block *kh_take_fit_or_grow(uint64_t size, const char *call);
kh_block *kh_use(kh_block *b, uint64_t size);
kh_block *kh_validate(const void *p, const char *call);
bool kh_neighbour_ok(const kh_block *n, const char *call, const void *p);

/* Free bytes need no counter: arenas minus their used and cached blocks
 * and fixed overhead (record + sentinel): the bytes on the free lists. */
static inline size_t kh_free_bytes(void)
{
    return kh_g.arena_bytes - (kh_g.in_use - kh_g.large_bytes) -
           kh_g.narenas * (sizeof(kh_arena) + KH_SENTINEL);
}

/* kheap_arena.c */
bool kh_arena_add(uintptr_t start, uintptr_t end, bool grown);
bool kh_grow(uint64_t size);
void kh_arena_release(kh_block *b);
void kh_cover(uintptr_t lo, uintptr_t hi);
kh_block *kh_arena_first(kh_arena *a);

/* The reports a PMM free of a claimed heap page gives (one per owner, so
 * a restart can drop the claims: pmm_unclaim_owner). */
extern const char kh_arena_claim[], kh_large_claim[];

/* kheap_large.c */
void *kh_large_alloc(size_t n, size_t align);
void kh_large_free(kh_block *hdr, const char *call);
bool kh_large_ok(const kh_block *hdr);
size_t kh_large_usable(const kh_block *hdr);

#endif

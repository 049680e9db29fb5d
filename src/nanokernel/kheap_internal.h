/*
 * kheap_internal.h - block layout and shared state of the kernel heap.
 *
 * A small block is [header 16 bytes][payload]; block sizes are multiples of
 * 16, at least 32, and include the header. Header words:
 *   sf     size | flags. Bit 0 FREE: the block is on a free list.
 *                        Bit 1 PREV_FREE: the block just below is free, so
 *                              the 8 bytes below this header are its size.
 *                        Bit 2 FIRST: first block of its arena (no left
 *                              neighbour; the arena record sits below it).
 *                        Bit 3 LARGE: a page run from the PMM (see below).
 *   check  used block: KH_MAGIC ^ header address ^ size; free block: the
 *          previous block on its free list.
 * A free block keeps its next-on-list pointer in the first payload word and
 * its size in its last 8 bytes (the footer), so the minimum is 32 bytes.
 * Each arena is [kh_arena record 32 B][blocks...][end sentinel 16 B]; the
 * sentinel has size 0 and is never free, so coalescing stops there.
 *
 * A large block is a page run; a 32-byte kh_large record lies right below
 * the payload, ending with sf (run bytes | LARGE) and check, laid out like a
 * small header so kfree tells them apart by reading the same two words. The
 * run starts at the page holding the record.
 *
 * Invariants (kheap_check verifies all of them):
 *   1. no two free blocks are neighbours (freeing coalesces both ways);
 *   2. PREV_FREE of a block equals FREE of the block below it;
 *   3. every free block is on exactly the list its size maps to, and a
 *      list's bitmap bit is set exactly when the list is non-empty;
 *   4. the counters in kh_g equal what a walk finds.
 */
#ifndef NANOKERNEL_KHEAP_INTERNAL_H
#define NANOKERNEL_KHEAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nanokernel/kheap.h"

#ifndef CONFIG_KHEAP_LARGE_THRESHOLD
#define CONFIG_KHEAP_LARGE_THRESHOLD 262144ull
#endif
#ifndef CONFIG_KHEAP_GROW_MIN
#define CONFIG_KHEAP_GROW_MIN 1048576ull
#endif

#define KH_FREE      1ull
#define KH_PREV_FREE 2ull
#define KH_FIRST     4ull
#define KH_LARGE     8ull
#define KH_FLAGS     15ull

#define KH_HDR       16u
#define KH_MIN_BLOCK 32u
#define KH_MAGIC       0x6B6865617021ED5Aull
#define KH_ARENA_MAGIC 0x6172656E61ull
#define KH_FREED_LARGE 0xF4EEDF4EEDF4EEDull

/* Size classes: 32 second-level lists per power of two; below 512 bytes
 * the lists are exact (16-byte steps). */
#define KH_SL_SHIFT 5u
#define KH_SL_COUNT (1u << KH_SL_SHIFT)
#define KH_FL_SHIFT (KH_SL_SHIFT + 4u)
#define KH_SMALL    (1ull << KH_FL_SHIFT)
#define KH_FL_COUNT (64u - KH_FL_SHIFT + 1u)

typedef struct kh_block {
    uint64_t sf;
    struct kh_block *prev_free; /* or the check word when used */
    struct kh_block *next_free; /* first payload word, free blocks only */
} kh_block;

typedef struct kh_arena {
    struct kh_arena *next;
    uint64_t bytes;      /* the whole arena, record and sentinel included */
    uint64_t grown;      /* 1 if the pages came from the PMM */
    uint64_t magic;
} kh_arena;

typedef struct kh_large {
    struct kh_large *next, *prev;
    uint64_t sf;
    uint64_t check;
} kh_large;

typedef struct kh_state {
    uint64_t fl_map;
    uint32_t sl_map[KH_FL_COUNT];
    kh_block *head[KH_FL_COUNT][KH_SL_COUNT];
    kh_arena *arenas;
    kh_large *large;
    uintptr_t lo, hi;    /* every pointer the heap returned lies in here */
    uintptr_t slots;     /* (hi - lo - KH_HDR) / 16 once covered, else 0 */
    size_t in_use, peak, arena_bytes, large_bytes, live, narenas;
    bool ready;
} kh_state;

extern kh_state kh_g;

static inline uint64_t blk_size(const kh_block *b)
{
    return b->sf & ~KH_FLAGS;
}

static inline kh_block *blk_next(const kh_block *b)
{
    return (kh_block *)((uintptr_t)b + blk_size(b));
}

static inline kh_block *blk_prev(const kh_block *b)
{
    return (kh_block *)((uintptr_t)b - ((const uint64_t *)b)[-1]);
}

static inline void blk_set_footer(kh_block *b)
{
    ((uint64_t *)blk_next(b))[-1] = blk_size(b);
}

static inline uint64_t blk_magic(const kh_block *b, uint64_t size)
{
    return KH_MAGIC ^ (uintptr_t)b ^ size;
}

static inline void blk_mark_used(kh_block *b)
{
    b->prev_free = (kh_block *)(uintptr_t)blk_magic(b, blk_size(b));
}

static inline bool blk_magic_ok(const kh_block *b)
{
    return (uint64_t)(uintptr_t)b->prev_free == blk_magic(b, blk_size(b));
}

static inline kh_block *blk_from_ptr(const void *p)
{
    return (kh_block *)((uintptr_t)p - KH_HDR);
}

static inline void *blk_payload(kh_block *b)
{
    return (void *)((uintptr_t)b + KH_HDR);
}

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

/* Free-list membership (bitmaps kept in step). kh_insert_sized takes the
 * block size the caller already holds, so the hot free path does not
 * reload the header it has just written. */
static inline void kh_insert_sized(kh_block *b, uint64_t size)
{
    unsigned fl, sl;
    kh_mapping(size, &fl, &sl);
    kh_block **hp = &kh_g.head[fl][sl];
    kh_block *h = *hp;
    b->next_free = h;
    b->prev_free = NULL;
    *hp = b;
    if (h) {
        h->prev_free = b; /* the list was non-empty: its bits are set */
        return;
    }
    kh_g.sl_map[fl] |= 1u << sl;
    kh_g.fl_map |= 1ull << fl;
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

static inline void kh_remove(kh_block *b)
{
    kh_block *n = b->next_free, *p = b->prev_free;
    if (n)
        n->prev_free = p;
    if (p) {
        p->next_free = n;
        return;
    }
    unsigned fl, sl;
    kh_mapping(blk_size(b), &fl, &sl);
    kh_g.head[fl][sl] = n;
    if (!n)
        kh_list_emptied(fl, sl);
}

/* kheap.c */
kh_block *kh_take_fit_or_grow(uint64_t size);
kh_block *kh_use(kh_block *b, uint64_t size);
kh_block *kh_validate(const void *p, const char *call);

/* Free bytes need no counter: arenas minus their used blocks and fixed
 * overhead (record + sentinel). */
static inline size_t kh_free_bytes(void)
{
    return kh_g.arena_bytes - (kh_g.in_use - kh_g.large_bytes) -
           kh_g.narenas * (sizeof(kh_arena) + KH_HDR);
}

/* kheap_arena.c */
bool kh_arena_add(uintptr_t start, uintptr_t end, bool grown);
bool kh_grow(uint64_t size);
void kh_arena_release(kh_block *b);
void kh_cover(uintptr_t lo, uintptr_t hi);

/* kheap_large.c */
void *kh_large_alloc(size_t n, size_t align);
void kh_large_free(kh_block *hdr);
size_t kh_large_usable(const kh_block *hdr);

#endif

/*
 * mm_internal.h - block layout and the private interface between the
 * Memory Manager's source files.
 *
 * Every block starts with a 16-byte header and is a multiple of 16 bytes:
 *
 *   tag  (u64)  bits 63..48: seal: a check value over bits 47..0 and the
 *                           block's address (block_seal)
 *               bits 47..4: physical size in bytes (header included)
 *               bits 1..0 : type  0 free, 1 nonrelocatable, 2 relocatable, 3 trailer
 *               bit  2    : the block just below is free (its size is in its footer)
 *               bit  3    : nonrelocatable: holds master pointers;
 *                           relocatable: moved by the current scramble pass
 *   info (u64)  free block : next block on its free list (pointer)
 *               otherwise  : bits 7..0  size correction (physical - 16 - logical)
 *                            bits 15..8 HGetState bits (lock 0x80, purge 0x40, resource 0x20)
 *                            bits 63..16 link: relocatable -> (master pointer - zone) / 8,
 *                                              nonrelocatable -> (block - zone) / 16
 *
 * A free block also keeps the previous free-list entry in its first body
 * word and its physical size in its last word (the footer), so a block
 * being freed finds its free neighbour below in O(1). A free block of at
 * least MM_TREE_MIN bytes also holds its address-index node (left, right,
 * subtree max, priority: mm_addrtree.c) in the body words after the back
 * link, or, while it waits on the index's pending ring, the ring's links
 * in left and right and 0 in max and priority. The smallest block, MM_MIN_BLOCK = 32 bytes (header, 16 bytes of
 * data), has room only for the two list links and the footer when free:
 * free blocks of 32 and 48 bytes are "small", kept on their exact-size
 * class lists only and counted in mm_zone_priv.nSmall.
 *
 * Invariants (checked by mm_check_zone):
 *  1. blocks tile [heapData, bkLim) exactly; the trailer sits at bkLim;
 *  2. no two free blocks are adjacent; every free block is on the list of
 *     its size class, every one of at least MM_TREE_MIN bytes is in the
 *     address index (its treap or its pending ring), nSmall counts the
 *     others, and zcbFree is the sum of free physical sizes;
 *  3. a relocatable block's link names a master pointer whose value is the
 *     block's data address; a nonrelocatable block's link leads back to its zone;
 *  4. a free master pointer holds (next free | 1), so it is never a valid
 *     block address and a disposed handle is recognised;
 *  5. every block's tag is sealed (block_sealed): a tag written over from
 *     outside, or a header carried to another address inside a block that
 *     moved, fails its seal at the next check that reads it. The setters
 *     change the seal by the difference they make, so a broken seal stays
 *     broken; only a new header (block_set_tag) or one the caller checked
 *     and then moved (block_reseal) gets a fresh one.
 */
#ifndef MEMORYMGR_MM_INTERNAL_H
#define MEMORYMGR_MM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "MemoryMgr/MemoryManager.h"
#include "lib/diag.h"

#define MM_ZONE_MAGIC 0x5A6F6E6548656170ull   /* "ZoneHeap" */

/* Free-block size classes: up to MM_FL_COUNT powers of two from 32 bytes (MM_MIN_BLOCK),
 * each split into MM_SL_COUNT linear steps (two-level segregated fit). A
 * zone keeps only the first-level classes its largest possible block needs
 * (mm_zone_priv.flCount), so its private state grows with its size. */
enum { MM_FL_SHIFT = 5, MM_FL_COUNT = 41, MM_SL_LOG2 = 3, MM_SL_COUNT = 1 << MM_SL_LOG2 };

struct mm_block;

/*
 * The allocator's private state of a zone, right after the public Zone
 * header (Zone.allocPtr points at it); the zone's first block follows its
 * bins. Invariants: magic and self are set while the zone is live;
 * 1 <= flCount <= MM_FL_COUNT.
 */
typedef struct mm_zone_priv {
    uint64_t         magic;      /* MM_ZONE_MAGIC while the zone is live */
    THz              self;       /* == the zone; guards against stale copies */
    Ptr              limit;      /* bkLim may grow up to here (Application zone) */
    Size             nFree;      /* free blocks */
    Size             nSmall;     /* free blocks under MM_TREE_MIN bytes (not in the address index) */
    Size             nPurge;     /* unlocked purgeable relocatable blocks: purging a zone with none is skipped */
    unsigned         busy;       /* inside the grow-zone proc: no nested call */
    unsigned         flCount;    /* first-level size classes in use */
    char             name[8];    /* for diagnostics: "S", "A", "T" or "Z" */
    uint64_t         flBitmap;
    struct mm_block *addrRoot;   /* free blocks by address (mm_addrtree.c) */
    struct mm_block *pendHead;   /* newest free block waiting for the address index (a ring: mm_addrtree.c) */
    Ptr              masters;    /* newest master-pointer block's data (mm_masters.c) */
    struct mm_block *floor;      /* every block below is immovable; NULL: zone start (mm_place.c) */
    struct mm_block *reserve;    /* free block ReserveMem made for the next NewHandle, or NULL */
    uint64_t         bigPhys;    /* physical size from which a block is large (mm_remap.c); UINT64_MAX: none */
    bool             remaps;     /* the platform can remap the zone's pages (plat_remappable) */
    uint32_t         nPend;      /* blocks on the pending ring (at most MM_PEND_MAX) */
    THz              regNext;    /* zone registry links (mm_registry.c) */
    THz              regPrev;
    uint8_t          slBitmap[MM_FL_COUNT];
    uint8_t          smShift;    /* space map (mm_spacemap.c): a chunk is 1 << smShift bytes; 0: no map */
    uint32_t         smCount;    /* its chunks once MaxBlock or PurgeSpace first asked; 0 before */
    struct mm_block *bins[][MM_SL_COUNT];   /* flCount rows */
} mm_zone_priv;

_Static_assert(MM_SL_COUNT <= 8, "a second-level bitmap is one byte");

/* Bytes of the public Zone header, rounded to the block alignment. */
#define MM_ZONE_PUB ((sizeof(Zone) + 15) & ~(size_t)15)
static inline mm_zone_priv *zone_priv(THz z) { return (mm_zone_priv *)((char *)z + MM_ZONE_PUB); }

enum {
    MM_ZONE_MIN_BYTES = 1024,   /* the smallest zone InitZone builds */
    MM_ALIGN      = 16,
    MM_HDR        = 16,
    MM_MIN_BLOCK  = 32,   /* header + 16 bytes: free, room for two list links and the footer */
    MM_TREE_MIN   = 64,   /* the smallest free block with room for an address-index node (mm_addrtree.c) */
    MM_TRAILER    = 16,
    MM_T_FREE = 0, MM_T_NONREL = 1, MM_T_REL = 2, MM_T_TRAILER = 3,
    MM_TAG_TYPE     = 3,
    MM_TAG_PREVFREE = 4,
    MM_TAG_MARK     = 8,     /* master block (nonrel) / scrambled (rel) */
    MM_TAG_LOW      = 15,
    MM_STATE_MASK   = kHandleLockedMask | kHandlePurgeableMask | kHandleIsResourceMask,
    MM_DEFAULT_MASTERS = 32,
};

/* The most indexed-size free blocks that wait outside the address index
 * (mm_addrtree.c's pending list); pushing one more indexes the oldest. */
#ifndef MM_PEND_MAX
#define MM_PEND_MAX 32
#endif

/* Largest logical size a single request may ask for: keeps all size
 * arithmetic far from overflow (2^56 bytes). */
#define MM_MAX_LOGICAL maxSize

typedef struct mm_block {
    uint64_t tag;
    uint64_t info;
} mm_block;

_Static_assert(sizeof(mm_block) == MM_HDR, "block header is 16 bytes");

/* A 64-bit mix (multiply, xor-shift, twice): the address index's
 * priorities and compaction's link ledger hash with it. */
static inline uint64_t mm_mix64(uint64_t x)
{
    x *= 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 29);
}

/* ---- block header helpers ---- */
#define MM_TAG_SEAL (0xFFFFull << 48)
#define MM_TAG_SIZE (~MM_TAG_SEAL & ~(uint64_t)MM_TAG_LOW)

/* The seal of a tag whose other bits are body, for a header at b. */
static inline uint64_t block_seal(const mm_block *b, uint64_t body)
{
    uint64_t x = (body ^ (((uint64_t)(uintptr_t)b >> 4) * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
    return x & MM_TAG_SEAL;
}
static inline bool block_sealed(const mm_block *b) { return (b->tag & MM_TAG_SEAL) == block_seal(b, b->tag & ~MM_TAG_SEAL); }
/* Replace the tag's body, moving the seal by the change (a broken one stays broken). */
static inline void block_retag(mm_block *b, uint64_t body)
{
    uint64_t t = b->tag, old = t & ~MM_TAG_SEAL;
    b->tag = body | ((t ^ block_seal(b, old) ^ block_seal(b, body)) & MM_TAG_SEAL);
}
/* A fresh seal for a header its caller checked and then moved to b. */
static inline void block_reseal(mm_block *b)
{
    uint64_t body = b->tag & ~MM_TAG_SEAL;
    b->tag = body | block_seal(b, body);
}

static inline uint64_t block_size(const mm_block *b) { return b->tag & MM_TAG_SIZE; }
static inline unsigned block_type(const mm_block *b) { return (unsigned)(b->tag & MM_TAG_TYPE); }
static inline bool block_is_free(const mm_block *b) { return block_type(b) == MM_T_FREE; }
static inline bool block_prev_free(const mm_block *b) { return (b->tag & MM_TAG_PREVFREE) != 0; }
static inline bool block_marked(const mm_block *b) { return (b->tag & MM_TAG_MARK) != 0; }
static inline char *block_data(mm_block *b) { return (char *)b + MM_HDR; }
static inline mm_block *block_from_data(const void *p) { return (mm_block *)((char *)p - MM_HDR); }
static inline mm_block *block_next(mm_block *b) { return (mm_block *)((char *)b + block_size(b)); }
static inline uint64_t *block_footer(mm_block *b) { return (uint64_t *)((char *)b + block_size(b) - 8); }
static inline mm_block *block_prev(mm_block *b) { return (mm_block *)((char *)b - *(uint64_t *)((char *)b - 8)); }

/* Whether a relocatable block in state st can be purged (purgeable, unlocked). */
static inline bool mm_state_purgeable(unsigned st)
{
    return (st & (kHandlePurgeableMask | kHandleLockedMask)) == kHandlePurgeableMask;
}

/* A new header at b (whatever lay there before), freshly sealed. */
static inline void block_set_tag(mm_block *b, uint64_t size, unsigned type, uint64_t extra)
{
    uint64_t body = size | type | extra;
    b->tag = body | block_seal(b, body);
}
static inline void block_set_size(mm_block *b, uint64_t size)
{
    block_retag(b, (b->tag & MM_TAG_LOW) | size);
}
static inline void block_set_type(mm_block *b, unsigned type)
{
    block_retag(b, (b->tag & ~MM_TAG_SEAL & ~(uint64_t)MM_TAG_TYPE) | type);
}
static inline void block_set_prev_free(mm_block *b, bool on)
{
    uint64_t body = b->tag & ~MM_TAG_SEAL;
    block_retag(b, on ? (body | MM_TAG_PREVFREE) : (body & ~(uint64_t)MM_TAG_PREVFREE));
}
static inline void block_set_mark(mm_block *b, bool on)
{
    uint64_t body = b->tag & ~MM_TAG_SEAL;
    block_retag(b, on ? (body | MM_TAG_MARK) : (body & ~(uint64_t)MM_TAG_MARK));
}
static inline unsigned block_corr(const mm_block *b) { return (unsigned)(b->info & 0xff); }
static inline unsigned block_state(const mm_block *b) { return (unsigned)((b->info >> 8) & 0xff); }
static inline uint64_t block_link(const mm_block *b) { return b->info >> 16; }
static inline void block_set_info(mm_block *b, unsigned corr, unsigned state, uint64_t link)
{
    b->info = (uint64_t)corr | ((uint64_t)state << 8) | (link << 16);
}
static inline void block_set_state(mm_block *b, unsigned state)
{
    block_set_info(b, block_corr(b), state & MM_STATE_MASK, block_link(b));
}
static inline void block_set_corr(mm_block *b, unsigned corr)
{
    block_set_info(b, corr, block_state(b), block_link(b));
}
static inline Size block_logical(const mm_block *b) { return (Size)(block_size(b) - MM_HDR - block_corr(b)); }
static inline bool block_locked(const mm_block *b) { return (block_state(b) & kHandleLockedMask) != 0; }
static inline bool block_purgeable(const mm_block *b) { return (block_state(b) & kHandlePurgeableMask) != 0; }

/* Physical size of a block holding `logical` bytes (caller bounds logical). */
static inline uint64_t mm_phys_for(Size logical)
{
    uint64_t p = ((uint64_t)logical + MM_HDR + MM_ALIGN - 1) & ~(uint64_t)(MM_ALIGN - 1);
    return p < MM_MIN_BLOCK ? MM_MIN_BLOCK : p;
}
/* Logical bytes a free block of `phys` bytes could hand out (0 for none). */
static inline Size mm_logical_room(uint64_t phys) { return phys > MM_HDR ? (Size)(phys - MM_HDR) : 0; }

/* ---- zone helpers ---- */
static inline mm_block *zone_first(THz z) { return (mm_block *)z->heapData; }
static inline mm_block *zone_trailer(THz z) { return (mm_block *)z->bkLim; }
static inline char *zone_end(THz z) { return z->bkLim + MM_TRAILER; }
static inline Handle zone_mp_at(THz z, uint64_t link) { return (Handle)((char *)z + link * 8); }
static inline uint64_t zone_mp_link(THz z, Handle h) { return (uint64_t)((char *)h - (char *)z) / 8; }
static inline uint64_t zone_nonrel_link(THz z, mm_block *b) { return (uint64_t)((char *)b - (char *)z) / 16; }
static inline bool zone_contains(THz z, const void *p)
{
    return (const char *)p >= z->heapData && (const char *)p < z->bkLim;
}
/* Damage found in z at addr (a smashed header, an impossible size): reported
 * through diag_report naming the zone and the block, with err (memAZErr,
 * memBCErr, memPCErr or memSCErr) as MemError; returns only if a hook does,
 * and the caller then stops without following the damage. */
void  mm_damage(THz z, const void *addr, OSErr err, const char *what);
/* Damage reports so far (a mark), and the result code of the last one if
 * any arrived since mark, else noErr: a call that saw damage returns that.
 * Only mm_damage writes the two globals. */
extern unsigned g_mm_damage_count;
extern OSErr    g_mm_damage_err;
static inline unsigned mm_damage_mark(void) { return g_mm_damage_count; }
static inline OSErr mm_damage_since(unsigned mark) { return g_mm_damage_count != mark ? g_mm_damage_err : noErr; }

/* The block after b in a walk of z (b below the trailer): NULL, after
 * reporting the damage, when b's size is below the minimum or runs past
 * the trailer, so no walk loops on a zero size or leaves the zone. */
static inline mm_block *zone_step(THz z, mm_block *b)
{
    uint64_t sz = block_size(b);
    if (sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)b)) {
        mm_damage(z, b, memBCErr, "block size is below the minimum or runs past the zone's end");
        return NULL;
    }
    return block_next(b);
}

/* Relocatable block owned by master pointer h (h must hold a block address). */
static inline mm_block *handle_block(Handle h) { return block_from_data(*h); }

/* ---- mm_globals.c ---- */
void  mm_set_err(OSErr e);
THz   mm_cur_zone(void);
THz   mm_sys_zone(void);
THz   mm_app_zone(void);
void  mm_set_sys_zone(THz z);
void  mm_set_app_zone(THz z);
void  mm_set_temp_zone(THz z);
void  mm_set_cur_zone(THz z);
/* GZSaveHnd(): the handle being allocated or resized while a grow-zone procedure runs. */
Handle mm_gz_save(void);
void  mm_set_gz_save(Handle h);
/* A call found Classic misuse at addr (zone z and block if known, else
 * NULL): reports it through the misuse hook and sets err. */
void  mm_misuse(const char *call, const void *addr, THz z, const void *block, const char *reason, OSErr err);

/* ---- mm_registry.c: which zone holds an address ---- */
void  mm_registry_add(THz z);
void  mm_registry_remove_within(const char *lo, const char *hi);
THz   mm_registry_find(const void *addr);
unsigned mm_registry_count(void);
/* The registered zone after z (the first for NULL); NULL at the end. */
THz   mm_registry_next(THz z);

/* ---- mm_freelist.c ---- */
void      fl_insert(THz z, mm_block *b);
void      fl_remove(THz z, mm_block *b);
/* Free block b (listed) becomes `size` bytes at the same address. */
void      fl_resize(THz z, mm_block *b, uint64_t size);
/* Free block b, already tagged free and at least old's size, takes listed
 * old's place: b is adjacent to old (or contains it) with no free block between. */
void      fl_replace(THz z, mm_block *old, mm_block *b);
mm_block *fl_find(THz z, uint64_t phys);
/* The lowest free block of at least phys bytes the address index knows,
 * or a small free block below it that fits (the heads of the small
 * classes' lists: a small hole deeper in a list is not seen); NULL if none. */
mm_block *fl_lowest_fit(THz z, uint64_t phys);
/* Whether b is a free block on z's lists (b is dereferenced only once it
 * is known to lie inside the block run, aligned). */
bool      fl_holds(THz z, const mm_block *b);
void      fl_reset(THz z);
OSErr     fl_check(THz z, mm_block **where, const char **what);
/* Free block f's list links lead to free blocks that link back (or f
 * heads its list); damage is reported. O(1). */
bool      fl_entry_ok(THz z, mm_block *f);

/* ---- mm_addrtree.c: free blocks by address (fl_insert/fl_remove keep it) ---- */
/* b joins the index: it waits on the pending ring (a full ring indexes its oldest). */
void      at_insert(THz z, mm_block *b);
void      at_remove(THz z, mm_block *b);
void      at_resize(THz z, mm_block *b, uint64_t old_size);
void      at_replace(THz z, mm_block *old, mm_block *b);
/* Lowest-address free block of at least phys bytes; NULL if none. */
mm_block *at_lowest_fit(THz z, uint64_t phys);
/* Whether b is a free block in the address index, treap or pending ring
 * (b itself is not dereferenced). */
bool      at_holds(THz z, const mm_block *b);
/* Largest indexed free block (the larger of the treap root's subtree max
 * and the pending ring's largest; 0 if none). */
uint64_t  at_largest(THz z);
/* Largest free physical block: at_largest, else the largest non-empty
 * small class (mm_freelist.c). */
uint64_t  mm_largest_free(THz z);
OSErr     at_check(THz z, mm_block **where, const char **what);
/* Free block n's index children are free blocks of the zone on the right
 * sides of n, or, for a block on the pending ring, its ring links lead to
 * pending blocks that link back (vf_pend_links); damage is reported. O(1). */
bool      at_node_ok(THz z, mm_block *n);

/* ---- mm_verify.c: checks before a change (each reports what it finds) ---- */
/* Reports what is wrong with a header vf_block refused; returns false. */
bool      vf_block_report(THz z, mm_block *b);
/* The header of b, a block boundary of the run: sealed, a possible size,
 * not a trailer, an allocated block's size correction within it. */
static inline bool vf_header_ok(THz z, const mm_block *b)
{
    uint64_t sz = block_size(b);
    return block_sealed(b) && sz >= MM_MIN_BLOCK && sz <= (uint64_t)(z->bkLim - (const char *)b)
           && block_type(b) != MM_T_TRAILER && (block_is_free(b) || block_corr(b) <= sz - MM_HDR);
}
/* b's address (aligned, inside the block run) and header (vf_header_ok).
 * Inline: every free and carve runs it a few times. */
static inline bool vf_block(THz z, mm_block *b)
{
    if (((uintptr_t)b & (MM_ALIGN - 1)) == 0 && (char *)b >= z->heapData && (char *)b < z->bkLim && vf_header_ok(z, b))
        return true;
    return vf_block_report(z, b);
}
/* A free block's links (layout above): the next entry of its list in the
 * info word, the previous one in the first body word, its address-index
 * children in the next two (mm_freelist.c and mm_addrtree.c own them). */
static inline mm_block *free_link_next(const mm_block *f) { return (mm_block *)(uintptr_t)f->info; }
static inline mm_block *free_link_word(const mm_block *f, unsigned i)
{
    mm_block *p;
    __builtin_memcpy(&p, (const char *)f + MM_HDR + 8 * i, sizeof p);
    return p;
}
static inline mm_block *free_link_prev(const mm_block *f) { return free_link_word(f, 0); }
/* Whether free block f (of a possible size) has an address-index node. */
static inline bool free_indexed(const mm_block *f) { return (f->tag & MM_TAG_SIZE) >= MM_TREE_MIN; }
/* Whether indexed free block f waits on its zone's pending list instead
 * of sitting in the treap: its subtree-max word is 0, which no treap node
 * has (a node's max is at least its own size). Its left and right words
 * then hold the pending list's links (mm_addrtree.c). */
static inline bool free_pending(const mm_block *f) { return free_link_word(f, 3) == NULL; }
/* Index children; NULL for a small or pending free block. */
static inline mm_block *free_link_left(const mm_block *f)
{
    return free_indexed(f) && !free_pending(f) ? free_link_word(f, 1) : NULL;
}
static inline mm_block *free_link_right(const mm_block *f)
{
    return free_indexed(f) && !free_pending(f) ? free_link_word(f, 2) : NULL;
}
/* A pending block's neighbours on the pending ring: the one pushed just
 * after it (newer) and just before it (older); the newest's newer is the
 * oldest, and a lone block is its own neighbour both ways. */
static inline mm_block *free_pend_newer(const mm_block *f) { return free_link_word(f, 1); }
static inline mm_block *free_pend_older(const mm_block *f) { return free_link_word(f, 2); }
/* l may be stepped to: aligned, inside the block run. */
static inline bool vf_link_in(THz z, const mm_block *l)
{
    return ((uintptr_t)l & (MM_ALIGN - 1)) == 0 && (const char *)l >= z->heapData && (const char *)l < z->bkLim;
}
/* l may be stepped to as a free block: vf_link_in and tagged free. */
static inline bool vf_link_ok(THz z, const mm_block *l) { return vf_link_in(z, l) && block_is_free(l); }
/* l may be read as a pending block: vf_link_ok, its node inside the block run, of an indexed size, marked pending. */
static inline bool vf_pend_ok(THz z, const mm_block *l)
{
    return vf_link_ok(z, l) && (const char *)l + MM_TREE_MIN <= z->bkLim && free_indexed(l) && free_pending(l);
}
/* Pending block f's ring links lead to pending blocks that link back:
 * what unlinking f reads and writes. */
static inline bool vf_pend_links(THz z, const mm_block *f)
{
    mm_block *nw = free_pend_newer(f), *od = free_pend_older(f);
    return vf_pend_ok(z, nw) && free_pend_older(nw) == f && vf_pend_ok(z, od) && free_pend_newer(od) == f;
}
/* The size class (fl, sl) of physical size s (mm_freelist.c's mapping). */
static inline unsigned fl_log2(uint64_t s) { return 63u - (unsigned)__builtin_clzll(s); }
static inline void fl_class(const mm_zone_priv *zp, uint64_t s, unsigned *fl, unsigned *sl)
{
    unsigned l = fl_log2(s);
    unsigned f = l - MM_FL_SHIFT;
    *fl = f;
    *sl = (unsigned)(s >> (l - MM_SL_LOG2)) & (MM_SL_COUNT - 1);
    if (f >= zp->flCount) {
        *fl = zp->flCount - 1;
        *sl = MM_SL_COUNT - 1;
    }
}
/* Whether free block f (of a possible size) heads the list of its size class. */
static inline bool fl_heads(THz z, const mm_block *f)
{
    unsigned fl, sl;
    fl_class(zone_priv(z), block_size(f), &fl, &sl);
    return zone_priv(z)->bins[fl][sl] == f;
}
/* Reports what is wrong with a free block vf_free refused; returns false. */
bool      vf_free_report(THz z, mm_block *f);
/*
 * f is a sane free block, with everything a carve or merge reads, follows
 * or rewrites from it: header, footer, its own below-is-free bit clear and
 * the one above it set (a carve or merge rewrites both), both list links leading to blocks that
 * link back (or f heads its list), index children free blocks on the
 * right sides. Inline, one pass over the fields the list and index code
 * use next. placed: f's address is known to be a block boundary of the
 * run (the block above a checked one), so only its header is checked.
 */
static inline bool vf_free_core(THz z, mm_block *f, bool reached, bool placed)
{
    uint64_t sz = block_size(f);
    if (!(placed || vf_link_in(z, f)) || !block_sealed(f) || sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)f)
        || !block_is_free(f) || *block_footer(f) != sz || block_prev_free(f) || !block_prev_free(block_next(f)))
        return vf_free_report(z, f);
    /* The header holds: the body, links included, lies inside the zone. */
    mm_block *nx = free_link_next(f), *pv = free_link_prev(f), *l = free_link_left(f), *r = free_link_right(f);
    if ((nx == NULL || (vf_link_in(z, nx) && free_link_prev(nx) == f))
        && (pv != NULL ? vf_link_in(z, pv) && free_link_next(pv) == f : reached || fl_heads(z, f))
        && (l == NULL || (l < f && vf_link_ok(z, l))) && (r == NULL || (r > f && vf_link_ok(z, r)))
        && (!free_indexed(f) || !free_pending(f) || vf_pend_links(z, f)))
        return true;
    return vf_free_report(z, f);
}
static inline bool vf_free(THz z, mm_block *f) { return vf_free_core(z, f, false, false); }
/* vf_free for a block fl_find returned: it was reached from its list's
 * head (fl_find checks each link it steps over), so with no previous
 * entry it is that head and the class lookup is not repeated. */
static inline bool vf_free_found(THz z, mm_block *f) { return vf_free_core(z, f, true, false); }
/* b is a sane relocatable block whose master pointer points back at it. */
bool      vf_rel(THz z, mm_block *b);
/* Relocatable block b's master pointer lies in the zone and points back at it. */
bool      vf_master(THz z, mm_block *b);
/* The block above b (b's size checked) is the trailer or a sane block, a free one fully. */
bool      vf_above(THz z, mm_block *b);
/* Reports what is wrong with the free block below b that vf_below refused. */
bool      vf_below_report(THz z, mm_block *b);
/* If b's below-is-free bit is set, the free block below is sane and matches the footer. */
static inline bool vf_below(THz z, mm_block *b)
{
    if (!block_prev_free(b))
        return true;
    uint64_t w = *(uint64_t *)((char *)b - 8);
    if (w >= MM_MIN_BLOCK && (w & (MM_ALIGN - 1)) == 0 && w <= (uint64_t)((char *)b - z->heapData)) {
        mm_block *p = (mm_block *)((char *)b - w);
        if (block_size(p) == w && vf_free_core(z, p, false, true))
            return true;
    }
    return vf_below_report(z, b);
}
/* What blk_free(b) reads, follows or writes: b's header, the header above
 * it (a free block there is unlinked by the merge, an allocated one gets
 * its below-is-free bit set) and a free block below it (found through b's
 * footer word). */
static inline bool vf_release(THz z, mm_block *b)
{
    if (!vf_block(z, b))
        return false;
    mm_block *n = block_next(b);
    if ((char *)n < z->bkLim
        && !(block_is_free(n) ? vf_free_core(z, n, false, true) : vf_header_ok(z, n) || vf_block_report(z, n)))
        return false;
    if (block_prev_free(n) && !block_is_free(b)) {   /* the merge would make a forged bit true */
        mm_damage(z, n, memBCErr, "below-is-free bit set above an allocated block");
        return false;
    }
    return !block_prev_free(b) || vf_below(z, b);
}
/* The whole zone, block by block (with links: free-list and index links
 * too); the MM_SCRAMBLE pass runs it before it moves anything. */
bool      vf_walk(THz z, bool links);

/* ---- mm_spacemap.c: MaxBlock's and PurgeSpace's summaries per chunk ---- */
/* Chunks of at least 32 KiB, a map only from 64 of them; the fuzz build
 * makes them 1 KiB and 4 so its small zones have maps, and holds every
 * answer to the walk's (CONFIG_MM_SMAP_VERIFY, on with MM_HEAPCHECK too). */
#ifndef CONFIG_MM_SMAP_SHIFT
#define CONFIG_MM_SMAP_SHIFT 15
#endif
#ifndef CONFIG_MM_SMAP_CHUNKS_MIN
#define CONFIG_MM_SMAP_CHUNKS_MIN 64
#endif
#ifndef CONFIG_MM_SMAP_VERIFY
#define CONFIG_MM_SMAP_VERIFY CONFIG_MM_HEAPCHECK
#endif
enum {
    SMAP_SHIFT_MIN = CONFIG_MM_SMAP_SHIFT,
    SMAP_CHUNKS_MIN = CONFIG_MM_SMAP_CHUNKS_MIN,
    SMAP_CHUNKS_MAX = 4096,
    SMAP_NODE_BYTES = 32,
};
#define SMAP_SPAN_MAX ((uint64_t)1 << 36)   /* sizes in 16-byte units fit 32 bits */
uint64_t  smap_layout(uint64_t span, uint64_t room, unsigned *shift);
uint64_t  smap_bytes_for(uint64_t span, uint64_t room);
/* The map of a zone made with `room` bytes whose block run may span
 * `span` bytes, in `storage` (smap_bytes_for(span, room) zeroed bytes
 * right after the bins), kept from the zone's first MaxBlock or
 * PurgeSpace on (smCount 0 until then). A small zone gets none (smShift 0). */
void      smap_init(THz z, uint64_t span, uint64_t room, char *storage);
void      smap_touch_range(THz z, uint64_t c0, uint64_t c1);
/* Mark every chunk: the whole zone changed, or what counts as a large block did. */
void      smap_touch_all(THz z);
/* The map's marks, after the bins and the word holding its chunk count:
 * word 0 has a bit per word that follows, and word 1 + c / 64 a bit per
 * chunk c (at most 64 words). */
static inline uint64_t *smap_marks(mm_zone_priv *zp) { return (uint64_t *)(zp->bins + zp->flCount) + 1; }
static inline void smap_mark_one(uint64_t *m, uint64_t c)
{
    m[0] |= 1ull << (c >> 6);
    m[1 + (c >> 6)] |= 1ull << (c & 63);
}
/* Mark the chunks [p, p + len) overlaps (len > 0): their summaries are
 * rebuilt at the next MaxBlock or PurgeSpace. Addresses outside the map
 * are ignored, and so is everything before the zone's map is first asked
 * (smCount 0). smap_mark: the chunk of the header at p. */
static inline void smap_touch(THz z, const void *p, uint64_t len)
{
    mm_zone_priv *zp = zone_priv(z);
    if (zp->smCount == 0)
        return;   /* no map, or not asked yet */
    uint64_t off = (uint64_t)((const char *)p - z->heapData);
    uint64_t c0 = off >> zp->smShift, c1 = (off + len - 1) >> zp->smShift;
    if (c0 >= zp->smCount)
        return;
    if (c0 == c1)
        smap_mark_one(smap_marks(zp), c0);
    else
        smap_touch_range(z, c0, c1);
}
static inline void smap_mark(THz z, const void *p) { smap_touch(z, p, 1); }
/* The zone's largest run and total (free bytes, or free and purgeable
 * bytes: with_purge): 1 with *best and *total set, 0 when the zone
 * holds a large movable block (the caller walks), -1 on damage (reported). */
int       smap_space(THz z, bool with_purge, uint64_t *best, uint64_t *total);
/* The same by a walk of the whole zone (mm_space.c): the reference the tests hold the map to. */
uint64_t  mm_space_walk(THz z, bool with_purge, uint64_t *total);
OSErr     smap_check(THz z, mm_block **where, const char **what);
/* Blocks the map's rebuilds have read (the tests' measure of its work). */
extern unsigned long g_smap_blocks;

/* ---- mm_block.c: carving and freeing ---- */
/* Turn [b, b+size) into one free block, merged with free neighbours;
 * returns the merged block, or NULL (damage reported, zone unchanged). */
mm_block *blk_free(THz z, mm_block *b);
/* An allocated block is freed (blk_free) and leaves the zone's count; a
 * zone built inside it leaves the registry (only a block that can hold a
 * zone needs the registry walk). */
static inline mm_block *blk_release(THz z, mm_block *b)
{
    unsigned type = block_type(b);
    uint64_t size = block_size(b);   /* believed only once blk_free has checked it */
    unsigned state = block_state(b);
    char *lo = block_data(b);
    mm_block *m = blk_free(z, b);
    if (m == NULL)
        return NULL;   /* damage reported, nothing changed */
    if (type == MM_T_REL) {
        z->cntRel--;
        zone_priv(z)->nPurge -= mm_state_purgeable(state);
    } else
        z->cntNRel--;
    if (size >= MM_ZONE_MIN_BYTES && mm_registry_count() > 1)
        mm_registry_remove_within(lo, lo - MM_HDR + size);
    return m;
}
/* An allocated block of the given type joins the zone's counts. */
static inline void blk_count_new(THz z, unsigned type)
{
    if (type == MM_T_REL) {
        if (++z->cntRel > z->maxRel)
            z->maxRel = z->cntRel;
    } else if (++z->cntNRel > z->maxNRel) {
        z->maxNRel = z->cntNRel;
    }
}
/* Relocatable block b, counted in the zone, gets state st: the count of
 * purgeable blocks (nPurge) follows. Every change of a counted block's
 * state goes through here. */
static inline void blk_set_rel_state(THz z, mm_block *b, unsigned st)
{
    zone_priv(z)->nPurge += (Size)mm_state_purgeable(st & MM_STATE_MASK) - (Size)mm_state_purgeable(block_state(b));
    block_set_state(b, st);
    smap_mark(z, b);
}
/* After an allocation took free space: keep minCBFree the least zcbFree. */
static inline void zone_note_free(THz z)
{
    if (z->zcbFree < z->minCBFree)
        z->minCBFree = z->zcbFree;
}
/* Take phys bytes from free block f (low end or high end); returns the new allocated block. */
mm_block *blk_carve(THz z, mm_block *f, uint64_t phys, bool high);
/* Take phys bytes at t from free block f (t == f, or t at least
 * MM_MIN_BLOCK above f so the part below stays a free block); returns the
 * new allocated block at t. */
mm_block *blk_carve_at(THz z, mm_block *f, mm_block *t, uint64_t phys);
/* Shrink allocated block b to phys bytes, freeing the tail if it can stand
 * alone; false (damage above b reported, nothing changed) if it cannot. */
bool      blk_shrink(THz z, mm_block *b, uint64_t phys);
/* Grow allocated block b in place to phys bytes from a free block above;
 * false if impossible (or the block above is damaged: reported, nothing changed). */
bool      blk_grow_in_place(THz z, mm_block *b, uint64_t phys);
/* Set b's logical size (within its physical size). */
void      blk_set_logical(mm_block *b, Size logical);
/* Relocatable block from's contents, state and master pointer pass to the
 * allocated block to (as large); from itself is left for the caller to free. */
void      blk_move(THz z, mm_block *from, mm_block *to);
/* [p, p + len) rotated in place so its first k bytes end up at its top
 * (k and len multiples of 16; no buffer: three reversals). */
void      blk_rotate(char *p, uint64_t k, uint64_t len);

/* ---- mm_alloc.c: the allocation sequence ---- */
enum mm_kind { MM_KIND_NONREL, MM_KIND_REL };
/* A block of `logical` bytes in z, trying everything IM lists; NULL and memFullErr on failure. */
mm_block *mm_alloc(THz z, Size logical, enum mm_kind kind, Handle protect);
/* Only the free blocks: no compaction, purging or growth. Nonrelocatable:
 * the lowest fitting block; relocatable: a good fit from the size lists. */
mm_block *mm_alloc_fast(THz z, uint64_t phys, enum mm_kind kind);
bool      mm_size_ok(Size s);
/* Whether protect, the handle an mm_alloc was made for, was disposed of
 * (or emptied, when it had a block) by a grow-zone procedure; mm_alloc then
 * returned NULL with the misuse's result code and the caller must stop. */
bool      mm_alloc_lost(Handle protect, bool had_block);
/* Debug modes (MM_SCRAMBLE, MM_PURGE_ALL) at the start of a call that may move memory. */
void      mm_may_move(THz z, Handle protect);

/* ---- mm_place.c: Inside Macintosh's placement rules ---- */
/* Blocks visited at most by one placement search (pl_nonrel), and the most
 * bytes of relocatable blocks one placement slides up: a run holding more
 * counts as a barrier, so a NewPtr never copies a huge handle to sit lower. */
enum { MM_PLACE_SPAN = 32 };
#define MM_PLACE_MOVE_MAX ((uint64_t)256 * 1024)
/* A nonrelocatable block of phys bytes at the lowest place a bounded search
 * finds, sliding unlocked relocatable blocks up to make it; NULL if none. */
mm_block *pl_nonrel(THz z, uint64_t phys);
/* The free block ReserveMem left, carved from its low end, if it is still
 * free and holds phys bytes; NULL otherwise. */
mm_block *pl_take_reserve(THz z, uint64_t phys);
/* Relocatable block b (unlocked) moves up to the first immovable block or
 * the zone's end; unlocked blocks in between slide below it. */
void      pl_move_hhi(THz z, mm_block *b);
/* Block b was freed or unlocked: the immovable floor cannot lie above it. */
static inline void pl_lower_floor(THz z, mm_block *b)
{
    if (zone_priv(z)->floor > b)
        zone_priv(z)->floor = b;
}
/* Every block below the floor is immovable: noErr or memBCErr. */
OSErr     pl_check(THz z, mm_block **where, const char **what);

/* ---- mm_compact.c ---- */
/* Compaction walks and purge walks so far (mm_work_counts, for tests). */
extern unsigned long g_mm_compactions, g_mm_purges;
/* Slide unlocked relocatable blocks down; returns the largest free
 * physical size. Each header is checked as the walk reaches it: at damage
 * the part below is left compacted and consistent, nothing from the
 * damaged block up is touched, and the damage is reported (mm_compact.c). */
uint64_t mm_compact(THz z);
/* Compaction until a free block of need physical bytes exists (IM's
 * CompactMem(cbNeeded)): none if one already does; a walk that stops at
 * the first block with a gap of need bytes below it, everything above
 * untouched; the whole zone when the zone's free bytes cannot reach need.
 * Returns the zone's largest free physical size; damage as mm_compact. */
uint64_t mm_compact_for(THz z, uint64_t need);
/* The same for a zone whose blocks [lo, hi] its caller has left
 * mid-change (mm_grow_block's eviction: free blocks off their lists,
 * adjacent or without footers): there only sizes, types and moving
 * blocks' master pointers are checked. */
uint64_t mm_compact_unchecked(THz z, mm_block *lo, mm_block *hi);
/* Purge one block: purge-warning proc, free the block, *h = NULL; returns
 * the free block it merged into, NULL if the proc kept the block. */
mm_block *mm_purge_block(THz z, mm_block *b);
/* Purge every unlocked purgeable block except protect's; stop early once a
 * free block of `want` physical bytes exists (0: purge all). A zone whose
 * nPurge is 0 is not walked. */
void      mm_purge(THz z, uint64_t want, Handle protect);
/* Move every unlocked relocatable block (MM_SCRAMBLE). */
void      mm_scramble(THz z, Handle protect);

/* ---- mm_remap.c: large blocks ---- */
enum { MM_PAGE = 4096 };   /* the platform's page (mm_remap.c checks it) */
/* A block of phys bytes is large in z: its data reaches the zone's threshold. */
static inline bool big_size(THz z, uint64_t phys) { return phys >= zone_priv(z)->bigPhys; }
/* bigPhys for a threshold of `bytes` of data (0: no large blocks; at least a page). */
static inline uint64_t big_phys_for(uint64_t bytes)
{
    return bytes == 0 ? UINT64_MAX : (bytes < MM_PAGE ? MM_PAGE : bytes) + MM_HDR;
}
/* The free block a large block of phys bytes needs to be placed
 * page-aligned wherever it starts: NewPtr puts a large block in the lowest
 * free block of this size, else places it as any other. */
/* A block whose data reaches MM_HUGE_MIN is aligned to MM_HUGE_ALIGN (a
 * page table's span on x86_64): two such places are a whole number of
 * page tables apart, which a platform can move as units (Linux's mremap
 * moves them in microseconds where 4 KiB pages take milliseconds). At most
 * 1/16 of the block is lost to the alignment. */
#define MM_HUGE_MIN   ((uint64_t)32 << 20)
#define MM_HUGE_ALIGN ((uint64_t)2 << 20)
/* The alignment of a large block of phys bytes' data. */
static inline uint64_t big_align(uint64_t phys) { return phys - MM_HDR >= MM_HUGE_MIN ? MM_HUGE_ALIGN : MM_PAGE; }
static inline uint64_t big_room(uint64_t phys) { return phys + big_align(phys) + MM_MIN_BLOCK; }
/* Allocated block b moves by remapping: it is large, its data is
 * page-aligned and its zone's pages can be remapped. */
bool      big_remappable(THz z, const mm_block *b);
/* An allocated block of phys bytes with page-aligned data, carved from a
 * free block of the zone (the lowest that surely fits, or the high end of
 * a size-class fit for a relocatable one); the space below it stays a free
 * block. NULL if no free block has room for the alignment (the caller then
 * places the block as a small one). Checks what it carves (vf_free). */
mm_block *big_alloc(THz z, uint64_t phys, enum mm_kind kind);
/* A new home for a scrambled large block of phys bytes (checked, carved,
 * untyped): page-aligned, its physical size kept exactly (the space above
 * it stays a block); NULL if no free block has the room. */
mm_block *big_scramble_dest(THz z, uint64_t phys);
/* MoveHHi's place for a large block of size bytes: the highest with its
 * data aligned, at or above lo and ending at most at end, the space left
 * above it empty or a block; NULL if there is none. */
mm_block *big_hhi_target(char *lo, mm_block *end, uint64_t size);
/* MoveHHi's place for large remappable block b when the others it passes
 * (others bytes of relocatable blocks, the rest of [b's end, end) free)
 * must go below it and the free room is smaller than b: the highest place
 * a whole number of pages above b, ending at most others bytes below end,
 * with at least others bytes below it; the space left above and below it
 * empty or a block. NULL if none. */
mm_block *big_hhi_lift(mm_block *b, mm_block *end, uint64_t others);
/* MoveHHi's place for large remappable block b when the others it passes
 * (others bytes of relocatable blocks, the rest of [b's end, end) free)
 * are more than the free room can hold while b rises: the highest place a
 * whole number of pages above b, ending at most at end, with at least
 * others bytes below it; the space left above and below it empty or a
 * block. NULL if none. */
mm_block *big_hhi_rotate_target(mm_block *b, mm_block *end, uint64_t others);
/* A slide up of large remappable block b whose packed place would be t
 * (t >= b): the highest place at or below t a whole number of pages above
 * b (b itself included), so it moves by remapping, whose space up to t
 * (left free) is empty or a block and at most spare bytes; NULL if none. */
mm_block *big_slide_target(mm_block *b, mm_block *t, uint64_t spare);
/* The lowest place at or above gap for the header of a block with
 * page-aligned data whose gap below is empty or can be a free block; b
 * (whose data is page-aligned) if nothing lower qualifies. */
mm_block *big_target(char *gap, mm_block *b);
/* Large remappable block b (checked) moves to t, a multiple of the page
 * size away (up or down, overlapping or not): the whole pages of its data
 * are remapped, the tail and the header copied; its master pointer
 * follows. Its below-is-free bit is the caller's to set. */
void      big_move(THz z, mm_block *b, mm_block *t);
/* MoveHHi's rotation: large remappable block b (checked), with others
 * bytes (whole 16-byte units, at least one block's worth or none) packed
 * right above it, moves up to t (big_hhi_rotate_target) and the others
 * go to b's old place in order: b's whole pages and the pages above them
 * trade places by one remap (platform.h), and only the others, the tail
 * and the header are copied. b's master pointer follows; the others'
 * headers and master pointers, and every below-is-free bit, are the
 * caller's to fix. */
void      big_hhi_rotate(THz z, mm_block *b, mm_block *t, uint64_t others);
/* n bytes from src to dst (separate blocks of z): the whole pages by
 * remapping when both are page-aligned and the zone remaps, the rest
 * copied. The source's bytes are unspecified afterwards. */
void      big_transfer(THz z, char *dst, char *src, size_t n);

/* ---- mm_grow_block.c ---- */
/* Grow allocated block b to phys bytes without moving it; false (and b
 * unchanged) if the blocks above cannot make room. */
bool      mm_grow_block(THz z, mm_block *b, uint64_t phys, Handle protect);

/* ---- mm_handle.c / mm_ptr.c: internal constructors for a given zone ---- */
Handle mm_new_handle(THz z, Size n, bool clear, const char *call);
Ptr    mm_new_ptr(THz z, Size n, bool clear, const char *call);
/* SetHandleSize on a looked-up, non-empty handle; sets MemError. */
void   mm_set_handle_size(THz z, Handle h, Size n);

/* ---- mm_temp.c: temporary handles, whose blocks are page runs outside every zone ---- */
/* Handle h of zone z holds a value outside z's block run: noErr if it is
 * the data of a live page run whose master pointer is h, else memPCErr (or
 * the code of damage found and reported on the way). Reads only live runs. */
OSErr     tr_lookup(THz z, Handle h);
/* Live page runs (mm_temp.c's count). */
extern uint64_t g_tr_count;
/* Whether looked-up non-empty handle h's block is a page run (with none
 * live, one load: the ordinary handle calls pay no more). */
static inline bool handle_is_temp(THz z, Handle h) { return g_tr_count != 0 && !zone_contains(z, *h); }
/* A temporary handle's logical size, HGetState bits, new state. */
Size      tr_logical(Handle h);
unsigned  tr_state(Handle h);
void      tr_set_state(Handle h, unsigned st);
/* A looked-up, non-empty handle's logical size and HGetState bits, and a
 * new state (a zone block's count of purgeable blocks and floor follow),
 * wherever its block lives. */
static inline Size handle_logical(THz z, Handle h)
{
    return handle_is_temp(z, h) ? tr_logical(h) : block_logical(handle_block(h));
}
static inline unsigned handle_state(THz z, Handle h)
{
    return handle_is_temp(z, h) ? tr_state(h) : block_state(handle_block(h));
}
static inline void handle_set_state(THz z, Handle h, unsigned st)
{
    if (handle_is_temp(z, h)) {
        tr_set_state(h, st);
        return;
    }
    mm_block *b = handle_block(h);
    blk_set_rel_state(z, b, st);
    if (!block_locked(b))
        pl_lower_floor(z, b);
}
/* A temporary handle's run goes back to the platform (*h is left to the
 * caller); false: damage reported, nothing changed. */
bool      tr_release(THz z, Handle h);
/* ReallocateHandle of an unlocked temporary handle: its run goes back and
 * a new one of n bytes is made (memFullErr leaves it empty); false: damage
 * reported, nothing changed. */
bool      tr_reallocate(THz z, Handle h, Size n);
/* SetHandleSize of a temporary handle (sets MemError). */
void      tr_set_size(THz z, Handle h, Size n);
/* The temporary handle whose block's data starts at p, or NULL; whether p is one. */
Handle    tr_recover(const void *p);
bool      tr_is_block(const void *p);
/* mm_whereis for addresses in page runs: false if addr lies in none. */
bool      tr_whereis(const void *addr, char *buf, size_t size);
/* The runs' invariants (mm_temp.c); *owned: the runs whose master pointers are z's. */
OSErr     tr_check(THz z, Size *owned, void **where, const char **what);
/* Every run whose master pointer was in z (NULL: every run) goes back:
 * the zone is being laid anew or left. */
void      tr_zone_gone(THz z);

/* ---- addresses ---- */
static inline char *ptr_align_up(void *p) { return (char *)(((uintptr_t)p + MM_ALIGN - 1) & ~(uintptr_t)(MM_ALIGN - 1)); }
static inline char *ptr_align_down(void *p) { return (char *)((uintptr_t)p & ~(uintptr_t)(MM_ALIGN - 1)); }

/* ---- mm_zone_grow.c ---- */
/* Put z's trailer at `at` (bkLim := at), with its below-is-free bit. */
void     zone_set_trailer(THz z, char *at, bool prev_free);
/* Extend the zone by exactly `by` bytes (a multiple of 16, room checked);
 * false (damage below the trailer reported, nothing changed) if it cannot. */
bool     zone_extend(THz z, uint64_t by);
/* Bytes between the zone's end and its limit. */
uint64_t zone_grow_room(THz z);
/* Give back the pages inside z's top free block that hold none of its fields
 * (storage committed on demand, MM_DECOMMIT=1; elsewhere nothing happens). */
void     mm_zone_decommit_top(THz z);

/* ---- mm_zone.c ---- */
THz   mm_zone_create(void *start, void *end, void *limit, short masters, GrowZoneProcPtr gz, const char *name);
/* Grow z's end by at least `need` bytes toward its limit; false if it cannot. */
bool  mm_zone_grow(THz z, uint64_t need);
bool  mm_zone_valid(THz z);
/* Where InitApplZone builds the Application zone (initial size, master pointers). */
void  mm_appl_storage(void *base, size_t size, size_t initial, short masters);

/* ---- mm_masters.c ---- */
OSErr  mm_more_masters(THz z, Size count);
Handle mm_mp_take(THz z);
/* Whether h is a master-pointer slot of one of z's master blocks. */
bool   mm_mp_in_zone(THz z, Handle h);
void   mm_mp_give(THz z, Handle h);
static inline bool mm_mp_is_free(Handle h) { return ((uintptr_t)*h & 1) != 0; }
/* The free slot after free master pointer h (NULL at the end). */
static inline Ptr mm_mp_next(Handle h) { return (Ptr)((uintptr_t)*h & ~(uintptr_t)1); }

/* ---- mm_lookup.c: turning caller values into blocks, with validation ---- */
/* Validates handle h; *zout its zone. Returns noErr, nilHandleErr (NULL h or empty
 * when !allow_empty), memWZErr (disposed) or memAZErr (not in a zone). Reports misuse. */
OSErr     mm_lookup_handle(const char *call, Handle h, bool allow_empty, THz *zout);
/* Validates pointer p to a nonrelocatable block; NULL on failure (MemError set). */
mm_block *mm_lookup_ptr(const char *call, Ptr p, THz *zout);

/* ---- debug mode hooks ---- */
/* MM_HEAPCHECK: MM_GATE at a call's start checks the zone and returns the
 * finding (reported, MemError set), so the call stops before it changes
 * anything; MM_CHECK at its end only reports. */
#if CONFIG_MM_HEAPCHECK
OSErr mm_heapcheck_call(THz z, const char *call);
#define MM_CHECK(z, call) ((void)mm_heapcheck_call((z), (call)))
#define MM_GATE(z, call) mm_heapcheck_call((z), (call))
#else
#define MM_CHECK(z, call) ((void)0)
#define MM_GATE(z, call) ((void)(z), (void)(call), (OSErr)noErr)
#endif

#endif

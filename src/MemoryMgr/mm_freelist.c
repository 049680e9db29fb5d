/*
 * mm_freelist.c - a zone's free blocks, kept on segregated lists (two-level
 * size classes with bitmaps, as in TLSF) so finding a fitting block costs
 * the same whatever the number of live or free blocks.
 *
 * Class of a physical size s: fl = log2(s) - MM_FL_SHIFT, sl = the next
 * MM_SL_LOG2 bits below the top bit. Sizes under 128 bytes map exactly, so
 * the small free blocks (32 and 48 bytes, too small for an address-index
 * node) each have a list of their own: the lists are the only place they
 * are kept, and nSmall counts them.
 * A zone has flCount first-level classes (sized for its largest possible
 * block); sizes beyond them share the top class, which is searched first
 * fit. Invariants: a block is on exactly the list of its class; bit
 * (fl, sl) is set iff that list is non-empty; flBitmap bit fl iff
 * slBitmap[fl] != 0; a block is in the address index iff it is at least
 * MM_TREE_MIN bytes (free_indexed), and nSmall counts the others.
 * The address index (mm_addrtree.c) is a treap plus a pending ring of at
 * most MM_PEND_MAX blocks not yet in it: a block this file adds waits on
 * the ring, and one taken while it waits leaves it in O(1), so a
 * relocatable allocation, which uses the lists only, rarely pays a treap
 * path. The treap and the ring together hold every indexed-size block.
 */
#include "mm_internal.h"

/* Smallest class whose every block is >= s (good fit). */
static void map_class_up(const mm_zone_priv *zp, uint64_t s, unsigned *fl, unsigned *sl)
{
    unsigned l = fl_log2(s);
    if (l > MM_SL_LOG2 + 4)
        s += ((uint64_t)1 << (l - MM_SL_LOG2)) - 1;
    fl_class(zp, s, fl, sl);
}

static void *body_prev_slot(mm_block *b) { return block_data(b); }
static mm_block *body_prev(mm_block *b) { return free_link_prev(b); }
static void body_set_prev(mm_block *b, mm_block *p) { __builtin_memcpy(body_prev_slot(b), &p, sizeof p); }
static mm_block *free_next(mm_block *b) { return free_link_next(b); }
static void free_set_next(mm_block *b, mm_block *n) { b->info = (uint64_t)(uintptr_t)n; }

/* Whether a list entry may be stepped to: aligned, inside the block run. */
static bool fl_in_zone(THz z, const mm_block *b)
{
    return ((uintptr_t)b & (MM_ALIGN - 1)) == 0 && zone_contains(z, b);
}

void fl_reset(THz z)
{
    zone_priv(z)->flBitmap = 0;
    for (unsigned f = 0; f < zone_priv(z)->flCount; f++) {
        zone_priv(z)->slBitmap[f] = 0;
        for (unsigned s = 0; s < MM_SL_COUNT; s++)
            zone_priv(z)->bins[f][s] = NULL;
    }
    zone_priv(z)->addrRoot = NULL;
    zone_priv(z)->pendHead = NULL;
    zone_priv(z)->nPend = 0;
    zone_priv(z)->nFree = 0;
    zone_priv(z)->nSmall = 0;
    z->zcbFree = 0;
}

[[gnu::always_inline]] static inline void list_insert(THz z, mm_block *b)
{
    unsigned f, s;
    fl_class(zone_priv(z), block_size(b), &f, &s);
    mm_block *head = zone_priv(z)->bins[f][s];
    free_set_next(b, head);
    body_set_prev(b, NULL);
    if (head)
        body_set_prev(head, b);
    zone_priv(z)->bins[f][s] = b;
    zone_priv(z)->slBitmap[f] |= 1u << s;
    zone_priv(z)->flBitmap |= 1ull << f;
    *block_footer(b) = block_size(b);
}

[[gnu::always_inline]] static inline void list_remove(THz z, mm_block *b)
{
    unsigned f, s;
    fl_class(zone_priv(z), block_size(b), &f, &s);
    mm_block *prev = body_prev(b), *next = free_next(b);
    if (next)
        body_set_prev(next, prev);
    if (prev)
        free_set_next(prev, next);
    else
        zone_priv(z)->bins[f][s] = next;
    if (zone_priv(z)->bins[f][s] == NULL) {
        zone_priv(z)->slBitmap[f] &= ~(1u << s);
        if (zone_priv(z)->slBitmap[f] == 0)
            zone_priv(z)->flBitmap &= ~(1ull << f);
    }
}

void fl_insert(THz z, mm_block *b)
{
    smap_mark(z, b);
    list_insert(z, b);
    if (free_indexed(b))
        at_insert(z, b);
    else
        zone_priv(z)->nSmall++;
    zone_priv(z)->nFree++;
    z->zcbFree += (Size)block_size(b);
}

void fl_remove(THz z, mm_block *b)
{
    smap_mark(z, b);
    list_remove(z, b);
    if (free_indexed(b))
        at_remove(z, b);
    else
        zone_priv(z)->nSmall--;
    zone_priv(z)->nFree--;
    z->zcbFree -= (Size)block_size(b);
}

/* A block crossing MM_TREE_MIN leaves the index while its size still
 * finds its path, or joins it once its body is large enough for a node;
 * small and indexed sizes never share a class, so the list move is taken. */
void fl_resize(THz z, mm_block *b, uint64_t size)
{
    uint64_t old = block_size(b);
    smap_mark(z, b);
    bool was = old >= MM_TREE_MIN, is = size >= MM_TREE_MIN;
    if (was && !is)
        at_remove(z, b);
    unsigned f0, s0, f1, s1;
    fl_class(zone_priv(z), old, &f0, &s0);
    fl_class(zone_priv(z), size, &f1, &s1);
    if (f0 != f1 || s0 != s1) {
        list_remove(z, b);
        block_set_size(b, size);
        list_insert(z, b);
    } else {
        block_set_size(b, size);
        *block_footer(b) = size;
    }
    if (was && is)
        at_resize(z, b, old);
    else if (is)
        at_insert(z, b);
    zone_priv(z)->nSmall += (Size)!is - (Size)!was;
    z->zcbFree += (Size)size - (Size)old;
}

/* b's index node may cover old's header (b's own part under MM_TREE_MIN
 * bytes): old's size is read before the node is written. */
void fl_replace(THz z, mm_block *old, mm_block *b)
{
    Size grow = (Size)block_size(b) - (Size)block_size(old);
    smap_mark(z, b);
    smap_mark(z, old);
    list_remove(z, old);
    list_insert(z, b);
    if (free_indexed(old)) {
        at_replace(z, old, b);   /* b, at least as large, is indexed too */
    } else if (free_indexed(b)) {
        at_insert(z, b);
        zone_priv(z)->nSmall--;
    }
    z->zcbFree += grow;
}

/* The head of the list of small size sz (MM_MIN_BLOCK <= sz < MM_TREE_MIN). */
static mm_block *fl_small_head(THz z, uint64_t sz)
{
    unsigned f, s;
    fl_class(zone_priv(z), sz, &f, &s);
    return zone_priv(z)->bins[f][s];
}

mm_block *fl_lowest_fit(THz z, uint64_t phys)
{
    mm_block *f = at_lowest_fit(z, phys);
    for (uint64_t sz = phys < MM_MIN_BLOCK ? MM_MIN_BLOCK : phys; sz < MM_TREE_MIN; sz += MM_ALIGN) {
        mm_block *h = fl_small_head(z, sz);
        if (h != NULL && (f == NULL || h < f))
            f = h;
    }
    return f;
}

uint64_t mm_largest_free(THz z)
{
    uint64_t m = at_largest(z);
    for (uint64_t sz = MM_TREE_MIN - MM_ALIGN; m == 0 && sz >= MM_MIN_BLOCK; sz -= MM_ALIGN)
        if (fl_small_head(z, sz) != NULL)
            m = sz;
    return m;
}

bool fl_holds(THz z, const mm_block *b)
{
    if (!fl_in_zone(z, b) || !block_is_free(b))
        return false;
    if (free_indexed(b))
        return at_holds(z, b);
    if (!block_sealed(b) || block_size(b) < MM_MIN_BLOCK)
        return false;
    mm_block *prev = free_link_prev(b);   /* linked from its list: not a stale header */
    return prev != NULL ? fl_in_zone(z, prev) && block_is_free(prev) && free_next(prev) == b : fl_heads(z, b);
}


bool fl_entry_ok(THz z, mm_block *f)
{
    mm_block *next = free_next(f), *prev = body_prev(f);
    if (next != NULL && (!fl_in_zone(z, next) || !block_is_free(next) || body_prev(next) != f)) {
        mm_damage(z, f, fl_in_zone(z, next) ? memBCErr : memAZErr,
                  "free block's next free-list link does not lead to a free block that links back");
        return false;
    }
    if (prev == NULL) {
        unsigned fl, sl;
        fl_class(zone_priv(z), block_size(f), &fl, &sl);
        if (zone_priv(z)->bins[fl][sl] != f) {
            mm_damage(z, f, memBCErr, "free block claims to head its free list but does not");
            return false;
        }
    } else if (!fl_in_zone(z, prev) || !block_is_free(prev) || free_next(prev) != f) {
        mm_damage(z, f, fl_in_zone(z, prev) ? memBCErr : memAZErr,
                  "free block's previous free-list link does not lead to a free block that links to it");
        return false;
    }
    return true;
}

/* Entries of one list fl_scan_class looks at before it asks the address
 * index instead: the scan's cost stays bounded however long the list. */
enum { FL_SCAN_MAX = 8 };

/* First fit inside one list, for when the good-fit class is empty but the
 * request's own class may still hold a big enough block. At most
 * FL_SCAN_MAX steps, each to an entry checked first (in the zone, free, a
 * sane size, linking back to the entry before it): damage is reported and
 * ends the scan with no block. A list with more entries than that is left
 * to the address index, which finds the lowest free block of at least phys
 * bytes in O(log n) plus at most MM_PEND_MAX ring steps (at_lowest_fit:
 * the treap keeps each subtree's largest size). The entry taken gets the
 * full check (vf_free). */
static mm_block *fl_scan_class(THz z, unsigned f, unsigned s, uint64_t phys)
{
    Size steps = 0;
    mm_block *b = zone_priv(z)->bins[f][s];
    for (; b != NULL; b = free_next(b)) {
        if (steps == FL_SCAN_MAX)
            return at_lowest_fit(z, phys);
        if (++steps > zone_priv(z)->nFree || !fl_in_zone(z, b)) {
            mm_damage(z, b, memAZErr, "free list runs outside the zone or is longer than the free-block count");
            return NULL;
        }
        uint64_t sz = block_size(b);
        if (!block_is_free(b) || sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)b)) {
            mm_damage(z, b, memBCErr, "free-list entry is not a free block of a possible size");
            return NULL;
        }
        mm_block *nx = free_next(b);   /* stepped to next: it must link back */
        if (nx != NULL && fl_in_zone(z, nx) && body_prev(nx) != b) {
            mm_damage(z, b, memBCErr, "free block's next free-list link does not lead to a free block that links back");
            return NULL;
        }
        if (sz >= phys)
            return b;
    }
    return NULL;
}

mm_block *fl_find(THz z, uint64_t phys)
{
    unsigned f, s;
    map_class_up(zone_priv(z), phys, &f, &s);
    if (f < zone_priv(z)->flCount) {
        uint32_t slmap = zone_priv(z)->slBitmap[f] & (~0u << s);
        if (slmap == 0) {
            uint64_t flmap = f + 1 < 64 ? zone_priv(z)->flBitmap & (~0ull << (f + 1)) : 0;
            if (flmap) {
                f = (unsigned)__builtin_ctzll(flmap);
                slmap = zone_priv(z)->slBitmap[f];
            }
        }
        if (slmap) {
            mm_block *b = zone_priv(z)->bins[f][__builtin_ctz(slmap)];
            if (block_size(b) >= phys)   /* only false in the clamped top class */
                return b;
        }
    }
    fl_class(zone_priv(z), phys, &f, &s);
    return fl_scan_class(z, f, s, phys);
}

/* Every list: entries are free blocks inside the zone, of the list's class,
 * doubly linked both ways; bitmaps match; the count matches nFree. */
OSErr fl_check(THz z, mm_block **where, const char **what)
{
    Size seen = 0, small = 0;
    for (unsigned f = 0; f < zone_priv(z)->flCount; f++) {
        for (unsigned s = 0; s < MM_SL_COUNT; s++) {
            bool bit = (zone_priv(z)->slBitmap[f] >> s) & 1;
            if (bit != (zone_priv(z)->bins[f][s] != NULL)) {
                *where = zone_priv(z)->bins[f][s];
                *what = "free-list bitmap disagrees with its list";
                return memSCErr;
            }
            mm_block *prev = NULL;
            for (mm_block *b = zone_priv(z)->bins[f][s]; b; prev = b, b = free_next(b)) {
                unsigned bf, bs;
                if (++seen > zone_priv(z)->nFree || !zone_contains(z, b) || ((uintptr_t)b & (MM_ALIGN - 1))) {
                    *where = b;
                    *what = "free list runs outside the zone or is longer than the free-block count";
                    return memAZErr;
                }
                if (block_size(b) < MM_MIN_BLOCK) {   /* no class: map_class needs a possible size */
                    *where = b;
                    *what = "free-list entry has an impossible size";
                    return memBCErr;
                }
                small += !free_indexed(b);
                fl_class(zone_priv(z), block_size(b), &bf, &bs);
                if (!block_is_free(b) || bf != f || bs != s || body_prev(b) != prev) {
                    *where = b;
                    *what = "free-list entry is not a free block of this class";
                    return memBCErr;
                }
            }
        }
        if (((zone_priv(z)->flBitmap >> f) & 1) != (zone_priv(z)->slBitmap[f] != 0)) {
            *where = NULL;
            *what = "first-level bitmap disagrees";
            return memSCErr;
        }
    }
    if (seen != zone_priv(z)->nFree) {
        *where = NULL;
        *what = "free lists hold fewer blocks than the free-block count";
        return memSCErr;
    }
    if (small != zone_priv(z)->nSmall) {
        *where = NULL;
        *what = "free lists' small blocks disagree with the small-block count";
        return memSCErr;
    }
    return noErr;
}

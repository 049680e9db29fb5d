/*
 * mm_addrtree.c - a zone's free blocks ordered by address, so that a
 * nonrelocatable block goes into the LOWEST free block that fits (Inside
 * Macintosh: Memory, "nonrelocatable blocks are allocated as low in the
 * heap as possible") in O(log n) expected time, n = free blocks.
 *
 * The index is a treap threaded through the free blocks themselves: key =
 * block address, priority = a hash of the address taken at insertion (so
 * the shape is random whatever the allocation pattern) and kept with the
 * node, so a node can pass to an adjacent free block in place (at_replace);
 * each node carries the largest block size in its subtree. Fields live in
 * the free block's body after the free-list back link (see mm_internal.h):
 *
 *   data+8  left   data+16 right   data+24 subtree max size   data+32 priority
 *
 * That plus the header, list links and footer needs 64 bytes, hence
 * MM_MIN_BLOCK = 64: every free block is indexed, so the fit found is
 * exactly the lowest one (indexing only larger blocks would let a small
 * NewPtr miss a lower small hole). Leftovers under 64 bytes stay with the
 * block they were cut from.
 *
 * Cost: every free-block change also walks one treap path; merges and
 * carves keep a node in place where they can (at_resize, at_replace) to
 * avoid a full removal and insertion. The churn benchmark
 * (tools/bench-mm.sh) holds the cost per call at 100,000 live handles
 * within 1.5 times that at 100 (README has the figures).
 *
 * Invariants (at_check):
 *  1. in-order traversal lists exactly the zone's free blocks, by rising address;
 *  2. a node's priority is >= its children's;
 *  3. a node's max is the largest block size in its subtree.
 */
#include "mm_internal.h"

enum { AT_MAX_DEPTH = 256 };   /* far beyond any treap the hash allows; a corrupt tree stops here */

_Static_assert(MM_MIN_BLOCK >= MM_HDR + 5 * 8 + 8, "a free block holds list links, treap fields and footer");

static mm_block **at_lslot(mm_block *b) { return (mm_block **)(block_data(b) + 8); }
static mm_block **at_rslot(mm_block *b) { return (mm_block **)(block_data(b) + 16); }
static mm_block *at_left(mm_block *b) { return free_link_left(b); }
static mm_block *at_right(mm_block *b) { return free_link_right(b); }
static uint64_t *at_maxslot(mm_block *b) { return (uint64_t *)(block_data(b) + 24); }
static uint64_t at_max(mm_block *t) { return t ? *at_maxslot(t) : 0; }

static uint64_t *at_prioslot(mm_block *b) { return (uint64_t *)(block_data(b) + 32); }
static uint64_t at_prio(mm_block *b) { return *at_prioslot(b); }

/* A node may be stepped to: aligned, inside the block run (NULL is not). */
static bool at_in_zone(THz z, const mm_block *t)
{
    return ((uintptr_t)t & (MM_ALIGN - 1)) == 0
           && (uintptr_t)t - (uintptr_t)z->heapData < (uintptr_t)(z->bkLim - z->heapData);
}

static uint64_t at_hash(const mm_block *b)
{
    uint64_t x = (uint64_t)(uintptr_t)b >> 4;
    x *= 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 29);
}

static void at_pull(mm_block *t)
{
    uint64_t m = block_size(t), l = at_max(at_left(t)), r = at_max(at_right(t));
    if (l > m)
        m = l;
    if (r > m)
        m = r;
    *at_maxslot(t) = m;
}

/* Split subtree t into blocks below key (*lo) and above it (*hi). */
static void at_split(mm_block *t, const mm_block *key, mm_block **lo, mm_block **hi)
{
    if (t == NULL) {
        *lo = *hi = NULL;
        return;
    }
    if (t < key) {
        at_split(at_right(t), key, at_rslot(t), hi);
        *lo = t;
    } else {
        at_split(at_left(t), key, lo, at_lslot(t));
        *hi = t;
    }
    at_pull(t);
}

/* Join a and b, every block of a below every block of b. */
static mm_block *at_merge(mm_block *a, mm_block *b)
{
    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    if (at_prio(a) > at_prio(b)) {
        *at_rslot(a) = at_merge(at_right(a), b);
        at_pull(a);
        return a;
    }
    *at_lslot(b) = at_merge(a, at_left(b));
    at_pull(b);
    return b;
}

void at_insert(THz z, mm_block *n)
{
    uint64_t p = at_hash(n), s = block_size(n);
    *at_prioslot(n) = p;
    mm_block **link = &zone_priv(z)->addrRoot;
    while (*link != NULL && at_prio(*link) >= p) {
        mm_block *t = *link;
        if (*at_maxslot(t) < s)
            *at_maxslot(t) = s;
        link = n < t ? at_lslot(t) : at_rslot(t);
    }
    at_split(*link, n, at_lslot(n), at_rslot(n));
    at_pull(n);
    *link = n;
}

/* Remove n from subtree t, recomputing the max of every node on the way. */
/* A free block the index should hold is not on its search path: damage
 * (a size or index field changed under it). Reported; the caller stops
 * changing the index there, so nothing is followed further. */
static void at_missing(THz z, mm_block *n)
{
    mm_damage(z, n, memBCErr, "free block missing from the address index (index or sizes damaged)");
}

static mm_block *at_delete(THz z, mm_block *t, mm_block *n)
{
    if (t == NULL || !at_in_zone(z, t)) {
        at_missing(z, n);
        return t;
    }
    if (t == n)
        return at_merge(at_left(n), at_right(n));
    if (n < t)
        *at_lslot(t) = at_delete(z, at_left(t), n);
    else
        *at_rslot(t) = at_delete(z, at_right(t), n);
    at_pull(t);
    return t;
}

/* Nodes whose max exceeds n's size keep it after n leaves, so only the part
 * of the path where max == size(n) is rebuilt. */
void at_remove(THz z, mm_block *n)
{
    uint64_t s = block_size(n);
    mm_block **link = &zone_priv(z)->addrRoot;
    while (*link != NULL && *link != n && *at_maxslot(*link) > s)
        link = n < *link ? at_lslot(*link) : at_rslot(*link);
    *link = at_delete(z, *link, n);
}

/* Recompute max on the path from t down to n, bottom up. */
static void at_repull(THz z, mm_block *t, mm_block *n, unsigned depth)
{
    if (!at_in_zone(z, t) || depth > AT_MAX_DEPTH) {
        at_missing(z, n);
        return;
    }
    if (t != n)
        at_repull(z, n < t ? at_left(t) : at_right(t), n, depth + 1);
    at_pull(t);
}

/* n's size changed from old (its address did not): growing only raises
 * maxima on its path; shrinking rebuilds the part where max == old. */
void at_resize(THz z, mm_block *n, uint64_t old)
{
    uint64_t s = block_size(n);
    mm_block *t = zone_priv(z)->addrRoot;
    if (s >= old) {
        for (; t != n; t = n < t ? at_left(t) : at_right(t)) {
            if (!at_in_zone(z, t)) {
                at_missing(z, n);
                return;
            }
            if (*at_maxslot(t) < s)
                *at_maxslot(t) = s;
        }
        at_pull(n);
        return;
    }
    while (t != n && t != NULL && *at_maxslot(t) > old)
        t = n < t ? at_left(t) : at_right(t);
    at_repull(z, t, n, 0);
}

/* n takes old's place: no other free block lies between them, so the
 * order holds; n is at least as large (it absorbed old), so maxima only rise. */
void at_replace(THz z, mm_block *old, mm_block *n)
{
    uint64_t s = block_size(n);
    mm_block **link = &zone_priv(z)->addrRoot;
    DIAG_ASSERT(s >= block_size(old), "address index: a replacing block must not be smaller");
    while (*link != old) {
        mm_block *t = *link;
        if (t == NULL || !at_in_zone(z, t)) {
            at_missing(z, old);
            return;
        }
        if (*at_maxslot(t) < s)
            *at_maxslot(t) = s;
        link = old < t ? at_lslot(t) : at_rslot(t);
    }
    *at_lslot(n) = at_left(old);
    *at_rslot(n) = at_right(old);
    *at_prioslot(n) = at_prio(old);
    at_pull(n);
    *link = n;
}

bool at_node_ok(THz z, mm_block *n)
{
    mm_block *l = at_left(n), *r = at_right(n);
    bool lok = l == NULL || (((uintptr_t)l & (MM_ALIGN - 1)) == 0 && zone_contains(z, l) && l < n && block_is_free(l));
    bool rok = r == NULL || (((uintptr_t)r & (MM_ALIGN - 1)) == 0 && zone_contains(z, r) && r > n && block_is_free(r));
    if (!lok || !rok) {
        mm_damage(z, n, memBCErr, "free block's address-index links do not lead to free blocks on either side");
        return false;
    }
    return true;
}


/* Every node stepped to is checked first and the descent is bounded, so a
 * damaged index is reported (NULL), never followed. */
mm_block *at_lowest_fit(THz z, uint64_t phys)
{
    mm_block *t = zone_priv(z)->addrRoot;
    if (t != NULL && !at_in_zone(z, t)) {
        mm_damage(z, t, memAZErr, "address index root lies outside the zone");
        return NULL;
    }
    if (at_max(t) < phys)
        return NULL;
    for (unsigned depth = 0; t != NULL && depth < AT_MAX_DEPTH; depth++) {
        mm_block *l = at_left(t), *r = at_right(t);
        if ((l != NULL && !at_in_zone(z, l)) || (r != NULL && !at_in_zone(z, r))) {
            mm_damage(z, t, memAZErr, "address index link leads outside the zone");
            return NULL;
        }
        if (at_max(l) >= phys)
            t = l;
        else if (block_size(t) >= phys)
            return t;
        else
            t = r;
    }
    mm_damage(z, t, memBCErr, "address index promises a block of this size that is not there");
    return NULL;
}

uint64_t mm_largest_free(THz z)
{
    return at_max(zone_priv(z)->addrRoot);
}

typedef struct at_walk {
    THz          z;
    Size         seen;
    mm_block    *prev;
    mm_block   **where;
    const char **what;
} at_walk;

static OSErr at_fail(at_walk *w, mm_block *b, OSErr e, const char *what)
{
    *w->where = b;
    *w->what = what;
    return e;
}

/* In-order walk: invariants 1-3 for subtree t at depth d; *max its largest size. */
static OSErr at_check_node(at_walk *w, mm_block *t, unsigned d, uint64_t *max)
{
    *max = 0;
    if (t == NULL)
        return noErr;
    if (d > AT_MAX_DEPTH || ++w->seen > zone_priv(w->z)->nFree || !zone_contains(w->z, t) || ((uintptr_t)t & (MM_ALIGN - 1)))
        return at_fail(w, t, memAZErr, "address index runs outside the zone, too deep, or holds more than the free-block count");
    if (!block_is_free(t))
        return at_fail(w, t, memBCErr, "address index holds a block that is not free");
    uint64_t lm, rm;
    mm_block *l = at_left(t), *r = at_right(t);
    if ((l && at_prio(l) > at_prio(t)) || (r && at_prio(r) > at_prio(t)))
        return at_fail(w, t, memBCErr, "address index: child outranks its parent");
    OSErr e = at_check_node(w, l, d + 1, &lm);
    if (e != noErr)
        return e;
    if (w->prev != NULL && w->prev >= t)
        return at_fail(w, t, memBCErr, "address index is not in address order");
    w->prev = t;
    if ((e = at_check_node(w, r, d + 1, &rm)) != noErr)
        return e;
    *max = block_size(t);
    if (lm > *max)
        *max = lm;
    if (rm > *max)
        *max = rm;
    if (*at_maxslot(t) != *max)
        return at_fail(w, t, memSCErr, "address index: subtree max size is wrong");
    return noErr;
}

OSErr at_check(THz z, mm_block **where, const char **what)
{
    at_walk w = { .z = z, .where = where, .what = what };
    uint64_t max;
    OSErr e = at_check_node(&w, zone_priv(z)->addrRoot, 0, &max);
    if (e == noErr && w.seen != zone_priv(z)->nFree)
        e = at_fail(&w, NULL, memSCErr, "address index holds fewer blocks than the free-block count");
    return e;
}

bool at_holds(THz z, const mm_block *b)
{
    mm_block *t = zone_priv(z)->addrRoot;
    for (unsigned d = 0; t != NULL && d <= AT_MAX_DEPTH; d++) {
        if (t == b)
            return true;
        t = b < t ? at_left(t) : at_right(t);
    }
    return false;
}

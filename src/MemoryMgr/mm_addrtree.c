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
 * That plus the header, list links and footer needs MM_TREE_MIN = 64
 * bytes. Free blocks of 32 and 48 bytes (MM_MIN_BLOCK is 32) have no room
 * for a node and are not indexed: they live on their exact-size class
 * lists only (mm_freelist.c). A request of 64 bytes or more can use only
 * indexed blocks, so its fit here is exactly the lowest; a request of 32
 * or 48 bytes also looks at the small lists' heads (fl_lowest_fit).
 *
 * Cost: every free-block change also walks one treap path; merges and
 * carves keep a node in place where they can (at_resize, at_replace) to
 * avoid a full removal and insertion. The churn benchmark
 * (tools/bench-mm.sh) holds the cost per call at 100,000 live handles
 * within 1.5 times that at 100 (README has the figures).
 *
 * Damage: every descent checks each node it steps to (inside the zone)
 * and stops at AT_MAX_DEPTH levels (at_bad_step), so a cycle or a wild
 * link in the index is reported, never followed round and round.
 *
 * Invariants (at_check):
 *  1. in-order traversal lists exactly the zone's free blocks, by rising address;
 *  2. a node's priority is >= its children's;
 *  3. a node's max is the largest block size in its subtree.
 */
#include "mm_internal.h"

enum { AT_MAX_DEPTH = 256 };   /* far beyond any treap the hash allows; a corrupt tree stops here */

_Static_assert(MM_TREE_MIN >= MM_HDR + 5 * 8 + 8, "an indexed free block holds list links, treap fields and footer");
_Static_assert(MM_MIN_BLOCK >= MM_HDR + 2 * 8, "a small free block holds its back link and footer");

static mm_block **at_lslot(mm_block *b) { return (mm_block **)(block_data(b) + 8); }
static mm_block **at_rslot(mm_block *b) { return (mm_block **)(block_data(b) + 16); }
static mm_block *at_left(mm_block *b) { return free_link_word(b, 1); }   /* b is indexed: no size test */
static mm_block *at_right(mm_block *b) { return free_link_word(b, 2); }
static uint64_t *at_maxslot(mm_block *b) { return (uint64_t *)(block_data(b) + 24); }
static uint64_t at_max(mm_block *t) { return t ? *at_maxslot(t) : 0; }

static uint64_t *at_prioslot(mm_block *b) { return (uint64_t *)(block_data(b) + 32); }
static uint64_t at_prio(mm_block *b) { return *at_prioslot(b); }

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

/* The zone's block run as a descent checks it, read once per descent
 * (the index's stores could alias the zone header, so the compiler would
 * reload it at every step otherwise). */
typedef struct at_bounds {
    uintptr_t lo, granules;   /* heapData, and the run's size in 16-byte granules */
    THz       z;              /* for the report */
} at_bounds;

static inline at_bounds at_bounds_of(THz z)
{
    return (at_bounds){ (uintptr_t)z->heapData, (uintptr_t)(z->bkLim - z->heapData) / MM_ALIGN, z };
}

/* t is aligned and inside the block run: its offset rotated right by 4
 * bits is below the run's granule count (a misaligned offset's low bits
 * rotate to the top and fail the compare): one compare on the hot path. */
static inline bool at_inside(at_bounds zb, const mm_block *t)
{
    uintptr_t x = (uintptr_t)t - zb.lo;
    return ((x >> 4) | (x << 60)) < zb.granules;
}

[[gnu::cold, gnu::noinline]] static void at_report_step(THz z, const mm_block *t, unsigned depth)
{
    if (depth > AT_MAX_DEPTH)
        mm_damage(z, t, memBCErr, "address index path is deeper than any sound index (a cycle)");
    else
        mm_damage(z, t, memAZErr, "address index link leads outside the zone");
}

/* Whether a descent must stop at node t, depth levels down: t lies
 * outside the zone, or the path is deeper than any sound treap (a cycle).
 * Reported; the caller stops changing the index there. */
static inline bool at_bad_step(const at_bounds *zb, const mm_block *t, unsigned depth)
{
    if (__builtin_expect(at_inside(*zb, t), 1) && __builtin_expect(depth <= AT_MAX_DEPTH, 1))
        return false;
    at_report_step(zb->z, t, depth);
    return true;
}

/*
 * The nodes a change passed, deepest last, so their maxima are recomputed
 * bottom up once the links are in place (the iterative form of the
 * textbook recursion: no call per level). Bounded by AT_MAX_DEPTH: a
 * deeper path is reported by at_bad_step before it is recorded.
 */
typedef struct at_path {
    unsigned  n;
    mm_block *node[AT_MAX_DEPTH + 1];
} at_path;

static void at_path_pull(at_path *p)
{
    while (p->n > 0)
        at_pull(p->node[--p->n]);
}

/* Split subtree t, depth levels down, into blocks below key (*lo) and
 * above it (*hi), recording the nodes passed; a bad node ends the split
 * there (reported), dropping the subtree below it. */
static void at_split(const at_bounds *zb, at_path *p, mm_block *t, const mm_block *key, mm_block **lo,
                     mm_block **hi, unsigned depth)
{
    for (; t != NULL && !at_bad_step(zb, t, depth); depth++) {
        p->node[p->n++] = t;
        if (t < key) {
            *lo = t;
            lo = at_rslot(t);
            t = at_right(t);
        } else {
            *hi = t;
            hi = at_lslot(t);
            t = at_left(t);
        }
    }
    *lo = *hi = NULL;
}

/* Join a and b (every block of a below every block of b), depth levels
 * down, recording the nodes passed; a bad node ends the join there
 * (reported). Returns the joined subtree. */
static mm_block *at_merge(const at_bounds *zb, at_path *p, mm_block *a, mm_block *b, unsigned depth)
{
    mm_block *root = NULL, **hook = &root;
    for (;; depth++) {
        if (a == NULL || b == NULL) {
            *hook = a != NULL ? a : b;
            break;
        }
        if (at_bad_step(zb, a, depth) || at_bad_step(zb, b, depth)) {
            *hook = a;
            break;
        }
        if (at_prio(a) > at_prio(b)) {
            *hook = a;
            p->node[p->n++] = a;
            hook = at_rslot(a);
            a = at_right(a);
        } else {
            *hook = b;
            p->node[p->n++] = b;
            hook = at_lslot(b);
            b = at_left(b);
        }
    }
    return root;
}

void at_insert(THz z, mm_block *n)
{
    uint64_t p = at_hash(n), s = block_size(n);
    *at_prioslot(n) = p;
    mm_block **link = &zone_priv(z)->addrRoot;
    at_bounds zb = at_bounds_of(z);
    unsigned depth = 0;
    for (; *link != NULL; depth++) {
        mm_block *t = *link;
        if (at_bad_step(&zb, t, depth))
            return;
        if (at_prio(t) < p)
            break;
        if (*at_maxslot(t) < s)
            *at_maxslot(t) = s;
        link = n < t ? at_lslot(t) : at_rslot(t);
    }
    at_path path;
    path.n = 0;
    at_split(&zb, &path, *link, n, at_lslot(n), at_rslot(n), depth);
    at_path_pull(&path);
    at_pull(n);
    *link = n;
}

/* A free block the index should hold is not on its search path: damage
 * (a size or index field changed under it). Reported; the caller stops
 * changing the index there, so nothing is followed further. */
static void at_missing(THz z, mm_block *n)
{
    mm_damage(z, n, memBCErr, "free block missing from the address index (index or sizes damaged)");
}

/* Nodes whose max exceeds n's size keep it after n leaves, so only the part
 * of the path where max == size(n) is rebuilt. */
void at_remove(THz z, mm_block *n)
{
    uint64_t s = block_size(n);
    mm_block **link = &zone_priv(z)->addrRoot;
    at_bounds zb = at_bounds_of(z);
    unsigned depth = 0;
    for (; *link != NULL && *link != n; depth++) {
        if (at_bad_step(&zb, *link, depth))
            return;
        if (*at_maxslot(*link) <= s)
            break;
        link = n < *link ? at_lslot(*link) : at_rslot(*link);
    }
    /* From here down every node's max may be n's size: record the path to
     * n, put the join of n's children in its place, pull bottom up. */
    at_path p;
    p.n = 0;
    for (; *link != n; depth++) {
        mm_block *t = *link;
        if (t == NULL || !at_inside(zb, t) || depth > AT_MAX_DEPTH) {
            at_missing(z, n);
            return;
        }
        p.node[p.n++] = t;
        link = n < t ? at_lslot(t) : at_rslot(t);
    }
    *link = at_merge(&zb, &p, at_left(n), at_right(n), depth + 1);
    at_path_pull(&p);
}

/* Recompute max on the path from t down to n, bottom up. */
static void at_repull(const at_bounds *zb, mm_block *t, mm_block *n, unsigned depth)
{
    if (!at_inside(*zb, t) || depth > AT_MAX_DEPTH) {
        at_missing(zb->z, n);
        return;
    }
    if (t != n)
        at_repull(zb, n < t ? at_left(t) : at_right(t), n, depth + 1);
    at_pull(t);
}

/* n's size changed from old (its address did not): growing only raises
 * maxima on its path; shrinking rebuilds the part where max == old. When
 * n's own subtree max (still from before the change) already covers s,
 * or, shrinking, came from a block other than n, no maximum on the path
 * changes and nothing is walked. */
void at_resize(THz z, mm_block *n, uint64_t old)
{
    uint64_t s = block_size(n), had = *at_maxslot(n);
    if (s >= old ? had >= s : had > old)
        return;
    mm_block *t = zone_priv(z)->addrRoot;
    unsigned depth = 0;
    at_bounds zb = at_bounds_of(z);
    if (s >= old) {
        for (; t != n; t = n < t ? at_left(t) : at_right(t)) {
            if (!at_inside(zb, t) || depth++ > AT_MAX_DEPTH) {
                at_missing(z, n);
                return;
            }
            if (*at_maxslot(t) < s)
                *at_maxslot(t) = s;
        }
        at_pull(n);
        return;
    }
    for (; t != n && t != NULL && at_inside(zb, t) && depth <= AT_MAX_DEPTH && *at_maxslot(t) > old; depth++)
        t = n < t ? at_left(t) : at_right(t);
    at_repull(&zb, t, n, depth);
}

/* n takes old's place: no other free block lies between them, so the
 * order holds; n is at least as large (it absorbed old), so maxima only rise. */
void at_replace(THz z, mm_block *old, mm_block *n)
{
    uint64_t s = block_size(n);
    mm_block **link = &zone_priv(z)->addrRoot;
    DIAG_ASSERT(s >= block_size(old), "address index: a replacing block must not be smaller");
    at_bounds zb = at_bounds_of(z);
    for (unsigned depth = 0; *link != old; depth++) {
        mm_block *t = *link;
        if (t == NULL || !at_inside(zb, t) || depth > AT_MAX_DEPTH) {
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
    mm_block *l = free_link_left(n), *r = free_link_right(n);   /* NULL for a small block */
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
    at_bounds zb = at_bounds_of(z);
    if (t != NULL && !at_inside(zb, t)) {
        mm_damage(z, t, memAZErr, "address index root lies outside the zone");
        return NULL;
    }
    if (at_max(t) < phys)
        return NULL;
    for (unsigned depth = 0; t != NULL && depth < AT_MAX_DEPTH; depth++) {
        mm_block *l = at_left(t), *r = at_right(t);
        if ((l != NULL && !at_inside(zb, l)) || (r != NULL && !at_inside(zb, r))) {
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

uint64_t at_largest(THz z)
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
    if (!block_is_free(t) || !free_indexed(t))
        return at_fail(w, t, memBCErr, "address index holds a block that is not free or too small to be indexed");
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
    if (e == noErr && w.seen != zone_priv(z)->nFree - zone_priv(z)->nSmall)
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

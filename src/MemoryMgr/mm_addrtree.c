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
 * The index is the treap plus a pending ring of at most MM_PEND_MAX
 * blocks that have not entered it yet. A block the free lists gain waits
 * on the ring, threaded through the same words (left: newer neighbour,
 * right: older one, max and priority 0: the mark free_pending tests, as a
 * treap node's max is at least its own size). Taken or merged while it
 * waits, it leaves the ring in O(1) without a treap path: the relocatable
 * churn through the size lists mostly takes and frees blocks the treap
 * never sees. A full ring indexes its oldest block when a new one arrives,
 * and the readers (at_lowest_fit, at_largest, at_holds) look at the
 * waiting blocks where they are, so no call inserts more than one block
 * and a reader steps over at most MM_PEND_MAX ring entries.
 *
 * Cost: a change to a treap block walks one treap path; merges and carves
 * keep a node in place where they can (at_resize, at_replace) to avoid a
 * full removal and insertion. The churn benchmark (tools/bench-mm.sh)
 * holds the cost per call at 100,000 live handles within 1.5 times that
 * at 100 (README has the figures).
 *
 * Damage: every descent checks each node it steps to (inside the zone)
 * and stops at AT_MAX_DEPTH levels (at_bad_step), so a cycle or a wild
 * link in the index is reported, never followed round and round. A ring
 * link is checked before it is followed (vf_pend_links in vf_free for a
 * block that leaves the ring, vf_pend_ok here), and a walk of the ring
 * takes exactly nPend steps.
 *
 * Invariants (at_check):
 *  1. the treap's in-order traversal and the ring together list exactly
 *     the zone's free blocks of at least MM_TREE_MIN bytes, each once, the
 *     treap's by rising address;
 *  2. a node's priority is >= its children's;
 *  3. a node's max is the largest block size in its subtree;
 *  4. the ring holds nPend <= MM_PEND_MAX marked blocks, each one's newer
 *     link the entry before it (the head's: the last), closing at the head.
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

static uint64_t at_hash(const mm_block *b) { return mm_mix64((uint64_t)(uintptr_t)b >> 4); }

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

/* n joins the treap. */
static void at_index(THz z, mm_block *n)
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

static void at_tree_remove(THz z, mm_block *n);

/* The pending ring (file header): pendHead is the newest block, its newer
 * neighbour the oldest; nPend counts them. */
_Static_assert(MM_PEND_MAX >= 2, "a full ring's oldest block is not its newest");

/* Pending block n (its ring links checked by its caller) leaves the ring. */
static void pend_unlink(THz z, mm_block *n)
{
    mm_zone_priv *zp = zone_priv(z);
    mm_block *nw = free_pend_newer(n), *od = free_pend_older(n);
    *at_rslot(nw) = od;
    *at_lslot(od) = nw;
    if (zp->pendHead == n)
        zp->pendHead = od != n ? od : NULL;
    zp->nPend--;
}

/* n's words as a pending block between newer nw and older od. */
static void pend_set(mm_block *n, mm_block *nw, mm_block *od)
{
    *at_lslot(n) = nw;
    *at_rslot(n) = od;
    *at_maxslot(n) = 0;
    *at_prioslot(n) = 0;
}

[[gnu::cold, gnu::noinline]] static void pend_damaged(THz z, mm_block *t)
{
    mm_damage(z, t, memBCErr, "pending ring's oldest entries are not pending free blocks that link to each other");
}

/* n becomes the newest pending block, between the head and the oldest. A
 * full ring first indexes its oldest. Each block the ring is followed to
 * (the oldest, and when it leaves the next oldest) is checked before its
 * words are read or written: a damaged ring is reported and n goes into
 * the treap instead. */
void at_insert(THz z, mm_block *n)
{
    mm_zone_priv *zp = zone_priv(z);
    mm_block *h = zp->pendHead;
    if (h == NULL) {
        pend_set(n, n, n);
        zp->pendHead = n;
        zp->nPend = 1;
        return;
    }
    mm_block *t = free_pend_newer(h);
    if (!vf_pend_ok(z, t) || free_pend_older(t) != h) {
        pend_damaged(z, t);
        at_index(z, n);
        return;
    }
    if (zp->nPend >= MM_PEND_MAX) {
        mm_block *nw = free_pend_newer(t);
        if (nw != h && (!vf_pend_ok(z, nw) || free_pend_older(nw) != t)) {
            pend_damaged(z, nw);
            at_index(z, n);
            return;
        }
        *at_rslot(nw) = h;
        *at_lslot(h) = nw;
        zp->nPend--;
        at_index(z, t);
        t = nw;
    }
    pend_set(n, t, h);
    *at_lslot(h) = n;
    *at_rslot(t) = n;
    zp->pendHead = n;
    zp->nPend++;
}

void at_remove(THz z, mm_block *n)
{
    if (free_pending(n))
        pend_unlink(z, n);
    else
        at_tree_remove(z, n);
}

/* n takes pending block old's place on the ring (its links checked by
 * the caller); old's links are read before n's words are written, as n's
 * node may cover old's header. */
static void pend_replace(THz z, mm_block *old, mm_block *n)
{
    mm_block *nw = free_pend_newer(old), *od = free_pend_older(old);
    if (nw == old)
        nw = od = n;   /* old was alone */
    pend_set(n, nw, od);
    *at_rslot(nw) = n;
    *at_lslot(od) = n;
    if (zone_priv(z)->pendHead == old)
        zone_priv(z)->pendHead = n;
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
static void at_tree_remove(THz z, mm_block *n)
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
    if (free_pending(n))
        return;   /* no maximum records it */
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
    if (free_pending(old)) {
        pend_replace(z, old, n);
        return;
    }
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
    if (free_indexed(n) && free_pending(n)) {
        if (vf_pend_links(z, n))
            return true;
        mm_damage(z, n, memBCErr, "pending free block's list links do not lead to pending free blocks that link back");
        return false;
    }
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
static mm_block *at_tree_lowest_fit(THz z, uint64_t phys)
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

/* Whether a walk of the pending list must stop at t, its n-th entry:
 * outside the block run or without room for its node there, not a pending
 * free block, or past the list's count (a cycle). Reported. */
static bool pend_bad_entry(THz z, const mm_block *t)
{
    if (vf_pend_ok(z, t))
        return false;
    mm_damage(z, t, memBCErr, "pending ring leads to a block that is not a pending free block");
    return true;
}

/* The pending blocks are read where they wait: the lowest fit is the
 * lower of the treap's and the lowest pending block that fits. */
mm_block *at_lowest_fit(THz z, uint64_t phys)
{
    unsigned mark = mm_damage_mark();
    mm_block *f = at_tree_lowest_fit(z, phys);
    if (mm_damage_since(mark) != noErr)
        return NULL;
    mm_block *t = zone_priv(z)->pendHead;
    for (uint32_t n = zone_priv(z)->nPend; n != 0; n--, t = free_pend_older(t)) {
        if (pend_bad_entry(z, t))
            return NULL;
        if (block_size(t) >= phys && (f == NULL || t < f))
            f = t;
    }
    return f;
}

uint64_t at_largest(THz z)
{
    uint64_t m = at_max(zone_priv(z)->addrRoot);
    mm_block *t = zone_priv(z)->pendHead;
    for (uint32_t n = zone_priv(z)->nPend; n != 0; n--, t = free_pend_older(t)) {
        if (pend_bad_entry(z, t))
            break;
        if (block_size(t) > m)
            m = block_size(t);
    }
    return m;
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

/* The pending ring from its head, nPend entries along the older links:
 * each inside the zone with room for its node, free, of an indexed size,
 * marked pending, linking back to the entry before it; the last one's
 * older link closes the ring at the head, whose newer link is that last
 * one. Bounded by nPend, itself at most MM_PEND_MAX and the free-block
 * count, so a cycle is reported, never followed round. */
static OSErr at_check_pending(at_walk *w)
{
    mm_zone_priv *zp = zone_priv(w->z);
    mm_block *h = zp->pendHead, *prev = NULL, *t = h;
    if ((h == NULL) != (zp->nPend == 0) || zp->nPend > MM_PEND_MAX || zp->nPend > zp->nFree)
        return at_fail(w, h, memSCErr, "pending ring's count disagrees with its head or exceeds its bound");
    for (uint32_t n = 0; n < zp->nPend; n++, prev = t, t = free_pend_older(t)) {
        if (!zone_contains(w->z, t) || ((uintptr_t)t & (MM_ALIGN - 1)) || (char *)t + MM_TREE_MIN > w->z->bkLim)
            return at_fail(w, t, memAZErr, "pending ring leads outside the zone");
        if (!block_is_free(t) || !free_indexed(t) || !free_pending(t))
            return at_fail(w, t, memBCErr, "pending ring holds a block that is not a pending free block of an indexed size");
        if (prev != NULL && free_pend_newer(t) != prev)
            return at_fail(w, t, memBCErr, "pending ring entry does not link back to the entry before it");
    }
    if (h != NULL && (t != h || free_pend_newer(h) != prev))
        return at_fail(w, h, memBCErr, "pending ring does not close at its head after its count of entries");
    w->seen += zp->nPend;
    return noErr;
}

OSErr at_check(THz z, mm_block **where, const char **what)
{
    at_walk w = { .z = z, .where = where, .what = what };
    uint64_t max;
    OSErr e = at_check_node(&w, zone_priv(z)->addrRoot, 0, &max);
    if (e == noErr)
        e = at_check_pending(&w);
    if (e == noErr && w.seen != zone_priv(z)->nFree - zone_priv(z)->nSmall)
        e = at_fail(&w, NULL, memSCErr, "address index and pending list hold other than the indexed free blocks");
    return e;
}

bool at_holds(THz z, const mm_block *b)
{
    mm_block *p = zone_priv(z)->pendHead;
    for (uint32_t n = zone_priv(z)->nPend; n != 0; n--, p = free_pend_older(p)) {
        if (p == b)
            return true;
        if (pend_bad_entry(z, p))
            return false;
    }
    mm_block *t = zone_priv(z)->addrRoot;
    for (unsigned d = 0; t != NULL && d <= AT_MAX_DEPTH; d++) {
        if (t == b)
            return true;
        t = b < t ? at_left(t) : at_right(t);
    }
    return false;
}

/*
 * mm_compact.c - moving and purging relocatable blocks: compaction,
 * purging and the MM_SCRAMBLE heap scramble.
 *
 * Compaction (IM: Memory, "Heap compaction") walks the zone once, bottom
 * to top, and slides every unlocked relocatable block down into the free
 * space below it. Invariants it relies on and keeps:
 *  1. the free space met so far is one contiguous gap [gap, cursor) that
 *     starts right after an immovable or moved block;
 *  2. a run of consecutive movable blocks is moved with one nk_memmove,
 *     which is overlap-safe, so a block moving down by less than its own
 *     size keeps every byte;
 *  3. master pointers are rewritten after the run has moved, from the
 *     headers at their new place (the headers move with the data);
 *  4. locked and nonrelocatable blocks never move: the gap before one
 *     becomes a free block and the gap restarts after it;
 *  5. the free lists are rebuilt from the gaps, so no list entry can point
 *     at space that a moved block now occupies.
 *
 * Compaction for a size (mm_compact_for: an allocation, CompactMem with a
 * cbNeeded below maxSize) keeps the lists live instead: each free block the
 * walk reaches is checked in full and unlinked before anything can move
 * over it, each gap it closes is linked, and the walk stops at the first
 * block with a gap of the size below it (Inside Macintosh lets CompactMem
 * stop there), so the blocks above are neither moved nor read. Invariant
 * 5 holds the same way: nothing on a list lies in the gap.
 *
 * Damage (issue 10's contract): the walk checks every header it steps to
 * before it acts on it (compact_check: a possible size and type, the
 * below-is-free bit against the block below, a free block's footer and
 * list links, a moving block's master pointer), and a run of movable
 * blocks moves only once the block ending it has passed too. At the first
 * damaged block the walk stops: the gap below it is closed as a free
 * block (the part below is compacted and consistent, its free blocks on
 * the rebuilt lists and counted in zcbFree), nothing at or above the
 * damaged block is written or rebuilt (its free blocks stay off the
 * lists), the damage is reported through mm_damage with its result code
 * and that code is left in MemError. No separate walk checks the zone
 * first: the check costs a few compares per header the walk reads anyway.
 * One kind of damage is found only at the top of the zone: a free block's
 * link written over with another plausible address, which the rebuilding
 * walk never follows (its ledger, below compact_link_ok).
 * Purging checks the same way: each header it steps to, and a block's
 * neighbours and master pointer before it is purged.
 *
 * The walk is a chain of dependent header loads spread over the whole zone,
 * so it is bound by memory latency, not by copying: it prefetches every
 * cache line of the next MM_COMPACT_AHEAD bytes (never more than that per
 * block, so a huge free block costs nothing extra). On a fragmented 64 MiB
 * zone this more than doubles CompactMem's speed (bench/bench_mm.c).
 */
#include "mm_internal.h"

#include "lib/kstring.h"

enum { MM_COMPACT_AHEAD = 8192, MM_CACHE_LINE = 64 };

/* Prefetch the lines of [max(*pf, b), b + MM_COMPACT_AHEAD) not yet asked for. */
static void compact_prefetch(char **pf, const mm_block *b, const mm_block *trailer)
{
    const char *lim = (const char *)b + MM_COMPACT_AHEAD;
    if (lim > (const char *)trailer)
        lim = (const char *)trailer;
    if (*pf < (const char *)b)
        *pf = (char *)b;
    for (; *pf < lim; *pf += MM_CACHE_LINE)
        __builtin_prefetch(*pf);
}

static bool compact_movable(const mm_block *b)
{
    return block_type(b) == MM_T_REL && !block_locked(b);
}

/* Close the gap [gap, b) as one free block; returns its size. b's
 * below-is-free bit is set only if touch_b (b is a checked block). */
static uint64_t compact_close_gap(THz z, char *gap, mm_block *b, bool touch_b)
{
    if (gap == NULL) {
        if (touch_b)
            block_set_prev_free(b, false);
        return 0;
    }
    mm_block *f = (mm_block *)gap;
    block_set_tag(f, (uint64_t)((char *)b - gap), MM_T_FREE, 0);
    fl_insert(z, f);
    if (touch_b)
        block_set_prev_free(b, true);
    return block_size(f);
}

/* Move the run [src, end) down to gap; fix each moved block's master pointer. */
static void compact_move_run(THz z, char *gap, mm_block *src, mm_block *end)
{
    size_t len = (size_t)((char *)end - (char *)src);
    smap_touch(z, gap, (uint64_t)((char *)end - gap));
    nk_memmove(gap, src, len);
    for (mm_block *m = (mm_block *)gap; (char *)m < gap + len; m = block_next(m)) {
        m->tag &= ~(uint64_t)MM_TAG_PREVFREE;   /* a moved block lands right above the one before it */
        block_reseal(m);                         /* checked before the move (compact_check) */
        *zone_mp_at(z, block_link(m)) = block_data(m);
    }
}

static bool compact_fail(THz z, const void *at, OSErr e, const char *what)
{
    mm_damage(z, at, e, what);
    return false;
}

/* A list or index link compaction may leave behind: NULL, or aligned and inside the block run. */
static inline bool compact_link_ok(THz z, const mm_block *l)
{
    uintptr_t v = (uintptr_t)l;
    return v == 0 || ((v & (MM_ALIGN - 1)) == 0 && v - (uintptr_t)z->heapData < (uintptr_t)(z->bkLim - z->heapData));
}

/*
 * The links of the free blocks a rebuilding walk passes (the lists are
 * rebuilt from the gaps, so none is followed) are judged in two ways.
 * At the block: each is NULL or aligned inside the block run, a treap
 * child lies on its side, a ring link is not NULL; a link that fails is
 * reported there and stops the walk. Across the zone, a ledger: every
 * link is entered from both of its ends, as a sum of a hash of the pair
 * (a list's next link of a as the pair (a, b), b's previous link as
 * (a, b) again; the pending ring the same way with newer and older; each
 * treap node as a member once, and once more as a child its parent
 * names or as the root the zone names). In a sound zone each kind's two
 * sums are equal; a link written over to another address leaves a pair
 * without its partner, and they differ but for a 64-bit coincidence. The
 * ledger costs a few multiplies per free block, where reading each link's
 * target was a cache miss anywhere in the zone (about a seventh of a
 * CompactMem's time in a fragmented 64 MiB zone). Its price: it is read
 * at the top of the zone, after the blocks have moved, so that report
 * names the zone, not the block (MM_HEAPCHECK=1's check before each call
 * names it); the moves never depend on a link. A walk given a part left
 * mid-change (lo..hi) keeps the checks at the block only: links into
 * that part need not pair up yet.
 */
typedef struct compact_ledger {
    uint64_t list_next, list_prev;   /* pairs entered from their lower end's next link, upper end's previous */
    uint64_t ring_newer, ring_older; /* the pending ring's pairs, from each end */
    uint64_t tree_nodes, tree_named; /* treap nodes; nodes named by a parent or as the root */
    uint64_t pending, pend_count;    /* pending blocks met; the zone's nPend as the walk began */
    bool     paired;                 /* the sums are compared at the end */
} compact_ledger;

static inline uint64_t ledger_pair(const mm_block *a, const mm_block *b)
{
    return mm_mix64((uint64_t)(uintptr_t)a ^ ((uint64_t)(uintptr_t)b * 0xD6E8FEB86659FD93ull));
}

static inline uint64_t ledger_node(const mm_block *b)
{
    return b != NULL ? mm_mix64((uint64_t)(uintptr_t)b + 0x632BE59BD9B4E019ull) : 0;
}

/* Free block b's links as the rebuilding walk judges them (above); damage at b is reported. */
static bool compact_free_links(THz z, mm_block *b, compact_ledger *lg)
{
    mm_block *nx = free_link_next(b), *pv = free_link_prev(b);
    if (!compact_link_ok(z, nx) || !compact_link_ok(z, pv))
        return compact_fail(z, b, memAZErr, "free block's list link leaves the zone");
    if (nx == b || pv == b)
        return compact_fail(z, b, memBCErr, "free block's list link leads back to itself");
    lg->list_next += nx != NULL ? ledger_pair(b, nx) : 0;
    lg->list_prev += pv != NULL ? ledger_pair(pv, b) : 0;
    if (!free_indexed(b))
        return true;
    mm_block *l = free_link_word(b, 1), *r = free_link_word(b, 2);
    if (!compact_link_ok(z, l) || !compact_link_ok(z, r))
        return compact_fail(z, b, memAZErr, "free block's address-index link leaves the zone");
    if (free_pending(b)) {
        if (l == NULL || r == NULL)
            return compact_fail(z, b, memBCErr, "pending free block's ring link is empty");
        lg->ring_newer += ledger_pair(b, l);
        lg->ring_older += ledger_pair(r, b);
        lg->pending++;
        return true;
    }
    if ((l != NULL && l >= b) || (r != NULL && r <= b))
        return compact_fail(z, b, memBCErr, "free block's address-index children are not on either side of it");
    lg->tree_nodes += ledger_node(b);
    lg->tree_named += ledger_node(l) + ledger_node(r);
    return true;
}

/* A ledger for zone z as a rebuilding walk begins (the root and the ring's count are reset next). */
static compact_ledger compact_ledger_open(THz z, bool paired)
{
    const mm_zone_priv *zp = zone_priv(z);
    return (compact_ledger){ .tree_named = ledger_node(zp->addrRoot), .pend_count = zp->nPend, .paired = paired };
}

/* At the top of the zone: whether every link the walk entered has its partner. */
static bool compact_ledger_ok(THz z, const compact_ledger *lg)
{
    if (!lg->paired)
        return true;
    if (lg->list_next == lg->list_prev && lg->ring_newer == lg->ring_older && lg->pending == lg->pend_count
        && lg->tree_nodes == lg->tree_named)
        return true;
    /* The address is the zone's: which block's link it was is not known here. */
    return compact_fail(z, z, memBCErr, "free blocks' links do not pair up (one was written over); lists rebuilt");
}

/*
 * The header at b as a walk that keeps the free lists (compact_walk with a
 * need) reads it: a possible size and type, the below-is-free bit against
 * the block below, a free block in full (vf_free: its links are live and
 * are unlinked next), a moving block's master pointer.
 */
static bool compact_check_live(THz z, mm_block *b, bool below_free, bool moving)
{
    if (!vf_block(z, b))
        return false;
    if (block_prev_free(b) != below_free)
        return compact_fail(z, b, memBCErr, "below-is-free bit disagrees with the block below");
    if (block_is_free(b))
        return vf_free(z, b);
    return !moving || vf_master(z, b);
}

/*
 * The header at b (below the trailer), as the walk reads it: a possible
 * size and type; the below-is-free bit says what the walk found below
 * (below_free); a free block's footer and links (compact_free_links: the
 * lists are rebuilt, so a link is never followed, only judged, lg its
 * ledger; NULL: the lists stay live, compact_check_live); a block
 * about to move has a master pointer inside the zone that points back at
 * it. lenient (a part of the zone its caller left mid-change: eviction's
 * failure path) keeps the size, type and master-pointer checks only.
 */
[[gnu::always_inline]] static inline bool compact_check(THz z, mm_block *b, bool below_free, bool moving,
                                                         compact_ledger *lg, bool lenient)
{
    if (lg == NULL)
        return compact_check_live(z, b, below_free, moving);
    uint64_t sz = block_size(b);
    if (!block_sealed(b) || sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)b) || block_type(b) == MM_T_TRAILER
        || (!block_is_free(b) && block_corr(b) > sz - MM_HDR))
        return vf_block_report(z, b);
    if (!lenient && block_prev_free(b) != below_free)
        return compact_fail(z, b, memBCErr, "below-is-free bit disagrees with the block below");
    if (block_is_free(b)) {
        if (lenient)
            return true;   /* its links may be mid-change */
        if (below_free)
            return compact_fail(z, b, memBCErr, "two adjacent free blocks");
        if (*block_footer(b) != sz)
            return compact_fail(z, b, memBCErr, "free block's footer disagrees with its size");
        return compact_free_links(z, b, lg);
    }
    return !moving || vf_master(z, b);
}

/* The trailer as the walk reaches it: its type and size, and (unless
 * lenient, as compact_check) its below-is-free bit against the block
 * below (below_free; the run check passes false: a movable block lies
 * below). */
static bool compact_trailer_ok(THz z, mm_block *t, bool below_free, bool lenient)
{
    if (!block_sealed(t) || block_type(t) != MM_T_TRAILER || block_size(t) != MM_TRAILER)
        return compact_fail(z, t, memBCErr, "zone trailer is damaged");
    if (!lenient && block_prev_free(t) != below_free)
        return compact_fail(z, t, memBCErr, "trailer's below-is-free bit disagrees with the block below");
    return true;
}

/*
 * A scout runs up to MM_COMPACT_AHEAD / 2 bytes ahead of the walk over
 * headers whose lines were asked for a while ago, and asks for each
 * relocatable block's master pointer and, when the walk keeps the lists
 * live (links: it unlinks each free block it passes), each free block's
 * list partners: the misses overlap instead of stalling the walk one by
 * one. It trusts nothing: a size it cannot step by stops it, and a
 * prefetch of any address is harmless.
 */
static void compact_scout(THz z, mm_block **scout, const mm_block *b, const mm_block *trailer, bool links)
{
    mm_block *s = *scout;
    if (s < b)
        s = (mm_block *)b;
    const char *lim = (const char *)b + MM_COMPACT_AHEAD / 2;   /* lines asked for a while ago */
    while (s < trailer && (const char *)s < lim) {
        uint64_t sz = block_size(s);
        if (sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)s)) {
            s = (mm_block *)trailer;   /* the walk reports it when it gets there */
            break;
        }
        if (block_is_free(s) && links) {
            __builtin_prefetch(free_link_next(s));
            __builtin_prefetch(free_link_prev(s));
        } else if (block_type(s) == MM_T_REL) {
            __builtin_prefetch(zone_mp_at(z, block_link(s)), 1);   /* checked, then rewritten after the move */
        }
        s = block_next(s);
    }
    *scout = s;
}

/* Whether b lies in [lo, hi], the part its caller left mid-change. */
static inline bool compact_lenient(const mm_block *b, const mm_block *lo, const mm_block *hi)
{
    return b >= lo && b <= hi;
}

/* What a walk returns: the larger of its last gap f and the largest before
 * it when it rebuilt the lists (lg), else the index's largest free block. */
static inline uint64_t compact_result(THz z, const compact_ledger *lg, uint64_t f, uint64_t largest)
{
    if (lg == NULL)
        return mm_largest_free(z);
    return f > largest ? f : largest;
}

/*
 * The compaction walk; [lo, hi] (NULL: none) is left mid-change by the
 * caller and gets compact_check's reduced checks. need 0: the whole zone,
 * the free lists rebuilt from the gaps. need > 0: the free lists stay
 * live (each free block the walk passes is unlinked, each gap it closes
 * linked), and the walk stops at the first block below which the gap has
 * reached need bytes, so nothing above that block moves or is read; the
 * result is then the largest free block of the whole zone.
 */
static uint64_t compact_walk(THz z, const mm_block *lo, const mm_block *hi, uint64_t need)
{
    compact_ledger ledger = compact_ledger_open(z, lo == NULL), *lg = need == 0 ? &ledger : NULL;
    mm_block *trailer = zone_trailer(z), *checked = NULL;
    char *gap = NULL;
    uint64_t largest = 0;
    bool below_free = false;   /* the block below b was free when the walk read it */
    char *pf = (char *)zone_first(z);
    DIAG_ASSERT(need == 0 || lo == NULL, "a compaction that stops early keeps every block checked");
    if (need == 0) {
        fl_reset(z);
        smap_touch_all(z);   /* free headers vanish into gaps unlisted */
    }
    mm_block *b = zone_first(z), *scout = b;
    while (b != trailer) {
        compact_prefetch(&pf, b, trailer);
        compact_scout(z, &scout, b, trailer, lg == NULL);
        bool moving = gap != NULL && compact_movable(b);
        if (b != checked && !compact_check(z, b, below_free, moving, lg, compact_lenient(b, lo, hi)))
            break;   /* damage at b: close the gap below it, touch nothing from b up */
        if (need != 0 && gap != NULL && !block_is_free(b) && (uint64_t)((char *)b - gap) >= need) {
            compact_close_gap(z, gap, b, true);   /* enough: b and everything above stay as they are */
            return mm_largest_free(z);
        }
        if (block_is_free(b)) {
            if (lg == NULL)
                fl_remove(z, b);   /* checked in full (compact_check_live): it joins the gap */
            if (gap == NULL)
                gap = (char *)b;
            below_free = true;
            b = block_next(b);
        } else if (moving && big_remappable(z, b)) {
            /* A large block moves alone, by whole pages (mm_remap.c), once
             * the block above it has passed its check too. */
            mm_block *end = block_next(b);
            bool lenient = compact_lenient(end, lo, hi);
            bool sound = end == trailer ? compact_trailer_ok(z, end, false, lenient)
                                        : compact_check(z, end, false, compact_movable(end), lg, lenient);
            if (!sound) {
                uint64_t f = compact_close_gap(z, gap, b, true);
                return compact_result(z, lg, f, largest);
            }
            uint64_t size = block_size(b);
            mm_block *t = big_target(gap, b);
            if (t != b)
                big_move(z, b, t);
            uint64_t f = compact_close_gap(z, (char *)t == gap ? NULL : gap, t, true);
            largest = f > largest ? f : largest;
            gap = t != b ? (char *)t + size : NULL;   /* the pages it left, at least one */
            checked = b = end;
            below_free = false;
        } else if (moving) {
            /* The run and the block ending it are checked before it moves. */
            mm_block *end = block_next(b);
            bool sound = true;
            while (sound && end != trailer && compact_movable(end) && !big_remappable(z, end)) {
                compact_prefetch(&pf, end, trailer);
                if ((sound = compact_check(z, end, false, true, lg, compact_lenient(end, lo, hi))))
                    end = block_next(end);
            }
            if (sound)
                sound = end == trailer ? compact_trailer_ok(z, end, false, compact_lenient(end, lo, hi))
                                       : compact_check(z, end, false, compact_movable(end), lg,
                                                       compact_lenient(end, lo, hi));
            if (!sound) {
                uint64_t f = compact_close_gap(z, gap, b, true);
                return compact_result(z, lg, f, largest);
            }
            compact_move_run(z, gap, b, end);
            gap += (char *)end - (char *)b;
            checked = b = end;
            below_free = false;
        } else {
            uint64_t f = compact_close_gap(z, gap, b, true);
            largest = f > largest ? f : largest;
            gap = NULL;
            below_free = false;
            b = block_next(b);
        }
    }
    bool sound = b == trailer && compact_trailer_ok(z, trailer, below_free, compact_lenient(trailer, lo, hi));
    if (sound && lg != NULL)
        (void)compact_ledger_ok(z, lg);   /* reported; the rebuilt lists no longer hold the bad link */
    uint64_t f = compact_close_gap(z, gap, b, sound);
    return compact_result(z, lg, f, largest);
}

unsigned long g_mm_compactions, g_mm_purges;

uint64_t mm_compact(THz z)
{
    g_mm_compactions++;
    return compact_walk(z, NULL, NULL, 0);
}

uint64_t mm_compact_for(THz z, uint64_t need)
{
    uint64_t largest = mm_largest_free(z);
    if (largest >= need)
        return largest;   /* a free block of need bytes exists: nothing to move */
    g_mm_compactions++;
    /* A need the zone's free bytes cannot meet compacts everything, and
     * the walk that rebuilds the lists is the cheaper one for that. */
    return compact_walk(z, NULL, NULL, need <= (uint64_t)z->zcbFree ? need : 0);
}

uint64_t mm_compact_unchecked(THz z, mm_block *lo, mm_block *hi)
{
    g_mm_compactions++;
    return compact_walk(z, lo, hi, 0);
}

static bool purge_candidate(THz z, mm_block *b, Handle protect)
{
    if (block_type(b) != MM_T_REL || block_locked(b) || !block_purgeable(b))
        return false;
    Handle h = zone_mp_at(z, block_link(b));
    return h != protect && h != mm_gz_save();
}

mm_block *mm_purge_block(THz z, mm_block *b)
{
    Handle h = zone_mp_at(z, block_link(b));
    if (z->purgeProc != NULL) {
        /* IM: the purge-warning procedure must not move memory; it may
         * save the data, or even make the block unpurgeable. */
        z->purgeProc(h);
        if (mm_mp_is_free(h) || *h != block_data(b) || block_locked(b) || !block_purgeable(b))
            return NULL;
    }
    mm_block *m = blk_release(z, b);
    if (m != NULL)
        *h = NULL;
    return m;
}

/* The header at b as the purge walk reads it: a possible size and type,
 * the below-is-free bit matching what the walk found below. */
static bool purge_check(THz z, mm_block *b, bool below_free)
{
    if (!vf_block(z, b))
        return false;
    if (block_prev_free(b) != below_free)
        return compact_fail(z, b, memBCErr, "below-is-free bit disagrees with the block below");
    return true;
}

/*
 * A purge-warning procedure may keep the block (make it unpurgeable, lock
 * it) or release it itself (DisposeHandle, EmptyHandle): the walk then
 * starts again from the bottom, as the block's header may have merged into
 * a free neighbour. Each restart follows one fewer purgeable block, so the
 * walk ends. A procedure that moved the block breaks IM's rule that it must
 * not move memory: that is reported and the purge stops. Each header is
 * checked as the walk reaches it, and a block to purge with its master
 * pointer and neighbours before its procedure runs: damage stops the walk
 * there, with the blocks below it purged and nothing from it up touched.
 */
void mm_purge(THz z, uint64_t want, Handle protect)
{
    if (zone_priv(z)->nPurge == 0)
        return;   /* nothing purgeable: no walk (the heap check holds nPurge to the blocks) */
    g_mm_purges++;
    unsigned mark = mm_damage_mark();
    mm_block *trailer = zone_trailer(z);
    bool below_free = false;
    for (mm_block *b = zone_first(z); b != trailer;) {
        if (!purge_check(z, b, below_free))
            return;   /* damage reported, never followed */
        if (!purge_candidate(z, b, protect)) {
            below_free = block_is_free(b);
            b = block_next(b);
            continue;
        }
        if (!vf_rel(z, b) || !vf_release(z, b))
            return;   /* damage reported before the block was purged */
        Handle h = zone_mp_at(z, block_link(b));
        Ptr data = block_data(b);
        mm_block *m = mm_purge_block(z, b);
        if (mm_damage_since(mark) != noErr)
            return;   /* a purge-warning procedure damaged the zone */
        if (m == NULL) {
            if (mm_mp_is_free(h) || *h == NULL) {
                b = zone_first(z);
                below_free = false;
            } else if (*h != data) {
                mm_misuse("purge-warning procedure", h, z, b, "moved the block it was warned about", memPurErr);
                return;
            } else {
                below_free = false;
                b = block_next(b);
            }
            continue;
        }
        if (want != 0 && block_size(m) >= want)
            return;
        below_free = true;
        b = block_next(m);
    }
}

/* A new home for a scrambled block of phys bytes: carved from a free block
 * big enough that its remainder stays a block, so the moved block keeps
 * its physical size (and its size correction) and FreeMem is unchanged. */
static mm_block *scramble_dest(THz z, uint64_t phys)
{
    mm_block *big = big_size(z, phys) && zone_priv(z)->remaps ? big_scramble_dest(z, phys) : NULL;
    if (big != NULL) {   /* a large block stays page-aligned, so it moves by remapping */
        block_set_type(big, MM_T_REL);
        blk_count_new(z, MM_T_REL);
        return big;
    }
    mm_block *f = fl_find(z, phys + MM_MIN_BLOCK);
    if (f == NULL || !vf_free(z, f))
        return NULL;
    mm_block *n = blk_carve(z, f, phys, true);
    block_set_type(n, MM_T_REL);
    blk_count_new(z, MM_T_REL);
    return n;
}

void mm_scramble(THz z, Handle protect)
{
    (void)protect;   /* moving a protected handle is allowed; only purging is not */
    if (!vf_walk(z, true))
        return;   /* damage reported before anything moved */
    mm_block *trailer = zone_trailer(z);
    for (mm_block *b = zone_first(z); b != NULL && b != trailer;) {
        mm_block *n = compact_movable(b) && !block_marked(b) ? scramble_dest(z, block_size(b)) : NULL;
        if (n == NULL) {
            b = zone_step(z, b);
            continue;
        }
        blk_move(z, b, n);
        block_set_mark(n, true);
        nk_memset(block_data(b), 0xE5, block_size(b) - MM_HDR);
        mm_block *m = blk_release(z, b);
        if (m == NULL)
            return;
        b = block_next(m);
    }
    for (mm_block *b = zone_first(z); b != NULL && b != trailer; b = zone_step(z, b))
        if (block_type(b) == MM_T_REL)
            block_set_mark(b, false);
}

Size mm_zone_largest_free(THz z)
{
    return mm_logical_room(mm_largest_free(z));
}

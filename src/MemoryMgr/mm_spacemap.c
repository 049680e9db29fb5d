/*
 * mm_spacemap.c - the space map: what MaxBlock and PurgeSpace need,
 * kept per chunk of the zone so neither walks the whole zone.
 *
 * MaxBlock is the largest run of free bytes between two immovable blocks
 * (nonrelocatable or locked), as compaction would gather them; PurgeSpace
 * counts unlocked purgeable blocks as free too (mm_space.c). The block run
 * [heapData, limit) is cut into chunks of 1 << smShift bytes; a block
 * belongs to the chunk its header is in. Each chunk has a summary
 * (smap_node): whether an immovable block starts in it, the free bytes
 * before its first immovable block (pre), the largest run between two of
 * its immovable blocks (best) and the free bytes after its last (suf),
 * each without and with purgeable blocks, and the free plus purgeable
 * total. Summaries combine left to right, so a bottom-up segment tree over
 * the chunks (leaves from index k, the chunk count) answers for the whole
 * zone in O(log chunks) combines. The map lies in the zone header after
 * the bins: k, the marks, the tree, and each chunk's first block. A zone holding a large relocatable block that
 * moves by whole pages (mm_remap.c) is answered by the walk: where such a
 * block lands depends on the address its gap starts at, not on a sum.
 *
 * The summaries are kept lazily, and only once the zone has been asked:
 * until its first MaxBlock or PurgeSpace, smCount is 0 and a mark is one
 * compare; that call marks every chunk. From then on whatever changes a
 * block marks the chunk its header is in (smap_mark: a few instructions,
 * no walk), and MaxBlock and PurgeSpace first rebuild the marked chunks
 * from their blocks and the tree nodes above them. A rebuild starts at the
 * first block of the nearest chunk below that has one, so a call costs
 * the blocks of the chunks changed since the last call plus O(log
 * chunks), and the first call after the whole zone changed walks it once. The map takes
 * about 0.2% of the zone (68 bytes per chunk); a zone of fewer than
 * SMAP_CHUNKS_MIN chunks (it is small) or of SMAP_SPAN_MAX bytes or more
 * has none, and its calls walk it.
 *
 * Invariants (checked by smap_check, for a map that has been asked):
 *  1. every unmarked chunk's leaf is what the blocks whose headers lie in
 *     it give, and its first is the lowest of those headers (none if no
 *     header lies in it);
 *  2. every inner node is the combination of its two children;
 *  3. so whoever writes a header (a new block, a size, a type, a state),
 *     or leaves one behind inside a larger block (a merge), marks the
 *     chunk it lies in: the free lists mark every free block they link,
 *     unlink, resize or replace; blk_free marks the block it frees; a
 *     carve marks the header it makes; a state change marks its block;
 *     moves of many blocks (compaction, sliding, MoveHHi, eviction) mark
 *     the whole range they rewrite.
 */
#include "mm_internal.h"

#include "lib/kstring.h"

enum { SMAP_BAR = 1, SMAP_BIG = 2 };

unsigned long g_smap_blocks;

/* The summary of a run of blocks, sizes in 16-byte units (a mapped zone
 * is under 64 GiB); all zero is the empty run. */
typedef struct smap_node {
    uint32_t flags;      /* SMAP_BAR: an immovable block; SMAP_BIG: a large movable block */
    uint32_t pre[2];     /* [0] free, [1] free and purgeable, before the first immovable block (all if none) */
    uint32_t best[2];    /* the largest run between two immovable blocks of the run */
    uint32_t suf[2];     /* after the last immovable block (all if none) */
    uint32_t tot;        /* free and purgeable */
} smap_node;

_Static_assert(sizeof(smap_node) == SMAP_NODE_BYTES, "mm_internal.h sizes the zone header by it");

static inline uint64_t smap_mark_words(uint64_t k) { return 1 + (k + 63) / 64; }
/* The map's chunk count, in the word before the marks (smCount is 0 until the map is asked). */
static inline uint64_t smap_k(mm_zone_priv *zp) { return smap_marks(zp)[-1]; }
static inline smap_node *smap_tree(THz z)
{
    return (smap_node *)(smap_marks(zone_priv(z)) + smap_mark_words(smap_k(zone_priv(z))));
}
/* Per chunk: its first block header, in 16-byte units from heapData, or SMAP_NONE. */
#define SMAP_NONE UINT32_MAX
static inline uint32_t *smap_first(THz z) { return (uint32_t *)(smap_tree(z) + 2 * smap_k(zone_priv(z))); }
static inline uint32_t smap_unit(THz z, const void *p) { return (uint32_t)(((const char *)p - z->heapData) / MM_ALIGN); }
static inline mm_block *smap_at(THz z, uint32_t u) { return (mm_block *)(z->heapData + (uint64_t)u * MM_ALIGN); }
static inline char *smap_chunk_start(THz z, uint64_t c) { return z->heapData + (c << zone_priv(z)->smShift); }
static inline uint64_t smap_chunk_of(THz z, const void *p)
{
    return (uint64_t)((const char *)p - z->heapData) >> zone_priv(z)->smShift;
}
static inline bool smap_dirty(mm_zone_priv *zp, uint64_t c) { return (smap_marks(zp)[1 + (c >> 6)] >> (c & 63)) & 1; }
static inline uint32_t smap_max(uint32_t a, uint32_t b) { return a > b ? a : b; }

static uint64_t smap_bytes_of(uint64_t k)
{
    return 8 + smap_mark_words(k) * 8 + 2 * k * sizeof(smap_node) + k * sizeof(uint32_t);
}

/* The map of a block run that may span `span` bytes in a zone made with
 * `room` bytes: its chunk count (0: none) and *shift. Chunks are at least
 * 1 << SMAP_SHIFT_MIN bytes, at most SMAP_CHUNKS_MAX of them, and larger
 * still where the map would take more than an eighth of the zone as made
 * (an Application zone starts small and grows toward a far limit). */
uint64_t smap_layout(uint64_t span, uint64_t room, unsigned *shift)
{
    *shift = 0;
    if (span >= SMAP_SPAN_MAX)
        return 0;
    unsigned s = SMAP_SHIFT_MIN;
    while ((span >> s) != 0 && ((span >> s) + 1 > SMAP_CHUNKS_MAX || smap_bytes_of((span >> s) + 1) > room / 8))
        s++;
    uint64_t k = (span >> s) + 1;
    if (k < SMAP_CHUNKS_MIN || smap_bytes_of(k) > room / 8)
        return 0;
    *shift = s;
    return k;
}

/* Header bytes of the map: its chunk count, the marks, the tree and the first blocks. */
uint64_t smap_bytes_for(uint64_t span, uint64_t room)
{
    unsigned s;
    uint64_t k = smap_layout(span, room, &s);
    return k == 0 ? 0 : smap_bytes_of(k);
}

static smap_node smap_combine(const smap_node *l, const smap_node *r)
{
    smap_node n;
    n.flags = l->flags | r->flags;
    for (unsigned v = 0; v < 2; v++) {
        n.pre[v] = (l->flags & SMAP_BAR) ? l->pre[v] : l->pre[v] + r->pre[v];
        n.suf[v] = (r->flags & SMAP_BAR) ? r->suf[v] : l->suf[v] + r->suf[v];
        uint32_t mid = (l->flags & r->flags & SMAP_BAR) ? l->suf[v] + r->pre[v] : 0;
        n.best[v] = smap_max(smap_max(l->best[v], r->best[v]), mid);
    }
    n.tot = l->tot + r->tot;
    return n;
}

/* Free (v 0) or purgeable (v 1 only) bytes join the open run. */
static void smap_add_free(smap_node *n, unsigned v, uint32_t size)
{
    n->suf[v] += size;
    if (!(n->flags & SMAP_BAR))
        n->pre[v] += size;
}

static void smap_add_barrier(smap_node *n)
{
    for (unsigned v = 0; v < 2; v++) {
        if (n->flags & SMAP_BAR)
            n->best[v] = smap_max(n->best[v], n->suf[v]);
        n->suf[v] = 0;
    }
    n->flags |= SMAP_BAR;
}

/* Block b joins summary n (the rules of mm_space.c's walk). */
static void smap_add_block(THz z, smap_node *n, const mm_block *b)
{
    uint32_t size = (uint32_t)(block_size(b) / MM_ALIGN);
    unsigned type = block_type(b);
    if (type == MM_T_FREE) {
        smap_add_free(n, 0, size);
        smap_add_free(n, 1, size);
        n->tot += size;
    } else if (type == MM_T_REL && !block_locked(b)) {
        if (block_purgeable(b)) {
            smap_add_free(n, 1, size);
            n->tot += size;
        }
        if (zone_priv(z)->remaps && big_remappable(z, b))
            n->flags |= SMAP_BIG;
    } else {
        smap_add_barrier(n);
    }
}

static void smap_mark_chunks(mm_zone_priv *zp, uint64_t c0, uint64_t c1)
{
    uint64_t *m = smap_marks(zp);
    for (uint64_t c = c0; c <= c1;) {
        if ((c & 63) == 0 && c + 63 <= c1) {
            m[0] |= 1ull << (c >> 6);
            m[1 + (c >> 6)] = ~0ull;
            c += 64;
        } else {
            smap_mark_one(m, c++);
        }
    }
}

void smap_touch_range(THz z, uint64_t c0, uint64_t c1)
{
    mm_zone_priv *zp = zone_priv(z);
    if (zp->smCount == 0)
        return;   /* not asked yet: the first call marks every chunk */
    smap_mark_chunks(zp, c0, c1 < zp->smCount ? c1 : zp->smCount - 1);
}

void smap_touch_all(THz z) { smap_touch_range(z, 0, UINT64_MAX); }

void smap_init(THz z, uint64_t span, uint64_t room, char *storage)
{
    mm_zone_priv *zp = zone_priv(z);
    unsigned shift;
    uint64_t k = smap_layout(span, room, &shift);
    zp->smCount = 0;   /* no marks until MaxBlock or PurgeSpace asks (smap_space) */
    zp->smShift = (uint8_t)shift;
    if (k == 0)
        return;   /* no map: MaxBlock and PurgeSpace walk the zone */
    DIAG_ASSERT((char *)(smap_marks(zp) - 1) == storage, "the space map follows the bins");
    smap_marks(zp)[-1] = k;
}

/* Whether p can start a rebuild: a sealed header inside the block run. */
static bool smap_start_ok(THz z, const mm_block *p)
{
    return vf_link_in(z, p) && block_sealed(p);
}

/* The block a rebuild of chunk c0 starts from: the first block of the
 * nearest chunk below with one (those are unmarked: runs are rebuilt from
 * the bottom up), else the zone's first block. */
static mm_block *smap_start(THz z, uint64_t c0)
{
    uint32_t *first = smap_first(z);
    for (uint64_t c = c0; c-- > 0;)
        if (first[c] != SMAP_NONE)
            return smap_at(z, first[c]);
    return zone_first(z);
}

/* Rebuild the leaves and first blocks of chunks c0..c1. */
static bool smap_build(THz z, uint64_t c0, uint64_t c1)
{
    smap_node *leaf = smap_tree(z) + smap_k(zone_priv(z));
    uint32_t *first = smap_first(z);
    mm_block *trailer = zone_trailer(z);
    nk_memset(leaf + c0, 0, (c1 - c0 + 1) * sizeof(smap_node));
    for (uint64_t c = c0; c <= c1; c++)
        first[c] = SMAP_NONE;
    if (smap_chunk_start(z, c0) >= z->bkLim)
        return true;   /* at or past the trailer: no blocks */
    mm_block *b = smap_start(z, c0);
    if (!smap_start_ok(z, b)) {
        mm_damage(z, b, memBCErr, "space map: a chunk's first block is not a block header");
        return false;
    }
    char *run_end = smap_chunk_start(z, c1 + 1);
    while (b != trailer && (char *)b < run_end) {
        mm_block *n = zone_step(z, b);
        if (n == NULL)
            return false;   /* damage reported */
        uint64_t c = smap_chunk_of(z, b);
        g_smap_blocks++;
        if (c >= c0) {
            if (first[c] == SMAP_NONE)
                first[c] = smap_unit(z, b);
            smap_add_block(z, &leaf[c], b);
        }
        b = n;
    }
    return true;
}

/* Inner nodes over leaves c0..c1 (a contiguous range: their parents are one too). */
static void smap_lift(THz z, uint64_t c0, uint64_t c1)
{
    smap_node *t = smap_tree(z);
    uint64_t k = smap_k(zone_priv(z));
    for (uint64_t lo = (k + c0) >> 1, hi = (k + c1) >> 1; hi >= 1; lo >>= 1, hi >>= 1)
        for (uint64_t i = lo < 1 ? 1 : lo; i <= hi; i++)
            t[i] = smap_combine(&t[2 * i], &t[2 * i + 1]);
}

static void smap_clear(mm_zone_priv *zp, uint64_t c0, uint64_t c1)
{
    uint64_t *m = smap_marks(zp);
    for (uint64_t c = c0; c <= c1; c++) {
        m[1 + (c >> 6)] &= ~(1ull << (c & 63));
        if (m[1 + (c >> 6)] == 0)
            m[0] &= ~(1ull << (c >> 6));
    }
}

/* Rebuild every marked chunk, lowest first; false if damage stopped it
 * (reported). Word 0 of the marks finds them: nothing marked costs nothing. */
static bool smap_refresh(THz z)
{
    mm_zone_priv *zp = zone_priv(z);
    uint64_t k = zp->smCount, *marks = smap_marks(zp);
    while (marks[0] != 0) {
        uint64_t w = (uint64_t)__builtin_ctzll(marks[0]);
        if (marks[1 + w] == 0) {   /* word 0 is kept exact (smap_check); never loop on it */
            marks[0] &= marks[0] - 1;
            continue;
        }
        uint64_t c0 = w * 64 + (uint64_t)__builtin_ctzll(marks[1 + w]), c1 = c0;
        while (c1 + 1 < k && smap_dirty(zp, c1 + 1))
            c1++;
        if (!smap_build(z, c0, c1))
            return false;
        smap_lift(z, c0, c1);
        smap_clear(zp, c0, c1);
    }
    return true;
}

/* The summary of the whole zone (bottom-up: left and right parts kept apart). */
static smap_node smap_whole(THz z)
{
    smap_node *t = smap_tree(z), l = { 0 }, r = { 0 };
    uint64_t k = smap_k(zone_priv(z));
    for (uint64_t lo = k, hi = 2 * k; lo < hi; lo >>= 1, hi >>= 1) {
        if (lo & 1)
            l = smap_combine(&l, &t[lo++]);
        if (hi & 1)
            r = smap_combine(&t[--hi], &r);
    }
    return smap_combine(&l, &r);
}

int smap_space(THz z, bool with_purge, uint64_t *best, uint64_t *total)
{
    mm_zone_priv *zp = zone_priv(z);
    if (zp->smShift == 0)
        return 0;   /* no map */
    if (zp->smCount == 0) {   /* first asked: from now on the zone's changes mark their chunks */
        zp->smCount = (uint32_t)smap_k(zp);
        smap_mark_chunks(zp, 0, zp->smCount - 1);
    }
    if (!smap_refresh(z))
        return -1;
    smap_node n = smap_whole(z);
    if (n.flags & SMAP_BIG)
        return 0;
    unsigned v = with_purge;
    *best = (uint64_t)smap_max(n.best[v], smap_max(n.pre[v], n.suf[v])) * MM_ALIGN;
    *total = with_purge ? (uint64_t)n.tot * MM_ALIGN : (uint64_t)z->zcbFree;
    return 1;
}

static bool smap_same(const smap_node *a, const smap_node *b) { return nk_memcmp(a, b, sizeof *a) == 0; }

OSErr smap_check(THz z, mm_block **where, const char **what)
{
    mm_zone_priv *zp = zone_priv(z);
    if (zp->smShift == 0 && zp->smCount == 0)
        return noErr;   /* no map */
    uint64_t k = smap_k(zp);
    if (k < SMAP_CHUNKS_MIN || k > SMAP_CHUNKS_MAX || zp->smShift < SMAP_SHIFT_MIN
        || smap_chunk_start(z, k) <= zone_end(z) || (zp->smCount != 0 && zp->smCount != k)) {
        *where = NULL;
        *what = "space map: chunk count, size or place is wrong";
        return memSCErr;
    }
    if (zp->smCount == 0)
        return noErr;   /* not asked yet: nothing kept */
    smap_node *t = smap_tree(z), cur = { 0 };
    uint64_t *m = smap_marks(zp);
    for (uint64_t w = 0; w < smap_mark_words(k) - 1; w++)
        if (((m[0] >> w) & 1) != (m[1 + w] != 0)) {
            *where = NULL;
            *what = "space map: the word of marked words disagrees with the marks";
            return memSCErr;
        }
    mm_block *trailer = zone_trailer(z);
    uint32_t *first = smap_first(z), want_first = SMAP_NONE;
    uint64_t c = 0;
    for (mm_block *b = zone_first(z);; b = block_next(b)) {
        uint64_t bc = b == trailer ? k : smap_chunk_of(z, b);
        for (; c < bc; c++, cur = (smap_node){ 0 }, want_first = SMAP_NONE) {
            if (smap_dirty(zp, c))
                continue;
            if (!smap_same(&t[k + c], &cur) || first[c] != want_first) {
                *where = (mm_block *)smap_chunk_start(z, c);
                *what = first[c] != want_first ? "space map: a chunk's first block is not its lowest header"
                                               : "space map: a chunk's summary disagrees with its blocks";
                return memSCErr;
            }
        }
        if (b == trailer)
            break;
        if (want_first == SMAP_NONE)
            want_first = smap_unit(z, b);
        smap_add_block(z, &cur, b);
    }
    for (uint64_t i = 1; i < k; i++) {
        smap_node want = smap_combine(&t[2 * i], &t[2 * i + 1]);
        if (!smap_same(&t[i], &want)) {
            *where = NULL;
            *what = "space map: a tree node is not the combination of its children";
            return memSCErr;
        }
    }
    return noErr;
}

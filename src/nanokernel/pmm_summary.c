/*
 * pmm_summary.c - run-length summaries over the page bitmap: where is the
 * lowest free run of n pages, answered without walking fragments.
 *
 * For word j of level k >= 1, runs[k][j] describes the 64^(k+1) pages
 * under it: the longest free run inside (max), the free run at its low end
 * (pre) and at its high end (suf), each saturating at PMM_RUN_CAP, and
 * whether every page is free (full). A node is summarised from its 64
 * children the segment-tree way (a run across child edges is the left
 * child's suf, any full children, and the right child's pre); a level-1
 * node (a "block", 4096 pages) from its level-0 words directly.
 *
 * Invariants (pmm_runs_check):
 *   - a block not marked dirty holds the summary of its words, counting
 *     the words on the unpublished stack as empty;
 *   - a node above level 1 holds the summary of its children's stored
 *     summaries, dirty or not.
 * Bulk changes (pmm_mark_free/pmm_mark_used) keep every summary exact.
 * Single-page calls never summarise: a free into a published word, or an
 * allocation from the hint word, marks the word's block dirty (one byte
 * test when it already is); stacked words change freely (they count as
 * empty) and are marked when published. A run search publishes the stack
 * and re-summarises the dirty blocks first (pmm_runs_clean), so its cost
 * is the search plus 4,000-5,000 instructions per block that single-page
 * calls touched since the last run call; the search itself is bounded.
 *
 * Search: from the top, a node whose summary shows no run of n is passed
 * in O(1) (its suf carries into the next node); one whose pre completes
 * the carried run answers at once; otherwise the search enters it, and it
 * enters only a node that surely holds the answer (or the one holding the
 * start position). So it reads at most 2 x 64 summaries per level and
 * 2 x 64 bitmap words, whatever the fragmentation, failures included.
 */
#include "pmm_internal.h"

#include "lib/diag.h"

#define RS_BITS 21u

static inline uint64_t rs_max(uint64_t s)
{
    return s & PMM_RUN_CAP;
}

static inline uint64_t rs_pre(uint64_t s)
{
    return (s >> RS_BITS) & PMM_RUN_CAP;
}

static inline uint64_t rs_suf(uint64_t s)
{
    return (s >> (2 * RS_BITS)) & PMM_RUN_CAP;
}

static inline bool rs_full(uint64_t s)
{
    return (s >> 63) != 0;
}

static inline uint64_t rs_cap(uint64_t v)
{
    return v < PMM_RUN_CAP ? v : PMM_RUN_CAP;
}

static inline uint64_t rs_make(uint64_t max, uint64_t pre, uint64_t suf, bool full)
{
    return rs_cap(max) | rs_cap(pre) << RS_BITS | rs_cap(suf) << (2 * RS_BITS) |
           (uint64_t)full << 63;
}

/* Pages under one word of level k. */
static inline unsigned rs_shift(unsigned k)
{
    return 6 * (k + 1);
}

/* Longest run of set bits in w: each round removes the lowest bit of
 * every run, so it takes as many rounds as the longest run is long. */
static uint64_t word_longest(uint64_t w)
{
    uint64_t n = 0;
    while (w) {
        w &= w << 1;
        n++;
    }
    return n;
}

/* Summarising children left to right: `cur` is the free run ending at
 * the edge reached so far. */
typedef struct rs_acc {
    uint64_t max, pre, cur;
    bool full;
} rs_acc;

/* Add a child: full, or with its longest run and its runs at each end. */
static inline void acc_add_parts(rs_acc *a, bool full, uint64_t max, uint64_t pre, uint64_t suf,
                                 uint64_t span)
{
    if (full) {
        a->cur += span;
        if (a->full)
            a->pre += span;
        if (a->cur > a->max)
            a->max = a->cur;
        return;
    }
    uint64_t cross = a->cur + pre;
    if (a->full) {
        a->pre = cross;
        a->full = false;
    }
    if (cross > a->max)
        a->max = cross;
    if (max > a->max)
        a->max = max;
    a->cur = suf;
}

static inline void acc_add(rs_acc *a, uint64_t s, uint64_t span)
{
    if (s == 0) {
        acc_add_parts(a, false, 0, 0, 0, span);
        return;
    }
    acc_add_parts(a, rs_full(s), rs_max(s), rs_pre(s), rs_suf(s), span);
}

static uint64_t acc_end(const rs_acc *a)
{
    return rs_make(a->max, a->pre, a->cur, a->full);
}

/* How many of the 64 children from c on equal x (at least the one at c);
 * children at or past n are missing and count as 0 (all used). */
static uint64_t same_from(const uint64_t *v, uint64_t c, uint64_t n, uint64_t x)
{
    uint64_t m = 1;
    while (c + m < 64 && (c + m < n ? v[c + m] : 0) == x)
        m++;
    return m;
}

/* A stretch of span pages, all free (full) or all used, as one child: a
 * full child's runs are its span, a used one has none (acc_add_parts
 * reads only the span for a full child). */
static inline void acc_add_uniform(rs_acc *a, bool full, uint64_t span)
{
    acc_add_parts(a, full, 0, 0, 0, span);
}

/* Summary of 64 level-0 words (missing ones count as empty). A stretch
 * of empty or full words adds as one child, and a word's longest inner
 * run is only counted when it could beat the longest run so far. */
static uint64_t words_summary(const uint64_t *w, uint64_t n)
{
    rs_acc a = { .full = true };
    for (uint64_t c = 0; c < 64;) {
        uint64_t v = c < n ? w[c] : 0;
        if (v == ~0ull || v == 0) {
            uint64_t k = same_from(w, c, n, v);
            acc_add_uniform(&a, v != 0, 64 * k);
            c += k;
            continue;
        }
        uint64_t pre = pmm_ctz(~v), suf = (uint64_t)__builtin_clzll(~v);
        uint64_t inner = 64 - pre - suf > a.max ? word_longest(v) : 0;
        acc_add_parts(&a, false, inner, pre, suf, 64);
        c++;
    }
    return acc_end(&a);
}

/* What runs[k][j] must be, from the level below. */
static uint64_t node_summary(unsigned k, uint64_t j)
{
    uint64_t first = j << 6, below = pmm_g.words[k - 1];
    uint64_t n = first < below ? below - first : 0;
    if (k == 1)
        return words_summary(&pmm_g.level[0][first], n);
    rs_acc a = { .full = true };
    uint64_t span = 1ull << rs_shift(k - 1);
    const uint64_t *r = &pmm_g.runs[k - 1][first];
    for (uint64_t c = 0; c < 64;) {
        uint64_t s = c < n ? r[c] : 0, m = 1;
        if (s == 0 || rs_full(s))
            acc_add_uniform(&a, s != 0, span * (m = same_from(r, c, n, s)));
        else
            acc_add(&a, s, span);
        c += m;
    }
    return acc_end(&a);
}

/* Re-summarise node (k, j) and its ancestors, stopping where nothing
 * changes (the ancestors already agree with their stored children). */
static void runs_refresh_up(unsigned k, uint64_t j)
{
    for (; k < pmm_g.levels; k++, j >>= 6) {
        uint64_t s = node_summary(k, j);
        if (pmm_g.runs[k][j] == s)
            return;
        pmm_g.runs[k][j] = s;
    }
}

void pmm_runs_mark(uint64_t a, uint64_t b, bool free)
{
    if (a >= b)
        return;
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        unsigned sh = rs_shift(k);
        uint64_t span = 1ull << sh, lo = a >> sh, hi = (b - 1) >> sh;
        uint64_t uniform = free ? rs_make(span, span, span, true) : 0;
        if (lo == hi) {
            /* the range lies under one node: once that node's summary
             * holds, every node above it does too */
            runs_refresh_up(k, lo);
            return;
        }
        for (uint64_t j = lo; j <= hi; j++) {
            uint64_t start = j << sh;
            /* inside the range every page took the same state; the
             * (at most two) edge nodes are summarised from below */
            pmm_g.runs[k][j] = start >= a && start + span <= b ? uniform : node_summary(k, j);
        }
    }
}

void pmm_runs_dirty(uint64_t block)
{
    pmm_g.dirty[block] = 1;
    if (pmm_g.ndirty < PMM_DIRTY_LIST)
        pmm_g.dirty_list[pmm_g.ndirty++] = block;
    else
        pmm_g.dirty_overflow = true;
}

static uint64_t blocks(void)
{
    return pmm_g.levels > 1 ? pmm_g.words[1] : 1;
}

void pmm_runs_clean(void)
{
    DIAG_ASSERT(pmm_g.nstack == 0, "summaries refreshed with unpublished words stacked");
    if (pmm_g.dirty_overflow) {
        /* more blocks were touched than the list holds: every one of
         * them costs a re-summary anyway, so the bitmap walk is minor */
        for (uint64_t b = 0, n = blocks(); b < n; b++)
            if (pmm_g.dirty[b]) {
                pmm_g.dirty[b] = 0;
                runs_refresh_up(1, b);
            }
        pmm_g.dirty_overflow = false;
    } else {
        for (unsigned i = 0; i < pmm_g.ndirty; i++) {
            uint64_t block = pmm_g.dirty_list[i];
            pmm_g.dirty[block] = 0;
            runs_refresh_up(1, block);
        }
    }
    pmm_g.ndirty = 0;
}

/* A search in progress: the lowest run of n free pages at or after
 * `from`; `cur` is the free run ending where the search has reached
 * (always shorter than n between nodes). */
typedef struct run_search {
    uint64_t n, from, cur;
} run_search;

/* Bit i set iff bits i .. i+n-1 of w are all set (1 <= n <= 64): the
 * masks for 1, 2, 4 ... pages, then one more shift to reach n. */
static uint64_t word_runs_of(uint64_t w, uint64_t n)
{
    uint64_t len = 1;
    while (len * 2 <= n && w) {
        w &= w >> len;
        len *= 2;
    }
    if (len < n)
        w &= w >> (n - len);
    return w;
}

/* The children of level-1 word j are bitmap words: scan them from the
 * one holding `from` (pages below it do not count). */
static uint64_t find_in_block(run_search *q, uint64_t j)
{
    const uint64_t *lv = pmm_g.level[0];
    uint64_t nw = pmm_g.words[0], n = q->n, cur = q->cur;
    uint64_t i = j << 6, last = i + 64;
    if ((i << 6) < q->from)
        i = q->from >> 6;
    for (; i < last; i++) {
        uint64_t w = i < nw ? lv[i] : 0, base = i << 6;
        if (base < q->from)
            w &= ~(pmm_bit(q->from) - 1);
        if (w == 0) {
            cur = 0;
            continue;
        }
        if (w == ~0ull) {
            if (cur + 64 >= n)
                return base - cur;
            cur += 64;
            continue;
        }
        if (cur + pmm_ctz(~w) >= n)
            return base - cur;
        if (n <= 64) {
            uint64_t m = word_runs_of(w, n);
            if (m)
                return base + pmm_ctz(m);
        }
        cur = (uint64_t)__builtin_clzll(~w);
    }
    q->cur = cur;
    return PMM_NONE;
}

/* The children of level-k word j (k >= 2) by their summaries: pass those
 * that cannot hold the run, answer from a low-end run that completes the
 * carried one, enter the child holding `from` and the first child that
 * surely holds the run. */
static uint64_t find_in_node(run_search *q, unsigned k, uint64_t j)
{
    if (k == 1)
        return find_in_block(q, j);
    unsigned csh = rs_shift(k - 1); /* pages under one child: 1 << csh */
    const uint64_t *rs = pmm_g.runs[k - 1];
    uint64_t nw = pmm_g.words[k - 1], n = q->n, span = 1ull << csh;
    uint64_t c = j << 6, last = c + 64;
    if ((c << csh) < q->from)
        c = q->from >> csh;
    for (; c < last; c++) {
        uint64_t base = c << csh;
        if (base < q->from) {
            uint64_t r = find_in_node(q, k - 1, c); /* holds `from` */
            if (r != PMM_NONE)
                return r;
            continue;
        }
        uint64_t s = c < nw ? rs[c] : 0;
        if (s == 0) {
            q->cur = 0;
            continue;
        }
        if (rs_full(s)) {
            if (q->cur + span >= n)
                return base - q->cur;
            q->cur += span;
            continue;
        }
        if (q->cur + rs_pre(s) >= n)
            return base - q->cur;
        if (rs_max(s) >= n)
            return find_in_node(q, k - 1, c); /* finds it */
        q->cur = rs_suf(s);
    }
    return PMM_NONE;
}

uint64_t pmm_runs_find(uint64_t n, uint64_t from)
{
    DIAG_ASSERT(n >= 1 && n <= PMM_RUN_CAP, "run search longer than the summaries count");
    DIAG_ASSERT(pmm_g.nstack == 0 && pmm_g.ndirty == 0 && !pmm_g.dirty_overflow,
                "run search over stale summaries");
    if (from >= pmm_g.words[0] << 6)
        return PMM_NONE;
    run_search q = { .n = n, .from = from };
    unsigned top = pmm_g.levels - 1;
    if (top == 0)
        return find_in_block(&q, 0); /* one bitmap word: level-1 word 0's only child */
    uint64_t s = pmm_g.runs[top][0];
    if (!rs_full(s) && rs_max(s) < n)
        return PMM_NONE; /* nowhere */
    return find_in_node(&q, top, 0);
}

uint64_t pmm_runs_longest(void)
{
    DIAG_ASSERT(pmm_g.nstack == 0 && pmm_g.ndirty == 0 && !pmm_g.dirty_overflow,
                "longest run read from stale summaries");
    unsigned top = pmm_g.levels - 1;
    return rs_max(top == 0 ? words_summary(pmm_g.level[0], pmm_g.words[0]) : pmm_g.runs[top][0]);
}

static bool is_stacked(uint64_t j)
{
    for (unsigned i = 0; i < pmm_g.nstack; i++)
        if (pmm_g.stack[i] == j)
            return true;
    return false;
}

static const char *check_dirty(void)
{
    uint64_t set = 0;
    for (uint64_t b = 0, n = blocks(); b < n; b++) {
        if (pmm_g.dirty[b] > 1)
            return "pmm: a dirty-block mark is neither 0 nor 1";
        set += pmm_g.dirty[b];
    }
    if (pmm_g.ndirty > PMM_DIRTY_LIST)
        return "pmm: dirty-block list overflows";
    for (unsigned i = 0; i < pmm_g.ndirty; i++) {
        uint64_t b = pmm_g.dirty_list[i];
        if (b >= blocks() || !pmm_g.dirty[b])
            return "pmm: dirty-block list names a block not marked dirty";
        for (unsigned m = 0; m < i; m++)
            if (pmm_g.dirty_list[m] == b)
                return "pmm: dirty-block list names a block twice";
    }
    if (!pmm_g.dirty_overflow && set != pmm_g.ndirty)
        return "pmm: a block marked dirty is missing from the dirty-block list";
    return NULL;
}

const char *pmm_runs_check(void)
{
    const char *why = check_dirty();
    if (why)
        return why;
    if (pmm_g.levels < 2)
        return NULL;
    for (uint64_t j = 0; j < pmm_g.words[1]; j++) {
        if (pmm_g.dirty[j])
            continue;
        uint64_t w[64], first = j << 6;
        uint64_t n = first + 64 <= pmm_g.words[0] ? 64 : pmm_g.words[0] - first;
        for (uint64_t c = 0; c < n; c++)
            w[c] = is_stacked(first + c) ? 0 : pmm_g.level[0][first + c];
        if (pmm_g.runs[1][j] != words_summary(w, n))
            return "pmm: a block's run summary disagrees with its words";
    }
    for (unsigned k = 2; k < pmm_g.levels; k++)
        for (uint64_t j = 0; j < pmm_g.words[k]; j++)
            if (pmm_g.runs[k][j] != node_summary(k, j))
                return "pmm: a run summary disagrees with the summaries below it";
    return NULL;
}

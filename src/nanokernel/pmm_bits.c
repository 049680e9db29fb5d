/*
 * pmm_bits.c - word-level range operations on the page manager's levels.
 *
 * Every multi-page change (init, reserve, contiguous runs) goes through
 * pmm_mark_free/pmm_mark_used, which touch level 0 a word at a time and
 * then fix only the summary words that can have changed (the "non-empty"
 * bits and the run summaries, pmm_summary.c), so initialising a 1 TiB map
 * costs a memset of its bitmap, not 2^28 per-page steps.
 * This layer only reads and writes bits: the unpublished stack belongs to
 * pmm.c, and every caller of a bulk change publishes it first.
 */
#include "pmm_internal.h"

#include "lib/diag.h"

static uint64_t pmm_popcount(uint64_t w)
{
    /* Own SWAR version: __builtin_popcountll may become a libgcc call. */
    w = w - ((w >> 1) & 0x5555555555555555ull);
    w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
    w = (w + (w >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (w * 0x0101010101010101ull) >> 56;
}

/* Mask of bits [a, b) within the word holding bit a; b <= word end. */
static uint64_t bits_mask(uint64_t a, uint64_t b)
{
    uint64_t hi = (b & 63) ? pmm_bit(b) - 1 : ~0ull;
    if (((b - 1) >> 6) != (a >> 6))
        hi = ~0ull;
    return hi & ~(pmm_bit(a) - 1);
}

static void bits_fill(uint64_t *lv, uint64_t a, uint64_t b, bool one)
{
    while (a < b) {
        uint64_t end = (a | 63) + 1 < b ? (a | 63) + 1 : b;
        uint64_t m = bits_mask(a, end);
        if (m == ~0ull) {
            /* whole words: the bulk case */
            uint64_t w = a >> 6, n = (b - a) >> 6;
            for (uint64_t i = 0; i < n; i++)
                lv[w + i] = one ? ~0ull : 0;
            a += n << 6;
            continue;
        }
        lv[a >> 6] = one ? (lv[a >> 6] | m) : (lv[a >> 6] & ~m);
        a = end;
    }
}

static void pmm_bits_set(unsigned k, uint64_t a, uint64_t b)
{
    bits_fill(pmm_g.level[k], a, b, true);
}

static void pmm_bits_clear(unsigned k, uint64_t a, uint64_t b)
{
    bits_fill(pmm_g.level[k], a, b, false);
}

/* Number of free pages among indexes [a, b). */
uint64_t pmm_bits_count(uint64_t a, uint64_t b)
{
    const uint64_t *lv = pmm_g.level[0];
    uint64_t n = 0;
    while (a < b) {
        uint64_t end = (a | 63) + 1 < b ? (a | 63) + 1 : b;
        n += pmm_popcount(lv[a >> 6] & bits_mask(a, end));
        a = end;
    }
    return n;
}

/*
 * Smallest free index >= i and < limit, or PMM_NONE. Climbs the summaries
 * until a word with a later bit appears, then descends: O(levels) words.
 */
uint64_t pmm_next_set(uint64_t i, uint64_t limit)
{
    const uint64_t end = limit;
    unsigned k = 0;
    while (i < limit) {
        uint64_t w = pmm_g.level[k][i >> 6] & ~(pmm_bit(i) - 1);
        if (w) {
            i = (i & ~63ull) | pmm_ctz(w);
            while (k > 0) {
                k--;
                i = (i << 6) | pmm_ctz(pmm_g.level[k][i]);
            }
            return i < end ? i : PMM_NONE;
        }
        if (k + 1 == pmm_g.levels)
            return PMM_NONE;
        i = (i >> 6) + 1;
        limit = ((limit - 1) >> 6) + 1;
        k++;
    }
    return PMM_NONE;
}

/* First allocated index in [a, b), or b if every page there is free.
 * Whole free words in the middle are skipped by a plain compare loop: a
 * 1 GiB zone's run is 4096 words, and this is what sizes its cost. */
uint64_t pmm_next_clear(uint64_t a, uint64_t b)
{
    const uint64_t *lv = pmm_g.level[0];
    while (a < b) {
        if (!(a & 63) && b - a >= 64) {
            uint64_t w = a >> 6, last = w + ((b - a) >> 6);
            while (w < last && lv[w] == ~0ull)
                w++;
            a = w << 6;
            if (a >= b)
                break;
        }
        uint64_t end = (a | 63) + 1 < b ? (a | 63) + 1 : b;
        uint64_t z = ~lv[a >> 6] & bits_mask(a, end);
        if (z)
            return (a & ~63ull) | pmm_ctz(z);
        a = end;
    }
    return b;
}

/* Indexes [a, b) become free; summaries above follow, and the hint.
 * The caller has published the stack (pmm_stack_flush). */
void pmm_mark_free(uint64_t a, uint64_t b)
{
    if (a >= b)
        return;
    DIAG_ASSERT(pmm_g.nstack == 0, "bulk bit change with unpublished words stacked");
    if ((a >> 6) < pmm_g.hint)
        pmm_g.hint = a >> 6;
    pmm_bits_set(0, a, b);
    pmm_runs_mark(a, b, true);
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        a >>= 6;
        b = ((b - 1) >> 6) + 1;
        pmm_bits_set(k, a, b);
    }
}

static void summary_recompute(unsigned k, uint64_t j)
{
    if (pmm_g.level[k - 1][j])
        pmm_g.level[k][j >> 6] |= pmm_bit(j);
    else
        pmm_g.level[k][j >> 6] &= ~pmm_bit(j);
}

/*
 * Indexes [a, b) become allocated. The hint stays valid: nothing below it
 * became free, and if its word emptied the next allocation searches on.
 * Words strictly inside the range are now zero, so their summary bits are
 * cleared in bulk; only the two edge words of each level need a look (by
 * induction the same holds one level up). The caller has published the
 * stack (pmm_stack_flush).
 */
void pmm_mark_used(uint64_t a, uint64_t b)
{
    if (a >= b)
        return;
    DIAG_ASSERT(pmm_g.nstack == 0, "bulk bit change with unpublished words stacked");
    pmm_bits_clear(0, a, b);
    pmm_runs_mark(a, b, false);
    uint64_t lo = a >> 6, hi = (b - 1) >> 6;
    for (unsigned k = 1; k < pmm_g.levels; k++) {
        if (hi > lo + 1)
            pmm_bits_clear(k, lo + 1, hi);
        summary_recompute(k, lo);
        summary_recompute(k, hi);
        lo >>= 6;
        hi >>= 6;
    }
}

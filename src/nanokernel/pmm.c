/*
 * pmm.c - single pages: the hot allocation and free paths, and the
 * address <-> index translation they share with the run code.
 *
 * Why a summary bitmap: it costs 1 + 1/64 + 1/4096... bits per page (the
 * budget is 1.1), never writes to the pages it manages (a sparse 1 TiB
 * map stays cheap), and any search is one word per level: a 16 TiB machine
 * has 6 levels. A buddy allocator would need free-list links inside the
 * free pages themselves; a free-list cache over a flat bitmap still needs
 * a linear refill scan.
 *
 * Policy: recently freed words first, else the lowest free page. A free
 * that turns an empty level-0 word non-empty pushes the word on a small
 * stack (pmm_internal.h) instead of climbing the summaries; an allocation
 * takes the lowest bit of the newest stacked word, so the common
 * free-then-allocate pattern touches one bitmap word and no summary. Only
 * with the stack empty does allocation go to `hint`, a published word with
 * no published free page below it; when that word empties, the climb that
 * clears its summary bits continues into a descent to the next non-empty
 * word, so the hint is ready before the next call. A full stack publishes
 * (climbs) instead; bulk operations flush the stack first.
 *
 * Translation: pages are numbered by index (holes cost no bits), so both
 * paths map index <-> address through a flat one-segment cache (alloc and
 * free keep one each). The free path's single compare also rejects
 * unaligned addresses: the offset is rotated right by 12, so any low bit
 * lands at bit 52+ and the value exceeds every span. Misses (other
 * segment, bad address, no map) take a checked slow path that reports.
 *
 * Run summaries (pmm_summary.c) are not kept here: a change to a
 * published word marks its block dirty (one byte test once marked), and
 * the next run search re-summarises it; stacked words count as empty there.
 *
 * Cost (tools/bench-nk.sh, callgrind, mean instructions per call on trace
 * PMM-1M-v1, target 40): alloc ~32 / free ~39, the same in the 1 TiB
 * 99%-full stress variant, because almost no call climbs or descends the
 * summaries: the stack absorbs free-then-allocate, and the hint is found
 * while clearing, not searched for.
 */
#include "pmm_internal.h"

#include "lib/diag.h"

/* Level 0 of the empty PMM: one zero word, so every allocation fails;
 * and a dirty-block word for it. */
static uint64_t pmm_no_words[1];
static uint8_t pmm_no_dirty[1];

pmm_state pmm_g = { .level = { pmm_no_words }, .dirty = pmm_no_dirty };

/* Back to "no map": allocations fail, frees are reported as unmanaged. */
void pmm_forget_map(void)
{
    pmm_g.ready = false;
    pmm_g.nseg = 0;
    pmm_g.level[0] = pmm_no_words;
    pmm_g.dirty = pmm_no_dirty;
    pmm_no_dirty[0] = 0;
    pmm_g.ndirty = 0;
    pmm_g.dirty_overflow = false;
    pmm_g.hint = 0;
    pmm_g.nstack = 0;
    pmm_g.alloc_x = (pmm_xlat){ 0 };
    pmm_g.free_x = (pmm_xlat){ 0 };
    pmm_forget_claims();
}

static const pmm_segment *seg_search(uint64_t key, bool by_idx)
{
    uint64_t lo = 0, hi = pmm_g.nseg;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        const pmm_segment *s = &pmm_g.seg[mid];
        uint64_t start = by_idx ? s->idx : s->pfn;
        if (key < start)
            hi = mid;
        else if (key - start >= s->npages)
            lo = mid + 1;
        else
            return s;
    }
    return NULL;
}

static void xlat_load(pmm_xlat *x, const pmm_segment *s)
{
    x->base = (uintptr_t)(s->pfn << PMM_PAGE_SHIFT);
    x->idx = s->idx;
    x->span = s->npages;
}

static inline uint64_t xlat_rotr12(uint64_t v)
{
    return (v >> PMM_PAGE_SHIFT) | (v << (64 - PMM_PAGE_SHIFT));
}

/*
 * The segment holding [addr, addr + count pages) if that range is managed
 * and addr page-aligned, else reports `call` and returns NULL.
 */
static const pmm_segment *addr_seg(const char *call, uintptr_t addr, size_t count)
{
    if (addr & (PMM_PAGE_SIZE - 1)) {
        diag_report(call, addr, "address is not page-aligned");
        return NULL;
    }
    uint64_t pfn = addr >> PMM_PAGE_SHIFT;
    const pmm_segment *s = seg_search(pfn, false);
    if (!s || count > s->npages - (pfn - s->pfn)) {
        diag_report(call, addr, "page is outside managed RAM");
        return NULL;
    }
    return s;
}

static uint64_t seg_idx(const pmm_segment *s, uintptr_t addr)
{
    return (addr >> PMM_PAGE_SHIFT) - s->pfn + s->idx;
}

/* Index of the page at `addr`, checked as addr_seg does; else PMM_NONE. */
uint64_t pmm_addr_to_idx(const char *call, uintptr_t addr, size_t count)
{
    const pmm_segment *s = addr_seg(call, addr, count);
    return s ? seg_idx(s, addr) : PMM_NONE;
}

/* The segment holding index idx, or NULL (a gap or padding bit). */
const pmm_segment *pmm_seg_of_idx(uint64_t idx)
{
    return seg_search(idx, true);
}

/* Out of line, so the hot path saves no registers for the search. */
[[gnu::noinline]] static uintptr_t alloc_xlat_miss(uint64_t idx)
{
    const pmm_segment *s = seg_search(idx, true);
    DIAG_ASSERT(s != NULL, "pmm: a free bit outside every segment");
    xlat_load(&pmm_g.alloc_x, s);
    return pmm_g.alloc_x.base + (uintptr_t)((idx - s->idx) << PMM_PAGE_SHIFT);
}

/* Address of free-bit index `idx` (a managed page). */
static inline uintptr_t alloc_idx_to_addr(uint64_t idx)
{
    const pmm_xlat *x = &pmm_g.alloc_x;
    uint64_t off = idx - x->idx;
    if (off >= x->span)
        return alloc_xlat_miss(idx);
    return x->base + (uintptr_t)(off << PMM_PAGE_SHIFT);
}

/*
 * Level-0 word j (== hint) just emptied. Clear the summary bits that went
 * to zero; at the first level whose word keeps a bit, that bit is the next
 * non-empty subtree (every earlier one is empty: nothing below the hint is
 * free), so descend it to the new hint. If the top word empties, nothing
 * is free and the hint stays on its empty word.
 */
[[gnu::noinline]] static void hint_advance(uint64_t j)
{
    unsigned levels = pmm_g.levels;
    for (unsigned k = 1; k < levels; k++) {
        uint64_t *w = &pmm_g.level[k][j >> 6];
        uint64_t v = *w & ~pmm_bit(j);
        *w = v;
        if (v) {
            j = (j & ~63ull) | pmm_ctz(v);
            while (--k > 0)
                j = (j << 6) | pmm_ctz(pmm_g.level[k][j]);
            pmm_g.hint = j;
            return;
        }
        j >>= 6;
    }
}

/* Level-0 word j just went from empty to non-empty. */
static void summary_set_up(uint64_t j)
{
    unsigned levels = pmm_g.levels;
    for (unsigned k = 1; k < levels; k++) {
        uint64_t *w = &pmm_g.level[k][j >> 6];
        uint64_t old = *w;
        *w = old | pmm_bit(j);
        if (old)
            return;
        j >>= 6;
    }
}

/* Publish every stacked word: the state bulk operations and searches need. */
void pmm_stack_flush(void)
{
    while (pmm_g.nstack) {
        uint64_t j = pmm_g.stack[--pmm_g.nstack];
        summary_set_up(j);
        pmm_runs_touch(j);
        if (j < pmm_g.hint)
            pmm_g.hint = j;
    }
}

/* The hint word is empty (a run allocation or a reserve emptied it, or a
 * stacked word below the old hint emptied): find the next published
 * non-empty word, or fail. Only called with an empty stack. */
[[gnu::noinline]] static bool hint_refill(void)
{
    if (!pmm_g.ready)
        return false;
    uint64_t i = pmm_next_set(pmm_g.hint << 6, pmm_g.words[0] << 6);
    if (i == PMM_NONE)
        return false;
    pmm_g.hint = i >> 6;
    return true;
}

/* Take the newest stacked word's lowest free page; unstack it if empty. */
static inline uint64_t stack_take(unsigned n)
{
    uint64_t j = pmm_g.stack[n - 1];
    uint64_t *w = &pmm_g.level[0][j];
    uint64_t v = *w;
    uint64_t idx = (j << 6) | pmm_ctz(v);
    v &= v - 1;
    *w = v;
    if (!v)
        pmm_g.nstack = n - 1;
    return idx;
}

/* The stack is empty: the lowest published free page, from the hint. */
[[gnu::noinline]] static uintptr_t alloc_from_hint(void)
{
    uint64_t j = pmm_g.hint;
    uint64_t *w = &pmm_g.level[0][j];
    uint64_t v = *w;
    if (!v) {
        if (!hint_refill())
            return 0;
        j = pmm_g.hint;
        w = &pmm_g.level[0][j];
        v = *w;
    }
    uint64_t idx = (j << 6) | pmm_ctz(v);
    v &= v - 1;
    *w = v;
    pmm_g.free--;
    pmm_runs_touch(j);
    if (!v)
        hint_advance(j);
    return alloc_idx_to_addr(idx);
}

uintptr_t pmm_alloc_page(void)
{
    unsigned n = pmm_g.nstack;
    if (!n)
        return alloc_from_hint();
    pmm_g.free--;
    return alloc_idx_to_addr(stack_take(n));
}

/* Free the page with index idx (managed, translation checked). */
static inline void free_idx(uintptr_t page, uint64_t idx)
{
    uint64_t j = idx >> 6;
    uint64_t *w = &pmm_g.level[0][j];
    uint64_t old = *w;
    if (old & pmm_bit(idx)) {
        diag_report("pmm_free_page", page, "page is not allocated (double free?)");
        return;
    }
    *w = old | pmm_bit(idx);
    pmm_g.free++;
    if (!old) {
        unsigned n = pmm_g.nstack;
        if (n < PMM_STACK_WORDS) {
            pmm_g.stack[n] = j; /* counts as empty in the run summaries */
            pmm_g.nstack = n + 1;
            return;
        }
        summary_set_up(j);
    }
    if (j < pmm_g.hint)
        pmm_g.hint = j;
    pmm_runs_touch(j);
}

[[gnu::noinline]] static void free_page_slow(uintptr_t page)
{
    const pmm_segment *s = addr_seg("pmm_free_page", page, 1);
    if (!s)
        return;
    xlat_load(&pmm_g.free_x, s);
    free_idx(page, seg_idx(s, page));
}

void pmm_free_page(uintptr_t page)
{
    if (page - pmm_g.claim_lo < pmm_g.claim_span && pmm_claim_refuses("pmm_free_page", page, 1))
        return;
    const pmm_xlat *x = &pmm_g.free_x;
    uint64_t off = xlat_rotr12(page - x->base);
    if (off >= x->span) {
        free_page_slow(page);
        return;
    }
    free_idx(page, x->idx + off);
}

uint64_t pmm_total_pages(void)
{
    return pmm_g.total;
}

uint64_t pmm_free_page_count(void)
{
    return pmm_g.free;
}

bool pmm_is_managed(uintptr_t base, size_t len)
{
    if (!pmm_g.ready || len == 0)
        return false;
    uint64_t pfn = base >> PMM_PAGE_SHIFT;
    uint64_t last = (base + len - 1) >> PMM_PAGE_SHIFT;
    const pmm_segment *s = seg_search(pfn, false);
    return s && last - s->pfn < s->npages;
}

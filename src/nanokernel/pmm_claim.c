/*
 * pmm_claim.c - page runs a kernel subsystem keeps its own structures in
 * (the kernel heap's arenas), which a direct free must not hand out again.
 *
 * The claim records belong to the claimants and form one unsorted, doubly
 * linked list, so an unclaim unlinks in O(1). [claim_lo, claim_lo +
 * claim_span) bounds every claimed page, so a free outside it is rejected
 * from the list with one compare and the hot free path stays as cheap as
 * without claims. The bound widens with each claim and is dropped only
 * when the last claim goes (recomputing it would walk the claims); a free
 * inside it walks the list. pmm_free_claimed frees a claim's own run with
 * no walk: claims never overlap.
 */
#include "pmm_internal.h"

#include "lib/diag.h"

/* Widen the bound to cover [base, base + pages). */
static void claim_cover(uintptr_t base, uint64_t pages)
{
    uintptr_t end = base + (uintptr_t)(pages * PMM_PAGE_SIZE);
    uintptr_t lo = pmm_g.claim_span ? pmm_g.claim_lo : base;
    uintptr_t hi = pmm_g.claim_span ? pmm_g.claim_lo + pmm_g.claim_span : end;
    if (base < lo)
        lo = base;
    if (end > hi)
        hi = end;
    pmm_g.claim_lo = lo;
    pmm_g.claim_span = hi - lo;
}

/* Every claim's bound, from the list (after a bulk change). */
static void claim_bounds(void)
{
    pmm_g.claim_lo = 0;
    pmm_g.claim_span = 0;
    for (const pmm_claim *c = pmm_g.claims; c; c = c->next)
        claim_cover(c->base, c->pages);
}

static bool claim_listed(const pmm_claim *c)
{
    return c->prev ? c->prev->next == c : pmm_g.claims == c;
}

static void claim_unlink(pmm_claim *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        pmm_g.claims = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->next = c->prev = NULL;
    if (!pmm_g.claims) {
        pmm_g.claim_lo = 0;
        pmm_g.claim_span = 0;
    }
}

void pmm_claim_pages(pmm_claim *c, uintptr_t base, size_t count, const char *owner)
{
    /* A listed record has a NULL prev link only as the head, so a record
     * with none (the kernel heap zeroes its records) is checked without a
     * walk; any other may be a listed one being reused: list it once. */
    if (c->prev != NULL || pmm_g.claims == c)
        for (pmm_claim *p = pmm_g.claims; p; p = p->next)
            if (p == c) {
                claim_unlink(c);
                break;
            }
    *c = (pmm_claim){ .next = pmm_g.claims, .base = base, .pages = count, .owner = owner };
    if (c->next)
        c->next->prev = c;
    pmm_g.claims = c;
    if (count)
        claim_cover(base, count);
}

void pmm_unclaim_pages(pmm_claim *c)
{
    if (!claim_listed(c)) {
        diag_report("pmm_unclaim_pages", c->base, "no such claim");
        return;
    }
    claim_unlink(c);
}

void pmm_free_claimed(pmm_claim *c)
{
    if (!claim_listed(c)) {
        diag_report("pmm_free_claimed", c->base, "no such claim");
        return;
    }
    uintptr_t base = c->base;
    uint64_t pages = c->pages;
    claim_unlink(c);
    pmm_free_run("pmm_free_claimed", base, (size_t)pages, false);
}

void pmm_unclaim_owner(const char *owner)
{
    pmm_claim *keep = NULL;
    for (pmm_claim *c = pmm_g.claims, *next; c; c = next) {
        next = c->next;
        if (c->owner != owner) {
            c->next = keep; /* reversed; the list is unsorted */
            keep = c;
        }
    }
    pmm_g.claims = keep;
    for (pmm_claim *c = keep, *prev = NULL; c; prev = c, c = c->next)
        c->prev = prev;
    claim_bounds();
}

const pmm_claim *pmm_claim_of(uintptr_t base, size_t count)
{
    uintptr_t end = base + (uintptr_t)count * PMM_PAGE_SIZE;
    for (const pmm_claim *c = pmm_g.claims; c; c = c->next)
        if (base < c->base + c->pages * PMM_PAGE_SIZE && c->base < end)
            return c;
    return NULL;
}

bool pmm_claim_refuses(const char *call, uintptr_t base, size_t count)
{
    const pmm_claim *c = pmm_claim_of(base, count);
    if (!c)
        return false;
    diag_report(call, base, c->owner ? c->owner : "a claimed page run");
    return true;
}

void pmm_forget_claims(void)
{
    pmm_g.claims = NULL;
    claim_bounds();
}

/*
 * pmm_claim.c - page runs a kernel subsystem keeps its own structures in
 * (the kernel heap's arenas), which a direct free must not hand out again.
 *
 * The claim records belong to the claimants and form one unsorted list;
 * [claim_lo, claim_lo + claim_span) bounds every claimed page, so a free
 * outside it is rejected from the list with one compare and the hot free
 * path stays as cheap as without claims. Inside the bound the list is
 * walked: claims are few (one per grown heap arena, each at least
 * CONFIG_KHEAP_GROW_MIN bytes).
 */
#include "pmm_internal.h"

#include "lib/diag.h"

static void claim_bounds(void)
{
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (const pmm_claim *c = pmm_g.claims; c; c = c->next) {
        if (c->base < lo)
            lo = c->base;
        if (c->base + c->pages * PMM_PAGE_SIZE > hi)
            hi = c->base + (uintptr_t)(c->pages * PMM_PAGE_SIZE);
    }
    pmm_g.claim_lo = pmm_g.claims ? lo : 0;
    pmm_g.claim_span = pmm_g.claims ? hi - lo : 0;
}

void pmm_claim_pages(pmm_claim *c, uintptr_t base, size_t count, const char *owner)
{
    for (pmm_claim **pp = &pmm_g.claims; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next; /* the record is being reused: list it once */
            break;
        }
    *c = (pmm_claim){ .next = pmm_g.claims, .base = base, .pages = count, .owner = owner };
    pmm_g.claims = c;
    claim_bounds();
}

void pmm_unclaim_pages(pmm_claim *c)
{
    for (pmm_claim **pp = &pmm_g.claims; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            claim_bounds();
            return;
        }
    }
    diag_report("pmm_unclaim_pages", c->base, "no such claim");
}

void pmm_unclaim_owner(const char *owner)
{
    for (pmm_claim **pp = &pmm_g.claims; *pp;)
        if ((*pp)->owner == owner)
            *pp = (*pp)->next;
        else
            pp = &(*pp)->next;
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

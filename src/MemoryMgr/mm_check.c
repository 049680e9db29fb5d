/*
 * mm_check.c - the heap check: one walk over a zone that verifies every
 * invariant listed in mm_internal.h, plus the free lists, the address
 * index and the master-pointer free list. Bounded by the zone's size and counts, so a
 * corrupt zone ends the check, never loops. Findings map onto IM's heap
 * check codes: memAZErr (address outside the zone), memBCErr (block header),
 * memPCErr (master pointer), memSCErr (sizes and counts).
 */
#include "MemoryMgr/mm_debug.h"

#include "lib/kprintf.h"
#include "mm_internal.h"

typedef struct check_state {
    THz         z;
    mm_block   *where;
    const char *what;
    Size        nfree, nrel, nnonrel, npurge, freesum, mpslots;
} check_state;

static OSErr check_fail(check_state *c, mm_block *b, OSErr e, const char *what)
{
    c->where = b;
    c->what = what;
    return e;
}

static OSErr check_block(check_state *c, mm_block *b, bool prev_free)
{
    THz z = c->z;
    uint64_t sz = block_size(b);
    if (!block_sealed(b))
        return check_fail(c, b, memBCErr, "block header fails its seal");
    if (sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)b))
        return check_fail(c, b, memSCErr, "block size is impossible");
    if (block_prev_free(b) != prev_free)
        return check_fail(c, b, memBCErr, "below-is-free bit is wrong");
    switch (block_type(b)) {
    case MM_T_FREE:
        if (prev_free)
            return check_fail(c, b, memBCErr, "two adjacent free blocks");
        if (*block_footer(b) != sz)
            return check_fail(c, b, memBCErr, "free block footer is wrong");
        c->nfree++;
        c->freesum += (Size)sz;
        return noErr;
    case MM_T_NONREL:
        if (block_link(b) != zone_nonrel_link(z, b))
            return check_fail(c, b, memBCErr, "nonrelocatable block does not lead back to its zone");
        if (block_corr(b) > sz - MM_HDR)
            return check_fail(c, b, memSCErr, "size correction larger than the block");
        if (block_marked(b))
            c->mpslots += block_logical(b) / (Size)sizeof(Ptr) - 1;   /* the first word links master blocks */
        c->nnonrel++;
        return noErr;
    case MM_T_REL: {
        Handle h = zone_mp_at(z, block_link(b));
        if (block_corr(b) > sz - MM_HDR)
            return check_fail(c, b, memSCErr, "size correction larger than the block");
        if (!zone_contains(z, h))
            return check_fail(c, b, memAZErr, "master pointer outside the zone");
        if (*h != block_data(b))
            return check_fail(c, b, memPCErr, "master pointer does not point back at its block");
        c->nrel++;
        c->npurge += mm_state_purgeable(block_state(b));
        return noErr;
    }
    default:
        return check_fail(c, b, memBCErr, "trailer inside the block run");
    }
}

static OSErr check_walk(check_state *c)
{
    THz z = c->z;
    bool prev_free = false;
    mm_block *b = zone_first(z);
    while ((char *)b < z->bkLim) {
        OSErr e = check_block(c, b, prev_free);
        if (e != noErr)
            return e;
        prev_free = block_is_free(b);
        b = block_next(b);
    }
    mm_block *t = zone_trailer(z);
    if (b != t || !block_sealed(t) || block_type(t) != MM_T_TRAILER || block_size(t) != MM_TRAILER)
        return check_fail(c, t, memBCErr, "blocks do not end at the trailer");
    if (block_prev_free(t) != prev_free)
        return check_fail(c, t, memBCErr, "trailer's below-is-free bit is wrong");
    if (c->freesum != z->zcbFree || c->nfree != zone_priv(z)->nFree)
        return check_fail(c, NULL, memSCErr, "free bytes or free-block count disagree with the walk");
    return noErr;
}

/* The zone's counts against what the walk found (memSCErr: a count alone
 * can be wrong without any structure being). */
static OSErr check_counts(check_state *c)
{
    THz z = c->z;
    if (c->nrel != z->cntRel || c->nnonrel != z->cntNRel)
        return check_fail(c, NULL, memSCErr, "cntRel or cntNRel disagrees with the walk");
    if (c->npurge != zone_priv(z)->nPurge)
        return check_fail(c, NULL, memSCErr, "count of purgeable blocks disagrees with the walk");
    if (z->maxRel < z->cntRel || z->maxNRel < z->cntNRel)
        return check_fail(c, NULL, memSCErr, "maxRel or maxNRel is below the current count");
    if (z->minCBFree > z->zcbFree)
        return check_fail(c, NULL, memSCErr, "minCBFree is above zcbFree");
    return noErr;
}

static OSErr check_masters(check_state *c)
{
    THz z = c->z;
    Size n = 0;
    for (Ptr p = z->hFstFree; p != NULL; n++) {
        Handle h = (Handle)p;
        if (n >= z->cntEmpty || ((uintptr_t)h & 7) || !zone_contains(z, h))
            return check_fail(c, (mm_block *)h, memPCErr, "master-pointer free list is corrupt");
        if (!mm_mp_is_free(h))
            return check_fail(c, (mm_block *)h, memPCErr, "free master pointer is not tagged free");
        p = mm_mp_next(h);
    }
    Size blocks = 0;
    for (Ptr d = zone_priv(z)->masters; d != NULL; d = *(Ptr *)d) {
        mm_block *b = block_from_data(d);
        if (++blocks > z->cntNRel || !zone_contains(z, b) || block_type(b) != MM_T_NONREL || !block_marked(b))
            return check_fail(c, b, memPCErr, "master-block list leaves the zone's master-pointer blocks");
    }
    if (n != z->cntEmpty || c->mpslots != z->cntHandles)
        return check_fail(c, NULL, memSCErr, "cntEmpty or cntHandles disagrees with the master-pointer blocks");
    return noErr;
}

/*
 * Every master pointer that holds an address belongs to a relocatable
 * block or to a temporary page run: the walk and tr_check proved each
 * block's and run's master pointer points back at it, so a count above
 * theirs means a master pointer that points at no block (a block that
 * swallowed its neighbour, a master pointer written over), which no count
 * can explain.
 */
static OSErr check_masters_in_use(check_state *c)
{
    THz z = c->z;
    Size used = 0, runs = 0;
    void *where = NULL;
    OSErr e = tr_check(z, &runs, &where, &c->what);
    if (e != noErr) {
        c->where = where;
        return e;
    }
    for (Ptr d = zone_priv(z)->masters; d != NULL; d = *(Ptr *)d) {
        mm_block *b = block_from_data(d);
        Handle slot = (Handle)d + 1, end = (Handle)(d + block_logical(b));
        for (; slot + 1 <= end; slot++)
            used += !mm_mp_is_free(slot) && *slot != NULL;
    }
    if (used != c->nrel + runs)
        return check_fail(c, NULL, memPCErr, "a master pointer in use points at no relocatable block");
    return noErr;
}

OSErr mm_check_zone(THz z, const char *who, bool report)
{
    check_state c = { .z = z };
    OSErr e;
    if (!mm_zone_valid(z))
        e = check_fail(&c, NULL, memAZErr, "not a live heap zone");
    else if (z->allocPtr != (Ptr)zone_priv(z) || zone_priv(z)->flCount == 0 || zone_priv(z)->flCount > MM_FL_COUNT
             || z->heapData < (Ptr)zone_priv(z)->bins[zone_priv(z)->flCount])
        e = check_fail(&c, NULL, memBCErr, "zone header: allocPtr, class count or heapData is wrong");
    else if ((e = check_walk(&c)) == noErr && (e = fl_check(z, &c.where, &c.what)) == noErr &&
             (e = at_check(z, &c.where, &c.what)) == noErr && (e = check_masters(&c)) == noErr &&
             (e = check_masters_in_use(&c)) == noErr && (e = check_counts(&c)) == noErr &&
             (e = pl_check(z, &c.where, &c.what)) == noErr)
        e = smap_check(z, &c.where, &c.what);
    if (e != noErr && report)
        kprintf("heap check (%s): zone '%s' at %p: block %p: %s (error %d)\n", who ? who : "?",
                mm_zone_valid(z) ? zone_priv(z)->name : "?", (void *)z, (void *)c.where, c.what, e);
    return e;
}

/* Whether b is a block of z's run (a walk: the header at b is not trusted first). */
static bool check_is_block(THz z, const mm_block *want)
{
    mm_block *t = zone_trailer(z);
    for (mm_block *b = zone_first(z); b != t && b <= want; b = block_next(b))
        if (b == want)
            return true;
    return false;
}

OSErr mm_check_placement(THz z, Ptr p)
{
    if (!mm_zone_valid(z) || p == NULL || !zone_contains(z, p))
        return memAZErr;
    mm_block *want = block_from_data(p);
    if (!check_is_block(z, want) || block_type(want) != MM_T_NONREL)
        return memAZErr;
    uint64_t phys = mm_phys_for(block_logical(want));
    if (big_size(z, phys))
        phys = big_room(phys);   /* a large block's rule (mm_remap.c) */
    for (mm_block *b = zone_first(z); b != want; b = block_next(b))
        if (block_is_free(b) && block_size(b) >= phys)
            return memBCErr;
    return noErr;
}

#if CONFIG_MM_HEAPCHECK
OSErr mm_heapcheck_call(THz z, const char *call)
{
    OSErr e = z != NULL ? mm_check_zone(z, call, true) : noErr;
    if (e != noErr) {
        diag_report(call, (uintptr_t)z, "heap check failed (see above)");
        mm_set_err(e);
    }
    return e;
}
#endif

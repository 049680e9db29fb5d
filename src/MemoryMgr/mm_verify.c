/*
 * mm_verify.c - what a mutating call checks before it changes a zone. A
 * call first proves that every header, free-list link and master pointer
 * it is about to rely on is sane; only then does it write. So damage found
 * by any of these checks is reported (mm_damage, naming the zone and the
 * block) and, when the report returns, the call returns an error with the
 * zone exactly as it found it. Compaction and purging, which walk the
 * zone anyway, check each header inside their own walk instead and stop
 * at the damage with the part below it consistent (mm_compact.c).
 *
 * Each check is O(1) and reads what the change reads or follows next (the
 * hot ones, vf_block, vf_free and vf_release, are inline in
 * mm_internal.h; this file has their reports). vf_walk, the whole zone,
 * is for the MM_SCRAMBLE debug mode only.
 * Result codes follow IM's heap-check codes: memAZErr for an address that
 * leaves the zone, memBCErr for an impossible block header or free-list
 * link, memPCErr for a master pointer that does not lead back.
 */
#include "mm_internal.h"

static bool vf_fail(THz z, const void *at, OSErr e, const char *what)
{
    mm_damage(z, at, e, what);
    return false;
}

bool vf_block_report(THz z, mm_block *b)
{
    if (((uintptr_t)b & (MM_ALIGN - 1)) || !zone_contains(z, b))
        return vf_fail(z, b, memAZErr, "block address lies outside the zone's block run");
    if (!block_sealed(b))
        return vf_fail(z, b, memBCErr, "block header fails its seal (written over, or carried off inside another block)");
    uint64_t sz = block_size(b);
    if (sz < MM_MIN_BLOCK || sz > (uint64_t)(z->bkLim - (char *)b))
        return vf_fail(z, b, memBCErr, "block size is below the minimum or runs past the zone's end");
    if (block_type(b) == MM_T_TRAILER)
        return vf_fail(z, b, memBCErr, "a trailer tag inside the block run");
    return vf_fail(z, b, memBCErr, "size correction is larger than the block");
}

bool vf_free_report(THz z, mm_block *f)
{
    if (!vf_block(z, f))
        return false;
    if (!block_is_free(f))
        return vf_fail(z, f, memBCErr, "block expected free is not tagged free");
    if (*block_footer(f) != block_size(f))
        return vf_fail(z, f, memBCErr, "free block's footer disagrees with its size");
    if (block_prev_free(f))
        return vf_fail(z, f, memBCErr, "free block's below-is-free bit is set (no two free blocks touch)");
    if (!block_prev_free(block_next(f)))
        return vf_fail(z, block_next(f), memBCErr, "block above a free block lacks its below-is-free bit");
    return fl_entry_ok(z, f) && at_node_ok(z, f);
}

bool vf_rel(THz z, mm_block *b)
{
    if (!vf_block(z, b))
        return false;
    if (block_type(b) != MM_T_REL || block_corr(b) > block_size(b) - MM_HDR)
        return vf_fail(z, b, memBCErr, "relocatable block's header is impossible");
    return vf_master(z, b);
}

bool vf_master(THz z, mm_block *b)
{
    Handle h = zone_mp_at(z, block_link(b));
    if (!zone_contains(z, h))
        return vf_fail(z, b, memPCErr, "relocatable block's master pointer lies outside the zone");
    if (*h != block_data(b))
        return vf_fail(z, b, memPCErr, "master pointer does not point back at its block");
    return true;
}

bool vf_above(THz z, mm_block *b)
{
    mm_block *n = block_next(b);
    if (block_prev_free(n) && !block_is_free(b))
        return vf_fail(z, n, memBCErr, "below-is-free bit set above an allocated block");
    if (n == zone_trailer(z)) {
        if (block_type(n) != MM_T_TRAILER || block_size(n) != MM_TRAILER)
            return vf_fail(z, n, memBCErr, "zone trailer is damaged");
        return true;
    }
    return vf_block(z, n) && (!block_is_free(n) || vf_free(z, n));
}

bool vf_below_report(THz z, mm_block *b)
{
    uint64_t w = *(uint64_t *)((char *)b - 8);
    if (w < MM_MIN_BLOCK || (w & (MM_ALIGN - 1)) || w > (uint64_t)((char *)b - z->heapData))
        return vf_fail(z, b, memBCErr, "below-is-free bit set but the footer below gives an impossible size");
    mm_block *p = (mm_block *)((char *)b - w);
    if (!vf_free(z, p))
        return false;
    if (block_size(p) != w)
        return vf_fail(z, p, memBCErr, "free block below disagrees with the footer");
    return true;   /* not reached: vf_below refused it for one of the reasons above */
}

bool vf_walk(THz z, bool links)
{
    mm_block *t = zone_trailer(z);
    bool prev_free = false;
    for (mm_block *b = zone_first(z); b != t; b = block_next(b)) {
        if (!vf_block(z, b))
            return false;
        if (block_prev_free(b) != prev_free)
            return vf_fail(z, b, memBCErr, "below-is-free bit disagrees with the block below");
        if (block_is_free(b)) {
            if (prev_free)
                return vf_fail(z, b, memBCErr, "two adjacent free blocks");
            if (*block_footer(b) != block_size(b))
                return vf_fail(z, b, memBCErr, "free block's footer disagrees with its size");
            if (links && !(fl_entry_ok(z, b) && at_node_ok(z, b)))
                return false;
        } else if (block_type(b) == MM_T_REL && !vf_rel(z, b)) {
            return false;
        }
        prev_free = block_is_free(b);
    }
    if (block_type(t) != MM_T_TRAILER || block_size(t) != MM_TRAILER || block_prev_free(t) != prev_free)
        return vf_fail(z, t, memBCErr, "zone trailer is damaged");
    return true;
}

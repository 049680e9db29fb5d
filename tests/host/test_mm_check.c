/*
 * test_mm_check.c - the heap check (mm_check_zone) finds each kind of
 * damage and names it with IM's heap-check codes: memAZErr (not a zone,
 * free list leaving the zone), memBCErr (block header, its seal broken
 * included), memPCErr (master
 * pointer, master-pointer free list), memSCErr (sizes and counts). Each
 * case damages one field of a healthy zone, checks the finding, repairs the
 * field and checks the zone is healthy again, so a check that always fails
 * (or never does) is caught. White-box: it uses the block layout of
 * src/MemoryMgr/mm_internal.h to aim the damage.
 */
#include "mm_test_util.h"
#include "tap.h"

#include "../../src/MemoryMgr/mm_internal.h"

static char buf[64 << 10] __attribute__((aligned(16)));

/* tag as a header at b would carry it with a valid seal: damage aimed past
 * the seal at the check behind it. */
static uint64_t sealed(const mm_block *b, uint64_t tag)
{
    uint64_t body = tag & ~MM_TAG_SEAL;
    return body | block_seal(b, body);
}

/* Damage one 64-bit word, check the finding, put the word back. */
static void damage(THz z, uint64_t *word, uint64_t bad, OSErr want, const char *what)
{
    tap_ok(mm_check_zone(z, "test_mm_check", false) == noErr, "%s: zone healthy before", what);
    uint64_t keep = *word;
    *word = bad;
    OSErr got = mm_check_zone(z, "test_mm_check", true);
    *word = keep;
    tap_ok(got == want, "%s: heap check reports %d (want %d)", what, got, want);
}

int main(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    Handle h = NewHandle(200), h2 = NewHandle(300);
    Ptr p = NewPtr(100), p2 = NewPtr(50);
    Handle e = NewEmptyHandle();
    DisposePtr(p2);   /* a free block between p and whatever is above it */
    tap_ok(z && h && h2 && p && e && mt_ok(z), "a healthy zone with handles, pointers and a free block");

    mm_block *rb = handle_block(h), *nb = block_from_data(p);
    damage(z, &rb->tag, rb->tag ^ 0x10, memBCErr, "a header written over (its seal broken)");
    damage(z, &rb->tag, sealed(rb, rb->tag + ((uint64_t)1 << 40)), memSCErr, "block size beyond the zone");
    damage(z, &rb->tag, sealed(rb, (rb->tag & ~(uint64_t)MM_TAG_TYPE) | MM_T_TRAILER), memBCErr,
           "a trailer tag inside the run");
    damage(z, &nb->info, nb->info + ((uint64_t)1 << 16), memBCErr, "nonrelocatable block's zone link");
    damage(z, (uint64_t *)h, (uint64_t)(uintptr_t)(*h + 16), memPCErr, "master pointer not pointing at its block");
    damage(z, &rb->info, (rb->info & 0xffff) | ((uint64_t)1 << 50), memAZErr, "relocatable block's master pointer outside the zone");
    damage(z, &rb->info, (rb->info & ~(uint64_t)0xff) | 0xff, memSCErr, "size correction larger than the block");

    mm_block *fb = block_from_data(p2);   /* p2's block is free now (merged upward at most) */
    tap_ok(block_is_free(fb), "the disposed pointer's block is free");

    /* The seal is bound to the header's address, and a setter keeps a
     * broken seal broken (it moves the seal by the change it makes). */
    mm_block copy[2];
    __builtin_memcpy(copy, rb, sizeof copy);
    tap_ok(block_sealed(rb) && !block_sealed(copy), "a header copied to another address fails its seal");
    uint64_t keep = rb->tag;
    rb->tag ^= 0x10;
    block_set_prev_free(rb, !block_prev_free(rb));
    block_set_prev_free(rb, !block_prev_free(rb));
    block_set_size(rb, block_size(rb) ^ 0x10);
    bool still_broken = !block_sealed(rb);
    rb->tag = keep;
    tap_ok(still_broken && mt_ok(z), "setters keep a broken seal broken (and the zone is whole again)");
    damage(z, block_footer(fb), 48, memBCErr, "free block footer");
    damage(z, &fb->info, (uint64_t)(uintptr_t)buf - 4096, memAZErr, "free-list link leaving the zone");
    damage(z, &fb->tag, sealed(fb, fb->tag | MM_T_NONREL), memBCErr, "a listed free block marked allocated");

    damage(z, (uint64_t *)&z->zcbFree, (uint64_t)z->zcbFree + 16, memSCErr, "zcbFree disagrees with the blocks");
    damage(z, (uint64_t *)&z->cntRel, (uint64_t)z->cntRel + 1, memSCErr, "cntRel disagrees with the blocks");
    damage(z, (uint64_t *)&z->cntNRel, (uint64_t)z->cntNRel - 1, memSCErr, "cntNRel disagrees with the blocks");
    damage(z, (uint64_t *)&z->maxRel, (uint64_t)z->cntRel - 1, memSCErr, "maxRel below cntRel");
    damage(z, (uint64_t *)&z->minCBFree, (uint64_t)z->zcbFree + 16, memSCErr, "minCBFree above zcbFree");
    damage(z, (uint64_t *)&z->cntEmpty, (uint64_t)z->cntEmpty + 1, memSCErr, "cntEmpty disagrees with the free list");
    damage(z, (uint64_t *)&z->allocPtr, (uint64_t)(uintptr_t)z->allocPtr + 16, memBCErr, "allocPtr moved");
    damage(z, (uint64_t *)&z->cntHandles, (uint64_t)z->cntHandles + 1, memSCErr, "master-pointer count disagrees");
    Handle fmp = (Handle)z->hFstFree;
    tap_ok(fmp != NULL, "the zone has a free master pointer");
    damage(z, (uint64_t *)fmp, (uint64_t)(uintptr_t)*h, memPCErr, "a free master pointer not tagged free");
    damage(z, (uint64_t *)&z->hFstFree, (uint64_t)(uintptr_t)buf - 64, memPCErr, "master-pointer free list leaving the zone");
    damage(z, (uint64_t *)z->allocPtr, 0, memAZErr, "zone magic (the private state's first word)");
    tap_ok(mm_check_zone((THz)(buf + 1024), "test_mm_check", false) == memAZErr, "something that is not a zone: memAZErr");

    DisposeHandle(h);
    DisposeHandle(h2);
    DisposeHandle(e);
    DisposePtr(p);
    tap_ok(mt_ok(z), "heap check passes after the repairs and disposals");
    return tap_done();
}

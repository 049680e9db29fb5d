/*
 * mm_ptr.c - nonrelocatable blocks: NewPtr and friends, DisposePtr,
 * GetPtrSize, SetPtrSize. A nonrelocatable block's link leads back to its
 * zone; it never moves, so SetPtrSize only grows where it stands.
 */
#include "mm_internal.h"

#include "lib/kstring.h"

Ptr mm_new_ptr(THz z, Size n, bool clear, const char *call)
{
    if (z == NULL) {
        mm_set_err(memFullErr);
        return NULL;
    }
    if (MM_GATE(z, call) != noErr)
        return NULL;
    mm_block *b = mm_alloc(z, n, MM_KIND_NONREL, NULL);
    if (b == NULL) {
        MM_CHECK(z, call);
        return NULL;
    }
    block_set_info(b, block_corr(b), 0, zone_nonrel_link(z, b));
    if (clear)
        nk_memset(block_data(b), 0, (size_t)n);
    MM_CHECK(z, call);
    return block_data(b);
}

Ptr NewPtr(Size byteCount) { return mm_new_ptr(mm_cur_zone(), byteCount, false, "NewPtr"); }
Ptr NewPtrClear(Size byteCount) { return mm_new_ptr(mm_cur_zone(), byteCount, true, "NewPtrClear"); }
Ptr NewPtrSys(Size byteCount) { return mm_new_ptr(mm_sys_zone(), byteCount, false, "NewPtrSys"); }
Ptr NewPtrSysClear(Size byteCount) { return mm_new_ptr(mm_sys_zone(), byteCount, true, "NewPtrSysClear"); }

void DisposePtr(Ptr p)
{
    THz z;
    mm_block *b = mm_lookup_ptr("DisposePtr", p, &z);
    if (b == NULL)
        return;
    if (MM_GATE(z, "DisposePtr") != noErr)
        return;
    if (blk_release(z, b) == NULL)
        return;   /* damage reported, nothing changed */
    mm_set_err(noErr);
    MM_CHECK(z, "DisposePtr");
}

Size GetPtrSize(Ptr p)
{
    THz z;
    mm_block *b = mm_lookup_ptr("GetPtrSize", p, &z);
    if (b == NULL)
        return 0;
    mm_set_err(noErr);
    return block_logical(b);
}

void SetPtrSize(Ptr p, Size newSize)
{
    THz z;
    mm_block *b = mm_lookup_ptr("SetPtrSize", p, &z);
    if (b == NULL)
        return;
    if (!mm_size_ok(newSize)) {
        mm_set_err(memFullErr);
        return;
    }
    if (MM_GATE(z, "SetPtrSize") != noErr || !vf_block(z, b))
        return;
    unsigned mark = mm_damage_mark();
    mm_may_move(z, NULL);
    uint64_t phys = mm_phys_for(newSize);
    bool ok = mm_damage_since(mark) == noErr
              && (phys <= block_size(b) ? blk_shrink(z, b, phys) : mm_grow_block(z, b, phys, NULL));
    if (!ok || mm_damage_since(mark) != noErr) {   /* damage found on the way stops the call */
        OSErr e = mm_damage_since(mark);
        mm_set_err(e != noErr ? e : memFullErr);
        MM_CHECK(z, "SetPtrSize");
        return;
    }
    blk_set_logical(b, newSize);
    mm_set_err(noErr);
    MM_CHECK(z, "SetPtrSize");
}

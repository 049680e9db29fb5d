/*
 * mm_handle.c - relocatable blocks: creating and disposing handles, their
 * sizes, ReallocateHandle, EmptyHandle and RecoverHandle.
 *
 * A handle owns one master pointer from NewHandle to DisposeHandle;
 * purging or emptying frees the block but keeps the master pointer (NULL).
 * A temporary handle's block is a page run outside its zone (mm_temp.c):
 * each call here hands such a block to mm_temp.c. Emptied, a temporary
 * handle is an empty handle of its zone like any other, so
 * ReallocateHandle then gives it a block of that zone.
 */
#include "mm_internal.h"

#include "lib/kstring.h"

/* Attach block b to master pointer h. */
static void handle_attach(THz z, Handle h, mm_block *b, unsigned state)
{
    block_set_info(b, block_corr(b), 0, zone_mp_link(z, h));
    blk_set_rel_state(z, b, state);
    *h = block_data(b);
}

Handle mm_new_handle(THz z, Size n, bool clear, const char *call)
{
    (void)call;
    if (z == NULL || !mm_size_ok(n)) {
        mm_set_err(memFullErr);
        return NULL;
    }
    if (MM_GATE(z, call) != noErr)
        return NULL;
    unsigned mark = mm_damage_mark();
    Handle h = mm_mp_take(z);
    mm_block *b = h ? mm_alloc(z, n, MM_KIND_REL, h) : NULL;
    if (b == NULL) {
        if (h == NULL)
            mm_set_err(mm_damage_since(mark) != noErr ? mm_damage_since(mark) : memFullErr);
        else if (!mm_alloc_lost(h, false))
            mm_mp_give(z, h);
        MM_CHECK(z, call);
        return NULL;
    }
    handle_attach(z, h, b, 0);
    if (clear)
        nk_memset(*h, 0, (size_t)n);
    MM_CHECK(z, call);
    return h;
}

Handle NewHandle(Size byteCount) { return mm_new_handle(mm_cur_zone(), byteCount, false, "NewHandle"); }
Handle NewHandleClear(Size byteCount) { return mm_new_handle(mm_cur_zone(), byteCount, true, "NewHandleClear"); }
Handle NewHandleSys(Size byteCount) { return mm_new_handle(mm_sys_zone(), byteCount, false, "NewHandleSys"); }
Handle NewHandleSysClear(Size byteCount) { return mm_new_handle(mm_sys_zone(), byteCount, true, "NewHandleSysClear"); }

static Handle empty_handle_in(THz z)
{
    if (z == NULL) {
        mm_set_err(memFullErr);
        return NULL;
    }
    if (MM_GATE(z, "NewEmptyHandle") != noErr)
        return NULL;
    unsigned mark = mm_damage_mark();
    Handle h = mm_mp_take(z);
    mm_set_err(h ? noErr : mm_damage_since(mark) != noErr ? mm_damage_since(mark) : memFullErr);
    MM_CHECK(z, "NewEmptyHandle");
    return h;
}

Handle NewEmptyHandle(void) { return empty_handle_in(mm_cur_zone()); }
Handle NewEmptyHandleSys(void) { return empty_handle_in(mm_sys_zone()); }

void DisposeHandle(Handle h)
{
    THz z;
    OSErr e = mm_lookup_handle("DisposeHandle", h, true, &z);
    if (e != noErr) {
        mm_set_err(e);
        return;
    }
    if (MM_GATE(z, "DisposeHandle") != noErr)
        return;
    if (*h != NULL && (handle_is_temp(z, h) ? !tr_release(z, h) : blk_release(z, handle_block(h)) == NULL))
        return;   /* damage reported, MemError set, nothing changed */
    mm_mp_give(z, h);
    mm_set_err(noErr);
    MM_CHECK(z, "DisposeHandle");
}

/* IM: Memory lists nilHandleErr for GetHandleSize of an empty handle; the
 * result is 0 either way. */
Size GetHandleSize(Handle h)
{
    THz z;
    OSErr e = mm_lookup_handle("GetHandleSize", h, false, &z);
    mm_set_err(e);
    return e == noErr ? handle_logical(z, h) : 0;
}

/* Move h's block to a new one of n bytes; false if there is no room. */
static bool handle_move(THz z, Handle h, Size n)
{
    mm_block *nb = mm_alloc(z, n, MM_KIND_REL, h);
    if (nb == NULL)
        return false;
    mm_block *b = handle_block(h);   /* compaction may have moved it */
    if (!vf_release(z, b)) {
        blk_release(z, nb);
        return false;   /* damage next to the old block: reported */
    }
    Size keep = block_logical(b) < n ? block_logical(b) : n;
    big_transfer(z, block_data(nb), *h, (size_t)keep);   /* large: pages remapped */
    block_set_info(nb, block_corr(nb), 0, block_link(b));
    blk_set_rel_state(z, nb, block_state(b));   /* counted until b is released below */
    *h = block_data(nb);
    blk_release(z, b);
    return true;
}

/* Damage found on the way stops the call with the damage's result code in
 * MemError; every step checks what it touches before changing it. */
void mm_set_handle_size(THz z, Handle h, Size n)
{
    if (handle_is_temp(z, h)) {
        tr_set_size(z, h, n);
        return;
    }
    unsigned mark = mm_damage_mark();
    mm_may_move(z, h);
    mm_block *b = handle_block(h);
    if (mm_damage_since(mark) != noErr || !vf_block(z, b))
        return;
    uint64_t phys = mm_phys_for(n);
    bool ok = true;
    if (phys <= block_size(b))
        ok = blk_shrink(z, b, phys);
    else if (!blk_grow_in_place(z, b, phys) && mm_damage_since(mark) == noErr) {
        ok = !block_locked(b) && handle_move(z, h, n);
        if (!ok && (mm_alloc_lost(h, true) || mm_damage_since(mark) != noErr))
            return;
        if (!ok)
            ok = mm_grow_block(z, handle_block(h), phys, h);
    }
    if (mm_damage_since(mark) != noErr) {
        mm_set_err(mm_damage_since(mark));
        return;
    }
    if (!ok) {
        mm_set_err(memFullErr);
        return;
    }
    blk_set_logical(handle_block(h), n);
    mm_set_err(noErr);
}

void SetHandleSize(Handle h, Size newSize)
{
    THz z;
    OSErr e = mm_lookup_handle("SetHandleSize", h, false, &z);
    if (e == noErr && !mm_size_ok(newSize))
        e = memFullErr;
    if (e != noErr) {
        mm_set_err(e);
        return;
    }
    if (MM_GATE(z, "SetHandleSize") != noErr)
        return;
    mm_set_handle_size(z, h, newSize);
    MM_CHECK(z, "SetHandleSize");
}

static Handle recover_in(const char *call, THz want, Ptr p)
{
    if (p == NULL) {
        mm_set_err(nilHandleErr);
        return NULL;
    }
    /* Checked as a number before a block address is formed from it. */
    THz z = ((uintptr_t)p & (MM_ALIGN - 1)) || (uintptr_t)p <= MM_HDR ? NULL
                                                                       : mm_registry_find((char *)p - MM_HDR);
    mm_block *b = z != NULL ? block_from_data(p) : NULL;
    Handle th = z == NULL ? tr_recover(p) : NULL;
    if (th != NULL) {   /* a temporary handle's block lies in no zone: found wherever the search is */
        mm_set_err(noErr);
        return th;
    }
    if (z == NULL || (want != NULL && z != want)) {
        mm_misuse(call, p, z, NULL, "pointer is not a block in the zone searched", memAZErr);
        return NULL;
    }
    Handle h = zone_mp_at(z, block_link(b));
    if (block_type(b) != MM_T_REL || !zone_contains(z, h) || *h != p) {
        mm_misuse(call, p, z, b, "not the master pointer value of a relocatable block", memBCErr);
        return NULL;
    }
    mm_set_err(noErr);
    return h;
}

/* IM: RecoverHandle searches the current zone. We find the zone from the
 * address and insist it is the one IM would search. */
Handle RecoverHandle(Ptr p) { return recover_in("RecoverHandle", mm_cur_zone(), p); }
Handle RecoverHandleSys(Ptr p) { return recover_in("RecoverHandleSys", mm_sys_zone(), p); }

/*
 * IM: Memory: the old block is released first, then a new one allocated,
 * so a zone where only one of them fits at a time still succeeds. On
 * failure the handle is left empty. The new block is unlocked and
 * unpurgeable, its contents undefined.
 */
void ReallocateHandle(Handle h, Size byteCount)
{
    THz z;
    OSErr e = mm_lookup_handle("ReallocateHandle", h, true, &z);
    if (e == noErr && *h != NULL && (handle_state(z, h) & kHandleLockedMask))
        e = memPurErr;
    if (e == noErr && !mm_size_ok(byteCount))
        e = memFullErr;
    if (e != noErr) {
        mm_set_err(e);
        return;
    }
    if (MM_GATE(z, "ReallocateHandle") != noErr)
        return;
    if (*h != NULL && handle_is_temp(z, h)) {   /* it stays temporary: a new page run */
        tr_reallocate(z, h, byteCount);
        MM_CHECK(z, "ReallocateHandle");
        return;
    }
    if (*h != NULL) {
        if (blk_release(z, handle_block(h)) == NULL)
            return;   /* damage reported, nothing changed */
        *h = NULL;
    }
    mm_block *nb = mm_alloc(z, byteCount, MM_KIND_REL, h);
    if (nb != NULL)
        handle_attach(z, h, nb, 0);
    MM_CHECK(z, "ReallocateHandle");
}

void EmptyHandle(Handle h)
{
    THz z;
    OSErr e = mm_lookup_handle("EmptyHandle", h, true, &z);
    if (e == noErr && *h != NULL && (handle_state(z, h) & kHandleLockedMask))
        e = memPurErr;
    if (e != noErr || *h == NULL) {
        mm_set_err(e);
        return;
    }
    if (MM_GATE(z, "EmptyHandle") != noErr)
        return;
    if (handle_is_temp(z, h) ? !tr_release(z, h) : blk_release(z, handle_block(h)) == NULL)
        return;   /* damage reported, nothing changed */
    *h = NULL;
    mm_set_err(noErr);
    MM_CHECK(z, "EmptyHandle");
}

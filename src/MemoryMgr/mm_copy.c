/*
 * mm_copy.c - copying between blocks: BlockMove, the handle/pointer copy
 * utilities and Munger. Anything that can move memory re-reads master
 * pointers after it, never keeping a dereferenced handle across a call.
 */
#include "mm_internal.h"

#include "lib/kstring.h"

void BlockMove(const void *srcPtr, void *destPtr, Size byteCount)
{
    if (byteCount > 0 && (srcPtr == NULL || destPtr == NULL)) {
        mm_set_err(paramErr);
        return;
    }
    if (byteCount > 0)
        nk_memmove(destPtr, srcPtr, (size_t)byteCount);
    mm_set_err(noErr);
}

void BlockMoveData(const void *srcPtr, void *destPtr, Size byteCount)
{
    BlockMove(srcPtr, destPtr, byteCount);
}

static OSErr copy_done(OSErr e)
{
    mm_set_err(e);
    return e;
}

/* A source handle must survive the allocation made for its copy: the
 * allocation may purge, so clear its purge bit for the duration. */
static unsigned copy_pin(THz z, Handle src)
{
    unsigned st = handle_state(z, src);
    handle_set_state(z, src, st & ~(unsigned)kHandlePurgeableMask);
    return st;
}

static void copy_unpin(THz z, Handle src, unsigned st)
{
    handle_set_state(z, src, st);
}

/* IM: HandToHand copies into the source handle's zone, not the current one. */
OSErr HandToHand(Handle *theHndl)
{
    THz z;
    if (theHndl == NULL)
        return copy_done(paramErr);
    Handle src = *theHndl;
    OSErr e = mm_lookup_handle("HandToHand", src, false, &z);
    if (e != noErr)
        return copy_done(e);
    Size n = handle_logical(z, src);
    unsigned st = copy_pin(z, src);
    Handle dst = mm_new_handle(z, n, false, "HandToHand");
    copy_unpin(z, src, st);
    if (dst == NULL)
        return copy_done(memFullErr);
    nk_memcpy(*dst, *src, (size_t)n);
    *theHndl = dst;
    return copy_done(noErr);
}

OSErr PtrToHand(const void *srcPtr, Handle *dstHndl, long size)
{
    if (dstHndl == NULL || (size > 0 && srcPtr == NULL))
        return copy_done(paramErr);
    Handle h = mm_new_handle(mm_cur_zone(), size, false, "PtrToHand");
    if (h == NULL)
        return copy_done(MemError());
    if (size > 0)
        nk_memcpy(*h, srcPtr, (size_t)size);
    *dstHndl = h;
    return copy_done(noErr);
}

/* Make h (possibly empty) hold n bytes, keeping its leading contents. */
static OSErr copy_resize(const char *call, Handle h, Size n, THz *zout)
{
    OSErr e = mm_lookup_handle(call, h, true, zout);
    if (e != noErr)
        return e;
    if (!mm_size_ok(n))
        return memFullErr;
    if (*h == NULL)
        ReallocateHandle(h, n);
    else
        mm_set_handle_size(*zout, h, n);
    return MemError();
}

/* IM: the destination must be an existing handle; an empty one is nilHandleErr. */
OSErr PtrToXHand(const void *srcPtr, Handle dstHndl, long size)
{
    THz z;
    if (size < 0 || (size > 0 && srcPtr == NULL))
        return copy_done(paramErr);
    OSErr e = mm_lookup_handle("PtrToXHand", dstHndl, false, &z);
    if (e == noErr)
        e = copy_resize("PtrToXHand", dstHndl, size, &z);
    if (e == noErr && size > 0)
        nk_memmove(*dstHndl, srcPtr, (size_t)size);
    return copy_done(e);
}

OSErr HandAndHand(Handle hand1, Handle hand2)
{
    THz z1, z2;
    OSErr e = mm_lookup_handle("HandAndHand", hand1, false, &z1);
    if (e == noErr)
        e = mm_lookup_handle("HandAndHand", hand2, false, &z2);
    if (e != noErr)
        return copy_done(e);
    Size n1 = handle_logical(z1, hand1), n2 = handle_logical(z2, hand2);
    if (n1 > maxSize - n2)
        return copy_done(memFullErr);
    unsigned st = copy_pin(z1, hand1);
    e = copy_resize("HandAndHand", hand2, n2 + n1, &z2);
    copy_unpin(z1, hand1, st);
    if (e == noErr)
        nk_memmove(*hand2 + n2, *hand1, (size_t)n1);   /* *hand1 re-read: it may have moved */
    return copy_done(e);
}

OSErr PtrAndHand(const void *ptr1, Handle hand2, long size)
{
    THz z;
    if (size < 0 || (size > 0 && ptr1 == NULL))
        return copy_done(paramErr);
    OSErr e = mm_lookup_handle("PtrAndHand", hand2, false, &z);
    if (e != noErr)
        return copy_done(e);
    Size n2 = handle_logical(z, hand2);
    if (size > maxSize - n2)   /* n2 <= maxSize, so this cannot overflow */
        return copy_done(memFullErr);
    e = copy_resize("PtrAndHand", hand2, n2 + size, &z);
    if (e == noErr && size > 0)
        nk_memmove(*hand2 + n2, ptr1, (size_t)size);
    return copy_done(e);
}

/* Offset of the first occurrence of pat[0..len) in h[from..n), or -1. */
static long munger_find(const char *data, long n, long from, const void *pat, long len)
{
    if (len > n)   /* also keeps n - len from overflowing below */
        return -1;
    for (long i = from; i <= n - len; i++)
        if (nk_memcmp(data + i, pat, (size_t)len) == 0)
            return i;
    return -1;
}

/*
 * IM vol. I (Toolbox Utilities), Munger: find ptr1/len1 in h from offset and
 * replace it by ptr2/len2; ptr1 NULL means "the len1 bytes at offset" (len1
 * < 0: to the end); len1 == 0 inserts at offset; ptr2 NULL only searches;
 * len2 == 0 deletes. Returns the offset just past the replacement (or of
 * the match when only searching); a negative value if not found or on error.
 */
long Munger(Handle h, long offset, const void *ptr1, long len1, const void *ptr2, long len2)
{
    THz z;
    OSErr e = mm_lookup_handle("Munger", h, false, &z);
    if (e != noErr) {
        mm_set_err(e);
        return -1;
    }
    long n = (long)handle_logical(z, h);
    if (offset < 0 || offset > n || len2 < 0) {
        mm_set_err(paramErr);
        return -1;
    }
    long at = offset;
    if (ptr1 == NULL) {
        if (len1 < 0 || len1 > n - offset)
            len1 = n - offset;
    } else if (len1 < 0) {
        mm_set_err(paramErr);
        return -1;
    } else if (len1 > 0) {
        at = munger_find(*h, n, offset, ptr1, len1);
        if (at < 0) {
            mm_set_err(noErr);
            return -1;
        }
    }
    if (ptr2 == NULL) {
        mm_set_err(noErr);
        return at;
    }
    /* 0 <= len1 <= n - at here; the new size n - len1 + len2 must stay a
     * size a block can have (checked without overflowing). */
    if (len2 > maxSize - (n - len1)) {
        mm_set_err(memFullErr);
        return -1;
    }
    long tail = n - at - len1;
    if (len2 > len1) {
        mm_set_handle_size(z, h, n - len1 + len2);
        if (MemError() != noErr)
            return -1;
        nk_memmove(*h + at + len2, *h + at + len1, (size_t)tail);
    } else {
        nk_memmove(*h + at + len2, *h + at + len1, (size_t)tail);
        mm_set_handle_size(z, h, n - len1 + len2);
    }
    nk_memmove(*h + at, ptr2, (size_t)len2);
    mm_set_err(noErr);
    return at + len2;
}

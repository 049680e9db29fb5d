/*
 * mm_whereis.c - names the Classic block an address lies in, for the page
 * fault report (mm_whereis.h). Runs inside an exception handler, so it only
 * reads: it finds the zone through the registry, then walks the zone's
 * blocks from heapData, accepting a step only if the size is a multiple of
 * MM_ALIGN, at least MM_MIN_BLOCK and inside [heapData, bkLim); a block
 * header that fails those rules ends the walk with "damaged". A small free
 * block right below a page-aligned large block is named as its padding.
 * An address in a temporary handle's page run (outside every zone) is
 * named by mm_temp.c, which reads only live runs' sealed headers.
 */
#include "MemoryMgr/mm_whereis.h"

#include "lib/kprintf.h"
#include "mm_internal.h"

static const char *whereis_state(const mm_block *b)
{
    if (block_locked(b) && block_purgeable(b))
        return "locked, purgeable";
    if (block_locked(b))
        return "locked";
    return block_purgeable(b) ? "unlocked, purgeable" : "unlocked";
}

/* Free block b (its size checked by the walk) is the padding below a
 * large block with page-aligned data (mm_remap.c): smaller than that
 * block's alignment and a minimal block, with the block right above it.
 * Only reads. */
static bool whereis_pad(THz z, mm_block *b)
{
    mm_block *n = block_next(b);
    if ((char *)n >= z->bkLim || block_is_free(n))
        return false;
    uint64_t nsz = block_size(n);
    return nsz <= (uint64_t)(z->bkLim - (char *)n) && big_size(z, nsz) && block_size(b) < big_room(nsz) - nsz
        && ((uintptr_t)block_data(n) & (MM_PAGE - 1)) == 0;
}

static void whereis_block(THz z, mm_block *b, const void *addr, char *buf, size_t size)
{
    uintptr_t data = (uintptr_t)block_data(b);
    long off = (long)((uintptr_t)addr - data);
    switch (block_type(b)) {
    case MM_T_FREE:
        if (whereis_pad(z, b)) {
            ksnprintf(buf, size, "Classic zone '%s', free block at %p (%lu bytes), the padding below the large block %p",
                      zone_priv(z)->name, (void *)b, (unsigned long)block_size(b), (void *)block_data(block_next(b)));
            return;
        }
        ksnprintf(buf, size, "Classic zone '%s', free block at %p (%lu bytes)", zone_priv(z)->name, (void *)b,
                  (unsigned long)block_size(b));
        return;
    case MM_T_NONREL:
        ksnprintf(buf, size, "Classic zone '%s', nonrelocatable block %p (%ld bytes), offset %ld", zone_priv(z)->name,
                  (void *)data, (long)block_logical(b), off);
        return;
    case MM_T_REL:
        ksnprintf(buf, size, "Classic zone '%s', relocatable block %p (%ld bytes, handle %p, %s), offset %ld",
                  zone_priv(z)->name, (void *)data, (long)block_logical(b), (void *)zone_mp_at(z, block_link(b)),
                  whereis_state(b), off);
        return;
    default:
        ksnprintf(buf, size, "Classic zone '%s', its trailer", zone_priv(z)->name);
        return;
    }
}

bool mm_whereis(const void *addr, char *buf, size_t size)
{
    THz z = mm_registry_find(addr);
    if (!z)
        return tr_whereis(addr, buf, size);
    const char *p = addr;
    for (mm_block *b = zone_first(z); (char *)b < z->bkLim;) {
        uint64_t sz = block_size(b);
        if (sz < MM_MIN_BLOCK || (sz & (MM_ALIGN - 1)) || sz > (uint64_t)(z->bkLim - (char *)b)) {
            ksnprintf(buf, size, "Classic zone '%s', past a damaged block header at %p", zone_priv(z)->name, (void *)b);
            return true;
        }
        if (p < (char *)b + sz) {
            if (p < (char *)b + MM_HDR)
                ksnprintf(buf, size, "Classic zone '%s', the header of the block at %p", zone_priv(z)->name, (void *)b);
            else
                whereis_block(z, b, addr, buf, size);
            return true;
        }
        b = block_next(b);
    }
    ksnprintf(buf, size, "Classic zone '%s', its trailer", zone_priv(z)->name);
    return true;
}

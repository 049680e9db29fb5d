/*
 * mm_dump.c - a heap display in the manner of MacsBug's "hd": one line per
 * block (address, type, physical and logical size, lock/purge/resource
 * flags, master pointer) and a summary, printed with kprintf so it reaches
 * the kernel's serial log.
 */
#include "MemoryMgr/mm_debug.h"

#include "lib/kprintf.h"
#include "mm_internal.h"

static const char *dump_type(mm_block *b)
{
    switch (block_type(b)) {
    case MM_T_FREE:   return "free";
    case MM_T_NONREL: return block_marked(b) ? "NMP " : "N   ";
    case MM_T_REL:    return "R   ";
    default:          return "????";
    }
}

static void dump_block(THz z, mm_block *b)
{
    kprintf("  %p %-4s %12lu", (void *)b, dump_type(b), (unsigned long)block_size(b));
    if (block_is_free(b)) {
        kprintf("\n");
        return;
    }
    kprintf(" %12ld", (long)block_logical(b));
    if (block_type(b) == MM_T_REL) {
        unsigned s = block_state(b);
        kprintf(" %c%c%c mp %p", s & kHandleLockedMask ? 'L' : '-', s & kHandlePurgeableMask ? 'P' : '-',
                s & kHandleIsResourceMask ? 'R' : '-', (void *)zone_mp_at(z, block_link(b)));
    }
    kprintf("\n");
}

void mm_dump_zone(THz z)
{
    if (!mm_zone_valid(z)) {
        kprintf("mm_dump_zone: %p is not a heap zone\n", (void *)z);
        return;
    }
    kprintf("Zone '%s' at %p: blocks %p..%p, limit %p\n", zone_priv(z)->name, (void *)z, (void *)z->heapData,
            (void *)z->bkLim, (void *)zone_priv(z)->limit);
    kprintf("  %-18s %-4s %12s %12s flg master\n", "block", "type", "physical", "logical");
    long counts[3] = { 0, 0, 0 };
    uint64_t bytes[3] = { 0, 0, 0 };
    mm_block *t = zone_trailer(z);
    for (mm_block *b = zone_first(z); b < t && block_size(b) >= MM_MIN_BLOCK; b = block_next(b)) {
        dump_block(z, b);
        counts[block_type(b) % 3]++;
        bytes[block_type(b) % 3] += block_size(b);
    }
    kprintf("  %ld free (%lu bytes), %ld nonrelocatable (%lu), %ld relocatable (%lu); "
            "master pointers %ld, %ld free\n",
            counts[0], (unsigned long)bytes[0], counts[1], (unsigned long)bytes[1], counts[2],
            (unsigned long)bytes[2], (long)z->cntHandles, (long)z->cntEmpty);
    OSErr e = mm_check_zone(z, "mm_dump_zone", true);
    kprintf("  heap check: %s\n", e == noErr ? "ok" : "FAILED");
}

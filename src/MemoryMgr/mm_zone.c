/*
 * mm_zone.c - creating heap zones and changing where they end.
 *
 * A zone occupies [start, end): the Zone header, the block run from
 * heapData, and a 16-byte trailer block at bkLim (end = bkLim + 16). Only
 * the Application zone has room to grow: its `limit` (ApplLimit) lies
 * beyond its end, and growing moves the trailer up and hands the new space
 * to the top free block. InitZone gives every zone one block of master
 * pointers, as IM describes.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

#include "lib/kstring.h"
#include "platform.h"

enum { MM_GROW_CHUNK = 64 * 1024, MM_ZONE_MIN = 1024 };

static char *ptr_align_up(void *p) { return (char *)(((uintptr_t)p + MM_ALIGN - 1) & ~(uintptr_t)(MM_ALIGN - 1)); }
static char *ptr_align_down(void *p) { return (char *)((uintptr_t)p & ~(uintptr_t)(MM_ALIGN - 1)); }
static size_t zone_header_size(void) { return (sizeof(Zone) + MM_ALIGN - 1) & ~(size_t)(MM_ALIGN - 1); }

static void zone_set_trailer(THz z, char *at, bool prev_free)
{
    mm_block *t = (mm_block *)at;
    block_set_tag(t, MM_TRAILER, MM_T_TRAILER, prev_free ? MM_TAG_PREVFREE : 0);
    t->info = 0;
    z->bkLim = at;
}

THz mm_zone_create(void *start, void *end, void *limit, short masters, GrowZoneProcPtr gz, const char *name)
{
    char *s = ptr_align_up(start), *e = ptr_align_down(end), *lim = ptr_align_down(limit);
    if (start == NULL || (uintptr_t)end <= (uintptr_t)start || e <= s || (size_t)(e - s) < MM_ZONE_MIN
        || (size_t)(e - s) < zone_header_size() + MM_MIN_BLOCK + MM_TRAILER) {
        mm_set_err(memFullErr);
        return NULL;
    }
    if (lim < e)
        lim = e;
    mm_registry_remove_within(s, lim);
    THz z = (THz)s;
    nk_memset(z, 0, sizeof *z);
    z->heapData = s + zone_header_size();
    z->limit = lim;
    z->moreMast = masters > 0 ? masters : MM_DEFAULT_MASTERS;
    z->gzProc = gz;
    for (unsigned i = 0; name[i] && i < sizeof z->name - 1; i++)
        z->name[i] = name[i];
    fl_reset(z);
    zone_set_trailer(z, e - MM_TRAILER, true);
    mm_block *f = zone_first(z);
    block_set_tag(f, (uint64_t)(z->bkLim - z->heapData), MM_T_FREE, 0);
    fl_insert(z, f);
    z->magic = MM_ZONE_MAGIC;
    z->self = z;
    mm_registry_add(z);
    if (mm_more_masters(z, z->moreMast) != noErr) {
        mm_forget_zone(z);
        mm_set_err(memFullErr);
        return NULL;
    }
    mm_set_err(noErr);
    return z;
}

/* Extend the zone by exactly `by` bytes (a multiple of 16, room checked). */
static void zone_extend(THz z, uint64_t by)
{
    mm_block *old = zone_trailer(z);
    bool prev_free = block_prev_free(old);
    zone_set_trailer(z, z->bkLim + by, false);
    block_set_tag(old, by, MM_T_FREE, prev_free ? MM_TAG_PREVFREE : 0);
    blk_free(z, old);
}

static uint64_t zone_room(THz z)
{
    return (uint64_t)(z->limit - zone_end(z));
}

bool mm_zone_grow(THz z, uint64_t need)
{
    mm_block *t = zone_trailer(z);
    uint64_t top = block_prev_free(t) ? block_size(block_prev(t)) : 0;
    if (top >= need)
        return true;
    uint64_t want = need - top;
    if (want < MM_MIN_BLOCK)
        want = MM_MIN_BLOCK;
    if (want > zone_room(z))
        return false;
    if (want < MM_GROW_CHUNK)   /* grow in chunks so small requests do not grow it every time */
        want = MM_GROW_CHUNK < zone_room(z) ? MM_GROW_CHUNK : zone_room(z);
    zone_extend(z, want & ~(uint64_t)(MM_ALIGN - 1));
    return true;
}

OSErr mm_zone_shrink_to(THz z, Ptr newEnd)
{
    char *e = ptr_align_down(newEnd);
    if (!mm_zone_valid(z) || e > zone_end(z) || e < z->heapData + MM_TRAILER)
        return memFullErr;
    if (e == zone_end(z))
        return noErr;
    char *nb = e - MM_TRAILER;
    mm_block *t = zone_trailer(z);
    if (!block_prev_free(t))
        return memFullErr;
    mm_block *f = block_prev(t);
    if ((char *)f > nb || ((char *)f < nb && nb - (char *)f < MM_MIN_BLOCK))
        return memFullErr;
    fl_remove(z, f);
    if ((char *)f == nb) {
        zone_set_trailer(z, nb, false);
        return noErr;
    }
    block_set_size(f, (uint64_t)(nb - (char *)f));
    fl_insert(z, f);
    zone_set_trailer(z, nb, true);
    return noErr;
}

void InitZone(GrowZoneProcPtr pGrowZone, short cMoreMasters, void *limitPtr, void *startPtr)
{
    if (startPtr == NULL || limitPtr == NULL || (uintptr_t)limitPtr <= (uintptr_t)startPtr) {
        mm_set_err(paramErr);
        return;
    }
    THz z = mm_zone_create(startPtr, limitPtr, limitPtr, cMoreMasters, pGrowZone, "Z");
    if (z == NULL)
        return;
    SetZone(z);
}

void SetGrowZone(GrowZoneProcPtr growZone)
{
    THz z = mm_cur_zone();
    if (z == NULL) {
        mm_set_err(memFullErr);
        return;
    }
    z->gzProc = growZone;
    mm_set_err(noErr);
}

/* IM: the handle a grow-zone procedure must not move or purge, whichever
 * zone the procedure runs for; NULL outside a grow-zone procedure. */
Handle GZSaveHnd(void)
{
    mm_set_err(noErr);
    return mm_gz_save();
}

/* ---- the Application zone ---- */

static struct {
    char  *base, *end;
    size_t initial;
    short  masters;
} g_appl;

void mm_appl_storage(void *base, size_t size, size_t initial, short masters)
{
    g_appl.base = base;
    g_appl.end = (char *)base + size;
    g_appl.initial = initial < size ? initial : size;
    g_appl.masters = masters;
}

/* IM vol. II: InitApplZone discards the whole Application zone and makes
 * a fresh one of the initial size, which becomes the current zone;
 * ApplLimit stays where it was. */
void InitApplZone(void)
{
    THz old = mm_app_zone();
    if (g_appl.base == NULL) {
        mm_set_err(memFullErr);
        return;
    }
    char *limit = old && mm_zone_valid(old) ? old->limit : g_appl.end;
    THz z = mm_zone_create(g_appl.base, g_appl.base + g_appl.initial, limit, g_appl.masters, NULL, "A");
    if (z == NULL)
        return;
    mm_set_app_zone(z);
    SetZone(z);
    mm_set_err(noErr);
}

/* IM: Memory: a limit below the zone's current end does not shrink the
 * zone, it only stops further growth. A limit beyond the storage we were
 * given is memFullErr (on a Mac it would run into the stack). */
void SetApplLimit(void *zoneLimit)
{
    THz z = mm_app_zone();
    char *lim = ptr_align_down(zoneLimit);
    if (z == NULL || lim > g_appl.end || lim < z->heapData) {
        mm_set_err(memFullErr);
        return;
    }
    z->limit = lim < zone_end(z) ? zone_end(z) : lim;
    mm_set_err(noErr);
}

Ptr GetApplLimit(void)
{
    THz z = mm_app_zone();
    mm_set_err(noErr);
    return z ? z->limit : NULL;
}

void MaxApplZone(void)
{
    THz z = mm_app_zone();
    if (z == NULL) {
        mm_set_err(memFullErr);
        return;
    }
    MM_CHECK(z, "MaxApplZone");
    uint64_t room = zone_room(z) & ~(uint64_t)(MM_ALIGN - 1);
    if (room >= MM_MIN_BLOCK)
        zone_extend(z, room);
    MM_CHECK(z, "MaxApplZone");
    mm_set_err(noErr);
}

Ptr TopMem(void)
{
    mm_set_err(noErr);
    return g_appl.end;
}

/* The stack is not below ApplLimit as on a Mac: StackSpace is the room
 * left on the caller's own stack, which the platform knows. */
long StackSpace(void)
{
    char here;
    mm_set_err(noErr);
    return (long)plat_stack_room(&here);
}

/*
 * mm_zone.c - creating heap zones (InitZone, the Application zone) and the
 * zone-wide settings (SetGrowZone, GZSaveHnd, ApplLimit, StackSpace).
 *
 * A zone occupies [start, end): the Zone header, the allocator's private
 * state, the block run from heapData, and a 16-byte trailer block at bkLim
 * (end = bkLim + 16). InitZone gives every zone one block of master
 * pointers, as IM describes. Growing a zone is mm_zone_grow.c's.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

#include "lib/kstring.h"
#include "platform.h"

/* First-level size classes a zone that may reach `span` bytes needs: one
 * per power of two up to its size, so small zones keep small bins. */
static unsigned zone_fl_count(uint64_t span)
{
    unsigned log2 = 63u - (unsigned)__builtin_clzll(span | 1);
    unsigned n = log2 >= MM_FL_SHIFT ? log2 - MM_FL_SHIFT + 1 : 1;
    return n < MM_FL_COUNT ? n : MM_FL_COUNT;
}

static size_t zone_map_offset(unsigned fl_count)
{
    return MM_ZONE_PUB + sizeof(mm_zone_priv) + fl_count * sizeof(((mm_zone_priv *)0)->bins[0]);
}

/* The public header, the private state, its bins and the space map
 * (mm_spacemap.c) of a block run that may reach `span` bytes in a zone
 * made with `room` bytes, rounded to 16. */
static size_t zone_header_size(unsigned fl_count, uint64_t span, uint64_t room)
{
    size_t n = zone_map_offset(fl_count) + smap_bytes_for(span, room);
    return (n + MM_ALIGN - 1) & ~(size_t)(MM_ALIGN - 1);
}

THz mm_zone_create(void *start, void *end, void *limit, short masters, GrowZoneProcPtr gz, const char *name)
{
    char *s = ptr_align_up(start), *e = ptr_align_down(end), *lim = ptr_align_down(limit);
    if (start == NULL || (uintptr_t)end <= (uintptr_t)start || e <= s || (size_t)(e - s) < MM_ZONE_MIN_BYTES) {
        mm_set_err(memFullErr);
        return NULL;
    }
    if (lim < e)
        lim = e;
    unsigned flc = zone_fl_count((uint64_t)(lim - s));
    size_t hdr = zone_header_size(flc, (uint64_t)(lim - s), (uint64_t)(e - s));
    if ((size_t)(e - s) < hdr + MM_MIN_BLOCK + MM_TRAILER) {
        mm_set_err(memFullErr);
        return NULL;
    }
    mm_registry_remove_within(s, lim);
    THz z = (THz)s;
    nk_memset(z, 0, hdr);
    z->heapData = s + hdr;
    z->allocPtr = (Ptr)zone_priv(z);
    zone_priv(z)->flCount = flc;
    smap_init(z, (uint64_t)(lim - s), (uint64_t)(e - s), s + zone_map_offset(flc));
    zone_priv(z)->limit = lim;
    zone_priv(z)->bigPhys = big_phys_for(CONFIG_MM_REMAP_MIN);
    zone_priv(z)->remaps = plat_remappable(s, (uint64_t)(lim - s));
    z->moreMast = masters > 0 ? masters : MM_DEFAULT_MASTERS;
    z->gzProc = gz;
    for (unsigned i = 0; name[i] && i < sizeof zone_priv(z)->name - 1; i++)
        zone_priv(z)->name[i] = name[i];
    fl_reset(z);
    zone_set_trailer(z, e - MM_TRAILER, true);
    mm_block *f = zone_first(z);
    block_set_tag(f, (uint64_t)(z->bkLim - z->heapData), MM_T_FREE, 0);
    fl_insert(z, f);
    z->minCBFree = z->zcbFree;
    zone_priv(z)->magic = MM_ZONE_MAGIC;
    zone_priv(z)->self = z;
    mm_registry_add(z);
    if (mm_more_masters(z, z->moreMast) != noErr) {
        mm_forget_zone(z);
        mm_set_err(memFullErr);
        return NULL;
    }
    mm_set_err(noErr);
    return z;
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
    char *limit = old && mm_zone_valid(old) ? zone_priv(old)->limit : g_appl.end;
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
    zone_priv(z)->limit = lim < zone_end(z) ? zone_end(z) : lim;
    mm_set_err(noErr);
}

Ptr GetApplLimit(void)
{
    THz z = mm_app_zone();
    mm_set_err(noErr);
    return z ? zone_priv(z)->limit : NULL;
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

/*
 * mm_space.c - how much room a zone has, and making room: FreeMem,
 * MaxBlock and PurgeSpace only look (they read the space map's summary of
 * what compaction and purging would give, mm_spacemap.c, or simulate
 * both with a walk when the zone holds a large movable block); MaxMem,
 * CompactMem, PurgeMem and ReserveMem act (CompactMem stops once a free
 * block of cbNeeded bytes exists).
 *
 * Sizes returned are logical bytes a single request could get (a block's
 * physical size less its 16-byte header); FreeMem is the sum of free
 * physical sizes, exactly what disposing everything gives back.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

/* Largest gap compaction would make, treating purgeable blocks as free
 * when with_purge; *total gets the free (+ purgeable) bytes. */
uint64_t mm_space_walk(THz z, bool with_purge, uint64_t *total)
{
    uint64_t gap = 0, best = 0, sum = 0;
    mm_block *t = zone_trailer(z);
    for (mm_block *b = zone_first(z); b != NULL && b != t; b = zone_step(z, b)) {
        bool rel = block_type(b) == MM_T_REL, locked = rel && block_locked(b);
        bool freeable = block_is_free(b) || (with_purge && rel && !locked && block_purgeable(b));
        if (freeable) {
            gap += block_size(b);
            sum += block_size(b);
        } else if (rel && !locked && gap != 0 && big_remappable(z, b)) {
            /* A large block moves alone, by whole pages (mm_compact.c):
             * the gap below its new place stays a block of its own. */
            mm_block *to = big_target((char *)b - gap, b);
            uint64_t below = to == b ? gap : (uint64_t)((char *)to - ((char *)b - gap));
            best = below > best ? below : best;
            gap = (uint64_t)((char *)b - (char *)to);
        } else if (!(rel && !locked)) {
            best = gap > best ? gap : best;
            gap = 0;
        }
    }
    best = gap > best ? gap : best;
    if (total)
        *total = sum;
    return best;
}

static bool g_space_verify = CONFIG_MM_SMAP_VERIFY;
void mm_set_space_verify(bool on) { g_space_verify = on; }

/* The same answer from the space map, or by the walk where the map defers
 * to it; 0 (and *total 0) when damage stopped the map (reported). */
static uint64_t space_best(THz z, bool with_purge, uint64_t *total)
{
    uint64_t best = 0, sum = 0;
    int r = smap_space(z, with_purge, &best, &sum);
    if (r == 0)
        best = mm_space_walk(z, with_purge, &sum);
    if (g_space_verify && r == 1) {
        unsigned mark = mm_damage_mark();
        uint64_t walk_sum = 0, walk_best = mm_space_walk(z, with_purge, &walk_sum);
        DIAG_ASSERT(mm_damage_since(mark) != noErr || (walk_best == best && walk_sum == sum),
                    "the space map's answer differs from the walk's");
    }
    if (total)
        *total = r < 0 ? 0 : sum;
    return r < 0 ? 0 : best;
}

static THz space_zone(THz z)
{
    mm_set_err(z ? noErr : memFullErr);
    return z;
}

long FreeMem(void)
{
    THz z = space_zone(mm_cur_zone());
    return z ? (long)z->zcbFree : 0;
}

long FreeMemSys(void)
{
    THz z = space_zone(mm_sys_zone());
    return z ? (long)z->zcbFree : 0;
}

static long maxblock_in(THz z)
{
    if (space_zone(z) == NULL)
        return 0;
    return mm_logical_room(space_best(z, false, NULL));
}

long MaxBlock(void) { return maxblock_in(mm_cur_zone()); }
long MaxBlockSys(void) { return maxblock_in(mm_sys_zone()); }

/* IM: MaxMem purges every purgeable block and compacts the whole zone;
 * *grow is how far the (Application) zone could still grow. */
static Size maxmem_in(THz z, Size *grow)
{
    if (grow)
        *grow = 0;
    if (space_zone(z) == NULL)
        return 0;
    if (MM_GATE(z, "MaxMem") != noErr)
        return 0;
    unsigned mark = mm_damage_mark();
    mm_may_move(z, NULL);
    mm_purge(z, 0, NULL);
    uint64_t best = mm_damage_since(mark) == noErr ? mm_compact(z) : 0;
    if (mm_damage_since(mark) == noErr)
        mm_zone_decommit_top(z);
    if (grow)
        *grow = (Size)(zone_priv(z)->limit - zone_end(z));
    mm_set_err(mm_damage_since(mark));
    MM_CHECK(z, "MaxMem");
    return mm_logical_room(best);
}

Size MaxMem(Size *grow) { return maxmem_in(mm_cur_zone(), grow); }
Size MaxMemSys(Size *grow) { return maxmem_in(mm_sys_zone(), grow); }

/* IM: CompactMem compacts until a free block of cbNeeded bytes exists or
 * the whole zone is compacted, and returns the largest free block; a
 * cbNeeded no block can have (maxSize) compacts everything. */
static Size compact_in(THz z, Size cbNeeded)
{
    if (space_zone(z) == NULL)
        return 0;
    if (MM_GATE(z, "CompactMem") != noErr)
        return 0;
    unsigned mark = mm_damage_mark();
    mm_may_move(z, NULL);
    bool some = mm_size_ok(cbNeeded) && cbNeeded < maxSize;
    uint64_t best = some ? mm_compact_for(z, mm_phys_for(cbNeeded)) : mm_compact(z);
    if (mm_damage_since(mark) == noErr)
        mm_zone_decommit_top(z);
    mm_set_err(mm_damage_since(mark));
    MM_CHECK(z, "CompactMem");
    return mm_logical_room(best);
}

Size CompactMem(Size cbNeeded) { return compact_in(mm_cur_zone(), cbNeeded); }
Size CompactMemSys(Size cbNeeded) { return compact_in(mm_sys_zone(), cbNeeded); }

/* IM: PurgeMem purges until a block of cbNeeded bytes is free (without
 * compacting) and reports memFullErr when even purging all is not enough;
 * a cbNeeded no block can have purges everything. */
static void purge_in(THz z, Size cbNeeded)
{
    if (space_zone(z) == NULL)
        return;
    if (MM_GATE(z, "PurgeMem") != noErr)
        return;
    unsigned mark = mm_damage_mark();
    uint64_t want = mm_size_ok(cbNeeded) ? mm_phys_for(cbNeeded) : UINT64_MAX;
    if (mm_largest_free(z) < want)
        mm_purge(z, want, NULL);
    if (mm_damage_since(mark) != noErr) {
        mm_set_err(mm_damage_since(mark));
        return;
    }
    mm_zone_decommit_top(z);
    mm_set_err(mm_largest_free(z) >= want ? noErr : memFullErr);
    MM_CHECK(z, "PurgeMem");
}

void PurgeMem(Size cbNeeded) { purge_in(mm_cur_zone(), cbNeeded); }
void PurgeMemSys(Size cbNeeded) { purge_in(mm_sys_zone(), cbNeeded); }

void PurgeSpace(long *total, long *contig)
{
    THz z = space_zone(mm_cur_zone());
    uint64_t sum = 0, best = z ? space_best(z, true, &sum) : 0;
    if (total)
        *total = (long)sum;
    if (contig)
        *contig = mm_logical_room(best);
}

/* IM: ReserveMem makes room at the lowest possible position. That is where
 * a nonrelocatable block of cbNeeded bytes would go (mm_place.c: moving
 * relocatable blocks up, compacting, growing, purging as the allocation
 * sequence does), so one is allocated and freed, and its room is kept for
 * the next relocatable allocation that fits (pl_take_reserve). */
static void reserve_in(THz z, Size cbNeeded)
{
    if (space_zone(z) == NULL)
        return;
    if (MM_GATE(z, "ReserveMem") != noErr)
        return;
    mm_block *b = mm_alloc(z, cbNeeded, MM_KIND_NONREL, NULL);
    if (b != NULL)
        zone_priv(z)->reserve = blk_release(z, b);
    MM_CHECK(z, "ReserveMem");
}

void ReserveMem(Size cbNeeded) { reserve_in(mm_cur_zone(), cbNeeded); }
void ReserveMemSys(Size cbNeeded) { reserve_in(mm_sys_zone(), cbNeeded); }

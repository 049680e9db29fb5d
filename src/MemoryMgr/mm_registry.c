/*
 * mm_registry.c - the live zones, so any handle or pointer can be traced
 * to its zone in O(zones) without trusting the caller (HandleZone of an
 * empty handle, DisposeHandle of a handle from another zone).
 *
 * The registry is a doubly linked list threaded through the zones' own
 * private headers (mm_zone_priv.regNext/regPrev), so it needs no table and
 * holds as many zones as there is memory for them. Invariants:
 *  1. a zone is on the list exactly while its storage is the Memory
 *     Manager's: it leaves when a zone is built over it (InitZone),
 *     when the block holding it is released (blk_release), and when its
 *     storage is given back outside the Memory Manager, which the owner
 *     must announce with mm_forget_storage() or mm_forget_zone();
 *  2. so every walk of the list reads only storage the Memory Manager
 *     still owns, and never a zone that is gone;
 *  3. when zones nest (a zone built inside a block of another), the
 *     smallest zone containing the address wins.
 */
#include "MemoryMgr/mm_debug.h"
#include "MemoryMgr/mm_init.h"
#include "mm_internal.h"

static THz      g_reg_head;
static unsigned g_reg_n;

bool mm_zone_valid(THz z)
{
    return z != NULL && ((uintptr_t)z & 7) == 0 && zone_priv(z)->magic == MM_ZONE_MAGIC && zone_priv(z)->self == z;
}

static void reg_unlink(THz z)
{
    mm_zone_priv *zp = zone_priv(z);
    if (zp->regPrev)
        zone_priv(zp->regPrev)->regNext = zp->regNext;
    else
        g_reg_head = zp->regNext;
    if (zp->regNext)
        zone_priv(zp->regNext)->regPrev = zp->regPrev;
    zp->regNext = zp->regPrev = NULL;
    g_reg_n--;
}

static bool reg_has(THz z)
{
    for (THz r = g_reg_head; r != NULL; r = zone_priv(r)->regNext)
        if (r == z)
            return true;
    return false;
}

/* Clears the low-memory globals that name a zone leaving the registry. */
static void reg_forget_globals(THz z)
{
    if (mm_cur_zone() == z)
        mm_set_cur_zone(NULL);
    if (mm_sys_zone() == z)
        mm_set_sys_zone(NULL);
    if (mm_app_zone() == z)
        mm_set_app_zone(NULL);
    if (mm_temp_zone() == z)
        mm_set_temp_zone(NULL);
}

void mm_registry_remove_within(const char *lo, const char *hi)
{
    for (THz r = g_reg_head; r != NULL;) {
        THz next = zone_priv(r)->regNext;
        if ((const char *)r >= lo && (const char *)r < hi) {
            reg_unlink(r);
            reg_forget_globals(r);
            tr_zone_gone(r);   /* its temporary handles' page runs go back */
        }
        r = next;
    }
}

void mm_registry_add(THz z)
{
    tr_zone_gone(z);   /* a zone laid anew here owns no page runs yet */
    if (reg_has(z))
        reg_unlink(z);
    mm_zone_priv *zp = zone_priv(z);
    zp->regPrev = NULL;
    zp->regNext = g_reg_head;
    if (g_reg_head)
        zone_priv(g_reg_head)->regPrev = z;
    g_reg_head = z;
    g_reg_n++;
}

unsigned mm_registry_count(void)
{
    return g_reg_n;
}

void mm_forget_zone(THz z)
{
    if (z == NULL || !reg_has(z))
        return;
    reg_unlink(z);
    reg_forget_globals(z);
    tr_zone_gone(z);   /* its temporary handles' page runs go back */
    zone_priv(z)->magic = 0;
}

void mm_forget_storage(const void *base, size_t size)
{
    if (base == NULL || size == 0)
        return;
    mm_registry_remove_within(base, (const char *)base + size);
}

THz mm_registry_find(const void *addr)
{
    THz best = NULL;
    for (THz z = g_reg_head; z != NULL; z = zone_priv(z)->regNext) {
        if (!zone_contains(z, addr))
            continue;
        if (best == NULL || z->bkLim - z->heapData < best->bkLim - best->heapData)
            best = z;
    }
    return best;
}

THz mm_registry_next(THz z)
{
    return z == NULL ? g_reg_head : zone_priv(z)->regNext;
}

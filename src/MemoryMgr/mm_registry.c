/*
 * mm_registry.c - the list of live zones, so any handle or pointer can be
 * traced to its zone in O(zones) without trusting the caller (HandleZone of
 * an empty handle, DisposeHandle of a handle from another zone).
 *
 * Invariants: at most MM_REG_MAX entries; an entry is only believed if the
 * zone header there still carries the magic and points at itself; when
 * zones nest (a zone built inside a block of another), the smallest zone
 * containing the address wins. A zone whose memory is freed or
 * re-initialised is removed (mm_registry_remove_within).
 */
#include "mm_internal.h"

enum { MM_REG_MAX = 64 };

static THz      g_reg[MM_REG_MAX];
static unsigned g_reg_n;

bool mm_zone_valid(THz z)
{
    return z != NULL && ((uintptr_t)z & 7) == 0 && zone_priv(z)->magic == MM_ZONE_MAGIC && zone_priv(z)->self == z;
}

static void reg_drop(unsigned i)
{
    g_reg[i] = g_reg[--g_reg_n];
}

void mm_registry_remove_within(const char *lo, const char *hi)
{
    for (unsigned i = 0; i < g_reg_n;) {
        const char *zs = (const char *)g_reg[i];
        if (zs >= lo && zs < hi)
            reg_drop(i);
        else
            i++;
    }
}

void mm_registry_add(THz z)
{
    for (unsigned i = 0; i < g_reg_n;) {
        if (!mm_zone_valid(g_reg[i]) || g_reg[i] == z)
            reg_drop(i);
        else
            i++;
    }
    DIAG_ASSERT(g_reg_n < MM_REG_MAX, "too many heap zones");
    g_reg[g_reg_n++] = z;
}

void mm_forget_zone(THz z)
{
    for (unsigned i = 0; i < g_reg_n; i++) {
        if (g_reg[i] == z) {
            reg_drop(i);
            break;
        }
    }
    if (mm_zone_valid(z))
        zone_priv(z)->magic = 0;
}

THz mm_registry_find(const void *addr)
{
    THz best = NULL;
    for (unsigned i = 0; i < g_reg_n; i++) {
        THz z = g_reg[i];
        if (!mm_zone_valid(z) || !zone_contains(z, addr))
            continue;
        if (best == NULL || z->bkLim - z->heapData < best->bkLim - best->heapData)
            best = z;
    }
    return best;
}

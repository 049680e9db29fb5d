/*
 * mm_model.h - a shadow model of the Memory Manager, driven by a random
 * stream (a PRNG for test_mm_model, fuzz input for fuzz_mm).
 *
 * The model keeps every handle and pointer it made: zone, logical size,
 * state bits, whether it is empty, the seed of its byte pattern, and for a
 * locked handle the address it must stay at. After each call it checks
 * MemError, the call's result, and (for the touched objects every step,
 * for all objects every MDL_FULL_EVERY steps) sizes, state, zone, contents
 * and that locked blocks did not move; purges are accepted only for
 * unlocked purgeable handles, and the purge-warning procedure verifies the
 * contents it is about to lose. The heap check runs on every zone after
 * every call for the first MDL_CHECK_ALL_STEPS steps, then every
 * MDL_CHECK_EVERY steps (the walk is linear in the zone, millions of steps
 * would take too long under ASan otherwise). With `thorough` set (the
 * fuzzer, whose inputs are short) every call gets the full check of every
 * object's contents and of every zone.
 *
 * Grow-zone procedures dispose a random unlocked object of the zone that is
 * short of memory (never GZSaveHnd(), which they also check) so the
 * allocation sequence's last step really frees memory.
 *
 * Header-only: test_*.c programs are built alone against libmm.a.
 */
#ifndef TESTS_HOST_MM_MODEL_H
#define TESTS_HOST_MM_MODEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"

enum { MDL_ZONES = 3, MDL_OBJS = 96, MDL_FULL_EVERY = 64, MDL_CHECK_ALL_STEPS = 200000, MDL_CHECK_EVERY = 16 };
enum { MDL_NONE, MDL_HANDLE, MDL_PTR };

typedef struct mdl_obj {
    int      kind;
    int      zone;
    void    *ref;          /* Handle or Ptr */
    Size     size;
    unsigned seed;
    bool     empty;
    unsigned state;        /* HGetState bits */
    Ptr      pinned;       /* locked handle: where its data must stay */
} mdl_obj;

typedef struct mdl {
    THz            zones[MDL_ZONES];
    char          *bufs[MDL_ZONES];
    size_t         sizes[MDL_ZONES];
    mdl_obj        obj[MDL_OBJS];
    uint64_t       rng;
    const uint8_t *data;   /* fuzz input or NULL */
    size_t         len, pos;
    bool           done;
    long           step;
    unsigned       next_seed;
    int            busy[2];       /* objects the current call works on: the grow-zone proc leaves them */
    int            alloc_zone;
    Handle         expect_save;
    Size           expect_need;   /* least cbNeeded: the request's size plus its block header */
    bool           expect_new;    /* GZSaveHnd() is the empty handle NewHandle is filling */
    bool           masters_first; /* the zone had no free master pointer: the first grow-zone
                                     call may be for a new master-pointer block (no handle yet) */
    bool           failed;
    bool           thorough;      /* fuzz_mm: full contents and heap check after every call */
    char           why[200];
    long           purges, gz_calls, gz_frees, fails;
} mdl;

static mdl *mdl_cur;

static uint32_t mdl_rand(mdl *m)
{
    if (m->data) {
        if (m->pos + 2 > m->len) {
            m->done = true;
            return 0;
        }
        uint32_t v = (uint32_t)m->data[m->pos] | (uint32_t)m->data[m->pos + 1] << 8;
        m->pos += 2;
        return v * 2654435761u;
    }
    m->rng ^= m->rng << 13;
    m->rng ^= m->rng >> 7;
    m->rng ^= m->rng << 17;
    return (uint32_t)(m->rng >> 11);
}

static uint32_t mdl_below(mdl *m, uint32_t n) { return n ? mdl_rand(m) % n : 0; }

[[gnu::format(printf, 2, 3)]] static bool mdl_fail(mdl *m, const char *fmt, ...)
{
    if (!m->failed) {
        va_list ap;
        va_start(ap, fmt);
        int k = snprintf(m->why, sizeof m->why, "step %ld: ", m->step);
        vsnprintf(m->why + k, sizeof m->why - (size_t)k, fmt, ap);
        va_end(ap);
        m->failed = true;
    }
    return false;
}

static uint8_t mdl_pat(unsigned seed, Size i) { return (uint8_t)(seed * 151u + (unsigned)i * 7u + (unsigned)(i >> 7)); }

static void mdl_fill(char *p, Size from, Size to, unsigned seed)
{
    for (Size i = from; i < to; i++)
        p[i] = (char)mdl_pat(seed, i);
}

/* Full or sampled content check. */
static bool mdl_content_ok(const char *p, Size n, unsigned seed, bool full)
{
    if (full) {
        for (Size i = 0; i < n; i++)
            if ((uint8_t)p[i] != mdl_pat(seed, i))
                return false;
        return true;
    }
    Size probe[4] = { 0, n / 2, n - 1, n / 3 };
    for (int k = 0; k < 4; k++)
        if (n > 0 && (uint8_t)p[probe[k]] != mdl_pat(seed, probe[k]))
            return false;
    return true;
}

static int mdl_find_ref(mdl *m, const void *ref)
{
    for (int i = 0; i < MDL_OBJS; i++)
        if (m->obj[i].kind != MDL_NONE && m->obj[i].ref == ref)
            return i;
    return -1;
}

/* ---- procedures the Memory Manager calls back ---- */

static void mdl_purge_proc(Handle h)
{
    mdl *m = mdl_cur;
    int i = mdl_find_ref(m, h);
    if (i < 0) {
        mdl_fail(m, "purge-warning proc called for unknown handle %p", (void *)h);
        return;
    }
    mdl_obj *o = &m->obj[i];
    if (o->empty || !(o->state & kHandlePurgeableMask) || (o->state & kHandleLockedMask))
        mdl_fail(m, "purge-warning for handle %d which may not be purged (state %x)", i, o->state);
    else if (!mdl_content_ok(*h, o->size, o->seed, true))
        mdl_fail(m, "handle %d damaged before it was purged", i);
    m->purges++;
}

static void mdl_forget(mdl *m, int i) { m->obj[i].kind = MDL_NONE; }

static long mdl_gz_proc(Size cbNeeded)
{
    mdl *m = mdl_cur;
    m->gz_calls++;
    Handle save = GZSaveHnd();
    if (m->expect_new && m->masters_first && save == NULL) {
        /* The call is for the master-pointer block the new handle needs
         * first (as MoreMasters would make it): no handle exists yet, and
         * cbNeeded is that block's size. */
    } else {
        if (m->expect_new ? save == NULL || *save != NULL : save != m->expect_save)
            mdl_fail(m, "GZSaveHnd() is %p, expected %s%p", (void *)save, m->expect_new ? "the new handle, not " : "",
                     (void *)m->expect_save);
        if (cbNeeded < m->expect_need)
            mdl_fail(m, "grow-zone cbNeeded %ld is less than the physical size %ld", (long)cbNeeded,
                     (long)m->expect_need);
    }
    if (mdl_below(m, 4) == 0)
        return 0;
    int start = (int)mdl_below(m, MDL_OBJS);
    for (int k = 0; k < MDL_OBJS; k++) {
        int i = (start + k) % MDL_OBJS;
        mdl_obj *o = &m->obj[i];
        if (o->kind == MDL_NONE || o->zone != m->alloc_zone || i == m->busy[0] || i == m->busy[1])
            continue;
        if (o->kind == MDL_HANDLE && ((o->state & kHandleLockedMask) || o->ref == (void *)GZSaveHnd()))
            continue;
        long freed = (long)o->size + 16;
        if (o->kind == MDL_HANDLE)
            DisposeHandle(o->ref);
        else
            DisposePtr(o->ref);
        if (MemError() != noErr)
            mdl_fail(m, "grow-zone proc: dispose of object %d failed: %d", i, MemError());
        mdl_forget(m, i);
        m->gz_frees++;
        return freed;
    }
    return 0;
}

/* ---- checks ---- */

static bool mdl_check_obj(mdl *m, int i, bool full)
{
    mdl_obj *o = &m->obj[i];
    if (o->kind == MDL_PTR) {
        Ptr p = o->ref;
        if (GetPtrSize(p) != o->size || MemError() != noErr)
            return mdl_fail(m, "ptr %d: size %ld, expected %ld (err %d)", i, GetPtrSize(p), o->size, MemError());
        if (PtrZone(p) != m->zones[o->zone])
            return mdl_fail(m, "ptr %d: PtrZone wrong", i);
        if (!mdl_content_ok(p, o->size, o->seed, full))
            return mdl_fail(m, "ptr %d: contents damaged", i);
        return true;
    }
    if (o->kind != MDL_HANDLE)
        return true;
    Handle h = o->ref;
    if (HandleZone(h) != m->zones[o->zone])
        return mdl_fail(m, "handle %d: HandleZone wrong", i);
    if (o->empty) {
        if (*h != NULL)
            return mdl_fail(m, "handle %d: empty but *h = %p", i, (void *)*h);
        return true;
    }
    if (*h == NULL) {
        if ((o->state & kHandleLockedMask) || !(o->state & kHandlePurgeableMask))
            return mdl_fail(m, "handle %d purged though state %x", i, o->state);
        o->empty = true;
        o->pinned = NULL;
        return true;
    }
    if (o->pinned && *h != o->pinned)
        return mdl_fail(m, "locked handle %d moved from %p to %p", i, (void *)o->pinned, (void *)*h);
    if (GetHandleSize(h) != o->size)
        return mdl_fail(m, "handle %d: size %ld, expected %ld", i, GetHandleSize(h), o->size);
    if ((unsigned)(UInt8)HGetState(h) != o->state)
        return mdl_fail(m, "handle %d: state %x, expected %x", i, (unsigned)(UInt8)HGetState(h), o->state);
    SetZone(m->zones[o->zone]);
    if (RecoverHandle(*h) != h)
        return mdl_fail(m, "handle %d: RecoverHandle wrong", i);
    if (!mdl_content_ok(*h, o->size, o->seed, full))
        return mdl_fail(m, "handle %d: contents damaged", i);
    return true;
}

static bool mdl_check_all(mdl *m, bool full)
{
    for (int i = 0; i < MDL_OBJS && !m->failed; i++)
        mdl_check_obj(m, i, full);
    bool heap = m->step < MDL_CHECK_ALL_STEPS || m->step % MDL_CHECK_EVERY == 0 || full;
    for (int z = 0; z < MDL_ZONES && heap && !m->failed; z++)
        if (mm_check_zone(m->zones[z], "model", true) != noErr)
            mdl_fail(m, "heap check failed in zone %d", z);
    return !m->failed;
}

/* ---- operations ---- */

static Size mdl_size(mdl *m)
{
    switch (mdl_below(m, 16)) {
    case 0: return 0;
    case 1: return (Size)mdl_below(m, 6000);
    case 2: return mdl_below(m, 64) == 0 ? -(Size)mdl_below(m, 100) - 1 : (Size)mdl_below(m, 2000);
    case 3: return mdl_below(m, 200) == 0 ? (Size)1 << 40 : (Size)mdl_below(m, 40);
    default: return (Size)mdl_below(m, 300);
    }
}

static int mdl_free_slot(mdl *m)
{
    int start = (int)mdl_below(m, MDL_OBJS);
    for (int k = 0; k < MDL_OBJS; k++)
        if (m->obj[(start + k) % MDL_OBJS].kind == MDL_NONE)
            return (start + k) % MDL_OBJS;
    return -1;
}

static int mdl_pick(mdl *m, int kind)
{
    int start = (int)mdl_below(m, MDL_OBJS);
    for (int k = 0; k < MDL_OBJS; k++) {
        int i = (start + k) % MDL_OBJS;
        if (m->obj[i].kind == kind)
            return i;
    }
    return -1;
}

static void mdl_new(mdl *m, bool handle, bool clear, bool empty)
{
    int i = mdl_free_slot(m);
    if (i < 0)
        return;
    int z = (int)mdl_below(m, MDL_ZONES);
    Size n = mdl_size(m);
    SetZone(m->zones[z]);
    m->alloc_zone = z;
    m->expect_save = NULL;
    m->expect_new = handle && !empty;
    m->masters_first = m->zones[z]->hFstFree == NULL;
    m->expect_need = n >= 0 && !empty ? n + 16 : 0;   /* an empty handle asks for no block of its own */
    void *r;
    if (empty)
        r = NewEmptyHandle();
    else if (handle)
        r = clear ? NewHandleClear(n) : NewHandle(n);
    else
        r = clear ? NewPtrClear(n) : NewPtr(n);
    OSErr e = MemError();
    m->expect_new = false;
    m->expect_need = 0;
    if (r == NULL) {
        if (e != memFullErr)
            mdl_fail(m, "allocation of %ld failed with %d, expected memFullErr", n, e);
        m->fails++;
        return;
    }
    if (e != noErr || (!empty && (n < 0 || n > ((Size)1 << 36))))
        mdl_fail(m, "allocation of %ld returned a block with error %d", n, e);
    if (!handle && !empty && mm_check_placement(m->zones[z], r) != noErr)
        mdl_fail(m, "NewPtr(%ld) at %p: a lower free block could hold it", n, r);
    if (!handle && !empty && mm_check_place_low(m->zones[z], r) != noErr)
        mdl_fail(m, "NewPtr(%ld) at %p: moving relocatable blocks up would have put it lower", n, r);
    mdl_obj *o = &m->obj[i];
    *o = (mdl_obj){ .kind = handle || empty ? MDL_HANDLE : MDL_PTR, .zone = z, .ref = r,
                    .size = empty ? 0 : n, .seed = m->next_seed++, .empty = empty };
    char *p = o->kind == MDL_HANDLE ? (empty ? NULL : *(Handle)r) : r;
    if (clear && p)
        for (Size k = 0; k < n; k++)
            if (p[k] != 0) {
                mdl_fail(m, "cleared block has a non-zero byte at %ld", k);
                break;
            }
    if (p)
        mdl_fill(p, 0, n, o->seed);
}

static void mdl_dispose(mdl *m)
{
    int i = mdl_pick(m, mdl_below(m, 2) ? MDL_HANDLE : MDL_PTR);
    if (i < 0)
        return;
    if (m->obj[i].kind == MDL_HANDLE)
        DisposeHandle(m->obj[i].ref);
    else
        DisposePtr(m->obj[i].ref);
    if (MemError() != noErr)
        mdl_fail(m, "dispose of %d failed: %d", i, MemError());
    mdl_forget(m, i);
}

/* New logical size for object o after a successful or failed resize. */
static void mdl_resized(mdl *m, int i, Size n, bool ok, OSErr e)
{
    mdl_obj *o = &m->obj[i];
    if (!ok) {
        if (e != memFullErr)
            mdl_fail(m, "resize of %d to %ld failed with %d", i, n, e);
        m->fails++;
        return;
    }
    char *p = o->kind == MDL_HANDLE ? *(Handle)o->ref : o->ref;
    Size keep = o->size < n ? o->size : n;
    if (!mdl_content_ok(p, keep, o->seed, true))
        mdl_fail(m, "resize of %d damaged the kept bytes", i);
    mdl_fill(p, keep, n, o->seed);
    o->size = n;
}

static void mdl_set_size(mdl *m)
{
    bool handle = mdl_below(m, 3) != 0;
    int i = mdl_pick(m, handle ? MDL_HANDLE : MDL_PTR);
    if (i < 0)
        return;
    mdl_obj *o = &m->obj[i];
    Size n = mdl_below(m, 3) == 0 ? o->size / 2 : o->size + (Size)mdl_below(m, 800);
    if (mdl_below(m, 50) == 0)
        n = -5;
    m->busy[0] = i;
    m->alloc_zone = o->zone;
    m->expect_save = handle ? o->ref : NULL;
    SetZone(m->zones[o->zone]);
    if (handle) {
        SetHandleSize(o->ref, n);
        OSErr e = MemError();
        if (o->empty || *(Handle)o->ref == NULL) {
            if (e != nilHandleErr && !(e == memFullErr && n < 0))
                mdl_fail(m, "SetHandleSize on empty handle gave %d", e);
            if (*(Handle)o->ref == NULL && !o->empty)
                mdl_check_obj(m, i, false);
            return;
        }
        mdl_resized(m, i, n, e == noErr, e);
    } else {
        SetPtrSize(o->ref, n);
        mdl_resized(m, i, n, MemError() == noErr, MemError());
    }
}

static void mdl_flags(mdl *m)
{
    int i = mdl_pick(m, MDL_HANDLE);
    if (i < 0)
        return;
    mdl_obj *o = &m->obj[i];
    Handle h = o->ref;
    unsigned op = mdl_below(m, 7), want = o->state;
    switch (op) {
    case 0: HLock(h); want |= kHandleLockedMask; break;
    case 1: HUnlock(h); want &= ~(unsigned)kHandleLockedMask; break;
    case 2: HPurge(h); want |= kHandlePurgeableMask; break;
    case 3: HNoPurge(h); want &= ~(unsigned)kHandlePurgeableMask; break;
    case 4: HSetRBit(h); want |= kHandleIsResourceMask; break;
    case 5: HClrRBit(h); want &= ~(unsigned)kHandleIsResourceMask; break;
    default: want = mdl_below(m, 8) << 5; HSetState(h, (SInt8)want); break;
    }
    OSErr e = MemError();
    if (o->empty) {
        if (e != nilHandleErr)
            mdl_fail(m, "flag call on empty handle gave %d", e);
        return;
    }
    if (e != noErr)
        mdl_fail(m, "flag call %u on handle %d failed: %d", op, i, e);
    o->state = want;
    o->pinned = (want & kHandleLockedMask) ? *h : NULL;
}

static void mdl_empty_realloc(mdl *m)
{
    int i = mdl_pick(m, MDL_HANDLE);
    if (i < 0)
        return;
    mdl_obj *o = &m->obj[i];
    Handle h = o->ref;
    bool locked = !o->empty && (o->state & kHandleLockedMask);
    m->busy[0] = i;
    m->alloc_zone = o->zone;
    m->expect_save = h;
    SetZone(m->zones[o->zone]);
    if (mdl_below(m, 2)) {
        EmptyHandle(h);
        OSErr e = MemError();
        if (locked ? e != memPurErr : e != noErr)
            mdl_fail(m, "EmptyHandle gave %d (locked %d)", e, locked);
        if (!locked) {
            o->empty = true;
            o->pinned = NULL;
            o->state = 0;
        }
        return;
    }
    Size n = mdl_size(m);
    ReallocateHandle(h, n);
    OSErr e = MemError();
    if (locked) {
        if (e != memPurErr)
            mdl_fail(m, "ReallocateHandle on locked gave %d", e);
        return;
    }
    if (e != noErr) {
        if (e != memFullErr)
            mdl_fail(m, "ReallocateHandle gave %d", e);
        m->fails++;
        if (n < 0 || n > maxSize)
            return;   /* refused before anything is released */
        if (*h != NULL)
            mdl_fail(m, "failed ReallocateHandle left a block (IM: the old one is released first)");
        o->empty = true;
        o->pinned = NULL;
        o->state = 0;
        return;
    }
    o->empty = false;
    o->size = n;
    o->state = 0;
    o->pinned = NULL;
    o->seed = m->next_seed++;
    mdl_fill(*h, 0, n, o->seed);
}

static void mdl_space(mdl *m)
{
    int z = (int)mdl_below(m, MDL_ZONES);
    SetZone(m->zones[z]);
    m->alloc_zone = z;
    m->expect_save = NULL;
    long before = FreeMem();
    switch (mdl_below(m, 6)) {
    case 0: {
        long mb = MaxBlock(), total = 0, contig = 0;
        PurgeSpace(&total, &contig);
        if (FreeMem() != before || mb > before || contig < mb || total < before)
            mdl_fail(m, "MaxBlock/PurgeSpace changed or disagree: free %ld->%ld maxblock %ld contig %ld total %ld",
                     before, FreeMem(), mb, contig, total);
        break;
    }
    case 1: {
        /* Half the calls ask for everything; the others for a size that
         * lets compaction stop early: then it returns at least that when
         * MaxBlock says compaction can make it, else at least that or
         * exactly MaxBlock (the walk went to the end). A walk that stops
         * may leave a larger free block than MaxBlock: a large block
         * further up would have moved down into it (mm_remap.c). */
        long mb = MaxBlock();
        Size need = mdl_below(m, 2) ? (Size)1 << 40 : (Size)mdl_below(m, 3 * (uint32_t)mb / 2 + 2);
        Size got = CompactMem(need);
#if CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL
        /* the debug mode moves blocks across immovable ones or purges before
         * compacting, so MaxBlock's in-place prediction does not bind */
        if (got < 0 || got > FreeMem() || FreeMem() < before)
#else
        if ((got < need && (mb >= need || got != mb)) || (need > ((Size)1 << 39) && got != mb) || FreeMem() != before)
#endif
            mdl_fail(m, "CompactMem(%ld) returned %ld, MaxBlock said %ld; free %ld->%ld", need, got, mb, before,
                     FreeMem());
        if (got != mm_zone_largest_free(GetZone()))
            mdl_fail(m, "CompactMem(%ld) returned %ld, the largest free block is %ld", need, got,
                     mm_zone_largest_free(GetZone()));
        break;
    }
    case 2: {
        Size grow = -1;
        Size got = MaxMem(&grow);
        if (grow != 0 || got < 0 || FreeMem() < before)
            mdl_fail(m, "MaxMem: %ld grow %ld, free %ld->%ld", got, grow, before, FreeMem());
        break;
    }
    case 3:
        PurgeMem(mdl_size(m));
        if (MemError() != noErr && MemError() != memFullErr)
            mdl_fail(m, "PurgeMem gave %d", MemError());
        break;
    case 4: {
        int i = mdl_pick(m, MDL_HANDLE);
        if (i >= 0 && !m->obj[i].empty) {
            bool locked = m->obj[i].state & kHandleLockedMask;
            if (mdl_below(m, 2))
                MoveHHi(m->obj[i].ref);
            else {
                HLockHi(m->obj[i].ref);
                m->obj[i].state |= kHandleLockedMask;
            }
            OSErr e = MemError();
            if (e != noErr && !(locked && e == memLockedErr))
                mdl_fail(m, "MoveHHi/HLockHi gave %d", e);
            if (e == noErr && mm_check_move_hhi(m->zones[m->obj[i].zone], m->obj[i].ref) != noErr)
                mdl_fail(m, "MoveHHi left a free or movable block above the handle");
            m->obj[i].pinned = (m->obj[i].state & kHandleLockedMask) ? *(Handle)m->obj[i].ref : NULL;
        }
        break;
    }
    default:
        ReserveMem(mdl_size(m));
        if (MemError() != noErr && MemError() != memFullErr)
            mdl_fail(m, "ReserveMem gave %d", MemError());
        break;
    }
}

static void mdl_copy(mdl *m)
{
    int i = mdl_pick(m, MDL_HANDLE);
    if (i < 0 || m->obj[i].empty)
        return;
    mdl_obj *o = &m->obj[i];
    m->busy[0] = i;
    m->alloc_zone = o->zone;
    m->expect_save = NULL;
    SetZone(m->zones[o->zone]);
    switch (mdl_below(m, 4)) {
    case 0: {   /* HandToHand: a copy in the same zone */
        int j = mdl_free_slot(m);
        if (j < 0)
            return;
        Handle h = o->ref;
        if (*h == NULL)
            return;
        m->expect_new = true;
        m->masters_first = m->zones[o->zone]->hFstFree == NULL;
        m->expect_need = o->size + 16;
        OSErr e = HandToHand(&h);
        m->expect_new = false;
        m->expect_need = 0;
        if (e != noErr) {
            if (e != memFullErr)
                mdl_fail(m, "HandToHand gave %d", e);
            return;
        }
        if (HandleZone(h) != m->zones[o->zone])
            mdl_fail(m, "HandToHand copy in the wrong zone");
        m->obj[j] = (mdl_obj){ .kind = MDL_HANDLE, .zone = o->zone, .ref = h, .size = o->size, .seed = o->seed };
        break;
    }
    case 1: {   /* PtrAndHand: append a pattern continuing the handle's own */
        if (*(Handle)o->ref == NULL)
            return;
        Size add = (Size)mdl_below(m, 200);
        char buf[200];
        for (Size k = 0; k < add; k++)
            buf[k] = (char)mdl_pat(o->seed, o->size + k);
        m->expect_save = o->ref;
        OSErr e = PtrAndHand(buf, o->ref, add);
        if (e == noErr)
            o->size += add;
        else if (e != memFullErr)
            mdl_fail(m, "PtrAndHand gave %d", e);
        break;
    }
    case 2: {   /* Munger: delete then re-insert the same bytes */
        Handle h = o->ref;
        if (*h == NULL || o->size < 4)
            return;
        Size at = (Size)mdl_below(m, (uint32_t)o->size - 2), len = 1 + (Size)mdl_below(m, 2);
        char keep[2];
        memcpy(keep, *h + at, (size_t)len);
        m->expect_save = h;
        long r = Munger(h, at, NULL, len, "", 0);
        if (r != at)
            mdl_fail(m, "Munger delete returned %ld, expected %ld", r, at);
        o->size -= len;
        r = Munger(h, at, keep, 0, keep, len);
        if (r == at + len)
            o->size += len;
        else if (MemError() != memFullErr)
            mdl_fail(m, "Munger insert returned %ld (err %d)", r, MemError());
        else {
            o->seed = m->next_seed++;   /* contents legitimately shifted: re-pattern */
            mdl_fill(*h, 0, o->size, o->seed);
        }
        break;
    }
    default: {  /* PtrToXHand: overwrite with a fresh pattern */
        Size n = (Size)mdl_below(m, 300);
        char buf[300];
        unsigned seed = m->next_seed++;
        for (Size k = 0; k < n; k++)
            buf[k] = (char)mdl_pat(seed, k);
        if (*(Handle)o->ref == NULL)
            return;
        m->expect_save = o->ref;
        bool locked = o->state & kHandleLockedMask;
        OSErr e = PtrToXHand(buf, o->ref, n);
        if (e == noErr) {
            o->size = n;
            o->seed = seed;
            o->empty = false;
        } else if (e != memFullErr)
            mdl_fail(m, "PtrToXHand gave %d (locked %d)", e, locked);
        break;
    }
    }
}

/* One random call followed by the checks; false once the model failed. */
static bool mdl_step(mdl *m)
{
    m->busy[0] = m->busy[1] = -1;
    int touched = -1;
    unsigned op = mdl_below(m, 100);
    if (m->done)
        return true;
    if (op < 22)
        mdl_new(m, true, op < 4, op == 21);
    else if (op < 34)
        mdl_new(m, false, op < 25, false);
    else if (op < 52)
        mdl_dispose(m);
    else if (op < 66)
        mdl_set_size(m);
    else if (op < 80)
        mdl_flags(m);
    else if (op < 86)
        mdl_empty_realloc(m);
    else if (op < 93)
        mdl_space(m);
    else
        mdl_copy(m);
    touched = m->busy[0];
    if (touched >= 0 && !m->failed)
        mdl_check_obj(m, touched, true);
    m->step++;
    mdl_check_all(m, m->thorough || m->step % MDL_FULL_EVERY == 0);
    return !m->failed;
}

/* Zones over the given buffers; zone 0 and 2 get grow-zone procedures. */
static bool mdl_init(mdl *m, char *const bufs[MDL_ZONES], const size_t sizes[MDL_ZONES], uint64_t seed,
                     const uint8_t *data, size_t len)
{
    memset(m, 0, sizeof *m);
    m->rng = seed ? seed : 0x9E3779B97F4A7C15ull;
    m->data = data;
    m->len = len;
    mdl_cur = m;
    for (int z = 0; z < MDL_ZONES; z++) {
        m->bufs[z] = bufs[z];
        m->sizes[z] = sizes[z];
        InitZone(z == 1 ? NULL : mdl_gz_proc, (short)(8 + z * 8), bufs[z] + sizes[z], bufs[z]);
        if (MemError() != noErr)
            return mdl_fail(m, "InitZone %d failed: %d", z, MemError());
        m->zones[z] = GetZone();
        m->zones[z]->purgeProc = mdl_purge_proc;
    }
    return true;
}

/* Every zone's large-block threshold (mm_remap.c; 0: none). With zones
 * over remappable storage (plat_host_map) and a threshold of a page, the
 * model's larger blocks are page-aligned and move by remapping, and every
 * move is checked as any other. */
static void mdl_set_big_min(mdl *m, Size bytes)
{
    for (int z = 0; z < MDL_ZONES; z++)
        mm_set_big_min(m->zones[z], bytes);
}

/* Dispose everything the model still holds; checks FreeMem only grows. */
static bool mdl_teardown(mdl *m)
{
    for (int i = 0; i < MDL_OBJS; i++) {
        if (m->obj[i].kind == MDL_HANDLE)
            DisposeHandle(m->obj[i].ref);
        else if (m->obj[i].kind == MDL_PTR)
            DisposePtr(m->obj[i].ref);
        if (m->obj[i].kind != MDL_NONE && MemError() != noErr)
            mdl_fail(m, "teardown dispose %d: %d", i, MemError());
        mdl_forget(m, i);
    }
    for (int z = 0; z < MDL_ZONES && !m->failed; z++) {
        SetZone(m->zones[z]);
        if (mm_check_zone(m->zones[z], "teardown", true) != noErr)
            mdl_fail(m, "heap check after teardown, zone %d", z);
        /* every master pointer is back on the free list */
        if (m->zones[z]->cntEmpty != m->zones[z]->cntHandles)
            mdl_fail(m, "zone %d: %ld of %ld master pointers free after teardown", z,
                     (long)m->zones[z]->cntEmpty, (long)m->zones[z]->cntHandles);
    }
    return !m->failed;
}

#endif

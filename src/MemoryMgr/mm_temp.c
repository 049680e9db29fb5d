/*
 * mm_temp.c - temporary memory (IM: Memory, chapter 2): each temporary
 * handle's block is a run of whole pages the platform gives
 * (plat_page_run_alloc: the physical page manager in the kernel, mmap on
 * the host), outside every zone, and goes back to it the moment the handle
 * is disposed of, emptied or shrinks by a page.
 *
 * A temporary handle is an ordinary handle: its master pointer is a slot
 * of the temporary zone ('T', when the boot gives one) or else of the
 * System zone, so HandleZone names that zone and every handle call takes
 * it. Only the block lives elsewhere: a page run that starts with a
 * 64-byte run header (pages, logical size, HGetState bits, the master
 * pointer and its zone, a chain link) sealed by a check value over its
 * fields and its address; the data follows, 16-byte aligned. Live runs sit
 * in TR_BUCKETS chains hashed by address, so a value is recognised as a
 * run's data by reading only live runs' headers: a caller's stray value is
 * never dereferenced, and a header whose check value fails is reported
 * (memBCErr) and never followed.
 *
 * Invariants (tr_check, part of every zone's heap check): every run in the
 * chains is sealed and sits in the chain of its address; its master
 * pointer is a master-pointer slot of its zone holding the run's data
 * address; its logical size fits its pages; g_tr_count counts the runs.
 *
 * Small requests take a whole page too (a 64-byte handle costs 4 KiB):
 * temporary memory is for large, short-lived buffers. The platform's runs
 * and room leave alone the pages promised to zones committed on demand
 * (platform.h), so taking all the temporary memory there is never takes
 * a page a zone's FreeMem counts on. When the platform
 * has no page runs (plat_page_run_room says false: a port that never gave
 * any), temporary handles are blocks of the temporary or System zone.
 */
#include "MemoryMgr/mm_debug.h"
#include "mm_internal.h"

#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "platform.h"

enum { TR_HDR = 64, TR_BUCKETS = 64 };

typedef struct temp_run {
    uint64_t         check;     /* tr_seal of the fields below and the run's address */
    uint64_t         pages;
    uint64_t         logical;
    uint64_t         state;     /* HGetState bits */
    Handle           master;
    THz              zone;      /* the zone holding the master pointer */
    struct temp_run *next;      /* its bucket's chain */
    uint64_t         spare;     /* keeps the data 64 bytes in */
} temp_run;

_Static_assert(sizeof(temp_run) == TR_HDR, "a run header is 64 bytes");
_Static_assert(TR_HDR % MM_ALIGN == 0, "a run's data is aligned as a block's");
_Static_assert((int)MM_PAGE == (int)PLAT_PAGE_SIZE, "the Memory Manager's page is the platform's");

static temp_run *g_tr_bucket[TR_BUCKETS];
uint64_t g_tr_count;   /* live runs (mm_internal.h: handle_is_temp reads it) */

static char *tr_data(temp_run *r) { return (char *)r + TR_HDR; }
static uint64_t tr_bytes(const temp_run *r) { return r->pages * MM_PAGE; }
static unsigned tr_bucket(const void *base)
{
    return (unsigned)((((uintptr_t)base / MM_PAGE) * 0x9E3779B97F4A7C15ull) >> 58);
}
_Static_assert(TR_BUCKETS == 64, "tr_bucket keeps the hash's top 6 bits");

static uint64_t tr_seal(const temp_run *r)
{
    uint64_t x = (uint64_t)(uintptr_t)r * 0xD6E8FEB86659FD93ull;
    const uint64_t f[] = { r->pages, r->logical, r->state, (uint64_t)(uintptr_t)r->master,
                           (uint64_t)(uintptr_t)r->zone, (uint64_t)(uintptr_t)r->next };
    for (unsigned i = 0; i < sizeof f / sizeof f[0]; i++)
        x = (x ^ f[i]) * 0x9E3779B97F4A7C15ull + i;
    return x ^ (x >> 29);
}
static void tr_reseal(temp_run *r) { r->check = tr_seal(r); }
static bool tr_sealed(const temp_run *r) { return r->check == tr_seal(r); }

/* Pages for `logical` bytes of data (logical is bounded by mm_size_ok). */
static uint64_t tr_pages_for(Size logical)
{
    return ((uint64_t)logical + TR_HDR + MM_PAGE - 1) / MM_PAGE;
}

/*
 * The live run whose data starts at p, or NULL. Reads only headers of runs
 * in p's chain, each checked before its link is followed; a damaged one is
 * reported against z (when z is not NULL) and ends the search.
 */
static temp_run *tr_find(THz z, const void *p)
{
    if ((uintptr_t)p < MM_PAGE || ((uintptr_t)p & (MM_PAGE - 1)) != TR_HDR)   /* no run lies in page 0 */
        return NULL;
    const temp_run *want = (const temp_run *)((const char *)p - TR_HDR);
    uint64_t steps = 0;
    for (temp_run *r = g_tr_bucket[tr_bucket(want)]; r != NULL; r = r->next) {
        if (!tr_sealed(r) || ++steps > g_tr_count) {
            if (z != NULL)
                mm_damage(z, r, memBCErr, "temporary memory: a page run's header fails its check value");
            return NULL;
        }
        if (r == want)
            return r;
    }
    return NULL;
}

/* Put r (sealed) into its chain / take it out. Unlinking reseals the
 * entry before it; a damaged entry on the way is reported and ends it. */
static void tr_link(temp_run *r)
{
    temp_run **head = &g_tr_bucket[tr_bucket(r)];
    r->next = *head;
    tr_reseal(r);
    *head = r;
    g_tr_count++;
}

static bool tr_unlink(THz z, temp_run *r)
{
    temp_run **at = &g_tr_bucket[tr_bucket(r)], *prev = NULL;
    for (uint64_t steps = 0; *at != NULL && *at != r; steps++) {
        if (!tr_sealed(*at) || steps >= g_tr_count) {
            mm_damage(z, *at, memBCErr, "temporary memory: a page run's header fails its check value");
            return false;
        }
        prev = *at;
        at = &prev->next;
    }
    if (*at != r)
        return false;
    *at = r->next;
    if (prev != NULL)
        tr_reseal(prev);
    g_tr_count--;
    return true;
}

/* A new run for `logical` bytes owned by master pointer h of zone z, with
 * state st; *h points at its data. False (nothing changed) if the platform
 * has no run that long. */
static bool tr_attach(THz z, Handle h, Size logical, unsigned st)
{
    uint64_t pages = tr_pages_for(logical);
    temp_run *r = plat_page_run_alloc(pages * MM_PAGE);
    if (r == NULL)
        return false;
    *r = (temp_run){ .pages = pages, .logical = (uint64_t)logical, .state = st & MM_STATE_MASK,
                     .master = h, .zone = z };
    tr_link(r);
    *h = tr_data(r);
    return true;
}

/* Unlink r and give its pages back; false (damage reported, nothing given
 * back) if its chain is damaged. */
static bool tr_give_back(THz z, temp_run *r)
{
    if (!tr_unlink(z, r))
        return false;
    plat_page_run_free(r, tr_bytes(r));
    return true;
}

/* ---- handles whose value lies outside their zone (mm_internal.h) ---- */

OSErr tr_lookup(THz z, Handle h)
{
    unsigned mark = mm_damage_mark();
    temp_run *r = tr_find(z, *h);
    if (r != NULL && r->master == h && r->zone == z)
        return noErr;
    return mm_damage_since(mark) != noErr ? mm_damage_since(mark) : memPCErr;
}

static temp_run *tr_of(Handle h) { return (temp_run *)(*h - TR_HDR); }   /* h passed tr_lookup */

Size tr_logical(Handle h) { return (Size)tr_of(h)->logical; }
unsigned tr_state(Handle h) { return (unsigned)tr_of(h)->state; }

void tr_set_state(Handle h, unsigned st)
{
    temp_run *r = tr_of(h);
    r->state = st & MM_STATE_MASK;
    tr_reseal(r);
}

bool tr_release(THz z, Handle h)
{
    return tr_give_back(z, tr_of(h));
}

bool tr_reallocate(THz z, Handle h, Size n)
{
    if (!tr_release(z, h))
        return false;
    *h = NULL;
    if (!tr_attach(z, h, n, 0))
        mm_set_err(memFullErr);   /* IM: the handle stays empty */
    else
        mm_set_err(noErr);
    return true;
}

/*
 * SetHandleSize of a temporary handle: within its pages the size changes
 * in place (whole pages past the new end go back); beyond them an
 * unlocked handle moves to a new run with its contents copied (locked:
 * memFullErr). MM_SCRAMBLE moves an unlocked one on every change.
 */
void tr_set_size(THz z, Handle h, Size n)
{
    temp_run *r = tr_of(h);
    uint64_t pages = tr_pages_for(n);
    bool locked = (r->state & kHandleLockedMask) != 0;
    if (pages <= r->pages && (!CONFIG_MM_SCRAMBLE || locked)) {
        if (pages < r->pages) {
            plat_page_run_free((char *)r + pages * MM_PAGE, (r->pages - pages) * MM_PAGE);
            r->pages = pages;
        }
        r->logical = (uint64_t)n;
        tr_reseal(r);
        mm_set_err(noErr);
        return;
    }
    if (locked) {
        mm_set_err(memFullErr);
        return;
    }
    Size keep = (Size)r->logical < n ? (Size)r->logical : n;
    unsigned st = (unsigned)r->state;
    if (!tr_unlink(z, r))
        return;   /* damage reported, MemError says what */
    if (!tr_attach(z, h, n, st)) {
        tr_link(r);   /* the handle keeps its old run */
        mm_set_err(memFullErr);
        return;
    }
    nk_memcpy(*h, tr_data(r), (size_t)keep);
    plat_page_run_free(r, tr_bytes(r));
    mm_set_err(noErr);
}

Handle tr_recover(const void *p)
{
    temp_run *r = tr_find(NULL, p);
    return r != NULL ? r->master : NULL;
}

bool tr_is_block(const void *p) { return tr_find(NULL, p) != NULL; }

/* The run holding addr (header included): reads only sealed headers. */
bool tr_whereis(const void *addr, char *buf, size_t size)
{
    const char *a = addr;
    for (unsigned i = 0; i < TR_BUCKETS; i++) {
        uint64_t steps = 0;
        for (temp_run *r = g_tr_bucket[i]; r != NULL && steps++ < g_tr_count; r = r->next) {
            if (!tr_sealed(r))
                break;   /* damaged: its link is not followed */
            if (a < (char *)r || a >= (char *)r + tr_bytes(r))
                continue;
            if (a < tr_data(r))
                ksnprintf(buf, size, "temporary memory, the header of the page run at %p (handle %p)", (void *)r,
                          (void *)r->master);
            else
                ksnprintf(buf, size,
                          "temporary memory, page run %p (%lu page%s): temporary handle %p's block %p (%ld bytes), "
                          "offset %ld",
                          (void *)r, (unsigned long)r->pages, r->pages == 1 ? "" : "s", (void *)r->master, (void *)tr_data(r),
                          (long)r->logical, (long)(a - tr_data(r)));
            return true;
        }
    }
    return false;
}

OSErr tr_check(THz z, Size *owned, void **where, const char **what)
{
    uint64_t seen = 0;
    *owned = 0;
    for (unsigned i = 0; i < TR_BUCKETS; i++) {
        for (temp_run *r = g_tr_bucket[i]; r != NULL; r = r->next) {
            *where = r;
            if (++seen > g_tr_count) {
                *what = "temporary memory: more page runs in the chains than counted";
                return memSCErr;
            }
            if (!tr_sealed(r)) {
                *what = "temporary memory: a page run's header fails its check value";
                return memBCErr;
            }
            if (tr_bucket(r) != i || r->pages == 0 || r->logical > tr_bytes(r) - TR_HDR) {
                *what = "temporary memory: a page run's size or chain is wrong";
                return memBCErr;
            }
            if (r->zone != z)
                continue;
            if (!mm_mp_in_zone(z, r->master) || *r->master != tr_data(r)) {
                *what = "temporary memory: a page run's master pointer does not point at it";
                return memPCErr;
            }
            (*owned)++;
        }
    }
    if (seen != g_tr_count) {
        *where = NULL;
        *what = "temporary memory: fewer page runs in the chains than counted";
        return memSCErr;
    }
    return noErr;
}

void tr_zone_gone(THz z)
{
    if (g_tr_count == 0)
        return;
    for (unsigned i = 0; i < TR_BUCKETS; i++) {
        for (temp_run **at = &g_tr_bucket[i], *prev = NULL; *at != NULL;) {
            temp_run *r = *at;
            if (!tr_sealed(r)) {
                mm_damage(NULL, r, memBCErr, "temporary memory: a page run's header fails its check value");
                *at = NULL;   /* the rest of the chain is lost, never followed */
                if (prev != NULL)
                    tr_reseal(prev);
                break;
            }
            if (z != NULL && r->zone != z) {
                prev = r;
                at = &r->next;
                continue;
            }
            *at = r->next;
            if (prev != NULL)
                tr_reseal(prev);
            g_tr_count--;
            plat_page_run_free(r, tr_bytes(r));
        }
    }
    uint64_t n = 0;   /* what is left; a damaged chain was cut above */
    for (unsigned i = 0; i < TR_BUCKETS; i++)
        for (temp_run *r = g_tr_bucket[i]; r != NULL; r = r->next)
            n++;
    g_tr_count = n;
}

/* ---- the Toolbox calls ---- */

/* The zone temporary handles' master pointers live in. */
static THz temp_zone(void)
{
    THz t = mm_temp_zone();
    return t ? t : mm_sys_zone();
}

static bool temp_room(uint64_t *free_bytes, uint64_t *largest)
{
    return plat_page_run_room(free_bytes, largest);
}

static Handle tr_new_handle(THz z, Size n)
{
    if (z == NULL || !mm_size_ok(n)) {
        mm_set_err(memFullErr);
        return NULL;
    }
    if (MM_GATE(z, "TempNewHandle") != noErr)
        return NULL;
    unsigned mark = mm_damage_mark();
    Handle h = mm_mp_take(z);
    if (h == NULL || !tr_attach(z, h, n, 0)) {
        if (h != NULL)
            mm_mp_give(z, h);
        mm_set_err(mm_damage_since(mark) != noErr ? mm_damage_since(mark) : memFullErr);
        MM_CHECK(z, "TempNewHandle");
        return NULL;
    }
    mm_set_err(noErr);
    MM_CHECK(z, "TempNewHandle");
    return h;
}

Handle TempNewHandle(Size logicalSize, OSErr *resultCode)
{
    uint64_t free_bytes, largest;
    Handle h = temp_room(&free_bytes, &largest) ? tr_new_handle(temp_zone(), logicalSize)
                                                 : mm_new_handle(temp_zone(), logicalSize, false, "TempNewHandle");
    if (resultCode)
        *resultCode = MemError();
    return h;
}

long TempFreeMem(void)
{
    uint64_t free_bytes, largest;
    if (temp_room(&free_bytes, &largest)) {
        mm_set_err(noErr);
        return free_bytes > (uint64_t)maxSize ? (long)maxSize : (long)free_bytes;
    }
    THz z = temp_zone();
    mm_set_err(z ? noErr : memFullErr);
    return z ? (long)z->zcbFree : 0;
}

Size TempMaxMem(Size *grow)
{
    if (grow)
        *grow = 0;
    uint64_t free_bytes, largest;
    if (temp_room(&free_bytes, &largest)) {
        /* The largest temporary handle that can be made now: the longest run less its header. */
        uint64_t n = largest > TR_HDR ? largest - TR_HDR : 0;
        mm_set_err(noErr);
        return n > (uint64_t)maxSize ? maxSize : (Size)n;
    }
    THz z = temp_zone(), saved = mm_cur_zone();
    if (z == NULL) {
        mm_set_err(memFullErr);
        return 0;
    }
    /* IM: TempMaxMem compacts the temporary memory; it does not purge.
     * CompactMem acts on the current zone: borrow it. */
    SetZone(z);
    Size s = CompactMem(maxSize);
    OSErr e = MemError();
    if (saved)
        SetZone(saved);
    mm_set_err(e);
    return s;
}

/* The end of the zone that holds the temporary handles' master pointers
 * (page runs have no common end). */
Ptr TempTopMem(void)
{
    THz z = temp_zone();
    mm_set_err(z ? noErr : memFullErr);
    return z ? zone_end(z) : NULL;
}

/*
 * test_mm_damage.c - reproductions of damage and bad arguments that the
 * Classic MM must report or refuse, never follow:
 *  - a word that merely holds 0 (or an odd value) is not a handle: a
 *    handle is believed only if it is a slot of one of its zone's
 *    master-pointer blocks, and the message says what was found;
 *  - Munger, PtrAndHand and HandAndHand check their size arithmetic
 *    before doing it (no signed overflow, no wild copy);
 *  - a block walk checks every size it steps by: a one-byte overrun that
 *    zeroes the next header is reported, never a hang (alarm() turns a
 *    hang into a failure);
 *  - a call that finds damage, with a hook that returns, changes nothing:
 *    for each damage pattern below and each call that touches it, the
 *    zone's bytes after the call equal a snapshot taken before it, and
 *    MemError is the damage's code: memBCErr for an impossible block
 *    header (a zeroed or huge size, a block that only looks free, a forged
 *    below-is-free bit), memPCErr for a master pointer that does not lead
 *    back, memAZErr for a free-list link that leaves the zone. Under
 *    MM_HEAPCHECK the heap check at the call's start finds it first, and
 *    the code is whichever heap-check code it gives (memAZErr..memSCErr);
 *  - the zone walks (CompactMem, PurgeMem, MaxMem) check each header as
 *    they reach it and stop at the damage: below it there is work to do (a
 *    purgeable handle under a hole), and after the call that work is done
 *    (the handle moved down or purged), the part below the damage passes
 *    the heap check's rules on its own (its free blocks, and only those,
 *    on the lists and in the index), every byte from the damaged block up
 *    is as it was, and MemError is the damage's code;
 *  - the first-fit scan of one size class (when the good-fit classes are
 *    empty) checks each entry and its links: a next link overwritten with
 *    garbage, or pointing back at its own block, is reported (memAZErr /
 *    memBCErr) and the allocation fails with the zone unchanged;
 *  - a free block's list, treap or ring link pointed at another free
 *    block (nothing a check at the block can refuse): CompactMem's ledger
 *    reports it (memBCErr) and the lists it rebuilt are sound;
 *  - a block whose size was made to cover its neighbour leaves that
 *    neighbour's master pointer pointing at no block: the heap check calls
 *    it a master-pointer error (memPCErr), not a miscount;
 *  - the trailer's below-is-free bit, forged: CompactMem and MoveHHi, which
 *    rewrite it when they move blocks up to the zone's end, report it
 *    (memBCErr) and leave it as it was.
 */
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "mm_test_util.h"
#include "splitmix.h"
#include "tap.h"

#include "../../src/MemoryMgr/mm_internal.h"

static char zbuf[64 << 10] __attribute__((aligned(16)));
static char snap[sizeof zbuf];

/* Three 48-byte handles: relocatable blocks take the high end of the free
 * space, so a lies just below b and b just below c, and a's 48 bytes fill
 * its block exactly: a's byte 48 is the first byte of b's header. */
typedef struct scene {
    THz    z;
    Handle a, b, c, y;
    Ptr    y_was;   /* y's data before the call */
} scene;

/* below: work for the zone walks under a: a purgeable handle y under a
 * hole x (of another size class than b, so no list links b to it), with
 * the zone's big free block below y. */
static scene scene_make(bool free_b, bool lock_a, bool below)
{
    scene s = { 0 };
    s.z = mt_zone(zbuf, sizeof zbuf, NULL, 16);
    s.c = NewHandle(48);
    s.b = NewHandle(48);
    s.a = NewHandle(48);
    memset(*s.a, 0x41, 48);
    memset(*s.b, 0x55, 48);
    memset(*s.c, 0x66, 48);
    Handle x = below ? NewHandle(200) : NULL;
    if (below) {
        s.y = NewHandle(48);
        HPurge(s.y);
        s.y_was = *s.y;
    }
    if (free_b)
        DisposeHandle(s.b);
    if (below)
        DisposeHandle(x);
    if (lock_a)
        HLock(s.a);
    return s;
}

/* The zone from its first block up to limit on its own, by the heap
 * check's rules: blocks tile it, below-is-free bits and footers agree,
 * relocatable blocks' master pointers lead back, the free lists and the
 * address index are sound and hold exactly this part's free blocks. */
static bool below_clean(THz z, const void *limit)
{
    mm_block *b = zone_first(z), *where;
    const char *what;
    bool pf = false;
    Size n = 0, sum = 0;
    while ((const char *)b < (const char *)limit) {
        uint64_t sz = block_size(b);
        if (sz < MM_MIN_BLOCK || (const char *)b + sz > (const char *)limit || block_prev_free(b) != pf)
            return false;
        if (block_is_free(b)) {
            if (pf || *block_footer(b) != sz || !fl_holds(z, b))
                return false;
            n++;
            sum += (Size)sz;
        } else if (block_type(b) == MM_T_REL && *zone_mp_at(z, block_link(b)) != block_data(b)) {
            return false;
        }
        pf = block_is_free(b);
        b = block_next(b);
    }
    return (const void *)b == limit && n == zone_priv(z)->nFree && sum == z->zcbFree
           && fl_check(z, &where, &what) == noErr && at_check(z, &where, &what) == noErr;
}

/* CompactMem(maxSize) with a hang turned into a failure (alarm); returns
 * MemError and the reports it made. */
static OSErr compact_watched(int *reports)
{
    mt_take_reports();
    alarm(10);
    CompactMem(maxSize);
    alarm(0);
    OSErr e = MemError();
    *reports = mt_take_reports();
    return e;
}

static uint8_t *past_a(const scene *s) { return (uint8_t *)*s->a + 48; }

enum dmg { D_ZERO_SIZE, D_HUGE_SIZE, D_LOOKS_FREE, D_MASTER, D_FREE_LINK, D_PREV_FREE, D_COUNT };
static const char *const dmg_name[D_COUNT] = {
    "b's size zeroed", "b's size made huge", "b tagged free", "b's master pointer overwritten",
    "free b's next-free link overwritten", "below-is-free bit forged on b",
};
static const OSErr dmg_err[D_COUNT] = { memBCErr, memBCErr, memBCErr, memPCErr, memAZErr, memBCErr };

static void dmg_apply(const scene *s, enum dmg d)
{
    uint8_t *p = past_a(s);
    switch (d) {
    case D_ZERO_SIZE:  p[0] = 0; break;
    case D_HUGE_SIZE:  memset(p + 1, 0x41, 7); break;
    case D_LOOKS_FREE: p[0] &= 0xF0; break;
    case D_MASTER:     *s->b = (Ptr)(uintptr_t)0x4141414141414140ull; break;
    case D_FREE_LINK:  memset(p + 8, 0x41, 8); break;
    default:           p[0] |= 4; break;
    }
}

enum call { C_COMPACT, C_PURGE, C_MAXMEM, C_DISPOSE_A, C_DISPOSE_B, C_EMPTY_B, C_GROW_A, C_NEWHANDLE, C_COUNT };
static const char *const call_name[C_COUNT] = {
    "CompactMem", "PurgeMem", "MaxMem", "DisposeHandle(a)", "DisposeHandle(b)", "EmptyHandle(b)",
    "SetHandleSize(a, 200)", "NewHandle(48)",
};

static void call_run(const scene *s, enum call c)
{
    Size grow;
    switch (c) {
    case C_COMPACT:    CompactMem(maxSize); break;
    case C_PURGE:      PurgeMem(1 << 20); break;
    case C_MAXMEM:     MaxMem(&grow); break;
    case C_DISPOSE_A:  DisposeHandle(s->a); break;
    case C_DISPOSE_B:  DisposeHandle(s->b); break;
    case C_EMPTY_B:    EmptyHandle(s->b); break;
    case C_GROW_A:     SetHandleSize(s->a, 200); break;
    default:           (void)NewHandle(48); break;
    }
}

/* Which calls touch each damage (a call that never reaches it may succeed). */
static bool touches(enum dmg d, enum call c, bool *lock_a)
{
    *lock_a = false;
    switch (d) {
    case D_ZERO_SIZE:   /* tag 0 also says "free": DisposeHandle(b)'s lookup refuses b as misuse */
        return c != C_EMPTY_B && c != C_NEWHANDLE && c != C_DISPOSE_B;
    case D_HUGE_SIZE:
        return c != C_EMPTY_B && c != C_NEWHANDLE;
    case D_LOOKS_FREE:
        return c <= C_DISPOSE_A || c == C_GROW_A;
    case D_MASTER:   /* compaction moves b (the purge walk does not purge it) */
        *lock_a = c == C_GROW_A;   /* a locked block grows by evicting b */
        return c == C_COMPACT || c == C_MAXMEM || c == C_GROW_A;
    case D_FREE_LINK:   /* compaction rebuilds the lists and judges each link first */
        return c == C_COMPACT || c == C_MAXMEM || c == C_DISPOSE_A || c == C_GROW_A || c == C_NEWHANDLE;
    default:
        return c <= C_MAXMEM || c == C_DISPOSE_B || c == C_EMPTY_B;
    }
}

[[maybe_unused]] static void damaged_calls_change_nothing(void)
{
    int cases = 0, held = 0, walks = 0, walks_held = 0;
    for (int d = 0; d < D_COUNT; d++) {
        for (int c = 0; c < C_COUNT; c++) {
            bool lock_a;
            if (!touches((enum dmg)d, (enum call)c, &lock_a))
                continue;
            bool walk = c <= C_MAXMEM;
            scene s = scene_make(d == D_FREE_LINK, lock_a, walk);
            dmg_apply(&s, (enum dmg)d);
            memcpy(snap, zbuf, sizeof zbuf);
            uint8_t *dmg_at = past_a(&s);   /* b's header: the damaged block */
            Ptr master_was = *s.b;
            mt_take_reports();
            alarm(10);
            call_run(&s, (enum call)c);
            alarm(0);
            OSErr e = MemError();
            int reports = mt_take_reports();
            bool code = CONFIG_MM_HEAPCHECK ? (e <= memAZErr && e >= memSCErr) : e == dmg_err[d];
            size_t from = walk ? (size_t)(dmg_at - (uint8_t *)zbuf) : 0;
            /* A free b is a node of the address index the part below shares:
             * MaxMem's purge below it may rebalance b's index fields (its
             * children and subtree max, body words 1..4), nothing else. */
            if (walk && d == D_FREE_LINK)
                memcpy(snap + from + MM_HDR + 8, zbuf + from + MM_HDR + 8, 32);
            bool same = memcmp(snap + from, zbuf + from, sizeof zbuf - from) == 0 && *s.b == master_was;
            if (!walk) {
                cases++;
                if (same && code && reports >= 1)
                    held++;
                else
                    tap_diag("%s, %s: zone %s, MemError %d (want %d), %d reports", dmg_name[d], call_name[c],
                             same ? "unchanged" : "CHANGED", e, dmg_err[d], reports);
                continue;
            }
            /* Under MM_HEAPCHECK the gate finds the damage before the walk starts. */
            bool worked = CONFIG_MM_HEAPCHECK || *s.y == NULL || *s.y < s.y_was;
            bool clean = CONFIG_MM_HEAPCHECK || below_clean(s.z, dmg_at);
            walks++;
            if (same && code && reports >= 1 && worked && clean)
                walks_held++;
            else
                tap_diag("%s, %s: from the damage up %s, below %s and %s, MemError %d (want %d), %d reports",
                         dmg_name[d], call_name[c], same ? "unchanged" : "CHANGED", worked ? "worked" : "NOT worked",
                         clean ? "clean" : "NOT clean", e, dmg_err[d], reports);
        }
    }
    tap_ok(cases == 13 && held == cases,
           "damage + a returning hook: %d of %d calls reported it, returned its code and left the zone byte-identical",
           held, cases);
    tap_ok(walks == 16 && walks_held == walks,
           "damage + a returning hook: %d of %d zone walks did the work below the damage, left that part clean, "
           "touched nothing from the damage up and returned its code",
           walks_held, walks);
}

/* The damaged block's neighbour below is free (a is disposed after the
 * scene is made): CompactMem meets the damage with its gap running right
 * up to it, closes the gap as a free block and still writes nothing of b,
 * not even b's below-is-free bit (a zeroed size clears it). */
[[maybe_unused]] static void walk_stops_next_to_free(void)
{
    int held = 0;
    for (int d = D_ZERO_SIZE; d <= D_HUGE_SIZE; d++) {
        scene s = scene_make(false, false, true);
        uint8_t *dmg_at = past_a(&s);
        DisposeHandle(s.a);
        if (d == D_ZERO_SIZE)
            dmg_at[0] = 0;
        else
            memset(dmg_at + 1, 0x41, 7);
        memcpy(snap, zbuf, sizeof zbuf);
        size_t from = (size_t)(dmg_at - (uint8_t *)zbuf);
        int reports;
        OSErr e = compact_watched(&reports);
        bool code = CONFIG_MM_HEAPCHECK ? (e <= memAZErr && e >= memSCErr) : e == memBCErr;
        bool same = memcmp(snap + from, zbuf + from, sizeof zbuf - from) == 0;
        bool worked = CONFIG_MM_HEAPCHECK || *s.y < s.y_was;
        bool clean = CONFIG_MM_HEAPCHECK || below_clean(s.z, dmg_at);
        if (same && code && reports >= 1 && worked && clean)
            held++;
        else
            tap_diag("%s next to a free block, CompactMem: from the damage up %s, below %s and %s, MemError %d",
                     dmg_name[d], same ? "unchanged" : "CHANGED", worked ? "worked" : "NOT worked",
                     clean ? "clean" : "NOT clean", e);
    }
    tap_ok(held == 2, "CompactMem reaching damage right above free space: %d of 2 left it untouched, the part below "
                      "compacted and clean, MemError memBCErr", held);
}

/* A zone whose only free blocks are a 272- and a 256-byte block (one size
 * class, so NewHandle(256), needing 272, must scan that class first-fit);
 * the 256-byte one heads the list. Returns its data (header 16 below). */
[[maybe_unused]] static Ptr scan_scene(void)
{
    mt_zone(zbuf, sizeof zbuf, NULL, 16);
    Ptr p1 = NewPtr(256), s1 = NewPtr(48), p2 = NewPtr(240), s2 = NewPtr(48);
    (void)s1;
    (void)s2;
    while (NewPtr(1000) != NULL) {
    }
    while (NewPtr(48) != NULL) {
    }
    DisposePtr(p1);
    DisposePtr(p2);
    return p2;
}

static void scan_class_checks_links(void)
{
#if CONFIG_MM_SCRAMBLE || CONFIG_MM_PURGE_ALL
    tap_skip("the scan scene relies on exact placement");
    tap_skip("the scan scene relies on exact placement");
#else
    static const struct { uint64_t link; bool self; OSErr want; const char *what; } cases[] = {
        { 0x4141414141414140ull, false, memAZErr, "next link overwritten with garbage" },
        { 0, true, memBCErr, "next link pointing back at its own block (a cycle)" },
    };
    for (unsigned i = 0; i < 2; i++) {
        Ptr p2 = scan_scene();
        THz z = GetZone();
        bool setup = mt_ok(z) && MaxBlock() == 272 - 16;   /* the 272-byte block is the largest */
        uint64_t link = cases[i].self ? (uint64_t)(uintptr_t)(p2 - 16) : cases[i].link;
        memcpy(p2 - 8, &link, 8);   /* the free block's info word: its next free-list link */
        memcpy(snap, zbuf, sizeof zbuf);
        mt_take_reports();
        alarm(10);
        Handle h = NewHandle(256);
        alarm(0);
        OSErr e = MemError();
        bool code = CONFIG_MM_HEAPCHECK ? (e <= memAZErr && e >= memSCErr) : e == cases[i].want;
        tap_ok(setup && h == NULL && code && mt_take_reports() >= 1 && memcmp(snap, zbuf, sizeof zbuf) == 0,
               "size-class scan over a %s: reported, error %d, zone unchanged", cases[i].what, e);
    }
#endif
}

/*
 * A free block's link written over with another free block's address
 * (aligned, inside the zone, leading to a free block: nothing a check at
 * the block can refuse) is still damage: CompactMem's ledger pairs every
 * link with its partner and reports the one left over (memBCErr), after
 * the blocks have moved, and the rebuilt lists are sound. Under
 * MM_HEAPCHECK the heap check at the call's start finds it first.
 */
enum { LINK_NEXT, LINK_PREV, LINK_CHILD, LINK_RING, LINK_NONE, LINK_COUNT };

/* A zone of many free blocks, some in the treap and some on the ring. */
static THz ledger_scene(void)
{
    static Handle h[600];
    THz z = mt_zone(zbuf, sizeof zbuf, NULL, 64);
    uint64_t st = 0x4C45444745520000ull;   /* "LEDGER" */
    for (int i = 0; i < 600; i++)
        h[i] = NewHandle((Size)(16 + sm64_next(&st) % 112));
    for (int i = 0; i < 600; i += 2)
        DisposeHandle(h[i]);
    return z;
}

/* The word holding link kind k of the first free block above the zone's
 * first block that has one (NULL if none), and in *to another free block
 * to point it at (a treap node below it for a treap child; any other free
 * block above it otherwise). */
static void *ledger_pick(THz z, int k, mm_block **to)
{
    mm_block *t = zone_trailer(z), *lower = NULL;
    for (mm_block *b = block_next(zone_first(z)); b != t; b = block_next(b)) {
        if (!block_is_free(b))
            continue;
        bool tree = free_indexed(b) && !free_pending(b), ring = free_indexed(b) && free_pending(b);
        bool has = k == LINK_NEXT ? free_link_next(b) != NULL
                 : k == LINK_PREV ? free_link_prev(b) != NULL
                 : k == LINK_CHILD ? tree && free_link_left(b) != NULL && lower != NULL && lower != free_link_left(b)
                                 : ring && free_pend_newer(b) != b;
        if (has) {
            *to = k == LINK_CHILD ? lower : NULL;
            for (mm_block *c = block_next(b); *to == NULL && c != t; c = block_next(c))
                if (block_is_free(c) && c != free_link_next(b) && c != free_link_prev(b) && c != free_pend_newer(b))
                    *to = c;
            /* next: the info word; previous: body word 0; a left child or newer ring link: body word 1 */
            char *word = k == LINK_NEXT ? (char *)&b->info : block_data(b) + (k == LINK_PREV ? 0 : 8);
            return *to != NULL ? word : NULL;
        }
        if (free_indexed(b) && !free_pending(b))
            lower = b;
    }
    return NULL;
}

static void plausible_links_reported(void)
{
    static const char *const what[LINK_COUNT] = {
        "a free-list next link", "a free-list previous link", "a treap child link", "a pending-ring link", "no link",
    };
    for (int k = 0; k < LINK_COUNT; k++) {
        THz z = ledger_scene();
        mm_block *to = NULL;
        void *word = k == LINK_NONE ? NULL : ledger_pick(z, k, &to);
        bool setup = mt_ok(z) && (k == LINK_NONE || word != NULL);
        if (word != NULL)
            memcpy(word, &to, sizeof to);
        int reports;
        OSErr e = compact_watched(&reports);
        bool sound = mm_check_zone(z, "test", false) == noErr;
        bool ok = k == LINK_NONE                ? e == noErr && reports == 0 && sound
                  : CONFIG_MM_HEAPCHECK ? e <= memAZErr && e >= memSCErr && reports >= 1
                                        : e == memBCErr && reports >= 1 && sound;
        tap_ok(setup && ok, "CompactMem over %s pointed at another free block: error %d, %d reports, lists %s", what[k],
               e, reports, sound ? "rebuilt sound" : "NOT sound");
    }
    mt_zone(zbuf, sizeof zbuf, NULL, 16);
}

static void swallowed_neighbour_is_a_master_pointer_error(void)
{
#if CONFIG_MM_SCRAMBLE
    tap_skip("MM_SCRAMBLE moves the blocks, so a is not right below b");
#else
    scene s = scene_make(false, false, false);
    mm_block *a = block_from_data(*s.a), *b = block_from_data(*s.b);
    bool setup = block_next(a) == b && mt_ok(s.z);
    block_set_size(a, block_size(a) + block_size(b));   /* a's header now covers b */
    mt_take_reports();
    OSErr e = mm_check_zone(s.z, "test", false);
    tap_ok(setup && e == memPCErr, "a block grown over its neighbour: the heap check gives memPCErr (got %d)", e);
    mt_zone(zbuf, sizeof zbuf, NULL, 16);   /* leave no damaged zone current */
#endif
}

static void trailer_bit_checked(void)
{
#if CONFIG_MM_SCRAMBLE
    tap_skip("MM_SCRAMBLE moves the blocks, so c is not right below the trailer");
    tap_skip("MM_SCRAMBLE moves the blocks, so c is not right below the trailer");
#else
    static const char *const call[2] = { "CompactMem", "MoveHHi of the block below the top one" };
    for (int k = 0; k < 2; k++) {
        THz z = mt_zone(zbuf, sizeof zbuf, NULL, 16);
        Handle c = NewHandle(48), b = NewHandle(48);   /* c against the trailer, b right below c */
        mm_block *t = zone_trailer(z);
        bool setup = mt_ok(z) && block_next(block_from_data(*c)) == t && block_next(block_from_data(*b)) == block_from_data(*c);
        t->tag |= MM_TAG_PREVFREE;   /* forged: c is allocated */
        uint64_t tag = t->tag;
        Ptr bw = *b, cw = *c;
        mt_take_reports();
        alarm(10);
        if (k == 0)
            CompactMem(maxSize);
        else
            MoveHHi(b);
        alarm(0);
        OSErr e = MemError();
        bool code = CONFIG_MM_HEAPCHECK ? (e <= memAZErr && e >= memSCErr) : e == memBCErr;
        int reports = mt_take_reports();
        tap_ok(setup && code && reports >= 1 && t->tag == tag && *b == bw && *c == cw,
               "%s with the trailer's below-is-free bit forged: reported (%d), MemError %d, nothing moved", call[k],
               reports, e);
    }
    mt_zone(zbuf, sizeof zbuf, NULL, 16);
#endif
}

int main(void)
{
    mt_catch_reports();
    THz z = mt_zone(zbuf, sizeof zbuf, NULL, 16);

    Ptr p = NewPtrClear(64);
    mt_take_reports();
    DisposeHandle((Handle)p);
    OSErr e = MemError();
    Handle h = NewHandle(10);
    tap_ok(e == memAZErr && mt_take_reports() == 1 && strstr(mt_last_reason, "not a master pointer") != NULL,
           "DisposeHandle of a zeroed pointer block: reported as not a master pointer (err %d, \"%s\")", e,
           mt_last_reason);
    tap_ok(h != (Handle)p && *(uintptr_t *)p == 0 && mt_ok(z), "...and NewHandle does not hand that word out as a handle");
    tap_ok(HandleZone((Handle)p) == NULL && MemError() == memAZErr, "HandleZone of it: memAZErr");
    mt_take_reports();

    *(uintptr_t *)p = 0x41;
    GetHandleSize((Handle)p);
    e = MemError();
    tap_ok(e == memAZErr && mt_take_reports() == 1 && strstr(mt_last_reason, "already disposed") == NULL,
           "an odd word is not reported as a disposed handle (err %d, \"%s\")", e, mt_last_reason);
    Handle d = NewHandle(8);
    DisposeHandle(d);
    DisposeHandle(d);
    tap_ok(MemError() == memWZErr && mt_take_reports() == 1 && strstr(mt_last_reason, "already disposed") != NULL,
           "a real double DisposeHandle still says so");

    Handle m = NewHandle(16);
    memcpy(*m, "xxabxxxxxxxxxxxx", 16);
    long r = Munger(m, 1, "ab", LONG_MAX, NULL, 0);
    tap_ok(r < 0 && GetHandleSize(m) == 16 && mt_ok(z), "Munger(h, 1, \"ab\", LONG_MAX, NULL, 0): not found, nothing changed");
    r = Munger(m, 0, NULL, 0, "cd", LONG_MAX);
    tap_ok(r < 0 && MemError() == memFullErr && GetHandleSize(m) == 16, "Munger inserting LONG_MAX bytes: memFullErr");
    tap_ok(PtrAndHand("ab", m, LONG_MAX) == memFullErr && GetHandleSize(m) == 16 && mt_ok(z),
           "PtrAndHand(p, h, LONG_MAX): memFullErr, the handle unchanged");
    DisposeHandle(m);
    DisposeHandle(h);
    DisposePtr(p);

    mt_zone(zbuf, sizeof zbuf, NULL, 16);
    Handle c = NewHandle(48), b = NewHandle(48), a = NewHandle(48);
    (void)c;
    (void)b;
    mt_take_reports();
    (*a)[48] = 0;   /* one byte past a's 48 bytes: the low byte of the next block's size */
    alarm(10);
    CompactMem(maxSize);
    alarm(0);
#if CONFIG_MM_SCRAMBLE
    tap_skip("the byte past a lands on another header when MM_SCRAMBLE moves the blocks");
#else
    tap_ok(mt_take_reports() >= 1, "CompactMem over a zeroed block size reports the damage and returns");
#endif
#if CONFIG_MM_SCRAMBLE
    tap_skip("MM_SCRAMBLE moves the blocks, so a's byte 48 is no longer b's header");
    tap_skip("MM_SCRAMBLE moves the blocks, so a's byte 48 is no longer b's header");
    tap_skip("MM_SCRAMBLE moves the blocks, so a's byte 48 is no longer b's header");
#else
    damaged_calls_change_nothing();
    walk_stops_next_to_free();
#endif
    scan_class_checks_links();
    plausible_links_reported();
    swallowed_neighbour_is_a_master_pointer_error();
    trailer_bit_checked();
    return tap_done();
}

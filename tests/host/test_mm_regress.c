/*
 * test_mm_regress.c - the regression scenarios, each named for what it
 * catches, on zones over plain buffers; plus a 64 GiB zone (address space
 * reserved with mmap, only headers touched) to prove sizes are 64-bit
 * clean, and a zone dump.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "mm_test_util.h"
#include "tap.h"

static char buf[256 << 10] __attribute__((aligned(16)));

static void compaction_moves_block_down_by_less_than_its_size(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 16);
    Handle big = NewHandle(50000), small = NewHandle(48);
    mt_fill(*big, 50000, 77);
    Ptr fill = NewPtr(MaxBlock());
    Ptr before = *big;
    DisposeHandle(small);
    CompactMem(1 << 30);
    long moved = before - *big;
#if CONFIG_MM_SCRAMBLE
    /* every call scrambles first, so the [small][big] layout is gone before
     * CompactMem; the normal build checks the 64-byte overlapping move */
    tap_ok(mt_same(*big, 50000, 77), "compaction (scrambled): every byte intact, moved by %ld", moved);
#else
    tap_ok(moved == 64 && mt_same(*big, 50000, 77), "compaction: block moved down by %ld (< its size), every byte intact", moved);
#endif
    DisposePtr(fill);
    DisposeHandle(big);
    tap_ok(mt_ok(z), "compaction: heap check");
}

static void purge_then_allocate_never_shares_a_master_pointer(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    Handle p[40], n[40];
    for (int i = 0; i < 40; i++) {
        p[i] = NewHandle(100);
        HPurge(p[i]);
    }
    PurgeMem(1 << 30);
    bool all_empty = true, distinct = true;
    for (int i = 0; i < 40; i++)
        all_empty = all_empty && *p[i] == NULL;
    for (int i = 0; i < 40; i++) {
        n[i] = NewHandle(100);
        mt_fill(*n[i], 100, (unsigned)i);
    }
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 40; j++)
            distinct = distinct && n[i] != p[j];
    for (int i = 0; i < 40; i++)
        all_empty = all_empty && *p[i] == NULL && mt_same(*n[i], 100, (unsigned)i);
    tap_ok(all_empty && distinct, "purge then allocate: new handles get new master pointers; purged stay empty");
    for (int i = 0; i < 40; i++) {
        ReallocateHandle(p[i], 10);
        mt_fill(*p[i], 10, 200);
    }
    bool ok = true;
    for (int i = 0; i < 40; i++)
        ok = ok && mt_same(*n[i], 100, (unsigned)i) && mt_same(*p[i], 10, 200);
    tap_ok(ok && mt_ok(z), "reallocating the purged handles disturbs no other handle");
}

static void locked_block_boxed_in_by_nonrelocatable_that_must_grow(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    Ptr p = NewPtr(100), q = NewPtr(100), r = NewPtr(100);
    DisposePtr(q);
    Handle h = NewHandle(100);
    DisposePtr(r);
    tap_ok(*h == p + 128, "boxed in: layout [p][h][free]");
    mt_fill(*h, 100, 5);
    HLock(h);
    Ptr at = *h;
    SetPtrSize(p, 1000);
    tap_ok(MemError() == memFullErr && GetPtrSize(p) == 100 && *h == at && mt_same(*h, 100, 5),
           "boxed in: pointer cannot grow past a locked block; nothing changed");
    SetHandleSize(h, 100000);
    tap_ok(MemError() == noErr && *h == at, "boxed in: the locked block itself grows in place into the free space");
    SetHandleSize(h, 100);
    HUnlock(h);
    SetPtrSize(p, 1000);
    tap_ok(MemError() == noErr && GetPtrSize(p) == 1000 && *h != at && mt_same(*h, 100, 5),
           "boxed in: once unlocked, the handle is moved out of the way and the pointer grows");
    DisposeHandle(h);
    DisposePtr(p);
    tap_ok(mt_ok(z), "boxed in: heap check");
}

static void exhaust_then_dispose_all_restores_freemem_exactly(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 64);
    long start = FreeMem();
    static void *blocks[4096];
    static bool handle[4096];
    int n = 0;
    Size size = 1 << 20;
    while (size >= 1 && n < 4096) {
        bool h = n % 3 != 0;
        void *b = h ? (void *)NewHandle(size) : (void *)NewPtr(size);
        if (!b) {
            size /= 2;
            continue;
        }
        handle[n] = h;
        blocks[n++] = b;
    }
    Size mb = MaxBlock();
    tap_ok(n >= 7 && mb < 16 && NewPtr(0) == NULL && MemError() == memFullErr,
           "exhaust: %d blocks, MaxBlock now %ld, not even NewPtr(0) fits", n, mb);
    for (int i = 0; i < n; i += 2)
        handle[i] ? DisposeHandle(blocks[i]) : DisposePtr(blocks[i]);
    for (int i = 1; i < n; i += 2)
        handle[i] ? DisposeHandle(blocks[i]) : DisposePtr(blocks[i]);
    TAP_EQ(FreeMem(), start, "exhaust: FreeMem back exactly after disposing everything");
    TAP_EQ(MaxBlock(), start - 16, "exhaust: and it is one free block again");
    tap_ok(mt_ok(z), "exhaust: heap check");
}

static void dispose_of_a_free_block_is_caught(void)
{
    THz z = mt_zone(buf, sizeof buf, NULL, 8);
    Ptr a = NewPtr(64), b = NewPtr(64), c = NewPtr(64);
    DisposePtr(a);
    DisposePtr(b);   /* merges with a */
    mt_take_reports();
    DisposePtr(b);
    DisposePtr(a);
    tap_ok(MemError() == memWZErr && mt_take_reports() == 2 && mt_ok(z),
           "disposing blocks already free (merged or not) is reported, free list intact");
    DisposePtr(c);
}

static void zone_of_64_gib(void)
{
    size_t size = (size_t)64 << 30;
    void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) {
        tap_skip("64 GiB zone: no address space for it here (mmap failed)");
        return;
    }
    THz z = mt_zone(mem, size, NULL, 8);
    tap_ok(z && FreeMem() > (long)(63ull << 30), "64 GiB zone: FreeMem %ld", FreeMem());
    Ptr p = NewPtr((Size)40 << 30);
    Handle h = NewHandle((Size)20 << 30);
    tap_ok(p && h && GetPtrSize(p) == (Size)40 << 30 && GetHandleSize(h) == (Size)20 << 30,
           "64 GiB zone: 40 GiB pointer and 20 GiB handle, exact sizes");
    /* Shrinking keeps the block where it is; growing would make compaction
     * move 20 GiB, which touches every page of it on the host. */
    SetHandleSize(h, ((Size)16 << 30) + 12345);
    TAP_EQ(GetHandleSize(h), ((Size)16 << 30) + 12345, "64 GiB zone: SetHandleSize to a size above 4 GiB");
    DisposePtr(p);
    DisposeHandle(h);
    tap_ok(mt_ok(z) && MaxBlock() > (long)(63ull << 30), "64 GiB zone: heap check, all free again");
    mm_forget_zone(z);
    munmap(mem, size);
}

static void dump_shows_every_block(void)
{
    THz z = mt_zone(buf, 8192, NULL, 4);
    Handle h = NewHandle(100);
    HLock(h);
    HPurge(h);
    Ptr p = NewPtr(50);
    char *out = NULL;
    size_t len = 0;
    fflush(stdout);
    FILE *mem = open_memstream(&out, &len);
    FILE *saved = stdout;
    stdout = mem;
    mm_dump_zone(z);
    fflush(stdout);
    stdout = saved;
    fclose(mem);
    tap_ok(out && strstr(out, "Zone 'Z'") && strstr(out, " R  ") && strstr(out, "LP-") && strstr(out, "free ") && strstr(out, "heap check: ok")
               && strstr(out, "NMP"),
           "mm_dump_zone lists blocks with flags and master blocks, and a summary");
    free(out);
    DisposePtr(p);
    DisposeHandle(h);
}

/* SetPtrSize needs the blocks above it: a handle R, then a free block F of
 * which it needs only the first 32 bytes, and R has nowhere else to go.
 * The failed eviction must leave a zone whose every block is at least the
 * minimum size (no 32-byte sliver of F), so the compaction that follows
 * walks it cleanly. */
static void failed_eviction_leaves_no_sliver(void)
{
    THz z = mt_zone(buf, 8192, NULL, 16);
    Ptr p = NewPtr(96), q = NewPtr(200), f = NewPtr(200);
    Ptr fill = NewPtr(MaxBlock());
    DisposePtr(q);
    Handle r = NewHandle(200);
    tap_ok(r != NULL && *r == q, "setup: the handle takes the placeholder's place above the pointer");
    DisposePtr(f);
    Size want = GetPtrSize(p) + 16 + 224 + 32;   /* through R and 32 bytes into F */
    SetPtrSize(p, want);
    TAP_EQ(MemError(), memFullErr, "SetPtrSize fails: the handle above finds no other home");
    tap_ok(mt_ok(z) && GetPtrSize(p) == 96, "the zone checks clean, the pointer keeps its size");
    (void)fill;
}

int main(void)
{
    mt_catch_reports();
    compaction_moves_block_down_by_less_than_its_size();
    purge_then_allocate_never_shares_a_master_pointer();
    locked_block_boxed_in_by_nonrelocatable_that_must_grow();
    exhaust_then_dispose_all_restores_freemem_exactly();
    dispose_of_a_free_block_is_caught();
    failed_eviction_leaves_no_sliver();
    zone_of_64_gib();
    dump_shows_every_block();
    return tap_done();
}

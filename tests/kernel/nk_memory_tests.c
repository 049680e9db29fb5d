/*
 * nk_memory_tests.c - the in-kernel KTAP suite for the page manager and the
 * kernel heap, run at boot on the live, already initialised PMM and heap
 * (and on the host by tests/host/test_nk_memory.c), and for the byte
 * copies the Memory Manager moves blocks with (nk_memmove, nk_memcpy):
 * the kernel and the sanitised host build run their C loop, an
 * unsanitised hosted build (the benchmarks' library) their string-move
 * path (lib/kstring.c).
 *
 * It must leave both exactly as it found them: every block and page it
 * takes is given back, and the last test compares every statistic with a
 * snapshot taken at the start. The heap's peak is a high-water mark the
 * suite itself raises, so the suite puts the old value back before that
 * comparison. A few thousand operations at most: it runs under Bochs.
 */
#include "kernel_suites.h"

#include "../../src/nanokernel/kheap_internal.h"
#include "lib/diag.h"
#include "lib/kstring.h"
#include "lib/ktap.h"
#include "nanokernel/nk_memory.h"
#include "nanokernel/vm.h"

#define T_PLANNED 15

static int t_reports;

static void t_catch(const char *call, uintptr_t addr, const char *reason)
{
    (void)call;
    (void)addr;
    (void)reason;
    t_reports++;
}

static bool t_pages_ok(uintptr_t p, size_t n, size_t align_pages)
{
    return p && !(p & (PMM_PAGE_SIZE - 1)) && pmm_is_managed(p, n * PMM_PAGE_SIZE) &&
           !((p / PMM_PAGE_SIZE) & (align_pages - 1));
}

static bool t_pmm_single(void)
{
    uint64_t before = pmm_free_page_count();
    uintptr_t a = pmm_alloc_page(), b = pmm_alloc_page();
    bool ok = t_pages_ok(a, 1, 1) && t_pages_ok(b, 1, 1) && a != b &&
              pmm_free_page_count() == before - 2;
    if (a)
        pmm_free_page(a);
    if (b)
        pmm_free_page(b);
    return ok && pmm_free_page_count() == before;
}

static bool t_pmm_runs(void)
{
    uintptr_t r1 = pmm_alloc_pages(17, 16), r2 = pmm_alloc_pages_offset(3, 8, 1);
    bool ok = t_pages_ok(r1, 17, 16) && t_pages_ok(r2, 3, 1) && !(((r2 >> 12) + 1) & 7);
    if (r1)
        pmm_free_pages(r1, 17);
    if (r2)
        pmm_free_pages(r2, 3);
    return ok && pmm_check() == NULL;
}

static bool t_pmm_bad_free(void)
{
    uint64_t before = pmm_free_page_count();
    uintptr_t a = pmm_alloc_page();
    if (!a)
        return false;
    pmm_free_page(a);
    int r0 = t_reports;
    pmm_free_page(a);     /* double free */
    pmm_free_page(a + 8); /* unaligned */
    return t_reports == r0 + 2 && pmm_free_page_count() == before;
}

static bool t_kmalloc_contents(void)
{
    uint8_t *p[24];
    bool ok = true;
    for (int i = 0; i < 24; i++) {
        size_t n = (size_t)(i * 97 % 1500);
        p[i] = kmalloc(n);
        ok &= p[i] != NULL && !((uintptr_t)p[i] & 15) && kmalloc_usable_size(p[i]) >= n;
        if (p[i])
            nk_memset(p[i], i, n);
    }
    for (int i = 0; i < 24; i++) {
        size_t n = (size_t)(i * 97 % 1500);
        for (size_t k = 0; p[i] && k < n; k++)
            ok &= p[i][k] == (uint8_t)i;
    }
    ok &= kheap_check() == NULL;
    for (int i = 0; i < 24; i++)
        kfree(p[i]);
    return ok;
}

static bool t_coalesce(void)
{
    kheap_stats s0, s1;
    kheap_trim(); /* cached free blocks merge only when the cache is emptied */
    kheap_get_stats(&s0);
    void *a = kmalloc(200), *b = kmalloc(200), *c = kmalloc(200);
    kfree(a);
    kfree(c);
    kfree(b); /* merges with whichever neighbours are free */
    kheap_trim();
    kheap_get_stats(&s1);
    return a && b && c && s1.bytes_free == s0.bytes_free && s1.largest_free == s0.largest_free;
}

static bool t_realloc(void)
{
    uint8_t *p = kmalloc(40);
    if (!p)
        return false;
    for (int i = 0; i < 40; i++)
        p[i] = (uint8_t)(i + 1);
    uint8_t *q = krealloc(p, 3000);
    bool ok = q != NULL;
    for (int i = 0; ok && i < 40; i++)
        ok = q[i] == (uint8_t)(i + 1);
    uint8_t *r = ok ? krealloc(q, 20) : q;
    ok &= r == q;
    kfree(r);
    return ok;
}

static bool t_aligned(void)
{
    bool ok = true;
    for (size_t align = 16; align <= KHEAP_MAX_ALIGN; align <<= 1) {
        uint8_t *p = kmalloc_aligned(100, align);
        if (!p && align >= PMM_PAGE_SIZE) {
            /* Not enough RAM is not a bug: a refusal is right only when the
             * PMM has no free run of that size and alignment either. */
            uintptr_t run = pmm_alloc_pages(align / PMM_PAGE_SIZE, align / PMM_PAGE_SIZE);
            if (run)
                pmm_free_pages(run, align / PMM_PAGE_SIZE);
            else
                ktap_diag("kmalloc_aligned(100, %lu) refused: the PMM has no such run",
                          (unsigned long)align);
            ok &= run == 0;
            continue;
        }
        ok &= p && !((uintptr_t)p & (align - 1));
        if (p)
            nk_memset(p, 0x5A, 100);
        kfree(p);
    }
    return ok && kheap_check() == NULL;
}

/* Free pages, counting those a freed large block holds in the protection's quarantine (vm.h). */
/* Pages free, quarantined, or holding page tables: unmapping a guard page
 * or quarantining a run inside a 2 MiB mapping splits it with a table page
 * from the PMM, which stays while part of that 2 MiB stays unmapped. */
static uint64_t t_free_or_quarantined(void)
{
    const mmu_space *s = vm_space();
    return pmm_free_page_count() + vm_quarantined_pages() + (s ? s->tables : 0);
}

static bool t_large(void)
{
    uint64_t before = t_free_or_quarantined();
    size_t n = CONFIG_KHEAP_LARGE_THRESHOLD + 12345;
    uint8_t *p = kmalloc(n);
    if (!p)
        return before * PMM_PAGE_SIZE < 2 * n; /* not enough RAM is not a bug */
    bool ok = kmalloc_usable_size(p) >= n && t_free_or_quarantined() < before;
    p[0] = 1;
    p[n - 1] = 2;
    kfree(p);
    return ok && t_free_or_quarantined() == before;
}

static bool t_classic_heaps(void)
{
    const size_t two = 2u << 20, six = 6u << 20;
    uint64_t run = pmm_largest_free_run();
    void *a = kmalloc(two), *b = a ? kmalloc(six) : NULL;
    bool ok = a && b;
    if (!ok)
        ktap_diag("2 MiB + 6 MiB kmalloc failed with %lu free pages, largest run %lu",
                  (unsigned long)pmm_free_page_count(), (unsigned long)run);
    kfree(a);
    kfree(b);
    /* only a machine without 8 MiB (and a page per block) of contiguous free RAM may fail this */
    return ok || run * PMM_PAGE_SIZE < two + six + (1u << 20);
}

static bool t_heap_misuse(void)
{
    int r0 = t_reports;
    uint8_t *p = kmalloc(64);
    if (!p)
        return false;
    kfree(p);
    kfree(p);                /* double free */
    kfree((void *)&r0);      /* foreign */
    return t_reports == r0 + 2 && kheap_check() == NULL;
}

static uint32_t t_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static bool t_mixed(void)
{
    void *slot[64] = { 0 };
    uint32_t seed = 0x2545F491u;
    bool ok = true;
    for (int i = 0; i < 2000 && ok; i++) {
        uint32_t r = t_rand(&seed), k = r % 64;
        if (slot[k]) {
            slot[k] = (r & 0x100) ? krealloc(slot[k], (r >> 9) % 6000 + 1) : (kfree(slot[k]), NULL);
        } else {
            slot[k] = kmalloc((r >> 9) % 3000);
        }
        if (i % 64 == 0)
            ok = kheap_check() == NULL;
    }
    for (int k = 0; k < 64; k++)
        kfree(slot[k]);
    return ok && kheap_check() == NULL;
}

/* nk_memmove and nk_memcpy against a byte-at-a-time model, at lengths on
 * both sides of the string-move threshold (lib/kstring.c) and the word
 * size, with every overlap direction and odd alignments. */
static unsigned char t_pat(size_t i) { return (unsigned char)(i * 7 + (i >> 8) * 31 + 3); }   /* no short period */

static bool t_copy_case(unsigned char *buf, unsigned char *want, size_t span, size_t src, size_t dst, size_t n)
{
    for (size_t i = 0; i < span; i++)
        buf[i] = want[i] = t_pat(i);
    for (size_t i = 0; i < n; i++)
        want[dst + i] = t_pat(src + i);   /* what buf[src + i] held */
    bool apart = dst + n <= src || src + n <= dst;
    if (apart && (src + dst) % 2)
        nk_memcpy(buf + dst, buf + src, n);
    else
        nk_memmove(buf + dst, buf + src, n);
    if (nk_memcmp(buf, want, span) == 0)
        return true;
    ktap_diag("copy of %lu bytes from +%lu to +%lu is wrong", (unsigned long)n, (unsigned long)src,
              (unsigned long)dst);
    return false;
}

static bool t_copies(void)
{
    enum { SPAN = 8192 };   /* above the largest offset plus length */
    unsigned char *buf = kmalloc(SPAN), *want = kmalloc(SPAN);
    static const size_t lens[] = { 0, 1, 7, 8, 31, 63, 64, 65, 127, 128, 500, 1021, 2999 };
    static const size_t offs[] = { 0, 1, 3, 8, 16, 61, 64, 1000 };
    bool ok = buf != NULL && want != NULL;
    for (size_t li = 0; ok && li < sizeof lens / sizeof lens[0]; li++)
        for (size_t si = 0; ok && si < sizeof offs / sizeof offs[0]; si++)
            for (size_t di = 0; ok && di < sizeof offs / sizeof offs[0]; di++) {
                size_t src = 5 + offs[si], dst = 9 + offs[di] * 2;
                ok = t_copy_case(buf, want, SPAN, src, dst, lens[li]) && t_copy_case(buf, want, SPAN, dst, src, lens[li]);
            }
    kfree(buf);
    kfree(want);
    return ok;
}

static bool t_restored(const kheap_stats *h0, const pmm_stats *p0, size_t peak0)
{
    kheap_stats h1;
    pmm_stats p1;
    kh_g.peak = peak0;
    vm_quarantine_flush();
    kheap_trim();
    kheap_get_stats(&h1);
    pmm_get_stats(&p1);
    bool ok = nk_memcmp(h0, &h1, sizeof h1) == 0 && nk_memcmp(p0, &p1, sizeof p1) == 0;
    if (!ok)
        ktap_diag("heap in use %lu -> %lu, free pages %lu -> %lu", (unsigned long)h0->bytes_in_use,
                  (unsigned long)h1.bytes_in_use, (unsigned long)p0->free_pages,
                  (unsigned long)p1.free_pages);
    return ok;
}

static bool t_report_check(ktap_suite *s, const char *why, const char *name)
{
    if (why)
        ktap_diag("%s: %s", name, why);
    return ktap_check(s, why == NULL, name);
}

int nk_memory_run_tests(void)
{
    ktap_suite s;
    kheap_stats h0;
    pmm_stats p0;
    kheap_trim(); /* the statistics compared at the end are taken with the cache empty */
    kheap_get_stats(&h0);
    vm_quarantine_flush();     /* freed large blocks held by the protection go back first */
    pmm_get_stats(&p0);
    size_t peak0 = h0.peak_in_use;
    diag_hook old = diag_set_hook(t_catch);

    ktap_suite_begin(&s, "nk_memory", T_PLANNED);
    t_report_check(&s, pmm_check(), "pmm_check_at_start");
    t_report_check(&s, kheap_check(), "kheap_check_at_start");
    ktap_check(&s, t_pmm_single(), "pmm_alloc_free_page");
    ktap_check(&s, t_pmm_runs(), "pmm_contiguous_aligned_runs");
    ktap_check(&s, t_pmm_bad_free(), "pmm_bad_free_reported");
    ktap_check(&s, t_kmalloc_contents(), "kmalloc_contents");
    ktap_check(&s, t_coalesce(), "kfree_coalesces");
    ktap_check(&s, t_realloc(), "krealloc_keeps_contents");
    ktap_check(&s, t_aligned(), "kmalloc_aligned_16B_to_2MiB");
    ktap_check(&s, t_large(), "large_block_from_pmm");
    ktap_check(&s, t_classic_heaps(), "kmalloc_2MiB_then_6MiB");
    ktap_check(&s, t_heap_misuse(), "kheap_misuse_reported");
    ktap_check(&s, t_mixed(), "mixed_2000_ops_with_checks");
    ktap_check(&s, t_copies(), "nk_memmove_nk_memcpy_match_bytewise_model");
    diag_set_hook(old);
    ktap_check(&s, t_restored(&h0, &p0, peak0), "heap_and_pmm_stats_restored");
    return ktap_suite_end(&s);
}

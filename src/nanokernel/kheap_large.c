/*
 * kheap_large.c - large and page-aligned blocks: whole page runs from the
 * PMM, returned to it on kfree.
 *
 * The kh_large record (PMM claim, next, prev, sf, chk) sits right below the
 * payload;
 * its last two words read like a small block header with LARGE set, so
 * kfree/krealloc/kmalloc_usable_size need no lookup. With default
 * alignment the record opens the run; with a larger alignment the payload
 * is the run's second page (the PMM aligns that page) and the record ends
 * the first. Either way the run starts at the page holding the record.
 * A freed record keeps KH_FREED_LARGE as its check word so a second kfree
 * is recognised while the page is unused.
 *
 * A header that checks (kheap_internal.h) is believed to be a large record
 * only if kh_large_ok also holds: it sits where records sit and its list
 * neighbours point back at it. A small block's header with LARGE set by an
 * overrun fails its check value already; this second test keeps a forged
 * or stale record from handing pages back to the PMM.
 */
#include "kheap_internal.h"

#include "lib/diag.h"
#include "nanokernel/pmm.h"
#include "nanokernel/vm.h"

static kh_block *large_hdr(kh_large *l)
{
    return (kh_block *)&l->sf;
}

static kh_large *large_rec(const kh_block *b)
{
    return (kh_large *)((uintptr_t)b - offsetof(kh_large, sf));
}

static uintptr_t large_base(const kh_block *b)
{
    return (uintptr_t)large_rec(b) & ~(uintptr_t)(PMM_PAGE_SIZE - 1);
}

/* A neighbour record pointer is read only if its header is in range. */
static bool large_ptr_ok(const kh_large *l)
{
    return kh_hdr_in_range((uintptr_t)large_hdr((kh_large *)l));
}

bool kh_large_ok(const kh_block *hdr)
{
    uintptr_t in_page = ((uintptr_t)hdr + KH_HDR) & (PMM_PAGE_SIZE - 1);
    if (in_page != sizeof(kh_large) && in_page != 0)
        return false;
    uint64_t bytes = blk_size(hdr);
    if (bytes == 0 || (bytes & (PMM_PAGE_SIZE - 1)) || bytes > kh_g.large_bytes)
        return false;
    const kh_large *l = large_rec(hdr);
    if (l->next && (!large_ptr_ok(l->next) || l->next->prev != l))
        return false;
    if (l->prev)
        return large_ptr_ok(l->prev) && l->prev->next == l;
    return kh_g.large == l;
}

/* A run from the PMM; when there is none, freed runs held in the protection's quarantine go back first. */
static uintptr_t large_take(uint64_t pages, size_t align_pages, size_t offset_pages)
{
    for (int attempt = 0;; attempt++) {
        uintptr_t run = offset_pages ? pmm_alloc_pages_offset((size_t)pages, align_pages, offset_pages)
                                     : pmm_alloc_pages((size_t)pages, align_pages);
        if (run || attempt || vm_quarantined_pages() == 0)
            return run;
        vm_quarantine_flush();
    }
}

void *kh_large_alloc(size_t n, size_t align)
{
    uint64_t pages;
    uintptr_t payload, run;
    if (align <= KHEAP_ALIGN) {
        pages = (n + sizeof(kh_large) + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
        run = large_take(pages, 1, 0);
        payload = run + sizeof(kh_large);
    } else {
        pages = 1 + (n + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
        size_t ap = align / PMM_PAGE_SIZE;
        run = large_take(pages, ap ? ap : 1, 1);
        payload = run + PMM_PAGE_SIZE;
    }
    if (!run)
        return NULL;
    kh_large *l = (kh_large *)(payload - sizeof(kh_large));
    uint64_t bytes = pages * PMM_PAGE_SIZE;
    l->sf = bytes | KH_LARGE;
    blk_seal_used(large_hdr(l));
    l->prev = NULL;
    l->next = kh_g.large;
    if (kh_g.large)
        kh_g.large->prev = l;
    kh_g.large = l;
    kh_g.large_bytes += bytes;
    kh_account_alloc(bytes);
    kh_cover(run, run + bytes);
    pmm_claim_pages(&l->claim, run, (size_t)pages, kh_large_claim);
    return (void *)payload;
}

static void large_give_run(uint64_t base, uint64_t len)
{
    pmm_free_pages((uintptr_t)base, (size_t)(len / PMM_PAGE_SIZE));
}

void kh_large_free(kh_block *hdr, const char *call)
{
    if (!kh_large_ok(hdr)) {
        diag_report(call, (uintptr_t)hdr + KH_HDR,
                        "LARGE flag set but no large block of the heap's lies here "
                        "(not on the large-block list): header forged or overwritten");
        return;
    }
    kh_large *l = large_rec(hdr);
    uint64_t bytes = blk_size(hdr);
    if (l->next)
        l->next->prev = l->prev;
    if (l->prev)
        l->prev->next = l->next;
    else
        kh_g.large = l->next;
    kh_g.large_bytes -= bytes;
    kh_g.in_use -= bytes;
    kh_g.live--;
    l->chk = KH_FREED_LARGE;
    pmm_unclaim_pages(&l->claim);
    /* With memory protection a small freed run stays unmapped for a while, so a use after free faults. */
    if (!vm_quarantine(large_base(hdr), bytes, "large kernel-heap allocation", large_give_run))
        pmm_free_pages(large_base(hdr), (size_t)(bytes / PMM_PAGE_SIZE));
}

size_t kh_large_usable(const kh_block *hdr)
{
    return (size_t)(large_base(hdr) + blk_size(hdr) - ((uintptr_t)hdr + KH_HDR));
}

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
 * Guarded blocks (kheap_guard_large): the run from the PMM has one more
 * page on each side; the claim covers all of it, so large_guarded reads
 * from the claim whether a block has guards, and the guard pages go back
 * to the PMM only with the block.
 *
 * A header that checks (kheap_internal.h) is believed to be a large record
 * only if kh_large_ok also holds: it sits where records sit and its list
 * neighbours point back at it. A small block's header with LARGE set by an
 * overrun fails its check value already; this second test keeps a forged
 * or stale record from handing pages back to the PMM.
 */
#include "kheap_internal.h"

#include "lib/diag.h"
#include "lib/kprintf.h"
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

static const char large_guard_before[] = "before a large kernel-heap allocation";
static const char large_guard_after[] = "after a large kernel-heap allocation";

void kheap_guard_large(bool on)
{
    kh_g.guard_large = on;
}

/* Does the block whose pages are [base, base + bytes) own a guard page on each side? (Its claim says.) */
static bool large_guarded(const kh_large *l, uintptr_t base, uint64_t bytes)
{
    return l->claim.base == base - PMM_PAGE_SIZE && l->claim.pages == bytes / PMM_PAGE_SIZE + 2;
}

void *kh_large_alloc(size_t n, size_t align)
{
    uint64_t pages, guard = kh_g.guard_large ? 1 : 0;
    uintptr_t payload, run;
    if (align <= KHEAP_ALIGN) {
        pages = (n + sizeof(kh_large) + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
        run = large_take(pages + 2 * guard, 1, 0);
        payload = run + guard * PMM_PAGE_SIZE + sizeof(kh_large);
    } else {
        pages = 1 + (n + PMM_PAGE_SIZE - 1) / PMM_PAGE_SIZE;
        size_t ap = align / PMM_PAGE_SIZE;
        run = large_take(pages + 2 * guard, ap ? ap : 1, 1 + guard);
        payload = run + (1 + guard) * PMM_PAGE_SIZE;
    }
    if (!run)
        return NULL;
    uintptr_t base = run + guard * PMM_PAGE_SIZE;
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
    kh_cover(base, base + bytes);
    l->claim = (pmm_claim){ 0 }; /* fresh pages: no stale links for pmm_claim_pages to look up */
    pmm_claim_pages(&l->claim, run, (size_t)(pages + 2 * guard), kh_large_claim);
    if (guard) {
        /* A full registry leaves a guard page mapped (vm_register logs it); the block is still sound. */
        vm_guard(run, PMM_PAGE_SIZE, large_guard_before);
        vm_guard(base + bytes, PMM_PAGE_SIZE, large_guard_after);
    }
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
    uintptr_t base = large_base(hdr), run = base;
    uint64_t run_bytes = bytes;
    bool guarded = large_guarded(l, base, bytes);
    if (guarded) {
        run -= PMM_PAGE_SIZE;
        run_bytes += 2 * PMM_PAGE_SIZE;
    }
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
    if (guarded) {
        /* Mapped again and forgotten; the quarantine below unmaps the whole run, guards included. */
        vm_unguard(run, PMM_PAGE_SIZE);
        vm_unguard(base + bytes, PMM_PAGE_SIZE);
    }
    /* With memory protection a small freed run stays unmapped for a while, so a use after free faults. */
    if (vm_quarantine(run, run_bytes, "large kernel-heap allocation", large_give_run))
        return;
    pmm_free_pages(run, (size_t)(run_bytes / PMM_PAGE_SIZE));
}

/* A live large block's record, reached through the list only while each step checks. */
static const kh_large *large_next_ok(const kh_large *l, size_t *steps)
{
    if (!l || ++*steps > kh_g.live || !large_ptr_ok(l) || !blk_used_ok(large_hdr((kh_large *)l)))
        return NULL;
    return l;
}

bool kheap_whereis(uint64_t addr, char *buf, size_t size)
{
    size_t steps = 0;
    if (!kh_g.ready)
        return false;
    for (const kh_large *l = large_next_ok(kh_g.large, &steps); l; l = large_next_ok(l->next, &steps)) {
        const kh_block *hdr = large_hdr((kh_large *)l);
        uint64_t bytes = blk_size(hdr);
        uintptr_t base = large_base(hdr), payload = (uintptr_t)hdr + KH_HDR;
        if (!large_guarded(l, base, bytes))
            continue;
        const char *side = addr - (base - PMM_PAGE_SIZE) < PMM_PAGE_SIZE ? "before"
                           : addr - (base + bytes) < PMM_PAGE_SIZE    ? "after"
                                                                       : NULL;
        if (side) {
            ksnprintf(buf, size, "the guard page %s the large kernel-heap allocation 0x%lx (%lu bytes)", side,
                      (unsigned long)payload, (unsigned long)(base + bytes - payload));
            return true;
        }
    }
    return false;
}

size_t kh_large_usable(const kh_block *hdr)
{
    return (size_t)(large_base(hdr) + blk_size(hdr) - ((uintptr_t)hdr + KH_HDR));
}

/*
 * kheap.h - the kernel heap: kmalloc and friends over the page manager.
 *
 * Small requests come from arenas managed by a two-level segregated fit
 * (TLSF-style: constant-time search, coalescing on free), with a bounded
 * cache of freed blocks of up to 4 KiB per size in front (kheap_trim
 * below). The heap grows
 * by taking contiguous page runs of at least CONFIG_KHEAP_GROW_MIN bytes
 * from the PMM, and gives a grown arena back when it is entirely free.
 * Requests of CONFIG_KHEAP_LARGE_THRESHOLD bytes or more (and any
 * alignment of a page or more) are whole page runs straight from the PMM,
 * returned on kfree; so a 6 MiB request succeeds whenever the PMM has the
 * contiguous RAM.
 *
 * Defined behaviour for edge cases:
 *   kmalloc(0)         a unique minimum block (usable size 16); kfree it.
 *   kfree(NULL)        does nothing.
 *   krealloc(NULL, n)  is kmalloc(n); krealloc(p, 0) frees p, returns NULL.
 *   a request above KHEAP_MAX_REQUEST, or kcalloc whose product overflows,
 *                      returns NULL (no report: it is not memory misuse).
 *   kmalloc_aligned    align must be a power of two <= 2 MiB, else NULL.
 *
 * Page-aligned memory (a driver's DMA buffer, the frame buffer's back
 * buffer): kmalloc_aligned(PMM_PAGE_SIZE, n) is the way, for any n; it is a
 * page run of its own from the PMM, given back whole on kfree, and tracked
 * by the heap (a double free is reported). Code that wants bare physical
 * pages with no heap header takes pmm_alloc_pages(count, align_pages)
 * (nanokernel/pmm.h) and gives them back with pmm_free_pages. The Classic
 * Memory Manager's NewPtr is page-aligned only for large requests and only
 * when its zone has the room (MemoryMgr/MemoryManager.h).
 * Misuse and damage (double free, a pointer the heap never returned, a
 * header or free-list link overwritten, e.g. by a write past the end of the
 * block below) are reported via diag_report() by the first call whose
 * work touches them, saying what was found; if the hook returns, the call
 * changes nothing and returns NULL / 0. The heap never follows a size,
 * flag or link it has not checked. Its arena pages are claimed in the PMM
 * (pmm_claim_pages), so freeing one directly with pmm_free_page is refused.
 */
#ifndef NANOKERNEL_KHEAP_H
#define NANOKERNEL_KHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KHEAP_ALIGN       16u
#define KHEAP_MAX_ALIGN   (2u * 1024 * 1024)
#define KHEAP_MAX_REQUEST ((size_t)1 << 46)

typedef struct kheap_stats {
    size_t bytes_in_use;  /* allocated blocks incl. headers, plus large runs */
    size_t bytes_free;    /* free blocks in arenas */
    size_t largest_free;  /* largest request a free block could serve now */
    size_t peak_in_use;   /* high-water mark of bytes_in_use plus cached free blocks */
    size_t arena_bytes;   /* all arenas (initial and grown) */
    size_t large_bytes;   /* page runs held by large blocks */
    size_t live_blocks;   /* small and large blocks allocated now */
    size_t arenas;        /* arenas now (initial + grown) */
} kheap_stats;

/* Start the heap on [start, end) (may be empty: the heap then only grows). */
void kheap_init(uintptr_t start, uintptr_t end);

void *kmalloc(size_t size);
void kfree(void *p);
void *krealloc(void *p, size_t size);
void *kcalloc(size_t count, size_t size);
void *kmalloc_aligned(size_t size, size_t align);

/* Bytes usable at p (>= what was asked); 0 for NULL or a bad pointer. */
size_t kmalloc_usable_size(const void *p);

void kheap_get_stats(kheap_stats *out);

/*
 * Small freed blocks wait in a bounded free-block cache for the next
 * request of their size instead of merging with their neighbours at once;
 * they merge when the cache is emptied: when the last live block is freed,
 * before a request would fail for want of memory, and here. After
 * kheap_trim every free block is merged and on the free lists.
 */
void kheap_trim(void);

/* Full integrity walk: NULL if consistent, else the first inconsistency. */
const char *kheap_check(void);

/*
 * Guard pages around large blocks. On, every large block allocated from now
 * on takes one more PMM page before it and one after it; the block keeps
 * them (they are in its PMM claim, never handed out) and they are unmapped
 * through vm_guard (vm.h), so with memory protection a run off either end
 * of the block faults. Off (kheap_init's default) costs no pages. Blocks
 * keep the layout they were allocated with when the setting changes.
 */
void kheap_guard_large(bool on);

/*
 * If `addr` lies in a guard page of a live large block, writes what it is
 * ("the guard page after the large kernel-heap allocation 0x... (N bytes)")
 * into buf and returns true; false otherwise. Reads only records that
 * check, so a damaged heap gives false, never a wild read.
 */
bool kheap_whereis(uint64_t addr, char *buf, size_t size);

#endif

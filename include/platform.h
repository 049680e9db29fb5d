/*
 * platform.h - the thin interface between portable code and the machine.
 *
 * Everything above this line (lib/, nanokernel/, MemoryMgr/, Toolbox/)
 * reaches the outside world only through these calls, so the same sources
 * build freestanding for the kernel and hosted for unit tests, benchmarks and
 * fuzzers. Each build links exactly one implementation, and they sit side by
 * side in src/platform/:
 *
 *   x86_64.c  the kernel on a PC: COM1, QEMU's isa-debug-exit, Bochs'
 *             shutdown port, the TSC calibrated against the PIT, the PS/2
 *             controller (using the CPU pieces in src/arch/x86_64/)
 *   host.c    hosted builds: stdout, exit(3), the TSC, and a tick clock and
 *             an input queue the tests drive
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* Emit one byte of console output. Must never block forever. */
void plat_putc(char c);

/* End the run: pass=true is success. Never returns. */
[[gnu::noreturn]] void plat_exit(bool pass);

/* A monotonic cycle counter (TSC); only differences are meaningful. */
uint64_t plat_cycles(void);

/*
 * Whether [addr, addr + len) is mapped memory that is physically
 * contiguous; if so *phys is the physical address of addr. The kernel
 * identity-maps RAM (physical == logical); on the host the process's
 * address is the platform's answer.
 */
bool plat_phys_range(const void *addr, uint64_t len, uint64_t *phys);
/*
 * How many bytes from addr (at most len) are mapped memory and one
 * physical run, with *phys the physical address of addr; 0 when addr is
 * not mapped. Storage committed on demand (below) is committed by asking.
 */
uint64_t plat_phys_run(const void *addr, uint64_t len, uint64_t *phys);

/*
 * Zone storage committed on demand (the dynamic backend in the kernel; host
 * tests over plat_host_reserve). Such storage is a reserved address range
 * whose pages get memory the first time they are touched; plat_decommit
 * gives the memory of the whole pages inside [base, base + len) back, and
 * their next touch gets fresh (undefined) contents. On storage that is not
 * committed on demand plat_decommit does nothing, and plat_committed_pages
 * counts every whole page inside the range as committed.
 */
void plat_decommit(void *base, uint64_t len);
uint64_t plat_committed_pages(const void *base, uint64_t len);

/*
 * Moving pages instead of bytes (the Memory Manager's large blocks). The
 * code that mapped a range of memory (the host glue's mmap, the kernel's
 * reserved zone ranges) registers it with plat_remap_register; storage
 * nobody registered (static arrays, kmalloc'd or direct-mapped runs) is
 * never remapped, and its users copy as before.
 *
 * plat_remap_pages(dst, src, len): afterwards [dst, dst + len) holds what
 * [src, src + len) held, without copying the bytes, and the pages it
 * displaced (those of the destination outside the source) fill the part
 * of the source outside the destination, in order: disjoint ranges trade
 * their pages, overlapping ones rotate their union (so a caller may keep
 * bytes in the displaced pages and find them at their new place). The
 * ranges may overlap. dst, src and len are multiples of PLAT_PAGE_SIZE and
 * both ranges lie in one registered range; otherwise, or when the platform
 * cannot do it now, it returns false and changes nothing, and the caller
 * copies. In storage committed on demand a page not committed yet held
 * unspecified bytes, and so does its new place (committed at its next
 * touch): no memory is taken for it.
 */
enum { PLAT_PAGE_SIZE = 4096 };
/* Register [base, base + len) (page-aligned) as remappable; false if the table is full. */
bool plat_remap_register(void *base, uint64_t len);
/* Forget the registered range starting at base (nothing if none). */
void plat_remap_unregister(void *base);
/* Whether [addr, addr + len) lies inside one registered range. */
bool plat_remappable(const void *addr, uint64_t len);
bool plat_remap_pages(void *dst, void *src, uint64_t len);

/*
 * Page runs: whole pages the Memory Manager takes for itself outside every
 * zone (each temporary handle's block is one). The kernel takes them from
 * the physical page manager (direct-mapped, so a run is also physically
 * contiguous); the host from mmap.
 *
 * plat_page_run_alloc(len): len (a multiple of PLAT_PAGE_SIZE, not 0)
 * bytes of fresh, page-aligned, read-write memory in one run; NULL when
 * there is none that long now. Its contents are undefined.
 * plat_page_run_free(base, len): give back whole pages of runs this
 * interface gave; any page-aligned part of a run may go back alone (a run
 * that shrinks gives back its tail). Anything else is reported by the
 * platform and changes nothing.
 * plat_page_run_room: false when the platform has no page runs at all
 * (the Memory Manager then keeps temporary handles in a zone); else true,
 * with the bytes it could give now in all (*free_bytes) and the longest
 * run it could give now (*largest_bytes, at most *free_bytes; it may be a
 * lower bound on machines with runs longer than the page manager counts).
 *
 * Page runs never take what storage committed on demand was promised:
 * the pages of such storage not committed yet (and, in the kernel, the
 * page-table pages committing all of it could need) stay free for its
 * first touches. plat_page_run_alloc refuses a run that would leave fewer
 * free pages than that, and plat_page_run_room counts only the free pages
 * above it, so a zone's FreeMem stays good however much temporary memory
 * is taken. (The kernel heap's own growth is not held to this; see
 * docs/MIGRATION.md.)
 */
void *plat_page_run_alloc(uint64_t len);
void plat_page_run_free(void *base, uint64_t len);
bool plat_page_run_room(uint64_t *free_bytes, uint64_t *largest_bytes);

/* Bytes of stack left below the stack position sp (0 if not known). */
uint64_t plat_stack_room(const void *sp);

/* Ticks (1/60 s) since the platform started; wraps after about 2.3 years. */
uint32_t plat_ticks(void);

/* Nothing to do: let time pass (the host's clock advances one tick). */
void plat_idle(void);

/*
 * Raw input from the person at the machine, as the Event Manager wants it:
 * mouse motion in screen pixels (+h right, +v down) with the button state
 * after it, and keys by Macintosh virtual key code (Inside Macintosh: the
 * Apple Extended Keyboard's codes), down or up.
 */
typedef enum plat_input_kind {
    PLAT_INPUT_MOUSE = 1,
    PLAT_INPUT_KEY = 2,
} plat_input_kind;

typedef struct plat_input {
    plat_input_kind kind;
    int16_t dh, dv;           /* PLAT_INPUT_MOUSE: motion since the last report */
    bool button;              /* PLAT_INPUT_MOUSE: the button is down */
    uint8_t key_code;         /* PLAT_INPUT_KEY: virtual key code 0..127 */
    bool key_down;            /* PLAT_INPUT_KEY: pressed (true) or released */
} plat_input;

/* The next pending input in *in (true), or false when there is none. Never blocks. */
bool plat_input_poll(plat_input *in);

/* Hosted builds only (src/platform/host.c): the clock and the input queue
 * the tests drive. The kernel does not define them. */
void plat_host_set_ticks(uint32_t ticks);
/* Queue one input for plat_input_poll; false when the (small) queue is full. */
bool plat_host_push_input(const plat_input *in);
/* Drop every queued input. */
void plat_host_flush_input(void);
/* `len` bytes (a multiple of 4096) of address space committed on demand, page-aligned; NULL when none. */
void *plat_host_reserve(uint64_t len);
/* Give a plat_host_reserve range back whole. */
void plat_host_unreserve(void *base, uint64_t len);
/* len bytes (rounded up to pages) of fresh zeroed memory, registered as
 * remappable (plat_remap_register); NULL if the host refuses. */
void *plat_host_map(uint64_t len);
/* Unregister and unmap what plat_host_map returned. */
void plat_host_unmap(void *base, uint64_t len);
/* While refuse is set, plat_remap_pages returns false and changes nothing,
 * as a platform that cannot remap now does (the callers' copy paths). */
void plat_host_refuse_remaps(bool refuse);
/* The host's stand-in for a machine's free pages (default 256 MiB): page
 * runs (plat_page_run_alloc) and the committed pages of plat_host_reserve
 * ranges come out of it, and a reserve's pages not committed yet are
 * promised (page runs leave them; a first touch with no budget page left
 * is reported and ends the run). 0: the host has no page runs
 * (plat_page_run_room says false) and reserves commit without limit.
 * plat_host_page_runs_out: the bytes of page runs out now. */
void plat_host_set_page_budget(uint64_t bytes);
uint64_t plat_host_page_runs_out(void);

#endif

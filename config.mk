# config.mk - every build knob in one place. Override on the command line:
#   make MM_BACKEND=kmalloc CC=clang-19 MM_HEAPCHECK=1

# Toolchain. A prefix lets a real cross toolchain be used (x86_64-elf-);
# by default the host GCC 12 builds the freestanding kernel.
CROSS_COMPILE ?=
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
OBJCOPY ?= $(CROSS_COMPILE)objcopy
HOSTCC  ?= gcc
FUZZCC  ?= clang-19
OPT     ?= -O2

# Where the Classic Memory Manager's zones live:
#   static  - the legacy layout: gSystemHeap[2 MiB] and gAppHeap[6 MiB] static arrays
#   kmalloc - both heaps of those sizes from kmalloc (nanokernel first)
#   dynamic - zones sized from the multiboot2 memory map: reserves whose pages
#             the PMM gives at first touch (MM_PROTECT=0: whole PMM runs at boot)
# MM_BACKENDS is the one list of valid values (each is a file
# src/MemoryMgr/backend/<name>.c); scripts ask `make print-backends`. Its
# order is the order of the A/B table, with static, the baseline, first.
MM_BACKEND ?= dynamic
MM_BACKENDS := static kmalloc dynamic

# Boot order: y = nanokernel before the Classic MM (required by kmalloc and
# dynamic), n = Classic MM first (static only: its zones need nothing from the
# nanokernel, so this order still boots and is tested).
NK_EARLY_INIT ?= y

# Kernel heap: requests of at least this many bytes go straight to the PMM
# as whole pages; boot gives the heap a first arena of KHEAP_FIRST_ARENA
# bytes from the PMM, and the heap grows from the PMM by at least
# KHEAP_GROW_MIN bytes (small steps keep the pages held close to the
# bytes in use).
KHEAP_LARGE_THRESHOLD ?= 262144
KHEAP_FIRST_ARENA     ?= 1048576
KHEAP_GROW_MIN        ?= 65536

# Dynamic backend sizing: fractions of usable RAM, with floors and caps (bytes).
DYN_SYS_DIV   ?= 16
DYN_APP_DIV   ?= 4
DYN_SYS_MIN   ?= 1048576
DYN_APP_MIN   ?= 2097152
DYN_SYS_MAX   ?= 1073741824
DYN_APP_MAX   ?= 17179869184

# Classic MM misuse policy: 0 = a Classic misuse (a second DisposeHandle,
# SetZone of a non-zone, ...) is one line on the log and the call returns
# Inside Macintosh's result code; 1 = the first misuse halts the system.
# Detected heap corruption ends the run either way.
MM_STRICT ?= 0

# Zones committed on demand (the dynamic backend with MM_PROTECT=1): 1 =
# after CompactMem, PurgeMem and MaxMem the whole pages inside a zone's top
# free block go back to the PMM (bkLim stays; they come back when touched);
# 0 = a zone's committed pages only grow. Elsewhere it changes nothing.
MM_DECOMMIT ?= 1

# Classic MM large blocks: a block whose data is at least this many bytes
# gets page-aligned data (NewPtr always; a handle when its zone's storage can
# be remapped), and such a handle moves by remapping its pages instead of
# copying them (src/MemoryMgr/mm_remap.c). 0 = no large blocks.
MM_REMAP_MIN ?= 65536

# Classic MM debug modes (0 = off).
MM_HEAPCHECK ?= 0
MM_SCRAMBLE  ?= 0
MM_PURGE_ALL ?= 0

# Memory protection: 1 = page 0 unmapped, kernel text read-only, data,
# stacks, heaps and zones no-execute (where the CPU has NX), guard pages
# below the stacks, around the Classic zones and around each large
# kernel-heap allocation; 0 = the flat identity map
# (everything present, writable, executable). A page fault says what the
# address is either way.
MM_PROTECT ?= 1

# Test hook: build a kernel that faults on purpose after boot to prove the
# exception path ends the run with a diagnostic naming what was hit:
#   divzero, pagefault, ud   - CPU exceptions
#   nullhandle               - *h for a NULL handle (the NULL page)
#   appzone                  - a write one byte past the end of the Application zone
#   textwrite                - a write into kernel text
#   dataexec                 - a call into code placed in .data
#   stackoverflow            - unbounded recursion on the boot stack
#   kheapfreed               - a read of a freed large kernel-heap allocation
#   zoneexec                 - a call into code placed in a Classic handle's block
#   kheapover                - a write one byte past a live large kernel-heap allocation
#   tempexec                 - a call into code placed in a temporary handle's page run
FAULT_TEST ?= none

# The in-kernel suites a kernel runs, by name (tests/kernel/kernel_suites.c),
# separated by spaces; empty runs every suite, and "-name" leaves one out
# (make test: KT_SUITES="-wm_memfull"). make ab's protection-off twin
# boots, which measure only the boot's memory bring-up, run the two memory
# suites. A name that is no suite fails the boot.
KT_SUITES ?=

# Emulators. FIRMWARE picks how QEMU boots the (hybrid) ISO: bios or uefi (OVMF).
QEMU  ?= qemu-system-x86_64
BOCHS ?= bochs
FIRMWARE ?= bios

/*
 * entry.S - multiboot2 header and the 32-bit stub that enters long mode.
 *
 * GRUB jumps to _start in 32-bit protected mode with paging off, EAX = the
 * multiboot2 magic and EBX = the physical address of the info block. The
 * header asks for the memory map and, optionally, a linear framebuffer. The
 * stub checks that the CPU has long mode (and says so on COM1 if not),
 * identity-maps the first 4 GiB with 2 MiB pages, switches to long mode and
 * calls kmain(magic, info). Everything above 4 GiB is mapped from C
 * (paging.c) once the memory map has been parsed: parsing the map robustly
 * is the multiboot2 parser's job, and doing it a second time in assembly
 * would be a second, weaker parser.
 */
#define MB2_MAGIC    0xE85250D6
#define MB2_ARCH_I386 0

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* information request: memory map (6) and basic meminfo (4) */
    .balign 8
    .short 1, 0
    .long 16
    .long 6, 4
    /*
     * framebuffer (5), optional (flags bit 0): a linear 1024x768 32-bpp
     * mode if the loader can set one. The kernel takes whatever it is
     * given and draws off-screen when it is not usable, so text mode
     * still boots.
     */
    .balign 8
    .short 5, 1
    .long 20
    .long 1024, 768, 32
    .balign 8
    .short 0, 0                 /* end tag */
    .long 8
mb2_header_end:

    .section .text.entry, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov $boot_stack_top, %esp
    mov %eax, boot_magic
    mov %ebx, boot_info

    /* Long mode needs extended CPUID leaf 0x80000001, EDX bit 29. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode

    /* Zero the PML4 and PDPT (the PDs are filled completely below). */
    mov $boot_pml4, %edi
    xor %eax, %eax
    mov $(2 * 4096 / 4), %ecx
    rep stosl

    /* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories. */
    mov $boot_pdpt, %eax
    or $3, %eax
    mov %eax, boot_pml4
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $12, %eax
    add $boot_pd, %eax
    or $3, %eax
    mov %eax, boot_pdpt(,%ecx,8)
    inc %ecx
    cmp $4, %ecx
    jb 1b

    /* 2048 PD entries x 2 MiB = 4 GiB, present + writable + large page. */
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, boot_pd(,%ecx,8)
    movl $0, boot_pd+4(,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jb 2b

    mov %cr4, %eax
    or $(1 << 5), %eax          /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx       /* EFER */
    rdmsr
    or $(1 << 8), %eax          /* LME */
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax   /* PG, WP */
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_mode_entry

no_long_mode:
    mov $msg_no_long_mode, %esi
3:  lodsb
    test %al, %al
    jz 4f
    mov $0x3F8, %dx
    out %al, %dx
    jmp 3b
4:  mov $0x11, %al              /* QEMU isa-debug-exit: fail */
    mov $0xF4, %dx
    out %al, %dx
    mov $msg_shutdown, %esi     /* Bochs: "Shutdown" to port 0x8900 */
    mov $0x8900, %dx
5:  lodsb
    test %al, %al
    jz 6f
    out %al, %dx
    jmp 5b
6:  cli
    hlt
    jmp 6b

    .code64
long_mode_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    mov $boot_stack_top, %rsp
    xor %ebp, %ebp
    mov boot_magic, %edi
    mov boot_info, %esi
    call kmain
7:  cli
    hlt
    jmp 7b

    .section .rodata
msg_no_long_mode:
    .asciz "\r\nFATAL: this CPU has no long mode (x86_64); the kernel cannot run.\r\nBOOT VERDICT: FAIL\r\n"
msg_shutdown:
    .asciz "Shutdown"

    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF    /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF    /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .section .bss
    .balign 4096
    .global boot_pml4
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
    /* One page below the stack that memory protection unmaps: an overflow
     * faults there instead of running into the page directories above. */
    .balign 4096
    .global boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard: .skip 4096
boot_stack: .skip 65536
boot_stack_top:
boot_magic: .skip 4
boot_info:  .skip 4

    .section .note.GNU-stack, "", @progbits

/*
 * idt.c - exception handling: every CPU exception prints its name, vector,
 * RIP, error code, CR2 and the registers over serial, then ends the run with
 * the failure code. The one exception resumed is a page fault that commits a
 * page of an on-demand reserve (protect_fault_commit); none resets silently.
 */
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/protect.h"
#include "lib/kprintf.h"
#include "platform.h"

typedef struct [[gnu::packed]] idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t  ist;
    uint8_t  type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t zero;
} idt_gate;
_Static_assert(sizeof(idt_gate) == 16, "layout");

/* The frame isr_common builds: pushed registers, then vector, error code, CPU frame. */
typedef struct exception_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
} exception_frame;

extern const uint64_t isr_table[32];
static idt_gate g_idt[32];

static const char *const g_exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
    "invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
    "page fault", "reserved (15)", "x87 floating-point error", "alignment check",
    "machine check", "SIMD floating-point error", "virtualization exception",
    "control protection exception", "reserved (22)", "reserved (23)", "reserved (24)",
    "reserved (25)", "reserved (26)", "reserved (27)", "hypervisor injection",
    "VMM communication", "security exception", "reserved (31)",
};

enum { VEC_DOUBLE_FAULT = 8, GATE_INTERRUPT = 0x8E, KERNEL_CS = 0x08 };

void idt_init(void)
{
    for (int v = 0; v < 32; v++) {
        uint64_t h = isr_table[v];
        g_idt[v] = (idt_gate){
            .offset_low = (uint16_t)h, .selector = KERNEL_CS,
            .ist = v == VEC_DOUBLE_FAULT ? 1 : 0, .type_attr = GATE_INTERRUPT,
            .offset_mid = (uint16_t)(h >> 16), .offset_high = (uint32_t)(h >> 32),
        };
    }
    struct [[gnu::packed]] { uint16_t limit; uint64_t base; } ptr = {
        sizeof(g_idt) - 1, (uintptr_t)g_idt
    };
    __asm__ volatile("lidt %0" : : "m"(ptr));
}

void exception_handler(const exception_frame *f);

/* Returns only when the exception was resolved (isr_common then resumes the interrupted code). */
void exception_handler(const exception_frame *f)
{
    if (protect_fault_commit(f->vector, read_cr2(), f->error_code))
        return;
    uint64_t v = f->vector < 32 ? f->vector : 31;
    kprintf("\n*** CPU EXCEPTION: %s (vector %lu)\n", g_exception_names[v], (unsigned long)f->vector);
    const char *what = protect_report(f->vector, read_cr2(), f->rip, f->error_code, f->rsp);
    kprintf("    RIP=0x%016lx  error code=0x%lx  CR2=0x%016lx\n",
            (unsigned long)f->rip, (unsigned long)f->error_code, (unsigned long)read_cr2());
    kprintf("    RSP=0x%016lx  RFLAGS=0x%lx  CS=0x%lx\n",
            (unsigned long)f->rsp, (unsigned long)f->rflags, (unsigned long)f->cs);
    kprintf("    RAX=%016lx RBX=%016lx RCX=%016lx RDX=%016lx\n",
            (unsigned long)f->rax, (unsigned long)f->rbx, (unsigned long)f->rcx, (unsigned long)f->rdx);
    kprintf("    RSI=%016lx RDI=%016lx RBP=%016lx\n",
            (unsigned long)f->rsi, (unsigned long)f->rdi, (unsigned long)f->rbp);
    if (what)
        kprintf("BOOT VERDICT: FAIL (%s: %s)\n", g_exception_names[v], what);
    else
        kprintf("BOOT VERDICT: FAIL (CPU exception)\n");
    plat_exit(false);
}

bool cpu_has_nx(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u));
    if (a < 0x80000001u)
        return false;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u));
    return (d >> 20) & 1;
}

bool cpu_has_1g_pages(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u));
    if (a < 0x80000001u)
        return false;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001u));
    return (d >> 26) & 1;
}

unsigned cpu_phys_addr_bits(void)
{
    uint32_t a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u));
    if (a < 0x80000008u)
        return 36; /* no leaf: the width every x86-64 CPU has at least */
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000008u));
    return a & 0xff;
}

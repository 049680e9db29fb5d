/*
 * main.c - kmain: CPU tables, the clock and the PS/2 devices, the memory
 * bring-up (boot.c), the Toolbox's first layer on the screen (QuickDraw,
 * the Event Manager), the in-kernel test suites (the last one draws the
 * desktop), and the verdict.
 *
 * Output contract read by tools/boot.sh: the suites print KTAP (top level
 * here, one indented subtest block per suite), and every boot ends in one
 * "BOOT VERDICT: PASS|FAIL ..." line followed by an emulator exit. With
 * "interactive" on the kernel command line (make run-gui, make screenshot)
 * the run does not end after the verdict: the desktop stays up and the
 * PS/2 mouse moves the cursor.
 */
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ps2.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/timer.h"
#include "boot.h"
#include "Desktop.h"
#include "Events.h"
#include "kernel_suites.h"
#include "lib/kprintf.h"
#include "lib/kstring.h"
#include "MemoryMgr/MemoryManager.h"
#include "nanokernel/kheap.h"
#include "platform.h"
#include "Dialogs.h"
#include "MacWindows.h"
#include "Menus.h"
#include "Quickdraw.h"
#include "Resources.h"

#if CONFIG_FAULT_TEST == 7
/* A `ret` in .data: calling it is an instruction fetch from data. */
static volatile uint8_t g_fault_code_in_data[16] = { 0xC3 };
#endif
#if CONFIG_FAULT_TEST == 10 || CONFIG_FAULT_TEST == 12
/* A `ret` placed in a locked handle's block and called: an instruction
 * fetch from Classic memory (`where` names it in the log). */
static void main_run_code_in(Handle h, const char *where)
{
    HLock(h);
    (*h)[0] = (char)0xC3;   /* ret */
    void (*fn)(void) = (void (*)(void))(uintptr_t)*h;
    kprintf("fault test: calling code placed in %s at 0x%lx\n", where, (unsigned long)(uintptr_t)fn);
    fn();
    DisposeHandle(h);
}
#endif
#if CONFIG_FAULT_TEST == 8
/* Recursion far deeper than any stack: each level keeps 512 bytes of its frame live. */
static volatile unsigned g_recurse_limit = 1u << 30;
[[gnu::noinline]] static unsigned main_recurse(unsigned depth)
{
    volatile uint8_t frame[512];
    frame[0] = (uint8_t)depth;
    if (depth >= g_recurse_limit)
        return 0;
    return main_recurse(depth + 1) + frame[0];
}
#endif

/*
 * A deliberately faulting kernel (make FAULT_TEST=...) proves that faults are
 * reported with what they hit. The memory faults below are harmless without
 * protection (MM_PROTECT=0): the kernel then prints what happened and boots
 * on, which is the behaviour the protection changes.
 */
static void main_fault_test(void)
{
#if CONFIG_FAULT_TEST == 1
    /* An explicit div: GCC turns a C "1 / x" into compares, with no division at all. */
    kprintf("fault test: dividing by zero\n");
    __asm__ volatile("xor %%ecx, %%ecx\n\tmov $1, %%eax\n\txor %%edx, %%edx\n\tdiv %%ecx"
                     : : : "eax", "ecx", "edx");
#elif CONFIG_FAULT_TEST == 2
    kprintf("fault test: writing to an unmapped address\n");
    *(volatile uint64_t *)0x00007FFFFFFFF000ull = 1;
#elif CONFIG_FAULT_TEST == 3
    kprintf("fault test: executing an invalid opcode\n");
    __asm__ volatile("ud2");
#elif CONFIG_FAULT_TEST == 4
    Handle volatile h = NULL;
    kprintf("fault test: dereferencing a NULL handle\n");
    Ptr master = *h;
    kprintf("fault test: *h of a NULL handle read 0x%016lx without a fault\n", (unsigned long)(uintptr_t)master);
#elif CONFIG_FAULT_TEST == 5
    volatile char *end = (volatile char *)GetApplLimit();
    kprintf("fault test: writing one byte past the end of the Application zone (0x%lx)\n", (unsigned long)(uintptr_t)end);
    *end = 0x5A;
    kprintf("fault test: the write past the Application zone went through without a fault\n");
#elif CONFIG_FAULT_TEST == 6
    volatile uint8_t *code = (volatile uint8_t *)(uintptr_t)&main_fault_test;
    kprintf("fault test: writing into kernel text at 0x%lx\n", (unsigned long)(uintptr_t)code);
    *code = *code;   /* the same byte back: harmless where text is writable */
    kprintf("fault test: the write into kernel text went through without a fault\n");
#elif CONFIG_FAULT_TEST == 7
    void (*fn)(void) = (void (*)(void))(uintptr_t)g_fault_code_in_data;
    kprintf("fault test: calling code placed in .data at 0x%lx\n", (unsigned long)(uintptr_t)fn);
    fn();
    kprintf("fault test: code in .data ran without a fault\n");
#elif CONFIG_FAULT_TEST == 9
    volatile uint8_t *big = kmalloc(512u << 10);
    if (!big) {
        kprintf("fault test: kmalloc(512 KiB) failed\n");
        return;
    }
    big[0] = 0x5A;
    kfree((void *)big);
    kprintf("fault test: reading a freed 512 KiB kernel-heap allocation at 0x%lx\n", (unsigned long)(uintptr_t)big);
    uint8_t stale = big[0];
    kprintf("fault test: the freed allocation read 0x%02x without a fault\n", stale);
#elif CONFIG_FAULT_TEST == 11
    volatile uint8_t *big = kmalloc(512u << 10);
    if (!big) {
        kprintf("fault test: kmalloc(512 KiB) failed\n");
        return;
    }
    volatile uint8_t *end = big + kmalloc_usable_size((void *)big);
    char what[160];
    /* The guard page is the allocation's own; without one the byte is someone else's and gets its own value back. */
    bool guarded = kheap_whereis((uintptr_t)end, what, sizeof what);
    kprintf("fault test: writing one byte past a live 512 KiB kernel-heap allocation at 0x%lx (%s)\n",
            (unsigned long)(uintptr_t)big, guarded ? what : "no guard page");
    *end = guarded ? (uint8_t)0x5A : *end;
    kprintf("fault test: the write past the kernel-heap allocation went through without a fault\n");
    kfree((void *)big);
#elif CONFIG_FAULT_TEST == 10
    Handle h = NewHandle(16);
    if (!h) {
        kprintf("fault test: NewHandle(16) failed\n");
        return;
    }
    main_run_code_in(h, "a locked handle's block");
    kprintf("fault test: code in a Classic block ran without a fault\n");
#elif CONFIG_FAULT_TEST == 12
    OSErr err;
    Handle t = TempNewHandle(16, &err);
    if (!t) {
        kprintf("fault test: TempNewHandle(16) failed (%d)\n", err);
        return;
    }
    main_run_code_in(t, "a temporary handle's page run");
    kprintf("fault test: code in a temporary handle's page run ran without a fault\n");
#elif CONFIG_FAULT_TEST == 8
    kprintf("fault test: recursing without end on the boot stack\n");
    kprintf("fault test: recursion returned %u\n", main_recurse(0));
#endif
}

/* The next word of a space-separated list at *p (its length in *n), or NULL
 * at the end; *p moves past it. */
static const char *main_next_word(const char **p, size_t *n)
{
    while (**p == ' ')
        (*p)++;
    const char *w = *p;
    while (**p != '\0' && **p != ' ')
        (*p)++;
    *n = (size_t)(*p - w);
    return *n ? w : NULL;
}

static bool main_word_is(const char *w, size_t n, const char *name)
{
    return nk_strlen(name) == n && nk_memcmp(w, name, n) == 0;
}

/* KT_SUITES (config.mk): the suites to run, and "-name" for one not to run;
 * with no name but excluded ones (or none at all) every other suite runs. */
static bool main_suite_wanted(const kernel_suite *k)
{
    const char *p = CONFIG_KT_SUITES, *w;
    size_t n;
    bool named = false, any_named = false;
    while ((w = main_next_word(&p, &n)) != NULL) {
        if (*w == '-') {
            if (main_word_is(w + 1, n - 1, k->name))
                return false;
            continue;
        }
        any_named = true;
        named = named || main_word_is(w, n, k->name);
    }
    return named || !any_named;
}

/* Words of KT_SUITES that name no suite: each is reported, and fails the boot. */
static int main_unknown_suites(void)
{
    const char *p = CONFIG_KT_SUITES, *w;
    size_t n;
    int unknown = 0;
    while ((w = main_next_word(&p, &n)) != NULL) {
        bool known = false;
        if (*w == '-') {   /* an excluded suite: the name after the dash */
            w++;
            n--;
        }
        for (unsigned i = 0; i < kernel_suite_count && !known; i++)
            known = main_word_is(w, n, kernel_suites[i].name);
        if (!known) {
            char word[40] = { 0 };
            nk_memcpy(word, w, n < sizeof word - 1 ? n : sizeof word - 1);
            kprintf("KT_SUITES: '%s' is not an in-kernel suite\n", word);
            unknown++;
        }
    }
    return unknown;
}

static int main_run_suites(unsigned *ran)
{
    int failed_suites = main_unknown_suites();
    unsigned planned = 0;

    for (unsigned i = 0; i < kernel_suite_count; i++)
        planned += main_suite_wanted(&kernel_suites[i]);
    kprintf("KTAP version 1\n1..%u\n", planned);
    *ran = 0;
    for (unsigned i = 0; i < kernel_suite_count; i++) {
        if (!main_suite_wanted(&kernel_suites[i]))
            continue;
        uint64_t t0 = plat_cycles();
        int failures = kernel_suites[i].run();
        /* A KTAP diagnostic: where a boot's time goes, suite by suite. */
        kprintf("# %s: %lu Mcycles\n", kernel_suites[i].name, (unsigned long)((plat_cycles() - t0) / 1000000));
        kprintf("%s %u %s\n", failures ? "not ok" : "ok", ++*ran, kernel_suites[i].name);
        if (failures)
            failed_suites++;
    }
    return failed_suites;
}

/* QuickDraw on the screen boot.c settled, the Event Manager's mouse on it. */
static void main_toolbox(void)
{
    const boot_screen *sc = &g_boot.screen;
    if (!sc->base) {
        kprintf("toolbox: no screen; QuickDraw's screenBits stay empty\n");
        InitGraf(&qd.thePort);
        ev_init(NULL);
        return;
    }
    OSErr err = qd_set_screen((void *)(uintptr_t)sc->base, sc->row_bytes, (short)sc->width, (short)sc->height);
    InitGraf(&qd.thePort);
    ev_init(&qd.screenBits.bounds);
    kprintf("toolbox: QuickDraw on the %s %ux%u (%s), Event Manager ready, TickCount %u\n",
            sc->visible ? "framebuffer" : "off-screen bitmap", sc->width, sc->height,
            err == noErr ? "noErr" : "qd_set_screen refused it", (unsigned)TickCount());
}

/*
 * The System file's resource fork: the boot module whose command line is
 * "System" (tools/grub.cfg), checked and registered with the Resource
 * Manager. boot.c keeps every module's pages out of the PMM, and all RAM is
 * mapped, so the bytes stay where GRUB put them.
 */
static void main_resources(void)
{
    const mb2_info *mb = &g_boot.mb;
    for (size_t m = 0; m < mb->module_count; m++) {
        const mb2_module *mod = &mb->modules[m];
        const char *c = mod->cmdline;
        if (!(c[0] == 'S' && c[1] == 'y' && c[2] == 's' && c[3] == 't' && c[4] == 'e' && c[5] == 'm' && c[6] == 0))
            continue;
        const char *why = "";
        OSErr err = rm_register_fork("System", (const void *)(uintptr_t)mod->start,
                                     (long)(mod->end - mod->start), &why);
        if (err == noErr)
            kprintf("resources: System fork at 0x%lx, %lu bytes, registered\n", (unsigned long)mod->start,
                    (unsigned long)(mod->end - mod->start));
        else
            kprintf("resources: ERROR: System fork rejected (%d): %s\n", err, why);
        return;
    }
    kprintf("resources: ERROR: no boot module named System; the Resource Manager has no System file\n");
}

/* Is `word` one of the space-separated words of the kernel command line? */
static bool main_cmdline_has(const char *word)
{
    const char *c = g_boot.mb.cmdline;
    while (c && *c) {
        while (*c == ' ')
            c++;
        size_t i = 0;
        while (word[i] && c[i] == word[i])
            i++;
        if (!word[i] && (c[i] == 0 || c[i] == ' '))
            return true;
        while (*c && *c != ' ')
            c++;
    }
    return false;
}

/* A window's content: an oval, its title and a string from a purgeable resource. */
static void main_draw_window(WindowPtr w)
{
    GrafPtr saved;
    GetPort(&saved);
    SetPort(w);
    HideCursor();
    Rect r = w->portRect;
    EraseRect(&r);
    InsetRect(&r, 16, 28);
    FillOval(&r, &qd.ltGray);
    FrameOval(&r);
    Str255 t;
    GetWTitle(w, t);
    MoveTo(10, 18);
    TextFace(bold);
    DrawString(t);
    TextFace(0);
    Handle s = GetResource((ResType)('S' << 24 | 'T' << 16 | 'R' << 8 | ' '), 129);
    if (s != NULL) {
        HLock(s);
        MoveTo(10, (short)(w->portRect.bottom - 22));
        DrawString((const unsigned char *)*s);
        HUnlock(s);
    }
    DrawGrowIcon(w);
    ShowCursor();
    SetPort(saved);
}

/* The interactive desktop: the menu bar (Apple, File, Edit from the System file), two
 * document windows from its WIND resources and the "Edit" dialog (DLOG 130), modeless. */
static void main_open_windows(void)
{
    if (OpenResFile((const unsigned char *)"\x06System") < 0) {
        kprintf("windows: ERROR: no System file (ResError %d)\n", ResError());
        return;
    }
    InitWindows();
    InitMenus();
    TEInit();
    InitDialogs(NULL);
    for (short id = 128; id <= 130; id++) {
        MenuHandle m = GetMenu(id);
        if (m)
            InsertMenu(m, 0);
    }
    DrawMenuBar();
    WindowPtr ws[2] = { GetNewWindow(128, NULL, (WindowPtr)-1), GetNewWindow(129, NULL, (WindowPtr)-1) };
    static const unsigned char name[] = "\x05Notes";
    ParamText(name, NULL, NULL, NULL);
    DialogPtr d = GetNewDialog(130, NULL, (WindowPtr)-1);
    if (d)
        MoveWindow(d, 600, 440, true);
    EventRecord e;
    while (GetNextEvent(updateMask, &e)) {
        DialogPtr which;
        DialogItemIndex hit;
        if (IsDialogEvent(&e)) {
            DialogSelect(&e, &which, &hit);
            continue;
        }
        BeginUpdate((WindowPtr)e.message);
        main_draw_window((WindowPtr)e.message);
        EndUpdate((WindowPtr)e.message);
    }
    kprintf("windows: drawn (%s, %s, %s; menus %s)\n", ws[0] ? "Untitled" : "-", ws[1] ? "Notes" : "-",
            d ? "dialog Edit" : "-", GetMenuHandle(129) ? "Apple File Edit" : "-");
}

/* A mouse-down on the desktop: what the Window Manager's parts do. */
static void main_window_click(const EventRecord *e)
{
    WindowPtr w;
    short part = FindWindow(e->where, &w);
    Rect drag = qd.screenBits.bounds, sizes = { 64, 64, 2000, 2000 };
    if (part == inMenuBar) {
        long choice = MenuSelect(e->where);
        if (choice >> 16 == 129 && (choice & 0xFFFF) == 1)
            GetNewWindow(128, NULL, (WindowPtr)-1);      /* File > New */
        else if (choice >> 16 == 129 && (choice & 0xFFFF) == 2 && FrontWindow())
            DisposeWindow(FrontWindow());                 /* File > Close */
        HiliteMenu(0);
    } else if (part == inDrag) {
        DragWindow(w, e->where, &drag);
    } else if (part == inGrow) {
        long sz = GrowWindow(w, e->where, &sizes);
        if (sz)
            SizeWindow(w, (short)(sz & 0xFFFF), (short)(sz >> 16), true);
    } else if (part == inGoAway) {
        if (TrackGoAway(w, e->where))
            DisposeWindow(w);
    } else if (part == inZoomIn || part == inZoomOut) {
        if (TrackBox(w, e->where, part))
            ZoomWindow(w, part, true);
    } else if (part == inContent && w != FrontWindow()) {
        SelectWindow(w);
    }
}

/* The desktop stays up with its windows: the PS/2 mouse moves, drags, grows, zooms and closes them. */
[[gnu::noreturn]] static void main_run_desktop(void)
{
    EventRecord e;
    main_open_windows();
    kprintf("desktop: interactive: the PS/2 mouse moves the cursor; this run does not end by itself\n");
    for (;;) {
        if (!WaitNextEvent(everyEvent, &e, 60, NULL))
            continue;
        DialogPtr which;
        DialogItemIndex hit;
        if (e.what == updateEvt) {
            if (IsDialogEvent(&e)) {
                DialogSelect(&e, &which, &hit);
                continue;
            }
            BeginUpdate((WindowPtr)e.message);
            main_draw_window((WindowPtr)e.message);
            EndUpdate((WindowPtr)e.message);
            continue;
        }
        WindowPtr hitw = NULL;
        if (e.what == mouseDown && FindWindow(e.where, &hitw) == inContent && hitw == FrontWindow() &&
            IsDialogEvent(&e))
            DialogSelect(&e, &which, &hit);             /* the dialog's items */
        else if (e.what == mouseDown)
            main_window_click(&e);
        if (e.what == mouseDown || e.what == mouseUp)
            kprintf("event: %s at (%d,%d), tick %u\n", e.what == mouseDown ? "mouseDown" : "mouseUp",
                    e.where.h, e.where.v, (unsigned)e.when);
        else if (e.what == keyDown || e.what == autoKey)
            kprintf("event: %s char 0x%02lx key code 0x%02lx, modifiers 0x%04x\n",
                    e.what == keyDown ? "keyDown" : "autoKey", e.message & charCodeMask,
                    (e.message & keyCodeMask) >> 8, e.modifiers);
    }
}

[[gnu::noreturn]] void kmain(uint32_t magic, uint32_t info);

void kmain(uint32_t magic, uint32_t info)
{
    g_boot.entry_cycles = plat_cycles();
    serial_init();
    gdt_init();
    idt_init();
    kprintf("\nnanokernel: x86_64 long mode, own GDT/TSS and IDT loaded\n");
    kprintf("nanokernel: MM_BACKEND=%s, nanokernel init %s the Classic MM\n",
            CONFIG_MM_BACKEND_NAME, CONFIG_NK_EARLY_INIT ? "before" : "after");

    boot_memory(magic, info);
    /* After the memory bring-up, so its A/B cycle figure measures memory alone. */
    timer_init();
    ps2_init();
    main_toolbox();
    main_resources();
    main_fault_test();

    unsigned ran;
    int failed = main_run_suites(&ran);
    kprintf("AB free_after=%ld\n", (long)(FreeMemSys() + FreeMem()));
    kprintf("BOOT VERDICT: %s (%u suites, %d failed)\n", failed ? "FAIL" : "PASS", ran, failed);
    if (main_cmdline_has("interactive"))
        main_run_desktop();
    plat_exit(failed == 0);
}

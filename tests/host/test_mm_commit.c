/*
 * test_mm_commit.c - zones over storage committed on demand (platform.h:
 * plat_host_reserve, the host twin of the dynamic backend's reserves).
 *
 * One scenario runs twice: over plain, fully committed buffers and over
 * reserves. Every figure the Memory Manager reports (FreeMem, MaxBlock,
 * CompactMem, MaxMem and its growth, PurgeMem's result) must be the same
 * both times; over the reserves the committed pages must start far below
 * the storage, grow when a big block is written, and (MM_DECOMMIT=1) drop
 * again after CompactMem / PurgeMem once the block is gone - with the
 * pages coming back, and the heap check passing, when the space is used
 * again. With MM_DECOMMIT=0 the committed pages must never drop.
 *
 * Then temporary memory against the same reserves and a page budget (the
 * machine's free pages): TempFreeMem and TempMaxMem leave out the pages
 * the reserves were promised and have not committed, a TempNewHandle of
 * more fails with memFullErr, and after taking all the temporary memory
 * there is, the Application zone still fills to its FreeMem with every
 * byte written. A page of a reserve touched with no budget page left is
 * reported and ends the run (a child process shows it).
 */
#include "mm_test_util.h"
#include "platform.h"
#include "tap.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CONFIG_MM_DECOMMIT
#define CONFIG_MM_DECOMMIT 1
#endif

enum { SYS_BYTES = 2 << 20, APP_BYTES = 8 << 20, PAGE = 4096, BIG = 2 << 20, AGAIN = 1 << 20, SYS_PTR = 512 << 10 };
enum { N_FIGURES = 16 };

typedef struct run_facts {
    long figure[N_FIGURES];     /* what the Memory Manager reported, in order */
    unsigned long long app[6];  /* committed pages of the Application storage at each step */
    unsigned long long sys[3];  /* ... and of the System storage */
    bool contents_ok, heap_ok;
} run_facts;

static unsigned long long committed(const void *base, size_t len)
{
    return plat_committed_pages(base, len);
}

static void run(char *sys, char *app, run_facts *f)
{
    mm_zone_storage st = { sys, SYS_BYTES, app, APP_BYTES, NULL, 0 };
    *f = (run_facts){ 0 };
    int n = 0;
    if (mm_install_zones(&st) != noErr)
        return;
    THz az = ApplicationZone(), sz = SystemZone();
    f->figure[n++] = FreeMem();
    f->figure[n++] = MaxBlock();
    f->app[0] = committed(app, APP_BYTES);
    f->sys[0] = committed(sys, SYS_BYTES);

    Handle big = NewHandle(BIG);
    if (big == NULL)
        return;
    mt_fill(*big, BIG, 1);
    Handle small = NewHandle(100);
    f->app[1] = committed(app, APP_BYTES);
    f->figure[n++] = FreeMem();
    f->figure[n++] = MaxBlock();

    DisposeHandle(big);
    f->figure[n++] = CompactMem(maxSize);
    f->app[2] = committed(app, APP_BYTES);

    Handle again = NewHandle(AGAIN);
    if (again == NULL)
        return;
    mt_fill(*again, AGAIN, 2);
    f->app[3] = committed(app, APP_BYTES);
    f->contents_ok = mt_same(*again, AGAIN, 2);
    Size grow = 0;
    f->figure[n++] = MaxMem(&grow);
    f->figure[n++] = grow;
    f->app[4] = committed(app, APP_BYTES);
    f->contents_ok = f->contents_ok && mt_same(*again, AGAIN, 2);

    HPurge(again);
    PurgeMem(maxSize);
    f->figure[n++] = MemError();
    f->figure[n++] = *again == NULL;
    f->figure[n++] = FreeMem();
    f->app[5] = committed(app, APP_BYTES);

    SetZone(sz);
    Ptr p = NewPtr(SYS_PTR);
    if (p == NULL)
        return;
    mt_fill(p, SYS_PTR, 3);
    f->sys[1] = committed(sys, SYS_BYTES);
    f->figure[n++] = FreeMem();
    DisposePtr(p);
    f->figure[n++] = CompactMem(maxSize);
    f->sys[2] = committed(sys, SYS_BYTES);
    Ptr q = NewPtr(SYS_PTR);
    if (q != NULL)
        mt_fill(q, SYS_PTR, 4);
    f->contents_ok = f->contents_ok && q && mt_same(q, SYS_PTR, 4);
    f->figure[n++] = FreeMem();
    SetZone(az);
    DisposeHandle(small);
    f->heap_ok = mt_ok(az) && mt_ok(sz);
}

enum { BUDGET = 16 << 20, FILL_CHUNK = 256 << 10, MAX_FILLS = APP_BYTES / FILL_CHUNK + 8 };

static void temp_leaves_promised_pages(void)
{
    char *rsys = plat_host_reserve(SYS_BYTES), *rapp = plat_host_reserve(APP_BYTES);
    mm_zone_storage st = { rsys, SYS_BYTES, rapp, APP_BYTES, NULL, 0 };
    if (!rsys || !rapp || mm_install_zones(&st) != noErr) {
        tap_skip("no address space to reserve here");
        return;
    }
    plat_host_set_page_budget(BUDGET);
    THz az = ApplicationZone();
    uint64_t committed_now = committed(rsys, SYS_BYTES) + committed(rapp, APP_BYTES);
    uint64_t promised = (SYS_BYTES + APP_BYTES) / PAGE - committed_now;
    uint64_t room = (uint64_t)BUDGET - plat_host_page_runs_out() - committed_now * PAGE - promised * PAGE;
    Size grow = 0;
    long free_temp = TempFreeMem();
    Size max_temp = TempMaxMem(&grow);
    tap_diag("budget %d KiB, reserves %d KiB with %llu pages committed: TempFreeMem %ld KiB, TempMaxMem %ld KiB",
             BUDGET >> 10, (SYS_BYTES + APP_BYTES) >> 10, (unsigned long long)committed_now, free_temp >> 10,
             (long)max_temp >> 10);
    TAP_EQ(free_temp, (long)room, "TempFreeMem leaves out the reserves' pages not committed yet");
    TAP_EQ(max_temp, (Size)(room - 64), "TempMaxMem: that room less a run's header");
    OSErr e = noErr;
    Handle too_big = TempNewHandle(max_temp + PAGE, &e);
    tap_ok(too_big == NULL && e == memFullErr && MemError() == memFullErr,
           "TempNewHandle of more than TempMaxMem: memFullErr");
    Handle t = TempNewHandle(max_temp, &e);
    tap_ok(t != NULL && e == noErr && TempMaxMem(&grow) < PAGE, "TempNewHandle(TempMaxMem()) takes all of it");
    if (t != NULL)
        mt_fill(*t, (size_t)max_temp, 9);

    SetZone(az);
    MaxApplZone();
    long want = FreeMem();
    static Handle fills[MAX_FILLS];
    unsigned nf = 0;
    long filled = 0;
    while (nf < MAX_FILLS) {
        Size n = MaxBlock() < FILL_CHUNK ? MaxBlock() : FILL_CHUNK;
        Handle h = n >= 16 ? NewHandle(n) : NULL;
        if (h == NULL)
            break;
        mt_fill(*h, (size_t)n, 10 + nf);
        fills[nf++] = h;
        filled += n;
    }
    bool same = true;
    for (unsigned i = 0; i < nf; i++)
        same = same && mt_same(*fills[i], (size_t)GetHandleSize(fills[i]), 10 + i);
    tap_diag("Application zone: FreeMem %ld KiB, %ld KiB written in %u handles, %llu pages committed", want >> 10,
             filled >> 10, nf, (unsigned long long)committed(rapp, APP_BYTES));
    tap_ok(filled + (long)nf * 64 >= want - 64 && same && t != NULL && mt_same(*t, (size_t)max_temp, 9),
           "with all temporary memory taken, the Application zone still fills to its FreeMem, every byte written");
    tap_ok(mt_ok(az) && mt_ok(SystemZone()), "both zones pass the heap check");
    while (nf)
        DisposeHandle(fills[--nf]);
    DisposeHandle(t);
    tap_ok(plat_host_page_runs_out() == 0, "disposing gives every page run back");
    plat_host_set_page_budget((uint64_t)256 << 20);
    mm_forget_storage(rsys, SYS_BYTES);
    mm_forget_storage(rapp, APP_BYTES);
    plat_host_unreserve(rsys, SYS_BYTES);
    plat_host_unreserve(rapp, APP_BYTES);
}

/* A first touch of a reserve with no budget page left ends the run (in a
 * child process): the promise is what keeps a zone from getting there. */
static void touch_without_budget_ends_the_run(void)
{
    int fd[2];
    if (pipe(fd) != 0) {
        tap_skip("no pipe for the child's report");
        return;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 2);   /* the diagnostic (and the sanitizer's report) go to the parent */
        char *r = plat_host_reserve(2 * PAGE);
        if (r == NULL)
            _exit(3);
        plat_host_set_page_budget(PAGE);
        r[0] = 1;      /* the one budget page */
        r[PAGE] = 1;   /* none left */
        _exit(0);
    }
    close(fd[1]);
    static char said[16384];
    size_t got = 0;
    for (ssize_t n; got < sizeof said - 1 && (n = read(fd[0], said + got, sizeof said - 1 - got)) > 0;)
        got += (size_t)n;
    said[got] = 0;
    close(fd[0]);
    int st = 0;
    bool ended = pid > 0 && waitpid(pid, &st, 0) == pid && !(WIFEXITED(st) && WEXITSTATUS(st) == 0) &&
                 !(WIFEXITED(st) && WEXITSTATUS(st) == 3);
    tap_ok(ended && strstr(said, "touched with no budget page left") != NULL,
           "a reserve's first touch with no budget page left is reported and ends the run (status 0x%x)",
           (unsigned)st);
}

int main(void)
{
    mt_catch_reports();
    static run_facts plain, demand;
    char *psys = aligned_alloc(PAGE, SYS_BYTES), *papp = aligned_alloc(PAGE, APP_BYTES);
    if (!psys || !papp)
        return 2;
    run(psys, papp, &plain);
    mm_forget_storage(psys, SYS_BYTES);
    mm_forget_storage(papp, APP_BYTES);

    char *rsys = plat_host_reserve(SYS_BYTES), *rapp = plat_host_reserve(APP_BYTES);
    if (!rsys || !rapp) {
        free(psys);
        free(papp);
        tap_skip("no address space to reserve here");
        tap_done();
        return 0;
    }
    tap_ok(committed(rsys, SYS_BYTES) == 0 && committed(rapp, APP_BYTES) == 0 &&
               committed(psys, SYS_BYTES) == SYS_BYTES / PAGE,
           "a fresh reserve has no page committed; plain storage counts every page");
    run(rsys, rapp, &demand);

    bool same = true;
    for (int i = 0; i < N_FIGURES; i++)
        if (plain.figure[i] != demand.figure[i]) {
            tap_diag("figure %d: fully committed %ld, on demand %ld", i, plain.figure[i], demand.figure[i]);
            same = false;
        }
    tap_ok(same && plain.figure[0] > 0, "FreeMem, MaxBlock, CompactMem, MaxMem, PurgeMem report the same as over "
           "fully committed storage");
    tap_ok(plain.contents_ok && demand.contents_ok && plain.heap_ok && demand.heap_ok,
           "blocks keep their contents and both zones pass the heap check");
    tap_diag("app committed pages: %llu %llu %llu %llu %llu %llu of %d; sys %llu %llu %llu of %d",
             demand.app[0], demand.app[1], demand.app[2], demand.app[3], demand.app[4], demand.app[5],
             APP_BYTES / PAGE, demand.sys[0], demand.sys[1], demand.sys[2], SYS_BYTES / PAGE);
    tap_ok(demand.app[0] <= 8 && demand.sys[0] <= 8,
           "after install only the touched pages are committed (Application %llu, System %llu)", demand.app[0],
           demand.sys[0]);
    tap_ok(demand.app[1] >= demand.app[0] + BIG / PAGE && demand.sys[1] >= demand.sys[0] + SYS_PTR / PAGE,
           "writing a big block commits its pages");
    if (CONFIG_MM_DECOMMIT) {
        tap_ok(demand.app[2] + BIG / PAGE - 4 <= demand.app[1],
               "CompactMem after the big handle went gives its pages back (%llu -> %llu)", demand.app[1],
               demand.app[2]);
        tap_ok(demand.app[3] >= demand.app[2] + AGAIN / PAGE, "...and they come back when the space is used");
        tap_ok(demand.app[5] + AGAIN / PAGE - 4 <= demand.app[4],
               "PurgeMem gives a purged block's pages back (%llu -> %llu)", demand.app[4], demand.app[5]);
        tap_ok(demand.sys[2] + SYS_PTR / PAGE - 4 <= demand.sys[1],
               "the System zone gives pages back the same way (%llu -> %llu)", demand.sys[1], demand.sys[2]);
    } else {
        tap_ok(demand.app[2] >= demand.app[1] && demand.app[5] >= demand.app[4] && demand.sys[2] >= demand.sys[1],
               "MM_DECOMMIT=0: committed pages never drop");
    }
    mm_forget_storage(rsys, SYS_BYTES);
    mm_forget_storage(rapp, APP_BYTES);
    plat_host_unreserve(rsys, SYS_BYTES);
    plat_host_unreserve(rapp, APP_BYTES);
    tap_ok(committed(rapp, APP_BYTES) == APP_BYTES / PAGE, "an unreserved range is no longer tracked");
    free(psys);
    free(papp);
    temp_leaves_promised_pages();
    touch_without_budget_ends_the_run();
    tap_done();
    return tap_failed != 0;
}

#!/usr/bin/env bash
# test-all.sh - everything `make test` checks, in order:
#   1. host unit tests (ASan/UBSan) of the portable layers, the layering
#      check (tools/check-layout.sh), make ab's MM-ready rule on written
#      tables (tools/test-ab-check.sh), docs/PORTING.md's example
#      (tools/test-porting.sh), and the Classic MM's, QuickDraw's and the
#      desktop's tests again in each of the MM's debug modes;
#   2. the kernel built for every backend with GCC and with clang-19;
#   3. the build refusing a bad MM_BACKEND with a one-line error;
#   4. boot tests in QEMU (BIOS and UEFI) and Bochs across backends and RAM sizes,
#      and a QEMU CPU without NX and 1 GiB pages;
#   5. the desktop: PS/2 mouse and keyboard driven through QEMU's monitor reach
#      the Event Manager (BIOS and UEFI), and make screenshot's picture;
#   6. deliberately faulting kernels: the exception is reported, the run fails;
#      memory-protection faults print the exact line naming what was hit (QEMU
#      and Bochs), and kernels built with MM_PROTECT=0 boot past the stray access;
#   7. short runs of every fuzz target, beside
#   8. `git bisect run` finding a planted bad commit.
# Every check appends PASS/FAIL lines to build/test-results.txt; the last line
# printed is "N passed, N failed" over all of them. Exit status 1 on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
mkdir -p build
export RESULTS=$top/build/test-results.txt
: >"$RESULTS"
jobs=${JOBS:-2}
# The valid backends, as config.mk lists them.
read -r -a backends <<<"$(make -s --no-print-directory print-backends)"

record() { echo "$1 $2" >>"$RESULTS"; echo "$1 $2"; }
section() { printf '\n==== %s (at %ds) ====\n' "$1" "$SECONDS"; }

# host_build [make args]: builds the host library and tests with the make
# args (a debug mode gets its own directory) and prints that directory.
host_build() {
    local dir
    dir=$(make -s --no-print-directory "$@" print-host-dir)
    if make -s --no-print-directory -j"$jobs" host "$@" >"$dir.build.log" 2>&1; then
        echo "$dir"
    else
        tail -n 30 "$dir.build.log" >&2
        record FAIL "host build $*" >&2
    fi
}
# host_build_only "PATTERN..." [make args]: host_build of only the test
# programs whose names match a pattern (a debug mode runs a subset).
host_build_only() {
    local dir pat t targets=()
    dir=$(make -s --no-print-directory "${@:2}" print-host-dir)
    for pat in $1; do
        for t in tests/host/$pat.c; do [ -f "$t" ] && targets+=("$dir/tests/$(basename "$t" .c)"); done
    done
    if make -s --no-print-directory -j"$jobs" "${@:2}" "${targets[@]}" >"$dir.build.log" 2>&1; then
        echo "$dir"
    else
        tail -n 30 "$dir.build.log" >&2
        record FAIL "host build ${*:2}" >&2
    fi
}
# host_progs DIR "PATTERN...": the test programs in DIR matching any pattern,
# the longest-running first, so that $jobs at a time finish together.
slow_tests="test_mm_model test_kheap_random test_wm test_mmu test_qd_rgn"
host_progs() {
    local pat t all=()
    for pat in $2; do all+=($(ls "$1"/tests/$pat | grep -v '\.d$')); done
    for t in $slow_tests; do printf '%s\n' "${all[@]}" | grep -x "$1/tests/$t"; done
    printf '%s\n' "${all[@]}" | grep -vxF -f <(printf "$1/tests/%s\n" $slow_tests)
}

section "host unit tests"
dir=$(host_build) && tools/run-host-tests.sh -j "$jobs" $(host_progs "$dir" 'test_*')

section "layout: a layer includes only layers below it; no in-kernel suite in libmm.a"
tools/run-host-tests.sh tools/check-layout.sh || true

section "make ab's MM-ready rule (tools/ab-check.sh) on tables written for it"
tools/run-host-tests.sh tools/test-ab-check.sh || true

section "docs/PORTING.md: the worked example builds and runs as the document says"
tools/run-host-tests.sh tools/test-porting.sh || true

section "Classic MM, QuickDraw, desktop, Resource, Window, Menu, Control and Dialog Manager, TextEdit and the scripted run's host tests in each debug mode (strict misuse policy: the MM's only; heap check, scramble, purge all)"
toolbox_tests='test_qd_* test_desktop test_rsrc test_wm test_menus test_app test_ctl test_te test_dlg'
progs=()
for mode in MM_STRICT MM_HEAPCHECK MM_SCRAMBLE MM_PURGE_ALL; do
    if [ "$mode" = MM_STRICT ]; then pats='test_mm_*'; else pats="test_mm_* $toolbox_tests"; fi
    dir=$(host_build_only "$pats" "$mode=1") && progs+=($(host_progs "$dir" "$pats"))
done
# One run over every mode's programs; each program's one-line count goes,
# what failed and the total stay.
tools/run-host-tests.sh -j "$jobs" "${progs[@]}" | grep -vE '^[^ ]+ +[0-9]+ passed, 0 failed'

section "kernel builds (gcc and clang-19, every backend)"
for cc in gcc clang-19; do
    for b in "${backends[@]}"; do
        if make -s --no-print-directory -j"$jobs" CC=$cc MM_BACKEND=$b iso >build/build-$cc-$b.log 2>&1; then
            record PASS "build $cc $b"
        else
            tail -n 20 build/build-$cc-$b.log
            record FAIL "build $cc $b"
        fi
    done
done

section "bad MM_BACKEND is refused"
out=$(make -s --no-print-directory MM_BACKEND=bogus iso 2>&1)
if [ $? -ne 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
   printf '%s' "$out" | grep -qF "use one of: ${backends[*]}."; then
    record PASS "bad MM_BACKEND gives a one-line error"
else
    printf '%s\n' "$out"
    record FAIL "bad MM_BACKEND gives a one-line error"
fi

# pool COMMAND...: runs it in the background once fewer than $jobs are running
# (one emulator per core). Boots in a pool never build in the same directory
# at once: a kernel several of them share is built before they start.
pool() {
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    "$@" &
}

section "boot tests ($jobs at a time)"
boot() { # emu backend mem [make args...]
    tools/boot.sh --quiet --emu "$1" --backend "$2" --mem "$3" -- "${@:4}" || true
}
boot_machine() { # firmware vga backend mem: QEMU through OVMF, or without a display adapter
    tools/boot.sh --quiet --emu qemu --firmware "$1" --vga "$2" --backend "$3" --mem "$4" --build-dir "$nofill_dir" \
        -- KT_SUITES="$nofill" || true
}
# A CPU without NX and without 1 GiB pages: protection says what is missing and the boot still passes.
boot_cpu() { # cpu-model
    local out log
    # RESULTS is unset: the line below is this boot's one result.
    if out=$(RESULTS= tools/boot.sh --quiet --emu qemu --cpu "$1" --mem 32M --build-dir "$(mem_dir dynamic)" \
                 -- KT_SUITES="$mem_suites" 2>&1) &&
       log=$(mem_dir dynamic)/serial-qemu-cpu-${1//,/_}-32M.log &&
       grep -qxF 'protect: this CPU has no NX bit: data, stacks, heaps and zones stay executable' "$log" &&
       grep -qxF 'protect: this CPU has no 1 GiB pages: the direct map keeps 2 MiB pages' "$log"; then
        record PASS "qemu -cpu $1: the log names the missing NX and 1 GiB pages, the boot passes"
    else
        echo "$out"
        record FAIL "qemu -cpu $1: the log names the missing NX and 1 GiB pages, the boot passes"
    fi
}
# Every suite runs on each backend at its smallest machine, and on dynamic
# (the default) in every variant below; the larger machines and the other
# backends' variants, which change only what the memory layers see, run the
# memory suites alone: the Toolbox suites are about 28 of a QEMU boot's 30
# seconds and do the same work whatever the RAM, firmware or misuse policy.
# Their kernels get a directory of their own, built here before the pool
# starts.
# The Window Manager's fills to memFullErr (suite wm_memfull, hundreds of
# windows: about 40% of a full boot) run on each backend's own boots; the
# variant boots of dynamic below (second compiler, UEFI, no display adapter,
# strict misuse policy, Bochs) run every other suite, from a kernel of their
# own (nofill_dir, built before the pool starts when several share it).
nofill="-wm_memfull"
nofill_dir=build/dynamic-nofill
boot_nofill() { # emu mem
    tools/boot.sh --quiet --emu "$1" --backend dynamic --mem "$2" --build-dir "$nofill_dir" -- KT_SUITES="$nofill" || true
}
mem_suites="boot protect nk_memory MemoryMgr mm_pressure"
mem_dir() { echo "build/$1-memsuites"; }
# seed_dir SRC DST: DST starts as a copy of the build directory SRC, whose
# kernel has the same compiler and flags and differs only in main.c
# (KT_SUITES, FAULT_TEST), so DST's build compiles main.c and links instead
# of compiling every file again. The copied dependency files are made to
# name DST's objects.
seed_dir() {
    [ -d "$1" ] || return 0
    rm -rf "$2" && cp -a "$1" "$2" && find "$2" -name '*.d' -exec sed -i "s|^$1/|$2/|" {} +
}
# seeded_build SRC DST LOG TARGET [make args...]: DST seeded from SRC, then
# TARGET made in it, the output in LOG; a failed build shows LOG's tail and
# returns false (the boots of a kernel that did not build then fail too).
seeded_build() {
    local src=$1 dst=$2 log=$3 target=$4
    shift 4
    seed_dir "$src" "$dst"
    make -s --no-print-directory -j"$jobs" BUILD_DIR="$dst" "$@" "$target" >"$log" 2>&1 && return 0
    tail -n 20 "$log"
    return 1
}
for b in "${backends[@]}"; do
    seeded_build "build/$b" "$(mem_dir $b)" "$(mem_dir $b).make.log" iso MM_BACKEND=$b KT_SUITES="$mem_suites" || true
done
seeded_build build/dynamic "$nofill_dir" "$nofill_dir.make.log" iso MM_BACKEND=dynamic KT_SUITES="$nofill" || true
boot_mem() { # emu backend mem [make args...]: the memory suites alone
    local dir
    dir=$(mem_dir "$2")
    [ $# -gt 3 ] && dir=$dir-${4//[^A-Za-z0-9]/_}
    tools/boot.sh --quiet --emu "$1" --backend "$2" --mem "$3" --build-dir "$dir" -- KT_SUITES="$mem_suites" "${@:4}" || true
}
boot_machine_mem() { # firmware vga backend mem: boot_machine with the memory suites alone
    tools/boot.sh --quiet --emu qemu --firmware "$1" --vga "$2" --backend "$3" --mem "$4" --build-dir "$(mem_dir "$3")" \
        -- KT_SUITES="$mem_suites" || true
}
# The two longest boots start first: every debug mode on the real zones
# (minutes of heap checks) and Bochs, every backend once (its Toolbox suites
# take it minutes). Bochs's larger machines (512M, 2048M) are make ab's cells.
pool boot qemu dynamic 128M MM_HEAPCHECK=1 MM_SCRAMBLE=1 MM_PURGE_ALL=1
pool boot_nofill bochs 32M
for b in "${backends[@]}"; do [ "$b" = dynamic ] || pool boot_mem bochs $b 32M; done
# The 64 GiB guest touches about 14 GiB of host memory with its suites;
# beside the 1 TiB one it exhausted a 23 GiB machine (the OOM killer took
# one), so the two share one slot and run one after the other.
big_boots() { boot_mem qemu dynamic 1T; boot_mem qemu dynamic 64G; }
pool big_boots
for mem in 8M 128M; do pool boot qemu dynamic $mem; done
for mem in 1G 4G; do pool boot_mem qemu dynamic $mem; done
for b in kmalloc static; do pool boot qemu $b 32M; pool boot_mem qemu $b 1G; done
pool boot_mem qemu static 32M NK_EARLY_INIT=n      # the Classic MM before the nanokernel
pool boot qemu dynamic 128M CC=clang-19 KT_SUITES="$nofill"   # the second compiler's kernel boots too
pool boot_machine uefi std dynamic 128M            # UEFI: GOP framebuffer, EFI memory map
for b in kmalloc static; do pool boot_machine_mem uefi std $b 128M; done
pool boot_machine bios none dynamic 128M           # no framebuffer: QuickDraw draws off-screen
pool boot qemu dynamic 128M MM_STRICT=1 KT_SUITES="$nofill"   # the in-kernel suites make no misuse they do not expect
for b in kmalloc static; do pool boot_mem qemu $b 128M MM_STRICT=1; done
pool boot_cpu qemu64,-nx,-pdpe1gb
wait

section "the desktop: PS/2 input through QEMU's monitor, and the screenshot"
# A kernel of its own that runs only the boot and desktop suites before the
# desktop (every suite runs in the boots above), one QEMU at a time.
desktop_dir=build/dynamic-desktop
desktop_iso=$desktop_dir/os-interactive.iso
if seeded_build build/dynamic "$desktop_dir" build/interactive-iso.log "$desktop_iso" MM_BACKEND=dynamic \
        KT_SUITES="boot desktop"; then
    for fw in bios uefi; do
        if tools/ps2-test.sh "$desktop_iso" --firmware $fw; then
            record PASS "PS/2 mouse and keyboard reach the Event Manager ($fw)"
        else
            record FAIL "PS/2 mouse and keyboard reach the Event Manager ($fw)"
        fi
    done
    if tools/screenshot.sh "$desktop_iso" build/screenshot.png; then
        record PASS "make screenshot writes build/screenshot.png"
    else
        record FAIL "make screenshot writes build/screenshot.png"
    fi
else
    record FAIL "interactive ISO builds"
fi

section "deliberate faults are reported, never a silent reset; each stray access faults with the line naming what it hit"
# Two lanes side by side, QEMU's and Bochs's, each with its own build
# directory: the fault kernels of one lane differ in main.c alone, so each
# kernel after the first rebuilds only that.
fault() { # emu kind expected-text
    local dir=build/fault-$1
    # RESULTS is unset: this boot is meant to fail, and only the line below counts.
    out=$(RESULTS= tools/boot.sh --quiet --emu "$1" --mem 32M --build-dir "$dir" -- FAULT_TEST="$2" 2>&1)
    rc=$?
    log=$dir/serial-$1-32M.log
    if [ $rc -eq 1 ] && grep -q "CPU EXCEPTION: $3" "$log" && grep -q 'RIP=0x' "$log" &&
       grep -q '^BOOT VERDICT: FAIL' "$log"; then
        record PASS "fault $2 in $1 reported and failed"
    else
        echo "$out"
        record FAIL "fault $2 in $1 reported and failed"
    fi
}
memfault() { # emu kind exact-diagnostic-line [-E: the line is a regular expression]
    local dir=build/fault-$1 match=${4:--F}
    out=$(RESULTS= tools/boot.sh --quiet --emu "$1" --mem 32M --build-dir "$dir" -- FAULT_TEST="$2" 2>&1)
    rc=$?
    log=$dir/serial-$1-32M.log
    if [ $rc -eq 1 ] && grep -qx "$match" -e "$3" "$log" && grep -q '^BOOT VERDICT: FAIL' "$log"; then
        record PASS "fault $2 in $1: $3"
    else
        echo "$out"; grep -E 'FAULT|VERDICT' "$log" 2>/dev/null | sed 's/^/  /'
        record FAIL "fault $2 in $1: $3"
    fi
}
nofault() { # kind exact-line (a regular expression): built with MM_PROTECT=0 the stray access goes through, the boot passes
    local dir=build/fault-noprotect   # shared like build/fault-qemu: these kernels differ in main.c alone
    # The boot must pass; the suites that follow the access need not all run.
    out=$(RESULTS= tools/boot.sh --quiet --emu qemu --mem 32M --build-dir "$dir" -- FAULT_TEST="$1" MM_PROTECT=0 KT_SUITES="boot protect nk_memory MemoryMgr" 2>&1)
    rc=$?
    log=$dir/serial-qemu-32M.log
    if [ $rc -eq 0 ] && grep -qxE -e "$2" "$log" && grep -q '^protect: MM_PROTECT=0' "$log" &&
       ! grep -q 'FAULT' "$log"; then
        record PASS "fault $1 with MM_PROTECT=0: $2, the boot passes"
    else
        echo "$out"; grep -E '^(fault test|PAGE FAULT|BOOT VERDICT)' "$log" 2>/dev/null | sed 's/^/  /'
        record FAIL "fault $1 with MM_PROTECT=0: $2, the boot passes"
    fi
}
# The stray accesses and the line each must print, in both emulators (Bochs's
# CPU has NX but no 1 GiB pages); each kernel faults before the suites run.
memfaults() { # emu
    memfault "$1" nullhandle "PAGE FAULT: read, not present: the NULL page"
    memfault "$1" appzone "PAGE FAULT: write, not present: the guard page after the Application zone"
    memfault "$1" textwrite "PAGE FAULT: write, protection violation: kernel text '.text'"
    memfault "$1" dataexec "PAGE FAULT: instruction fetch, protection violation: kernel data '.data/.bss'"
    memfault "$1" stackoverflow "DOUBLE FAULT: kernel stack overflow into the guard page below the boot stack"
    memfault "$1" kheapfreed "PAGE FAULT: read, not present: freed memory 'large kernel-heap allocation'"
    memfault "$1" zoneexec "PAGE FAULT: instruction fetch, protection violation: Classic zone 'A', relocatable block 0x[0-9a-f]+ \(16 bytes, handle 0x[0-9a-f]+, locked\), offset 0" -E
    memfault "$1" kheapover "PAGE FAULT: write, not present: the guard page after the large kernel-heap allocation 0x[0-9a-f]+ \(528304 bytes\)" -E
    memfault "$1" tempexec "PAGE FAULT: instruction fetch, protection violation: temporary memory, page run 0x[0-9a-f]+ \(1 page\): temporary handle 0x[0-9a-f]+'s block 0x[0-9a-f]+ \(16 bytes\), offset 0" -E
}
bochs_lane() {
    fault bochs divzero "divide error"
    memfaults bochs
}
for emu in qemu bochs; do seed_dir build/dynamic build/fault-$emu; done
bochs_lane &
fault qemu divzero "divide error"
fault qemu pagefault "page fault"
memfaults qemu
nofault nullhandle 'fault test: \*h of a NULL handle read 0x[0-9a-f]{16} without a fault'
nofault textwrite 'fault test: the write into kernel text went through without a fault'
nofault dataexec 'fault test: code in \.data ran without a fault'
wait

section "fuzz targets (short runs; make fuzz runs longer) and git bisect run finding a broken commit, $jobs at a time"
# The bisect (about a minute of kernel builds and boots on one core) takes
# the first slot; its report is printed once everything here is done.
bisect_lane() {
    # RESULTS is unset: the bad commits it boots fail on purpose.
    if RESULTS= tools/test-bisect.sh; then record PASS "bisect finds the broken commit"; else record FAIL "bisect finds the broken commit"; fi
}
bisect_lane >build/bisect-lane.log 2>&1 &
# Runs per target: 10,000, fewer for the targets whose inputs cost the most
# (fuzz_qd_rgn draws every region it builds: 10,000 runs took it a minute).
fuzz_runs() { case $1 in fuzz_qd_rgn) echo 4000 ;; *) echo 10000 ;; esac; }
# The slowest targets start first, so that the two slots finish together.
fuzz_slow="fuzz_qd_rgn fuzz_mm fuzz_pmm_init fuzz_mm_damage"
fuzz_one() { # target: replays its corpus, then a fixed number of runs from a fixed seed
    local f=$1 name seeds
    name=$(basename "$f") seeds=tests/fuzz/corpus/$(basename "$f")
    # the committed corpus (reproductions of past bugs) replays first
    if [ -d "$seeds" ]; then
        if "$f" "$seeds"/* >"build/$name.replay.log" 2>&1; then
            record PASS "fuzz $name replays its corpus"
        else
            tail -n 30 "build/$name.replay.log"
            record FAIL "fuzz $name corpus replay"
        fi
    fi
    rm -rf "build/fuzz/seed-$name" && mkdir -p "build/fuzz/seed-$name"
    [ -d "$seeds" ] && cp "$seeds"/* "build/fuzz/seed-$name"/
    # A fixed number of runs from a fixed seed, so the outcome is the same on a
    # fast or a slow machine (make fuzz explores for minutes instead); a run
    # that takes longer than 10 s is a hang and fails.
    local runs=${FUZZ_RUNS:-$(fuzz_runs "$name")}
    if "$f" -runs="$runs" -seed=1 -timeout=10 "build/fuzz/seed-$name" >"build/$name.log" 2>&1; then
        record PASS "fuzz $name $runs runs clean"
    else
        tail -n 30 "build/$name.log"
        record FAIL "fuzz $name"
    fi
}
if make -s --no-print-directory -j"$jobs" fuzz-build >build/fuzz-build.log 2>&1; then
    all=$(ls build/fuzz/fuzz_* 2>/dev/null | grep -v '\.d$')
    for f in $(for t in $fuzz_slow; do printf '%s\n' $all | grep -x "build/fuzz/$t"; done
               printf '%s\n' $all | grep -vxF -f <(printf 'build/fuzz/%s\n' $fuzz_slow)); do
        pool fuzz_one "$f"
    done
else
    tail -n 20 build/fuzz-build.log
    record FAIL "fuzz build"
fi
wait
echo "-- git bisect run:"
cat build/bisect-lane.log

passed=$(grep -c '^PASS' "$RESULTS")
failed=$(grep -c '^FAIL' "$RESULTS")
section "summary"
grep '^FAIL' "$RESULTS" | sort | uniq -c | sed 's/^/  /'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

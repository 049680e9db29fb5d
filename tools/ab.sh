#!/usr/bin/env bash
# ab.sh - the A/B boot matrix: every backend x emulator x RAM size.
#
#   tools/ab.sh [--quick] [--report]        (make ab)
#
# Builds the three backends, boots each in QEMU (8M 32M 128M 1G 4G 64G 1T)
# and Bochs (32M 512M 2048M), runs every in-kernel suite, and prints one
# table: verdict, zone sizes, free memory after the tests, cycles from entry
# to "Memory Manager ready", the PMM's free pages at that point, and the
# boot-time Classic MM benchmark, with
# ratios against `static` in the same emulator and RAM size, and the Window
# Manager's figures (cycles per window open+draw+close; windows open at the
# first memFullErr in a 256 KiB Application zone partition); every cell boots
# a second time built with MM_PROTECT=0 (running only the memory suites),
# and the protection column pair gives
# that boot's MM-ready cycles and the on/off ratio (page-table setup and the
# split mappings are inside MM-ready when protection is on). The same table
# goes to build/ab-report.md. Cells impossible by design (static heaps are
# 8 MiB of .bss: no 8 MiB machine can hold them) say so instead of failing;
# kmalloc at 8 MiB must refuse with its FATAL line, and the cell checks that.
# The report ends with tools/ab-check.sh's verdict on the MM-ready rule
# (dynamic at most static in every emulator and RAM size) and make ab exits
# non-zero when a cell breaks it, as it does when any possible cell fails.
# --quick: a smaller matrix. --report: no build and no boot; the table from
# the cells and serial logs the last run left (the same matrix options).
# QEMU counts instructions for its clock here (--icount), so cycles repeat
# run to run; Bochs's clock is instruction-driven already.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
qemu_sizes=(8M 32M 128M 1G 4G 64G 1T)
bochs_sizes=(32M 512M 2048M)
report_only=0
for arg in "$@"; do
    case "$arg" in
        --quick) qemu_sizes=(8M 128M 4G); bochs_sizes=(32M) ;;
        --report) report_only=1 ;;
        *) echo "usage: $0 [--quick] [--report]" >&2; exit 2 ;;
    esac
done
# The valid backends, as config.mk lists them; `static` is the baseline of every ratio.
read -r -a backends <<<"$(make -s --no-print-directory print-backends)"
report=build/ab-report.md
mkdir -p build
failed=0

# The protection-off twin of each cell measures only the memory bring-up
# (MM-ready cycles), so it runs just the two memory suites.
twin_suites="KT_SUITES=nk_memory MemoryMgr"
cells=build/ab-cells
field() { # log key -> value of "AB ... key=value" (first match)
    grep -m1 -oE "^AB .*\b$2=[^ ]+" "$1" 2>/dev/null | grep -oE "\b$2=[^ ]+" | cut -d= -f2
}
human() { # bytes -> short size
    local v=${1:-}
    [ -z "$v" ] && { echo "-"; return; }
    awk -v b="$v" 'BEGIN{ if (b>=1073741824) printf "%.1fG", b/1073741824; else if (b>=1048576) printf "%.1fM", b/1048576; else printf "%.0fK", b/1024 }'
}

ratio() { # value baseline
    [ -n "${1:-}" ] && [ -n "${2:-}" ] && [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}' || echo "-"
}
# The builds, then every cell's boot.
boot_matrix() {
    for b in "${backends[@]}"; do
        for p in 1 0; do
            suites=(); [ $p = 0 ] && suites=("$twin_suites")
            make -s --no-print-directory -j2 MM_BACKEND=$b MM_PROTECT=$p "${suites[@]}" iso >build/ab-build-$b-$p.log 2>&1 ||
                { echo "ab: build of $b (MM_PROTECT=$p) failed:"; tail -n 20 build/ab-build-$b-$p.log; exit 1; }
        done
    done

    # Every cell boots first, AB_JOBS at a time (default 2: one emulator per
    # core; the clocks count instructions, so the figures do not depend on how
    # busy the machine is), longest first; each boot's last line is kept in
    # $cells for the table below. A cell's timeout only catches a hang.
    rm -rf "$cells" && mkdir -p "$cells"
    jobs=${AB_JOBS:-2}
    run_cell() { # emu mem backend protect
        local icount=() extra=()
        [ "$1" = qemu ] && icount=(--icount)
        [ "$4" = 0 ] && extra=(-- MM_PROTECT=0 "$twin_suites")
        local results=${RESULTS:-}
        [ "$3:$2" = kmalloc:8M ] && results=   # its designed refusal is no failure
        RESULTS=$results tools/boot.sh --quiet --timeout 3600 "${icount[@]}" --emu "$1" --mem "$2" --backend "$3" "${extra[@]}" 2>&1 |
            tail -n 1 >"$cells/$1-$2-$3-$4"
    }
    pool() { # command...: start it once fewer than $jobs are running
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
        "$@" &
    }
    # dynamic's protected 1 TiB and 64 GiB cells: the 64 GiB guest touched about
    # 14 GiB of host memory with its suites, and make test's two boots of these
    # sizes side by side exhausted a 23 GiB machine, so here too they share one
    # slot, one after the other.
    big_cells() { run_cell qemu 1T dynamic 1; run_cell qemu 64G dynamic 1; }
    pool big_cells
    for ((i = ${#bochs_sizes[@]} - 1; i >= 0; i--)); do
        for b in "${backends[@]}"; do for p in 1 0; do pool run_cell bochs "${bochs_sizes[$i]}" $b $p; done; done
    done
    for ((i = ${#qemu_sizes[@]} - 1; i >= 0; i--)); do
        mem=${qemu_sizes[$i]}
        for b in "${backends[@]}"; do
            [ $b = static ] && [ "$mem" = 8M ] && continue
            if [ $b = dynamic ] && { [ "$mem" = 1T ] || [ "$mem" = 64G ]; }; then pool run_cell qemu "$mem" $b 0; continue; fi
            # kmalloc at 8 MiB: its designed refusal is checked below, with protection on only.
            if [ $b = kmalloc ] && [ "$mem" = 8M ]; then pool run_cell qemu 8M kmalloc 1; continue; fi
            for p in 1 0; do pool run_cell qemu "$mem" $b $p; done
        done
    done
    wait
}
[ $report_only = 1 ] || boot_matrix
[ -d "$cells" ] || { echo "ab: --report: no cells in $cells (run make ab first)"; exit 2; }

declare -A ready bench unprot wmc wmn
rows=()
for emu in qemu bochs; do
    if [ $emu = qemu ]; then sizes=("${qemu_sizes[@]}"); else sizes=("${bochs_sizes[@]}"); fi
    for mem in "${sizes[@]}"; do
        for b in "${backends[@]}"; do
            key="$emu $mem $b"
            if [ $b = static ] && [ "$mem" = 8M ]; then
                rows+=("| $b | $emu | $mem | n/a: 8 MiB of static heaps cannot fit in 8 MiB of RAM | - | - | - | - | - | - | - | - | - | - | - | - | - | - |")
                continue
            fi
            if [ ! -s "$cells/$emu-$mem-$b-1" ]; then
                # A run stopped early (or --report after one) leaves cells unbooted: said, and a failure.
                rows+=("| $b | $emu | $mem | not run | - | - | - | - | - | - | - | - | - | - | - | - | - | - |")
                echo "ab: $key: not run"; failed=1
                continue
            fi
            dir=$(make -s --no-print-directory MM_BACKEND=$b print-build-dir)
            log=$dir/serial-$emu-$mem.log
            if [ $b = kmalloc ] && [ "$mem" = 8M ]; then
                # 2 + 6 MiB of kmalloc heaps cannot fit either: the cell checks the
                # designed refusal (FATAL line, failure exit), not a pass.
                summary=$(cat "$cells/$emu-$mem-$b-1")
                if grep -q '^FATAL: InitMemoryManager: kmalloc backend' "$log" && [[ "$summary" == *"exit 35"* ]]; then
                    rows+=("| $b | $emu | $mem | n/a: 8 MiB of kmalloc heaps cannot fit; refused with its FATAL line and exit 35 as designed (checked) | - | - | - | - | - | - | - | - | - | - | - | - | - | - |")
                    echo "ab: $key: refused as designed"
                else
                    rows+=("| $b | $emu | $mem | FAIL: expected the FATAL refusal | - | - | - | - | - | - | - | - | - | - | - | - | - | - |")
                    echo "$summary"; echo "ab: $key: FAIL"; failed=1
                fi
                continue
            fi
            summary=$(cat "$cells/$emu-$mem-$b-1")
            if [[ "$summary" == "boot: PASS"* ]]; then verdict=PASS; else verdict="FAIL"; failed=1; echo "$summary"; fi
            ready[$key]=$(field "$log" mm_ready_cycles)
            bench[$key]=$(field "$log" mm_bench_cycles)
            # The same cell with protection off, for the on/off pair.
            udir=$(make -s --no-print-directory MM_BACKEND=$b MM_PROTECT=0 print-build-dir)
            usummary=$(cat "$cells/$emu-$mem-$b-0" 2>/dev/null)
            if [ -z "$usummary" ]; then verdict="$verdict, MM_PROTECT=0 not run"; failed=1
            elif [[ "$usummary" != "boot: PASS"* ]]; then verdict="$verdict, FAIL with MM_PROTECT=0"; failed=1; echo "$usummary"; fi
            unprot[$key]=$(field "$udir/serial-$emu-$mem.log" mm_ready_cycles)
            wmc[$key]=$(field "$log" wm_window_cycles)
            wmn[$key]=$(field "$log" wm_windows_at_memfull)
            part=$(field "$log" wm_partition_kib)
            rows+=("| $b | $emu | $mem | $verdict | $(human "$(field "$log" sys_zone)") | $(human "$(field "$log" app_zone)") | $(human "$(field "$log" free_after)") | ${ready[$key]:--} | @R@$key@ | $(v=$(field "$log" nk_free_pages); echo "${v:--}") | ${bench[$key]:--} | @B@$key@ | ${unprot[$key]:--} | $(ratio "${ready[$key]:-}" "${unprot[$key]:-}") | ${wmc[$key]:--} | @W@$key@ | ${wmn[$key]:--}${part:+ in ${part}K} | @N@$key@ |")
            echo "ab: $key: $verdict"
        done
    done
done

{
    echo "# A/B boot matrix"
    echo
    echo "Generated by \`make ab\` on $(date -u +%Y-%m-%d). Cycles are guest TSC cycles; both emulators drive the"
    echo "guest clock by instructions here (QEMU with -icount), so figures repeat run to run. Compare within one"
    echo "emulator and RAM size. Ratios are against \`static\` in the same row group (below 1.00 is faster than"
    echo "the legacy static arrays). \"nk free pages after boot\" is what the nanokernel's PMM has free at"
    echo "MM-ready (zones committed on demand leave their untouched pages there). \"MM-ready, protection off\" and \"on / off\" are the same cell built with MM_PROTECT=0 (memory suites only): its MM-ready"
    echo "cycles, and protection on / off (above 1.00: what setting up protection costs at boot); then the"
    echo "Window Manager's open+draw+close cycles per window (WindowMgr suite) against static; then the windows"
    echo "open at the first memFullErr in the Application zone, its growth capped by SetApplLimit to the partition"
    echo "shown (256K unless the zone is smaller or cannot be shrunk to it), against static (above 1.00: more windows)."
    echo
    echo "| backend | emulator | RAM | verdict | System zone | App zone | free after tests | MM-ready cycles | vs static | nk free pages after boot | MM bench cycles/op | vs static | MM-ready, protection off | on / off | window open+draw+close cycles | vs static | windows at first memFullErr (App zone partition) | vs static |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for row in "${rows[@]}"; do
        while [[ "$row" =~ @R@([^@]*)@ ]]; do
            k=${BASH_REMATCH[1]}; base="${k% *} static"
            row=${row/"@R@$k@"/$(ratio "${ready[$k]:-}" "${ready[$base]:-}")}
        done
        while [[ "$row" =~ @B@([^@]*)@ ]]; do
            k=${BASH_REMATCH[1]}; base="${k% *} static"
            row=${row/"@B@$k@"/$(ratio "${bench[$k]:-}" "${bench[$base]:-}")}
        done
        while [[ "$row" =~ @W@([^@]*)@ ]]; do
            k=${BASH_REMATCH[1]}; base="${k% *} static"
            row=${row/"@W@$k@"/$(ratio "${wmc[$k]:-}" "${wmc[$base]:-}")}
        done
        while [[ "$row" =~ @N@([^@]*)@ ]]; do
            k=${BASH_REMATCH[1]}; base="${k% *} static"
            row=${row/"@N@$k@"/$(ratio "${wmn[$k]:-}" "${wmn[$base]:-}")}
        done
        echo "$row"
    done
} >"$report"
# The MM-ready rule, judged from the table itself.
check=$(tools/ab-check.sh "$report")
check_rc=$?
{
    echo
    echo "MM-ready of \`dynamic\` at most \`static\` in every emulator and RAM size (tools/ab-check.sh):"
    echo
    echo '```'
    echo "$check"
    echo '```'
} >>"$report"
[ $check_rc = 0 ] || { echo "ab: the MM-ready rule does not hold (see the end of $report)"; failed=1; }
echo
cat "$report"
echo
echo "ab: report written to $report"
exit $failed

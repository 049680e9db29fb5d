#!/usr/bin/env bash
# bench-nk.sh - the nanokernel benchmarks: traces KHEAP-1M-v1 (kernel heap
# vs glibc malloc) and PMM-1M-v1 (plain and 1 TiB 99%-full stress).
#
# Mean instructions per call: one callgrind run per counted wrapper with
# --toggle-collect=<wrapper>; the "totals:" line divided by the trace's
# call count (each wrapper adds one jmp to every call).
# Largest single call: a callgrind run with --collect-atstart=no
# --combine-dumps=yes in which the bench toggles collection around each
# call of the first $PERCALL steps and dumps after it; the largest dump
# total is the largest call (a sample of the first steps, not all 1M).
# For PMM-1M-v1 the largest call is taken over the whole trace instead
# (bench_pmm "top $TOP"): a first pass times every call, a second measures
# the $TOP slowest of them one by one (bench/bench_pmm.c says how).
# ns/op and footprint come from a plain run. Exits non-zero if a trace
# check fails; prints by how much any target is missed.
set -u
cd "$(dirname "$0")/.."
PERCALL=${PERCALL:-20000}
TOP=${TOP:-2000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
make -s bench-build >/dev/null || exit 1
KH=build/bench/bench_kheap PM=build/bench/bench_pmm
fail=0

echo "== plain runs"
$KH || fail=1
$PM || fail=1

mean() { # prog args... -- wrapper calls
    local wrapper=$1 calls=$2; shift 2
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" --toggle-collect="$wrapper" "$@" >/dev/null 2>&1
    awk -v c="$calls" '/^totals:/ { printf "%.1f", $2 / c }' "$out/cg"
}
largest() { # prog args...
    valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes \
        --callgrind-out-file="$out/pc" "$@" percall "$PERCALL" >/dev/null 2>&1
    awk 'BEGIN{m=0} /^totals:/ { if ($2 > m) m = $2 } END { print m }' "$out/pc"
}
largest_top() { # prog args...: over the whole trace
    valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes \
        --callgrind-out-file="$out/pt" "$@" top "$TOP" >/dev/null 2>&1
    awk 'BEGIN{m=0} /^totals:/ { if ($2 > m) m = $2 } END { print m }' "$out/pt"
}
verdict() { # value limit
    awk -v v="$1" -v l="$2" 'BEGIN { if (v <= l) print "ok"; else printf "MISSED by %.1f (%.0f%%)", v - l, (v / l - 1) * 100 }'
}

echo "== callgrind (mean over the whole trace; largest: kheap over the first $PERCALL steps, PMM over the whole trace)"
printf '%-22s %10s %10s %10s  %s\n' "call" "mean Ir" "target" "largest" "verdict"
km=$(mean trace_kmalloc 502027 $KH kheap); kf=$(mean trace_kfree 497973 $KH kheap)
kl=$(largest $KH kheap)
gm=$(mean trace_malloc 502027 $KH glibc); gf=$(mean trace_free 497973 $KH glibc)
gl=$(largest $KH glibc)
printf '%-22s %10s %10s %10s  %s\n' kmalloc "$km" 150 "$kl" "$(verdict "$km" 150); max $(verdict "$kl" 300)"
printf '%-22s %10s %10s %10s  %s\n' kfree "$kf" 100 "(above)" "$(verdict "$kf" 100)"
printf '%-22s %10s %10s %10s  %s\n' "glibc malloc" "$gm" - "$gl" reference
printf '%-22s %10s %10s %10s  %s\n' "glibc free" "$gf" - "(above)" reference
for mode in plain stress; do
    extra=0; [ $mode = stress ] && extra=9999
    pa=$(mean trace_alloc_page 516277 $PM $mode)
    pf=$(mean trace_free_page $((483723 + extra)) $PM $mode)
    pl=$(largest_top $PM $mode)
    printf '%-22s %10s %10s %10s  %s\n' "pmm_alloc_page $mode" "$pa" 40 "$pl" "$(verdict "$pa" 40)"
    printf '%-22s %10s %10s %10s  %s\n' "pmm_free_page $mode" "$pf" 40 "(above)" "$(verdict "$pf" 40)"
done
echo "footprint/live target 1.05: see the kheap plain-run line above"
exit $fail

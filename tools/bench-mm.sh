#!/usr/bin/env bash
# bench-mm.sh - the Classic Memory Manager benchmarks (bench/bench_mm.c).
#
# Handle churn: one callgrind run per live-handle count N with
# --toggle-collect on the noinline wrappers churn_new and churn_dispose
# (each adds one jmp to every call); callgrind_annotate --inclusive=yes
# gives each wrapper's cost, divided by the number of calls (CHURN_STEPS).
# Target: cost at 100,000 live handles <= 1.5 x cost at 100 (a call's cost
# should not depend on the number of live blocks).
# CompactMem: a native run (wall clock, not valgrind): bytes moved per
# second as a fraction of the host memmove's on the same bytes in the same
# run, median of several rounds. Target >= 0.5. Each round also prints the
# "copies-only ratio": memmove's time over the time of CompactMem's copies
# alone (the same runs replayed with nk_memmove, no Memory Manager work),
# how much of the gap to memmove is the scattered copies themselves.
# Large blocks moved by remapping (mm_remap.c): a native run, CompactMem and
# SetHandleSize moving one handle of 64 KiB to 256 MiB, each against a
# memmove of the same bytes in the same run (median of several rounds).
# Target: at 64 MiB and above, at most 1% of memmove's time; smaller sizes
# are printed for the record (a remap has a fixed cost a small copy beats).
# Exits non-zero if a run fails its own checks or a target is missed.
set -u
cd "$(dirname "$0")/.."
STEPS=200000   # CHURN_STEPS in bench/bench_mm.c
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
make -s bench-build >/dev/null || exit 1
B=build/bench/bench_mm
fail=0

verdict_max() { # value limit
    awk -v v="$1" -v l="$2" 'BEGIN { if (v <= l) print "target met"; else printf "MISSED by %.2f\n", v - l }'
}
verdict_min() { # value limit
    awk -v v="$1" -v l="$2" 'BEGIN { if (v >= l) print "target met"; else printf "MISSED by %.2f\n", l - v }'
}
wrapper_ir() { # callgrind-file wrapper -> mean Ir per call
    callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
        awk -v w="$2" -v c="$STEPS" '$0 ~ ("[:*]" w " ") || $0 ~ ("[:*]" w "$") { gsub(",", "", $1); printf "%.1f", $1 / c; exit }'
}

echo "== Classic MM: NewHandle/DisposeHandle churn, sizes 16..1023, one 128 MiB zone (callgrind, mean Ir per call)"
printf '%-10s %12s %14s\n' "live" "NewHandle" "DisposeHandle"
declare -A NEW DIS
for n in 100 1000 4000 100000; do
    if ! valgrind --tool=callgrind --callgrind-out-file="$out/cg.$n" \
        --toggle-collect=churn_new --toggle-collect=churn_dispose $B churn $n >"$out/run.$n" 2>"$out/vg.$n"; then
        echo "bench_mm churn $n failed:"; cat "$out/run.$n"; tail -5 "$out/vg.$n"; fail=1; continue
    fi
    NEW[$n]=$(wrapper_ir "$out/cg.$n" churn_new)
    DIS[$n]=$(wrapper_ir "$out/cg.$n" churn_dispose)
    printf '%-10s %12s %14s\n' "$n" "${NEW[$n]}" "${DIS[$n]}"
done
for f in NEW DIS; do
    declare -n T=$f
    name=NewHandle; [ $f = DIS ] && name=DisposeHandle
    if [ -n "${T[100]:-}" ] && [ -n "${T[100000]:-}" ]; then
        r=$(awk -v a="${T[100000]}" -v b="${T[100]}" 'BEGIN { printf "%.3f", a / b }')
        v=$(verdict_max "$r" 1.5)
        printf '%-44s %8s  (target <= 1.5)  %s\n' "$name cost(100,000)/cost(100)" "$r" "$v"
        case $v in MISSED*) fail=1 ;; esac
    else
        echo "$name: no result"; fail=1
    fi
done

echo "== Classic MM: CompactMem of a fragmented 64 MiB zone vs memmove (native, wall clock)"
if ! $B compact >"$out/compact"; then fail=1; fi
grep -v '^compact_ratio' "$out/compact"
r=$(awk '/^compact_ratio/ { print $2 }' "$out/compact")
if [ -n "$r" ]; then
    v=$(verdict_min "$r" 0.5)
    printf '%-44s %8s  (target >= 0.5)  %s\n' "CompactMem bytes/s / memmove bytes/s" "$r" "$v"
    case $v in MISSED*) fail=1 ;; esac
else
    echo "CompactMem: no result"; fail=1
fi

echo "== Classic MM: large handles moved by remapping vs memmove of the same bytes (native, wall clock)"
if ! $B remap >"$out/remap"; then fail=1; fi
grep -v '^remap_ratio' "$out/remap"
printf '%-12s %12s %14s  %s\n' "size (KiB)" "CompactMem" "SetHandleSize" "(time / memmove's time; target <= 0.01 from 64 MiB)"
while read -r _ bytes c s; do
    if [ "$bytes" -ge $((64 << 20)) ]; then
        vc=$(verdict_max "$c" 0.01); vs=$(verdict_max "$s" 0.01)
        printf '%-12s %12s %14s  %s / %s\n' "$((bytes >> 10))" "$c" "$s" "$vc" "$vs"
        case "$vc $vs" in *MISSED*) fail=1 ;; esac
    else
        printf '%-12s %12s %14s  (no target)\n' "$((bytes >> 10))" "$c" "$s"
    fi
done < <(grep '^remap_ratio' "$out/remap")
grep -q '^remap_ratio' "$out/remap" || { echo "remap: no result"; fail=1; }
exit $fail

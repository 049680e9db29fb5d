#!/usr/bin/env bash
# bench-mm.sh - the Classic Memory Manager benchmarks (bench/bench_mm.c).
#
# Handle churn: one callgrind run per live-handle count N with
# --toggle-collect on the noinline wrappers churn_new and churn_dispose
# (each adds one jmp to every call); callgrind_annotate --inclusive=yes
# gives each wrapper's cost, divided by the number of calls (CHURN_STEPS).
# Targets: at 100 live handles at most 300 / 250 Ir per NewHandle /
# DisposeHandle, and cost at 100,000 live handles <= 1.5 x cost at 100 (a
# call's cost should not depend on the number of live blocks).
# CompactMem: a native run (wall clock, not valgrind): bytes moved per
# second as a fraction of the host memmove's on the same bytes in the same
# run, median of several rounds. Target >= 0.5. Each round also prints the
# "copies-only ratio": memmove's time over the time of CompactMem's copies
# alone (the same runs replayed with nk_memmove, no Memory Manager work),
# how much of the gap to memmove is the scattered copies themselves.
# CLASSIC-MIX-v1 (bench/bench_mm.c): mean Ir per SetHandleSize from a
# --toggle-collect=mix_set_size run (target <= 2,000), and the largest
# single call from a second run that dumps the counters after every
# SetHandleSize of the whole trace (--collect-atstart=no, BENCH_CALL; about
# three minutes under callgrind); the run's checks must pass and its
# checksum must be the trace's (MIX_FNV).
# Bounded calls: MaxBlock, PurgeSpace, MoveHHi of the lowest handle,
# CompactMem(2000) (compaction that stops once the need is met) and
# NewHandle(1088) past N too-small free blocks of its class, one call each
# at N = 1,000, 10,000, 100,000 (inclusive Ir of the noinline wrappers);
# target: the 100,000 figure at most 2x the 1,000 figure. MoveHHi with no
# immovable block above the handle is printed for the record (linear).
# Large blocks moved by remapping (mm_remap.c): a native run, CompactMem and
# SetHandleSize moving one handle of 64 KiB to 256 MiB, each against a
# memmove of the same bytes in the same run (median of several rounds).
# Target: at 64 MiB and above, at most 1% of memmove's time; smaller sizes
# are printed for the record (a remap has a fixed cost a small copy beats).
# Density: a native run (bench_mm density): how many NewHandle / NewPtr of
# 8, 100 and 1,000 bytes a 1 MiB zone holds, and the zone's 1 MiB over that
# count (bytes per block, master pointers and headers included). Targets at
# 8 bytes: at least 26,000 handles (about 40 bytes each) and 32,000 pointers
# (about 32 bytes each); 100 and 1,000 bytes are printed for the record.
# Exits non-zero if a run fails its own checks or a target is missed.
set -u
cd "$(dirname "$0")/.."
STEPS=200000   # CHURN_STEPS in bench/bench_mm.c
MIX_FNV=01f10a6ec8950d7c   # CLASSIC-MIX-v1's checksum: slot, kind and size of every live block at the end
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

echo "== Classic MM: density, blocks a 1 MiB zone holds (native; bytes per block = 1 MiB / count)"
if $B density >"$out/density"; then
    printf '%-8s %6s %8s %10s  %s\n' "call" "bytes" "count" "B/block" "target"
    while read -r _ kind bytes count per; do
        call=NewHandle; [ "$kind" = ptr ] && call=NewPtr
        if [ "$bytes" = 8 ]; then
            want=26000 per_want=40
            [ "$kind" = ptr ] && want=32000 per_want=32
            v=$(verdict_min "$count" $want)
            printf '%-8s %6s %8s %10s  count >= %d (about %d B/block)  %s\n' "$call" "$bytes" "$count" "$per" \
                $want $per_want "$v"
            case $v in MISSED*) fail=1 ;; esac
        else
            printf '%-8s %6s %8s %10s  (no target)\n' "$call" "$bytes" "$count" "$per"
        fi
    done < <(grep '^density ' "$out/density")
else
    echo "bench_mm density failed:"; cat "$out/density"; fail=1
fi

echo "== Classic MM: NewHandle/DisposeHandle churn, sizes 16..1023, one 128 MiB zone (callgrind, mean Ir per call)"
printf '%-10s %12s %14s\n' "live" "NewHandle" "DisposeHandle"
declare -A NEW DIS
churn_cg() { # tag n [asked]: the churn under callgrind into $out/cg.<tag>; false (reported) if it failed
    if ! valgrind --tool=callgrind --callgrind-out-file="$out/cg.$1" \
        --toggle-collect=churn_new --toggle-collect=churn_dispose $B churn "${@:2}" >"$out/run.$1" 2>"$out/vg.$1"; then
        echo "bench_mm churn ${*:2} failed:"; cat "$out/run.$1"; tail -5 "$out/vg.$1"; fail=1
        return 1
    fi
}
for n in 100 1000 4000 100000; do
    churn_cg $n $n || continue
    NEW[$n]=$(wrapper_ir "$out/cg.$n" churn_new)
    DIS[$n]=$(wrapper_ir "$out/cg.$n" churn_dispose)
    printf '%-10s %12s %14s\n' "$n" "${NEW[$n]}" "${DIS[$n]}"
done
for f in NEW DIS; do
    declare -n T=$f
    name=NewHandle; lim=300
    [ $f = DIS ] && name=DisposeHandle && lim=250
    if [ -n "${T[100]:-}" ]; then
        v=$(verdict_max "${T[100]}" $lim)
        printf '%-44s %8s  (target <= %d)  %s\n' "$name mean Ir at 100 live" "${T[100]}" $lim "$v"
        case $v in MISSED*) fail=1 ;; esac
    fi
    if [ -n "${T[100]:-}" ] && [ -n "${T[100000]:-}" ]; then
        r=$(awk -v a="${T[100000]}" -v b="${T[100]}" 'BEGIN { printf "%.3f", a / b }')
        v=$(verdict_max "$r" 1.5)
        printf '%-44s %8s  (target <= 1.5)  %s\n' "$name cost(100,000)/cost(100)" "$r" "$v"
        case $v in MISSED*) fail=1 ;; esac
    else
        echo "$name: no result"; fail=1
    fi
done
# The same churn in a zone whose space map was asked for once (MaxBlock):
# every change then marks its chunk (README: the space map's cost).
for n in 100 100000; do
    churn_cg asked.$n $n asked || continue
    printf '%-44s %8s / %s  (reported: the space map kept)\n' "churn at $n live after one MaxBlock" \
        "$(wrapper_ir "$out/cg.asked.$n" churn_new)" "$(wrapper_ir "$out/cg.asked.$n" churn_dispose)"
done

one_ir() { # callgrind-file wrapper -> inclusive Ir of the wrapper's calls
    callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
        awk -v w="$2" '$0 ~ ("[:*]" w " ") || $0 ~ ("[:*]" w "$") { gsub(",", "", $1); print $1; exit }'
}

echo "== Classic MM: CLASSIC-MIX-v1, 36 MiB zone 88% full, 100,000 live blocks (callgrind, Ir per SetHandleSize)"
if valgrind --tool=callgrind --callgrind-out-file="$out/cg.mix" --toggle-collect=mix_set_size $B mix \
    >"$out/mix" 2>"$out/vg.mix"; then
    grep -v '^mix_' "$out/mix"
    calls=$(awk '/^mix_setsize_calls/ { print $2 }' "$out/mix")
    fnv=$(awk '/^mix_fnv/ { print $2 }' "$out/mix")
    tot=$(awk '/^totals:/ { print $2 }' "$out/cg.mix")
    mean=$(awk -v t="$tot" -v c="$calls" 'BEGIN { printf "%.1f", t / c }')
    v=$(verdict_max "$mean" 2000)
    printf '%-44s %8s  (target <= 2,000)  %s\n' "SetHandleSize mean Ir" "$mean" "$v"
    case $v in MISSED*) fail=1 ;; esac
    if [ "$fnv" != "$MIX_FNV" ]; then echo "CLASSIC-MIX-v1 checksum $fnv, expected $MIX_FNV"; fail=1; fi
else
    echo "bench_mm mix failed:"; cat "$out/mix"; tail -5 "$out/vg.mix"; fail=1
fi
if valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes --callgrind-out-file="$out/pc.mix" $B mix 1 \
    >"$out/mix1" 2>"$out/vg.mix1"; then
    big=$(awk 'BEGIN { m = 0 } /^totals:/ { if ($2 > m) m = $2 } END { print m }' "$out/pc.mix")
    printf '%-44s %8s  (whole trace, every call dumped)\n' "SetHandleSize largest call Ir" "$big"
else
    echo "bench_mm mix 1 failed:"; cat "$out/mix1"; fail=1
fi
rm -f "$out/pc.mix"

echo "== Classic MM: one call at N live handles / N too-small free blocks (callgrind, Ir of the call)"
declare -A CALL
echo "(MaxBlock, PurgeSpace: after a first MaxBlock and four disposals; MaxBlock first: the first call after"
echo " the zone was built; MoveHHi: the lowest unlocked handle, a locked handle within 10 blocks above it;"
echo " MoveHHi open: the lowest handle with nothing locked above it; CompactMem(2000): after pointers took"
echo " every free block of 2,000 bytes)"
printf '%-10s %10s %10s %10s %16s %16s %14s %14s\n' "N" "MaxBlock" "PurgeSpace" "MoveHHi" "NewHandle(1088)" \
    "CompactMem(2000)" "MoveHHi open" "MaxBlock first"
WRAPPERS="maxblock purgespace movehhi newhandle compactmem movehhi_open maxblock_first"
for n in 1000 10000 100000; do
    toggles=""
    for w in $WRAPPERS; do toggles="$toggles --toggle-collect=call_$w"; done
    if ! valgrind --tool=callgrind --callgrind-out-file="$out/cg.calls.$n" $toggles \
        $B calls $n >"$out/calls.$n" 2>"$out/vg.calls.$n"; then
        echo "bench_mm calls $n failed:"; cat "$out/calls.$n"; fail=1; continue
    fi
    for w in $WRAPPERS; do
        CALL[$w.$n]=$(one_ir "$out/cg.calls.$n" call_$w)
    done
    printf '%-10s %10s %10s %10s %16s %16s %14s %14s\n' "$n" "${CALL[maxblock.$n]}" "${CALL[purgespace.$n]}" \
        "${CALL[movehhi.$n]}" "${CALL[newhandle.$n]}" "${CALL[compactmem.$n]}" "${CALL[movehhi_open.$n]}" \
        "${CALL[maxblock_first.$n]}"
done
for w in $WRAPPERS; do
    a=${CALL[$w.100000]:-} b=${CALL[$w.1000]:-}
    if [ -n "$a" ] && [ -n "$b" ]; then
        r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
        # Reported without a target (README): Inside Macintosh's MoveHHi moves
        # every block between the handle and the first immovable block; the
        # first MaxBlock after the zone was built rebuilds every chunk of the
        # space map the build changed.
        case $w in
            movehhi_open) why="linear by its semantics" ;;
            maxblock_first) why="rebuilds what changed, here everything" ;;
            *) why= ;;
        esac
        if [ -n "$why" ]; then
            printf '%-44s %8s  (reported: %s)\n' "$w cost(100,000)/cost(1,000)" "$r" "$why"
            continue
        fi
        v=$(verdict_max "$r" 2)
        printf '%-44s %8s  (target <= 2)  %s\n' "$w cost(100,000)/cost(1,000)" "$r" "$v"
        case $v in MISSED*) fail=1 ;; esac
    else
        echo "$w: no result"; fail=1
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

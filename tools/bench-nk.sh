#!/usr/bin/env bash
# bench-nk.sh - the nanokernel benchmarks: traces KHEAP-1M-v1 and
# KHEAP-SMALL-v1 on the kernel heap (boot configuration: 1 MiB first arena,
# growth from the PMM) and on jemalloc, mimalloc and glibc, each allocator
# in its own process; and PMM-1M-v1 (plain and 1 TiB 99%-full stress).
#
# Mean instructions per call: one callgrind run per counted wrapper with
# --toggle-collect=<wrapper>; the "totals:" line divided by the trace's
# call count (each wrapper adds one jmp to every call).
# Largest kernel-heap call over the whole trace: a native run timestamps
# every call and lists the $SLOW slowest steps and every step that took
# pages from the PMM or gave some back; a callgrind run then counts each
# of those calls alone (collection toggled around it, one dump per call)
# and the largest count is reported, with the largest among the calls
# that moved no PMM pages (the 300-instruction target) beside it. Calls
# outside that list are not counted one by one: the list is the slowest
# calls by the clock, which is how a call of many instructions shows.
# PMM-1M-v1's largest call is taken over the whole trace too (bench_pmm
# "top $TOP"): a first pass times every call, a second measures the $TOP
# slowest of them one by one (bench/bench_pmm.c says how).
# ns/op and footprint come from a plain run. Exits non-zero if a trace
# check fails; prints by how much any target is missed.
set -u
cd "$(dirname "$0")/.."
TOP=${TOP:-2000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
make -s bench-build >/dev/null || exit 1
SLOW=${SLOW:-5000}
KH=build/bench/bench_kheap PM=build/bench/bench_pmm
JE=build/bench/bench_kheap_jemalloc MI=build/bench/bench_kheap_mimalloc
fail=0

prog_of() { # allocator -> program
    case $1 in kheap|glibc) echo $KH ;; jemalloc) echo $JE ;; mimalloc) echo $MI ;; esac
}

mean() { # prog args... -- wrapper calls
    local wrapper=$1 calls=$2; shift 2
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" --toggle-collect="$wrapper" "$@" >/dev/null 2>&1
    awk -v c="$calls" '/^totals:/ { printf "%.1f", $2 / c }' "$out/cg"
}
# Largest call of ALLOC on TRACE: prints "largest largest-without-PMM calls-counted".
largest_whole() { # alloc trace
    local p; p=$(prog_of "$1")
    "$p" "$1" "$2" slow "$SLOW" >"$out/steps" || { echo "- - 0"; return; }
    # the steps that moved PMM pages, to tell growth apart
    if [ "$1" = kheap ]; then
        "$p" "$1" "$2" slow 0 >"$out/grow"
    else
        : >"$out/grow"
    fi
    valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes \
        --callgrind-out-file="$out/pc" "$p" "$1" "$2" steps "$out/steps" >/dev/null 2>&1
    # dumps come in step order: pair the n-th totals line with the n-th step
    awk 'FILENAME == ARGV[1] { grow[$1] = 1; next }
         FILENAME == ARGV[2] { step[++ns] = $1; next }
         /^totals:/ { n++; if ($2 > m) m = $2; if (!(step[n] in grow) && $2 > mq) mq = $2 }
         END { printf "%d %d %d\n", m, mq, n }' "$out/grow" "$out/steps" "$out/pc"
}
largest_top() { # prog args...: over the whole trace
    valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes \
        --callgrind-out-file="$out/pt" "$@" top "$TOP" >/dev/null 2>&1
    awk 'BEGIN{m=0} /^totals:/ { if ($2 > m) m = $2 } END { print m }' "$out/pt"
}
verdict() { # value limit [decimals]
    awk -v v="$1" -v l="$2" -v d="${3:-1}" 'BEGIN { if (v <= l) print "ok"; else printf "MISSED by %.*f (%.0f%%)", d, v - l, (v / l - 1) * 100 }'
}

echo "== plain runs (trace checks, ns/op, footprint = most pages held over peak live bytes)"
declare -A foot
for t in 1m small; do
    for a in kheap jemalloc mimalloc glibc; do
        line=$("$(prog_of $a)" $a $t) || fail=1
        echo "$line"
        foot[$a.$t]=$(echo "$line" | awk '/footprint\/live/ { for (i = 1; i <= NF; i++) if ($i == "footprint/live") print $(i + 1) }')
    done
done

echo "== callgrind: mean instructions per call over the whole trace"
for t in 1m small; do
    if [ $t = 1m ]; then
        name=KHEAP-1M-v1 na=502027 nf=497973 tm=90 tf=60
        tfoot=1.05
    else
        name=KHEAP-SMALL-v1 na=508181 nf=491819 tm=25 tf=28
        tfoot=${foot[glibc.$t]}
    fi
    echo "-- $name"
    printf '%-10s %9s %9s %9s %9s %12s %10s\n' allocator malloc target free target largest footprint
    for a in kheap jemalloc mimalloc glibc; do
        p=$(prog_of $a)
        w=trace_; [ $a = kheap ] && w=trace_k
        m=$(mean ${w}malloc $na "$p" $a $t)
        f=$(mean ${w}free $nf "$p" $a $t)
        read -r l lq cnt <<<"$(largest_whole $a $t)"
        if [ $a = kheap ]; then
            printf '%-10s %9s %9s %9s %9s %12s %10s\n' $a "$m" "<= $tm" "$f" "<= $tf" "$l" "${foot[$a.$t]}"
            echo "           malloc: $(verdict "$m" $tm); free: $(verdict "$f" $tf)"
            echo "           largest call $l (target <= 2000: $(verdict "$l" 2000)); largest call that took no" \
                 "pages from the PMM nor gave any back $lq (target <= 300: $(verdict "$lq" 300)); $cnt calls counted"
            echo "           footprint ${foot[$a.$t]} (target <= $tfoot: $(verdict "${foot[$a.$t]}" "$tfoot" 4))"
        else
            printf '%-10s %9s %9s %9s %9s %12s %10s\n' $a "$m" "" "$f" "" "$l" "${foot[$a.$t]}"
        fi
    done
done

echo "== PMM-1M-v1"
$PM || fail=1
printf '%-22s %10s %10s %10s  %s\n' "call" "mean Ir" "target" "largest" "verdict"
for mode in plain stress; do
    extra=0; [ $mode = stress ] && extra=9999
    pa=$(mean trace_alloc_page 516277 $PM $mode)
    pf=$(mean trace_free_page $((483723 + extra)) $PM $mode)
    pl=$(largest_top $PM $mode)
    printf '%-22s %10s %10s %10s  %s\n' "pmm_alloc_page $mode" "$pa" 40 "$pl" "$(verdict "$pa" 40)"
    printf '%-22s %10s %10s %10s  %s\n' "pmm_free_page $mode" "$pf" 40 "(above)" "$(verdict "$pf" 40)"
done
exit $fail

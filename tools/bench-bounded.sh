#!/usr/bin/env bash
# bench-bounded.sh - calls whose cost must not grow with the heap
# (bench/bench_bounded.c says what each case does): the PMM's run
# allocation with 1k/10k/100k single-page holes below the first fit,
# failing, and on maps of 1k/10k/100k free fragments, and the kernel heap
# giving an arena back with 17/129/1025 arenas.
#
# One callgrind run with --collect-atstart=no --combine-dumps=yes; the
# bench dumps after every measured call under the case's name, so each
# dump is one call's whole cost. Prints per case the number of calls, the
# mean and the largest, and the verdicts: the largest call at the biggest
# size at most 2x the largest at the smallest, and (PMM runs) a mean of at
# most RUN_TARGET instructions ("a few thousand"). "-first" rows are the
# first run call after the fragmenting single-page frees: it re-summarises
# every block those frees marked, so it grows with them (reported, not
# judged). Exits non-zero if a case misplaced a run or a check failed.
set -u
cd "$(dirname "$0")/.."
RUN_TARGET=${RUN_TARGET:-5000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
make -s build/bench/bench_bounded >/dev/null || exit 1
fail=0
build/bench/bench_bounded || fail=1
valgrind --tool=callgrind --collect-atstart=no --combine-dumps=yes \
    --callgrind-out-file="$out/cg" build/bench/bench_bounded >/dev/null 2>&1 || fail=1
awk '/^desc: Trigger:/ { l = ($3 == "Client") ? $5 : "" }
     /^totals:/ && l != "" { n[l]++; s[l] += $2; if ($2 > m[l]) m[l] = $2 }
     END { for (k in n) printf "%s %d %.1f %d\n", k, n[k], s[k] / n[k], m[k] }' "$out/cg" > "$out/t"
get() { # case field(2 calls, 3 mean, 4 largest)
    awk -v c="$1" -v f="$2" '$1 == c { print $f }' "$out/t"
}
verdict() { # value limit
    awk -v v="$1" -v l="$2" 'BEGIN { if (v == "" || l == "") print "no data"; else if (v <= l) print "ok"; else printf "MISSED by %.0f (%.0f%%)", v - l, (v / l - 1) * 100 }'
}
echo "== bounded calls (callgrind, instructions per call, each call measured)"
printf '%-24s %6s %10s %10s  %s\n' case calls mean largest "target / verdict"
for c in holes fail frag; do
    small=$(get "$c-1000" 4)
    for n in 1000 10000 100000; do
        mean=$(get "$c-$n" 3); big=$(get "$c-$n" 4)
        v="mean <= $RUN_TARGET: $(verdict "$mean" "$RUN_TARGET")"
        [ $n = 100000 ] && v="$v; largest <= 2 x $small: $(verdict "$big" $((2 * small)))"
        printf '%-24s %6s %10s %10s  %s\n' "$c-$n" "$(get "$c-$n" 2)" "$mean" "$big" "$v"
    done
    [ $c = fail ] && continue
    for n in 1000 10000 100000; do
        printf '%-24s %6s %10s %10s  %s\n' "$c-$n-first" "$(get "$c-$n-first" 2)" "$(get "$c-$n-first" 3)" \
            "$(get "$c-$n-first" 4)" "reported (re-summarises the blocks single-page frees marked)"
    done
done
small=$(get arena-17 4)
for n in 17 129 1025; do
    v="kfree giving an arena back"
    [ $n = 1025 ] && v="$v; largest <= 2 x $small: $(verdict "$(get arena-$n 4)" $((2 * small)))"
    printf '%-24s %6s %10s %10s  %s\n' "arena-$n" "$(get arena-$n 2)" "$(get arena-$n 3)" "$(get arena-$n 4)" "$v"
done
exit $fail

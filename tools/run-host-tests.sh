#!/usr/bin/env bash
# run-host-tests.sh [-j N] PROG... - runs host test programs that print TAP
# and counts every "ok"/"not ok" line ("ok N # SKIP" counts as skipped, never
# as passed). A program that exits non-zero, or prints fewer results than its
# plan, adds one failure of its own.
# -j N (or HOST_TEST_JOBS) runs N programs at a time; each one's report still
# comes in the order given, once it has finished. The programs share nothing
# but the machine: none writes a file unless told to by its environment.
# Appends "PASS name"/"FAIL name" lines to $RESULTS when set; prints
# "N passed, N failed" at the end and exits non-zero on any failure.
set -u
jobs=${HOST_TEST_JOBS:-1}
if [ "${1:-}" = -j ]; then jobs=$2; shift 2; fi
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Start every program, at most $jobs at once; program i writes $work/i.log
# and, when it ends, its exit status to $work/i.rc.
i=0
for prog in "$@"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    ( "$prog" >"$work/$i.log" 2>&1; echo $? >"$work/$i.rc" ) &
    i=$((i + 1))
done
wait

i=0
for prog in "$@"; do
    name=$(basename "$prog")
    # A debug mode's build (build/host-scramble/tests/...) names its programs after it.
    case $prog in */host-*/tests/*) name=$(basename "$(dirname "$(dirname "$prog")")")/$name ;; esac
    log=$work/$i.log
    rc=$(cat "$work/$i.rc")
    i=$((i + 1))
    s=$(grep -cE '^ok [0-9]+ # SKIP' "$log")
    p=$(( $(grep -cE '^ok [0-9]+' "$log") - s ))
    f=$(grep -cE '^not ok [0-9]+' "$log")
    plan=$(grep -oE '^1\.\.[0-9]+' "$log" | head -n1 | cut -d. -f3)
    grep -E '^not ok|^# |# SKIP' "$log" | head -n 40 | sed "s|^|  [$name] |"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "  [$name] exited with status $rc:"; tail -n 20 "$log" | sed "s|^|  [$name] |"
        f=$((f + 1))
    elif [ -n "$plan" ] && [ "$plan" -ne $((p + f + s)) ]; then
        echo "  [$name] planned $plan results, saw $((p + f + s))"; f=$((f + 1))
    elif [ -z "$plan" ]; then
        echo "  [$name] printed no TAP plan"; f=$((f + 1))
    fi
    printf '%-40s %5d passed, %d failed%s\n' "$name" "$p" "$f" "$([ "$s" -gt 0 ] && echo ", $s skipped")"
    if [ -n "${RESULTS:-}" ]; then
        for _ in $(seq 1 "$p"); do echo "PASS $name"; done >>"$RESULTS"
        for _ in $(seq 1 "$f"); do echo "FAIL $name"; done >>"$RESULTS"
    fi
    passed=$((passed + p)); failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

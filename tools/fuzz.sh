#!/usr/bin/env bash
# fuzz.sh PROG... - `make fuzz`: runs each libFuzzer target for FUZZ_SECONDS
# (default 300) with its corpus kept in build/fuzz/corpus/<name>, so a later
# run starts from what earlier runs found. A crash, leak or sanitizer report
# leaves its input as build/fuzz/crash-<name>-* and makes the exit status 1.
# `make test` runs the same targets for 10 s each; this is the long run.
# -timeout=10: an input that runs longer is a hang and fails the target.
set -u
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
rc=0
for prog in "$@"; do
    name=$(basename "$prog")
    corpus=build/fuzz/corpus/$name
    mkdir -p "$corpus"
    [ -d "tests/fuzz/corpus/$name" ] && cp -n "tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
    log=build/fuzz/$name.log
    echo "fuzz: $name for ${seconds}s (corpus $corpus, log $log)"
    if "$prog" -max_total_time="$seconds" -timeout=10 -artifact_prefix="build/fuzz/crash-$name-" "$corpus" >"$log" 2>&1; then
        # libFuzzer's closing line; its dictionary, printed before it, holds '#' too
        echo "fuzz: $name clean ($(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n1) runs)"
    else
        tail -n 30 "$log"
        echo "fuzz: $name FAILED; reproduce with: $prog build/fuzz/crash-$name-*"
        rc=1
    fi
done
exit $rc

#!/usr/bin/env bash
# bench.sh - `make bench`: every benchmark table, instruction counts from
# valgrind --tool=callgrind (repeatable on a shared, noisy machine).
#   nanokernel (tools/bench-nk.sh): KHEAP-1M-v1 and PMM-1M-v1 traces
#   bounded calls (tools/bench-bounded.sh): PMM runs over fragments, arena release
#   Classic MM (tools/bench-mm.sh): handle churn vs live handles, CompactMem vs memmove
set -u
cd "$(dirname "$0")/.."
rc=0
for b in tools/bench-nk.sh tools/bench-bounded.sh tools/bench-mm.sh; do
    if [ -x "$b" ]; then
        "$b" || rc=1
    else
        echo "bench: $b is missing" >&2
        rc=1
    fi
done
exit $rc

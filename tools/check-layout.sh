#!/usr/bin/env bash
# check-layout.sh [LIBMM] - TAP checks of the layering the README promises:
#   - a layer includes only layers below it: src/lib/ includes neither manager,
#     src/nanokernel/ not the Memory Manager, and no file under src/MemoryMgr/
#     includes a nanokernel header except the zone-storage backends
#     (src/MemoryMgr/backend/), where the two managers meet; the Toolbox
#     (src/Toolbox/) reaches memory only through the Memory Manager: it
#     includes no nanokernel, arch or boot header;
#   - the in-kernel KTAP suites are not in the host library (LIBMM, default
#     build/host/libmm.a, which make host builds first).
set -u
cd "$(dirname "$0")/.."
lib=${1:-build/host/libmm.a}
n=0 bad=0
check() { # ok? description [offending lines]
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; printf '%s\n' "$3" | sed 's/^/# /'; bad=1; fi
}
includes() { # dir pattern [exclude-dir] -> offending "file:line: #include" lines
    grep -rnE "^#[[:space:]]*include[[:space:]]+\"($2)" "$1" --include='*.c' --include='*.h' |
        { if [ -n "${3:-}" ]; then grep -v "^$3/"; else cat; fi; }
}
echo "1..6"
out=$(includes src/lib 'nanokernel/|MemoryMgr/'); check "$([ -z "$out" ]; echo $?)" "src/lib includes neither manager" "$out"
out=$(includes src/nanokernel 'MemoryMgr/'); check "$([ -z "$out" ]; echo $?)" "src/nanokernel does not include the Memory Manager" "$out"
out=$(includes src/MemoryMgr 'nanokernel/|(\.\./)+nanokernel/' src/MemoryMgr/backend)
check "$([ -z "$out" ]; echo $?)" "src/MemoryMgr includes no nanokernel header outside backend/" "$out"
out=$(includes src/Toolbox 'nanokernel/|(\.\./)+nanokernel/|arch/|boot\.h|multiboot2\.h')
check "$([ -z "$out" ]; echo $?)" "src/Toolbox includes no nanokernel, arch or boot header" "$out"
if [ -f "$lib" ]; then
    check 0 "host library $lib exists"
    out=$(nm "$lib" 2>/dev/null | grep -E ' [TtDdRr] [a-z_]*_run_tests$')
    check "$([ -z "$out" ]; echo $?)" "no in-kernel suite (*_run_tests) in $lib" "$out"
else
    check 1 "host library $lib exists" "run make host first"
    check 1 "no in-kernel suite (*_run_tests) in $lib" ""
fi
exit $bad

#!/usr/bin/env bash
# judge-log.sh - decides whether a boot passed, from its serial log.
#
#   tools/judge-log.sh --emu qemu|bochs --rc N --label TEXT [--mem-mib N] [--quiet] LOG
#
# A KTAP "ok N name # SKIP reason" line counts as skipped, never as passed.
# Pass needs all of: a "BOOT VERDICT: PASS" line; no "not ok" KTAP line; no
# CPU exception, PANIC or FATAL line; the usable RAM the kernel reports equal
# to the sum of the available (type 1) memory-map entries it printed; and,
# under QEMU, exit status 33 (isa-debug-exit 0x10). Under Bochs the exit
# status means nothing (always 1) except 124, a timeout.
# Prints "boot: PASS|FAIL <label>: <details>", exits 0 on pass, 1 on fail.
# With RESULTS set, appends one "PASS|FAIL boot <label>" line per KTAP leaf
# test and one for the boot itself.
set -u
emu="" rc="" label="" mem_mib="" quiet=0
while [ $# -gt 1 ]; do
    case "$1" in
        --emu) emu=$2; shift 2 ;; --rc) rc=$2; shift 2 ;; --label) label=$2; shift 2 ;;
        --mem-mib) mem_mib=$2; shift 2 ;; --quiet) quiet=1; shift ;;
        *) break ;;
    esac
done
log=$1
reasons=()

[ -s "$log" ] || reasons+=("no serial output")
grep -q '^BOOT VERDICT: PASS' "$log" 2>/dev/null || reasons+=("no PASS verdict")
grep -qE '^\*\*\* CPU EXCEPTION' "$log" 2>/dev/null && reasons+=("CPU exception: $(grep -m1 -E '^\*\*\* CPU EXCEPTION' "$log" | sed 's/^\*\*\* CPU EXCEPTION: //')")
grep -qE '^(PANIC|FATAL)' "$log" 2>/dev/null && reasons+=("$(grep -m1 -E '^(PANIC|FATAL)' "$log")")
leaf_skip=$(grep -cE '^ +ok [0-9]+ .*# SKIP' "$log" 2>/dev/null)
leaf_ok=$(( $(grep -cE '^ +ok [0-9]+' "$log" 2>/dev/null) - leaf_skip ))
leaf_fail=$(grep -cE '^ +not ok [0-9]+' "$log" 2>/dev/null)
suites=$(grep -cE '^(not )?ok [0-9]+' "$log" 2>/dev/null)
grep -qE '^ *not ok' "$log" 2>/dev/null && reasons+=("$leaf_fail failing KTAP test(s): $(grep -m3 -E '^ *not ok' "$log" | sed 's/^ *//' | tr '\n' ';')")
planned=$(grep -m1 -E '^1\.\.[0-9]+' "$log" 2>/dev/null | cut -d. -f3)
[ -n "$planned" ] && [ "$planned" != "$suites" ] && reasons+=("KTAP plan says $planned suites, saw $suites")

# Usable RAM cross-check: "mb2: mmap 0xBASE-0xEND type 1 ..." lines (END exclusive)
# against "mb2: usable RAM N bytes".
usable=$(grep -m1 -oE 'mb2: usable RAM [0-9]+ bytes' "$log" 2>/dev/null | awk '{print $4}')
if [ -n "$usable" ]; then
    listed=$(grep -E '^mb2: mmap 0x[0-9a-f]+-0x[0-9a-f]+ type 1 ' "$log" |
        python3 -c 'import sys,re
t=0
for l in sys.stdin:
    m=re.search(r"0x([0-9a-f]+)-0x([0-9a-f]+)",l); t+=int(m.group(2),16)-int(m.group(1),16)
print(t)')
    # The kernel trims ranges to whole pages, so allow less than one page per entry.
    entries=$(grep -cE '^mb2: mmap 0x[0-9a-f]+-0x[0-9a-f]+ type 1 ' "$log")
    if [ "$listed" -lt "$usable" ] || [ $((listed - usable)) -ge $((entries * 4096 + 1)) ]; then
        reasons+=("usable RAM $usable != sum of available entries $listed")
    fi
    if [ -n "$mem_mib" ]; then
        mem_b=$((mem_mib * 1024 * 1024))
        if [ "$usable" -gt "$mem_b" ] || [ "$usable" -lt $((mem_b - 32 * 1024 * 1024 > mem_b * 9 / 10 ? mem_b - 32 * 1024 * 1024 : mem_b * 9 / 10)) ]; then
            reasons+=("usable RAM $usable is implausible for ${mem_mib} MiB of guest RAM")
        fi
    fi
else
    reasons+=("no 'mb2: usable RAM' line")
fi

case "$emu:$rc" in
    qemu:33) ;;
    qemu:35) reasons+=("QEMU exit 35 (kernel reported failure)") ;;
    qemu:0) reasons+=("QEMU exit 0: triple fault or reset") ;;
    *:124|*:137) reasons+=("timed out") ;;
    qemu:*) reasons+=("QEMU exit status $rc") ;;
    bochs:*) ;;
esac

if [ -n "${RESULTS:-}" ]; then
    for _ in $(seq 1 "$leaf_ok"); do echo "PASS boot $label"; done >>"$RESULTS"
    for _ in $(seq 1 "$leaf_fail"); do echo "FAIL boot $label"; done >>"$RESULTS"
fi
if [ ${#reasons[@]} -eq 0 ]; then
    echo "boot: PASS $label: $suites suites, $leaf_ok tests$([ "$leaf_skip" -gt 0 ] && echo ", $leaf_skip skipped"), usable RAM $usable bytes"
    [ -n "${RESULTS:-}" ] && echo "PASS boot $label (verdict)" >>"$RESULTS"
    exit 0
fi
msg=$(printf '%s; ' "${reasons[@]}")
echo "boot: FAIL $label: ${msg%; } (log: $log)"
[ -n "${RESULTS:-}" ] && echo "FAIL boot $label (verdict)" >>"$RESULTS"
exit 1

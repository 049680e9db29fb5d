#!/usr/bin/env bash
# test-ab-check.sh - TAP checks of tools/ab-check.sh, the A/B matrix's rule
# that dynamic's "Memory Manager ready" is at most static's in every cell:
# tables written here in make ab's format (the columns in make ab's order,
# plus a reordered one) must pass when dynamic is below or equal to static,
# fail naming the cell when it is above by one cycle, skip the n/a rows, and
# refuse a report without the table. Run by `make test`.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/ab-check-test
rm -rf "$work" && mkdir -p "$work"
n=0 bad=0
check() { # ok? description
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; sed 's/^/# /' "$work/out"; bad=1; fi
}
head="| backend | emulator | RAM | verdict | MM-ready cycles | vs static | nk free pages after boot |
|---|---|---|---|---|---|---|"
table() { # dynamic's qemu 4G figure -> a report
    printf '# A/B boot matrix\n\n%s\n' "$head"
    echo "| static | qemu | 8M | n/a: 8 MiB of static heaps cannot fit in 8 MiB of RAM | - | - | - |"
    echo "| dynamic | qemu | 8M | PASS | 590000 | - | 1000 |"
    echo "| static | qemu | 4G | PASS | 932495 | 1.00 | 1045770 |"
    echo "| kmalloc | qemu | 4G | PASS | 955753 | 1.02 | 1045761 |"
    echo "| dynamic | qemu | 4G | PASS | $1 | - | 1047815 |"
    echo "| static | bochs | 512M | PASS | 674308 | 1.00 | 128312 |"
    echo "| dynamic | bochs | 512M | PASS | 606056 | 0.90 | 130356 |"
}
run() { tools/ab-check.sh "$1" >"$work/out" 2>&1; echo $?; }
cd "$top"

table 860253 >"$work/below.md"
[ "$(run "$work/below.md")" = 0 ] && grep -q 'PASS: .* all 2 cells' "$work/out"
check $? "dynamic below static in both cells: exit 0, two cells compared (the 8M row has no static figure; kmalloc is not bound)"

table 932495 >"$work/equal.md"
[ "$(run "$work/equal.md")" = 0 ] && grep -q '^ab-check: ok dynamic qemu 4G: 932495 vs static 932495' "$work/out"
check $? "dynamic equal to static: allowed"

table 932496 >"$work/above.md"
[ "$(run "$work/above.md")" = 1 ] && grep -q '^ab-check: ABOVE dynamic qemu 4G: 932496 vs static 932495' "$work/out" &&
    grep -q '^ab-check: ok dynamic bochs 512M' "$work/out" && grep -q 'FAIL: .* 1 of 2 cells' "$work/out"
check $? "dynamic one cycle above static at qemu 4G: exit 1, that cell named ABOVE, the other ok"

table 1000000 >"$work/longer.md"
[ "$(run "$work/longer.md")" = 1 ] && grep -q '^ab-check: ABOVE dynamic qemu 4G: 1000000 vs static 932495' "$work/out"
check $? "cycles compared as numbers (1000000 is above 932495, though it sorts below it as text)"

# Columns found by name, not position: the same table with MM-ready first.
awk -F'|' -v OFS='|' '/^\|/ { t = $6; $6 = $2; $2 = t } { print }' "$work/above.md" >"$work/moved.md"
[ "$(run "$work/moved.md")" = 1 ] && grep -q '^ab-check: ABOVE dynamic qemu 4G' "$work/out"
check $? "columns found by their header names (MM-ready moved first)"

AB_NOT_ABOVE="kmalloc dynamic" tools/ab-check.sh "$work/below.md" >"$work/out" 2>&1
[ $? = 1 ] && grep -q '^ab-check: ABOVE kmalloc qemu 4G' "$work/out"
check $? "AB_NOT_ABOVE names the bound backends (kmalloc above static fails when named)"

printf '# A/B boot matrix\n\nno table\n' >"$work/none.md"
[ "$(run "$work/none.md")" = 2 ]
check $? "a report without the table: exit 2"

printf '%s\n| static | qemu | 8M | n/a | - | - | - |\n' "$head" >"$work/nothing.md"
[ "$(run "$work/nothing.md")" = 2 ]
check $? "a table with no cell to compare: exit 2"

echo "1..$n"
exit $bad

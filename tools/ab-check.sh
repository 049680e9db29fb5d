#!/usr/bin/env bash
# ab-check.sh - the A/B matrix's MM-ready rule: in every emulator and RAM
# size where both have a figure, "Memory Manager ready" of each backend named
# in AB_NOT_ABOVE (default: dynamic) takes at most the cycles of `static`.
#
#   tools/ab-check.sh REPORT.md
#
# Reads the Markdown table make ab writes (build/ab-report.md), finding the
# columns by their header names (backend, emulator, RAM, MM-ready cycles), so
# it judges what the table says. Prints one line per compared cell,
# "ab-check: ok|ABOVE <backend> <emulator> <RAM>: <cycles> vs static <cycles>",
# then a summary line. Exit 0 when every compared cell holds the rule, 1 when
# any is above static, 2 when the report has no such table or no cell to compare.
set -u
report=${1:-}
[ -r "$report" ] || { echo "usage: $0 REPORT.md (readable)" >&2; exit 2; }
awk -v bound="${AB_NOT_ABOVE:-dynamic}" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
BEGIN { nb = split(bound, names, " "); for (i = 1; i <= nb; i++) checked[names[i]] = 1 }
/^\|/ {
    n = split($0, f, "|")
    if (!header) {
        for (i = 2; i < n; i++) col[trim(f[i])] = i
        if (!("backend" in col) || !("emulator" in col) || !("RAM" in col) || !("MM-ready cycles" in col)) {
            print "ab-check: the table has no backend, emulator, RAM or MM-ready cycles column"; exit 2
        }
        header = 1; next
    }
    if (trim(f[col["backend"]]) ~ /^-+$/) next   # the separator row
    b = trim(f[col["backend"]]); cell = trim(f[col["emulator"]]) " " trim(f[col["RAM"]])
    v = trim(f[col["MM-ready cycles"]])
    if (v !~ /^[0-9]+$/) next
    if (b == "static") base[cell] = v
    else if (b in checked) { order[++rows] = cell; who[rows] = b; val[rows] = v }
}
END {
    if (!header) { print "ab-check: no A/B table in the report"; exit 2 }
    bad = 0; compared = 0
    for (r = 1; r <= rows; r++) {
        c = order[r]
        if (!(c in base)) continue
        compared++
        above = val[r] + 0 > base[c] + 0
        printf "ab-check: %s %s %s: %s vs static %s (%.3f)\n", above ? "ABOVE" : "ok", who[r], c, val[r], base[c], val[r] / base[c]
        bad += above
    }
    if (compared == 0) { print "ab-check: no cell has MM-ready figures for static and " bound; exit 2 }
    if (bad) { printf "ab-check: FAIL: MM-ready of %s above static in %d of %d cells\n", bound, bad, compared; exit 1 }
    printf "ab-check: PASS: MM-ready of %s at or below static in all %d cells compared\n", bound, compared
}' "$report"

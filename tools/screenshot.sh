#!/usr/bin/env bash
# screenshot.sh - boot the interactive ISO in QEMU with a framebuffer (std
# VGA, no window), wait until the kernel says on serial that the desktop is
# drawn and the verdict is in, pull the File menu down with the PS/2 mouse
# (moved and pressed through QEMU's monitor), save the screen through QEMU's monitor
# (screendump to PPM: QEMU 7.2's PNG output swaps red and blue) and convert
# it with netpbm's pnmtopng.
#
#   tools/screenshot.sh ISO OUT.png [--firmware bios|uefi]
#
# Exit 0 when the picture was written and the boot passed; 1 otherwise.
set -u
cd "$(dirname "$0")/.."
. tools/qemu-desktop.sh
iso=$1 out=$2 firmware=bios
[ "${3:-}" = --firmware ] && firmware=${4:-bios}
[ -f "$iso" ] || { echo "screenshot: no ISO $iso" >&2; exit 1; }
dir=$(dirname "$out")
mkdir -p "$dir"
log=$dir/screenshot-serial.log ppm=${out%.png}.ppm sock=$dir/screenshot-monitor.sock
rm -f "$log" "$ppm" "$out" "$sock"
qemu_desktop_start "$iso" "$firmware" "$log" "$sock"

monitor() { tools/qemu-monitor.py "$sock" "$@"; }

deadline=$((SECONDS + ${SCREENSHOT_TIMEOUT:-180}))
while ! grep -q '^BOOT VERDICT' "$log" 2>/dev/null; do
    if ! kill -0 $qemu 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "screenshot: FAIL: no verdict on serial (log: $log)"
        exit 1
    fi
    sleep 1
done
if ! grep -q '^desktop: drawn' "$log"; then
    echo "screenshot: FAIL: the kernel never said 'desktop: drawn' (log: $log)"
    exit 1
fi
while ! grep -q '^windows: drawn' "$log" 2>/dev/null; do    # the interactive desktop's windows
    if ! kill -0 $qemu 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "screenshot: FAIL: the kernel never said 'windows: drawn' (log: $log)"
        exit 1
    fi
    sleep 1
done
# The File menu pulled down by the PS/2 mouse: from where the boot script left the
# arrow to the File title (relative moves of at most 100), the button held, down to New.
rest=$(grep -m1 -oE '^desktop: drawn, [0-9]+x[0-9]+, cursor at \([0-9]+,[0-9]+\)' "$log" | grep -oE '\([0-9]+,[0-9]+\)' | tr -d '()')
h=${rest%,*} v=${rest#*,}
moves=()
while [ "$h" -ne 60 ] || [ "$v" -ne 9 ]; do
    dh=$((60 - h)) dv=$((9 - v))
    [ $dh -gt 100 ] && dh=100; [ $dh -lt -100 ] && dh=-100
    [ $dv -gt 100 ] && dv=100; [ $dv -lt -100 ] && dv=-100
    moves+=("mouse_move $dh $dv" "sleep 0.1")
    h=$((h + dh)) v=$((v + dv))
done
monitor "${moves[@]}" "sleep 0.5" "mouse_button 1" "sleep 0.5" "mouse_move 0 19" "sleep 1.5" >/dev/null ||
    { echo "screenshot: FAIL: QEMU monitor did not answer"; exit 1; }
monitor "screendump $ppm" || { echo "screenshot: FAIL: QEMU monitor did not answer"; exit 1; }
monitor "mouse_move 0 300" "sleep 0.3" "mouse_button 0" >/dev/null 2>&1    # released off the menu: nothing chosen
pnmtopng "$ppm" >"$out" 2>"$dir/screenshot-pnmtopng.log" || { echo "screenshot: FAIL: pnmtopng"; exit 1; }
monitor quit >/dev/null 2>&1
echo "screenshot: $out ($(grep -m1 '^desktop: drawn' "$log"))"
grep -q '^BOOT VERDICT: PASS' "$log" || { echo "screenshot: the boot did not pass (log: $log)"; exit 1; }

#!/usr/bin/env bash
# screenshot.sh - boot the interactive ISO in QEMU with a framebuffer (std
# VGA, no window), wait until the kernel says on serial that the desktop is
# drawn and the verdict is in, save the screen through QEMU's monitor
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
sleep 1    # the frame the last cursor move drew reaches QEMU's display
monitor "screendump $ppm" || { echo "screenshot: FAIL: QEMU monitor did not answer"; exit 1; }
pnmtopng "$ppm" >"$out" 2>"$dir/screenshot-pnmtopng.log" || { echo "screenshot: FAIL: pnmtopng"; exit 1; }
monitor quit >/dev/null 2>&1
echo "screenshot: $out ($(grep -m1 '^desktop: drawn' "$log"))"
grep -q '^BOOT VERDICT: PASS' "$log" || { echo "screenshot: the boot did not pass (log: $log)"; exit 1; }

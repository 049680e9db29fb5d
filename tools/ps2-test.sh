#!/usr/bin/env bash
# ps2-test.sh - the PS/2 path end to end, without a person: boot the
# interactive ISO headless, and once the desktop is up move QEMU's PS/2
# mouse, click and type through the QEMU monitor; the kernel must log the
# click where the mouse went and each key with its character, key code and
# modifiers (a shifted letter, a control character, an 0xE0-prefixed arrow
# and keypad key), and the arrow must be drawn where the mouse went.
#
#   tools/ps2-test.sh ISO [--firmware bios|uefi]
# Prints "ps2-test: PASS|FAIL ..."; exit 0 on pass.
set -u
cd "$(dirname "$0")/.."
. tools/qemu-desktop.sh
iso=$1 firmware=bios
[ "${2:-}" = --firmware ] && firmware=${3:-bios}
dir=$(dirname "$iso")
log=$dir/ps2-test-$firmware-serial.log sock=$dir/ps2-test-$firmware-monitor.sock ppm=$dir/ps2-test-$firmware.ppm
rm -f "$log" "$sock" "$ppm"
qemu_desktop_start "$iso" "$firmware" "$log" "$sock"
fail() { echo "ps2-test: FAIL $firmware: $* (log: $log)"; exit 1; }

deadline=$((SECONDS + ${PS2_TEST_TIMEOUT:-180}))
until grep -q '^desktop: interactive' "$log" 2>/dev/null; do
    kill -0 $qemu 2>/dev/null && [ $SECONDS -lt $deadline ] || fail "the desktop never went interactive"
    sleep 1
done
rest=$(grep -m1 -oE '^desktop: drawn, [0-9]+x[0-9]+, cursor at \([0-9]+,[0-9]+\)' "$log" | grep -oE '\([0-9]+,[0-9]+\)' | tr -d '()')
[ -n "$rest" ] || fail "no 'desktop: drawn' line"
h=$(( ${rest%,*} + 50 )) v=$(( ${rest#*,} + 30 ))
tools/qemu-monitor.py "$sock" "mouse_move 50 30" "sleep 0.5" "mouse_button 1" "sleep 0.3" "mouse_button 0" \
    "sleep 0.3" "sendkey shift-a" "sleep 0.3" "sendkey ctrl-c" "sleep 0.3" "sendkey up" "sleep 0.3" \
    "sendkey kp_enter" "sleep 0.5" "screendump $ppm" || fail "QEMU monitor did not answer"
for i in $(seq 20); do [ "$(grep -c '^event: keyDown' "$log")" -ge 4 ] && break; sleep 0.5; done
grep -q "^event: mouseDown at ($h,$v)" "$log" || fail "no mouseDown at ($h,$v): $(grep -m3 '^event' "$log" | tr '\n' ';')"
grep -q "^event: mouseUp at ($h,$v)" "$log" || fail "no mouseUp at ($h,$v)"
grep -q '^event: keyDown char 0x41 key code 0x00, modifiers 0x0280' "$log" || fail "no keyDown 'A' (shift-a, key code 0)"
grep -q '^event: keyDown char 0x03 key code 0x08, modifiers 0x1080' "$log" || fail "no keyDown control-c (char 3, key code 8)"
grep -q '^event: keyDown char 0x1e key code 0x7e, modifiers 0x0080' "$log" || fail "no keyDown up arrow (0xE0-prefixed scan code)"
grep -q '^event: keyDown char 0x03 key code 0x4c, modifiers 0x0080' "$log" || fail "no keyDown keypad enter"
# The arrow's tip (hot spot) is black where the mouse went: read that pixel of the PPM.
tip=$(pnmcut -left "$h" -top "$v" -width 1 -height 1 "$ppm" 2>/dev/null | pnmnoraw 2>/dev/null | tail -n 1 | tr -s ' ' | sed 's/^ //; s/ $//')
[ "$tip" = "0 0 0" ] || fail "the pixel at the mouse ($h,$v) is '$tip', not the arrow's black tip"
echo "ps2-test: PASS $firmware: PS/2 mouse moved the arrow to ($h,$v), clicked there; shift-a, control-c, up arrow, keypad enter arrived"

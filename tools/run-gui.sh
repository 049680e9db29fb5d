#!/usr/bin/env bash
# run-gui.sh - boot the interactive ISO in a QEMU window (GTK, or SDL when
# GTK is not built in): the desktop with the arrow, moved by the PS/2 mouse.
# Click into the window to give it the mouse; Ctrl+Alt+G lets go. The serial
# console (boot log, then every mouse click and key) prints here. Close the
# window to end.
#
#   tools/run-gui.sh ISO [--firmware bios|uefi]
set -u
iso=$1 firmware=bios
[ "${2:-}" = --firmware ] && firmware=${3:-bios}
[ -f "$iso" ] || { echo "run-gui: no ISO $iso" >&2; exit 1; }
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "run-gui: no display (DISPLAY is not set); use make screenshot for a picture" >&2
    exit 1
fi
# GTK at 1:1 (no zoom, so the pixels are the framebuffer's), else SDL.
display_opts=gtk,zoom-to-fit=off
"${QEMU:-qemu-system-x86_64}" -display help 2>/dev/null | grep -qx gtk || display_opts=sdl
fw=()
[ "$firmware" = uefi ] && fw=(-bios "${OVMF:-/usr/share/ovmf/OVMF.fd}")
exec "${QEMU:-qemu-system-x86_64}" -accel tcg -cpu qemu64 -m 128M "${fw[@]}" -vga std -display "$display_opts" \
    -serial stdio -monitor none -no-reboot -net none -cdrom "$iso" -boot d

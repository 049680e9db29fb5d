# qemu-desktop.sh - sourced by the scripts that drive the interactive
# desktop in QEMU (ps2-test.sh, screenshot.sh): one way to start it.
#
#   qemu_desktop_start ISO FIRMWARE SERIAL_LOG MONITOR_SOCKET
#
# Boots ISO (bios or uefi through OVMF) headless with the standard VGA
# framebuffer, the serial port into SERIAL_LOG and the monitor on a Unix
# socket; sets $qemu to its pid and a trap that stops it on exit.
qemu_desktop_start() {
    local iso=$1 firmware=$2 log=$3 sock=$4 fw=()
    [ "$firmware" = uefi ] && fw=(-bios "${OVMF:-/usr/share/ovmf/OVMF.fd}")
    "${QEMU:-qemu-system-x86_64}" -accel tcg -cpu qemu64 -m 128M "${fw[@]}" -vga std -display none \
        -serial "file:$log" -monitor "unix:$sock,server=on,wait=off" -no-reboot -net none \
        -cdrom "$iso" -boot d </dev/null >"$log.emu" 2>&1 &
    qemu=$!
    trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null; rm -f "'"$sock"'"' EXIT
}

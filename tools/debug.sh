#!/usr/bin/env bash
# debug.sh BUILD_DIR - start QEMU halted with a GDB stub on localhost:1234 and
# write BUILD_DIR/gdbinit, which loads the kernel's symbols, connects and
# stops at kmain (a hardware breakpoint: the first instructions run in
# 32-bit mode, before the 64-bit code is reached). In another terminal:
#     gdb -x BUILD_DIR/gdbinit
set -eu
dir=${1:?usage: tools/debug.sh BUILD_DIR}
mem=${MEM:-128M}
cat >"$dir/gdbinit" <<GDB
set architecture i386:x86-64
file $dir/kernel.elf
target remote localhost:1234
hbreak kmain
continue
GDB
echo "debug: QEMU is halted, waiting for gdb on localhost:1234"
echo "debug: in another terminal run: gdb -x $dir/gdbinit"
exec "${QEMU:-qemu-system-x86_64}" -accel tcg -cpu qemu64 -m "$mem" -display none -serial stdio \
    -monitor none -no-reboot -net none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -cdrom "$dir/os.iso" -boot d -s -S

#!/usr/bin/env bash
# boot.sh - build (if needed), boot the kernel in an emulator, keep the serial
# log, and judge it.
#
#   tools/boot.sh --emu qemu|bochs --mem SIZE [--backend B] [--build-dir DIR]
#                 [--firmware bios|uefi] [--vga std|none] [--cpu MODEL]
#                 [--timeout SECS] [--log FILE] [--quiet] [--icount] [-- extra make args]
#
# --firmware uefi (QEMU): boot the same ISO through OVMF instead of the BIOS;
# GRUB then gets its framebuffer from GOP. --vga none (QEMU): no display
# adapter, so GRUB passes no framebuffer and the kernel draws off-screen.
# --icount (QEMU): the guest clock counts instructions (-icount shift=0), so
# TSC figures are repeatable instead of following the busy host's clock.
# --cpu MODEL (QEMU): the -cpu value, qemu64 by default; e.g. qemu64,-nx or
# qemu64,+pdpe1gb boots a CPU without NX or with 1 GiB pages. The log's name
# then carries it ("-cpu-qemu64_-nx").
# SIZE is like 8M, 128M, 4G, 1T. Exit 0 = pass, 1 = fail, 2 = usage/build error.
# Pass needs: the "BOOT VERDICT: PASS" line, every KTAP result "ok", the
# usable RAM the kernel printed equal to the sum of the available map entries
# it printed, and (QEMU) exit status 33 from isa-debug-exit.
# Prints one summary line: "boot: PASS qemu dynamic 128M: 3 suites, 57 tests".
set -u
emu=qemu mem=128M backend=${MM_BACKEND:-dynamic} build_dir="" timeout_s="" log="" quiet=0 icount=()
firmware=bios vga=std cpu=""
make_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --emu) emu=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --backend) backend=$2; shift 2 ;;
        --build-dir) build_dir=$2; shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --quiet) quiet=1; shift ;;
        --icount) icount=(-icount shift=0,sleep=off); shift ;;
        --firmware) firmware=$2; shift 2 ;;
        --vga) vga=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        --) shift; make_args=("$@"); break ;;
        *) echo "usage: $0 --emu qemu|bochs --mem SIZE [--backend B] [--build-dir DIR] [--firmware bios|uefi] [--vga std|none] [--cpu MODEL] [--timeout S] [--log F] [--quiet] [--icount] [-- make args]" >&2; exit 2 ;;
    esac
done
case "$firmware:$vga" in
    bios:std|bios:none|uefi:std|uefi:none) ;;
    *) echo "boot: bad --firmware '$firmware' or --vga '$vga' (bios|uefi, std|none)" >&2; exit 2 ;;
esac
[ "$emu" = qemu ] || [ "$firmware:$vga:$cpu" = bios:std: ] || { echo "boot: --firmware, --vga and --cpu are for QEMU" >&2; exit 2; }
# Logs of the non-default machines carry the difference in their names.
variant=""
[ "$firmware" = uefi ] && variant+=-uefi
[ "$vga" = none ] && variant+=-novga
[ -n "$cpu" ] && variant+=-cpu-${cpu//,/_}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Size in MiB.
num=${mem%[MmGgTt]}; unit=${mem: -1}
case "$unit" in
    M|m) mib=$num ;; G|g) mib=$((num * 1024)) ;; T|t) mib=$((num * 1024 * 1024)) ;;
    *) echo "boot: bad --mem '$mem' (use e.g. 8M, 1G, 1T)" >&2; exit 2 ;;
esac

if [ -z "$build_dir" ]; then
    build_dir=$(make -s --no-print-directory MM_BACKEND="$backend" "${make_args[@]}" print-build-dir) || exit 2
fi
# The build log sits beside the build directory, so that directory's parent
# must exist before make runs (a fresh clone has no build/ yet).
mkdir -p "$build_dir" || exit 2
# Built on every core: `make run` in a fresh clone builds the whole kernel first.
if ! make -s --no-print-directory -j"$(nproc)" MM_BACKEND="$backend" BUILD_DIR="$build_dir" "${make_args[@]}" iso >"$build_dir.make.log" 2>&1; then
    cat "$build_dir.make.log" >&2
    echo "boot: FAIL $emu $backend $mem: build failed"
    exit 2
fi
iso=$build_dir/os.iso
[ -n "$log" ] || log=$build_dir/serial-$emu$variant-$mem.log
rm -f "$log"

if [ "$emu" = qemu ]; then
    [ -n "$timeout_s" ] || timeout_s=600   # a hang, not a slow busy machine: a 64 GiB boot with every suite can pass 300 s on 2 busy cores
    mem_args=(-m "$mem")
    if [ "$mib" -ge $((64 * 1024)) ]; then
        mem_args=(-m "$mem" -object "memory-backend-ram,id=ram0,size=$mem,reserve=off" -machine memory-backend=ram0)
    fi
    cpu_args=(-cpu "${cpu:-qemu64}")
    [ "$mib" -ge $((1024 * 1024)) ] && cpu_args=(-cpu "${cpu:-qemu64},phys-bits=48")
    fw_args=()
    if [ "$firmware" = uefi ]; then
        ovmf=${OVMF:-/usr/share/ovmf/OVMF.fd}
        [ -r "$ovmf" ] || { echo "boot: FAIL $emu $backend $mem: no UEFI firmware at $ovmf (install ovmf)"; exit 2; }
        fw_args=(-bios "$ovmf")
    fi
    # The serial console goes to the terminal as it happens (unless --quiet) and to the log.
    timeout -k 5 "$timeout_s" "${QEMU:-qemu-system-x86_64}" -accel tcg "${icount[@]}" "${cpu_args[@]}" "${mem_args[@]}" \
        "${fw_args[@]}" -vga "$vga" -display none -serial stdio -monitor none -no-reboot -net none \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom "$iso" -boot d </dev/null 2>"$log.emu" |
        tr -d '\r' | if [ $quiet = 1 ]; then cat >"$log"; else tee "$log"; fi
    rc=${PIPESTATUS[0]}
elif [ "$emu" = bochs ]; then
    # A 32 MiB boot runs the fifteen suites in about 3 minutes on an idle machine;
    # the timeout only catches a hang, so it leaves room for a busy one and 2 GiB.
    [ -n "$timeout_s" ] || timeout_s=900
    rc_file=$build_dir/bochs-$mem.rc   # per size: two boots of one kernel may run at once
    conf=$build_dir/bochsrc-$mem.txt
    echo c >"$rc_file"
    guest_megs=$mib host_megs=$mib
    [ "$mib" -gt 2048 ] && host_megs=2048
    cat >"$conf" <<CONF
megs: $guest_megs
memory: guest=$guest_megs, host=$host_megs
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
vga: extension=vbe
cpu: model=corei7_sandy_bridge_2600k, reset_on_triple_fault=0, ips=200000000
clock: sync=none, time0=local
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$log
display_library: sdl2
sound: driver=dummy
speaker: enabled=0
panic: action=fatal
error: action=report
log: $build_dir/bochs-$mem.out
CONF
    sed -i '/^megs:/d' "$conf"
    SDL_VIDEODRIVER=dummy timeout -k 5 "$timeout_s" "${BOCHS:-bochs}" -q -f "$conf" -rc "$rc_file" </dev/null >"$log.emu" 2>&1
    rc=$?
    [ -f "$log" ] && sed -i 's/\r$//' "$log"
    # The serial log need not end in a newline; the summary line must start on its own.
    [ $quiet = 1 ] || { cat "$log" 2>/dev/null; [ -z "$(tail -c 1 "$log" 2>/dev/null)" ] || echo; }
else
    echo "boot: unknown emulator '$emu'" >&2; exit 2
fi

exec tools/judge-log.sh --emu "$emu" --rc "$rc" --label "$emu$variant $backend $mem" --mem-mib "$mib" $([ $quiet = 1 ] && echo --quiet) "$log"

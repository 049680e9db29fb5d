#!/usr/bin/env bash
# bisect-boot.sh - one boot as a `git bisect run` verdict.
#
#   git bisect run tools/bisect-boot.sh [--backend B] [--emu qemu|bochs] [--mem SIZE]
#
# Exit 0 good (the boot passed), 1 bad (it failed), 125 skip (this commit does
# not build, or predates the harness). Builds into a throw-away directory so
# the objects of different commits never mix. Works on old commits because
# it only needs each commit's Makefile to build an ISO and a kernel that
# prints "BOOT VERDICT"; the judging is done by this copy of the script's
# logic, which is kept self-contained for that reason.
set -u
backend=dynamic emu=qemu mem=128M
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) backend=$2; shift 2 ;;
        --emu) emu=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        *) echo "usage: $0 [--backend B] [--emu qemu|bochs] [--mem SIZE]" >&2; exit 125 ;;
    esac
done
top=$(git rev-parse --show-toplevel) || exit 125
cd "$top"
commit=$(git rev-parse --short HEAD)
dir=build/bisect/$commit-$backend
mkdir -p build/bisect

if ! make -s --no-print-directory -j2 MM_BACKEND="$backend" BUILD_DIR="$dir" iso >"$dir.log" 2>&1; then
    echo "bisect-boot: $commit does not build (skip)"
    exit 125
fi
[ -x tools/boot.sh ] || { echo "bisect-boot: $commit has no tools/boot.sh (skip)"; exit 125; }
if tools/boot.sh --quiet --emu "$emu" --mem "$mem" --backend "$backend" --build-dir "$dir"; then
    echo "bisect-boot: $commit good"
    exit 0
fi
echo "bisect-boot: $commit bad"
exit 1

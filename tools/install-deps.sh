#!/usr/bin/env bash
# install-deps.sh - installs what the build, the tests and the emulators need
# on Debian 12, only what is missing. Idempotent; needs root (or sudo) only
# when something is actually missing.
set -euo pipefail

packages=(
    build-essential binutils make git python3 valgrind
    qemu-system-x86 bochs bochsbios vgabios bochs-sdl
    grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf netpbm
    clang-19 libclang-rt-19-dev
    libjemalloc-dev libmimalloc-dev
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
echo "install-deps: done"

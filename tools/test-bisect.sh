#!/usr/bin/env bash
# test-bisect.sh - proves that `git bisect run tools/bisect-boot.sh` finds a
# deliberately broken commit: clones this repository's HEAD into a scratch
# directory, adds three commits on a scratch branch (harmless, one that
# breaks the kmalloc backend's Application heap request, harmless), bisects
# between the clean HEAD and the tip, and checks that the commit reported as
# first bad is the broken one. Exit 0 on success. Run by `make test`.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/bisect-test
rm -rf "$work" && mkdir -p "$work"
git clone -q "$top" "$work/repo" || exit 1
cp "$top/tools/bisect-boot.sh" "$work/bisect-boot.sh"
cd "$work/repo"
git config user.name "bisect test" && git config user.email "bisect@test.invalid"
git switch -q -c scratch
good=$(git rev-parse HEAD)

echo "scratch 1" >>docs/MIGRATION.md && git commit -qam "scratch: harmless doc change"
sed -i 's/kmalloc(MM_LEGACY_APP_HEAP_BYTES + KMALLOC_SLACK)/kmalloc((size_t)1 << 50)/' src/MemoryMgr/backend/kmalloc.c
git diff --quiet && { echo "test-bisect: could not plant the bug"; exit 1; }
git commit -qam "scratch: break the kmalloc backend (asks for 1 PiB)"
broken=$(git rev-parse HEAD)
echo "scratch 3" >>docs/MIGRATION.md && git commit -qam "scratch: another harmless doc change"

git bisect start HEAD "$good" >/dev/null
git bisect run "$work/bisect-boot.sh" --backend kmalloc --emu qemu --mem 32M >"$work/bisect.log" 2>&1
found=$(grep -oE '^[0-9a-f]{40} is the first bad commit' "$work/bisect.log" | cut -d' ' -f1)
git bisect reset >/dev/null 2>&1
if [ "$found" = "$broken" ]; then
    echo "test-bisect: git bisect run found the broken commit ${broken:0:12}"
    exit 0
fi
echo "test-bisect: expected ${broken:0:12}, bisect said '${found:-nothing}'"
tail -n 20 "$work/bisect.log"
exit 1

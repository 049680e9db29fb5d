# Makefile - builds the kernel for one MM_BACKEND, the host library, the
# host tests, and drives the emulator harness. Knobs live in config.mk.
#
#   make                      kernel ISO for MM_BACKEND (default dynamic)
#   make run                  build, boot in QEMU, exit with the verdict
#   make test                 everything CI checks (installs what is missing)
#   make host                 build/host/libmm.a and the host tests
#   make bench                benchmarks (callgrind instruction counts)
#   make boot-qemu MEM=1G     one boot through tools/boot.sh (also boot-bochs)
#   make ab                   the A/B boot matrix (tools/ab.sh)
#   make debug                QEMU halted with a GDB stub, see tools/debug.sh
#   make compile-db           compile_commands.json for editors
#   make boot-qemu FIRMWARE=uefi   the same ISO through OVMF
#   make screenshot           boot with the framebuffer, save the desktop as build/screenshot.png
#   make run-gui              QEMU in a window: the desktop, the PS/2 mouse moves the cursor

include config.mk

# Every backend config.mk lists has its file; scripts ask `make print-backends`.
BACKEND_DIR := src/MemoryMgr/backend
$(foreach b,$(MM_BACKENDS),$(if $(wildcard $(BACKEND_DIR)/$(b).c),,$(error MM_BACKENDS lists '$(b)' but $(BACKEND_DIR)/$(b).c does not exist)))
ifeq ($(filter $(MM_BACKEND),$(MM_BACKENDS)),)
$(error MM_BACKEND='$(MM_BACKEND)' is not valid; use one of: $(MM_BACKENDS))
endif
ifeq ($(filter $(NK_EARLY_INIT),y n),)
$(error NK_EARLY_INIT='$(NK_EARLY_INIT)' is not valid; use y or n)
endif
FAULT_TESTS := none divzero pagefault ud nullhandle appzone textwrite dataexec stackoverflow kheapfreed zoneexec kheapover tempexec
ifeq ($(filter $(FAULT_TEST),$(FAULT_TESTS)),)
$(error FAULT_TEST='$(FAULT_TEST)' is not valid; use one of: $(FAULT_TESTS))
endif
$(foreach v,MM_STRICT MM_HEAPCHECK MM_SCRAMBLE MM_PURGE_ALL MM_PROTECT,$(if $(filter 0 1,$($(v))),,$(error $(v)='$($(v))' is not valid; use 0 or 1)))
ifneq ($(filter kmalloc dynamic,$(MM_BACKEND)),)
ifneq ($(NK_EARLY_INIT),y)
$(error MM_BACKEND=$(MM_BACKEND) needs NK_EARLY_INIT=y: the zones come from the nanokernel)
endif
endif

IS_CLANG := $(if $(findstring clang,$(CC)),1,)
CSTD     := $(if $(IS_CLANG),-std=c23,-std=c2x)
# Memory Manager debug modes change the code, so they get their own directories too.
DBG_SUFFIX := $(if $(filter 1,$(MM_STRICT)),-strict,)$(if $(filter 1,$(MM_HEAPCHECK)),-heapcheck,)$(if $(filter 1,$(MM_SCRAMBLE)),-scramble,)$(if $(filter 1,$(MM_PURGE_ALL)),-purgeall,)$(if $(filter 0,$(MM_DECOMMIT)),-nodecommit,)
BUILD_DIR ?= build/$(MM_BACKEND)$(if $(IS_CLANG),-clang,)$(if $(filter-out none,$(FAULT_TEST)),-fault-$(FAULT_TEST),)$(if $(filter n,$(NK_EARLY_INIT)),-late,)$(if $(filter 0,$(MM_PROTECT)),-noprotect,)$(DBG_SUFFIX)
B := $(BUILD_DIR)

# ---- configuration that reaches C ------------------------------------------
# CONFIG_DEFS: read only by the kernel's own files (main.c, boot.c).
# COMMON_DEFS: read by the portable layers, so the kernel and every host
# build (tests, benchmarks, fuzzers) get the same values.
fault_id_none := 0
fault_id_divzero := 1
fault_id_pagefault := 2
fault_id_ud := 3
fault_id_nullhandle := 4
fault_id_appzone := 5
fault_id_textwrite := 6
fault_id_dataexec := 7
fault_id_stackoverflow := 8
fault_id_kheapfreed := 9
fault_id_zoneexec := 10
fault_id_kheapover := 11
fault_id_tempexec := 12
CONFIG_DEFS := -DCONFIG_MM_BACKEND_NAME='"$(MM_BACKEND)"' \
	-DCONFIG_NK_EARLY_INIT=$(if $(filter y,$(NK_EARLY_INIT)),1,0) \
	-DCONFIG_MM_PROTECT=$(MM_PROTECT)
# FAULT_DEFS: main.c alone, so kernels that differ only in FAULT_TEST or
# KT_SUITES can share one build directory (make test's fault kernels) and
# rebuild just main.c.
FAULT_DEFS := -DCONFIG_FAULT_TEST=$(fault_id_$(FAULT_TEST)) -DCONFIG_KT_SUITES='"$(strip $(KT_SUITES))"'
COMMON_DEFS := -DCONFIG_KHEAP_LARGE_THRESHOLD=$(KHEAP_LARGE_THRESHOLD)ull \
	-DCONFIG_KHEAP_GROW_MIN=$(KHEAP_GROW_MIN)ull -DCONFIG_KHEAP_FIRST_ARENA=$(KHEAP_FIRST_ARENA)ull \
	-DCONFIG_DYN_SYS_DIV=$(DYN_SYS_DIV)ull -DCONFIG_DYN_APP_DIV=$(DYN_APP_DIV)ull \
	-DCONFIG_DYN_SYS_MIN=$(DYN_SYS_MIN)ull -DCONFIG_DYN_APP_MIN=$(DYN_APP_MIN)ull \
	-DCONFIG_DYN_SYS_MAX=$(DYN_SYS_MAX)ull -DCONFIG_DYN_APP_MAX=$(DYN_APP_MAX)ull \
	-DCONFIG_MM_STRICT=$(MM_STRICT) -DCONFIG_MM_HEAPCHECK=$(MM_HEAPCHECK) -DCONFIG_MM_SCRAMBLE=$(MM_SCRAMBLE) \
	-DCONFIG_MM_PURGE_ALL=$(MM_PURGE_ALL) -DCONFIG_MM_DECOMMIT=$(MM_DECOMMIT) -DCONFIG_MM_REMAP_MIN=$(MM_REMAP_MIN)ull
WARN := -Wall -Wextra -Werror

# ---- sources ----------------------------------------------------------------
# Portable layers compile unchanged for the kernel and the host. Each build
# adds exactly one zone-storage backend ($(BACKEND_DIR)/<name>.c) and one
# platform (src/platform/<name>.c): the kernel its MM_BACKEND and x86_64,
# the host builds host and host.
# The page-table layer is pure table manipulation: it builds for the host too.
ARCH_PORTABLE_SRCS := src/arch/x86_64/mmu.c
PORTABLE_SRCS := $(sort $(wildcard src/lib/*.c src/nanokernel/*.c src/MemoryMgr/*.c src/Toolbox/*/*.c)) \
	$(BACKEND_DIR)/zone_sizing.c src/multiboot2.c $(ARCH_PORTABLE_SRCS)
# The in-kernel KTAP suites (tests/kernel/) go into the kernel image and into
# the host tests that run them, never into the host library.
KTEST_SRCS  := $(sort $(wildcard tests/kernel/*.c))
KERNEL_SRCS := $(PORTABLE_SRCS) $(BACKEND_DIR)/$(MM_BACKEND).c src/platform/x86_64.c \
	$(filter-out $(ARCH_PORTABLE_SRCS),$(sort $(wildcard src/arch/x86_64/*.c src/arch/x86_64/*.S))) src/boot.c src/main.c $(KTEST_SRCS)
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(KERNEL_SRCS))

KERNEL_CFLAGS := $(CSTD) $(OPT) -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	-mcmodel=small -fno-strict-aliasing -fno-asynchronous-unwind-tables $(if $(IS_CLANG),,-fno-tree-loop-distribute-patterns) $(WARN) -Iinclude -Itests/kernel $(CONFIG_DEFS) $(COMMON_DEFS) -MMD -MP
ifeq ($(IS_CLANG),1)
KERNEL_CFLAGS += --target=x86_64-unknown-none-elf
endif
KERNEL_LDFLAGS := -nostdlib -static $(if $(IS_CLANG),,-no-pie) -Wl,-T,src/arch/x86_64/linker.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments

.PHONY: screenshot run-gui fuzz-build bench-build all kernel iso run test host host-tests bench fuzz deps clean boot-qemu boot-bochs ab debug print-build-dir print-host-dir print-backends compile-db
all: iso

kernel: $(B)/kernel.elf
iso: $(B)/os.iso

# Rebuild everything in a build directory when its flags change.
$(B)/flags.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(KERNEL_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(KERNEL_CFLAGS)' > $@
FORCE:
$(B)/fault.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(FAULT_DEFS)' | cmp -s - $@ || echo '$(FAULT_DEFS)' > $@

$(B)/src/main.c.o: src/main.c $(B)/flags.stamp $(B)/fault.stamp
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) $(FAULT_DEFS) -c $< -o $@

$(B)/%.c.o: %.c $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/%.S.o: %.S $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/kernel.elf: $(KERNEL_OBJS) src/arch/x86_64/linker.ld
	$(CC) $(KERNEL_CFLAGS) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(if $(IS_CLANG),,-lgcc)

# The Rez-subset compiler (tools/rez/) and the System file's resource fork,
# which GRUB loads as the boot module "System" (tools/grub.cfg).
REZ_SRCS := tools/rez/rez.c tools/rez/rez_core.c
$(B)/tools/rez: $(REZ_SRCS) tools/rez/rez.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c2x -O1 -g $(WARN) -Itools/rez $(REZ_SRCS) -o $@

$(B)/System.rsrc: src/Toolbox/resources/System.r $(B)/tools/rez
	$(B)/tools/rez -o $@ $<

# The ISOs carry the kernel without its debug sections: GRUB loads every
# section of the ELF file, and with DWARF the kernel is five times larger,
# close to what GRUB can load into an 8 MiB machine. build/<backend>/kernel.elf
# keeps them for gdb (tools/debug.sh).
$(B)/os.iso: $(B)/kernel.elf $(B)/System.rsrc tools/grub.cfg
	@rm -rf $(B)/isodir && mkdir -p $(B)/isodir/boot/grub
	strip --strip-debug -o $(B)/isodir/boot/kernel.elf $(B)/kernel.elf
	cp $(B)/System.rsrc $(B)/isodir/boot/System.rsrc
	cp tools/grub.cfg $(B)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/isodir 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

# The same kernel with "interactive" on its command line: after the verdict
# the desktop stays up (make screenshot, make run-gui).
$(B)/os-interactive.iso: $(B)/kernel.elf $(B)/System.rsrc tools/grub.cfg
	@rm -rf $(B)/isodir-interactive && mkdir -p $(B)/isodir-interactive/boot/grub
	strip --strip-debug -o $(B)/isodir-interactive/boot/kernel.elf $(B)/kernel.elf
	cp $(B)/System.rsrc $(B)/isodir-interactive/boot/System.rsrc
	sed 's|^\( *multiboot2 /boot/kernel.elf\)$$|\1 interactive|' tools/grub.cfg >$(B)/isodir-interactive/boot/grub/grub.cfg
	grep -q 'kernel.elf interactive$$' $(B)/isodir-interactive/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/isodir-interactive 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

-include $(KERNEL_OBJS:.o=.d)

# ---- host library and tests ---------------------------------------------------
# The host library, tests, benchmarks and fuzzers share one set of sources
# and one set of -D flags (HOST_DEFS); only optimisation and sanitizers differ.
HOST_DEFS   := $(COMMON_DEFS)
HOST_SRCS   := $(PORTABLE_SRCS) $(BACKEND_DIR)/host.c src/platform/host.c
HOST_B      := build/host$(DBG_SUFFIX)
HOST_CFLAGS := -std=c2x -O1 -g $(WARN) -Iinclude -Itests/host $(HOST_DEFS) \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP
HOST_OBJS   := $(patsubst %,$(HOST_B)/%.o,$(HOST_SRCS))
HOST_TESTS  := $(patsubst tests/host/%.c,$(HOST_B)/tests/%,$(wildcard tests/host/test_*.c))
# The suites a host test can run: boot_tests.c, protect_tests.c and the suite
# table need the kernel's boot state, so they stay kernel-only.
KTEST_HOST_SRCS := $(filter-out tests/kernel/boot_tests.c tests/kernel/protect_tests.c tests/kernel/kernel_suites.c,$(KTEST_SRCS))
KTEST_HOST_OBJS := $(patsubst tests/kernel/%.c,$(HOST_B)/ktests/%.o,$(KTEST_HOST_SRCS))

# The System 7-style client must also compile warning-free with clang.
HOST_CLANG_CHECKS := $(HOST_B)/clang-check/test_mm_sys7.ok

host: $(HOST_B)/libmm.a $(HOST_B)/libktests.a $(HOST_TESTS) $(HOST_CLANG_CHECKS)

$(HOST_B)/clang-check/%.ok: tests/host/%.c $(HOST_B)/libmm.a
	@mkdir -p $(dir $@)
	$(FUZZCC) -std=c23 -fsyntax-only $(WARN) -Iinclude -Itests/host $<
	@touch $@

$(HOST_B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_B)/libmm.a: $(HOST_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(HOST_B)/ktests/%.o: tests/kernel/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/kernel -c $< -o $@

$(HOST_B)/libktests.a: $(KTEST_HOST_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(HOST_B)/tests/%: tests/host/%.c $(HOST_B)/libktests.a $(HOST_B)/libmm.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/kernel $< -o $@ $(HOST_B)/libktests.a $(HOST_B)/libmm.a

# The resource, window, menu, control, dialog and application tests compile System.r themselves with the Rez compiler's core.
$(HOST_B)/tests/test_rsrc $(HOST_B)/tests/test_wm $(HOST_B)/tests/test_menus $(HOST_B)/tests/test_app $(HOST_B)/tests/test_ctl $(HOST_B)/tests/test_dlg: $(HOST_B)/tests/%: tests/host/%.c tools/rez/rez_core.c tools/rez/rez.h $(HOST_B)/libktests.a $(HOST_B)/libmm.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/kernel -Itools/rez -DSYSTEM_R_PATH='"$(abspath src/Toolbox/resources/System.r)"' \
		$< tools/rez/rez_core.c -o $@ $(HOST_B)/libktests.a $(HOST_B)/libmm.a

-include $(HOST_OBJS:.o=.d) $(KTEST_HOST_OBJS:.o=.d) $(HOST_TESTS:=.d)

host-tests: host
	tools/run-host-tests.sh $(HOST_TESTS)

# Benchmarks: the same sources, optimised and without sanitizers, so the
# instruction counts are the allocator's own. bench/bench_*.c -> build/bench/.
BENCH_B      := build/bench
# -fno-pie like the kernel: globals are addressed as the kernel addresses them.
BENCH_CFLAGS := -std=c2x -O2 -g -fno-pie $(WARN) -Iinclude -Ibench $(HOST_DEFS) -MMD -MP
BENCH_LDFLAGS := -no-pie
BENCH_OBJS   := $(patsubst %,$(BENCH_B)/%.o,$(HOST_SRCS))
BENCH_PROGS  := $(patsubst bench/%.c,$(BENCH_B)/%,$(wildcard bench/bench_*.c))

# The library's objects, like the kernel's, use no vector registers.
$(BENCH_B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -mgeneral-regs-only -c $< -o $@

$(BENCH_B)/libmm.a: $(BENCH_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BENCH_B)/%: bench/%.c $(BENCH_B)/libmm.a
	$(HOSTCC) $(BENCH_CFLAGS) $(BENCH_LDFLAGS) $< -o $@ $(BENCH_B)/libmm.a

# The reference allocators: bench_kheap.c again, each linked against one
# library (Debian's libjemalloc-dev, libmimalloc-dev) and run in its own process.
$(BENCH_B)/bench_kheap_jemalloc: bench/bench_kheap.c $(BENCH_B)/libmm.a
	$(HOSTCC) $(BENCH_CFLAGS) $(BENCH_LDFLAGS) -DBENCH_REF_JEMALLOC $< -o $@ $(BENCH_B)/libmm.a -ljemalloc
$(BENCH_B)/bench_kheap_mimalloc: bench/bench_kheap.c $(BENCH_B)/libmm.a
	$(HOSTCC) $(BENCH_CFLAGS) $(BENCH_LDFLAGS) -DBENCH_REF_MIMALLOC $< -o $@ $(BENCH_B)/libmm.a -lmimalloc

bench-build: $(BENCH_PROGS) $(BENCH_B)/bench_kheap_jemalloc $(BENCH_B)/bench_kheap_mimalloc
-include $(BENCH_OBJS:.o=.d)

# Fuzz targets: tests/fuzz/fuzz_*.c with clang-19's libFuzzer, ASan and UBSan.
FUZZ_B      := build/fuzz
FUZZ_COMMON := -std=c23 -O1 -g $(WARN) -Wno-unused-command-line-argument -Iinclude -Itests/host $(HOST_DEFS) \
	-fno-sanitize-recover=all -DCONFIG_MM_SMAP_SHIFT=10 -DCONFIG_MM_SMAP_CHUNKS_MIN=4 -DCONFIG_MM_SMAP_VERIFY=1
FUZZ_CFLAGS := $(FUZZ_COMMON) -fsanitize=fuzzer,address,undefined
FUZZ_PROGS  := $(patsubst tests/fuzz/%.c,$(FUZZ_B)/%,$(wildcard tests/fuzz/fuzz_*.c))
# The library is compiled once, instrumented for coverage but without
# libFuzzer's main (fuzzer-no-link), and every target links against it.
FUZZ_LIB_CFLAGS := $(FUZZ_COMMON) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP
FUZZ_OBJS   := $(patsubst %,$(FUZZ_B)/lib/%.o,$(HOST_SRCS))

$(FUZZ_B)/lib/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_LIB_CFLAGS) -c $< -o $@

$(FUZZ_B)/libmm.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_PROGS): $(FUZZ_B)/%: tests/fuzz/%.c $(FUZZ_B)/libmm.a $(wildcard tests/host/*.h)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) $< $(FUZZ_B)/libmm.a -o $@
-include $(FUZZ_OBJS:.o=.d)

fuzz-build: $(FUZZ_PROGS)

fuzz: deps $(FUZZ_PROGS)
	tools/fuzz.sh $(FUZZ_PROGS)

# ---- the commands a newcomer runs ----------------------------------------------
deps:
	tools/install-deps.sh

run: deps
	tools/boot.sh --emu qemu --mem $(or $(MEM),128M) --backend $(MM_BACKEND)

test: deps
	tools/test-all.sh

boot-qemu:
	tools/boot.sh --emu qemu --mem $(or $(MEM),128M) --backend $(MM_BACKEND) --firmware $(FIRMWARE)

boot-bochs:
	tools/boot.sh --emu bochs --mem $(or $(MEM),32M) --backend $(MM_BACKEND)

ab: deps
	tools/ab.sh

debug: iso
	tools/debug.sh $(B)

screenshot: deps $(B)/os-interactive.iso
	tools/screenshot.sh $(B)/os-interactive.iso build/screenshot.png

run-gui: deps $(B)/os-interactive.iso
	tools/run-gui.sh $(B)/os-interactive.iso

bench:
	tools/bench.sh

clean:
	rm -rf build compile_commands.json

# compile_commands.json for editors and clangd, written by make itself: every
# C and assembly file once, with the flags of the build it belongs to (the
# kernel's for the portable layers and every kernel backend, the host's for
# the host glue and host tests, the benchmark's and fuzzer's for theirs).
comma := ,
json_esc = $(subst ",\",$(subst \,\\,$(1)))
cdb_entry = {"directory": "$(call json_esc,$(CURDIR))", "file": "$(1)", "command": "$(call json_esc,$(filter-out -MMD -MP,$(2)) -c $(1))"}$(comma)
CDB_KERNEL := $(sort $(KERNEL_SRCS) $(filter-out $(BACKEND_DIR)/host.c,$(wildcard $(BACKEND_DIR)/*.c)))
CDB_HOST   := $(BACKEND_DIR)/host.c src/platform/host.c $(sort $(wildcard tests/host/*.c))

compile-db:
	$(file >compile_commands.json.tmp)
	$(foreach f,$(CDB_KERNEL),$(file >>compile_commands.json.tmp,$(call cdb_entry,$(f),$(CC) $(KERNEL_CFLAGS))))
	$(foreach f,$(CDB_HOST),$(file >>compile_commands.json.tmp,$(call cdb_entry,$(f),$(HOSTCC) $(HOST_CFLAGS) -Itests/kernel)))
	$(foreach f,$(sort $(wildcard bench/*.c)),$(file >>compile_commands.json.tmp,$(call cdb_entry,$(f),$(HOSTCC) $(BENCH_CFLAGS))))
	$(foreach f,$(sort $(wildcard tests/fuzz/*.c)),$(file >>compile_commands.json.tmp,$(call cdb_entry,$(f),$(FUZZCC) $(FUZZ_CFLAGS))))
	@{ echo '['; sed '$$ s/,$$//' compile_commands.json.tmp; echo ']'; } >compile_commands.json
	@rm -f compile_commands.json.tmp
	@echo "compile-db: compile_commands.json ($$(grep -c '"file"' compile_commands.json) files)"

print-build-dir:
	@echo $(B)

print-host-dir:
	@echo $(HOST_B)

print-backends:
	@echo $(MM_BACKENDS)

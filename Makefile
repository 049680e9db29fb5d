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

include config.mk

ifeq ($(filter $(MM_BACKEND),$(MM_BACKENDS)),)
$(error MM_BACKEND='$(MM_BACKEND)' is not valid; use one of: $(MM_BACKENDS))
endif
ifeq ($(filter $(NK_EARLY_INIT),y n),)
$(error NK_EARLY_INIT='$(NK_EARLY_INIT)' is not valid; use y or n)
endif
ifeq ($(filter $(FAULT_TEST),none divzero pagefault ud),)
$(error FAULT_TEST='$(FAULT_TEST)' is not valid; use one of: none divzero pagefault ud)
endif
$(foreach v,MM_STRICT MM_HEAPCHECK MM_SCRAMBLE MM_PURGE_ALL,$(if $(filter 0 1,$($(v))),,$(error $(v)='$($(v))' is not valid; use 0 or 1)))
ifneq ($(filter kmalloc dynamic,$(MM_BACKEND)),)
ifneq ($(NK_EARLY_INIT),y)
$(error MM_BACKEND=$(MM_BACKEND) needs NK_EARLY_INIT=y: the zones come from the nanokernel)
endif
endif

IS_CLANG := $(if $(findstring clang,$(CC)),1,)
CSTD     := $(if $(IS_CLANG),-std=c23,-std=c2x)
# Memory Manager debug modes change the code, so they get their own directories too.
DBG_SUFFIX := $(if $(filter 1,$(MM_STRICT)),-strict,)$(if $(filter 1,$(MM_HEAPCHECK)),-heapcheck,)$(if $(filter 1,$(MM_SCRAMBLE)),-scramble,)$(if $(filter 1,$(MM_PURGE_ALL)),-purgeall,)
BUILD_DIR ?= build/$(MM_BACKEND)$(if $(IS_CLANG),-clang,)$(if $(filter-out none,$(FAULT_TEST)),-fault-$(FAULT_TEST),)$(if $(filter n,$(NK_EARLY_INIT)),-late,)$(DBG_SUFFIX)
B := $(BUILD_DIR)

# ---- configuration that reaches C ------------------------------------------
backend_id_static  := 0
backend_id_kmalloc := 1
backend_id_dynamic := 2
fault_id_none := 0
fault_id_divzero := 1
fault_id_pagefault := 2
fault_id_ud := 3
CONFIG_DEFS := -DCONFIG_MM_BACKEND=$(backend_id_$(MM_BACKEND)) \
	-DCONFIG_MM_BACKEND_NAME='"$(MM_BACKEND)"' \
	-DCONFIG_NK_EARLY_INIT=$(if $(filter y,$(NK_EARLY_INIT)),1,0) \
	-DCONFIG_FAULT_TEST=$(fault_id_$(FAULT_TEST))
COMMON_DEFS := -DCONFIG_KHEAP_LARGE_THRESHOLD=$(KHEAP_LARGE_THRESHOLD)ull \
	-DCONFIG_KHEAP_GROW_MIN=$(KHEAP_GROW_MIN)ull \
	-DCONFIG_DYN_SYS_DIV=$(DYN_SYS_DIV)ull -DCONFIG_DYN_APP_DIV=$(DYN_APP_DIV)ull \
	-DCONFIG_DYN_SYS_MIN=$(DYN_SYS_MIN)ull -DCONFIG_DYN_APP_MIN=$(DYN_APP_MIN)ull \
	-DCONFIG_DYN_SYS_MAX=$(DYN_SYS_MAX)ull -DCONFIG_DYN_APP_MAX=$(DYN_APP_MAX)ull \
	-DCONFIG_MM_STRICT=$(MM_STRICT) -DCONFIG_MM_HEAPCHECK=$(MM_HEAPCHECK) -DCONFIG_MM_SCRAMBLE=$(MM_SCRAMBLE) \
	-DCONFIG_MM_PURGE_ALL=$(MM_PURGE_ALL)
WARN := -Wall -Wextra -Werror

# ---- sources ----------------------------------------------------------------
# Portable layers compile unchanged for the kernel and the host. Exactly one
# zone-storage backend (src/MemoryMgr/backend_<name>.c) goes into a kernel.
PORTABLE_SRCS := $(sort $(wildcard src/lib/*.c src/nanokernel/*.c src/MemoryMgr/*.c src/Toolbox/*.c)) \
	src/multiboot2.c
BACKEND_SRCS  := $(wildcard src/MemoryMgr/backend_*.c)
PORTABLE_SRCS := $(filter-out $(BACKEND_SRCS),$(PORTABLE_SRCS))
KERNEL_SRCS := $(PORTABLE_SRCS) src/MemoryMgr/backend_$(MM_BACKEND).c \
	$(sort $(wildcard src/arch/x86_64/*.c src/arch/x86_64/*.S)) src/boot.c src/boot_tests.c src/kernel_suites.c src/main.c
KERNEL_OBJS := $(patsubst %,$(B)/%.o,$(KERNEL_SRCS))

KERNEL_CFLAGS := $(CSTD) $(OPT) -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	-mcmodel=small -fno-strict-aliasing -fno-asynchronous-unwind-tables $(if $(IS_CLANG),,-fno-tree-loop-distribute-patterns) $(WARN) -Iinclude $(CONFIG_DEFS) $(COMMON_DEFS) -MMD -MP
ifeq ($(IS_CLANG),1)
KERNEL_CFLAGS += --target=x86_64-unknown-none-elf
endif
KERNEL_LDFLAGS := -nostdlib -static $(if $(IS_CLANG),,-no-pie) -Wl,-T,src/arch/x86_64/linker.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,--build-id=none -Wl,-n -Wl,--no-warn-rwx-segments

.PHONY: fuzz-build bench-build all kernel iso run test host host-tests bench fuzz deps clean boot-qemu boot-bochs ab debug check-backend print-build-dir print-host-dir
all: iso

kernel: $(B)/kernel.elf
iso: $(B)/os.iso

# Rebuild everything in a build directory when its flags change.
$(B)/flags.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(KERNEL_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(KERNEL_CFLAGS)' > $@
FORCE:

$(B)/%.c.o: %.c $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/%.S.o: %.S $(B)/flags.stamp
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(B)/kernel.elf: $(KERNEL_OBJS) src/arch/x86_64/linker.ld
	$(CC) $(KERNEL_CFLAGS) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(if $(IS_CLANG),,-lgcc)

$(B)/os.iso: $(B)/kernel.elf tools/grub.cfg
	@rm -rf $(B)/isodir && mkdir -p $(B)/isodir/boot/grub
	cp $(B)/kernel.elf $(B)/isodir/boot/kernel.elf
	cp tools/grub.cfg $(B)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/isodir 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

-include $(KERNEL_OBJS:.o=.d)

# ---- host library and tests ---------------------------------------------------
HOST_B      := build/host$(DBG_SUFFIX)
HOST_CFLAGS := -std=c2x -O1 -g $(WARN) -Iinclude -Itests/host -DNK_HOST=1 $(COMMON_DEFS) \
	-DCONFIG_MM_BACKEND=-1 -DCONFIG_MM_BACKEND_NAME='"host"' -DCONFIG_NK_EARLY_INIT=1 -DCONFIG_FAULT_TEST=0 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP
HOST_SRCS   := $(PORTABLE_SRCS) $(wildcard src/platform/host/*.c)
HOST_OBJS   := $(patsubst %,$(HOST_B)/%.o,$(HOST_SRCS))
HOST_TESTS  := $(patsubst tests/host/%.c,$(HOST_B)/tests/%,$(wildcard tests/host/test_*.c))

# The System 7-style client must also compile warning-free with clang.
HOST_CLANG_CHECKS := $(HOST_B)/clang-check/test_mm_sys7.ok

host: $(HOST_B)/libmm.a $(HOST_TESTS) $(HOST_CLANG_CHECKS)

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

$(HOST_B)/tests/%: tests/host/%.c $(HOST_B)/libmm.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $< -o $@ $(HOST_B)/libmm.a

-include $(HOST_OBJS:.o=.d) $(HOST_TESTS:=.d)

host-tests: host
	tools/run-host-tests.sh $(HOST_TESTS)

# Benchmarks: the same sources, optimised and without sanitizers, so the
# instruction counts are the allocator's own. bench/bench_*.c -> build/bench/.
BENCH_B      := build/bench
BENCH_CFLAGS := -std=c2x -O2 -g $(WARN) -Iinclude -Ibench -DNK_HOST=1 $(COMMON_DEFS) \
	-DCONFIG_MM_BACKEND=-1 -DCONFIG_MM_BACKEND_NAME='"host"' -DCONFIG_NK_EARLY_INIT=1 -DCONFIG_FAULT_TEST=0 -MMD -MP
BENCH_OBJS   := $(patsubst %,$(BENCH_B)/%.o,$(HOST_SRCS))
BENCH_PROGS  := $(patsubst bench/%.c,$(BENCH_B)/%,$(wildcard bench/bench_*.c))

$(BENCH_B)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -c $< -o $@

$(BENCH_B)/libmm.a: $(BENCH_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BENCH_B)/%: bench/%.c $(BENCH_B)/libmm.a
	$(HOSTCC) $(BENCH_CFLAGS) $< -o $@ $(BENCH_B)/libmm.a

bench-build: $(BENCH_PROGS)
-include $(BENCH_OBJS:.o=.d)

# Fuzz targets: tests/fuzz/fuzz_*.c with clang-19's libFuzzer, ASan and UBSan.
FUZZ_B      := build/fuzz
FUZZ_CFLAGS := -std=c23 -O1 -g $(WARN) -Wno-unused-command-line-argument -Iinclude -Itests/host -DNK_HOST=1 $(COMMON_DEFS) \
	-DCONFIG_MM_BACKEND=-1 -DCONFIG_MM_BACKEND_NAME='"host"' -DCONFIG_NK_EARLY_INIT=1 -DCONFIG_FAULT_TEST=0 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_PROGS  := $(patsubst tests/fuzz/%.c,$(FUZZ_B)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_B)/%: tests/fuzz/%.c $(HOST_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(FUZZ_CFLAGS) $< $(HOST_SRCS) -o $@

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
	tools/boot.sh --emu qemu --mem $(or $(MEM),128M) --backend $(MM_BACKEND)

boot-bochs:
	tools/boot.sh --emu bochs --mem $(or $(MEM),32M) --backend $(MM_BACKEND)

ab: deps
	tools/ab.sh

debug: iso
	tools/debug.sh $(B)

bench:
	tools/bench.sh

clean:
	rm -rf build

print-build-dir:
	@echo $(B)

print-host-dir:
	@echo $(HOST_B)

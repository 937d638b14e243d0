# Exo-OS top-level Makefile.
#
#   make run          set up the machine if needed, build, boot in QEMU (serial on the terminal);
#                     with build/disk.img (ext4: the userland and docs) as /dev/vda, mounted on
#                     /mnt; DISK=a.img,b.img attaches those raw images instead (/dev/vda, ...);
#                     ROOT=disk boots with /dev/vda as / (root=/dev/vda rootfstype=ext4);
#                     networked by default (slirp, guest :80 on 127.0.0.1:8080); NET=tap:IFNAME, NET=none
#   make test         set up, build, run every test; last line "N passed, N failed"
#   make              build build/exo.iso
#   make defconfig | menuconfig | olddefconfig
#   make allnoconfig | allyesconfig | randconfig [SEED=N]   (docs/kconfig.md)
#   make bench        exobench on Exo-OS and on Debian's Linux, side by side (scripts/bench.py),
#                     then the profiler's cost off and on and one row's profile (bench_kprof.py;
#                     its over-1%-when-off verdict is printed, not fatal: docs/kprof.md)
#                     and the scaling table (bench_scale.py)
#   make bench-scale  throughput on -smp 1 and 2 (multi-threaded TCG), Exo-OS and Linux
#   make bench-kernel in-kernel allocator cycle counts under deterministic QEMU
#   make fuzz         libFuzzer on the ext4 driver for FUZZ_SECONDS (default 600; scripts/ext4_fuzz.py)
#   make check-headers  every header compiles on its own
#   make check-arch   no x86 register, instruction or header outside arch/ (docs/arch.md)
#   make check        sparse over every kernel .c file the config builds; fails on any warning
#   make usr          build the userland (usr/) into build/usr/root/
#   make ports        build the ports (usr/ports/*: BusyBox ... from Debian's sources)
#   make test-linux   build usr and run the in-guest test suite natively on this host
#   make debian-root  build/debian.img: Debian bookworm minbase + python3 (debootstrap, as root;
#                     cached); make run DISK=build/debian.img ROOT=disk boots its bash
#   make test-debian  boot that image and check bash, python3, dpkg and apt in it (not in make test)
#
# Each folder has a Makefile fragment of Kbuild form (obj-y += foo.o bar/,
# obj-$(CONFIG_X) += baz.o); this file walks them from $(core-dirs).
# V=1 shows the commands.

ARCH := x86_64
BUILD := build
PYTHON := /usr/bin/python3
CC := gcc
LD := ld
NM := nm
OBJCOPY := objcopy

ifeq ($(V),1)
Q :=
else
Q := @
endif

# BUILD and KCONFIG_CONFIG may point elsewhere, e.g. the benchmark's own
# non-debug build: make BUILD=build/bench KCONFIG_CONFIG=build/bench/.config
KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG
DEFCONFIG ?= defconfig
SET ?=
-include $(KCONFIG_CONFIG)

core-dirs := arch/$(ARCH) kernel mm lib drivers fs net ipc
core-dirs-$(CONFIG_BLOCK) += block
core-dirs += $(core-dirs-y)

KERNEL_CFLAGS := -std=gnu11 -ffreestanding -fno-builtin -nostdinc -O2 -g \
	-mcmodel=kernel -mno-red-zone -mno-sse -mno-mmx -mno-sse2 -mno-avx -mno-80387 \
	-mgeneral-regs-only -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-fno-common -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-sign-compare
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
KERNEL_CPPFLAGS := -D__KERNEL__ -Iinclude -Iarch/$(ARCH)/include -I$(BUILD)/include -isystem $(GCC_INCLUDE) \
	-include $(BUILD)/include/generated/autoconf.h \
	-DEXO_COMPILER='"$(shell $(CC) --version | head -n1)"'
DEPFLAGS = -MMD -MP
# CONFIG_KPROF (docs/kprof.md): 16 bytes of NOPs before every function's
# entry (never executed), listed in __patchable_function_entries, which the
# profiler fills and jumps to when on. A folder's Makefile names the objects
# that must not be hooked with notrace-y.
ifeq ($(CONFIG_KPROF),y)
KPROF_PRE := 16
# The option turns gcc's -fipa-ra off; the header turns it back on, so that a
# hooked object compiles to the same code as without CONFIG_KPROF.
KPROF_CFLAGS := -fpatchable-function-entry=$(KPROF_PRE),$(KPROF_PRE) -include include/exo/kprof_ipa_ra.h
# A prerequisite of every object, so that a tree built before it compiles again.
KPROF_DEPS := include/exo/kprof_ipa_ra.h
KERNEL_CPPFLAGS += -DKPROF_PRE_SIZE=$(KPROF_PRE)
endif

# --- walk the Makefile fragments -------------------------------------------
kobjs :=
kprof-notrace :=
define walk_dir
obj-y :=
obj-n :=
obj- :=
notrace-y :=
include $(1)/Makefile
kprof-notrace += $$(addprefix $(BUILD)/$(1)/,$$(notrace-y))
$(1)_objs := $$(filter-out %/,$$(obj-y))
$(1)_subdirs := $$(patsubst %/,$(1)/%,$$(filter %/,$$(obj-y)))
kobjs += $$(addprefix $(BUILD)/$(1)/,$$($(1)_objs))
$$(foreach d,$$($(1)_subdirs),$$(eval $$(call walk_dir,$$(d))))
endef
$(foreach d,$(core-dirs),$(eval $(call walk_dir,$(d))))

AUTOCONF := $(BUILD)/include/generated/autoconf.h
KCONFIG_FILES := Kconfig $(shell find arch kernel mm drivers lib fs net block ipc -name Kconfig)

.PHONY: syscall-docs all run test soak defconfig olddefconfig menuconfig savedefconfig check-headers check-arch \
	check allnoconfig allyesconfig randconfig \
	setup clean bench bench-scale bench-kernel host-tests qemu-tests iso fuzz
all: $(BUILD)/exo.iso check-headers

# --- configuration ---------------------------------------------------------
# A missing config starts from configs/$(DEFCONFIG); an existing one is
# brought up to date (new symbols get their defaults) when a Kconfig changes.
$(KCONFIG_CONFIG): $(KCONFIG_FILES)
	@mkdir -p $(dir $@)
	$(Q)if [ -f $@ ]; then \
		echo "  CONFIG  Kconfig changed: updating $@ (olddefconfig)"; \
		$(PYTHON) scripts/kconfig.py olddefconfig >/dev/null && touch $@; \
	else \
		echo "  CONFIG  no $@ yet: using configs/$(DEFCONFIG)"; \
		$(PYTHON) scripts/kconfig.py defconfig configs/$(DEFCONFIG) >/dev/null; \
	fi
defconfig:
	$(Q)$(PYTHON) scripts/kconfig.py defconfig configs/$(DEFCONFIG) $(SET)
olddefconfig:
	$(Q)$(PYTHON) scripts/kconfig.py olddefconfig
menuconfig:
	$(Q)$(PYTHON) scripts/kconfig.py menuconfig
savedefconfig:
	$(Q)$(PYTHON) scripts/kconfig.py savedefconfig
# Every bool option off / on / random (SEED=N repeats a randconfig of make test);
# SET="SYM=y SYM2=n" then forces some, e.g. make allnoconfig SET=SERIAL_16550=y
# (defconfig takes SET too).
SEED ?=
allnoconfig allyesconfig randconfig:
	$(Q)SEED='$(SEED)' $(PYTHON) scripts/kconfig.py $@ $(SET)
$(AUTOCONF): $(KCONFIG_CONFIG) $(KCONFIG_FILES)
	@echo "  GEN     $@"
	$(Q)$(PYTHON) scripts/kconfig.py genconfig $@

# --- generated sources ----------------------------------------------------------
SYSCALL_TABLE := $(BUILD)/include/generated/syscall_table.h
$(SYSCALL_TABLE): arch/x86_64/entry/syscalls/syscall_64.tbl scripts/gensyscalls.py
	@echo "  GEN     $@"
	$(Q)$(PYTHON) scripts/gensyscalls.py table $@
# Every object that includes the generated table (a fresh build has no .d files yet).
$(BUILD)/kernel/syscall_table.o $(BUILD)/arch/$(ARCH)/kernel/syscall.o: $(SYSCALL_TABLE)

# Struct offsets for the entry assembly (arch/$(ARCH)/kernel/asm-offsets.c):
# compiled to assembly only; its "->NAME value" markers become #defines.
ASM_OFFSETS := $(BUILD)/include/generated/asm-offsets.h
$(ASM_OFFSETS): arch/$(ARCH)/kernel/asm-offsets.c $(AUTOCONF) $(SYSCALL_TABLE)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KERNEL_CPPFLAGS) -MMD -MP -MT $@ -MF $(BUILD)/asm-offsets.d \
		-S $< -o $(BUILD)/asm-offsets.s
	$(Q){ echo "/* Generated from $< by the Makefile; do not edit. */"; \
		sed -n 's/.*"->\([A-Z0-9_]*\) \(-\{0,1\}[0-9]*\)".*/#define \1 \2/p' $(BUILD)/asm-offsets.s; \
	} > $@.tmp && mv $@.tmp $@
-include $(BUILD)/asm-offsets.d

# The coverage table in docs/ is generated too; run_tests.py checks it is current.
syscall-docs:
	$(Q)$(PYTHON) scripts/gensyscalls.py docs docs/syscalls.md

# --- compile ----------------------------------------------------------------
$(BUILD)/%.o: %.c $(AUTOCONF) $(KPROF_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KERNEL_CFLAGS) $(if $(filter $@,$(kprof-notrace)),,$(KPROF_CFLAGS)) \
		$(KERNEL_CPPFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S $(AUTOCONF) $(ASM_OFFSETS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KERNEL_CPPFLAGS) -D__ASSEMBLER__ $(DEPFLAGS) -c $< -o $@

$(BUILD)/kernel.lds: arch/$(ARCH)/kernel.lds.S $(AUTOCONF)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -E -P -D__ASSEMBLER__ $(KERNEL_CPPFLAGS) -x c $< -o $@

# --- link: twice, the second time with the symbol table ---------------------
LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments
# The fragments too: a change of link order (initcall and self-test order) relinks.
KBUILD_FRAGMENTS := $(shell find $(core-dirs) -name Makefile)
$(BUILD)/exo.elf: $(kobjs) $(BUILD)/kernel.lds scripts/mksymtab.py $(KBUILD_FRAGMENTS)
	@echo "  LD      $@ (pass 1)"
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/kernel.lds -o $(BUILD)/exo.elf.pass1 $(kobjs)
	$(Q)$(NM) -n -S --defined-only $(BUILD)/exo.elf.pass1 > $(BUILD)/exo.syms.pass1
	$(Q)$(PYTHON) scripts/mksymtab.py $(BUILD)/exo.syms.pass1 $(BUILD)/ksymtab.S
	$(Q)$(CC) -c $(BUILD)/ksymtab.S -o $(BUILD)/ksymtab.o
	@echo "  LD      $@ (pass 2, with symbols)"
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/kernel.lds -o $@ $(kobjs) $(BUILD)/ksymtab.o
	$(Q)$(NM) -n -S --defined-only $@ | grep -v -e ' ksymtab$$' -e ' _kernel_end$$' > $(BUILD)/exo.syms
	$(Q)grep -v -e ' ksymtab$$' -e ' _kernel_end$$' $(BUILD)/exo.syms.pass1 | cmp -s - $(BUILD)/exo.syms || \
		{ echo "link: symbols moved between the two links; .ksymtab must stay the last section"; exit 1; }

# --- initramfs and ISO --------------------------------------------------------
OVERLAY ?=
CMDLINE ?=
ifeq ($(ROOT),disk)
CMDLINE += root=/dev/vda rootfstype=ext4
endif
$(BUILD)/initramfs.cpio: usr ports FORCE
	@mkdir -p $(BUILD)
	$(Q)$(PYTHON) scripts/mkinitramfs.py $@ $(BUILD)/usr/root $(PORT_ROOTS) $(OVERLAY)

# The command line is baked into grub.cfg: rebuild the ISO when it changes.
$(BUILD)/cmdline.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@

$(BUILD)/exo.iso: $(BUILD)/exo.elf $(BUILD)/initramfs.cpio $(BUILD)/cmdline.txt scripts/mkiso.sh
	$(Q)scripts/mkiso.sh $@ $(BUILD)/exo.elf $(BUILD)/initramfs.cpio "$(CMDLINE)"
iso: $(BUILD)/exo.iso

# --- header self-containment -----------------------------------------------
HEADERS := $(shell find include/exo include/uapi arch/$(ARCH)/include -name '*.h')
HDR_STAMPS := $(patsubst %.h,$(BUILD)/hdrcheck/%.ok,$(HEADERS))
$(BUILD)/hdrcheck/%.ok: %.h $(AUTOCONF)
	@mkdir -p $(dir $@)
	$(Q)echo '#include "$(CURDIR)/$<"' | $(CC) $(KERNEL_CFLAGS) $(KERNEL_CPPFLAGS) -x c -fsyntax-only - \
		|| { echo "header $< does not compile on its own"; exit 1; }
	@touch $@
# include/uapi is the ABI user programs see: each header also compiles as user
# space would include it, with no kernel header, no __KERNEL__ and no libc.
UAPI_HEADERS := $(shell find include/uapi -name '*.h')
UAPI_STAMPS := $(patsubst %.h,$(BUILD)/hdrcheck/user/%.ok,$(UAPI_HEADERS))
$(BUILD)/hdrcheck/user/%.ok: %.h
	@mkdir -p $(dir $@)
	$(Q)echo '#include <$(patsubst include/%,%,$<)>' | $(CC) -std=gnu11 -nostdinc -Iinclude -Wall -Werror \
		-x c -fsyntax-only - || { echo "uapi header $< does not compile in user space"; exit 1; }
	@touch $@
check-headers: $(HDR_STAMPS) $(UAPI_STAMPS)

# x86 stays in arch/ (docs/arch.md).
check-arch:
	$(Q)$(PYTHON) scripts/check_arch_leaks.py

# --- sparse ---------------------------------------------------------------------
# Sparse checks what gcc does not: __user pointers dereferenced or mixed with
# kernel ones, lock contexts (__acquires/__releases/__must_hold), bitwise
# types. It defines __CHECKER__, which turns on the annotations in
# <exo/compiler.h>. Every .c file of $(kobjs) is checked with the compile's
# own -I/-D/-include flags; each writes its warnings to a .log, printed as
# they come, and the target fails when any log is non-empty.
SPARSE := sparse
# sparse predefines no __VERSION__ (gcc's version string, in /proc/version).
# -Wcast-to-as, beyond Linux's set: a kernel pointer cast to __user is the
# other half of passing "a pointer that may be user or kernel", which the
# typed interfaces (iov_iter_kvec, kernel_getdents64, kernel_execve) replace.
CHECKFLAGS := -m64 -D__x86_64__ -D__VERSION__='"$(shell $(CC) -dumpfullversion)"' \
	-Wbitwise -Wno-return-void -Wno-unknown-attribute -Wcontext -Wcast-to-as
CHECK_SRCS := $(wildcard $(patsubst $(BUILD)/%.o,%.c,$(kobjs)))
CHECK_LOGS := $(patsubst %.c,$(BUILD)/check/%.log,$(CHECK_SRCS))
$(BUILD)/check/%.log: %.c $(AUTOCONF) $(SYSCALL_TABLE) FORCE
	@mkdir -p $(dir $@)
	@echo "  CHECK   $<"
	$(Q)$(SPARSE) $(CHECKFLAGS) $(KERNEL_CFLAGS) $(KERNEL_CPPFLAGS) $< > $@ 2>&1; \
		st=$$?; [ $$st -eq 0 ] || echo "$<: sparse exited with status $$st" >> $@; \
		cat $@
check: $(CHECK_LOGS)
	$(Q)n=$$(cat $(CHECK_LOGS) | wc -l); \
	if [ $$n -ne 0 ]; then echo "check: $$n sparse warning line(s) in $(words $(CHECK_LOGS)) files"; exit 1; fi; \
	echo "check: sparse: $(words $(CHECK_LOGS)) files, no warnings"

# --- the two commands ---------------------------------------------------------
SMP ?= 2
MEM ?= 512M
MACHINE ?= pc
QEMUFLAGS ?=
# make run attaches build/disk.img (scripts/mkdisk.sh: an ext4 image of the userland and
# docs) as /dev/vda, which /etc/rc mounts on /mnt; DISK=a.img,b.img attaches those raw
# images as /dev/vda, /dev/vdb instead. ROOT=disk boots with /dev/vda as the root.
DISK ?= $(BUILD)/disk.img
$(BUILD)/disk.img: usr FORCE
	$(Q)scripts/mkdisk.sh $@ $(BUILD)/usr/root docs
# The Debian root (scripts/mkdebian.sh, docs/debian-root.md): rebuilt only when its recipe changes.
$(BUILD)/debian.img: FORCE
	$(Q)scripts/mkdebian.sh $@
.PHONY: debian-root test-debian
debian-root: $(BUILD)/debian.img
# Not part of make test: the first run downloads Debian (about 2 minutes), each boot takes 1-3.
test-debian: setup
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/debian.img
	$(Q)$(PYTHON) scripts/run_tests.py -k debian_root
# make run NET=user (default: slirp, the guest's port 80 on 127.0.0.1:8080), NET=tap:IFNAME, NET=none.
NET ?= user
setup:
	$(Q)scripts/setup

run: setup
	$(Q)$(MAKE) --no-print-directory all $(filter $(BUILD)/disk.img $(BUILD)/debian.img,$(DISK))
	$(Q)$(PYTHON) scripts/qemu.py run --iso $(BUILD)/exo.iso --smp $(SMP) --mem $(MEM) --machine $(MACHINE) \
		--disk '$(DISK)' --net '$(NET)' -- $(QEMUFLAGS)

test: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) scripts/run_tests.py

host-tests: $(AUTOCONF)
	$(Q)$(MAKE) --no-print-directory -C tests O=$(CURDIR)/$(BUILD)/tests

bench-kernel: setup
	$(Q)$(PYTHON) scripts/bench_kernel.py

# libFuzzer (clang) on the whole ext4 driver under ASan/UBSan; make test runs it for 45 s
# (ext4_libfuzzer). A crash fails it and names the reproducer in build/fuzz/ext4-crashes/.
FUZZ_SECONDS ?= 600
fuzz: setup
	$(Q)$(PYTHON) scripts/ext4_fuzz.py --seconds $(FUZZ_SECONDS)

# BENCHFLAGS: e.g. --only null_syscall,fork_exit or --quick (see scripts/bench.py)
BENCHFLAGS ?=
bench: setup
	$(Q)$(PYTHON) scripts/bench.py $(BENCHFLAGS)
	-$(Q)$(PYTHON) scripts/bench_kprof.py --reuse $(filter-out --no-kernel-rows,$(BENCHFLAGS))
	$(Q)$(PYTHON) scripts/bench_scale.py $(filter --quick,$(BENCHFLAGS))

# Issue 17 item 4: fork, pipes, open, page faults from 1 and 2 processes, -smp 1 and 2.
bench-scale: setup
	$(Q)$(PYTHON) scripts/bench_scale.py $(filter --quick,$(BENCHFLAGS))

# SMP stress for SOAK_MINUTES (default 30) on -smp 4; not part of make test,
# which runs one minute of it.
SOAK_MINUTES ?= 30
soak: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) scripts/soak.py --minutes $(SOAK_MINUTES)

# --- userland: static musl programs, also run natively as a check -----------
.PHONY: usr test-linux
usr:
	$(Q)$(MAKE) --no-print-directory -C usr O=$(CURDIR)/$(BUILD)/usr

# Ports: upstream programs from Debian's source packages (usr/ports/NAME, built by
# scripts/ports.py into build/ports/NAME, shared by every BUILD folder; rebuilt only
# when a recipe changes). Each port's root is copied over the guest's / after usr's.
PORTS_DIR := build/ports
PORT_ROOTS := $(patsubst usr/ports/%/recipe,$(PORTS_DIR)/%/root,$(wildcard usr/ports/*/recipe))
.PHONY: ports
ports:
	$(Q)scripts/setup --ports-list
	$(Q)$(PYTHON) scripts/ports.py --dir $(PORTS_DIR) build

test-linux: usr
	$(Q)$(BUILD)/usr/root/bin/exotest

clean:
	rm -rf $(BUILD)

FORCE:

.DELETE_ON_ERROR:

-include $(kobjs:.o=.d)

# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Out-of-tree driver for xttm's builds, tests and demo. Kbuild itself reads
# the Kbuild file; this Makefile is only used from the command line.
#
#   make             build xttm.ko against Debian's Linux 6.12 headers
#   make check       every test: sparse checkpatch kerneldoc names drivers
#                    vm-test vm-pressure fuzz kernel-6.1 kernel-6.12-rt
#                    kernel-7.3 drivers-7.3 kernel-7.3-rt kunit kmemleak
#                    kunit-7.3
#   make names       every name of upstream's include/drm/ttm/*.h is in
#                    include/drm/xttm/, with its type
#   make drivers     upstream's TTM drivers compile against xttm
#   make drivers-7.3 Linux 7.3's xe compiles against xttm at API level 703
#                    (in the trixie chroot, against xttm's 7.3 DKMS build)
#   make run         build, boot the test VM, run the demo
#   make vm-pressure buffer objects under memory pressure: one boot with 1 GiB
#                    and a swap disk, xttm checked, the in-kernel TTM reported
#   make fuzz        8 processes send 10^6 good and malformed ioctls and
#                    mmaps to xttm_bochs in a VM boot of their own, every
#                    mapped byte checked after every step (XTTM_FUZZ_SEED=S
#                    repeats a run)
#   make bench       the in-kernel TTM and xttm side by side in one VM boot
#   make dkms KERNEL=6.1|6.12|6.12-rt|7.3|7.3-rt
#                    dkms add/build/install into scratch trees in the cache
#   make kernel-6.1, make kernel-6.12-rt, make kernel-7.3, make kernel-7.3-rt
#                    DKMS build, sparse and the VM checks on that kernel
#                    (7.x built in a trixie chroot with gcc-14, made in the
#                    cache on first use: scripts/chroot.sh)
#   make kunit       KUnit in UML from 6.12's source, lockdep and KASAN, the
#                    suites at API level 612 (make kunit-kasan: the same)
#   make kunit-7.3   the same from 7.3's source, the suites at level 703
#   make kunit-lockdep
#                    6.12's UML with lockdep only (a faster build)
#   make kmemleak    6.12's UML with kmemleak and lockdep: xttm and the
#                    suites loaded as modules, run, unloaded, scanned
#
# KDIR=<kernel build dir> overrides the headers; XTTM_CACHE=<dir> (default
# ~/.cache/xttm) holds downloaded kernels, the extracted kernel source and
# the UML build dirs.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

XTTM_CACHE ?= $(HOME)/.cache/xttm
export XTTM_CACHE

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
S := $(TOP)/scripts

BUILD_DEPS := make gcc libc6-dev bc flex bison libelf-dev libssl-dev pahole \
	      kmod xz-utils python3 apt-utils
KUNIT_DEPS := $(BUILD_DEPS) linux-source-6.12 perl rsync
VM_DEPS := $(BUILD_DEPS) linux-source-6.12 qemu-system-x86 busybox-static cpio \
	   dkms
KERNEL_DEPS := $(VM_DEPS) linux-source-6.1 sparse
# Linux 7.x: debootstrap (trixie's, unpacked by scripts/chroot.sh) needs
# wget and the archive keyring; the rest is inside the chroot.
KERNEL7_DEPS := $(VM_DEPS) wget debian-archive-keyring
SPARSE_DEPS := $(BUILD_DEPS) sparse
# The sparse target's log, and whether it checks the benchmark modules too
# (their in-kernel half is written for 6.12's TTM).
SPARSE_LOG ?= $(XTTM_CACHE)/sparse.log
SPARSE_BENCH ?= 1

# Installed 6.12 headers if there are any, else Debian's newest, unpacked
# into the cache (resolved only when a target needs them).
ifeq ($(origin KDIR),undefined)
KDIR = $(or $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-amd64))),$(shell $(S)/fetch-kernel.sh $(XTTM_CACHE) headers))
endif

KMAKE = $(MAKE) -C $(KDIR) M=$(TOP) CONFIG_DRM_XTTM=m

.PHONY: all modules deps-build clean kunit kunit-kasan kunit-7.3 kunit-lockdep \
	kmemleak \
	kerneldoc sparse \
	checkpatch names drivers drivers-7.3 vm-test vm-pressure fuzz run bench check dkms \
	kernel-6.1 kernel-6.12-rt kernel-7.3 kernel-7.3-rt

all: modules

deps-build:
	@$(S)/deps.sh $(BUILD_DEPS)

modules: deps-build
	+$(KMAKE) modules
	@$(S)/check-exports.sh $(TOP)/xttm.ko $(TOP)/Module.symvers

# One UML kernel has lockdep and KASAN: make kunit-kasan is make kunit.
kunit kunit-kasan:
	@$(S)/deps.sh $(KUNIT_DEPS)
	$(S)/kunit.sh 6.12

# 7.3's source comes from trixie-backports (scripts/kernel-tree.sh).
kunit-7.3:
	@$(S)/deps.sh $(KUNIT_DEPS)
	$(S)/kunit.sh 7.3

kunit-lockdep:
	@$(S)/deps.sh $(KUNIT_DEPS)
	$(S)/kunit.sh lockdep

# The hostfs root it boots holds the static busybox.
kmemleak:
	@$(S)/deps.sh $(KUNIT_DEPS) busybox-static
	$(S)/kmemleak.sh

kerneldoc:
	@$(S)/deps.sh $(KUNIT_DEPS)
	$(S)/lint.sh kerneldoc

checkpatch:
	@$(S)/deps.sh $(KUNIT_DEPS)
	$(S)/lint.sh checkpatch

sparse:
	@$(S)/deps.sh $(SPARSE_DEPS)
	+$(KMAKE) clean >/dev/null
	+$(MAKE) -C $(KDIR) M=$(TOP)/tests/vm clean >/dev/null
	+$(MAKE) -C $(KDIR) M=$(TOP)/tests/bench clean >/dev/null
	+$(KMAKE) C=2 modules 2>&1 | tee $(SPARSE_LOG)
	@$(S)/check-exports.sh $(TOP)/xttm.ko $(TOP)/Module.symvers
	+$(MAKE) -C $(KDIR) M=$(TOP)/tests/vm KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers \
		C=2 modules 2>&1 | tee -a $(SPARSE_LOG)
	+$(if $(filter 1,$(SPARSE_BENCH)),$(MAKE) -C $(KDIR) M=$(TOP)/tests/bench \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/Module.symvers C=2 modules 2>&1 | tee -a $(SPARSE_LOG))
	@$(S)/lint.sh sparse $(SPARSE_LOG)

names:
	@$(S)/deps.sh linux-source-6.12 universal-ctags python3 unifdef apt-utils
	$(S)/compare-names.sh

# xttm's own build first: its Module.symvers and generated headers.
drivers: modules
	@$(S)/deps.sh linux-source-6.12 universal-ctags python3
	KDIR=$(KDIR) $(S)/drivers.sh

# Builds xttm for 7.3 with DKMS unless make kernel-7.3 did for this tree.
drivers-7.3:
	@$(S)/deps.sh $(BUILD_DEPS) wget debian-archive-keyring universal-ctags
	$(S)/drivers.sh 7.3

vm-test:
	@$(S)/deps.sh $(VM_DEPS)
	$(S)/vm.sh test

vm-pressure:
	@$(S)/deps.sh $(VM_DEPS)
	$(S)/vm.sh pressure

fuzz:
	@$(S)/deps.sh $(VM_DEPS)
	$(S)/vm.sh fuzz

run:
	@$(S)/deps.sh $(VM_DEPS)
	$(S)/vm.sh run

bench:
	@$(S)/deps.sh $(VM_DEPS)
	$(S)/vm.sh bench

KERNEL ?= 6.12
dkms:
	@$(S)/deps.sh $(VM_DEPS)
	$(S)/dkms.sh $(KERNEL)

kernel-6.1 kernel-6.12-rt:
	@$(S)/deps.sh $(KERNEL_DEPS)
	$(S)/kernel-test.sh $(patsubst kernel-%,%,$@)

kernel-7.3 kernel-7.3-rt:
	@$(S)/deps.sh $(KERNEL7_DEPS)
	$(S)/kernel-test.sh $(patsubst kernel-%,%,$@)

check:
	$(S)/check.sh

clean:
	-[ -d "$(KDIR)" ] && $(KMAKE) clean
	rm -rf tests/vm/*.o tests/vm/*.ko tests/vm/*.mod* tests/vm/.*.cmd \
		tests/vm/modules.order tests/vm/Module.symvers tests/vm/generated
	rm -rf tests/bench/*.o tests/bench/*.ko tests/bench/*.mod* tests/bench/.*.cmd \
		tests/bench/modules.order tests/bench/Module.symvers tests/bench/generated

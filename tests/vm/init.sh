#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# /init of the test VM (busybox). Mode "test" runs the VM tests and prints
# one "VMTEST: PASS name" or "VMTEST: FAIL name" line per check; mode
# "swiotlb" runs the page pool checks of a boot with swiotlb=force; mode
# "run" is the demo; mode "bench" runs tests/bench; mode "pressure" (1 GiB,
# a swap disk) runs tests/vm/vm_pressure.c on xttm, then on the in-kernel
# TTM; mode "fuzz" runs tests/vm/bochs_fuzz.c's 8 processes on a small
# xttm_bochs. All end with "VMTEST: END" and power off.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp
# The checks talk on the first serial port; the kernel's console is the
# second (see scripts/vm.sh), so its messages never split a line of ours.
exec </dev/ttyS0 >/dev/ttyS0 2>&1

mode=test
benchrows=all
pressure_order="xttm ttm"
pressure_bochs=
pressure_args=
fuzzseed=1
fuzzops=125000
for arg in $(cat /proc/cmdline); do
	case $arg in
	xttm.vmmode=*) mode=${arg#xttm.vmmode=} ;;
	xttm.benchrows=*) benchrows=${arg#xttm.benchrows=} ;;
	xttm.pressure_order=*) pressure_order=$(echo "${arg#*=}" | tr , ' ') ;;
	xttm.pressure_bochs=*) pressure_bochs=$(echo "${arg#*=}" | tr , ' ') ;;
	xttm.pressure_args=*) pressure_args=$(echo "${arg#*=}" | tr , ' ') ;;
	xttm.fuzzseed=*) fuzzseed=${arg#*=} ;;
	xttm.fuzzops=*) fuzzops=${arg#*=} ;;
	esac
done

check() {
	name=$1
	shift
	if "$@"; then
		echo "VMTEST: PASS $name"
	else
		echo "VMTEST: FAIL $name"
	fi
}

loaded() {
	grep -q "^$1 " /proc/modules
}

has_line() {
	grep -q "$2" "$1"
}

# The kernel's own drm, ttm and drm_kms_helper, and xttm where DKMS
# installed it (updates/dkms), all through modprobe and modules.dep.
echo "VMTEST: kernel $(uname -r)"
for m in $(cat /lib/modules/load-order); do
	modprobe "$m" || echo "VMTEST: FAIL modprobe $m"
done

pool_field() {
	sed -n "s/^$1: \([0-9]*\).*/\1/p" /sys/kernel/debug/xttm/page_pool
}

# The page pools on the PCI device; $1 is the module's expect_bounce.
pool_checks() {
	check pooltest_load insmod /lib/modules/xttm_pooltest.ko expect_bounce="$1"
	check pooltest_results sh -c 'dmesg | grep -q "xttm-pooltest: done, 0 failed"'
	dmesg | grep 'xttm-pooltest: \(PASS\|FAIL\)' | sed 's/.*xttm-pooltest: \(PASS\|FAIL\) /VMTEST: \1 pool_/'
	echo "== page_pool before drop_caches"
	cat /sys/kernel/debug/xttm/page_pool
	before=$(pool_field "pooled pages")
	check pool_filled test "${before:-0}" -gt 0
	echo 2 >/proc/sys/vm/drop_caches
	echo "== page_pool after drop_caches"
	cat /sys/kernel/debug/xttm/page_pool
	after=$(pool_field "pooled pages")
	check pool_drained test "${after:-1}" -eq 0
	check pool_in_use_zero sh -c '! grep -Eq "^(page|dma) +(uc|wc|wb) +[0-9]+ +[-1-9]" /sys/kernel/debug/xttm/page_pool'
	check pooltest_unload rmmod xttm_pooltest
}

# A kselftest program; its TAP results become VMTEST lines named $1_<test>.
# Its output reaches the console as it is written (drm_client's screendump
# requests must), and its stdin stays the console (the host's answers).
tap() {
	name=$1
	shift
	"$@" 2>&1 | tee /tmp/tap.out
	# A skipped test is no PASS (a check of tests/vm/expected* that skips
	# fails for want of one).
	sed -n "/^ok [0-9]* [^ ]* # SKIP/{s/^ok [0-9]* \([^ ]*\).*/VMTEST: SKIP ${name}_\1/p;d;}
		s/^ok [0-9]* \([^ ]*\).*/VMTEST: PASS ${name}_\1/p;
		s/^not ok [0-9]* \([^ ]*\).*/VMTEST: FAIL ${name}_\1/p" /tmp/tap.out
}

# The swap disk scripts/vm.sh gives the test, bench and pressure boots
# (/dev/vda): xttm backs objects up only where there is free swap, and the
# backups free RAM only where shmem can go to swap.
swap_on() {
	modprobe virtio_blk && mkswap /dev/vda >/dev/null && swapon /dev/vda &&
		grep -q "^/dev/vda " /proc/swaps
}

bochs_leaks() {
	! dmesg | grep -q "xttm_bochs: .* leaked"
}

# The bochs test driver: user mappings of VRAM in the BAR (4 KiB and
# huge), contention, bad input, and (reloaded with 4 aperture slots) the io-reserve LRU.
bochs_checks() {
	check bochs_load insmod /lib/modules/xttm_bochs.ko
	tap vm_map /bin/vm_map
	tap vm_huge /bin/vm_huge
	tap contend /bin/bochs_contend 8
	tap fuzz /bin/bochs_fuzz 4 10000
	echo "== /sys/kernel/debug/xttm_bochs/stats"
	cat /sys/kernel/debug/xttm_bochs/stats
	# The display removed from the PCI bus under live mappings, twice,
	# each time rescanned and bound again (vm_remove.c).
	tap removal /bin/vm_remove -t xttm_bochs
	check bochs_unload rmmod xttm_bochs
	check bochs_lru_load insmod /lib/modules/xttm_bochs.ko aperture_slots=4
	tap lru /bin/bochs_lru
	# The removal with 4 aperture slots: io reservations through the LRU.
	tap lru_removal /bin/vm_remove -t xttm_bochs
	check bochs_lru_unload rmmod xttm_bochs
	echo "== /sys/kernel/debug/xttm/vm"
	cat /sys/kernel/debug/xttm/vm
	check bochs_no_leak bochs_leaks
}

# The integrity stress, $1 seconds, with the copy engine's fences delayed.
stress_checks() {
	check stress_load insmod /lib/modules/xttm_bochs.ko copy_delay_ms=1
	tap stress /bin/bochs_stress "$1" 3
	echo "== /sys/kernel/debug/xttm_bochs/stats"
	cat /sys/kernel/debug/xttm_bochs/stats
	check stress_unload rmmod xttm_bochs
	check stress_no_leak bochs_leaks
}

# The API levels xttm's debugfs gives the devices it has are exactly the
# one in /lib/modules/$1.api-level.
api_level_is() {
	want=$(cat "/lib/modules/$1.api-level") && [ -n "$want" ] &&
		[ "$(sed -n 's/^device [0-9]*: API level \([0-9]*\)$/\1/p' \
			/sys/kernel/debug/xttm/managers | xargs)" = "$want" ]
}

# Upstream's own DRM clients on xttm: drm_gem_ttm_helper, drm_fbdev_ttm,
# drm_gem_vram_helper and the bochs KMS driver, built with only their
# includes changed: $2 is the set, "upstream" (all from Debian's
# linux-source-6.12) or "upstream703" (7.3's GEM TTM and VRAM helpers at
# API level 703 under 6.12's bochs and drm_fbdev_ttm), which names its
# modules, its checks and its screendumps; /lib/modules/$2.api-level says
# the level its bochs device must be set up at. fbcon comes up on the
# bochs display; drm_client ($1: its VRAM in MiB) then maps, modesets,
# flips and evicts dumb buffers, the host comparing screendumps with the
# painted pattern; everything is unloaded with nothing left in xttm, and
# xttm's debugfs must give the bochs device the set's API level.
upstream_checks() {
	set=$2
	# The console switch of this set's fbcon, not an earlier set's.
	dmesg -c >/dev/null
	check ${set}_helpers_load sh -c "insmod /lib/modules/${set}_drm_ttm_helper.ko &&
		insmod /lib/modules/${set}_drm_vram_helper.ko"
	check ${set}_bochs_load insmod /lib/modules/${set}_bochs.ko
	check ${set}_card test -c /dev/dri/card0
	check ${set}_fbdev grep -q 'bochs-drmdrmfb' /proc/fb
	check ${set}_fbcon sh -c 'dmesg | grep -q "Console: switching to colour frame buffer device"'
	echo "== xttm managers with the bochs driver bound ($set)"
	cat /sys/kernel/debug/xttm/managers
	check ${set}_api_level api_level_is $set
	tag=
	[ "$set" = upstream ] || tag=$set-
	XTTM_SCREENDUMP_PREFIX=$tag tap $set /bin/drm_client "$1"
	# The display removed under live mappings of dumb buffers, then
	# rescanned: the set's bochs binds it again (vm_remove.c).
	tap ${set}_removal /bin/vm_remove -t upstream_bochs
	check ${set}_bochs_unload rmmod ${set}_bochs
	check ${set}_helpers_unload sh -c "rmmod ${set}_drm_vram_helper &&
		rmmod ${set}_drm_ttm_helper"
	echo "== /sys/kernel/debug/xttm/lru after unload ($set)"
	cat /sys/kernel/debug/xttm/lru
	check ${set}_no_objects has_line /sys/kernel/debug/xttm/lru "^buffer objects: 0$"
	check ${set}_no_devices has_line /sys/kernel/debug/xttm/managers "no devices"
	echo 2 >/proc/sys/vm/drop_caches
	check ${set}_pool_empty has_line /sys/kernel/debug/xttm/page_pool "^pooled pages: 0 "
	check ${set}_pool_in_use_zero sh -c '! grep -Eq "^(page|dma) +(uc|wc|wb) +[0-9]+ +[-1-9]" /sys/kernel/debug/xttm/page_pool'
}

# Linux 7.3's qxl driver and drm_ttm_helper (drm_gem_ttm_helper.c,
# drm_fbdev_ttm.c) from Debian's linux-source-7.3, built at TTM API level
# 703 with only their TTM includes changed, on a -vga qxl display beside
# the kernel's own drm_exec and drm_client_lib; the kernel's qxl and
# drm_ttm_helper must not load. fbcon comes up through xttm; drm_client
# (told the size of the VRAM domain as xttm's manager has it) writes and
# reads back dumb buffers, checks modesets and flips on the host's
# screendumps, and (qxl_evict) evicts VRAM objects three times the VRAM
# with a framebuffer pinned for scanout; everything unloads with nothing
# left in xttm.
upstream_qxl_checks() {
	check upstream_qxl_deps_load sh -c 'modprobe drm_exec && modprobe drm_client_lib'
	check upstream_qxl_helper_load insmod /lib/modules/upstream_drm_ttm_helper.ko
	check upstream_qxl_load insmod /lib/modules/upstream_qxl.ko
	check upstream_qxl_kernel_qxl_blocked sh -c '! modprobe qxl 2>/dev/null &&
		! grep -Eq "^(qxl|drm_ttm_helper) " /proc/modules'
	check upstream_qxl_bound sh -c 'ls /sys/module/upstream_qxl/drivers/ | grep -q "^pci:qxl$" &&
		ls /sys/bus/pci/drivers/qxl/ | grep -q "^0000:"'
	check upstream_qxl_card test -c /dev/dri/card0
	check upstream_qxl_fbdev grep -q 'qxldrmfb' /proc/fb
	check upstream_qxl_fbcon sh -c 'dmesg | grep -q "Console: switching to colour frame buffer device"'
	echo "== xttm managers with the qxl driver bound"
	cat /sys/kernel/debug/xttm/managers
	# qxl's VRAM domain (the RAM BAR below its header) in MiB, rounded up,
	# as xttm's VRAM manager has it.
	vram=$(awk '/ memory type 2:/ { f = 1 } f && / size:/ { print int(($2 * 4096 + 1048575) / 1048576); exit }' \
		/sys/kernel/debug/xttm/managers)
	check upstream_qxl_xttm_vram test "${vram:-0}" -gt 0
	echo "== qxl's VRAM domain: ${vram:-none} MiB"
	# qxl's device is set up at 7.3's API level, as xttm's debugfs says.
	check upstream_qxl_api_level_703 has_line /sys/kernel/debug/xttm/managers '^device [0-9]*: API level 703$'
	dmesg | grep -i 'qxl' | grep -iv 'console' | head -20
	tap upstream_qxl /bin/drm_client "${vram:-1}" -t dumb_rw -t modeset -t fresh_zero -t bad_input -t qxl_evict
	check upstream_qxl_unload rmmod upstream_qxl
	check upstream_qxl_helper_unload rmmod upstream_drm_ttm_helper
	echo "== /sys/kernel/debug/xttm/lru after unload"
	cat /sys/kernel/debug/xttm/lru
	check upstream_qxl_no_objects has_line /sys/kernel/debug/xttm/lru "^buffer objects: 0$"
	check upstream_qxl_no_devices has_line /sys/kernel/debug/xttm/managers "no devices"
	echo 2 >/proc/sys/vm/drop_caches
	check upstream_qxl_pool_empty has_line /sys/kernel/debug/xttm/page_pool "^pooled pages: 0 "
	check upstream_qxl_pool_in_use_zero sh -c '! grep -Eq "^(page|dma) +(uc|wc|wb) +[0-9]+ +[-1-9]" /sys/kernel/debug/xttm/page_pool'
}

# A counter of xttm's shrinker (/sys/kernel/debug/xttm/shrinker, lines
# "name: value", pages); 0 if there is none.
shrinker_count() {
	v=$(sed -n "s/^$1: \([0-9]*\)$/\1/p" /sys/kernel/debug/xttm/shrinker 2>/dev/null)
	echo "${v:-0}"
}

# A figure of the PRESSURE: line vm_pressure wrote to $1.
pressure_figure() {
	sed -n "s/^PRESSURE: .* $2=\([^ ]*\).*/\1/p" "$1"
}

# What the kernel said during a part ($1: its name) that matters here: OOM
# kills, allocation failures, warnings; as REPORT lines (no kernel report
# text itself reaches our log, so the boot's own check stays clean).
pressure_kernel_report() {
	dmesg >/tmp/dmesg.part
	echo "REPORT: $1: OOM kills: $(grep -c 'Out of memory' /tmp/dmesg.part)," \
		"allocation failures: $(grep -c 'page allocation failure' /tmp/dmesg.part)," \
		"warnings: $(grep -c 'WARNING:' /tmp/dmesg.part)"
	grep -E 'Out of memory|oom-kill:|invoked oom-killer' /tmp/dmesg.part |
		sed 's/^\[ *[0-9.]*\] //' | head -n 6 | sed "s/^/REPORT: $1: kernel: /"
}

# xttm's part: xttm_bochs (opted in to xttm's shrinker unless
# xttm.pressure_bochs= says shrinker=0; pages from the page allocator, as
# an integrated GPU's; a TT domain larger than the objects) under
# vm_pressure; no OOM kill, no allocation failure, every byte intact, and
# the shrinker must have backed objects up and restored them.
pressure_xttm() {
	dmesg -c >/dev/null
	# $pressure_bochs: none, one or more module parameters.
	# shellcheck disable=SC2086
	check pressure_bochs_load insmod /lib/modules/xttm_bochs.ko tt_mib=1024 \
		dma_alloc=0 $pressure_bochs
	# $pressure_args: none, or vm_pressure's percentages (and mlock).
	# shellcheck disable=SC2086
	tap pressure timeout -s KILL 900 /bin/vm_pressure xttm $pressure_args
	cp /tmp/tap.out /tmp/pressure-xttm.out
	pressure_keep xttm
	echo "== /sys/kernel/debug/xttm/shrinker"
	cat /sys/kernel/debug/xttm/shrinker
	echo "REPORT: xttm: shrinker: $(tr '\n' ' ' </sys/kernel/debug/xttm/shrinker 2>/dev/null)"
	echo "REPORT: xttm: swapped out at pages_limit: $(sed -n 's/^swapped_pages: //p' \
		/sys/kernel/debug/xttm_bochs/stats) pages"
	echo "== /sys/kernel/debug/xttm_bochs/stats"
	cat /sys/kernel/debug/xttm_bochs/stats
	pressure_kernel_report xttm
	check pressure_no_oom_kill sh -c '! grep -q "Out of memory" /tmp/dmesg.part'
	check pressure_no_allocation_failure sh -c '! grep -q "page allocation failure" /tmp/dmesg.part'
	check pressure_backed_up test "$(shrinker_count backed_up)" -gt 0
	check pressure_restored test "$(shrinker_count restored)" -gt 0
	check pressure_bochs_unload rmmod xttm_bochs
	check pressure_no_leak bochs_leaks
}

# The in-kernel TTM's part: the same workload through ttm_bench, reported,
# not judged. Its OOM kills would dump their reports on the console, which
# the boot's check reads: the console takes only emergencies meanwhile,
# and a warning of the in-kernel TTM is reported instead of panicking.
pressure_ttm() {
	dmesg -c >/dev/null
	rm -f /tmp/pressure-ttm.out
	read -r printk </proc/sys/kernel/printk
	echo 1 >/proc/sys/kernel/printk
	echo 0 >/proc/sys/kernel/panic_on_warn
	if insmod /lib/modules/ttm_bench.ko; then
		# shellcheck disable=SC2086
		timeout -s KILL 900 /bin/vm_pressure ttm $pressure_args \
			>/tmp/pressure-ttm.out 2>&1
		echo "REPORT: ttm: vm_pressure exit status $?"
		rmmod ttm_bench || echo "REPORT: ttm: ttm_bench did not unload"
	else
		echo "REPORT: ttm: ttm_bench did not load"
	fi
	echo 1 >/proc/sys/kernel/panic_on_warn
	echo "$printk" >/proc/sys/kernel/printk
	sed 's/^/REPORT: ttm: /' /tmp/pressure-ttm.out
	pressure_kernel_report ttm
	pressure_keep ttm
}

# After a part ($1: xttm or ttm), its child's outcome and time, one line
# per run of the part, for pressure_bench_row.
pressure_keep() {
	echo "$(pressure_figure "/tmp/pressure-$1.out" anon)" \
		"$(pressure_figure "/tmp/pressure-$1.out" anon_ns)" >>"/tmp/pressure-runs-$1"
}

# The bench row: seconds to satisfy the anonymous allocation, the
# in-kernel TTM's then xttm's, and one ratio per pair of runs (the n-th
# run of each part; only pairs where both children finished). A boot that
# runs the parts as "xttm,ttm,ttm,xttm" gives two pairs, one in each order.
pressure_bench_row() {
	[ -s /tmp/pressure-runs-xttm ] && [ -s /tmp/pressure-runs-ttm ] || return 0
	awk 'FNR == NR { ok[FNR] = $1; ns[FNR] = $2; next }
		ok[FNR] == "ok" && $1 == "ok" && ns[FNR] > 0 && $2 > 0 {
			t += ns[FNR]; x += $2; r = r sprintf("|%f", ns[FNR] / $2); n++
		}
		END {
			if (n)
				printf "@row|pressure: anon 60%% of RAM over BOs of 75%%|s|%f|%f%s\n",
					t / n / 1e9, x / n / 1e9, r
		}' /tmp/pressure-runs-ttm /tmp/pressure-runs-xttm
}

# The fuzzer's long run: 8 processes, $fuzzops steps each, seed $fuzzseed,
# on 1 MiB of VRAM and 1 MiB of TT (objects of 1 to 8 pages: evictions,
# copy-engine moves and swapouts at a pages_limit of 384 KiB under every
# mapping); afterwards nothing may be left in the driver or in xttm.
fuzz_checks() {
	echo 96 >/sys/module/xttm/parameters/pages_limit
	check fuzz_load insmod /lib/modules/xttm_bochs.ko vram_mib=1 tt_mib=1
	tap fuzz /bin/bochs_fuzz 8 "$fuzzops" "$fuzzseed"
	echo "== /sys/kernel/debug/xttm_bochs/stats"
	cat /sys/kernel/debug/xttm_bochs/stats
	echo "== /sys/kernel/debug/xttm/vm"
	cat /sys/kernel/debug/xttm/vm
	check fuzz_unload rmmod xttm_bochs
	check fuzz_no_leak bochs_leaks
	check fuzz_no_objects has_line /sys/kernel/debug/xttm/lru "^buffer objects: 0$"
	check fuzz_no_devices has_line /sys/kernel/debug/xttm/managers "no devices"
}

case $mode in
fuzz)
	fuzz_checks
	check xttm_final_unload rmmod xttm
	;;
pressure*)
	# Kernel arguments (commas for spaces): xttm.pressure_order= the parts
	# in turn ("xttm,ttm"), xttm.pressure_bochs= more parameters of
	# xttm_bochs ("shrinker=0": the negative control),
	# xttm.pressure_args= vm_pressure's ("75,60,mlock").
	# Only vm_pressure's child may be picked by the OOM killer.
	echo -1000 >/proc/self/oom_score_adj
	check pressure_swap_on swap_on
	grep -E '^(MemTotal|SwapTotal):' /proc/meminfo
	for part in $pressure_order; do
		pressure_$part
	done
	pressure_bench_row
	check xttm_final_unload rmmod xttm
	;;
upstream-qxl)
	upstream_qxl_checks
	check xttm_final_unload rmmod xttm
	;;
upstream)
	upstream_checks 16 upstream
	# Linux 7.3's helpers at level 703, where the 6.12 kernel has them
	# built (scripts/upstream.sh), after the first set is gone.
	if [ -f /lib/modules/upstream703_bochs.ko ]; then
		upstream_checks 16 upstream703
	fi
	check xttm_final_unload rmmod xttm
	;;
upstream-run)
	echo "== upstream's bochs KMS driver and GEM VRAM helpers on xttm"
	upstream_checks 16 upstream
	check xttm_final_unload rmmod xttm
	;;
swiotlb)
	check swiotlb_forced grep -q "swiotlb=force" /proc/cmdline
	pool_checks 1
	stress_checks 15
	check xttm_final_unload rmmod xttm
	;;
stress)
	# A page limit of 128 MiB for 192 MiB of objects: swapouts happen.
	echo 32768 >/sys/module/xttm/parameters/pages_limit
	stress_checks 20
	check xttm_final_unload rmmod xttm
	;;
test)
	check ttm_loaded loaded ttm
	check xttm_loaded loaded xttm
	check xttm_debugfs has_line /sys/kernel/debug/xttm/managers "no devices"
	check xttm_unload rmmod xttm
	check xttm_gone sh -c '! grep -q "^xttm " /proc/modules'
	check xttm_reload modprobe xttm
	check xttm_from_dkms sh -c 'modinfo xttm | grep -q "^filename: *.*/lib/modules/$(uname -r)/updates/dkms/xttm.ko$"'
	check ttm_from_kernel sh -c 'modinfo ttm | grep -q "^filename: *.*/lib/modules/$(uname -r)/kernel/drivers/gpu/drm/ttm/ttm.ko$"'
	check ttm_and_xttm sh -c 'grep -q "^ttm " /proc/modules && grep -q "^xttm " /proc/modules'
	check selftest_load insmod /lib/modules/xttm_selftest.ko keep=3
	check selftest_results sh -c 'dmesg | grep -q "xttm-selftest: done, 0 failed"'
	dmesg | grep 'xttm-selftest: \(PASS\|FAIL\)' | sed 's/.*xttm-selftest: \(PASS\|FAIL\) /VMTEST: \1 selftest_/'
	check debugfs_vram has_line /sys/kernel/debug/xttm/managers " memory type 2:"
	check debugfs_usage has_line /sys/kernel/debug/xttm/managers "usage: $((3 * 4096))"
	check xttm_busy sh -c '! rmmod xttm 2>/dev/null'
	check selftest_unload rmmod xttm_selftest
	check selftest_teardown sh -c 'dmesg | grep -q "xttm-selftest: PASS teardown"'
	check debugfs_empty has_line /sys/kernel/debug/xttm/managers "no devices"
	pool_checks 0
	bochs_checks
	# The benchmark modules and program work (one pair per row, no
	# figures checked: make bench measures). 6.12 only: the in-kernel
	# half is written for 6.12's TTM.
	if [ -f /lib/modules/ttm_bench.ko ]; then
		# The backup rows need swap.
		check bench_swap_on swap_on
		check bench_load sh -c 'insmod /lib/modules/ttm_bench.ko && insmod /lib/modules/xttm_bench.ko'
		check bench_smoke sh -c '/bin/bench 1 > /tmp/bench.out 2>&1'
		cat /tmp/bench.out
		check bench_unload sh -c 'rmmod ttm_bench && rmmod xttm_bench'
	fi
	check xttm_final_unload rmmod xttm
	;;
bench*)
	echo "== bench: $(uname -r), $(nproc) CPUs under TCG, $(sed -n 's/^MemTotal: *//p' /proc/meminfo) RAM"
	grep -E '^(drm|ttm|xttm) ' /proc/modules | cut -d' ' -f1-3
	check bench_swap_on swap_on
	check bench_ttm_load insmod /lib/modules/ttm_bench.ko
	# The A/A control puts the in-kernel TTM in xttm's place.
	other=xttm_bench
	grep -q 'xttm.benchaa=1' /proc/cmdline && other=ttm_bench_aa
	check bench_xttm_load insmod /lib/modules/$other.ko
	echo
	check bench /bin/bench 5 "$benchrows" raw
	check bench_ttm_unload rmmod ttm_bench
	check bench_xttm_unload rmmod $other
	;;
run)
	echo "== modules: in-kernel ttm and xttm side by side"
	grep -E '^(drm|ttm|xttm) ' /proc/modules | cut -d' ' -f1-3
	insmod /lib/modules/xttm_selftest.ko keep=5
	echo "== /sys/kernel/debug/xttm/managers (self-test device, 5 pages kept)"
	cat /sys/kernel/debug/xttm/managers
	rmmod xttm_selftest

	# The demo proper: the integrity stress on the bochs BAR, with the page
	# limit low enough that objects get swapped out, then the io LRU.
	limit=$(cat /sys/module/xttm/parameters/pages_limit)
	echo 32768 >/sys/module/xttm/parameters/pages_limit
	insmod /lib/modules/xttm_bochs.ko copy_delay_ms=1
	echo "== integrity stress: 8 threads, objects totalling 3x VRAM, 30 s"
	/bin/bochs_stress 30 3 >/tmp/stress.out 2>&1
	grep '^# ' /tmp/stress.out | grep -v '^# Totals'
	cp /sys/kernel/debug/xttm_bochs/stats /tmp/bochs.stats
	rmmod xttm_bochs
	echo "$limit" >/sys/module/xttm/parameters/pages_limit
	insmod /lib/modules/xttm_bochs.ko aperture_slots=4
	/bin/bochs_lru >/tmp/lru.out 2>&1
	rmmod xttm_bochs
	insmod /lib/modules/xttm_pooltest.ko
	cp /sys/kernel/debug/xttm/page_pool /tmp/pool.before
	echo 2 >/proc/sys/vm/drop_caches
	cp /sys/kernel/debug/xttm/page_pool /tmp/pool.after
	rmmod xttm_pooltest

	v() { sed -n "s/^$1: //p" "$2"; }
	faults=$(v faults /sys/kernel/debug/xttm/vm)
	pre=$(v prefaulted_pages /sys/kernel/debug/xttm/vm)
	echo
	echo "================ xttm demo summary ================"
	echo "VRAM (bochs BAR 0):       $(( $(v vram_bytes /tmp/bochs.stats) >> 20 )) MiB"
	echo "buffer objects:           $(sed -n 's/^# \([0-9]*\) objects, \([0-9]*\) MiB.*/\1 objects, \2 MiB/p' /tmp/stress.out)"
	echo "moves / bytes moved:      $(v moves /tmp/bochs.stats) moves, $(( $(v bytes_moved /tmp/bochs.stats) >> 20 )) MiB (copy engine: $(v engine_jobs /tmp/bochs.stats) jobs)"
	echo "evictions:                $(v evictions /tmp/bochs.stats)"
	echo "CPU faults:               $faults, $pre more pages prefaulted ($(( (faults + pre) / (faults ? faults : 1) )) pages per fault)"
	echo "fault retries:            $(v fault_retries /sys/kernel/debug/xttm/vm)"
	echo "io-reserve LRU evictions: $(v io_lru_evictions /sys/kernel/debug/xttm/vm) (4 aperture slots, 32 mapped objects)"
	echo "swapouts:                 $(v swapouts /tmp/bochs.stats)"
	if grep -q '^ok 1 integrity' /tmp/stress.out && grep -q '^ok 1 io_lru' /tmp/lru.out; then
		echo "integrity:                every byte checked: $(sed -n 's/^# errors: \([0-9]*\), bad pages: \([0-9]*\)/\1 errors, \2 bad pages/p' /tmp/stress.out)"
	else
		echo "integrity:                FAILED"
		cat /tmp/stress.out /tmp/lru.out
	fi
	echo "page pools:               $(v 'pooled pages' /tmp/pool.before | cut -d' ' -f1) pages pooled after the pool test, $(v 'pooled pages' /tmp/pool.after | cut -d' ' -f1) after drop_caches"
	echo "==================================================="
	rmmod xttm
	echo "== after unload"
	grep -E '^(ttm|xttm) ' /proc/modules | cut -d' ' -f1-3
	;;
esac
echo "VMTEST: END"
poweroff -f

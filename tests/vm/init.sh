#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# /init of the test VM (busybox). Mode "test" runs the VM tests and prints
# one "VMTEST: PASS name" or "VMTEST: FAIL name" line per check; mode
# "swiotlb" runs the page pool checks of a boot with swiotlb=force; mode
# "run" is the demo. All end with "VMTEST: END" and power off.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /tmp
mount -t tmpfs tmpfs /tmp

mode=test
for arg in $(cat /proc/cmdline); do
	case $arg in
	xttm.vmmode=*) mode=${arg#xttm.vmmode=} ;;
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

echo "VMTEST: kernel $(uname -r)"
for m in $(cat /lib/modules/load-order); do
	insmod "/lib/modules/$m.ko" || echo "VMTEST: FAIL insmod $m"
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
tap() {
	name=$1
	shift
	"$@" >/tmp/tap.out 2>&1
	cat /tmp/tap.out
	sed -n "s/^ok [0-9]* \([^ ]*\).*/VMTEST: PASS ${name}_\1/p;
		s/^not ok [0-9]* \([^ ]*\).*/VMTEST: FAIL ${name}_\1/p" /tmp/tap.out
}

# The bochs test driver: user mappings of VRAM in the BAR.
bochs_checks() {
	check bochs_load insmod /lib/modules/xttm_bochs.ko
	tap vm_map /bin/vm_map
	echo "== /sys/kernel/debug/xttm/vm"
	cat /sys/kernel/debug/xttm/vm
	check bochs_unload rmmod xttm_bochs
	check bochs_no_leak sh -c '! dmesg | grep -q "xttm_bochs: .* leaked"'
}

case $mode in
swiotlb)
	check swiotlb_forced grep -q "swiotlb=force" /proc/cmdline
	pool_checks 1
	bochs_checks
	check xttm_final_unload rmmod xttm
	;;
test)
	check ttm_loaded loaded ttm
	check xttm_loaded loaded xttm
	check xttm_debugfs has_line /sys/kernel/debug/xttm/managers "no devices"
	check xttm_unload rmmod xttm
	check xttm_gone sh -c '! grep -q "^xttm " /proc/modules'
	check xttm_reload insmod /lib/modules/xttm.ko
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
	check xttm_final_unload rmmod xttm
	;;
run)
	echo "== /proc/modules"
	grep -E '^(drm|ttm|xttm|xttm_selftest) ' /proc/modules | cut -d' ' -f1-3
	insmod /lib/modules/xttm_selftest.ko keep=5
	echo "== /sys/kernel/debug/xttm/"
	ls /sys/kernel/debug/xttm/
	echo "== /sys/kernel/debug/xttm/managers (self-test device, 5 pages kept)"
	cat /sys/kernel/debug/xttm/managers
	echo "== self-test"
	dmesg | grep 'xttm-selftest:' | sed 's/^\[[ 0-9.]*\] //'
	rmmod xttm_selftest
	insmod /lib/modules/xttm_pooltest.ko
	echo "== page pools on the PCI device (DMA and page backend), after the pool test"
	cat /sys/kernel/debug/xttm/page_pool
	dmesg | grep 'xttm-pooltest: done' | sed 's/^\[[ 0-9.]*\] //'
	echo 2 >/proc/sys/vm/drop_caches
	echo "== page pools after echo 2 > /proc/sys/vm/drop_caches"
	cat /sys/kernel/debug/xttm/page_pool
	rmmod xttm_pooltest
	rmmod xttm
	echo "== after unload"
	grep -E '^(ttm|xttm) ' /proc/modules | cut -d' ' -f1-3
	;;
esac
echo "VMTEST: END"
poweroff -f

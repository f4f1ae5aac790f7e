#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build and install xttm with DKMS for one of Debian's kernels
# ($XTTM_KERNEL: 6.12, the default; 6.12-rt; 6.1; 7.3; 7.3-rt), build the
# test VM modules
# and upstream's DRM clients of that kernel's source against it, pack a
# busybox initramfs with the kernel's drm.ko, its own ttm.ko, xttm.ko and
# the test modules, and boot that kernel in qemu (TCG: KVM is unusable on
# these machines).
#
#   vm.sh test   boot four times (plain; stress; swiotlb=force; upstream's
#                bochs driver and GEM helpers on xttm, then on plain 6.12
#                7.3's helpers at API level 703 under the same bochs driver
#                in the same boot; on 7.x upstream's qxl driver and
#                drm_ttm_helper at API level 703 with -vga qxl; the host
#                compares screendumps) and run tests/vm/init.sh's checks;
#                fail on a FAIL line, a check of tests/vm/expected* without
#                a PASS line, a missing END, an Oops, BUG or WARNING; print
#                "N passed, N failed" last
#   vm.sh run    the demo (see README.md), then unload; then upstream's
#                bochs driver draws a test picture through xttm, saved as
#                a PNG
#   vm.sh bench  the benchmarks of tests/bench: the in-kernel TTM and xttm
#                side by side in one boot, and the memory-pressure workload
#                in boots of its own; prints the table (6.12 and 7.3
#                kernels: the benchmark's in-kernel half is written for
#                their TTM)
#   vm.sh pressure
#                one boot with 1 GiB of RAM and a swap disk: buffer
#                objects of 75 % of RAM, then anonymous memory of 60 %,
#                locked (mlockall), on xttm (checked: no OOM kill, every
#                byte intact, xttm's shrinker backed up and restored) and
#                then on the in-kernel TTM (reported: its child is
#                OOM-killed); prints "vm-pressure: N passed, N failed" and
#                what each did
#   vm.sh fuzz   one boot (2 CPUs, 1 MiB of VRAM, 1 MiB of TT): 8 processes
#                send 10^6 ioctls and mmaps, good and malformed, to
#                xttm_bochs, every byte they map checked after every step
#                (tests/vm/bochs_fuzz.c); $XTTM_FUZZ_SEED repeats a run,
#                $XTTM_FUZZ_OPS (default 125000) is each process's share;
#                prints "fuzz: N operations, 8 processes, N failures, seed S"
#
# XTTM_VM_BOOTS="mode:kernel-args:BAR ..." runs only some boots of "test"
# (or "pressure"), e.g. XTTM_VM_BOOTS="test::256M" for the plain one; a "+"
# in the kernel arguments stands for a space.
set -euo pipefail

mode=${1:-test}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
mkdir -p "$cache"
kernel=${XTTM_KERNEL:-6.12}
# Logs and images of the other kernels carry its name: vm-test-6.1.log.
sfx=
[ "$kernel" = 6.12 ] || sfx=-$kernel
# The benchmark's in-kernel half is written for 6.12's TTM and 7.3's (its
# shim): 6.12 and 7.3 build it, 6.1 does not. Linux 7.x modules are built in
# the trixie chroot, with the kernel's own compiler (scripts/chroot.sh).
bench=0
case $kernel in 6.12* | 7.*) bench=1 ;; esac
run=()
case $kernel in 7.*) run=("$top/scripts/chroot.sh" "$cache" run) ;; esac
root=$("$top/scripts/fetch-kernel.sh" "$cache" root "$kernel")
kver=$(basename "$root")
hdr=$root/usr/src/linux-headers-$kver
moddir=$root/lib/modules/$kver

# xttm itself is built and installed by DKMS (scripts/dkms.sh, into a
# scratch tree); the test modules and upstream's clients are drivers built
# against that installed xttm: its source tree and Module.symvers.
# The pressure boot follows vm-test in make check: the DKMS build of the
# same source, if it passed, is reused.
reuse=
case $mode in pressure | fuzz) reuse=1 ;; esac
dk=$(XTTM_DKMS_REUSE=${XTTM_DKMS_REUSE:-$reuse} "$top/scripts/dkms.sh" "$kernel")
xsrc=$(echo "$dk"/src/xttm-*)
# Build, quietly unless something fails. The bench and pressure boots run
# no upstream client.
want_upstream=1
case $mode in bench | pressure | fuzz) want_upstream=0 ;; esac
blog=$cache/vm-build-$kver.log
if ! { "${run[@]}" make -C "$hdr" M="$top/tests/vm" KBUILD_EXTRA_SYMBOLS="$dk/Module.symvers" modules &&
	if [ "$bench" = 1 ]; then
		"${run[@]}" make -C "$hdr" M="$top/tests/bench" \
			KBUILD_EXTRA_SYMBOLS="$dk/Module.symvers" modules
	fi &&
	if [ "$want_upstream" = 1 ]; then
		"$top/scripts/upstream.sh" build "$kernel" "$xsrc" "$dk/Module.symvers"
	fi
} >"$blog" 2>&1; then
	cat "$blog" >&2
	echo "vm: build failed" >&2
	exit 1
fi
up=$cache/upstream-$kver
# The second set, 7.3's helpers at level 703 (plain 6.12 only).
up703=$cache/upstream703-$kver
[ -d "$up703" ] && [ "$want_upstream" = 1 ] || up703=
# What the compat probes answered for this kernel, as compat/expected says.
probed=$top/tests/vm/generated/drm/xttm/xttm_compat_probed.h
found=$(sed -n 's/^#define XTTM_HAVE_\([A-Z0-9_]*\) 1$/\1/p' "$probed" | tr 'A-Z' 'a-z' | sort | xargs)
want=$(sed -n "s/^$kernel: *//p" "$top/compat/expected" | tr ' ' '\n' | sort | xargs)
echo "vm: compat probes for $kver: ${found:-none} found" >&2
if [ "$found" != "$want" ]; then
	echo "vm: compat probes: expected '${want:-none}' (compat/expected)" >&2
	exit 1
fi
# What was taken from upstream, and every line changed in it. A kernel
# without upstream TTM clients (upstream.sh says why) has no upstream boot.
upstream=0
if [ "$want_upstream" = 1 ]; then
	sed -n 's/^upstream: /vm: upstream clients: /p' "$blog" >&2
	sed 's/^/vm: upstream line changed: /' "$up/changes.txt" >&2
	if [ -n "$up703" ]; then
		sed 's/^/vm: upstream703 line changed: /' "$up703/changes.txt" >&2
	fi
	if compgen -G "$up/*.ko" >/dev/null; then upstream=1; fi
fi

# The modules tree of the image, cut down to drm, ttm and drm_kms_helper
# with their dependencies (uncompressed: busybox's modprobe reads plain
# files), plus xttm as DKMS installed it (updates/dkms); depmod indexes it,
# and the VM loads all four with modprobe. The test modules stay apart in
# /lib/modules, loaded by insmod.
ird=$cache/initramfs$sfx
rm -rf "$ird"
mkdir -p "$ird"/{bin,proc,sys,dev,lib/modules}
kmods=$ird/lib/modules/$kver
added=" "
add_module() {
	local name=$1 f rel dep
	case $added in *" $name "*) return 0 ;; esac
	f=$(find "$moddir/kernel" -name "$name.ko*" | head -n 1)
	[ -n "$f" ] || { echo "vm: module $name not found" >&2; exit 1; }
	for dep in $(/sbin/modinfo -F depends "$f" | tr ',' ' '); do
		add_module "$dep"
	done
	rel=${f#"$moddir/"}
	mkdir -p "$kmods/$(dirname "$rel")"
	case $f in
	*.xz) xz -dc "$f" >"$kmods/${rel%.xz}" ;;
	*) cp "$f" "$kmods/$rel" ;;
	esac
	added="$added$name "
}
add_module drm
add_module ttm
add_module drm_kms_helper
# The swap disk of the test, bench and pressure boots.
add_module virtio_blk
# 7.x's qxl also needs the kernel's drm_exec and drm_client_lib (no TTM in
# either); the kernel's own qxl and drm_ttm_helper are not in the image,
# and modprobe is told never to load them: xttm's copies bind instead.
if [ "$upstream" = 1 ] && [ -f "$up/upstream_qxl.ko" ]; then
	add_module drm_exec
	add_module drm_client_lib
	mkdir -p "$ird/etc/modprobe.d"
	printf 'blacklist qxl\nblacklist drm_ttm_helper\n' \
		>"$ird/etc/modprobe.d/xttm-upstream-qxl.conf"
fi
cp -r "$dk/lib/$kver/updates" "$kmods/"
find "$kmods/updates" -name '*.xz' -exec xz -d {} +
cp "$moddir"/modules.builtin "$moddir"/modules.builtin.modinfo "$moddir"/modules.order "$kmods/"
/sbin/depmod -b "$ird" "$kver"
cp "$top"/tests/vm/xttm_*.ko "$ird/lib/modules/"
if [ "$upstream" = 1 ]; then
	cp "$up"/*.ko "$ird/lib/modules/"
	cp "$up/api-level" "$ird/lib/modules/upstream.api-level"
fi
if [ -n "$up703" ]; then
	cp "$up703"/*.ko "$ird/lib/modules/"
	cp "$up703/api-level" "$ird/lib/modules/upstream703.api-level"
fi
if [ "$bench" = 1 ]; then
	cp "$top"/tests/bench/*.ko "$ird/lib/modules/"
fi
echo "ttm drm_kms_helper xttm" >"$ird/lib/modules/load-order"
# User-space test programs, static, with the kselftest harness.
src=$("$top/scripts/kernel-tree.sh" "$cache" 6.12)
# DRM's uAPI headers (not in Debian's linux-libc-dev) for drm_client.
uapi=$cache/upstream-uapi
mkdir -p "$uapi/drm"
cp "$src"/include/uapi/drm/{drm,drm_mode,drm_fourcc,qxl_drm}.h "$uapi/drm/"
for prog in "$top"/tests/vm/*.c "$top"/tests/upstream/*.c; do
	grep -q 'kselftest' "$prog" || continue
	gcc -static -O2 -Wall -Werror -pthread -I"$src/tools/testing/selftests" \
		-I"$top/tests/vm" -I"$top/tests/bench" -I"$uapi" -o "$ird/bin/$(basename "$prog" .c)" "$prog" \
		>>"$blog" 2>&1 || { cat "$blog" >&2; echo "vm: $prog failed to build" >&2; exit 1; }
done
gcc -static -O2 -Wall -Werror -I"$top/tests/bench" -o "$ird/bin/bench" \
	"$top/tests/bench/bench.c" >>"$blog" 2>&1 ||
	{ cat "$blog" >&2; echo "vm: tests/bench/bench.c failed to build" >&2; exit 1; }
cp /bin/busybox "$ird/bin/busybox"
ln -s busybox "$ird/bin/sh"
cp "$top/tests/vm/init.sh" "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$cache/initramfs$sfx.cpio.gz"

# boot MODE EXTRA_ARGS [BAR [RAM [CPUS [QEMU_ARGS]]]]: boot the VM once (BAR:
# VRAM size of the bochs display, default 256M; mode upstream-qxl has a qxl
# display instead, with a 32 MiB RAM BAR; RAM default 1G; CPUS default 1).
# Modes test, bench* and pressure* get a swap disk, a fresh sparse file of
# 1 GiB in the cache on virtio-blk (/dev/vda; the guest's /init makes it
# swap): xttm backs objects up only where there is free swap, and its
# backups to shmem free RAM only where shmem can go to swap.
# The guest's /init talks on the first serial port, $cache/vm-MODE.log;
# the kernel's console is the second, $cache/vm-MODE-kernel.log, so kernel
# messages never land inside a line of the checks (PREEMPT_RT prints them
# from a thread, at any moment). Modes upstream* run under
# scripts/vm-display.py, which answers the guest's screendump requests
# (screendumps in $cache/shots-MODE, the last one as $XTTM_PNG if set).
boot() {
	local log=$cache/vm-$1$sfx.log bar=${3:-256M}
	local klog=$cache/vm-$1$sfx-kernel.log
	local display=(-vga none -device bochs-display,vgamem="$bar")
	local swap=$cache/vm-swap$sfx.img
	# qxl's smallest RAM BAR: its VRAM domain is then 31 MiB.
	[ "$1" = upstream-qxl ] && display=(-vga qxl -global qxl-vga.ram_size_mb=32)
	case $1 in
	test | bench* | pressure*)
		rm -f "$swap"
		truncate -s 1G "$swap"
		display+=(-drive "file=$swap,format=raw,if=virtio")
		;;
	esac
	local qemu=(qemu-system-x86_64
		-accel tcg,thread=single -m "${4:-1G}" -smp "${5:-1}" ${6:-}
		-kernel "$root/boot/vmlinuz-$kver"
		-initrd "$cache/initramfs$sfx.cpio.gz"
		-append "console=ttyS1 panic=-1 oops=panic panic_on_warn=1 $2 xttm.vmmode=$1"
		"${display[@]}"
		-display none -serial stdio -serial "file:$klog" -monitor none -no-reboot)

	rm -f "$klog"
	echo "vm: booting Debian $kver under qemu (TCG), mode $1, log in $log (kernel: $klog)" >&2
	case $1 in
	upstream*)
		rm -rf "$cache/shots-$1$sfx"
		mkdir -p "$cache/shots-$1$sfx"
		python3 "$top/scripts/vm-display.py" --log "$log" --timeout 1800 \
			--shots "$cache/shots-$1$sfx" ${XTTM_PNG:+--png "$XTTM_PNG"} \
			-- "${qemu[@]}" >"$cache/display-$1$sfx.txt" || true
		cat "$cache/display-$1$sfx.txt" >&2
		;;
	*)
		timeout 1800 "${qemu[@]}" </dev/null | tr -d '\r' >"$log" || true
		;;
	esac
}

# check_log MODE: 0 if the boot reached its end without a kernel report.
check_log() {
	local log=$cache/vm-$1$sfx.log klog=$cache/vm-$1$sfx-kernel.log
	local bad='Oops:|BUG:|WARNING:|Kernel panic|Call Trace:|general protection'
	local status=0

	[ -f "$klog" ] && sed -i 's/\r$//' "$klog"
	if grep -Eq "$bad" "$log" "$klog"; then
		echo "vm: the kernel log of mode $1 holds a report:" >&2
		grep -En -A 15 "$bad" "$log" "$klog" | head -60 >&2
		status=1
	fi
	if ! grep -q '^VMTEST: END' "$log"; then
		echo "vm: the VM (mode $1) did not reach the end of its script" >&2
		tail -n 30 "$log" "$klog" >&2
		status=1
	fi
	return $status
}

if [ "$mode" = run ]; then
	boot run quiet 64M
	status=0
	check_log run || status=1
	sed -n '/^== /,/^VMTEST: END/p' "$cache/vm-run.log" | grep -v '^VMTEST: END' |
		grep -v '^\[ *[0-9.]*\] '
	# Upstream's bochs driver draws the test picture through xttm.
	png=$cache/xttm-display.png
	rm -f "$png"
	XTTM_PNG=$png boot upstream-run quiet 16M
	check_log upstream-run || status=1
	grep -E '^(== upstream|ok |not ok |VMTEST: FAIL|HOST: )' "$cache/vm-upstream-run.log"
	if [ -f "$png" ] && grep -q '^display: .* 0 mismatched' "$cache/display-upstream-run.txt"; then
		echo "display picture (in-tree bochs driver on xttm): $png"
	else
		echo "vm: no pixel-exact picture from upstream's bochs driver" >&2
		status=1
	fi
	[ "$status" -eq 0 ] && echo "vm: demo finished cleanly (no Oops, BUG or WARNING)"
	exit $status
fi

if [ "$mode" = bench ]; then
	[ "$bench" = 1 ] || { echo "vm: make bench needs a 6.12 kernel" >&2; exit 2; }
	# One CPU: TCG would run two in turn on one host thread anyway, and a
	# vCPU descheduled with a spinlock held makes the other spin for its
	# whole time slice (ratios of contended rows swung 0.8-1.2 between
	# boots with two). The guest's RAM is allocated up front, so no row
	# pays for the host's first touch of it. Each boot places the modules
	# elsewhere (KASLR), which moves a row by a few per cent under TCG even
	# for identical code, so XTTM_BENCH_BOOTS boots (default 5) are joined.
	# XTTM_BENCH_ROWS (parts of row names separated by "+", "_" for
	# spaces) runs only some rows; XTTM_BENCH_CONTROL=1 runs the A/A control (the in-kernel TTM in
	# xttm's column too).
	status=0
	logs=()
	for n in $(seq "${XTTM_BENCH_BOOTS:-5}"); do
		boot "bench-$n" "quiet xttm.benchrows=${XTTM_BENCH_ROWS:-all} xttm.benchaa=${XTTM_BENCH_CONTROL:-0}" \
			256M 2G 1 -mem-prealloc
		log=$cache/vm-bench-$n.log
		logs+=("$log")
		check_log "bench-$n" || status=1
		if ! grep -q '^VMTEST: PASS bench$' "$log"; then
			echo "vm: bench boot $n failed, see $log" >&2
			status=1
		fi
	done
	# The memory-pressure workload (make vm-pressure's boot, 1 GiB and a
	# swap disk, with the child's memory not locked) in
	# XTTM_BENCH_PRESSURE_BOOTS boots (default 4), each running both
	# parts twice, ABBA: xttm, TTM, TTM, xttm in odd boots,
	# the mirror in even ones, so that every boot gives one pair in each
	# order. Its row is the time the anonymous allocation took. Several
	# boots and pairs, not one: the same code's ratio moves 0.6-1.6 from
	# pair to pair (reclaim's timing), and a median of few follows
	# whichever pair was unlucky. XTTM_BENCH_ROWS without "pressure", and
	# the A/A control, leave them out.
	pboots=${XTTM_BENCH_PRESSURE_BOOTS:-4}
	case ${XTTM_BENCH_ROWS:-all} in all | *pressure*) ;; *) pboots=0 ;; esac
	[ "${XTTM_BENCH_CONTROL:-0}" = 1 ] && pboots=0
	for n in $(seq "$pboots"); do
		order=xttm,ttm,ttm,xttm
		[ $((n % 2)) = 0 ] && order=ttm,xttm,xttm,ttm
		boot "pressure-bench-$n" "xttm.pressure_order=$order" 128M 1G 1 -mem-prealloc
		check_log "pressure-bench-$n" || status=1
		logs+=("$cache/vm-pressure-bench-$n.log")
	done
	echo "== $(sed -n 's/^== bench: //p' "${logs[0]}")"
	[ "${XTTM_BENCH_CONTROL:-0}" = 1 ] &&
		echo "== A/A control: the xttm column is the in-kernel TTM again (ttm_bench_aa.ko)"
	python3 "$top/scripts/bench-table.py" "${logs[@]}" || status=1
	exit $status
fi

# pressure_summary LOG: what both parts of the pressure boot did, from the
# PRESSURE: lines of tests/vm/vm_pressure.c and the REPORT: lines of
# tests/vm/init.sh; the last line is make check's summary.
pressure_summary() {
	local log=$1
	fig() {
		sed -n "s/^\(REPORT: ttm: \)\{0,1\}PRESSURE: impl=$1 .* $2=\([^ ]*\).*/\2/p" "$log" | head -n 1
	}
	secs() {
		awk -v n="${1:-0}" 'BEGIN { printf "%.1f", n / 1e9 }'
	}
	grep '^REPORT: ' "$log" | sed 's/^REPORT: /vm-pressure: /'
	echo "vm-pressure: $pass passed, $fail failed (Debian $kver);" \
		"xttm: anon $(fig xttm anon_mib) MiB $(fig xttm anon) in $(secs "$(fig xttm anon_ns)") s," \
		"backed up $(sed -n 's/^backed_up: \([0-9]*\)$/\1/p' "$log" | head -n 1) pages," \
		"restored $(sed -n 's/^restored: \([0-9]*\)$/\1/p' "$log" | head -n 1)," \
		"$(fig xttm bad_bytes) bad bytes;" \
		"in-kernel TTM: anon $(fig ttm anon) in $(secs "$(fig ttm anon_ns)") s," \
		"$(sed -n 's/^REPORT: ttm: OOM kills: \([0-9]*\),.*/\1/p' "$log") OOM kills," \
		"$(fig ttm ttm_swapped_pages) pages swapped out at its pages_limit," \
		"$(fig ttm bad_bytes) bad bytes"
}

# Three boots: the plain one; the integrity stress with a 64 MiB BAR (the
# evicted data fits in the VM's RAM); and one where every streaming DMA
# mapping bounces through SWIOTLB, which runs the stress again. A fourth,
# upstream's clients, where upstream.sh built them.
status=0
pass=0
fail=0
boots=("test::256M" "stress::64M" "swiotlb:swiotlb=force:64M")
if [ "$upstream" = 1 ] && [ -f "$up/upstream_qxl.ko" ]; then
	boots+=("upstream-qxl::16M")
elif [ "$upstream" = 1 ]; then
	boots+=("upstream::16M")
fi
# The pressure boot: 1 GiB, a swap disk, a BAR of 128 MiB (ttm_bench takes
# half of it). Its child locks its memory, so that reclaim has nothing but
# the objects to take and xttm's shrinker, reclaim's last resort, must
# back them up; the plain workload (XTTM_VM_BOOTS="pressure::128M") is
# make bench's pressure row.
[ "$mode" = pressure ] && boots=("pressure:xttm.pressure_args=75,60,mlock:128M")
# The fuzz boot: its seed and share of operations go on the command line.
if [ "$mode" = fuzz ]; then
	seed=${XTTM_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
	echo "vm: fuzz seed $seed (XTTM_FUZZ_SEED=$seed repeats the run)" >&2
	boots=("fuzz:xttm.fuzzseed=$seed+xttm.fuzzops=${XTTM_FUZZ_OPS:-125000}:16M")
fi
# shellcheck disable=SC2206
[ -z "${XTTM_VM_BOOTS:-}" ] || boots=($XTTM_VM_BOOTS)
for spec in "${boots[@]}"; do
	m=${spec%%:*}
	rest=${spec#*:}
	args=${rest%%:*}
	cpus=1
	[ "$m" = fuzz ] && cpus=2
	boot "$m" "${args//+/ }" "${rest#*:}" 1G "$cpus"
	check_log "$m" || status=1
	log=$cache/vm-$m$sfx.log
	expected=$top/tests/vm/expected
	[ "$m" = test ] || expected=$top/tests/vm/expected-$m
	expect=("$expected")
	[ "$m" = test ] && [ "$bench" = 1 ] && expect+=("$top/tests/vm/expected-bench")
	[ "$m" = upstream ] && [ -n "$up703" ] && expect+=("$top/tests/vm/expected-upstream703")
	grep '^VMTEST: \(PASS\|FAIL\)' "$log" | sed "s/^VMTEST: \([A-Z]*\) /VMTEST: \1 $m: /" || true
	pass=$((pass + $(grep -c '^VMTEST: PASS' "$log" || true)))
	fail=$((fail + $(grep -c '^VMTEST: FAIL' "$log" || true)))
	cat "${expect[@]}" | grep -v '^#' | while read -r name; do
		if ! grep -q "^VMTEST: PASS $name\$" "$log"; then
			echo "VMTEST: FAIL $m: $name (no PASS line)"
		fi
	done >"$cache/vm-missing$sfx.log"
	cat "$cache/vm-missing$sfx.log"
	fail=$((fail + $(grep -c . "$cache/vm-missing$sfx.log" || true)))
done
[ "$fail" -eq 0 ] || status=1
[ "$pass" -gt 0 ] || status=1
echo "$pass passed, $fail failed (Debian $kver)"
[ "$mode" = pressure ] && pressure_summary "$cache/vm-pressure$sfx.log"
if [ "$mode" = fuzz ]; then
	sed -n 's/^# \(mix: \|[0-9]* operations in \|after exit: \|checks: \|seed \)/fuzz: \1/p' "$cache/vm-fuzz$sfx.log"
	line=$(sed -n 's/^# FUZZ: //p' "$cache/vm-fuzz$sfx.log")
	echo "fuzz: ${line:-no result, seed $seed} ($pass passed, $fail failed, Debian $kver)"
	[ -n "$line" ] || status=1
fi
exit $status

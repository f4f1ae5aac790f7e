#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make kernel-6.1, make kernel-6.12-rt, make kernel-7.3, make kernel-7.3-rt:
# everything but KUnit on one more of Debian's kernels. sparse (C=2) on
# xttm and the test modules against that kernel's headers, then the VM
# checks of scripts/vm.sh on that kernel:
# xttm built and installed by DKMS and loaded by modprobe beside the
# kernel's own ttm.ko, the test modules and upstream's DRM clients of that
# kernel's source built against the installed xttm. The last line sums up.
# Linux 7.x is built, sparse included, in the trixie chroot with the
# kernel's own compiler (scripts/chroot.sh, made on first use).
#
# usage: kernel-test.sh KERNEL   (6.1, 6.12-rt, 6.12, 7.3 or 7.3-rt)
set -uo pipefail

kernel=${1:?usage: kernel-test.sh KERNEL}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
hdr=$("$top/scripts/fetch-kernel.sh" "$cache" headers "$kernel") || exit 1
kver=$(basename "$(dirname "$(dirname "$(dirname "$hdr")")")")
bench=0
case $kernel in 6.12* | 7.*) bench=1 ;; esac
# 7.x: make runs inside the chroot, where sparse is its own (no deps.sh).
run=()
case $kernel in 7.*) run=("$top/scripts/chroot.sh" "$cache" run) ;; esac
status=0

slog=$cache/sparse-$kver.log
"${run[@]}" make -C "$top" --no-print-directory sparse KDIR="$hdr" SPARSE_LOG="$slog" \
	SPARSE_BENCH=$bench ${run:+SPARSE_DEPS=} >"$cache/kernel-sparse-$kver.out" 2>&1 || status=1
sparse=$(grep '^sparse: ' "$cache/kernel-sparse-$kver.out" | tail -n 1)
[ "$status" -eq 0 ] || tail -n 40 "$cache/kernel-sparse-$kver.out"
echo "${sparse:-sparse: no result}"

vlog=$cache/kernel-vm-$kver.out
XTTM_KERNEL=$kernel "$top/scripts/vm.sh" test 2>&1 | tee "$vlog" || status=1
dkms=$(sed -n 's/^dkms: xttm \([^ ]*\) for \([^:]*\): \(.*\)/dkms \1 -> \3/p' "$vlog" | tail -n 1)
vm=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$vlog" | tail -n 1)
echo "kernel-$kernel: ${dkms:-dkms FAILED}; ${sparse:-sparse FAILED}; vm ${vm:-FAILED}"
exit $status

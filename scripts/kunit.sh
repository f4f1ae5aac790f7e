#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run xttm's KUnit suites in a UML kernel built from Debian's source of
# Linux 6.12 or 7.3, with kunit.py and a build dir of its own (O=).
#
#   kunit.sh 6.12     6.12's source, lockdep and KASAN in one kernel; the
#                     suites at API level 612 (the level of 6.12's TTM)
#   kunit.sh 7.3      the same from linux-source-7.3; the suites at 703
#   kunit.sh lockdep  6.12's source, lockdep without KASAN (a faster build)
#
# The sources are extracted once into $XTTM_CACHE (default ~/.cache/xttm;
# 7.3's from trixie-backports, scripts/kernel-tree.sh). The checkout's
# sources are copied (rsync, mtimes kept, no build products) into
# $XTTM_CACHE/overlay/xttm and each tree's drivers/gpu/drm/xttm points
# there, so builds stay incremental and never see objects of an
# out-of-tree build.
#
# Fails when a test fails or is skipped, when the run crashes, when the
# compiler warns about one of xttm's files, when the suites ran at another
# API level than the tree's, or when the kernel log holds a lockdep report,
# a KASAN report, a BUG or any WARNING but the one UML's PCI emulation
# prints at boot. The suites themselves fail a test after which
# debug_locks dropped to 0.
#
# usage: kunit.sh 6.12|7.3|lockdep [extra kunit.py args]
set -euo pipefail

mode=${1:-6.12}
shift || true
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
mkdir -p "$cache"
# One run at a time per cache: the overlay, the tree's symlink to it and
# the build dirs are shared by every checkout that uses this cache.
if [ -z "${XTTM_KUNIT_LOCKED:-}" ]; then
	export XTTM_KUNIT_LOCKED=1
	exec flock "$cache/kunit.lock" "$0" "$mode" "$@"
fi
case $mode in
6.12 | lockdep) version=6.12 level=612 ;;
7.3) version=7.3 level=703 ;;
*)
	echo "usage: kunit.sh 6.12|7.3|lockdep" >&2
	exit 2
	;;
esac
src=$("$top/scripts/kernel-tree.sh" "$cache" "$version")

# The overlay: only sources, so no out-of-tree build product can leak in.
overlay=$cache/overlay/xttm
mkdir -p "$overlay"
# By content, and a copied file gets the time of the copy: a tree whose
# files are older than the build's objects (another checkout) still
# rebuilds what changed.
rsync -rlpD --checksum --delete --prune-empty-dirs \
	--exclude='.git/' --exclude='generated/' --exclude='.*.cmd' \
	--include='*/' --include='*.c' --include='*.h' --include='Kbuild' \
	--include='Kconfig' --include='*.mk' --include='*.sh' \
	--include='.kunitconfig' --exclude='*' \
	"$top/" "$overlay/"

ln -sfn "$overlay" "$src/drivers/gpu/drm/xttm"
grep -q '^source "drivers/gpu/drm/xttm/Kconfig"' "$src/drivers/gpu/drm/Kconfig" ||
	echo 'source "drivers/gpu/drm/xttm/Kconfig"' >>"$src/drivers/gpu/drm/Kconfig"
grep -q '^obj-$(CONFIG_DRM_XTTM) += xttm/' "$src/drivers/gpu/drm/Makefile" ||
	echo 'obj-$(CONFIG_DRM_XTTM) += xttm/' >>"$src/drivers/gpu/drm/Makefile"

name=kunit
[ "$mode" = 6.12 ] || name=kunit-$mode
build=$cache/build-$mode
args=(--kunitconfig="$overlay/tests/.kunitconfig" --jobs="$(nproc)" --timeout=900)
# lockdep's options are the .kunitconfig's; KASAN joins them but in the
# lockdep-only run.
[ "$mode" = lockdep ] ||
	args+=(--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_KASAN_VMALLOC=y)
# 7.3 has the dmem cgroup controller (6.12 has none): switched on, so the
# suite xttm_dmem runs xttm's charging against the real one (the kernel
# xttm is tested on in the VM, Debian's 7.3, has it off: there it is inert).
[ "$mode" != 7.3 ] ||
	args+=(--kconfig_add CONFIG_CGROUPS=y --kconfig_add CONFIG_CGROUP_DMEM=y)

out=$cache/kunit-$mode.out
status=0
cd "$src"
python3 tools/testing/kunit/kunit.py run --build_dir="$build" "${args[@]}" "$@" \
	2>&1 | tee "$out" || status=$?

log=$build/test.log
# Every report the kernel can print about a bug: lockdep's (they begin
# with a WARNING line, or a DEBUG_LOCKS_WARN_ON), KASAN's, UBSAN's, BUGs,
# Oopses, panics and any WARNING, whichever file it comes from.
bad='WARNING:|BUG:|BUG at|KASAN:|UBSAN:|Oops|Kernel panic|DEBUG_LOCKS_WARN_ON|'
bad+='lock held when returning|bad unlock balance|inconsistent lock state|'
bad+='possible circular locking|possible recursive locking|suspicious RCU usage'
# Two reports are UML's own and left out, each by what it is:
# - its flush_tlb_mm() walks the VMAs of an mm without that mm's lock, so
#   any unmap_mapping_range() of a user mapping from another context (what
#   a buffer object move must do) trips an RCU check inside arch/um;
# - the WARNING its PCI-over-virtio emulation prints once at boot, when it
#   finds no virtio device behind it (DRM needs the emulation for DMA):
#   arch/um/drivers/virt-pci.c in 6.12, virtio_pcidev.c in 7.3.
reports=$(awk -v bad="$bad" '
	function flush() {
		if (text != "" &&
		    !(text ~ /suspicious RCU usage/ && text ~ /flush_tlb_mm/) &&
		    !(text ~ /^[^\n]*WARNING:[^\n]*arch\/um\/drivers\/virt(-pci|io_pcidev)\.c/ &&
		      text ~ /No virtio device ID configured for PCI/))
			printf "%s", text
		text = ""
	}
	$0 ~ bad { flush(); n = 45 }
	n > 0 { text = text $0 "\n"; n-- ; if (!n) flush(); next }
	END { flush() }' "$log" 2>/dev/null)
if [ -n "$reports" ]; then
	echo "$name: the kernel log holds a report:" >&2
	head -60 <<<"$reports" >&2
	status=1
fi
# Zero warnings holds for the suites too: the compiler's, in xttm's files
# (shown when a file is rebuilt, so a cold run sees them all).
warns=$(grep -E "drivers/gpu/drm/xttm/[^ ]*: warning:" "$out" || true)
if [ -n "$warns" ]; then
	echo "$name: compiler warnings in xttm's files:" >&2
	echo "$warns" >&2
	status=1
fi
# The level the suites were built at, as the suite xttm_api_levels prints
# it: the level of the tree's own TTM, never another.
ran=$(sed -n 's/.*suites at API level \([0-9][0-9]*\).*/\1/p' "$log" 2>/dev/null | tail -n 1)
if [ "$ran" != "$level" ]; then
	echo "$name: the suites ran at API level '${ran:-none}', not $level" >&2
	status=1
fi
summary=$(grep -oE "Testing complete\. Ran [0-9]+ tests.*" "$out" | tail -n 1 || true)
if [ -z "$summary" ]; then
	echo "$name: no test summary (build or boot failed)" >&2
	status=1
elif ! grep -Eq '^Testing complete\. Ran ([0-9]+) tests: passed: \1$' <<<"$summary"; then
	# Anything but all passed: a failure, a crash, a skip.
	echo "$name: not every test passed" >&2
	status=1
fi
echo "$name: ${summary:-no summary} (API level ${ran:-none})"
exit $status

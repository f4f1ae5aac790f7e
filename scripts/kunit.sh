#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Run xttm's KUnit suites in a UML kernel built from Debian's 6.12 source.
#
# The source is extracted once into $XTTM_CACHE (default ~/.cache/xttm). The
# checkout's sources are copied (rsync, mtimes kept, no build products) into
# $XTTM_CACHE/overlay/xttm and the tree's drivers/gpu/drm/xttm points there,
# so builds stay incremental and never see objects of an out-of-tree build.
#
# Fails when a test fails, when the run crashes, when the compiler warns
# about one of xttm's files, or when the kernel log holds a lockdep report,
# a BUG, a KASAN report or a WARNING from xttm's code. The
# suites themselves fail a test after which debug_locks dropped to 0.
#
# usage: kunit.sh lockdep|kasan [extra kunit.py args]
set -euo pipefail

mode=${1:-lockdep}
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
src=$("$top/scripts/kernel-tree.sh" "$cache")

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
[ "$mode" = lockdep ] || name=kunit-$mode
args=(--kunitconfig="$overlay/tests/.kunitconfig" --jobs="$(nproc)" --timeout=900)
case $mode in
lockdep)
	build=$cache/build-lockdep
	;;
kasan)
	build=$cache/build-kasan
	args+=(--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_KASAN_VMALLOC=y)
	;;
*)
	echo "usage: kunit.sh lockdep|kasan" >&2
	exit 2
	;;
esac

out=$cache/kunit-$mode.out
status=0
cd "$src"
python3 tools/testing/kunit/kunit.py run --build_dir="$build" "${args[@]}" "$@" \
	2>&1 | tee "$out" || status=$?

log=$build/test.log
bad='possible circular locking|possible recursive locking|inconsistent lock state|'
bad+='suspicious RCU usage|DEBUG_LOCKS_WARN_ON|BUG:|KASAN:|Kernel panic|'
bad+='WARNING:.*(xttm|ttm_)|lock held when returning|bad unlock balance'
# One report is UML's own: its flush_tlb_mm() walks the VMAs of an mm
# without that mm's lock, so any unmap_mapping_range() of a user mapping
# from another context (what a buffer object move must do) trips an RCU
# check inside arch/um. Those reports, and only those, are left out.
reports=$(awk -v bad="$bad" '
	function flush() {
		if (text != "" && !(text ~ /suspicious RCU usage/ &&
				    text ~ /flush_tlb_mm/))
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
summary=$(grep -oE "Testing complete\. Ran [0-9]+ tests.*" "$out" | tail -n 1 || true)
if [ -z "$summary" ]; then
	echo "$name: no test summary (build or boot failed)" >&2
	status=1
fi
echo "$name: ${summary:-no summary}"
if ! grep -q 'failed: 0\|errors: 0' <<<"$summary" && [ -n "$summary" ] &&
	grep -Eq 'failed: [1-9]|errors: [1-9]|crashed: [1-9]' <<<"$summary"; then
	status=1
fi
exit $status

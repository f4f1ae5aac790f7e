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
# shellcheck source=scripts/uml-common.sh
. "$top/scripts/uml-common.sh"
uml_lock "$mode" "$@"
case $mode in
6.12 | lockdep) version=6.12 level=612 ;;
7.3) version=7.3 level=703 ;;
*)
	echo "usage: kunit.sh 6.12|7.3|lockdep" >&2
	exit 2
	;;
esac
uml_tree "$version"

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
reports=$(uml_reports "$log")
if [ -n "$reports" ]; then
	echo "$name: the kernel log holds a report:" >&2
	head -60 <<<"$reports" >&2
	status=1
fi
warns=$(uml_warnings "$out")
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
uml_summary "$name" "$out" || status=1
echo "$name: ${summary:-no summary} (API level ${ran:-none})"
exit $status

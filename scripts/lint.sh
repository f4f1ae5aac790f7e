#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Static checks on xttm's own C files (not generated ones), with the tools of
# Debian's extracted 6.12 source tree.
#
#   lint.sh checkpatch       checkpatch.pl --strict: 0 errors, warnings, checks;
#                            no LINUX_VERSION_CODE/KERNEL_VERSION() test
#   lint.sh kerneldoc        kernel-doc -Wall: 0 warnings, and every exported
#                            function has a kernel-doc comment
#   lint.sh sparse LOGFILE   the log of a C=2 build: sparse ran on every file,
#                            0 warnings or errors in our files (named by
#                            absolute path under the tree, or relative, as
#                            M= builds name them from 6.13 on)
set -euo pipefail

what=${1:?usage: lint.sh checkpatch|kerneldoc|sparse LOG}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
cd "$top"

mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null ||
	find . -name '*.[ch]' -not -path './generated/*' -not -name '*.mod.c')

case $what in
checkpatch)
	src=$("$top/scripts/kernel-tree.sh" "$cache")
	out=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "${files[@]}" 2>&1 || true)
	n=$(grep -cE ': (ERROR|WARNING|CHECK):' <<<"$out" || true)
	if [ "$n" -ne 0 ]; then
		grep -E ': (ERROR|WARNING|CHECK):' <<<"$out"
		echo "checkpatch: $n problems in ${#files[@]} files"
		exit 1
	fi
	# Kernel differences are probed (compat/probes), never versioned.
	if grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(' "${files[@]}"; then
		echo "checkpatch: a kernel version test in the sources (use a compat probe)"
		exit 1
	fi
	echo "checkpatch: ${#files[@]} files, 0 errors, 0 warnings, 0 checks, no version tests"
	;;
kerneldoc)
	src=$("$top/scripts/kernel-tree.sh" "$cache")
	out=$(perl "$src/scripts/kernel-doc" -none -Wall "${files[@]}" 2>&1 || true)
	n=$(grep -c . <<<"$out" || true)
	missing=0
	nexp=0
	for f in "${files[@]}"; do
		for sym in $(sed -n 's/^EXPORT_SYMBOL[A-Z_]*(\([A-Za-z0-9_]*\)[,)].*/\1/p' "$f"); do
			nexp=$((nexp + 1))
			# An exported variable is documented by its struct's
			# kernel-doc comment in a public header.
			type=$(sed -n "s/^struct \([a-z_0-9]*\) $sym\( =\|;\).*/\1/p" "$f")
			if [ -n "$type" ]; then
				grep -q "^ \* struct $type - " include/drm/xttm/*.h && continue
				echo "$f: exported struct $type $sym has no kernel-doc comment of its struct"
				missing=$((missing + 1))
			elif ! grep -q "^ \* $sym() - " "$f"; then
				echo "$f: exported $sym() has no kernel-doc comment"
				missing=$((missing + 1))
			fi
		done
	done
	if [ "$n" -ne 0 ] || [ "$missing" -ne 0 ]; then
		echo "$out"
		echo "kerneldoc: $n warnings, $missing exported functions undocumented"
		exit 1
	fi
	echo "kerneldoc: ${#files[@]} files, $nexp exported functions documented, 0 warnings"
	;;
sparse)
	log=${2:?usage: lint.sh sparse LOGFILE}
	checked=$(grep -c '^  CHECK ' "$log" || true)
	ours=$(grep -E "^($top/)?[^/ ][^ ]*:[0-9]+:[0-9]+: (warning|error):" "$log" || true)
	n=$(grep -c . <<<"$ours" || true)
	others=$(grep -cE ':[0-9]+:[0-9]+: (warning|error):' "$log" || true)
	if [ "$checked" -eq 0 ]; then
		echo "sparse: did not run (no CHECK lines in $log)"
		exit 1
	fi
	if [ "$n" -ne 0 ]; then
		echo "$ours"
		echo "sparse: $n warnings in our files"
		exit 1
	fi
	echo "sparse: $checked files checked, 0 warnings in our files ($((others - n)) in kernel headers)"
	;;
*)
	echo "usage: lint.sh checkpatch|kerneldoc|sparse LOG" >&2
	exit 2
	;;
esac

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make check: every test and static check, in order of speed. A failing step
# does not stop the later ones; the exit status is 1 if any failed. The last
# lines summarise each step with its own counts.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
mkdir -p "$cache"
steps=(sparse checkpatch kerneldoc names drivers vm-test kernel-6.1 kernel-6.12-rt kunit kunit-7.3)
declare -A result summary
failed=0

for step in "${steps[@]}"; do
	echo "==== make $step" >&2
	start=$SECONDS
	out=$cache/check-$step.log
	if make -C "$top" --no-print-directory "$step" 2>&1 | tee "$out"; then
		result[$step]=ok
	else
		result[$step]=FAILED
		failed=$((failed + 1))
	fi
	case $step in
	sparse | checkpatch | kerneldoc | names | drivers)
		summary[$step]=$(grep -E "^$step: " "$out" | tail -n 1) ;;
	vm-test)
		summary[$step]=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1) ;;
	kunit | kunit-7.3 | kernel-*)
		summary[$step]=$(grep -E "^$step: " "$out" | tail -n 1) ;;
	esac
	summary[$step]="${summary[$step]:-no summary} ($((SECONDS - start)) s)"
done

echo
echo "==== make check summary"
for step in "${steps[@]}"; do
	printf '%-15s %-7s %s\n' "$step" "${result[$step]}" "${summary[$step]}"
done
echo "$(( ${#steps[@]} - failed )) of ${#steps[@]} steps passed in $((SECONDS / 60)) min $((SECONDS % 60)) s"
[ "$failed" -eq 0 ]

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
# XTTM_CHECK_STEPS="STEP ..." runs only those (in this order).
steps=(sparse checkpatch kerneldoc names drivers vm-test vm-pressure fuzz kernel-6.1
	kernel-6.12-rt kernel-7.3 drivers-7.3 kernel-7.3-rt kunit kmemleak kunit-7.3)
if [ -n "${XTTM_CHECK_STEPS:-}" ]; then
	read -r -a steps <<<"$XTTM_CHECK_STEPS"
fi
declare -A result summary
failed=0

# The 7.x steps build in a trixie chroot (scripts/chroot.sh) that a fresh
# cache lacks: it is made in the background while the first steps run
# (debootstrap is mostly waiting on the network and dpkg), and the 7.x
# steps wait for it. It takes a lock, so a step that got there first would
# wait for the same creation. Runs without a 7.x step make none.
chroot_pid=
case " ${steps[*]} " in
*" kernel-7."* | *" drivers-7."*)
	"$top/scripts/chroot.sh" "$cache" ensure >"$cache/check-chroot.log" 2>&1 &
	chroot_pid=$!
	;;
esac

for step in "${steps[@]}"; do
	echo "==== make $step" >&2
	start=$SECONDS
	case $step in
	kernel-7.* | drivers-7.*)
		if [ -n "$chroot_pid" ]; then
			wait "$chroot_pid" ||
				echo "check: making the chroot in the background failed (see $cache/check-chroot.log)" >&2
			chroot_pid=
			echo "check: the 7.x chroot was ready after $SECONDS s of make check" >&2
		fi
		;;
	esac
	out=$cache/check-$step.log
	if make -C "$top" --no-print-directory "$step" 2>&1 | tee "$out"; then
		result[$step]=ok
	else
		result[$step]=FAILED
		failed=$((failed + 1))
	fi
	case $step in
	sparse | checkpatch | kerneldoc | names | drivers | drivers-7.3)
		summary[$step]=$(grep -E "^$step: " "$out" | tail -n 1) ;;
	vm-test)
		summary[$step]=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1) ;;
	vm-pressure | fuzz | kunit | kunit-7.3 | kmemleak | kernel-*)
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

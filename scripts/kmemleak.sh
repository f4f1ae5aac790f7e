#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make kmemleak: xttm and its KUnit suites as modules in a UML kernel with
# kmemleak and lockdep (no KASAN), built from Debian's 6.12 source as
# scripts/kunit.sh builds it (tests/.kunitconfig with tests/kmemleak.config
# on top) in $XTTM_CACHE/build-kmemleak.
#
# The kernel boots with a hostfs root in the cache (kmemleak-root: a static
# busybox, the two modules, an /init written here). The init waits until
# the boot's objects are old enough for kmemleak, scans twice and clears
# what it found (the boot's own), then insmods xttm.ko and xttm-test.ko
# (KUnit runs the suites at load), keeps /proc/modules, rmmods both, waits
# past kmemleak's minimum age of 5 s, scans twice (an object is reported
# once its contents were the same in two scans) and copies
# /sys/kernel/debug/kmemleak to the host.
#
# Fails when a kmemleak report involves xttm (scripts/kmemleak-log.py
# says which do), when a test fails or is skipped, when a module does not
# load or unload, when the kernel log holds a lockdep or KASAN report, a
# BUG or a WARNING (scripts/uml-common.sh) or the compiler warns in
# xttm's files. Prints one line: suites, tests, passed, leaks, time.
#
# usage: kmemleak.sh     (XTTM_KMEMLEAK_TIMEOUT: seconds for the boot, 900)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
mkdir -p "$cache"
# shellcheck source=scripts/uml-common.sh
. "$top/scripts/uml-common.sh"
uml_lock "$@"
start=$SECONDS
uml_tree 6.12

build=$cache/build-kmemleak
out=$cache/kmemleak-build.out
log=$cache/kmemleak.log
root=$cache/kmemleak-root
args=(--kunitconfig="$overlay/tests/.kunitconfig" --jobs="${XTTM_JOBS:-$(nproc)}")
while read -r line; do
	case $line in CONFIG_*) args+=(--kconfig_add "$line") ;; esac
done <"$top/tests/kmemleak.config"

status=0
(cd "$src" && python3 tools/testing/kunit/kunit.py build --build_dir="$build" \
	"${args[@]}") >"$out" 2>&1 || status=$?
warns=$(uml_warnings "$out")
if [ "$status" -ne 0 ] || [ -n "$warns" ]; then
	cat "$out" >&2
	echo "kmemleak: the UML kernel did not build cleanly ($out)" >&2
	exit 1
fi

mods=(drivers/gpu/drm/xttm/xttm.ko drivers/gpu/drm/xttm/tests/xttm-test.ko)
rm -rf "$root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/out"
cp /bin/busybox "$root/bin/busybox"
for m in "${mods[@]}"; do cp "$build/$m" "$root/"; done
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
bb=/bin/busybox
k=/sys/kernel/debug/kmemleak
say() { echo "xttm-kmemleak: $*"; }
run() { "$@"; say "$* -> $?"; }
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t debugfs debugfs /sys/kernel/debug
# The boot's own unreferenced objects, once older than kmemleak's 5 s.
while read -r up _ </proc/uptime && [ "${up%.*}" -lt 6 ]; do $bb sleep 1; done
scan() { echo scan >$k && echo scan >$k; say "scan $1 -> $?"; }
scan boot
echo clear >$k
run $bb insmod /xttm.ko
run $bb insmod /xttm-test.ko
$bb cat /proc/modules >/out/modules
# A first look while the modules' symbols are there to name the frames.
$bb sleep 6
scan loaded
$bb cat $k >/out/kmemleak-loaded
run $bb rmmod xttm_test
run $bb rmmod xttm
$bb sleep 6
scan after
$bb cat $k >/out/kmemleak
say "read -> $?"
say done
$bb poweroff -f
EOF
chmod +x "$root/init"

timeout "${XTTM_KMEMLEAK_TIMEOUT:-900}" "$build/linux" mem=1G console=tty \
	root=/dev/root rootfstype=hostfs rootflags="$root" rw init=/init \
	</dev/null >"$log" 2>&1 || true

# Each step of the init said how it went; all must have worked (kmemleak
# refuses scans once it has disabled itself).
for m in "scan boot" "/bin/busybox insmod /xttm.ko" "/bin/busybox insmod /xttm-test.ko" \
	"scan loaded" "/bin/busybox rmmod xttm_test" "/bin/busybox rmmod xttm" "scan after" "read"; do
	if ! grep -q "^xttm-kmemleak: $m -> 0" "$log"; then
		echo "kmemleak: '$m' failed or never ran ($log)" >&2
		status=1
	fi
done
grep -q '^xttm-kmemleak: done' "$log" || {
	echo "kmemleak: the boot did not finish ($log)" >&2
	tail -40 "$log" >&2
	status=1
}
reports=$(uml_reports "$log")
if [ -n "$reports" ]; then
	echo "kmemleak: the kernel log holds a report:" >&2
	head -60 <<<"$reports" >&2
	status=1
fi

ktap=$cache/kmemleak-ktap.log
parsed=$cache/kmemleak-parsed.out
python3 "$top/scripts/kmemleak-log.py" ktap "$log" >"$ktap"
python3 "$src/tools/testing/kunit/kunit.py" parse "$ktap" >"$parsed" 2>&1 || true
cat "$parsed"
uml_summary kmemleak "$parsed" || status=1
suites=$(grep -cE '^(ok|not ok) [0-9]+ ' "$ktap" || true)

leaks=$cache/kmemleak-reports.txt
touch "$root/out/kmemleak" "$root/out/kmemleak-loaded" "$root/out/modules"
if ! python3 "$top/scripts/kmemleak-log.py" leaks "$root/out/kmemleak" \
	"$root/out/kmemleak-loaded" "$root/out/modules" xttm xttm-test >"$leaks"; then
	echo "kmemleak: reports that involve xttm:" >&2
	cat "$leaks" >&2
	status=1
fi
found=$(sed -n 's/^leaks: //p' "$leaks")
ran=$(sed -n 's/.*Ran \([0-9]*\) tests: \(.*\)/\1 tests, \2/p' <<<"$summary")
echo "kmemleak: $suites suites, ${ran:-no tests}, kmemleak reports: ${found:-none read}" \
	"($((SECONDS - start)) s)"
exit $status

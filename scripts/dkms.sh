#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build and install xttm with DKMS for one of Debian's kernels, exactly as
# README.md's "Installing with DKMS" does, but into scratch trees under
# $CACHE/dkms/<kver> so nothing of the machine changes: dkms add of a clean
# copy (dkms copies it on to src/, as it would to /usr/src/xttm-<version>),
# dkms build against the unpacked headers (--kernelsourcedir), dkms install
# (--installtree, no depmod of the real tree). Prints the scratch root,
# which then holds:
#   src/xttm-<version>/                      the installed source and headers
#   lib/<kver>/updates/dkms/xttm.ko[.xz]     the installed module
#   dkms/xttm/<version>/<kver>/<arch>/Module.symvers
#   xttm.ko, Module.symvers                  uncompressed copies of both
#
# Linux 7.x is built where its own compiler runs: dkms, make and gcc-14 of
# the trixie chroot (scripts/chroot.sh), on the same scratch trees.
#
# usage: dkms.sh KERNEL   (6.12, 6.12-rt, 6.1, 7.3 or 7.3-rt, as fetch-kernel.sh)
#   XTTM_DKMS_REUSE=1   keep the last build for KERNEL if its source is
#                       this tree's and it passed (scripts/drivers.sh 7.3)
set -euo pipefail

kernel=${1:?usage: dkms.sh KERNEL}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
root=$("$top/scripts/fetch-kernel.sh" "$cache" root "$kernel")
kver=$(basename "$root")
hdr=$root/usr/src/linux-headers-$kver
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
arch=$(uname -m)
d=$cache/dkms/$kver
log=$cache/dkms-$kver.log

# The source as a release tarball would ship it: tracked files (and new
# ones not ignored), no build products of the work tree. "dkms add DIR"
# copies it to the source tree, as README.md's "dkms add ." does.
pkg=$d.pkg
rm -rf "$pkg"
mkdir -p "$pkg"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -co --exclude-standard | xargs -0 tar cf -) |
		tar xf - -C "$pkg"
else
	cp -a "$top/." "$pkg/"
fi
# XTTM_DKMS_REUSE=1: an earlier build that passed every check below, of
# exactly this source, is kept.
if [ -n "${XTTM_DKMS_REUSE:-}" ] && [ -f "$d/.passed" ] &&
	diff -r -q "$pkg" "$d/pkg" >/dev/null 2>&1; then
	rm -rf "$pkg"
	echo "dkms: xttm $ver for $kver: the build of this source is reused" >&2
	echo "$d"
	exit 0
fi
rm -rf "$d"
mkdir -p "$d/dkms" "$d/src" "$d/lib/$kver"
mv "$pkg" "$d/pkg"

trees=(--dkmstree "$d/dkms" --sourcetree "$d/src" --installtree "$d/lib")
# dkms install insists on root, even into a scratch tree (the chroot runs
# as root anyway).
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
run=()
case $kernel in
6.*) ;;
*) run=("$top/scripts/chroot.sh" "$cache" run) sudo= ;;
esac
{
	"${run[@]}" dkms add "$d/pkg" "${trees[@]}" &&
	"${run[@]}" dkms build "xttm/$ver" -k "$kver" --kernelsourcedir "$hdr" "${trees[@]}" &&
	$sudo "${run[@]}" dkms install "xttm/$ver" -k "$kver" --kernelsourcedir "$hdr" --no-depmod "${trees[@]}" &&
	"${run[@]}" dkms status xttm "${trees[@]}"
} >"$log" 2>&1 || {
	cat "$log" >&2
	for f in "$d/dkms/xttm/$ver/build/make.log" "$d/dkms/xttm/$ver/$kver/$arch/log/make.log"; do
		[ -f "$f" ] && tail -n 40 "$f" >&2
	done
	echo "dkms: building xttm for $kver failed (log: $log)" >&2
	exit 1
}

ko=$(find "$d/lib/$kver/updates/dkms" -name 'xttm.ko*' | head -n 1)
symvers=$d/dkms/xttm/$ver/$kver/$arch/Module.symvers
[ -n "$ko" ] || { cat "$log" >&2; echo "dkms: no xttm.ko under $d/lib/$kver/updates/dkms" >&2; exit 1; }
[ -f "$symvers" ] || { cat "$log" >&2; echo "dkms: no Module.symvers kept (POST_BUILD)" >&2; exit 1; }
case $ko in
*.xz) xz -dc "$ko" >"$d/xttm.ko" ;;
*.zst) zstd -qdc "$ko" >"$d/xttm.ko" ;;
*.gz) gzip -dc "$ko" >"$d/xttm.ko" ;;
*) cp "$ko" "$d/xttm.ko" ;;
esac
cp "$symvers" "$d/Module.symvers"
# The build must be clean: no compiler or modpost warning.
mlog=$d/dkms/xttm/$ver/$kver/$arch/log/make.log
if grep -Eq 'warning:|WARNING:' "$mlog"; then
	grep -E 'warning:|WARNING:' "$mlog" >&2
	echo "dkms: the build for $kver has warnings ($mlog)" >&2
	exit 1
fi
[ "$(/sbin/modinfo -F vermagic "$d/xttm.ko" | cut -d' ' -f1)" = "$kver" ] ||
	{ echo "dkms: $ko is not built for $kver" >&2; exit 1; }
"$top/scripts/check-exports.sh" "$d/xttm.ko" "$d/Module.symvers" >&2
touch "$d/.passed"
echo "dkms: xttm $ver for $kver: ${ko#"$d/lib/"} (0 warnings)" >&2
echo "$d"

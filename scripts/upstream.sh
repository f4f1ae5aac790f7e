#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build upstream's own TTM clients (the GEM TTM and VRAM helpers, the TTM
# fbdev emulation, the bochs KMS driver) from Debian's source of the kernel
# they run on (linux-source-6.12 for both 6.12 flavours, linux-source-6.1
# for 6.1) against an installed xttm, into $CACHE/upstream-<kver>:
# tests/upstream/prepare.sh copies them with only their TTM includes
# changed, tests/upstream/Kbuild builds them the way any driver builds
# against xttm (its source tree and Module.symvers).
#
# On plain 6.12 a second set goes to $CACHE/upstream703-<kver>: Linux 7.3's
# GEM TTM and VRAM helpers (linux-source-7.3, scripts/kernel-tree.sh) with
# 6.12's bochs and drm_fbdev_ttm, at TTM API level 703, its modules named
# upstream703_*; tests/vm/init.sh runs the same checks on it in the same
# boot.
#
# On Linux 7.x bochs is a GEM SHMEM driver, not a TTM client; its TTM client
# for the VM is qxl: tests/upstream/prepare-qxl.sh takes qxl and
# drm_ttm_helper (drm_gem_ttm_helper.c, drm_fbdev_ttm.c) from
# linux-source-7.3, built at TTM API level 703 (tests/upstream/Kbuild.qxl),
# and scripts/vm.sh boots them as "upstream-qxl" with -vga qxl. Whatever is
# built for 7.x is built in the trixie chroot (scripts/chroot.sh), with the
# kernel's own compiler.
#
# usage: upstream.sh build KERNEL XTTM_SOURCE XTTM_SYMVERS
set -eu

usage="usage: upstream.sh build KERNEL XTTM_SOURCE XTTM_SYMVERS"
what=${1:?$usage}
kernel=${2:?$usage}
xsrc=${3:?$usage}
symvers=${4:?$usage}
[ "$what" = build ] || { echo "$usage" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
root=$("$top/scripts/fetch-kernel.sh" "$cache" root "$kernel")
kver=$(basename "$root")
hdr=$root/usr/src/linux-headers-$kver
out=$cache/upstream-$kver
# make with the kernel's own compiler: the machine's for 6.x, the trixie
# chroot's for 7.x.
kmake() {
	case $kernel in
	7.*) "$top/scripts/chroot.sh" "$cache" run make "$@" ;;
	*) make "$@" ;;
	esac
}
src=$("$top/scripts/kernel-tree.sh" "$cache" "${kernel%-rt}")

case $kernel in
7.*) "$top/tests/upstream/prepare-qxl.sh" "$src" "$out" ;;
*) "$top/tests/upstream/prepare.sh" "$src" "$out" ;;
esac
cat "$out/changes.txt"
kmake -C "$hdr" M="$out" XTTM_DIR="$xsrc" KBUILD_EXTRA_SYMBOLS="$symvers" modules

out703=$cache/upstream703-$kver
rm -rf "$out703"
if [ "$kernel" = 6.12 ]; then
	src73=$("$top/scripts/kernel-tree.sh" "$cache" 7.3)
	"$top/tests/upstream/prepare.sh" "$src" "$out703" "$src73"
	cat "$out703/changes.txt"
	kmake -C "$hdr" M="$out703" XTTM_DIR="$xsrc" KBUILD_EXTRA_SYMBOLS="$symvers" modules
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Make sure Debian's source of a kernel is extracted in the cache and print
# its path: 6.12 (the default) whole, for the UML KUnit builds; 6.1 only its
# DRM drivers and headers, where upstream's TTM clients for the 6.1 VM
# come from. The extraction goes to a temporary dir first, so an
# interrupted run never leaves a half tree behind.
#
# usage: kernel-tree.sh CACHE_DIR [6.12|6.1]
set -eu
cache=${1:?usage: kernel-tree.sh CACHE_DIR [6.12|6.1]}
v=${2:-6.12}
case $v in
6.12) parts= ;;
6.1) parts="linux-source-$v/drivers/gpu/drm linux-source-$v/include" ;;
*) echo "kernel-tree: no source for '$v' (6.12 or 6.1)" >&2; exit 2 ;;
esac
src=$cache/linux-$v
tarball=/usr/src/linux-source-$v.tar.xz

if [ ! -f "$src/.xttm-extracted" ]; then
	[ -f "$tarball" ] || { echo "kernel-tree: $tarball missing (apt-get install linux-source-$v)" >&2; exit 1; }
	echo "kernel-tree: extracting $tarball into $src" >&2
	rm -rf "$src" "$cache/extract.tmp"
	mkdir -p "$cache/extract.tmp"
	# shellcheck disable=SC2086
	tar -C "$cache/extract.tmp" -xf "$tarball" $parts
	mv "$cache/extract.tmp/linux-source-$v" "$src"
	rmdir "$cache/extract.tmp"
	touch "$src/.xttm-extracted"
fi
echo "$src"

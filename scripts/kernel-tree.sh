#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Make sure Debian's Linux 6.12 source is extracted in the cache and print
# its path. The extraction goes to a temporary dir first, so an interrupted
# run never leaves a half tree behind.
#
# usage: kernel-tree.sh CACHE_DIR
set -eu
cache=${1:?usage: kernel-tree.sh CACHE_DIR}
src=$cache/linux-6.12
tarball=/usr/src/linux-source-6.12.tar.xz

if [ ! -f "$src/.xttm-extracted" ]; then
	[ -f "$tarball" ] || { echo "kernel-tree: $tarball missing (apt-get install linux-source-6.12)" >&2; exit 1; }
	echo "kernel-tree: extracting $tarball into $src" >&2
	rm -rf "$src" "$cache/extract.tmp"
	mkdir -p "$cache/extract.tmp"
	tar -C "$cache/extract.tmp" -xf "$tarball"
	mv "$cache/extract.tmp"/linux-source-6.12 "$src"
	rmdir "$cache/extract.tmp"
	touch "$src/.xttm-extracted"
fi
echo "$src"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Make sure Debian's source of a kernel is extracted in the cache and print
# its path: 6.12 (the default) whole, for the UML KUnit builds; 7.3 whole,
# for the UML KUnit build on Linux 7.3; 6.1 only its DRM drivers and
# headers, where upstream's TTM clients for the 6.1 VM come from. 6.12 and
# 6.1 come from the installed linux-source-* package; 7.3's package is
# downloaded from trixie-backports (scripts/debian-apt.sh), not installed.
# The extraction goes to a temporary dir of its own version first, so an
# interrupted run never leaves a half tree behind and the trees of two
# versions can be extracted at once.
#
# usage: kernel-tree.sh CACHE_DIR [6.12|7.3|6.1]
set -eu
scripts=$(cd "$(dirname "$0")" && pwd)
cache=${1:?usage: kernel-tree.sh CACHE_DIR [6.12|7.3|6.1]}
v=${2:-6.12}
case $v in
6.12 | 7.3) parts= ;;
6.1) parts="linux-source-$v/drivers/gpu/drm linux-source-$v/include" ;;
*) echo "kernel-tree: no source for '$v' (6.12, 7.3 or 6.1)" >&2; exit 2 ;;
esac
src=$cache/linux-$v
tarball=/usr/src/linux-source-$v.tar.xz
tmp=$cache/extract-$v.tmp

if [ -f "$src/.xttm-extracted" ]; then
	echo "$src"
	exit 0
fi
rm -rf "$src" "$tmp"
mkdir -p "$tmp"
case $v in
7.3)
	# The .deb holds the tarball; it is streamed out of the package, never
	# written, and xz decompresses its blocks on every core.
	dl=$cache/debian/debs
	mkdir -p "$dl"
	newest() {
		deb=
		for f in "$dl"/linux-source-"$v"_*.deb; do
			if [ -f "$f" ]; then deb=$f; fi
		done
	}
	newest
	if [ -z "$deb" ]; then
		echo "kernel-tree: downloading linux-source-$v (trixie-backports)" >&2
		(cd "$dl" && "$scripts/debian-apt.sh" "$cache" apt-get download -q \
			"linux-source-$v" >&2)
		newest
	fi
	echo "kernel-tree: extracting $deb into $src" >&2
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/linux-source-$v.tar.xz" | xz -T0 -dc |
		tar -C "$tmp" -x
	;;
*)
	[ -f "$tarball" ] || { echo "kernel-tree: $tarball missing (apt-get install linux-source-$v)" >&2; exit 1; }
	echo "kernel-tree: extracting $tarball into $src" >&2
	# shellcheck disable=SC2086
	xz -T0 -dc "$tarball" | tar -C "$tmp" -x $parts
	;;
esac
mv "$tmp/linux-source-$v" "$src"
rmdir "$tmp"
touch "$src/.xttm-extracted"
echo "$src"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Fetch Debian's newest Linux 6.12 amd64 image and headers without installing
# them: apt-get download the packages and unpack them with dpkg-deb under
# $CACHE/debian/<kver>. Prints the unpacked root on stdout. Idempotent: a root
# that already holds a kernel and headers is reused.
#
# usage: fetch-kernel.sh CACHE_DIR [headers]
#   with "headers", print the unpacked headers build dir instead of the root.
set -eu

cache=${1:?usage: fetch-kernel.sh CACHE_DIR [headers]}
what=${2:-root}
meta=linux-image-6.12-amd64

resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(6\.12\.[^ ]*-amd64\)$/\1/p' | head -n 1
}

kver=$(resolve)
if [ -z "$kver" ]; then
	apt-get update -q >&2
	kver=$(resolve)
fi
[ -n "$kver" ] || { echo "fetch-kernel: cannot resolve $meta" >&2; exit 1; }

root=$cache/debian/$kver
hdr=$root/usr/src/linux-headers-$kver
out() {
	if [ "$what" = headers ]; then echo "$hdr"; else echo "$root"; fi
}
if [ -f "$root/.done" ]; then
	out
	exit 0
fi

# 6.12.117+deb12-amd64 -> 6.12.117+deb12
base=${kver%-amd64}
pkgs="linux-image-$kver linux-headers-$kver linux-headers-$base-common linux-kbuild-$base"
dl=$cache/debian/debs
mkdir -p "$dl" "$root"
(cd "$dl" && apt-get download -q $pkgs >&2)
for p in $pkgs; do
	dpkg-deb -x "$(ls "$dl"/"$p"_*.deb | tail -n 1)" "$root"
done

# The headers Makefile includes the common tree by absolute path; point it
# at the unpacked copy.
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$hdr/Makefile"
# The kbuild package's scripts are reached through a symlink to /usr/lib.
for l in "$hdr/scripts" "$hdr/tools"; do
	if [ -L "$l" ]; then
		t=$(readlink "$l")
		case $t in
		/*) ln -sfn "$root$t" "$l" ;;
		esac
	fi
done
touch "$root/.done"
out

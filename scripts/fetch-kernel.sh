#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Fetch one of Debian 12's amd64 kernels, image and headers, without
# installing them: apt-get download the packages and unpack them with
# dpkg-deb under $CACHE/debian/<kver>. Prints the unpacked root on stdout.
# Idempotent: a root that already holds a kernel and headers is reused.
#
# usage: fetch-kernel.sh CACHE_DIR [root|headers] [KERNEL]
#   headers  print the unpacked headers build dir instead of the root
#   KERNEL   6.12 (default; also $XTTM_KERNEL), 6.12-rt (PREEMPT_RT) or 6.1
#            (Debian 12's default kernel); the newest of each is taken
set -eu

cache=${1:?usage: fetch-kernel.sh CACHE_DIR [root|headers] [KERNEL]}
what=${2:-root}
kernel=${3:-${XTTM_KERNEL:-6.12}}

case $kernel in
6.12) meta=linux-image-6.12-amd64 pat='6\.12\.[0-9]*+deb12-amd64' ;;
6.12-rt) meta=linux-image-6.12-rt-amd64 pat='6\.12\.[0-9]*+deb12-rt-amd64' ;;
6.1) meta=linux-image-amd64 pat='6\.1\.0-[0-9]*-amd64' ;;
*) echo "fetch-kernel: unknown kernel '$kernel' (6.12, 6.12-rt or 6.1)" >&2; exit 2 ;;
esac

resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n "s/^ *Depends: linux-image-\\($pat\\)\$/\\1/p" | head -n 1
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

# The headers package pulls in its common tree and its kbuild scripts; the
# names differ between releases (linux-kbuild-6.1, -common-rt), so ask apt.
pkgs="linux-image-$kver linux-headers-$kver $(apt-cache depends "linux-headers-$kver" |
	sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p' | sort -u | tr '\n' ' ')"
dl=$cache/debian/debs
mkdir -p "$dl" "$root"
# shellcheck disable=SC2086
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

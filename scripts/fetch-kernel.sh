#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Fetch one of Debian's amd64 kernels, image and headers, without
# installing them: apt-get download the packages and unpack them with
# dpkg-deb under $CACHE/debian/<kver>. Prints the unpacked root on stdout.
# Idempotent: a root that already holds a kernel and headers is reused.
# Debian 12's kernels come through the machine's apt; 7.3 from
# trixie-backports through scripts/debian-apt.sh (a private apt state in the
# cache). Every root looks the same afterwards: boot/vmlinuz-<kver>,
# lib/modules/<kver>/, usr/src/linux-headers-<kver>/.
#
# usage: fetch-kernel.sh CACHE_DIR [root|headers] [KERNEL]
#   headers  print the unpacked headers build dir instead of the root
#   KERNEL   6.12 (default; also $XTTM_KERNEL), 6.12-rt (PREEMPT_RT), 6.1
#            (Debian 12's default kernel), 7.3 or 7.3-rt (trixie-backports);
#            the newest of each is taken
set -eu
scripts=$(cd "$(dirname "$0")" && pwd)

cache=${1:?usage: fetch-kernel.sh CACHE_DIR [root|headers] [KERNEL]}
what=${2:-root}
kernel=${3:-${XTTM_KERNEL:-6.12}}

case $kernel in
6.12) meta=linux-image-6.12-amd64 pat='6\.12\.[0-9]*+deb12-amd64' ;;
6.12-rt) meta=linux-image-6.12-rt-amd64 pat='6\.12\.[0-9]*+deb12-rt-amd64' ;;
6.1) meta=linux-image-amd64 pat='6\.1\.0-[0-9]*-amd64' ;;
7.3) meta='' pat='7\.3\.[0-9]*+deb13-amd64' ;;
7.3-rt) meta='' pat='7\.3\.[0-9]*+deb13-rt-amd64' ;;
*) echo "fetch-kernel: unknown kernel '$kernel' (6.12, 6.12-rt, 6.1, 7.3 or 7.3-rt)" >&2; exit 2 ;;
esac

# apt of the kernel's release: the machine's for Debian 12's kernels, the
# private one of debian-apt.sh for trixie-backports (no meta package there
# names the newest 7.3: the newest version of the image packages is taken).
if [ -n "$meta" ]; then
	apt_get() { apt-get "$@"; }
	apt_cache() { apt-cache "$@"; }
else
	apt_get() { "$scripts/debian-apt.sh" "$cache" apt-get "$@"; }
	apt_cache() { "$scripts/debian-apt.sh" "$cache" apt-cache "$@"; }
fi

resolve() {
	if [ -n "$meta" ]; then
		apt_cache depends "$meta" 2>/dev/null |
			sed -n "s/^ *Depends: linux-image-\\($pat\\)\$/\\1/p" | head -n 1
	else
		apt_cache pkgnames linux-image-7 2>/dev/null |
			sed -n "s/^linux-image-\\($pat\\)\$/\\1/p" | sort -V | tail -n 1
	fi
}

kver=$(resolve)
if [ -z "$kver" ] && [ -n "$meta" ]; then
	apt-get update -q >&2
	kver=$(resolve)
fi
[ -n "$kver" ] || { echo "fetch-kernel: cannot resolve Debian's $kernel kernel" >&2; exit 1; }

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
# 7.3's image package is a meta package over the kernel (linux-binary-*),
# its modules (linux-modules-*) and config and System.map (linux-base-*).
deps() {
	apt_cache depends "$1" |
		sed -n "s/^ *Depends: \\(linux-\\($2\\)-[^ ]*\\)\$/\\1/p"
}
pkgs=$({
	echo "linux-image-$kver" "linux-headers-$kver"
	deps "linux-headers-$kver" 'headers\|kbuild\|base'
	deps "linux-image-$kver" 'binary\|modules\|base'
} | tr ' ' '\n' | grep -v '^linux-base$' | sort -u | tr '\n' ' ')
dl=$cache/debian/debs
mkdir -p "$dl" "$root"
# shellcheck disable=SC2086
(cd "$dl" && apt_get download -q $pkgs >&2)
for p in $pkgs; do
	dpkg-deb -x "$(ls "$dl"/"$p"_*.deb | tail -n 1)" "$root"
done

# The headers Makefile includes the common tree by absolute path, and 7.3's
# names its own dir as the output dir; point both at the unpacked copy.
sed -i -e "s|^include /usr/src/|include $root/usr/src/|" \
	-e "s|^KBUILD_OUTPUT=/usr/src/|KBUILD_OUTPUT=$root/usr/src/|" "$hdr/Makefile"
# 7.3 (trixie, merged /usr) keeps the kernel and its modules in
# usr/lib/modules/<kver>/; link them where Debian 12's packages have them.
if [ ! -e "$root/lib" ] && [ -d "$root/usr/lib/modules" ]; then
	ln -s usr/lib "$root/lib"
fi
if [ ! -e "$root/boot/vmlinuz-$kver" ] && [ -f "$root/usr/lib/modules/$kver/vmlinuz" ]; then
	mkdir -p "$root/boot"
	ln -s "../usr/lib/modules/$kver/vmlinuz" "$root/boot/vmlinuz-$kver"
	ln -s "../usr/lib/modules/$kver/config" "$root/boot/config-$kver"
fi
# The kbuild package's scripts are reached through a symlink to /usr/lib.
for l in "$hdr/scripts" "$hdr/tools"; do
	if [ -L "$l" ]; then
		t=$(readlink "$l")
		case $t in
		/*) ln -sfn "$root$t" "$l" ;;
		esac
	fi
done
# Debian's 7.3 kbuild has no scripts/checker-valid.sh, and without it C=2
# silently checks nothing: give it ours.
for k in "$root"/usr/lib/linux-kbuild-*/scripts; do
	if [ -d "$k" ] && [ ! -e "$k/checker-valid.sh" ]; then
		cp "$scripts/checker-valid.sh" "$k/checker-valid.sh"
	fi
done
touch "$root/.done"
out

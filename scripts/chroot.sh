#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The build environment of Debian's Linux 7.x kernels: a Debian 13 (trixie)
# chroot with the compiler those kernels were built with (gcc-14; Debian 12's
# gcc-12 rejects their module flags, and trixie's gcc-14 needs a newer glibc
# than Debian 12 has), the kernel's kbuild host tools' libraries, pahole,
# sparse and dkms. It lives in $CACHE/chroot-trixie and is made on first use
# by debootstrap (trixie's own, unpacked into the cache, not installed), so
# a fresh machine needs nothing beyond Debian 12's archive keyring.
#
#   chroot.sh CACHE_DIR ensure         make it if missing (or half made);
#                                      print its root
#   chroot.sh CACHE_DIR run CMD ARG..  run CMD inside it, in the current
#                                      dir, with the cache, the xttm tree
#                                      and the current dir at the same paths
#                                      ($XTTM_CHROOT_BIND: more dirs, ':'
#                                      between them)
#
# Each "run" happens in a mount namespace of its own (unshare), so the bind
# mounts and /proc vanish with the command and concurrent runs never see
# each other's mounts. Creation takes a lock, so two callers (make check's
# background start and a step that needs it) never build it twice.
set -euo pipefail

usage="usage: chroot.sh CACHE_DIR ensure | run CMD [ARG...]"
cache=${1:?$usage}
what=${2:?$usage}
shift 2
scripts=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$scripts")
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
root=$cache/chroot-trixie
mirror=http://deb.debian.org/debian
# What the 7.x module builds need inside: the kernel's compiler, the host
# tools' libraries (libelf, libssl), pahole for BTF, dkms for the DKMS
# build, xz for compressed modules. sparse comes from sid (below).
pkgs=gcc-14,make,libc6-dev,libelf1t64,libssl3t64,dwarves,dkms,kmod,xz-utils,bc,python3
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo

create() {
	local dbs=$cache/debootstrap tmp=$cache/chroot-trixie.tmp deb start=$SECONDS

	# trixie's debootstrap (a shell script and its suite scripts), unpacked.
	if [ ! -x "$dbs/usr/sbin/debootstrap" ]; then
		mkdir -p "$cache/debian/debs"
		(cd "$cache/debian/debs" &&
			"$scripts/debian-apt.sh" "$cache" apt-get download -q debootstrap/trixie >&2)
		deb=$(ls "$cache"/debian/debs/debootstrap_*.deb | tail -n 1)
		rm -rf "$dbs"
		dpkg-deb -x "$deb" "$dbs"
	fi
	echo "chroot: creating the trixie build chroot in $root (about 2 min)" >&2
	$sudo rm -rf "$tmp"
	$sudo env DEBOOTSTRAP_DIR="$dbs/usr/share/debootstrap" \
		"$dbs/usr/sbin/debootstrap" --variant=minbase --include="$pkgs" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		trixie "$tmp" "$mirror" >"$cache/chroot-create.log" 2>&1 || {
		tail -n 30 "$cache/chroot-create.log" >&2
		echo "chroot: debootstrap failed (log: $cache/chroot-create.log)" >&2
		exit 1
	}
	$sudo chroot "$tmp" apt-get clean
	# The 7.x headers use __typeof_unqual__, which trixie's sparse 0.6.4
	# does not parse (the kernel Makefile then turns C=2 off); sid's 0.6.5
	# does, and its binary needs nothing newer than trixie's glibc.
	rm -rf "$cache/sparse-sid"
	mkdir -p "$cache/sparse-sid"
	(cd "$cache/sparse-sid" &&
		"$scripts/debian-apt.sh" "$cache" apt-get download -q sparse/sid >&2)
	dpkg-deb -x "$(ls "$cache"/sparse-sid/sparse_*.deb | tail -n 1)" "$cache/sparse-sid/x"
	$sudo cp "$cache/sparse-sid/x/usr/bin/sparse" "$tmp/usr/local/bin/sparse"
	$sudo cp "$scripts/checker-valid.sh" "$tmp/usr/local/bin/xttm-checker-valid"
	if [ "$($sudo chroot "$tmp" /usr/local/bin/xttm-checker-valid sparse)" != 1 ]; then
		echo "chroot: sid's sparse does not run or cannot check 7.x headers" >&2
		exit 1
	fi
	rm -rf "$cache/sparse-sid"
	$sudo mv "$tmp" "$root"
	$sudo touch "$root/.xttm-chroot"
	echo "chroot: created in $((SECONDS - start)) s, $(du -sh "$root" 2>/dev/null | cut -f1)" >&2
}

ensure() {
	[ -f "$root/.xttm-chroot" ] && return 0
	exec 9>"$cache/chroot.lock"
	flock 9
	[ -f "$root/.xttm-chroot" ] || create
	exec 9>&-
}

case $what in
ensure)
	ensure
	echo "$root"
	;;
run)
	[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
	ensure
	binds=("$cache" "$top" "$PWD")
	IFS=: read -r -a extra <<<"${XTTM_CHROOT_BIND:-}"
	binds+=("${extra[@]}")
	# The namespace's script: bind each dir at its own path, /dev and
	# /proc, then chroot and drop to the caller's ids.
	# shellcheck disable=SC2016
	inner='
		root=$1 ids=$2 dir=$3 n=$4
		shift 4
		for ((i = 0; i < n; i++)); do
			mkdir -p "$root$1"
			mount --rbind "$1" "$root$1"
			shift
		done
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		exec chroot --userspec="$ids" "$root" /usr/bin/env \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			sh -c '\''cd "$1" && shift && exec "$@"'\'' sh "$dir" "$@"'
	n=0
	real=()
	for b in "${binds[@]}"; do
		[ -n "$b" ] && [ -d "$b" ] || continue
		real+=("$(cd "$b" && pwd -P)")
		n=$((n + 1))
	done
	exec $sudo unshare --mount --propagation private bash -c "$inner" bash \
		"$root" "$(id -u):$(id -g)" "$PWD" "$n" "${real[@]}" "$@"
	;;
*)
	echo "$usage" >&2
	exit 2
	;;
esac

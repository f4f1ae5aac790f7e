#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# apt-get/apt-cache against Debian's newer suites (trixie, trixie-backports,
# sid) without touching the machine's apt: a private state, cache and
# sources list under $CACHE/apt-trixie, the system's mirror, verified by the
# archive keyring bookworm already has. Used to fetch Linux 7.x packages
# (trixie-backports), trixie's debootstrap and single newer tools (sid) for
# downloading only; nothing is installed.
#
# usage: debian-apt.sh CACHE_DIR apt-get|apt-cache ARGS...
#   the first call (or one a day later) runs apt-get update first
set -eu

cache=${1:?usage: debian-apt.sh CACHE_DIR apt-get|apt-cache ARGS...}
tool=${2:?}
shift 2
dir=$cache/apt-trixie
mirror=http://deb.debian.org/debian
kr=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$dir/state/lists/partial" "$dir/cache/archives/partial"
# sid only for single tools newer than trixie's (sparse: see chroot.sh);
# ask for those as NAME/sid.
list="deb [signed-by=$kr] $mirror trixie main
deb [signed-by=$kr] $mirror trixie-backports main
deb [signed-by=$kr] $mirror sid main"
stamp=$dir/state/updated
if [ "$(cat "$dir/sources.list" 2>/dev/null)" != "$list" ]; then
	echo "$list" >"$dir/sources.list"
	rm -f "$stamp"
fi
opts="-o Dir::State=$dir/state -o Dir::Cache=$dir/cache
-o Dir::Etc::SourceList=$dir/sources.list -o Dir::Etc::SourceParts=/dev/null
-o APT::Architecture=amd64 -o APT::Sandbox::User=root"
if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
	# shellcheck disable=SC2086
	apt-get $opts update -q >&2
	touch "$stamp"
fi
# shellcheck disable=SC2086
exec "$tool" $opts "$@"

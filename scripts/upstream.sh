#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Build upstream's own TTM clients (the GEM TTM and VRAM helpers, the TTM
# fbdev emulation, the bochs KMS driver) from Debian's linux-source-6.12
# against xttm, into $CACHE/upstream: tests/upstream/prepare.sh copies them
# with only their TTM includes changed, tests/upstream/Kbuild builds them.
# xttm's Module.symvers must exist (build xttm first).
#
# usage: upstream.sh build HEADERS_DIR
set -eu

what=${1:?usage: upstream.sh build HEADERS_DIR}
hdr=${2:?usage: upstream.sh build HEADERS_DIR}
[ "$what" = build ] || { echo "usage: upstream.sh build HEADERS_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
src=$("$top/scripts/kernel-tree.sh" "$cache")
out=$cache/upstream

"$top/tests/upstream/prepare.sh" "$src" "$out"
cat "$out/changes.txt"
make -C "$hdr" M="$out" XTTM_DIR="$top" \
	KBUILD_EXTRA_SYMBOLS="$top/Module.symvers" modules

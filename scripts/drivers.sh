#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make drivers: compile the TTM parts of every in-tree TTM driver Debian
# builds for amd64 (amdgpu, radeon, nouveau, vmwgfx, xe, i915, qxl) from
# Debian's linux-source-6.12 against xttm, with Debian's config, at API
# level 612. make drivers-7.3: the same for Linux 7.3's xe (by default)
# from linux-source-7.3 against Debian's 7.3 headers, at API level 703.
#
# Nothing of the drivers is kept in the repository. At test time the
# drivers' dirs are mirrored into $XTTM_CACHE/drivers/tree (drivers-7.3/
# for 7.3) as symlinks to
# the extracted source; a file with a TTM include becomes a copy in which
# only those lines changed (<drm/ttm/ to <drm/xttm/, the rule of
# tests/upstream/prepare.sh, checked line by line), and so do the two DRM
# helper headers that include TTM, which are put first through
# NOSTDINC_FLAGS. Tracepoint headers named from include/trace/ of a full
# source tree (radeon's TRACE_INCLUDE_PATH ../../drivers/gpu/drm/radeon)
# are found through the mirror's empty include/trace. The drivers'
# Makefiles are used as they are, but for xe's, which names i915's dir as
# $(srctree)/drivers/gpu/drm/i915: in its copy that path points at the
# mirror (the headers package has no driver sources).
#
# Which xttm: on 6.12 this tree's own build (make modules: Module.symvers
# and generated/). On 7.3 xttm as DKMS installed it for 7.3 in make
# kernel-7.3 (scripts/dkms.sh, built again only if the tree changed since):
# its source dir and Module.symvers, and the two generated headers made by
# its scripts/xttm.mk for 7.3's headers, as README.md's "Building a driver
# against an installed xttm" does. Linux 7.3's objects are compiled in the
# trixie chroot with gcc-14 (scripts/chroot.sh), which has no plain gcc
# for xe's host-side generator: HOSTCC=gcc-14.
#
# Which files: of the objects a driver's Makefile builds with Debian's
# config (include/config/auto.conf of the headers), the ones that use TTM
# (scripts/drivers-select.py finds those that include a TTM header
# directly or through other headers): all of them for radeon, nouveau,
# vmwgfx and qxl; of amdgpu, xe and i915, where nearly every file includes
# TTM through amdgpu.h, xe_bo.h or i915_drv.h, the ones that name TTM
# themselves (see "big" below). On 6.12, 335 files, about 7 minutes on 2
# cores; XTTM_DRIVERS_ALL=1 compiles every file that includes TTM at all:
# 1184 files, about 23 minutes (too long for make check's budget).
# Each is compiled as a module object by Kbuild (make M=<driver dir>
# <object>...), not linked.
#
# Pass criteria, per driver: every selected object compiles; no object
# has an undefined ttm_* symbol (nm -u) but the driver's own (vmwgfx
# defines ttm_object.c's functions itself; none of them is a name upstream's
# TTM exports), and every undefined xttm_* symbol is exported by xttm (its
# Module.symvers). Prints a table and the summary line "drivers: ..."
# ("drivers-7.3: ..." for 7.3).
#
# usage: drivers.sh [6.12|7.3] [DRIVER...]
#   (default 6.12 and all seven; on 7.3 xe alone, any of the seven named)
#   XTTM_DRIVERS_KEEP=1    keep the objects of an earlier run (incremental)
#   XTTM_DRIVERS_ALL=1     of amdgpu, xe, i915 every file that includes TTM
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
jobs=${XTTM_JOBS:-2}
all="amdgpu radeon nouveau vmwgfx xe i915 qxl"
kernel=6.12
case ${1:-} in 6.12 | 7.3) kernel=$1 && shift ;; esac
src=$("$top/scripts/kernel-tree.sh" "$cache" "$kernel")
# Per kernel: the step's name, the API level, the default drivers, the
# work dir, what runs make (and its extra arguments), the headers, xttm's
# include dir, generated headers and Module.symvers.
case $kernel in
6.12)
	name=drivers api=612 defaults=$all work=$cache/drivers run=() kargs=()
	kdir=${KDIR:-$("$top/scripts/fetch-kernel.sh" "$cache" headers)}
	xinc=$top/include symvers=$top/Module.symvers gen=$top/generated
	if [ ! -f "$symvers" ] || [ ! -f "$gen/drm/xttm/xttm_symbols.h" ]; then
		echo "drivers: build xttm first (make modules)" >&2
		exit 2
	fi ;;
7.3)
	name=drivers-7.3 api=703 defaults=xe work=$cache/drivers-7.3
	run=("$top/scripts/chroot.sh" "$cache" run) kargs=(HOSTCC=gcc-14)
	kdir=$("$top/scripts/fetch-kernel.sh" "$cache" headers 7.3)
	dk=$(XTTM_DKMS_REUSE=1 "$top/scripts/dkms.sh" 7.3)
	xsrc=$(echo "$dk"/src/xttm-*)
	xinc=$xsrc/include symvers=$dk/Module.symvers gen=$work/xttm/generated
	# A Kbuild dir that only makes xttm.mk's two headers.
	mkdir -p "$work/xttm"
	# shellcheck disable=SC2016
	printf '%s\n' "XTTM_DIR := $xsrc" 'include $(XTTM_DIR)/scripts/xttm.mk' \
		'always-y += $(XTTM_GENERATED:$(obj)/%=%)' >"$work/xttm/Kbuild"
	"${run[@]}" make -s -C "$kdir" M="$work/xttm" >"$work/xttm.log" 2>&1 || {
		cat "$work/xttm.log" >&2
		echo "$name: generating xttm's headers for $kernel failed" >&2
		exit 1
	} ;;
esac

# shellcheck disable=SC2086
[ $# -gt 0 ] || set -- $defaults
dir_of() {
	case $1 in
	amdgpu) echo amd/amdgpu ;;
	*) echo "$1" ;;
	esac
}

tree=$work/tree
drm=drivers/gpu/drm
# Bump the 1 when the mirror changes.
stamp="3 $src $(stat -c %Y "$src/.xttm-extracted")"
if [ "$(cat "$tree/.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "$name: mirroring the drivers of $src into $tree" >&2
	rm -rf "$tree"
	mkdir -p "$tree/$drm" "$tree/include/drm" "$tree/include/trace"
	for d in amd radeon nouveau vmwgfx xe i915 qxl; do
		cp -rs "$src/$drm/$d" "$tree/$drm/"
	done
	# The DRM core's internal headers, which some drivers include, and
	# i915's "../../../platform/x86/intel_ips.h".
	cp -s "$src/$drm"/*.h "$tree/$drm/"
	ln -s "$src/drivers/platform" "$tree/drivers/platform"
	: >"$work/changes.txt"
	{
		echo include/drm/drm_gem_ttm_helper.h
		echo include/drm/drm_gem_vram_helper.h
		cd "$src" && grep -rlE '^#include <drm/ttm/' \
			$drm/amd $drm/radeon $drm/nouveau $drm/vmwgfx $drm/xe $drm/i915 $drm/qxl
	} | while read -r f; do
		rm -f "$tree/$f"
		sed 's|^\(#include <drm/\)ttm/|\1xttm/|' "$src/$f" >"$tree/$f"
		if diff "$src/$f" "$tree/$f" | grep '^[<>]' |
			grep -v '^[<>] #include <drm/x\{0,1\}ttm/' >&2; then
			echo "$name: $f: a line other than a TTM include changed" >&2
			exit 1
		fi
		echo "$f $(diff "$src/$f" "$tree/$f" | grep -c '^>')" >>"$work/changes.txt"
	done
	rm -f "$tree/$drm/xe/Makefile"
	# shellcheck disable=SC2016
	sed 's|\$(srctree)/drivers/|$(XTTM_DRIVERS_TREE)/drivers/|g' "$src/$drm/xe/Makefile" \
		>"$tree/$drm/xe/Makefile"
	echo "$stamp" >"$tree/.stamp"
fi
changed_files=$(wc -l <"$work/changes.txt")
changed_lines=$(awk '{ n += $2 } END { print n }' "$work/changes.txt")

# The objects a Makefile builds with Debian's config.
cat >"$work/objects.mk" <<'EOF'
include $(KDIR)/include/config/auto.conf
src := $(DIR)
obj := $(DIR)
srctree := $(KDIR)
include $(firstword $(wildcard $(DIR)/Kbuild $(DIR)/Makefile))
objects:
	@echo $(sort $(foreach m,$(obj-m),$($(m:.o=-y)) $($(m:.o=-objs))))
EOF

kmake() {
	"${run[@]}" make -C "$kdir" M="$tree/$drm/$1" XTTM_DRIVERS_TREE="$tree" \
		NOSTDINC_FLAGS="-I$tree/include -I$xinc -I$gen -I$tree/include/trace" \
		KCFLAGS="-DXTTM_API=$api" KBUILD_EXTRA_SYMBOLS="$symvers" "${kargs[@]}" "${@:2}"
}

# What upstream's TTM exports: an undefined one of these means a call
# that xttm's headers did not rename.
upstream=$work/ttm-exports.txt
sed -n 's/^EXPORT_SYMBOL[A-Z_]*(\([A-Za-z0-9_]*\)[,)].*/\1/p' "$src/$drm"/ttm/*.c |
	sort -u >"$upstream"
# Unless XTTM_DRIVERS_ALL=1, of amdgpu, xe and i915 only the files that
# include a TTM header directly or name TTM (a ttm_ or TTM_ identifier, or
# the TTM object embedded in the driver's buffer object: amdgpu's tbo,
# xe's and i915's ttm) are compiled.
big="amdgpu xe i915"
direct='\b(ttm|TTM)_|<drm/x?ttm/|drm_gem_(ttm|vram)_helper\.h|\btbo\b|(->|\.)ttm\.'
exported=$work/xttm-exports.txt
awk '{ print $2 }' "$symvers" | sort -u >"$exported"
table=$work/table.txt
printf '%-8s %6s %8s %7s %11s %7s\n' driver files compiled errors unresolved time >"$table"
total_files=0 total_bad=0 total_err=0 total_unres=0 status=0
for drv in "$@"; do
	d=$(dir_of "$drv")
	[ -d "$tree/$drm/$d" ] || { echo "$name: no driver '$drv' ($all)" >&2; exit 2; }
	sel=$work/$drv.files
	make -s -f "$work/objects.mk" KDIR="$kdir" DIR="$tree/$drm/$d" objects |
		python3 "$top/scripts/drivers-select.py" "$tree" "$d" >"$sel.all"
	case " $big " in
	*" $drv "*)
		if [ -n "${XTTM_DRIVERS_ALL:-}" ]; then
			cp "$sel.all" "$sel"
		else
			while read -r o c; do
				grep -qE "$direct" "$tree/$drm/$d/$c" && echo "$o $c"
			done <"$sel.all" >"$sel"
		fi ;;
	*) cp "$sel.all" "$sel" ;;
	esac
	# ttm_* functions the driver defines itself (vmwgfx's ttm_object.c).
	find "$tree/$drm/$d/" -name '*.c' | ctags -x --language-force=C --kinds-C=f -L - 2>/dev/null |
		awk '$1 ~ /^ttm_/ { print $1 }' | sort -u >"$work/$drv.own"
	mapfile -t objs < <(cut -d' ' -f1 "$sel")
	if [ -z "${XTTM_DRIVERS_KEEP:-}" ]; then
		(cd "$tree/$drm/$d" && rm -f "${objs[@]}")
	fi
	log=$work/$drv.log
	start=$SECONDS
	kmake "$d" -k -j"$jobs" "${objs[@]}" >"$log" 2>&1 || true
	secs=$((SECONDS - start))
	errors=$(grep -cE ': (fatal )?error: ' "$log" || true)
	bad=0 unres=0
	for o in "${objs[@]}"; do
		f=$tree/$drm/$d/$o
		if [ ! -f "$f" ]; then
			bad=$((bad + 1))
			echo "$name: $drv: $o did not compile" >>"$log"
			continue
		fi
		nm -u "$f" | awk -v o="$o" '{ print o, $2 }'
	done >"$work/$drv.undefined"
	# One pass over every object's undefined symbols, against the lists.
	awk 'FILENAME == ARGV[1] { up[$1] = 1; next }
		FILENAME == ARGV[2] { own[$1] = 1; next }
		FILENAME == ARGV[3] { ex[$1] = 1; next }
		$2 ~ /^ttm_/ && ($2 in up) {
			print $1 ": " $2 " (upstream TTM\047s, not linked to xttm)" }
		$2 ~ /^ttm_/ && !($2 in up) && !($2 in own) {
			print $1 ": " $2 " (neither TTM\047s nor the driver\047s)" }
		$2 ~ /^xttm_/ && !($2 in ex) {
			print $1 ": " $2 " (not exported by xttm)" }' \
		"$upstream" "$work/$drv.own" "$exported" "$work/$drv.undefined" \
		>"$work/$drv.unresolved"
	unres=$(cut -d' ' -f2 "$work/$drv.unresolved" | sort -u | grep -c . || true)
	printf '%-8s %6d %8d %7d %11d %6ds\n' "$drv" "${#objs[@]}" \
		$((${#objs[@]} - bad)) "$errors" "$unres" "$secs" >>"$table"
	if [ "$bad" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$unres" -ne 0 ]; then
		grep -E ': (fatal )?error: ' "$log" | sort | uniq -c | sort -rn | head -n 40 >&2 || true
		sort -u "$work/$drv.unresolved" | head -n 40 >&2
		status=1
	fi
	total_files=$((total_files + ${#objs[@]}))
	total_bad=$((total_bad + bad))
	total_err=$((total_err + errors))
	total_unres=$((total_unres + unres))
done
cat "$table"
echo "$name: $# drivers of Linux $kernel at API level $api, $total_files files ($changed_lines TTM include lines changed in $changed_files files), $total_bad not compiled, $total_err errors, $total_unres unresolved ttm symbols"
exit $status

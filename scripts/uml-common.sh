# SPDX-License-Identifier: GPL-2.0 OR MIT
# shellcheck shell=bash disable=SC2154
#
# Sourced by the scripts that build UML kernels with xttm in the tree
# (scripts/kunit.sh, scripts/kmemleak.sh); needs $top and $cache set.
#
#   uml_lock ARG...       run the calling script again under the cache's
#                         kunit.lock (one UML run per cache at a time: the
#                         overlay, the trees' symlinks to it and the build
#                         dirs are shared by every checkout of the cache)
#   uml_tree VERSION      extract that kernel source if needed, copy the
#                         checkout into the overlay, link the tree's
#                         drivers/gpu/drm/xttm to it; sets $src, $overlay
#   uml_reports LOG       print every bug report of a kernel log, but UML's
#                         own two (below)
#   uml_warnings OUT      print the compiler's warnings in xttm's files of
#                         a kunit.py output
#   uml_summary NAME OUT  kunit.py's summary line of OUT in $summary; fails
#                         unless every test passed

uml_lock() {
	if [ -z "${XTTM_KUNIT_LOCKED:-}" ]; then
		export XTTM_KUNIT_LOCKED=1
		exec flock "$cache/kunit.lock" "$0" "$@"
	fi
}

# The overlay holds only sources, so no out-of-tree build product can leak
# into a build. Copied by content, and a copied file gets the time of the
# copy: a tree whose files are older than the build's objects (another
# checkout) still rebuilds what changed.
uml_tree() {
	src=$("$top/scripts/kernel-tree.sh" "$cache" "$1")
	overlay=$cache/overlay/xttm
	mkdir -p "$overlay"
	rsync -rlpD --checksum --delete --prune-empty-dirs \
		--exclude='.git/' --exclude='generated/' --exclude='.*.cmd' \
		--include='*/' --include='*.c' --include='*.h' --include='Kbuild' \
		--include='Kconfig' --include='*.mk' --include='*.sh' \
		--include='.kunitconfig' --exclude='*' \
		"$top/" "$overlay/"

	ln -sfn "$overlay" "$src/drivers/gpu/drm/xttm"
	grep -q '^source "drivers/gpu/drm/xttm/Kconfig"' "$src/drivers/gpu/drm/Kconfig" ||
		echo 'source "drivers/gpu/drm/xttm/Kconfig"' >>"$src/drivers/gpu/drm/Kconfig"
	# shellcheck disable=SC2016
	grep -q '^obj-$(CONFIG_DRM_XTTM) += xttm/' "$src/drivers/gpu/drm/Makefile" ||
		echo 'obj-$(CONFIG_DRM_XTTM) += xttm/' >>"$src/drivers/gpu/drm/Makefile"
}

# Every report the kernel can print about a bug: lockdep's (they begin
# with a WARNING line, or a DEBUG_LOCKS_WARN_ON), KASAN's, UBSAN's, BUGs,
# Oopses, panics and any WARNING, whichever file it comes from.
# Two reports are UML's own and left out, each by what it is:
# - its flush_tlb_mm() walks the VMAs of an mm without that mm's lock, so
#   any unmap_mapping_range() of a user mapping from another context (what
#   a buffer object move must do) trips an RCU check inside arch/um;
# - the WARNING its PCI-over-virtio emulation prints once at boot, when it
#   finds no virtio device behind it (DRM needs the emulation for DMA):
#   arch/um/drivers/virt-pci.c in 6.12, virtio_pcidev.c in 7.3.
uml_reports() {
	local bad='WARNING:|BUG:|BUG at|KASAN:|UBSAN:|Oops|Kernel panic|DEBUG_LOCKS_WARN_ON|'
	bad+='lock held when returning|bad unlock balance|inconsistent lock state|'
	bad+='possible circular locking|possible recursive locking|suspicious RCU usage'
	awk -v bad="$bad" '
	function flush() {
		if (text != "" &&
		    !(text ~ /suspicious RCU usage/ && text ~ /flush_tlb_mm/) &&
		    !(text ~ /^[^\n]*WARNING:[^\n]*arch\/um\/drivers\/virt(-pci|io_pcidev)\.c/ &&
		      text ~ /No virtio device ID configured for PCI/))
			printf "%s", text
		text = ""
	}
	$0 ~ bad { flush(); n = 45 }
	n > 0 { text = text $0 "\n"; n-- ; if (!n) flush(); next }
	END { flush() }' "$1" 2>/dev/null
}

# Zero warnings holds for the suites too (shown when a file is rebuilt, so
# a cold run sees them all).
uml_warnings() {
	grep -E "drivers/gpu/drm/xttm/[^ ]*: warning:" "$1" || true
}

# kunit.py's summary line of OUT, in $summary; fails, saying why, unless
# it is there and every test passed (a failure, a crash, a skip fail).
uml_summary() {
	summary=$(grep -oE "Testing complete\. Ran [0-9]+ tests.*" "$2" | tail -n 1 || true)
	if [ -z "$summary" ]; then
		echo "$1: no test summary (build or boot failed)" >&2
		return 1
	fi
	if ! grep -Eq '^Testing complete\. Ran ([0-9]+) tests: passed: \1$' <<<"$summary"; then
		echo "$1: not every test passed" >&2
		return 1
	fi
}

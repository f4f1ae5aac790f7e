#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Debian's linux-kbuild packages (7.3 among them) lack the kernel's
# scripts/checker-valid.sh, which the kernel Makefile runs for C=1/C=2:
# without it, make prints a warning and quietly checks nothing.
# scripts/fetch-kernel.sh puts this one in its place in the unpacked kbuild
# tree. Like the kernel's, it prints 1 if the checker can check this
# kernel's sources, else 0: the checker runs, and it understands
# __typeof_unqual__, which the 7.x headers use (sparse 0.6.4 does not).
# sparse reports errors on its output, not in its exit status.
#
# usage: checker-valid.sh CHECKER [CHECKFLAGS...]
set -u

if ! command -v "$1" >/dev/null 2>&1; then
	echo 0
	exit 0
fi
src=$(mktemp "${TMPDIR:-/tmp}/checker-valid.XXXXXX.c")
trap 'rm -f "$src"' EXIT
cat >"$src" <<'PROBE'
int xttm_checker_probe(const volatile int *p);
int xttm_checker_probe(const volatile int *p)
{
	__typeof_unqual__(*p) copy = *p;

	return copy;
}
PROBE
if out=$("$@" "$src" 2>&1) && ! printf '%s\n' "$out" | grep -q 'error'; then
	echo 1
else
	echo 0
fi

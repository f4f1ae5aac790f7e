#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Fail if xttm exports any name that starts with ttm_: such a module cannot
# be loaded while the in-kernel ttm.ko is. Checks both Module.symvers and
# the symbol table of the module.
#
# usage: check-exports.sh xttm.ko Module.symvers
set -eu
ko=${1:?usage: check-exports.sh MODULE.ko Module.symvers}
symvers=${2:?usage: check-exports.sh MODULE.ko Module.symvers}

bad=$( { awk '{ print $2 }' "$symvers"; nm "$ko" | sed -n 's/.* __ksymtab_//p'; } |
	grep '^ttm_' | sort -u || true)
if [ -n "$bad" ]; then
	echo "check-exports: exported names must not start with ttm_:" >&2
	echo "$bad" >&2
	exit 1
fi
n=$(awk '$2 ~ /^xttm_/' "$symvers" | wc -l)
if [ "$n" -eq 0 ]; then
	echo "check-exports: no xttm_ exports found in $symvers" >&2
	exit 1
fi
echo "check-exports: $n symbols exported, all as xttm_*"

# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Sourced by prepare.sh and prepare-qxl.sh: the one step both make on every
# upstream file they take.
#
# rewrite_copy NAME FROM TO KEEP [SED]
#   Write FROM to TO with its TTM includes pointed at xttm (<drm/ttm/...>
#   to <drm/xttm/...>) and, if given, the sed expression SED applied too;
#   append every changed line to $out/changes.txt as "NAME:line: old =>
#   new" (sed keeps the line count, so old and new lines pair up); fail if
#   a changed line, old or new, does not match the grep pattern KEEP (the
#   "< " or "> " of diff comes first on each).
rewrite_copy() {
	rc_name=$1 rc_from=$2 rc_to=$3 rc_keep=$4 rc_sed=${5:-}

	sed -e 's|^\(#include <drm/\)ttm/|\1xttm/|' ${rc_sed:+-e "$rc_sed"} \
		"$rc_from" >"$rc_to"
	awk -v f="$rc_name" 'NR == FNR { a[FNR] = $0; next }
		a[FNR] != $0 { printf "%s:%d: %s => %s\n", f, FNR, a[FNR], $0 }' \
		"$rc_from" "$rc_to" >>"$out/changes.txt"
	if diff "$rc_from" "$rc_to" | grep '^[<>]' | grep -v "$rc_keep" >&2; then
		echo "$rc_name: a line other than an allowed include changed" >&2
		return 1
	fi
}

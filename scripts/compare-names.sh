#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make names: every name upstream's include/drm/ttm/*.h declares must be in
# xttm's include/drm/xttm/*.h, as the same kind of name, with the same type,
# at the API level of that upstream: 6.12's headers against xttm's at
# XTTM_API 612, 7.3's against xttm's at 703 (each level's view of the
# headers made by unifdef, as the preprocessor would see it).
#
# Both header sets go through universal-ctags. A name is a macro, a
# function (prototype or inline), a struct, union or enum, a member of one
# (members of anonymous structs are named through the member that holds
# them), an enumerator, a typedef or a global variable. Include guards are
# not names. For members, variables and functions the type is compared too:
# ctags' type (and, for functions, the parameter types without their names)
# with whitespace and typedef spellings of the same C type made uniform.
# At 703, a name 7.3 removed (in 6.12's headers, not in 7.3's) that xttm
# still shows fails as well. One missing name, or one of another type,
# fails; the exceptions are the list DEFERRED below (names being added,
# printed and counted; empty now) and PRIVATE: members upstream documents
# as TTM's own, which xttm keeps in another form (Documentation/compat.rst
# says which and why; printed and counted).
#
# usage: compare-names.sh [LEVEL UPSTREAM_INCLUDE_DRM_TTM_DIR]
#   without arguments: 612 against Debian's 6.12 source and 703 against
#   its 7.3 source (both fetched into the cache if missing)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
ours=$top/include/drm/xttm

if ! ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
	echo "names: universal-ctags is needed" >&2
	exit 2
fi
command -v unifdef >/dev/null || { echo "names: unifdef is needed" >&2; exit 2; }

tags() {
	ctags -x --language-force=C --kinds-C=+pxmelt-z \
		--_xformat='%N|%K|%s|%t|%S' "$@" 2>/dev/null | grep -v '|local|'
}

# xttm's headers as code at API level $1 sees them.
level_view() {
	local dir=$cache/names-xttm-$1 h
	rm -rf "$dir"
	mkdir -p "$dir"
	for h in "$ours"/*.h; do
		unifdef -DXTTM_API="$1" -UXTTM_INTERNAL -o "$dir/$(basename "$h")" "$h" || [ $? -eq 1 ]
	done
	echo "$dir"
}

if [ $# -ge 2 ]; then
	runs=("$1 $2")
else
	runs=("612 $("$top/scripts/kernel-tree.sh" "$cache" 6.12)/include/drm/ttm"
	      "703 $("$top/scripts/kernel-tree.sh" "$cache" 7.3)/include/drm/ttm")
fi

status=0
for run in "${runs[@]}"; do
	level=${run%% *}
	up=${run#* }
	tags "$up"/*.h >"$cache/names-upstream-$level.tags"
	tags "$(level_view "$level")"/*.h >"$cache/names-xttm-$level.tags"
	removed=/dev/null
	if [ "$level" = 703 ] && [ -f "$cache/names-upstream-612.tags" ]; then
		removed=$cache/names-upstream-612.tags
	fi
	python3 - "$level" "$cache/names-upstream-$level.tags" \
		"$cache/names-xttm-$level.tags" "$removed" <<'EOF' || status=1
import re
import sys

KIND = {'prototype': 'function', 'function': 'function',
        'externvar': 'variable', 'variable': 'variable'}
SAME = [(r'\buint(8|16|32|64)_t\b', r'u\1'), (r'\bint(8|16|32|64)_t\b', r's\1'),
        (r'\bunsigned int\b', 'unsigned'), (r'\bunsigned\b(?! long| char| short)', 'unsigned')]


def anon(scope):
    # Anonymous structs get a hash name that differs between files.
    return re.sub(r'__anon[0-9a-f]+', '{}', scope)


def norm_type(t):
    t = re.sub(r'^(typename|struct|union|enum):', lambda m: '' if m.group(1) == 'typename'
               else m.group(1) + ' ', t)
    t = anon(t)
    for a, b in SAME:
        t = re.sub(a, b, t)
    return re.sub(r'\s+', ' ', t.replace('*', ' * ')).replace(' ', '')


def split_params(sig):
    sig = sig.strip()[1:-1]
    out, depth, cur = [], 0, ''
    for c in sig:
        if c == ',' and depth == 0:
            out.append(cur)
            cur = ''
            continue
        depth += c in '(['
        depth -= c in ')]'
        cur += c
    out.append(cur)
    return out


def drop_name(p):
    p = p.strip()
    if p in ('void', '...', ''):
        return p
    # A function pointer parameter: drop the name inside (*name).
    if re.search(r'\(\s*\*\s*\w+\s*\)', p):
        return re.sub(r'\(\s*\*\s*\w+\s*\)', '(*)', p)
    # type name[...] / type name / type *name
    m = re.match(r'^(.*?[\s*])(\w+)(\s*(\[.*\])?)$', p)
    if m and m.group(1).strip() not in ('struct', 'enum', 'union', 'const', ''):
        return m.group(1) + (m.group(3) or '')
    return p


def load(path):
    names = {}
    lines = [line.rstrip('\n').split('|', 4) for line in open(path)]
    # An anonymous struct or union no member is of is a C11 anonymous
    # member: its members are members of the enclosing aggregate.
    held = set(re.findall(r'__anon[0-9a-f]+', ' '.join(l[3] for l in lines)))
    for l in lines:
        l[2] = '::'.join(c for c in l[2].split('::')
                         if not c.startswith('__anon') or c in held)
    for name, kind, scope, typ, sig in lines:
        if name.startswith('__anon'):
            continue
        if kind == 'macro' and re.match(r'^_+[A-Z0-9_]+_H_*$', name):
            continue
        kind = KIND.get(kind, kind)
        key = (kind, anon(scope), name)
        t = '' if typ == '-' else norm_type(typ)
        m = re.match(r'^(.*\(\*\))(\(.*\))(\[\])?$', typ)
        if m:
            # A function pointer: its parameter types, without their names.
            t = norm_type(m.group(1)) + '(' + ','.join(
                norm_type(drop_name(p)) for p in split_params(m.group(2))) + ')' + (m.group(3) or '')
        if kind == 'function' and name == 'DEFINE_CLASS' and sig != '-':
            # A <linux/cleanup.h> class, not a function: its name and type
            # are what code uses; how it cleans up is the header's own.
            t = ','.join(norm_type(p) for p in split_params(sig)[:2])
        elif kind == 'function' and sig != '-':
            t += '(' + ','.join(norm_type(drop_name(p)) for p in split_params(sig)) + ')'
        elif kind == 'macro' and sig != '-':
            t = str(len(split_params(sig)))
        names.setdefault(key, set()).add(t)
    return names


level = sys.argv[1]
up = load(sys.argv[2])
ours = load(sys.argv[3])
old = load(sys.argv[4]) if sys.argv[4] != '/dev/null' else {}
# Names being added, printed and counted instead of failing: none now.
DEFERRED = set()
# TTM-private members xttm keeps in another form (Documentation/compat.rst,
# "Differences"): the free chunks of a pool type are a list_head under a
# spinlock in xttm, a list_lru (which has its own locks) in 7.3.
PRIVATE = {'ttm_pool_type.pages', 'ttm_pool_type.lock'}
private = []
# Types xttm widened for every level, as 7.3 did (see Documentation/compat.rst).
WIDENED = {'612': {'ttm_place.fpfn', 'ttm_place.lpfn'}}
deferred = []
missing = []
mistyped = []
for key in sorted(up):
    kind, scope, name = key
    label = '%s %s%s' % (kind, scope + '.' if scope else '', name)
    if key not in ours:
        if name in DEFERRED or scope in DEFERRED or \
                '%s.%s' % (scope, name) in DEFERRED:
            deferred.append(label)
        else:
            missing.append(label)
    elif kind in ('member', 'variable', 'function', 'typedef', 'macro') and \
            not (up[key] & ours[key]):
        if '%s.%s' % (scope, name) in DEFERRED:
            deferred.append(label)
            continue
        if '%s.%s' % (scope, name) in PRIVATE:
            private.append(label)
            continue
        if '%s.%s' % (scope, name) in WIDENED.get(level, ()):
            print('names: %s: widened as in 7.3: %s' % (level, label))
            continue
        mistyped.append('%s: upstream %s, xttm %s' % (label, sorted(up[key]), sorted(ours[key])))
# A name the newer kernel removed must not be visible at its level.
gone = [k for k in old if k not in up and k in ours and
        '%s.%s' % (k[1], k[2]) not in DEFERRED]
private += ['%s %s.%s (removed upstream)' % k for k in gone
            if '%s.%s' % (k[1], k[2]) in PRIVATE]
gone = [k for k in gone if '%s.%s' % (k[1], k[2]) not in PRIVATE]
for m in missing:
    print('names: %s: missing %s' % (level, m))
for m in mistyped:
    print('names: %s: other type %s' % (level, m))
for k in sorted(gone):
    print('names: %s: removed upstream but visible: %s %s%s' %
          (level, k[0], k[1] + '.' if k[1] else '', k[2]))
for m in deferred:
    print('names: %s: deferred %s' % (level, m))
for m in private:
    print('names: %s: TTM-private, another form (compat.rst) %s' % (level, m))
print('names: %s: %d upstream names, %d missing, %d of another type, '
      '%d removed but visible, %d deferred, %d private' %
      (level, len(up), len(missing), len(mistyped), len(gone), len(deferred),
       len(private)))
sys.exit(1 if missing or mistyped or gone else 0)
EOF
done
exit $status

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make names: every name upstream's include/drm/ttm/*.h declares must be in
# xttm's include/drm/xttm/*.h, as the same kind of name, with the same type.
#
# Both header sets go through universal-ctags. A name is a macro, a
# function (prototype or inline), a struct, union or enum, a member of one
# (members of anonymous structs are named through the member that holds
# them), an enumerator, a typedef or a global variable. Include guards are
# not names. For members, variables and functions the type is compared too:
# ctags' type (and, for functions, the parameter types without their names)
# with whitespace and typedef spellings of the same C type made uniform.
# There is no allow-list: one missing name, or one of another type, fails.
#
# usage: compare-names.sh [UPSTREAM_INCLUDE_DRM_TTM_DIR]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XTTM_CACHE:-$HOME/.cache/xttm}
if [ $# -ge 1 ]; then
	up=$1
else
	up=$("$top/scripts/kernel-tree.sh" "$cache")/include/drm/ttm
fi
ours=$top/include/drm/xttm

if ! ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
	echo "names: universal-ctags is needed" >&2
	exit 2
fi

tags() {
	ctags -x --language-force=C --kinds-C=+pxmelt-z \
		--_xformat='%N|%K|%s|%t|%S' "$@" 2>/dev/null | grep -v '|local|'
}

tags "$up"/*.h >"$cache/names-upstream.tags"
tags "$ours"/*.h >"$cache/names-xttm.tags"

python3 - "$cache/names-upstream.tags" "$cache/names-xttm.tags" <<'EOF'
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
    for line in open(path):
        name, kind, scope, typ, sig = line.rstrip('\n').split('|', 4)
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
        if kind == 'function' and sig != '-':
            t += '(' + ','.join(norm_type(drop_name(p)) for p in split_params(sig)) + ')'
        elif kind == 'macro' and sig != '-':
            t = str(len(split_params(sig)))
        names.setdefault(key, set()).add(t)
    return names


up = load(sys.argv[1])
ours = load(sys.argv[2])
missing = []
mistyped = []
for key in sorted(up):
    kind, scope, name = key
    label = '%s %s%s' % (kind, scope + '.' if scope else '', name)
    if key not in ours:
        missing.append(label)
    elif kind in ('member', 'variable', 'function', 'typedef', 'macro') and \
            not (up[key] & ours[key]):
        mistyped.append('%s: upstream %s, xttm %s' % (label, sorted(up[key]), sorted(ours[key])))
for m in missing:
    print('names: missing ' + m)
for m in mistyped:
    print('names: other type ' + m)
print('names: %d upstream names, %d missing, %d of another type' %
      (len(up), len(missing), len(mistyped)))
sys.exit(1 if missing or mistyped else 0)
EOF

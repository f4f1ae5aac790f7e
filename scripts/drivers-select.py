#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Which objects of a driver to compile against xttm (scripts/drivers.sh):
# those, of the objects the driver's Makefile builds with Debian's config,
# whose source includes a TTM header, directly or through any chain of
# includes. Reads the object list on stdin (paths relative to the driver's
# dir, as its Makefile names them) and prints "object source" pairs.
#
# Includes are followed without the compiler: <drm/ttm/...>, <drm/xttm/...>
# and the two DRM helper headers that include TTM are TTM; a quoted
# include is looked up beside the including file and then, as the drivers'
# -I dirs are many, as any file of the copied driver tree whose path ends
# with it. That can only find more chains than the compiler would, so no
# file that includes TTM is missed.
#
# usage: drivers-select.py TREE DRIVER_DIR < objects
import os
import re
import sys

tree, drv = sys.argv[1], sys.argv[2]
TTM = re.compile(r'^\s*#\s*include\s*<drm/(x?ttm/|drm_gem_ttm_helper\.h|'
                 r'drm_gem_vram_helper\.h)')
QUOTED = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)

by_name = {}
for root, _, files in os.walk(os.path.join(tree, 'drivers/gpu/drm')):
    for f in files:
        if f.endswith('.h') or f.endswith('.c'):
            by_name.setdefault(f, []).append(os.path.join(root, f))

memo = {}


def candidates(inc, frm):
    local = os.path.normpath(os.path.join(os.path.dirname(frm), inc))
    if os.path.exists(local):
        return [local]
    tail = '/' + os.path.normpath(inc).lstrip('./')
    return [p for p in by_name.get(os.path.basename(inc), []) if p.endswith(tail)]


def reaches_ttm(path):
    if path in memo:
        return memo[path]
    memo[path] = False  # include cycles
    try:
        with open(path, errors='replace') as f:
            text = f.read()
    except OSError:
        return False
    found = any(TTM.match(line) for line in text.splitlines() if 'include' in line)
    if not found:
        for inc in QUOTED.findall(text):
            if any(reaches_ttm(c) for c in candidates(inc, path)):
                found = True
                break
    memo[path] = found
    return found


# xe builds i915's display and SoC code from i915's dir.
REMAP = {'i915-display/': '../i915/display/', 'i915-soc/': '../i915/soc/'}

base = os.path.join(tree, 'drivers/gpu/drm', drv)
for obj in sys.stdin.read().split():
    src = obj[:-2] + '.c'
    for a, b in REMAP.items():
        if src.startswith(a) and not os.path.exists(os.path.join(base, src)):
            src = b + src[len(a):]
    path = os.path.normpath(os.path.join(base, src))
    if os.path.exists(path) and reaches_ttm(path):
        print(obj, os.path.relpath(path, base))

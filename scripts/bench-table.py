#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Join the tables of several "make bench" boots (the "@" lines that
# tests/bench/bench.c prints) into one.
#
#   bench-table.py LOG...
#
# Per row: the median over boots of each column, and the median of all
# per-pair ratios of all boots; then each boot's own median ratio, so the
# spread between boots (code layout under TCG moves a row by a few per
# cent from boot to boot) stays visible. Rows may come from some boots only
# (the memory-pressure row from the pressure boots, which print "@row"
# lines from tests/vm/init.sh); "@phys" rows (xttm against a plain shmem
# write/read, the physical limit) get a section of their own.

import statistics
import sys


def parse(path):
    rows, refs, infos, phys = {}, {}, {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("@"):
                continue
            kind, name, *rest = line.split("|")
            if kind in ("@row", "@phys"):
                unit, ttm, xttm, *ratios = rest
                (rows if kind == "@row" else phys)[name] = (
                    unit, float(ttm), float(xttm), [float(r) for r in ratios])
            elif kind == "@ref":
                refs[name] = (rest[0], [float(v) for v in rest[1:]])
            elif kind == "@info":
                infos[name] = [float(v) for v in rest]
    return rows, refs, infos, phys


def fig(v):
    return f"{v:12.0f}" if v >= 100 else f"{v:12.2f}"


def names_of(boots, kind):
    """The row names of one kind in all boots, in the order first seen."""
    return list(dict.fromkeys(n for b in boots for n in b[kind]))


def print_rows(boots, kind):
    for name in names_of(boots, kind):
        got = [b[kind][name] for b in boots if name in b[kind]]
        unit = got[0][0]
        ttm = statistics.median(g[1] for g in got)
        xttm = statistics.median(g[2] for g in got)
        ratio = statistics.median(r for g in got for r in g[3])
        per = " ".join(f"{statistics.median(g[3]):.2f}" for g in got)
        print(f"{name:<42} {unit:<8}{fig(ttm)}{fig(xttm)} {ratio:8.2f}   "
              f"{per}")


def main(paths):
    boots = [parse(p) for p in paths]
    boots = [b for b in boots if b[0] or b[3]]
    if not boots:
        print("bench-table: no results", file=sys.stderr)
        return 1
    print(f"xttm against the in-kernel TTM: {len(boots)} boots, "
          "interleaved pairs per row")
    print("xttm/TTM: median of the per-pair speedups of all boots "
          "(> 1: xttm is faster;")
    print("          for times, TTM time / xttm time); per boot: each "
          "boot's median\n")
    print(f"{'operation':<42} {'unit':<8} {'TTM':>12} {'xttm':>12} "
          f"{'xttm/TTM':>8}   per boot")
    print_rows(boots, 0)
    for name in names_of(boots, 2):
        got = [b[2][name] for b in boots if name in b[2]]
        vals = [statistics.median(g[i] for g in got) for i in range(2)]
        print(f"  {name}: TTM {vals[0]:.1f}, xttm {vals[1]:.1f}")
    if names_of(boots, 3):
        print("\nxttm against the physical limit, a plain shmem write/read "
              "of the same bytes")
        print(f"{'operation':<42} {'unit':<8} {'shmem':>12} {'xttm':>12} "
              f"{'xttm/shm':>8}   per boot")
        print_rows(boots, 3)
    if names_of(boots, 1):
        print(f"\nreference figures, same boots{'':<24}"
              f"{'low half':>12} {'high half':>12}")
        for name in names_of(boots, 1):
            unit = next(b[1][name][0] for b in boots if name in b[1])
            got = [b[1][name][1] for b in boots if name in b[1]]
            line = f"{name:<42} {unit:<8}"
            for i in range(len(got[0])):
                line += fig(statistics.median(g[i] for g in got))
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

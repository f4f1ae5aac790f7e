#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""What scripts/kmemleak.sh reads out of its UML boot.

  kmemleak-log.py ktap CONSOLE_LOG
      One KTAP document of the whole log, for kunit.py parse: every module's
      suites print their own "KTAP version 1" and "1..N" when it is loaded,
      and number their suites from 1; here one header counts them all and
      the suites are numbered on.

  kmemleak-log.py leaks KMEMLEAK LOADED MODULES NAME...
      The reports of /sys/kernel/debug/kmemleak (KMEMLEAK, read after the
      modules NAME... were unloaded) that involve those modules: a frame in
      them, by symbol ("[xttm]") or, their symbols gone, by address within
      the ranges /proc/modules (MODULES) gave while they were loaded; or an
      object allocated by insmod/rmmod (module init and exit, whose init
      code is freed) or by a KUnit test thread. A report already in LOADED
      (read before the unload) is printed as it was there, with symbols.
      One kind is KUnit's own and counted apart: kunit_attach_mm() (behind
      kunit_vm_mmap()) gives the test's kthread a new mm with
      kthread_use_mm() and leaves it to the thread's exit, which drops one
      reference fewer than mm_alloc() and kthread_use_mm() took, so every
      test thread that mapped memory leaves its mm_struct (6.12 and 7.3
      alike). Prints the reports, ours first, then the line
      "leaks: X xttm, Y KUnit's kunit_attach_mm(), Z other".
"""
import re
import sys

TOP_PLAN = re.compile(r'^1\.\.(\d+)\s*$')
TOP_RESULT = re.compile(r'^(ok|not ok) \d+(.*)$')
OUR_COMMS = ('insmod', 'rmmod', 'kunit_try_catch')
KUNIT_MM = re.compile(r'\bmm_alloc\+\S*\s+(kunit_attach_mm|kunit_vm_mmap_init)\+')


def ktap(path):
    """Print the log's KTAP with one header and suites numbered on."""
    with open(path, errors='replace') as f:
        lines = [line.rstrip('\n').rstrip('\r') for line in f]
    body = []
    planned = 0
    suite = 0
    started = False
    for line in lines:
        if line.startswith('KTAP version') or line.startswith('TAP version'):
            started = True
            continue
        if not started:
            continue
        plan = TOP_PLAN.match(line)
        if plan:
            planned += int(plan.group(1))
            continue
        result = TOP_RESULT.match(line)
        if result:
            suite += 1
            line = f'{result.group(1)} {suite}{result.group(2)}'
        body.append(line)
    print('KTAP version 1')
    print(f'1..{planned}')
    print('\n'.join(body))


def module_ranges(path, names):
    """Address ranges [start, end) of the named modules in /proc/modules."""
    ranges = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            addr = [x for x in fields if x.startswith('0x')]
            if fields and fields[0] in names and addr:
                start = int(addr[0], 16)
                ranges.append((start, start + int(fields[1])))
    return ranges


def involves(report, names, ranges):
    """Whether one kmemleak report involves the named modules."""
    comm = re.search(r'comm "([^"]*)"', report)
    if comm and comm.group(1) in OUR_COMMS:
        return True
    for frame in report.split('backtrace', 1)[-1].splitlines():
        frame = frame.strip()
        tag = re.search(r'\[([A-Za-z0-9_]+)\]$', frame)
        if tag and tag.group(1) in names:
            return True
        if re.fullmatch(r'0x[0-9a-f]+', frame):
            addr = int(frame, 16)
            if any(start <= addr < end for start, end in ranges):
                return True
    return False


def split_reports(path):
    """The reports of a kmemleak file, each by its first line."""
    with open(path, errors='replace') as f:
        text = f.read()
    reports = ['unreferenced object' + r
               for r in text.split('unreferenced object')[1:]]
    return {r.splitlines()[0]: r.rstrip() for r in reports}


def leaks(path, loaded, modules, names):
    """Print the reports, ours first; 1 if any is ours."""
    names = set(names) | {n.replace('-', '_') for n in names}
    ranges = module_ranges(modules, names)
    symbolised = split_reports(loaded)
    reports = [symbolised.get(head, r)
               for head, r in split_reports(path).items()]
    kunit = [r for r in reports if KUNIT_MM.search(r)]
    ours = [r for r in reports
            if r not in kunit and involves(r, names, ranges)]
    others = [r for r in reports if r not in ours and r not in kunit]
    for r in ours:
        print(r)
    for r in others:
        print('(not xttm\'s) ' + r)
    print(f'leaks: {len(ours)} xttm, {len(kunit)} KUnit\'s kunit_attach_mm(), '
          f'{len(others)} other')
    return 1 if ours else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'ktap':
        ktap(sys.argv[2])
        return 0
    if len(sys.argv) >= 6 and sys.argv[1] == 'leaks':
        return leaks(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())

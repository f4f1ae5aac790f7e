#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Run qemu and check the guest's screen for it, pixel-exact.

usage: vm-display.py --log LOG --shots DIR [--png OUT.png] [--timeout S]
                     -- qemu-system-x86_64 ARGS...

The guest (tests/upstream/drm_client.c) talks on the serial line, which
the caller connects to qemu's stdio with -serial stdio. On a line holding

    XTTM_SCREENDUMP <tag> <width> <height> <seed>

this script takes a screendump over QMP into DIR/<tag>.ppm, compares every
pixel with the test pattern of <seed> (the same as drm_client.c's; seed 0
is all black) and answers on the guest's stdin with

    XTTM_SCREENDUMP_OK <tag>
    XTTM_SCREENDUMP_BAD <tag> <what differs>

Every line qemu prints goes to LOG, without '\\r', along with a HOST: line
per screendump. With --png the latest screendump is also written as a PNG.
When qemu is gone a summary line is printed; the exit status is qemu's,
or 1 if it was 0 but a screendump did not match.
"""

import argparse
import json
import os
import queue
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

REQUEST = re.compile(rb'XTTM_SCREENDUMP ([a-z0-9-]+) (\d+) (\d+) (\d+)\s*$')
M32 = 0xFFFFFFFF
MUL_X, MUL_Y, MUL_S = 0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D
MUL_V = 0x2C1B3C6D
NOISE = 0x0F0F0F
QMP_TIMEOUT = 300


def pixel(seed, x, y):
    """One XRGB8888 pixel of the pattern, as an int (0xRRGGBB)."""
    if not seed:
        return 0
    v = (x * MUL_X + y * MUL_Y + seed * MUL_S) & M32
    v ^= v >> 15
    v = (v * MUL_V) & M32
    v ^= v >> 12
    return look(seed, x, y) | (v & NOISE)


def look(seed, x, y):
    """The high nibbles of a pixel: red by x, green by y, blue by seed."""
    return (((x >> 3) & 0xF0) << 16 | ((y >> 2) & 0xF0) << 8 |
            ((seed * 0x6D) & 0xF0))


class Pattern:
    """Rows of the pattern as RGB bytes, computed a whole row at a time.

    A row is one big integer of 64-bit lanes, one pixel per lane: each
    32-bit step of the hash is then a handful of big-integer operations.
    Products of a 32-bit lane and a 32-bit constant stay in their lane;
    what a right shift moves in from the next lane is masked off.
    """

    def __init__(self, width):
        self.width = width
        ones = int.from_bytes(b'\1\0\0\0\0\0\0\0' * width, 'little')
        self.ones = ones
        self.m32 = ones * M32
        self.noise = ones * NOISE
        self.xs = int.from_bytes(b''.join(
            ((x * MUL_X) & M32).to_bytes(8, 'little')
            for x in range(width)), 'little')
        self.xlook = int.from_bytes(b''.join(
            look(0, x, 0).to_bytes(8, 'little')
            for x in range(width)), 'little')

    def row(self, seed, y):
        """Row y of the picture of seed, as width * 3 bytes of RGB."""
        w = self.width
        if not seed:
            return bytes(3 * w)
        m32 = self.m32
        v = (self.xs + ((y * MUL_Y + seed * MUL_S) & M32) * self.ones) & m32
        v ^= (v >> 15) & m32
        v = (v * MUL_V) & m32
        v ^= (v >> 12) & m32
        # Noise nibbles and the look's nibbles never overlap: no carries.
        v = (v & self.noise) + self.xlook + look(seed, 0, y) * self.ones
        raw = v.to_bytes(8 * w, 'little')
        rgb = bytearray(3 * w)
        rgb[0::3] = raw[2::8]
        rgb[1::3] = raw[1::8]
        rgb[2::3] = raw[0::8]
        return bytes(rgb)


def ppm_tokens(data, count):
    """The first count header fields of a PNM file, and where data begins."""
    fields, i = [], 0
    while len(fields) < count:
        while i < len(data) and data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b'#':
            while i < len(data) and data[i] not in b'\r\n':
                i += 1
            continue
        start = i
        while i < len(data) and not data[i:i + 1].isspace() and \
                data[i:i + 1] != b'#':
            i += 1
        if start == i:
            raise ValueError('truncated PPM header')
        fields.append(data[start:i])
    return fields, i + 1


def read_ppm(path):
    """(width, height, RGB bytes) of a P6 PPM with maxval 255."""
    with open(path, 'rb') as f:
        data = f.read()
    (magic, w, h, maxval), start = ppm_tokens(data, 4)
    if magic != b'P6' or maxval != b'255':
        raise ValueError(f'not a P6 PPM of maxval 255: {magic} {maxval}')
    w, h = int(w), int(h)
    rgb = data[start:start + 3 * w * h]
    if len(rgb) != 3 * w * h:
        raise ValueError(f'PPM {w}x{h} holds {len(rgb)} bytes')
    return w, h, rgb


def png_bytes(w, h, rgb):
    """A PNG file of RGB bytes: 8-bit RGB, no interlace, filter 0."""
    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & M32
        return struct.pack('>I', len(body)) + kind + body + \
            struct.pack('>I', crc)

    stride = 3 * w
    raw = b''.join(b'\0' + rgb[y * stride:(y + 1) * stride]
                   for y in range(h))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw, 6)) + chunk(b'IEND', b''))


def write_png(path, image):
    """Write image (width, height, RGB bytes) to path, atomically."""
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(png_bytes(*image))
    os.replace(tmp, path)


def row_diff(got, want):
    """Pixels that differ between two RGB rows, and the first of them."""
    bad, first = 0, None
    for i in range(0, len(want), 3):
        if got[i:i + 3] != want[i:i + 3]:
            bad += 1
            if first is None:
                first = i // 3
    return bad, first


def compare(image, w, h, seed):
    """None if image is the picture of seed at w x h, else what differs."""
    gw, gh, rgb = image
    if (gw, gh) != (w, h):
        return f'size {gw}x{gh}, want {w}x{h}'
    pattern, stride = Pattern(w), 3 * w
    bad, first = 0, None
    for y in range(h):
        got = rgb[y * stride:(y + 1) * stride]
        want = pattern.row(seed, y)
        if got == want:
            continue
        n, x = row_diff(got, want)
        bad += n
        if first is None:
            first = (x, y, got[3 * x:3 * x + 3].hex(),
                     want[3 * x:3 * x + 3].hex())
    if not bad:
        return None
    x, y, got, want = first
    return (f'size {w}x{h}, {bad} of {w * h} pixels differ, '
            f'first at ({x},{y}): got {got} want {want}')


class QmpError(Exception):
    """QMP failed: qemu went away or answered with an error."""


class Qmp:
    """A QMP connection over a unix socket."""

    def __init__(self, path, proc, wait=60):
        end = time.monotonic() + wait
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                break
            except OSError as e:
                sock.close()
                if proc.poll() is not None or time.monotonic() > end:
                    raise QmpError(f'cannot connect to {path}: {e}')
                time.sleep(0.1)
        sock.settimeout(QMP_TIMEOUT)
        self.sock = sock
        self.f = sock.makefile('rwb')
        self.read()
        self.command('qmp_capabilities')

    def read(self):
        try:
            line = self.f.readline()
        except OSError as e:
            raise QmpError(f'QMP: {e}')
        if not line:
            raise QmpError('QMP: qemu closed the connection')
        try:
            return json.loads(line)
        except ValueError as e:
            raise QmpError(f'QMP: {e}')

    def command(self, name, **args):
        """Run a command, skipping events; its return value."""
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        try:
            self.f.write(json.dumps(msg).encode() + b'\n')
            self.f.flush()
        except OSError as e:
            raise QmpError(f'QMP: {e}')
        while True:
            reply = self.read()
            if 'return' in reply:
                return reply['return']
            if 'error' in reply:
                raise QmpError(f"QMP {name}: {reply['error'].get('desc')}")

    def close(self):
        try:
            self.f.close()
            self.sock.close()
        except OSError:
            pass


class Log:
    """The log file, written by the reader thread and the main thread."""

    def __init__(self, path):
        self.f = open(path, 'wb')
        self.lock = threading.Lock()

    def write(self, line):
        with self.lock:
            self.f.write(line.replace(b'\r', b'') + b'\n')
            self.f.flush()

    def host(self, text):
        self.write(b'HOST: ' + text.encode())

    def close(self):
        self.f.close()


def reader(stream, log, requests):
    """Log qemu's output line by line; queue the screendump requests."""
    for line in iter(stream.readline, b''):
        line = line.rstrip(b'\n').replace(b'\r', b'')
        log.write(line)
        m = REQUEST.search(line)
        if m:
            tag, w, h, seed = m.groups()
            requests.put((tag.decode(), int(w), int(h), int(seed)))
    requests.put(None)


class Display:
    """Serves the screendump requests of one qemu run."""

    def __init__(self, args, proc, log, sock):
        self.args, self.proc, self.log = args, proc, log
        self.sock = sock
        self.qmp = None
        self.count = self.exact = self.bad = 0
        self.image = None
        self.png = None

    def answer(self, text):
        try:
            self.proc.stdin.write(text.encode() + b'\n')
            self.proc.stdin.flush()
        except OSError:
            self.log.host('qemu stdin closed, answer not sent')

    def shoot(self, tag, w, h, seed):
        """Screendump and compare: None if pixel-exact, else why not."""
        path = os.path.join(os.path.abspath(self.args.shots), tag + '.ppm')
        self.image = None
        try:
            if os.path.exists(path):
                os.unlink(path)
            self.connect(5)
            self.qmp.command('screendump', filename=path)
        except QmpError as e:
            self.disconnect()
            return f'screendump failed: {e}'
        except OSError as e:
            return f'screendump failed: {e}'
        try:
            self.image = read_ppm(path)
        except (OSError, ValueError) as e:
            return f'bad screendump: {e}'
        return compare(self.image, w, h, seed)

    def connect(self, wait):
        if self.qmp is None:
            self.qmp = Qmp(self.sock, self.proc, wait)

    def disconnect(self):
        if self.qmp is not None:
            self.qmp.close()
            self.qmp = None

    def serve(self, tag, w, h, seed):
        self.count += 1
        why = self.shoot(tag, w, h, seed)
        if why is None:
            self.exact += 1
            self.log.host(f'screendump {tag}: pixel-exact')
            self.answer(f'XTTM_SCREENDUMP_OK {tag}')
            self.save_png()
        else:
            self.bad += 1
            self.log.host(f'screendump {tag}: MISMATCH {why}')
            self.answer(f'XTTM_SCREENDUMP_BAD {tag} {why}')

    def save_png(self):
        if self.args.png and self.image:
            try:
                write_png(self.args.png, self.image)
                self.png = self.args.png
            except OSError as e:
                self.log.host(f'cannot write {self.args.png}: {e}')

    def summary(self):
        text = (f'display: {self.count} screendumps, {self.exact} '
                f'pixel-exact, {self.bad} mismatched')
        if self.png:
            text += f' picture: {self.png}'
        return text


def qmp_path(shots):
    """DIR/qmp.sock, or a short path elsewhere if that is too long."""
    path = os.path.join(os.path.abspath(shots), 'qmp.sock')
    if len(path.encode()) >= 100:
        path = os.path.join(tempfile.mkdtemp(prefix='vm-display-'),
                            'qmp.sock')
    if os.path.exists(path):
        os.unlink(path)
    return path


def parse_args(argv):
    p = argparse.ArgumentParser(
        description='Run qemu; answer the guest\'s screendump requests.')
    p.add_argument('--log', required=True, help='qemu output goes here')
    p.add_argument('--shots', required=True, help='directory for PPMs')
    p.add_argument('--png', help='the latest screendump as a PNG')
    p.add_argument('--timeout', type=float, default=1800,
                   help='kill qemu after this many seconds (1800)')
    p.add_argument('qemu', nargs=argparse.REMAINDER,
                   help='-- qemu-system-x86_64 ARGS...')
    args = p.parse_args(argv)
    if args.qemu and args.qemu[0] == '--':
        args.qemu = args.qemu[1:]
    if not args.qemu:
        p.error('no qemu command after --')
    return args


def run(args, log):
    """Run qemu to its end; the Display that served it, and qemu's status."""
    os.makedirs(args.shots, exist_ok=True)
    sock = qmp_path(args.shots)
    cmd = args.qemu + ['-qmp', f'unix:{sock},server=on,wait=off']
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    requests = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, log, requests),
                     daemon=True).start()
    display = Display(args, proc, log, sock)
    end = time.monotonic() + args.timeout
    try:
        display.connect(60)
    except QmpError as e:
        log.host(str(e))
    try:
        while True:
            try:
                req = requests.get(timeout=1)
            except queue.Empty:
                if time.monotonic() > end and proc.poll() is None:
                    log.host(f'timeout after {args.timeout:g} s, '
                             'killing qemu')
                    proc.kill()
                continue
            if req is None:
                break
            display.serve(*req)
    finally:
        status = reap(proc, end)
        display.disconnect()
        if os.path.exists(sock):
            os.unlink(sock)
    return display, status


def reap(proc, end):
    """Wait for qemu until end at the latest, then kill it; its status."""
    try:
        return proc.wait(timeout=max(1, end - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def main(argv):
    args = parse_args(argv)
    log = Log(args.log)
    try:
        display, status = run(args, log)
    except OSError as e:
        log.close()
        print(f'display: cannot run {args.qemu[0]}: {e}', flush=True)
        return 127
    except KeyboardInterrupt:
        log.close()
        return 130
    display.save_png()
    log.close()
    print(display.summary(), flush=True)
    if status < 0:
        status = 128 - status
    if status == 0 and display.bad:
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))

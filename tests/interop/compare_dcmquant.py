#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmquant against DCMTK's on every corpus image DCMTK's dcmquant converts and on
synthetic colour images made here (8 and 16 bits, planar, multi-frame, more than 65536 colours,
few colours), for a matrix of options: the exit status, every attribute (DCMTK's dcmdump of both
outputs, without the meta information, the new SOP Instance UID and the program's name in the
Derivation Description) and the pixel data bytes (dcmdump +W) must be the same.

With +pf DCMTK starts the Floyd-Steinberg error diffusion from random errors (its output differs
from run to run), so there the pixels are compared by a metric: the mean squared error of the
palette image against the original must be no worse than DCMTK's (5 % tolerance: DCMTK's own
runs vary by about 2 % on a small image), and the attributes must be the same.

A difference is a failure unless known_differences.tsv lists it (file, options, reason); a
listed difference that no longer occurs is reported too.

Usage: compare_dcmquant.py <our dcmquant> <corpus dir> <known differences tsv> <work dir>
Exit status 77 (skipped) when DCMTK's dcmquant or the corpus is missing."""
import concurrent.futures
import pathlib
import random
import re
import shutil
import struct
import subprocess
import sys

from interop_common import Tally, dcmdump_lines, fresh_dir, load_known, pixel_bytes

# The colour images of the corpus that DCMTK's dcmquant converts (it decodes no compression).
CORPUS_FILES = [
    'fo-dicom/TestPattern_Palette_16.dcm',
    'highdicom/seg_labelmap_palette_color.dcm',
    'fo-dicom/1403-OB.dcm',
    'orthanc-tests/ColorTestMalaterre.dcm',
    'orthanc-tests/UnknownSopClassUid.dcm',
    'highdicom/sm_image.dcm',
    'dcm4che/YBR_422.dcm',
    'dcm4che/US-RGB-8-esopecho',
]
OPTION_SETS = [
    [],
    ['+pc', '16'],
    ['+pc', '300'],
    ['+pc', '2'],
    ['+Dl'],
    ['+Cp'],
    ['+Cc'],
    ['+Dl', '+Cc', '+pc', '40'],
    ['+pe'],
    ['+pu'],
    ['+pe', '+pc', '1000', '+Cp'],
    ['+cs'],
    ['+un'],
    ['+fr', '2'],
    ['+tb', '+pc', '64'],
    ['-F', '+ti'],
    ['+pc', '1'],
]
METRIC_SETS = [['+pf', '+te'], ['+pf', '+te', '+pc', '16']]
IGNORED = re.compile(r'^\s*\((0002,[0-9a-f]{4}|0008,0018|0008,0000)\)')
NAME = re.compile(r'with (DCMTK 3\.6\.7|dcmkit [0-9.]+)')


def element(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode()
    if len(value) % 2:
        value += b'\0' if vr in (b'UI', b'OB') else b' '
    if vr in (b'OB', b'OW', b'SQ', b'UN'):
        return struct.pack('<HH', group, elem) + vr + b'\0\0' + struct.pack('<I', len(value)) + value
    return struct.pack('<HH', group, elem) + vr + struct.pack('<H', len(value)) + value


def write_rgb(path, columns, rows, pixels, bits=8, frames=1, planar=0):
    """An explicit VR little endian Secondary Capture image of `pixels` (r, g, b tuples)."""
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    sop_class = '1.2.840.10008.5.1.4.1.1.7'
    meta = (element(2, 1, b'OB', b'\0\1') + element(2, 2, b'UI', sop_class) +
            element(2, 3, b'UI', '1.2.3.4.5.6') + element(2, 0x10, b'UI', '1.2.840.10008.1.2.1'))
    meta = element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    data = (element(8, 0x16, b'UI', sop_class) + element(8, 0x18, b'UI', '1.2.3.4.5.6') +
            element(8, 0x60, b'CS', 'OT') + element(0x10, 0x10, b'PN', 'Test^Quant') +
            element(0x20, 0xd, b'UI', '1.2.3.4') + element(0x20, 0xe, b'UI', '1.2.3.4.1') +
            element(0x28, 2, b'US', us(3)) + element(0x28, 4, b'CS', 'RGB') +
            element(0x28, 6, b'US', us(planar)))
    if frames > 1:
        data += element(0x28, 8, b'IS', str(frames))
    allocated = 16 if bits > 8 else 8
    data += (element(0x28, 0x10, b'US', us(rows)) + element(0x28, 0x11, b'US', us(columns)) +
             element(0x28, 0x100, b'US', us(allocated)) + element(0x28, 0x101, b'US', us(bits)) +
             element(0x28, 0x102, b'US', us(bits - 1)) + element(0x28, 0x103, b'US', us(0)))
    fmt = '<H' if allocated == 16 else '<B'
    out = bytearray()
    n = columns * rows
    for f in range(frames):
        frame = pixels[f * n:(f + 1) * n]
        if planar:
            for c in range(3):
                for p in frame:
                    out += struct.pack(fmt, p[c])
        else:
            for p in frame:
                for c in range(3):
                    out += struct.pack(fmt, p[c])
    data += element(0x7fe0, 0x10, b'OW' if allocated == 16 else b'OB', bytes(out))
    pathlib.Path(path).write_bytes(b'\0' * 128 + b'DICM' + meta + data)


def make_synthetic(directory):
    rng = random.Random(6)
    directory.mkdir(parents=True, exist_ok=True)
    made = []

    def add(name, *args, **kwargs):
        write_rgb(directory / name, *args, **kwargs)
        made.append(str(directory / name))
    gradient = [(4 * x, 4 * y, (x * y) % 256) for y in range(64) for x in range(64)]
    add('gradient.dcm', 64, 64, gradient)
    noise = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(96 * 80)]
    add('noise.dcm', 96, 80, noise)
    coarse = [(rng.randrange(0, 256, 64), rng.randrange(0, 256, 32), rng.randrange(0, 256, 8))
              for _ in range(48 * 48)]
    add('coarse_planar.dcm', 48, 48, coarse, planar=1)
    frames = [(rng.randrange(256), (16 * i) % 256, rng.randrange(0, 256, 4)) for i in range(3 * 1024)]
    add('three_frames.dcm', 32, 32, frames, frames=3)
    deep = [(rng.randrange(65536), rng.randrange(65536), rng.randrange(4096)) for _ in range(40 * 30)]
    add('sixteen_bit.dcm', 40, 30, deep, bits=16)
    twelve = [(rng.randrange(4096), rng.randrange(4096), rng.randrange(4096)) for _ in range(32 * 32)]
    add('twelve_bit.dcm', 32, 32, twelve, bits=12)
    few = [[(200, 10, 10), (10, 200, 10), (10, 10, 200), (250, 250, 250), (0, 0, 0)][i % 5]
           for i in range(30 * 20)]
    add('five_colours.dcm', 30, 20, few)
    # More than 65536 colours: quantized at a smaller scale (maxval 63 here).
    many = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(300 * 300)]
    add('many_colours.dcm', 300, 300, many)
    return made


def run(program, options, path, out):
    result = subprocess.run([program, *options, path, out], capture_output=True, timeout=600)
    return result.returncode


def dump(path):
    def without_program_name(line):
        if '(0008,2111)' in line:
            line = NAME.sub('with <program>', line).split('#')[0].rstrip()
        return line
    return dcmdump_lines(path, IGNORED, rewrite=without_program_name)


def top_level(path):
    """Top-level elements of an explicit VR little endian file: {(group, element): bytes}."""
    data = pathlib.Path(path).read_bytes()
    pos = 132 if data[128:132] == b'DICM' else 0
    long_vrs = {b'OB', b'OW', b'OF', b'SQ', b'UT', b'UN', b'OD', b'OL', b'UC', b'UR', b'OV'}
    found = {}
    while pos + 8 <= len(data):
        group, elem = struct.unpack_from('<HH', data, pos)
        vr = data[pos + 4:pos + 6]
        if vr in long_vrs:
            length = struct.unpack_from('<I', data, pos + 8)[0]
            pos += 12
        else:
            length = struct.unpack_from('<H', data, pos + 6)[0]
            pos += 8
        if length == 0xFFFFFFFF:  # sequences of undefined length: not needed here
            depth = 1
            while depth and pos + 8 <= len(data):
                g, e, n = struct.unpack_from('<HHI', data, pos)
                pos += 8
                if (g, e) == (0xfffe, 0xe0dd):
                    depth -= 1
                elif (g, e) == (0xfffe, 0xe000) and n != 0xFFFFFFFF:
                    pos += n
            continue
        found[(group, elem)] = data[pos:pos + length]
        pos += length
    return found


def palette_pixels(path):
    """The first frame of a palette image as (r, g, b) tuples (8-bit palette entries)."""
    e = top_level(path)
    descriptor = struct.unpack('<3H', e[(0x28, 0x1101)])
    count = descriptor[0] or 65536
    tables = []
    for tag in (0x1201, 0x1202, 0x1203):
        raw = e[(0x28, tag)]
        if descriptor[2] == 8:
            tables.append(list(raw[:count]))
        else:
            tables.append([v >> 8 for v in struct.unpack('<%dH' % count, raw[:2 * count])])
    rows = struct.unpack('<H', e[(0x28, 0x10)])[0]
    columns = struct.unpack('<H', e[(0x28, 0x11)])[0]
    allocated = struct.unpack('<H', e[(0x28, 0x100)])[0]
    raw = e[(0x7fe0, 0x10)]
    n = rows * columns
    indices = list(raw[:n]) if allocated == 8 else list(struct.unpack('<%dH' % n, raw[:2 * n]))
    return [(tables[0][i], tables[1][i], tables[2][i]) for i in indices]


def original_pixels(path, directory):
    directory.mkdir(parents=True, exist_ok=True)
    out = directory / 'original.ppm'
    subprocess.run(['dcm2pnm', '--write-raw-pnm', str(path), str(out)], capture_output=True,
                   timeout=300)
    data = out.read_bytes()
    header = data.split(b'\n', 3)
    columns, rows = map(int, header[1].split())
    body = header[3]
    return [tuple(body[3 * k:3 * k + 3]) for k in range(columns * rows)]


def mean_squared_error(a, b):
    return sum((x[0] - y[0]) ** 2 + (x[1] - y[1]) ** 2 + (x[2] - y[2]) ** 2
               for x, y in zip(a, b)) / max(len(a), 1)


def main():
    ours, corpus, known_file, work = sys.argv[1:5]
    theirs = shutil.which('dcmquant', path='/usr/bin:/usr/local/bin')
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or shutil.which('dcmdump') is None or shutil.which('dcm2pnm') is None or \
            not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcmquant or the corpus is not available')
        return 77
    known = load_known(known_file)
    work_dir = fresh_dir(work)
    files = [(name, str(corpus_dir / name)) for name in CORPUS_FILES]
    files += [('synthetic/' + pathlib.Path(p).name, p)
              for p in make_synthetic(work_dir / 'synthetic')]

    def check(job):
        index, ((name, path), options, metric) = job
        base = work_dir / str(index)
        base.mkdir()
        rc_theirs = run(theirs, options, path, str(base / 'theirs.dcm'))
        rc_ours = run(ours, options, path, str(base / 'ours.dcm'))
        if rc_theirs != rc_ours:
            return name, options, 'differs', f'exit {rc_ours}, DCMTK {rc_theirs}'
        if rc_theirs != 0:
            return name, options, 'same', ''
        a, b = dump(base / 'theirs.dcm'), dump(base / 'ours.dcm')
        if a != b:
            diff = [line[:100] for line in set(a) ^ set(b)][:6]
            return name, options, 'differs', 'attributes: ' + ' | '.join(diff)
        if metric:
            original = original_pixels(path, base)
            mse_theirs = mean_squared_error(palette_pixels(base / 'theirs.dcm'), original)
            mse_ours = mean_squared_error(palette_pixels(base / 'ours.dcm'), original)
            if mse_ours > mse_theirs * 1.05 + 0.01:
                return name, options, 'differs', \
                    f'mean squared error {mse_ours:.3f}, DCMTK {mse_theirs:.3f}'
            shutil.rmtree(base)
            return name, options, 'same', f'{mse_ours:.3f} vs {mse_theirs:.3f}'
        if pixel_bytes(base / 'theirs.dcm', base / 'wt') != \
                pixel_bytes(base / 'ours.dcm', base / 'wo'):
            return name, options, 'differs', 'pixel data'
        shutil.rmtree(base)
        return name, options, 'same', ''

    jobs = [(f, o, False) for f in files for o in OPTION_SETS]
    jobs += [(f, o, True) for f in files for o in METRIC_SETS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(check, enumerate(jobs)))
    tally = Tally(known)
    for name, options, status, detail in results:
        tally.add(name, ' '.join(options), status, detail)
        if status == 'same' and detail:
            print(f'metric {name} [{" ".join(options)}]: mean squared error {detail}')
    tally.check_stale()
    print(f'{tally.counts["same"]} same as DCMTK, {tally.counts["known"]} known differences, '
          f'{tally.failures} failures')
    return 1 if tally.failures else 0

if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Interpolated scaling (+i 1..4) of dcmkit's dcm2pnm and dcmscale against DCMTK 3.6.7's, on a
small varied sample of corpus images (monochrome 10 to 16 bits, signed and unsigned, one and
many frames; RGB, palette and YCbCr colour; enlarged and reduced, and with +C, which DCMTK
ignores with interpolation). Every other option is compared over the whole corpus by
compare_dcm2pnm.py and compare_dcmscale.py; these renderings are kept out of those scripts because
their time grows with the corpus. dcm2pnm's outputs are compared byte for byte; dcmscale's
exit status, attributes and pixel data as compare_dcmscale.py compares them. A difference is a
failure unless scaling_known_differences.tsv lists it (program, file, options or "*" for all,
reason); a listed difference that no longer occurs is reported too. DCMTK is the oracle (Debian package dcmtk).

Then dcmscale on random synthetic images (SYNTHETIC_CASES, a fixed seed; made here without
pydicom): 4 to 9 pixels a side (3 is a deliberate bicubic difference), one or two frames,
signed and unsigned, 8 to 16 bits stored, with and without a rescale that makes the modality
values wider than 16 bits (or negative), small values in a wide range, +i 1..4, enlarging and
reducing, per axis through Pixel Aspect Ratio. Compared: exit status, Rows, Columns, Pixel
Representation and Pixel Data (Bits Stored is left out: for values from 2^31 DCMTK writes 32,
dcmscale's writer, which holds them in 32-bit signed integers, 31). Listed as program
"dcmscale", file "synthetic" and the case's options.

Usage: compare_scaling.py <our dcm2pnm> <our dcmscale> <corpus dir> <known differences tsv>
                          <work dir>
Exit status 77 (skipped) when DCMTK or the corpus is missing."""
import concurrent.futures
import os
import pathlib
import random
import re
import shutil
import struct
import subprocess
import sys

from interop_common import dcmdump_lines, pixel_bytes

IMAGES = [
    'fo-dicom/CR-MONO1-10-chest',              # 440 x 440, MONOCHROME1, 10 bits
    'dcmqi/ct_23x38_implicit.dcm',             # 23 x 38 CT (rescaled)
    'highdicom/ct_image.dcm',                  # 128 x 128 CT
    'orthanc-tests/MR-MONO2-12-an2_no_meta.dcm',  # 256 x 256, 12 bits
    'dcm4che/NM-MONO2-16-13x-heart',           # 64 x 64 x 13 frames, 16 bits
    'dcm4che/US-RGB-8-esopecho',               # 256 x 120 RGB
    'orthanc-tests/ColorTestMalaterre.dcm',    # 41 x 41 RGB
    'dcm4che/US-PAL-8-10x-echo',               # 600 x 430 x 10 frames, PALETTE COLOR
]
OPTION_SETS = [
    ['+Sxv', '300', '+i', '2'],
    ['+Sxf', '0.45', '+i', '2'],
    ['+Sxf', '1.7', '+i', '3'],
    ['+Syv', '100', '+i', '3'],
    ['+Sxf', '2.3', '+i', '4'],
    ['+Sxv', '120', '+i', '4'],
    ['+Sxf', '1.5', '+i', '4', '-a'],
    ['+C', '5', '7', '20', '15', '+Sxf', '3', '+i', '4'],
    ['+C', '2', '3', '30', '20', '+Syv', '50', '+i', '2'],
]
# dcm2pnm renders the first frame only unless told; +Fa on the multi-frame images once.
DCM2PNM_EXTRA = [['+Sxf', '1.3', '+i', '3', '+Fa']]

# dcmscale outputs: lines that differ by design (meta information, the new SOP Instance UID and
# the group length that follows it); Pixel Data is compared as bytes.
IGNORED = re.compile(r'^\s*\((0002,[0-9a-f]{4}|0008,0018|0008,0000)\)')
# Synthetic images: every line but Rows, Columns and Pixel Representation is ignored.
SYNTHETIC_IGNORED = re.compile(r'^(?!\s*\((0028,0010|0028,0011|0028,0103)\))')


SYNTHETIC_CASES = 160
SYNTHETIC_SEED = 6


def element(group, number, vr, value):
    """One explicit VR little endian data element."""
    if isinstance(value, str):
        value = value.encode('ascii')
        value += (b'\0' if vr == 'UI' else b' ') * (len(value) % 2)
    if vr in ('OB', 'OW', 'UN', 'SQ', 'UT'):
        return struct.pack('<HH2sHI', group, number, vr.encode(), 0, len(value)) + value
    return struct.pack('<HH2sH', group, number, vr.encode(), len(value)) + value


def synthetic_file(path, rng):
    """A random MONOCHROME2 image as described in the module text; returns the options to scale
    it with and a description."""
    signed = rng.random() < 0.5
    bits = rng.choice([8, 12, 16])
    width, height = rng.randint(4, 9), rng.randint(4, 9)
    frames = 2 if rng.random() < 0.15 else 1
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    kind = rng.randrange(4)
    count = width * height * frames
    if kind == 0:
        values = [rng.randint(lo, hi) for _ in range(count)]
    elif kind == 1:  # extremes: overshoot
        values = [rng.choice([lo, hi, (lo + hi) // 2]) for _ in range(count)]
    elif kind == 2:  # small values of a wide range
        values = [rng.randint(lo, lo + (hi - lo) // 64 + 1) for _ in range(count)]
    else:  # random walk along rows
        values, v = [], (lo + hi) // 2
        for _ in range(count):
            v = min(hi, max(lo, v + rng.randint(-(hi - lo) // 4, (hi - lo) // 4)))
            values.append(v)
    rescale = None
    if rng.random() < 0.5:  # wider than 16 bits (slope) and/or negative (intercept)
        slope = rng.choice([1, 2, 3, 4, 16, 100] if bits == 16 else [1, 64, 1000])
        rescale = (slope, rng.choice([0, 0, 1000, -1000, -70000, 5000000]))
    aspect = (rng.randint(1, 3), rng.randint(1, 3)) if rng.random() < 0.5 else None
    method = rng.choice(['1', '2', '3', '4', '4', '4'])
    reduce = rng.random() < 0.3
    size = rng.randint(max(1, width // 3), width) if reduce else \
        rng.randint(width, (40 if rng.random() < 0.2 else 4) * width)
    options = ['+i', method, '+Sxv', str(size)]
    pixel = b''.join(struct.pack('<h' if signed and bits > 8 else '<H' if bits > 8 else
                                 '<b' if signed else '<B', v) for v in values)
    pixel += b'\0' * (len(pixel) % 2)
    uid = '1.2.826.0.1.3680043.10.543.' + str(rng.randrange(10 ** 12))
    body = [element(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
            element(0x0008, 0x0018, 'UI', uid + '.1'),
            element(0x0008, 0x0060, 'CS', 'OT'),
            element(0x0010, 0x0010, 'PN', 'Synthetic'),
            element(0x0020, 0x000D, 'UI', uid + '.2'),
            element(0x0020, 0x000E, 'UI', uid + '.3'),
            element(0x0028, 0x0002, 'US', struct.pack('<H', 1)),
            element(0x0028, 0x0004, 'CS', 'MONOCHROME2')]
    if frames > 1:
        body.append(element(0x0028, 0x0008, 'IS', str(frames)))
    body += [element(0x0028, 0x0010, 'US', struct.pack('<H', height)),
             element(0x0028, 0x0011, 'US', struct.pack('<H', width))]
    if aspect:
        body.append(element(0x0028, 0x0034, 'IS', f'{aspect[0]}\\{aspect[1]}'))
    body += [element(0x0028, 0x0100, 'US', struct.pack('<H', 8 if bits == 8 else 16)),
             element(0x0028, 0x0101, 'US', struct.pack('<H', bits)),
             element(0x0028, 0x0102, 'US', struct.pack('<H', bits - 1)),
             element(0x0028, 0x0103, 'US', struct.pack('<H', 1 if signed else 0))]
    if rescale:
        body += [element(0x0028, 0x1052, 'DS', str(rescale[1])),
                 element(0x0028, 0x1053, 'DS', str(rescale[0]))]
    body.append(element(0x7FE0, 0x0010, 'OW' if bits > 8 else 'OB', pixel))
    meta = [element(0x0002, 0x0001, 'OB', b'\0\1'),
            element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
            element(0x0002, 0x0003, 'UI', uid + '.1'),
            element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1')]
    meta_bytes = b''.join(meta)
    path.write_bytes(b'\0' * 128 + b'DICM' +
                     element(0x0002, 0x0000, 'UL', struct.pack('<I', len(meta_bytes))) +
                     meta_bytes + b''.join(body))
    description = (f'{width}x{height}x{frames} {"signed" if signed else "unsigned"} {bits} bits '
                   f'rescale {rescale} aspect {aspect}')
    return options, description


def run(program, options, path, out):
    return subprocess.run([program, *options, str(path), str(out)], capture_output=True,
                          timeout=300).returncode


def outputs(directory):
    return {p.name: p.read_bytes() for p in sorted(pathlib.Path(directory).iterdir())}


def main():
    dcm2pnm, dcmscale, corpus, known_file, work = sys.argv[1:6]
    theirs = {name: shutil.which(name, path='/usr/bin:/usr/local/bin')
              for name in ('dcm2pnm', 'dcmscale', 'dcmdump')}
    corpus_dir = pathlib.Path(corpus)
    if None in theirs.values() or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK or the corpus is not available')
        return 77
    known = {}
    for line in pathlib.Path(known_file).read_text().splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        program, name, options, reason = line.split('\t')
        known[(program, name, options)] = reason
    work_dir = pathlib.Path(work)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)

    def check(job):
        index, (program, name, options) = job
        path = corpus_dir / name
        base = work_dir / str(index)
        base.mkdir()
        if program == 'dcm2pnm':
            (base / 'dcmtk').mkdir()
            (base / 'dcmkit').mkdir()
            rc_theirs = run(theirs['dcm2pnm'], options, path, base / 'dcmtk' / 'out')
            rc_ours = run(dcm2pnm, options, path, base / 'dcmkit' / 'out')
            same = rc_theirs == rc_ours and outputs(base / 'dcmtk') == outputs(base / 'dcmkit')
        else:
            rc_theirs = run(theirs['dcmscale'], options, path, base / 'theirs.dcm')
            rc_ours = run(dcmscale, options, path, base / 'ours.dcm')
            same = rc_theirs == rc_ours
            if same and rc_theirs == 0:
                same = (dcmdump_lines(base / 'theirs.dcm', IGNORED) ==
                        dcmdump_lines(base / 'ours.dcm', IGNORED) and
                        pixel_bytes(base / 'theirs.dcm', base / 'wt') ==
                        pixel_bytes(base / 'ours.dcm', base / 'wo'))
        if same:
            shutil.rmtree(base)
        return program, name, ' '.join(options), same, str(base)

    def check_synthetic(index):
        base = work_dir / f's{index}'
        base.mkdir()
        options, description = synthetic_file(base / 'in.dcm',
                                              random.Random(SYNTHETIC_SEED * 100000 + index))
        rc_theirs = run(theirs['dcmscale'], options, base / 'in.dcm', base / 'theirs.dcm')
        rc_ours = run(dcmscale, options, base / 'in.dcm', base / 'ours.dcm')
        same = rc_theirs == rc_ours
        if same and rc_theirs == 0:
            same = (dcmdump_lines(base / 'theirs.dcm', SYNTHETIC_IGNORED) ==
                    dcmdump_lines(base / 'ours.dcm', SYNTHETIC_IGNORED) and
                    pixel_bytes(base / 'theirs.dcm', base / 'wt') ==
                    pixel_bytes(base / 'ours.dcm', base / 'wo'))
        if same:
            shutil.rmtree(base)
        return 'dcmscale', 'synthetic', ' '.join(options), same, f'{base} ({description})'

    jobs = [('dcm2pnm', name, options) for name in IMAGES
            for options in OPTION_SETS + DCM2PNM_EXTRA]
    jobs += [('dcmscale', name, options) for name in IMAGES for options in OPTION_SETS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(check, enumerate(jobs)))
        results += list(pool.map(check_synthetic, range(SYNTHETIC_CASES)))
    failures = []
    seen = set()
    for program, name, options, same, where in results:
        key = (program, name, options) if (program, name, options) in known else \
            (program, name, '*')
        listed = key in known
        if not same and listed:
            seen.add(key)
        if not same and not listed:
            failures.append(f'{program} {name} [{options}] differs from DCMTK ({where})')
        if same and listed and key[2] != '*':
            failures.append(f'{program} {name} [{options}] now matches DCMTK: remove it from '
                            'the list')
    failures += [f'{key[0]} {key[1]} [{key[2]}]: listed difference no longer occurs'
                 for key in known if key not in seen]
    identical = sum(1 for result in results if result[3])
    print(f'{identical} of {len(results)} interpolated scalings identical to DCMTK 3.6.7 '
          f'({len(IMAGES)} images, dcm2pnm and dcmscale; {SYNTHETIC_CASES} synthetic images, '
          'dcmscale)')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

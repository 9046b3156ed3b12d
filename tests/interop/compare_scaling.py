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
Representation, Bits Allocated, Bits Stored, High Bit and Pixel Data. Listed as program
"dcmscale", file "synthetic" and the case's options.

Then random multi-frame images (MULTI_FRAME_CASES): 2 to 4 frames whose values span different
ranges (e.g. one within 8 bits, one wider than 16 bits after the rescale), where DCMTK chooses
its algorithm (pnmscale up to 16 bits) and its bicubic value type over all frames it holds:
dcmscale, and dcm2pnm +Fa with +Wm and 32-bit ASCII output (every frame compared). And random
images with values of 32 bits (WIDE_CASES): Bits Allocated 32 (unsigned up to 2^32 - 1, signed),
or rescale slopes that push the modality range past 2^31 and 2^32 (DCMTK keeps the values in a
32-bit type, wrapping), scaled by dcmscale and rendered by dcm2pnm (-W, +Wm, +Wn and +Wr, 8
and 32 bits, with and without +i 1..4 scaling). Listed as file "multiframe" or "wide", or
"wide-signed32-bicubic" for bicubic enlargements of values DCMTK keeps in a signed 32-bit type
(a listed difference: DCMTK's signed 32-bit overflows are modelled only in part).

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
# Synthetic images: every line but Rows, Columns and the Bits and Pixel Representation is ignored.
SYNTHETIC_IGNORED = re.compile(r'^(?!\s*\((0028,0010|0028,0011|0028,010[0-3])\))')


SYNTHETIC_CASES = 160
SYNTHETIC_SEED = 6
MULTI_FRAME_CASES = 80
WIDE_CASES = 80


def element(group, number, vr, value):
    """One explicit VR little endian data element."""
    if isinstance(value, str):
        value = value.encode('ascii')
        value += (b'\0' if vr == 'UI' else b' ') * (len(value) % 2)
    if vr in ('OB', 'OW', 'UN', 'SQ', 'UT'):
        return struct.pack('<HH2sHI', group, number, vr.encode(), 0, len(value)) + value
    return struct.pack('<HH2sH', group, number, vr.encode(), len(value)) + value


def write_image(path, rng, width, height, frames, allocated, stored, signed, values, rescale,
                aspect=None):
    """A MONOCHROME2 image in explicit VR little endian."""
    code = {8: 'b', 16: 'h', 32: 'i'}[allocated]
    pixel = b''.join(struct.pack('<' + (code if signed else code.upper()), v) for v in values)
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
    body += [element(0x0028, 0x0100, 'US', struct.pack('<H', allocated)),
             element(0x0028, 0x0101, 'US', struct.pack('<H', stored)),
             element(0x0028, 0x0102, 'US', struct.pack('<H', stored - 1)),
             element(0x0028, 0x0103, 'US', struct.pack('<H', 1 if signed else 0))]
    if rescale:
        body += [element(0x0028, 0x1052, 'DS', str(rescale[1])),
                 element(0x0028, 0x1053, 'DS', str(rescale[0]))]
    body.append(element(0x7FE0, 0x0010, 'OW' if allocated > 8 else 'OB', pixel))
    meta = [element(0x0002, 0x0001, 'OB', b'\0\1'),
            element(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
            element(0x0002, 0x0003, 'UI', uid + '.1'),
            element(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1')]
    meta_bytes = b''.join(meta)
    path.write_bytes(b'\0' * 128 + b'DICM' +
                     element(0x0002, 0x0000, 'UL', struct.pack('<I', len(meta_bytes))) +
                     meta_bytes + b''.join(body))


def random_size(rng, width):
    """dcm2pnm/dcmscale scaling options: +i 1..4 (bicubic more often), reducing or enlarging."""
    method = rng.choice(['1', '2', '3', '4', '4', '4'])
    reduce = rng.random() < 0.3
    size = rng.randint(max(1, width // 3), width) if reduce else \
        rng.randint(width, (40 if rng.random() < 0.2 else 4) * width)
    return ['+i', method, '+Sxv', str(size)]


def multi_frame_file(path, rng):
    """2 to 4 frames of 16-bit values, each frame in its own part of the range (a few values,
    within 8 bits, or all of it), some rescaled wider than 16 bits; returns the dcmscale options,
    the dcm2pnm options and a description."""
    signed = rng.random() < 0.3
    width, height = rng.randint(4, 8), rng.randint(4, 8)
    frames = rng.randint(2, 4)
    lo, hi = (-32768, 32767) if signed else (0, 65535)
    values = []
    spans = []
    for _ in range(frames):
        span = rng.choice([2, 127, 255, 300, 4000, 65535])
        base = lo if rng.random() < 0.7 else rng.randint(lo, hi - min(span, hi - lo))
        top = min(hi, base + span)
        spans.append((base, top))
        values += [rng.choice([base, top, rng.randint(base, top)]) for _ in range(width * height)]
    rescale = rng.choice([None, None, (2, 0), (4, 0), (3, -1000), (100, 0), (1, 70000)])
    options = random_size(rng, width)
    write_image(path, rng, width, height, frames, 16, 16, signed, values, rescale)
    description = (f'{width}x{height}x{frames} {"signed" if signed else "unsigned"} frames {spans} '
                   f'rescale {rescale}')
    return options, options + ['+Fa', '+Wm', '+opn', '32'], description, 'multiframe'


def wide_file(path, rng):
    """Values of 32 bits: Bits Allocated 32 (unsigned or signed), or 16-bit values rescaled past
    2^31 or 2^32; returns the dcmscale options, the dcm2pnm options and a description."""
    width, height = rng.randint(4, 8), rng.randint(4, 8)
    count = width * height
    kind = rng.randrange(3)
    rescale = None
    if kind == 0:
        signed = False
        values = [rng.choice([0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, rng.randrange(2 ** 32),
                              rng.randrange(2 ** 31, 2 ** 32)]) for _ in range(count)]
        allocated = 32
    elif kind == 1:
        signed = True
        values = [rng.choice([-2 ** 31, -1, 0, 2 ** 31 - 1, rng.randrange(-2 ** 31, 2 ** 31)])
                  for _ in range(count)]
        allocated = 32
    else:
        signed = rng.random() < 0.3
        lo, hi = (-32768, 32767) if signed else (0, 65535)
        values = [rng.randint(lo, hi) for _ in range(count)]
        allocated = 16
        rescale = (rng.choice([40000, 70000, 100000, 33000.5]),
                   rng.choice([0, 0, -1000, 2 ** 31, -2 ** 31 + 5]))
    scale = random_size(rng, width)
    # Bicubic enlargement of values DCMTK keeps in a signed 32-bit type (its rescaled smallest
    # and largest stored values reach below 0) that need more than 16 bits: a listed difference.
    ends = [min(values), max(values)]
    if rescale:
        ends = [v * rescale[0] + rescale[1] for v in ends]
    signed_32 = min(ends) < 0 and (min(ends) < -32768 or max(ends) > 32767)
    label = 'wide-signed32-bicubic' if signed_32 and scale[1] == '4' and \
        int(scale[3]) >= width else 'wide'
    # No +Wh: DCMTK 3.6.7 crashes on histograms of most such ranges (see docs/dcm2pnm.md).
    vois = rng.choice([[], ['+Wm'], ['+Wn'], ['+Wr', '1', '1', '2', '2']])
    bits = rng.choice([[], ['+opn', '32']])
    pnm = (scale if rng.random() < 0.6 else []) + vois + bits
    write_image(path, rng, width, height, 1, allocated, allocated, signed, values, rescale)
    description = (f'{width}x{height} {allocated} bits {"signed" if signed else "unsigned"} '
                   f'rescale {rescale}')
    return scale, pnm, description, label


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
    options = random_size(rng, width)
    write_image(path, rng, width, height, frames, 8 if bits == 8 else 16, bits, signed, values,
                rescale, aspect)
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

    def same_scaling(base, options):
        rc_theirs = run(theirs['dcmscale'], options, base / 'in.dcm', base / 'theirs.dcm')
        rc_ours = run(dcmscale, options, base / 'in.dcm', base / 'ours.dcm')
        same = rc_theirs == rc_ours
        if same and rc_theirs == 0:
            same = (dcmdump_lines(base / 'theirs.dcm', SYNTHETIC_IGNORED) ==
                    dcmdump_lines(base / 'ours.dcm', SYNTHETIC_IGNORED) and
                    pixel_bytes(base / 'theirs.dcm', base / 'wt') ==
                    pixel_bytes(base / 'ours.dcm', base / 'wo'))
        return same

    def same_rendering(base, options):
        (base / 'dcmtk').mkdir()
        (base / 'dcmkit').mkdir()
        rc_theirs = run(theirs['dcm2pnm'], options, base / 'in.dcm', base / 'dcmtk' / 'out')
        rc_ours = run(dcm2pnm, options, base / 'in.dcm', base / 'dcmkit' / 'out')
        return rc_theirs == rc_ours and outputs(base / 'dcmtk') == outputs(base / 'dcmkit')

    def check_synthetic(index):
        base = work_dir / f's{index}'
        base.mkdir()
        options, description = synthetic_file(base / 'in.dcm',
                                              random.Random(SYNTHETIC_SEED * 100000 + index))
        same = same_scaling(base, options)
        if same:
            shutil.rmtree(base)
        return [('dcmscale', 'synthetic', ' '.join(options), same, f'{base} ({description})')]

    def check_generated(job):
        name, make, index = job
        base = work_dir / f'{name}{index}'
        base.mkdir()
        scale, render, description, name = make(base / 'in.dcm',
                                                random.Random(SYNTHETIC_SEED * 100000 + index))
        results = [('dcmscale', name, ' '.join(scale), same_scaling(base, scale),
                    f'{base} ({description})'),
                   ('dcm2pnm', name, ' '.join(render), same_rendering(base, render),
                    f'{base} ({description})')]
        if all(result[3] for result in results):
            shutil.rmtree(base)
        return results

    jobs = [('dcm2pnm', name, options) for name in IMAGES
            for options in OPTION_SETS + DCM2PNM_EXTRA]
    jobs += [('dcmscale', name, options) for name in IMAGES for options in OPTION_SETS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(check, enumerate(jobs)))
        generated = [('multiframe', multi_frame_file, i) for i in range(MULTI_FRAME_CASES)]
        generated += [('wide', wide_file, i) for i in range(WIDE_CASES)]
        for group in pool.map(check_synthetic, range(SYNTHETIC_CASES)):
            results += group
        for group in pool.map(check_generated, generated):
            results += group
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
          f'dcmscale; {MULTI_FRAME_CASES} multi-frame and {WIDE_CASES} 32-bit synthetic images, '
          'dcmscale and dcm2pnm)')
    for kind in ('synthetic', 'multiframe', 'wide', 'wide-signed32-bicubic'):
        for program in ('dcmscale', 'dcm2pnm'):
            cases = [r for r in results if r[0] == program and r[1] == kind]
            if cases:
                print(f'  {kind} {program}: {sum(1 for r in cases if r[3])} of {len(cases)} '
                      'identical')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

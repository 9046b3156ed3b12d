#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmdjpeg against DCMTK's with each colour space option (+cp, +cl, +cg, +cgl, +ca, +cn):
the exit code, Photometric Interpretation, Planar Configuration and pixels must be DCMTK's.

The streams: DCMTK's dcmcjpeg encodings of small synthetic images (8- and 12-bit RGB, 8-bit
YBR_FULL, 8-bit MONOCHROME1; lossless SV1 and SV6, the pseudo-lossless codec, baseline and
extended with +cy and +cr, progressive +cr), some as Ultrasound images (where +pa stores
YBR_FULL by plane), copies of them whose JPEG markers are patched (JFIF or Adobe marker spoilt
or cut short, Adobe transform flag changed, component IDs 1,2,3 / 'R','G','B' / others) since
what +cg and +cgl convert depends on them, and the JPEG corpus files that hold colour or
MONOCHROME1.

Then each of those encodings is made by dcmkit's dcmcjpeg as well and decoded by DCMTK's
dcmdjpeg +cg and +cgl: the outcome must be that of DCMTK's own encoding (the component IDs and
markers an encoder writes decide what +cg converts).

Differences must be listed in dcmdjpeg_color_known_differences.tsv (name, option, reason).

Usage: compare_dcmdjpeg_color.py <our dcmdjpeg (dcmcjpeg next to it)> <corpus dir>
                                 <known differences tsv> <work dir>
Exit 77 (skipped) without DCMTK's dcmdjpeg and dcmcjpeg."""
import concurrent.futures
import os
import pathlib
import random
import re
import struct
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import interop_common  # noqa: E402
from interop_common import element  # noqa: E402

OPTIONS = ('+cp', '+cl', '+cg', '+cgl', '+ca', '+cn')
JPEG = {'1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.53',
        '1.2.840.10008.1.2.4.55', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'}
SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7'
ULTRASOUND = '1.2.840.10008.5.1.4.1.1.6.1'


def write_image(path, columns, rows, bits, photometric, sop_class, sample):
    """An explicit VR little endian image, colour by pixel; sample(x, y, c) for each sample."""
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    samples = 1 if photometric.startswith('MONOCHROME') else 3
    uid = '1.2.826.0.1.3680043.2.1143.7.31.' + str(sum(path.name.encode()))
    meta = (element(2, 1, b'OB', b'\0\1') + element(2, 2, b'UI', sop_class) +
            element(2, 3, b'UI', uid) + element(2, 0x10, b'UI', '1.2.840.10008.1.2.1'))
    allocated = 16 if bits > 8 else 8
    values = [sample(x, y, c) for y in range(rows) for x in range(columns) for c in range(samples)]
    data = (element(8, 0x16, b'UI', sop_class) + element(8, 0x18, b'UI', uid) +
            element(8, 0x60, b'CS', 'US' if sop_class == ULTRASOUND else 'OT') +
            element(0x10, 0x10, b'PN', 'Colour^Guess') +
            element(0x20, 0xd, b'UI', uid + '.1') + element(0x20, 0xe, b'UI', uid + '.2') +
            element(0x28, 2, b'US', us(samples)) + element(0x28, 4, b'CS', photometric) +
            (element(0x28, 6, b'US', us(0)) if samples == 3 else b'') +
            element(0x28, 0x10, b'US', us(rows)) + element(0x28, 0x11, b'US', us(columns)) +
            element(0x28, 0x100, b'US', us(allocated)) + element(0x28, 0x101, b'US', us(bits)) +
            element(0x28, 0x102, b'US', us(bits - 1)) + element(0x28, 0x103, b'US', us(0)) +
            element(0x7fe0, 0x10, b'OW' if allocated == 16 else b'OB',
                    struct.pack(f'<{len(values)}{"H" if allocated == 16 else "B"}', *values)))
    meta = element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    path.write_bytes(b'\0' * 128 + b'DICM' + meta + data)


def first_fragment(data):
    """(start, end) of the first fragment of the encapsulated Pixel Data in a file that DCMTK's
    dcmcjpeg wrote (explicit VR little endian, nothing after the Pixel Data)."""
    at = data.rfind(b'\xe0\x7f\x10\x00OB\x00\x00\xff\xff\xff\xff')
    position = at + 12
    position += 8 + struct.unpack_from('<I', data, position + 4)[0]  # the offset table
    length = struct.unpack_from('<I', data, position + 4)[0]
    return position + 8, position + 8 + length


def shorten_app(data, start, end):
    """`data` with the APP0 or APP14 segment at the start of its single-fragment frame
    (start..end) cut to what IJG does not take for a JFIF or Adobe marker: the identifier and
    at most 6 more bytes (IJG wants 14 and 12)."""
    fragment = bytes(data[start:end])
    length = struct.unpack_from('>H', fragment, 4)[0]
    kept = fragment[6:6 + (5 if fragment[3] == 0xE0 else 11)]
    shorter = fragment[:4] + struct.pack('>H', 2 + len(kept)) + kept + fragment[4 + length:]
    if len(shorter) % 2:
        shorter += b'\0'  # fragments have an even length; IJG ignores bytes after EOI
    return data[:start - 4] + struct.pack('<I', len(shorter)) + shorter + data[end:]


def patch(source, target, no_jfif=False, no_adobe=False, adobe=None, ids=None, short=False):
    """A copy of `source` whose first frame's markers are changed in place: the JFIF or Adobe
    identifier spoilt (so that IJG ignores the marker), the Adobe transform flag set, the
    component IDs of the frame header and the scan headers replaced; with `short`, the APPn
    marker right after SOI cut short (ignored by IJG too)."""
    data = bytearray(pathlib.Path(source).read_bytes())
    start, end = first_fragment(data)
    if short:
        data = shorten_app(data, start, end)
        start, end = first_fragment(data)
    position, old_ids = start + 2, []
    while position + 4 <= end:
        marker = data[position + 1]
        length = struct.unpack_from('>H', data, position + 2)[0]
        segment = position + 4
        if marker == 0xE0 and no_jfif:
            data[segment + 3] = ord('X')
        if marker == 0xEE and no_adobe:
            data[segment + 4] = ord('X')
        if marker == 0xEE and adobe is not None:
            data[segment + 11] = adobe
        if marker in (0xC0, 0xC1, 0xC2, 0xC3) and ids:
            for k in range(data[segment + 5]):
                old_ids.append(data[segment + 6 + 3 * k])
                data[segment + 6 + 3 * k] = ids[k]
        if marker == 0xDA:
            if ids:
                for k in range(data[segment]):
                    data[segment + 1 + 2 * k] = ids[old_ids.index(data[segment + 1 + 2 * k])]
            break  # sequential streams: one scan
        position += 2 + length
    pathlib.Path(target).write_bytes(bytes(data))


def make_streams(work):
    """{name: path} of DCMTK's encodings and their patched copies, and the sources with the
    options of each encoding, [(name, source, options)] (for the comparison of encoders)."""
    rng = random.Random(3)
    noise = {(x, y, c): rng.randrange(60) for x in range(40) for y in range(40) for c in range(3)}
    images = {
        'rgb8': (8, 'RGB', SECONDARY_CAPTURE,
                 lambda x, y, c: ((x * 9, y * 13, (x + y) * 5)[c] + noise[x, y, c]) % 256),
        'rgb12': (12, 'RGB', SECONDARY_CAPTURE,
                  lambda x, y, c: ((x * 150, y * 200, (x + y) * 90)[c] + noise[x, y, c] * 7)
                  % 4096),
        'ybr8': (8, 'YBR_FULL', SECONDARY_CAPTURE,
                 lambda x, y, c: (x * 9 + y) % 256 if c == 0 else 128 + noise[x, y, c] - 30),
        'ybr8us': (8, 'YBR_FULL', ULTRASOUND,
                   lambda x, y, c: (x * 9 + y) % 256 if c == 0 else 128 + noise[x, y, c] - 30),
        'rgb8us': (8, 'RGB', ULTRASOUND,
                   lambda x, y, c: ((x * 9, y * 13, (x + y) * 5)[c] + noise[x, y, c]) % 256),
        'mono1-8': (8, 'MONOCHROME1', SECONDARY_CAPTURE,
                    lambda x, y, c: (x * 11 + y * 3 + noise[x, y, 0]) % 256),
        'mono1-12': (12, 'MONOCHROME1', SECONDARY_CAPTURE,
                     lambda x, y, c: (x * 170 + y * 50 + noise[x, y, 0] * 9) % 4096),
    }
    encodings = {
        'rgb8': ['+e1', '+el +sv 6', '+eb', '+eb +cr', '+ee +cr', '+ep +cr', '+pl', '+eb +s4'],
        'rgb12': ['+e1', '+ee', '+ee +cr', '+ep +cr', '+pl'],
        'ybr8': ['+e1', '+eb', '+ee +cr', '+pl'],
        'ybr8us': ['+e1', '+eb'],
        'rgb8us': ['+eb', '+eb +cr', '+e1'],
        'mono1-8': ['+e1', '+eb'],
        'mono1-12': ['+ee', '+pl'],
    }
    streams, encoded = {}, []
    for name, (bits, photometric, sop_class, sample) in images.items():
        source = work / f'{name}.dcm'
        write_image(source, 23, 17, bits, photometric, sop_class, sample)
        for options in encodings[name]:
            label = f'{name}{"".join(options.split())}'
            target = work / f'{label}.dcm'
            result = subprocess.run(['dcmcjpeg', *options.split(), source, target],
                                    capture_output=True, timeout=300)
            if result.returncode != 0:
                raise RuntimeError(f'DCMTK cannot encode {name} with {options}')
            streams[label] = target
            encoded.append((label, source, options))
    # Markers and component IDs that decide what IJG guesses (+cg, +cgl).
    patches = {
        'rgb8+e1': [('ids123', {'ids': (1, 2, 3)}), ('ids567', {'ids': (5, 6, 7)}),
                    ('idsRGB', {'ids': (82, 71, 66)})],
        'rgb12+e1': [('ids123', {'ids': (1, 2, 3)})],
        'ybr8+e1': [('nojfif', {'no_jfif': True}), ('nojfif-ids012', {'no_jfif': True,
                                                                      'ids': (0, 1, 2)})],
        'ybr8us+e1': [('nojfif-ids012', {'no_jfif': True, 'ids': (0, 1, 2)})],
        'rgb8+pl': [('noadobe', {'no_adobe': True}), ('adobe1', {'adobe': 1}),
                    ('adobe2', {'adobe': 2}), ('noadobe-ids012', {'no_adobe': True,
                                                                  'ids': (0, 1, 2)})],
        'rgb8+eb+cr': [('noadobe', {'no_adobe': True}), ('adobe1', {'adobe': 1}),
                       ('shortadobe-ids123', {'short': True, 'ids': (1, 2, 3)}),
                       ('adobe7', {'adobe': 7}), ('noadobe-ids567', {'no_adobe': True,
                                                                     'ids': (5, 6, 7)}),
                       ('noadobe-ids123', {'no_adobe': True, 'ids': (1, 2, 3)})],
        'rgb8+eb': [('nojfif-idsRGB', {'no_jfif': True, 'ids': (82, 71, 66)}),
                    ('jfif-idsRGB', {'ids': (82, 71, 66)}),
                    ('shortjfif-idsRGB', {'short': True, 'ids': (82, 71, 66)})],
        'rgb8us+eb': [('nojfif-idsRGB', {'no_jfif': True, 'ids': (82, 71, 66)})],
        'rgb12+ee+cr': [('noadobe-ids012', {'no_adobe': True, 'ids': (0, 1, 2)})],
        'rgb12+ee': [('nojfif-idsRGB', {'no_jfif': True, 'ids': (82, 71, 66)})],
    }
    for base, variants in patches.items():
        for suffix, how in variants:
            target = work / f'{base}-{suffix}.dcm'
            patch(streams[base], target, **how)
            streams[f'{base}-{suffix}'] = target
    return streams, encoded


def compare_encoders(job):
    """dcmkit's dcmcjpeg and DCMTK's encode alike for DCMTK's dcmdjpeg +cg and +cgl: the colour
    model its IJG guesses from the markers and component IDs, so the decoded pixels and their
    labels, are the same."""
    index, label, source, options, our_dcmcjpeg, work = job
    results = []
    for side, program in (('ours', our_dcmcjpeg), ('theirs', 'dcmcjpeg')):
        coded = work / f'e{index}-{side}.dcm'
        result = subprocess.run([str(program), *options.split(), str(source), str(coded)],
                                capture_output=True, timeout=300)
        if result.returncode != 0:
            return label, 'dcmcjpeg', 'differs', f'{side} cannot encode it'
        results.append([outcome('dcmdjpeg', option, coded, work / f'e{index}-{side}{option}.dcm',
                                work / f'e{index}-{side}{option}-p') for option in ('+cg', '+cgl')])
        coded.unlink()
    if results[0] != results[1]:
        return label, 'dcmcjpeg', 'differs', 'DCMTK\'s dcmdjpeg +cg/+cgl decodes dcmkit\'s ' \
            'encoding otherwise than its own'
    return label, 'dcmcjpeg', 'same', ''


def corpus_streams(corpus):
    """{name: path} of the corpus's JPEG files with colour or MONOCHROME1 pixels."""
    streams = {}
    manifest = corpus / 'MANIFEST.tsv'
    for line in manifest.read_text().splitlines()[1:]:
        row = line.split('\t')
        if len(row) < 7 or row[4].split(' ')[0] not in JPEG:
            continue
        if re.search(r'PI=(RGB|YBR|MONOCHROME1)', row[6]):
            streams[row[0]] = corpus / row[0]
    return streams


def outcome(program, option, path, out, pixel_dir):
    """Exit code, Photometric Interpretation, Planar Configuration and pixels of one decode."""
    result = subprocess.run([str(program), option, str(path), str(out)], capture_output=True,
                            timeout=300)
    if result.returncode != 0:
        return (result.returncode, None, None, None)
    lines = interop_common.dcmdump_lines(out, re.compile('^$'))
    photometric = next((line for line in lines if line.startswith('(0028,0004)')), None)
    planar = next((line for line in lines if line.startswith('(0028,0006)')), None)
    pixels = interop_common.pixel_bytes(out, pixel_dir)
    out.unlink()
    return (0, photometric and photometric.split('#')[0].strip(),
            planar and planar.split('#')[0].strip(), pixels)


def compare(job):
    index, name, path, option, ours, work = job
    mine = outcome(ours, option, path, work / f'{index}-ours.dcm', work / f'{index}-op')
    theirs = outcome('dcmdjpeg', option, path, work / f'{index}-theirs.dcm', work / f'{index}-tp')
    if mine == theirs:
        return name, option, 'same', ''
    what = []
    for label, a, b in zip(('exit code', 'Photometric Interpretation', 'Planar Configuration'),
                           mine[:3], theirs[:3]):
        if a != b:
            what.append(f'{label} {a} where DCMTK has {b}')
    if mine[3] != theirs[3]:
        what.append('other pixels')
    return name, option, 'differs', '; '.join(what)


def main():
    ours, corpus, known_file, work = sys.argv[1:5]
    if not pathlib.Path('/usr/bin/dcmdjpeg').exists() or \
            not pathlib.Path('/usr/bin/dcmcjpeg').exists():
        print('skipped: DCMTK is not available')
        return 77
    work = interop_common.fresh_dir(work)
    our_dcmcjpeg = pathlib.Path(ours).with_name('dcmcjpeg')
    streams, encoded = make_streams(work)
    corpus_dir = pathlib.Path(corpus)
    if (corpus_dir / 'MANIFEST.tsv').exists():
        streams.update(corpus_streams(corpus_dir))
    else:
        print('corpus not available: synthetic streams only')
    jobs = [(i * len(OPTIONS) + k, name, path, option, ours, work)
            for i, (name, path) in enumerate(sorted(streams.items()))
            for k, option in enumerate(OPTIONS)]
    tally = interop_common.Tally(interop_common.load_known(known_file))
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name, option, status, detail in pool.map(compare, jobs):
            tally.add(name, option, status, detail)
        if our_dcmcjpeg.exists():
            encoder_jobs = [(i, label, source, options, our_dcmcjpeg, work)
                            for i, (label, source, options) in enumerate(encoded)]
            for name, option, status, detail in pool.map(compare_encoders, encoder_jobs):
                tally.add(name, option, status, detail)
    tally.check_stale()
    print(f'{len(streams)} streams x {len(OPTIONS)} options, {len(encoded)} encodings by '
          f'both dcmcjpeg: {tally.counts}')
    return 1 if tally.failures else 0


if __name__ == '__main__':
    sys.exit(main())

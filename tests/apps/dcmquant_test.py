#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmquant run as a user runs it (no DCMTK needed): a synthetic RGB image is converted and the
output is checked attribute by attribute with a small reader here; wrong input and options end
with DCMTK's exit code 1 and its messages.

Usage: dcmquant_test.py <dcmquant> <testdata dir> <work dir>"""
import pathlib
import shutil
import struct
import subprocess
import sys

LONG_VRS = {b'OB', b'OW', b'OF', b'SQ', b'UT', b'UN', b'OD', b'OL', b'UC', b'UR', b'OV'}


def element(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode()
    if len(value) % 2:
        value += b'\0' if vr in (b'UI', b'OB') else b' '
    if vr in LONG_VRS:
        return struct.pack('<HH', group, elem) + vr + b'\0\0' + struct.pack('<I', len(value)) + value
    return struct.pack('<HH', group, elem) + vr + struct.pack('<H', len(value)) + value


def write_rgb(path, columns, rows, pixels, frames=1):
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    sop_class = '1.2.840.10008.5.1.4.1.1.7'
    meta = (element(2, 1, b'OB', b'\0\1') + element(2, 2, b'UI', sop_class) +
            element(2, 3, b'UI', '1.2.3.4.5.6') + element(2, 0x10, b'UI', '1.2.840.10008.1.2.1'))
    meta = element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    data = (element(8, 0x16, b'UI', sop_class) + element(8, 0x18, b'UI', '1.2.3.4.5.6') +
            element(0x10, 0x10, b'PN', 'Test') + element(0x28, 2, b'US', us(3)) +
            element(0x28, 4, b'CS', 'RGB') + element(0x28, 6, b'US', us(0)))
    if frames > 1:
        data += element(0x28, 8, b'IS', str(frames))
    data += (element(0x28, 0x10, b'US', us(rows)) + element(0x28, 0x11, b'US', us(columns)) +
             element(0x28, 0x100, b'US', us(8)) + element(0x28, 0x101, b'US', us(8)) +
             element(0x28, 0x102, b'US', us(7)) + element(0x28, 0x103, b'US', us(0)) +
             element(0x7fe0, 0x10, b'OB', bytes(v for p in pixels for v in p)))
    pathlib.Path(path).write_bytes(b'\0' * 128 + b'DICM' + meta + data)


def read(path):
    """Top-level elements of an explicit VR little endian file: {(group, element): (vr, bytes)}."""
    data = pathlib.Path(path).read_bytes()
    assert data[128:132] == b'DICM', 'no DICM prefix'
    pos, found = 132, {}
    while pos + 8 <= len(data):
        group, elem = struct.unpack_from('<HH', data, pos)
        vr = data[pos + 4:pos + 6]
        if vr in LONG_VRS:
            length = struct.unpack_from('<I', data, pos + 8)[0]
            pos += 12
        else:
            length = struct.unpack_from('<H', data, pos + 6)[0]
            pos += 8
        found[(group, elem)] = (vr, data[pos:pos + length])
        pos += length
    return found


def u16(raw):
    return list(struct.unpack('<%dH' % (len(raw) // 2), raw))


def main():
    program, testdata, work = sys.argv[1:4]
    work_dir = pathlib.Path(work)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)

    def run(*args):
        return subprocess.run([program, *args], capture_output=True, timeout=120)

    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)]
    pixels = [colours[(x // 4 + y) % 4] for y in range(8) for x in range(16)]
    source = work_dir / 'rgb.dcm'
    write_rgb(source, 16, 8, pixels)

    out = work_dir / 'palette.dcm'
    result = run(str(source), str(out))
    check(result.returncode == 0, f'conversion failed: {result.stderr!r}')
    e = read(out)
    check(e[(0x28, 4)][1].rstrip(b' ') == b'PALETTE COLOR', 'Photometric Interpretation')
    check(u16(e[(0x28, 2)][1]) == [1], 'Samples per Pixel')
    check(u16(e[(0x28, 0x100)][1]) == [8] and u16(e[(0x28, 0x101)][1]) == [8], 'bits')
    check((0x28, 6) not in e, 'Planar Configuration left')
    descriptor = u16(e[(0x28, 0x1101)][1])
    check(descriptor == [256, 0, 8], f'descriptor {descriptor}')
    check(e[(0x28, 0x1201)][0] == b'OW' and len(e[(0x28, 0x1201)][1]) == 256, 'red table')
    tables = [e[(0x28, t)][1] for t in (0x1201, 0x1202, 0x1203)]
    indices = list(e[(0x7fe0, 0x10)][1][:16 * 8])
    mapped = [(tables[0][i], tables[1][i], tables[2][i]) for i in indices]
    check(mapped == pixels, 'an image of 4 colours is not reproduced exactly')
    description = e[(8, 0x2111)][1].rstrip(b' \0').decode()
    check(description.startswith('Converted to PALETTE COLOR 256/0/8 with dcmkit'), description)
    check(e[(8, 0x18)][1].rstrip(b'\0') != b'1.2.3.4.5.6', 'no new SOP Instance UID')
    check((8, 0x2112) in e, 'no Source Image Sequence')
    check(e[(8, 8)][1].rstrip(b' ') == b'DERIVED', 'Image Type')

    # 16-bit entries written as US, 300 colours (16-bit pixels, 9 bits stored), UID kept.
    out = work_dir / 'words.dcm'
    result = run('+pe', '+pu', '+pc', '300', '+un', str(source), str(out))
    check(result.returncode == 0, f'+pe +pu failed: {result.stderr!r}')
    e = read(out)
    check(u16(e[(0x28, 0x1101)][1]) == [300, 0, 16], 'descriptor with +pe')
    check(e[(0x28, 0x1201)][0] == b'US' and len(e[(0x28, 0x1201)][1]) == 600, 'US table')
    check(u16(e[(0x28, 0x100)][1]) == [16] and u16(e[(0x28, 0x101)][1]) == [9], '300 colours')
    check(e[(8, 0x18)][1].rstrip(b'\0') == b'1.2.3.4.5.6', '+un changed the UID')
    check((8, 0x2112) not in e, '+un made a Source Image Sequence')

    # Secondary Capture: missing type 2 attributes added empty.
    out = work_dir / 'sc.dcm'
    result = run('+cs', '+un', str(source), str(out))
    check(result.returncode == 0, f'+cs failed: {result.stderr!r}')
    e = read(out)
    check(e[(8, 0x64)][1].rstrip(b' ') == b'WSD', 'Conversion Type')
    check((0x10, 0x20) in e and e[(0x10, 0x20)][1] == b'', 'Patient ID')
    check(e[(8, 0x18)][1].rstrip(b'\0') != b'1.2.3.4.5.6', '+cs did not imply +ua')

    # One frame of three.
    frames = [work_dir / 'frames.dcm', work_dir / 'frame2.dcm']
    write_rgb(frames[0], 4, 2, [colours[i % 4] for i in range(24)], frames=3)
    result = run('+fr', '2', str(frames[0]), str(frames[1]))
    check(result.returncode == 0, f'+fr failed: {result.stderr!r}')
    e = read(frames[1])
    check(e[(0x28, 8)][1].rstrip(b' ') == b'1', 'Number of Frames after +fr')
    check(len(e[(0x7fe0, 0x10)][1]) == 8, 'pixel data of one frame')

    # Errors end with 1, as DCMTK's.
    result = run('+pc', '1', str(source), str(work_dir / 'x.dcm'))
    check(result.returncode == 1 and b'Illegal call' in result.stderr, '+pc 1')
    result = run('+fr', '0', str(source), str(work_dir / 'x.dcm'))
    check(result.returncode == 1, '+fr 0 is a command-line error')
    result = run(str(work_dir / 'missing.dcm'), str(work_dir / 'x.dcm'))
    check(result.returncode == 1 and b'No such file or directory' in result.stderr, 'missing input')
    mono = work_dir / 'mono.dcm'
    data = source.read_bytes().replace(b'RGB ', b'XXXX')
    mono.write_bytes(data)
    result = run(str(mono), str(work_dir / 'x.dcm'))
    check(result.returncode == 1, 'unknown photometric interpretation accepted')
    result = run(str(pathlib.Path(testdata) / 'ct_image.dcm'), str(work_dir / 'x.dcm'))
    check(result.returncode == 1 and b'cannot convert monochrome image' in result.stderr,
          'monochrome input')
    result = run(str(source), str(work_dir / 'no' / 'such' / 'dir.dcm'))
    check(result.returncode == 1, 'unwritable output')

    for failure in failures:
        print('FAILED:', failure)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

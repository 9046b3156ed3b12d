# SPDX-License-Identifier: BSD-3-Clause
"""Synthetic monochrome images with VOI LUTs and windows, for the comparisons of the programs that
render such images on their way (imported by compare_codecs.py for dcmcjpeg's +W options and by
dicomdir_interop.py for dcmmkdir's icons; compare_dcm2pnm.py has dcm2pnm's own set).

Each image is 64 x 64 pixels (a few frames for some) whose stored values step through the stored
range, with one or two VOI LUTs (8 to 16 bits, descriptors that fit the entries or not, first
mapped values inside and outside the stored range), windows with a VOI LUT Function, MONOCHROME1,
signed values, a rescale, a Modality LUT, a Presentation LUT Shape, pixel padding, and the SOP
classes DCMTK treats apart (CT: Hounsfield units; XA and XRF: no modality transformation). The
patient, study and series attributes make them DICOMDIR material; names fit a DICOM file ID."""
import pathlib
import random
import struct

from compare_dcm2pnm import dicom_element, lut_item

SC = '1.2.840.10008.5.1.4.1.1.7'
CT = '1.2.840.10008.5.1.4.1.1.2'
XA = '1.2.840.10008.5.1.4.1.1.12.1'
XRF = '1.2.840.10008.5.1.4.1.1.12.2'
UID_ROOT = '1.2.826.0.1.3680043.2.1143.66'


def ramp(rng, count, top, noise=0):
    """`count` table entries rising from 0 to `top`, with some noise."""
    return [min(top, max(0, top * i // max(1, count - 1) + rng.randint(-noise, noise)))
            for i in range(count)]


def frame_values(bits, signed, frame):
    """4096 stored values stepping through the range; later frames reversed and halved."""
    low = -(1 << (bits - 1)) if signed else 0
    high = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    step = max(1, (high - low + 1) // 4096)
    values = [min(high, low + i * step) for i in range(4096)]
    if frame % 2:
        values.reverse()
    if frame >= 2:
        values = [v // 2 for v in values]
    return values


def write_image(path, number, bits, voi_luts, signed=False, photometric='MONOCHROME2',
                sop_class=SC, frames=1, windows=None, rescale=None, modality_lut=None,
                extra=()):
    """One explicit VR little endian image; voi_luts and modality_lut as compare_dcm2pnm's
    lut_item() takes them, windows (centers, widths, explanations) as DS/LO strings, rescale
    (intercept, slope) as strings, extra more (group, element, VR, value) elements."""
    sop_instance = f'{UID_ROOT}.{number}'
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    meta = [(2, 1, b'OB', b'\0\1'), (2, 2, b'UI', sop_class), (2, 3, b'UI', sop_instance),
            (2, 0x10, b'UI', '1.2.840.10008.1.2.1')]
    meta = b''.join(dicom_element(*e) for e in meta)
    meta = dicom_element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    modality = {CT: 'CT', XA: 'XA', XRF: 'RF'}.get(sop_class, 'OT')
    data = [(8, 0x16, b'UI', sop_class), (8, 0x18, b'UI', sop_instance),
            (8, 0x20, b'DA', '20240101'), (8, 0x30, b'TM', '120000'), (8, 0x50, b'SH', 'A1'),
            (8, 0x60, b'CS', modality), (0x10, 0x10, b'PN', 'Test^VOI'), (0x10, 0x20, b'LO', 'VOI1'),
            (0x20, 0xd, b'UI', UID_ROOT + '.100'), (0x20, 0xe, b'UI', f'{UID_ROOT}.200.{number}'),
            (0x20, 0x10, b'SH', '1'), (0x20, 0x11, b'IS', str(number)), (0x20, 0x13, b'IS', '1'),
            (0x28, 2, b'US', us(1)), (0x28, 4, b'CS', photometric),
            (0x28, 0x10, b'US', us(64)), (0x28, 0x11, b'US', us(64)),
            (0x28, 0x100, b'US', us(16)), (0x28, 0x101, b'US', us(bits)),
            (0x28, 0x102, b'US', us(bits - 1)), (0x28, 0x103, b'US', us(int(signed)))]
    if frames > 1:
        data.append((0x28, 8, b'IS', str(frames)))
    if windows:
        data += [(0x28, 0x1050, b'DS', windows[0]), (0x28, 0x1051, b'DS', windows[1]),
                 (0x28, 0x1055, b'LO', windows[2])]
    if rescale:
        data += [(0x28, 0x1052, b'DS', rescale[0]), (0x28, 0x1053, b'DS', rescale[1])]
    if modality_lut:
        data.append((0x28, 0x3000, b'SQ', lut_item(*modality_lut)))
    if voi_luts:
        data.append((0x28, 0x3010, b'SQ', b''.join(lut_item(*item) for item in voi_luts)))
    values = [v for f in range(frames) for v in frame_values(bits, signed, f)]
    data.append((0x7FE0, 0x10, b'OW', struct.pack(f'<{len(values)}{"h" if signed else "H"}',
                                                  *values)))
    data = sorted(data + list(extra), key=lambda e: (e[0], e[1]))
    pathlib.Path(path).write_bytes(b'\0' * 128 + b'DICM' + meta +
                                   b''.join(dicom_element(*e) for e in data))


def voi_images(directory):
    """Writes the images into `directory` (made if missing); returns their paths."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(66)
    two = [(3447, 625, 12, ramp(rng, 3447, 4088), b'US'),
           (3016, 1023, 12, ramp(rng, 3016, 4092, 3), b'US')]
    windows = ('1500\\800', '1000\\300', 'FIRST\\SECOND')
    sigmoid = [(0x28, 0x1056, b'CS', 'SIGMOID')]
    one = [(2000, 0, 12, ramp(rng, 2000, 4095, 2), b'US')]
    images = {  # name: bits stored, VOI LUTs, keyword arguments of write_image()
        'GH133LK': (12, two, {'windows': windows, 'extra': sigmoid}),
        'MONO1': (12, [(2000, 100, 10, ramp(rng, 2000, 1023, 9), b'US')],
                  {'photometric': 'MONOCHROME1', 'windows': windows}),
        'BITS8': (10, [(1024, 0, 8, ramp(rng, 1024, 255), b'US')], {'windows': windows}),
        'SIGNED16': (16, [(4096, -2048, 16, ramp(rng, 4096, 60000, 5), b'SS')],
                     {'signed': True, 'windows': ('-100\\0', '3000\\60000', 'A\\B')}),
        'RESCALED': (12, one, {'rescale': ('10.25', '0.5'), 'windows': windows}),
        'TOOWIDE': (12, [(2000, 0, 10, ramp(rng, 2000, 4095, 2), b'US')], {}),
        'BITS0AN5': (12, [(2000, 0, 0, ramp(rng, 2000, 4095, 2), b'US'),
                          (2000, 0, 5, ramp(rng, 2000, 100, 2), b'US')], {}),
        'NARROW16': (12, [(2000, 0, 16, ramp(rng, 2000, 255, 1), b'US')], {}),
        'MODLUT': (12, [(200, 10, 12, ramp(rng, 200, 4095), b'US')],
                   {'modality_lut': (4096, 0, 8, ramp(rng, 4096, 4095), b'US'),
                    'windows': windows}),
        'INVERSE': (12, two, {'windows': windows,
                              'extra': [(0x2050, 0x20, b'CS', 'INVERSE')]}),
        'IDENTITY': (12, one, {'photometric': 'MONOCHROME1',
                               'extra': [(0x2050, 0x20, b'CS', 'IDENTITY')]}),
        'PADDING': (12, two, {'windows': windows,
                              'extra': [(0x28, 0x120, b'US', struct.pack('<H', 0)),
                                        (0x28, 0x121, b'US', struct.pack('<H', 300))]}),
        'CT': (12, one, {'sop_class': CT, 'rescale': ('-1024', '1'), 'windows': windows}),
        'XA': (12, one, {'sop_class': XA, 'rescale': ('10.25', '0.5'), 'windows': windows,
                         'extra': [(0x28, 0x1040, b'CS', 'LIN')]}),
        'XRF': (12, one, {'sop_class': XRF, 'windows': windows,
                          'modality_lut': (4096, 0, 12, ramp(rng, 4096, 2000), b'US')}),
        'FRAMES3': (12, two, {'frames': 3, 'windows': windows}),
        'SFRAMES': (16, [(4096, -2048, 16, ramp(rng, 4096, 60000, 5), b'SS')],
                    {'signed': True, 'frames': 3, 'rescale': ('0', '2')}),
    }
    paths = []
    for number, (name, (bits, luts, options)) in enumerate(images.items(), 1):
        path = directory / name
        write_image(path, number, bits, luts, **options)
        paths.append(path)
    return paths

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""img2dcm against real peers. Inputs are made here: BMP (8-bit grey and colour palettes,
24-bit), PNG (grey 8/16, RGB), TIFF (grey, RGB) and JPEG (baseline, extended 12-bit and
progressive streams made by DCMTK's dcmcjpeg). For every input and every output IOD (-sc, -nsc,
-vlp, -oph) that fits it:
  - dciodvfy (dicom3tools) reports no errors,
  - DCMTK's dcmdump reads the object,
  - pydicom reads it, and (native pixels) its pixel array equals the input's pixels,
  - for inputs DCMTK's img2dcm reads (BMP, JPEG): the same attributes with the same values as
    DCMTK's object from the same input and options (UIDs, dates and times excluded) and the
    same pixel data; deliberate differences are listed in img2dcm_known_differences.tsv; inputs both refuse are fine.
Also the exit codes of failing runs against DCMTK's. Exit 77 (skipped) without the peers.

Usage: img2dcm_interop.py <our img2dcm> <known differences tsv> <work dir>"""
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import zlib

try:
    import numpy
    import pydicom
    from pydicom.encaps import generate_pixel_data_frame
except ImportError:
    numpy = None

OPH_KEYS = ['-k', 'ImageLaterality=R',
            '-k', 'AcquisitionDeviceTypeCodeSequence[0].CodeValue=409898007',
            '-k', 'AcquisitionDeviceTypeCodeSequence[0].CodingSchemeDesignator=SCT',
            '-k', 'AcquisitionDeviceTypeCodeSequence[0].CodeMeaning=Fundus Camera']
IODS = {'sc': ['-sc'], 'nsc': ['-nsc'], 'vlp': ['-vlp'], 'oph': ['-oph'] + OPH_KEYS}
# Attributes whose values differ from run to run.
VOLATILE = {'SOPInstanceUID', 'StudyInstanceUID', 'SeriesInstanceUID', 'ContentDate',
            'ContentTime', 'AcquisitionDateTime', 'SynchronizationFrameOfReferenceUID',
            'MediaStorageSOPInstanceUID', 'ImplementationClassUID', 'ImplementationVersionName'}


# --- input images --------------------------------------------------------------------------------

def pattern(w, h, channels, maximum=255):
    return [[[(x * 37 + y * 11 + c * 71 + x * y) % (maximum + 1) for c in range(channels)]
             for x in range(w)] for y in range(h)]


def write_bmp(path, pixels, palette=None):
    h, w = len(pixels), len(pixels[0])
    bpp = 8 if palette is not None else 24
    stride = (w * bpp + 31) // 32 * 4
    rows = []
    for y in range(h - 1, -1, -1):
        if palette is not None:
            line = bytes(pixels[y][x][0] for x in range(w))
        else:
            line = b''.join(bytes((p[2], p[1], p[0])) for p in pixels[y])
        rows.append(line + b'\0' * (stride - len(line)))
    pal = b''.join(bytes((b, g, r, 0)) for r, g, b in palette or [])
    offset = 54 + len(pal)
    data = b''.join(rows)
    header = b'BM' + struct.pack('<IHHI', offset + len(data), 0, 0, offset)
    header += struct.pack('<IiiHHIIiiII', 40, w, h, 1, bpp, 0, len(data), 2835, 2835,
                          len(palette or []), 0)
    pathlib.Path(path).write_bytes(header + pal + data)


def write_png(path, pixels, bits, palette=None):
    """Grey (1 channel), grey+alpha (2), RGB (3), RGBA (4), or palette indices with `palette`."""
    h, w, channels = len(pixels), len(pixels[0]), len(pixels[0][0])
    raw = b''
    for row in pixels:
        raw += b'\0' + b''.join(
            (struct.pack('>H', v) if bits == 16 else bytes((v,))) for p in row for v in p)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack(
            '>I', zlib.crc32(kind + data) & 0xffffffff)
    color = 3 if palette is not None else {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, bits, color, 0, 0, 0))
    if palette is not None:
        png += chunk(b'PLTE', b''.join(bytes(c) for c in palette))
    png += chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
    pathlib.Path(path).write_bytes(png)


def write_tiff(path, pixels, bits=8, planar=False, white_is_zero=False):
    h, w, channels = len(pixels), len(pixels[0]), len(pixels[0][0])
    fmt = '<H' if bits == 16 else '<B'
    if planar:
        data = b''.join(struct.pack(fmt, p[c]) for c in range(channels) for row in pixels
                        for p in row)
    else:
        data = b''.join(struct.pack(fmt, (65535 if bits == 16 else 255) - v if white_is_zero
                                    else v) for row in pixels for p in row for v in p)
    photometric = 0 if white_is_zero else (1 if channels == 1 else 2)
    entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, bits), (259, 3, 1, 1),
               (262, 3, 1, photometric), (273, 4, 1, 0), (277, 3, 1, channels),
               (278, 4, 1, h), (279, 4, 1, len(data)), (284, 3, 1, 2 if planar else 1)]
    if planar:  # one strip per plane: StripOffsets/StripByteCounts of 3 values after the IFD
        entries[5] = (273, 4, 3, 0)
        entries[8] = (279, 4, 3, 0)
    if channels == 3:  # BitsPerSample b,b,b stored after the directory
        entries[2] = (258, 3, 3, 0)
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    extra_offset = ifd_offset + ifd_size
    extra = struct.pack('<HHH', bits, bits, bits) if channels == 3 else b''
    plane = len(data) // 3 if planar else 0
    strips_offset = extra_offset + len(extra)
    counts_offset = strips_offset + (12 if planar else 0)
    if planar:
        extra += b'\0' * 24
    data_offset = extra_offset + len(extra)
    if planar:
        extra = extra[:len(extra) - 24] + struct.pack(
            '<III', data_offset, data_offset + plane, data_offset + 2 * plane) + struct.pack(
            '<III', plane, plane, plane)
    out = b'II*\0' + struct.pack('<I', ifd_offset) + struct.pack('<H', len(entries))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = strips_offset if planar else data_offset
        if tag == 279 and planar:
            value = counts_offset
        if tag == 258 and count == 3:
            value = extra_offset
        if kind == 3 and count == 1:
            out += struct.pack('<HHIHH', tag, kind, count, value, 0)
        else:
            out += struct.pack('<HHII', tag, kind, count, value)
    out += struct.pack('<I', 0) + extra + data
    pathlib.Path(path).write_bytes(out)


def make_jpegs(ours, work):
    """JPEG streams from DCMTK's dcmcjpeg, cut out of the objects it writes."""
    made = {}
    source = work / 'jpeg_source.bmp'
    write_bmp(source, pattern(48, 32, 3))
    native = work / 'jpeg_source.dcm'
    subprocess.run([ours, '-i', 'BMP', str(source), str(native)], check=True)
    gray_source = work / 'jpeg_gray.bmp'
    write_bmp(gray_source, pattern(33, 21, 1), [(i, i, i) for i in range(256)])
    gray_native = work / 'jpeg_gray.dcm'
    subprocess.run([ours, '-i', 'BMP', str(gray_source), str(gray_native)], check=True)
    deep_source = work / 'jpeg_deep.png'
    write_png(deep_source, pattern(29, 15, 1, 4095), 16)
    deep_native = work / 'jpeg_deep.dcm'
    subprocess.run([ours, '-i', 'PNG', str(deep_source), str(deep_native)], check=True)
    # baseline_q95's compression ratio, 2.09645, shows DCMTK's number format (not %.5G).
    for name, src, options in [('baseline', native, ['+eb']), ('progressive', native, ['+ep']),
                               ('baseline_q95', native, ['+eb', '+q', '95']),
                               ('gray', gray_native, ['+eb']), ('extended', gray_native, ['+ee']),
                               ('extended12', deep_native, ['+ee', '+bt'])]:
        compressed = work / f'{name}_jpeg.dcm'
        subprocess.run(['dcmcjpeg'] + options + [str(src), str(compressed)], check=True)
        ds = pydicom.dcmread(str(compressed))
        stream = next(generate_pixel_data_frame(ds.PixelData, 1))
        end = stream.rfind(b'\xff\xd9')
        path = work / f'{name}.jpg'
        path.write_bytes(stream[:end + 2])
        made[name] = path
    return made


# --- comparisons ---------------------------------------------------------------------------------

def load_known(path):
    known = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if line.startswith('#') or not line.strip():
            continue
        fields = line.split('\t')
        known[(fields[0], fields[1])] = fields[2]
    return known


def attributes(path):
    ds = pydicom.dcmread(str(path))
    out = {}

    def walk(data, prefix):
        for element in data:
            if element.keyword in VOLATILE or element.tag == 0x7FE00010:
                continue
            name = prefix + (element.keyword or str(element.tag))
            if element.VR == 'SQ':
                out[name] = str(len(element.value))
                for index, item in enumerate(element.value):
                    walk(item, f'{name}[{index}].')
            else:
                out[name] = str(element.value)
    walk(ds, '')
    return ds, out


def pixel_frames(ds):
    if 'TransferSyntaxUID' in ds.file_meta and ds.file_meta.TransferSyntaxUID.is_compressed:
        frames = int(ds.get('NumberOfFrames', 1))
        return [f.rstrip(b'\0') for f in generate_pixel_data_frame(ds.PixelData, frames)]
    return [bytes(ds.PixelData)]


def main():
    ours, known_path, work = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    for tool in ['img2dcm', 'dcmdump', 'dcmcjpeg', 'dciodvfy']:
        if shutil.which(tool) is None:
            print(f'skipped: {tool} is not installed')
            return 77
    if numpy is None:
        print('skipped: pydicom or numpy is missing (python3-pydicom, python3-numpy)')
        return 77
    known = load_known(known_path)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    failures = []

    inputs = []  # (name, path, format option, expected pixels or None, DCMTK reads it)
    gray = pattern(31, 19, 1)
    write_bmp(work / 'gray8.bmp', gray, [(i, i, i) for i in range(256)])
    inputs.append(('gray8.bmp', 'BMP', gray, True))
    rgb = pattern(33, 17, 3)
    write_bmp(work / 'rgb24.bmp', rgb)
    inputs.append(('rgb24.bmp', 'BMP', rgb, True))
    palette = [(i, 255 - i, (i * 7) % 256) for i in range(256)]
    write_bmp(work / 'pal8.bmp', gray, palette)
    inputs.append(('pal8.bmp', 'BMP', [[list(palette[p[0]]) for p in row] for row in gray], True))
    write_png(work / 'gray8.png', gray, 8)
    inputs.append(('gray8.png', 'PNG', gray, False))
    gray16 = pattern(23, 13, 1, 65535)
    write_png(work / 'gray16.png', gray16, 16)
    inputs.append(('gray16.png', 'PNG', gray16, False))
    write_png(work / 'rgb8.png', rgb, 8)
    inputs.append(('rgb8.png', 'PNG', rgb, False))
    write_tiff(work / 'gray8.tif', gray)
    inputs.append(('gray8.tif', 'TIFF', gray, False))
    write_tiff(work / 'rgb8.tif', rgb)
    inputs.append(('rgb8.tif', 'TIFF', rgb, False))
    write_tiff(work / 'gray16.tif', gray16, 16)
    inputs.append(('gray16.tif', 'TIFF', gray16, False))
    write_tiff(work / 'white.tif', gray, white_is_zero=True)
    inputs.append(('white.tif', 'TIFF', gray, False))
    write_tiff(work / 'planar.tif', rgb, planar=True)
    inputs.append(('planar.tif', 'TIFF', rgb, False))
    write_png(work / 'palette.png', gray, 8, palette)
    inputs.append(('palette.png', 'PNG', [[list(palette[p[0]]) for p in row] for row in gray],
                   False))
    rgba = [[p + [(p[0] * 3) % 256] for p in row] for row in rgb]
    write_png(work / 'rgba.png', rgba, 8)
    inputs.append(('rgba.png', 'PNG', rgb, False))
    for name, path in make_jpegs(ours, work).items():
        inputs.append((path.name, 'JPEG', None, True))

    checked = 0
    for name, fmt, expected, dcmtk_reads in inputs:
        for iod, options in IODS.items():
            ours_out = work / f'{name}.{iod}.ours.dcm'
            args = ['-i', fmt] + options + [str(work / name)]
            result = subprocess.run([ours] + args + [str(ours_out)], capture_output=True,
                                    text=True, timeout=60)
            theirs_out = work / f'{name}.{iod}.dcmtk.dcm'
            theirs = None
            if dcmtk_reads:
                theirs = subprocess.run(['img2dcm'] + args + [str(theirs_out)],
                                        capture_output=True, text=True, timeout=60)
            deep = name.startswith('gray16') or name.startswith('extended12')  # > 8 bits
            if deep and iod == 'vlp':  # VL images have 8 bits: refused, with exit code 1
                if result.returncode != 1:
                    failures.append(f'{name} -{iod}: exit {result.returncode}, expected 1')
                continue
            if result.returncode != 0 and theirs is not None and \
                    theirs.returncode == result.returncode:
                continue  # refused by both (e.g. 12 bits for Ophthalmic Photography 16 Bit)
            if result.returncode != 0:
                failures.append(f'{name} -{iod}: exit {result.returncode}: {result.stderr}')
                continue
            checked += 1
            verify = subprocess.run(['dciodvfy', str(ours_out)], capture_output=True, text=True)
            errors = [l for l in (verify.stdout + verify.stderr).splitlines()
                      if l.startswith('Error')]
            if errors:
                failures.append(f'{name} -{iod}: dciodvfy: ' + '; '.join(errors))
            if subprocess.run(['dcmdump', str(ours_out)], capture_output=True).returncode != 0:
                failures.append(f'{name} -{iod}: DCMTK dcmdump cannot read it')
            ds, ours_attributes = attributes(ours_out)
            if expected is not None:
                array = ds.pixel_array
                if not numpy.array_equal(array.reshape(numpy.array(expected).shape),
                                         numpy.array(expected)):
                    failures.append(f'{name} -{iod}: pydicom pixel array differs from the input')
            if theirs is None:
                continue
            if theirs.returncode != 0:
                failures.append(f'{name} -{iod}: DCMTK failed where we did not: {theirs.stderr}')
                continue
            their_ds, their_attributes = attributes(theirs_out)
            for key in sorted(set(ours_attributes) | set(their_attributes)):
                a, b = ours_attributes.get(key), their_attributes.get(key)
                if a == b:
                    continue
                if (key, iod) in known or (key, '*') in known:
                    continue
                failures.append(f'{name} -{iod}: {key}: ours {a!r}, DCMTK {b!r}')
            # The encoded Pixel Data (offset table and fragments included), then the frames.
            if ds.PixelData != their_ds.PixelData or pixel_frames(ds) != pixel_frames(their_ds):
                failures.append(f'{name} -{iod}: pixel data differs from DCMTK\'s')

    # Multi-frame objects from several files, as DCMTK makes them.
    for frames_name, files in [('bmp', ['rgb24.bmp', 'rgb24.bmp']),
                               ('jpeg', ['baseline.jpg', 'baseline.jpg', 'baseline.jpg'])]:
        fmt = 'BMP' if frames_name == 'bmp' else 'JPEG'
        args = ['-i', fmt, '-nsc'] + [str(work / f) for f in files]
        ours_out, theirs_out = work / f'multi_{frames_name}.ours.dcm', work / f'multi_{frames_name}.dcmtk.dcm'
        subprocess.run([ours] + args + [str(ours_out)], check=True)
        subprocess.run(['img2dcm'] + args + [str(theirs_out)], check=True)
        ds, a = attributes(ours_out)
        their_ds, b = attributes(theirs_out)
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key) and (key, 'nsc') not in known and (key, '*') not in known:
                failures.append(f'multi {frames_name}: {key}: ours {a.get(key)!r}, DCMTK {b.get(key)!r}')
        if ds.PixelData != their_ds.PixelData or pixel_frames(ds) != pixel_frames(their_ds):
            failures.append(f'multi {frames_name}: pixel data differs from DCMTK\'s')
        verify = subprocess.run(['dciodvfy', str(ours_out)], capture_output=True, text=True)
        if 'Error' in verify.stdout + verify.stderr:
            failures.append(f'multi {frames_name}: dciodvfy reports errors')

    # Failures: same exit codes as DCMTK's.
    (work / 'not_an_image.jpg').write_bytes(b'GIF89a no image')
    for args in [[str(work / 'missing.jpg'), 'x.dcm'],
                 ['-i', 'BMP', str(work / 'baseline.jpg'), 'x.dcm'],
                 ['-i', 'GIF', str(work / 'rgb24.bmp'), 'x.dcm'],
                 [str(work / 'not_an_image.jpg'), 'x.dcm'],
                 ['-ii', str(work / 'baseline.jpg'), 'x.dcm'],
                 ['-i', 'BMP', '-i2', str(work / 'rgb24.bmp'), 'x.dcm'],
                 ['-oph', str(work / 'baseline.jpg'), 'x.dcm'],
                 ['-vlp', '-i', 'BMP', str(work / 'rgb24.bmp'), str(work / 'rgb24.bmp'), 'x.dcm'],
                 ['-k', 'NoSuchKeyword=1', str(work / 'baseline.jpg'), 'x.dcm'],
                 [str(work / 'baseline.jpg')]]:
        args = [a if a != 'x.dcm' else str(work / 'x.dcm') for a in args]
        a = subprocess.run([ours] + args, capture_output=True).returncode
        b = subprocess.run(['img2dcm'] + args, capture_output=True).returncode
        if a != b:
            failures.append(f'exit code of {" ".join(args)}: ours {a}, DCMTK {b}')

    for failure in failures:
        print('FAIL', failure)
    print(f'{checked} objects checked, {len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

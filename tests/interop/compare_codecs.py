#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's JPEG, JPEG-LS and JPEG 2000 programs against DCMTK's (and GDCM's for JPEG 2000), on
the corpus. Exit 77 (skipped) without DCMTK or the corpus.

1. Every JPEG / JPEG-LS corpus file is decoded by dcmkit's and DCMTK's dcmdjpeg / dcmdjpls; every
   JPEG 2000 file by dcmkit's dcmdj2k and GDCM's gdcmconv --raw (when installed). The decoded
   pixels (DCMTK's dcmdump +W) must be identical. Files neither side decodes are counted apart.
2. Every uncompressed corpus file is compressed losslessly by dcmkit's dcmcjpeg (SV1) and dcmcjpls
   and decoded by DCMTK's dcmdjpeg / dcmdjpls: the pixels must equal the original's.
3. Every uncompressed corpus file is compressed to HTJ2K lossless by dcmkit's dcmcj2k (+eh; +ehr,
   the RPCL variant, for every tenth file) and decoded by dcmkit's dcmdj2k (OpenJPEG), by
   OpenJPH's ojph_expand (an independent HTJ2K decoder, Debian's openjph-tools; up to four
   frames a file, each frame's codestream taken from the encapsulated Pixel Data) and by GDCM's
   gdcmconv --raw when that GDCM reads HTJ2K: the pixels must equal the original's. Every third
   file is also compressed to lossy HTJ2K (+ehy): dcmdj2k's and ojph_expand's pixels must agree
   within lossy_tolerance() (see there). Synthetic images add what the corpus lacks (signed
   12-bit samples, 7-bit, 10/12-bit colour by plane, YBR_FULL, full-range 16-bit edges) to both.
   Without ojph_expand that part is skipped, and said so. (DCMTK has no JPEG 2000 decoder.)
4. Every uncompressed corpus file is compressed by dcmkit's and DCMTK's dcmcjpeg with JPEG
   baseline (+eb +q 75: monochrome images of any depth windowed to 8 bits, colour ones as YCbCr),
   with the pseudo-lossless codec (+pl) and with one of +ee/+es/+ep +rm (12-bit lossy: extended,
   spectral selection, progressive), +eb +Wm and +eb +Wh 5 +sr in turn: DCMTK's dcmdjpeg must
   decode identical pixels from both encodings.
5. dcmcjpeg's usage errors (codecs_usage.tsv: option combinations) give DCMTK's exit code and
   error line.
6. Synthetic colour images (12-bit RGB, 10-bit RGB by plane, 12-bit YBR_FULL, 8-bit RGB) are
   compressed by dcmkit's and DCMTK's dcmcjpeg with each YCbCr subsampling option (+s2, +s4,
   +n2, +n1, +np) and +cr, with +ee, +es and +ep (+eb at 8 bits): the Photometric
   Interpretation must be DCMTK's, DCMTK's dcmdjpeg must decode identical pixels from both
   encodings, and dcmkit's dcmdjpeg must decode both to DCMTK's pixels.
7. Synthetic monochrome images with VOI LUTs, windows, rescales and Modality LUTs (voi_images.py)
   and fo-dicom's GH133 are compressed by dcmkit's and DCMTK's dcmcjpeg with each VOI option
   (+Wl, +Wi, +Wm, +Wn, +Wr, +Wh, +Ww, -W with +sp/+sr and +ri/+rm) at 8, 12 and 16 bits (+pl
   +bs and +pl +bt code the rendered input losslessly): DCMTK's dcmdjpeg must decode identical
   pixels from both encodings, and the Image Pixel, VOI LUT and Presentation LUT attributes
   (but the compression ratio) must be DCMTK's. Counted with the lossy encodes.
8. Every compressed JPEG and RLE corpus file is recompressed by dcmkit's and DCMTK's dcmcjpeg
   (true lossless SV1 and +el, +eb, +eb +cr, +ee, +pl): the same exit code; where both encode,
   DCMTK's dcmdjpeg +cn must decode the same Image Pixel attributes and pixels from both. DCMTK's
   dcmcjpeg has no RLE decoder, so it is given the RLE file decoded by DCMTK's dcmdrle.

Differences must be listed in codecs_known_differences.tsv (file, check).

Usage: compare_codecs.py <our apps dir> <corpus dir> <known differences tsv> <work dir>"""
import concurrent.futures
import math
import os
import pathlib
import random
import shutil
import struct
import subprocess
import sys

from interop_common import element
from voi_images import voi_images

NATIVE = {'1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'}
JPEG = {'1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.53',
        '1.2.840.10008.1.2.4.55', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'}
JPLS = {'1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'}
J2K = {'1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.4.201',
       '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203'}


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=300)


def pixels(path, pixel_dir):
    shutil.rmtree(pixel_dir, ignore_errors=True)
    pixel_dir.mkdir(parents=True)
    run('dcmdump', '-q', '+W', pixel_dir, path)
    data = b''
    for raw in sorted(pixel_dir.iterdir()):
        data += raw.read_bytes()
    shutil.rmtree(pixel_dir, ignore_errors=True)
    return data


def check_decode(job):
    index, name, ts, apps, corpus, work = job
    if ts in JPEG:
        ours, theirs = apps / 'dcmdjpeg', ['/usr/bin/dcmdjpeg']
    elif ts in JPLS:
        ours, theirs = apps / 'dcmdjpls', ['/usr/bin/dcmdjpls']
    else:
        ours, theirs = apps / 'dcmdj2k', ['gdcmconv', '--raw']
    a = work / f'{index}-ours.dcm'
    b = work / f'{index}-theirs.dcm'
    mine = run(ours, corpus / name, a)
    other = run(*theirs, corpus / name, b)
    if other.returncode != 0 or not b.exists():
        return 'both-fail' if mine.returncode != 0 else 'only-ours'
    if mine.returncode != 0:
        return f'{name}: decode: dcmkit failed: {mine.stderr.decode(errors="replace").strip()}'
    pa = pixels(a, work / f'{index}-pa')
    pb = pixels(b, work / f'{index}-pb')
    if pa != pb:
        return f'{name}: decode: pixels differ ({len(pa)} vs {len(pb)} bytes)'
    return 'ok'


def check_encode(job):
    index, name, option, apps, corpus, work, program = job
    compressed = work / f'{index}-c.dcm'
    decoded = work / f'{index}-cd.dcm'
    args = [apps / program] + ([option] if option else []) + [corpus / name, compressed]
    mine = run(*args)
    theirs = run(f'/usr/bin/{program}', *([option] if option else []), corpus / name,
                 work / f'{index}-t.dcm')
    if mine.returncode != 0:
        # Refusing what DCMTK refuses too is agreement.
        return 'both-refuse' if theirs.returncode != 0 else \
            f'{name}: {program}: dcmkit refused: {mine.stderr.decode(errors="replace").strip()}'
    decoder = '/usr/bin/dcmdjpeg' if program == 'dcmcjpeg' else '/usr/bin/dcmdjpls'
    result = run(decoder, compressed, decoded)
    if result.returncode != 0:
        return f'{name}: {program}: DCMTK cannot decode: {result.stderr.decode(errors="replace").strip()}'
    original = pixels(corpus / name, work / f'{index}-po')
    again = pixels(decoded, work / f'{index}-pd')
    if original != again:
        return f'{name}: {program}: lossless round trip through DCMTK changed the pixels'
    return 'ok'


def gdcm_reads_htj2k(apps, sample, work):
    """Whether the installed gdcmconv decodes HTJ2K at all (GDCM 3.0 on Debian 12 does not):
    tried on dcmcj2k's encoding of `sample`."""
    if shutil.which('gdcmconv') is None or sample is None:
        return False
    encoded = work / 'probe-ht.dcm'
    if run(apps / 'dcmcj2k', '+eh', sample, encoded).returncode != 0:
        return False
    return run('gdcmconv', '--raw', encoded, work / 'probe-raw.dcm').returncode == 0


# Where ojph_expand is: OpenJPH's decoder (Debian's openjph-tools), independent of OpenJPEG.
OJPH_EXPAND = shutil.which('ojph_expand')


def lossy_tolerance(precision):
    """The largest difference accepted between OpenJPEG's (dcmdj2k's) and OpenJPH's decoding of
    one lossy (irreversible 9/7) HTJ2K sample of `precision` bits. OpenJPEG 2.5's inverse 9/7
    scales the high-pass samples by its constant two_invK = 1.625732422, 3.3e-5 short of 2/K
    (1.6257861), while OpenJPH uses the exact value: the results drift apart in proportion to the
    amplitude of the image's detail, plus one for float rounding. Measured with dcmcj2k +ehy at
    +cr 3..100: a 16-bit checkerboard of 1-pixel squares, 0 and 65535, differs by exactly 2
    (65535 * 3.3e-5 = 2.2) and by 1 at half that amplitude; 3-pixel squares differ by up to 6 at
    16 bits, 3 at 15, 2 at 14 and 1 at 12; the corpus's 16-bit images by at most 2, 8- and
    12-bit images by at most 1. The difference does not grow with the quantization step (alike
    from +cr 4 to +cr 100), which rules out a difference in dequantization. So: 1, plus
    2^precision * 1e-4 (3 times the constant's error; 7 at 16 bits, 1 up to 13 bits)."""
    return 1 + int((1 << precision) * 1e-4)


def top_level_pixels(path, pixel_dir):
    """The bytes of the top-level Pixel Data (DCMTK's dcmdump +W names the file it writes for
    each Pixel Data; an Icon Image Sequence's comes first)."""
    shutil.rmtree(pixel_dir, ignore_errors=True)
    pixel_dir.mkdir(parents=True)
    listing = run('dcmdump', '-q', '+L', '+W', pixel_dir, path).stdout.decode(errors='replace')
    data = b''
    for line in listing.splitlines():
        if line.lower().startswith('(7fe0,0010)') and '=' in line:
            data = pathlib.Path(line.split('=', 1)[1].split('#')[0].strip()).read_bytes()
    shutil.rmtree(pixel_dir, ignore_errors=True)
    return data


def dump_attributes(path, *tags):
    """Top-level values of the given attributes (DCMTK's dcmdump +P), as strings."""
    args = ['dcmdump', '-q']
    for tag in tags:
        args += ['+P', tag]
    values = {}
    for line in run(*args, path).stdout.decode(errors='replace').splitlines():
        if not line.startswith('(') or line[1:10] not in tags or line[1:10] in values:
            continue
        value = line[14:line.index('#')].strip() if '#' in line else line[14:].strip()
        values[line[1:10]] = value.strip('[]')
    return values


def read_data_set(data, at, end, found, depth):
    """Explicit VR little endian elements of a Part 10 file written by dcmcj2k: the top-level
    values into `found`, the encapsulated Pixel Data as its list of items. Returns where the data
    set (or the item at `depth` > 0) ends."""
    long_vrs = (b'OB', b'OD', b'OF', b'OL', b'OV', b'OW', b'SQ', b'SV', b'UC', b'UN', b'UR',
                b'UT', b'UV')
    while at + 8 <= end:
        group, elem = struct.unpack_from('<HH', data, at)
        if group == 0xFFFE:
            if elem != 0xE00D:
                raise ValueError(f'item tag at {at}')
            return at + 8
        vr = data[at + 4:at + 6]
        if vr in long_vrs:
            length = struct.unpack_from('<I', data, at + 8)[0]
            at += 12
        else:
            length = struct.unpack_from('<H', data, at + 6)[0]
            at += 8
        if length != 0xFFFFFFFF:
            if depth == 0:
                found[group, elem] = data[at:at + length]
            at += length
            continue
        items = []
        while True:
            item_group, item_elem, item_length = struct.unpack_from('<HHI', data, at)
            at += 8
            if (item_group, item_elem) == (0xFFFE, 0xE0DD):
                break
            if item_length == 0xFFFFFFFF:
                at = read_data_set(data, at, end, {}, depth + 1)
            else:
                items.append(data[at:at + item_length])
                at += item_length
        if depth == 0 and (group, elem) == (0x7FE0, 0x10):
            found[group, elem] = items
    return at


def codestreams(path):
    """Each frame's codestream in the encapsulated Pixel Data of a file dcmcj2k wrote: the
    fragments grouped by the Basic Offset Table, or one frame per fragment, or a new frame at
    each fragment that starts with SOC SIZ."""
    data = pathlib.Path(path).read_bytes()
    found = {}
    read_data_set(data, 132, len(data), found, 0)
    items = found.get((0x7FE0, 0x10))
    if not isinstance(items, list) or len(items) < 2:
        raise ValueError('no encapsulated Pixel Data')
    table, fragments = items[0], items[1:]
    frames_value = found.get((0x28, 8), b'1').strip(b' \0') or b'1'
    frames = int(frames_value)
    if table:
        offsets = struct.unpack(f'<{len(table) // 4}I', table)
        streams, position, current = [], 0, None
        for fragment in fragments:
            if position in offsets:
                current = bytearray()
                streams.append(current)
            current += fragment
            position += 8 + len(fragment)
    elif len(fragments) == frames:
        streams = [bytes(f) for f in fragments]
    else:
        streams = []
        for fragment in fragments:
            if fragment[:4] == b'\xff\x4f\xff\x51' or not streams:
                streams.append(bytearray())
            streams[-1] += fragment
    if len(streams) != frames:
        raise ValueError(f'{len(streams)} codestreams for {frames} frames')
    return [bytes(s) for s in streams]


def read_pnm(path):
    """The samples of a binary PGM (P5) or PPM (P6), 16-bit ones big endian as Netpbm says."""
    data = pathlib.Path(path).read_bytes()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        if data[at:at + 1] == b'#':
            at = data.index(b'\n', at)
            continue
        start = at
        while at < len(data) and not data[at:at + 1].isspace():
            at += 1
        fields.append(data[start:at])
    body = data[at + 1:]
    if int(fields[3]) < 256:
        return list(body)
    return list(struct.unpack(f'>{len(body) // 2}H', body[:len(body) // 2 * 2]))


def ojph_expand(stream, stem):
    """OpenJPH's decoding of one codestream: (samples interleaved by pixel, components,
    precision, signed), or a skip reason (no ':' in it). OpenJPH 0.9's ojph_expand writes PGM,
    PPM, TIFF or YUV, all unsigned: it clips negative samples of a signed component to 0. For a
    signed stream the copy it decodes therefore says unsigned (the Ssiz sign bit cleared): in
    JPEG 2000 signedness only selects the DC level shift applied after the inverse wavelet and
    component transforms (ISO 15444-1 G.1.2), so it decodes to sample + 2^(precision-1) exactly,
    which is subtracted again here."""
    stream = bytearray(stream)
    if stream[:4] != b'\xff\x4f\xff\x51' or len(stream) < 42:
        return 'skipped: no SIZ marker segment at the start of the codestream'
    count = struct.unpack_from('>H', stream, 40)[0]
    if count not in (1, 3) or len(stream) < 42 + 3 * count:
        return f'skipped: {count} components (ojph_expand writes 1 or 3)'
    ssiz = [stream[42 + 3 * c] for c in range(count)]
    if any(stream[43 + 3 * c:45 + 3 * c] != b'\1\1' for c in range(count)) or \
            len(set(ssiz)) != 1:
        return 'skipped: components of unlike depth or sampling'
    precision, signed = (ssiz[0] & 0x7F) + 1, bool(ssiz[0] & 0x80)
    if precision > 16:
        return f'skipped: {precision}-bit samples (PGM/PPM hold at most 16)'
    for c in range(count):
        stream[42 + 3 * c] &= 0x7F
    source = stem.with_suffix('.j2c')
    target = stem.with_suffix('.pgm' if count == 1 else '.ppm')
    source.write_bytes(stream)
    result = run(OJPH_EXPAND, '-i', source, '-o', target)
    if result.returncode != 0 or not target.exists():
        error = (result.stderr + result.stdout).decode(errors='replace').strip()
        return f'ojph_expand failed: {error.splitlines()[-1] if error else result.returncode}'
    samples = read_pnm(target)
    source.unlink()
    target.unlink()
    if signed:
        samples = [v - (1 << (precision - 1)) for v in samples]
    return samples, count, precision, signed


def frame_bytes(samples, components, planar, allocated):
    """Samples (interleaved by pixel) as DICOM native pixel data: two's complement in Bits
    Allocated, little endian, by plane when Planar Configuration is 1."""
    if components > 1 and planar == 1:
        samples = [samples[i] for c in range(components)
                   for i in range(c, len(samples), components)]
    mask = (1 << allocated) - 1
    return struct.pack(f'<{len(samples)}{"H" if allocated == 16 else "B"}',
                       *[v & mask for v in samples])


def chosen_frames(count):
    """Up to four frames of `count`: the first, the last and two between."""
    return sorted({0, count // 3, (2 * count) // 3, count - 1}) if count > 0 else []


def ojph_check(label, compressed, stem, expected_frame, description):
    """ojph_expand on the sampled frames of `compressed`: [(kind, outcome)] for each frame.
    expected_frame(n, samples, components, precision, signed) returns None or a failure."""
    try:
        streams = codestreams(compressed)
    except (ValueError, struct.error) as e:
        return [('ojph', f'{label}: cannot take the codestreams from dcmcj2k\'s file: {e}')]
    outcomes = []
    for n in chosen_frames(len(streams)):
        decoded = ojph_expand(streams[n], stem.with_name(f'{stem.name}-{n}'))
        if isinstance(decoded, str):
            outcomes.append(('ojph', decoded if decoded.startswith('skipped') else
                             f'{label}: frame {n}: {decoded}'))
            continue
        failure = expected_frame(n, *decoded)
        kind = f'{description}, {decoded[2]}-bit{" signed" if decoded[3] else ""}'
        outcomes.append(('ojph', f'{label}: frame {n}: {failure}' if failure else f'ok ({kind})'))
    return outcomes


def check_htj2k(job):
    index, name, option, apps, corpus, work, gdcm, lossy = job
    compressed = work / f'{index}-h.dcm'
    decoded = work / f'{index}-hd.dcm'
    label = f'{name}: dcmcj2k {option}'
    mine = run(apps / 'dcmcj2k', option, corpus / name, compressed)
    if mine.returncode != 0:
        # What JPEG-LS cannot take either (Bits Allocated 32, subsampled YBR, ...).
        if run(apps / 'dcmcjpls', corpus / name, work / f'{index}-hl.dcm').returncode != 0:
            return 'both-refuse'
        return f'{label}: refused: {mine.stderr.decode(errors="replace").strip()}'
    original = pixels(corpus / name, work / f'{index}-ho')
    attributes = dump_attributes(corpus / name, '0028,0006', '0028,0100')
    planar = int(attributes.get('0028,0006', '0') or 0)
    allocated = int(attributes.get('0028,0100', '16') or 16)
    # The encoded data set says Planar Configuration 0 (PS3.5 8.2.4): by plane on request.
    result = run(apps / 'dcmdj2k', *(['+pl'] if planar == 1 else []), compressed, decoded)
    if result.returncode != 0:
        return f'{label}: dcmdj2k cannot decode: {result.stderr.decode(errors="replace").strip()}'
    if pixels(decoded, work / f'{index}-hp') != original:
        return f'{label}: lossless round trip changed the pixels'
    if gdcm:
        raw = work / f'{index}-hg.dcm'
        result = run('gdcmconv', '--raw', compressed, raw)
        if result.returncode != 0 or pixels(raw, work / f'{index}-hq') != original:
            return f'{label}: GDCM decodes other pixels'
    extra = []
    # Objects without pixel data (SR, RT, PDF, ...) pass through dcmcj2k unchanged.
    image = top_level_pixels(corpus / name, work / f'{index}-hr') if OJPH_EXPAND else b''
    if image:
        def lossless_frame(n, samples, components, precision, signed):
            size = len(samples) * allocated // 8
            want = image[n * size:(n + 1) * size]
            got = frame_bytes(samples, components, planar, allocated)
            if got != want:
                wrong = sum(a != b for a, b in zip(got, want))
                return f'ojph_expand decodes other pixels ({wrong} of {len(want)} bytes differ)'
            return None

        extra += ojph_check(label, compressed, work / f'{index}-hj', lossless_frame, 'lossless')
    if lossy and image:
        extra += check_htj2k_lossy(index, name, apps, corpus, work)
    return ['ok'] + extra if extra else 'ok'


def check_htj2k_lossy(index, name, apps, corpus, work):
    """dcmcj2k +ehy: dcmdj2k's pixels (OpenJPEG) and ojph_expand's agree within
    lossy_tolerance()."""
    compressed = work / f'{index}-y.dcm'
    decoded = work / f'{index}-yd.dcm'
    label = f'{name}: dcmcj2k +ehy'
    if run(apps / 'dcmcj2k', '+ehy', corpus / name, compressed).returncode != 0:
        return [('ojph', f'{label}: refused what +eh encodes')]
    result = run(apps / 'dcmdj2k', compressed, decoded)
    if result.returncode != 0:
        return [('ojph', f'{label}: dcmdj2k cannot decode: '
                         f'{result.stderr.decode(errors="replace").strip()}')]
    attributes = dump_attributes(decoded, '0028,0006', '0028,0100', '0028,0103')
    planar = int(attributes.get('0028,0006', '0') or 0)
    allocated = int(attributes.get('0028,0100', '16'))
    ours = top_level_pixels(decoded, work / f'{index}-yp')

    def lossy_frame(n, samples, components, precision, signed):
        size = len(samples) * allocated // 8
        frame = ours[n * size:(n + 1) * size]
        if len(frame) != size:
            return f'dcmdj2k decoded {len(frame)} bytes, ojph_expand {size}'
        kind = ('b' if signed else 'B') if allocated == 8 else ('h' if signed else 'H')
        mine = struct.unpack(f'<{len(samples)}{kind}', frame)
        theirs = struct.unpack(f'<{len(samples)}{kind}',
                               frame_bytes(samples, components, planar, allocated))
        worst = max(abs(a - b) for a, b in zip(mine, theirs))
        if worst > lossy_tolerance(precision):
            wrong = sum(a != b for a, b in zip(mine, theirs))
            return f'dcmdj2k and ojph_expand differ by up to {worst} ({wrong} of ' \
                   f'{len(mine)} samples; {precision} bits allow {lossy_tolerance(precision)})'
        return None

    return ojph_check(label, compressed, work / f'{index}-yj', lossy_frame, 'lossy')


def psnr(original, decoded):
    if len(original) != len(decoded) or not original:
        return None
    error = sum((a - b) * (a - b) for a, b in zip(original, decoded)) / len(original)
    return float('inf') if error == 0 else 10 * math.log10(255 * 255 / error)


def check_lossy(job):
    index, name, options, apps, corpus, work = job
    # DCMTK's encoders take what its image code renders (monochrome images windowed to 8 or 12
    # bits, colour images as RGB or YCbCr); dcmkit's do the same (dcmimage/jpeg_input.h), and
    # the DCT coders agree, so DCMTK's decoder must give the same pixels for both encodings.
    results = []
    for side, program in (('ours', apps / 'dcmcjpeg'), ('theirs', '/usr/bin/dcmcjpeg')):
        compressed = work / f'{index}-{side}-q.dcm'
        decoded = work / f'{index}-{side}-qd.dcm'
        if run(program, *options, corpus / name, compressed).returncode != 0:
            results.append(None)
            continue
        if run('/usr/bin/dcmdjpeg', compressed, decoded).returncode != 0:
            return f'{name}: lossy {" ".join(options)}: DCMTK cannot decode the {side} encoding'
        results.append(pixels(decoded, work / f'{index}-{side}-qp'))
    if results[0] is None and results[1] is None:
        return 'both-refuse'
    if results[0] is None or results[1] is None:
        return f'{name}: lossy {" ".join(options)}: only ' \
               f'{"DCMTK" if results[0] is None else "dcmkit"} encodes it'
    if results[0] != results[1]:
        return f'{name}: lossy {" ".join(options)}: decoded pixels differ from DCMTK\'s ' \
               f'(PSNR {psnr(results[1], results[0]) or 0:.2f} dB)'
    return 'ok'


# dcmcjpeg's option sets for compressed input (check 8); the true lossless ones are labelled
# apart, since DCMTK decodes the input without colour conversion for them ("always +cn with +tl").
RECOMPRESS_OPTION_SETS = [[], ['+el'], ['+eb'], ['+eb', '+cr'], ['+ee'], ['+pl']]
RLE = '1.2.840.10008.1.2.5'


def image_pixel_attributes(path):
    """Photometric Interpretation, Planar Configuration and the bits, as DCMTK's dcmdump says."""
    result = run('dcmdump', '-q', '+P', '0028,0004', '+P', '0028,0006', '+P', '0028,0100',
                 '+P', '0028,0101', path)
    return [line.split('#')[0].strip() for line in result.stdout.decode(errors='replace').splitlines()]


def check_recompress(job):
    """One compressed corpus file and one dcmcjpeg option set (check 8)."""
    index, name, ts, options, apps, corpus, work = job
    kind = 'recompress lossless' if options in ([], ['+el']) else 'recompress'
    label = f'{name}: {kind}: {" ".join(options) or "(default)"}'
    source = corpus / name
    their_source = source
    if ts == RLE:
        their_source = work / f'{index}-rle-native.dcm'
        if run('/usr/bin/dcmdrle', source, their_source).returncode != 0:
            return 'skipped: DCMTK cannot decode the RLE input'
    decoded = []
    codes = []
    for side, program, path in (('ours', apps / 'dcmcjpeg', source),
                                ('theirs', '/usr/bin/dcmcjpeg', their_source)):
        compressed = work / f'{index}-{side}-r.dcm'
        out = work / f'{index}-{side}-rd.dcm'
        codes.append(run(program, *options, path, compressed).returncode)
        if codes[-1] != 0:
            continue
        if run('/usr/bin/dcmdjpeg', '+cn', compressed, out).returncode != 0:
            return f'{label}: DCMTK cannot decode the {side} encoding'
        decoded.append((image_pixel_attributes(out), pixels(out, work / f'{index}-{side}-rp')))
        compressed.unlink()
        out.unlink()
    if their_source != source:
        their_source.unlink()
    if codes[0] != codes[1]:
        return f'{label}: dcmkit exits {codes[0]}, DCMTK {codes[1]}'
    if codes[0] != 0:
        return 'both-refuse'
    (our_attributes, ours), (their_attributes, theirs) = decoded
    if our_attributes != their_attributes:
        return f'{label}: Image Pixel attributes differ: {our_attributes} / {their_attributes}'
    if ours != theirs:
        return f'{label}: decoded pixels differ from DCMTK\'s (PSNR {psnr(theirs, ours) or 0:.2f} dB)'
    return 'ok'


def write_colour(path, columns, rows, bits, photometric, planar, sample):
    """An explicit VR little endian Secondary Capture image, sample(x, y, c) for each sample."""
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    sop_class, uid = '1.2.840.10008.5.1.4.1.1.7', '1.2.826.0.1.3680043.2.1143.7.12'
    meta = (element(2, 1, b'OB', b'\0\1') + element(2, 2, b'UI', sop_class) +
            element(2, 3, b'UI', uid) + element(2, 0x10, b'UI', '1.2.840.10008.1.2.1'))
    allocated = 16 if bits > 8 else 8
    planes = [[sample(x, y, c) for y in range(rows) for x in range(columns)] for c in range(3)]
    values = [v for plane in planes for v in plane] if planar else \
        [planes[c][i] for i in range(rows * columns) for c in range(3)]
    data = (element(8, 0x16, b'UI', sop_class) + element(8, 0x18, b'UI', uid) +
            element(8, 0x60, b'CS', 'OT') + element(0x10, 0x10, b'PN', 'Colour^Twelve') +
            element(0x20, 0xd, b'UI', uid + '.1') + element(0x20, 0xe, b'UI', uid + '.2') +
            element(0x28, 2, b'US', us(3)) + element(0x28, 4, b'CS', photometric) +
            element(0x28, 6, b'US', us(planar)) + element(0x28, 0x10, b'US', us(rows)) +
            element(0x28, 0x11, b'US', us(columns)) + element(0x28, 0x100, b'US', us(allocated)) +
            element(0x28, 0x101, b'US', us(bits)) + element(0x28, 0x102, b'US', us(bits - 1)) +
            element(0x28, 0x103, b'US', us(0)) +
            element(0x7fe0, 0x10, b'OW' if allocated == 16 else b'OB',
                    struct.pack(f'<{len(values)}{"H" if allocated == 16 else "B"}', *values)))
    meta = element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    pathlib.Path(path).write_bytes(b'\0' * 128 + b'DICM' + meta + data)


def make_colour_images(work):
    """The synthetic inputs of the subsampling comparison: {name: (path, processes)}. Odd sizes,
    so that edge replication and the dummy blocks of the last MCUs matter."""
    rng = random.Random(12)
    noise = {(x, y, c): rng.randrange(400) for x in range(40) for y in range(40) for c in range(3)}
    images = {
        'rgb12-37x29': (37, 29, 12, 'RGB', 0,
                        lambda x, y, c: ((x * 111, y * 141, (x + y) * 53)[c] + noise[x, y, c])
                        % 4096),
        'rgb10-planar-17x9': (17, 9, 10, 'RGB', 1,
                              lambda x, y, c: (x * 60 + y * 90 * c + noise[x, y, c]) % 1024),
        'ybr12-21x13': (21, 13, 12, 'YBR_FULL', 0,
                        lambda x, y, c: (x * 190 + y * 7) % 4096 if c == 0 else
                        2048 + (noise[x, y, c] - 200) * (3 - c)),
        'rgb8-33x9': (33, 9, 8, 'RGB', 0,
                      lambda x, y, c: ((x * 7, y * 28, x * y)[c] + noise[x, y, c] // 4) % 256),
    }
    made = {}
    for name, (columns, rows, bits, photometric, planar, sample) in images.items():
        path = work / f'{name}.dcm'
        write_colour(path, columns, rows, bits, photometric, planar, sample)
        made[name] = (path, ['+eb'] if bits == 8 else ['+ee', '+es', '+ep'])
    return made


def write_monochrome(path, columns, rows, bits, signed, sample):
    """An explicit VR little endian MONOCHROME2 Secondary Capture image, sample(x, y) for each
    pixel (signed ones stored sign-extended in Bits Allocated)."""
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    sop_class, uid = '1.2.840.10008.5.1.4.1.1.7', f'1.2.826.0.1.3680043.2.1143.7.{bits}{int(signed)}'
    meta = (element(2, 1, b'OB', b'\0\1') + element(2, 2, b'UI', sop_class) +
            element(2, 3, b'UI', uid) + element(2, 0x10, b'UI', '1.2.840.10008.1.2.1'))
    allocated = 16 if bits > 8 else 8
    values = [sample(x, y) & ((1 << allocated) - 1) for y in range(rows) for x in range(columns)]
    data = (element(8, 0x16, b'UI', sop_class) + element(8, 0x18, b'UI', uid) +
            element(8, 0x60, b'CS', 'OT') + element(0x10, 0x10, b'PN', 'Monochrome^Synthetic') +
            element(0x20, 0xd, b'UI', uid + '.1') + element(0x20, 0xe, b'UI', uid + '.2') +
            element(0x28, 2, b'US', us(1)) + element(0x28, 4, b'CS', 'MONOCHROME2') +
            element(0x28, 0x10, b'US', us(rows)) + element(0x28, 0x11, b'US', us(columns)) +
            element(0x28, 0x100, b'US', us(allocated)) + element(0x28, 0x101, b'US', us(bits)) +
            element(0x28, 0x102, b'US', us(bits - 1)) + element(0x28, 0x103, b'US', us(signed)) +
            element(0x7fe0, 0x10, b'OW' if allocated == 16 else b'OB',
                    struct.pack(f'<{len(values)}{"H" if allocated == 16 else "B"}', *values)))
    meta = element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    pathlib.Path(path).write_bytes(b'\0' * 128 + b'DICM' + meta + data)


def make_htj2k_images(work):
    """Synthetic inputs of the HTJ2K checks the corpus lacks: signed samples narrower than Bits
    Allocated with negative values, and full-range 16-bit edges (the worst case of
    lossy_tolerance())."""
    images = {
        'signed12-45x31': (45, 31, 12, True, lambda x, y: ((x * 97 + y * 211) % 4096) - 2048),
        'signed16-40x24': (40, 24, 16, True, lambda x, y: -32768 if (x // 3 + y // 2) % 2 else
                           32767 - x * y),
        'checker16-64x64': (64, 64, 16, False, lambda x, y: 65535 * ((x // 3 + y // 3) % 2)),
        'unsigned7-23x17': (23, 17, 7, False, lambda x, y: (x * 5 + y * 3) % 128),
    }
    for name, (columns, rows, bits, signed, sample) in images.items():
        write_monochrome(work / f'{name}.dcm', columns, rows, bits, signed, sample)


def native_element(path, tag, last=False):
    """The value of an explicit VR little endian element in a file that dcmkit's or DCMTK's
    programs wrote from the synthetic images (no sequences hold it, nothing follows the Pixel
    Data): found by its tag and VR bytes, the first occurrence or the last."""
    data = pathlib.Path(path).read_bytes()
    group, elem, vr = tag
    key = struct.pack('<HH', group, elem) + vr
    at = data.rfind(key) if last else data.find(key)
    if at < 0:
        return None
    if vr in (b'OB', b'OW'):
        length = struct.unpack_from('<I', data, at + 8)[0]
        return data[at + 12:at + 12 + length]
    length = struct.unpack_from('<H', data, at + 6)[0]
    return data[at + 8:at + 8 + length]


def check_colour(job):
    """One synthetic colour image, one process and subsampling option: dcmkit's and DCMTK's
    dcmcjpeg label it alike, DCMTK's dcmdjpeg decodes both to the same pixels and dcmkit's
    dcmdjpeg decodes both to those pixels too."""
    index, name, path, options, apps, work = job
    label = f'{name}: colour {" ".join(options)}'
    decoded = []
    for side, program in (('ours', apps / 'dcmcjpeg'), ('theirs', '/usr/bin/dcmcjpeg')):
        compressed = work / f'{index}-{side}-c.dcm'
        result = run(program, *options, path, compressed)
        if result.returncode != 0:
            error = result.stderr.decode(errors='replace').strip()
            return f'{label}: {side} encoder failed: {error}'
        photometric = native_element(compressed, (0x28, 4, b'CS'))
        pixels_by = []
        for decoder in ('/usr/bin/dcmdjpeg', apps / 'dcmdjpeg'):
            out = work / f'{index}-{side}-{len(pixels_by)}.dcm'
            if run(decoder, compressed, out).returncode != 0:
                return f'{label}: {decoder} cannot decode the {side} encoding'
            pixels_by.append(native_element(out, (0x7fe0, 0x10, b'OW'), last=True) or
                             native_element(out, (0x7fe0, 0x10, b'OB'), last=True))
            out.unlink()
        compressed.unlink()
        decoded.append((photometric, pixels_by))
    (our_label, ours), (their_label, theirs) = decoded
    if our_label != their_label:
        return f'{label}: Photometric Interpretation {our_label} where DCMTK writes {their_label}'
    if not theirs[0] or ours[0] != theirs[0]:
        return f'{label}: DCMTK decodes other pixels from dcmkit\'s stream than from its own ' \
               f'(PSNR {psnr(theirs[0] or b"", ours[0] or b"") or 0:.2f} dB)'
    if ours[1] != ours[0] or theirs[1] != theirs[0]:
        return f'{label}: dcmkit\'s dcmdjpeg decodes other pixels than DCMTK\'s'
    return 'ok'


# dcmcjpeg's VOI options, each with the bits that show its rendering best (check 7).
VOI_OPTION_SETS = [
    ['+eb', '+Wl', '1'], ['+ee', '+Wl', '2'], ['+pl', '+bs', '+Wl', '1'],
    ['+pl', '+bt', '+Wl', '2'], ['+eb', '+Wi', '1'], ['+ee', '+Wi', '2'], ['+pl', '+bs', '+Wm'],
    ['+eb', '+Wn'], ['+pl', '+bs', '+Wh', '3'], ['+eb', '+Wr', '10', '10', '20', '20'],
    ['+pl', '+bs', '+Ww', '1000', '2000'], ['+eb'], ['+pl', '+bs'], ['+pl', '+bs', '+rm'],
    ['+ee', '+sr', '+rm'], ['+pl', '+bt', '+sr'], ['+eb', '+Wl', '9'],
]
# The corpus image with VOI LUTs (3062 x 2394, JPEG lossless): a few of the sets.
VOI_CORPUS = {'fo-dicom/GH133.dcm': [['+eb', '+Wl', '1'], ['+ee', '+Wl', '2'],
                                     ['+pl', '+bs', '+Wl', '3'], ['+eb', '+Wi', '1'],
                                     ['+ee', '+rm'], ['+eb', '+Wh', '5']]}


def voi_attributes(path):
    """The top-level Image Pixel, VOI LUT and Presentation LUT lines of DCMTK's dump of `path`,
    without the compression ratio (the streams differ by design)."""
    dump = run('dcmdump', '-q', path).stdout.decode(errors='replace').splitlines()
    return [line for line in dump if line.startswith(('(0028,', '(2050,')) and
            not line.startswith('(0028,2112)')]


def check_voi(job):
    """One monochrome image and one set of VOI options: both dcmcjpeg refuse it, or DCMTK's
    dcmdjpeg decodes the same pixels from both encodings and the attributes that describe them
    are DCMTK's."""
    index, name, path, options, apps, work = job
    label = f'{name}: voi {" ".join(options)}'
    outcomes = []
    for side, program in (('ours', apps / 'dcmcjpeg'), ('theirs', '/usr/bin/dcmcjpeg')):
        compressed = work / f'{index}-{side}-v.dcm'
        decoded = work / f'{index}-{side}-vd.dcm'
        if run(program, *options, path, compressed).returncode != 0:
            outcomes.append(None)
            continue
        if run('/usr/bin/dcmdjpeg', compressed, decoded).returncode != 0:
            return f'{label}: DCMTK cannot decode the {side} encoding'
        outcomes.append((pixels(decoded, work / f'{index}-{side}-vp'), voi_attributes(compressed)))
        compressed.unlink()
        decoded.unlink()
    ours, theirs = outcomes
    if ours is None or theirs is None:
        if ours is None and theirs is None:
            return 'both-refuse'
        return f'{label}: only {"DCMTK" if ours is None else "dcmkit"} encodes it'
    if ours[0] != theirs[0]:
        return f'{label}: decoded pixels differ from DCMTK\'s ' \
               f'(PSNR {psnr(theirs[0], ours[0]) or 0:.2f} dB)'
    if ours[1] != theirs[1]:
        mine = [line for line in ours[1] if line not in theirs[1]]
        other = [line for line in theirs[1] if line not in ours[1]]
        return f'{label}: attributes {mine[:2]} where DCMTK writes {other[:2]}'
    return 'ok'


def check_usage(job):
    """Usage errors: the same exit code and error line as DCMTK's for a combination of options."""
    index, options, apps, work = job
    sample = work / 'usage.dcm'
    outcomes = []
    for program in (apps / 'dcmcjpeg', '/usr/bin/dcmcjpeg'):
        result = run(program, *options.split(), sample, work / f'usage-{index}.dcm')
        lines = [line for line in result.stderr.decode(errors='replace').splitlines()
                 if line.startswith('error:')]
        outcomes.append((result.returncode, lines[:1]))
    if outcomes[0] != outcomes[1]:
        return f'{options}: usage: dcmkit {outcomes[0]}, DCMTK {outcomes[1]}'
    return 'ok'


def main():
    apps, corpus, known_file, work = sys.argv[1:5]
    apps = pathlib.Path(apps)
    known = set()
    for line in pathlib.Path(known_file).read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            known.add(tuple(line.split('\t')[:2]))
    corpus_dir = pathlib.Path(corpus)
    if not pathlib.Path('/usr/bin/dcmdjpls').exists() or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK or the corpus is not available')
        return 77
    rows = [line.split('\t') for line in
            (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    have_gdcm = shutil.which('gdcmconv') is not None
    work_dir = pathlib.Path(work)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    natives = [corpus_dir / r[0] for r in rows if r[4].split(' ')[0] in NATIVE]
    gdcm_ht = gdcm_reads_htj2k(apps, natives[0] if natives else None, work_dir)
    print(f'GDCM decodes HTJ2K: {"yes" if gdcm_ht else "no"}')
    print(f'OpenJPH ojph_expand decodes HTJ2K: '
          f'{OJPH_EXPAND or "skipped (not installed: Debian package openjph-tools)"}')
    jobs = []
    for i, r in enumerate(rows):
        ts = r[4].split(' ')[0]
        if ts in JPEG or ts in JPLS or (ts in J2K and have_gdcm):
            jobs.append(('decode', check_decode, (i, r[0], ts, apps, corpus_dir, work_dir)))
        elif ts in NATIVE:
            jobs.append(('encode', check_encode,
                         (10000 + i, r[0], '', apps, corpus_dir, work_dir, 'dcmcjpls')))
            jobs.append(('encode', check_encode,
                         (20000 + i, r[0], '', apps, corpus_dir, work_dir, 'dcmcjpeg')))
            # Lossy HTJ2K (+ehy: up to 13 encodes a frame) for every third file.
            jobs.append(('htj2k', check_htj2k, (30000 + i, r[0], '+ehr' if i % 10 == 0 else '+eh',
                                                apps, corpus_dir, work_dir, gdcm_ht, i % 3 == 1)))
            if 'oob-' in r[0]:
                # Orthanc's hostile images claim up to 65535 x 65535 pixels and hold a few
                # thousand: dcmkit refuses them at once, DCMTK's dcmcjpeg codes gigabytes of
                # zeros (47 s and 8 GiB for one run): the lossy comparison skips them.
                continue
            jobs.append(('lossy', check_lossy,
                         (40000 + i, r[0], ['+eb', '+q', '75'], apps, corpus_dir, work_dir)))
            jobs.append(('lossy', check_lossy,
                         (50000 + i, r[0], ['+pl'], apps, corpus_dir, work_dir)))
            # The 12-bit DCT processes in turn: extended, spectral selection, progressive.
            deep = ('+ee', '+es', '+ep')[(i // 3) % 3]
            extra = ([deep, '+rm'], ['+eb', '+Wm'], ['+eb', '+Wh', '5', '+sr'])[i % 3]
            jobs.append(('lossy', check_lossy, (60000 + i, r[0], extra, apps, corpus_dir, work_dir)))
    # Compressed input to dcmcjpeg (check 8): every option set on every JPEG and RLE file.
    for i, r in enumerate(rows):
        ts = r[4].split(' ')[0]
        if ts in JPEG or ts == RLE:
            for n, options in enumerate(RECOMPRESS_OPTION_SETS):
                jobs.append(('recompress', check_recompress,
                             (90000 + i * 10 + n, r[0], ts, options, apps, corpus_dir, work_dir)))
    # VOI options on monochrome images (check 7): every set on every other image, the +Wl ones
    # on all; GH133 with a few.
    voi_dir = work_dir / 'voi'
    for n, path in enumerate(voi_images(voi_dir)):
        for m, options in enumerate(VOI_OPTION_SETS):
            if (n + m) % 2 == 0 or '+Wl' in options:
                jobs.append(('lossy', check_voi, (80000 + len(jobs), 'voi_images.py/' + path.name,
                                                  path, options, apps, voi_dir)))
    for name, option_sets in VOI_CORPUS.items():
        if (corpus_dir / name).is_file():
            for options in option_sets:
                jobs.append(('lossy', check_voi, (80000 + len(jobs), name, corpus_dir / name,
                                                  options, apps, voi_dir)))
    # Usage errors, on a small sample (the first native file).
    if natives:
        shutil.copyfile(natives[0], work_dir / 'usage.dcm')
        usage_file = pathlib.Path(__file__).with_name('codecs_usage.tsv')
        for n, line in enumerate(usage_file.read_text().splitlines()):
            if line.strip() and not line.startswith('#'):
                jobs.append(('usage', check_usage, (n, line.split('\t')[0], apps, work_dir)))
    # 12-bit (and 8-bit) colour: every subsampling option and +cr, every DCT process.
    colour_dir = work_dir / 'colour'
    colour_dir.mkdir()
    for name, (path, processes) in make_colour_images(colour_dir).items():
        for n, option in enumerate(('+s2', '+s4', '+n2', '+n1', '+np', '+cr')):
            # Every process with the 12-bit RGB image, one in turn with the others.
            chosen = processes if name.startswith('rgb12') else [processes[n % len(processes)]]
            for process in chosen:
                jobs.append(('colour', check_colour, (len(jobs), name, path, [process, option],
                                                      apps, colour_dir)))
    # HTJ2K (lossless and lossy) on synthetic images: monochrome, and the colour ones above.
    make_htj2k_images(colour_dir)
    for n, name in enumerate(sorted(path.name for path in colour_dir.glob('*.dcm'))):
        jobs.append(('htj2k', check_htj2k, (70000 + n, name, '+ehr' if n % 2 else '+eh', apps,
                                            colour_dir, colour_dir, gdcm_ht, True)))
    results = {'decode': [], 'encode': [], 'htj2k': [], 'ojph': [], 'lossy': [], 'usage': [],
               'colour': [], 'recompress': []}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = [(kind, pool.submit(fn, job)) for kind, fn, job in jobs]
        for kind, future in futures:
            outcome = future.result()
            # A check may add outcomes of other kinds: [outcome, (kind, outcome), ...].
            more = outcome[1:] if isinstance(outcome, list) else []
            first = outcome[0] if isinstance(outcome, list) else outcome
            for kind, outcome in [(kind, first)] + more:
                if outcome.split(':')[0] != outcome and tuple(outcome.split(': ')[:2]) in known:
                    outcome = 'known'
                results[kind].append(outcome)
                if ':' in outcome and not outcome.startswith('skipped:'):
                    failures.append(outcome)
    shutil.rmtree(work_dir, ignore_errors=True)
    for kind in ('decode', 'encode', 'htj2k', 'ojph', 'lossy', 'usage', 'colour', 'recompress'):
        counts = {}
        for r in results[kind]:
            key = r if ':' not in r or r.startswith('skipped:') else 'FAILED'
            counts[key] = counts.get(key, 0) + 1
        print(f'{kind}: {counts}')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

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
   the RPCL variant, for every tenth file) and decoded by dcmkit's dcmdj2k, and by GDCM's
   gdcmconv --raw when that GDCM reads HTJ2K: the pixels must equal the original's. (DCMTK has
   no JPEG 2000 decoder.)
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


def check_htj2k(job):
    index, name, option, apps, corpus, work, gdcm = job
    compressed = work / f'{index}-h.dcm'
    decoded = work / f'{index}-hd.dcm'
    mine = run(apps / 'dcmcj2k', option, corpus / name, compressed)
    if mine.returncode != 0:
        # What JPEG-LS cannot take either (Bits Allocated 32, subsampled YBR, ...).
        if run(apps / 'dcmcjpls', corpus / name, work / f'{index}-hl.dcm').returncode != 0:
            return 'both-refuse'
        return f'{name}: dcmcj2k {option}: refused: {mine.stderr.decode(errors="replace").strip()}'
    original = pixels(corpus / name, work / f'{index}-ho')
    result = run(apps / 'dcmdj2k', compressed, decoded)
    if result.returncode != 0:
        return f'{name}: dcmcj2k {option}: dcmdj2k cannot decode: ' \
               f'{result.stderr.decode(errors="replace").strip()}'
    if pixels(decoded, work / f'{index}-hp') != original:
        return f'{name}: dcmcj2k {option}: lossless round trip changed the pixels'
    if gdcm:
        raw = work / f'{index}-hg.dcm'
        result = run('gdcmconv', '--raw', compressed, raw)
        if result.returncode != 0 or pixels(raw, work / f'{index}-hq') != original:
            return f'{name}: dcmcj2k {option}: GDCM decodes other pixels'
    return 'ok'


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


def element(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode()
    if len(value) % 2:
        value += b'\0' if vr in (b'UI', b'OB') else b' '
    if vr in (b'OB', b'OW'):
        return struct.pack('<HHcc', group, elem, vr[:1], vr[1:]) + b'\0\0' + \
            struct.pack('<I', len(value)) + value
    return struct.pack('<HH', group, elem) + vr + struct.pack('<H', len(value)) + value


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
    print(f'GDCM decodes HTJ2K: {"yes" if gdcm_ht else "no (only dcmkit decodes dcmcj2k +eh)"}')
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
            jobs.append(('htj2k', check_htj2k, (30000 + i, r[0], '+ehr' if i % 10 == 0 else '+eh',
                                                apps, corpus_dir, work_dir, gdcm_ht)))
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
    results = {'decode': [], 'encode': [], 'htj2k': [], 'lossy': [], 'usage': [], 'colour': []}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = [(kind, pool.submit(fn, job)) for kind, fn, job in jobs]
        for kind, future in futures:
            outcome = future.result()
            if outcome.split(':')[0] != outcome and tuple(outcome.split(': ')[:2]) in known:
                outcome = 'known'
            results[kind].append(outcome)
            if ':' in outcome:
                failures.append(outcome)
    shutil.rmtree(work_dir, ignore_errors=True)
    for kind in ('decode', 'encode', 'htj2k', 'lossy', 'usage', 'colour'):
        counts = {}
        for r in results[kind]:
            key = r if ':' not in r else 'FAILED'
            counts[key] = counts.get(key, 0) + 1
        print(f'{kind}: {counts}')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

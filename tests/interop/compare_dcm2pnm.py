#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcm2pnm against DCMTK's, byte for byte, on every corpus image that DCMTK's dcm2pnm
can render (or, for JPEG and JPEG-LS, its dcmj2pnm or dcml2pnm), for the default options and
a matrix of options. The outputs compared are PGM/PPM (raw 8-bit, or ASCII 16-bit), PNG
(without meta chunks) and JPEG; with +Fa every frame's file. DCMTK is a test oracle here (Debian
package dcmtk), never linked. A difference is a failure unless it is listed in
known_differences.tsv (file, options, reason), which mirrors docs/dcm2pnm.md; a listed difference
that no longer occurs is reported too, so the list stays true.

The option sets the image issue names run on every image; each of the others runs on a third of
them (a rotating sample, so every image meets several of them) and on the images the known
differences list names for it. That keeps the test's time in CI bounded as option sets are added.

Usage: compare_dcm2pnm.py <our dcm2pnm> <corpus dir> <known differences tsv> <work dir>
Exit status 77 (skipped) when DCMTK's dcm2pnm or the corpus is missing."""
import concurrent.futures
import os
import pathlib
import random
import shutil
import struct
import subprocess
import sys

from interop_common import fresh_dir, load_known

OPTION_SETS = [
    [],
    ['+Wm'],
    ['+Wn'],
    ['+Wi', '1'],
    ['+Ww', '40', '400'],
    ['+Wh', '5'],
    ['+Fa'],
    ['+Sxv', '200'],
    ['+Sxv', '97', '-i'],
    ['+Rl'],
    ['+Rr', '+Lv'],
    ['+Lh'],
    ['+O', '0'],
    ['-O'],
    ['+opw'],
    ['+P'],
    ['-M', '+Wm'],
    ['+Pid'],
    ['+Piv'],
    ['+C', '5', '7', '40', '30'],
    ['+G'],
    ['+Omt', '+Osf', '0.7'],
    ['+Omv', '+P'],
    ['+C', '100', '50', '300', '200', '+Rr'],
    ['+Wn', '+Fa'],
    # PNG without the meta chunks (DCMTK writes the time there): dcmkit chooses the row filters
    # itself, by libpng's rule, and interlaces the rows itself.
    ['+on', '-mf'],
    ['+on2', '-mf', '+Wm'],
    ['+on', '-mf', '-il', '+Fa'],
    # LIN OD presentation shape (DCMTK's default film), with polarity and 16 bits.
    ['+Pod'],
    ['+Pod', '+P', '+Wm'],
    ['+Pod', '+opw', '+Wi', '1'],
    # JPEG output exists in dcmj2pnm only, on both sides.
    ['+oj'],
    ['+oj', '+Jq', '50', '+Js4'],
]

# Display calibration (+Dm/+Dp with the characteristic files Debian's dcmtk installs), run on
# DISPLAY_SAMPLE only: monochrome images of several kinds (signed CT with rescale, MONOCHROME1 8
# and 10 bits, 12 bits with overlays, a non-integer rescale slope, a modality LUT, multi-frame
# windows, a VOI LUT).
LUT_DIR = '/usr/share/dcmtk/'
DISPLAY_OPTION_SETS = [
    ['+Dm', LUT_DIR + 'monitor.lut'],
    ['+Dm', LUT_DIR + 'monitor.lut', '+Dc', '+Wm'],
    ['+Dm', LUT_DIR + 'monitor.lut', '+Da', '0', '+Ww', '40', '400', '+P'],
    ['+Dp', LUT_DIR + 'printer.lut', '+Wi', '1'],
    ['+Dp', LUT_DIR + 'printer.lut', '+Dc', '+P'],
    ['+Dp', LUT_DIR + 'printer.lut', '+Pod', '+Wm'],
    ['+Dp', LUT_DIR + 'printer.lut', '+Dn', '0.5', '+Dx', '2.5', '+Di', '1500', '+Da', '5'],
    ['+Dp', LUT_DIR + 'printer.lut', '+Wh', '5', '+Piv'],
    ['+Dm', LUT_DIR + 'camera.lut', '+opn', '12', '+Wm'],
    ['+Dp', LUT_DIR + 'scanner.lut', '+opn', '12'],
    ['+Dm', LUT_DIR + 'monitor.lut', '+Wl', '1'],
]
DISPLAY_SAMPLE = {'highdicom/ct_image.dcm', 'highdicom/dx_image.dcm', 'fo-dicom/CR-MONO1-10-chest',
                  'dcm4che/ovly_p01.dcm', 'cornerstone3D/CTImage_JPEGProcess6_8_4.53.dcm',
                  'fo-dicom/CR-ModalitySequenceLUT.dcm', 'orthanc-tests/MultiframeWindowing.dcm',
                  'fo-dicom/GH133.dcm'}
if os.path.exists(LUT_DIR + 'monitor.lut'):
    OPTION_SETS += DISPLAY_OPTION_SETS
# VOI LUTs (+Wl) on the corpus images that have them, with polarity, LIN OD and calibration.
VOI_LUT_OPTION_SETS = [
    ['+Wl', '1'],
    ['+Wl', '2', '+P'],
    ['+Wl', '3', '+Pod'],
    ['+Wl', '2', '+Dm', LUT_DIR + 'monitor.lut', '+P'],
]
VOI_LUT_SAMPLE = {'fo-dicom/GH133.dcm'}
OPTION_SETS += VOI_LUT_OPTION_SETS

# Option sets run on every image; each of the others runs on every SAMPLE_STRIDE-th image.
FULL_OPTION_SETS = {(), ('+Wm',), ('+Wn',), ('+Wi', '1'), ('+Ww', '40', '400'), ('+Fa',),
                    ('+Sxv', '200'), ('+Rl',), ('+Lh',), ('+O', '0'), ('+opw',)}
SAMPLE_STRIDE = 3


def run(program, options, path, out):
    result = subprocess.run([program, *options, path, out], capture_output=True, timeout=300)
    return result.returncode


def outputs(directory):
    return {p.name: p.read_bytes() for p in sorted(pathlib.Path(directory).iterdir())}


def dicom_element(group, element, vr, value):
    """One explicit VR little endian element; strings are padded to even length."""
    if isinstance(value, str):
        value = value.encode()
        if len(value) % 2:
            value += b'\0' if vr == b'UI' else b' '
    if vr in (b'OB', b'OW', b'SQ'):
        return struct.pack('<HH2sHI', group, element, vr, 0, len(value)) + value
    return struct.pack('<HH2sH', group, element, vr, len(value)) + value


def lut_item(count, first, bits, entries, descriptor_vr=b'US'):
    """A Modality or VOI LUT Sequence item (count 0 means 65536 entries)."""
    descriptor = struct.pack('<HhH' if descriptor_vr == b'SS' else '<HHH', count, first, bits)
    table = struct.pack(f'<{len(entries)}H', *entries)
    body = dicom_element(0x28, 0x3002, descriptor_vr, descriptor) + \
        dicom_element(0x28, 0x3006, b'OW', table)
    return struct.pack('<HHI', 0xFFFE, 0xE000, len(body)) + body


def write_voi_lut_image(path, bits_stored, voi_luts, signed=False, photometric='MONOCHROME2',
                        rescale=None, modality_lut=None,
                        sop_class='1.2.840.10008.5.1.4.1.1.7'):
    """A 64 x 64 image (secondary capture unless `sop_class` says otherwise) whose pixels step through the stored value range, with
    VOI LUT Sequence items `voi_luts` ((count, first, bits, entries, descriptor VR) each),
    optionally Rescale Intercept/Slope (strings) or a Modality LUT."""
    low = -(1 << (bits_stored - 1)) if signed else 0
    high = (1 << (bits_stored - 1)) - 1 if signed else (1 << bits_stored) - 1
    step = max(1, (high - low + 1) // 4096)
    pixels = [min(high, low + i * step) for i in range(4096)]
    sop_instance = '1.2.826.0.1.3680043.10.1066.6'
    meta = [(2, 1, b'OB', b'\0\1'), (2, 2, b'UI', sop_class), (2, 3, b'UI', sop_instance),
            (2, 0x10, b'UI', '1.2.840.10008.1.2.1')]
    meta = b''.join(dicom_element(*e) for e in meta)
    meta = dicom_element(2, 0, b'UL', struct.pack('<I', len(meta))) + meta
    us = lambda v: struct.pack('<H', v)  # noqa: E731
    data = [(8, 0x16, b'UI', sop_class), (8, 0x18, b'UI', sop_instance),
            (0x28, 2, b'US', us(1)), (0x28, 4, b'CS', photometric),
            (0x28, 0x10, b'US', us(64)), (0x28, 0x11, b'US', us(64)),
            (0x28, 0x100, b'US', us(16)), (0x28, 0x101, b'US', us(bits_stored)),
            (0x28, 0x102, b'US', us(bits_stored - 1)), (0x28, 0x103, b'US', us(int(signed)))]
    if rescale:
        data += [(0x28, 0x1052, b'DS', rescale[0]), (0x28, 0x1053, b'DS', rescale[1])]
    if modality_lut:
        data.append((0x28, 0x3000, b'SQ', lut_item(*modality_lut)))
    data.append((0x28, 0x3010, b'SQ', b''.join(lut_item(*item) for item in voi_luts)))
    data.append((0x7FE0, 0x10, b'OW', struct.pack(f'<4096{"h" if signed else "H"}', *pixels)))
    data = b''.join(dicom_element(*e) for e in data)
    pathlib.Path(path).write_bytes(b'\0' * 128 + b'DICM' + meta + data)


def synthetic_voi_lut_jobs(directory):
    """Synthetic images with VOI LUTs of 8 to 16 bits (descriptors that are right, too wide for
    their entries, too narrow, or outside 8..16), first mapped values inside and outside the
    stored range, MONOCHROME1, signed values, rescaled values and a modality LUT, each rendered
    through its VOI LUT plainly, inverted, through LIN OD and calibrated to three devices."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)

    def ramp(count, top, noise=0):
        return [min(top, max(0, top * i // max(1, count - 1) + rng.randint(-noise, noise)))
                for i in range(count)]
    # name: bits stored, VOI LUTs (count, first mapped, bits, entries[, descriptor VR]), extras
    images = {
        'gh133-like': (12, [(3447, 625, 12, ramp(3447, 4088)),
                            (3016, 1023, 12, ramp(3016, 4092, 3))], {}),
        'mono1-10-bit': (12, [(2000, 100, 10, ramp(2000, 1023, 9))],
                         {'photometric': 'MONOCHROME1'}),
        '8-bit': (10, [(1024, 0, 8, ramp(1024, 255))], {}),
        '16-bit-signed': (16, [(4096, -2048, 16, ramp(4096, 60000, 5), b'SS')], {'signed': True}),
        'rescaled': (12, [(2000, 0, 12, ramp(2000, 4095, 2))], {'rescale': ('10.25', '0.5')}),
        'too-wide-entries': (12, [(2000, 0, 10, ramp(2000, 4095, 2))], {}),
        'bits-0-and-5': (12, [(2000, 0, 0, ramp(2000, 4095, 2)),
                              (2000, 0, 5, ramp(2000, 100, 2))], {}),
        '16-bit-of-8-bit-entries': (12, [(2000, 0, 16, ramp(2000, 255, 1))], {}),
        'modality-lut': (12, [(200, 10, 12, ramp(200, 4095))],
                         {'modality_lut': (4096, 0, 8, ramp(4096, 4095), b'US')}),
        # X-ray images: DCMTK leaves out their rescale and Modality LUT (X-Ray Image module).
        'xa-rescaled': (12, [(2000, 0, 12, ramp(2000, 4095, 2))],
                        {'rescale': ('-1000', '3'), 'sop_class': '1.2.840.10008.5.1.4.1.1.12.1'}),
        'xrf-modality-lut': (12, [(200, 10, 12, ramp(200, 4095))],
                             {'modality_lut': (4096, 0, 8, ramp(4096, 4095), b'US'),
                              'sop_class': '1.2.840.10008.5.1.4.1.1.12.2'}),
    }
    option_sets = [
        ['+Wl', '1'], ['+Wl', '1', '+P'], ['+Wl', '1', '+opw'], ['+Wl', '1', '+Mv'],
        ['+Wl', '1', '+Mc'], ['+Wl', '1', '+Pod'], ['+Wl', '1', '+Pod', '+P'],
        ['+Wl', '1', '+Sxf', '0.7'],
    ]
    if os.path.exists(LUT_DIR + 'monitor.lut'):
        option_sets += [
            ['+Wl', '1', '+Dm', LUT_DIR + 'monitor.lut'],
            ['+Wl', '1', '+Dm', LUT_DIR + 'monitor.lut', '+P', '+Dc'],
            ['+Wl', '1', '+Dm', LUT_DIR + 'camera.lut', '+opn', '12'],
            ['+Wl', '1', '+Dp', LUT_DIR + 'scanner.lut', '+opn', '12', '+Mv'],
            ['+Wl', '1', '+Pod', '+Dp', LUT_DIR + 'printer.lut'],
        ]
    jobs = []
    for name, (bits, voi_luts, extra) in images.items():
        path = directory / (name + '.dcm')
        write_voi_lut_image(path, bits, [(*item, b'US')[:5] for item in voi_luts], **extra)
        second = [['+Wl', '2']] + option_sets[8:9]  # the second VOI LUT, with monitor.lut
        second[1:] = [options[:1] + ['2'] + options[2:] for options in second[1:]]
        for options in option_sets + (second if len(voi_luts) > 1 else []):
            jobs.append((path, options))
        if name.startswith('xa') or name.startswith('xrf'):
            for options in (['+Ww', '1500', '1000'], ['+Wm'], ['+Wn'],
                            ['+Ww', '10', '200', '+Sxf', '0.7']):
                jobs.append((path, options))
    return jobs


def compare_synthetic(ours, theirs, path, options):
    """One rendering of a synthetic image by both programs: (name, options, same, where)."""
    base = path.with_suffix('')
    out_theirs = base.with_name(base.name + '-' + '_'.join(o.replace('/', '') for o in options))
    out_ours = out_theirs.with_name(out_theirs.name + '-dcmkit')
    rc_theirs = run(theirs, options, str(path), str(out_theirs))
    rc_ours = run(ours, options, str(path), str(out_ours))
    same = rc_theirs == rc_ours and (rc_theirs != 0 or
                                     out_theirs.read_bytes() == out_ours.read_bytes())
    if same and rc_theirs == 0:
        out_theirs.unlink()
        out_ours.unlink()
    return 'synthetic/' + path.name, ' '.join(options), same, str(out_theirs)


def main():
    ours, corpus, known_file, work = sys.argv[1:5]
    theirs = shutil.which('dcm2pnm', path='/usr/bin:/usr/local/bin')
    oracles = [theirs] + [p for p in (shutil.which(name, path='/usr/bin:/usr/local/bin')
                                      for name in ('dcmj2pnm', 'dcml2pnm')) if p]
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcm2pnm or the corpus is not available')
        return 77
    manifest = [line.split('\t')
                for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files = [corpus_dir / row[0] for row in manifest]
    known = load_known(known_file)
    work_dir = fresh_dir(work)

    def check(job):
        index, (path, options, candidates, *decoded) = job
        theirs_input = decoded[0] if decoded else path  # GDCM's decode of a JPEG 2000 file
        name = str(path.relative_to(corpus_dir))
        label = ' '.join(options) or '-'
        if (name, '*') in known or (name, label) in known and known[(name, label)].startswith('skip'):
            return None
        base = work_dir / str(index)
        theirs_dir = base / 'dcmtk'
        ours_dir = base / 'dcmkit'
        theirs_dir.mkdir(parents=True)
        ours_dir.mkdir(parents=True)
        # DCMTK's dcm2pnm decodes no JPEG; its dcmj2pnm (JPEG) and dcml2pnm (JPEG-LS) do, and
        # dcmkit's dcm2pnm decodes all of them under every name.
        rc_theirs = 1
        for oracle in candidates:
            for leftover in theirs_dir.iterdir():
                leftover.unlink()
            rc_theirs = run(oracle, options, str(theirs_input), str(theirs_dir / 'out'))
            if rc_theirs == 0 and any(theirs_dir.iterdir()):
                renderers[name] = oracle
                break
        if rc_theirs != 0 or not any(theirs_dir.iterdir()):
            shutil.rmtree(base)
            return None  # DCMTK cannot render it with these options: nothing to compare
        program = pathlib.Path(ours).with_name('dcmj2pnm') if '+oj' in options else ours
        rc_ours = run(program, options, str(path), str(ours_dir / 'out'))
        same = rc_ours == rc_theirs and outputs(theirs_dir) == outputs(ours_dir)
        if same:
            shutil.rmtree(base)
        return name, label, same, str(base)

    # DCMTK renders some hostile files into gigabytes of zeros (oob-*): skipped by the list.
    # The default options run first on every file, with each DCMTK program in turn; the other
    # option sets then run only on the images one of them rendered, with that program (dcmj2pnm
    # for JPEG output, which only it writes).
    renderers = {}
    results = []
    workers = os.cpu_count() or 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        first = [(index, (path, [], oracles)) for index, path in enumerate(files)]
        results += [r for r in pool.map(check, first) if r is not None]
        rendered = [path for path in files if str(path.relative_to(corpus_dir)) in renderers]
        jobs = []
        for number, options in enumerate(OPTION_SETS):
            if not options:
                continue
            full = tuple(options) in FULL_OPTION_SETS
            display = options in DISPLAY_OPTION_SETS
            voi_lut = options in VOI_LUT_OPTION_SETS
            for position, path in enumerate(rendered):
                listed = (str(path.relative_to(corpus_dir)), ' '.join(options)) in known
                if voi_lut:
                    if str(path.relative_to(corpus_dir)) not in VOI_LUT_SAMPLE:
                        continue
                elif display:
                    if str(path.relative_to(corpus_dir)) not in DISPLAY_SAMPLE:
                        continue
                elif not full and not listed and (position + number) % SAMPLE_STRIDE:
                    continue
                oracle = renderers[str(path.relative_to(corpus_dir))]
                if '+oj' in options:
                    oracle = shutil.which('dcmj2pnm', path='/usr/bin:/usr/local/bin') or oracle
                jobs.append((len(files) + len(jobs), (path, options, [oracle])))
        results += [r for r in pool.map(check, jobs) if r is not None]
        # JPEG 2000, which no DCMTK program decodes: DCMTK renders GDCM's decode of the file
        # (gdcmconv --raw, Debian's libgdcm-tools), dcmkit the file itself.
        gdcmconv = shutil.which('gdcmconv')
        j2k = [corpus_dir / row[0] for row in manifest if len(row) > 4 and
               row[4].startswith(('1.2.840.10008.1.2.4.9', '1.2.840.10008.1.2.4.20'))]
        jobs = []
        for path in j2k if gdcmconv else []:
            raw = work_dir / ('gdcm-' + path.name + '.dcm')
            if subprocess.run([gdcmconv, '--raw', str(path), str(raw)], capture_output=True,
                              timeout=300).returncode != 0:
                continue  # GDCM cannot decode it either
            for options in ([], ['+Wm'], ['+Fa']):
                jobs.append((100000 + len(jobs), (path, options, [theirs], raw)))
        j2k_results = [r for r in pool.map(check, jobs) if r is not None]
        results += j2k_results
        synthetic = synthetic_voi_lut_jobs(work_dir / 'voi-lut')
        synthetic_results = list(pool.map(lambda job: compare_synthetic(ours, theirs, *job),
                                          synthetic))
        results += synthetic_results
    failures = []
    unexpected_passes = []
    for name, options, same, where in results:
        if not same and (name, options) not in known:
            failures.append(f'{name} [{options}] differs from DCMTK (outputs in {where})')
        if same and (name, options) in known:
            unexpected_passes.append(f'{name} [{options}] now matches DCMTK: remove it from the list')
    identical = sum(1 for _, _, same, _ in results if same)
    images = len({name for name, _, _, _ in results})
    print(f'{identical} of {len(results)} renderings identical to DCMTK 3.6.7 '
          f'({len(OPTION_SETS)} option sets, {images} images DCMTK can render; '
          f'{len(j2k_results)} renderings of JPEG 2000 images compared with DCMTK\'s rendering of '
          f'GDCM\'s decode; {len(synthetic_results)} of synthetic VOI LUT images)')
    for line in failures + unexpected_passes:
        print(line)
    return 1 if failures or unexpected_passes else 0


if __name__ == '__main__':
    sys.exit(main())

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

Usage: compare_scaling.py <our dcm2pnm> <our dcmscale> <corpus dir> <known differences tsv>
                          <work dir>
Exit status 77 (skipped) when DCMTK or the corpus is missing."""
import concurrent.futures
import os
import pathlib
import re
import shutil
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

    jobs = [('dcm2pnm', name, options) for name in IMAGES
            for options in OPTION_SETS + DCM2PNM_EXTRA]
    jobs += [('dcmscale', name, options) for name in IMAGES for options in OPTION_SETS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(check, enumerate(jobs)))
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
          f'({len(IMAGES)} images, dcm2pnm and dcmscale)')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

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
import shutil
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

# Option sets run on every image; each of the others runs on every SAMPLE_STRIDE-th image.
FULL_OPTION_SETS = {(), ('+Wm',), ('+Wn',), ('+Wi', '1'), ('+Ww', '40', '400'), ('+Fa',),
                    ('+Sxv', '200'), ('+Rl',), ('+Lh',), ('+O', '0'), ('+opw',)}
SAMPLE_STRIDE = 3


def run(program, options, path, out):
    result = subprocess.run([program, *options, path, out], capture_output=True, timeout=300)
    return result.returncode


def outputs(directory):
    return {p.name: p.read_bytes() for p in sorted(pathlib.Path(directory).iterdir())}


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
            for position, path in enumerate(rendered):
                listed = (str(path.relative_to(corpus_dir)), ' '.join(options)) in known
                if display:
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
          f'GDCM\'s decode)')
    for line in failures + unexpected_passes:
        print(line)
    return 1 if failures or unexpected_passes else 0


if __name__ == '__main__':
    sys.exit(main())

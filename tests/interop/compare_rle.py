#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmcrle and dcmdrle against DCMTK's, on the corpus. Exit 77 (skipped) without DCMTK
or the corpus.

1. Every RLE corpus file is decoded by both dcmdrle programs: DCMTK's dcmdump must show the same
   data set for both outputs, and the decoded pixels (dcmdump +W) must be identical.
2. Every uncompressed corpus file that DCMTK's dcmcrle can compress is compressed by both
   dcmcrle programs and each result decoded by the other side's dcmdrle: all four decoded pixel
   data must be identical, and DCMTK's dcmdump must show the same data set for both compressed
   files apart from the pixel items (the encoders may choose different runs).

Differences must be listed in rle_known_differences.tsv.

Usage: compare_rle.py <our dcmcrle> <our dcmdrle> <corpus dir> <known differences tsv> <work dir>"""
import concurrent.futures
import os
import pathlib
import shutil
import subprocess
import sys

RLE = '1.2.840.10008.1.2.5'
NATIVE = {'1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2'}


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=120)


def dump(path, pixel_dir=None):
    """DCMTK's dump of the data set; with pixel_dir, pixel data written there and the bytes."""
    args = ['dcmdump', '-q']
    if pixel_dir is not None:
        shutil.rmtree(pixel_dir, ignore_errors=True)
        pixel_dir.mkdir(parents=True)
        args += ['+W', str(pixel_dir)]
    result = run(*args, path)
    text = result.stdout.decode('latin-1')
    text = text[text.find('# Dicom-Data-Set'):]
    # Pixel items and their group length depend on the encoder's choice of runs.
    lines = [line for line in text.splitlines() if '(7fe0,0010)' not in line and
             '(7fe0,0000)' not in line and not line.lstrip().startswith('(fffe,e000) pi')]
    pixels = b''
    if pixel_dir is not None:
        for raw in sorted(pixel_dir.iterdir()):
            pixels += raw.read_bytes()
    return result.returncode, '\n'.join(lines), pixels


def check_decode(job):
    index, name, ours_c, ours_d, corpus, work = job
    theirs_out = work / f'{index}-d-dcmtk.dcm'
    ours_out = work / f'{index}-d-dcmkit.dcm'
    if run('/usr/bin/dcmdrle', corpus / name, theirs_out).returncode != 0:
        return None
    mine = run(ours_d, corpus / name, ours_out)
    if mine.returncode != 0:
        return f'{name}: dcmdrle failed: {mine.stderr.decode(errors="replace").strip()}'
    a = dump(theirs_out, work / f'{index}-pa')
    b = dump(ours_out, work / f'{index}-pb')
    if a[0] != b[0] or a[1] != b[1]:
        return f'{name}: dcmdrle: DCMTK reads a different data set'
    if a[2] != b[2]:
        return f'{name}: dcmdrle: decoded pixels differ'
    return 'ok'


def check_encode(job):
    index, name, ours_c, ours_d, corpus, work = job
    theirs_c = work / f'{index}-c-dcmtk.dcm'
    ours_cf = work / f'{index}-c-dcmkit.dcm'
    if run('/usr/bin/dcmcrle', corpus / name, theirs_c).returncode != 0:
        return None
    mine = run(ours_c, corpus / name, ours_cf)
    if mine.returncode != 0:
        return f'{name}: dcmcrle failed: {mine.stderr.decode(errors="replace").strip()}'
    a = dump(theirs_c)
    b = dump(ours_cf)
    if a[0] != b[0] or a[1] != b[1]:
        return f'{name}: dcmcrle: DCMTK reads a different data set'
    decoded = []
    for label, decoder, source in [('dcmtk-dcmtk', '/usr/bin/dcmdrle', theirs_c),
                                   ('dcmkit-dcmtk', '/usr/bin/dcmdrle', ours_cf),
                                   ('dcmtk-dcmkit', ours_d, theirs_c),
                                   ('dcmkit-dcmkit', ours_d, ours_cf)]:
        out = work / f'{index}-{label}.dcm'
        result = run(decoder, source, out)
        if result.returncode != 0:
            return f'{name}: {label} decoding failed: {result.stderr.decode(errors="replace").strip()}'
        decoded.append(dump(out, work / f'{index}-{label}-p')[2])
    if any(d != decoded[0] for d in decoded):
        return f'{name}: dcmcrle: pixels differ after decoding'
    return 'ok'


def main():
    ours_c, ours_d, corpus, known_file, work = sys.argv[1:6]
    known = set()
    for line in pathlib.Path(known_file).read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            known.add(tuple(line.split('\t')[:2]))
    corpus_dir = pathlib.Path(corpus)
    if shutil.which('dcmdrle', path='/usr/bin') is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcmdrle or the corpus is not available')
        return 77
    rows = [line.split('\t') for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    rle_files = [r[0] for r in rows if r[4].split(' ')[0] == RLE]
    native_files = [r[0] for r in rows if r[4].split(' ')[0] in NATIVE]
    work_dir = pathlib.Path(work)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    jobs = [(check_decode, (i, n, ours_c, ours_d, corpus_dir, work_dir)) for i, n in enumerate(rle_files)]
    jobs += [(check_encode, (1000 + i, n, ours_c, ours_d, corpus_dir, work_dir))
             for i, n in enumerate(native_files)]
    results = {'decode': [], 'encode': []}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = [(kind, pool.submit(fn, job)) for fn, job in jobs
                   for kind in ['decode' if fn is check_decode else 'encode']]
        for kind, future in futures:
            outcome = future.result()
            if outcome is None:
                continue
            if outcome != 'ok' and (outcome.split(':')[0], kind) in known:
                outcome = 'known'
            results[kind].append(outcome)
            if outcome not in ('ok', 'known'):
                failures.append(outcome)
    shutil.rmtree(work_dir, ignore_errors=True)
    for kind in ('decode', 'encode'):
        ok = sum(1 for r in results[kind] if r == 'ok')
        known_count = sum(1 for r in results[kind] if r == 'known')
        print(f'{kind}: {ok} of {len(results[kind])} files identical to DCMTK '
              f'({known_count} known differences)')
    for line in failures:
        print(line)
    if not results['decode']:
        print('no RLE files in the corpus')
        return 1
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

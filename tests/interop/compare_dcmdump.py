#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmdump against DCMTK's, byte for byte, on every corpus and testdata file and a matrix
of options. DCMTK is a test oracle here (Debian package dcmtk), never linked. A difference is a
failure unless it is listed in known_differences.tsv (file, options, reason), which mirrors
docs/dcmdump.md; a listed difference that no longer occurs is reported too, so the list stays
true.

Usage: compare_dcmdump.py <our dcmdump> <corpus dir> <testdata dir> <known differences tsv>
Exit status 77 (skipped) when DCMTK's dcmdump or the corpus is missing."""
import concurrent.futures
import os
import pathlib
import shutil
import subprocess
import sys

from interop_common import load_known

OPTION_SETS = [
    [],
    ['+L'],
    ['-M'],
    ['+T'],
    ['-Un'],
    ['+U8'],
    ['+Qo'],
    ['+P', '0010,0010', '+P', 'SOPInstanceUID', '+P', '0008,0100'],
    ['+P', '0008,1150', '+p'],
    ['+P', 'CodeValue', '-s', '+p'],
    ['+F', '+P', 'PatientID'],
]


def run(program, options, path):
    result = subprocess.run([program, *options, path], capture_output=True, timeout=60)
    return result.returncode, result.stdout


def main():
    ours, corpus, testdata, known_file = sys.argv[1:5]
    theirs = shutil.which('dcmdump', path='/usr/bin:/usr/local/bin')
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcmdump or the corpus is not available')
        return 77
    files = [corpus_dir / line.split('\t')[0]
             for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files += sorted(pathlib.Path(testdata).glob('*.dcm'))
    known = load_known(known_file)

    def check(job):
        path, options = job
        rc_theirs, out_theirs = run(theirs, options, str(path))
        rc_ours, out_ours = run(ours, options, str(path))
        if rc_theirs != 0 and not out_theirs.strip():
            return None  # DCMTK cannot read it: nothing to compare
        same = out_theirs == out_ours and rc_theirs == rc_ours
        return (path.name if path.parent == pathlib.Path(testdata) else
                str(path.relative_to(corpus_dir)), ' '.join(options) or '-', same)

    jobs = [(path, options) for options in OPTION_SETS for path in files]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for outcome in pool.map(check, jobs):
            if outcome is not None:
                results.append(outcome)
    failures = []
    unexpected_passes = []
    for name, options, same in results:
        expected_difference = (name, options) in known or (name, '*') in known
        if not same and not expected_difference:
            failures.append(f'{name} [{options}] differs from DCMTK')
        if same and (name, options) in known:
            unexpected_passes.append(f'{name} [{options}] now matches DCMTK: remove it from the list')
    # Directory scanning (+sd, +r, +sp) over the whole corpus, files in directory order as DCMTK
    # reads them. Exit statuses are not compared: they count unreadable files, and dcmkit reads
    # one that DCMTK cannot (see the known differences).
    for options in (['+sd', '+r', '+F', '+P', 'PatientName', '+P', 'SOPClassUID'],
                    ['+sd', '+r', '+sp', '*.dcm', '+Fs', '+P', 'CodeValue', '-s'],
                    ['+sd', '+r', '+sp', 'CT*', '-M']):
        _, out_theirs = run(theirs, options, str(corpus_dir))
        _, out_ours = run(ours, options, str(corpus_dir))
        same = out_theirs == out_ours
        results.append(('<corpus directory>', ' '.join(options), same))
        if not same:
            failures.append(f'<corpus directory> [{" ".join(options)}] differs from DCMTK')
    compared = len(results)
    identical = sum(1 for _, _, same in results if same)
    print(f'{identical} of {compared} dumps identical to DCMTK 3.6.7 '
          f'({len(OPTION_SETS)} option sets, {len(files)} files)')
    for line in failures + unexpected_passes:
        print(line)
    return 1 if failures or unexpected_passes else 0


if __name__ == '__main__':
    sys.exit(main())

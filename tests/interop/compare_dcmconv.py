#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmconv against DCMTK's: every corpus file DCMTK can convert is converted by both with
the same options, and DCMTK's dcmdump must show the same data set for both outputs (the meta
header differs by design: implementation UID and version name). Differences must be listed in
dcmconv_known_differences.tsv. Exit 77 (skipped) without DCMTK or the corpus.

Usage: compare_dcmconv.py <our dcmconv> <corpus dir> <known differences tsv> <work dir>"""
import concurrent.futures
import os
import pathlib
import shutil
import subprocess
import sys

OPTION_SETS = [[], ['+te'], ['+tb'], ['+ti'], ['+td'], ['+te', '-e'], ['+ti', '+g'], ['-g']]


def data_set_dump(path):
    result = subprocess.run(['dcmdump', '-q', str(path)], capture_output=True, timeout=60)
    text = result.stdout.decode('latin-1')
    return result.returncode, text[text.find('# Dicom-Data-Set'):]


def main():
    ours, corpus, known_file, work = sys.argv[1:5]
    corpus_dir = pathlib.Path(corpus)
    if shutil.which('dcmconv', path='/usr/bin') is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcmconv or the corpus is not available')
        return 77
    known = {}
    for line in pathlib.Path(known_file).read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            name, options, _ = line.split('\t')
            known[(name, options)] = True
    files = [line.split('\t')[0] for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    work_dir = pathlib.Path(work)
    work_dir.mkdir(parents=True, exist_ok=True)

    def check(job):
        index, (name, options) = job
        theirs_out = work_dir / f'{index}-dcmtk.dcm'
        ours_out = work_dir / f'{index}-dcmkit.dcm'
        theirs = subprocess.run(['/usr/bin/dcmconv', *options, str(corpus_dir / name), str(theirs_out)],
                                capture_output=True, timeout=60)
        if theirs.returncode != 0:
            return None
        mine = subprocess.run([ours, *options, str(corpus_dir / name), str(ours_out)],
                              capture_output=True, timeout=60)
        if mine.returncode != 0:
            return (name, ' '.join(options) or '-', False, 'dcmkit failed: ' + mine.stderr.decode(errors='replace').strip())
        rc_a, dump_a = data_set_dump(theirs_out)
        rc_b, dump_b = data_set_dump(ours_out)
        theirs_out.unlink(missing_ok=True)
        ours_out.unlink(missing_ok=True)
        same = rc_a == rc_b and dump_a == dump_b
        return (name, ' '.join(options) or '-', same, '' if same else 'DCMTK reads a different data set')

    jobs = list(enumerate((name, options) for options in OPTION_SETS for name in files))
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for outcome in pool.map(check, jobs):
            if outcome is not None:
                results.append(outcome)
    failures = [f'{n} [{o}]: {why}' for n, o, same, why in results
                if not same and (n, o) not in known and (n, '*') not in known]
    stale = [f'{n} [{o}] now matches: remove it from the list' for n, o, same, _ in results
             if same and (n, o) in known]
    print(f'{sum(1 for r in results if r[2])} of {len(results)} conversions read back by DCMTK '
          f'identically to its own ({len(OPTION_SETS)} option sets)')
    for line in failures + stale:
        print(line)
    return 1 if failures or stale else 0


if __name__ == '__main__':
    sys.exit(main())

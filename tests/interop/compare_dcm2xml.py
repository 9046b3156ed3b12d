#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcm2xml against DCMTK's, and the XML round trip through both xml2dcm programs.

1. Every corpus file (and testdata/) is converted by both dcm2xml programs with several option
   sets: standard output and exit status must be identical, except that BulkData UUIDs (random
   in both) are compared as placeholders. Differences must be listed in
   dcm2xml_known_differences.tsv (file, options or "*", reason).
2. Round trip: for every corpus file, our `dcm2xml +M +Wb` output is read by DCMTK's xml2dcm and
   by ours, and DCMTK's dcmdump must show the same data set as for the original (the meta
   header is rewritten by design). Known differences are listed with options "roundtrip".

Exit 77 (skipped) without DCMTK or the corpus.

Usage: compare_dcm2xml.py <our dcm2xml> <our xml2dcm> <corpus dir> <testdata dir>
                          <known differences tsv> <work dir>"""
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys

OPTION_SETS = [[], ['+M', '+Wb'], ['-Wn', '+Xn'], ['+Wb', '+Eb'], ['-nat'], ['-nat', '+Eb', '+M'],
               ['+U8'], ['+Xd']]
UUID = re.compile(rb'uuid="[0-9a-f-]{36}"')


def run(*args, stdin=None):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=300, stdin=stdin)


def normalized(output):
    return UUID.sub(b'uuid="*"', output)


def data_set_dump(path):
    result = run('dcmdump', '-q', '+L', path)
    text = result.stdout.decode('latin-1')
    return result.returncode, text[text.find('# Dicom-Data-Set'):]


def main():
    ours, ours_xml2dcm, corpus, testdata, known_file, work = sys.argv[1:7]
    corpus_dir = pathlib.Path(corpus)
    if shutil.which('dcm2xml', path='/usr/bin') is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcm2xml or the corpus is not available')
        return 77
    known = set()
    for line in pathlib.Path(known_file).read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            name, options, _ = line.split('\t')
            known.add((name, options))
    files = [(line.split('\t')[0], corpus_dir / line.split('\t')[0])
             for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files += [('testdata/' + p.name, p) for p in sorted(pathlib.Path(testdata).glob('*.dcm'))]
    work_dir = pathlib.Path(work)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)

    def compare(job):
        name, path, options = job
        theirs = run('/usr/bin/dcm2xml', *options, path)
        mine = run(ours, *options, path)
        same = (theirs.returncode == mine.returncode and
                normalized(theirs.stdout) == normalized(mine.stdout))
        return ('compare', name, ' '.join(options) or '-', same)

    def round_trip(job):
        index, name, path = job
        xml = work_dir / f'{index}.xml'
        first = run(ours, '+M', '+Wb', path, xml)
        if first.returncode != 0:
            return None  # DCMTK's dcm2xml could not convert it either (see the comparison)
        rc_orig, dump_orig = data_set_dump(path)
        outcomes = []
        for label, program in [('dcmtk', '/usr/bin/xml2dcm'), ('dcmkit', ours_xml2dcm)]:
            out = work_dir / f'{index}-{label}.dcm'
            result = run(program, xml, out)
            if result.returncode != 0:
                outcomes.append(f'{label} xml2dcm failed')
                continue
            rc, dump = data_set_dump(out)
            outcomes.append('ok' if (rc, dump) == (rc_orig, dump_orig) else
                            f'{label} xml2dcm gives a different data set')
        xml.unlink(missing_ok=True)
        return ('roundtrip', name, 'roundtrip', outcomes == ['ok', 'ok'], outcomes)

    jobs = [(name, path, options) for options in OPTION_SETS for name, path in files]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results += list(pool.map(compare, jobs))
        results += [r for r in pool.map(round_trip, [(i, n, p) for i, (n, p) in enumerate(files)])
                    if r is not None]
    failures = [f'{r[1]} [{r[2]}]: differs from DCMTK' + (f' ({", ".join(r[4])})' if len(r) > 4 else '')
                for r in results if not r[3] and (r[1], r[2]) not in known and (r[1], '*') not in known]
    stale = [f'{r[1]} [{r[2]}] now matches: remove it from the list' for r in results
             if r[3] and (r[1], r[2]) in known]
    compared = [r for r in results if r[0] == 'compare']
    trips = [r for r in results if r[0] == 'roundtrip']
    print(f'{sum(1 for r in compared if r[3])} of {len(compared)} conversions identical to DCMTK '
          f'({len(OPTION_SETS)} option sets)')
    print(f'{sum(1 for r in trips if r[3])} of {len(trips)} round trips (dcm2xml +M +Wb, then '
          f'both xml2dcm) give the original data set')
    for line in failures + stale:
        print(line)
    shutil.rmtree(work_dir, ignore_errors=True)
    return 1 if failures or stale else 0


if __name__ == '__main__':
    sys.exit(main())

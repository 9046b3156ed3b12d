#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmscale against DCMTK's on every corpus image, for a matrix of options: the exit
status, every attribute (DCMTK's dcmdump of both outputs, without the meta information and the
new SOP Instance UID) and the pixel data bytes (dcmdump +W) must be the same. DCMTK is the
oracle here (Debian package dcmtk), never linked.

dcmkit decodes compressed input that DCMTK's dcmscale cannot (it has only the RLE decoder); for
those files only dcmkit's success is checked (they are listed as "decoded by dcmkit only").
A difference is a failure unless known_differences.tsv lists it (file, options, reason); a
listed difference that no longer occurs is reported too. Options "*" name a file that is not
compared at all (DCMTK's output would be unreasonable, e.g. 1 GB from a hostile file); options
"any" accept a difference with any options (a difference outside dcmscale).

Usage: compare_dcmscale.py <our dcmscale> <corpus dir> <known differences tsv> <work dir>
Exit status 77 (skipped) when DCMTK's dcmscale or the corpus is missing."""
import concurrent.futures
import pathlib
import re
import shutil
import subprocess
import sys

from interop_common import Tally, dcmdump_lines, fresh_dir, load_known, pixel_bytes

OPTION_SETS = [
    ['+Sxf', '0.5'],
    ['+Sxv', '200'],
    ['+Syf', '1.7', '-i'],
    ['+Sxv', '97', '-a'],
    ['+C', '5', '7', '40', '30'],
    ['+C', '3', '4', '20', '10', '+Sxf', '2', '-i'],
    ['+C', '-3', '-2', '10', '0'],
    ['+C', '10', '10', '50', '40', '+Sxf', '2'],
    ['+un', '+Syv', '50'],
    ['+tb', '+Sxf', '0.3'],
    ['-F', '+ti', '+Sxf', '1.5'],
]
# The first FULL_SETS option sets run on every file; each of the others on every
# SAMPLE_STRIDE-th file (rotating), plus the pairs the known-differences list names, so that the
# test's time in CI stays bounded. Files only dcmkit decodes run the first set (DCMTK and dcmkit
# refuse to write their compressed transfer syntax) and the sets that write an uncompressed one.
FULL_SETS = 5
SAMPLE_STRIDE = 3
# Lines that differ by design: meta information (DCMTK names itself), the new SOP Instance UID.
# The length of group 0008 follows the UID's length.
IGNORED = re.compile(r'^\s*\((0002,[0-9a-f]{4}|0008,0018|0008,0000)\)')


def run(program, options, path, out):
    result = subprocess.run([program, *options, path, out], capture_output=True, timeout=300)
    return result.returncode


def main():
    ours, corpus, known_file, work = sys.argv[1:5]
    theirs = shutil.which('dcmscale', path='/usr/bin:/usr/local/bin')
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or shutil.which('dcmdump') is None or \
            not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcmscale or the corpus is not available')
        return 77
    rows = [line.split('\t')
            for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files = [row[0] for row in rows]
    # Compressed with something other than RLE: DCMTK's dcmscale cannot decode it.
    undecodable = {row[0] for row in rows
                   if len(row) > 4 and row[4].startswith('1.2.840.10008.1.2.4')}
    known = load_known(known_file)
    work_dir = fresh_dir(work)

    only = sys.argv[5:]  # optional: names to check (for a quick run by hand)

    def check(job):
        index, (name, options) = job
        if (name, '*') in known:
            return name, options, 'not-compared', ''
        if only and not any(o in name for o in only):
            return name, options, 'not-compared', ''
        path = corpus_dir / name
        base = work_dir / str(index)
        base.mkdir()
        rc_theirs = run(theirs, options, str(path), str(base / 'theirs.dcm'))
        rc_ours = run(ours, options, str(path), str(base / 'ours.dcm'))
        if rc_theirs != 0 and rc_ours == 0 and name in undecodable:
            return name, options, 'only-ours', ''
        if rc_theirs != rc_ours:
            return name, options, 'differs', f'exit {rc_ours}, DCMTK {rc_theirs}'
        if rc_theirs != 0:
            return name, options, 'same', ''
        a = dcmdump_lines(base / 'theirs.dcm', IGNORED)
        b = dcmdump_lines(base / 'ours.dcm', IGNORED)
        if a != b:
            diff = [line[:100] for line in set(a) ^ set(b)][:6]
            return name, options, 'differs', 'attributes: ' + ' | '.join(diff)
        if pixel_bytes(base / 'theirs.dcm', base / 'wt') != \
                pixel_bytes(base / 'ours.dcm', base / 'wo'):
            return name, options, 'differs', 'pixel data'
        shutil.rmtree(base)
        return name, options, 'same', ''

    def chosen(position, name, number, options):
        if (name, ' '.join(options)) in known:
            return True
        if name in undecodable:  # writing needs an uncompressed transfer syntax option
            return number == 0 or any(o in options for o in ('+te', '+tb', '+ti'))
        return number < FULL_SETS or (position + number) % SAMPLE_STRIDE == 0

    jobs = list(enumerate((f, o) for position, f in enumerate(files)
                          for number, o in enumerate(OPTION_SETS)
                          if chosen(position, f, number, o)))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(check, jobs))
    tally = Tally(known, ('same', 'only-ours', 'differs', 'not-compared'))
    for name, options, status, detail in results:
        label = ' '.join(options)
        tally.add(name, label, status, detail, [(name, label), (name, 'any')])
    tally.check_stale(lambda key: key[1] == '*' or bool(only))
    counts = tally.counts
    print(f'{counts["same"]} same as DCMTK, {counts["known"]} known differences, '
          f'{counts["only-ours"]} decoded by dcmkit only, '
          f'{counts["not-compared"]} not compared, {tally.failures} failures')
    return 1 if tally.failures else 0


if __name__ == '__main__':
    sys.exit(main())

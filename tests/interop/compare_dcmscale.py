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


def dump(path):
    result = subprocess.run(['dcmdump', '-q', '+L', str(path)], capture_output=True,
                            timeout=300)
    lines = []
    for line in result.stdout.decode('latin-1').splitlines():
        if line.startswith('#') or not line.strip() or IGNORED.match(line):
            continue
        if '(7fe0,0010)' in line:
            line = line[:line.find('(7fe0,0010)') + 14]  # the value is compared as bytes
        lines.append(line)
    return lines


def pixel_bytes(path, directory):
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(['dcmdump', '-q', '+W', str(directory), str(path)], capture_output=True,
                   timeout=300)
    return b''.join(p.read_bytes() for p in sorted(directory.iterdir()))


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
    known = {}
    for line in pathlib.Path(known_file).read_text().splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        name, options, reason = line.split('\t')
        known[(name, options)] = reason
    work_dir = pathlib.Path(work)
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)

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
        a, b = dump(base / 'theirs.dcm'), dump(base / 'ours.dcm')
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
    failures = 0
    counts = {'same': 0, 'only-ours': 0, 'differs': 0, 'known': 0, 'not-compared': 0}
    seen = set()
    for name, options, status, detail in results:
        key = (name, ' '.join(options))
        if status == 'differs' and (key in known or (name, 'any') in known):
            seen.add((name, 'any'))
            counts['known'] += 1
            seen.add(key)
            continue
        counts[status] += 1
        if status == 'differs':
            failures += 1
            print(f'DIFFERS {name} [{" ".join(options)}]: {detail}')
    for key in known:
        if key not in seen and key[1] != '*' and not only:
            print(f'listed difference no longer occurs: {key[0]} [{key[1]}]')
            failures += 1
    print(f'{counts["same"]} same as DCMTK, {counts["known"]} known differences, '
          f'{counts["only-ours"]} decoded by dcmkit only, '
          f'{counts["not-compared"]} not compared, {failures} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

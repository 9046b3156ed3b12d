#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dump2dcm reads back what dcmdump prints. For every corpus and testdata file that DCMTK's
dcmdump can dump, its dump (+L: values whole) goes through dcmkit's dump2dcm and DCMTK's, and:

- round trip: DCMTK's dump of dcmkit's output equals the original dump (the data set part; the
  lengths of sequences and items, explicit or undefined, are not compared, as dump2dcm writes
  them anew);
- oracle: DCMTK's dump of dcmkit's output equals DCMTK's dump of DCMTK's output (but for the
  positions of DICOMDIR records, which follow from the meta information: each program names
  itself there), and the exit status is the same.

A difference fails unless listed in the known-differences file (file, check, reason); a listed
one that no longer differs fails too. Malformed dumps are checked too: exit status 1 (DCMTK's is
0), a message naming the line, and no output file.

Usage: compare_dump2dcm.py <our dump2dcm> <corpus dir> <testdata dir> <known tsv> <work dir>
Exit status 77 (skipped) when DCMTK or the corpus is missing."""
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys

LENGTHS = re.compile(rb'\((Sequence|Item) with (explicit|undefined) length #=(\d+)\)')
ENCODING_LINE = re.compile(rb'^(\s*\((?:fffe,e0[0d]d|fffe,e000)\) na .*|.* SQ \(Sequence .*)#.*$')


def data_set_part(dump):
    start = dump.find(b'# Dicom-Data-Set')
    return dump[start:] if start >= 0 else dump


GROUP_LENGTH = re.compile(rb'^(\s*\([0-9a-f]{4},0000\) UL) \d+ .*$')
OFFSET = re.compile(rb'offset=\$\d+')
PSEUDO_VR = re.compile(rb'^(\s*\([0-9a-f]{4},[0-9a-f]{4}\) )(xs|ox|px|lt|up|\?\?) ')
VR = re.compile(rb'^(\s*\([0-9a-f]{4},[0-9a-f]{4}\) )([A-Za-z?]{2}) ')


def normalize(dump):
    """What dump2dcm writes anew is left out: sequence and item lengths (explicit or undefined),
    group length values and DICOMDIR record offsets (which follow from the encoding)."""
    lines = []
    for line in data_set_part(dump).splitlines():
        line = LENGTHS.sub(rb'(\1 #=\3)', line)
        line = GROUP_LENGTH.sub(rb'\1', line)
        line = OFFSET.sub(b'offset=$', line)
        if ENCODING_LINE.match(line):
            line = line.split(b'#')[0].rstrip()
            line = line.replace(b' for re-encoding', b'').replace(b' for re-encod.', b'')
        if line.startswith(b'# Used TransferSyntax'):
            continue
        lines.append(line)
    return b'\n'.join(lines)


def without_padding(dump):
    """DCMTK 3.6.7 drops Data Set Trailing Padding although its --help calls keeping it (-p=)
    the default; dcmkit keeps it (docs/dump2dcm.md)."""
    return b'\n'.join(line for line in dump.split(b'\n') if not line.startswith(b'(fffc,fffc)'))


def without_offsets(dump):
    """dcmdump shows where each DICOMDIR record sits in the file, which depends on the length of
    the meta information: each program writes its own Implementation Class UID and Version Name
    there, so the positions differ by design. The offset values stored in the data set are
    compared."""
    return OFFSET.sub(b'offset=$', dump)


def same_dump(original, again):
    """Equal, except that an element DCMTK showed with a pseudo VR (implicit VR input: "xs",
    "ox", ...) has its real VR once written in explicit VR."""
    a, b = original.split(b'\n'), again.split(b'\n')
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x != y and not (PSEUDO_VR.match(x) and VR.sub(rb'\1~~ ', x) == VR.sub(rb'\1~~ ', y)):
            return False
    return True


def main():
    ours, corpus, testdata, known_file, work = sys.argv[1:6]
    theirs = shutil.which('dump2dcm', path='/usr/bin:/usr/local/bin')
    dcmdump = shutil.which('dcmdump', path='/usr/bin:/usr/local/bin')
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or dcmdump is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dump2dcm or the corpus is not available')
        return 77
    files = [corpus_dir / line.split('\t')[0]
             for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files += sorted(pathlib.Path(testdata).glob('*.dcm'))
    known = {}
    for line in pathlib.Path(known_file).read_text().splitlines():
        if line.strip() and not line.startswith('#'):
            name, check, reason = line.split('\t')
            known[(name, check)] = reason
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)

    def check(index_path):
        index, path = index_path
        name = (path.name if path.parent == pathlib.Path(testdata) else
                str(path.relative_to(corpus_dir)))
        dumped = subprocess.run([dcmdump, '+L', str(path)], capture_output=True, timeout=120)
        if dumped.returncode != 0:
            return []
        dump_file = work / f'{index}.dump'
        dump_file.write_bytes(dumped.stdout)
        results = {}
        for label, program in (('dcmkit', ours), ('dcmtk', theirs)):
            out = work / f'{index}.{label}.dcm'
            out.unlink(missing_ok=True)
            run = subprocess.run([program, '+l', '100000000', str(dump_file), str(out)],
                                 capture_output=True, timeout=120)
            again = subprocess.run([dcmdump, '+L', str(out)], capture_output=True, timeout=120)
            results[label] = (run.returncode, again.stdout if out.exists() else b'')
        outcome = []
        rc_ours, dump_ours = results['dcmkit']
        rc_theirs, dump_theirs = results['dcmtk']
        outcome.append((name, 'round-trip',
                        rc_ours == 0 and same_dump(normalize(dumped.stdout),
                                                   normalize(dump_ours))))
        outcome.append((name, 'dcmtk', rc_ours == rc_theirs and
                        without_offsets(without_padding(data_set_part(dump_ours))) ==
                        without_offsets(without_padding(data_set_part(dump_theirs)))))
        return outcome

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for outcome in pool.map(check, enumerate(files)):
            results.extend(outcome)
    failures = []
    for name, check_name, same in results:
        listed = (name, check_name) in known
        if not same and not listed:
            failures.append(f'{name} [{check_name}] differs')
        if same and listed:
            failures.append(f'{name} [{check_name}] now passes: remove it from the list')
    round_trips = [r for r in results if r[1] == 'round-trip']
    oracle = [r for r in results if r[1] == 'dcmtk']
    print(f'{sum(r[2] for r in round_trips)} of {len(round_trips)} dumps read back to the same '
          f'data set; {sum(r[2] for r in oracle)} of {len(oracle)} written as DCMTK\'s dump2dcm '
          f'writes them')

    # Malformed dumps.
    cases = {
        'no tag': b'(0010,0010) PN [A]\nPatientName PN [x]\n',
        'bad vr': b'(0010,0010) XX [A]\n',
        'bad number': b'(0028,0010) US abc\n',
        'unclosed sequence': b'(0040,a730) SQ (Sequence with explicit length #=1)\n'
                             b'  (fffe,e000) na (Item with explicit length #=0)\n',
        'shortened': b'(0010,0010) PN [' + b'A' * 66 + b'...\n',
        'line too long': b'(0010,0010) PN [' + b'A' * 5000 + b']\n',
    }
    for case, text in cases.items():
        source = work / 'bad.dump'
        source.write_bytes(text)
        target = work / 'bad.dcm'
        target.unlink(missing_ok=True)
        run = subprocess.run([ours, str(source), str(target)], capture_output=True, timeout=60)
        message = run.stderr.decode(errors='replace')
        if run.returncode != 1 or 'line ' not in message or target.exists():
            failures.append(f'malformed dump "{case}": exit {run.returncode}, "{message.strip()}"')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

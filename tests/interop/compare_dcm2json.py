#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcm2json against DCMTK's on every corpus and testdata file, with the default options,
-fc and +m. For each conversion: equal exit status, and either byte-identical output or the same
JSON model once the documented representational differences are taken out (docs/dcm2json.md):

- dcmkit keeps the Specific Character Set and decodes text in it (DCMTK converts the data set to
  UTF-8 and writes "ISO_IR 192"): (0008,0005) is not compared;
- dcmkit keeps text exactly (DCMTK trims padding spaces): strings compare without surrounding
  spaces;
- DS/IS values whose text is not a JSON number are JSON strings in dcmkit's output (DCMTK writes
  the text as a number token, sometimes not valid JSON, e.g. "1."), so numbers compare as numbers;
- FD/FL values are written in their shortest exact form (DCMTK prints 17/9 digits of its own
  digit generator): numbers compare within 1e-15 relative;
- dcmkit keeps person names exactly: empty groups before a non-empty one ("Alphabetic": "")
  and trailing '^' (DCMTK drops both);
- odd-length binary values: DCMTK appends its padding byte to the InlineBinary.

DCMTK output that is not valid JSON (it writes "1." or nan) is compared as text after the same
normalization of numbers. A conversion that differs in another way fails unless it is listed in
the known-differences file (file, options, reason); a listed one that no longer differs fails
too, so the list stays true.

Usage: compare_dcm2json.py <our dcm2json> <corpus dir> <testdata dir> <known differences tsv>
Exit status 77 (skipped) when DCMTK's dcm2json or the corpus is missing."""
import base64
import concurrent.futures
import json
import math
import os
import pathlib
import re
import shutil
import struct
import subprocess
import sys

from interop_common import load_known

OPTION_SETS = [[], ['-fc'], ['+m']]


def run(program, options, path):
    result = subprocess.run([program, *options, path], capture_output=True, timeout=120)
    return result.returncode, result.stdout


# DCMTK writes number tokens JSON does not allow ("1.", "+1", ".5", "00012", nan): quoted, they
# parse, and compare as numbers below.
BARE_TOKEN = re.compile(rb'(?<=[\[,\s])([+\-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+\-]?\d+)?|[+\-]?nan|'
                        rb'[+\-]?inf)(?=[\],\s])')


def parse_lenient(data):
    try:
        return json.loads(data.decode('utf-8', errors='replace'))
    except ValueError:
        return json.loads(BARE_TOKEN.sub(rb'"\1"', data).decode('utf-8', errors='replace'))


def as_number(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip(' \0'))
        except ValueError:
            return value.strip(' \0')
    return value


def same_number(a, b):
    a, b = as_number(a), as_number(b)
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return a == b or abs(a - b) <= 1e-15 * max(abs(a), abs(b))
    return a == b


def as_float32(value):
    value = as_number(value)
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 3.5e38:
        return struct.unpack('<f', struct.pack('<f', value))[0]
    return value


def person_name(value):
    """The non-empty groups of a PN value, without DCMTK's trimmed trailing '^'."""
    if not isinstance(value, dict):
        return value
    groups = {k: v.strip().rstrip('^').strip() for k, v in value.items() if v}
    return {k: v for k, v in groups.items() if v}


def same_value(vr, a, b):
    if vr == 'FL':
        return same_number(as_float32(a), as_float32(b))
    if vr in ('DS', 'IS', 'FD', 'SV', 'UV', 'US', 'SS', 'UL', 'SL'):
        return same_number(a, b)
    if vr == 'PN':
        return (person_name(a) or None) == (person_name(b) or None)
    if isinstance(a, str) and isinstance(b, str):
        return a.strip(' \0') == b.strip(' \0')
    if a is None or b is None:
        return (a or '') == (b or '')
    return a == b


def same_data_set(ours, theirs):
    keys = (set(ours) | set(theirs)) - {'00080005'}
    for key in keys:
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None:
            return False
        vr = a.get('vr')
        if vr != b.get('vr'):
            return False
        if 'InlineBinary' in a or 'InlineBinary' in b:
            x = base64.b64decode(a.get('InlineBinary', ''))
            y = base64.b64decode(b.get('InlineBinary', ''))
            if x != y and not (len(y) == len(x) + 1 and y[:-1] == x):
                return False
            continue
        values_a, values_b = a.get('Value', []), b.get('Value', [])
        if vr == 'SQ':
            if len(values_a) != len(values_b):
                return False
            if not all(same_data_set(x, y) for x, y in zip(values_a, values_b)):
                return False
            continue
        # DCMTK writes an element whose only values are empty as having none.
        if vr == 'PN':
            values_a = [person_name(v) for v in values_a]
            values_b = [person_name(v) for v in values_b]
        values_a = [v.strip(' \0') if isinstance(v, str) else v for v in values_a]
        values_b = [v.strip(' \0') if isinstance(v, str) else v for v in values_b]
        if all(v in (None, '', {}) for v in values_a):
            values_a = []
        if all(v in (None, '', {}) for v in values_b):
            values_b = []
        if len(values_a) != len(values_b):
            return False
        if not all(same_value(vr, x, y) for x, y in zip(values_a, values_b)):
            return False
    return True


def main():
    ours, corpus, testdata, known_file = sys.argv[1:5]
    theirs = shutil.which('dcm2json', path='/usr/bin:/usr/local/bin')
    corpus_dir = pathlib.Path(corpus)
    if theirs is None or not (corpus_dir / 'MANIFEST.tsv').exists():
        print('skipped: DCMTK dcm2json or the corpus is not available')
        return 77
    files = [corpus_dir / line.split('\t')[0]
             for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files += sorted(pathlib.Path(testdata).glob('*.dcm'))
    known = load_known(known_file)

    def check(job):
        path, options = job
        rc_theirs, out_theirs = run(theirs, options, str(path))
        rc_ours, out_ours = run(ours, options, str(path))
        name = (path.name if path.parent == pathlib.Path(testdata) else
                str(path.relative_to(corpus_dir)))
        if rc_theirs == 20 and rc_ours == 20:
            return None  # neither can read it
        if out_theirs == out_ours and rc_theirs == rc_ours:
            return name, ' '.join(options) or '-', 'identical'
        if rc_theirs != rc_ours:
            return name, ' '.join(options) or '-', f'exit {rc_ours}, DCMTK {rc_theirs}'
        try:
            same = same_data_set(parse_lenient(out_ours), parse_lenient(out_theirs))
        except ValueError:
            same = False
        return name, ' '.join(options) or '-', 'equivalent' if same else 'different'

    jobs = [(path, options) for options in OPTION_SETS for path in files]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for outcome in pool.map(check, jobs):
            if outcome is not None:
                results.append(outcome)
    failures = []
    stale = []
    for name, options, verdict in results:
        listed = (name, options) in known or (name, '*') in known
        differs = verdict not in ('identical', 'equivalent')
        if differs and not listed:
            failures.append(f'{name} [{options}]: {verdict}')
        if not differs and (name, options) in known:
            stale.append(f'{name} [{options}] now matches DCMTK: remove it from the list')
    identical = sum(1 for r in results if r[2] == 'identical')
    equivalent = sum(1 for r in results if r[2] == 'equivalent')
    print(f'{len(results)} conversions ({len(OPTION_SETS)} option sets, {len(files)} files): '
          f'{identical} byte-identical to DCMTK 3.6.7, {equivalent} the same JSON model, '
          f'{len(results) - identical - equivalent} known differences')
    for line in failures + stale:
        print(line)
    return 1 if failures or stale else 0


if __name__ == '__main__':
    sys.exit(main())

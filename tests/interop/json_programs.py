#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcm2json and json2dcm run as a user runs them: --help as DCMTK's (banner aside), the round
trip DICOM -> JSON -> DICOM -> JSON through files and standard input, and malformed documents
rejected with exit 1 and a message naming line and column, leaving no output file.

Usage: json_programs.py <dcm2json> <json2dcm> <testdata dir> <work dir>"""
import pathlib
import shutil
import subprocess
import sys

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def run(*args, stdin=None):
    return subprocess.run([str(a) for a in args], capture_output=True, input=stdin, timeout=120)


def main():
    dcm2json, json2dcm, testdata, work = sys.argv[1:5]
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    testdata = pathlib.Path(testdata)

    theirs = shutil.which('dcm2json', path='/usr/bin:/usr/local/bin')
    if theirs is not None:
        ours_help = run(dcm2json, '--help').stdout.split(b'\n', 1)[1]
        their_help = run(theirs, '--help').stdout.split(b'\n', 1)[1]
        check(ours_help == their_help, 'dcm2json --help differs from DCMTK\'s')

    for name in ['ct_image.dcm', 'sr_document.dcm', 'report_dfl.dcm', 'ct_23x38_implicit.dcm',
                 'encapsulated_bot_2_frames.dcm']:
        source = testdata / name
        first = work / (name + '.json')
        result = run(dcm2json, '+m', source, first)
        check(result.returncode == 0, f'dcm2json +m {name}: exit {result.returncode}')
        again = work / (name + '.dcm')
        result = run(json2dcm, first, again)
        check(result.returncode == 0,
              f'json2dcm {name}: exit {result.returncode}: {result.stderr.decode()}')
        # Through standard input and output, compact.
        piped = run(json2dcm, '-', work / (name + '.piped.dcm'), stdin=first.read_bytes())
        check(piped.returncode == 0, f'json2dcm - {name}: exit {piped.returncode}')
        # The data set comes back (the meta information is completed with dcmkit's
        # implementation version where the source had none, so it is left out here).
        expected = run(dcm2json, source).stdout
        for output in (again, work / (name + '.piped.dcm')):
            second = run(dcm2json, output).stdout
            check(second == expected, f'{name}: JSON of {output.name} differs')
        compact = run(dcm2json, '-fc', source).stdout
        check(b'\n' not in compact and compact.startswith(b'{"'), f'{name}: -fc is not compact')

    # New UIDs.
    result = run(json2dcm, '+Ug', '+Uo', work / 'sr_document.dcm.json', work / 'new.dcm')
    check(result.returncode == 0, '+Ug: failed')
    old = run(dcm2json, work / 'sr_document.dcm.dcm').stdout
    new = run(dcm2json, work / 'new.dcm').stdout
    check(old != new and len(old.splitlines()) == len(new.splitlines()), '+Ug +Uo: no new UIDs')

    # Malformed documents: exit 1, line and column, no output file.
    cases = {
        'truncated': b'{"00100010": {"vr": "PN", "Value": [{"Alphabetic": "A"}]',
        'bad_vr': b'{\n  "00100010": {\n    "vr": "XX"\n  }\n}\n',
        'bad_number': b'{"00280010": {"vr": "US", "Value": [1e99]}}',
        'not_json': b'\x00\xff garbage',
        'absolute_bulk': b'{"7FE00010": {"vr": "OB", "BulkDataURI": "file:///etc/passwd"}}',
    }
    for name, text in cases.items():
        source = work / (name + '.json')
        source.write_bytes(text)
        target = work / (name + '.dcm')
        target.unlink(missing_ok=True)
        result = run(json2dcm, source, target)
        message = result.stderr.decode(errors='replace')
        check(result.returncode == 1, f'{name}: exit {result.returncode}, expected 1')
        check('line ' in message and 'column ' in message, f'{name}: no position in "{message}"')
        check(not target.exists(), f'{name}: an output file was left')
    result = run(json2dcm, work / 'does-not-exist.json', work / 'x.dcm')
    check(result.returncode == 1, 'missing input: expected exit 1')
    result = run(dcm2json, testdata / 'does-not-exist.dcm')
    check(result.returncode == 20, 'dcm2json missing input: expected exit 20')

    print(f'{len(failures)} failed')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A real peer reads dcmkit's JSON: for every corpus and testdata file that dcmkit's dcm2json
converts, pydicom (Debian's python3-pydicom) must read the JSON with Dataset.from_json without an
exception or a warning, and find the same top-level attributes. The other way round, the JSON
that pydicom writes for that data set (to_json) must be read by dcmkit's json2dcm.

Usage: pydicom_json.py <dcm2json> <json2dcm> <corpus dir> <testdata dir> <work dir>
Exit status 77 (skipped) when pydicom or the corpus is missing."""
import json
import os
import pathlib
import subprocess
import sys
import warnings


# Files that cannot pass, with the reason.
KNOWN_EXCEPTIONS = {
    # Text that cannot be written back in its declared character set (Shift JIS bytes under
    # ISO_IR 13; see tests/corpus/json_round_trip_test.cc).
    'Lena-shift-jis.dcm',
    # A DS value "1.9.10.0" in the source: not a number, so a JSON string, which pydicom cannot
    # turn into its DS type.
    'GH195.dcm',
    # A defined-length UN (0008,1110) holding an implicit VR sequence: InlineBinary as PS3.18
    # requires for UN; pydicom tries to convert it to the dictionary's SQ and fails.
    'MalaterreCP246.dcm',
}


def main():
    dcm2json, json2dcm, corpus, testdata, work = sys.argv[1:6]
    try:
        import pydicom  # noqa: F401 (Debian: python3-pydicom)
    except ImportError:
        print('skipped: pydicom is not installed (apt-get install python3-pydicom)')
        return 77
    import pydicom
    import pydicom.config
    # Values that break the VR's rules in the source file (a DA of "1994.06.13") are data, not
    # JSON: pydicom's value validation is off, every other warning counts as a complaint.
    pydicom.config.settings.reading_validation_mode = pydicom.config.IGNORE
    corpus_dir = pathlib.Path(corpus)
    files = []
    if (corpus_dir / 'MANIFEST.tsv').exists():
        files = [corpus_dir / line.split('\t')[0]
                 for line in (corpus_dir / 'MANIFEST.tsv').read_text().splitlines()[1:] if line]
    files += sorted(pathlib.Path(testdata).glob('*.dcm'))
    work_dir = pathlib.Path(work)
    work_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    read = 0
    back = 0
    for path in files:
        if path.name in KNOWN_EXCEPTIONS:
            continue
        result = subprocess.run([dcm2json, '-q', str(path)], capture_output=True, timeout=120)
        if result.returncode != 0:
            continue  # a file dcmkit cannot read (the corpus has some broken ones)
        text = result.stdout.decode('utf-8')
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('error')
                ds = pydicom.Dataset.from_json(text)
                # Touch every value, so that lazy conversions run (and may warn) too.
                for element in ds.iterall():
                    _ = element.value
        except Exception as error:  # noqa: BLE001 (any complaint is a failure)
            failures.append(f'{path.name}: pydicom from_json: {type(error).__name__}: {error}')
            continue
        expected = {key for key in json.loads(text)}
        found = {f'{int(element.tag):08X}' for element in ds}
        if expected != found:
            failures.append(f'{path.name}: pydicom found other attributes: '
                            f'{sorted(expected ^ found)[:5]}')
            continue
        read += 1
        # pydicom's JSON back into dcmkit. pydicom writes NaN for non-numbers (not JSON), which
        # json2dcm reads with -ee.
        try:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                theirs = ds.to_json()
        except Exception as error:  # noqa: BLE001
            continue  # pydicom cannot write this one; not ours to judge
        # pydicom leaves the meta information out; its transfer syntax is added (as dcm2json +m
        # writes it) so that encapsulated pixel data can be written in its own syntax.
        document = json.loads(theirs)
        try:
            syntax = pydicom.dcmread(str(path), stop_before_pixels=True).file_meta.TransferSyntaxUID
            document['00020010'] = {'vr': 'UI', 'Value': [str(syntax)]}
        except Exception:  # noqa: BLE001 (no meta information: explicit VR little endian)
            pass
        json_path = work_dir / 'pydicom.json'
        json_path.write_text(json.dumps(document), encoding='utf-8')
        out = work_dir / 'from_pydicom.dcm'
        result = subprocess.run([json2dcm, '-q', '-ee', str(json_path), str(out)],
                                capture_output=True, timeout=120)
        if result.returncode != 0:
            failures.append(f'{path.name}: json2dcm cannot read pydicom\'s JSON: '
                            f'{result.stderr.decode(errors="replace").strip()[:300]}')
            continue
        back += 1
    print(f'pydicom read the JSON of {read} files; json2dcm read pydicom\'s JSON of {back}')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

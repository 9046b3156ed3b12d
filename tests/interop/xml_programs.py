#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcm2xml and xml2dcm run as a user runs them (no DCMTK needed): the round trip through both
XML formats on the testdata files, standard input, the output options, and malformed documents
(exit status 1, a message naming the line, no output file).

Usage: xml_programs.py <dcm2xml> <xml2dcm> <dcmdump> <testdata dir> <work dir>"""
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import compare_dump2dcm  # noqa: E402  (the shared dump normalization)

# Values that dcm2xml (as DCMTK's) cannot carry: NUL bytes (docs/dcm2xml.md).
LOSSY = {'encapsulated_bot_2_frames.dcm'}


def run(*args, stdin=None):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=120, input=stdin)


def data_set(dcmdump, path):
    """Our dcmdump of the data set, without what xml2dcm writes anew (the meta information, the
    length encoding of sequences and items, group length values)."""
    return compare_dump2dcm.normalize(run(dcmdump, '+L', path).stdout)


def main():
    dcm2xml, xml2dcm, dcmdump, testdata, work = sys.argv[1:6]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    failures = []

    def expect(condition, what):
        if not condition:
            failures.append(what)

    files = sorted(pathlib.Path(testdata).glob('*.dcm'))
    if not files:
        print('skipped: no testdata')
        return 77
    for path in files:
        for options in (['+M', '+Wb'], ['+M', '+Wb', '+Eb'], ['-nat', '+M', '+Eb'], ['-nat', '+M'],
                        ['-nat', '+Wb']):
            xml = work / 'x.xml'
            out = work / 'x.dcm'
            out.unlink(missing_ok=True)
            for old in work.glob('x.xml.*.raw'):
                old.unlink()
            first = run(dcm2xml, *options, path, xml)
            expect(first.returncode == 0, f'{path.name} {options}: dcm2xml exit {first.returncode}')
            if options == ['-nat', '+M']:
                continue  # BulkData UUIDs: the values are not in the document
            if options == ['-nat', '+Wb']:
                # The values in files next to the document, referenced by relative URIs.
                text = xml.read_text(encoding='latin-1')
                expect('uuid=' not in text and ('<BulkData uri="x.xml.1.raw"/>' in text) ==
                       (work / 'x.xml.1.raw').exists(), f'{path.name} {options}: BulkData files')
            second = run(xml2dcm, xml, out)
            expect(second.returncode == 0,
                   f'{path.name} {options}: xml2dcm exit {second.returncode}: {second.stderr!r}')
            if second.returncode == 0 and path.name not in LOSSY:
                expect(data_set(dcmdump, out) == data_set(dcmdump, path),
                       f'{path.name} {options}: round trip gives another data set')

    # -nat +Wb writes the BulkData files next to the output file, so it needs one (exit 1, as
    # DCMTK's dcm2xml for options it refuses); the DCMTK-format options stay refused with -nat.
    for options in (['-nat', '+Wb'], ['-nat', '+Wn'], ['-nat', '+Xd']):
        result = run(dcm2xml, *options, files[0])
        expect(result.returncode == 1 and not result.stdout,
               f'dcm2xml {options} without an output file: exit {result.returncode}')

    # Standard input, -F (data set only), +Ug, an explicit transfer syntax.
    source = pathlib.Path(testdata) / 'ct_23x38_implicit.dcm'
    xml = run(dcm2xml, '+M', '+Wb', source).stdout
    out = work / 'stdin.dcm'
    result = run(xml2dcm, '-', out, stdin=xml)
    expect(result.returncode == 0 and data_set(dcmdump, out) == data_set(dcmdump, source),
           f'xml2dcm from standard input: exit {result.returncode}')
    out = work / 'dataset.dcm'
    result = run(xml2dcm, '-F', '+te', '-', out, stdin=xml)
    expect(result.returncode == 0 and out.read_bytes()[128:132] != b'DICM',
           '-F writes a data set without meta information')
    out = work / 'newuids.dcm'
    result = run(xml2dcm, '+Ug', '+Uo', '-', out, stdin=xml)
    dumped = run(dcmdump, out).stdout
    original = run(dcmdump, source).stdout
    sop = [line for line in dumped.splitlines() if b'SOPInstanceUID' in line]
    expect(result.returncode == 0 and sop and sop[0] not in original, '+Ug +Uo: new UIDs')

    # Malformed documents: exit 1, the line named, nothing written.
    cases = {
        'not closed': b'<?xml version="1.0"?>\n<file-format>\n<data-set>\n'
                      b'<element tag="0010,0010" vr="PN">A</elem>\n',
        'bad vr': b'<?xml version="1.0"?>\n<file-format>\n<data-set>\n'
                  b'<element tag="0010,0010" vr="XX">A</element>\n</data-set>\n</file-format>\n',
        'bad tag': b'<?xml version="1.0"?>\n<file-format>\n<data-set>\n'
                   b'<element tag="0010;0010" vr="PN">A</element>\n</data-set>\n</file-format>\n',
        'bad number': b'<?xml version="1.0"?>\n<file-format>\n<data-set>\n'
                      b'<element tag="0028,0010" vr="US">abc</element>\n</data-set>\n'
                      b'</file-format>\n',
        'wrong root': b'<?xml version="1.0"?>\n<something/>\n',
        'empty': b'',
        'native bad tag': b'<?xml version="1.0"?>\n<NativeDicomModel>\n'
                          b'<DicomAttribute tag="zz" vr="PN"/>\n</NativeDicomModel>\n',
    }
    # BulkData URIs that would read files elsewhere are refused.
    for uri in ('/etc/passwd', '../x.raw', 'http://example.com/x'):
        cases[f'BulkData uri {uri}'] = (
            b'<?xml version="1.0"?>\n<NativeDicomModel>\n<DicomAttribute tag="00091002" vr="OB">'
            b'\n<BulkData uri="' + uri.encode() + b'"/>\n</DicomAttribute>\n</NativeDicomModel>\n')
    for case, text in cases.items():
        source = work / 'bad.xml'
        source.write_bytes(text)
        target = work / 'bad.dcm'
        target.unlink(missing_ok=True)
        result = run(xml2dcm, source, target)
        message = result.stderr.decode(errors='replace')
        expect(result.returncode == 1 and 'line ' in message and not target.exists(),
               f'malformed document "{case}": exit {result.returncode}, "{message.strip()}"')
    result = run(xml2dcm, work / 'no-such-file.xml', work / 'x.dcm')
    expect(result.returncode == 1, f'missing input: exit {result.returncode}')

    for line in failures:
        print(line)
    print(f'{len(failures)} failures')
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

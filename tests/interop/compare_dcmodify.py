#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmkit's dcmodify against DCMTK's: the same operations on copies of the same files, then the
data sets compared with DCMTK's dcmdump (+L) and the exit status, the meta information (but for
the Implementation Class UID and Version Name, which name the writing program; -nmu aside, see
docs/dcmodify.md),
the files written (.bak or not) and the files left untouched compared. New UIDs (-gst, -gse,
-gin) differ by nature: their values are masked before comparing, and the meta information's
SOP Instance UID must follow the data set's.

Usage: compare_dcmodify.py <our dcmodify> <testdata dir> <work dir>
Exit status 77 (skipped) when DCMTK's dcmodify is missing."""
import pathlib
import re
import shutil
import subprocess
import sys

# (name, files, arguments); files are testdata names, copied fresh for each program.
CASES = [
    ('modify', ['sr_document.dcm'], ['-m', '(0010,0010)=New^Name']),
    ('modify keyword', ['ct_image.dcm'], ['-m', 'PatientID=XYZ', '-m', 'Rows=64']),
    ('modify missing', ['sr_document.dcm'], ['-m', '(0010,9999)=x']),
    ('modify missing ignored', ['sr_document.dcm'], ['-imt', '-m', '(0010,9999)=x']),
    ('insert', ['sr_document.dcm'], ['-i', '(0010,1010)=042Y', '-i', '(0018,0050)=2.5']),
    ('insert into item', ['sr_document.dcm'], ['-i', '(0040,a043)[0].(0008,0100)=ZZZ']),
    ('insert new sequence', ['ct_image.dcm'],
     ['-i', 'ReferencedPerformedProcedureStepSequence[0].ReferencedSOPClassUID=1.2.3']),
    ('insert empty', ['sr_document.dcm'], ['-i', '(0010,0010)']),
    ('insert numbers', ['ct_image.dcm'], ['-i', '(0028,0010)=12\\13']),
    ('insert bad number', ['ct_image.dcm'], ['-i', '(0028,0010)=abc']),
    ('wildcard', ['sr_document.dcm'], ['-m', '(0040,a730)[*].(0040,a010)=XX']),
    ('modify all', ['sr_document.dcm'], ['-ma', '(0008,0100)=MA']),
    ('erase', ['ct_image.dcm'], ['-e', '(0010,0010)', '-e', 'PatientID']),
    ('erase item', ['sr_document.dcm'], ['-e', '(0040,a730)[0]']),
    ('erase in items', ['sr_document.dcm'], ['-e', '(0040,a730)[*].(0040,a010)']),
    ('erase all', ['sr_document.dcm'], ['-ea', '(0008,0104)']),
    ('erase missing', ['sr_document.dcm'], ['-e', '(0010,9999)', '-e', '(0010,9998)']),
    ('erase private', ['ct_image.dcm'], ['-ep']),
    ('ignore errors', ['sr_document.dcm'], ['-ie', '-e', '(0010,9999)', '-m', '(0010,0020)=ID']),
    ('private without creator', ['sr_document.dcm'], ['-i', '(0009,1001)=x']),
    ('new uids', ['ct_image.dcm'], ['-gst', '-gse', '-gin']),
    ('new uid, no meta', ['ct_image.dcm'], ['-gin', '-nmu']),
    ('no backup', ['ct_image.dcm'], ['-nb', '-m', '(0010,0010)=A']),
    ('batch', ['ct_image.dcm', 'sr_document.dcm'], ['-m', '(0010,0010)=Batch']),
    ('batch with missing file', ['ct_image.dcm', 'missing.dcm'], ['-m', '(0010,0010)=B']),
    ('create file', ['new.dcm'], ['+fc', '-i', '(0010,0010)=A']),
    ('transfer syntax', ['ct_image.dcm'], ['+tb', '-m', '(0010,0010)=Big']),
    ('implicit', ['ct_23x38_implicit.dcm'], ['+ti', '-i', '(0010,0020)=Imp']),
    ('no group lengths', ['report_dfl.dcm'], ['-g', '-m', '(0010,0010)=Dfl']),
    ('value from file', ['ct_image.dcm'], ['-mf', '(0010,0010)=value.txt']),
    ('insert from file', ['ct_image.dcm'], ['-if', '(0009,1099)=value.txt', '-nrc']),
    ('value from even file', ['ct_image.dcm'], ['-mf', '(0010,0010)=even.txt']),
    ('padding kept', ['ct_image.dcm'], ['-p=', '-m', '(0010,0010)=P']),
    ('padding removed', ['ct_image.dcm'], ['-p', '-m', '(0010,0010)=P']),
    ('encapsulated', ['encapsulated_bot_2_frames.dcm'], ['-i', '(0010,0010)=Enc']),
    ('insert with wildcard', ['sr_document.dcm'], ['-i', '(0040,a730)[*].(0040,a032)=X']),
    ('modify item out of range', ['sr_document.dcm'], ['-m', '(0040,a730)[99].(0040,a010)=X']),
    ('modify all missing', ['sr_document.dcm'], ['-ma', '(0010,9999)=X']),
    ('erase all missing', ['sr_document.dcm'], ['-ea', '(0010,9999)']),
    ('erase all ignored', ['sr_document.dcm'], ['-imt', '-e', '(0010,9999)', '-ea', '(0010,9998)']),
    ('bad tag path', ['sr_document.dcm'], ['-m', '(0040,a730)[x].(0040,a010)=X']),
    ('unknown keyword', ['sr_document.dcm'], ['-i', 'NoSuchKeyword=X']),
    ('insert sequence', ['ct_image.dcm'], ['-i', '(0008,1140)']),
    ('modify sequence value', ['sr_document.dcm'], ['-m', '(0040,a730)=X']),
    ('data set only', ['ct_image.dcm'], ['-F', '-m', '(0010,0010)=DS']),
    ('undefined lengths', ['sr_document.dcm'], ['-le', '-m', '(0010,0010)=U']),
    ('group lengths', ['ct_image.dcm'], ['+g', '-m', '(0010,0010)=G']),
    ('create with uids', ['new2.dcm'], ['+fc', '-gin', '-i', '(0008,0016)=1.2.3']),
    ('insert UN value', ['ct_23x38_implicit.dcm'], ['-iun', '-i', '(0009,0010)=CREATOR']),
]

# Deliberate differences in the meta information (docs/dcmodify.md): where the data set has no
# SOP Class/Instance UID, DCMTK invents them for the meta information (its private "unknown SOP
# class" 1.2.276.0.7230010.3.1.0.1 and a new instance UID); dcmkit keeps the file's previous
# meta information values, or leaves them empty for a new file (+fc).
META_DIFFERENCES = {'create file', 'encapsulated'}

UID = re.compile(rb'\[(2\.25\.\d+|1\.2\.276\.0\.7230010\.3\.1\.[0-9.]+)\]')


def data_set_dump(dcmdump, path):
    result = subprocess.run([dcmdump, '+L', '-Un', str(path)], capture_output=True, timeout=60)
    if result.returncode != 0:
        return None
    text = result.stdout
    start = text.find(b'# Dicom-Data-Set')
    lines = []
    for line in text[start:].splitlines():
        if line.startswith(b'(fffc,'):
            continue  # DCMTK 3.6.7 drops Data Set Trailing Padding despite -p= (docs/dcmodify.md)
        if UID.search(line):
            line = UID.sub(b'[<new uid>]', line).split(b']')[0] + b']'
        lines.append(line)
    return b'\n'.join(lines)


def meta_dump(dcmdump, path):
    """The meta information as DCMTK's dcmdump shows it, without what names the writing program
    (Implementation Class UID and Version Name, and so the group length) and new UIDs masked."""
    result = subprocess.run([dcmdump, '+L', '-Un', str(path)], capture_output=True, timeout=60)
    text = result.stdout
    start = text.find(b'# Dicom-Meta-Information-Header')
    end = text.find(b'# Dicom-Data-Set')
    if result.returncode != 0 or start < 0:
        return None
    lines = []
    for line in text[start:end].splitlines():
        if line.startswith((b'(0002,0000)', b'(0002,0012)', b'(0002,0013)')):
            continue
        lines.append(UID.sub(b'[<new uid>]', line).split(b'#')[0])
    return b'\n'.join(lines)


def meta_follows(dcmdump, path):
    """The meta information's SOP Instance UID equals the data set's."""
    text = subprocess.run([dcmdump, '+L', '-Un', '+P', '0002,0003', '+P', '0008,0018', str(path)],
                          capture_output=True, timeout=60).stdout.splitlines()
    values = [line.split(b']')[0].split(b'[')[-1] for line in text if b'[' in line]
    return len(values) == 2 and values[0] == values[1]


def main():
    ours, testdata, work = sys.argv[1:4]
    theirs = shutil.which('dcmodify', path='/usr/bin:/usr/local/bin')
    dcmdump = shutil.which('dcmdump', path='/usr/bin:/usr/local/bin')
    if theirs is None or dcmdump is None:
        print('skipped: DCMTK dcmodify is not available')
        return 77
    testdata = pathlib.Path(testdata)
    work = pathlib.Path(work)
    failures = []
    for name, files, arguments in CASES:
        outcome = {}
        for program, label in ((theirs, 'dcmtk'), (ours, 'dcmkit')):
            directory = work / re.sub(r'\W+', '_', name) / label
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            (directory / 'value.txt').write_bytes(b'From^File')  # odd length: an error
            (directory / 'even.txt').write_bytes(b'From^File2')
            paths = []
            for file in files:
                if (testdata / file).exists():
                    shutil.copy(testdata / file, directory / file)
                    (directory / file).chmod(0o644)
                paths.append(file)
            result = subprocess.run([program, *arguments, *paths], capture_output=True,
                                    cwd=directory, timeout=120)
            outcome[label] = {
                'rc': result.returncode,
                'files': sorted(p.name for p in directory.iterdir() if not p.name.endswith('.txt')),
                'dumps': [data_set_dump(dcmdump, directory / p) for p in paths],
                'meta': [meta_follows(dcmdump, directory / p) for p in paths
                         if (directory / p).exists()],
                'meta dumps': [meta_dump(dcmdump, directory / p) for p in paths
                               if (directory / p).exists()],
                'stderr': result.stderr.decode(errors='replace'),
            }
        a, b = outcome['dcmtk'], outcome['dcmkit']
        if a['rc'] != b['rc']:
            failures.append(f'{name}: exit {b["rc"]}, DCMTK {a["rc"]}: {b["stderr"].strip()}')
        if a['files'] != b['files']:
            failures.append(f'{name}: files {b["files"]}, DCMTK {a["files"]}')
        if a['dumps'] != b['dumps']:
            failures.append(f'{name}: the data sets differ from DCMTK\'s')
        if '-nmu' not in arguments and a['meta'] != b['meta']:
            failures.append(f'{name}: meta SOP Instance UID {b["meta"]}, DCMTK {a["meta"]}')
        if ('-nmu' not in arguments and name not in META_DIFFERENCES and
                a['meta dumps'] != b['meta dumps']):
            failures.append(f'{name}: the meta information differs from DCMTK\'s')
    print(f'{len(CASES) - len(failures)} of {len(CASES)} dcmodify cases as DCMTK 3.6.7')
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

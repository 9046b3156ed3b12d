#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""pdf2dcm, dcm2pdf, cda2dcm and stl2dcm run as a user runs them, on small documents this script
writes (a PDF, a CDA document, a binary STL). Exit 77 (skipped) without DCMTK or dciodvfy.

1. Each object we create passes dicom3tools' dciodvfy without errors and is read by DCMTK's
   dcmdump and by pydicom.
2. The document extracted again (our dcm2pdf, DCMTK's dcm2pdf) is byte-identical to the input;
   our dcm2pdf also extracts DCMTK's pdf2dcm output identically.
3. Bad input (not a PDF, ASCII STL, missing file) gives DCMTK's exit codes.
4. --help is DCMTK's for all four programs.

Usage: encapsulated_interop.py <bin dir> <work dir>"""
import pathlib
import shutil
import struct
import subprocess
import sys


def make_pdf():
    objects = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
               b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>']
    out = b'%PDF-1.4\n'
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % (i + 1) + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offsets)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objects) + 1, xref)
    return out


CDA = b'''<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <id root="2.16.840.1.113883.19.4" extension="c266"/>
  <title>Consultation Note</title>
  <recordTarget><patientRole><id extension="12345" root="2.16.840.1.113883.19.5"/>
    <patient><name><given>Henry</given><family>Levin</family></name>
      <administrativeGenderCode code="M"/><birthTime value="19320924"/></patient>
  </patientRole></recordTarget>
</ClinicalDocument>
'''


def make_stl():
    out = b'dcmkit binary STL'.ljust(80, b' ') + struct.pack('<I', 1)
    return out + struct.pack('<12fH', 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0)


def run(*args, cwd=None):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=120, cwd=cwd)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    bin_dir, work = (pathlib.Path(a).resolve() for a in sys.argv[1:])
    if shutil.which('dcm2pdf') is None or shutil.which('dciodvfy') is None:
        print('DCMTK or dicom3tools not installed: skipped')
        return 77
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    inputs = {'pdf': make_pdf(), 'xml': CDA, 'stl': make_stl()}
    for ext, data in inputs.items():
        (work / f'doc.{ext}').write_bytes(data)
    (work / 'odd.pdf').write_bytes(make_pdf() + b'%')
    (work / 'ascii.stl').write_bytes(b'solid x\nendsolid x\n')
    failures = []

    def check_object(path, label):
        verify = run('dciodvfy', path)
        errors = [line for line in verify.stderr.decode('latin-1').splitlines()
                  if line.startswith('Error')]
        if errors:
            failures.append(f'{label}: dciodvfy: {errors[:3]}')
        if run('dcmdump', '-q', path).returncode != 0:
            failures.append(f'{label}: DCMTK dcmdump cannot read it')
        read = run('/usr/bin/python3', '-c', 'import sys, pydicom; pydicom.dcmread(sys.argv[1])',
                   path)
        if read.returncode != 0:
            failures.append(f'{label}: pydicom cannot read it')

    jobs = [('pdf2dcm', 'doc.pdf', []), ('pdf2dcm', 'odd.pdf', ['+tb']),
            ('pdf2dcm', 'doc.pdf', ['+pn', 'Doe^Jane', '+pi', '7', '+pb', '19700101', '+ps', 'F',
                                    '+t', 'Report', '+cn', 'DCM', '121181', 'DICOM Object',
                                    '-an', '+is', '5', '-k', 'StudyDescription=hello']),
            ('pdf2dcm', 'doc.pdf', ['+ti', '-e', '+g']),
            ('cda2dcm', 'doc.xml', []), ('cda2dcm', 'doc.xml', ['+pn', 'Other^Name', '+ov']),
            ('stl2dcm', 'doc.stl', ['+mn', 'ACME', '+mm', 'M1', '+ds', 'S1', '+sv', '1.0'])]
    for index, (program, source, options) in enumerate(jobs):
        out = work / f'{index}.dcm'
        label = f'{program} {" ".join(options)} {source}'
        result = run(bin_dir / program, *options, source, out, cwd=work)
        if result.returncode != 0:
            failures.append(f'{label}: exit {result.returncode}: {result.stderr[:200]!r}')
            continue
        check_object(out, label)
        if program == 'pdf2dcm':
            # DCMTK's dcm2pdf drops the last byte of an odd-length PDF in big endian objects,
            # its own pdf2dcm +tb output included (DCMTK 3.6.7), so only ours is checked there.
            extractors = [bin_dir / 'dcm2pdf'] + ([] if '+tb' in options else ['dcm2pdf'])
            for extractor in extractors:
                pdf = work / f'{index}.out.pdf'
                pdf.unlink(missing_ok=True)
                if run(extractor, out, pdf).returncode != 0 or \
                        pdf.read_bytes() != (work / source).read_bytes():
                    failures.append(f'{label}: {extractor} does not give the PDF back')
    # Our dcm2pdf on DCMTK's pdf2dcm output.
    run('pdf2dcm', 'odd.pdf', 'dcmtk.dcm', cwd=work)
    if run(bin_dir / 'dcm2pdf', 'dcmtk.dcm', 'dcmtk.pdf', cwd=work).returncode != 0 or \
            (work / 'dcmtk.pdf').read_bytes() != (work / 'odd.pdf').read_bytes():
        failures.append('dcm2pdf on DCMTK pdf2dcm output: not identical')
    # The CDA's own data were taken over.
    dump = run('dcmdump', '-q', work / '4.dcm').stdout.decode('latin-1')
    for expected in ('Levin^Henry', '[12345]', '19320924', 'Consultation Note', 'c266'):
        if expected not in dump:
            failures.append(f'cda2dcm: {expected} not in the object')
    # Exit codes of failures, as DCMTK's.
    for program, args in (('pdf2dcm', ['doc.stl', 'x.dcm']), ('pdf2dcm', ['missing.pdf', 'x.dcm']),
                          ('stl2dcm', ['ascii.stl', 'x.dcm']), ('stl2dcm', ['missing', 'x.dcm']),
                          ('cda2dcm', ['doc.pdf', 'x.dcm']), ('cda2dcm', ['missing', 'x.dcm']),
                          ('pdf2dcm', ['doc.pdf', '/nonexistent/x.dcm']),
                          ('pdf2dcm', ['+ii', 'doc.pdf', 'x.dcm']),
                          ('dcm2pdf', ['missing.dcm', 'x.pdf']), ('dcm2pdf', ['6.dcm', 'x.pdf'])):
        ours = run(bin_dir / program, *args, cwd=work).returncode
        theirs = run(program, *args, cwd=work).returncode
        if ours != theirs:
            failures.append(f'{program} {" ".join(args)}: exit {ours} vs DCMTK {theirs}')
    for program in ('pdf2dcm', 'dcm2pdf', 'cda2dcm', 'stl2dcm'):
        a = run(bin_dir / program, '--help').stdout.split(b'\n', 1)[-1]
        b = run(program, '--help').stdout.split(b'\n', 1)[-1]
        if a != b:
            failures.append(f'{program}: --help differs from DCMTK')
    for failure in failures:
        print('FAIL', failure)
    print(f'{len(jobs)} objects created and checked; {len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

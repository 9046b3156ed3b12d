#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmconv writing compressed transfer syntaxes (a dcmkit extension, docs/dcmconv.md) and
decompressing them again, run as a user runs it, on testdata/; checked with dcmkit's dcmdump.

Usage: dcmconv_codecs_test.py <bin dir> <testdata dir> <work dir>"""
import pathlib
import shutil
import subprocess
import sys
import unittest

BIN = TESTDATA = WORK = None

# option -> (transfer syntax UID, a word of DCMTK's name for it)
LOSSLESS = {
    '+tr': ('1.2.840.10008.1.2.5', 'RLELossless'),
    '+tjl': ('1.2.840.10008.1.2.4.70', 'JPEGLossless'),
    '+tls': ('1.2.840.10008.1.2.4.80', 'JPEGLSLossless'),
    '+tj2': ('1.2.840.10008.1.2.4.90', 'JPEG2000LosslessOnly'),
    '+th': ('1.2.840.10008.1.2.4.201', 'HTJ2K'),
    '+thr': ('1.2.840.10008.1.2.4.202', 'HTJ2K'),
}


def run(program, *args):
    result = subprocess.run([str(BIN / program), *map(str, args)], capture_output=True,
                            timeout=120)
    return result.returncode, result.stdout.decode('latin-1'), result.stderr.decode('latin-1')


def dump(path, *options):
    rc, out, err = run('dcmdump', *options, path)
    assert rc == 0, err
    return out


def pixels(path):
    """The pixel data bytes (native: the value; encapsulated: every fragment) via dcmdump +W."""
    directory = WORK / ('pixels-' + path.name)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    dump(path, '+W', directory)
    return b''.join(f.read_bytes() for f in sorted(directory.iterdir()))


def value(text, tag):
    for line in text.splitlines():
        if line.startswith(tag):
            return line
    return ''


class DcmconvCodecsTest(unittest.TestCase):
    def test_lossless_targets_round_trip(self):
        source = TESTDATA / 'ct_image.dcm'
        original = pixels(source)
        for option, (uid, name) in LOSSLESS.items():
            with self.subTest(option=option):
                compressed = WORK / f'ct{option[1:]}.dcm'
                back = WORK / f'ct{option[1:]}-back.dcm'
                rc, _, err = run('dcmconv', option, source, compressed)
                self.assertEqual(rc, 0, err)
                text = dump(compressed)
                ts = value(text, '(0002,0010)')
                self.assertTrue(uid in ts or name in ts, ts)
                self.assertIn('PixelSequence', text)
                # Lossless: the same instance.
                self.assertEqual(value(text, '(0008,0018)'), value(dump(source), '(0008,0018)'))
                rc, _, err = run('dcmconv', '+te', compressed, back)
                self.assertEqual(rc, 0, err)
                self.assertIn('=LittleEndianExplicit', value(dump(back), '(0002,0010)'))
                self.assertEqual(pixels(back), original)

    def test_transfer_syntax_by_uid_and_between_compressed_syntaxes(self):
        source = TESTDATA / 'ct_image.dcm'
        jpls = WORK / 'ct-uid-jpls.dcm'
        ht = WORK / 'ct-jpls-ht.dcm'
        back = WORK / 'ct-ht-back.dcm'
        self.assertEqual(run('dcmconv', '+tu', '1.2.840.10008.1.2.4.80', source, jpls)[0], 0)
        self.assertIn('JPEGLSLossless', value(dump(jpls), '(0002,0010)'))
        self.assertEqual(run('dcmconv', '+th', jpls, ht)[0], 0)
        ts = value(dump(ht), '(0002,0010)')
        self.assertTrue('1.2.840.10008.1.2.4.201' in ts or 'HTJ2K' in ts, ts)
        self.assertEqual(run('dcmconv', '+ti', ht, back)[0], 0)
        self.assertEqual(pixels(back), pixels(source))

    def test_lossy_targets_make_a_new_instance(self):
        source = TESTDATA / 'ct_image.dcm'
        for option in ('+thy', '+tj2y'):
            with self.subTest(option=option):
                lossy = WORK / f'ct{option[1:]}.dcm'
                rc, _, err = run('dcmconv', option, source, lossy)
                self.assertEqual(rc, 0, err)
                text = dump(lossy)
                self.assertIn('[01]', value(text, '(0028,2110)'))
                self.assertNotEqual(value(text, '(0008,0018)').split()[2],
                                    value(dump(source), '(0008,0018)').split()[2])
                back = WORK / f'ct{option[1:]}-back.dcm'
                self.assertEqual(run('dcmconv', '+te', lossy, back)[0], 0)
                self.assertEqual(len(pixels(back)), len(pixels(source)))

    def test_refusals(self):
        source = TESTDATA / 'ct_image.dcm'
        out = WORK / 'refused.dcm'
        out.unlink(missing_ok=True)
        # JPEG baseline takes 8-bit samples only: a 16-bit CT is refused, nothing written.
        rc, _, err = run('dcmconv', '+tjb', source, out)
        self.assertEqual(rc, 1)
        self.assertIn('no conversion to transfer syntax', err)
        self.assertFalse(out.exists())
        rc, _, err = run('dcmconv', '+tu', '1.2.3.4', source, out)
        self.assertNotEqual(rc, 0)
        self.assertIn('unknown transfer syntax UID', err)
        self.assertFalse(out.exists())


def main():
    global BIN, TESTDATA, WORK
    BIN, TESTDATA, WORK = (pathlib.Path(a) for a in sys.argv[1:4])
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    result = unittest.main(argv=[sys.argv[0]], exit=False, verbosity=2).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmcrle, dcmdrle and dcmconv's RLE decoding, run as a user runs them, on testdata/: every
option of their --help has an effect that dcmdump (dcmkit's) shows, and failures exit as DCMTK's
programs do.

Usage: rle_tools_test.py <bin dir> <testdata dir> <work dir>"""
import pathlib
import shutil
import subprocess
import sys
import unittest

BIN = TESTDATA = WORK = None


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
    return None


class RleToolsTest(unittest.TestCase):
    def test_compresses_and_decompresses_losslessly(self):
        source = TESTDATA / 'ct_image.dcm'
        rle = WORK / 'ct-rle.dcm'
        back = WORK / 'ct-back.dcm'
        self.assertEqual(run('dcmcrle', source, rle)[0], 0)
        text = dump(rle)
        self.assertIn('=RLELossless', value(text, '(0002,0010)'))
        self.assertIn('PixelSequence #=2', text)
        self.assertEqual(run('dcmdrle', rle, back)[0], 0)
        self.assertIn('=LittleEndianExplicit', value(dump(back), '(0002,0010)'))
        self.assertEqual(pixels(back), pixels(source))
        # Unchanged apart from the meta header and the pixel data.
        body = lambda t: [l for l in t[t.find('# Dicom-Data-Set'):].splitlines()
                          if not l.startswith('(7fe0,0010)')]
        self.assertEqual(body(dump(back)), body(dump(source)))

    def test_fragment_and_offset_table_options(self):
        out = WORK / 'fragments.dcm'
        self.assertEqual(run('dcmcrle', '+fs', '1', '-ot', TESTDATA / 'ct_image.dcm', out)[0], 0)
        text = dump(out)
        items = [l for l in text.splitlines() if l.lstrip().startswith('(fffe,e000) pi')]
        self.assertGreater(len(items), 3)
        self.assertIn('(no value available)', items[0])  # empty Basic Offset Table
        self.assertTrue(all(int(l.split('#')[1].split(',')[0]) <= 1024 for l in items[1:]))
        back = WORK / 'fragments-back.dcm'
        self.assertEqual(run('dcmdrle', out, back)[0], 0)
        self.assertEqual(pixels(back), pixels(TESTDATA / 'ct_image.dcm'))

    def test_new_uids_and_secondary_capture(self):
        source = TESTDATA / 'ct_image.dcm'
        old_uid = value(dump(source), '(0008,0018)')
        same = WORK / 'same-uid.dcm'
        self.assertEqual(run('dcmcrle', '+un', source, same)[0], 0)
        self.assertEqual(value(dump(same), '(0008,0018)'), old_uid)
        new = WORK / 'new-uid.dcm'
        self.assertEqual(run('dcmcrle', '+ua', source, new)[0], 0)
        text = dump(new)
        self.assertNotEqual(value(text, '(0008,0018)'), old_uid)
        self.assertIn('Lossless RLE compression, compression ratio', text)
        self.assertIn('Uncompressed predecessor', text)
        self.assertEqual(value(text, '(0002,0003)').split()[2], value(text, '(0008,0018)').split()[2])
        sc = WORK / 'sc.dcm'
        self.assertEqual(run('dcmcrle', '+cs', source, sc)[0], 0)
        text = dump(sc)
        self.assertIn('=SecondaryCaptureImageStorage', value(text, '(0008,0016)'))
        self.assertIn('[WSD]', value(text, '(0008,0064)'))
        self.assertNotEqual(value(text, '(0008,0018)'), old_uid)
        back = WORK / 'new-uid-back.dcm'
        self.assertEqual(run('dcmdrle', '+ua', new, back)[0], 0)
        self.assertNotEqual(value(dump(back), '(0008,0018)'), value(dump(new), '(0008,0018)'))

    def test_decoder_output_options(self):
        rle = WORK / 'opts-rle.dcm'
        self.assertEqual(run('dcmcrle', TESTDATA / 'ct_image.dcm', rle)[0], 0)
        for option, syntax in [('+te', 'LittleEndianExplicit'), ('+tb', 'BigEndianExplicit'),
                               ('+ti', 'LittleEndianImplicit')]:
            out = WORK / f'opts{option}.dcm'
            self.assertEqual(run('dcmdrle', option, rle, out)[0], 0)
            self.assertIn('=' + syntax, value(dump(out), '(0002,0010)'))
            self.assertEqual(pixels(out), pixels(TESTDATA / 'ct_image.dcm'))
        data_set = WORK / 'opts-dataset.dcm'
        self.assertEqual(run('dcmdrle', '-F', rle, data_set)[0], 0)
        self.assertNotIn('(0002,0010)', dump(data_set))
        grouped = WORK / 'opts-group.dcm'
        self.assertEqual(run('dcmdrle', '+g', '-e', rle, grouped)[0], 0)
        self.assertIn('(0008,0000)', dump(grouped))
        padded = WORK / 'opts-padded.dcm'
        self.assertEqual(run('dcmdrle', '+p', '256', '0', rle, padded)[0], 0)
        self.assertEqual(padded.stat().st_size % 256, 0)
        self.assertEqual(run('dcmdrle', '-F', '+p', '256', '0', rle, padded)[0], 1)
        reversed_out = WORK / 'opts-reversed.dcm'
        self.assertEqual(run('dcmdrle', '+br', rle, reversed_out)[0], 0)
        self.assertNotEqual(pixels(reversed_out), pixels(TESTDATA / 'ct_image.dcm'))

    def test_dcmconv_decompresses_rle(self):
        rle = WORK / 'conv-rle.dcm'
        self.assertEqual(run('dcmcrle', TESTDATA / 'ct_image.dcm', rle)[0], 0)
        out = WORK / 'conv-out.dcm'
        rc, _, err = run('dcmconv', '+ti', rle, out)
        self.assertEqual(rc, 0, err)
        self.assertIn('=LittleEndianImplicit', value(dump(out), '(0002,0010)'))
        self.assertEqual(pixels(out), pixels(TESTDATA / 'ct_image.dcm'))

    def test_failures_exit_as_dcmtk_does(self):
        out = WORK / 'failure.dcm'
        rc, _, err = run('dcmcrle', WORK / 'missing.dcm', out)
        self.assertEqual(rc, 1)
        self.assertIn('reading file', err)
        jpeg2000 = TESTDATA / 'encapsulated_bot_2_frames.dcm'
        rc, _, err = run('dcmdrle', jpeg2000, out)
        self.assertEqual(rc, 1)
        self.assertIn('not supported', err)
        self.assertEqual(run('dcmcrle', jpeg2000, out)[0], 1)
        self.assertEqual(run('dcmconv', '+te', jpeg2000, out)[0], 1)
        self.assertFalse(out.exists())
        self.assertEqual(run('dcmcrle', '+fs', 'x', TESTDATA / 'ct_image.dcm', out)[0], 1)
        self.assertEqual(run('dcmcrle', TESTDATA / 'ct_image.dcm', WORK / 'no-dir' / 'x.dcm')[0], 1)


if __name__ == '__main__':
    BIN, TESTDATA, WORK = (pathlib.Path(p) for p in sys.argv[1:4])
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    unittest.main(argv=sys.argv[:1], verbosity=1)

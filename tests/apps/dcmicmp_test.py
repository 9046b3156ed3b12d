#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmicmp run as a user runs it, on testdata/ and on variants made with dcmkit's own dcmodify,
dcmscale and dcmcjpeg: the printed metrics, the limit checks and their exit codes, the
difference image (read back with dcmkit's dcmdump) and the failures. Comparisons with DCMTK's
dcmicmp live in tests/interop/compare_dcmicmp.py.

Usage: dcmicmp_test.py <bin dir> <testdata dir> <work dir>"""
import pathlib
import re
import shutil
import subprocess
import sys
import unittest

BIN = TESTDATA = WORK = None


def run(program, *args):
    result = subprocess.run([str(BIN / program), *map(str, args)], capture_output=True,
                            timeout=120)
    return result.returncode, result.stdout.decode('latin-1'), result.stderr.decode('latin-1')


def metrics(text):
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(' = ')
        values[name.strip()] = value.strip()
    return values


class DcmicmpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ct = TESTDATA / 'ct_image.dcm'
        # The same pixels with Rescale Intercept raised by 10: every modality value differs by 10.
        cls.shifted = WORK / 'shifted.dcm'
        shutil.copy(cls.ct, cls.shifted)
        rc, _, err = run('dcmodify', '-nb', '-m', 'RescaleIntercept=-1014', cls.shifted)
        assert rc == 0, err
        cls.half = WORK / 'half.dcm'
        rc, _, err = run('dcmscale', '+Sxf', '0.5', cls.ct, cls.half)
        assert rc == 0, err

    def test_identical_images(self):
        rc, out, _ = run('dcmicmp', self.ct, self.ct)
        self.assertEqual(rc, 0)
        self.assertEqual(out, 'Max Absolute Error                     = 0\n'
                              'Mean Absolute Error (MAE)              = 0\n'
                              'Root Mean Square Error (RMSE)          = 0\n'
                              'Peak Signal to Noise Ratio (PSNR) [dB] = inf\n'
                              'Signal to Noise Ratio (SNR) [dB]       = inf\n')

    def test_constant_offset_of_modality_values(self):
        rc, out, _ = run('dcmicmp', self.ct, self.shifted)
        self.assertEqual(rc, 0)
        m = metrics(out)
        self.assertEqual(m['Max Absolute Error'], '10')
        self.assertEqual(m['Mean Absolute Error (MAE)'], '10')
        self.assertEqual(m['Root Mean Square Error (RMSE)'], '10')
        # -M compares the stored values, which are the same.
        rc, out, _ = run('dcmicmp', '-M', self.ct, self.shifted)
        self.assertEqual(metrics(out)['Max Absolute Error'], '0')

    def test_limits_and_their_exit_codes(self):
        cases = [(['+ce', '9'], 90, 'F: Maximum absolute error 10 exceeds limit 9'),
                 (['+ce', '10'], 0, None),
                 (['+cm', '9.5'], 91, 'F: Mean absolute error 10 exceeds limit 9.5'),
                 (['+cr', '2'], 92, 'F: Root mean square error (RMSE) 10 exceeds limit 2'),
                 (['+cp', '1000'], 93, 'F: Peak signal to noise ratio (PSNR) '),
                 (['+cs', '1000'], 94, 'F: Signal to noise ratio (SNR) '),
                 (['+cm', '1', '+ce', '1'], 90, 'F: Maximum absolute error')]
        for options, code, message in cases:
            rc, out, err = run('dcmicmp', *options, self.ct, self.shifted)
            self.assertEqual(rc, code, options)
            self.assertIn('Max Absolute Error', out)
            if message:
                self.assertIn(message, err)

    def test_windowed_comparison_uses_rendered_values(self):
        rc, out, _ = run('dcmicmp', '+Ww', '0', '400', self.ct, self.shifted)
        self.assertEqual(rc, 0)
        # 10 modality units of a 400 wide window on 16 bits: about 1638 output units (less where
        # both values are outside the window).
        self.assertAlmostEqual(float(metrics(out)['Max Absolute Error']), 1638, delta=10)
        self.assertLess(float(metrics(out)['Mean Absolute Error (MAE)']), 1638)
        rc, _, err = run('dcmicmp', '+Wi', '5', self.ct, self.shifted)
        self.assertEqual(rc, 81)
        self.assertIn('cannot select VOI window 5', err)

    def test_compressed_images_are_decoded(self):
        # DCMTK's dcmicmp decodes nothing; dcmkit's compares compressed images too.
        compressed = WORK / 'jpls.dcm'
        rc, _, err = run('dcmcjpls', self.ct, compressed)
        self.assertEqual(rc, 0, err)
        rc, out, _ = run('dcmicmp', compressed, self.shifted)
        self.assertEqual(rc, 0)
        self.assertEqual(metrics(out)['Max Absolute Error'], '10')

    def test_mismatches_and_unreadable_input(self):
        rc, _, err = run('dcmicmp', self.ct, self.half)
        self.assertEqual(rc, 82)
        self.assertIn('F: Resolution mismatch: 128 x 128 vs. 64 x 64', err)
        rc, _, err = run('dcmicmp', self.ct, WORK / 'missing.dcm')
        self.assertEqual(rc, 22)
        self.assertIn('Error while loading test image', err)
        rc, _, err = run('dcmicmp', TESTDATA / 'sr_document.dcm', self.ct)
        self.assertEqual(rc, 22)
        self.assertIn('Error while loading reference image', err)

    def test_command_line_errors(self):
        self.assertEqual(run('dcmicmp', self.ct)[0], 1)
        rc, _, err = run('dcmicmp', '+a', '2', self.ct, self.ct)
        self.assertEqual(rc, 1)
        self.assertIn('--amplify only allowed with --save-diff', err)
        rc, _, err = run('dcmicmp', '+cm', '-1', self.ct, self.ct)
        self.assertEqual(rc, 1)
        self.assertIn('Invalid value for option --check-mae (underflow: -1)', err)
        rc, _, err = run('dcmicmp', '+ce', '-1', self.ct, self.ct)
        self.assertIn('Invalid value for option --check-error (-1)', err)

    def test_difference_image(self):
        out = WORK / 'diff.dcm'
        rc, _, err = run('dcmicmp', '+sd', out, '+a', '2.5', self.ct, self.shifted)
        self.assertEqual(rc, 0, err)
        rc, text, err = run('dcmdump', '+P', '0008,0016', '+P', '0028,0100', '+P', '0028,0008',
                            '+P', '0008,2112', out)
        self.assertEqual(rc, 0, err)
        self.assertIn('MultiFrameGrayscaleWordSecondaryCaptureImageStorage'.lower(), text.lower())
        self.assertRegex(text, r'\(0028,0100\) US 16')
        self.assertRegex(text, r'\(0028,0008\) IS \[1\]')
        # Every value: |difference| 10 times 2.5.
        pixels = WORK / 'pixels'
        pixels.mkdir(exist_ok=True)
        rc, _, err = run('dcmdump', '+W', pixels, out)
        raw = b''.join(p.read_bytes() for p in pixels.iterdir())
        self.assertEqual(len(raw), 128 * 128 * 2)
        self.assertEqual(set(raw[0::2]), {25})
        self.assertEqual(set(raw[1::2]), {0})
        # The reference's study is kept, the patient's data copied.
        rc, text, _ = run('dcmdump', '+P', '0020,000d', out)
        rc2, original, _ = run('dcmdump', '+P', '0020,000d', self.ct)
        self.assertEqual(text, original)
        # An unwritable path is exit 40, after the metrics.
        rc, stdout, err = run('dcmicmp', '+sd', WORK / 'no' / 'such' / 'dir.dcm', self.ct, self.ct)
        self.assertEqual(rc, 40)
        self.assertIn('Max Absolute Error', stdout)
        self.assertIn('Error while writing difference image', err)


def main():
    global BIN, TESTDATA, WORK
    BIN, TESTDATA, WORK = (pathlib.Path(p) for p in sys.argv[1:4])
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    unittest.main(argv=[sys.argv[0]], verbosity=1)


if __name__ == '__main__':
    main()

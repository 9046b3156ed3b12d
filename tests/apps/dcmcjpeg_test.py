#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmcjpeg's lossy and pseudo-lossless coding of images deeper than 8 bits (windowing, rescale,
+W options, +pl, 12-bit +es/+ep), the Lossy Image Compression Method values it and dcmcjpls
append, and dcmcjpeg's usage errors, run as a user runs it, on testdata/; checked with dcmkit's
dcmdump and dcmdjpeg. (tests/interop/compare_codecs.py compares the same with DCMTK.)

Usage: dcmcjpeg_test.py <bin dir> <testdata dir> <work dir>"""
import pathlib
import shutil
import struct
import subprocess
import sys
import unittest

BIN = TESTDATA = WORK = None


def run(program, *args):
    result = subprocess.run([str(BIN / program), *map(str, args)], capture_output=True,
                            timeout=120)
    return result.returncode, result.stdout.decode('latin-1'), result.stderr.decode('latin-1')


def dump(path):
    rc, out, err = run('dcmdump', '+L', path)
    assert rc == 0, err
    return out


def value(text, tag):
    """The value of `tag` in dcmdump output ('' when absent)."""
    for line in text.splitlines():
        if line.startswith(tag):
            rest = line[len(tag):].split('#')[0].strip()
            return rest[3:].strip().strip('[]=')
    return ''


def pixels(path):
    directory = WORK / ('pixels-' + path.name)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    rc, _, err = run('dcmdump', '+W', directory, path)
    assert rc == 0, err
    return b''.join(f.read_bytes() for f in sorted(directory.iterdir()))


class DcmcjpegTest(unittest.TestCase):
    source = None

    def encode(self, name, *options):
        out = WORK / f'{name}.dcm'
        rc, _, err = run('dcmcjpeg', *options, self.source, out)
        self.assertEqual(rc, 0, err)
        return out

    def setUp(self):
        self.source = TESTDATA / 'ct_image.dcm'  # signed 16-bit CT, values -896..1167 HU

    def test_baseline_windows_ct_to_8_bits_with_rescale(self):
        # The window is 4096 wide from -1919 (1023 below the smallest value): slope 4095/255.
        text = dump(self.encode('ct-eb', '+eb'))
        self.assertEqual(value(text, '(0028,0100)'), '8')
        self.assertEqual(value(text, '(0028,0101)'), '8')
        self.assertEqual(value(text, '(0028,0103)'), '0')
        self.assertEqual(value(text, '(0028,1052)'), '-1919')
        self.assertEqual(value(text, '(0028,1053)'), '16.05882')
        self.assertEqual(value(text, '(0028,1054)'), 'HU')
        self.assertEqual(value(text, '(0028,0120)'), '')  # Pixel Padding Value removed
        self.assertEqual(value(text, '(0028,2110)'), '01')
        self.assertTrue(value(text, '(0008,0008)').startswith('DERIVED\\PRIMARY'))
        self.assertIn('Lossy compression with JPEG baseline, IJG quality factor 90, '
                      'compression ratio', value(text, '(0008,2111)'))

    def test_extended_codes_12_bits(self):
        text = dump(self.encode('ct-ee', '+ee'))
        self.assertEqual(value(text, '(0028,0100)'), '16')
        self.assertEqual(value(text, '(0028,0101)'), '12')
        self.assertIn('extended sequential 12 bit', value(text, '(0008,2111)'))

    def test_spectral_selection_and_progressive_code_12_bits(self):
        # As DCMTK, +es and +ep code images deeper than 8 bits with 12 bits (the same window
        # as +ee); the quantized coefficients are those of +ee, so the decoded pixels are too.
        sequential = WORK / 'ct-ee-back.dcm'
        rc, _, err = run('dcmdjpeg', self.encode('ct-ee-ref', '+ee'), sequential)
        self.assertEqual(rc, 0, err)
        for option, syntax, process in (('+es', 'JPEGSpectralSelection:', 'spectral selection'),
                                        ('+ep', 'JPEGFullProgression:', 'full progression')):
            with self.subTest(option=option):
                out = self.encode('ct' + option[1:], option)
                text = dump(out)
                self.assertTrue(value(text, '(0002,0010)').startswith(syntax))
                self.assertEqual(value(text, '(0028,0101)'), '12')
                self.assertIn(process + ' 12 bit', value(text, '(0008,2111)'))
                back = WORK / f'ct-{option[1:]}-back.dcm'
                rc, _, err = run('dcmdjpeg', out, back)
                self.assertEqual(rc, 0, err)
                self.assertEqual(pixels(back), pixels(sequential))

    def test_compression_methods_pair_up_with_earlier_ratios(self):
        # DCMTK pads Lossy Image Compression Method with empty values so that the new method
        # stands beside the new ratio; more methods than ratios are kept as they are.
        source = TESTDATA / 'ct_23x38_implicit.dcm'  # unsigned, so JPEG-LS near-lossless too
        for ratios, methods, program, option, expected in (
                ('5\\10', None, 'dcmcjpeg', '+eb', '\\\\ISO_10918_1'),
                ('5\\10', 'ISO_10918_1', 'dcmcjpls', '+en', 'ISO_10918_1\\\\ISO_14495_1'),
                ('5', 'A\\B\\C', 'dcmcjpeg', '+eb', 'A\\B\\C\\ISO_10918_1'),
                ('', 'A', 'dcmcjpeg', '+eb', 'A\\ISO_10918_1'),
                ('7', '', 'dcmcjpls', '+en', '\\ISO_14495_1')):
            with self.subTest(ratios=ratios, methods=methods, program=program):
                marked = WORK / 'marked.dcm'
                shutil.copyfile(source, marked)
                args = ['-nb', '-i', f'(0028,2112)={ratios}']
                if methods is not None:
                    args += ['-i', f'(0028,2114)={methods}']
                rc, _, err = run('dcmodify', *args, marked)
                self.assertEqual(rc, 0, err)
                out = WORK / 'marked-out.dcm'
                rc, _, err = run(program, option, marked, out)
                self.assertEqual(rc, 0, err)
                text = dump(out)
                self.assertEqual(value(text, '(0028,2114)'), expected)
                new_ratios = value(text, '(0028,2112)').split('\\')
                self.assertEqual(new_ratios[:-1], ratios.split('\\') if ratios else [])

    def test_pseudo_lossless_keeps_the_values_and_is_marked_lossy(self):
        out = self.encode('ct-pl', '+pl')
        text = dump(out)
        self.assertIn('Pseudo-Lossless JPEG compression, selection value 1',
                      value(text, '(0008,2111)'))
        self.assertEqual(value(text, '(0028,2110)'), '01')
        self.assertEqual(value(text, '(0028,2114)'), 'ISO_10918_1')
        self.assertEqual(value(text, '(0028,1052)'), '-1919')
        self.assertEqual(value(text, '(0028,1053)'), '1')
        # Decoded and rescaled, the values are the original modality values (lossless).
        back = WORK / 'ct-pl-back.dcm'
        rc, _, err = run('dcmdjpeg', out, back)
        self.assertEqual(rc, 0, err)
        original = pixels(self.source)
        decoded = pixels(back)
        a = struct.unpack(f'<{len(original) // 2}h', original)
        b = struct.unpack(f'<{len(decoded) // 2}H', decoded)
        self.assertEqual([v - 1024 for v in a], [v - 1919 for v in b])

    def test_window_options_make_monochrome2_without_rescale(self):
        text = dump(self.encode('ct-wm', '+eb', '+Wm'))
        self.assertEqual(value(text, '(0028,0004)'), 'MONOCHROME2')
        self.assertEqual(value(text, '(0028,1052)'), '0')
        self.assertEqual(value(text, '(0028,1053)'), '1')
        self.assertEqual(value(text, '(0028,1050)'), '')
        text = dump(self.encode('ct-ww', '+eb', '+Ww', '40', '400'))
        self.assertEqual(value(text, '(0028,0101)'), '8')

    def test_missing_window_fails_as_dcmtk(self):
        out = WORK / 'ct-wi.dcm'
        rc, _, err = run('dcmcjpeg', '+eb', '+Wi', '1', self.source, out)
        self.assertEqual(rc, 1)
        self.assertIn('no conversion to transfer syntax', err)
        self.assertFalse(out.exists())

    def test_source_application_entity_title_is_kept(self):
        # As DCMTK's dcmcjpeg and dcmdjpeg, the meta information keeps (0002,0016) CLUNIE1.
        self.assertEqual(value(dump(self.source), '(0002,0016)'), 'CLUNIE1')
        out = self.encode('ct-ae', '+eb')
        self.assertEqual(value(dump(out), '(0002,0016)'), 'CLUNIE1')
        back = WORK / 'ct-ae-back.dcm'
        rc, _, err = run('dcmdjpeg', out, back)
        self.assertEqual(rc, 0, err)
        self.assertEqual(value(dump(back), '(0002,0016)'), 'CLUNIE1')
        # From a meta header of another version (01\01 here), DCMTK drops it; so do we.
        version = b'\x02\x00\x01\x00OB\x00\x00\x02\x00\x00\x00\x00\x01'
        data = self.source.read_bytes()
        self.assertIn(version, data)
        other = WORK / 'ct-version-11.dcm'
        other.write_bytes(data.replace(version, version[:-2] + b'\x01\x01', 1))
        back = WORK / 'ct-version-11-back.dcm'
        rc, _, err = run('dcmdjpeg', other, back)
        self.assertEqual(rc, 0, err)
        self.assertEqual(value(dump(back), '(0002,0016)'), '')

    def test_usage_errors(self):
        out = WORK / 'usage.dcm'
        for options, message in (
                (['+Wm'], '--min-max-window not allowed with --true-lossless'),
                (['+pl', '+eb'], '--pseudo-lossless only allowed with --encode-lossless-sv1 '
                                 'or --encode-lossless'),
                (['+s4', '+pl'], '--nonstd-444 not allowed with --pseudo-lossless'),
                (['+bs', '+ee'], '--bits-force-16 not allowed with --encode-extended'),
                (['+sm', '5'], '--smooth not allowed with --true-lossless'),
                (['+eb', '+Wh', '101'], 'Invalid value for option --histogram-window '
                                        '(overflow: 101)')):
            with self.subTest(options=options):
                rc, _, err = run('dcmcjpeg', *options, self.source, out)
                self.assertEqual(rc, 1)
                self.assertIn('error: ' + message, err)


def main():
    global BIN, TESTDATA, WORK
    BIN, TESTDATA, WORK = (pathlib.Path(a) for a in sys.argv[1:4])
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    result = unittest.main(argv=[sys.argv[0]], exit=False, verbosity=2).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())

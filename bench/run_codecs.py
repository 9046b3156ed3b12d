#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Codec benchmark: dcmkit's and DCMTK's decompression programs on the same files, in one run.

Makes (once, in <work dir>) two synthetic 200-frame 512x512 multi-frame images with realistic
content (bench/make_synthetic phantom8/phantom16: a moving CT-like phantom with noise) and
compresses them with DCMTK's own encoders:
  - 8-bit,  JPEG Baseline (dcmcjpeg +eb, quality 90)      -> decompressed by dcmdjpeg
  - 16-bit, JPEG-LS lossless (dcmcjpls, its defaults)      -> decompressed by dcmdjpls
Then times each decompression (best of --repeat runs), reads the program's peak resident
memory from the kernel (bench/measure), prints the ratios dcmkit/DCMTK, and checks that both
programs wrote identical Pixel Data. dcmkit decodes frames on all cores by default; it is also
run with DCMKIT_THREADS=1 to show the single-core figure.

Usage: run_codecs.py --build <build dir> [--work <dir>] [--repeat N] [--frames N]"""
import argparse
import os
import pathlib
import subprocess
import sys

DCMTK = pathlib.Path('/usr/bin')


def measure(measurer, command, repeat, env=None):
    """Best wall time (s) and peak RSS (MiB) of `command`, run through bench/measure."""
    best_wall = None
    peak_rss = 0
    for _ in range(repeat):
        result = subprocess.run([measurer, *command], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            sys.exit(f'failed: {" ".join(command[:4])} ...: {result.stderr}')
        wall, rss_kib = result.stdout.split()
        best_wall = float(wall) if best_wall is None else min(best_wall, float(wall))
        peak_rss = max(peak_rss, int(rss_kib))
    return best_wall, peak_rss / 1024.0


def pixel_data(path):
    """The value of the top-level (7FE0,0010) of an explicit VR little endian file (the last
    element of the data set, as both programs write it)."""
    data = path.read_bytes()
    at = data.rfind(b'\xe0\x7f\x10\x00OW\x00\x00')
    if at < 0:
        sys.exit(f'{path}: no native Pixel Data')
    length = int.from_bytes(data[at + 8:at + 12], 'little')
    return data[at + 12:at + 12 + length]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--build', required=True)
    parser.add_argument('--work', default='/tmp/dcmkit-bench')
    parser.add_argument('--repeat', type=int, default=2)
    parser.add_argument('--frames', type=int, default=200)
    args = parser.parse_args()
    build = pathlib.Path(args.build)
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    generator = str(build / 'bench' / 'make_synthetic')
    measurer = str(build / 'bench' / 'measure')
    cases = []
    for bits, encoder, options, decoder, label in (
            (8, 'dcmcjpeg', ['+eb'], 'dcmdjpeg', 'JPEG baseline, 8-bit'),
            (16, 'dcmcjpls', [], 'dcmdjpls', 'JPEG-LS lossless, 16-bit')):
        native = work / f'phantom{bits}_{args.frames}.dcm'
        compressed = work / f'{encoder}_{bits}_{args.frames}.dcm'
        if not native.exists():
            subprocess.run([generator, f'phantom{bits}', str(native), str(args.frames)],
                           check=True)
        if not compressed.exists():
            subprocess.run([str(DCMTK / encoder), *options, str(native), str(compressed)],
                           check=True)
        cases.append((f'{label}: {args.frames} frames '
                      f'({compressed.stat().st_size >> 20} MiB)', compressed, decoder))

    print(f'{"case":44} {"program":18} {"s":>7} {"ratio":>6} {"MiB":>7} {"ratio":>6} pixels')
    single = dict(os.environ, DCMKIT_THREADS='1')
    for name, compressed, decoder in cases:
        out_theirs = work / f'{decoder}_dcmtk.dcm'
        out_ours = work / f'{decoder}_dcmkit.dcm'
        dcmtk_wall, dcmtk_rss = measure(
            measurer, [str(DCMTK / decoder), str(compressed), str(out_theirs)], args.repeat)
        expected = pixel_data(out_theirs)
        print(f'{name:44} {"DCMTK " + decoder:18} {dcmtk_wall:7.3f} {1:6.3f} {dcmtk_rss:7.1f} '
              f'{1:6.3f}')
        for label, env in (('dcmkit', None), ('dcmkit 1 thread', single)):
            wall, rss = measure(
                measurer, [str(build / 'apps' / decoder), str(compressed), str(out_ours)],
                args.repeat, env)
            same = pixel_data(out_ours) == expected
            print(f'{"":44} {label:18} {wall:7.3f} {wall / dcmtk_wall:6.3f} {rss:7.1f} '
                  f'{rss / dcmtk_rss:6.3f} {"identical" if same else "DIFFERENT"}')
            if not same:
                sys.exit(f'{decoder}: dcmkit and DCMTK decoded different pixels')
        out_theirs.unlink()
        out_ours.unlink()


if __name__ == '__main__':
    main()

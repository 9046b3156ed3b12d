#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcm2pnm benchmark: dcmkit's and DCMTK's dcm2pnm on the same synthetic files, in one run.

Makes (once, in <work dir>) a 600-frame 512x512 16-bit multi-frame file (~300 MB) and a series of
CT images of 512x512 with make_synthetic, then times each program (best of --repeat runs) and
reads its peak resident memory from the kernel (bench/measure), and prints the ratios
dcmkit/DCMTK for
  - all frames of the multi-frame file to PNG (+Fa +on), each frame a file;
  - one CT image to PNG (+on).
The outputs of both programs are compared too: identical apart from the PNG tEXt/tIME chunks
(DCMTK writes its name and the time there).

Usage: run_dcm2pnm.py --build <build dir> [--work <dir>] [--repeat N]"""
import argparse
import pathlib
import shutil
import subprocess
import sys


def measure(measurer, command, repeat, clean):
    """Best wall time (s) and peak RSS (MiB) of `command`, run through bench/measure."""
    best_wall = None
    peak_rss = 0
    for _ in range(repeat):
        clean()
        result = subprocess.run([measurer, *command], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f'failed: {" ".join(command[:4])} ...: {result.stderr}')
        wall, rss_kib = result.stdout.split()
        best_wall = float(wall) if best_wall is None else min(best_wall, float(wall))
        peak_rss = max(peak_rss, int(rss_kib))
    return best_wall, peak_rss / 1024.0


def fresh(directory):
    def clean():
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
    return clean


def png_without_meta(data):
    """The PNG's chunks without tEXt and tIME (DCMTK names itself and the time there)."""
    out = [data[:8]]
    at = 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at:at + 4], 'big')
        kind = data[at + 4:at + 8]
        if kind not in (b'tEXt', b'tIME'):
            out.append(data[at:at + 12 + length])
        at += 12 + length
    return b''.join(out)


def same_outputs(a, b):
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    return all(png_without_meta((a / n).read_bytes()) == png_without_meta((b / n).read_bytes())
               for n in names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--build', required=True)
    parser.add_argument('--work', default='/tmp/dcmkit-bench')
    parser.add_argument('--repeat', type=int, default=2)
    parser.add_argument('--frames', type=int, default=600)
    parser.add_argument('--series', type=int, default=500)
    args = parser.parse_args()
    build = pathlib.Path(args.build)
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    generator = build / 'bench' / 'make_synthetic'
    multiframe = work / f'multiframe_{args.frames}.dcm'
    series = work / f'series_{args.series}'
    if not multiframe.exists():
        subprocess.run([str(generator), 'multiframe', str(multiframe), str(args.frames)], check=True)
    if not series.exists():
        subprocess.run([str(generator), 'series', str(series), str(args.series)], check=True)
    ct = sorted(series.glob('*.dcm'))[0]
    ours = str(build / 'apps' / 'dcm2pnm')
    theirs = '/usr/bin/dcm2pnm'
    measurer = str(build / 'bench' / 'measure')
    out_theirs = work / 'dcm2pnm_dcmtk'
    out_ours = work / 'dcm2pnm_dcmkit'
    cases = [
        (f'all {args.frames} frames to PNG ({multiframe.stat().st_size >> 20} MiB)',
         ['+Fa', '+on', str(multiframe)]),
        ('one CT image to PNG', ['+on', str(ct)]),
    ]
    print(f'{"case":40} {"DCMTK s":>8} {"dcmkit s":>9} {"ratio":>6} {"DCMTK MiB":>10} '
          f'{"dcmkit MiB":>11} {"ratio":>6} identical')
    for name, arguments in cases:
        dcmtk_wall, dcmtk_rss = measure(measurer, [theirs, *arguments, str(out_theirs / 'f')],
                                        args.repeat, fresh(out_theirs))
        kit_wall, kit_rss = measure(measurer, [ours, *arguments, str(out_ours / 'f')],
                                    args.repeat, fresh(out_ours))
        print(f'{name:40} {dcmtk_wall:8.3f} {kit_wall:9.3f} {kit_wall / dcmtk_wall:6.3f} '
              f'{dcmtk_rss:10.1f} {kit_rss:11.1f} {kit_rss / dcmtk_rss:6.3f} '
              f'{"yes" if same_outputs(out_theirs, out_ours) else "NO"}')
    shutil.rmtree(out_theirs, ignore_errors=True)
    shutil.rmtree(out_ours, ignore_errors=True)


if __name__ == '__main__':
    main()

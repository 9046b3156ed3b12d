#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""dcmdump benchmark: dcmkit's and DCMTK's dcmdump on the same synthetic files, in one run.

Makes (once, in <work dir>) a 600-frame 512x512 16-bit multi-frame file (~300 MB) and a series of
500 CT images of 512x512 (512 KB each) with make_synthetic, then times each program (best of
--repeat runs) and reads its peak resident memory from the kernel (wait4 rusage), and prints the
ratios dcmkit/DCMTK.

Usage: run_dcmdump.py --build <build dir> [--work <dir>] [--repeat N]"""
import argparse
import pathlib
import subprocess
import sys


def measure(measurer, command, repeat):
    """Best wall time (s) and peak RSS (MiB) of `command`, run through bench/measure (which
    spawns without copying this Python process, so the RSS is the program's own)."""
    best_wall = None
    peak_rss = 0
    for _ in range(repeat):
        result = subprocess.run([measurer, *command], capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f'failed: {" ".join(command[:3])} ...: {result.stderr}')
        wall, rss_kib = result.stdout.split()
        best_wall = float(wall) if best_wall is None else min(best_wall, float(wall))
        peak_rss = max(peak_rss, int(rss_kib))
    return best_wall, peak_rss / 1024.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--build', required=True)
    parser.add_argument('--work', default='/tmp/dcmkit-bench')
    parser.add_argument('--repeat', type=int, default=3)
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
    series_files = sorted(str(p) for p in series.glob('*.dcm'))
    ours = str(build / 'apps' / 'dcmdump')
    measurer = str(build / 'bench' / 'measure')
    theirs = '/usr/bin/dcmdump'
    cases = [
        (f'multi-frame ({args.frames} frames, {multiframe.stat().st_size >> 20} MiB)', [str(multiframe)]),
        (f'series ({len(series_files)} files, one process)', series_files),
    ]
    print(f'{"case":44} {"DCMTK s":>8} {"dcmkit s":>9} {"ratio":>6} {"DCMTK MiB":>10} {"dcmkit MiB":>11} {"ratio":>6}')
    for name, files in cases:
        dcmtk_wall, dcmtk_rss = measure(measurer, [theirs, *files], args.repeat)
        kit_wall, kit_rss = measure(measurer, [ours, *files], args.repeat)
        print(f'{name:44} {dcmtk_wall:8.3f} {kit_wall:9.3f} {kit_wall / dcmtk_wall:6.3f} '
              f'{dcmtk_rss:10.1f} {kit_rss:11.1f} {kit_rss / dcmtk_rss:6.3f}')
    # Scripts often call dcmdump once per file: start-up cost matters there (DCMTK reads its
    # dictionary files at every start). Peak RSS is not comparable here (it is the shell's).
    loop = 'for f in "$@"; do "$0" "$f"; done'
    dcmtk_wall, _ = measure(measurer, ['/bin/sh', '-c', loop, theirs, *series_files], args.repeat)
    kit_wall, _ = measure(measurer, ['/bin/sh', '-c', loop, ours, *series_files], args.repeat)
    name = f'series ({len(series_files)} files, one process each)'
    print(f'{name:44} {dcmtk_wall:8.3f} {kit_wall:9.3f} {kit_wall / dcmtk_wall:6.3f} '
          f'{"-":>10} {"-":>11} {"-":>6}')


if __name__ == '__main__':
    main()

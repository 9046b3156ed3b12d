#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Network benchmark: storescu -> storescp over loopback, files written by the receiver, for
dcmkit -> dcmkit and DCMTK -> DCMTK in one run, with a plain socket copy of the same files as
the baseline.

Cases (best of --repeat runs each):
  series      500 CT images of 512x512x16 bit (512 KiB each), one association
  multiframe  one 600-frame object (300 MiB); the receiver's peak RSS is reported too

The wall time is the sender's (association set-up to release); each receiver runs in the
background on a free port and writes into a fresh directory per run. Peak RSS is the
receiver's VmHWM from /proc. Both sides run with their default options (16 KiB PDUs) unless
--pdu is given.

Usage: run_network.py --build <build dir> [--work <dir>] [--repeat N] [--pdu BYTES]"""
import argparse
import pathlib
import shutil
import socket
import subprocess
import sys
import time

DCMTK = pathlib.Path('/usr/bin')


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_listening(port, process):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f'receiver exited early ({process.returncode})')
        with socket.socket() as s:
            if s.connect_ex(('127.0.0.1', port)) == 0:
                return
        time.sleep(0.01)
    sys.exit('receiver does not listen')


def peak_rss_mib(pid):
    """The process's peak resident set (VmHWM) so far, from the kernel."""
    for line in pathlib.Path(f'/proc/{pid}/status').read_text().splitlines():
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024.0
    return 0.0


def transfer(scp, scu, files, out_dir, pdu):
    """Runs one transfer; returns (sender seconds, receiver peak RSS MiB)."""
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    port = free_port()
    pdu_args = ['-pdu', str(pdu)] if pdu else []
    receiver = subprocess.Popen([str(scp), *pdu_args, '-od', str(out_dir), str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(port, receiver)
    start = time.monotonic()
    sent = subprocess.run([str(scu), *pdu_args, 'localhost', str(port), *map(str, files)],
                          capture_output=True, text=True)
    seconds = time.monotonic() - start
    rss = peak_rss_mib(receiver.pid)
    receiver.terminate()
    receiver.wait(timeout=60)
    if sent.returncode != 0:
        sys.exit(f'{scu} failed: {sent.stderr}')
    stored = sum(1 for p in out_dir.iterdir() if not p.name.startswith('.'))
    if stored != len(files):
        sys.exit(f'{scp}: {stored} files stored, {len(files)} sent')
    return seconds, rss


def socket_copy(tool, files, out_dir):
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    result = subprocess.run([str(tool), str(out_dir), *map(str, files)], capture_output=True,
                            text=True, check=True)
    return float(result.stdout.split()[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--build', required=True)
    parser.add_argument('--work', default='/tmp/dcmkit-bench')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--series', type=int, default=500)
    parser.add_argument('--frames', type=int, default=600)
    parser.add_argument('--pdu', type=int, default=0)
    args = parser.parse_args()
    build = pathlib.Path(args.build).resolve()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    generator = build / 'bench' / 'make_synthetic'
    copier = build / 'bench' / 'socket_copy'
    series = work / f'series_{args.series}'
    multiframe = work / f'multiframe_{args.frames}.dcm'
    if not series.exists():
        subprocess.run([str(generator), 'series', str(series), str(args.series)], check=True)
    if not multiframe.exists():
        subprocess.run([str(generator), 'multiframe', str(multiframe), str(args.frames)],
                       check=True)
    series_files = sorted(series.glob('*.dcm'))
    cases = [('series', series_files), ('multiframe', [multiframe])]
    peers = [('dcmkit', build / 'apps' / 'storescp', build / 'apps' / 'storescu'),
             ('DCMTK', DCMTK / 'storescp', DCMTK / 'storescu')]
    out_dir = work / 'received'
    print(f'{"case":<12} {"peers":<8} {"seconds":>9} {"MB/s":>9} {"rx RSS MiB":>11}')
    results = {}
    for case, files in cases:
        size = sum(p.stat().st_size for p in files)
        for name, scp, scu in peers:
            runs = [transfer(scp, scu, files, out_dir, args.pdu)
                    for _ in range(args.repeat)]
            seconds = min(r[0] for r in runs)
            rss = max(r[1] for r in runs)
            results[(case, name)] = seconds
            print(f'{case:<12} {name:<8} {seconds:9.3f} {size / seconds / 1e6:9.1f} {rss:11.1f}',
                  flush=True)
        copy = min(socket_copy(copier, files, out_dir) for _ in range(args.repeat))
        results[(case, 'socket')] = copy
        print(f'{case:<12} {"socket":<8} {copy:9.3f} {size / copy / 1e6:9.1f} {"-":>11}',
              flush=True)
    shutil.rmtree(out_dir, ignore_errors=True)
    print()
    for case, _ in cases:
        ours = results[(case, 'dcmkit')]
        print(f'{case}: dcmkit is {results[(case, "DCMTK")] / ours:.1f}x faster than DCMTK; '
              f'dcmkit reaches {100 * results[(case, "socket")] / ours:.0f}% of the socket copy')


if __name__ == '__main__':
    main()

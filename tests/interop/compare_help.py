#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Each program's --help against DCMTK 3.6.7's, byte for byte except the first line (the banner
names dcmkit and its version). Exit 77 (skipped) without DCMTK.

Usage: compare_help.py <our program> [<our program> ...]   (DCMTK's is /usr/bin/<basename>)"""
import difflib
import pathlib
import subprocess
import sys


def help_text(program):
    result = subprocess.run([program, '--help'], capture_output=True, timeout=60)
    return result.returncode, result.stdout.decode('latin-1').split('\n', 1)[-1]


def main():
    programs = sys.argv[1:]
    theirs_dir = pathlib.Path('/usr/bin')
    if not (theirs_dir / 'dcmdump').exists():
        print('skipped: DCMTK is not installed')
        return 77
    failures = 0
    for ours in programs:
        name = pathlib.Path(ours).name
        theirs = theirs_dir / name
        if not theirs.exists():
            print(f'{name}: no DCMTK program to compare with')
            failures += 1
            continue
        rc_a, a = help_text(ours)
        rc_b, b = help_text(str(theirs))
        if rc_a != rc_b or a != b:
            failures += 1
            print(f'{name}: --help differs from DCMTK\'s (exit {rc_a} vs {rc_b})')
            sys.stdout.writelines(difflib.unified_diff(b.splitlines(True), a.splitlines(True),
                                                       'dcmtk', 'dcmkit'))
        else:
            print(f'{name}: same --help as DCMTK')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

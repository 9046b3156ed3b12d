# SPDX-License-Identifier: BSD-3-Clause
"""What the scripts that compare a dcmkit program with DCMTK's share: the known-differences list,
DCMTK's dcmdump of an output (attributes as lines, pixel data as bytes) and the tally that turns
results into failures. Imported by the compare_*.py scripts next to it."""
import pathlib
import shutil
import struct
import subprocess


def load_known(path):
    """The known-differences list: {(file name, options): reason}, from tab-separated lines
    `name<TAB>options<TAB>reason` ('#' starts a comment line)."""
    known = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.strip() or line.startswith('#'):
            continue
        name, options, reason = line.split('\t')
        known[(name, options)] = reason
    return known


def fresh_dir(path):
    """`path` as an empty directory."""
    directory = pathlib.Path(path)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def dcmdump_lines(path, ignored, strip_comments=False, rewrite=None):
    """DCMTK's dcmdump of `path` as lines, without comments, empty lines and the lines that
    `ignored` (a compiled pattern) matches. The Pixel Data line keeps only tag and VR: the value
    is compared as bytes (pixel_bytes). With strip_comments the '#' part (length, VM, name) goes
    too; rewrite(line) may change what remains."""
    result = subprocess.run(['dcmdump', '-q', '+L', str(path)], capture_output=True, timeout=300)
    lines = []
    for line in result.stdout.decode('latin-1').splitlines():
        if line.startswith('#') or not line.strip() or ignored.match(line):
            continue
        if '(7fe0,0010)' in line:
            line = line[:line.find('(7fe0,0010)') + len('(7fe0,0010) OW')]
        if strip_comments and '#' in line:
            line = line[:line.find('#')].rstrip()
        lines.append(rewrite(line) if rewrite else line)
    return lines


def pixel_bytes(path, directory):
    """The pixel data of `path` as DCMTK's dcmdump +W writes it (one file per value or
    fragment), joined."""
    directory = fresh_dir(directory)
    subprocess.run(['dcmdump', '-q', '+W', str(directory), str(path)], capture_output=True,
                   timeout=300)
    return b''.join(p.read_bytes() for p in sorted(directory.iterdir()))


class Tally:
    """Counts results ('same', 'differs' and the script's own kinds) against the known list.
    A difference the list names is 'known'; any other is a failure, printed. A listed
    difference that never occurred is a failure too (stale_entries), so the list stays true."""

    def __init__(self, known, kinds=('same', 'differs')):
        self.known = known
        self.counts = {kind: 0 for kind in (*kinds, 'known')}
        self.failures = 0
        self.seen = set()

    def add(self, name, label, status, detail, keys=None):
        """One result; `keys` are the list entries that may name it, most specific first
        (default: (name, label))."""
        hit = next((k for k in (keys or [(name, label)]) if k in self.known), None)
        if status == 'differs' and hit:
            self.counts['known'] += 1
            self.seen.add(hit)
            return
        self.counts[status] = self.counts.get(status, 0) + 1
        if status == 'differs':
            self.failures += 1
            print(f'DIFFERS {name} [{label}]: {detail[:400]}')

    def check_stale(self, still_listed=lambda key: False):
        """Reports the entries no result used, except those still_listed(key) keeps."""
        for key in self.known:
            if key not in self.seen and not still_listed(key):
                print(f'listed difference no longer occurs: {key[0]} [{key[1]}]')
                self.failures += 1


def element(group, elem, vr, value):
    """One explicit VR little endian element (value padded to even length; OB/OW long form)."""
    if isinstance(value, str):
        value = value.encode()
    if len(value) % 2:
        value += b'\0' if vr in (b'UI', b'OB') else b' '
    if vr in (b'OB', b'OW'):
        return struct.pack('<HHcc', group, elem, vr[:1], vr[1:]) + b'\0\0' + \
            struct.pack('<I', len(value)) + value
    return struct.pack('<HH', group, elem) + vr + struct.pack('<H', len(value)) + value

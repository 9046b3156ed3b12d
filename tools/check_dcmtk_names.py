#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Compares dcmkit's DCMTK tag names (dcmtk_name(), dcmtk_tag_name()) and pseudo-VRs
(dcmtk_vr_name()) with what an installed dcmdump really prints.

dcmkit derives the names from DCMTK's dicom.dic (2026b) in dcmdata/data/. The DCMTK on a machine
(3.6.7 here) has an older dictionary, so some names differ; this script lists them so that the
differences are known and documented. DCMTK is used only as an oracle: the script writes a text
dump with one empty element per dictionary entry (and one instance of each repeating entry, plus
the generic group length / private creator cases), converts it with dump2dcm in Explicit and in
Implicit VR Little Endian, runs dcmdump on both and compares:
  * the name after '#' with the name dcmkit would print (from tools/gen_dictionary.py's model,
    i.e. exactly what the generated tables contain);
  * in the Implicit VR file, where the VR comes from DCMTK's dictionary, the VR column with
    dcmkit's dcmtk_vr_name().

Not part of CI (it needs DCMTK). Usage:
    tools/check_dcmtk_names.py [--dcmdump dcmdump] [--dump2dcm dump2dcm] [--examples N]
                               [--list FILE]   (write every difference as TSV)
"""
import argparse
import collections
import importlib.util
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location('gen_dictionary', ROOT / 'tools' / 'gen_dictionary.py')
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

LINE = re.compile(r'^\s*\(([0-9a-fA-F]{4}),([0-9a-fA-F]{4})\) (\w\w) .*#\s*\d+,\s*\d+ (.*)$')


def instances(row, exact_tags: set) -> list:
    """Up to two tags that only `row` (a repeating entry) claims: the lowest and the highest."""
    varying = ~row.mask & 0xFFFFFFFF & ~0x00010000 if 'x' in row.pattern[1:5] else \
        ~row.mask & 0xFFFFFFFF
    bits = [bit for bit in range(32) if varying >> bit & 1]

    def tag_of(n):
        value = row.tag
        for i, bit in enumerate(bits):
            if n >> i & 1:
                value |= 1 << bit
        return value

    def usable(tag):
        return tag not in exact_tags and tag & 0xFFFF != 0

    found = []
    for n in range(1 << len(bits)):
        if usable(tag_of(n)):
            found.append(tag_of(n))
            break
    for n in reversed(range(1 << len(bits))):
        if usable(tag_of(n)):
            if tag_of(n) not in found:
                found.append(tag_of(n))
            break
    return found


def dcmtk_tag_name(tag: int, rows_exact: dict, rows_repeating: list, generic: dict) -> str:
    """Python twin of dcmkit::dcmdata::dcmtk_tag_name()."""
    if tag in rows_exact:
        return rows_exact[tag].dcmtk_name
    group, element = tag >> 16, tag & 0xFFFF
    if element != 0:
        for row in rows_repeating:
            if row.matches(tag):
                return row.dcmtk_name
    odd = group % 2 == 1
    illegal = odd and group < 0x0009
    if element == 0:
        if illegal:
            return generic['illegal_group_length']
        return generic['private_group_length'] if odd else generic['generic_group_length']
    if odd and 0x0010 <= element <= 0x00FF:
        return generic['illegal_private_creator'] if illegal else generic['private_creator']
    return gen.DCMTK_UNKNOWN_TAG


def expected_dcmtk_vr(tag: int, rows_exact: dict, rows_repeating: list) -> str:
    row = rows_exact.get(tag)
    if row is None and tag & 0xFFFF != 0:
        row = next((r for r in rows_repeating if r.matches(tag)), None)
    if row is None:
        return 'UL' if tag & 0xFFFF == 0 else 'LO'  # group lengths and private creators
    return row.dcmtk_vr


def run_dcmdump(dump_text: str, implicit: bool, dcmdump: str, dump2dcm: str) -> dict:
    """{tag: (vr, name)} as dcmdump prints them for the file made from `dump_text`."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = pathlib.Path(tmp) / 'all.dump'
        dcm = pathlib.Path(tmp) / 'all.dcm'
        dump.write_text(dump_text, encoding='ascii')
        xfer = '--write-xfer-implicit' if implicit else '--write-xfer-little'
        subprocess.run([dump2dcm, '--quiet', xfer, str(dump), str(dcm)], check=True)
        out = subprocess.run([dcmdump, '--quiet', '+L', str(dcm)], capture_output=True,
                             text=True, check=True).stdout
    printed = {}
    for line in out.splitlines():
        match = LINE.match(line)
        if match:
            tag = int(match.group(1) + match.group(2), 16)
            printed.setdefault(tag, (match.group(3), match.group(4).strip()))
    return printed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dcmdump', default='dcmdump')
    parser.add_argument('--dump2dcm', default='dump2dcm')
    parser.add_argument('--examples', type=int, default=12)
    parser.add_argument('--list', type=pathlib.Path, help='write all differences here (TSV)')
    args = parser.parse_args()

    rows, generic, _stats = gen.read_tags(ROOT / 'dcmdata' / 'data')
    rows_exact = {row.tag: row for row in rows if not row.repeating}
    rows_repeating = [row for row in rows if row.repeating]

    # Tags to test. Items and delimiters are structure, not elements: they get a small sequence.
    tags = {}
    for row in rows:
        if not row.vrs:
            continue
        if row.repeating:
            for tag in instances(row, set(rows_exact)):
                tags[tag] = row.vrs[0]
        else:
            tags[row.tag] = row.vrs[0]
    # DCMTK's generic entries: group lengths (generic, private, illegal), private creators
    # (private, illegal), a private data element and tags no dictionary knows.
    for tag, vr in ((0x00120000, 'UL'), (0x00090000, 'UL'), (0x00030000, 'UL'),
                    (0x00090010, 'LO'), (0x000900FF, 'LO'), (0x00030010, 'LO'),
                    (0x00091010, 'LO'), (0x60013000, 'OW'), (0x00080003, 'LO')):
        tags[tag] = vr

    lines = []
    for tag in sorted(tags):
        vr = tags[tag]
        text = f'({tag >> 16:04x},{tag & 0xFFFF:04x})'
        if tag == 0x0040A730:  # one (empty) item, so that the item tags are printed too
            lines += [f'{text} SQ (Sequence with undefined length #=1)',
                      '(fffe,e000) na (Item with undefined length #=0)',
                      '(fffe,e00d) na (ItemDelimitationItem)',
                      '(fffe,e0dd) na (SequenceDelimitationItem)']
        elif vr == 'SQ':
            lines.append(f'{text} SQ (Sequence with explicit length #=0)')
            lines.append('(fffe,e0dd) na (SequenceDelimitationItem)')
        elif tag == 0x7FE00010:
            lines.append(f'{text} {vr} 0000')  # dump2dcm cannot write empty Pixel Data
        else:
            lines.append(f'{text} {vr} []')
    dump_text = '\n'.join(lines) + '\n'

    explicit = run_dcmdump(dump_text, False, args.dcmdump, args.dump2dcm)
    implicit = run_dcmdump(dump_text, True, args.dcmdump, args.dump2dcm)

    differences = []
    missing = []
    same = 0
    for tag in sorted(set(tags) | {0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD}):
        if tag not in explicit:
            missing.append(tag)
            continue
        ours = dcmtk_tag_name(tag, rows_exact, rows_repeating, generic)
        theirs = explicit[tag][1]
        if ours == theirs:
            same += 1
        else:
            kind = 'unknown to installed DCMTK' if theirs == gen.DCMTK_UNKNOWN_TAG else 'renamed'
            differences.append((tag, kind, ours, theirs))

    vr_same = 0
    vr_differences = []
    for tag in sorted(tags):
        if tag not in implicit or explicit.get(tag, ('', ''))[1] == gen.DCMTK_UNKNOWN_TAG:
            continue  # unknown tags are UN in Implicit VR; nothing to compare
        ours = expected_dcmtk_vr(tag, rows_exact, rows_repeating)
        theirs = implicit[tag][0]
        if ours == theirs:
            vr_same += 1
        else:
            vr_differences.append((tag, ours, theirs))

    version = subprocess.run([args.dcmdump, '--version'], capture_output=True,
                             text=True).stdout.splitlines()
    version = next((line.strip('$ ') for line in version if line.startswith('$dcmtk')), '?')
    print(f'{version}: {len(tags)} tags written, {len(explicit)} printed')
    print(f'names: {same} equal, {len(differences)} differ, {len(missing)} not printed')
    by_kind = collections.Counter(kind for _, kind, _, _ in differences)
    for kind, count in sorted(by_kind.items()):
        print(f'  {kind}: {count}')
        examples = [d for d in differences if d[1] == kind][:args.examples]
        for tag, _, ours, theirs in examples:
            print(f'    ({tag >> 16:04X},{tag & 0xFFFF:04X})  dcmkit "{ours}"  DCMTK "{theirs}"')
    if missing:
        print('  not printed by dcmdump: ' +
              ' '.join(f'({t >> 16:04X},{t & 0xFFFF:04X})' for t in missing[:args.examples]))
    print(f'implicit VR pseudo-VRs: {vr_same} equal, {len(vr_differences)} differ')
    for tag, ours, theirs in vr_differences[:args.examples]:
        print(f'    ({tag >> 16:04X},{tag & 0xFFFF:04X})  dcmkit "{ours}"  DCMTK "{theirs}"')
    if args.list:
        with open(args.list, 'w', encoding='utf-8') as f:
            f.write('tag\tkind\tdcmkit\tdcmtk\n')
            for tag, kind, ours, theirs in differences:
                f.write(f'({tag >> 16:04X},{tag & 0xFFFF:04X})\t{kind}\t{ours}\t{theirs}\n')
            for tag, ours, theirs in vr_differences:
                f.write(f'({tag >> 16:04X},{tag & 0xFFFF:04X})\tvr\t{ours}\t{theirs}\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())

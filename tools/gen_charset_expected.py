#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes testdata/charset_expected.tsv: the UTF-8 text DCMTK makes of the Specific Character
Set samples of the shared corpus (dcmconv +U8), for tests/dcmdata/charset_test.cc.

Usage: tools/gen_charset_expected.py CORPUS_DIR > testdata/charset_expected.tsv

Rows: file (relative to the corpus), tag path, expected UTF-8 (trailing spaces removed; '\\t',
'\\n', '\\r' and '\\\\' escaped), source. Every SH/LO/ST/LT/PN/UC/UT element that is not pure
ASCII gets a row, and PatientName always does. DCMTK 3.6.7 on Debian converts with iconv, which
lacks ISO 2022 IR 87; for SCSH31 and SCSH32 the rows come from PS3.5 Annex H instead.
"""
import os
import struct
import subprocess
import sys
import tempfile

FILES = [
    "orthanc-tests/Lena-arabic.dcm", "orthanc-tests/Lena-ascii.dcm",
    "orthanc-tests/Lena-cyrillic.dcm", "orthanc-tests/Lena-greek.dcm",
    "orthanc-tests/Lena-hebrew.dcm", "orthanc-tests/Lena-latin1.dcm",
    "orthanc-tests/Lena-latin2.dcm", "orthanc-tests/Lena-latin3.dcm",
    "orthanc-tests/Lena-latin4.dcm", "orthanc-tests/Lena-latin5.dcm",
    "orthanc-tests/Lena-shift-jis.dcm", "orthanc-tests/Lena-tis-620.dcm",
    "orthanc-tests/Lena-utf8.dcm", "orthanc-tests/SCSI2", "orthanc-tests/SCSX2",
    "fo-dicom/GH1301_GB18030.dcm", "fo-dicom/chrGB2312.dcm", "orthanc-tests/MarekLatin2.dcm",
]
# PS3.5 Annex H, examples 1 and 2 (DCMTK's iconv cannot convert these).
STANDARD = [
    ("orthanc-tests/SCSH31", "(0010,0010)", "Yamada^Tarou=山田^太郎=やまだ^たろう", "PS3.5 H.3.1"),
    ("orthanc-tests/SCSH32", "(0010,0010)", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", "PS3.5 H.3.2"),
]
LONG = {b"OB", b"OW", b"OF", b"SQ", b"UT", b"UN", b"UC", b"UR", b"OD", b"OL", b"OV", b"SV", b"UV"}
TEXT = {b"SH", b"LO", b"ST", b"LT", b"PN", b"UC", b"UT"}
UNDEFINED = 0xFFFFFFFF


def parse(data, pos, end, prefix, rows):
    """Explicit VR little endian elements in data[pos:end]; returns the position after them."""
    while pos < end:
        group, element = struct.unpack_from("<HH", data, pos)
        if group == 0xFFFE:  # item or sequence delimiter: the caller handles it
            return pos
        vr = data[pos + 4:pos + 6]
        if vr in LONG:
            length = struct.unpack_from("<I", data, pos + 8)[0]
            pos += 12
        else:
            length = struct.unpack_from("<H", data, pos + 6)[0]
            pos += 8
        path = prefix + "(%04X,%04X)" % (group, element)
        if vr == b"SQ" or (length == UNDEFINED and vr != b"OB"):
            pos = parse_items(data, pos, length, path, rows)
        elif length == UNDEFINED:  # encapsulated pixel data
            while True:
                tag, item_length = struct.unpack_from("<II", data, pos)
                pos += 8 + (0 if tag == 0xE0DDFFFE else item_length)
                if tag == 0xE0DDFFFE:
                    break
        else:
            value = data[pos:pos + length]
            pos += length
            if vr in TEXT and (not value.isascii() or (group, element) == (0x0010, 0x0010)):
                rows.append((path, value.rstrip(b" \0").decode("utf-8")))
    return pos


def parse_items(data, pos, length, path, rows):
    end = len(data) if length == UNDEFINED else pos + length
    index = 0
    while pos < end:
        tag, item_length = struct.unpack_from("<II", data, pos)
        pos += 8
        if tag == 0xE0DDFFFE:
            break
        item_end = len(data) if item_length == UNDEFINED else pos + item_length
        pos = parse(data, pos, item_end, "%s[%d]." % (path, index), rows)
        if item_length == UNDEFINED:
            pos += 8  # item delimitation item
        index += 1
    return pos


def escape(text):
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def main():
    corpus = sys.argv[1]
    version = subprocess.run(["dcmconv", "--version"], capture_output=True, text=True).stdout
    version = version.split()[2] if version else "?"
    print("# file\ttag path\texpected UTF-8\tsource")
    with tempfile.TemporaryDirectory() as tmp:
        for name in FILES:
            out = os.path.join(tmp, "out.dcm")
            # Explicit VR little endian where DCMTK can, the file's own (explicit) syntax else.
            if subprocess.run(["dcmconv", "-q", "+U8", "+te", os.path.join(corpus, name), out],
                              stderr=subprocess.DEVNULL).returncode:
                subprocess.run(["dcmconv", "-q", "+U8", os.path.join(corpus, name), out], check=True)
            data = open(out, "rb").read()
            assert data[128:132] == b"DICM"
            rows = []
            parse(data, 132, len(data), "", rows)
            for path, value in rows:
                if path.startswith("(0002,"):
                    continue
                print("%s\t%s\t%s\tdcmconv %s +U8" % (name, path, escape(value), version))
    for name, path, value, source in STANDARD:
        print("%s\t%s\t%s\t%s" % (name, path, value, source))


if __name__ == "__main__":
    main()

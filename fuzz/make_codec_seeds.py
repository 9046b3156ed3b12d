#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the seeds of the codec decoder fuzz targets (fuzz/codec_decode_fuzzer.cc).

Each seed is the target's 8-byte image description followed by the first frame of a small
synthetic image that dcmkit's own encoders compressed:

    /usr/bin/python3 fuzz/make_codec_seeds.py build/apps fuzz/corpus

Needs numpy and pydicom (Debian: python3-numpy, python3-pydicom).
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

# target directory, seed name, rows, columns, samples, bits, program, options
SEEDS = [
    ("jpeg_decode", "gray16-sv1", 9, 12, 1, 16, "dcmcjpeg", []),
    ("jpeg_decode", "rgb8-baseline", 10, 10, 3, 8, "dcmcjpeg", ["+eb"]),
    ("jpeg_decode", "gray12-extended", 16, 20, 1, 16, "dcmcjpeg", ["+ee"]),
    ("jpeg_decode", "rgb8-progressive", 16, 20, 3, 8, "dcmcjpeg", ["+ep"]),
    # "guess": decoded as dcmdjpeg +cg does, guessing the colour model from the stream.
    ("jpeg_decode", "rgb8-cr-guess", 10, 10, 3, 8, "dcmcjpeg", ["+eb", "+cr"]),
    ("jpeg_decode", "rgb8-sv1-guess", 9, 12, 3, 8, "dcmcjpeg", []),
    ("jpls_decode", "gray16", 9, 12, 1, 16, "dcmcjpls", []),
    ("jpls_decode", "rgb8", 10, 10, 3, 8, "dcmcjpls", []),
    ("jpls_decode", "rgb8-near", 10, 10, 3, 8, "dcmcjpls", ["+en"]),
    ("j2k_decode", "gray16", 9, 12, 1, 16, "dcmcj2k", []),
    ("j2k_decode", "rgb8", 10, 10, 3, 8, "dcmcj2k", []),
    ("j2k_decode", "rgb8-lossy", 10, 10, 3, 8, "dcmcj2k", ["+ey"]),
    ("htj2k_decode", "gray16", 9, 12, 1, 16, "dcmcj2k", ["+eh"]),
    ("htj2k_decode", "gray16-rpcl", 9, 12, 1, 16, "dcmcj2k", ["+ehr"]),
    ("htj2k_decode", "rgb8", 10, 10, 3, 8, "dcmcj2k", ["+eh"]),
    ("htj2k_decode", "rgb8-lossy", 10, 10, 3, 8, "dcmcj2k", ["+ehy"]),
    ("htj2k_decode", "gray8-lossy", 16, 20, 1, 8, "dcmcj2k", ["+ehy", "+cr", "5"]),
]


def synthetic(path: Path, rows: int, cols: int, samples: int, bits: int, stored: int) -> None:
    """A gradient with a little noise, so that every coder has something to do."""
    rng = np.random.default_rng(7)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns, ds.SamplesPerPixel = rows, cols, samples
    ds.PhotometricInterpretation = "RGB" if samples == 3 else "MONOCHROME2"
    if samples == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, stored, stored - 1
    ds.PixelRepresentation = 0
    y, x = np.mgrid[0:rows, 0:cols]
    values = ((x * 37 + y * 11) % (1 << min(stored, 12))) + rng.integers(0, 8, size=x.shape)
    values = np.minimum(values, (1 << stored) - 1)
    if samples == 3:
        values = np.stack([values, values[::-1], (values * 3) % 256], axis=-1)
    ds.PixelData = values.astype(np.uint8 if bits == 8 else np.uint16).tobytes()
    ds.save_as(path, write_like_original=False)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    programs, corpus = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        for target, name, rows, cols, samples, bits, program, options in SEEDS:
            stored = 12 if "12" in name else bits
            plain, coded = Path(tmp) / f"{name}.dcm", Path(tmp) / f"{name}-coded.dcm"
            synthetic(plain, rows, cols, samples, bits, stored)
            exe = programs / program
            subprocess.run([str(exe), *options, str(plain), str(coded)], check=True)
            frame = next(generate_pixel_data_frame(pydicom.dcmread(coded).PixelData))
            # The fuzz target's description: rows - 1 and columns - 1 (9 bits each), then
            # bit 0 = three samples, bit 1 = 16 bits allocated; then bit 0 = guess the colour.
            flags = (1 if samples == 3 else 0) | (2 if bits == 16 else 0)
            guess = 1 if name.endswith("-guess") else 0
            head = bytes([(rows - 1) & 0xFF, (rows - 1) >> 8, (cols - 1) & 0xFF,
                          (cols - 1) >> 8, flags, guess, 0, 0])
            out = corpus / target / f"dcmkit-{name}.bin"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(head + frame)
            print(out, len(frame))
    return 0


if __name__ == "__main__":
    sys.exit(main())

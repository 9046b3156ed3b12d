// SPDX-License-Identifier: BSD-3-Clause
// Icon images for DICOMDIR IMAGE records (PS3.3 F.7, Icon Image Sequence; PS3.11 profiles that
// require them): an image reduced to size x size 8-bit MONOCHROME2 pixels as DCMTK's dcmmkdir
// makes them, and the binary PGM files dcmmkdir takes as icons instead (-Xi, -Xd).
//
//   auto pixels = make_icon(file->data, file->transfer_syntax, 64);   // 64 * 64 bytes
//   if (!pixels) ...                                                  // use a default icon
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// The frame an icon shows (1-based): Representative Frame Number if present (at most the number
/// of frames), else frame frames / 3 of images with more than three frames (PS3.11's advice),
/// else the first frame.
std::uint64_t icon_frame(const dcmdata::DataSet& data);

/// The icon of the image in `data` (read with `ts`), `size` x `size` 8-bit grey values, rows top
/// to bottom, as DCMTK 3.6.7's dcmmkdir computes it: the frame icon_frame() chooses, colour
/// converted to luminance (0.299 R + 0.587 G + 0.114 B), the modality values (none for XA and
/// XRF images) scaled to the icon size with the area-averaging (pbmplus) algorithm, whatever the
/// aspect ratio (values that need more than 16 bits: the c't area interpolation, or replicated
/// and dropped pixels when one axis is reduced and the other enlarged; see dcmimgle::scale()),
/// then the first window of the data set (never a VOI LUT), or else the min-max window of the
/// scaled values, mapped to 8 bits (MONOCHROME1 inverted). The errors of reading and decoding the
/// image (NotFound without pixel data, Unsupported without a codec, ...); InvalidArgument for
/// `size` 0 or above 1024.
ofstd::Result<std::vector<std::uint8_t>> make_icon(const dcmdata::DataSet& data,
                                                   const dcmdata::TransferSyntax& ts,
                                                   std::uint32_t size);

/// Reads a binary PGM file ("P5", one optional comment line after the magic number, maximum
/// value 255) and scales it to `size` x `size` with the pbmplus algorithm unless it has that size
/// already, as dcmmkdir's -Xi and -Xd do. IoError if it cannot be read; MalformedData
/// "wrong file format for external icon (pgm required)" or "corrupt file format for external
/// icon (not pgm binary)", in DCMTK's words.
ofstd::Result<std::vector<std::uint8_t>> read_pgm_icon(const std::filesystem::path& path,
                                                       std::uint32_t size);

}  // namespace dcmkit::dcmimage

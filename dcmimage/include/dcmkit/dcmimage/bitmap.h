// SPDX-License-Identifier: BSD-3-Clause
// Rendered frames and their export: PGM/PPM (raw or ASCII, any bit depth up to 32), PNG (8 or 16
// bits, libpng), TIFF (libtiff) and BMP (8-bit palette, 24 or 32-bit true colour), written to a
// file or an in-memory buffer.
//
//   Bitmap bitmap = ...;                                  // from Renderer::render()
//   std::string bytes;
//   DCMKIT_TRY(write_bitmap(bitmap, {.format = BitmapFormat::Png}, bytes));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// A rendered frame: `channels` (1 grey, 3 RGB) samples of `bits` bits per pixel, rows top to
/// bottom. Regular value type.
struct Bitmap {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 1;
  std::uint32_t bits = 8;
  std::vector<std::uint32_t> samples;
};

/// Output file formats (dcm2pnm's +op... +ob... +ot +on +on2).
enum class BitmapFormat : std::uint8_t {
  PnmRaw,    ///< P5/P6, 8 bits (+op)
  PnmAscii,  ///< P2/P3, Bitmap::bits bits (+opb, +opw, +opn)
  Bmp,       ///< 8-bit grey / 24-bit colour (+ob)
  Bmp8,      ///< 8-bit palette, grey only (+obp)
  Bmp24,     ///< 24-bit (+obt)
  Bmp32,     ///< 32-bit (+obr)
  Tiff,      ///< +ot
  Png,       ///< 8 or 16 bits (+on, +on2)
  Jpeg,      ///< 8-bit lossy baseline JPEG with a JFIF marker (+oj)
};

/// Chroma subsampling of +oj colour output (+Js4, +Js2, +Js1).
enum class JpegSampling : std::uint8_t { S444, S422, S411 };

/// TIFF compression (+Tl, +Tr, +Tn) and predictor (+Pd, +Pn, +Ph).
enum class TiffCompression : std::uint8_t { Lzw, PackBits, None };
enum class TiffPredictor : std::uint8_t { Default, None, Horizontal };

/// Options of write_bitmap().
struct BitmapOptions {
  BitmapFormat format = BitmapFormat::PnmRaw;
  // PNG
  bool png_interlace = true;  ///< Adam7 (+il, DCMTK's default)
  bool png_metainfo = true;   ///< tEXt chunks with title and software (+mf)
  /// zlib level 0..9; DCMTK uses libpng's default (6). Lower is faster, files get larger.
  int png_compression_level = 6;
  /// dcmkit picks each row's filter itself, by libpng's rule (the same bytes, written faster);
  /// false leaves the choice to libpng.
  bool png_choose_filters = true;
  // TIFF
  TiffCompression tiff_compression = TiffCompression::Lzw;
  TiffPredictor tiff_predictor = TiffPredictor::Default;
  std::uint32_t tiff_rows_per_strip = 0;  ///< 0: 8 KiB strips
  // JPEG
  int jpeg_quality = 90;  ///< 0..100 (+Jq)
  JpegSampling jpeg_sampling = JpegSampling::S422;
};

/// The default file name extension of a format ("pgm"/"ppm" by channels, "png", "bmp", "tif").
std::string bitmap_extension(BitmapFormat format, std::uint32_t channels);

/// Encodes `bitmap` into `out` (replaced). InvalidArgument for combinations the format cannot
/// hold (an 8-bit palette BMP of a colour image, 16-bit BMP or TIFF); IoError from the encoders.
ofstd::Status write_bitmap(const Bitmap& bitmap, const BitmapOptions& options, std::string& out);

}  // namespace dcmkit::dcmimage

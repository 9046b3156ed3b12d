// SPDX-License-Identifier: BSD-3-Clause
// Image files (JPEG, BMP, PNG, TIFF) read into what a DICOM image needs: the Image Pixel module's
// description and the pixel bytes. JPEG is not decoded: its bitstream is kept as it is (minus
// APPn segments) for a JPEG transfer syntax, as DCMTK's img2dcm does; the other formats give
// native pixels. See image_object.h for the DICOM object built from them.
//
//   auto bytes = ...;                                           // the file's contents
//   auto format = detect_image_format(bytes);                   // JPEG, BMP, PNG or TIFF
//   auto image = import_image(bytes, *format, {});              // Result<ImportedImage>
//   if (!image) return image.error();                           // MalformedData, Unsupported...
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// The image file formats dcmkit imports.
enum class ImageFileFormat : std::uint8_t { Jpeg, Bmp, Png, Tiff };

/// The format named on img2dcm's command line ("JPEG", "BMP", "PNG", "TIFF", any case; "JPG"
/// and "TIF" too); empty for other names.
std::optional<ImageFileFormat> image_format_from_name(std::string_view name) noexcept;
/// The format's name as img2dcm writes it ("JPEG", "BMP", "PNG", "TIFF").
std::string_view image_format_name(ImageFileFormat format) noexcept;
/// The format the first bytes announce (JPEG SOI, "BM", PNG signature, TIFF "II*\0"/"MM\0*"),
/// or empty.
std::optional<ImageFileFormat> detect_image_format(std::span<const std::byte> bytes) noexcept;

/// How JPEG files are taken over (img2dcm's "JPEG format" options).
struct JpegImportOptions {
  bool disable_progressive = false;  ///< -dp: reject progressive JPEG (SOF2)
  bool disable_extended = false;     ///< -de: reject extended sequential JPEG (SOF1)
  bool insist_on_jfif = false;       ///< -jf: reject files without a JFIF APP0 segment
  /// -ka: copy the file's stream as it is, APPn segments included (DCMTK 3.6.7 keeps the JFIF
  /// segment too); otherwise every APPn segment is cut out.
  bool keep_appn = false;
  bool remove_com = false;  ///< -rc: cut out COM segments as well
};

/// Options of import_image().
struct ImportOptions {
  JpegImportOptions jpeg;
  /// Native pixel data larger than this is refused (LimitExceeded) before it is allocated, so
  /// a small compressed file cannot claim gigabytes.
  std::uint64_t max_pixel_bytes = std::uint64_t{1} << 31;
};

/// One imported image: the Image Pixel module's values and the pixel bytes. Regular value type.
struct ImportedImage {
  std::uint16_t rows = 0;
  std::uint16_t columns = 0;
  std::uint16_t samples_per_pixel = 1;
  std::string photometric_interpretation;  ///< MONOCHROME2, RGB or (JPEG colour) YBR_FULL_422
  std::uint16_t bits_allocated = 8;
  std::uint16_t bits_stored = 8;
  std::uint16_t high_bit = 7;
  std::uint16_t pixel_representation = 0;
  std::uint16_t planar_configuration = 0;
  /// JFIF pixel density (X, Y); written as Pixel Aspect Ratio "Y\X" when they differ.
  std::uint16_t aspect_horizontal = 1;
  std::uint16_t aspect_vertical = 1;
  /// Native images: rows × columns × samples × bits allocated / 8 bytes, colour-by-pixel, 16-bit
  /// samples little endian. JPEG: the JPEG stream (odd lengths not padded).
  std::vector<std::byte> pixel_data;
  /// Empty for native pixel data, else the JPEG transfer syntax the stream needs (.50 baseline,
  /// .51 extended sequential, .55 progressive).
  std::string transfer_syntax_uid;
  /// The stream is lossy compressed (JPEG DCT): Lossy Image Compression "01", method
  /// ISO_10918_1.
  bool lossy = false;
  /// What was changed on the way (alpha channel dropped, pages after the first ignored, ...).
  std::vector<std::string> notes;

  /// Uncompressed size of the image in bytes as DCMTK counts it for Lossy Image Compression
  /// Ratio: rows × columns × samples × bits stored / 8.
  double uncompressed_size() const noexcept;
};

/// A JPEG file: the SOF segment gives rows, columns, samples (1: MONOCHROME2, 3: YBR_FULL_422)
/// and precision (8, or 12 stored in 16); JFIF APP0 the pixel density. Baseline (SOF0),
/// extended sequential (SOF1) and progressive (SOF2) Huffman coding are accepted; lossless,
/// hierarchical and arithmetic coding are Unsupported, as are options' refusals.
/// MalformedData for streams that are not JPEG or end early.
ofstd::Result<ImportedImage> import_jpeg(std::span<const std::byte> file,
                                         const JpegImportOptions& options = {});
/// A Windows bitmap (BITMAPINFOHEADER or its V4/V5 successors, uncompressed, 1/4/8/16/24/32
/// bits per pixel, bottom-up or top-down). Palette images whose palette is all grey become
/// MONOCHROME2, everything else RGB, 8 bits per sample. Unsupported for compressed bitmaps
/// (RLE, bit fields), MalformedData for truncated or inconsistent files.
ofstd::Result<ImportedImage> import_bmp(std::span<const std::byte> file,
                                        const ImportOptions& options = {});
/// A PNG file (libpng): grey (1 to 16 bits; below 8 scaled to 8) becomes MONOCHROME2 with 8 or
/// 16 bits, RGB stays RGB with 8 or 16 bits, palettes become RGB (MONOCHROME2 if all grey);
/// alpha channels are dropped (noted). MalformedData for damaged files.
ofstd::Result<ImportedImage> import_png(std::span<const std::byte> file,
                                        const ImportOptions& options = {});
/// A TIFF file (libtiff), its first page: grey (1, 8, 16 bits; white-is-zero inverted) and RGB
/// (8, 16 bits, contiguous or planar) as they are, palettes as RGB; other kinds (YCbCr, CMYK,
/// tiled, ...) through libtiff's RGBA reader as 8-bit RGB. Alpha is dropped (noted).
ofstd::Result<ImportedImage> import_tiff(std::span<const std::byte> file,
                                         const ImportOptions& options = {});
/// The reader of `format`.
ofstd::Result<ImportedImage> import_image(std::span<const std::byte> file, ImageFileFormat format,
                                          const ImportOptions& options = {});

}  // namespace dcmkit::dcmimage

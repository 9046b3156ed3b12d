// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/image_import.h"

#include <png.h>
#include <tiffio.h>

#include <algorithm>
#include <array>
#include <csetjmp>
#include <cstring>
#include <string>

namespace dcmkit::dcmimage {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

constexpr std::uint32_t kMaxDimension = 65535;  // Rows and Columns are US (PS3.3 C.7.6.3)

std::uint8_t byte_at(std::span<const std::byte> bytes, std::size_t i) {
  return static_cast<std::uint8_t>(bytes[i]);
}
std::uint16_t be16(std::span<const std::byte> bytes, std::size_t i) {
  return static_cast<std::uint16_t>((byte_at(bytes, i) << 8) | byte_at(bytes, i + 1));
}
std::uint16_t le16(std::span<const std::byte> bytes, std::size_t i) {
  return static_cast<std::uint16_t>(byte_at(bytes, i) | (byte_at(bytes, i + 1) << 8));
}
std::uint32_t le32(std::span<const std::byte> bytes, std::size_t i) {
  return static_cast<std::uint32_t>(le16(bytes, i)) |
         (static_cast<std::uint32_t>(le16(bytes, i + 2)) << 16);
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x >= 'a' && x <= 'z' ? x - 32 : x) == (y >= 'a' && y <= 'z' ? y - 32 : y);
         });
}

// Checks the native size of an image against the limit before anything is allocated.
ofstd::Status check_native_size(std::uint64_t columns, std::uint64_t rows, std::uint64_t samples,
                                std::uint64_t bytes_per_sample, const ImportOptions& options,
                                std::string_view format) {
  if (columns == 0 || rows == 0) {
    return Error(ErrorCode::MalformedData, std::string(format) + " image has no pixels");
  }
  if (columns > kMaxDimension || rows > kMaxDimension) {
    return Error(ErrorCode::LimitExceeded,
                 std::string(format) + " image of " + std::to_string(columns) + " x " +
                     std::to_string(rows) + " pixels exceeds DICOM's 65535 rows or columns");
  }
  const std::uint64_t size = columns * rows * samples * bytes_per_sample;
  if (size > options.max_pixel_bytes) {
    return Error(ErrorCode::LimitExceeded, std::string(format) + " image needs " +
                                               std::to_string(size) +
                                               " bytes of pixel data, more than the limit of " +
                                               std::to_string(options.max_pixel_bytes));
  }
  return {};
}

void set_native(ImportedImage& image, std::uint32_t columns, std::uint32_t rows,
                std::uint16_t samples, std::uint16_t bits) {
  image.columns = static_cast<std::uint16_t>(columns);
  image.rows = static_cast<std::uint16_t>(rows);
  image.samples_per_pixel = samples;
  image.photometric_interpretation = samples == 3 ? "RGB" : "MONOCHROME2";
  image.bits_allocated = bits;
  image.bits_stored = bits;
  image.high_bit = static_cast<std::uint16_t>(bits - 1);
  image.pixel_representation = 0;
  image.planar_configuration = 0;
}

// --- JPEG ------------------------------------------------------------------------------------

struct JpegSegment {
  std::uint8_t marker = 0;
  std::size_t start = 0;  // offset of the 0xFF of the marker
  std::size_t end = 0;    // offset after the segment (marker and parameters)
};

// The names DCMTK uses for the SOF markers in its messages.
std::string sof_name(std::uint8_t marker) {
  static constexpr std::array<const char*, 16> kNames = {
      "SOF0: Baseline DCT",
      "SOF1: Extended sequential DCT",
      "SOF2: Progressive DCT",
      "SOF3: Lossless (sequential)",
      "",
      "SOF5: Differential sequential DCT",
      "SOF6: Differential progressive DCT",
      "SOF7: Differential lossless (sequential)",
      "",
      "SOF9: Extended sequential DCT",
      "SOF10: Progressive DCT",
      "SOF11: Lossless (sequential)",
      "",
      "SOF13: Differential sequential DCT",
      "SOF14: Differential progressive DCT",
      "SOF15: Differential lossless (sequential)"};
  return kNames[marker & 0x0F];
}

bool is_sof(std::uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Maps the marker segments from SOI to EOI, stepping over entropy-coded data after each SOS.
Result<std::vector<JpegSegment>> map_jpeg(std::span<const std::byte> file) {
  if (file.size() < 2 || byte_at(file, 0) != 0xFF || byte_at(file, 1) != 0xD8) {
    return Error(ErrorCode::MalformedData, "Not a JPEG file");
  }
  const Error premature(ErrorCode::MalformedData, "Premature EOF in JPEG file");
  std::vector<JpegSegment> segments{{0xD8, 0, 2}};
  std::size_t pos = 2;
  while (true) {
    if (pos >= file.size()) return premature;
    if (byte_at(file, pos) != 0xFF) {
      return Error(ErrorCode::MalformedData,
                   "JPEG marker expected at byte " + std::to_string(pos) + " of the file");
    }
    const std::size_t start = pos;
    while (pos < file.size() && byte_at(file, pos) == 0xFF) ++pos;  // fill bytes
    if (pos >= file.size()) return premature;
    const std::uint8_t marker = byte_at(file, pos++);
    if (marker == 0xD9) {
      segments.push_back({marker, start, pos});
      return segments;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      segments.push_back({marker, start, pos});
      continue;
    }
    if (marker == 0xD8 || marker == 0x00) {
      return Error(ErrorCode::MalformedData,
                   "unexpected JPEG marker at byte " + std::to_string(start) + " of the file");
    }
    if (pos + 2 > file.size()) return premature;
    const std::uint16_t length = be16(file, pos);
    if (length < 2 || pos + length > file.size()) return premature;
    pos += length;
    segments.push_back({marker, start, pos});
    if (marker != 0xDA) continue;
    // Entropy-coded data ends at the first marker that is not a stuffed zero or a restart.
    while (true) {
      if (pos + 1 >= file.size()) return premature;
      if (byte_at(file, pos) == 0xFF) {
        const std::uint8_t next = byte_at(file, pos + 1);
        if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) break;
        pos += next == 0xFF ? 1 : 2;
      } else {
        ++pos;
      }
    }
  }
}

}  // namespace

double ImportedImage::uncompressed_size() const noexcept {
  return static_cast<double>(columns) * static_cast<double>(rows) * bits_stored *
         samples_per_pixel / 8.0;
}

std::optional<ImageFileFormat> image_format_from_name(std::string_view name) noexcept {
  if (equals_ignoring_case(name, "JPEG") || equals_ignoring_case(name, "JPG")) {
    return ImageFileFormat::Jpeg;
  }
  if (equals_ignoring_case(name, "BMP")) return ImageFileFormat::Bmp;
  if (equals_ignoring_case(name, "PNG")) return ImageFileFormat::Png;
  if (equals_ignoring_case(name, "TIFF") || equals_ignoring_case(name, "TIF")) {
    return ImageFileFormat::Tiff;
  }
  return std::nullopt;
}

std::string_view image_format_name(ImageFileFormat format) noexcept {
  switch (format) {
    case ImageFileFormat::Jpeg:
      return "JPEG";
    case ImageFileFormat::Bmp:
      return "BMP";
    case ImageFileFormat::Png:
      return "PNG";
    case ImageFileFormat::Tiff:
      return "TIFF";
  }
  return "";
}

std::optional<ImageFileFormat> detect_image_format(std::span<const std::byte> bytes) noexcept {
  auto starts = [&](std::initializer_list<std::uint8_t> prefix) {
    if (bytes.size() < prefix.size()) return false;
    std::size_t i = 0;
    for (const std::uint8_t b : prefix) {
      if (byte_at(bytes, i++) != b) return false;
    }
    return true;
  };
  if (starts({0xFF, 0xD8, 0xFF})) return ImageFileFormat::Jpeg;
  if (starts({'B', 'M'})) return ImageFileFormat::Bmp;
  if (starts({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return ImageFileFormat::Png;
  if (starts({'I', 'I', 0x2A, 0x00}) || starts({'M', 'M', 0x00, 0x2A})) {
    return ImageFileFormat::Tiff;
  }
  return std::nullopt;
}

Result<ImportedImage> import_jpeg(std::span<const std::byte> file,
                                  const JpegImportOptions& options) {
  DCMKIT_ASSIGN_OR_RETURN(const std::vector<JpegSegment> segments, map_jpeg(file));
  const auto sof = std::find_if(segments.begin(), segments.end(),
                                [](const JpegSegment& s) { return is_sof(s.marker); });
  if (sof == segments.end()) {
    return Error(ErrorCode::MalformedData, "No image data found in JPEG file");
  }
  ImportedImage image;
  switch (sof->marker) {
    case 0xC0:
      image.transfer_syntax_uid = "1.2.840.10008.1.2.4.50";
      break;
    case 0xC1:
      if (options.disable_extended) {
        return Error(ErrorCode::Unsupported,
                     "Unable to convert: Extended sequential JPEG coding found but support "
                     "disabled");
      }
      image.transfer_syntax_uid = "1.2.840.10008.1.2.4.51";
      break;
    case 0xC2:
      if (options.disable_progressive) {
        return Error(ErrorCode::Unsupported,
                     "Unable to convert: Progressive JPEG coding found but disabled");
      }
      image.transfer_syntax_uid = "1.2.840.10008.1.2.4.55";
      break;
    default:
      return Error(ErrorCode::Unsupported,
                   "JPEG data with encoding: '" + sof_name(sof->marker) + "' not supported");
  }
  // SOF: length, precision, height, width, components, 3 bytes per component (ITU-T T.81 B.2.2).
  const std::size_t p = sof->start + 2;
  if (sof->end - p < 8) return Error(ErrorCode::MalformedData, "Premature EOF in JPEG file");
  const std::uint16_t length = be16(file, p);
  const std::uint8_t precision = byte_at(file, p + 2);
  const std::uint16_t height = be16(file, p + 3);
  const std::uint16_t width = be16(file, p + 5);
  const std::uint8_t components = byte_at(file, p + 7);
  if (length != 8 + 3 * components) {
    return Error(ErrorCode::MalformedData, "Bogus SOF marker length");
  }
  if (height == 0 || width == 0) {
    return Error(ErrorCode::MalformedData, "Invalid image size (width or height = 0)");
  }
  if (components != 1 && components != 3) {
    return Error(ErrorCode::Unsupported, "For JPEG data, Samples per Pixel must be 1 or 3");
  }
  if (precision != 8 && !(precision == 12 && sof->marker != 0xC0)) {
    return Error(ErrorCode::MalformedData, "JPEG sample precision " + std::to_string(precision) +
                                               " not possible for " + sof_name(sof->marker));
  }
  image.rows = height;
  image.columns = width;
  image.samples_per_pixel = components;
  image.photometric_interpretation = components == 1 ? "MONOCHROME2" : "YBR_FULL_422";
  image.bits_allocated = precision == 8 ? 8 : 16;
  image.bits_stored = precision;
  image.high_bit = static_cast<std::uint16_t>(precision - 1);
  image.lossy = true;

  // JFIF (the first APP0 segment): version, units, X and Y density.
  const auto app0 = std::find_if(segments.begin(), segments.end(),
                                 [](const JpegSegment& s) { return s.marker == 0xE0; });
  if (app0 == segments.end()) {
    if (options.insist_on_jfif) {
      return Error(ErrorCode::MalformedData, "No JFIF information found in JPEG file");
    }
  } else {
    const std::size_t j = app0->start + 4;
    static constexpr std::array<std::uint8_t, 5> kJfif = {'J', 'F', 'I', 'F', 0};
    bool ok = app0->end >= j + 14;
    for (std::size_t i = 0; ok && i < kJfif.size(); ++i) ok = byte_at(file, j + i) == kJfif[i];
    ok = ok && byte_at(file, j + 7) <= 2;
    if (ok) {
      const std::uint16_t x_density = be16(file, j + 8);
      const std::uint16_t y_density = be16(file, j + 10);
      if (x_density != 0 && y_density != 0) {
        image.aspect_horizontal = x_density;
        image.aspect_vertical = y_density;
      }
    } else if (options.insist_on_jfif) {
      return Error(ErrorCode::MalformedData, "Invalid JFIF marker or JFIF marker not found");
    }
  }

  // The stream: the whole file with -ka (as DCMTK 3.6.7 copies it), else SOI..EOI without the
  // APPn segments; COM segments go with -rc.
  auto dropped = [&](std::uint8_t marker) {
    if (marker == 0xFE) return options.remove_com;
    return !options.keep_appn && marker >= 0xE0 && marker <= 0xEF;
  };
  const std::size_t stream_end = options.keep_appn ? file.size() : segments.back().end;
  std::size_t copied_to = 0;
  auto copy = [&](std::size_t from, std::size_t to) {
    const std::span<const std::byte> piece = file.subspan(from, to - from);
    image.pixel_data.insert(image.pixel_data.end(), piece.begin(), piece.end());
  };
  for (const JpegSegment& segment : segments) {
    if (!dropped(segment.marker)) continue;
    copy(copied_to, segment.start);
    copied_to = segment.end;
  }
  copy(copied_to, stream_end);
  return image;
}

// --- BMP -------------------------------------------------------------------------------------

Result<ImportedImage> import_bmp(std::span<const std::byte> file, const ImportOptions& options) {
  if (file.size() < 18 || byte_at(file, 0) != 'B' || byte_at(file, 1) != 'M') {
    return Error(ErrorCode::MalformedData, "Not a BMP file - invalid header");
  }
  const std::uint32_t data_offset = le32(file, 10);
  const std::uint32_t header_size = le32(file, 14);
  // BITMAPINFOHEADER (40) and its extensions V2/V3 (52, 56), V4 (108), V5 (124); the OS/2
  // BITMAPCOREHEADER (12) is not supported.
  if (header_size != 40 && header_size != 52 && header_size != 56 && header_size != 108 &&
      header_size != 124) {
    return Error(ErrorCode::Unsupported, "Not a BMP file - invalid bitmap header");
  }
  if (file.size() < 14 + std::size_t{header_size}) {
    return Error(ErrorCode::MalformedData, "BMP file truncated in its bitmap header");
  }
  const auto width = static_cast<std::int32_t>(le32(file, 18));
  const auto signed_height = static_cast<std::int32_t>(le32(file, 22));
  const std::uint16_t planes = le16(file, 26);
  const std::uint16_t bpp = le16(file, 28);
  const std::uint32_t compression = le32(file, 30);
  const std::uint32_t colors_used = le32(file, 46);
  if (planes != 1 || width <= 0 || signed_height == 0 || signed_height == INT32_MIN) {
    return Error(ErrorCode::MalformedData, "Not a BMP file - invalid bitmap header");
  }
  if (compression != 0) {
    return Error(ErrorCode::Unsupported, "Unsupported BMP file - compressed");
  }
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) {
    return Error(ErrorCode::Unsupported,
                 "Unsupported BMP file - " + std::to_string(bpp) + " bits per pixel");
  }
  const bool top_down = signed_height < 0;
  const std::uint32_t columns = static_cast<std::uint32_t>(width);
  const std::uint32_t rows = top_down ? 0u - static_cast<std::uint32_t>(signed_height)
                                      : static_cast<std::uint32_t>(signed_height);

  // The colour table: BGR0 quads after the header.
  std::vector<std::array<std::uint8_t, 3>> palette;
  bool gray = false;
  if (bpp <= 8) {
    const std::uint32_t max_colors = 1u << bpp;
    const std::uint32_t count = colors_used == 0 ? max_colors : colors_used;
    if (count > max_colors) {
      return Error(ErrorCode::MalformedData, "BMP colour table of " + std::to_string(count) +
                                                 " entries for " + std::to_string(bpp) +
                                                 " bits per pixel");
    }
    const std::size_t table = 14 + std::size_t{header_size};
    if (table + std::size_t{count} * 4 > file.size()) {
      return Error(ErrorCode::MalformedData, "BMP file truncated in its colour table");
    }
    gray = true;
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::size_t q = table + std::size_t{i} * 4;
      palette.push_back({byte_at(file, q + 2), byte_at(file, q + 1), byte_at(file, q)});
      gray =
          gray && palette.back()[0] == palette.back()[1] && palette.back()[1] == palette.back()[2];
    }
  }
  const std::uint16_t samples = gray ? 1 : 3;
  DCMKIT_TRY(check_native_size(columns, rows, samples, 1, options, "BMP"));
  const std::uint64_t stride = (std::uint64_t{columns} * bpp + 31) / 32 * 4;
  if (data_offset > file.size() || stride * rows > file.size() - data_offset) {
    return Error(ErrorCode::MalformedData, "BMP file truncated: its pixel data needs " +
                                               std::to_string(stride * rows) + " bytes from byte " +
                                               std::to_string(data_offset) + ", the file has " +
                                               std::to_string(file.size()) + " bytes");
  }

  ImportedImage image;
  set_native(image, columns, rows, samples, 8);
  image.pixel_data.resize(std::size_t{columns} * rows * samples);
  std::byte* out = image.pixel_data.data();
  for (std::uint32_t y = 0; y < rows; ++y) {
    const std::uint32_t source_row = top_down ? y : rows - 1 - y;
    const std::span<const std::byte> line =
        file.subspan(data_offset + static_cast<std::size_t>(stride * source_row),
                     static_cast<std::size_t>(stride));
    for (std::uint32_t x = 0; x < columns; ++x) {
      if (bpp <= 8) {
        const std::uint32_t bit = x * bpp;
        const std::uint32_t index =
            (std::uint32_t{byte_at(line, bit / 8)} >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
        if (index >= palette.size()) {
          return Error(ErrorCode::MalformedData,
                       "unsupported BMP file - access beyond end of color table");
        }
        for (std::uint16_t s = 0; s < samples; ++s) *out++ = std::byte{palette[index][s]};
      } else if (bpp == 16) {  // 5-5-5, each scaled to 8 bits
        const std::uint16_t v = le16(line, std::size_t{x} * 2);
        *out++ = static_cast<std::byte>(((v >> 10) & 0x1F) << 3);
        *out++ = static_cast<std::byte>(((v >> 5) & 0x1F) << 3);
        *out++ = static_cast<std::byte>((v & 0x1F) << 3);
      } else {  // BGR or BGRX
        const std::size_t q = std::size_t{x} * (bpp / 8);
        *out++ = line[q + 2];
        *out++ = line[q + 1];
        *out++ = line[q];
      }
    }
  }
  return image;
}

// --- PNG -------------------------------------------------------------------------------------

namespace {

struct PngInput {
  std::span<const std::byte> bytes;
  std::size_t position = 0;
};

void png_read_memory(png_structp png, png_bytep data, png_size_t length) {
  auto* input = static_cast<PngInput*>(png_get_io_ptr(png));
  if (length > input->bytes.size() - input->position) png_error(png, "truncated PNG file");
  std::memcpy(data, input->bytes.data() + input->position, length);
  input->position += length;
}

[[noreturn]] void png_fail(png_structp png, png_const_charp message) {
  auto* text = static_cast<std::array<char, 200>*>(png_get_error_ptr(png));
  std::snprintf(text->data(), text->size(), "%s", message);
  png_longjmp(png, 1);
}

void png_ignore_warning(png_structp /*png*/, png_const_charp /*message*/) {}

struct PngHeader {
  png_uint_32 width = 0;
  png_uint_32 height = 0;
  int bit_depth = 0;
  int color_type = 0;
  int channels = 0;  // after the transformations
  int depth = 0;     // after the transformations
  std::size_t row_bytes = 0;
  bool alpha = false;
  png_colorp palette = nullptr;
  int palette_size = 0;
};

// The libpng calls, kept free of C++ objects with destructors: libpng reports errors by longjmp.
bool png_read_header(png_structp png, png_infop info, PngHeader* header) {
  if (setjmp(png_jmpbuf(png))) return false;  // NOLINT(cert-err52-cpp): libpng's error protocol
  png_set_user_limits(png, kMaxDimension, kMaxDimension);
  png_read_info(png, info);
  png_get_IHDR(png, info, &header->width, &header->height, &header->bit_depth, &header->color_type,
               nullptr, nullptr, nullptr);
  header->alpha = (header->color_type & PNG_COLOR_MASK_ALPHA) != 0;
  if (header->color_type == PNG_COLOR_TYPE_PALETTE) {
    png_get_PLTE(png, info, &header->palette, &header->palette_size);
    png_set_packing(png);  // indices of 1, 2, 4 bits as one byte each
  } else if (header->bit_depth < 8) {
    png_set_expand_gray_1_2_4_to_8(png);
  }
  if (header->alpha) png_set_strip_alpha(png);
  if (header->bit_depth == 16) png_set_swap(png);  // little endian, as DICOM stores it here
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  header->channels = png_get_channels(png, info);
  header->depth = png_get_bit_depth(png, info);
  header->row_bytes = png_get_rowbytes(png, info);
  return true;
}

bool png_read_pixels(png_structp png, png_bytepp rows) {
  if (setjmp(png_jmpbuf(png))) return false;  // NOLINT(cert-err52-cpp): libpng's error protocol
  png_read_image(png, rows);
  return true;
}

struct PngReader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngReader() { png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr); }
};

}  // namespace

Result<ImportedImage> import_png(std::span<const std::byte> file, const ImportOptions& options) {
  if (detect_image_format(file) != ImageFileFormat::Png) {
    return Error(ErrorCode::MalformedData, "Not a PNG file");
  }
  std::array<char, 200> message{};
  PngInput input{file, 0};
  PngReader reader;
  reader.png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, &message, png_fail, png_ignore_warning);
  if (reader.png == nullptr) return Error(ErrorCode::Internal, "cannot create a PNG reader");
  reader.info = png_create_info_struct(reader.png);
  if (reader.info == nullptr) return Error(ErrorCode::Internal, "cannot create a PNG reader");
  png_set_read_fn(reader.png, &input, png_read_memory);
  PngHeader header;
  if (!png_read_header(reader.png, reader.info, &header)) {
    return Error(ErrorCode::MalformedData, std::string("PNG file: ") + message.data());
  }
  const bool palette = header.color_type == PNG_COLOR_TYPE_PALETTE;
  bool gray_palette = palette;
  for (int i = 0; i < header.palette_size; ++i) {
    const png_color c = header.palette[i];
    gray_palette = gray_palette && c.red == c.green && c.green == c.blue;
  }
  const std::uint16_t samples =
      palette ? (gray_palette ? 1 : 3) : static_cast<std::uint16_t>(header.channels);
  const std::uint16_t bits = header.depth == 16 ? 16 : 8;
  if (samples != 1 && samples != 3) {
    return Error(ErrorCode::Unsupported, "PNG file with " + std::to_string(samples) + " channels");
  }
  DCMKIT_TRY(check_native_size(header.width, header.height, samples, bits / 8u, options, "PNG"));
  std::vector<std::byte> decoded(header.row_bytes * header.height);
  std::vector<png_bytep> rows(header.height);
  for (png_uint_32 y = 0; y < header.height; ++y) {
    rows[y] = reinterpret_cast<png_bytep>(decoded.data() + y * header.row_bytes);  // NOLINT
  }
  if (!png_read_pixels(reader.png, rows.data())) {
    return Error(ErrorCode::MalformedData, std::string("PNG file: ") + message.data());
  }
  ImportedImage image;
  set_native(image, header.width, header.height, samples, bits);
  if (header.alpha) image.notes.emplace_back("alpha channel of the PNG image dropped");
  if (!palette) {
    image.pixel_data = std::move(decoded);
    return image;
  }
  image.pixel_data.resize(std::size_t{header.width} * header.height * samples);
  std::byte* out = image.pixel_data.data();
  for (const std::byte index_byte : decoded) {
    const auto index = static_cast<int>(index_byte);
    if (index >= header.palette_size) {
      return Error(ErrorCode::MalformedData, "PNG palette index beyond the palette");
    }
    const png_color c = header.palette[index];
    *out++ = std::byte{c.red};
    if (samples == 3) {
      *out++ = std::byte{c.green};
      *out++ = std::byte{c.blue};
    }
  }
  return image;
}

// --- TIFF ------------------------------------------------------------------------------------

namespace {

struct TiffInput {
  std::span<const std::byte> bytes;
  toff_t position = 0;
  std::string error;
};

tsize_t tiff_read(thandle_t handle, tdata_t data, tsize_t size) {
  auto* input = static_cast<TiffInput*>(handle);
  if (input->position >= input->bytes.size() || size <= 0) return 0;
  const std::size_t n = std::min(static_cast<std::size_t>(size),
                                 input->bytes.size() - static_cast<std::size_t>(input->position));
  std::memcpy(data, input->bytes.data() + input->position, n);
  input->position += n;
  return static_cast<tsize_t>(n);
}
tsize_t tiff_write(thandle_t, tdata_t, tsize_t) { return 0; }
toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
  auto* input = static_cast<TiffInput*>(handle);
  if (whence == SEEK_SET) input->position = offset;
  if (whence == SEEK_CUR) input->position += offset;
  if (whence == SEEK_END) input->position = input->bytes.size() + offset;
  return input->position;
}
int tiff_close(thandle_t) { return 0; }
toff_t tiff_size(thandle_t handle) { return static_cast<TiffInput*>(handle)->bytes.size(); }
int tiff_map(thandle_t, tdata_t*, toff_t*) { return 0; }
void tiff_unmap(thandle_t, tdata_t, toff_t) {}

int tiff_error(TIFF*, void* user_data, const char* /*module*/, const char* format, va_list args) {
  auto* input = static_cast<TiffInput*>(user_data);
  if (input->error.empty()) {
    std::array<char, 300> text{};
    std::vsnprintf(text.data(), text.size(), format, args);
    input->error = text.data();
  }
  return 1;
}
int tiff_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

struct TiffHandle {
  TIFF* tif = nullptr;
  ~TiffHandle() {
    if (tif != nullptr) TIFFClose(tif);
  }
};

}  // namespace

Result<ImportedImage> import_tiff(std::span<const std::byte> file, const ImportOptions& options) {
  if (detect_image_format(file) != ImageFileFormat::Tiff) {
    return Error(ErrorCode::MalformedData, "Not a TIFF file");
  }
  TiffInput input{file, 0, {}};
  TIFFOpenOptions* open_options = TIFFOpenOptionsAlloc();
  if (open_options == nullptr) return Error(ErrorCode::Internal, "cannot create a TIFF reader");
  TIFFOpenOptionsSetErrorHandlerExtR(open_options, tiff_error, &input);
  TIFFOpenOptionsSetWarningHandlerExtR(open_options, tiff_warning, &input);
  TiffHandle handle;
  // "m": no memory mapping; reads go through tiff_read.
  handle.tif = TIFFClientOpenExt("memory", "rm", &input, tiff_read, tiff_write, tiff_seek,
                                 tiff_close, tiff_size, tiff_map, tiff_unmap, open_options);
  TIFFOpenOptionsFree(open_options);
  auto failure = [&](std::string_view what) {
    return Error(ErrorCode::MalformedData,
                 std::string("TIFF file: ") + std::string(what) +
                     (input.error.empty() ? std::string() : ": " + input.error));
  };
  if (handle.tif == nullptr) return failure("cannot be read");
  TIFF* tif = handle.tif;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint16_t samples = 1;
  std::uint16_t bits = 1;
  std::uint16_t photometric = PHOTOMETRIC_MINISBLACK;
  std::uint16_t planar = PLANARCONFIG_CONTIG;
  std::uint16_t sample_format = SAMPLEFORMAT_UINT;
  if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) != 1 ||
      TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) != 1) {
    return failure("no image size");
  }
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &sample_format);
  if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric) != 1) {
    photometric = samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  }
  ImportedImage image;
  if (TIFFNumberOfDirectories(tif) > 1) {
    image.notes.emplace_back("TIFF file has several pages; only the first is converted");
  }
  const bool gray = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  const bool direct =
      !TIFFIsTiled(tif) && sample_format == SAMPLEFORMAT_UINT &&
      ((gray && (bits == 1 || bits == 8 || bits == 16) && samples >= 1) ||
       (photometric == PHOTOMETRIC_RGB && (bits == 8 || bits == 16) && samples >= 3) ||
       (photometric == PHOTOMETRIC_PALETTE && (bits == 4 || bits == 8) && samples == 1));
  if (!direct) {
    // Everything else through libtiff's RGBA interface (8 bits per channel).
    std::array<char, 1024> reason{};
    if (TIFFRGBAImageOK(tif, reason.data()) != 1) {
      return Error(ErrorCode::Unsupported, std::string("TIFF file: ") + reason.data());
    }
    DCMKIT_TRY(check_native_size(width, height, 4, 1, options, "TIFF"));
    std::vector<std::uint32_t> rgba(std::size_t{width} * height);
    if (TIFFReadRGBAImageOriented(tif, width, height, rgba.data(), ORIENTATION_TOPLEFT, 0) != 1) {
      return failure("pixel data cannot be decoded");
    }
    set_native(image, width, height, 3, 8);
    image.pixel_data.resize(rgba.size() * 3);
    std::byte* out = image.pixel_data.data();
    for (const std::uint32_t v : rgba) {
      *out++ = static_cast<std::byte>(TIFFGetR(v));
      *out++ = static_cast<std::byte>(TIFFGetG(v));
      *out++ = static_cast<std::byte>(TIFFGetB(v));
    }
    if (samples == 4 || samples == 2)
      image.notes.emplace_back("alpha channel of the TIFF image dropped");
    return image;
  }

  const bool palette = photometric == PHOTOMETRIC_PALETTE;
  std::uint16_t* red = nullptr;
  std::uint16_t* green = nullptr;
  std::uint16_t* blue = nullptr;
  bool gray_palette = false;
  const std::size_t palette_size = std::size_t{1} << bits;
  if (palette) {
    if (TIFFGetField(tif, TIFFTAG_COLORMAP, &red, &green, &blue) != 1) {
      return failure("palette image without colour map");
    }
    gray_palette = true;
    for (std::size_t i = 0; i < palette_size; ++i) {
      gray_palette = gray_palette && red[i] == green[i] && green[i] == blue[i];
    }
  }
  const std::uint16_t out_samples = palette ? (gray_palette ? 1 : 3) : (gray ? 1 : 3);
  const std::uint16_t out_bits = bits == 16 ? 16 : 8;
  const std::uint32_t out_bytes = out_bits / 8u;
  DCMKIT_TRY(check_native_size(width, height, out_samples, out_bytes, options, "TIFF"));
  set_native(image, width, height, out_samples, out_bits);
  if (!palette && samples > (gray ? 1 : 3)) {
    image.notes.emplace_back("extra (alpha) samples of the TIFF image dropped");
  }
  image.pixel_data.resize(std::size_t{width} * height * out_samples * out_bytes);
  const auto scanline_size = static_cast<std::size_t>(TIFFScanlineSize64(tif));
  std::vector<std::byte> line(std::max<std::size_t>(scanline_size, 1));
  const bool separate = planar == PLANARCONFIG_SEPARATE && samples > 1;
  const std::uint16_t planes = separate ? (gray ? 1 : 3) : 1;
  const std::size_t in_samples = separate ? 1 : samples;
  const std::size_t needed = (std::size_t{width} * in_samples * bits + 7) / 8;
  if (line.size() < needed) return failure("scanline shorter than the image width");
  for (std::uint16_t plane = 0; plane < planes; ++plane) {
    for (std::uint32_t y = 0; y < height; ++y) {
      if (TIFFReadScanline(tif, line.data(), y, plane) != 1) {
        return failure("pixel data cannot be decoded");
      }
      for (std::uint32_t x = 0; x < width; ++x) {
        const std::size_t pixel = std::size_t{y} * width + x;
        if (bits == 1 || bits == 4) {  // grey (1) or palette (4) indices, MSB first
          const std::size_t bit = std::size_t{x} * bits;
          const unsigned v =
              (static_cast<unsigned>(line[bit / 8]) >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
          if (palette) {
            image.pixel_data[pixel * out_samples] = static_cast<std::byte>(red[v] >> 8);
            if (out_samples == 3) {
              image.pixel_data[pixel * 3 + 1] = static_cast<std::byte>(green[v] >> 8);
              image.pixel_data[pixel * 3 + 2] = static_cast<std::byte>(blue[v] >> 8);
            }
          } else {
            const bool on = (v != 0) != (photometric == PHOTOMETRIC_MINISWHITE);
            image.pixel_data[pixel] = on ? std::byte{0xFF} : std::byte{0};
          }
          continue;
        }
        if (palette) {
          const auto v = static_cast<std::size_t>(line[x]);
          image.pixel_data[pixel * out_samples] = static_cast<std::byte>(red[v] >> 8);
          if (out_samples == 3) {
            image.pixel_data[pixel * 3 + 1] = static_cast<std::byte>(green[v] >> 8);
            image.pixel_data[pixel * 3 + 2] = static_cast<std::byte>(blue[v] >> 8);
          }
          continue;
        }
        for (std::uint16_t s = 0; s < (separate ? 1 : out_samples); ++s) {
          const std::uint16_t target = separate ? plane : s;
          const std::size_t in = (std::size_t{x} * in_samples + s) * out_bytes;
          const std::size_t at = (pixel * out_samples + target) * out_bytes;
          for (std::uint32_t b = 0; b < out_bytes; ++b) {
            std::byte v = line[in + b];
            if (photometric == PHOTOMETRIC_MINISWHITE) v = ~v;
            image.pixel_data[at + b] = v;  // libtiff gives 16-bit samples in host (little) order
          }
        }
      }
    }
  }
  return image;
}

Result<ImportedImage> import_image(std::span<const std::byte> file, ImageFileFormat format,
                                   const ImportOptions& options) {
  switch (format) {
    case ImageFileFormat::Jpeg:
      return import_jpeg(file, options.jpeg);
    case ImageFileFormat::Bmp:
      return import_bmp(file, options);
    case ImageFileFormat::Png:
      return import_png(file, options);
    case ImageFileFormat::Tiff:
      return import_tiff(file, options);
  }
  return Error(ErrorCode::InvalidArgument, "unknown image format");
}

}  // namespace dcmkit::dcmimage

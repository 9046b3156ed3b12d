// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/bitmap.h"

#include <png.h>
#include <tiffio.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>

#include "codecs/turbo.h"

namespace dcmkit::dcmimage {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Status;

namespace {

void append_number(std::string& out, std::uint32_t value) {
  char buffer[16];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// PGM/PPM as DCMTK writes them: "P5\n<w> <h>\n<max>\n" and the samples (raw, 8 bits), or P2/P3
// with every value followed by one space and no line breaks.
Status write_pnm(const Bitmap& b, bool ascii, std::string& out) {
  const bool color = b.channels == 3;
  out.clear();
  out += ascii ? (color ? "P3\n" : "P2\n") : (color ? "P6\n" : "P5\n");
  append_number(out, b.width);
  out += ' ';
  append_number(out, b.height);
  out += '\n';
  const std::uint32_t max_value =
      b.bits >= 32 ? 0xFFFFFFFFu : static_cast<std::uint32_t>((std::uint64_t{1} << b.bits) - 1);
  append_number(out, ascii ? max_value : 255);
  out += '\n';
  if (ascii) {
    out.reserve(out.size() + b.samples.size() * 4);
    for (std::uint32_t v : b.samples) {
      append_number(out, v);
      out += ' ';
    }
  } else {
    const std::size_t header = out.size();
    out.resize(header + b.samples.size());
    char* p = out.data() + header;
    for (std::size_t i = 0; i < b.samples.size(); ++i) p[i] = static_cast<char>(b.samples[i]);
  }
  return {};
}

// --- PNG -------------------------------------------------------------------------------------

void png_append(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);  // NOLINT: libpng's byte type
}

void png_flush_nothing(png_structp /*png*/) {}

[[noreturn]] void png_fail(png_structp png, png_const_charp /*message*/) { png_longjmp(png, 1); }

void png_ignore_warning(png_structp /*png*/, png_const_charp /*message*/) {}

// The libpng calls, kept free of C++ objects with destructors: libpng reports errors by longjmp.
bool encode_png(std::string* out, png_bytepp rows, png_uint_32 width, png_uint_32 height, int depth,
                int color_type, int interlace, int level, bool metainfo) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, png_fail, png_ignore_warning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {  // NOLINT: libpng's error protocol
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, png_append, png_flush_nothing);
  png_set_compression_level(png, level);
  if (level <= 1) png_set_filter(png, 0, PNG_FILTER_SUB);
  png_set_IHDR(png, info, width, height, depth, color_type, interlace, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  static char title_key[] = "Title";
  static char title[] = "Converted DICOM Image";
  static char software_key[] = "Software";
  static char software[] = "dcmkit";
  png_text texts[2] = {};
  texts[0].compression = PNG_TEXT_COMPRESSION_NONE;
  texts[0].key = title_key;
  texts[0].text = title;
  texts[1].compression = PNG_TEXT_COMPRESSION_NONE;
  texts[1].key = software_key;
  texts[1].text = software;
  if (metainfo) png_set_text(png, info, texts, 2);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

Status write_png(const Bitmap& b, const BitmapOptions& options, std::string& out) {
  out.clear();
  const std::uint32_t bytes_per_sample = b.bits > 8 ? 2 : 1;
  const std::size_t row_bytes = std::size_t{b.width} * b.channels * bytes_per_sample;
  std::vector<png_byte> pixels(row_bytes * b.height);
  const std::uint32_t shift = b.bits > 16 ? b.bits - 16 : 0;
  for (std::size_t i = 0; i < b.samples.size(); ++i) {
    const std::uint32_t v = b.samples[i] >> shift;
    if (bytes_per_sample == 1) {
      pixels[i] = static_cast<png_byte>(v);
    } else {
      pixels[2 * i] = static_cast<png_byte>(v >> 8);
      pixels[2 * i + 1] = static_cast<png_byte>(v);
    }
  }
  std::vector<png_bytep> rows(b.height);
  for (std::uint32_t y = 0; y < b.height; ++y) rows[y] = pixels.data() + y * row_bytes;
  if (!encode_png(&out, rows.data(), b.width, b.height, bytes_per_sample == 2 ? 16 : 8,
                  b.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                  options.png_interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                  std::clamp(options.png_compression_level, 0, 9), options.png_metainfo)) {
    return Error(ErrorCode::IoError, "PNG encoding failed");
  }
  return {};
}

// --- BMP -------------------------------------------------------------------------------------

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

Status write_bmp(const Bitmap& b, BitmapFormat format, std::string& out) {
  if (b.bits > 8) return Error(ErrorCode::InvalidArgument, "BMP needs 8-bit samples");
  std::uint32_t bpp = 0;
  if (format == BitmapFormat::Bmp8 || (format == BitmapFormat::Bmp && b.channels == 1)) bpp = 8;
  if (format == BitmapFormat::Bmp24 || (format == BitmapFormat::Bmp && b.channels == 3)) bpp = 24;
  if (format == BitmapFormat::Bmp32) bpp = 32;
  if (bpp == 8 && b.channels != 1) {
    return Error(ErrorCode::InvalidArgument, "8-bit palette BMP only for monochrome images");
  }
  const std::uint32_t row = (b.width * bpp / 8 + 3) & ~3u;
  const std::uint32_t palette = bpp == 8 ? 256 * 4 : 0;
  const std::uint32_t offset = 14 + 40 + palette;
  const std::uint32_t image_size = row * b.height;
  out.clear();
  out.reserve(offset + image_size);
  out += "BM";
  put32(out, offset + image_size);
  put32(out, 0);
  put32(out, offset);
  put32(out, 40);
  put32(out, b.width);
  put32(out, b.height);  // positive: bottom-up rows
  put16(out, 1);
  put16(out, bpp);
  put32(out, 0);  // BI_RGB
  put32(out, image_size);
  put32(out, 0);
  put32(out, 0);
  put32(out, bpp == 8 ? 256 : 0);
  put32(out, 0);
  for (std::uint32_t i = 0; i < palette / 4; ++i) {
    out += static_cast<char>(i);
    out += static_cast<char>(i);
    out += static_cast<char>(i);
    out += '\0';
  }
  for (std::uint32_t y = b.height; y-- > 0;) {
    const std::size_t start = out.size();
    for (std::uint32_t x = 0; x < b.width; ++x) {
      const std::size_t p = (std::size_t{y} * b.width + x) * b.channels;
      if (bpp == 8) {
        out += static_cast<char>(b.samples[p]);
        continue;
      }
      const std::uint32_t r = b.samples[p];
      const std::uint32_t g = b.channels == 3 ? b.samples[p + 1] : r;
      const std::uint32_t bl = b.channels == 3 ? b.samples[p + 2] : r;
      out += static_cast<char>(bl);
      out += static_cast<char>(g);
      out += static_cast<char>(r);
      if (bpp == 32) out += '\0';
    }
    out.resize(start + row, '\0');
  }
  return {};
}

// --- TIFF ------------------------------------------------------------------------------------

struct TiffMemory {
  std::string* out;
  toff_t position = 0;
};

tsize_t tiff_read(thandle_t, tdata_t, tsize_t) { return 0; }
tsize_t tiff_write(thandle_t handle, tdata_t data, tsize_t size) {
  auto* m = static_cast<TiffMemory*>(handle);
  const auto n = static_cast<std::size_t>(size);
  if (m->out->size() < m->position + n) m->out->resize(static_cast<std::size_t>(m->position) + n);
  std::memcpy(m->out->data() + m->position, data, n);
  m->position += n;
  return size;
}
toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
  auto* m = static_cast<TiffMemory*>(handle);
  if (whence == SEEK_SET) m->position = offset;
  if (whence == SEEK_CUR) m->position += offset;
  if (whence == SEEK_END) m->position = m->out->size() + offset;
  return m->position;
}
int tiff_close(thandle_t) { return 0; }
toff_t tiff_size(thandle_t handle) { return static_cast<TiffMemory*>(handle)->out->size(); }
int tiff_map(thandle_t, tdata_t*, toff_t*) { return 0; }
void tiff_unmap(thandle_t, tdata_t, toff_t) {}

// 8-bit baseline JPEG with a JFIF marker, as dcmj2pnm's +oj writes it: IJG quality scaling of
// the standard tables, standard Huffman tables, 4:2:2 chroma by default.
Status write_jpeg(const Bitmap& b, const BitmapOptions& options, std::string& out) {
  if (b.bits > 8) {
    return Error(ErrorCode::InvalidArgument, "JPEG output holds 8 bits per sample only");
  }
  if (b.channels != 1 && b.channels != 3) {
    return Error(ErrorCode::InvalidArgument, "JPEG output holds 1 or 3 samples per pixel");
  }
  std::vector<std::uint8_t> samples(b.samples.size());
  std::transform(b.samples.begin(), b.samples.end(), samples.begin(),
                 [](std::uint32_t v) { return static_cast<std::uint8_t>(v); });
  detail::TurboEncodeParams params;
  params.process = detail::TurboProcess::Baseline;
  params.quality = options.jpeg_quality;
  params.optimize = true;
  params.jfif = true;
  switch (options.jpeg_sampling) {
    case JpegSampling::S444:
      params.h_luma = 1;
      params.v_luma = 1;
      break;
    case JpegSampling::S422:
      params.h_luma = 2;
      params.v_luma = 1;
      break;
    case JpegSampling::S411:
      params.h_luma = 2;
      params.v_luma = 2;
      break;
  }
  DCMKIT_ASSIGN_OR_RETURN(std::vector<std::uint8_t> encoded,
                          detail::turbo_encode(samples, b.width, b.height, b.channels, params));
  out.assign(reinterpret_cast<const char*>(encoded.data()), encoded.size());  // NOLINT
  return {};
}

Status write_tiff(const Bitmap& b, const BitmapOptions& options, std::string& out) {
  if (b.bits > 8) return Error(ErrorCode::InvalidArgument, "TIFF output needs 8-bit samples");
  out.clear();
  TiffMemory memory{&out};
  TIFFSetWarningHandler(nullptr);
  TIFFSetErrorHandler(nullptr);
  TIFF* tif = TIFFClientOpen("memory", "w", &memory, tiff_read, tiff_write, tiff_seek, tiff_close,
                             tiff_size, tiff_map, tiff_unmap);
  if (tif == nullptr) return Error(ErrorCode::IoError, "cannot create TIFF writer");
  const std::uint32_t row_bytes = b.width * b.channels;
  std::uint32_t rows_per_strip = options.tiff_rows_per_strip;
  if (rows_per_strip == 0)
    rows_per_strip = std::max<std::uint32_t>(1, 8192 / std::max(row_bytes, 1u));
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, b.width);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, b.height);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, b.channels);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
               b.channels == 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rows_per_strip);
  TIFFSetField(tif, TIFFTAG_SOFTWARE, "dcmkit");
  const int compression = options.tiff_compression == TiffCompression::Lzw ? COMPRESSION_LZW
                          : options.tiff_compression == TiffCompression::PackBits
                              ? COMPRESSION_PACKBITS
                              : COMPRESSION_NONE;
  TIFFSetField(tif, TIFFTAG_COMPRESSION, compression);
  if (compression == COMPRESSION_LZW && options.tiff_predictor != TiffPredictor::Default) {
    TIFFSetField(tif, TIFFTAG_PREDICTOR,
                 options.tiff_predictor == TiffPredictor::Horizontal ? PREDICTOR_HORIZONTAL
                                                                     : PREDICTOR_NONE);
  }
  std::vector<unsigned char> line(row_bytes);
  bool ok = true;
  for (std::uint32_t y = 0; y < b.height && ok; ++y) {
    for (std::uint32_t i = 0; i < row_bytes; ++i) {
      line[i] = static_cast<unsigned char>(b.samples[std::size_t{y} * row_bytes + i]);
    }
    ok = TIFFWriteScanline(tif, line.data(), y, 0) >= 0;
  }
  TIFFClose(tif);
  if (!ok) return Error(ErrorCode::IoError, "TIFF encoding failed");
  return {};
}

}  // namespace

std::string bitmap_extension(BitmapFormat format, std::uint32_t channels) {
  switch (format) {
    case BitmapFormat::PnmRaw:
    case BitmapFormat::PnmAscii:
      return channels == 3 ? "ppm" : "pgm";
    case BitmapFormat::Bmp:
    case BitmapFormat::Bmp8:
    case BitmapFormat::Bmp24:
    case BitmapFormat::Bmp32:
      return "bmp";
    case BitmapFormat::Tiff:
      return "tif";
    case BitmapFormat::Png:
      return "png";
    case BitmapFormat::Jpeg:
      return "jpg";
  }
  return "pnm";
}

Status write_bitmap(const Bitmap& bitmap, const BitmapOptions& options, std::string& out) {
  switch (options.format) {
    case BitmapFormat::PnmRaw:
      return write_pnm(bitmap, false, out);
    case BitmapFormat::PnmAscii:
      return write_pnm(bitmap, true, out);
    case BitmapFormat::Bmp:
    case BitmapFormat::Bmp8:
    case BitmapFormat::Bmp24:
    case BitmapFormat::Bmp32:
      return write_bmp(bitmap, options.format, out);
    case BitmapFormat::Tiff:
      return write_tiff(bitmap, options, out);
    case BitmapFormat::Png:
      return write_png(bitmap, options, out);
    case BitmapFormat::Jpeg:
      return write_jpeg(bitmap, options, out);
  }
  return Error(ErrorCode::InvalidArgument, "unknown bitmap format");
}

}  // namespace dcmkit::dcmimage

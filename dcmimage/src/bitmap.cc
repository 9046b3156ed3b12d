// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/bitmap.h"

#include <png.h>
#include <tiffio.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <utility>

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

// Adam7 (PNG spec. §8.2): first column and row, and steps, of each of the 7 passes.
constexpr std::uint32_t kPassColumn[7] = {0, 4, 0, 2, 0, 1, 0};
constexpr std::uint32_t kPassColumnStep[7] = {8, 8, 4, 4, 2, 2, 1};
constexpr std::uint32_t kPassRow[7] = {0, 0, 4, 0, 2, 0, 1};
constexpr std::uint32_t kPassRowStep[7] = {8, 8, 8, 4, 4, 2, 2};

// The size of a filtered byte in libpng's "minimum sum of absolute differences" rule: its
// distance from 0 modulo 256.
inline std::uint32_t filter_cost(std::uint8_t v) { return v < 128 ? v : 256u - v; }

inline std::uint8_t paeth_predictor(int a, int b, int c) {
  const int pa = std::abs(b - c);
  const int pb = std::abs(a - c);
  const int pc = std::abs(a + b - 2 * c);
  return static_cast<std::uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Adds the costs of bytes [from, to) of `row` under the five filters to `sums`.
void add_filter_costs(const std::uint8_t* row, const std::uint8_t* prev, std::size_t bpp,
                      std::size_t from, std::size_t to, std::uint64_t* sums) {
  for (std::size_t i = from; i < to; ++i) {
    const int x = row[i];
    const int a = i >= bpp ? row[i - bpp] : 0;
    const int b = prev[i];
    const int c = i >= bpp ? prev[i - bpp] : 0;
    sums[0] += filter_cost(static_cast<std::uint8_t>(x));
    sums[1] += filter_cost(static_cast<std::uint8_t>(x - a));
    sums[2] += filter_cost(static_cast<std::uint8_t>(x - b));
    sums[3] += filter_cost(static_cast<std::uint8_t>(x - (a + b) / 2));
    sums[4] += filter_cost(static_cast<std::uint8_t>(x - paeth_predictor(a, b, c)));
  }
}

#if defined(__SSE2__)
// The same 16 bytes at a time, for i >= bpp (every byte has a left neighbour).
std::size_t add_filter_costs_sse2(const std::uint8_t* row, const std::uint8_t* prev,
                                  std::size_t bpp, std::size_t from, std::size_t to,
                                  std::uint64_t* sums) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i one = _mm_set1_epi8(1);
  __m128i acc[5] = {zero, zero, zero, zero, zero};
  const auto load = [](const std::uint8_t* p) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));  // NOLINT: SSE2 load
  };
  const auto abs16 = [&](__m128i v) { return _mm_max_epi16(v, _mm_sub_epi16(zero, v)); };
  // The Paeth prediction of 8 pixels' bytes widened to 16 bits.
  const auto paeth16 = [&](__m128i a, __m128i b, __m128i c) {
    const __m128i pa = abs16(_mm_sub_epi16(b, c));
    const __m128i pb = abs16(_mm_sub_epi16(a, c));
    const __m128i pc = abs16(_mm_sub_epi16(_mm_add_epi16(a, b), _mm_add_epi16(c, c)));
    const __m128i not_a = _mm_or_si128(_mm_cmpgt_epi16(pa, pb), _mm_cmpgt_epi16(pa, pc));
    const __m128i not_b = _mm_cmpgt_epi16(pb, pc);
    const __m128i b_or_c = _mm_or_si128(_mm_andnot_si128(not_b, b), _mm_and_si128(not_b, c));
    return _mm_or_si128(_mm_andnot_si128(not_a, a), _mm_and_si128(not_a, b_or_c));
  };
  // The filtered bytes of 16 bytes at `i`, their costs masked by `keep` (0xFF: counted).
  const auto add = [&](std::size_t i, __m128i keep) {
    const __m128i x = load(row + i);
    const __m128i a = load(row + i - bpp);
    const __m128i b = load(prev + i);
    const __m128i c = load(prev + i - bpp);
    const auto cost = [&](__m128i v) {
      return _mm_sad_epu8(_mm_and_si128(_mm_min_epu8(v, _mm_sub_epi8(zero, v)), keep), zero);
    };
    acc[0] = _mm_add_epi64(acc[0], cost(x));
    acc[1] = _mm_add_epi64(acc[1], cost(_mm_sub_epi8(x, a)));
    acc[2] = _mm_add_epi64(acc[2], cost(_mm_sub_epi8(x, b)));
    // floor((a + b) / 2): _mm_avg_epu8 rounds up when a + b is odd.
    const __m128i average =
        _mm_sub_epi8(_mm_avg_epu8(a, b), _mm_and_si128(_mm_xor_si128(a, b), one));
    acc[3] = _mm_add_epi64(acc[3], cost(_mm_sub_epi8(x, average)));
    const __m128i low =
        paeth16(_mm_unpacklo_epi8(a, zero), _mm_unpacklo_epi8(b, zero), _mm_unpacklo_epi8(c, zero));
    const __m128i high =
        paeth16(_mm_unpackhi_epi8(a, zero), _mm_unpackhi_epi8(b, zero), _mm_unpackhi_epi8(c, zero));
    acc[4] = _mm_add_epi64(acc[4], cost(_mm_sub_epi8(x, _mm_packus_epi16(low, high))));
  };
  const __m128i all = _mm_set1_epi8(-1);
  std::size_t i = from;
  for (; i + 16 <= to; i += 16) add(i, all);
  if (i < to && to >= from + 16) {
    // The last bytes: the 16 ending at `to`, without those already counted.
    alignas(16) std::uint8_t keep[16];
    const std::size_t counted = 16 - (to - i);
    for (std::size_t k = 0; k < 16; ++k) keep[k] = k < counted ? 0 : 0xFF;
    add(to - 16, _mm_load_si128(reinterpret_cast<const __m128i*>(keep)));  // NOLINT: SSE2 load
    i = to;
  }
  for (int f = 0; f < 5; ++f) {
    alignas(16) std::uint64_t lanes[2];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), acc[f]);  // NOLINT: SSE2 store
    sums[f] += lanes[0] + lanes[1];
  }
  return i;
}
#endif

// The filter libpng 1.6 picks for a row when all five are allowed (png_write_find_filter): the
// smallest sum of filter_cost() over the filtered bytes, the first of equal sums in the order
// None, Sub, Up, Average, Paeth. `prev` is the previous row of the same pass (zeros for the
// first). Computed here in one vectorised pass instead of libpng's five, then handed to libpng
// as the only filter allowed for the row, so that the bytes written stay libpng's.
int choose_filter(const std::uint8_t* row, const std::uint8_t* prev, std::size_t size,
                  std::size_t bpp) {
  std::uint64_t sums[5] = {};
  const std::size_t head = std::min(bpp, size);
  add_filter_costs(row, prev, bpp, 0, head, sums);
  std::size_t done = head;
#if defined(__SSE2__)
  done = add_filter_costs_sse2(row, prev, bpp, head, size, sums);
#endif
  add_filter_costs(row, prev, bpp, done, size, sums);
  int best = 0;
  for (int f = 1; f < 5; ++f) {
    if (sums[f] < sums[best]) best = f;
  }
  return best;
}

// What encode_png() needs, in plain storage: libpng reports errors by longjmp, so nothing in
// its frames may have a destructor.
struct PngJob {
  const std::uint32_t* samples;
  png_uint_32 width;
  png_uint_32 height;
  std::uint32_t channels;
  std::uint32_t bytes_per_sample;
  std::uint32_t shift;  // samples of more than 16 bits keep their top 16
  bool interlace;
  bool choose_filters;
  int level;
  bool metainfo;
  png_byte* row;   // one row of the image
  png_byte* prev;  // the previous row of the same pass
};

// Packs the samples of image row `y`, columns x0, x0 + step, ... into PNG bytes (big endian).
std::size_t pack_row(const PngJob& job, std::uint32_t y, std::uint32_t x0, std::uint32_t step,
                     png_byte* out) {
  const std::uint32_t channels = job.channels;
  const std::uint32_t* line = job.samples + std::size_t{y} * job.width * channels;
  png_byte* p = out;
  if (job.bytes_per_sample == 1 && channels == 1) {
    for (std::uint32_t x = x0; x < job.width; x += step) *p++ = static_cast<png_byte>(line[x]);
    return static_cast<std::size_t>(p - out);
  }
  for (std::uint32_t x = x0; x < job.width; x += step) {
    for (std::uint32_t c = 0; c < channels; ++c) {
      const std::uint32_t v = line[std::size_t{x} * channels + c] >> job.shift;
      if (job.bytes_per_sample == 2) *p++ = static_cast<png_byte>(v >> 8);
      *p++ = static_cast<png_byte>(v);
    }
  }
  return static_cast<std::size_t>(p - out);
}

bool encode_png(std::string* out, const PngJob& job) {
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
  png_set_compression_level(png, job.level);
  if (job.level <= 1) png_set_filter(png, 0, PNG_FILTER_SUB);
  png_set_IHDR(png, info, job.width, job.height, job.bytes_per_sample == 2 ? 16 : 8,
               job.channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
               job.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
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
  if (job.metainfo) png_set_text(png, info, texts, 2);
  png_write_info(png, info);
  // Rows are handed over pass by pass, already interlaced (so without
  // png_set_interlace_handling); libpng skips empty passes itself. A 1-pixel wide or high image
  // restricts libpng's filters, so that (rare) case keeps libpng's own choice.
  const bool choose = job.choose_filters && job.level > 1 && job.width > 1 && job.height > 1;
  const std::size_t bpp = std::size_t{job.channels} * job.bytes_per_sample;
  bool started = false;
  for (int pass = job.interlace ? 0 : 6; pass < 7; ++pass) {
    const std::uint32_t x0 = job.interlace ? kPassColumn[pass] : 0;
    const std::uint32_t x_step = job.interlace ? kPassColumnStep[pass] : 1;
    const std::uint32_t y0 = job.interlace ? kPassRow[pass] : 0;
    const std::uint32_t y_step = job.interlace ? kPassRowStep[pass] : 1;
    if (x0 >= job.width || y0 >= job.height) continue;
    const std::size_t pass_bytes = std::size_t{(job.width - x0 + x_step - 1) / x_step} * bpp;
    if (choose) std::memset(job.prev, 0, pass_bytes);
    png_byte* row = job.row;
    png_byte* prev = job.prev;
    for (std::uint32_t y = y0; y < job.height; y += y_step) {
      pack_row(job, y, x0, x_step, row);
      // libpng allocates the buffers of the filters it may use at its first row: that row
      // keeps the default (all filters) and libpng's own choice.
      if (choose && started) {
        png_set_filter(png, PNG_FILTER_TYPE_BASE,
                       PNG_FILTER_NONE << choose_filter(row, prev, pass_bytes, bpp));
      }
      png_write_row(png, row);
      started = true;
      std::swap(row, prev);
    }
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

Status write_png(const Bitmap& b, const BitmapOptions& options, std::string& out) {
  out.clear();
  if (b.channels != 1 && b.channels != 3) {
    return Error(ErrorCode::InvalidArgument, "PNG output holds 1 or 3 samples per pixel");
  }
  if (b.samples.size() < std::size_t{b.width} * b.height * b.channels) {
    return Error(ErrorCode::InvalidArgument, "bitmap holds fewer samples than its size");
  }
  const std::uint32_t bytes_per_sample = b.bits > 8 ? 2 : 1;
  const std::size_t row_bytes = std::size_t{b.width} * b.channels * bytes_per_sample;
  std::vector<png_byte> rows(2 * row_bytes);
  PngJob job{};
  job.samples = b.samples.data();
  job.width = b.width;
  job.height = b.height;
  job.channels = b.channels;
  job.bytes_per_sample = bytes_per_sample;
  job.shift = b.bits > 16 ? b.bits - 16 : 0;
  job.interlace = options.png_interlace;
  job.choose_filters = options.png_choose_filters;
  job.level = std::clamp(options.png_compression_level, 0, 9);
  job.metainfo = options.png_metainfo;
  job.row = rows.data();
  job.prev = rows.data() + row_bytes;
  // A PNG is a little smaller than its samples (deflate level 6); one allocation, not many.
  out.reserve(row_bytes * b.height / 2 + 1024);
  if (!encode_png(&out, job)) return Error(ErrorCode::IoError, "PNG encoding failed");
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

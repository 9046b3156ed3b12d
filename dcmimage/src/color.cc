// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/color.h"

#include <algorithm>
#include <cmath>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmimage {

using dcmimgle::LookupTable;
using dcmimgle::Raster;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

Error malformed(std::string message) { return Error(ErrorCode::MalformedData, std::move(message)); }

std::uint32_t samples_of(ColorModel model) {
  switch (model) {
    case ColorModel::Palette:
      return 1;
    case ColorModel::Argb:
    case ColorModel::Cmyk:
      return 4;
    default:
      return 3;
  }
}

// One palette table: normal (descriptor + data) or segmented (descriptor + segmented data).
Result<LookupTable> read_palette(const dcmdata::DataSet& data, dcmdata::Tag descriptor,
                                 dcmdata::Tag normal, dcmdata::Tag segmented,
                                 const ColorOptions& options, const char* color) {
  if (data.contains(descriptor) && !data.contains(normal) && data.contains(segmented)) {
    const dcmdata::Element* d = data.find(descriptor);
    const dcmdata::SharedBytes db = d->little_endian_bytes();
    if (db.size() < 6) return malformed(std::string(color) + " palette descriptor too short");
    const std::uint16_t count_word = ofstd::load_u16(db.data(), ofstd::Endian::Little);
    const std::uint16_t first = ofstd::load_u16(db.data() + 2, ofstd::Endian::Little);
    const std::uint16_t bits = ofstd::load_u16(db.data() + 4, ofstd::Endian::Little);
    const dcmdata::SharedBytes sb = data.find(segmented)->little_endian_bytes();
    std::vector<std::uint16_t> words(sb.size() / 2);
    for (std::size_t i = 0; i < words.size(); ++i) {
      words[i] = ofstd::load_u16(sb.data() + 2 * i, ofstd::Endian::Little);
    }
    LookupTable lut;
    DCMKIT_ASSIGN_OR_RETURN(
        lut.entries, dcmimgle::expand_segmented_lut(words, count_word == 0 ? 65536 : count_word));
    lut.first_mapped = options.lut.signed_first_value ? static_cast<std::int16_t>(first) : first;
    lut.bits = bits == 8 ? 8 : 16;
    return lut;
  }
  auto lut = LookupTable::from_elements(data, descriptor, normal, options.lut);
  if (!lut) {
    return Error(lut.error().code(),
                 std::string("invalid ") + color + " palette: " + lut.error().message());
  }
  return lut;
}

inline std::uint32_t clamp_u(std::int64_t v, std::int64_t max) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, max));
}

}  // namespace

Result<ColorModel> parse_color_model(std::string_view p) {
  if (p == "RGB") return ColorModel::Rgb;
  if (p == "YBR_FULL") return ColorModel::YbrFull;
  if (p == "YBR_FULL_422") return ColorModel::YbrFull422;
  if (p == "YBR_PARTIAL_422") return ColorModel::YbrPartial422;
  if (p == "YBR_PARTIAL_420") return ColorModel::YbrPartial420;
  if (p == "YBR_ICT") return ColorModel::YbrIct;
  if (p == "YBR_RCT") return ColorModel::YbrRct;
  if (p == "PALETTE COLOR") return ColorModel::Palette;
  if (p == "ARGB") return ColorModel::Argb;
  if (p == "CMYK") return ColorModel::Cmyk;
  if (p == "HSV") return ColorModel::Hsv;
  return Error(ErrorCode::Unsupported,
               "unsupported photometric interpretation '" + std::string(p) + "'");
}

Result<ColorConverter> ColorConverter::create(const dcmdata::DataSet& data,
                                              const dcmdata::PixelDescription& description,
                                              const ColorOptions& options) {
  ColorConverter c;
  DCMKIT_ASSIGN_OR_RETURN(c.model_, parse_color_model(description.photometric_interpretation));
  c.description_ = description;
  if (description.samples_per_pixel != samples_of(c.model_)) {
    return malformed("invalid value for 'SamplesPerPixel' (" +
                     std::to_string(description.samples_per_pixel) + ") for " +
                     description.photometric_interpretation);
  }
  c.bits_ = std::min<std::uint32_t>(description.bits_stored, 32);
  if (c.model_ == ColorModel::Palette || c.model_ == ColorModel::Argb) {
    ColorOptions palette_options = options;
    palette_options.lut.signed_first_value = description.is_signed;
    using dcmdata::tags::BluePaletteColorLookupTableData;
    using dcmdata::tags::BluePaletteColorLookupTableDescriptor;
    using dcmdata::tags::GreenPaletteColorLookupTableData;
    using dcmdata::tags::GreenPaletteColorLookupTableDescriptor;
    using dcmdata::tags::RedPaletteColorLookupTableData;
    using dcmdata::tags::RedPaletteColorLookupTableDescriptor;
    auto red = read_palette(
        data, RedPaletteColorLookupTableDescriptor, RedPaletteColorLookupTableData,
        dcmdata::tags::SegmentedRedPaletteColorLookupTableData, palette_options, "red");
    if (!red && options.accept_palette_tags) {
      red = read_palette(data, dcmdata::Tag{0x0028, 0x1111}, dcmdata::Tag{0x0028, 0x1211},
                         dcmdata::Tag{0x0028, 0x1221}, palette_options, "red");
    }
    if (!red) {
      if (c.model_ == ColorModel::Argb) {
        c.bits_ = std::min<std::uint32_t>(description.bits_stored, 32);
        return c;
      }
      return red.error();
    }
    DCMKIT_ASSIGN_OR_RETURN(
        c.green_,
        read_palette(data, GreenPaletteColorLookupTableDescriptor, GreenPaletteColorLookupTableData,
                     dcmdata::tags::SegmentedGreenPaletteColorLookupTableData, palette_options,
                     "green"));
    DCMKIT_ASSIGN_OR_RETURN(
        c.blue_,
        read_palette(data, BluePaletteColorLookupTableDescriptor, BluePaletteColorLookupTableData,
                     dcmdata::tags::SegmentedBluePaletteColorLookupTableData, palette_options,
                     "blue"));
    c.red_ = std::move(*red);
    c.bits_ = std::max({c.red_.bits, c.green_.bits, c.blue_.bits});
  }
  return c;
}

void ColorConverter::convert(std::span<const std::int32_t> samples,
                             Raster<std::uint32_t>& rgb) const {
  const dcmdata::PixelDescription& d = description_;
  const std::size_t pixels = std::size_t{d.rows} * d.columns;
  rgb.width = d.columns;
  rgb.height = d.rows;
  rgb.channels = 3;
  rgb.samples.resize(pixels * 3);
  const std::uint32_t spp = d.samples_per_pixel;
  const bool planar = d.planar_configuration == 1 && spp > 1 && model_ != ColorModel::YbrFull422 &&
                      model_ != ColorModel::YbrPartial422;
  // Sample k of pixel i, made unsigned as DCMTK does (signed data is offset by half the range).
  const std::int64_t sign_offset =
      d.is_signed && model_ != ColorModel::Palette ? (std::int64_t{1} << (bits_ - 1)) : 0;
  const auto sample = [&](std::size_t i, std::uint32_t k) -> std::int64_t {
    const std::size_t at = planar ? k * pixels + i : i * spp + k;
    return at < samples.size() ? std::int64_t{samples[at]} + sign_offset : 0;
  };
  const std::int64_t max_value = bits_ >= 32 ? 0xFFFFFFFFll : (std::int64_t{1} << bits_) - 1;
  std::uint32_t* out = rgb.samples.data();
  switch (model_) {
    case ColorModel::Rgb:
    case ColorModel::YbrIct:  // decoders deliver these as RGB
    case ColorModel::YbrRct:
      for (std::size_t i = 0; i < pixels; ++i) {
        for (std::uint32_t k = 0; k < 3; ++k) out[i * 3 + k] = clamp_u(sample(i, k), max_value);
      }
      break;
    case ColorModel::YbrFull:
    case ColorModel::YbrFull422:
      // DCMTK converts 8-bit YBR_FULL through tables (each term truncated on its own) but
      // YBR_FULL_422 with the plain formula (dcm4che's YBR_422.dcm shows the difference).
      if (bits_ == 8 && model_ == ColorModel::YbrFull) {
        std::int32_t r_cr[256];
        std::int32_t g_cb[256];
        std::int32_t g_cr[256];
        std::int32_t b_cb[256];
        const double r_const = 0.7010 * 255;
        const double g_const = 0.5291 * 255;
        const double b_const = 0.8859 * 255;
        for (int v = 0; v < 256; ++v) {
          r_cr[v] = static_cast<std::int16_t>(1.4020 * v - r_const);
          g_cb[v] = static_cast<std::int16_t>(0.3441 * v);
          g_cr[v] = static_cast<std::int16_t>(0.7141 * v - g_const);
          b_cb[v] = static_cast<std::int16_t>(1.7720 * v - b_const);
        }
        for (std::size_t i = 0; i < pixels; ++i) {
          const auto y = static_cast<std::int32_t>(sample(i, 0) & 0xFF);
          const auto cb = static_cast<std::size_t>(sample(i, 1) & 0xFF);
          const auto cr = static_cast<std::size_t>(sample(i, 2) & 0xFF);
          out[i * 3] = clamp_u(y + r_cr[cr], 255);
          out[i * 3 + 1] = clamp_u(y - g_cb[cb] - g_cr[cr], 255);
          out[i * 3 + 2] = clamp_u(y + b_cb[cb], 255);
        }
      } else {
        const auto m = static_cast<double>(max_value);
        for (std::size_t i = 0; i < pixels; ++i) {
          const auto y = static_cast<double>(sample(i, 0));
          const auto cb = static_cast<double>(sample(i, 1));
          const auto cr = static_cast<double>(sample(i, 2));
          out[i * 3] = clamp_u(static_cast<std::int64_t>(y + 1.4020 * cr - 0.7010 * m), max_value);
          out[i * 3 + 1] = clamp_u(
              static_cast<std::int64_t>(y - 0.3441 * cb - 0.7141 * cr + 0.5291 * m), max_value);
          out[i * 3 + 2] =
              clamp_u(static_cast<std::int64_t>(y + 1.7720 * cb - 0.8859 * m), max_value);
        }
      }
      break;
    case ColorModel::YbrPartial422:
    case ColorModel::YbrPartial420: {
      const auto m = static_cast<double>(max_value);
      for (std::size_t i = 0; i < pixels; ++i) {
        const double y = 1.1631 * (static_cast<double>(sample(i, 0)) - 0.0627 * m);
        const double cb = static_cast<double>(sample(i, 1)) - 0.5020 * m;
        const double cr = static_cast<double>(sample(i, 2)) - 0.5020 * m;
        out[i * 3] = clamp_u(static_cast<std::int64_t>(y + 1.5969 * cr), max_value);
        out[i * 3 + 1] =
            clamp_u(static_cast<std::int64_t>(y - 0.3913 * cb - 0.8121 * cr), max_value);
        out[i * 3 + 2] = clamp_u(static_cast<std::int64_t>(y + 2.0177 * cb), max_value);
      }
      break;
    }
    case ColorModel::Palette:
      for (std::size_t i = 0; i < pixels; ++i) {
        const std::int64_t v = sample(i, 0);
        out[i * 3] = red_(v);
        out[i * 3 + 1] = green_(v);
        out[i * 3 + 2] = blue_(v);
      }
      break;
    case ColorModel::Argb:
      for (std::size_t i = 0; i < pixels; ++i) {
        const std::int64_t a = sample(i, 0);
        if (!red_.entries.empty() && a != 0) {
          out[i * 3] = red_(a);
          out[i * 3 + 1] = green_(a);
          out[i * 3 + 2] = blue_(a);
        } else {
          for (std::uint32_t k = 0; k < 3; ++k) {
            out[i * 3 + k] = clamp_u(sample(i, k + 1), max_value);
          }
        }
      }
      break;
    case ColorModel::Cmyk:
      for (std::size_t i = 0; i < pixels; ++i) {
        const std::int64_t k = sample(i, 3);
        for (std::uint32_t c = 0; c < 3; ++c) {
          out[i * 3 + c] = clamp_u(max_value - sample(i, c) - k, max_value);
        }
      }
      break;
    case ColorModel::Hsv: {
      const auto m = static_cast<double>(max_value);
      for (std::size_t i = 0; i < pixels; ++i) {
        const double h = static_cast<double>(sample(i, 0)) * 6.0 / (m + 1);
        const double s = static_cast<double>(sample(i, 1)) / m;
        const double v = static_cast<double>(sample(i, 2));
        double r = v;
        double g = v;
        double b = v;
        if (s > 0) {
          const int sector = static_cast<int>(h) % 6;
          const double f = h - std::floor(h);
          const double p = v * (1 - s);
          const double q = v * (1 - s * f);
          const double t = v * (1 - s * (1 - f));
          switch (sector) {
            case 0:
              r = v;
              g = t;
              b = p;
              break;
            case 1:
              r = q;
              g = v;
              b = p;
              break;
            case 2:
              r = p;
              g = v;
              b = t;
              break;
            case 3:
              r = p;
              g = q;
              b = v;
              break;
            case 4:
              r = t;
              g = p;
              b = v;
              break;
            default:
              r = v;
              g = p;
              b = q;
              break;
          }
        }
        out[i * 3] = clamp_u(static_cast<std::int64_t>(r), max_value);
        out[i * 3 + 1] = clamp_u(static_cast<std::int64_t>(g), max_value);
        out[i * 3 + 2] = clamp_u(static_cast<std::int64_t>(b), max_value);
      }
      break;
    }
  }
}

void rgb_to_gray(const Raster<std::uint32_t>& rgb, std::vector<std::int32_t>& gray) {
  const std::size_t pixels = std::size_t{rgb.width} * rgb.height;
  gray.resize(pixels);
  for (std::size_t i = 0; i < pixels; ++i) {
    const double v = 0.299 * rgb.samples[i * 3] + 0.587 * rgb.samples[i * 3 + 1] +
                     0.114 * rgb.samples[i * 3 + 2];
    gray[i] = static_cast<std::int32_t>(v);
  }
}

}  // namespace dcmkit::dcmimage

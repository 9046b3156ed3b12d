// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/pixel_image.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <tuple>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmimgle/mono.h"
#include "dcmkit/ofstd/uid_generator.h"
#include "xray.h"

namespace dcmkit::dcmimage {

using dcmimgle::Raster;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;
namespace tags = dcmdata::tags;

namespace {

// A spacing pair (row spacing, column spacing) from a DS element with two positive values.
std::optional<std::pair<double, double>> spacing_of(const dcmdata::Element* e) {
  if (e == nullptr || e->bytes().empty()) return std::nullopt;
  auto h = e->as_double(0);
  auto w = e->as_double(1);
  if (h && w && *h > 0 && *w > 0) return std::pair{*h, *w};
  return std::nullopt;
}

// The bits needed for `value` (at least 1).
std::uint32_t bits_of(std::uint64_t value) {
  std::uint32_t bits = 0;
  while (value > 0) {
    ++bits;
    value >>= 1;
  }
  return bits == 0 ? 1 : bits;
}

// DCMTK's bits for a value range (DicomImageClass::rangeToBits): the bits of the magnitude,
// plus a sign bit when the range is negative.
std::uint32_t range_to_bits(std::int64_t min, std::int64_t max) {
  if (min < 0) {
    const auto magnitude_min = static_cast<std::uint64_t>(-(min + 1)) + 1;
    const auto magnitude_max = static_cast<std::uint64_t>(std::max<std::int64_t>(max, 0));
    if (magnitude_min > magnitude_max) return bits_of(magnitude_min - 1) + 1;
    return bits_of(magnitude_max) + 1;
  }
  return bits_of(static_cast<std::uint64_t>(max));
}

std::string format_spacing(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%f", value);
  return buffer;
}

Status set_text(dcmdata::DataSet& data, dcmdata::Tag tag, dcmdata::VR vr, std::string_view text) {
  return data.set_string(tag, vr, text);
}

// A UID value as it is (files carry invalid ones, e.g. dcm4che's YBR_422.dcm with a leading
// zero in a component; DCMTK copies them unchanged), padded with NUL to even length.
Status set_uid_bytes(dcmdata::DataSet& data, dcmdata::Tag tag, std::string_view text) {
  std::string value(text);
  if (value.size() % 2 != 0) value += '\0';
  return data.set_bytes(tag, dcmdata::VR::UI, dcmdata::SharedBytes::copy_of(value));
}

}  // namespace

Result<PixelImage> PixelImage::load(const dcmdata::DataSet& data, const dcmdata::TransferSyntax& ts,
                                    const PixelImageOptions& options) {
  PixelImage image;
  DCMKIT_ASSIGN_OR_RETURN(dcmimgle::PixelFrames frames,
                          dcmimgle::PixelFrames::open(data, ts, options.limits));
  if (frames.sample_kind() != dcmimgle::SampleKind::Integer) {
    return Error(ErrorCode::Unsupported, "float pixel data is not supported");
  }
  const dcmdata::PixelDescription& d = frames.description();
  std::string photometric = d.photometric_interpretation;
  if (photometric.empty()) {
    if (!options.accept_acr_nema || d.samples_per_pixel != 1) {
      return Error(ErrorCode::MalformedData,
                   "mandatory attribute 'PhotometricInterpretation' is missing");
    }
    photometric = "MONOCHROME2";
  }
  image.monochrome_ = photometric == "MONOCHROME1" || photometric == "MONOCHROME2";
  if (image.monochrome_ && d.samples_per_pixel != 1) {
    return Error(ErrorCode::MalformedData, "invalid value for 'SamplesPerPixel' (" +
                                               std::to_string(d.samples_per_pixel) + ") for " +
                                               photometric);
  }
  const std::uint64_t channels = image.monochrome_ ? 1 : 3;
  const std::uint64_t total = std::uint64_t{d.rows} * d.columns * channels * frames.frame_count();
  if (total > options.max_total_samples) {
    return Error(ErrorCode::LimitExceeded, "image too large: " + std::to_string(total) +
                                               " samples in " +
                                               std::to_string(frames.frame_count()) + " frames");
  }
  image.photometric_ = image.monochrome_ ? photometric : "RGB";
  image.width_ = d.columns;
  image.height_ = d.rows;
  image.original_width_ = d.columns;
  image.original_height_ = d.rows;

  // Geometry of the pixels: Pixel Spacing (top level, else the shared Pixel Measures macro),
  // else Imager Pixel Spacing, else Nominal Scanned Pixel Spacing, else Pixel Aspect Ratio
  // (PS3.3 C.7.6.3.1.7), as DCMTK reads them.
  const dcmdata::DataSet* measures =
      dcmimgle::shared_functional_group(data, tags::PixelMeasuresSequence);
  for (const dcmdata::Element* e :
       {data.find(tags::PixelSpacing),
        measures != nullptr ? measures->find(tags::PixelSpacing) : nullptr,
        data.find(tags::ImagerPixelSpacing), data.find(tags::NominalScannedPixelSpacing)}) {
    if (const auto spacing = spacing_of(e)) {
      image.has_pixel_spacing_ = true;
      image.pixel_height_ = spacing->first;
      image.pixel_width_ = spacing->second;
      image.aspect_ratio_ = spacing->first / spacing->second;
      break;
    }
  }
  if (!image.has_pixel_spacing_) {
    const dcmdata::Element* e = data.find(tags::PixelAspectRatio);
    if (e != nullptr && !e->bytes().empty()) {
      auto v = e->as_double(0);
      auto h = e->as_double(1);
      image.has_aspect_ratio_ = true;
      if (!h) h = 1.0;
      if (v && *v > 0 && *h > 0) image.aspect_ratio_ = *v / *h;
    }
  }

  std::vector<std::int32_t> samples;
  image.frames_.reserve(static_cast<std::size_t>(frames.frame_count()));
  if (image.monochrome_) {
    dcmimgle::LutOptions lut = options.lut;
    lut.signed_first_value = d.is_signed;
    DCMKIT_ASSIGN_OR_RETURN(
        const dcmimgle::ModalityTransform modality,
        dcmimgle::ModalityTransform::from(
            data,
            options.ignore_modality ||
                detail::is_xray_image(data.get_string(tags::SOPClassUID).value_or("")),
            lut));
    const dcmimgle::ModalityRange absolute =
        modality.range(frames.min_storable(), frames.max_storable());
    // DCMTK keeps the modality values in an unsigned type when the rescaled smallest and largest
    // stored values are not negative (measured), from 2^31 as their bits.
    std::int64_t low = std::numeric_limits<std::int64_t>::max();
    std::int64_t high = std::numeric_limits<std::int64_t>::min();
    for (std::uint64_t f = 0; f < frames.frame_count(); ++f) {
      Raster<std::int32_t> raster{d.columns, d.rows, 1, {}};
      DCMKIT_TRY(frames.unpack(f, raster.samples));
      for (const std::int32_t v : raster.samples) {
        const std::int64_t value =
            d.is_signed ? std::int64_t{v} : std::int64_t{static_cast<std::uint32_t>(v)};
        low = std::min(low, value);
        high = std::max(high, value);
      }
      image.frames_.push_back(std::move(raster));
    }
    const bool unsigned_type =
        absolute.min >= 0 ||
        (low <= high && modality.kind == dcmimgle::ModalityTransform::Kind::Rescale &&
         modality.range(low, high).min >= 0);
    image.unsigned_ = unsigned_type && absolute.max > 65535;
    for (Raster<std::int32_t>& raster : image.frames_) {
      modality.apply(raster.samples, raster.samples, unsigned_type, !d.is_signed);
    }
    std::tie(image.loaded_min_, image.loaded_max_) = image.value_range();
    image.value_limits_ = dcmimgle::bits_limits(static_cast<long long>(absolute.min),
                                                static_cast<long long>(absolute.max));
    return image;
  }
  DCMKIT_ASSIGN_OR_RETURN(const ColorConverter converter,
                          ColorConverter::create(data, d, options.color));
  image.color_bits_ = converter.bits();
  if (const auto planar = data.get_int(tags::PlanarConfiguration)) {
    image.planar_configuration_ = static_cast<std::uint16_t>(*planar == 1 ? 1 : 0);
  }
  Raster<std::uint32_t> rgb;
  for (std::uint64_t f = 0; f < frames.frame_count(); ++f) {
    DCMKIT_TRY(frames.unpack(f, samples));
    converter.convert(samples, rgb);
    Raster<std::int32_t> raster{rgb.width, rgb.height, 3, {}};
    raster.samples.resize(rgb.samples.size());
    for (std::size_t i = 0; i < rgb.samples.size(); ++i) {
      raster.samples[i] = static_cast<std::int32_t>(std::min<std::uint32_t>(rgb.samples[i], 65535));
    }
    image.frames_.push_back(std::move(raster));
  }
  return image;
}

std::pair<std::int64_t, std::int64_t> PixelImage::value_range() const noexcept {
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
  for (const Raster<std::int32_t>& frame : frames_) {
    for (const std::int32_t v : frame.samples) {
      const std::int64_t value =
          unsigned_ ? std::int64_t{static_cast<std::uint32_t>(v)} : std::int64_t{v};
      min = std::min(min, value);
      max = std::max(max, value);
    }
  }
  if (min > max) return {0, 0};
  return {min, max};
}

namespace {

// The rectangle of `image` at (left, top), parts outside filled with 0.
Raster<std::int32_t> clip_signed(const Raster<std::int32_t>& image, std::int64_t left,
                                 std::int64_t top, std::uint32_t width, std::uint32_t height) {
  Raster<std::int32_t> out{width, height, image.channels, {}};
  out.samples.assign(std::size_t{width} * height * image.channels, 0);
  for (std::uint32_t y = 0; y < height; ++y) {
    const std::int64_t sy = top + y;
    if (sy < 0 || sy >= image.height) continue;
    for (std::uint32_t x = 0; x < width; ++x) {
      const std::int64_t sx = left + x;
      if (sx < 0 || sx >= image.width) continue;
      for (std::uint32_t c = 0; c < image.channels; ++c) {
        out.at(x, y, c) =
            image.at(static_cast<std::uint32_t>(sx), static_cast<std::uint32_t>(sy), c);
      }
    }
  }
  return out;
}

}  // namespace

Status PixelImage::transform(const GeometryOptions& geometry) {
  if (frames_.empty()) return {};
  const bool scaling = geometry.scale_mode != ScaleMode::None;
  std::optional<ClipRegion> region = geometry.clip;
  if (region) {
    // A width or height of 0 reaches the image's edge (as DCMTK's createClippedImage).
    if (region->width == 0) {
      region->width = static_cast<std::uint32_t>(std::max<std::int64_t>(width_ - region->left, 0));
    }
    if (region->height == 0) {
      region->height = static_cast<std::uint32_t>(std::max<std::int64_t>(height_ - region->top, 0));
    }
    if (region->width == 0 || region->height == 0) {
      return Error(ErrorCode::InvalidArgument, "clipping region outside the image");
    }
  }
  if (!scaling) {
    if (!region) return {};
    if (region->width > 65535 || region->height > 65535) {
      return Error(ErrorCode::InvalidArgument, "clipping region too large");
    }
    for (Raster<std::int32_t>& frame : frames_) {
      frame = clip_signed(frame, region->left, region->top, region->width, region->height);
    }
    width_ = region->width;
    height_ = region->height;
    return {};
  }
  double columns = width_;
  double rows = height_;
  if (region) {
    columns = region->width;
    rows = region->height;
    // DCMTK refuses a region that leaves the image, with interpolation too (where it then scales
    // the whole image).
    if ((region->left < 0 || region->top < 0 ||
         region->left + std::int64_t{region->width} > std::int64_t{width_} ||
         region->top + std::int64_t{region->height} > std::int64_t{height_})) {
      return Error(ErrorCode::InvalidArgument,
                   "combined clipping & scaling outside image boundaries not yet supported");
    }
  }
  // The size DCMTK computes: one axis from the option, the other from the region's proportions
  // and (with +a) the pixel aspect ratio, both truncated.
  auto [width, height] =
      scaled_size(geometry.scale_mode, geometry.scale_factor, geometry.scale_size, columns, rows,
                  geometry.use_aspect_ratio ? aspect_ratio_ : 1.0);
  if (!(width >= 1 && height >= 1)) {
    // DCMTK keeps the size of the source when both sides truncate to 0, and cannot create the
    // image when one does.
    if (width >= 1 || height >= 1) {
      return Error(ErrorCode::InvalidArgument,
                   "cannot scale image to " + std::to_string(static_cast<long long>(width)) +
                       " x " + std::to_string(static_cast<long long>(height)));
    }
    width = columns;
    height = rows;
  }
  if (width > 65535 || height > 65535) {
    return Error(ErrorCode::InvalidArgument,
                 "cannot scale image to " + std::to_string(static_cast<long long>(width)) + " x " +
                     std::to_string(static_cast<long long>(height)));
  }
  // Bicubic values are clamped to the range of the bits of the absolute modality range.
  long long lo = value_limits_.lo;
  long long hi = value_limits_.hi;
  if (!monochrome_) {
    lo = 0;
    hi = color_bits_ >= 16 ? 65535 : (1ll << color_bits_) - 1;
  }
  // DCMTK's pnmscale ignores the region (scales the whole image); its other algorithms scale it.
  // DCMTK uses pnmscale for values (of all frames) of up to 16 bits.
  // It also keeps the values of all frames in one integer type, chosen from their range.
  std::uint32_t bits = color_bits_;
  std::optional<dcmimgle::ValueRange> values;
  if (monochrome_) {
    const auto [min, max] = value_range();
    bits = dcmimgle::bits_limits(min, max).bits;
    values = dcmimgle::ValueRange{min, max};
  }
  const bool clip_first =
      region && !dcmimgle::uses_pnmscale(geometry.interpolation, region->width, region->height,
                                         static_cast<std::uint32_t>(width),
                                         static_cast<std::uint32_t>(height), bits);
  const auto scale_frame = [&](auto& frame) {
    if (clip_first) {
      frame =
          dcmimgle::clip(frame, static_cast<std::uint32_t>(region->left),
                         static_cast<std::uint32_t>(region->top), region->width, region->height);
    }
    frame = dcmimgle::scale(frame, static_cast<std::uint32_t>(width),
                            static_cast<std::uint32_t>(height), geometry.interpolation, lo, hi,
                            bits, values);
  };
  for (Raster<std::int32_t>& frame : frames_) {
    if (unsigned_) {
      // Scaled as the unsigned values they are; held as their bits again.
      Raster<std::uint32_t> unsigned_frame{frame.width, frame.height, frame.channels, {}};
      unsigned_frame.samples.assign(frame.samples.begin(), frame.samples.end());
      scale_frame(unsigned_frame);
      frame = {unsigned_frame.width, unsigned_frame.height, unsigned_frame.channels, {}};
      frame.samples.assign(unsigned_frame.samples.begin(), unsigned_frame.samples.end());
    } else {
      scale_frame(frame);
    }
  }
  width_ = static_cast<std::uint32_t>(width);
  height_ = static_cast<std::uint32_t>(height);
  return {};
}

Status PixelImage::write_to(dcmdata::DataSet& data) const {
  if (frames_.empty() || width_ == 0 || height_ == 0) {
    return Error(ErrorCode::InvalidArgument, "empty image");
  }
  if (width_ > 65535 || height_ > 65535) {
    return Error(ErrorCode::InvalidArgument, "image too large for Rows/Columns");
  }
  std::uint32_t bits_allocated = 8;
  std::uint32_t bits_stored = 8;
  bool is_signed = false;
  if (monochrome_) {
    // Bits Stored from the range of the values written (DCMTK: 1 for a constant image, even a
    // negative one); the representation (Bits Allocated, Pixel Representation) from the values
    // of the image as loaded.
    const auto [min, max] = value_range();
    bits_stored = min == max ? 1 : range_to_bits(min, max);
    if (loaded_min_ < 0) {
      is_signed = true;
      bits_allocated = (-loaded_min_ <= 128 && loaded_max_ <= 127)       ? 8
                       : (-loaded_min_ <= 32768 && loaded_max_ <= 32767) ? 16
                                                                         : 32;
    } else {
      bits_allocated = loaded_max_ <= 255 ? 8 : loaded_max_ <= 65535 ? 16 : 32;
    }
  } else {
    bits_stored = color_bits_;
    bits_allocated = color_bits_ <= 8 ? 8 : 16;
  }
  const std::uint32_t channels = monochrome_ ? 1 : 3;
  const std::uint32_t bytes_per_sample = bits_allocated / 8;
  const std::size_t frame_samples = std::size_t{width_} * height_ * channels;
  std::vector<std::byte> bytes;
  bytes.reserve(frame_samples * frames_.size() * bytes_per_sample + 1);
  const bool planar = !monochrome_ && planar_configuration_.value_or(0) == 1;
  const std::size_t pixels = std::size_t{width_} * height_;
  for (const Raster<std::int32_t>& frame : frames_) {
    if (frame.samples.size() != frame_samples) {
      return Error(ErrorCode::Internal, "frames of different sizes");
    }
    for (std::size_t i = 0; i < frame_samples; ++i) {
      // Planar: all red samples, then green, then blue (PS3.3 C.7.6.3.1.3).
      const std::size_t at = planar ? (i % pixels) * 3 + i / pixels : i;
      const auto value = static_cast<std::uint32_t>(frame.samples[at]);
      for (std::uint32_t b = 0; b < bytes_per_sample; ++b) {
        bytes.push_back(static_cast<std::byte>((value >> (8 * b)) & 0xFF));
      }
    }
  }
  if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});

  using dcmdata::VR;
  DCMKIT_TRY(set_text(data, tags::PhotometricInterpretation, VR::CS, photometric_));
  DCMKIT_TRY(data.set_int(tags::SamplesPerPixel, VR::US, channels));
  if (monochrome_) {
    data.erase(tags::PlanarConfiguration);
  } else {
    DCMKIT_TRY(data.set_int(tags::PlanarConfiguration, VR::US, planar ? 1 : 0));
  }
  DCMKIT_TRY(set_text(data, tags::NumberOfFrames, VR::IS, std::to_string(frames_.size())));
  DCMKIT_TRY(data.set_int(tags::Rows, VR::US, height_));
  DCMKIT_TRY(data.set_int(tags::Columns, VR::US, width_));
  DCMKIT_TRY(data.set_int(tags::BitsAllocated, VR::US, bits_allocated));
  DCMKIT_TRY(data.set_int(tags::BitsStored, VR::US, bits_stored));
  DCMKIT_TRY(data.set_int(tags::HighBit, VR::US, bits_stored - 1));
  DCMKIT_TRY(data.set_int(tags::PixelRepresentation, VR::US, is_signed ? 1 : 0));
  if (has_pixel_spacing_) {
    const double row_spacing = pixel_height_ * original_height_ / height_;
    const double column_spacing = pixel_width_ * original_width_ / width_;
    DCMKIT_TRY(data.set_strings(tags::PixelSpacing, VR::DS,
                                {format_spacing(row_spacing), format_spacing(column_spacing)}));
  }
  for (const dcmdata::Tag tag :
       {tags::PixelAspectRatio, tags::SmallestImagePixelValue, tags::LargestImagePixelValue,
        tags::FloatPixelData, tags::DoubleFloatPixelData}) {
    data.erase(tag);
  }
  if (!monochrome_) {
    // A palette image is RGB now; DCMTK leaves stray palette attributes of monochrome images
    // (dicomParser's CT0012) alone.
    for (const dcmdata::Tag tag :
         {tags::RedPaletteColorLookupTableDescriptor, tags::GreenPaletteColorLookupTableDescriptor,
          tags::BluePaletteColorLookupTableDescriptor, tags::RedPaletteColorLookupTableData,
          tags::GreenPaletteColorLookupTableData, tags::BluePaletteColorLookupTableData,
          tags::SegmentedRedPaletteColorLookupTableData,
          tags::SegmentedGreenPaletteColorLookupTableData,
          tags::SegmentedBluePaletteColorLookupTableData, tags::PaletteColorLookupTableUID}) {
      data.erase(tag);
    }
  }
  if (monochrome_) {
    // The values are modality values now (PS3.3 C.11.1).
    data.erase(tags::ModalityLUTSequence);
    if (data.contains(tags::RescaleIntercept) || data.contains(tags::RescaleSlope)) {
      DCMKIT_TRY(set_text(data, tags::RescaleIntercept, VR::DS, "0"));
      DCMKIT_TRY(set_text(data, tags::RescaleSlope, VR::DS, "1"));
    }
    // Overlays embedded in the unused bits of the pixel data (repeating groups 6000-601E
    // without Overlay Data, PS3.3 C.9.2) are gone; DCMTK keeps separate ones unchanged.
    std::vector<std::uint16_t> embedded;
    for (std::uint16_t group = 0x6000; group <= 0x601E; group += 2) {
      const bool present = std::any_of(data.begin(), data.end(), [&](const dcmdata::Element& e) {
        return e.tag().group() == group;
      });
      if (present && !data.contains(dcmdata::Tag(group, 0x3000))) embedded.push_back(group);
    }
    data.erase_if([&](const dcmdata::Element& e) {
      return std::find(embedded.begin(), embedded.end(), e.tag().group()) != embedded.end();
    });
  }
  return data.set_bytes(tags::PixelData, monochrome_ && bits_allocated == 8 ? VR::OB : VR::OW,
                        dcmdata::SharedBytes::from_vector(std::move(bytes)));
}

Status mark_derived(dcmdata::DataSet& data, std::string_view description, bool new_instance,
                    dcmdata::DataSet* meta) {
  using dcmdata::VR;
  // Image Type value 1 (PS3.3 C.7.6.1.1.2).
  std::vector<std::string> type =
      data.get_strings(tags::ImageType).value_or(std::vector<std::string>{});
  if (type.empty()) type.emplace_back();
  type[0] = "DERIVED";
  DCMKIT_TRY(data.set_strings(tags::ImageType, VR::CS, type));
  std::string text(description);
  if (auto old = data.get_string(tags::DerivationDescription); old && !old->empty()) {
    text += " [" + *old + "]";
  }
  DCMKIT_TRY(set_text(data, tags::DerivationDescription, VR::ST, text));
  if (!new_instance) return {};
  // A new Source Image Sequence refers to the old instance, when it has both UIDs (DCMTK leaves
  // the sequence alone otherwise).
  const std::string sop_class = data.get_string(tags::SOPClassUID).value_or("");
  const std::string sop_instance = data.get_string(tags::SOPInstanceUID).value_or("");
  if (!sop_class.empty() && !sop_instance.empty()) {
    dcmdata::DataSet item;
    DCMKIT_TRY(set_uid_bytes(item, tags::SOPClassUID, sop_class));
    DCMKIT_TRY(set_uid_bytes(item, tags::SOPInstanceUID, sop_instance));
    std::vector<dcmdata::DataSet> items;
    items.push_back(std::move(item));
    data.insert(dcmdata::Element::sequence(tags::SourceImageSequence, std::move(items)));
  }
  const std::string uid = ofstd::generate_uid();
  DCMKIT_TRY(set_uid_bytes(data, tags::SOPInstanceUID, uid));
  if (meta != nullptr && meta->contains(tags::MediaStorageSOPInstanceUID)) {
    DCMKIT_TRY(set_uid_bytes(*meta, tags::MediaStorageSOPInstanceUID, uid));
  }
  return {};
}

}  // namespace dcmkit::dcmimage

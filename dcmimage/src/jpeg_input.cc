// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/jpeg_input.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/element.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/ofstd/number_format.h"
#include "xray.h"

namespace dcmkit::dcmimage {

using dcmdata::DataSet;
using dcmdata::Element;
using dcmdata::VR;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;
namespace tags = dcmdata::tags;

namespace {

constexpr std::string_view kCtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

}  // namespace

std::string dcmtk_number_text(double value, int precision) {
  return ofstd::format_significant(value, precision);
}

std::uint32_t range_bits(double min, double max) {
  if (min > max) std::swap(min, max);
  const auto bits_of = [](double value, unsigned long offset) {
    auto v = static_cast<unsigned long>(value);
    if (v > 0) v -= offset;
    std::uint32_t bits = 0;
    while (v > 0) {
      ++bits;
      v >>= 1;
    }
    return bits > 0 ? bits : 1u;
  };
  if (min < 0) {
    if (std::fabs(min) > std::fabs(max)) return bits_of(std::fabs(min), 1) + 1;
    return bits_of(std::fabs(max), 0) + 1;
  }
  return bits_of(max, 0);
}

namespace {

// The samples of rendered frames as native pixel data: 8 or 16 bits per sample, little endian.
dcmdata::SharedBytes pack(const std::vector<Bitmap>& frames, std::uint32_t bits) {
  std::size_t total = 0;
  for (const Bitmap& b : frames) total += b.samples.size();
  const std::size_t bytes = bits > 8 ? 2 : 1;
  std::vector<std::byte> out(total * bytes + (total * bytes) % 2);
  std::size_t at = 0;
  for (const Bitmap& b : frames) {
    for (std::uint32_t v : b.samples) {
      out[at++] = static_cast<std::byte>(v & 0xFF);
      if (bytes == 2) out[at++] = static_cast<std::byte>((v >> 8) & 0xFF);
    }
  }
  return dcmdata::SharedBytes::from_vector(std::move(out));
}

// Writes the Image Pixel attributes of the new pixels and removes those that no longer apply
// (palettes, padding, smallest/largest values), as DCMTK's JPEG encoder does.
Status write_pixel_module(DataSet& data, const dcmdata::SharedBytes& pixels, std::uint32_t samples,
                          std::uint32_t bits, const std::string& photometric) {
  DCMKIT_TRY(data.set_int(tags::SamplesPerPixel, VR::US, samples));
  if (!photometric.empty()) {
    DCMKIT_TRY(data.set_string(tags::PhotometricInterpretation, VR::CS, photometric));
  }
  DCMKIT_TRY(data.set_int(tags::BitsAllocated, VR::US, bits > 8 ? 16 : 8));
  DCMKIT_TRY(data.set_int(tags::BitsStored, VR::US, bits));
  DCMKIT_TRY(data.set_int(tags::HighBit, VR::US, bits - 1));
  DCMKIT_TRY(data.set_int(tags::PixelRepresentation, VR::US, 0));
  if (samples == 1) {
    data.erase(tags::PlanarConfiguration);
  } else {
    DCMKIT_TRY(data.set_int(tags::PlanarConfiguration, VR::US, 0));
  }
  for (const dcmdata::Tag tag :
       {tags::SmallestImagePixelValue, tags::LargestImagePixelValue,
        tags::RedPaletteColorLookupTableDescriptor, tags::GreenPaletteColorLookupTableDescriptor,
        tags::BluePaletteColorLookupTableDescriptor, tags::RedPaletteColorLookupTableData,
        tags::GreenPaletteColorLookupTableData, tags::BluePaletteColorLookupTableData,
        tags::PixelPaddingValue, tags::SmallestPixelValueInSeries, tags::LargestPixelValueInSeries,
        tags::PaletteColorLookupTableUID, tags::SegmentedRedPaletteColorLookupTableData,
        tags::SegmentedGreenPaletteColorLookupTableData,
        tags::SegmentedBluePaletteColorLookupTableData}) {
    data.erase(tag);
  }
  if (samples > 1) data.erase(tags::PixelPaddingRangeLimit);
  data.insert(Element(tags::PixelData, bits > 8 ? VR::OW : VR::OB, pixels));
  return {};
}

// Window Center/Width moved to the value range of the new pixels: (c + offset) × factor and
// w × factor, with explanations kept or made up, as DCMTK's encoder corrects them.
Status correct_windows(DataSet& data, double offset, double factor) {
  if (offset == 0.0 && factor == 1.0) return {};
  std::vector<std::string> centers;
  std::vector<std::string> widths;
  std::vector<std::string> explanations;
  const Element* center = data.find(tags::WindowCenter);
  const Element* width = data.find(tags::WindowWidth);
  if (center != nullptr && width != nullptr) {
    std::vector<std::string> old_explanations;
    const bool has_explanations = data.contains(tags::WindowCenterWidthExplanation);
    if (auto text = data.get_strings(tags::WindowCenterWidthExplanation)) {
      old_explanations = std::move(*text);
    }
    for (std::size_t i = 0; i < center->value_count(); ++i) {
      auto c = center->as_double(i);
      auto w = width->as_double(i);
      if (!c || !w) continue;
      const std::string new_center = dcmtk_number_text((*c + offset) * factor, 6);
      const std::string new_width = dcmtk_number_text(*w * factor, 6);
      centers.push_back(new_center);
      widths.push_back(new_width);
      if (has_explanations && i < old_explanations.size()) {
        explanations.push_back(old_explanations[i]);
      } else {
        explanations.push_back("center=" + new_center + "/width=" + new_width);
      }
    }
  }
  data.erase(tags::WindowCenter);
  data.erase(tags::WindowWidth);
  data.erase(tags::WindowCenterWidthExplanation);
  if (!centers.empty()) {
    DCMKIT_TRY(data.set_strings(tags::WindowCenter, VR::DS, centers));
    DCMKIT_TRY(data.set_strings(tags::WindowWidth, VR::DS, widths));
    DCMKIT_TRY(data.set_strings(tags::WindowCenterWidthExplanation, VR::LO, explanations));
  }
  return {};
}

RenderOptions base_render_options(const JpegInputOptions& options) {
  RenderOptions r;
  r.show_overlays = false;
  r.accept_acr_nema = options.accept_acr_nema;
  r.color.accept_palette_tags = options.accept_palette_tags;
  r.output_bits = options.bits;
  return r;
}

Result<std::vector<Bitmap>> render_all(Renderer& renderer) {
  DCMKIT_TRY(renderer.prepare(0, renderer.frame_count()));
  std::vector<Bitmap> frames;
  for (std::uint64_t i = 0; i < renderer.frame_count(); ++i) {
    DCMKIT_ASSIGN_OR_RETURN(Bitmap bitmap, renderer.render(i));
    frames.push_back(std::move(bitmap));
  }
  return frames;
}

// The modality values of every frame, one frame after the other. Unlike the Renderer's
// statistics (dcm2pnm's), values stored after the last frame do not count: DCMTK's encoder sees
// the Pixel Data value without them (highdicom's dx_image.dcm, with an odd length, shows it).
Result<std::vector<std::int32_t>> modality_values(const DataSet& data,
                                                  const dcmdata::TransferSyntax& ts,
                                                  const dcmimgle::ModalityTransform& modality,
                                                  const dcmimgle::PixelLimits& limits) {
  DCMKIT_ASSIGN_OR_RETURN(const dcmimgle::PixelFrames frames,
                          dcmimgle::PixelFrames::open(data, ts, limits));
  std::vector<std::int32_t> values;
  std::vector<std::int32_t> samples;
  for (std::uint64_t f = 0; f < frames.frame_count(); ++f) {
    DCMKIT_TRY(frames.unpack(f, samples));
    modality.apply(samples, samples);
    values.insert(values.end(), samples.begin(), samples.end());
  }
  return values;
}

// Overlays embedded in the unused high bits of the pixels (PS3.3 C.9.2.1.3, retired) would be
// lost with those bits: as DCMTK's encoder does, each becomes separate Overlay Data (60xx,3000),
// one bit per pixel and frame, least significant bit first, with Overlay Bits Allocated 1 and
// Overlay Bit Position 0.
Status separate_embedded_overlays(DataSet& result, const DataSet& data,
                                  const dcmdata::TransferSyntax& ts,
                                  const dcmimgle::PixelLimits& limits) {
  std::optional<dcmimgle::PixelFrames> frames;
  for (std::uint16_t group = 0x6000; group <= 0x601E; group += 2) {
    const dcmdata::Tag rows_tag(group, 0x0010);
    const dcmdata::Tag columns_tag(group, 0x0011);
    const dcmdata::Tag allocated_tag(group, 0x0100);
    const dcmdata::Tag position_tag(group, 0x0102);
    const dcmdata::Tag data_tag(group, 0x3000);
    if (!data.contains(rows_tag) || data.contains(data_tag)) continue;
    const auto position = data.get_int(position_tag);
    if (!position || *position < 0 || *position > 31) continue;
    if (!frames) {
      DCMKIT_ASSIGN_OR_RETURN(frames, dcmimgle::PixelFrames::open(data, ts, limits));
    }
    const dcmdata::PixelDescription& d = frames->description();
    if (static_cast<std::uint32_t>(*position) >= d.bits_allocated ||
        data.get_int(rows_tag).value_or(0) != d.rows ||
        data.get_int(columns_tag).value_or(0) != d.columns) {
      continue;  // not an overlay of this image's words; DCMTK cannot render it either
    }
    std::vector<std::byte> packed;
    std::vector<std::int32_t> bits;
    std::size_t count = 0;
    bool readable = true;
    for (std::uint64_t f = 0; f < frames->frame_count() && readable; ++f) {
      // Encapsulated pixels have no unused bits to read: such an overlay is left as it is.
      readable = frames->unpack_bit(f, static_cast<std::uint32_t>(*position), bits).has_value();
      if (!readable) break;
      for (const std::int32_t bit : bits) {
        if (count % 8 == 0) packed.push_back(std::byte{0});
        if (bit != 0) packed.back() |= static_cast<std::byte>(1u << (count % 8));
        ++count;
      }
    }
    if (!readable) continue;
    if (packed.size() % 2 != 0) packed.push_back(std::byte{0});
    result.insert(Element(data_tag, VR::OW, dcmdata::SharedBytes::from_vector(std::move(packed))));
    DCMKIT_TRY(result.set_int(allocated_tag, VR::US, 1));
    DCMKIT_TRY(result.set_int(position_tag, VR::US, 0));
  }
  return {};
}

Result<JpegInput> prepare_monochrome(DataSet& data, const dcmdata::TransferSyntax& ts,
                                     const JpegInputOptions& options) {
  const std::string sop_class = data.get_string(tags::SOPClassUID).value_or("");
  RenderOptions render = base_render_options(options);
  // DCMTK's image code ignores the modality transformation of X-Ray images.
  render.ignore_modality = detail::is_xray_image(sop_class);
  DCMKIT_ASSIGN_OR_RETURN(Renderer probe, Renderer::create(data, ts, render));
  const dcmdata::PixelDescription& d = probe.frames().description();

  // The depth of the modality values (DCMTK's DicomImage::getDepth()) and their possible range.
  dcmimgle::LutOptions lut;
  lut.signed_first_value = d.is_signed;
  DCMKIT_ASSIGN_OR_RETURN(const dcmimgle::ModalityTransform modality,
                          dcmimgle::ModalityTransform::from(data, render.ignore_modality, lut));
  const dcmimgle::ModalityRange range =
      modality.range(probe.frames().min_storable(), probe.frames().max_storable());
  JpegInput input;
  switch (modality.kind) {
    case dcmimgle::ModalityTransform::Kind::Identity:
      input.depth = d.bits_stored;
      break;
    case dcmimgle::ModalityTransform::Kind::Rescale:
      input.depth = range_bits(range.min, range.max);
      break;
    case dcmimgle::ModalityTransform::Kind::Lut:
      input.depth = modality.lut.bits;
      break;
  }

  const bool windowed = options.voi_mode != VoiMode::None;
  const double output_max = std::ldexp(1.0, static_cast<int>(options.bits)) - 1;
  bool use_rescale = options.rescale_map;
  bool xray = false;
  bool ct = false;
  double slope = 1.0;
  double intercept = 0.0;
  double voi_factor = 1.0;
  double voi_offset = 0.0;
  bool delete_voi_lut = false;
  if (!windowed) {
    render.shape = dcmimgle::PresentationShape::Identity;  // no polarity correction
    if (!sop_class.empty() && !options.secondary_capture) {
      xray = detail::is_xray_image(sop_class);
      ct = sop_class == kCtImageStorage;
      if (xray) use_rescale = false;
      if (ct) use_rescale = true;  // Hounsfield units need the rescale
    }
    if (!(range.max > range.min)) {
      return Error(ErrorCode::InvalidArgument, "the image has no range of pixel values");
    }
    DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::int32_t> values,
                            modality_values(data, ts, modality, render.limits));
    if (values.empty()) return Error(ErrorCode::InvalidArgument, "the image has no pixel values");
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    const double min_used = *lowest;
    const double max_used = *highest;
    double window_center = 0;
    double window_width = 0;
    if (options.scale_by_pixel_values) {
      // The smallest power-of-two window (at least 2^min(depth, bits)) that holds every pixel
      // value, starting at the smallest one (or 1023 below it for negative values).
      const double z = min_used >= 0 ? std::floor(min_used) : std::ceil(min_used - 1023.0);
      const double range_used = max_used - min_used + 1;
      window_width = std::ldexp(1.0, static_cast<int>(std::min(input.depth, options.bits)));
      while (window_width < range_used) window_width *= 2;
      window_center = window_width * 0.5 + ((z + window_width) > max_used ? z : min_used);
      render.voi_mode = VoiMode::Explicit;
      render.window = {window_center, window_width, dcmimgle::VoiFunction::Linear};
    }
    if (use_rescale) {
      if (options.scale_by_pixel_values) {
        slope = (window_width - 1) / output_max;
        intercept = window_center - window_width * 0.5;
      } else {
        slope = (range.max - range.min) / output_max;
        intercept = range.min;
      }
    } else {
      delete_voi_lut = true;
      if (options.scale_by_pixel_values) {
        voi_factor = output_max / (window_width - 1);
        voi_offset = window_width * 0.5 - window_center;
      } else {
        voi_factor = output_max / (range.max - range.min);
        voi_offset = -range.min;
      }
    }
  } else {
    render.voi_mode = options.voi_mode;
    render.voi_index = options.voi_index;
    render.roi = options.roi;
    render.histogram_percent = options.histogram_percent;
    render.window = options.window;
    if (options.voi_mode == VoiMode::MinMax || options.voi_mode == VoiMode::MinMaxNoExtremes ||
        options.voi_mode == VoiMode::Histogram) {
      // Computed here from the frames' values (see modality_values()), then applied as given.
      DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::int32_t> values,
                              modality_values(data, ts, modality, render.limits));
      const std::optional<dcmimgle::VoiWindow> window =
          options.voi_mode == VoiMode::Histogram
              ? dcmimgle::histogram_window(values, options.histogram_percent / 100.0)
              : dcmimgle::min_max_window(values, options.voi_mode == VoiMode::MinMaxNoExtremes);
      if (!window) {
        return Error(ErrorCode::InvalidArgument, "cannot compute a VOI window for the image");
      }
      render.voi_mode = VoiMode::Explicit;
      render.window = *window;
    }
  }

  DCMKIT_ASSIGN_OR_RETURN(Renderer renderer, Renderer::create(data, ts, render));
  DCMKIT_ASSIGN_OR_RETURN(const std::vector<Bitmap> frames, render_all(renderer));

  DataSet result = data;
  DCMKIT_TRY(separate_embedded_overlays(result, data, ts, render.limits));
  DCMKIT_TRY(write_pixel_module(result, pack(frames, options.bits), 1, options.bits,
                                windowed ? "MONOCHROME2" : ""));
  const bool had_modality =
      result.contains(tags::ModalityLUTSequence) || result.contains(tags::RescaleSlope);
  result.erase(tags::ModalityLUTSequence);
  result.erase(tags::RescaleIntercept);
  result.erase(tags::RescaleSlope);
  result.erase(tags::RescaleType);
  if (!windowed) {
    if (xray) {
      DCMKIT_TRY(result.set_string(tags::PixelIntensityRelationship, VR::CS, "DISP"));
    } else if (had_modality || slope != 1.0 || intercept != 0.0) {
      DCMKIT_TRY(
          result.set_string(tags::RescaleIntercept, VR::DS, dcmtk_number_text(intercept, 6)));
      DCMKIT_TRY(result.set_string(tags::RescaleSlope, VR::DS, dcmtk_number_text(slope, 6)));
      DCMKIT_TRY(result.set_string(tags::RescaleType, VR::LO, ct ? "HU" : "US"));
    }
    if (delete_voi_lut) result.erase(tags::VOILUTSequence);
    DCMKIT_TRY(correct_windows(result, voi_offset, voi_factor));
  } else {
    if (had_modality) {
      DCMKIT_TRY(result.set_string(tags::RescaleIntercept, VR::DS, "0"));
      DCMKIT_TRY(result.set_string(tags::RescaleSlope, VR::DS, "1"));
      DCMKIT_TRY(result.set_string(tags::RescaleType, VR::LO, "US"));
    }
    if (result.contains(tags::PixelIntensityRelationship)) {
      DCMKIT_TRY(result.set_string(tags::PixelIntensityRelationship, VR::CS, "DISP"));
    }
    result.erase(tags::VOILUTSequence);
    result.erase(tags::WindowCenter);
    result.erase(tags::WindowWidth);
    result.erase(tags::WindowCenterWidthExplanation);
    const bool had_presentation = result.contains(tags::PresentationLUTSequence) ||
                                  result.contains(tags::PresentationLUTShape);
    result.erase(tags::PresentationLUTSequence);
    result.erase(tags::PresentationLUTShape);
    if (had_presentation) {
      DCMKIT_TRY(result.set_string(tags::PresentationLUTShape, VR::CS, "IDENTITY"));
    }
  }
  data = std::move(result);
  return input;
}

Result<JpegInput> prepare_color(DataSet& data, const dcmdata::TransferSyntax& ts,
                                const JpegInputOptions& options, const std::string& photometric) {
  RenderOptions render = base_render_options(options);
  JpegInput input;
  std::optional<dcmimgle::PixelFrames> ycbcr_frames;
  if (!options.to_monochrome && (photometric == "YBR_FULL" || photometric == "YBR_FULL_422")) {
    DCMKIT_ASSIGN_OR_RETURN(ycbcr_frames, dcmimgle::PixelFrames::open(data, ts, render.limits));
    // Compressed input arrives through the registered decoder, which (as DCMTK's, with its
    // default colour conversion) may have turned the YCbCr into RGB: then it is RGB input.
    const std::string& decoded = ycbcr_frames->description().photometric_interpretation;
    if (decoded != "YBR_FULL" && decoded != "YBR_FULL_422") ycbcr_frames.reset();
  }
  if (ycbcr_frames) {
    // DCMTK keeps the YCbCr model (4:2:2 data upsampled by repeating each chroma pair) and
    // codes the samples without colour conversion.
    const dcmimgle::PixelFrames& frames = *ycbcr_frames;
    const dcmdata::PixelDescription& d = frames.description();
    if (d.samples_per_pixel != 3) {
      return Error(ErrorCode::MalformedData, "invalid value for 'SamplesPerPixel' (" +
                                                 std::to_string(d.samples_per_pixel) + ") for " +
                                                 photometric);
    }
    if (d.bits_stored != options.bits) {
      return Error(ErrorCode::Unsupported, "JPEG: " + std::to_string(d.bits_stored) +
                                               "-bit YCbCr pixels cannot be coded with " +
                                               std::to_string(options.bits) + " bits");
    }
    input.depth = d.bits_stored;
    input.ycbcr = true;
    const std::size_t pixels = std::size_t{d.rows} * d.columns;
    std::vector<Bitmap> out;
    std::vector<std::int32_t> samples;
    for (std::uint64_t f = 0; f < frames.frame_count(); ++f) {
      DCMKIT_TRY(frames.unpack(f, samples));
      Bitmap b;
      b.width = d.columns;
      b.height = d.rows;
      b.channels = 3;
      b.bits = options.bits;
      b.samples.resize(pixels * 3);
      const bool by_plane =
          d.planar_configuration == 1 && d.photometric_interpretation == "YBR_FULL";
      for (std::size_t i = 0; i < pixels; ++i) {
        for (std::size_t s = 0; s < 3; ++s) {
          const std::int32_t v = samples[by_plane ? s * pixels + i : i * 3 + s];
          b.samples[i * 3 + s] = static_cast<std::uint32_t>(v < 0 ? 0 : v);
        }
      }
      out.push_back(std::move(b));
    }
    DataSet result = data;
    DCMKIT_TRY(write_pixel_module(result, pack(out, options.bits), 3, options.bits, "YBR_FULL"));
    data = std::move(result);
    return input;
  }
  render.grayscale = options.to_monochrome;
  DCMKIT_ASSIGN_OR_RETURN(Renderer renderer, Renderer::create(data, ts, render));
  input.depth = renderer.info().bits_per_sample;
  DCMKIT_ASSIGN_OR_RETURN(const std::vector<Bitmap> frames, render_all(renderer));
  DataSet result = data;
  const std::uint32_t samples = options.to_monochrome ? 1 : 3;
  DCMKIT_TRY(write_pixel_module(result, pack(frames, options.bits), samples, options.bits,
                                options.to_monochrome ? "MONOCHROME2" : "RGB"));
  data = std::move(result);
  return input;
}

}  // namespace

Result<JpegInput> prepare_jpeg_input(DataSet& data, const dcmdata::TransferSyntax& ts,
                                     const JpegInputOptions& options) {
  if (options.bits != 8 && options.bits != 12 && options.bits != 16) {
    return Error(ErrorCode::InvalidArgument,
                 "JPEG: no encoder for " + std::to_string(options.bits) + " bits per sample");
  }
  if (const auto stored = data.get_int(tags::BitsStored); stored && *stored < 2) {
    return Error(ErrorCode::Unsupported, "Cannot compress image with " + std::to_string(*stored) +
                                             " bit/sample: JPEG requires at least 2 bits.");
  }
  std::string photometric = data.get_string(tags::PhotometricInterpretation).value_or("");
  while (!photometric.empty() && photometric.back() == ' ') photometric.pop_back();
  if (photometric.empty() && options.accept_acr_nema) photometric = "MONOCHROME2";
  if (photometric == "MONOCHROME1" || photometric == "MONOCHROME2") {
    return prepare_monochrome(data, ts, options);
  }
  if (photometric.empty()) {
    return Error(ErrorCode::Unsupported, "JPEG: missing Photometric Interpretation");
  }
  return prepare_color(data, ts, options, photometric);
}

}  // namespace dcmkit::dcmimage

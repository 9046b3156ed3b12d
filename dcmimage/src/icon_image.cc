// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/icon_image.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <string>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmimage/color.h"
#include "dcmkit/dcmimgle/geometry.h"
#include "dcmkit/dcmimgle/mono.h"
#include "dcmkit/dcmimgle/overlay.h"
#include "dcmkit/dcmimgle/pixel_frames.h"
#include "xray.h"

namespace dcmkit::dcmimage {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

constexpr std::uint32_t kMaxIconSize = 1024;

// The presentation shape of the data set: INVERSE and IDENTITY as given, else MONOCHROME1 is
// shown inverted (PS3.3 C.11.6.1).
bool inverted(const dcmdata::DataSet& data, std::string_view photometric) {
  const std::string shape = data.get_string(dcmdata::tags::PresentationLUTShape).value_or("");
  if (shape == "INVERSE") return true;
  if (shape == "IDENTITY") return false;
  return photometric == "MONOCHROME1";
}

// One line of a PGM header as C's fgets() reads it: up to and including '\n', at most 255
// characters. Empty at the end of the input.
std::string next_line(const std::string& bytes, std::size_t& at) {
  std::string line;
  while (at < bytes.size() && line.size() < 255) {
    const char c = bytes[at++];
    line.push_back(c);
    if (c == '\n') break;
  }
  return line;
}

// Whether the modality values need more than 16 bits, in DCMTK's terms: they do not all fit in
// 0..65535, nor in -32768..32767. DCMTK keeps such values in 32 bits and does not scale them
// with the pbmplus algorithm (found by experiment with DCMTK 3.6.7's dcmmkdir: the choice
// follows the values of the frame, not Bits Stored).
bool needs_more_than_16_bits(std::span<const std::int32_t> values) {
  if (values.empty()) return false;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo >= 0) return *hi > 65535;
  return *lo < -32768 || *hi > 32767;
}

}  // namespace

std::uint64_t icon_frame(const dcmdata::DataSet& data) {
  std::int64_t count = data.get_int(dcmdata::tags::NumberOfFrames).value_or(1);
  std::int64_t frame = data.get_int(dcmdata::tags::RepresentativeFrameNumber).value_or(0);
  if (count <= 0) count = 1;
  if (frame <= 0) {
    frame = count > 3 ? count / 3 : 1;
  } else if (frame > count) {
    frame = count;
  }
  return static_cast<std::uint64_t>(frame);
}

Result<std::vector<std::uint8_t>> make_icon(const dcmdata::DataSet& data,
                                            const dcmdata::TransferSyntax& ts, std::uint32_t size) {
  if (size == 0 || size > kMaxIconSize) {
    return Error(ErrorCode::InvalidArgument, "icon size " + std::to_string(size) + " not allowed");
  }
  DCMKIT_ASSIGN_OR_RETURN(const dcmimgle::PixelFrames frames,
                          dcmimgle::PixelFrames::open(data, ts));
  if (frames.sample_kind() != dcmimgle::SampleKind::Integer) {
    return Error(ErrorCode::Unsupported, "float pixel data cannot be made an icon");
  }
  const dcmdata::PixelDescription& d = frames.description();
  const std::uint64_t frame =
      std::min(icon_frame(data), std::max<std::uint64_t>(1, frames.frame_count()));
  const std::string& photometric = d.photometric_interpretation;
  const bool monochrome = photometric == "MONOCHROME1" || photometric == "MONOCHROME2";

  // The frame's values: modality values of a monochrome image, luminance of a colour one.
  dcmimgle::Raster<std::int32_t> values;
  values.width = d.columns;
  values.height = d.rows;
  dcmimgle::ModalityRange range;
  std::optional<dcmimgle::VoiWindow> window;
  bool inverse = false;
  if (monochrome) {
    if (d.samples_per_pixel != 1) {
      return Error(ErrorCode::MalformedData, "invalid value for 'SamplesPerPixel' (" +
                                                 std::to_string(d.samples_per_pixel) + ") for " +
                                                 photometric);
    }
    dcmimgle::LutOptions lut;
    lut.signed_first_value = d.is_signed;
    // X-Ray angiography and fluoroscopy images keep their stored values (see xray.h).
    const bool ignore_modality =
        detail::is_xray_image(data.get_string(dcmdata::tags::SOPClassUID).value_or(""));
    DCMKIT_ASSIGN_OR_RETURN(const dcmimgle::ModalityTransform modality,
                            dcmimgle::ModalityTransform::from(data, ignore_modality, lut));
    range = modality.range(frames.min_storable(), frames.max_storable());
    DCMKIT_TRY(frames.unpack(frame - 1, values.samples));
    modality.apply(values.samples, values.samples);
    inverse = inverted(data, photometric);
  } else {
    DCMKIT_ASSIGN_OR_RETURN(const ColorConverter converter, ColorConverter::create(data, d));
    std::vector<std::int32_t> samples;
    DCMKIT_TRY(frames.unpack(frame - 1, samples));
    dcmimgle::Raster<std::uint32_t> rgb;
    converter.convert(samples, rgb);
    rgb_to_gray(rgb, values.samples);
    range = {0.0, static_cast<double>((std::uint64_t{1} << converter.bits()) - 1)};
  }
  // The first window of the data set, also for colour images made monochrome.
  const dcmimgle::VoiChoices choices = dcmimgle::VoiChoices::from(data);
  if (!choices.windows.empty()) window = choices.windows.front();
  if (values.samples.size() != std::size_t{values.width} * values.height) {
    return Error(ErrorCode::MalformedData, "pixel data does not match the image size");
  }

  // DCMTK scales the values themselves, then looks at the scaled image's window. Values that
  // need more than 16 bits take the c't area interpolation (DCMTK's pbmplus code is limited to
  // 16 bits), or nearest neighbour when one axis grows and the other shrinks; an icon of the
  // image's own size is the frame's values.
  const std::uint32_t width = values.width;
  const std::uint32_t height = values.height;
  dcmimgle::Raster<std::int32_t> scaled = dcmimgle::scale(
      values, size, size, dcmimgle::Interpolation::Pbmplus,
      std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(),
      needs_more_than_16_bits(values.samples) ? 32 : 16);
  // A window narrower than 1 is not accepted; the min-max window is taken then.
  if (!window || window->width < 1) window = dcmimgle::min_max_window(scaled.samples);
  dcmimgle::VoiSetting voi = dcmimgle::VoiSetting::none();
  if (window) voi = dcmimgle::VoiSetting::from_window(*window);
  std::vector<std::uint32_t> out;
  const bool table = dcmimgle::uses_dcmtk_table(range, scaled.samples.size());
  dcmimgle::render_mono(scaled.samples, range, voi, {8, inverse, table}, out);
  // Overlay planes in Overlay Data are drawn as dcm2pnm draws them (scaled by replicating or
  // dropping pixels); bits embedded in Pixel Data are not looked at (DCMTK opens the image with
  // CIF_NeverAccessEmbeddedOverlays). Colour images have none.
  if (monochrome) {
    for (const dcmimgle::OverlayPlane& plane : dcmimgle::read_overlays(data, &data)) {
      if (plane.embedded) continue;
      auto bits = dcmimgle::rasterize(plane, frame - 1, width, height, &frames);
      if (!bits || bits->samples.empty()) continue;
      const dcmimgle::Raster<std::uint8_t> plane_bits =
          dcmimgle::scale(*bits, size, size, dcmimgle::Interpolation::None, 0, 1);
      dcmimgle::apply_overlay(plane_bits, dcmimgle::OverlayMode::Default, plane.roi, 1.0, 0.5, 8,
                              out);
    }
  }
  std::vector<std::uint8_t> pixels(out.size());
  std::transform(out.begin(), out.end(), pixels.begin(),
                 [](std::uint32_t v) { return static_cast<std::uint8_t>(std::min(v, 255u)); });
  return pixels;
}

Result<std::vector<std::uint8_t>> read_pgm_icon(const std::filesystem::path& path,
                                                std::uint32_t size) {
  if (size == 0 || size > kMaxIconSize) {
    return Error(ErrorCode::InvalidArgument, "icon size " + std::to_string(size) + " not allowed");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(ErrorCode::IoError, "cannot open file for external icon: " + path.string());
  }
  // An icon file is small; more than a few megabytes is not one.
  constexpr std::size_t kMaxFile = std::size_t{64} << 20;
  std::string bytes;
  bytes.resize(kMaxFile + 1);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  std::size_t at = 0;
  if (next_line(bytes, at) != "P5\n") {
    return Error(ErrorCode::MalformedData, "wrong file format for external icon (pgm required)");
  }
  const Error corrupt(ErrorCode::MalformedData,
                      "corrupt file format for external icon (not pgm binary)");
  std::string line = next_line(bytes, at);
  if (line.empty()) return corrupt;
  if (line.front() == '#') line = next_line(bytes, at);
  unsigned width = 0;
  unsigned height = 0;
  if (std::sscanf(line.c_str(), "%u %u", &width, &height) < 1 || width == 0 || height == 0) {
    return corrupt;
  }
  unsigned maximum = 0;
  line = next_line(bytes, at);
  if (std::sscanf(line.c_str(), "%u", &maximum) < 1 || maximum != 255) return corrupt;
  const std::uint64_t count = std::uint64_t{width} * height;
  if (count > bytes.size() - at) return corrupt;
  dcmimgle::Raster<std::int32_t> image;
  image.width = width;
  image.height = height;
  image.samples.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    image.samples.push_back(static_cast<std::uint8_t>(bytes[at + i]));
  }
  const dcmimgle::Raster<std::int32_t> scaled =
      dcmimgle::scale(image, size, size, dcmimgle::Interpolation::Pbmplus, 0, 255);
  return std::vector<std::uint8_t>(scaled.samples.begin(), scaled.samples.end());
}

}  // namespace dcmkit::dcmimage

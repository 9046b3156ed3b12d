// SPDX-License-Identifier: BSD-3-Clause
// Small helpers the codecs share: a frame's fragments as one stream, samples in native pixels,
// and the planar configuration DCMTK's decoders choose by SOP class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/pixel_data.h"

namespace dcmkit::dcmimage::detail {

/// The pieces of a frame as one contiguous stream (fragments concatenated, PS3.5 §A.4); `joined`
/// holds the bytes when there is more than one piece.
inline std::span<const std::uint8_t> frame_stream(const dcmdata::Frame& frame,
                                                  std::vector<std::uint8_t>& joined) {
  if (frame.pieces.size() == 1) {
    const auto bytes = frame.pieces.front().span();
    return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};  // NOLINT
  }
  for (const dcmdata::SharedBytes& piece : frame.pieces) {
    const auto bytes = piece.span();
    const auto* first = reinterpret_cast<const std::uint8_t*>(bytes.data());  // NOLINT
    joined.insert(joined.end(), first, first + bytes.size());
  }
  return joined;
}

/// The planar configuration DCMTK's decoders choose automatically: by plane for the retired
/// Hardcopy Color Image and for YBR_FULL in the Ultrasound IODs, by pixel otherwise.
inline std::uint32_t automatic_planar_configuration(const dcmdata::PixelDescription& d) {
  if (d.sop_class_uid == "1.2.840.10008.5.1.1.30") return 1;
  if (d.photometric_interpretation == "YBR_FULL" &&
      (d.sop_class_uid == "1.2.840.10008.5.1.4.1.1.6.1" ||
       d.sop_class_uid == "1.2.840.10008.5.1.4.1.1.3.1")) {
    return 1;
  }
  return 0;
}

/// Whether the photometric interpretation describes subsampled pixels, which the JPEG-LS and
/// JPEG 2000 encoders cannot take as they are stored.
inline bool is_subsampled(const std::string& photometric) {
  return photometric == "YBR_FULL_422" || photometric == "YBR_PARTIAL_422" ||
         photometric == "YBR_PARTIAL_420";
}

}  // namespace dcmkit::dcmimage::detail

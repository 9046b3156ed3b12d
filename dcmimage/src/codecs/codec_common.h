// SPDX-License-Identifier: BSD-3-Clause
// What the codec sources (jpeg.cc, jpeg_ls.cc, jpeg2000.cc) share: the dcmdata and ofstd names
// every PixelCodec implementation uses, their logger, the registration of one codec under its
// transfer syntaxes, and the planar configuration a decoder's planar option selects.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/oflog/logger.h"
#include "frame_bytes.h"

namespace dcmkit::dcmimage {

// The types of the PixelCodec interface, used unqualified in the codec sources.
using dcmdata::DecodeOptions;
using dcmdata::Diagnostic;
using dcmdata::EncodeOptions;
using dcmdata::Frame;
using dcmdata::PixelDescription;
using dcmdata::TransferSyntax;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace detail {

inline constexpr oflog::Logger kCodecLog("dcmkit.dcmimage.codecs");

/// Registers `codec` in `registry` for each transfer syntax of `uids`, replacing earlier
/// registrations, and logs "registered the <what> codecs (<library>)" at debug level.
inline void register_codec(dcmdata::CodecRegistry& registry,
                           const std::shared_ptr<const dcmdata::PixelCodec>& codec,
                           std::initializer_list<std::string_view> uids, std::string_view what,
                           std::string_view library) {
  for (const std::string_view uid : uids) registry.add(uid, codec);
  DCMKIT_LOG_DEBUG(kCodecLog, "registered the " << what << " codecs (" << library << ")");
}

/// The Planar Configuration of decoded colour pixels for a decoder's planar option `choice` (an
/// enum with Restore, Auto, ByPixel and ByPlane, as Jpeg2000Planar and JpegLsPlanar): Restore
/// keeps the one of `encoded`, Auto is DCMTK's choice by SOP class.
template <class Choice>
std::uint32_t decoded_planar_configuration(Choice choice, const PixelDescription& encoded) {
  switch (choice) {
    case Choice::Restore:
      return encoded.planar_configuration;
    case Choice::Auto:
      return automatic_planar_configuration(encoded);
    case Choice::ByPixel:
      return 0;
    case Choice::ByPlane:
      return 1;
  }
  return encoded.planar_configuration;
}

}  // namespace detail
}  // namespace dcmkit::dcmimage

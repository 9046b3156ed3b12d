// SPDX-License-Identifier: BSD-3-Clause
// The JPEG decoding options several programs share (dcmdjpeg, dcmcjpeg, dcmj2pnm): colour space
// conversion (+cp ... +cn) and the workarounds for broken encoders (+w6, +wi, +wc). Each program
// names the subgroups in its own words, as DCMTK does.
#pragma once

#include <string_view>

#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/ofstd/command_line.h"

namespace dcmkit::apps {

/// +cp, +cl, +cg, +cgl, +ca, +cn in the current subgroup; `never_text` is +cn's description
/// ("never convert color space", dcmdjpeg: "never convert YCbCr to RGB").
void add_jpeg_color_conversion_options(ofstd::CommandLine& cl, std::string_view never_text);

/// +w6, +wi, +wc in the current subgroup.
void add_jpeg_workaround_options(ofstd::CommandLine& cl);

/// The decoding parameters those options select.
dcmimage::JpegDecodeParams jpeg_decode_params(const ofstd::ParsedCommandLine& args);

}  // namespace dcmkit::apps

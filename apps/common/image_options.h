// SPDX-License-Identifier: BSD-3-Clause
// Option blocks that the image programs share with DCMTK's (dcm2pnm, dcmscale, dcmicmp): scaling,
// the VOI LUT lines dcm2pnm and dcmicmp have in common, and the presentation LUT shape, with their
// translation into the dcmimage options. The --help wording is DCMTK's; where it differs between
// programs, the variant is a parameter.
#pragma once

#include <optional>
#include <string_view>

#include "dcmkit/dcmimage/pixel_image.h"
#include "dcmkit/dcmimage/renderer.h"
#include "dcmkit/dcmimgle/mono.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// Adds the "scaling:" subgroup (+a, -a, +i, -i, -S, +Sxf, +Syf, +Sxv, +Syv). `default_mark`
/// ends +a's text: DCMTK's dcm2pnm writes "(def.)", its dcmscale "(def)".
void add_scaling_options(ofstd::CommandLine& cl, std::string_view default_mark);
/// Sets the scaling fields of `options` from those options (fields of options not given stay
/// as they are). InvalidArgument with the command line's message for a bad value.
ofstd::Status read_scaling_options(const ofstd::ParsedCommandLine& args,
                                   dcmimage::RenderOptions& options);
/// The same for dcmscale's geometry.
ofstd::Status read_scaling_options(const ofstd::ParsedCommandLine& args,
                                   dcmimage::GeometryOptions& options);

/// Adds the "VOI LUT transformation:" subgroup's first lines: -W, +Wi, +Wl. The program adds its
/// own computed windows (+Wm, +Wn, ...) after them, then add_voi_tail_options().
void add_voi_head_options(ofstd::CommandLine& cl);
/// Adds the subgroup's last lines: +Ww, +Wfl, +Wfs.
void add_voi_tail_options(ofstd::CommandLine& cl);
/// The window +Ww gives (center, then width of at least 1), with the linear function.
/// InvalidArgument with the command line's message for a bad value.
ofstd::Result<dcmimgle::VoiWindow> explicit_window(const ofstd::ParsedCommandLine& args);
/// The VOI LUT function +Wfl / +Wfs select, if one is given.
std::optional<dcmimgle::VoiFunction> voi_function(const ofstd::ParsedCommandLine& args);

/// Adds the "presentation LUT transformation:" subgroup (+Pid, +Piv, +Pod).
void add_presentation_lut_options(ofstd::CommandLine& cl);
/// The presentation LUT shape those options select, if one is given.
std::optional<dcmimgle::PresentationShape> presentation_shape(const ofstd::ParsedCommandLine& args);

}  // namespace dcmkit::apps

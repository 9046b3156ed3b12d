// SPDX-License-Identifier: BSD-3-Clause
#include "common/image_options.h"

#include <algorithm>
#include <string>

namespace dcmkit::apps {

namespace {

// RenderOptions and GeometryOptions name their scaling fields alike.
template <class Options>
ofstd::Status read_scaling(const ofstd::ParsedCommandLine& args, Options& options) {
  options.use_aspect_ratio = args.last_of({"+a", "-a"}) != "-a";
  if (const auto interpolation = args.last_of({"+i", "-i"})) {
    if (*interpolation == "-i") {
      options.interpolation = dcmimgle::Interpolation::None;
    } else {
      DCMKIT_ASSIGN_OR_RETURN(const long long n,
                              args.value_as_int("+i", ofstd::IntBounds::range(1, 4)));
      options.interpolation = static_cast<dcmimgle::Interpolation>(n);
    }
  }
  if (const auto scale = args.last_of({"-S", "+Sxf", "+Syf", "+Sxv", "+Syv"})) {
    using dcmimage::ScaleMode;
    if (*scale == "+Sxf" || *scale == "+Syf") {
      DCMKIT_ASSIGN_OR_RETURN(const double factor,
                              args.value_as_float(*scale, ofstd::FloatBounds::greater_than(0)));
      options.scale_factor = factor;
      options.scale_mode = *scale == "+Sxf" ? ScaleMode::XFactor : ScaleMode::YFactor;
    } else if (*scale == "+Sxv" || *scale == "+Syv") {
      DCMKIT_ASSIGN_OR_RETURN(const long long size,
                              args.value_as_int(*scale, ofstd::IntBounds::at_least(1)));
      options.scale_size = static_cast<std::uint32_t>(std::min<long long>(size, 0xFFFFFFFF));
      options.scale_mode = *scale == "+Sxv" ? ScaleMode::XSize : ScaleMode::YSize;
    }
  }
  return {};
}

}  // namespace

void add_scaling_options(ofstd::CommandLine& cl, std::string_view default_mark) {
  cl.add_subgroup("scaling:");
  cl.add_option("+a", "--recognize-aspect",
                "recognize pixel aspect ratio when scaling " + std::string(default_mark));
  cl.add_option("-a", "--ignore-aspect", "ignore pixel aspect ratio when scaling");
  cl.add_option("+i", "--interpolate",
                "[n]umber of algorithm: integer\nuse interpolation when scaling (1..4, def: 1)", 1);
  cl.add_option("-i", "--no-interpolation", "no interpolation when scaling");
  cl.add_option("-S", "--no-scaling", "no scaling, ignore pixel aspect ratio (default)");
  cl.add_option("+Sxf", "--scale-x-factor",
                "[f]actor: float\nscale x axis by factor, auto-compute y axis", 1);
  cl.add_option("+Syf", "--scale-y-factor",
                "[f]actor: float\nscale y axis by factor, auto-compute x axis", 1);
  cl.add_option("+Sxv", "--scale-x-size",
                "[n]umber: integer\nscale x axis to n pixels, auto-compute y axis", 1);
  cl.add_option("+Syv", "--scale-y-size",
                "[n]umber: integer\nscale y axis to n pixels, auto-compute x axis", 1);
}

ofstd::Status read_scaling_options(const ofstd::ParsedCommandLine& args,
                                   dcmimage::RenderOptions& options) {
  return read_scaling(args, options);
}

ofstd::Status read_scaling_options(const ofstd::ParsedCommandLine& args,
                                   dcmimage::GeometryOptions& options) {
  return read_scaling(args, options);
}

void add_voi_head_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("VOI LUT transformation:");
  cl.add_option("-W", "--no-windowing", "no VOI windowing (default)");
  cl.add_option("+Wi", "--use-window", "[n]umber: integer\nuse the n-th VOI window from image file",
                1);
  cl.add_option("+Wl", "--use-voi-lut",
                "[n]umber: integer\nuse the n-th VOI look up table from image file", 1);
}

void add_voi_tail_options(ofstd::CommandLine& cl) {
  cl.add_option("+Ww", "--set-window",
                "[c]enter [w]idth: float\ncompute VOI window using center c and width w", 2);
  cl.add_option("+Wfl", "--linear-function", "set VOI LUT function to LINEAR");
  cl.add_option("+Wfs", "--sigmoid-function", "set VOI LUT function to SIGMOID");
}

ofstd::Result<dcmimgle::VoiWindow> explicit_window(const ofstd::ParsedCommandLine& args) {
  DCMKIT_ASSIGN_OR_RETURN(const double center, args.value_as_float("+Ww", {}, 0));
  DCMKIT_ASSIGN_OR_RETURN(const double width,
                          args.value_as_float("+Ww", ofstd::FloatBounds::at_least(1), 1));
  return dcmimgle::VoiWindow{center, width, dcmimgle::VoiFunction::Linear};
}

std::optional<dcmimgle::VoiFunction> voi_function(const ofstd::ParsedCommandLine& args) {
  const auto function = args.last_of({"+Wfl", "+Wfs"});
  if (!function) return std::nullopt;
  return *function == "+Wfl" ? dcmimgle::VoiFunction::Linear : dcmimgle::VoiFunction::Sigmoid;
}

void add_presentation_lut_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("presentation LUT transformation:");
  cl.add_option("+Pid", "--identity-shape", "set presentation LUT shape to IDENTITY");
  cl.add_option("+Piv", "--inverse-shape", "set presentation LUT shape to INVERSE");
  cl.add_option("+Pod", "--lin-od-shape", "set presentation LUT shape to LIN OD");
}

std::optional<dcmimgle::PresentationShape> presentation_shape(
    const ofstd::ParsedCommandLine& args) {
  const auto shape = args.last_of({"+Pid", "+Piv", "+Pod"});
  if (!shape) return std::nullopt;
  return *shape == "+Pid"   ? dcmimgle::PresentationShape::Identity
         : *shape == "+Piv" ? dcmimgle::PresentationShape::Inverse
                            : dcmimgle::PresentationShape::LinOd;
}

}  // namespace dcmkit::apps

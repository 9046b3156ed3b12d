// SPDX-License-Identifier: BSD-3-Clause
// dcm2pnm: convert DICOM images to PGM/PPM, PNG, TIFF or BMP (a drop-in replacement for DCMTK's
// dcm2pnm, dcmj2pnm and dcml2pnm, installed under those names and as dcm2img; see
// docs/dcm2pnm.md). Frames are rendered one at a time, on all cores when several are asked for.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/jpeg_options.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/uid.h"
#include "dcmkit/dcmimage/bitmap.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"
#if __has_include("dcmkit/dcmimage/codecs/jpeg_ls.h")
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"
#endif
#include "common/image_options.h"
#include "dcmkit/dcmimage/renderer.h"
#include "dcmkit/dcmimgle/display.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/mapped_file.h"

#if __has_include("dcmkit/dcmdata/codec.h")
#include "dcmkit/dcmdata/codec.h"
#define DCMKIT_HAVE_CODEC_REGISTRY 1
#endif

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

// The program's variants: DCMTK's dcmj2pnm adds JPEG options, dcml2pnm is dcm2pnm by another name.
struct Variant {
  std::string name;
  bool jpeg = false;
};

Variant variant_from(const char* argv0) {
  std::string name = std::filesystem::path(argv0 == nullptr ? "dcm2pnm" : argv0).filename();
  if (name == "dcmj2pnm" || name == "dcm2img") return {name, true};
  if (name == "dcml2pnm") return {name, false};
  return {"dcm2pnm", false};
}

void define_options(ofstd::CommandLine& cl, const Variant& variant) {
  cl.set_option_columns(20, 4);
  cl.set_param_column(0);
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("bitmap-out", "output filename to be written (default: stdout)",
                   ofstd::Cardinality::Optional);
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);

  cl.add_group("image processing options:");
  cl.add_subgroup("frame selection:");
  cl.add_option("+F", "--frame", "[n]umber: integer\nselect specified frame (default: 1)", 1);
  cl.add_option("+Fr", "--frame-range",
                "[n]umber [c]ount: integer\nselect c frames beginning with frame n", 2);
  cl.add_option("+Fa", "--all-frames", "select all frames");
  cl.add_subgroup("rotation:");
  cl.add_option("+Rl", "--rotate-left", "rotate image left (-90 degrees)");
  cl.add_option("+Rr", "--rotate-right", "rotate image right (+90 degrees)");
  cl.add_option("+Rtd", "--rotate-top-down", "rotate image top-down (180 degrees)");
  cl.add_subgroup("flipping:");
  cl.add_option("+Lh", "--flip-horizontally", "flip image horizontally");
  cl.add_option("+Lv", "--flip-vertically", "flip image vertically");
  cl.add_option("+Lhv", "--flip-both-axes", "flip image horizontally and vertically");
  apps::add_scaling_options(cl, "(def.)");
  if (variant.jpeg) {
    cl.add_subgroup("color space conversion (JPEG compressed images only):");
    apps::add_jpeg_color_conversion_options(cl, "never convert color space");
    cl.add_subgroup("workaround options for incorrect encodings (JPEG compressed images only):");
    apps::add_jpeg_workaround_options(cl);
  }
  cl.add_subgroup("modality LUT transformation:");
  cl.add_option("-M", "--no-modality", "ignore stored modality LUT transformation");
  cl.add_option("+M", "--use-modality", "use modality LUT transformation (default)");
  apps::add_voi_head_options(cl);
  cl.add_option("+Wm", "--min-max-window", "compute VOI window using min-max algorithm");
  cl.add_option("+Wn", "--min-max-window-n",
                "compute VOI window using min-max algorithm,\nignoring extreme values");
  cl.add_option("+Wr", "--roi-min-max-window",
                "[l]eft [t]op [w]idth [h]eight: integer\n"
                "compute ROI window using min-max algorithm,\n"
                "region of interest is specified by l,t,w,h",
                4);
  cl.add_option("+Wh", "--histogram-window",
                "[n]umber: integer\ncompute VOI window using Histogram algorithm,\n"
                "ignoring n percent",
                1);
  apps::add_voi_tail_options(cl);
  apps::add_presentation_lut_options(cl);
  cl.add_subgroup("overlay:");
  cl.add_option("-O", "--no-overlays", "do not display overlays");
  cl.add_option("+O", "--display-overlay",
                "[n]umber: integer\ndisplay overlay n (0..16, 0=all, default: +O 0)", 1);
  cl.add_option("+Omr", "--ovl-replace",
                "use overlay mode \"Replace\"\n(default for Graphic overlays)");
  cl.add_option("+Omt", "--ovl-threshold", "use overlay mode \"Threshold Replace\"");
  cl.add_option("+Omc", "--ovl-complement", "use overlay mode \"Complement\"");
  cl.add_option("+Omv", "--ovl-invert", "use overlay mode \"Invert Bitmap\"");
  cl.add_option("+Omi", "--ovl-roi",
                "use overlay mode \"Region of Interest\"\n(default for ROI overlays)");
  cl.add_option("+Osf", "--set-foreground",
                "[d]ensity: float\nset overlay foreground density (0..1, def: 1)", 1);
  cl.add_option("+Ost", "--set-threshold",
                "[d]ensity: float\nset overlay threshold density (0..1, def: 0.5)", 1);
  cl.add_subgroup("display LUT transformation:");
  cl.add_option("+Dm", "--monitor-file",
                "[f]ilename: string\ncalibrate output according to monitor\n"
                "characteristics defined in f",
                1);
  cl.add_option("+Dp", "--printer-file",
                "[f]ilename: string\ncalibrate output according to printer\n"
                "characteristics defined in f",
                1);
  cl.add_option("+Da", "--ambient-light",
                "[a]mbient light: float\nambient light value (cd/m^2, default: file f)", 1);
  cl.add_option("+Di", "--illumination",
                "[i]llumination: float\nillumination value (cd/m^2, default: file f)", 1);
  cl.add_option("+Dn", "--min-density",
                "[m]inimum optical density: float\nDmin value (default: off, only with +Dp)", 1);
  cl.add_option("+Dx", "--max-density",
                "[m]aximum optical density: float\nDmax value (default: off, only with +Dp)", 1);
  cl.add_option("+Dg", "--gsd-function", "use GSDF for calibration (default for +Dm/+Dp)");
  // DCMTK's text ends with a blank; kept so that --help output is identical.
  cl.add_option("+Dc", "--cielab-function", "use CIELAB function for calibration ");
  cl.add_subgroup("compatibility:");
  cl.add_option("+Ma", "--accept-acr-nema",
                "accept ACR-NEMA images without photometric\ninterpretation");
  cl.add_option("+Mp", "--accept-palettes",
                "accept incorrect palette attribute tags\n(0028,111x) and (0028,121x)");
  cl.add_option("+Mc", "--check-lut-depth",
                "check 3rd value of the LUT descriptor, compare\n"
                "with expected bit depth based on LUT data");
  cl.add_option("+Mm", "--ignore-mlut-depth",
                "ignore 3rd value of the modality LUT descriptor,\n"
                "determine bits per table entry automatically");
  cl.add_option("+Mv", "--ignore-vlut-depth",
                "ignore 3rd value of the VOI LUT descriptor,\n"
                "determine bits per table entry automatically");
  cl.add_subgroup("TIFF format:");
  cl.add_option("+Tl", "--compr-lzw", "LZW compression (default)");
  cl.add_option("+Tr", "--compr-rle", "RLE compression");
  cl.add_option("+Tn", "--compr-none", "uncompressed");
  cl.add_option("+Pd", "--predictor-default", "no LZW predictor (default)");
  cl.add_option("+Pn", "--predictor-none", "LZW predictor 1 (no prediction)");
  cl.add_option("+Ph", "--predictor-horz", "LZW predictor 2 (horizontal differencing)");
  cl.add_option("+Rs", "--rows-per-strip",
                "[r]ows: integer (default: 0)\nrows per strip, default 8K per strip", 1);
  cl.add_subgroup("PNG format:");
  cl.add_option("+il", "--interlace", "create interlaced file (default)");
  cl.add_option("-il", "--nointerlace", "create non-interlaced file");
  cl.add_option("+mf", "--meta-file", "create PNG file meta information (default)");
  cl.add_option("-mf", "--meta-none", "no PNG file meta information");
  if (variant.jpeg) {
    cl.add_subgroup("JPEG format");
    cl.add_option("+Jq", "--compr-quality",
                  "[q]uality: integer (0..100, default: 90)\n"
                  "quality value for compression (in percent)",
                  1);
    cl.add_option("+Js4", "--sample-444", "4:4:4 sampling (no subsampling)");
    cl.add_option("+Js2", "--sample-422",
                  "4:2:2 subsampling (horizontal subsampling of\nchroma components, default)");
    cl.add_option("+Js1", "--sample-411",
                  "4:1:1 subsampling (horizontal and vertical\nsubsampling of chroma components)");
  }
  cl.add_subgroup("other transformations:");
  cl.add_option("+G", "--grayscale", "convert color image to grayscale (monochrome)");
  cl.add_option("+P", "--change-polarity", "change polarity (invert pixel output)");
  cl.add_option("+C", "--clip-region",
                "[l]eft [t]op [w]idth [h]eight: integer\nclip image region (l, t, w, h)", 4);

  cl.add_group("output options:");
  cl.add_subgroup("general:");
  cl.add_option("-im", "--image-info", "print image details (requires verbose mode)");
  cl.add_option("-o", "--no-output", "do not create any output (useful with -im)");
  cl.add_subgroup("filename generation (only with --frame-range or --all-frames):");
  cl.add_option("+Fc", "--use-frame-counter", "use 0-based counter for filenames (default)");
  cl.add_option("+Fn", "--use-frame-number", "use absolute frame number for filenames");
  cl.add_subgroup("image format:");
  cl.add_option("+op", "--write-raw-pnm", "write 8-bit binary PGM/PPM (default for files)");
  cl.add_option("+opb", "--write-8-bit-pnm", "write 8-bit ASCII PGM/PPM (default for stdout)");
  cl.add_option("+opw", "--write-16-bit-pnm", "write 16-bit ASCII PGM/PPM");
  cl.add_option("+opn", "--write-n-bit-pnm", "[n]umber: integer\nwrite n-bit ASCII PGM/PPM (1..32)",
                1);
  cl.add_option("+ob", "--write-bmp", "write 8-bit (monochrome) or 24-bit (color) BMP");
  cl.add_option("+obp", "--write-8-bit-bmp", "write 8-bit palette BMP (monochrome only)");
  cl.add_option("+obt", "--write-24-bit-bmp", "write 24-bit truecolor BMP");
  cl.add_option("+obr", "--write-32-bit-bmp", "write 32-bit truecolor BMP");
  cl.add_option("+ot", "--write-tiff", "write 8-bit (monochrome) or 24-bit (color) TIFF");
  cl.add_option("+on", "--write-png", "write 8-bit (monochrome) or 24-bit (color) PNG");
  cl.add_option("+on2", "--write-16-bit-png", "write 16-bit (monochrome) or 48-bit (color) PNG");
  if (variant.jpeg) cl.add_option("+oj", "--write-jpeg", "write 8-bit lossy JPEG (baseline)");
}

// Everything the command line decides, checked.
struct Settings {
  dcmdata::ReadOptions read;
  dcmimage::RenderOptions render;
  dcmimage::BitmapOptions bitmap;
  std::uint64_t frame = 1;  // 1-based
  std::uint64_t frame_count = 1;
  bool all_frames = false;
  bool frame_range = false;
  bool use_frame_number = false;
  bool image_info = false;
  bool no_output = false;
  // Display calibration (+Dm/+Dp): the characteristic file and how to use it.
  std::optional<std::string> display_file;
  dcmimgle::DisplaySettings display;
};

// Reads the characteristic file of +Dm/+Dp and builds the display LUT into the render options.
// As DCMTK, a file that cannot be used is reported and ignored (the exit code stays 0).
void load_display(const oflog::Logger& log, Settings& s) {
  auto device = dcmimgle::read_characteristic(*s.display_file);
  if (!device) {
    if (device.error().code() == ofstd::ErrorCode::NotFound) {
      DCMKIT_LOG_WARN(log, "can't open DISPLAY file ... ignoring");
    } else {
      DCMKIT_LOG_ERROR(log, device.error().message());
    }
    DCMKIT_LOG_ERROR(log, "invalid DISPLAY file ... ignoring");
    return;
  }
  for (const std::string& warning : device->warnings) DCMKIT_LOG_WARN(log, warning);
  if (auto warning = dcmimgle::monotony_warning(*device, s.display.device)) {
    DCMKIT_LOG_WARN(log, *warning);
  }
  if (!dcmimgle::check_characteristic(*device, s.display.device)) {
    DCMKIT_LOG_ERROR(log, "invalid DISPLAY file ... ignoring");
    return;
  }
  s.render.display = std::move(*device);
  s.render.display_settings = s.display;
}

// Reads the options into `s`; returns an exit code for a command-line mistake.
std::optional<int> read_settings(const App& app, const Variant& variant, Settings& s) {
  const ofstd::ParsedCommandLine& args = app.args();
  s.read = apps::input_format_options(args, true);
  dcmimage::RenderOptions& r = s.render;
  if (const auto frames = args.last_of({"+F", "+Fr", "+Fa"})) {
    if (*frames == "+F") {
      auto n = args.value_as_int("+F", ofstd::IntBounds::at_least(1));
      if (!n) return app.usage_error(n.error());
      s.frame = static_cast<std::uint64_t>(*n);
    } else if (*frames == "+Fr") {
      auto n = args.value_as_int("+Fr", ofstd::IntBounds::at_least(1), 0);
      if (!n) return app.usage_error(n.error());
      auto c = args.value_as_int("+Fr", ofstd::IntBounds::at_least(1), 1);
      if (!c) return app.usage_error(c.error());
      s.frame = static_cast<std::uint64_t>(*n);
      s.frame_count = static_cast<std::uint64_t>(*c);
      s.frame_range = true;
    } else {
      s.all_frames = true;
    }
  }
  if (const auto rotation = args.last_of({"+Rl", "+Rr", "+Rtd"})) {
    r.rotation = *rotation == "+Rl" ? 270 : *rotation == "+Rr" ? 90 : 180;
  }
  if (const auto flip = args.last_of({"+Lh", "+Lv", "+Lhv"})) {
    r.flip_horizontally = *flip != "+Lv";
    r.flip_vertically = *flip != "+Lh";
  }
  if (auto scaling = apps::read_scaling_options(args, r); !scaling) {
    return app.usage_error(scaling.error());
  }
  r.ignore_modality = args.last_of({"-M", "+M"}) == "-M";
  if (const auto voi = args.last_of({"-W", "+Wi", "+Wl", "+Wm", "+Wn", "+Wr", "+Wh", "+Ww"})) {
    using dcmimage::VoiMode;
    if (*voi == "+Wi" || *voi == "+Wl") {
      auto n = args.value_as_int(*voi, ofstd::IntBounds::at_least(1));
      if (!n) return app.usage_error(n.error());
      r.voi_index = static_cast<std::uint32_t>(std::min<long long>(*n, 0xFFFFFFFF));
      r.voi_mode = *voi == "+Wi" ? VoiMode::FileWindow : VoiMode::FileLut;
    } else if (*voi == "+Wm") {
      r.voi_mode = VoiMode::MinMax;
    } else if (*voi == "+Wn") {
      r.voi_mode = VoiMode::MinMaxNoExtremes;
    } else if (*voi == "+Wr") {
      long long v[4];
      for (std::size_t i = 0; i < 4; ++i) {
        auto n =
            args.value_as_int("+Wr", i < 2 ? ofstd::IntBounds{} : ofstd::IntBounds::at_least(1), i);
        if (!n) return app.usage_error(n.error());
        v[i] = *n;
      }
      r.roi = {static_cast<std::uint32_t>(std::max(0ll, v[0])),
               static_cast<std::uint32_t>(std::max(0ll, v[1])), static_cast<std::uint32_t>(v[2]),
               static_cast<std::uint32_t>(v[3])};
      r.voi_mode = VoiMode::RoiMinMax;
    } else if (*voi == "+Wh") {
      auto n = args.value_as_int("+Wh", ofstd::IntBounds::range(0, 100));
      if (!n) return app.usage_error(n.error());
      r.histogram_percent = static_cast<double>(*n);
      r.voi_mode = VoiMode::Histogram;
    } else if (*voi == "+Ww") {
      auto window = apps::explicit_window(args);
      if (!window) return app.usage_error(window.error());
      r.window = *window;
      r.voi_mode = VoiMode::Explicit;
    }
  }
  if (const auto function = apps::voi_function(args)) r.voi_function = *function;
  if (const auto shape = apps::presentation_shape(args)) r.shape = *shape;
  if (args.has("-O") || args.has("+O")) {
    // The rightmost -O switches overlays off; +O after it switches the named ones on.
    r.show_overlays = false;
    if (args.last_of({"-O", "+O"}) == "+O") {
      r.show_overlays = true;
      for (const std::string& text : args.all_values("+O")) {
        auto n = args.to_int("+O", text, ofstd::IntBounds::range(0, 16));
        if (!n) return app.usage_error(n.error());
        r.overlays.push_back(static_cast<std::uint32_t>(*n));
      }
    }
  }
  if (const auto mode = args.last_of({"+Omr", "+Omt", "+Omc", "+Omv", "+Omi"})) {
    using dcmimgle::OverlayMode;
    r.overlay_mode = *mode == "+Omr"   ? OverlayMode::Replace
                     : *mode == "+Omt" ? OverlayMode::ThresholdReplace
                     : *mode == "+Omc" ? OverlayMode::Complement
                     : *mode == "+Omv" ? OverlayMode::InvertBitmap
                                       : OverlayMode::RegionOfInterest;
  }
  if (args.has("+Osf")) {
    auto d = args.value_as_float("+Osf", ofstd::FloatBounds::range(0, 1));
    if (!d) return app.usage_error(d.error());
    r.overlay_foreground = *d;
  }
  if (args.has("+Ost")) {
    auto d = args.value_as_float("+Ost", ofstd::FloatBounds::range(0, 1));
    if (!d) return app.usage_error(d.error());
    r.overlay_threshold = *d;
  }
  const auto display = args.last_of({"+Dm", "+Dp"});
  for (const char* option : {"+Da", "+Di", "+Dn", "+Dx"}) {
    if (!args.has(option)) continue;
    const std::string_view name(option);
    // Dmax must exceed Dmin (or 0), as DCMTK checks it.
    const ofstd::FloatBounds bounds =
        name == "+Dx" ? ofstd::FloatBounds::greater_than(s.display.min_density.value_or(0))
                      : ofstd::FloatBounds::at_least(0);
    auto v = args.value_as_float(option, bounds);
    if (!v) return app.usage_error(v.error());
    // Densities describe film: DCMTK takes them with a printer characteristic only.
    if ((name == "+Dn" || name == "+Dx") && display != "+Dp") {
      return app.usage_error(std::string(args.long_name(option)) +
                             " only allowed with --printer-file");
    }
    (name == "+Da"   ? s.display.ambient
     : name == "+Di" ? s.display.illumination
     : name == "+Dn" ? s.display.min_density
                     : s.display.max_density) = *v;
  }
  if (display) {
    s.display_file = *args.value(*display);
    s.display.device =
        *display == "+Dp" ? dcmimgle::DeviceType::Printer : dcmimgle::DeviceType::Monitor;
  }
  if (args.last_of({"+Dg", "+Dc"}) == "+Dc") {
    s.display.function = dcmimgle::CalibrationFunction::Cielab;
  }
  r.accept_acr_nema = args.has("+Ma");
  r.color.accept_palette_tags = args.has("+Mp");
  r.lut.check_depth = args.has("+Mc");
  r.color.lut.check_depth = r.lut.check_depth;
  r.ignore_modality_lut_depth = args.has("+Mm");
  r.ignore_voi_lut_depth = args.has("+Mv");
  if (const auto compression = args.last_of({"+Tl", "+Tr", "+Tn"})) {
    s.bitmap.tiff_compression = *compression == "+Tl"   ? dcmimage::TiffCompression::Lzw
                                : *compression == "+Tr" ? dcmimage::TiffCompression::PackBits
                                                        : dcmimage::TiffCompression::None;
  }
  if (const auto predictor = args.last_of({"+Pd", "+Pn", "+Ph"})) {
    s.bitmap.tiff_predictor = *predictor == "+Pd"   ? dcmimage::TiffPredictor::Default
                              : *predictor == "+Pn" ? dcmimage::TiffPredictor::None
                                                    : dcmimage::TiffPredictor::Horizontal;
  }
  if (args.has("+Rs")) {
    auto n = args.value_as_int("+Rs", ofstd::IntBounds::range(0, 65535));
    if (!n) return app.usage_error(n.error());
    s.bitmap.tiff_rows_per_strip = static_cast<std::uint32_t>(*n);
  }
  s.bitmap.png_interlace = args.last_of({"+il", "-il"}) != "-il";
  s.bitmap.png_metainfo = args.last_of({"+mf", "-mf"}) != "-mf";
  if (variant.jpeg && args.has("+Jq")) {
    auto q = args.value_as_int("+Jq", ofstd::IntBounds::range(0, 100));
    if (!q) return app.usage_error(q.error());
    s.bitmap.jpeg_quality = static_cast<int>(*q);
  }
  if (variant.jpeg) {
    if (const auto sampling = args.last_of({"+Js4", "+Js2", "+Js1"})) {
      s.bitmap.jpeg_sampling = *sampling == "+Js4"   ? dcmimage::JpegSampling::S444
                               : *sampling == "+Js2" ? dcmimage::JpegSampling::S422
                                                     : dcmimage::JpegSampling::S411;
    }
  }
  r.grayscale = args.has("+G");
  r.reverse_polarity = args.has("+P");
  if (args.has("+C")) {
    long long v[4];
    for (std::size_t i = 0; i < 4; ++i) {
      auto n =
          args.value_as_int("+C", i < 2 ? ofstd::IntBounds{} : ofstd::IntBounds::at_least(1), i);
      if (!n) return app.usage_error(n.error());
      v[i] = *n;
    }
    r.clip = dcmimage::Region{static_cast<std::uint32_t>(std::max(0ll, v[0])),
                              static_cast<std::uint32_t>(std::max(0ll, v[1])),
                              static_cast<std::uint32_t>(v[2]), static_cast<std::uint32_t>(v[3])};
  }
  s.image_info = args.has("-im");
  s.no_output = args.has("-o");
  s.use_frame_number = args.last_of({"+Fc", "+Fn"}) == "+Fn";
  const auto format = args.last_of(
      {"+op", "+opb", "+opw", "+opn", "+ob", "+obp", "+obt", "+obr", "+ot", "+on", "+on2"});
  using dcmimage::BitmapFormat;
  if (!format || *format == "+op") {
    s.bitmap.format = BitmapFormat::PnmRaw;
  } else if (*format == "+opb") {
    s.bitmap.format = BitmapFormat::PnmAscii;
  } else if (*format == "+opw") {
    s.bitmap.format = BitmapFormat::PnmAscii;
    r.output_bits = 16;
  } else if (*format == "+opn") {
    auto n = args.value_as_int("+opn", ofstd::IntBounds::range(1, 32));
    if (!n) return app.usage_error(n.error());
    s.bitmap.format = BitmapFormat::PnmAscii;
    r.output_bits = static_cast<std::uint32_t>(*n);
  } else if (*format == "+ob") {
    s.bitmap.format = BitmapFormat::Bmp;
  } else if (*format == "+obp") {
    s.bitmap.format = BitmapFormat::Bmp8;
  } else if (*format == "+obt") {
    s.bitmap.format = BitmapFormat::Bmp24;
  } else if (*format == "+obr") {
    s.bitmap.format = BitmapFormat::Bmp32;
  } else if (*format == "+ot") {
    s.bitmap.format = BitmapFormat::Tiff;
  } else if (*format == "+on") {
    s.bitmap.format = BitmapFormat::Png;
  } else if (*format == "+on2") {
    s.bitmap.format = BitmapFormat::Png;
    r.output_bits = 16;
  }
  if (variant.jpeg && args.has("+oj") &&
      args.last_of({"+op", "+opb", "+opw", "+opn", "+ob", "+obp", "+obt", "+obr", "+ot", "+on",
                    "+on2", "+oj"}) == "+oj") {
    s.bitmap.format = dcmimage::BitmapFormat::Jpeg;
  }
  return std::nullopt;
}

std::string transfer_syntax_name(const dcmdata::TransferSyntax& ts) {
  // The names DCMTK prints in --image-info.
  const std::string_view uid = ts.uid();
  if (uid == dcmdata::ts_uids::kImplicitVRLittleEndian) return "Little Endian Implicit";
  if (uid == dcmdata::ts_uids::kExplicitVRLittleEndian) return "Little Endian Explicit";
  if (uid == dcmdata::ts_uids::kExplicitVRBigEndian) return "Big Endian Explicit";
  if (uid == dcmdata::ts_uids::kDeflatedExplicitVRLittleEndian) {
    return "Deflated Explicit VR Little Endian";
  }
  return std::string(ts.name());
}

void log_image_info(const App& app, const std::string& path, const dcmdata::DicomFile& file,
                    const dcmimage::Renderer& renderer, std::uint64_t processed) {
  const dcmimage::ImageInfo& info = renderer.info();
  const oflog::Logger& log = app.logger();
  const auto line = [&](const char* name, const std::string& value) {
    std::ostringstream text;
    text << "  " << std::left << std::setw(20) << name << ": " << value;
    DCMKIT_LOG_INFO(log, text.str());
  };
  DCMKIT_LOG_INFO(log, "dumping image parameters");
  line("filename", path);
  line("transfer syntax", transfer_syntax_name(file.transfer_syntax));
  std::string sop_class = file.data.get_string(dcmdata::tags::SOPClassUID).value_or("");
  if (const auto* entry = dcmdata::lookup_uid(sop_class)) sop_class = std::string(entry->keyword);
  line("SOP class", sop_class);
  line("SOP instance UID", file.data.get_string(dcmdata::tags::SOPInstanceUID).value_or(""));
  line("columns x rows", std::to_string(info.columns) + " x " + std::to_string(info.rows));
  line("bits per sample", std::to_string(info.bits_per_sample));
  line("color model", info.color_model);
  std::ostringstream ratio;
  ratio << std::fixed << std::setprecision(2) << info.pixel_aspect_ratio;
  line("pixel aspect ratio", ratio.str());
  line("number of frames",
       std::to_string(info.frames) + " (" + std::to_string(processed) + " processed)");
  if (info.monochrome) {
    line("VOI LUT function", info.voi_function);
    line("VOI windows in file", std::to_string(info.windows));
    line("VOI LUTs in file", std::to_string(info.voi_luts));
    line("presentation shape", info.presentation_shape);
    line("overlays in file", std::to_string(info.overlays));
    if (const auto range = renderer.value_range()) {
      line("maximum pixel value", std::to_string(static_cast<long long>(range->second)));
      line("minimum pixel value", std::to_string(static_cast<long long>(range->first)));
    }
  }
}

bool write_bytes(std::FILE* out, const std::string& bytes) {
  return bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
}

}  // namespace

int main(int argc, char** argv) {
  const Variant variant = variant_from(argc > 0 ? argv[0] : nullptr);
  App app(variant.name, variant.jpeg ? "Convert DICOM images to PGM/PPM, PNG, TIFF, JPEG or BMP"
                                     : "Convert DICOM images to PGM/PPM, PNG, TIFF or BMP");
  app.add_library("LIBTIFF, Version 4.5.0");
  app.add_library("LIBPNG, Version 1.6.39");
  define_options(app.command_line(), variant);
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  Settings settings;
  if (const auto exit_code = read_settings(app, variant, settings)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  const std::string input = args.param(0);
  const std::optional<std::string> output =
      args.param_count() > 1 ? std::optional<std::string>(args.param(1)) : std::nullopt;
  constexpr int kError = 1;  // DCMTK's dcm2pnm ends every failure with 1

#ifdef DCMKIT_HAVE_CODEC_REGISTRY
  // Every name decodes every transfer syntax dcmkit has a codec for (DCMTK's dcm2pnm decodes
  // only RLE, dcmj2pnm adds JPEG and dcml2pnm JPEG-LS).
  dcmdata::register_rle_codec();
  dcmimage::JpegDecodeParams jpeg;
  if (variant.jpeg) jpeg = apps::jpeg_decode_params(args);
  dcmimage::register_jpeg_codecs(jpeg);
#if __has_include("dcmkit/dcmimage/codecs/jpeg_ls.h")
  dcmimage::register_jpeg_ls_codecs();
#endif
  dcmimage::register_jpeg2000_codecs();
#endif
  if (settings.display_file) load_display(app.logger(), settings);

  DCMKIT_LOG_INFO(app.logger(), "reading DICOM file: " << input);
  // The file is mapped by us, so that the pages of rendered frames can be given back.
  bool mapped = false;
  ofstd::Result<dcmdata::DicomFile> file = [&]() -> ofstd::Result<dcmdata::DicomFile> {
    auto image = ofstd::open_shared(input);
    if (!image) return image.error();
    mapped = (*image)->is_mapped();
    const std::span<const std::byte> bytes = (*image)->bytes();
    return dcmdata::read_bytes(dcmdata::SharedBytes(std::move(*image), bytes), settings.read);
  }();
  if (!file) {
    std::string message = file.error().message();
    if (file.error().code() == ofstd::ErrorCode::NotFound) message = "No such file or directory";
    return app.fatal(kError, message + ": reading file: " + input);
  }
  mapped = mapped && !file->transfer_syntax.is_deflated();
  DCMKIT_LOG_INFO(app.logger(), "preparing pixel data");
  auto renderer = dcmimage::Renderer::create(file->data, file->transfer_syntax, settings.render);
  if (!renderer) {
    DCMKIT_LOG_ERROR(app.logger(), renderer.error().message());
    const char* fatal = renderer.error().code() == ofstd::ErrorCode::NotFound
                            ? "Missing attribute"
                            : "Error in image pixel data";
    return app.fatal(kError, fatal);
  }
  renderer->frames().set_release_mapped_pages(mapped);
  for (const std::string& warning : renderer->warnings()) DCMKIT_LOG_WARN(app.logger(), warning);

  const std::uint64_t frames = renderer->frame_count();
  std::uint64_t first = settings.frame - 1;
  std::uint64_t count = settings.all_frames ? frames : settings.frame_count;
  if (settings.all_frames) first = 0;
  if (first >= frames) {
    return app.fatal(
        kError, "cannot select frame " + std::to_string(settings.frame) + ", invalid frame number");
  }
  if (first + count > frames) {
    DCMKIT_LOG_WARN(app.logger(), "cannot select " << count << " frames, limiting to "
                                                   << frames - first << " frames");
    count = frames - first;
  }
  const std::size_t early_warnings = renderer->warnings().size();
  if (auto prepared = renderer->prepare(first, count); !prepared) {
    return app.fatal(kError, prepared.error().message());
  }
  for (std::size_t i = early_warnings; i < renderer->warnings().size(); ++i) {
    DCMKIT_LOG_WARN(app.logger(), renderer->warnings()[i]);
  }
  if (settings.image_info) log_image_info(app, input, *file, *renderer, count);
  if (settings.no_output) return 0;

  const bool multiple = settings.all_frames || settings.frame_range;
  const auto file_name = [&](std::uint64_t frame, std::uint32_t channels) {
    if (!multiple) return *output;
    const std::string extension = dcmimage::bitmap_extension(settings.bitmap.format, channels);
    const std::string number =
        settings.use_frame_number ? "f" + std::to_string(frame + 1) : std::to_string(frame - first);
    return *output + "." + number + "." + extension;
  };

  // Renders, encodes and writes one frame; the error message if it fails.
  // `bitmap` and `encoded` are the caller's, reused from frame to frame.
  const auto process = [&](std::uint64_t frame, dcmimage::Bitmap& bitmap,
                           std::string& encoded) -> std::optional<std::string> {
    auto rendered = renderer->render(frame, bitmap);
    renderer->frames().release(frame);
    if (!rendered) {
      return "cannot render frame " + std::to_string(frame + 1) + ": " + rendered.error().message();
    }
    if (auto written = dcmimage::write_bitmap(bitmap, settings.bitmap, encoded); !written) {
      return written.error().message();
    }
    if (!output) return std::nullopt;
    const std::string name = file_name(frame, bitmap.channels);
    std::FILE* out = std::fopen(name.c_str(), "wb");
    if (out == nullptr) return "cannot create file " + name;
    const bool ok = write_bytes(out, encoded);
    if (std::fclose(out) != 0 || !ok) return "cannot write file " + name;
    return std::nullopt;
  };

  if (!output) {
    dcmimage::Bitmap bitmap;
    std::string encoded;
    for (std::uint64_t f = first; f < first + count; ++f) {
      if (auto failure = process(f, bitmap, encoded)) return app.fatal(kError, *failure);
      if (!write_bytes(stdout, encoded)) return app.fatal(kError, "cannot write to stdout");
    }
    std::fflush(stdout);
    return 0;
  }
  const unsigned threads = static_cast<unsigned>(
      std::min<std::uint64_t>(count, std::max(1u, std::thread::hardware_concurrency())));
  std::atomic<std::uint64_t> next{first};
  std::atomic<bool> failed{false};
  std::vector<std::string> failures(threads);
  const auto worker = [&](unsigned id) {
    dcmimage::Bitmap bitmap;
    std::string encoded;
    for (std::uint64_t f = next++; f < first + count && !failed; f = next++) {
      if (auto failure = process(f, bitmap, encoded)) {
        failures[id] = *failure;
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (std::thread& t : pool) t.join();
  for (const std::string& failure : failures) {
    if (!failure.empty()) return app.fatal(kError, failure);
  }
  return 0;
}

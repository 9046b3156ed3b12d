// SPDX-License-Identifier: BSD-3-Clause
// dcmcjpeg: compress the pixel data of a DICOM file with JPEG (ITU T.81: lossless, baseline,
// extended, spectral selection, progressive); a drop-in replacement for DCMTK's dcmcjpeg (see
// docs/dcmcjpeg.md).
#include <algorithm>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/codec_app.h"
#include "common/dcmdata_blocks.h"
#include "common/jpeg_options.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/jpeg_input.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_subgroup("compatibility (ignored by +tl):");
  cl.add_option("+Ma", "--accept-acr-nema",
                "accept ACR-NEMA images without photometric\n"
                "interpretation");
  cl.add_option("+Mp", "--accept-palettes",
                "accept incorrect palette attribute tags\n"
                "(0028,111x) and (0028,121x)");
  cl.add_group("JPEG encoding options:");
  cl.add_subgroup("JPEG process:");
  cl.add_option("+e1", "--encode-lossless-sv1", "encode lossless sv1 (default)");
  cl.add_option("+el", "--encode-lossless", "encode lossless");
  cl.add_option("+eb", "--encode-baseline", "encode baseline");
  cl.add_option("+ee", "--encode-extended", "encode extended sequential");
  cl.add_option("+es", "--encode-spectral", "encode spectral selection");
  cl.add_option("+ep", "--encode-progressive", "encode progressive");
  cl.add_subgroup("lossless JPEG codec selection:");
  cl.add_option("+tl", "--true-lossless", "true lossless codec (default)");
  cl.add_option("+pl", "--pseudo-lossless", "old pseudo-lossless codec");
  cl.add_subgroup("lossless JPEG representation:");
  cl.add_option("+sv", "--selection-value",
                "[sv]: integer (1..7, default: 6)\n"
                "use selection value sv\n"
                "only with --encode-lossless",
                1);
  cl.add_option("+pt", "--point-transform",
                "[pt]: integer (0..15, default: 0)\n"
                "use point transform pt",
                1);
  cl.add_subgroup("lossy JPEG representation:");
  cl.add_option("+q", "--quality",
                "[q]: integer (0..100, default: 90)\n"
                "use quality factor q",
                1);
  cl.add_option("+sm", "--smooth",
                "[s]: integer (0..100, default: 0)\n"
                "use smoothing factor s",
                1);
  cl.add_subgroup("other JPEG options:");
  cl.add_option("+ho", "--huffman-optimize", "optimize huffman tables (default)");
  cl.add_option("-ho", "--huffman-standard", "use standard huffman tables if 8 bits/sample");
  cl.add_subgroup("compressed bits per sample (always +ba with +tl):");
  cl.add_option("+ba", "--bits-auto", "choose bits/sample automatically (default)");
  cl.add_option("+be", "--bits-force-8", "force 8 bits/sample");
  cl.add_option("+bt", "--bits-force-12", "force 12 bits/sample (not with baseline)");
  cl.add_option("+bs", "--bits-force-16", "force 16 bits/sample (lossless only)");
  cl.add_subgroup("compression color space conversion (overridden by +tl):");
  cl.add_option("+cy", "--color-ybr", "use YCbCr for color images if lossy (default)");
  cl.add_option("+cr", "--color-rgb", "use RGB for color images if lossy");
  cl.add_option("+cm", "--monochrome", "convert color images to monochrome");
  cl.add_subgroup("decompr. color space conversion (if input is compressed; always +cn with +tl):");
  apps::add_jpeg_color_conversion_options(cl, "never convert color space");
  cl.add_subgroup("decompr. workaround options for incorrect encodings (if input is compressed):");
  apps::add_jpeg_workaround_options(cl);
  cl.add_subgroup("YCbCr component subsampling (lossy JPEG only):");
  cl.add_option("+s2", "--sample-422", "4:2:2 subsampling with YBR_FULL_422 (default)");
  cl.add_subgroup("non-standard YCbCr component subsampling (lossy JPEG only):");
  cl.add_option("+s4", "--nonstd-444", "4:4:4 sampling with YBR_FULL");
  cl.add_option("+n2", "--nonstd-422-full", "4:2:2 subsampling with YBR_FULL");
  cl.add_option("+n1", "--nonstd-411-full", "4:1:1 subsampling with YBR_FULL");
  cl.add_option("+np", "--nonstd-411", "4:1:1 subsampling with YBR_FULL_422");
  cl.add_group("encapsulated pixel data encoding options:");
  apps::add_fragment_options(cl);
  cl.add_subgroup("VOI windowing for monochrome images (not with +tl):");
  cl.add_option("-W", "--no-windowing", "no VOI windowing (default)");
  cl.add_option("+Wi", "--use-window",
                "[n]umber: integer\n"
                "use the n-th VOI window from image file",
                1);
  cl.add_option("+Wl", "--use-voi-lut",
                "[n]umber: integer\n"
                "use the n-th VOI look up table from image file",
                1);
  cl.add_option("+Wm", "--min-max-window", "compute VOI window using min-max algorithm");
  cl.add_option("+Wn", "--min-max-window-n",
                "compute VOI window using min-max algorithm,\n"
                "ignoring extreme values");
  cl.add_option("+Wr", "--roi-min-max-window",
                "[l]eft [t]op [w]idth [h]eight: integer\n"
                "compute ROI window using min-max algorithm,\n"
                "region of interest is specified by l,t,w,h",
                4);
  cl.add_option("+Wh", "--histogram-window",
                "[n]umber: integer\n"
                "compute VOI window using Histogram algorithm,\n"
                "ignoring n percent",
                1);
  cl.add_option("+Ww", "--set-window",
                "[c]enter [w]idth: float\n"
                "compute VOI window using center c and width w",
                2);
  cl.add_subgroup("pixel scaling for monochrome images (-W; ignored by +tl):");
  cl.add_option("+sp", "--scaling-pixel", "scale using min/max pixel value (default)");
  cl.add_option("+sr", "--scaling-range", "scale using min/max range");
  cl.add_subgroup("rescale slope/intercept encoding for monochrome (-W; ignored by +tl):");
  cl.add_option("+ri", "--rescale-identity",
                "encode identity modality rescale (default)\n"
                "Never used for CT images");
  cl.add_option("+rm", "--rescale-map",
                "use modality rescale to scale pixel range\n"
                "Never used for XA/RF/XA Biplane images");
  apps::add_compress_uid_options(cl);
  apps::add_compress_output_options(cl);
}

// "<option> not allowed with <other>" (long names), DCMTK's wording for conflicting options.
std::string conflict(const ofstd::ParsedCommandLine& args, std::string_view option,
                     std::string_view other) {
  return std::string(args.long_name(option)) + " not allowed with " +
         std::string(args.long_name(other));
}

// The options of `block` that DCMTK's option-block lookup finds, in the order of `block`: each
// only if it appears to the right of the one found before it. The last one given takes
// effect, but an earlier one that comes first in `block` is found (and checked) as well.
std::vector<std::string_view> found_in_block(const ofstd::ParsedCommandLine& args,
                                             std::initializer_list<std::string_view> block) {
  std::vector<std::string_view> found;
  const auto& occurrences = args.all_occurrences();
  std::size_t after = 0;  // occurrences before this one are passed
  for (const std::string_view option : block) {
    const std::string_view name = args.long_name(option);
    for (std::size_t i = occurrences.size(); i > after; --i) {
      if (args.option_names(occurrences[i - 1].option).long_name == name) {
        found.push_back(option);
        after = i;
        break;
      }
    }
  }
  return found;
}

// The bits per sample DCMTK's encoder for `process` takes for an image of `bits_stored` bits
// (or the forced bits): 8 for baseline, 8 or 12 for the other DCT processes, 8, 12 or 16 for
// the lossless ones.
std::uint32_t encoder_bits(std::string_view process, dcmimage::JpegBits forced,
                           std::uint32_t bits_stored) {
  std::uint32_t bits = bits_stored;
  if (forced == dcmimage::JpegBits::Force8) bits = 8;
  if (forced == dcmimage::JpegBits::Force12) bits = 12;
  if (forced == dcmimage::JpegBits::Force16) bits = 16;
  if (process == "+eb") return 8;
  if (process == "+e1" || process == "+el") return bits > 12 ? 16 : bits > 8 ? 12 : 8;
  return bits > 8 ? 12 : 8;
}

// Value `index` of an unsigned option: DCMTK reads these as unsigned numbers, so a negative one
// is not a number at all ("Invalid value for option --histogram-window (-1)").
ofstd::Result<long long> unsigned_value(const ofstd::ParsedCommandLine& args,
                                        std::string_view option, ofstd::IntBounds bounds,
                                        std::size_t index = 0) {
  const std::string text = args.value(option, index).value_or("");
  if (!text.empty() && text.front() == '-') {
    return ofstd::Error(
        ofstd::ErrorCode::InvalidArgument,
        "Invalid value for option " + std::string(args.long_name(option)) + " (" + text + ")");
  }
  return args.value_as_int(option, bounds, index);
}

// Prepares the Pixel Data of nested items (Icon Image Sequence) as DCMTK's encoder does: without
// the +W options, which apply to the main image only.
ofstd::Status prepare_nested(dcmdata::DataSet& data, const dcmdata::TransferSyntax& ts,
                             dcmimage::JpegInputOptions options, std::string_view process,
                             dcmimage::JpegBits forced, int depth) {
  if (depth > 64) return {};
  options.voi_mode = dcmimage::VoiMode::None;
  for (dcmdata::Element& element : data) {
    if (!element.is_sequence()) continue;
    for (dcmdata::DataSet& item : element.items()) {
      if (item.contains(dcmdata::tags::PixelData)) {
        const auto bits_stored = item.get_int(dcmdata::tags::BitsStored);
        options.bits = encoder_bits(process, forced,
                                    bits_stored ? static_cast<std::uint32_t>(*bits_stored) : 8);
        DCMKIT_TRY(dcmimage::prepare_jpeg_input(item, ts, options));
      }
      DCMKIT_TRY(prepare_nested(item, ts, options, process, forced, depth + 1));
    }
  }
  return {};
}

// Marks the image as derived, as DCMTK's JPEG encoder does: the first value of Image Type
// becomes DERIVED (Image Type is created if absent).
ofstd::Status mark_image_derived(dcmdata::DataSet& data) {
  std::vector<std::string> values;
  if (auto existing = data.get_strings(dcmdata::tags::ImageType)) values = std::move(*existing);
  if (values.empty()) values.emplace_back();
  values[0] = "DERIVED";
  return data.set_strings(dcmdata::tags::ImageType, dcmdata::VR::CS, values);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmcjpeg", "Encode DICOM file to JPEG transfer syntax");
  define_options(app.command_line());
  app.add_library(dcmimage::jpeg_library_version());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  // The checks follow the order and wording of DCMTK's: process, codec, representation, bits,
  // colour, subsampling, fragments, windowing.
  std::string_view target_uid = dcmdata::uids::JPEGLosslessSV1.str();
  const std::string_view process =
      args.last_of({"+e1", "+el", "+eb", "+ee", "+es", "+ep"}).value_or("+e1");
  if (process == "+el") target_uid = dcmdata::uids::JPEGLossless.str();
  if (process == "+eb") target_uid = dcmdata::uids::JPEGBaseline8Bit.str();
  if (process == "+ee") target_uid = dcmdata::uids::JPEGExtended12Bit.str();
  if (process == "+es") target_uid = "1.2.840.10008.1.2.4.53";
  if (process == "+ep") target_uid = "1.2.840.10008.1.2.4.55";
  const bool lossless = process == "+e1" || process == "+el";
  const bool lossy = !lossless;
  const auto codec = args.last_of({"+tl", "+pl"});
  if (codec && !lossless) {
    return app.usage_error(std::string(args.long_name(*codec)) +
                           " only allowed with --encode-lossless-sv1 or --encode-lossless");
  }
  const bool true_lossless = lossless && codec != "+pl";
  const bool pseudo_lossless = lossless && codec == "+pl";
  if (auto status = args.check_dependence("+sv", "+el"); !status) {
    return app.usage_error(status.error());
  }
  if (args.has("+pt") && !lossless) {
    return app.usage_error("--point-transform only allowed with lossless JPEG");
  }
  if (args.has("+q") && lossless) {
    return app.usage_error("--quality only allowed with lossy JPEG");
  }
  if (args.has("+sm") && true_lossless) return app.usage_error(conflict(args, "+sm", "+tl"));
  dcmimage::JpegEncodeParams encode;
  if (args.has("+sv")) {
    auto value = args.value_as_int("+sv", ofstd::IntBounds::range(1, 7));
    if (!value) return app.usage_error(value.error());
    encode.selection_value = static_cast<int>(*value);
  }
  if (args.has("+pt")) {
    auto value = args.value_as_int("+pt", ofstd::IntBounds::range(0, 15));
    if (!value) return app.usage_error(value.error());
    encode.point_transform = static_cast<int>(*value);
  }
  if (args.has("+q")) {
    auto value = args.value_as_int("+q", ofstd::IntBounds::range(0, 100));
    if (!value) return app.usage_error(value.error());
    encode.quality = static_cast<int>(*value);
  }
  if (args.has("+sm")) {
    auto value = args.value_as_int("+sm", ofstd::IntBounds::range(0, 100));
    if (!value) return app.usage_error(value.error());
    encode.smoothing = static_cast<int>(*value);
  }
  encode.optimize_huffman = args.last_of({"+ho", "-ho"}) != "-ho";
  if (const auto bits = args.last_of({"+ba", "+be", "+bt", "+bs"}); bits && *bits != "+ba") {
    if (true_lossless) return app.usage_error(conflict(args, *bits, "+tl"));
    if (*bits == "+bs" && lossy) return app.usage_error(conflict(args, "+bs", process));
    if (*bits == "+bt" && process == "+eb") return app.usage_error(conflict(args, "+bt", "+eb"));
    if (*bits == "+be") encode.bits = dcmimage::JpegBits::Force8;
    if (*bits == "+bt") encode.bits = dcmimage::JpegBits::Force12;
    if (*bits == "+bs") encode.bits = dcmimage::JpegBits::Force16;
  }
  if (const auto color = args.last_of({"+cy", "+cr", "+cm"})) {
    if (*color != "+cy" && true_lossless) return app.usage_error(conflict(args, *color, "+tl"));
    if (*color == "+cr") encode.color = dcmimage::JpegColorSpace::Rgb;
    if (*color == "+cm") encode.color = dcmimage::JpegColorSpace::Monochrome;
  }
  // The true lossless codec codes what it reads ("always +cn with +tl"): the decompression
  // colour options that would convert are refused, as DCMTK refuses them.
  for (const std::string_view conversion :
       found_in_block(args, {"+cp", "+cl", "+cg", "+cgl", "+ca", "+cn"})) {
    if (true_lossless && conversion != "+cp" && conversion != "+cn") {
      return app.usage_error(conflict(args, conversion, "+tl"));
    }
  }
  if (const auto sampling = args.last_of({"+s2", "+s4", "+n2", "+n1", "+np"})) {
    if (true_lossless) return app.usage_error(conflict(args, *sampling, "+tl"));
    if (pseudo_lossless) return app.usage_error(conflict(args, *sampling, "+pl"));
    if (*sampling == "+s4") encode.subsampling = dcmimage::JpegSubsampling::Full444;
    if (*sampling == "+n2") encode.subsampling = dcmimage::JpegSubsampling::Full422;
    if (*sampling == "+n1") encode.subsampling = dcmimage::JpegSubsampling::Full411;
    if (*sampling == "+np") encode.subsampling = dcmimage::JpegSubsampling::Ybr411;
  }
  encode.pseudo_lossless = pseudo_lossless;
  auto job = apps::compress_job(args, target_uid);
  if (!job) return app.usage_error(job.error());

  // What the lossy and pseudo-lossless encoders take: the image rendered as DCMTK renders it.
  dcmimage::JpegInputOptions input;
  const auto window = args.last_of({"-W", "+Wi", "+Wl", "+Wm", "+Wn", "+Wr", "+Wh", "+Ww"});
  if (window && *window != "-W") {
    if (true_lossless) return app.usage_error(conflict(args, *window, "+tl"));
    if (*window == "+Wi" || *window == "+Wl") {
      auto value = unsigned_value(args, *window, ofstd::IntBounds::at_least(1));
      if (!value) return app.usage_error(value.error());
      input.voi_mode =
          *window == "+Wi" ? dcmimage::VoiMode::FileWindow : dcmimage::VoiMode::FileLut;
      input.voi_index = static_cast<std::uint32_t>(*value);
    }
    if (*window == "+Wm") input.voi_mode = dcmimage::VoiMode::MinMax;
    if (*window == "+Wn") input.voi_mode = dcmimage::VoiMode::MinMaxNoExtremes;
    if (*window == "+Wr") {
      std::uint32_t roi[4] = {};
      for (std::size_t i = 0; i < 4; ++i) {
        auto value = unsigned_value(
            args, "+Wr", i < 2 ? ofstd::IntBounds::at_least(0) : ofstd::IntBounds::at_least(1), i);
        if (!value) return app.usage_error(value.error());
        roi[i] = static_cast<std::uint32_t>(std::min<long long>(*value, 0xFFFFFFFF));
      }
      input.voi_mode = dcmimage::VoiMode::RoiMinMax;
      input.roi = {roi[0], roi[1], roi[2], roi[3]};
    }
    if (*window == "+Wh") {
      auto value = unsigned_value(args, "+Wh", ofstd::IntBounds::range(0, 100));
      if (!value) return app.usage_error(value.error());
      input.voi_mode = dcmimage::VoiMode::Histogram;
      input.histogram_percent = static_cast<double>(*value);
    }
    if (*window == "+Ww") {
      auto center = args.value_as_float("+Ww", {}, 0);
      if (!center) return app.usage_error(center.error());
      auto width = args.value_as_float("+Ww", ofstd::FloatBounds::at_least(1.0), 1);
      if (!width) return app.usage_error(width.error());
      input.voi_mode = dcmimage::VoiMode::Explicit;
      input.window = {*center, *width, dcmimgle::VoiFunction::Linear};
    }
  }
  input.scale_by_pixel_values = args.last_of({"+sp", "+sr"}) != "+sr";
  input.rescale_map = args.last_of({"+rm", "+ri"}) == "+rm";
  input.secondary_capture = args.last_of({"+cd", "+cs"}) == "+cs";
  input.to_monochrome = encode.color == dcmimage::JpegColorSpace::Monochrome;
  input.accept_acr_nema = args.has("+Ma");
  input.accept_palette_tags = args.has("+Mp");

  dcmimage::JpegDecodeParams decode = apps::jpeg_decode_params(args);
  // True lossless coding of JPEG input codes the decoded samples in the stream's own colour
  // model (YCbCr stays YCbCr, labelled YBR_FULL), as DCMTK does; lossy coding takes them as RGB.
  if (true_lossless) decode.color = dcmimage::ColorConversion::Never;
  dcmdata::register_rle_codec();
  dcmimage::register_jpeg_codecs(decode, encode);
  if (!true_lossless) {
    const dcmimage::JpegBits forced = encode.bits;
    job->transcode.record_as_lossy = pseudo_lossless;
    job->prepare = [input, forced, process](dcmdata::DicomFile& file,
                                            dcmdata::TranscodeOptions& transcode) -> ofstd::Status {
      dcmimage::JpegInputOptions options = input;
      DCMKIT_TRY(prepare_nested(file.data, file.transfer_syntax, options, process, forced, 0));
      const auto bits_stored = file.data.get_int(dcmdata::tags::BitsStored);
      options.bits =
          encoder_bits(process, forced, bits_stored ? static_cast<std::uint32_t>(*bits_stored) : 8);
      DCMKIT_ASSIGN_OR_RETURN(
          const dcmimage::JpegInput prepared,
          dcmimage::prepare_jpeg_input(file.data, file.transfer_syntax, options));
      file.transfer_syntax = dcmdata::explicit_vr_little_endian();
      transcode.encode.ratio_bits_per_sample = prepared.depth;
      return {};
    };
  }
  const bool derived = !true_lossless || job->transcode.convert_to_secondary_capture ||
                       job->transcode.new_instance == dcmdata::NewInstancePolicy::Always;
  if (derived) job->finish = mark_image_derived;
  return apps::run_compress(app, *job);
}

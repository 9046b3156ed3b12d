// SPDX-License-Identifier: BSD-3-Clause
// dcmscale: scale or clip a DICOM image and write the result as a new DICOM image; a drop-in
// replacement for DCMTK's dcmscale (see docs/dcmscale.md). Monochrome images keep their modality
// values, colour images become RGB, as DCMTK writes them.
#include <algorithm>
#include <string>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "common/image_options.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmimage/codecs/all.h"
#include "dcmkit/dcmimage/pixel_image.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

constexpr int kError = 1;  // DCMTK's dcmscale ends every failure with 1

void define_options(ofstd::CommandLine& cl) {
  cl.set_param_column(0);
  cl.add_parameter("dcmfile-in", "DICOM input filename to be scaled");
  cl.add_parameter("dcmfile-out", "DICOM output filename to be written");
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_group("image processing and encoding options:");
  apps::add_scaling_options(cl, "(def)");
  cl.add_subgroup("other transformations:");
  cl.add_option(
      "+C", "--clip-region",
      "[l]eft [t]op [w]idth [h]eight: integer\nclip rectangular image region (l, t, w, h)", 4);
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ua", "--uid-always", "always assign new SOP Instance UID (default)");
  cl.add_option("+un", "--uid-never", "never assign new SOP Instance UID");
  cl.add_group("output options:");
  cl.add_subgroup("output file format:");
  cl.add_option("+F", "--write-file", "write file format (default)");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  cl.add_subgroup("output transfer syntax:");
  cl.add_option("+t=", "--write-xfer-same", "write with same TS as input (default)");
  cl.add_option("+te", "--write-xfer-little", "write with explicit VR little endian TS");
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  apps::add_new_vr_options(cl);
  apps::add_group_length_options(cl);
  apps::add_length_options(cl);
  apps::add_padding_options(cl, apps::PaddingHelp::NotWithDataSet);
}

// The geometry asked for; an exit code for a command-line mistake.
std::optional<int> read_geometry(const App& app, dcmimage::GeometryOptions& g) {
  const ofstd::ParsedCommandLine& args = app.args();
  if (auto scaling = apps::read_scaling_options(args, g); !scaling) {
    return app.usage_error(scaling.error());
  }
  if (args.has("+C")) {
    long long v[4];
    for (std::size_t i = 0; i < 4; ++i) {
      auto n =
          args.value_as_int("+C", i < 2 ? ofstd::IntBounds{} : ofstd::IntBounds::at_least(0), i);
      if (!n) return app.usage_error(n.error());
      v[i] = *n;
    }
    g.clip = dcmimage::ClipRegion{
        v[0], v[1], static_cast<std::uint32_t>(std::min<long long>(v[2], 0xFFFFFFFF)),
        static_cast<std::uint32_t>(std::min<long long>(v[3], 0xFFFFFFFF))};
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmscale", "Scale DICOM images");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  dcmimage::GeometryOptions geometry;
  if (const auto exit_code = read_geometry(app, geometry)) return *exit_code;
  const dcmdata::ReadOptions read_options = apps::input_format_options(args, true);
  const bool data_set_only = args.last_of({"+F", "-F"}) == "-F";
  auto write = apps::write_options(args, {}, data_set_only);
  if (!write) return app.usage_error(write.error());
  // DCMTK's dcmscale keeps existing Data Set Trailing Padding with -F unless -p asks otherwise.
  if (data_set_only && !args.last_of({"-p=", "-p", "+p"})) write->remove_padding = false;
  const bool new_uid = args.last_of({"+ua", "+un"}) != "+un";
  const std::string& input = args.param(0);
  const std::string& output = args.param(1);

  // dcmkit decodes every compressed transfer syntax it has a codec for (DCMTK's dcmscale only
  // RLE); writing stays uncompressed.
  dcmimage::register_all_codecs();

  DCMKIT_LOG_INFO(app.logger(), "open input file " << input);
  auto file = apps::read_input_file(app, input, read_options);
  if (!file) return app.fatal(kError, file.error().message());
  dcmdata::TransferSyntax ts = file->transfer_syntax;
  if (const auto choice = args.last_of({"+t=", "+te", "+tb", "+ti"}); choice && *choice != "+t=") {
    ts = *choice == "+te"   ? dcmdata::explicit_vr_little_endian()
         : *choice == "+tb" ? dcmdata::explicit_vr_big_endian()
                            : dcmdata::implicit_vr_little_endian();
  } else {
    DCMKIT_LOG_INFO(app.logger(), "set output transfer syntax to input transfer syntax");
  }

  DCMKIT_LOG_INFO(app.logger(), "preparing pixel data");
  // DCMTK insists on the Image Pixel module's type 1 attributes (PS3.3 C.7.6.3).
  for (const dcmdata::Tag tag :
       {dcmdata::tags::Rows, dcmdata::tags::Columns, dcmdata::tags::BitsAllocated,
        dcmdata::tags::BitsStored, dcmdata::tags::HighBit, dcmdata::tags::PixelRepresentation}) {
    if (file->data.contains(dcmdata::tags::PixelData) && !file->data.contains(tag)) {
      DCMKIT_LOG_ERROR(app.logger(), "mandatory attribute '" << dcmdata::lookup_tag(tag)->keyword
                                                             << "' is missing");
      return app.fatal(kError, "Missing attribute");
    }
  }
  auto image = dcmimage::PixelImage::load(file->data, file->transfer_syntax);
  if (!image) {
    DCMKIT_LOG_ERROR(app.logger(), image.error().message());
    return app.fatal(kError, image.error().code() == ofstd::ErrorCode::NotFound
                                 ? "Missing attribute"
                                 : "Error in image pixel data");
  }
  const bool scaling = geometry.scale_mode != dcmimage::ScaleMode::None;
  if (!scaling && !geometry.clip) return app.fatal(kError, "nothing to do");
  if (scaling && geometry.clip && geometry.interpolation != dcmimgle::Interpolation::None) {
    DCMKIT_LOG_ERROR(app.logger(),
                     "interpolated scaling and clipping at the same time not implemented ... "
                     "ignoring clipping region");
  }
  if (auto done = image->transform(geometry); !done) {
    DCMKIT_LOG_ERROR(app.logger(), done.error().message());
    return app.fatal(kError, "cannot create new image");
  }
  if (auto written = image->write_to(file->data); !written) {
    return app.fatal(kError, written.error().message() + ": writing file: " + output);
  }
  const std::string description = !geometry.clip ? "Scaled image"
                                  : scaling      ? "Scaled rectangular image region"
                                                 : "Clipped rectangular image region";
  dcmdata::DataSet meta;
  if (auto marked = dcmimage::mark_derived(file->data, description, new_uid); !marked) {
    return app.fatal(kError, marked.error().message());
  }
  if (ts.is_encapsulated()) {
    // As DCMTK's dcmscale: there is no encoder for the input's compressed transfer syntax.
    return app.fatal(kError, "Pixel representation not found: writing file: " + output);
  }
  if (!data_set_only) {
    auto made = dcmdata::make_file_meta(file->data, ts.uid());
    if (!made) return app.fatal(kError, made.error().message() + ": writing file: " + output);
    meta = std::move(*made);
  }
  DCMKIT_LOG_INFO(app.logger(), "create output file " << output);
  auto written = dcmdata::write_file(output, meta, file->data, ts, *write, file->preamble.span());
  if (!written) {
    std::string message = written.error().message();
    if (written.error().code() == ofstd::ErrorCode::NotFound ||
        written.error().code() == ofstd::ErrorCode::IoError) {
      message = "No such file or directory";
    }
    return app.fatal(kError, message + ": writing file: " + output);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

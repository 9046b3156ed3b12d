// SPDX-License-Identifier: BSD-3-Clause
// img2dcm: JPEG, BMP, PNG or TIFF images into a DICOM Secondary Capture, multi-frame Secondary
// Capture, VL Photographic or Ophthalmic Photography object; a drop-in replacement for DCMTK's
// img2dcm (see docs/img2dcm.md).
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmdata/xml.h"
#include "dcmkit/dcmimage/image_import.h"
#include "dcmkit/dcmimage/image_object.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace dcmkit::apps {
namespace {

using dcmimage::ImageFileFormat;
using dcmimage::ImageIod;

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("imgfile-in", "image input filename", ofstd::Cardinality::OneOrMore);
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  cl.add_subgroup("general:");
  cl.add_option("-i", "--input-format",
                "[i]nput file format: string\nsupported formats: JPEG (default), BMP", 1);
  cl.add_option("-df", "--dataset-from", "[f]ilename: string\nuse dataset from DICOM file f", 1);
  cl.add_option("-dx", "--dataset-from-xml", "[f]ilename: string\nuse dataset from XML file f", 1);
  cl.add_option("-stf", "--study-from", "[f]ilename: string\nread patient/study from DICOM file f",
                1);
  cl.add_option("-sef", "--series-from",
                "[f]ilename: string\nread patient/study/series from DICOM file f", 1);
  cl.add_option("-ii", "--instance-inc", "increase instance number read from DICOM file");
  cl.add_subgroup("JPEG format:");
  cl.add_option("-dp", "--disable-progr", "disable support for progressive JPEG");
  cl.add_option("-de", "--disable-ext", "disable support for extended sequential JPEG");
  cl.add_option("-jf", "--insist-on-jfif", "insist on JFIF header");
  cl.add_option("-ka", "--keep-appn", "keep APPn sections (except JFIF)");
  cl.add_option("-rc", "--remove-com", "remove COM segment");
  cl.add_subgroup("XML validation:");
  cl.add_option("+Vd", "--validate-document", "validate XML document against DTD");
  cl.add_option("+Vn", "--check-namespace", "check XML namespace in document root");
  cl.add_group("processing options:");
  cl.add_subgroup("attribute checking:");
  cl.add_option("", "--do-checks", "enable attribute validity checking (default)");
  cl.add_option("", "--no-checks", "disable attribute validity checking");
  cl.add_option("+i2", "--insert-type2",
                "insert missing type 2 attributes (default)\n(only with --do-checks)");
  // DCMTK's help has a trailing space here; --help is compared byte for byte.
  cl.add_option("-i2", "--no-type2-insert",
                "do not insert missing type 2 attributes \n(only with --do-checks)");
  cl.add_option("+i1", "--invent-type1",
                "invent missing type 1 attributes (default)\n(only with --do-checks)");
  cl.add_option("-i1", "--no-type1-invent",
                "do not invent missing type 1 attributes\n(only with --do-checks)");
  cl.add_subgroup("character set conversion of study/series file:");
  cl.add_option("-Ct", "--transliterate",
                "try to approximate characters that cannot be\nrepresented through similar "
                "looking characters");
  cl.add_option("-Cd", "--discard-illegal",
                "discard characters that cannot be represented\nin destination character set");
  cl.add_subgroup("other processing options:");
  cl.add_option("-k", "--key",
                "[k]ey: gggg,eeee=\"str\", path or dict. name=\"str\"\nadd further attribute", 1);
  cl.add_group("output options:");
  cl.add_subgroup("target SOP class:");
  cl.add_option("-sc", "--sec-capture", "write Secondary Capture SOP class (default)");
  cl.add_option("-nsc", "--new-sc", "write new Secondary Capture SOP classes");
  cl.add_option("-vlp", "--vl-photo", "write Visible Light Photographic SOP class");
  cl.add_option("-oph", "--oph-photo", "write Ophthalmic Photography SOP classes");
  cl.add_subgroup("output file format:");
  cl.add_option("+F", "--write-file", "write file format (default)");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  add_group_length_options(cl);
  add_length_options(cl);
  cl.add_subgroup("data set trailing padding (not with --write-dataset):");
  cl.add_option("-p", "--padding-off", "no padding (implicit if --write-dataset)");
  cl.add_option("+p", "--padding-create",
                "[f]ile-pad [i]tem-pad: integer\n"
                "align file on multiple of f bytes\n"
                "and items on multiple of i bytes",
                2);
}

ofstd::Result<std::vector<std::byte>> read_whole_file(const std::string& name) {
  std::ifstream in(name, std::ios::binary);
  if (!in) return ofstd::Error(ofstd::ErrorCode::NotFound, "Unable to open image file");
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return ofstd::Error(ofstd::ErrorCode::IoError, "Unable to read image file");
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

}  // namespace

int run(int argc, char** argv) {
  App app("img2dcm", "Convert standard image formats into DICOM format");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  const oflog::Logger& log = app.logger();
  constexpr int kFailure = ofstd::kExitCommandLineSyntaxError;  // DCMTK's img2dcm exits 1

  // Input format: -i names it (JPEG by default); dcmkit also reads PNG and TIFF.
  std::optional<ImageFileFormat> named_format = ImageFileFormat::Jpeg;
  const bool format_given = args.has("-i");
  if (format_given) named_format = dcmimage::image_format_from_name(*args.value("-i"));
  if (!named_format) {
    return app.fatal(kFailure,
                     "Error converting file: No plugin for selected input format "
                     "available");
  }
  dcmimage::ImportOptions import;
  import.jpeg.disable_progressive = args.has("-dp");
  import.jpeg.disable_extended = args.has("-de");
  import.jpeg.insist_on_jfif = args.has("-jf");
  import.jpeg.keep_appn = args.has("-ka");
  import.jpeg.remove_com = args.has("-rc");

  dcmimage::ImageObjectOptions options;
  const auto iod = args.last_of({"-sc", "-nsc", "-vlp", "-oph"});
  options.iod = iod == "-nsc"   ? ImageIod::MultiFrameSecondaryCapture
                : iod == "-vlp" ? ImageIod::VLPhotographic
                : iod == "-oph" ? ImageIod::OphthalmicPhotography
                                : ImageIod::SecondaryCapture;
  options.do_checks = args.last_of({"--do-checks", "--no-checks"}) != "--no-checks";
  options.insert_type2 = args.last_of({"+i2", "-i2"}) != "-i2";
  options.invent_type1 = args.last_of({"+i1", "-i1"}) != "-i1";
  options.increment_instance = args.has("-ii");
  options.discard_illegal = args.has("-Cd") || args.has("-Ct");
  const bool data_set_only = args.last_of({"+F", "-F"}) == "-F";
  auto write = write_options(args, OutputBlocks{false, true, true, false});
  if (!write) return app.usage_error(write.error());
  const auto padding = args.last_of({"-p", "+p"});
  // With -F there is no padding; DCMTK's img2dcm accepts +p there (and ignores +p altogether).
  if (padding == "+p" && !data_set_only) {
    auto file_pad = args.value_as_int("+p", ofstd::IntBounds::at_least(0), 0);
    if (!file_pad) return app.usage_error(file_pad.error());
    auto item_pad = args.value_as_int("+p", ofstd::IntBounds::at_least(0), 1);
    if (!item_pad) return app.usage_error(item_pad.error());
    write->file_padding = static_cast<std::uint32_t>(*file_pad);
    write->item_padding = static_cast<std::uint32_t>(*item_pad);
  }
  write->remove_padding = padding == "-p" || data_set_only;

  DCMKIT_LOG_INFO(
      log, "img2dcm: Instantiated input plugin: " << dcmimage::image_format_name(*named_format));
  DCMKIT_LOG_INFO(log,
                  "img2dcm: Instantiated output plugin: " << dcmimage::image_iod_name(options.iod));
  auto fail = [&](const std::string& message) {
    // DCMTK prints each line of a multi-line error as its own fatal message.
    return app.fatal(kFailure, "Error converting file: " + message);
  };

  // The template (-df, or -dx in XML) and the study/series source (-stf / -sef, rightmost wins).
  std::optional<dcmdata::DataSet> template_data;
  if (const auto source = args.last_of({"-df", "-dx"})) {
    const std::string name = *args.value(*source);
    if (*source == "-df") {
      auto read = dcmdata::read_file(name);
      if (!read) return fail(read.error().message());
      template_data = std::move(read->data);
    } else {
      std::ifstream in(name, std::ios::binary);
      if (!in) return fail("No such file or directory");
      const std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      dcmdata::XmlReadOptions xml;
      xml.validate = args.has("+Vd");
      xml.check_namespace = args.has("+Vn");
      xml.read_meta = false;
      auto read = dcmdata::read_xml(text, xml);
      if (!read) return fail(read.error().message());
      template_data = std::move(read->data);
    }
    options.template_data = &*template_data;
  }
  std::optional<dcmdata::DataSet> source_data;
  if (const auto source = args.last_of({"-stf", "-sef"})) {
    const std::string name = *args.value(*source);
    auto read = dcmdata::read_file(name);
    if (!read) return fail("Error: Unable to open study / series file " + name);
    source_data = std::move(read->data);
    options.study_source = &*source_data;
    options.series_from_source = *source == "-sef";
  }

  // The images, one frame each.
  DCMKIT_LOG_INFO(log, "img2dcm: Starting image conversion");
  const std::size_t image_count = args.param_count() - 1;
  std::vector<dcmimage::ImportedImage> frames;
  for (std::size_t i = 0; i < image_count; ++i) {
    const std::string& name = args.param(i);
    auto bytes = read_whole_file(name);
    if (!bytes) return fail(bytes.error().message());
    ImageFileFormat format = *named_format;
    // Without -i, a file that is not JPEG is read as what it is (DCMTK would fail).
    if (!format_given) {
      const auto detected = dcmimage::detect_image_format(*bytes);
      if (detected && *detected != format) {
        DCMKIT_LOG_INFO(log, "img2dcm: " << name << " is a "
                                         << dcmimage::image_format_name(*detected)
                                         << " file, read as such");
        format = *detected;
      }
    }
    auto image = dcmimage::import_image(*bytes, format, import);
    if (!image) return fail(image.error().message());
    for (const std::string& note : image->notes) DCMKIT_LOG_WARN(log, name << ": " << note);
    frames.push_back(std::move(*image));
  }

  auto object = dcmimage::make_image_object(frames, options);
  if (!object) {
    if (object.error().message().find("does not support multiframe") != std::string::npos) {
      DCMKIT_LOG_ERROR(log, object.error().message());
      return fail("SOP class mismatch");
    }
    return fail(object.error().message());
  }
  dcmdata::DataSet& data = object->data;
  for (const std::string& key : args.all_values("-k")) {
    auto applied = apps::apply_key_option(data, key);
    if (!applied) {
      return fail("Bad override key/path: " + key + ": " + applied.error().message());
    }
  }
  const std::vector<std::string> problems = dcmimage::check_image_object(data, options);
  if (!problems.empty()) {
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (i == 0) {
        DCMKIT_LOG_FATAL(log, "Error converting file: " << problems[i]);
      } else {
        DCMKIT_LOG_FATAL(log, problems[i]);
      }
    }
    return kFailure;
  }
  if (auto finished = dcmimage::finish_image_object(data, frames); !finished) {
    return fail(finished.error().message());
  }

  const std::string& output = args.param(image_count);
  DCMKIT_LOG_INFO(log, "img2dcm: Saving output DICOM to file " << output);
  const dcmdata::TransferSyntax syntax =
      dcmdata::TransferSyntax::lookup_or_unknown(object->transfer_syntax_uid);
  dcmdata::DataSet meta;
  if (!data_set_only) {
    auto made = dcmdata::make_file_meta(data, object->transfer_syntax_uid);
    if (!made) return fail(made.error().message());
    meta = std::move(*made);
  }
  auto written = dcmdata::write_file(output, meta, data, syntax, *write);
  if (!written) return fail(written.error().message());
  return ofstd::kExitNoError;
}

}  // namespace dcmkit::apps

int main(int argc, char** argv) { return dcmkit::apps::run(argc, argv); }

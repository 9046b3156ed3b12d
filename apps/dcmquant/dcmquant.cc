// SPDX-License-Identifier: BSD-3-Clause
// dcmquant: convert a colour DICOM image to PALETTE COLOR by median-cut quantization; a drop-in
// replacement for DCMTK's dcmquant (see docs/dcmquant.md).
#include <algorithm>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "common/dcmdata_output.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmimage/codecs/all.h"
#include "dcmkit/dcmimage/pixel_image.h"
#include "dcmkit/dcmimage/quantize.h"
#include "dcmkit/dcmimage/renderer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file
namespace tags = dcmdata::tags;
using dcmdata::VR;

constexpr int kError = 1;  // DCMTK's dcmquant ends every failure with 1

void define_options(ofstd::CommandLine& cl) {
  cl.set_param_column(0);
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("dcmfile-out", "DICOM output filename to be written");
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_group("image processing and encoding options:");
  cl.add_subgroup("frame selection:");
  cl.add_option("+fr", "--frame", "[n]umber: integer\nselect specified frame", 1);
  cl.add_option("+fa", "--all-frames", "select all frames (default)");
  cl.add_subgroup("compatibility:");
  cl.add_option("+Mp", "--accept-palettes",
                "accept incorrect palette attribute tags\n(0028,111x) and (0028,121x)");
  cl.add_subgroup("median cut dimension selection:");
  cl.add_option("+Dr", "--mc-dimension-rgb", "max dimension from RGB range (default)");
  cl.add_option("+Dl", "--mc-dimension-lum", "max dimension from luminance");
  cl.add_subgroup("median cut representative color selection:");
  cl.add_option("+Cb", "--mc-color-avgbox", "average colors in box (default)");
  cl.add_option("+Cp", "--mc-color-avgpixel", "average pixels in box");
  cl.add_option("+Cc", "--mc-color-center", "select center of box");
  cl.add_subgroup("color palette value representation:");
  cl.add_option("+pw", "--write-ow", "write Palette LUT as OW (default)");
  cl.add_option("+pu", "--write-us", "write Palette LUT as US (retired)");
  cl.add_subgroup("color palette creation:");
  cl.add_option("+pe", "--lut-entries-word", "write Palette LUT with 16-bit entries");
  cl.add_option("+pf", "--floyd-steinberg", "use Floyd-Steinberg error diffusion");
  cl.add_option("+pc", "--colors",
                "number of colors: 2..65536 (default 256)\nnumber of colors to quantize to", 1);
  cl.add_subgroup("SOP Class UID:");
  cl.add_option("+cd", "--class-default", "keep SOP Class UID (default)");
  cl.add_option("+cs", "--class-sc", "convert to Secondary Capture Image\n(implies --uid-always)");
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ua", "--uid-always", "always assign new UID (default)");
  cl.add_option("+un", "--uid-never", "never assign new UID");
  apps::OutputOptionSet output;
  output.update_meta = false;
  output.deflate = false;
  apps::add_output_options(cl, output);
}

// What the command line asks for beyond reading and writing.
struct Choices {
  dcmimage::QuantizeOptions quantize;
  long long colors = 256;              // checked against 2..65536 when converting, as DCMTK does
  std::optional<std::uint64_t> frame;  // 1-based
  bool accept_palettes = false;
  bool us_tables = false;     // +pu
  bool word_entries = false;  // +pe
  bool secondary_capture = false;
  bool new_uid = true;
};

// The choices; an exit code for a command-line mistake.
std::optional<int> read_choices(const App& app, Choices& c) {
  const ofstd::ParsedCommandLine& args = app.args();
  if (args.last_of({"+fr", "+fa"}) == "+fr") {
    auto n = args.value_as_int("+fr", ofstd::IntBounds::at_least(1));
    if (!n) return app.usage_error(n.error());
    c.frame = static_cast<std::uint64_t>(*n);
  }
  c.accept_palettes = args.has("+Mp");
  if (args.last_of({"+Dr", "+Dl"}) == "+Dl") c.quantize.split = dcmimage::SplitDimension::Luminance;
  if (const auto rep = args.last_of({"+Cb", "+Cp", "+Cc"})) {
    if (*rep == "+Cp") c.quantize.representative = dcmimage::RepresentativeColor::AveragePixels;
    if (*rep == "+Cc") c.quantize.representative = dcmimage::RepresentativeColor::BoxCenter;
  }
  c.us_tables = args.last_of({"+pw", "+pu"}) == "+pu";
  c.word_entries = args.has("+pe");
  c.quantize.floyd_steinberg = args.has("+pf");
  if (args.has("+pc")) {
    auto n = args.value_as_int("+pc", ofstd::IntBounds{});
    if (!n) return app.usage_error(n.error());
    c.colors = *n;
  }
  c.secondary_capture = args.last_of({"+cd", "+cs"}) == "+cs";
  c.new_uid = args.last_of({"+ua", "+un"}) != "+un" || c.secondary_capture;
  return std::nullopt;
}

ofstd::Status set_bytes(dcmdata::DataSet& data, dcmdata::Tag tag, VR vr,
                        std::vector<std::byte> bytes) {
  if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});
  return data.set_bytes(tag, vr, dcmdata::SharedBytes::from_vector(std::move(bytes)));
}

// Replaces the Image Pixel module's colour description and pixel data with the palette image,
// as DCMTK's dcmquant writes it (PS3.3 C.7.6.3, C.7.9).
ofstd::Status write_palette_image(dcmdata::DataSet& data, const dcmimage::QuantizedImage& image,
                                  const Choices& c, std::uint32_t colors) {
  for (const dcmdata::Tag tag :
       {tags::PlanarConfiguration, tags::PixelPaddingValue, tags::PixelPaddingRangeLimit,
        tags::SmallestImagePixelValue, tags::LargestImagePixelValue,
        tags::PaletteColorLookupTableUID, tags::SegmentedRedPaletteColorLookupTableData,
        tags::SegmentedGreenPaletteColorLookupTableData,
        tags::SegmentedBluePaletteColorLookupTableData}) {
    data.erase(tag);
  }
  DCMKIT_TRY(data.set_int(tags::SamplesPerPixel, VR::US, 1));
  DCMKIT_TRY(data.set_string(tags::PhotometricInterpretation, VR::CS, "PALETTE COLOR"));
  // The bits of the largest index, at least 8.
  std::uint32_t bits = 8;
  while ((std::uint64_t{1} << bits) < colors) ++bits;
  const std::uint32_t allocated = colors <= 256 ? 8 : 16;
  DCMKIT_TRY(data.set_int(tags::BitsAllocated, VR::US, allocated));
  DCMKIT_TRY(data.set_int(tags::BitsStored, VR::US, bits));
  DCMKIT_TRY(data.set_int(tags::HighBit, VR::US, bits - 1));
  DCMKIT_TRY(data.set_int(tags::PixelRepresentation, VR::US, 0));
  if (c.frame && data.contains(tags::NumberOfFrames)) {
    // DCMTK keeps the old value, which no longer matches the one frame written.
    DCMKIT_TRY(data.set_string(tags::NumberOfFrames, VR::IS, "1"));
  }
  const std::uint32_t entry_bits = c.word_entries ? 16 : 8;
  const std::int64_t descriptor[3] = {colors % 65536, 0, entry_bits};
  const dcmdata::Tag descriptors[3] = {tags::RedPaletteColorLookupTableDescriptor,
                                       tags::GreenPaletteColorLookupTableDescriptor,
                                       tags::BluePaletteColorLookupTableDescriptor};
  const dcmdata::Tag tables[3] = {tags::RedPaletteColorLookupTableData,
                                  tags::GreenPaletteColorLookupTableData,
                                  tags::BluePaletteColorLookupTableData};
  for (int k = 0; k < 3; ++k) {
    DCMKIT_TRY(data.set_ints(descriptors[k], VR::US, descriptor));
    std::vector<std::byte> table;
    table.reserve(image.palette.size() * 2 + 1);
    for (const dcmimage::RgbColor& color : image.palette) {
      const auto value = static_cast<std::uint16_t>(color[static_cast<std::size_t>(k)]);
      if (c.word_entries) {
        const std::uint16_t w = dcmimage::palette_entry_16(value, image.maxval);
        table.push_back(static_cast<std::byte>(w & 0xFF));
        table.push_back(static_cast<std::byte>(w >> 8));
      } else {
        // Two 8-bit entries per 16-bit word, the first in the low byte (PS3.3 C.7.6.3.1.6).
        table.push_back(static_cast<std::byte>(dcmimage::palette_entry_8(value, image.maxval)));
      }
    }
    DCMKIT_TRY(set_bytes(data, tables[k], c.us_tables ? VR::US : VR::OW, std::move(table)));
  }
  std::vector<std::byte> pixels;
  std::size_t count = 0;
  for (const auto& frame : image.frames) count += frame.size();
  pixels.reserve(count * allocated / 8 + 1);
  for (const auto& frame : image.frames) {
    for (const std::uint16_t index : frame) {
      pixels.push_back(static_cast<std::byte>(index & 0xFF));
      if (allocated == 16) pixels.push_back(static_cast<std::byte>(index >> 8));
    }
  }
  return set_bytes(data, tags::PixelData, VR::OW, std::move(pixels));
}

// The Secondary Capture Image IOD's attributes of type 2 that are missing are added empty, and
// the SOP Class becomes Secondary Capture (PS3.3 A.8.1).
ofstd::Status make_secondary_capture(dcmdata::DataSet& data) {
  for (const dcmdata::Tag tag :
       {tags::PatientName, tags::PatientID, tags::PatientBirthDate, tags::PatientSex,
        tags::StudyDate, tags::StudyTime, tags::ReferringPhysicianName, tags::StudyID,
        tags::AccessionNumber, tags::SeriesNumber, tags::InstanceNumber,
        tags::PatientOrientation}) {
    if (!data.contains(tag)) DCMKIT_TRY(data.set_string(tag, ""));
  }
  if (!data.contains(tags::ConversionType)) {
    DCMKIT_TRY(data.set_string(tags::ConversionType, VR::CS, "WSD"));
  }
  return data.set_uid(tags::SOPClassUID, dcmdata::uids::SecondaryCaptureImageStorage);
}

// A new SOP Instance UID, and a Source Image Sequence (replacing any) that refers to the old
// instance with the purpose "Uncompressed predecessor" (DCM 121320, PS3.16 CID 7202), as DCMTK's
// dcmquant writes them; left alone without both old UIDs.
ofstd::Status new_instance(dcmdata::DataSet& data) {
  const std::string sop_class = data.get_string(tags::SOPClassUID).value_or("");
  const std::string sop_instance = data.get_string(tags::SOPInstanceUID).value_or("");
  const auto set_uid_text = [](dcmdata::DataSet& ds, dcmdata::Tag tag, std::string value) {
    // As read, even if not a valid UID (DCMTK copies them unchanged).
    if (value.size() % 2 != 0) value += '\0';
    return ds.set_bytes(tag, VR::UI, dcmdata::SharedBytes::copy_of(value));
  };
  if (!sop_class.empty() && !sop_instance.empty()) {
    dcmdata::DataSet code;
    DCMKIT_TRY(code.set_string(tags::CodeValue, VR::SH, "121320"));
    DCMKIT_TRY(code.set_string(tags::CodingSchemeDesignator, VR::SH, "DCM"));
    DCMKIT_TRY(code.set_string(tags::CodeMeaning, VR::LO, "Uncompressed predecessor"));
    std::vector<dcmdata::DataSet> codes;
    codes.push_back(std::move(code));
    dcmdata::DataSet item;
    DCMKIT_TRY(set_uid_text(item, tags::ReferencedSOPClassUID, sop_class));
    DCMKIT_TRY(set_uid_text(item, tags::ReferencedSOPInstanceUID, sop_instance));
    item.insert(dcmdata::Element::sequence(tags::PurposeOfReferenceCodeSequence, std::move(codes)));
    std::vector<dcmdata::DataSet> items;
    items.push_back(std::move(item));
    data.insert(dcmdata::Element::sequence(tags::SourceImageSequence, std::move(items)));
  }
  return set_uid_text(data, tags::SOPInstanceUID, ofstd::generate_uid());
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmquant", "Convert DICOM color images to palette color");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  Choices choices;
  if (const auto exit_code = read_choices(app, choices)) return *exit_code;
  const dcmdata::ReadOptions read_options = apps::input_format_options(args, true);
  apps::OutputOptionSet output_set;
  output_set.update_meta = false;
  output_set.deflate = false;
  auto output = apps::output_choice(args, output_set);
  if (!output) return app.usage_error(output.error());
  const bool data_set_only = output->meta == apps::OutputChoice::Meta::DataSetOnly;
  const std::string& input = args.param(0);
  const std::string& output_path = args.param(1);

  // dcmkit decodes every compressed transfer syntax it has a codec for (DCMTK's dcmquant none);
  // writing stays uncompressed.
  dcmimage::register_all_codecs();

  DCMKIT_LOG_INFO(app.logger(), "open input file " << input);
  auto file = apps::read_input_file(app, input, read_options);
  if (!file) return app.fatal(kError, file.error().message());
  dcmdata::TransferSyntax ts = file->transfer_syntax;
  if (output->transfer_syntax) {
    ts = *output->transfer_syntax;
  } else {
    DCMKIT_LOG_INFO(app.logger(), "set output transfer syntax to input transfer syntax");
  }

  DCMKIT_LOG_INFO(app.logger(), "preparing pixel data");
  // DCMTK insists on the Image Pixel module's type 1 attributes (PS3.3 C.7.6.3).
  for (const dcmdata::Tag tag : {tags::Rows, tags::Columns, tags::BitsAllocated, tags::BitsStored,
                                 tags::HighBit, tags::PixelRepresentation}) {
    if (file->data.contains(tags::PixelData) && !file->data.contains(tag)) {
      DCMKIT_LOG_ERROR(app.logger(), "mandatory attribute '" << dcmdata::lookup_tag(tag)->keyword
                                                             << "' is missing");
      return app.fatal(kError, "Missing attribute");
    }
  }
  dcmimage::RenderOptions render;
  render.color.accept_palette_tags = choices.accept_palettes;
  auto renderer = dcmimage::Renderer::create(file->data, file->transfer_syntax, render);
  if (!renderer) {
    DCMKIT_LOG_ERROR(app.logger(), renderer.error().message());
    return app.fatal(kError, renderer.error().code() == ofstd::ErrorCode::NotFound
                                 ? "Missing attribute"
                                 : "Error in image pixel data");
  }
  if (renderer->is_monochrome()) {
    return app.fatal(kError, "cannot convert monochrome image to palette color");
  }
  // A frame beyond the last selects the last, as in DCMTK.
  std::uint64_t first = 0;
  std::uint64_t count = renderer->frame_count();
  if (choices.frame && count > 0) {
    first = std::min(*choices.frame, count) - 1;
    count = 1;
  }
  std::vector<std::vector<std::uint8_t>> frames;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  for (std::uint64_t f = first; f < first + count; ++f) {
    auto bitmap = renderer->render(f);
    if (!bitmap) {
      DCMKIT_LOG_ERROR(app.logger(), bitmap.error().message());
      return app.fatal(kError, "Error in image pixel data");
    }
    width = bitmap->width;
    height = bitmap->height;
    std::vector<std::uint8_t> rgb(bitmap->samples.size());
    std::transform(bitmap->samples.begin(), bitmap->samples.end(), rgb.begin(),
                   [](std::uint32_t v) { return static_cast<std::uint8_t>(std::min(v, 255u)); });
    frames.push_back(std::move(rgb));
  }
  if (choices.colors < 2 || choices.colors > 65536 || frames.empty()) {
    return app.fatal(kError, "Illegal call, perhaps wrong parameters: converting image: " + input);
  }
  const auto colors = static_cast<std::uint32_t>(choices.colors);
  choices.quantize.colors = colors;
  DCMKIT_LOG_DEBUG(app.logger(), "computing color map using Heckbert's median cut algorithm");
  auto quantized = dcmimage::quantize(frames, width, height, choices.quantize);
  if (!quantized) {
    return app.fatal(kError, quantized.error().message() + ": converting image: " + input);
  }
  DCMKIT_LOG_DEBUG(app.logger(), "image histogram: found "
                                     << quantized->histogram_colors
                                     << " colors (at maxval=" << quantized->maxval << ")");
  frames.clear();
  if (auto written = write_palette_image(file->data, *quantized, choices, colors); !written) {
    return app.fatal(kError, written.error().message() + ": converting image: " + input);
  }
  // Number of entries / first value mapped / 8, also with 16-bit entries (+pe), as DCMTK writes.
  const std::string description = "Converted to PALETTE COLOR " + std::to_string(colors % 65536) +
                                  "/0/8 with dcmkit " + std::string(ofstd::dcmkit_version());
  // Image Type value 1 DERIVED and the description (as dcmscale's); the source reference is
  // dcmquant's own (Referenced SOP Class/Instance UID, with a purpose).
  if (auto marked = dcmimage::mark_derived(file->data, description, false); !marked) {
    return app.fatal(kError, marked.error().message());
  }
  if (choices.new_uid) {
    if (auto renewed = new_instance(file->data); !renewed) {
      return app.fatal(kError, renewed.error().message());
    }
  }
  if (choices.secondary_capture) {
    if (auto made = make_secondary_capture(file->data); !made) {
      return app.fatal(kError, made.error().message());
    }
  }
  if (ts.is_encapsulated()) {
    // There is no encoder for the input's compressed transfer syntax here.
    return app.fatal(kError, "Pixel representation not found: writing file: " + output_path);
  }
  dcmdata::DataSet meta;
  if (!data_set_only) {
    auto made = dcmdata::make_file_meta(file->data, ts.uid());
    if (!made) return app.fatal(kError, made.error().message() + ": writing file: " + output_path);
    meta = std::move(*made);
  }
  DCMKIT_LOG_INFO(app.logger(), "write converted DICOM file");
  auto written =
      dcmdata::write_file(output_path, meta, file->data, ts, output->write, file->preamble.span());
  if (!written) {
    std::string message = written.error().message();
    if (written.error().code() == ofstd::ErrorCode::NotFound ||
        written.error().code() == ofstd::ErrorCode::IoError) {
      message = "No such file or directory";
    }
    return app.fatal(kError, message + ": writing file: " + output_path);
  }
  DCMKIT_LOG_INFO(app.logger(), "conversion successful");
  return ofstd::kExitNoError;
}

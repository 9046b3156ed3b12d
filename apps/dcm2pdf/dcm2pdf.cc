// SPDX-License-Identifier: BSD-3-Clause
// dcm2pdf: write the PDF of an Encapsulated PDF object to a file, byte for byte as it was
// encapsulated; a drop-in replacement for DCMTK's dcm2pdf (see docs/dcm2pdf.md).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/encapsulated_document.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename");
  cl.add_parameter("pdffile-out", "PDF output filename");
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_subgroup("parsing of odd-length attributes:");
  cl.add_option("+ao", "--accept-odd-length", "accept odd length attributes (default)");
  cl.add_option("+ae", "--assume-even-length", "assume real length is one byte larger");
  cl.add_subgroup("handling of undefined length UN elements:");
  cl.add_option("+ui", "--enable-cp246", "read undefined len UN as implicit VR (default)");
  cl.add_option("-ui", "--disable-cp246", "read undefined len UN as explicit VR");
  cl.add_subgroup("handling of defined length UN elements:");
  cl.add_option("-uc", "--retain-un", "retain elements as UN (default)");
  cl.add_option("+uc", "--convert-un", "convert to real VR if known");
  cl.add_subgroup("automatic data correction:");
  cl.add_option("+dc", "--enable-correction", "enable automatic data correction (default)");
  cl.add_option("-dc", "--disable-correction", "disable automatic data correction");
  cl.add_subgroup("bitstream format of deflated input:");
  cl.add_option("+bd", "--bitstream-deflated", "expect deflated bitstream (default)");
  cl.add_option("+bz", "--bitstream-zlib", "expect deflated zlib bitstream");
  cl.add_group("execution options:");
  cl.add_option("-x", "--exec", "[c]ommand: string\nexecute command c after PDF extraction", 1);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcm2pdf", "Extract PDF file from DICOM encapsulated PDF");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  constexpr int kFailure = 1;  // DCMTK's dcm2pdf ends with 1 on every failure

  dcmdata::ReadOptions read_options = apps::input_format_options(args, true);
  read_options.deflate_has_zlib_header = args.last_of({"+bd", "+bz"}) == "+bz";
  const std::string& input = args.param(0);
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "reading input file " << input);
  auto file = dcmdata::read_file(input, read_options);
  if (!file) {
    return app.fatal(kFailure, file.error().message() + ": reading file: " + input);
  }
  auto sop_class = file->data.get_string(dcmdata::tags::SOPClassUID);
  if (!sop_class || *sop_class != dcmdata::uids::EncapsulatedPDFStorage.str()) {
    return app.fatal(kFailure, "not an Encapsulated PDF Storage object: " + input);
  }
  auto document = dcmdata::encapsulated_document(file->data);
  if (!document) {
    return app.fatal(kFailure, "attribute (0042,0011) Encapsulated Document missing: " +
                                   document.error().message());
  }
  DCMKIT_LOG_INFO(app.logger(), "writing PDF file " << output);
  {
    std::ofstream out(output, std::ios::binary | std::ios::trunc);
    const auto bytes = document->span();
    out.write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT: bytes to a stream
              static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      return app.fatal(kFailure, "unable to write PDF file: " + output);
    }
  }
  if (const auto command = args.value("-x")) {
    // DCMTK replaces "#f" in the command by the PDF file's name.
    std::string line = *command;
    for (std::size_t at = line.find("#f"); at != std::string::npos; at = line.find("#f", at)) {
      line.replace(at, 2, output);
      at += output.size();
    }
    DCMKIT_LOG_INFO(app.logger(), "executing command: " << line);
    const int status = std::system(line.c_str());  // NOLINT: the user's command, as DCMTK runs it
    if (status != 0) DCMKIT_LOG_WARN(app.logger(), "command returned " << status);
  }
  return ofstd::kExitNoError;
}

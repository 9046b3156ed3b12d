// SPDX-License-Identifier: BSD-3-Clause
// dcm2json: convert a DICOM file to the DICOM JSON Model (PS3.18 Annex F); a drop-in replacement
// for DCMTK's dcm2json whose output reads back losslessly with json2dcm (see docs/dcm2json.md).
#include <cstdio>
#include <fstream>
#include <string>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/json.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

// dcm2json's own exit code (as DCMTK's). DCMTK's 80 (cannot convert to Unicode) does not occur:
// values are decoded in their own character set, which the JSON keeps (docs/dcm2json.md).
constexpr int kExitCannotWriteValidJson = 81;

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("jsonfile-out", "JSON output filename (default: stdout)",
                   ofstd::Cardinality::Optional);
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_group("processing options:");
  cl.add_subgroup("encoding of infinity and not-a-number:");
  cl.add_option("-es", "--encode-strict", "report error for 'inf' and 'nan' (default)");
  cl.add_option("-ee", "--encode-extended", "permit 'inf' and 'nan' in JSON numbers");
  cl.add_group("output options:");
  cl.add_subgroup("output format:");
  cl.add_option("+fc", "--formatted-code", "enable whitespace formatting (default)");
  cl.add_option("-fc", "--compact-code", "print only required characters");
  cl.add_option("+m", "--write-meta",
                "write data set with meta information\n"
                "(warning: not conforming to the DICOM standard)");
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcm2json", "Convert DICOM file and data set to JSON");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  dcmdata::JsonWriteOptions write;
  write.pretty = args.last_of({"+fc", "-fc"}) != "-fc";
  write.allow_non_finite = args.last_of({"-es", "-ee"}) == "-ee";
  const bool with_meta = args.has("+m");

  const std::string& input = args.param(0);
  DCMKIT_LOG_INFO(app.logger(), "reading input file " << input);
  auto file = dcmdata::read_file(input, apps::input_format_options(args, true));
  if (!file) {
    const bool system = file.error().code() == ofstd::ErrorCode::NotFound ||
                        file.error().code() == ofstd::ErrorCode::IoError;
    return app.fail(ofstd::kExitCannotReadInputFile,
                    "dcm2json: error (" +
                        (system ? file.error().message() : file.error().to_string()) +
                        ") reading file: " + input);
  }
  for (const dcmdata::Diagnostic& diagnostic : file->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  if (auto charset = file->data.refresh_character_set(); !charset) {
    // Values affected by the character set are written with U+FFFD where not ASCII; the
    // notes below name them.
    DCMKIT_LOG_WARN(app.logger(),
                    "cannot use the Specific Character Set: " << charset.error().message());
  }

  std::string json;
  dcmdata::JsonNotes notes;
  auto written =
      dcmdata::write_json(json, file->data, write, with_meta ? &file->meta : nullptr, &notes);
  for (const std::string& note : notes) DCMKIT_LOG_WARN(app.logger(), note);
  if (!written) {
    return app.fatal(kExitCannotWriteValidJson,
                     "cannot write valid JSON: " + written.error().to_string());
  }

  if (args.param_count() < 2) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    std::fflush(stdout);
    if (std::ferror(stdout) != 0) {
      return app.fatal(ofstd::kExitCannotWriteOutputFile, "cannot write to standard output");
    }
    return ofstd::kExitNoError;
  }
  const std::string& output = args.param(1);
  DCMKIT_LOG_INFO(app.logger(), "writing output file " << output);
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out.write(json.data(), static_cast<std::streamsize>(json.size()));
  out.close();
  if (!out) {
    return app.fatal(ofstd::kExitCannotWriteOutputFile, "cannot write output file: " + output);
  }
  return ofstd::kExitNoError;
}

// SPDX-License-Identifier: BSD-3-Clause
// dump2dcm: convert dcmdump's text format back to a DICOM file; a drop-in replacement for
// DCMTK's dump2dcm (see docs/dump2dcm.md).
#include <filesystem>
#include <string>

#include "common/app.h"
#include "common/dcmdata_output.h"
#include "common/document_output.h"
#include "dcmkit/dcmdata/dump_parser.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/mapped_file.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

const apps::OutputOptionSet kOutputOptions{
    .update_meta = true,
    .deflate = true,
    .stop_on_error = "do not write if dump is damaged (default)",
    .ignore_errors = "attempt to write even if dump is damaged",
    .length_options_le = false,
    .padding_default_one_line = true,
    .explicit_little_text = "write with explicit VR little endian",
};

void define_options(ofstd::CommandLine& cl) {
  apps::add_document_input_options(cl, "dumpfile-in", "dump input filename");
  cl.add_subgroup("file contents byte ordering:");
  cl.add_option("+rl", "--read-file-little", "read OW data with little endian (default)");
  cl.add_option("+rb", "--read-file-big", "read OW data from file with big endian");
  cl.add_subgroup("other input options:");
  cl.add_option("+l", "--line",
                "[m]ax-length: integer\n"
                "maximum line length m (default: 4096)",
                1);
  cl.add_group("processing options:");
  apps::add_document_output_options(cl, kOutputOptions);
}

}  // namespace

int main(int argc, char** argv) {
  App app("dump2dcm", "Convert ASCII dump to DICOM file");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto job = apps::document_job(args, kOutputOptions);
  if (!job) return app.usage_error(job.error());
  dcmdata::DumpParseOptions parse;
  if (args.has("+l")) {
    auto length = args.value_as_int("+l", ofstd::IntBounds::at_least(1));
    if (!length) return app.usage_error(length.error());
    parse.max_line_length = static_cast<std::size_t>(*length);
  }
  parse.ignore_errors = args.last_of({"-E", "+E"}) == "+E";
  parse.big_endian_files = args.last_of({"+rl", "+rb"}) == "+rb";
  // "=file" values name files as dcmdump +W printed them: relative to the current directory.
  parse.file_loader = [](std::string_view name) -> ofstd::Result<dcmdata::SharedBytes> {
    auto mapped = ofstd::open_shared(std::filesystem::path(name));
    if (!mapped) {
      return std::move(mapped).error().with_context("binary data file \"" + std::string(name) +
                                                    "\"");
    }
    const auto bytes = (*mapped)->bytes();
    return dcmdata::SharedBytes(*mapped, bytes);
  };

  const std::string& input = job->input;
  std::error_code exists_error;
  if (!std::filesystem::exists(input, exists_error)) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError, "input file does not exist: " + input);
  }
  auto mapped = ofstd::open_shared(input);
  if (!mapped) {
    return app.fatal(ofstd::kExitCommandLineSyntaxError,
                     mapped.error().message() + ": reading file: " + input);
  }
  const auto bytes = (*mapped)->bytes();
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                              bytes.size());
  DCMKIT_LOG_INFO(app.logger(), "reading dump file: " << input);
  auto document = dcmdata::parse_dump(text, parse);
  if (!document) {
    DCMKIT_LOG_ERROR(app.logger(), "dump2dcm: " << input << ": " << document.error().message());
    return app.fail(ofstd::kExitCommandLineSyntaxError, "1 Errors found in " + input);
  }
  for (const ofstd::Error& error : document->errors) {
    DCMKIT_LOG_ERROR(app.logger(), "dump2dcm: " << input << ": " << error.message());
  }
  if (!document->errors.empty()) {
    DCMKIT_LOG_ERROR(app.logger(), document->errors.size() << " Errors found in " << input);
  }
  return apps::write_document(app, *job, std::move(document->meta), document->data);
}

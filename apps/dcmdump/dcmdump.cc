// SPDX-License-Identifier: BSD-3-Clause
// dcmdump: print the contents of DICOM files in DCMTK's dump format (a drop-in replacement for
// DCMTK's dcmdump; see docs/dcmdump.md).
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_options.h"
#include "dcmkit/dcmdata/charset_convert.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/safe_path.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

constexpr apps::InputOptionSet kInputOptions{true, true, true};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input file or directory to be dumped",
                   ofstd::Cardinality::OneOrMore);
  apps::add_input_options(cl, kInputOptions);
  cl.add_group("processing options:");
  cl.add_subgroup("specific character set:");
  cl.add_option("+U8", "--convert-to-utf8",
                "convert all element values that are affected\n"
                "by Specific Character Set (0008,0005) to UTF-8");
  cl.add_group("output options:");
  cl.add_subgroup("printing:");
  cl.add_option("+L", "--print-all", "print long tag values completely");
  cl.add_option("-L", "--print-short", "print long tag values shortened (default)");
  cl.add_option("+T", "--print-tree", "print hierarchical structure as a simple tree");
  cl.add_option("-T", "--print-indented", "print hierarchical structure indented (default)");
  cl.add_option("+F", "--print-filename", "print header with filename for each input file");
  cl.add_option("+Fs", "--print-file-search",
                "print header with filename only for those input\n"
                "files that contain one of the searched tags");
  cl.add_subgroup("mapping:");
  cl.add_option("+Un", "--map-uid-names", "map well-known UID numbers to names (default)");
  cl.add_option("-Un", "--no-uid-names", "do not map well-known UID numbers to names");
  cl.add_subgroup("quoting:");
  cl.add_option("+Qn", "--quote-nonascii", "quote non-ASCII and control chars as XML markup");
  cl.add_option("+Qo", "--quote-as-octal", "quote non-ASCII and control ch. as octal numbers");
  cl.add_option("-Qn", "--print-nonascii", "print non-ASCII and control chars (default)");
  cl.add_subgroup("color:");
  cl.add_option("+C", "--print-color", "use ANSI escape codes for colored output");
  cl.add_option("-C", "--no-color", "do not use any ANSI escape codes (default)");
  cl.add_subgroup("error handling:");
  cl.add_option("-E", "--stop-on-error", "do not print if file is damaged (default)");
  cl.add_option("+E", "--ignore-errors", "attempt to print even if file is damaged");
  cl.add_subgroup("searching:");
  cl.add_option("+P", "--search",
                "[t]ag: \"gggg,eeee\" or dictionary name\n"
                "print the textual dump of tag t\n"
                "this option can be specified multiple times\n"
                "(default: the complete file is printed)",
                1);
  cl.add_option("+s", "--search-all", "print all instances of searched tags (default)");
  cl.add_option("-s", "--search-first", "only print first instance of searched tags");
  cl.add_option("+p", "--prepend",
                "prepend sequence hierarchy to printed tag,\n"
                "denoted by: (gggg,eeee).(gggg,eeee).*\n"
                "(only when used with --search)");
  cl.add_option("-p", "--no-prepend", "do not prepend hierarchy to tag (default)");
  cl.add_subgroup("writing:");
  cl.add_option("+W", "--write-pixel",
                "[d]irectory: string\n"
                "write pixel data to a .raw file stored in d\n"
                "(little endian, filename created automatically)",
                1);
}

void write_stdout(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

// +W: writes each Pixel Data value (native, or each fragment) to "<file>.<n>.raw" in `directory`
// and returns the names written, in order, for the dump to show instead of the values.
std::vector<std::string> write_pixel_files(const App& app, const dcmdata::DicomFile& file,
                                           const std::string& input, const std::string& directory) {
  std::vector<std::string> names;
  const dcmdata::Element* pixels = file.data.find(dcmdata::Tag{0x7FE0, 0x0010});
  if (pixels == nullptr) return names;
  std::vector<dcmdata::SharedBytes> parts;
  if (pixels->is_encapsulated()) {
    parts = pixels->fragments();
  } else {
    parts.push_back(pixels->little_endian_bytes());
  }
  const std::string base =
      ofstd::safe_path_component(std::filesystem::path(input).filename().string());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string name =
        (std::filesystem::path(directory) / (base + "." + std::to_string(i) + ".raw")).string();
    names.push_back(name);
    if (std::filesystem::exists(name)) {
      DCMKIT_LOG_WARN(app.logger(),
                      "output file for pixel data already exists, skipping: " << name);
      continue;
    }
    std::FILE* out = std::fopen(name.c_str(), "wb");
    if (out == nullptr) {
      DCMKIT_LOG_ERROR(app.logger(), "cannot create pixel data file: " << name);
      continue;
    }
    const auto bytes = parts[i].span();
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), out);
    std::fclose(out);
  }
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmdump", "Dump DICOM file and data set");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto read_options = apps::read_options(args, kInputOptions);
  if (!read_options) {
    DCMKIT_LOG_WARN(app.logger(), read_options.error().message());
    return ofstd::kExitCommandLineSyntaxError;
  }
  dcmdata::DumpOptions dump;
  dump.print_all_values = args.last_of({"+L", "-L"}) == "+L";
  dump.tree = args.last_of({"+T", "-T"}) == "+T";
  dump.map_uid_names = args.last_of({"+Un", "-Un"}) != "-Un";
  if (const auto quoting = args.last_of({"+Qn", "+Qo", "-Qn"})) {
    if (*quoting == "+Qn") dump.quoting = dcmdata::DumpQuoting::Xml;
    if (*quoting == "+Qo") dump.quoting = dcmdata::DumpQuoting::Octal;
  }
  dump.color = args.last_of({"+C", "-C"}) == "+C";
  long long kbytes = 4;
  if (args.has("+R")) {
    auto value = args.value_as_int("+R", ofstd::IntBounds::range(4, 4194302));
    if (!value) return app.usage_error(value.error());
    kbytes = *value;
  }
  if (args.last_of({"+M", "-M"}) == "-M") {
    dump.max_loaded_length = static_cast<std::uint64_t>(kbytes) * 1024;
  }
  for (const std::string& text : args.all_values("+P")) {
    auto tag = apps::parse_tag_argument(text);
    if (!tag) {
      DCMKIT_LOG_WARN(app.logger(), tag.error().message());
      return ofstd::kExitCommandLineSyntaxError;
    }
    dump.search.push_back(*tag);
  }
  dump.search_first_only = args.last_of({"+s", "-s"}) == "-s";
  dump.prepend_path = args.last_of({"+p", "-p"}) == "+p";
  const bool ignore_errors = args.last_of({"-E", "+E"}) == "+E";
  const auto print_filename = args.last_of({"+F", "+Fs"});
  const bool convert_utf8 = args.has("+U8");
  std::string pixel_directory;
  if (const auto directory = args.value("+W")) {
    std::error_code error;
    if (std::filesystem::is_directory(*directory, error)) {
      pixel_directory = *directory;
    } else {
      DCMKIT_LOG_WARN(app.logger(),
                      "directory specified for --write-pixel does not exist, ignoring this option");
    }
  }
  dcmdata::ReadOptions options = *read_options;
  if (ignore_errors) options.ignore_parse_errors = true;

  std::vector<std::string> warnings;
  const std::vector<std::string> files = apps::collect_input_files(
      args.params(), args.last_of({"+sd"}).has_value(), args.last_of({"-r", "+r"}) == "+r",
      args.value("+sp").value_or(""), warnings);
  for (const std::string& warning : warnings) DCMKIT_LOG_WARN(app.logger(), warning);
  if (files.empty())
    return app.fatal(ofstd::kExitCommandLineSyntaxError, "no input files to be dumped");

  int errors = 0;
  std::size_t searched_files_found = 0;
  std::string text;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& path = files[i];
    // +F: "# dcmdump (i/n): file" for every file, +Fs: "# dcmdump (k): file" for the k-th file
    // in which a searched tag was found; headers after the first follow an empty line.
    if (print_filename == "+F") {
      write_stdout(std::string(i > 0 ? "\n" : "") + "# dcmdump (" + std::to_string(i + 1) + "/" +
                   std::to_string(files.size()) + "): " + path + "\n");
    }
    auto file = dcmdata::read_file(path, options);
    if (!file) {
      DCMKIT_LOG_ERROR(app.logger(), "dcmdump: " << apps::read_error_message(file.error(), path));
      ++errors;
      continue;
    }
    for (const dcmdata::Diagnostic& diagnostic : file->diagnostics) {
      DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
    }
    if (file->recovered_error) {
      DCMKIT_LOG_ERROR(app.logger(),
                       "dcmdump: " << apps::read_error_message(*file->recovered_error, path));
      ++errors;
      if (!ignore_errors) continue;
    }
    if (convert_utf8) {
      std::vector<std::string> notes;
      auto converted = dcmdata::convert_to_utf8(file->data, &notes);
      for (const std::string& note : notes) DCMKIT_LOG_WARN(app.logger(), note);
      if (!converted) {
        DCMKIT_LOG_ERROR(app.logger(), "dcmdump: " << converted.error().to_string()
                                                   << ": converting file to UTF-8: " << path);
        ++errors;
        if (!ignore_errors) continue;
      }
    }
    if (!pixel_directory.empty()) {
      dump.pixel_file_names = write_pixel_files(app, *file, path, pixel_directory);
    }
    text.clear();
    if (dump.search.empty()) {
      dcmdata::dump_file(text, *file, dump);
    } else {
      const std::size_t found = dcmdata::dump_search(text, *file, dump);
      if (print_filename == "+Fs" && found > 0) {
        ++searched_files_found;
        write_stdout(std::string(searched_files_found > 1 ? "\n" : "") + "# dcmdump (" +
                     std::to_string(searched_files_found) + "): " + path + "\n");
      }
    }
    write_stdout(text);
  }
  std::fflush(stdout);
  // DCMTK returns the number of files that failed; capped so that 256 failures do not read as 0.
  return errors > 255 ? 255 : errors;
}

// SPDX-License-Identifier: BSD-3-Clause
#include "common/dcmdata_options.h"

#include <system_error>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::apps {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

void add_input_options(ofstd::CommandLine& cl, const InputOptionSet& set) {
  cl.add_group("input options:");
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-file", "read file format or data set (default)");
  cl.add_option("+fo", "--read-file-only", "read file format only");
  cl.add_option("-f", "--read-dataset", "read data set without file meta information");
  cl.add_subgroup("input transfer syntax:");
  cl.add_option("-t=", "--read-xfer-auto", "use TS recognition (default)");
  cl.add_option("-td", "--read-xfer-detect", "ignore TS specified in the file meta header");
  cl.add_option("-te", "--read-xfer-little", "read with explicit VR little endian TS");
  cl.add_option("-tb", "--read-xfer-big", "read with explicit VR big endian TS");
  cl.add_option("-ti", "--read-xfer-implicit", "read with implicit VR little endian TS");
  if (set.scan_directories) {
    cl.add_subgroup("input files:");
    cl.add_option("+sd", "--scan-directories", "scan directories for input files (dcmfile-in)");
    cl.add_option("+sp", "--scan-pattern",
                  "[p]attern: string (only with --scan-directories)\n"
                  "pattern for filename matching (wildcards)",
                  1);
    cl.add_option("-r", "--no-recurse", "do not recurse within directories (default)");
    cl.add_option("+r", "--recurse", "recurse within specified directories");
  }
  if (set.long_values) {
    cl.add_subgroup("long tag values:");
    cl.add_option("+M", "--load-all", "load very long tag values (default)");
    cl.add_option("-M", "--load-short", "do not load very long values (e.g. pixel data)");
    cl.add_option("+R", "--max-read-length",
                  "[k]bytes: integer (4..4194302, default: 4)\n"
                  "set threshold for long values to k kbytes",
                  1);
  }
  cl.add_subgroup("parsing of file meta information:");
  cl.add_option("+ml", "--use-meta-length", "use file meta information group length (default)");
  cl.add_option("-ml", "--ignore-meta-length", "ignore file meta information group length");
  cl.add_subgroup("parsing of odd-length attributes:");
  cl.add_option("+ao", "--accept-odd-length", "accept odd length attributes (default)");
  cl.add_option("+ae", "--assume-even-length", "assume real length is one byte larger");
  cl.add_subgroup("handling of explicit VR:");
  cl.add_option("+ev", "--use-explicit-vr", "use explicit VR from dataset (default)");
  cl.add_option("-ev", "--ignore-explicit-vr", "ignore explicit VR (prefer data dictionary)");
  cl.add_subgroup("handling of non-standard VR:");
  cl.add_option("+vr", "--treat-as-unknown", "treat non-standard VR as unknown (default)");
  cl.add_option("-vr", "--assume-implicit", "try to read with implicit VR little endian TS");
  cl.add_subgroup("handling of undefined length UN elements:");
  cl.add_option("+ui", "--enable-cp246", "read undefined len UN as implicit VR (default)");
  cl.add_option("-ui", "--disable-cp246", "read undefined len UN as explicit VR");
  cl.add_subgroup("handling of defined length UN elements:");
  cl.add_option("-uc", "--retain-un", "retain elements as UN (default)");
  cl.add_option("+uc", "--convert-un", "convert to real VR if known");
  cl.add_subgroup("handling of private max-length elements (implicit VR):");
  cl.add_option("-sq", "--maxlength-dict", "read as defined in dictionary (default)");
  cl.add_option("+sq", "--maxlength-seq", "read as sequence with undefined length");
  cl.add_subgroup("handling of wrong delimitation items:");
  cl.add_option("-rd", "--use-delim-items", "use delimitation items from dataset (default)");
  cl.add_option("+rd", "--replace-wrong-delim", "replace wrong sequence/item delimitation items");
  cl.add_subgroup("handling of illegal undefined length OB/OW elements:");
  cl.add_option("-oi", "--illegal-obow-rej", "reject dataset with illegal element (default)");
  cl.add_option("+oi", "--illegal-obow-conv", "convert undefined length OB/OW element to SQ");
  cl.add_subgroup("handling of VOI LUT Sequence with OW VR and explicit length:");
  cl.add_option("-vi", "--illegal-voi-rej", "reject dataset with illegal VOI LUT (default)");
  cl.add_option("+vi", "--illegal-voi-conv", "convert illegal VOI LUT to SQ");
  cl.add_subgroup("handling of explicit length pixel data for encaps. transfer syntaxes:");
  cl.add_option("-pe", "--abort-expl-pixdata", "abort on explicit length pixel data (default)");
  cl.add_option("+pe", "--use-expl-pixdata", "use explicit length pixel data");
  // DCMTK's heading has a trailing blank; kept so that --help output is identical.
  cl.add_subgroup("general handling of parser errors: ");
  cl.add_option("+Ep", "--ignore-parse-errors", "try to recover from parse errors");
  cl.add_option("-Ep", "--handle-parse-errors", "handle parse errors and stop parsing (default)");
  cl.add_subgroup("other parsing options:");
  cl.add_option("+st", "--stop-after-elem",
                "[t]ag: \"gggg,eeee\" or dictionary name\n"
                "stop parsing after element specified by t",
                1);
  if (set.stop_before) {
    cl.add_option("+sb", "--stop-before-elem",
                  "[t]ag: \"gggg,eeee\" or dictionary name\n"
                  "stop parsing before element specified by t",
                  1);
  }
  cl.add_subgroup("automatic data correction:");
  cl.add_option("+dc", "--enable-correction", "enable automatic data correction (default)");
  cl.add_option("-dc", "--disable-correction", "disable automatic data correction");
  cl.add_subgroup("bitstream format of deflated input:");
  cl.add_option("+bd", "--bitstream-deflated", "expect deflated bitstream (default)");
  cl.add_option("+bz", "--bitstream-zlib", "expect deflated zlib bitstream");
}

Result<dcmdata::Tag> parse_tag_argument(std::string_view text) {
  if (auto tag = dcmdata::Tag::parse(text)) return *tag;
  if (auto tag = dcmdata::tag_from_keyword(text)) return *tag;
  return Error(ErrorCode::InvalidArgument, "unrecognized tag name: '" + std::string(text) + "'");
}

Result<dcmdata::ReadOptions> read_options(const ofstd::ParsedCommandLine& args,
                                          const InputOptionSet& set) {
  using dcmdata::FileFormatChoice;
  using dcmdata::TransferSyntaxChoice;
  dcmdata::ReadOptions options;
  if (const auto format = args.last_of({"+f", "+fo", "-f"})) {
    if (*format == "+fo") options.format = FileFormatChoice::FileOnly;
    if (*format == "-f") options.format = FileFormatChoice::DataSetOnly;
  }
  if (const auto ts = args.last_of({"-t=", "-td", "-te", "-tb", "-ti"})) {
    if (*ts == "-td") options.transfer_syntax = TransferSyntaxChoice::Detect;
    if (*ts == "-te") options.transfer_syntax = TransferSyntaxChoice::ExplicitLittle;
    if (*ts == "-tb") options.transfer_syntax = TransferSyntaxChoice::ExplicitBig;
    if (*ts == "-ti") options.transfer_syntax = TransferSyntaxChoice::ImplicitLittle;
  }
  options.use_meta_group_length = args.last_of({"+ml", "-ml"}) != "-ml";
  options.assume_even_length = args.last_of({"+ao", "+ae"}) == "+ae";
  options.use_explicit_vr = args.last_of({"+ev", "-ev"}) != "-ev";
  options.nonstandard_vr_as_implicit = args.last_of({"+vr", "-vr"}) == "-vr";
  options.undefined_length_un_as_sequence = args.last_of({"+ui", "-ui"}) != "-ui";
  options.convert_un_to_known_vr = args.last_of({"-uc", "+uc"}) == "+uc";
  options.max_length_private_as_sequence = args.last_of({"-sq", "+sq"}) == "+sq";
  options.replace_wrong_delimiters = args.last_of({"-rd", "+rd"}) == "+rd";
  options.convert_undefined_length_obow = args.last_of({"-oi", "+oi"}) == "+oi";
  options.convert_illegal_voi_lut = args.last_of({"-vi", "+vi"}) == "+vi";
  options.accept_explicit_length_pixel_data = args.last_of({"-pe", "+pe"}) == "+pe";
  options.ignore_parse_errors = args.last_of({"+Ep", "-Ep"}) == "+Ep";
  options.deflate_has_zlib_header = args.last_of({"+bd", "+bz"}) == "+bz";
  if (const auto text = args.value("+st")) {
    DCMKIT_ASSIGN_OR_RETURN(options.stop_after, parse_tag_argument(*text));
  }
  if (set.stop_before) {
    if (const auto text = args.value("+sb")) {
      DCMKIT_ASSIGN_OR_RETURN(options.stop_before, parse_tag_argument(*text));
    }
  }
  return options;
}

namespace {

std::string join_path(const std::string& directory, const std::string& name) {
  // DCMTK names the files of "." without a "./" prefix.
  if (directory == ".") return name;
  if (!directory.empty() && directory.back() == '/') return directory + name;
  return directory + "/" + name;
}

void scan_directory(const std::string& directory, bool recurse, std::string_view pattern,
                    std::vector<std::string>& files) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) return;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    const std::string path = join_path(directory, name);
    std::error_code kind_error;
    if (entry.is_directory(kind_error)) {
      if (recurse) scan_directory(path, recurse, pattern, files);
    } else if (pattern.empty() || ofstd::wildcard_match(pattern, name)) {
      files.push_back(path);
    }
  }
}

}  // namespace

std::vector<std::string> collect_input_files(const std::vector<std::string>& params, bool scan,
                                             bool recurse, std::string_view pattern,
                                             std::vector<std::string>& warnings) {
  std::vector<std::string> files;
  for (const std::string& param : params) {
    std::error_code error;
    if (std::filesystem::is_directory(param, error)) {
      if (scan) {
        scan_directory(param, recurse, pattern, files);
      } else {
        warnings.push_back("ignoring directory because option --scan-directories is not set: " +
                           param);
      }
    } else {
      files.push_back(param);
    }
  }
  return files;
}

std::string read_error_message(const ofstd::Error& error, std::string_view path) {
  // File system errors read like DCMTK's ("No such file or directory: reading file: x"); content
  // errors keep their offset and tag path, which DCMTK's messages lack.
  const bool system = error.code() == ErrorCode::NotFound || error.code() == ErrorCode::IoError;
  return (system ? error.message() : error.to_string()) + ": reading file: " + std::string(path);
}

ofstd::Result<dcmdata::DicomFile> read_input_file(const App& app, const std::string& path,
                                                  const dcmdata::ReadOptions& options) {
  auto file = dcmdata::read_file(path, options);
  if (!file) {
    return ofstd::Error(file.error().code(), read_error_message(file.error(), path));
  }
  for (const dcmdata::Diagnostic& diagnostic : file->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  return file;
}

std::string kept_source_ae_title(const dcmdata::DataSet& meta) {
  const dcmdata::Element* version = meta.find(dcmdata::tags::FileMetaInformationVersion);
  if (version == nullptr || version->kind() != dcmdata::ValueKind::Bytes) return {};
  const auto bytes = version->bytes().span();
  if (bytes.size() != 2 || bytes[0] != std::byte{0} || bytes[1] != std::byte{1}) return {};
  std::string title = meta.get_string(dcmdata::tags::SourceApplicationEntityTitle).value_or("");
  dcmdata::DataSet probe;
  if (!probe.set_string(dcmdata::tags::SourceApplicationEntityTitle, dcmdata::VR::AE, title)) {
    return {};
  }
  return title;
}

namespace {

// Sets a -k value: converted from UTF-8 where the VR's rules allow, else kept as given (DCMTK
// does not check these values either).
ofstd::Status set_key_value(dcmdata::DataSet& ds, dcmdata::Tag tag, const std::string& value) {
  if (ds.set_string(tag, value)) return {};
  const dcmdata::TagEntry* entry = dcmdata::lookup_tag(tag);
  const dcmdata::VR vr = entry != nullptr && entry->vr_count > 0 ? entry->vr() : dcmdata::VR::UN;
  if (vr == dcmdata::VR::SQ) {
    if (!value.empty()) {
      return ofstd::Error(ofstd::ErrorCode::InvalidArgument, "a sequence takes no value");
    }
    ds.insert(dcmdata::Element::sequence(tag, {}));
    return {};
  }
  std::string padded = value;
  if (padded.size() % 2 != 0) padded.push_back(vr == dcmdata::VR::UI ? '\0' : ' ');
  return ds.set_bytes(tag, vr, dcmdata::SharedBytes::copy_of(std::string_view(padded)));
}

}  // namespace

ofstd::Status apply_key_option(dcmdata::DataSet& ds, const std::string& text) {
  const std::size_t equals = text.find('=');
  const std::string path_text = text.substr(0, equals);
  const std::string value = equals == std::string::npos ? std::string() : text.substr(equals + 1);
  DCMKIT_ASSIGN_OR_RETURN(const dcmdata::TagPath path, dcmdata::TagPath::parse(path_text));
  if (path.has_wildcard()) {
    return ofstd::Error(ofstd::ErrorCode::InvalidArgument, "wildcards not allowed: " + text);
  }
  dcmdata::DataSet* current = &ds;
  const auto& steps = path.steps();
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    dcmdata::Element* element = current->find(steps[i].tag);
    if (element == nullptr) {
      element = &current->insert(dcmdata::Element::sequence(steps[i].tag, {}));
    }
    if (!element->is_sequence()) {
      return ofstd::Error(ofstd::ErrorCode::InvalidArgument,
                          steps[i].tag.to_string() + " is not a sequence");
    }
    std::vector<dcmdata::DataSet>& items = element->items();
    const std::size_t index = steps[i].item.value_or(0);
    if (index > 10000) return ofstd::Error(ofstd::ErrorCode::LimitExceeded, "item index too large");
    if (index >= items.size()) items.resize(index + 1);
    current = &items[index];
  }
  return set_key_value(*current, steps.back().tag, value);
}

}  // namespace dcmkit::apps

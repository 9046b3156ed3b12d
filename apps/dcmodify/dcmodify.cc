// SPDX-License-Identifier: BSD-3-Clause
// dcmodify: insert, modify and erase attributes of DICOM files in place, also inside sequences
// (tag paths with item numbers and [*]); a drop-in replacement for DCMTK's dcmodify (see
// docs/dcmodify.md). Values not touched are streamed from the mapped input, and each file is
// written to a temporary and renamed, so a failed run leaves every file as it was.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_output.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/dump_parser.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/mapped_file.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file
using dcmdata::DataSet;
using dcmdata::Element;
using dcmdata::Tag;
using dcmdata::TagPath;
using dcmdata::TagPathStep;
using dcmdata::VR;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

const apps::OutputOptionSet kOutputOptions{
    .update_meta = false,
    .deflate = false,
    .stop_on_error = {},
    .ignore_errors = {},
    .length_options_le = true,
    .padding_default_one_line = false,
};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be modified",
                   ofstd::Cardinality::OneOrMore);
  cl.add_group("input options:");
  cl.add_subgroup("input file format:");
  cl.add_option("+f", "--read-file", "read file format or data set (default)");
  cl.add_option("+fo", "--read-file-only", "read file format only");
  cl.add_option("-f", "--read-dataset", "read data set without file meta information");
  cl.add_option("+fc", "--create-file", "create file format if file does not exist");
  cl.add_subgroup("input transfer syntax:");
  cl.add_option("-t=", "--read-xfer-auto", "use TS recognition (default)");
  cl.add_option("-td", "--read-xfer-detect", "ignore TS specified in the file meta header");
  cl.add_option("-te", "--read-xfer-little", "read with explicit VR little endian TS");
  cl.add_option("-tb", "--read-xfer-big", "read with explicit VR big endian TS");
  cl.add_option("-ti", "--read-xfer-implicit", "read with implicit VR little endian TS");
  cl.add_subgroup("parsing of odd-length attributes:");
  cl.add_option("+ao", "--accept-odd-length", "accept odd length attributes (default)");
  cl.add_option("+ae", "--assume-even-length", "assume real length is one byte larger");
  cl.add_subgroup("automatic data correction:");
  cl.add_option("+dc", "--enable-correction", "enable automatic data correction (default)");
  cl.add_option("-dc", "--disable-correction", "disable automatic data correction");
  cl.add_subgroup("bitstream format of deflated input:");
  cl.add_option("+bd", "--bitstream-deflated", "expect deflated bitstream (default)");
  cl.add_option("+bz", "--bitstream-zlib", "expect deflated zlib bitstream");
  cl.add_group("processing options:");
  cl.add_subgroup("backup input files:");
  cl.add_option("", "--backup", "backup files before modifying (default)");
  cl.add_option("-nb", "--no-backup", "don't backup files (DANGEROUS)");
  cl.add_subgroup("insert mode:");
  cl.add_option("-i", "--insert",
                "\"[t]ag-path=[v]alue\"\n"
                "insert (or overwrite) path at position t\n"
                "with value v",
                1);
  cl.add_option("-if", "--insert-from-file",
                "\"[t]ag-path=[f]ilename\"\n"
                "insert (or overwrite) path at position t\n"
                "with value from file f",
                1);
  cl.add_option("-nrc", "--no-reserv-check",
                "do not check private reservations\n"
                "when inserting private tags");
  cl.add_subgroup("modify mode:");
  cl.add_option("-m", "--modify",
                "\"[t]ag-path=[v]alue\"\n"
                "modify tag at position t to value v",
                1);
  cl.add_option("-mf", "--modify-from-file",
                "\"[t]ag-path=[f]ilename\"\n"
                "modify tag at position t to value from file f",
                1);
  cl.add_option("-ma", "--modify-all",
                "\"[t]ag=[v]alue\"\n"
                "modify ALL matching tags t in file to value v",
                1);
  cl.add_subgroup("erase mode:");
  cl.add_option("-e", "--erase",
                "\"[t]ag-path\"\n"
                "erase tag/item at position t",
                1);
  cl.add_option("-ea", "--erase-all",
                "\"[t]ag\"\n"
                "erase ALL matching tags t in file",
                1);
  cl.add_option("-ep", "--erase-private", "erase ALL private data from file");
  cl.add_subgroup("unique identifier:");
  cl.add_option("-gst", "--gen-stud-uid", "generate new Study Instance UID");
  cl.add_option("-gse", "--gen-ser-uid", "generate new Series Instance UID");
  cl.add_option("-gin", "--gen-inst-uid", "generate new SOP Instance UID");
  cl.add_option("-nmu", "--no-meta-uid",
                "do not update metaheader UIDs if related\n"
                "UIDs in the dataset are modified");
  cl.add_subgroup("error handling:");
  cl.add_option("-ie", "--ignore-errors", "continue with file, if modify error occurs");
  cl.add_option("-imt", "--ignore-missing-tags",
                "treat 'tag not found' as success\n"
                "when modifying or erasing in datasets");
  cl.add_option("-iun", "--ignore-un-values",
                "do not try writing any values to elements\n"
                "having a VR of UN");
  apps::add_output_options(cl, kOutputOptions);
}

// --- Operations -----------------------------------------------------------------------------

enum class OpKind : std::uint8_t {
  Insert,
  Modify,
  ModifyAll,
  Erase,
  EraseAll,
  ErasePrivate,
  NewStudyUid,
  NewSeriesUid,
  NewInstanceUid,
};

struct Operation {
  OpKind kind;
  TagPath path;
  std::string value;
  bool from_file = false;  // value names a file (-if, -mf)
};

struct Settings {
  bool ignore_missing = false;  // -imt
  bool ignore_un = false;       // -iun
  bool check_reservation = true;
};

// Splits "path=value" (the value may be empty, or absent, which means empty).
std::pair<std::string, std::string> split_assignment(const std::string& text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) return {text, {}};
  return {text.substr(0, equals), text.substr(equals + 1)};
}

Result<std::vector<Operation>> parse_operations(const ofstd::ParsedCommandLine& args) {
  std::vector<Operation> operations;
  for (const auto& occurrence : args.all_occurrences()) {
    const std::string& name = args.option_names(occurrence.option).short_name;
    Operation op{OpKind::Insert, {}, {}, false};
    if (name == "-i" || name == "-if") {
      op.kind = OpKind::Insert;
    } else if (name == "-m" || name == "-mf") {
      op.kind = OpKind::Modify;
    } else if (name == "-ma") {
      op.kind = OpKind::ModifyAll;
    } else if (name == "-e") {
      op.kind = OpKind::Erase;
    } else if (name == "-ea") {
      op.kind = OpKind::EraseAll;
    } else if (name == "-ep") {
      op.kind = OpKind::ErasePrivate;
    } else if (name == "-gst") {
      op.kind = OpKind::NewStudyUid;
    } else if (name == "-gse") {
      op.kind = OpKind::NewSeriesUid;
    } else if (name == "-gin") {
      op.kind = OpKind::NewInstanceUid;
    } else {
      continue;
    }
    op.from_file = name == "-if" || name == "-mf";
    if (!occurrence.values.empty()) {
      const std::string& text = occurrence.values[0];
      const bool assignment =
          op.kind == OpKind::Insert || op.kind == OpKind::Modify || op.kind == OpKind::ModifyAll;
      auto [path, value] = assignment ? split_assignment(text) : std::pair{text, std::string()};
      auto parsed = TagPath::parse(path);
      if (!parsed) {
        return Error(ErrorCode::InvalidArgument, "bad tag path \"" + path + "\" for option " +
                                                     std::string(args.long_name(name)) + ": " +
                                                     parsed.error().message());
      }
      if ((op.kind == OpKind::ModifyAll || op.kind == OpKind::EraseAll) &&
          (parsed->steps().size() != 1 || parsed->steps()[0].item || parsed->steps()[0].any_item)) {
        return Error(ErrorCode::InvalidArgument, "option " + std::string(args.long_name(name)) +
                                                     " takes a single tag, not a path: \"" + path +
                                                     "\"");
      }
      op.path = std::move(*parsed);
      op.value = std::move(value);
    }
    operations.push_back(std::move(op));
  }
  return operations;
}

// The VR of a new element: the dictionary's (the private one through the data set's
// creator), else UN.
VR vr_for_new(const DataSet& ds, Tag tag) {
  if (tag.is_group_length()) return VR::UL;
  if (tag.is_private_creator()) return VR::LO;
  if (tag.is_private()) {
    if (const Element* creator = ds.find(tag.private_creator())) {
      std::string_view name = creator->bytes().chars();
      while (!name.empty() && (name.back() == ' ' || name.back() == '\0')) name.remove_suffix(1);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      if (const auto* entry = dcmdata::lookup_private_tag(name, tag)) return entry->vr;
    }
    return VR::UN;
  }
  if (const dcmdata::TagEntry* entry = dcmdata::lookup_tag(tag); entry && entry->vr_count > 0) {
    return entry->vr();
  }
  return VR::UN;
}

class Modifier {
 public:
  Modifier(const Settings& settings, const App& app) : settings_(settings), app_(app) {}

  // Applies `op` to `data` (and `meta` for UIDs); an error is what DCMTK reports after
  // "modifying tag in file x: ".
  Status apply(const Operation& op, DataSet& data) {
    std::size_t matched = 0;
    switch (op.kind) {
      case OpKind::Insert:
      case OpKind::Modify: {
        DCMKIT_ASSIGN_OR_RETURN(const std::string value, value_text(op));
        const bool insert = op.kind == OpKind::Insert;
        DCMKIT_TRY(walk(data, op.path.steps(), insert, matched,
                        [&](DataSet& parent, const TagPathStep& last) -> Status {
                          return set(parent, last, value, op.from_file, insert, matched);
                        }));
        break;
      }
      case OpKind::Erase:
        DCMKIT_TRY(walk(data, op.path.steps(), false, matched,
                        [&](DataSet& parent, const TagPathStep& last) -> Status {
                          return erase(parent, last, matched);
                        }));
        break;
      case OpKind::ModifyAll: {
        DCMKIT_ASSIGN_OR_RETURN(const std::string value, value_text(op));
        const Tag tag = op.path.steps()[0].tag;
        DCMKIT_TRY(every_data_set(data, [&](DataSet& ds) -> Status {
          if (!ds.contains(tag)) return {};
          return set(ds, TagPathStep{tag, std::nullopt, false}, value, op.from_file, false,
                     matched);
        }));
        break;
      }
      case OpKind::EraseAll: {
        const Tag tag = op.path.steps()[0].tag;
        DCMKIT_TRY(every_data_set(data, [&](DataSet& ds) -> Status {
          if (ds.erase(tag)) ++matched;
          return {};
        }));
        break;
      }
      case OpKind::ErasePrivate:
        DCMKIT_TRY(every_data_set(data, [&](DataSet& ds) -> Status {
          ds.erase_if([](const Element& e) { return e.tag().is_private(); });
          return {};
        }));
        return {};
      case OpKind::NewStudyUid:
        return new_uid(data, dcmdata::tags::StudyInstanceUID);
      case OpKind::NewSeriesUid:
        return new_uid(data, dcmdata::tags::SeriesInstanceUID);
      case OpKind::NewInstanceUid:
        return new_uid(data, dcmdata::tags::SOPInstanceUID);
    }
    if (matched == 0 && !settings_.ignore_missing) {
      return Error(ErrorCode::NotFound, "Tag not found");
    }
    return {};
  }

 private:
  using Action = std::function<Status(DataSet& parent, const TagPathStep& last)>;

  // Visits what `steps` address in `ds`, creating missing sequences and items if `create`.
  Status walk(DataSet& ds, std::span<const TagPathStep> steps, bool create, std::size_t& matched,
              const Action& action) {
    if (steps.size() == 1) return action(ds, steps[0]);
    const TagPathStep& step = steps[0];
    Element* element = ds.find(step.tag);
    if (element == nullptr) {
      if (!create) return {};
      element = &ds.insert(Element::sequence(step.tag, {}));
    }
    if (!element->is_sequence()) {
      if (!create || element->length() != 0) {
        return Error(ErrorCode::InvalidArgument, step.tag.to_string() + " is not a sequence");
      }
      element->items();  // an empty element becomes a sequence
      element->set_vr(VR::SQ);
    }
    std::vector<DataSet>& items = element->items();
    if (step.any_item) {
      for (DataSet& item : items) DCMKIT_TRY(walk(item, steps.subspan(1), create, matched, action));
      return {};
    }
    const std::size_t index = step.item.value_or(0);
    if (index >= items.size()) {
      if (!create) return {};
      items.resize(index + 1);
    }
    return walk(items[index], steps.subspan(1), create, matched, action);
  }

  Status every_data_set(DataSet& ds, const std::function<Status(DataSet&)>& visit) {
    DCMKIT_TRY(visit(ds));
    for (Element& e : ds) {
      if (!e.is_sequence()) continue;
      for (DataSet& item : e.items()) DCMKIT_TRY(every_data_set(item, visit));
    }
    return {};
  }

  Result<std::string> value_text(const Operation& op) const {
    if (!op.from_file) return op.value;
    auto mapped = ofstd::open_shared(op.value);
    if (!mapped) {
      return Error(mapped.error().code(),
                   "cannot read value file " + op.value + ": " + mapped.error().message());
    }
    const auto bytes = (*mapped)->bytes();
    if (bytes.size() % 2 != 0) {
      // As DCMTK: a value from a file is taken as it is, so it must have even length.
      return Error(ErrorCode::InvalidArgument,
                   "Cannot insert/modify value with odd length from file!");
    }
    return std::string(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
                       bytes.size());
  }

  Status set(DataSet& parent, const TagPathStep& last, const std::string& value, bool raw,
             bool insert, std::size_t& matched) {
    if (last.item || last.any_item) {
      // The path names an item: -i makes sure it exists; values cannot be set on items.
      if (!insert) return Error(ErrorCode::InvalidArgument, "cannot modify an item");
      Element* element = parent.find(last.tag);
      if (element == nullptr) element = &parent.insert(Element::sequence(last.tag, {}));
      if (!element->is_sequence()) {
        return Error(ErrorCode::InvalidArgument, last.tag.to_string() + " is not a sequence");
      }
      if (last.item && *last.item >= element->items().size()) {
        element->items().resize(*last.item + 1);
      }
      ++matched;
      return {};
    }
    Element* existing = parent.find(last.tag);
    if (existing == nullptr && !insert) return {};
    if (existing != nullptr && existing->vr() == VR::UN && settings_.ignore_un) {
      DCMKIT_LOG_WARN(app_.logger(), "not writing a value to " << last.tag.to_string()
                                                               << ", which has VR UN (-iun)");
      ++matched;
      return {};
    }
    const Tag tag = last.tag;
    if (existing == nullptr && settings_.check_reservation && tag.is_private() &&
        !tag.is_private_creator() && (tag.element() >> 8) >= 0x10) {
      const Element* creator = parent.find(tag.private_creator());
      if (creator == nullptr || creator->length() == 0) {
        return Error(ErrorCode::InvalidArgument,
                     "Invalid or empty private creator tag: " + tag.private_creator().to_string());
      }
    }
    const VR vr = existing != nullptr ? existing->vr() : vr_for_new(parent, tag);
    if (vr == VR::SQ) {
      if (!value.empty()) {
        return Error(ErrorCode::InvalidArgument,
                     tag.to_string() + " is a sequence; it takes no value");
      }
      if (existing == nullptr) parent.insert(Element::sequence(tag, {}));
      ++matched;
      return {};
    }
    dcmdata::SharedBytes bytes;
    const dcmdata::VrInfo& info = dcmdata::vr_info(vr);
    if (raw && info.kind != dcmdata::VrKind::Text) {
      if (info.value_size > 1 && value.size() % info.value_size != 0) {
        return Error(ErrorCode::InvalidArgument, "the file's size is not a multiple of " +
                                                     std::to_string(info.value_size) + " (VR " +
                                                     std::string(dcmdata::to_string(vr)) + ")");
      }
      bytes = dcmdata::SharedBytes::copy_of(std::string_view(value));
    } else {
      auto converted = dcmdata::value_from_text(vr, value);
      if (!converted) {
        return Error(ErrorCode::InvalidArgument, "Corrupted data: " + converted.error().message());
      }
      bytes = std::move(*converted);
    }
    if (existing != nullptr && !existing->is_sequence() && !existing->is_encapsulated()) {
      existing->set_bytes(std::move(bytes));
    } else {
      parent.insert(Element(tag, vr, std::move(bytes)));
    }
    if (tag == dcmdata::tags::SpecificCharacterSet) (void)parent.refresh_character_set();
    ++matched;
    return {};
  }

  static Status erase(DataSet& parent, const TagPathStep& last, std::size_t& matched) {
    if (last.item || last.any_item) {
      Element* element = parent.find(last.tag);
      if (element == nullptr || !element->is_sequence()) return {};
      std::vector<DataSet>& items = element->items();
      if (last.any_item) {
        matched += items.size();
        items.clear();
      } else if (*last.item < items.size()) {
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(*last.item));
        ++matched;
      }
      return {};
    }
    if (parent.erase(last.tag)) ++matched;
    return {};
  }

  static Status new_uid(DataSet& data, Tag tag) {
    std::string uid = ofstd::generate_uid();
    if (uid.size() % 2 != 0) uid += '\0';
    return data.set_bytes(tag, VR::UI, dcmdata::SharedBytes::copy_of(std::string_view(uid)));
  }

  const Settings& settings_;
  const App& app_;
};

// --- Files ----------------------------------------------------------------------------------

dcmdata::ReadOptions read_options(const ofstd::ParsedCommandLine& args) {
  dcmdata::ReadOptions options = apps::input_format_options(args, true);
  options.assume_even_length = args.last_of({"+ao", "+ae"}) == "+ae";
  options.deflate_has_zlib_header = args.last_of({"+bd", "+bz"}) == "+bz";
  return options;
}

std::string uid_value(const DataSet& ds, Tag tag) {
  const Element* e = ds.find(tag);
  if (e == nullptr) return {};
  std::string_view text = e->bytes().chars();
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

// Replaces `path` with the written file; with `backup`, the original stays as "<path>.bak" (a
// hard link to it where possible, so that no data is copied). Returns the error text.
Status write_in_place(const std::filesystem::path& path, const DataSet& meta, const DataSet& data,
                      const dcmdata::TransferSyntax& ts, const dcmdata::WriteOptions& write,
                      std::span<const std::byte> preamble, bool backup) {
  namespace fs = std::filesystem;
  fs::path backup_path = path;
  backup_path += ".bak";
  bool backed_up = false;
  if (backup) {
    std::error_code error;
    fs::remove(backup_path, error);
    fs::create_hard_link(path, backup_path, error);
    if (error) {
      error.clear();
      fs::copy_file(path, backup_path, fs::copy_options::overwrite_existing, error);
      if (error) {
        return Error(ErrorCode::IoError,
                     "cannot create backup file " + backup_path.string() + ": " + error.message());
      }
    }
    backed_up = true;
  }
  // The values are views into the mapped original; write_file writes a temporary in the same
  // directory and renames it over `path`, which leaves the mapping (and the backup) intact.
  auto written = dcmdata::write_file(path, meta, data, ts, write, preamble);
  if (!written && backed_up) {
    std::error_code ignored;
    fs::remove(backup_path, ignored);
  }
  return written;
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmodify", "Modify DICOM files");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();

  auto output = apps::output_choice(args, kOutputOptions);
  if (!output) return app.usage_error(output.error());
  auto operations = parse_operations(args);
  if (!operations) return app.usage_error(operations.error());
  Settings settings;
  settings.ignore_missing = args.has("-imt");
  settings.ignore_un = args.has("-iun");
  settings.check_reservation = !args.has("-nrc");
  const bool ignore_errors = args.has("-ie");
  const bool backup = args.last_of({"--backup", "-nb"}) != "-nb";
  const bool update_meta_uids = !args.has("-nmu");
  const bool create = args.has("+fc");
  const dcmdata::ReadOptions read = read_options(args);

  int errors = 0;
  for (const std::string& path : args.params()) {
    std::error_code exists_error;
    const bool exists = std::filesystem::exists(path, exists_error);
    dcmdata::DicomFile file;
    if (!exists && create) {
      DCMKIT_LOG_INFO(app.logger(), "creating new file " << path);
    } else {
      auto loaded = dcmdata::read_file(path, read);
      if (!loaded) {
        const bool system = loaded.error().code() == ErrorCode::NotFound ||
                            loaded.error().code() == ErrorCode::IoError;
        DCMKIT_LOG_ERROR(app.logger(),
                         "unable to load file "
                             << path << ": "
                             << (system ? loaded.error().message() : loaded.error().to_string()));
        ++errors;
        continue;
      }
      file = std::move(*loaded);
    }
    const std::string old_class = uid_value(file.data, dcmdata::tags::SOPClassUID);
    const std::string old_instance = uid_value(file.data, dcmdata::tags::SOPInstanceUID);

    Modifier modifier(settings, app);
    int file_errors = 0;
    for (const Operation& op : *operations) {
      auto status = modifier.apply(op, file.data);
      if (!status) {
        DCMKIT_LOG_ERROR(app.logger(),
                         "modifying tag in file " << path << ": " << status.error().message());
        ++file_errors;
      }
    }
    errors += file_errors;
    if (file_errors > 0 && !ignore_errors) continue;  // the file stays as it was

    dcmdata::TransferSyntax ts = output->transfer_syntax.value_or(file.transfer_syntax);
    const Element* pixels = file.data.find(dcmdata::tags::PixelData);
    if (pixels != nullptr && pixels->is_encapsulated() && !(ts == file.transfer_syntax)) {
      DCMKIT_LOG_ERROR(app.logger(), "unable to save file " << path
                                                            << ": Pixel representation cannot "
                                                               "be changed");
      ++errors;
      continue;
    }
    // As DCMTK's dcmodify does, the meta information is made anew from the data set (optional
    // elements such as the Source AE Title are dropped; dcmkit names itself as implementation);
    // the previous one only fills in SOP Class/Instance UIDs the data set lacks (DICOMDIR). With
    // -nmu, UIDs an operation changed do not reach it (DCMTK 3.6.7 ignores -nmu there).
    const bool data_set_only = output->meta == apps::OutputChoice::Meta::DataSetOnly;
    auto meta = data_set_only ? ofstd::Result<dcmdata::DataSet>(dcmdata::DataSet{})
                              : dcmdata::make_file_meta(file.data, ts.uid(), {}, &file.meta);
    const bool uids_changed = uid_value(file.data, dcmdata::tags::SOPClassUID) != old_class ||
                              uid_value(file.data, dcmdata::tags::SOPInstanceUID) != old_instance;
    if (meta && !data_set_only && !update_meta_uids && uids_changed) {
      for (const dcmdata::Tag tag :
           {dcmdata::tags::MediaStorageSOPClassUID, dcmdata::tags::MediaStorageSOPInstanceUID}) {
        if (const dcmdata::Element* previous = file.meta.find(tag)) meta->insert(*previous);
      }
    }
    if (!meta) {
      DCMKIT_LOG_ERROR(app.logger(),
                       "unable to save file " << path << ": " << meta.error().message());
      ++errors;
      continue;
    }
    auto written = write_in_place(path, *meta, file.data, ts, output->write, file.preamble.span(),
                                  backup && exists);
    if (!written) {
      DCMKIT_LOG_ERROR(app.logger(),
                       "unable to save file " << path << ": " << written.error().message());
      ++errors;
    }
  }
  if (errors == 1) DCMKIT_LOG_ERROR(app.logger(), "There was 1 error");
  if (errors > 1) DCMKIT_LOG_ERROR(app.logger(), "There were " << errors << " errors");
  return errors > 255 ? 255 : errors;
}

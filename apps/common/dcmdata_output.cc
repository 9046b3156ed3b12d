// SPDX-License-Identifier: BSD-3-Clause
#include "common/dcmdata_output.h"

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace dcmkit::apps {

using dcmdata::DataSet;
using dcmdata::Tag;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

void add_output_options(ofstd::CommandLine& cl, const OutputOptionSet& set) {
  cl.add_group("output options:");
  cl.add_subgroup("output file format:");
  cl.add_option("+F", "--write-file", "write file format (default)");
  cl.add_option("-F", "--write-dataset", "write data set without file meta information");
  if (set.update_meta) {
    cl.add_option("+Fu", "--update-meta-info", "update particular file meta information");
  }
  cl.add_subgroup("output transfer syntax:");
  cl.add_option("+t=", "--write-xfer-same", "write with same TS as input (default)");
  cl.add_option("+te", "--write-xfer-little", std::string(set.explicit_little_text));
  cl.add_option("+tb", "--write-xfer-big", "write with explicit VR big endian TS");
  cl.add_option("+ti", "--write-xfer-implicit", "write with implicit VR little endian TS");
  if (set.deflate) {
    cl.add_option("+td", "--write-xfer-deflated", "write with deflated expl. VR little endian TS");
  }
  if (!set.stop_on_error.empty()) {
    cl.add_subgroup("error handling:");
    cl.add_option("-E", "--stop-on-error", std::string(set.stop_on_error));
    cl.add_option("+E", "--ignore-errors", std::string(set.ignore_errors));
  }
  cl.add_subgroup("post-1993 value representations:");
  cl.add_option("+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)");
  cl.add_option("-u", "--disable-new-vr", "disable support for new VRs, convert to OB");
  cl.add_subgroup("group length encoding:");
  cl.add_option("+g=", "--group-length-recalc", "recalculate group lengths if present (default)");
  cl.add_option("+g", "--group-length-create", "always write with group length elements");
  cl.add_option("-g", "--group-length-remove", "always write without group length elements");
  cl.add_subgroup("length encoding in sequences and items:");
  if (set.length_options_le) {
    cl.add_option("+le", "--length-explicit", "write with explicit lengths (default)");
    cl.add_option("-le", "--length-undefined", "write with undefined lengths");
  } else {
    cl.add_option("+e", "--length-explicit", "write with explicit lengths (default)");
    cl.add_option("-e", "--length-undefined", "write with undefined lengths");
  }
  cl.add_subgroup("data set trailing padding (not with --write-dataset):");
  if (set.padding_default_one_line) {
    cl.add_option("-p=", "--padding-retain", "do not change padding (default)");
  } else {
    cl.add_option("-p=", "--padding-retain",
                  "do not change padding\n"
                  "(default if not --write-dataset)");
  }
  cl.add_option("-p", "--padding-off", "no padding (implicit if --write-dataset)");
  cl.add_option("+p", "--padding-create",
                "[f]ile-pad [i]tem-pad: integer\n"
                "align file on multiple of f bytes\n"
                "and items on multiple of i bytes",
                2);
  if (set.deflate) {
    cl.add_subgroup("deflate compression level (only with --write-xfer-deflated):");
    cl.add_option("+cl", "--compression-level",
                  "[l]evel: integer (default: 6)\n"
                  "0=uncompressed, 1=fastest, 9=best compression",
                  1);
  }
}

Result<OutputChoice> output_choice(const ofstd::ParsedCommandLine& args,
                                   const OutputOptionSet& set) {
  OutputChoice choice;
  std::optional<std::string_view> meta;
  if (set.update_meta) {
    meta = args.last_of({"+F", "-F", "+Fu"});
  } else {
    meta = args.last_of({"+F", "-F"});
  }
  if (meta == "-F") choice.meta = OutputChoice::Meta::DataSetOnly;
  if (meta == "+Fu") choice.meta = OutputChoice::Meta::UpdateMeta;

  std::optional<std::string_view> ts;
  if (set.deflate) {
    ts = args.last_of({"+t=", "+te", "+tb", "+ti", "+td"});
  } else {
    ts = args.last_of({"+t=", "+te", "+tb", "+ti"});
  }
  if (ts == "+te") choice.transfer_syntax = dcmdata::explicit_vr_little_endian();
  if (ts == "+tb") choice.transfer_syntax = dcmdata::explicit_vr_big_endian();
  if (ts == "+ti") choice.transfer_syntax = dcmdata::implicit_vr_little_endian();
  if (ts == "+td") choice.transfer_syntax = dcmdata::deflated_explicit_vr_little_endian();

  dcmdata::WriteOptions& write = choice.write;
  write.disable_new_vrs = args.last_of({"+u", "-u"}) == "-u";
  if (const auto lengths = args.last_of({"+g=", "+g", "-g"})) {
    if (*lengths == "+g") write.group_lengths = dcmdata::GroupLengthMode::Create;
    if (*lengths == "-g") write.group_lengths = dcmdata::GroupLengthMode::Remove;
  }
  const bool undefined = set.length_options_le ? args.last_of({"+le", "-le"}) == "-le"
                                               : args.last_of({"+e", "-e"}) == "-e";
  write.sequence_lengths =
      undefined ? dcmdata::LengthMode::Undefined : dcmdata::LengthMode::Explicit;
  write.item_lengths = write.sequence_lengths;
  const auto padding = args.last_of({"-p=", "-p", "+p"});
  const bool data_set_only = choice.meta == OutputChoice::Meta::DataSetOnly;
  if (padding == "-p" || (data_set_only && padding != "+p")) write.remove_padding = true;
  if (padding == "+p") {
    if (data_set_only) {
      return Error(ErrorCode::InvalidArgument, "--padding-create not allowed with --write-dataset");
    }
    DCMKIT_ASSIGN_OR_RETURN(const long long file_pad,
                            args.value_as_int("+p", ofstd::IntBounds::at_least(0), 0));
    DCMKIT_ASSIGN_OR_RETURN(const long long item_pad,
                            args.value_as_int("+p", ofstd::IntBounds::at_least(0), 1));
    write.file_padding = static_cast<std::uint32_t>(file_pad);
    write.item_padding = static_cast<std::uint32_t>(item_pad);
  }
  if (set.deflate && args.has("+cl")) {
    DCMKIT_ASSIGN_OR_RETURN(const long long level,
                            args.value_as_int("+cl", ofstd::IntBounds::range(0, 9)));
    write.deflate_level = static_cast<int>(level);
  }
  return choice;
}

namespace {

// The UID text of `tag` in `ds` (padding removed), or empty.
std::string uid_text(const DataSet& ds, Tag tag) {
  const dcmdata::Element* e = ds.find(tag);
  if (e == nullptr || e->kind() != dcmdata::ValueKind::Bytes) return {};
  std::string_view text = e->bytes().chars();
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

Status set_uid_text(DataSet& ds, Tag tag, std::string_view text) {
  std::string value(text);
  if (value.size() % 2 != 0) value += '\0';
  return ds.set_bytes(tag, dcmdata::VR::UI, dcmdata::SharedBytes::copy_of(value));
}

}  // namespace

Result<DataSet> output_meta(OutputChoice::Meta mode, const DataSet& input_meta, const DataSet& data,
                            const dcmdata::TransferSyntax& ts) {
  if (mode == OutputChoice::Meta::DataSetOnly) return DataSet{};
  DCMKIT_ASSIGN_OR_RETURN(DataSet fresh, dcmdata::make_file_meta(data, ts.uid(), {}, &input_meta));
  if (input_meta.empty()) return fresh;
  DataSet meta = input_meta;
  for (const dcmdata::Element& e : fresh) {
    const bool replace = e.tag() == dcmdata::tags::TransferSyntaxUID ||
                         e.tag() == dcmdata::tags::FileMetaInformationGroupLength ||
                         (mode == OutputChoice::Meta::UpdateMeta &&
                          (e.tag() == dcmdata::tags::MediaStorageSOPClassUID ||
                           e.tag() == dcmdata::tags::MediaStorageSOPInstanceUID));
    if (replace || !meta.contains(e.tag())) meta.insert(e);
  }
  return meta;
}

Status generate_uids(DataSet& data, bool overwrite, DataSet* meta) {
  for (const Tag tag : {dcmdata::tags::StudyInstanceUID, dcmdata::tags::SeriesInstanceUID,
                        dcmdata::tags::SOPInstanceUID}) {
    if (!overwrite && !uid_text(data, tag).empty()) continue;
    const std::string uid = ofstd::generate_uid();
    DCMKIT_TRY(set_uid_text(data, tag, uid));
    if (tag == dcmdata::tags::SOPInstanceUID && meta != nullptr &&
        meta->contains(dcmdata::tags::MediaStorageSOPInstanceUID)) {
      DCMKIT_TRY(set_uid_text(*meta, dcmdata::tags::MediaStorageSOPInstanceUID, uid));
    }
  }
  return {};
}

}  // namespace dcmkit::apps

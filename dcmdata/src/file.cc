// SPDX-License-Identifier: BSD-3-Clause
// Part 10 file reading (PS3.10 §7): preamble, "DICM", File Meta Information, then the data set
// in the transfer syntax the meta header names (or the one detected for a bare data set).
#include "dcmkit/dcmdata/file.h"

#include <zlib.h>

#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/byte_reader.h"
#include "dcmkit/ofstd/mapped_file.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {

using ofstd::ByteReader;
using ofstd::Endian;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constexpr std::size_t kPreambleSize = 128;
constexpr Tag kTransferSyntaxUid{0x0002, 0x0010};

bool has_dicm_at(std::span<const std::byte> bytes, std::size_t offset) {
  return bytes.size() >= offset + 4 && std::memcmp(bytes.data() + offset, "DICM", 4) == 0;
}

bool looks_like_vr(std::span<const std::byte> bytes, std::size_t offset) {
  if (bytes.size() < offset + 2) return false;
  return vr_from_bytes(bytes.subspan(offset, 2).first<2>()).has_value();
}

std::uint16_t group_at(std::span<const std::byte> bytes, std::size_t offset, Endian endian) {
  return bytes.size() >= offset + 2 ? ofstd::load_u16(bytes.data() + offset, endian) : 0xFFFF;
}

// The end of the meta group starting at `start`: elements are walked while their group is 0002
// (explicit VR little endian, PS3.10 §7.1), which also copes with a missing or wrong
// (0002,0000). Returns the offset of the first byte after the group.
Result<std::size_t> scan_meta_end(std::span<const std::byte> bytes, std::size_t start,
                                  bool explicit_vr) {
  ByteReader in(bytes);
  DCMKIT_TRY(in.seek(start));
  while (in.remaining() >= 8) {
    const std::size_t at = in.position();
    if (group_at(bytes, at, Endian::Little) != 0x0002) break;
    DCMKIT_TRY(in.skip(2));
    DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t element, in.read_u16(Endian::Little));
    std::uint32_t length = 0;
    if (explicit_vr) {
      const auto vr = vr_from_bytes(in.read_bytes(2).value().first<2>());
      if (!vr || vr_info(*vr).long_length) {
        DCMKIT_TRY(in.skip(2));
        DCMKIT_ASSIGN_OR_RETURN(length, in.read_u32(Endian::Little));
      } else {
        length = *in.read_u16(Endian::Little);
      }
    } else {
      length = *in.read_u32(Endian::Little);
    }
    if (length == 0xFFFFFFFFu || length > in.remaining()) {
      return Error(ErrorCode::MalformedData, "offset " + std::to_string(at) + ", " +
                                                 Tag(0x0002, element).to_string() +
                                                 ": meta information element length " +
                                                 std::to_string(length) + " exceeds the input");
    }
    DCMKIT_TRY(in.skip(length));
  }
  return in.position();
}

// Transfer syntax of a bare data set, detected from its first element as DCMTK does: the byte
// order that gives the smaller group number, explicit VR if two VR letters follow the tag.
TransferSyntax detect_transfer_syntax(std::span<const std::byte> bytes, std::size_t start) {
  const std::uint16_t little = group_at(bytes, start, Endian::Little);
  const std::uint16_t big = group_at(bytes, start, Endian::Big);
  const bool explicit_vr = looks_like_vr(bytes, start + 4);
  if (big < little && explicit_vr) return explicit_vr_big_endian();
  return explicit_vr ? explicit_vr_little_endian() : implicit_vr_little_endian();
}

}  // namespace

Result<std::vector<std::byte>> inflate_bytes(std::span<const std::byte> input, bool zlib_header,
                                             std::uint64_t max_size, bool* truncated) {
  z_stream stream{};
  if (inflateInit2(&stream, zlib_header ? 15 : -15) != Z_OK) {
    return Error(ErrorCode::Internal, "cannot initialise zlib");
  }
  std::vector<std::byte> out;
  std::size_t consumed = 0;
  int status = Z_OK;
  // Room for one byte more than allowed tells "too large" from "exactly max_size" (and the
  // comparison must not overflow for an unlimited max_size).
  const std::uint64_t limit =
      max_size < std::numeric_limits<std::uint64_t>::max() ? max_size + 1 : max_size;
  while (status != Z_STREAM_END) {
    if (out.size() > max_size) break;
    const std::size_t chunk = std::max<std::size_t>(input.size() * 2, 1 << 16);
    const std::size_t old_size = out.size();
    out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(old_size + chunk, limit)));
    const std::size_t in_chunk = std::min<std::size_t>(input.size() - consumed, 1u << 30);
    stream.next_in = reinterpret_cast<Bytef*>(
        const_cast<std::byte*>(input.data() + consumed));  // NOLINT: zlib API
    stream.avail_in = static_cast<uInt>(in_chunk);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + old_size);  // NOLINT: zlib API
    stream.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - old_size, 1u << 30));
    const std::size_t avail_before = stream.avail_out;
    status = inflate(&stream, Z_NO_FLUSH);
    consumed += in_chunk - stream.avail_in;
    out.resize(old_size + (avail_before - stream.avail_out));
    if (status == Z_STREAM_END) break;
    if (status == Z_BUF_ERROR && consumed == input.size()) {
      // Input exhausted without the end marker: some producers omit it; keep what was inflated.
      if (truncated != nullptr) *truncated = true;
      break;
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      const std::string message = stream.msg != nullptr ? stream.msg : "corrupt deflate stream";
      inflateEnd(&stream);
      return Error(ErrorCode::MalformedData, "cannot inflate data set: " + message);
    }
  }
  inflateEnd(&stream);
  if (out.size() > max_size) {
    return Error(ErrorCode::LimitExceeded,
                 "inflated data set is larger than " + std::to_string(max_size) + " bytes");
  }
  return out;
}

Result<DicomFile> read_bytes(const SharedBytes& bytes, const ReadOptions& options) {
  DicomFile file;
  file.source = bytes;
  const auto span = bytes.span();
  if (span.empty()) return Error(ErrorCode::MalformedData, "the input is empty");

  std::size_t meta_start = 0;
  bool meta_present = false;
  if (options.format != FileFormatChoice::DataSetOnly) {
    if (has_dicm_at(span, kPreambleSize) &&
        group_at(span, kPreambleSize + 4, Endian::Little) == 0x0002) {
      file.has_preamble = true;
      file.preamble = bytes.subrange(0, kPreambleSize);
      meta_start = kPreambleSize + 4;
      meta_present = true;
    } else if (has_dicm_at(span, 0) && group_at(span, 4, Endian::Little) == 0x0002) {
      // "DICM" without the preamble: written by some old tools.
      file.diagnostics.push_back({0, "", "\"DICM\" without the 128-byte preamble"});
      meta_start = 4;
      meta_present = true;
    } else if (group_at(span, 0, Endian::Little) == 0x0002) {
      // Meta information without preamble and "DICM".
      file.diagnostics.push_back({0, "", "File Meta Information without preamble and \"DICM\""});
      meta_present = true;
    } else if (options.format == FileFormatChoice::FileOnly) {
      return Error(ErrorCode::MalformedData, "not a DICOM file: no \"DICM\" prefix at offset 128");
    } else if (has_dicm_at(span, kPreambleSize)) {
      // "DICM" at 128 but no meta group after it: a bare data set whose bytes happen to spell
      // DICM there.
      file.diagnostics.push_back({kPreambleSize, "",
                                  "\"DICM\" at offset 128 is not followed by meta information; "
                                  "read as a data set"});
    }
  }

  std::size_t data_start = 0;
  if (meta_present) {
    const bool meta_explicit = looks_like_vr(span, meta_start + 4);
    if (!meta_explicit) {
      if (options.strictness == Strictness::Strict) {
        return Error(ErrorCode::MalformedData,
                     "offset " + std::to_string(meta_start) +
                         ": File Meta Information is not in explicit VR little endian");
      }
      file.diagnostics.push_back(
          {meta_start, "", "File Meta Information in implicit VR (PS3.10 requires explicit VR)"});
    }
    DCMKIT_ASSIGN_OR_RETURN(data_start, scan_meta_end(span, meta_start, meta_explicit));
    const SharedBytes meta_bytes = bytes.subrange(meta_start, data_start - meta_start);
    ReadOptions meta_options = options;
    meta_options.stop_before.reset();
    meta_options.stop_after.reset();
    meta_options.ignore_parse_errors = false;
    auto meta = parse_dataset_ex(
        meta_bytes, meta_explicit ? explicit_vr_little_endian() : implicit_vr_little_endian(),
        meta_options, &file.diagnostics, meta_start);
    if (!meta) return std::move(meta).error().with_context("File Meta Information");
    file.meta = std::move(meta->data);
    file.has_meta = true;
    if (const Element* length = file.meta.find(Tag{0x0002, 0x0000})) {
      auto value = length->as_uint();
      const std::uint64_t expected = data_start - meta_start - 12;
      if (value && *value != expected) {
        file.diagnostics.push_back({meta_start, "(0002,0000)",
                                    "File Meta Information Group Length is " +
                                        std::to_string(*value) + " but the group has " +
                                        std::to_string(expected) + " bytes"});
      }
    } else {
      file.diagnostics.push_back({meta_start, "", "File Meta Information Group Length is missing"});
    }
  }

  // Choose the data set's transfer syntax.
  switch (options.transfer_syntax) {
    case TransferSyntaxChoice::ExplicitLittle:
      file.transfer_syntax = explicit_vr_little_endian();
      break;
    case TransferSyntaxChoice::ExplicitBig:
      file.transfer_syntax = explicit_vr_big_endian();
      break;
    case TransferSyntaxChoice::ImplicitLittle:
      file.transfer_syntax = implicit_vr_little_endian();
      break;
    case TransferSyntaxChoice::Detect:
      file.transfer_syntax = detect_transfer_syntax(span, data_start);
      break;
    case TransferSyntaxChoice::Auto: {
      const Element* ts = file.meta.find(kTransferSyntaxUid);
      if (ts == nullptr) {
        file.transfer_syntax = detect_transfer_syntax(span, data_start);
        if (meta_present) {
          file.diagnostics.push_back({meta_start, "",
                                      "Transfer Syntax UID missing from the meta "
                                      "information; detected from the data set"});
        }
      } else {
        const std::string_view uid = ofstd::trim(ts->bytes().chars(), std::string_view(" \0", 2));
        file.transfer_syntax = TransferSyntax::lookup_or_unknown(uid);
        if (!file.transfer_syntax.is_known()) {
          file.diagnostics.push_back({meta_start, "(0002,0010)",
                                      "unknown transfer syntax " + std::string(uid) +
                                          "; read as explicit VR little endian"});
        }
      }
      break;
    }
  }
  file.data_set_offset = data_start;

  SharedBytes data_bytes = bytes.subrange(data_start, span.size() - data_start);
  std::uint64_t base = data_start;
  TransferSyntax parse_syntax = file.transfer_syntax;
  if (file.transfer_syntax.is_deflated()) {
    bool truncated = false;
    auto inflated = inflate_bytes(data_bytes.span(), options.deflate_has_zlib_header,
                                  options.max_inflated_size, &truncated);
    if (!inflated) return std::move(inflated).error();
    if (truncated) {
      if (options.strictness == Strictness::Strict) {
        return Error(ErrorCode::MalformedData, "the deflated data set ends without its end marker");
      }
      file.diagnostics.push_back({data_start, "",
                                  "the deflated data set ends without its end "
                                  "marker; what was inflated is read"});
    }
    file.inflated = SharedBytes::from_vector(std::move(*inflated));
    data_bytes = file.inflated;
    base = 0;
    parse_syntax = explicit_vr_little_endian();
  }
  auto parsed = parse_dataset_ex(data_bytes, parse_syntax, options, &file.diagnostics, base);
  if (!parsed) return std::move(parsed).error();
  file.data = std::move(parsed->data);
  file.stopped_early = parsed->stopped_early;
  file.recovered_error = std::move(parsed->recovered_error);
  return file;
}

Result<DicomFile> read_file(const std::filesystem::path& path, const ReadOptions& options) {
  DCMKIT_ASSIGN_OR_RETURN(
      auto mapped, ofstd::open_shared(
                       path, options.avoid_mmap ? ofstd::MapMode::ReadOnly : ofstd::MapMode::Auto));
  const auto view = mapped->bytes();
  return read_bytes(SharedBytes(std::move(mapped), view), options);
}

Result<DataSet> make_file_meta(const DataSet& data, std::string_view transfer_syntax_uid,
                               std::string_view source_ae_title, const DataSet* previous_meta) {
  // The SOP UIDs come from the data set; a DICOMDIR has none there and keeps its meta's. A value
  // stored with another VR (UN, after CP-246 or a private syntax) is used as its text.
  const auto uid_text = [&](Tag data_tag, Tag meta_tag) -> std::string {
    const Element* e = data.find(data_tag);
    if ((e == nullptr || e->kind() != ValueKind::Bytes) && previous_meta != nullptr) {
      e = previous_meta->find(meta_tag);
    }
    if (e == nullptr || e->kind() != ValueKind::Bytes) return {};
    return std::string(ofstd::trim(e->bytes().chars(), std::string_view(" \0", 2)));
  };
  auto parsed_ts = Uid::parse(transfer_syntax_uid);
  if (!parsed_ts) {
    return Error(ErrorCode::InvalidArgument,
                 "invalid transfer syntax UID \"" + std::string(transfer_syntax_uid) + "\"");
  }
  const Uid ts = *parsed_ts;
  DataSet meta;
  const std::byte version[2] = {std::byte{0}, std::byte{1}};
  DCMKIT_TRY(meta.set_bytes(Tag{0x0002, 0x0001}, VR::OB, SharedBytes::copy_of(version)));
  for (const auto& [data_tag, meta_tag] : {std::pair{Tag{0x0008, 0x0016}, Tag{0x0002, 0x0002}},
                                           std::pair{Tag{0x0008, 0x0018}, Tag{0x0002, 0x0003}}}) {
    std::string text = uid_text(data_tag, meta_tag);
    if (text.size() % 2 != 0) text.push_back('\0');
    meta.insert(Element(meta_tag, VR::UI, SharedBytes::copy_of(text)));
  }
  DCMKIT_TRY(meta.set_uid(Tag{0x0002, 0x0010}, ts));
  DCMKIT_TRY(meta.set_uid(Tag{0x0002, 0x0012}, Uid(kImplementationClassUid.data())));
  DCMKIT_TRY(meta.set_string(Tag{0x0002, 0x0013}, VR::SH, kImplementationVersionName));
  if (!source_ae_title.empty()) {
    DCMKIT_TRY(meta.set_string(Tag{0x0002, 0x0016}, VR::AE, source_ae_title));
  }
  std::uint64_t length = 0;
  for (const Element& e : meta) {
    length += (vr_info(e.vr()).long_length ? 12 : 8) + e.length();
  }
  DCMKIT_TRY(meta.set_int(Tag{0x0002, 0x0000}, VR::UL, static_cast<std::int64_t>(length)));
  return meta;
}

}  // namespace dcmkit::dcmdata

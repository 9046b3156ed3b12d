// SPDX-License-Identifier: BSD-3-Clause
// The data set parser (PS3.5 §7: element encoding; §7.5: sequences and items; §A.4: encapsulated
// pixel data). One pass over bounded input; values become views into it.
#include "dcmkit/dcmdata/reader.h"

#include <string>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/tag_path.h"
#include "dcmkit/ofstd/byte_reader.h"
#include "dcmkit/ofstd/checked_math.h"
#include "dcmkit/ofstd/strings.h"
#include "reader_detail.h"

namespace dcmkit::dcmdata {

using ofstd::ByteReader;
using ofstd::Endian;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

std::string Diagnostic::to_string() const {
  std::string out = "offset " + std::to_string(offset);
  if (!path.empty()) out += ", " + path;
  return out + ": " + message;
}

namespace detail {

bool resolves_by_pixel_representation(Tag tag) noexcept {
  switch (tag.to_u32()) {
    case 0x00280106:
    case 0x00280107:
    case 0x00280108:
    case 0x00280109:
    case 0x00280120:
    case 0x00280121:
    case 0x00283002:
    case 0x00409211:
    case 0x00409216:
    case 0x00603004:
    case 0x00603006:
      return true;
    default:
      return false;
  }
}

const PrivateTagEntry* private_entry(Tag tag, const DataSet& context) noexcept {
  if (!tag.is_private() || tag.element() < 0x1000) return nullptr;
  const Element* creator = context.find(tag.private_creator());
  // Only a creator with its proper VR counts (DCMTK ignores creators stored as UN, too).
  if (creator == nullptr || creator->kind() != ValueKind::Bytes || creator->vr() != VR::LO) {
    return nullptr;
  }
  // Creator values are compared without their padding (PS3.5 §7.8.1).
  const std::string_view name = ofstd::trim(creator->bytes().chars(), std::string_view(" \0", 2));
  return lookup_private_tag(name, tag);
}

VR implicit_vr(Tag tag, const DataSet& context) noexcept {
  if (tag.is_group_length()) return VR::UL;
  if (tag.is_private_creator()) return VR::LO;
  if (tag.is_private()) {
    const PrivateTagEntry* entry = private_entry(tag, context);
    return entry != nullptr ? entry->vr : VR::UN;
  }
  const TagEntry* entry = lookup_tag(tag);
  if (entry == nullptr) return VR::UN;
  if (entry->vr_count == 1) return entry->vr();
  // Multi-VR entries (PS3.5 §A.1 c): word data in implicit VR is OW; "US or SS" follows Pixel
  // Representation (0028,0103) where the data set has one, as the value's sign depends on it.
  if (entry->allows(VR::OW)) return VR::OW;  // OB or OW, and US or SS or OW (LUT Data): words
  if (entry->allows(VR::US) && entry->allows(VR::SS)) {
    if (!resolves_by_pixel_representation(tag)) return VR::US;
    const Element* representation = context.find(Tag{0x0028, 0x0103});
    if (representation != nullptr) {
      auto value = representation->as_int();
      if (value && *value == 1) return VR::SS;
    }
    return VR::US;
  }
  return entry->vr();
}

}  // namespace detail

namespace {

constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr Tag kPixelData{0x7FE0, 0x0010};
constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};

struct Encoding {
  Endian endian;
  bool explicit_vr;
};

struct Header {
  Tag tag;
  std::optional<VR> vr;  // explicit VR, if it named one of the 34
  bool nonstandard_vr = false;
  bool nonstandard_long = false;  // a non-standard VR read with the 4-byte length form
  bool implicit = false;          // read as implicit VR despite an explicit syntax (-vr)
  char raw_vr[2] = {0, 0};
  std::uint32_t length = 0;
  std::size_t start = 0;  // position of the tag
};

class Parser {
 public:
  Parser(const SharedBytes& input, const ReadOptions& options, std::vector<Diagnostic>* diagnostics,
         std::uint64_t base_offset)
      : input_(input),
        in_(input.span(), base_offset),
        options_(options),
        diagnostics_(diagnostics),
        base_offset_(base_offset) {}

  Result<ParseResult> run(const TransferSyntax& ts) {
    ParseResult result;
    const Encoding encoding{ts.endian(), ts.is_explicit_vr()};
    encapsulated_ = ts.is_encapsulated();
    Status status =
        parse_elements(result.data, encoding, in_.size(), false, 0, true, &result.stopped_early);
    if (!status) {
      if (!options_.ignore_parse_errors) return std::move(status).error();
      result.recovered_error = std::move(status).error();
    }
    result.end_offset = in_.offset();
    return result;
  }

 private:
  std::string position(std::size_t at) const {
    std::string out = "offset " + std::to_string(base_offset_ + at);
    if (!path_.empty()) out += ", " + path_.to_string();
    return out;
  }

  Error error_at(std::size_t at, ErrorCode code, const std::string& message) const {
    return Error(code, message).with_context(position(at));
  }

  // A recoverable deviation: an Error in strict mode, a Diagnostic otherwise.
  Status deviation(std::size_t at, const std::string& message) {
    if (options_.strictness == Strictness::Strict) {
      return error_at(at, ErrorCode::MalformedData, message);
    }
    if (diagnostics_ != nullptr) {
      diagnostics_->push_back(Diagnostic{base_offset_ + at, path_.to_string(), message});
    }
    return {};
  }

  Error truncated(std::size_t at, const std::string& what, std::uint64_t needed) const {
    return error_at(at, ErrorCode::MalformedData,
                    what + " needs " + std::to_string(needed) + " bytes but only " +
                        std::to_string(in_.size() - std::min(in_.size(), at)) +
                        " remain (truncated input)");
  }

  Result<Header> read_header(Encoding enc) {
    Header h;
    h.start = in_.position();
    if (in_.remaining() < 8) return truncated(h.start, "an element header", 8);
    const auto group = *in_.read_u16(enc.endian);
    const auto element = *in_.read_u16(enc.endian);
    h.tag = Tag(group, element);
    if (h.tag == kItemTag || h.tag == kItemDelimitationTag || h.tag == kSequenceDelimitationTag) {
      // Items and delimiters have no VR in either encoding (PS3.5 §7.5). Other tags of group
      // FFFE are not defined; like DCMTK, read them as elements (with a VR in explicit VR), as
      // the writer writes them.
      h.length = *in_.read_u32(enc.endian);
      return h;
    }
    if (!enc.explicit_vr) {
      h.length = *in_.read_u32(enc.endian);
      return h;
    }
    const auto vr_bytes = *in_.read_bytes(2);
    h.raw_vr[0] = static_cast<char>(vr_bytes[0]);
    h.raw_vr[1] = static_cast<char>(vr_bytes[1]);
    h.vr = vr_from_bytes(vr_bytes.first<2>());
    bool long_length = false;
    if (h.vr) {
      long_length = vr_info(*h.vr).long_length;
    } else {
      // Not one of the 34 VRs: read it as UN. As DCMTK does (DcmVR::setVR), two upper-case
      // letters are taken for a VR added to the standard later, which uses the 4-byte length
      // form (PS3.5 §7.1.2); anything else ("??", "  " as in fo-dicom's GH179B.dcm) for a
      // producer error with the 2-byte length form.
      if (options_.nonstandard_vr_as_implicit && enc.endian == Endian::Little) {
        // -vr: take the element as implicit VR little endian (a producer that switched encoding
        // without saying so): 4-byte length after the tag, VR from the dictionary.
        DCMKIT_TRY(in_.seek(h.start + 4));
        if (in_.remaining() < 4) return truncated(h.start, "an element header", 8);
        h.length = *in_.read_u32(Endian::Little);
        h.implicit = true;
        return h;
      }
      const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
      h.nonstandard_vr = true;
      long_length = is_upper(h.raw_vr[0]) && is_upper(h.raw_vr[1]);
      h.nonstandard_long = long_length;
    }
    if (long_length) {
      if (in_.remaining() < 6) return truncated(h.start, "an element header", 12);
      DCMKIT_TRY(in_.skip(2));
      h.length = *in_.read_u32(enc.endian);
    } else {
      h.length = *in_.read_u16(enc.endian);
    }
    return h;
  }

  // Parses elements into `out` until `end` (defined length), or until an Item Delimitation Item
  // (`until_delimiter`). At top level, honours stop_before / stop_after.
  Status parse_elements_in_order(DataSet& out, Encoding enc, std::size_t end, bool until_delimiter,
                                 std::uint32_t depth, bool top_level, bool* stopped) {
    while (true) {
      if (in_.position() >= end) {
        if (until_delimiter) {
          return error_at(in_.position(), ErrorCode::MalformedData,
                          "item with undefined length ends without an Item Delimitation Item "
                          "(truncated input)");
        }
        return {};
      }
      if (top_level && options_.stop_before) {
        // Peek at the tag without consuming it.
        ByteReader peek = in_;
        auto group = peek.read_u16(enc.endian);
        auto element = peek.read_u16(enc.endian);
        if (group && element && Tag(*group, *element) >= *options_.stop_before) {
          *stopped = true;
          return {};
        }
      }
      DCMKIT_ASSIGN_OR_RETURN(const Header h, read_header(enc));
      if (h.tag == kItemDelimitationTag) {
        if (until_delimiter) {
          if (h.length != 0) {
            DCMKIT_TRY(deviation(
                h.start, "Item Delimitation Item has non-zero length " + std::to_string(h.length)));
          }
          return {};
        }
        // A delimiter in a defined-length item or at top level: skip it.
        DCMKIT_TRY(deviation(h.start, "unexpected Item Delimitation Item ignored"));
        continue;
      }
      if (h.tag == kSequenceDelimitationTag) {
        if (until_delimiter && !top_level) {
          // Sequence ended without closing its last item (a known producer error).
          DCMKIT_TRY(deviation(h.start,
                               "Sequence Delimitation Item where an Item Delimitation Item was "
                               "expected; item closed"));
          in_.seek(h.start).value();  // let the sequence see its delimiter
          return {};
        }
        DCMKIT_TRY(deviation(h.start, "unexpected Sequence Delimitation Item ignored"));
        continue;
      }
      if (h.tag == kItemTag) {
        return error_at(h.start, ErrorCode::MalformedData,
                        "item tag (fffe,e000) outside a sequence");
      }
      path_.push(h.tag);
      Status status = read_element(out, h, enc, depth, end);
      path_.pop();
      DCMKIT_TRY(std::move(status));
      if (top_level && options_.stop_after && h.tag >= *options_.stop_after) {
        *stopped = true;
        return {};
      }
    }
  }

  // Adds an element to the data set being parsed. Elements out of tag order are held back and
  // merged once when the data set ends, so hostile orderings cost O(n log n), not O(n^2).
  Status add(DataSet& out, Element element, std::size_t at) {
    if (out.empty() || out.elements().back().tag() < element.tag()) {
      out.append(std::move(element));
      return {};
    }
    if (out.elements().back().tag() == element.tag()) {
      return deviation(
          at, "element " + element.tag().to_string() + " occurs twice; the second is ignored");
    }
    pending_.back().push_back(std::move(element));
    return {};
  }

  Status parse_elements(DataSet& out, Encoding enc, std::size_t end, bool until_delimiter,
                        std::uint32_t depth, bool top_level, bool* stopped) {
    pending_.emplace_back();
    Status status =
        parse_elements_in_order(out, enc, end, until_delimiter, depth, top_level, stopped);
    std::vector<Element> pending = std::move(pending_.back());
    pending_.pop_back();
    if (!pending.empty()) {
      const std::size_t at = in_.position();
      for (const Tag tag : out.append_all(std::move(pending))) {
        Status duplicate =
            deviation(at, "element " + tag.to_string() + " occurs twice; the second is ignored");
        if (status && !duplicate) status = std::move(duplicate);
      }
    }
    return status;
  }

  Status read_element(DataSet& out, const Header& h, Encoding enc, std::uint32_t depth,
                      std::size_t end) {
    VR vr = VR::UN;
    const bool from_implicit = !enc.explicit_vr || h.implicit;
    if (h.implicit) {
      DCMKIT_TRY(deviation(h.start, "non-standard VR '" + std::string(h.raw_vr, 2) +
                                        "': element read as implicit VR little endian"));
    }
    if (h.vr) {
      vr = *h.vr;
      if (!options_.use_explicit_vr && vr != VR::UN) {
        const TagEntry* entry = lookup_tag(h.tag);
        if (entry != nullptr && !entry->allows(vr)) vr = entry->vr();
      }
    } else if (h.nonstandard_vr) {
      DCMKIT_TRY(deviation(h.start, "non-standard VR '" + std::string(h.raw_vr, 2) +
                                        "' read as UN with a " + (h.nonstandard_long ? "4" : "2") +
                                        "-byte length"));
      vr = VR::UN;
    } else {
      vr = detail::implicit_vr(h.tag, out);
    }
    const std::size_t value_start = in_.position();

    if (h.length == kUndefinedLength) {
      return read_undefined_length(out, h, enc, vr, from_implicit, depth);
    }

    std::uint32_t length = h.length;
    if (length % 2 != 0 && options_.assume_even_length && in_.remaining() > length) ++length;
    if (length > in_.remaining() || value_start + length > end) {
      const std::size_t room = end > value_start ? end - value_start : 0;
      return error_at(h.start, ErrorCode::MalformedData,
                      "value length " + std::to_string(length) + " exceeds the " +
                          std::to_string(std::min(in_.remaining(), room)) + " bytes that remain");
    }

    const bool as_sequence =
        vr == VR::SQ ||
        (vr == VR::UN && options_.convert_un_to_known_vr && is_dictionary_sequence(h.tag)) ||
        (options_.convert_illegal_voi_lut && h.tag == Tag{0x0028, 0x3010} && vr == VR::OW);
    if (as_sequence) {
      // A UN value holds implicit VR little endian encoding (PS3.5 §6.2.2 note).
      const Encoding inner = vr == VR::SQ ? enc : Encoding{Endian::Little, false};
      DCMKIT_ASSIGN_OR_RETURN(Element seq, read_items(h.tag, inner, value_start + length, false,
                                                      depth, out.character_set_ptr()));
      seq.set_undefined_length(false);
      seq.set_read_length(length);
      seq.set_vr_from_dictionary(from_implicit);
      return add(out, std::move(seq), h.start);
    }
    if (h.tag == kPixelData && encapsulated_ && depth == 0 &&
        !options_.accept_explicit_length_pixel_data) {
      DCMKIT_TRY(deviation(h.start,
                           "Pixel Data with explicit length in an encapsulated transfer syntax "
                           "read as native"));
    }
    if (vr == VR::UN && options_.convert_un_to_known_vr) {
      const TagEntry* entry = lookup_tag(h.tag);
      if (entry != nullptr) vr = detail::implicit_vr(h.tag, out);
    }
    if (h.length % 2 != 0 && !options_.assume_even_length) {
      DCMKIT_TRY(deviation(h.start, "odd value length " + std::to_string(h.length)));
    }
    const auto bytes = in_.read_bytes(length).value();
    Element element(h.tag, vr, SharedBytes(input_.owner(), bytes), enc.endian);
    element.set_vr_from_dictionary(!h.vr && !h.nonstandard_vr);
    if (h.tag == kSpecificCharacterSet) {
      DCMKIT_TRY(add(out, std::move(element), h.start));
      auto refreshed = out.refresh_character_set();
      if (!refreshed) {
        DCMKIT_TRY(deviation(
            h.start, refreshed.error().message() + "; text is read in the default repertoire"));
      }
      return {};
    }
    return add(out, std::move(element), h.start);
  }

  static bool is_dictionary_sequence(Tag tag) {
    const TagEntry* entry = lookup_tag(tag);
    return entry != nullptr && entry->vr() == VR::SQ;
  }

  Status read_undefined_length(DataSet& out, const Header& h, Encoding enc, VR vr,
                               bool from_implicit, std::uint32_t depth) {
    if (vr == VR::SQ) {
      DCMKIT_ASSIGN_OR_RETURN(
          Element seq, read_items(h.tag, enc, in_.size(), true, depth, out.character_set_ptr()));
      return add(out, std::move(seq), h.start);
    }
    if (h.tag == kPixelData && (vr == VR::OB || vr == VR::OW || vr == VR::UN)) {
      // Encapsulated Pixel Data (PS3.5 §A.4); also accepted in a native syntax, where it is a
      // producer error, because the meaning is unambiguous.
      if (!encapsulated_) {
        DCMKIT_TRY(deviation(h.start,
                             "encapsulated Pixel Data in a transfer syntax that is not "
                             "encapsulated"));
      }
      DCMKIT_ASSIGN_OR_RETURN(Element pixels,
                              read_fragments(h.tag, vr == VR::UN ? VR::OB : vr, enc));
      return add(out, std::move(pixels), h.start);
    }
    if (vr == VR::UN) {
      if (!from_implicit && !options_.undefined_length_un_as_sequence) {
        return error_at(h.start, ErrorCode::Unsupported,
                        "undefined-length UN element (enable CP-246 reading to parse it)");
      }
      // CP-246: undefined-length UN is an implicit VR little endian sequence. In implicit VR,
      // an unknown tag with undefined length can only be a sequence as well.
      DCMKIT_ASSIGN_OR_RETURN(
          Element seq, read_items(h.tag, Encoding{Endian::Little, false}, in_.size(), true, depth,
                                  out.character_set_ptr()));
      seq.set_read_as_un_sequence(!from_implicit);
      return add(out, std::move(seq), h.start);
    }
    if ((vr == VR::OB || vr == VR::OW) && options_.convert_undefined_length_obow) {
      DCMKIT_TRY(deviation(
          h.start, "undefined-length " + std::string(to_string(vr)) + " read as a sequence"));
      DCMKIT_ASSIGN_OR_RETURN(
          Element seq, read_items(h.tag, enc, in_.size(), true, depth, out.character_set_ptr()));
      return add(out, std::move(seq), h.start);
    }
    if (from_implicit && h.tag.is_private() && options_.max_length_private_as_sequence) {
      // +sq: a private element of maximum length in implicit VR is a sequence whatever the
      // private dictionary says.
      DCMKIT_ASSIGN_OR_RETURN(
          Element seq, read_items(h.tag, enc, in_.size(), true, depth, out.character_set_ptr()));
      return add(out, std::move(seq), h.start);
    }
    return error_at(h.start, ErrorCode::MalformedData,
                    "undefined length is not allowed for VR " + std::string(to_string(vr)));
  }

  // Reads the items of a sequence whose value ends at `end` (defined length) or at a Sequence
  // Delimitation Item (`undefined`).
  Result<Element> read_items(Tag tag, Encoding enc, std::size_t end, bool undefined,
                             std::uint32_t depth, std::shared_ptr<const CharacterSet> charset) {
    if (depth >= options_.max_sequence_depth) {
      return error_at(
          in_.position(), ErrorCode::LimitExceeded,
          "sequences nested deeper than " + std::to_string(options_.max_sequence_depth));
    }
    Element seq = Element::sequence(tag, {});
    seq.set_undefined_length(undefined);
    auto& items = seq.items();
    while (true) {
      if (!undefined && in_.position() >= end) break;
      if (undefined && in_.at_end()) {
        return error_at(in_.position(), ErrorCode::MalformedData,
                        "sequence with undefined length ends without a Sequence Delimitation "
                        "Item (truncated input)");
      }
      const std::size_t at = in_.position();
      if (in_.remaining() < 8) return truncated(at, "an item header", 8);
      const std::uint16_t item_group = *in_.read_u16(enc.endian);
      const Tag item_tag(item_group, *in_.read_u16(enc.endian));
      const std::uint32_t length = *in_.read_u32(enc.endian);
      if (item_tag == kSequenceDelimitationTag) {
        if (!undefined) {
          DCMKIT_TRY(deviation(at, "Sequence Delimitation Item in a sequence of defined length"));
        }
        break;
      }
      if (item_tag == kItemDelimitationTag && undefined) {
        if (options_.replace_wrong_delimiters) {
          // +rd: an Item Delimitation Item used to close the sequence.
          DCMKIT_TRY(deviation(at, "Item Delimitation Item closing a sequence replaced"));
          break;
        }
        DCMKIT_TRY(deviation(at, "stray Item Delimitation Item in a sequence ignored"));
        continue;
      }
      if (item_tag != kItemTag) {
        return error_at(
            at, ErrorCode::MalformedData,
            "found " + item_tag.to_string() + " where an item (fffe,e000) was expected");
      }
      DataSet item;
      item.set_inherited_character_set(charset);
      item.set_undefined_length(length == kUndefinedLength);
      if (length != kUndefinedLength) item.set_read_length(length);
      item.set_source_offset(base_offset_ + at);
      path_.back().item = items.size();
      Status status;
      bool ignored_stop = false;
      if (length == kUndefinedLength) {
        status = parse_item(item, enc, in_.size(), true, depth, &ignored_stop);
      } else {
        const std::size_t item_end = in_.position() + length;
        if (length > in_.remaining() || item_end > end) {
          path_.back().item.reset();
          const std::size_t room = end > in_.position() ? end - in_.position() : 0;
          return error_at(at, ErrorCode::MalformedData,
                          "item length " + std::to_string(length) + " exceeds the " +
                              std::to_string(std::min(in_.remaining(), room)) +
                              " bytes that remain");
        }
        status = parse_item(item, enc, item_end, false, depth, &ignored_stop);
        if (status && in_.position() > item_end) {
          // An element of undefined length inside ran past the item's end. Continue after it
          // (the item length is what is wrong), never going back: reading the same bytes twice
          // would duplicate data, and nested overlaps would multiply the work.
          status = deviation(at, "item content runs " + std::to_string(in_.position() - item_end) +
                                     " bytes past the item length " + std::to_string(length));
        }
      }
      if (!status) {
        return std::move(status).error();
      }
      path_.back().item.reset();
      items.push_back(std::move(item));
    }
    if (!undefined && in_.position() != end) {
      return error_at(in_.position(), ErrorCode::MalformedData,
                      "sequence items overrun the sequence length");
    }
    return seq;
  }

  Status parse_item(DataSet& item, Encoding enc, std::size_t end, bool undefined,
                    std::uint32_t depth, bool* stopped) {
    // Items inherit the enclosing character set unless they set their own (PS3.5 §6.1.2.4 note);
    // the caller set the inherited one, and (0008,0005) in the item replaces it when read.
    return parse_elements(item, enc, end, undefined, depth + 1, false, stopped);
  }

  Result<Element> read_fragments(Tag tag, VR vr, Encoding enc) {
    std::vector<SharedBytes> fragments;
    while (true) {
      const std::size_t at = in_.position();
      if (in_.remaining() < 8) {
        return error_at(at, ErrorCode::MalformedData,
                        "encapsulated Pixel Data ends without a Sequence Delimitation Item "
                        "(truncated input)");
      }
      const std::uint16_t item_group = *in_.read_u16(enc.endian);
      const Tag item_tag(item_group, *in_.read_u16(enc.endian));
      const std::uint32_t length = *in_.read_u32(enc.endian);
      if (item_tag == kSequenceDelimitationTag) break;
      if (item_tag != kItemTag) {
        return error_at(at, ErrorCode::MalformedData,
                        "found " + item_tag.to_string() +
                            " where a pixel data fragment item (fffe,e000) was expected");
      }
      if (length == kUndefinedLength || length > in_.remaining()) {
        return error_at(at, ErrorCode::MalformedData,
                        "fragment length " + std::to_string(length) + " exceeds the " +
                            std::to_string(in_.remaining()) + " bytes that remain");
      }
      const auto bytes = in_.read_bytes(length).value();
      fragments.emplace_back(input_.owner(), bytes);
    }
    if (fragments.empty()) {
      DCMKIT_TRY(
          deviation(in_.position(), "encapsulated Pixel Data has no Basic Offset Table item"));
    }
    return Element::encapsulated(tag, vr, std::move(fragments));
  }

  SharedBytes input_;
  ByteReader in_;
  const ReadOptions& options_;
  std::vector<Diagnostic>* diagnostics_;
  std::uint64_t base_offset_;
  TagPath path_;
  bool encapsulated_ = false;
  std::vector<std::vector<Element>> pending_;  // out-of-order elements per data set being parsed
};

}  // namespace

Result<ParseResult> parse_dataset_ex(const SharedBytes& bytes, const TransferSyntax& ts,
                                     const ReadOptions& options,
                                     std::vector<Diagnostic>* diagnostics,
                                     std::uint64_t base_offset) {
  if (ts.is_deflated()) {
    return Error(ErrorCode::InvalidArgument,
                 "parse_dataset() takes inflated bytes; use read_bytes() for deflated input");
  }
  Parser parser(bytes, options, diagnostics, base_offset);
  DCMKIT_ASSIGN_OR_RETURN(ParseResult result, parser.run(ts));
  if (ts.has_big_endian_pixel_data()) {
    if (Element* pixels = result.data.find(kPixelData);
        pixels != nullptr && pixels->kind() == ValueKind::Bytes) {
      pixels->set_bytes(pixels->bytes(), Endian::Big);
    }
  }
  return result;
}

Result<DataSet> parse_dataset(const SharedBytes& bytes, const TransferSyntax& ts,
                              const ReadOptions& options, std::vector<Diagnostic>* diagnostics) {
  DCMKIT_ASSIGN_OR_RETURN(ParseResult result, parse_dataset_ex(bytes, ts, options, diagnostics, 0));
  return std::move(result.data);
}

}  // namespace dcmkit::dcmdata

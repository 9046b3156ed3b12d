// SPDX-License-Identifier: BSD-3-Clause
// Reading dcmdump's text format back (dump2dcm). The forms accepted were established by
// observing DCMTK 3.6.7's dump2dcm; docs/dump2dcm.md lists them.
#include "dcmkit/dcmdata/dump_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

std::string_view uid_from_dcmtk_name(std::string_view name) noexcept {
  if (name.empty()) return {};
  for (const UidEntry& entry : all_uid_entries()) {
    if (dcmtk_uid_name(entry.uid) == name) return entry.uid;
  }
  if (const UidEntry* entry = lookup_uid_keyword(name)) return entry->uid;
  return {};
}

namespace {

constexpr std::string_view kNoValue = "(no value available)";

Error malformed(std::string message) { return Error(ErrorCode::MalformedData, std::move(message)); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t next = text.find('\\', start);
    parts.push_back(trim(text.substr(start, next == std::string_view::npos ? next : next - start)));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return parts;
}

std::optional<std::uint32_t> parse_hex(std::string_view text, std::size_t digits) {
  if (text.empty() || text.size() > digits) return std::nullopt;
  std::uint32_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "(gggg,eeee)".
std::optional<Tag> parse_tag(std::string_view text) {
  if (text.size() != 11 || text[0] != '(' || text[5] != ',' || text[10] != ')') {
    return std::nullopt;
  }
  const auto group = parse_hex(text.substr(1, 4), 4);
  const auto element = parse_hex(text.substr(6, 4), 4);
  if (!group || !element) return std::nullopt;
  return Tag(static_cast<std::uint16_t>(*group), static_cast<std::uint16_t>(*element));
}

SharedBytes padded(std::string_view text, VR vr) {
  std::string bytes(text);
  if (bytes.size() % 2 != 0) bytes += vr_info(vr).padding;
  return SharedBytes::copy_of(bytes);
}

void put(std::vector<std::byte>& out, std::uint64_t value, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xFF));
  }
}

// dcmdump prints FL/FD values with DCMTK's digit generation, whose last digits may be off by a few
// units (format_dcmtk_double()), so the nearest number to the text is not always the value that
// was printed. The value within a few units in the last place that prints as `text` is taken,
// which makes dump -> dump2dcm exact; else the nearest one.
template <class Float>
Float printed_value(Float nearest, std::string_view text, int precision) {
  if (!std::isfinite(nearest) || format_dcmtk_double(nearest, precision) == text) return nearest;
  Float up = nearest;
  Float down = nearest;
  for (int i = 0; i < 64; ++i) {
    up = std::nextafter(up, std::numeric_limits<Float>::infinity());
    down = std::nextafter(down, -std::numeric_limits<Float>::infinity());
    if (format_dcmtk_double(up, precision) == text) return up;
    if (format_dcmtk_double(down, precision) == text) return down;
  }
  return nearest;
}

Status binary_value(VR vr, std::string_view part, std::vector<std::byte>& out) {
  const auto bad = [&]() {
    return malformed("\"" + std::string(part.substr(0, 40)) + "\" is not a valid " +
                     std::string(to_string(vr)) + " value");
  };
  const char* first = part.data();
  const char* last = part.data() + part.size();
  switch (vr) {
    case VR::AT: {
      const auto tag = parse_tag(part);
      if (!tag) return bad();
      put(out, tag->group(), 2);
      put(out, tag->element(), 2);
      return {};
    }
    case VR::FL:
    case VR::OF:
    case VR::FD:
    case VR::OD: {
      double value = 0;
      if (part == "nan" || part == "-nan") {
        value = std::numeric_limits<double>::quiet_NaN();
      } else if (part == "inf") {
        value = std::numeric_limits<double>::infinity();
      } else if (part == "-inf") {
        value = -std::numeric_limits<double>::infinity();
      } else if (vr == VR::FL || vr == VR::OF) {
        float f = 0;
        const auto result = std::from_chars(first, last, f);
        if (result.ec != std::errc() || result.ptr != last) return bad();
        put(out, std::bit_cast<std::uint32_t>(printed_value(f, part, 9)), 4);
        return {};
      } else {
        const auto result = std::from_chars(first, last, value);
        if (result.ec != std::errc() || result.ptr != last) return bad();
        value = printed_value(value, part, 17);
      }
      if (vr == VR::FL || vr == VR::OF) {
        put(out, std::bit_cast<std::uint32_t>(static_cast<float>(value)), 4);
      } else {
        put(out, std::bit_cast<std::uint64_t>(value), 8);
      }
      return {};
    }
    case VR::SS:
    case VR::SL:
    case VR::SV: {
      std::int64_t value = 0;
      const auto result = std::from_chars(first, last, value);
      if (result.ec != std::errc() || result.ptr != last) return bad();
      const std::size_t size = vr_info(vr).value_size;
      if (size < 8) {
        const std::int64_t limit = std::int64_t{1} << (8 * size - 1);
        if (value < -limit || value >= limit) return bad();
      }
      put(out, static_cast<std::uint64_t>(value), size);
      return {};
    }
    default: {
      // US UL UV, and OL OV (printed as numbers).
      std::uint64_t value = 0;
      const auto result = std::from_chars(first, last, value);
      if (result.ec != std::errc() || result.ptr != last) return bad();
      const std::size_t size = vr_info(vr).value_size;
      if (size < 8 && value >= (std::uint64_t{1} << (8 * size))) return bad();
      put(out, value, size);
      return {};
    }
  }
}

// Numbers (and tags for AT) separated by '\\', as dcmdump prints them.
Result<std::vector<std::byte>> binary_values(VR vr, std::string_view text) {
  std::vector<std::byte> out;
  for (const std::string_view part : split(text)) {
    DCMKIT_TRY(binary_value(vr, part, out));
  }
  return out;
}

// Hex bytes (OB, UN) or words (OW), or numbers (OL OV OF OD), separated by '\\'.
Result<SharedBytes> bulk_text(VR vr, std::string_view value) {
  std::vector<std::byte> out;
  if (vr == VR::OL || vr == VR::OV || vr == VR::OF || vr == VR::OD) {
    const VR element_vr = vr == VR::OL   ? VR::UL
                          : vr == VR::OV ? VR::UV
                          : vr == VR::OF ? VR::FL
                                         : VR::FD;
    for (const std::string_view part : split(value))
      DCMKIT_TRY(binary_value(element_vr, part, out));
    return SharedBytes::from_vector(std::move(out));
  }
  const std::size_t digits = vr == VR::OW ? 4 : 2;
  for (const std::string_view part : split(value)) {
    const auto number = parse_hex(part, digits);
    if (!number) {
      return Error(ErrorCode::MalformedData, "\"" + std::string(part.substr(0, 20)) +
                                                 "\" is not a " +
                                                 (digits == 4 ? "hex word" : "hex byte") + " (" +
                                                 std::string(to_string(vr)) + ")");
    }
    put(out, *number, digits / 2);
  }
  return SharedBytes::from_vector(std::move(out));
}

// A container being filled: a sequence (its items) or encapsulated pixel data (its fragments).
struct Open {
  Tag tag;
  VR vr = VR::SQ;
  bool pixels = false;
  bool undefined = false;
  std::vector<DataSet> items;
  bool item_open = false;
  std::vector<SharedBytes> fragments;
  std::size_t line = 0;
};

class DumpParser {
 public:
  explicit DumpParser(const DumpParseOptions& options) : options_(options) {}

  Result<DumpDocument> parse(std::string_view text) {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      ++line_;
      const std::size_t first_line = line_;
      // A text value with line breaks (dcmdump prints them as they are) continues on the next
      // lines up to the one with its ']'; a line that starts an element ends the search.
      std::string_view line = text.substr(start, end - start);
      while (opens_bracket(line) && end < text.size()) {
        std::size_t next_end = text.find('\n', end + 1);
        if (next_end == std::string_view::npos) next_end = text.size();
        const std::string_view next = text.substr(end + 1, next_end - end - 1);
        if (starts_element(next) || next_end - start > options_.max_line_length) break;
        end = next_end;
        ++line_;
        line = text.substr(start, end - start);
        if (next.find(']') != std::string_view::npos) break;
      }
      start = end + 1;
      const std::size_t last_line = line_;
      line_ = first_line;
      Status status = this->line(line);
      line_ = last_line;
      if (!status) {
        Error error(status.error().code(),
                    "line " + std::to_string(first_line) + ": " + status.error().message());
        if (!options_.ignore_errors || status.error().code() == ErrorCode::LimitExceeded) {
          return error;
        }
        doc_.errors.push_back(std::move(error));
      }
    }
    while (!stack_.empty()) {
      const Open& open = stack_.back();
      Error error(ErrorCode::MalformedData, "line " + std::to_string(open.line) + ": " +
                                                open.tag.to_string() +
                                                (open.pixels ? " pixel sequence" : " sequence") +
                                                " is not closed by a (fffe,e0dd) line");
      if (!options_.ignore_errors) return error;
      doc_.errors.push_back(std::move(error));
      close_sequence();
    }
    return std::move(doc_);
  }

 private:
  // The line's value starts with '[' and the line has no ']' after it.
  static bool opens_bracket(std::string_view line) {
    const std::size_t open = line.find('[');
    if (open == std::string_view::npos || line.find(']', open) != std::string_view::npos) {
      return false;
    }
    // A value dcmdump shortened ends with "..." and has no ']' either.
    if (trim(line.substr(0, line.find('#', open))).ends_with("...")) return false;
    // Only a '[' right after "(gggg,eeee) VR " opens a value.
    const std::string_view head = trim(line.substr(0, open));
    return head.size() >= 14 && parse_tag(head.substr(0, 11)).has_value();
  }

  // "(gggg,eeee) XX": the start of an element line.
  static bool starts_element(std::string_view line) {
    const std::string_view text = trim(line);
    return text.size() >= 14 && parse_tag(text.substr(0, 11)).has_value() && text[11] == ' ';
  }

  DataSet& current() {
    if (stack_.empty()) return doc_.data;
    return stack_.back().items.back();
  }

  Status line(std::string_view raw) {
    if (raw.size() > options_.max_line_length) {
      return Error(ErrorCode::LimitExceeded, "line longer than " +
                                                 std::to_string(options_.max_line_length) +
                                                 " characters (see dump2dcm +l)");
    }
    std::string_view rest = trim(raw);
    if (rest.empty() || rest.front() == '#') return {};
    const std::optional<Tag> tag = parse_tag(rest.substr(0, 11));
    if (!tag) return malformed("no tag \"(gggg,eeee)\" at the start of the line");
    rest = trim(rest.substr(11));
    // The VR: two characters (letters, or DCMTK's "??").
    std::string_view vr_name = rest.substr(0, 2);
    if (vr_name.size() < 2 || (rest.size() > 2 && rest[2] != ' ' && rest[2] != '\t')) {
      return malformed("no VR after the tag");
    }
    rest = trim(rest.substr(2));
    // The value ends at the comment ("# length, VM name"); a bracketed value runs to the last
    // ']' of the line, so that text values may contain '#'.
    std::string_view value;
    bool bracketed = false;
    if (!rest.empty() && rest.front() == '[') {
      const std::size_t close = rest.rfind(']');
      if (close == std::string_view::npos || close == 0) {
        if (trim(rest.substr(0, rest.find('#'))).ends_with("...")) {
          return malformed("the value was shortened by dcmdump (dump with +L to print it whole)");
        }
        return malformed("value \"[\" without \"]\"");
      }
      value = rest.substr(1, close - 1);
      // Trailing spaces are padding, which dcmdump does not show either (as DCMTK's dump2dcm).
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      bracketed = true;
    } else {
      const std::size_t hash = rest.find('#');
      value = trim(rest.substr(0, hash));
    }

    if (*tag == kItemTag) return item(vr_name, value);
    if (*tag == kItemDelimitationTag) return end_item();
    if (*tag == kSequenceDelimitationTag) return end_sequence();

    if (!bracketed && (value.starts_with("(Sequence with") || vr_name == "SQ")) {
      if (!value.empty() && !value.starts_with("(")) {
        return malformed("a sequence's value must be \"(Sequence with ...)\"");
      }
      auto vr = vr_from_string(vr_name);
      return open(*tag, vr.value_or(VR::SQ), false,
                  value.find("undefined length") != std::string_view::npos);
    }
    if (!bracketed && value.starts_with("(PixelSequence")) {
      auto vr = vr_from_string(vr_name);
      return open(*tag, vr.value_or(VR::OB), true, true);
    }
    if (!stack_.empty() && (stack_.back().pixels || !stack_.back().item_open)) {
      return malformed(tag->to_string() + " is inside a sequence but not inside an item");
    }
    DCMKIT_ASSIGN_OR_RETURN(const VR vr, resolve_vr(*tag, vr_name, value));
    DCMKIT_ASSIGN_OR_RETURN(Element element, make_element(*tag, vr, value, bracketed));
    if (stack_.empty() && tag->is_meta()) {
      doc_.meta.insert(std::move(element));
    } else {
      current().insert(std::move(element));
    }
    return {};
  }

  Status open(Tag tag, VR vr, bool pixels, bool undefined) {
    if (!stack_.empty() && !stack_.back().item_open) {
      return malformed(tag.to_string() + " is inside a sequence but not inside an item");
    }
    if (stack_.size() >= options_.max_sequence_depth) {
      return Error(ErrorCode::LimitExceeded,
                   "sequences nested deeper than " + std::to_string(options_.max_sequence_depth));
    }
    Open entry;
    entry.tag = tag;
    entry.vr = vr;
    entry.pixels = pixels;
    entry.undefined = undefined;
    entry.line = line_;
    stack_.push_back(std::move(entry));
    return {};
  }

  Status item(std::string_view vr_name, std::string_view value) {
    if (stack_.empty()) return malformed("an item (fffe,e000) outside a sequence");
    Open& top = stack_.back();
    if (top.pixels) {
      // A fragment: hex bytes, "=file" (dcmdump +W), or no value.
      if (value.empty() || value == kNoValue) {
        top.fragments.emplace_back();
        return {};
      }
      DCMKIT_ASSIGN_OR_RETURN(SharedBytes bytes, bulk_value(VR::OB, value));
      top.fragments.push_back(std::move(bytes));
      return {};
    }
    if (vr_name != "na") return malformed("an item in a sequence must have VR \"na\"");
    // Without a (fffe,e00d) line the previous item ends here.
    top.items.emplace_back();
    top.items.back().set_undefined_length(value.find("undefined length") != std::string_view::npos);
    top.item_open = true;
    return {};
  }

  Status end_item() {
    if (stack_.empty() || stack_.back().pixels || !stack_.back().item_open) {
      return malformed("an item delimitation (fffe,e00d) outside an item");
    }
    stack_.back().item_open = false;
    return {};
  }

  Status end_sequence() {
    if (stack_.empty()) return malformed("a sequence delimitation (fffe,e0dd) outside a sequence");
    close_sequence();
    return {};
  }

  void close_sequence() {
    Open top = std::move(stack_.back());
    stack_.pop_back();
    Element element = top.pixels ? Element::encapsulated(top.tag, top.vr, std::move(top.fragments))
                                 : Element::sequence(top.tag, std::move(top.items));
    if (!top.pixels) {
      element.set_undefined_length(top.undefined);
      if (top.vr == VR::UN) element.set_read_as_un_sequence(true);
    }
    if (stack_.empty() && top.tag.is_meta()) {
      doc_.meta.insert(std::move(element));
    } else {
      current().insert(std::move(element));
    }
  }

  // DCMTK's pseudo VRs are resolved with the dictionary.
  Result<VR> resolve_vr(Tag tag, std::string_view name, std::string_view value) const {
    if (auto vr = vr_from_string(name)) return *vr;
    const TagEntry* entry = lookup_tag(tag);
    if (name == "xs") {
      if (entry != nullptr && entry->allows(VR::SS) && value.find('-') != std::string_view::npos) {
        return VR::SS;
      }
      return VR::US;
    }
    if (name == "ox" || name == "px" || name == "lt") {
      return entry != nullptr && entry->allows(VR::OB) && name == "ox" ? entry->vr() : VR::OW;
    }
    if (name == "up") return VR::UL;
    if (name == "??") {
      if (tag.is_private_creator()) return VR::LO;
      if (entry != nullptr && entry->vr_count > 0 && !tag.is_private()) return entry->vr();
      return VR::UN;
    }
    return malformed("unknown VR \"" + std::string(name) + "\"");
  }

  Result<Element> make_element(Tag tag, VR vr, std::string_view value, bool bracketed) {
    if (!bracketed && (value.empty() || value == kNoValue)) return Element(tag, vr);
    if (!bracketed && value == "(not loaded)") {
      return malformed("the value was not loaded when the dump was written (dcmdump -M)");
    }
    const VrInfo& info = vr_info(vr);
    if (!bracketed && value.size() >= 3 && value.ends_with("...")) {
      return malformed("the value was shortened by dcmdump (dump with +L to print it whole)");
    }
    switch (info.kind) {
      case VrKind::Text: {
        if (!bracketed && vr == VR::UI && value.starts_with('=')) {
          const std::string_view uid = uid_from_dcmtk_name(value.substr(1));
          if (uid.empty()) {
            return malformed("unknown UID name \"" + std::string(value.substr(1, 80)) + "\"");
          }
          return Element(tag, vr, padded(uid, vr));
        }
        return Element(tag, vr, padded(value, vr));
      }
      case VrKind::Binary: {
        std::string_view numbers = value;
        DCMKIT_ASSIGN_OR_RETURN(std::vector<std::byte> bytes, binary_values(vr, numbers));
        return Element(tag, vr, SharedBytes::from_vector(std::move(bytes)));
      }
      case VrKind::Bulk: {
        DCMKIT_ASSIGN_OR_RETURN(SharedBytes bytes, bulk_value(vr, value));
        return Element(tag, vr, std::move(bytes));
      }
      case VrKind::Sequence:
        break;
    }
    return malformed("a sequence's value must be \"(Sequence with ...)\"");
  }

  // OB UN: hex bytes; OW: hex words; OL OV OF OD: numbers; or "=file".
  Result<SharedBytes> bulk_value(VR vr, std::string_view value) const {
    if (value.starts_with('=')) {
      if (!options_.file_loader) {
        return malformed("the value is in a file (\"" + std::string(value.substr(0, 200)) +
                         "\"), and no files may be read");
      }
      auto bytes = options_.file_loader(value.substr(1));
      if (!bytes) return std::move(bytes).error();
      if (vr == VR::OW && options_.big_endian_files && bytes->size() % 2 == 0 && !bytes->empty()) {
        std::vector<std::byte> swapped(bytes->size());
        std::memcpy(swapped.data(), bytes->data(), bytes->size());
        ofstd::swap_words(swapped, 2);
        return SharedBytes::from_vector(std::move(swapped));
      }
      return std::move(*bytes);
    }
    return bulk_text(vr, value);
  }

  const DumpParseOptions& options_;
  DumpDocument doc_;
  std::vector<Open> stack_;
  std::size_t line_ = 0;
};

}  // namespace

Result<SharedBytes> value_from_text(VR vr, std::string_view text) {
  switch (vr_info(vr).kind) {
    case VrKind::Text:
      return padded(text, vr);
    case VrKind::Binary: {
      if (trim(text).empty()) return SharedBytes{};
      DCMKIT_ASSIGN_OR_RETURN(std::vector<std::byte> bytes, binary_values(vr, text));
      return SharedBytes::from_vector(std::move(bytes));
    }
    case VrKind::Bulk:
      if (trim(text).empty()) return SharedBytes{};
      return bulk_text(vr, text);
    case VrKind::Sequence:
      break;
  }
  return Error(ErrorCode::InvalidArgument, "a sequence has no text value");
}

Result<DumpDocument> parse_dump(std::string_view text, const DumpParseOptions& options) {
  DumpParser parser(options);
  return parser.parse(text);
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// The DICOM JSON Model (PS3.18 Annex F). The reader is a bounded recursive-descent parser over
// the text that builds the data set directly (no document tree), so memory follows the size of
// the values, not the number of JSON tokens; every recursion carries a depth counter.
#include "dcmkit/dcmdata/json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <system_error>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/byte_order.h"
#include "item_stream.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};
constexpr Tag kPixelData{0x7FE0, 0x0010};
// 2^53: integers up to this magnitude are exact in an IEEE double, and so in any JSON reader.
constexpr std::uint64_t kMaxExactInteger = std::uint64_t{1} << 53;

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_text(VR vr) { return vr_info(vr).kind == VrKind::Text; }

// True if `text` is exactly a JSON number token (RFC 8259 §6).
bool is_json_number(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  const auto digit = [&](std::size_t k) { return k < n && text[k] >= '0' && text[k] <= '9'; };
  if (i < n && text[i] == '-') ++i;
  if (!digit(i)) return false;
  if (text[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && text[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

std::string tag_key(Tag tag) {
  char buffer[12];
  std::snprintf(buffer, sizeof buffer, "%08X", static_cast<unsigned>(tag.to_u32()));
  return buffer;
}

// --- Writing ------------------------------------------------------------------------------

// Appends JSON tokens with DCMTK's layout (two-space indentation, one array value per line,
// "key": value) or none at all; tracks commas and nesting.
class JsonOut {
 public:
  JsonOut(std::string& out, bool pretty) : out_(out), pretty_(pretty) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;
    out_ += pretty_ ? "\": " : "\":";
    after_key_ = true;
  }
  /// A token written as it is (number, null, literal).
  void raw(std::string_view token) {
    before_value();
    out_ += token;
  }
  void string(std::string_view text) {
    before_value();
    append_string(text);
  }
  /// Appends a string value directly: for large base64 values built in place.
  std::string& string_target() {
    before_value();
    return out_;
  }

  void append_string(std::string_view text) {
    out_ += '"';
    for (const char c : text) {
      const auto b = static_cast<unsigned char>(c);
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          if (b < 0x20 || b == 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", b);
            out_ += buffer;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

 private:
  void open(char c) {
    before_value();
    out_ += c;
    has_items_.push_back(false);
  }
  void close(char c) {
    const bool had_items = has_items_.back();
    has_items_.pop_back();
    if (had_items) newline();
    out_ += c;
  }
  void newline() {
    if (!pretty_) return;
    out_ += '\n';
    out_.append(2 * has_items_.size(), ' ');
  }
  // Before a key or an array value: comma after a previous item, then a new line.
  void separate() {
    if (has_items_.empty()) return;
    if (has_items_.back()) out_ += ',';
    has_items_.back() = true;
    newline();
  }
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    separate();
  }

  std::string& out_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<bool> has_items_;
};

void append_base64(std::string& out, std::span<const std::byte> bytes) {
  out.reserve(out.size() + (bytes.size() + 2) / 3 * 4 + 2);
  std::size_t i = 0;
  const auto at = [&](std::size_t k) { return std::to_integer<std::uint32_t>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = at(i) << 16;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += '=';
  }
}

template <class Float>
std::string format_float(Float value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

class Writer {
 public:
  Writer(std::string& out, const JsonWriteOptions& options, JsonNotes* notes)
      : json_(out, options.pretty), options_(options), notes_(notes) {}

  Status object(const DataSet& data, const DataSet* meta) {
    charset_ = &data.character_set();
    json_.begin_object();
    if (meta != nullptr) {
      for (const Element& e : *meta) {
        if (e.tag().is_group_length()) continue;
        DCMKIT_TRY(element(e));
      }
    }
    for (const Element& e : data) {
      if (e.tag().is_group_length()) continue;
      if (meta != nullptr && e.tag().is_meta()) continue;
      DCMKIT_TRY(element(e));
    }
    json_.end_object();
    return {};
  }

 private:
  Error error(std::string message) const {
    return Error(ErrorCode::InvalidArgument, path_.to_string() + ": " + std::move(message));
  }

  Status element(const Element& e) {
    path_.push(e.tag());
    json_.key(tag_key(e.tag()));
    json_.begin_object();
    Status status = value(e);
    if (!status) return status;
    json_.end_object();
    path_.pop();
    return {};
  }

  Status value(const Element& e) {
    if (e.is_sequence()) {
      json_.key("vr");
      json_.string("SQ");
      if (e.items().empty()) return {};
      json_.key("Value");
      json_.begin_array();
      std::size_t index = 0;
      for (const DataSet& item : e.items()) {
        path_.back().item = index++;
        // An item's own (0008,0005), else the enclosing data set's character set (also for
        // items built in memory, which inherit nothing).
        const CharacterSet* outer = charset_;
        if (item.contains(kSpecificCharacterSet)) charset_ = &item.character_set();
        json_.begin_object();
        for (const Element& child : item) {
          if (child.tag().is_group_length()) continue;
          DCMKIT_TRY(element(child));
        }
        json_.end_object();
        charset_ = outer;
      }
      path_.back().item.reset();
      json_.end_array();
      return {};
    }
    const VR vr = e.vr();
    json_.key("vr");
    json_.string(to_string(vr));
    if (e.is_encapsulated()) {
      const std::vector<std::byte> stream = detail::encapsulated_item_stream(e);
      return binary(e, stream);
    }
    if (e.bytes().empty()) return {};
    const VrInfo& info = vr_info(vr);
    switch (info.kind) {
      case VrKind::Text:
        return text(e);
      case VrKind::Binary:
        return numbers(e);
      case VrKind::Bulk: {
        const SharedBytes bytes = e.little_endian_bytes();
        return binary(e, bytes.span());
      }
      case VrKind::Sequence:
        return {};  // an SQ element with bytes: not possible through the Element API
    }
    return {};
  }

  Status binary(const Element& e, std::span<const std::byte> bytes) {
    if (options_.bulk_data_uri && bytes.size() >= options_.bulk_data_threshold) {
      auto uri = options_.bulk_data_uri(path_, e);
      if (!uri) return std::move(uri).error().with_context(path_.to_string());
      json_.key("BulkDataURI");
      json_.string(*uri);
      return {};
    }
    json_.key("InlineBinary");
    std::string& out = json_.string_target();
    out += '"';
    append_base64(out, bytes);
    out += '"';
    return {};
  }

  // Text values: the bytes less one trailing padding character, decoded with the character set,
  // split into values (PS3.18 §F.2.3).
  Status text(const Element& e) {
    const VR vr = e.vr();
    std::string_view raw = e.bytes().chars();
    if (raw.size() % 2 == 0 && !raw.empty() && (raw.back() == ' ' || raw.back() == '\0')) {
      raw.remove_suffix(1);
    }
    if (raw.empty()) return {};
    std::string decoded;
    const bool ascii = std::all_of(raw.begin(), raw.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x80 && c != '\x1b';
    });
    if (ascii) {
      decoded.assign(raw);
    } else {
      bool replaced = false;
      auto text = charset_->decode(
          std::span<const std::byte>(reinterpret_cast<const std::byte*>(raw.data()),  // NOLINT
                                     raw.size()),
          vr, &replaced);
      if (!text) return std::move(text).error().with_context(path_.to_string());
      decoded = std::move(*text);
      if (replaced && notes_ != nullptr) {
        notes_->push_back(path_.to_string() +
                          ": value is not valid in its character set; written with U+FFFD");
      }
    }
    std::vector<std::string_view> values;
    if (vr_info(vr).multi_valued_text) {
      std::size_t start = 0;
      while (true) {
        const std::size_t next = decoded.find('\\', start);
        values.push_back(std::string_view(decoded).substr(
            start, next == std::string::npos ? std::string::npos : next - start));
        if (next == std::string::npos) break;
        start = next + 1;
      }
    } else {
      values.push_back(decoded);
    }
    json_.key("Value");
    json_.begin_array();
    for (const std::string_view v : values) {
      if (v.empty()) {
        json_.raw("null");
      } else if (vr == VR::PN) {
        person_name(v);
      } else if ((vr == VR::DS || vr == VR::IS) && is_json_number(v)) {
        json_.raw(v);
      } else {
        json_.string(v);
      }
    }
    json_.end_array();
    return {};
  }

  void person_name(std::string_view value) {
    static constexpr std::string_view kGroups[] = {"Alphabetic", "Ideographic", "Phonetic"};
    std::array<std::string_view, 3> groups{};
    std::size_t count = 0;
    std::size_t start = 0;
    while (count < 3) {
      const std::size_t next = count < 2 ? value.find('=', start) : std::string_view::npos;
      groups[count++] = value.substr(start, next == std::string_view::npos ? next : next - start);
      if (next == std::string_view::npos) break;
      start = next + 1;
    }
    json_.begin_object();
    for (std::size_t i = 0; i < count; ++i) {
      // Leading empty groups are written as "" so that the '=' separators come back; DCMTK
      // leaves them out, which loses them.
      json_.key(kGroups[i]);
      json_.string(groups[i]);
    }
    json_.end_object();
  }

  Status numbers(const Element& e) {
    const VR vr = e.vr();
    const std::size_t size = vr_info(vr).value_size;
    const auto bytes = e.bytes().span();
    if (size == 0 || bytes.size() % size != 0) {
      return error("value length " + std::to_string(bytes.size()) + " is not a multiple of " +
                   std::to_string(size));
    }
    const std::size_t count = bytes.size() / size;
    const auto order = e.byte_order();
    json_.key("Value");
    json_.begin_array();
    for (std::size_t i = 0; i < count; ++i) {
      const std::byte* p = bytes.data() + i * size;
      switch (vr) {
        case VR::US:
          json_.raw(std::to_string(ofstd::load_u16(p, order)));
          break;
        case VR::SS:
          json_.raw(std::to_string(static_cast<std::int16_t>(ofstd::load_u16(p, order))));
          break;
        case VR::UL:
          json_.raw(std::to_string(ofstd::load_u32(p, order)));
          break;
        case VR::SL:
          json_.raw(std::to_string(static_cast<std::int32_t>(ofstd::load_u32(p, order))));
          break;
        case VR::UV: {
          const std::uint64_t v = ofstd::load_u64(p, order);
          if (v <= kMaxExactInteger) {
            json_.raw(std::to_string(v));
          } else {
            json_.string(std::to_string(v));
          }
          break;
        }
        case VR::SV: {
          const auto v = static_cast<std::int64_t>(ofstd::load_u64(p, order));
          const std::uint64_t magnitude =
              v < 0 ? ~static_cast<std::uint64_t>(v) + 1 : static_cast<std::uint64_t>(v);
          if (magnitude <= kMaxExactInteger) {
            json_.raw(std::to_string(v));
          } else {
            json_.string(std::to_string(v));
          }
          break;
        }
        case VR::FL:
          DCMKIT_TRY(floating(std::bit_cast<float>(ofstd::load_u32(p, order))));
          break;
        case VR::FD:
          DCMKIT_TRY(floating(std::bit_cast<double>(ofstd::load_u64(p, order))));
          break;
        case VR::AT: {
          const Tag t(ofstd::load_u16(p, order), ofstd::load_u16(p + 2, order));
          json_.string(tag_key(t));
          break;
        }
        default:
          break;
      }
    }
    json_.end_array();
    return {};
  }

  template <class Float>
  Status floating(Float value) {
    if (std::isfinite(value)) {
      json_.raw(format_float(value));
      return {};
    }
    if (!options_.allow_non_finite) {
      return error("value " + std::string(std::isnan(value) ? "nan" : "inf") +
                   " cannot be written as a JSON number");
    }
    json_.raw(std::isnan(value) ? "nan" : value < 0 ? "-inf" : "inf");
    return {};
  }

  JsonOut json_;
  const JsonWriteOptions& options_;
  JsonNotes* notes_;
  TagPath path_;
  const CharacterSet* charset_ = nullptr;  // the character set of the data set being written
};

// --- Reading ------------------------------------------------------------------------------

// A member of an attribute object whose value is parsed once the VR is known.
struct Pending {
  std::size_t offset = 0;
  enum class Kind : std::uint8_t { None, Value, InlineBinary, BulkDataURI } kind = Kind::None;
};

class Parser {
 public:
  Parser(std::string_view text, const JsonReadOptions& options) : text_(text), options_(options) {}

  Result<JsonDocument> document() {
    // A UTF-8 byte order mark is tolerated (RFC 8259 §8.1 allows ignoring it).
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    skip_space();
    JsonDocument doc;
    if (peek() == '[') {
      ++pos_;
      skip_space();
      if (peek() == ']') return error("the array holds no data set");
      DCMKIT_ASSIGN_OR_RETURN(doc.data, data_set(0));
      skip_space();
      if (peek() == ',') return error("the array holds more than one data set; expected one");
      DCMKIT_TRY(expect(']'));
    } else if (peek() == '{') {
      DCMKIT_ASSIGN_OR_RETURN(doc.data, data_set(0));
    } else {
      return error("expected a JSON object (a data set)");
    }
    skip_space();
    if (pos_ != text_.size()) return error("unexpected text after the data set");
    // Group 0002 (dcm2json +m) is the meta information.
    for (const Element& e : doc.data) {
      if (e.tag().is_meta()) doc.meta.insert(e);
    }
    doc.data.erase_if([](const Element& e) { return e.tag().is_meta(); });
    DCMKIT_TRY(encode_text(doc.data, nullptr));
    DCMKIT_TRY(encode_text(doc.meta, nullptr));
    return doc;
  }

 private:
  // --- Positions and errors ---

  Error error_at(std::size_t offset, std::string message,
                 ErrorCode code = ErrorCode::MalformedData) const {
    std::size_t line = 1;
    std::size_t column = 1;
    const std::size_t end = std::min(offset, text_.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column);
    if (!path_.empty()) where += ", " + path_.to_string();
    return Error(code, where + ": " + std::move(message));
  }
  Error error(std::string message, ErrorCode code = ErrorCode::MalformedData) const {
    return error_at(pos_, std::move(message), code);
  }

  // --- Lexical level ---

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }

  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  Status expect(char c) {
    skip_space();
    if (at_end()) return error(std::string("unexpected end of input; expected '") + c + "'");
    if (text_[pos_] != c) {
      return error(std::string("expected '") + c + "', found " + describe_here());
    }
    ++pos_;
    return {};
  }

  std::string describe_here() const {
    if (at_end()) return "the end of input";
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7F) return std::string("'") + text_[pos_] + "'";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "byte 0x%02X", c);
    return buffer;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Result<std::uint32_t> hex4() {
    if (text_.size() - pos_ < 4) return error("incomplete \\u escape");
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_];
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return error("invalid hex digit in \\u escape");
      }
      value = value * 16 + digit;
      ++pos_;
    }
    return value;
  }

  // Length of the valid UTF-8 sequence at pos_ (1..4), or 0 if invalid (RFC 3629).
  std::size_t utf8_length() const {
    const auto at = [&](std::size_t k) {
      return pos_ + k < text_.size() ? static_cast<unsigned char>(text_[pos_ + k]) : 0u;
    };
    const unsigned b0 = at(0);
    const auto cont = [&](std::size_t k) { return (at(k) & 0xC0u) == 0x80u; };
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      if (b0 == 0xE0 && at(1) < 0xA0) return 0;   // overlong
      if (b0 == 0xED && at(1) >= 0xA0) return 0;  // surrogates
      return 3;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (b0 == 0xF0 && at(1) < 0x90) return 0;
      if (b0 == 0xF4 && at(1) >= 0x90) return 0;
      return 4;
    }
    return 0;
  }

  // A string token at pos_ (after optional white space), unescaped, valid UTF-8.
  Result<std::string> string_token() {
    skip_space();
    if (peek() != '"') return error("expected a string, found " + describe_here());
    const std::size_t start = pos_;
    ++pos_;
    std::string out;
    while (true) {
      // Copy the run of plain characters at once.
      const std::size_t run = pos_;
      while (pos_ < text_.size()) {
        const auto c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      out.append(text_.substr(run, pos_ - run));
      if (at_end()) return error_at(start, "unterminated string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) return error("control character in string (must be escaped)");
      if (c >= 0x80) {
        const std::size_t n = utf8_length();
        if (n == 0) return error("invalid UTF-8 in string");
        out.append(text_.substr(pos_, n));
        pos_ += n;
        continue;
      }
      // An escape.
      ++pos_;
      if (at_end()) return error_at(start, "unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          DCMKIT_ASSIGN_OR_RETURN(std::uint32_t cp, hex4());
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") return error("unpaired surrogate in \\u escape");
            pos_ += 2;
            DCMKIT_ASSIGN_OR_RETURN(const std::uint32_t low, hex4());
            if (low < 0xDC00 || low > 0xDFFF) return error("unpaired surrogate in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return error("unpaired surrogate in \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          pos_ -= 1;
          return error("invalid escape in string");
      }
    }
  }

  // A number token at pos_ (strict JSON grammar), or with allow_non_finite one of the bare
  // non-finite tokens. Returns the token text.
  Result<std::string_view> number_token() {
    skip_space();
    const std::size_t start = pos_;
    if (options_.allow_non_finite) {
      for (const std::string_view word : {"-Infinity", "Infinity", "NaN", "-inf", "inf", "nan"}) {
        if (text_.substr(pos_, word.size()) == word) {
          pos_ += word.size();
          return text_.substr(start, word.size());
        }
      }
    }
    std::size_t end = pos_;
    while (end < text_.size()) {
      const char c = text_[end];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
        ++end;
      } else {
        break;
      }
    }
    const std::string_view token = text_.substr(start, end - start);
    if (token.empty()) return error("expected a value, found " + describe_here());
    if (!is_json_number(token)) return error("malformed number \"" + std::string(token) + "\"");
    pos_ = end;
    return token;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // Skips any JSON value (checking its syntax), bounded by `depth`.
  Status skip_value(std::uint32_t depth) {
    if (depth > max_json_depth()) return error("nesting too deep", ErrorCode::LimitExceeded);
    skip_space();
    const char c = peek();
    if (c == '"') return string_token().and_then([](const std::string&) -> Status { return {}; });
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      skip_space();
      if (peek() == close) {
        ++pos_;
        return {};
      }
      while (true) {
        if (c == '{') {
          DCMKIT_TRY(string_token().and_then([](const std::string&) -> Status { return {}; }));
          DCMKIT_TRY(expect(':'));
        }
        DCMKIT_TRY(skip_value(depth + 1));
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        return expect(close);
      }
    }
    if (literal("null") || literal("true") || literal("false")) return {};
    return number_token().and_then([](std::string_view) -> Status { return {}; });
  }

  std::uint32_t max_json_depth() const { return 3 * options_.max_sequence_depth + 16; }

  // --- Data sets ---

  // A data set object at pos_; `depth` is the sequence nesting (0 at the top).
  Result<DataSet> data_set(std::uint32_t depth) {
    DCMKIT_TRY(expect('{'));
    DataSet ds;
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return ds;
    }
    while (true) {
      skip_space();
      const std::size_t key_offset = pos_;
      DCMKIT_ASSIGN_OR_RETURN(const std::string key, string_token());
      const std::optional<Tag> tag = parse_key(key);
      if (!tag) {
        return error_at(key_offset, "\"" + key.substr(0, 40) +
                                        "\" is not a tag (eight hexadecimal digits, PS3.18 "
                                        "§F.2.1)");
      }
      DCMKIT_TRY(expect(':'));
      path_.push(*tag);
      auto element = attribute(*tag, depth);
      if (!element) return std::move(element).error();
      path_.pop();
      if (ds.contains(*tag)) return error_at(key_offset, "tag " + key + " appears twice");
      ds.append(std::move(*element));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      DCMKIT_TRY(expect('}'));
      return ds;
    }
  }

  static std::optional<Tag> parse_key(std::string_view key) {
    if (key.size() != 8) return std::nullopt;
    std::uint32_t value = 0;
    for (const char c : key) {
      std::uint32_t digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else {
        return std::nullopt;
      }
      value = value * 16 + digit;
    }
    return Tag::from_u32(value);
  }

  // An attribute object {"vr": ..., "Value" | "InlineBinary" | "BulkDataURI": ...}. The value
  // member may come before "vr"; it is then skipped and parsed once "vr" is known.
  Result<Element> attribute(Tag tag, std::uint32_t depth) {
    DCMKIT_TRY(expect('{'));
    const std::size_t object_offset = pos_ - 1;
    std::optional<VR> vr;
    Pending pending;
    std::optional<Element> element;
    skip_space();
    if (peek() != '}') {
      while (true) {
        skip_space();
        const std::size_t key_offset = pos_;
        DCMKIT_ASSIGN_OR_RETURN(const std::string key, string_token());
        DCMKIT_TRY(expect(':'));
        skip_space();
        if (key == "vr") {
          if (vr) return error_at(key_offset, "\"vr\" appears twice");
          const std::size_t vr_offset = pos_;
          DCMKIT_ASSIGN_OR_RETURN(const std::string name, string_token());
          vr = vr_from_string(name);
          if (!vr) return error_at(vr_offset, "unknown VR \"" + name.substr(0, 20) + "\"");
          if (pending.kind != Pending::Kind::None) {
            // Parse the value seen earlier now, then come back.
            const std::size_t resume = pos_;
            pos_ = pending.offset;
            DCMKIT_ASSIGN_OR_RETURN(element, value_member(tag, *vr, pending.kind, depth));
            pos_ = resume;
          }
        } else {
          Pending::Kind kind = Pending::Kind::None;
          if (key == "Value") kind = Pending::Kind::Value;
          if (key == "InlineBinary") kind = Pending::Kind::InlineBinary;
          if (key == "BulkDataURI") kind = Pending::Kind::BulkDataURI;
          if (kind == Pending::Kind::None) {
            // Members PS3.18 does not define are ignored.
            DCMKIT_TRY(skip_value(depth * 3 + 2));
          } else {
            if (pending.kind != Pending::Kind::None) {
              return error_at(key_offset,
                              "more than one of \"Value\", \"InlineBinary\" and \"BulkDataURI\"");
            }
            pending = {pos_, kind};
            if (vr) {
              DCMKIT_ASSIGN_OR_RETURN(element, value_member(tag, *vr, kind, depth));
            } else {
              DCMKIT_TRY(skip_value(depth * 3 + 2));
            }
          }
        }
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        DCMKIT_TRY(expect('}'));
        break;
      }
    } else {
      ++pos_;
    }
    if (!vr) return error_at(object_offset, "the attribute has no \"vr\"");
    if (element) return std::move(*element);
    return Element(tag, *vr);
  }

  Result<Element> value_member(Tag tag, VR vr, Pending::Kind kind, std::uint32_t depth) {
    const VrInfo& info = vr_info(vr);
    skip_space();
    if (literal("null")) return Element(tag, vr);  // an explicitly absent value
    switch (kind) {
      case Pending::Kind::Value:
        if (info.kind == VrKind::Bulk) {
          return error("VR " + std::string(to_string(vr)) +
                       " takes \"InlineBinary\" or \"BulkDataURI\", not \"Value\"");
        }
        return values(tag, vr, depth);
      case Pending::Kind::InlineBinary: {
        if (info.kind != VrKind::Bulk) {
          return error("\"InlineBinary\" is only for OB, OD, OF, OL, OV, OW and UN");
        }
        const std::size_t offset = pos_;
        DCMKIT_ASSIGN_OR_RETURN(const std::string text, string_token());
        auto bytes = base64_decode(text);
        if (!bytes) return error_at(offset, "InlineBinary: " + bytes.error().message());
        return binary_element(tag, vr, SharedBytes::from_vector(std::move(*bytes)));
      }
      case Pending::Kind::BulkDataURI: {
        if (info.kind != VrKind::Bulk && info.kind != VrKind::Text && info.kind != VrKind::Binary) {
          return error("\"BulkDataURI\" is not allowed for VR SQ");
        }
        const std::size_t offset = pos_;
        DCMKIT_ASSIGN_OR_RETURN(const std::string uri, string_token());
        if (!options_.bulk_data_loader) {
          return error_at(
              offset,
              "BulkDataURI \"" + uri.substr(0, 200) + "\" cannot be resolved (no bulk data loader)",
              ErrorCode::Unsupported);
        }
        auto bytes = options_.bulk_data_loader(uri);
        if (!bytes) {
          return Error(bytes.error().code(), error_at(offset, bytes.error().to_string()).message());
        }
        return binary_element(tag, vr, std::move(*bytes));
      }
      case Pending::Kind::None:
        break;
    }
    return Element(tag, vr);
  }

  // Encapsulated Pixel Data comes as its item stream (see json.h); anything else is the value.
  static Element binary_element(Tag tag, VR vr, SharedBytes bytes) {
    if (tag == kPixelData && (vr == VR::OB || vr == VR::OW)) {
      if (auto fragments = detail::split_item_stream(bytes)) {
        return Element::encapsulated(tag, vr, std::move(*fragments));
      }
    }
    return Element(tag, vr, std::move(bytes));
  }

  // The "Value" array of a text, binary-number or sequence VR.
  Result<Element> values(Tag tag, VR vr, std::uint32_t depth) {
    DCMKIT_TRY(expect('['));
    const VrInfo& info = vr_info(vr);
    if (vr == VR::SQ) {
      if (depth + 1 > options_.max_sequence_depth) {
        return error("sequences nested deeper than " + std::to_string(options_.max_sequence_depth),
                     ErrorCode::LimitExceeded);
      }
      std::vector<DataSet> items;
      skip_space();
      if (peek() == ']') {
        ++pos_;
        return Element::sequence(tag, std::move(items));
      }
      while (true) {
        path_.back().item = items.size();
        skip_space();
        if (literal("null")) {
          items.emplace_back();  // lenient: an empty item
        } else {
          DCMKIT_ASSIGN_OR_RETURN(DataSet item, data_set(depth + 1));
          items.push_back(std::move(item));
        }
        path_.back().item.reset();
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        DCMKIT_TRY(expect(']'));
        return Element::sequence(tag, std::move(items));
      }
    }
    std::string text;               // text VRs: the values joined with '\\', in UTF-8
    std::vector<std::byte> binary;  // binary VRs: little endian values
    std::size_t count = 0;
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return Element(tag, vr);
    }
    while (true) {
      skip_space();
      const std::size_t offset = pos_;
      if (info.kind == VrKind::Text) {
        if (count > 0) {
          if (!info.multi_valued_text) {
            return error("VR " + std::string(to_string(vr)) + " takes a single value");
          }
          text += '\\';
        }
        DCMKIT_TRY(text_value(vr, text, offset));
      } else {
        DCMKIT_TRY(binary_value(vr, binary, offset));
      }
      ++count;
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      DCMKIT_TRY(expect(']'));
      break;
    }
    if (info.kind == VrKind::Text) {
      // Kept as UTF-8 until the whole document is read: the character set that applies may come
      // later in the text (encode_text()).
      return Element(tag, vr, SharedBytes::copy_of(text));
    }
    return Element(tag, vr, SharedBytes::from_vector(std::move(binary)));
  }

  Status text_value(VR vr, std::string& out, std::size_t offset) {
    if (literal("null")) return {};
    const char c = peek();
    if (vr == VR::PN && c == '{') return person_name(out);
    if (c == '"') {
      DCMKIT_ASSIGN_OR_RETURN(const std::string value, string_token());
      if (vr_info(vr).multi_valued_text && value.find('\\') != std::string::npos) {
        return error_at(offset, "a value contains '\\', the value delimiter");
      }
      out += value;
      return {};
    }
    if (vr == VR::DS || vr == VR::IS) {
      DCMKIT_ASSIGN_OR_RETURN(const std::string_view token, number_token());
      if (token.find_first_not_of("0123456789+-.eE") != std::string_view::npos) {
        return error_at(offset, "a non-finite number is not a " + std::string(to_string(vr)));
      }
      out += token;
      return {};
    }
    return error_at(offset, "expected a string or null for VR " + std::string(to_string(vr)) +
                                ", found " + describe_here());
  }

  Status person_name(std::string& out) {
    DCMKIT_TRY(expect('{'));
    std::array<std::optional<std::string>, 3> groups;
    skip_space();
    if (peek() != '}') {
      while (true) {
        skip_space();
        const std::size_t key_offset = pos_;
        DCMKIT_ASSIGN_OR_RETURN(const std::string key, string_token());
        DCMKIT_TRY(expect(':'));
        int index = -1;
        if (key == "Alphabetic") index = 0;
        if (key == "Ideographic") index = 1;
        if (key == "Phonetic") index = 2;
        skip_space();
        if (index < 0) {
          DCMKIT_TRY(skip_value(0));
        } else {
          auto& group = groups[static_cast<std::size_t>(index)];
          if (group) return error_at(key_offset, "\"" + key + "\" appears twice");
          if (literal("null")) {
            group = std::string();
          } else {
            const std::size_t offset = pos_;
            DCMKIT_ASSIGN_OR_RETURN(std::string value, string_token());
            if (value.find_first_of("=\\") != std::string::npos) {
              return error_at(offset, "a person name group contains '=' or '\\'");
            }
            group = std::move(value);
          }
        }
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        DCMKIT_TRY(expect('}'));
        break;
      }
    } else {
      ++pos_;
    }
    std::size_t last = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      if (groups[i]) last = i + 1;
    }
    for (std::size_t i = 0; i < last; ++i) {
      if (i > 0) out += '=';
      if (groups[i]) out += *groups[i];
    }
    return {};
  }

  Status binary_value(VR vr, std::vector<std::byte>& out, std::size_t offset) {
    const auto put = [&out](std::uint64_t value, std::size_t size) {
      for (std::size_t i = 0; i < size; ++i) {
        out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xFF));
      }
    };
    std::string holder;
    std::string_view token;
    bool quoted = false;
    if (peek() == '"') {
      DCMKIT_ASSIGN_OR_RETURN(holder, string_token());
      token = holder;
      quoted = true;
    } else if (peek() == 'n' && literal("null")) {
      return error_at(offset, "VR " + std::string(to_string(vr)) + " cannot have empty values");
    } else {
      DCMKIT_ASSIGN_OR_RETURN(token, number_token());
    }
    if (vr == VR::AT) {
      const std::optional<Tag> tag = quoted ? parse_key(token) : std::nullopt;
      if (!tag) return error_at(offset, "an AT value must be a string of eight hex digits");
      put(tag->group(), 2);
      put(tag->element(), 2);
      return {};
    }
    if (vr == VR::FL || vr == VR::FD) {
      double value = 0;
      const std::string_view t = token;
      if (t == "nan" || t == "NaN") {
        value = std::numeric_limits<double>::quiet_NaN();
      } else if (t == "inf" || t == "Infinity") {
        value = std::numeric_limits<double>::infinity();
      } else if (t == "-inf" || t == "-Infinity") {
        value = -std::numeric_limits<double>::infinity();
      } else if (!is_json_number(t)) {
        return error_at(offset, "\"" + std::string(t.substr(0, 40)) + "\" is not a number");
      } else if (vr == VR::FL) {
        // Parsed as float directly: correctly rounded, so the shortest text of a float gives
        // back the same float.
        float f = 0;
        const auto result = std::from_chars(t.data(), t.data() + t.size(), f);
        if (result.ec != std::errc() || result.ptr != t.data() + t.size()) {
          return error_at(offset,
                          "\"" + std::string(t.substr(0, 40)) + "\" is out of range for FL");
        }
        put(std::bit_cast<std::uint32_t>(f), 4);
        return {};
      } else {
        const auto result = std::from_chars(t.data(), t.data() + t.size(), value);
        if (result.ec != std::errc() || result.ptr != t.data() + t.size()) {
          return error_at(offset,
                          "\"" + std::string(t.substr(0, 40)) + "\" is out of range for FD");
        }
      }
      if (!std::isfinite(value) && !options_.allow_non_finite) {
        return error_at(offset, "non-finite numbers are not allowed in JSON");
      }
      if (vr == VR::FL) {
        put(std::bit_cast<std::uint32_t>(static_cast<float>(value)), 4);
      } else {
        put(std::bit_cast<std::uint64_t>(value), 8);
      }
      return {};
    }
    // Integers: exact from the token's digits (never through a double).
    const bool is_signed = vr == VR::SS || vr == VR::SL || vr == VR::SV;
    std::size_t size = vr_info(vr).value_size;
    std::int64_t min = 0;
    std::uint64_t max = 0;
    switch (vr) {
      case VR::US:
        max = 0xFFFF;
        break;
      case VR::SS:
        min = -32768;
        max = 32767;
        break;
      case VR::UL:
        max = 0xFFFFFFFF;
        break;
      case VR::SL:
        min = std::numeric_limits<std::int32_t>::min();
        max = std::numeric_limits<std::int32_t>::max();
        break;
      case VR::SV:
        min = std::numeric_limits<std::int64_t>::min();
        max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        break;
      case VR::UV:
        max = std::numeric_limits<std::uint64_t>::max();
        break;
      default:
        return error_at(offset, "unexpected VR");
    }
    const char* first = token.data();
    const char* last = token.data() + token.size();
    if (is_signed) {
      std::int64_t value = 0;
      const auto result = std::from_chars(first, last, value);
      if (result.ec != std::errc() || result.ptr != last || value < min ||
          (value > 0 && static_cast<std::uint64_t>(value) > max)) {
        return error_at(offset, "\"" + std::string(token.substr(0, 40)) +
                                    "\" is not an integer in the range of " +
                                    std::string(to_string(vr)));
      }
      put(static_cast<std::uint64_t>(value), size);
    } else {
      std::uint64_t value = 0;
      const auto result = std::from_chars(first, last, value);
      if (result.ec != std::errc() || result.ptr != last || value > max) {
        return error_at(offset, "\"" + std::string(token.substr(0, 40)) +
                                    "\" is not an integer in the range of " +
                                    std::string(to_string(vr)));
      }
      put(value, size);
    }
    return {};
  }

  // Encodes the UTF-8 text values of `ds` (and its items) in the character set that applies,
  // and pads odd lengths (PS3.5 §6.2).
  Status encode_text(DataSet& ds, std::shared_ptr<const CharacterSet> inherited) {
    ds.set_inherited_character_set(std::move(inherited));
    // An unknown character set matters only if a value needs encoding (ASCII text does not).
    std::optional<Error> charset_error;
    if (ds.contains(kSpecificCharacterSet)) {
      auto refreshed = ds.refresh_character_set();
      if (!refreshed) charset_error = std::move(refreshed).error();
    }
    const CharacterSet& charset = ds.character_set();
    const auto shared = ds.character_set_ptr();
    for (Element& e : ds) {
      if (e.is_sequence()) {
        std::size_t index = 0;
        for (DataSet& item : e.items()) {
          auto status = encode_text(item, shared);
          if (!status) {
            return std::move(status).error().with_context(e.tag().to_string() + "[" +
                                                          std::to_string(index) + "]");
          }
          ++index;
        }
        continue;
      }
      if (e.kind() != ValueKind::Bytes || !is_text(e.vr())) continue;
      const std::string_view utf8 = e.bytes().chars();
      const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      std::string encoded;
      if (ascii || charset.is_utf8()) {
        if (utf8.size() % 2 == 0) continue;
        encoded.assign(utf8);
      } else {
        if (charset_error) {
          return Error(charset_error->code(),
                       e.tag().to_string() +
                           ": cannot encode the value: (0008,0005): " + charset_error->message());
        }
        auto converted = charset.encode(utf8, e.vr());
        if (!converted) {
          return Error(converted.error().code(),
                       e.tag().to_string() + ": " + converted.error().message());
        }
        encoded = std::move(*converted);
      }
      if (encoded.size() % 2 != 0) encoded += vr_info(e.vr()).padding;
      e.set_bytes(SharedBytes::copy_of(encoded));
    }
    return {};
  }

  std::string_view text_;
  const JsonReadOptions& options_;
  std::size_t pos_ = 0;
  TagPath path_;
};

}  // namespace

Status write_json(std::string& out, const DataSet& data, const JsonWriteOptions& options,
                  const DataSet* meta, JsonNotes* notes) {
  Writer writer(out, options, notes);
  DCMKIT_TRY(writer.object(data, meta));
  if (options.pretty) out += '\n';
  return {};
}

Result<JsonDocument> read_json(std::string_view text, const JsonReadOptions& options) {
  if (text.size() > options.max_input_size) {
    return Error(ErrorCode::LimitExceeded, "JSON input of " + std::to_string(text.size()) +
                                               " bytes exceeds the limit of " +
                                               std::to_string(options.max_input_size));
  }
  Parser parser(text, options);
  return parser.document();
}

std::string base64_encode(std::span<const std::byte> bytes) {
  std::string out;
  append_base64(out, bytes);
  return out;
}

Result<std::vector<std::byte>> base64_decode(std::string_view text) {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < kBase64Alphabet.size(); ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<std::int8_t>(i);
  }
  std::vector<std::byte> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  std::size_t symbols = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') continue;  // line-wrapped base64 (MIME style) is tolerated
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) {
      return Error(ErrorCode::MalformedData, "base64 data continues after '=' padding");
    }
    const std::int8_t v = table[static_cast<unsigned char>(c)];
    if (v < 0) {
      return Error(ErrorCode::MalformedData,
                   "invalid base64 character at position " + std::to_string(i));
    }
    ++symbols;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::byte>((buffer >> bits) & 0xFF));
    }
  }
  if (symbols % 4 == 1 || padding > 2 || (padding > 0 && (symbols + padding) % 4 != 0)) {
    return Error(ErrorCode::MalformedData, "base64 data has a bad length or padding");
  }
  return out;
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// Writing XML: DCMTK's format and the PS3.19 Native DICOM Model, as dcm2xml 3.6.7 writes them.
// The rules below were established by observing dcm2xml's output (tests/interop/
// compare_dcm2xml.py keeps them honest).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <random>
#include <string>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmdata/xml.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/strings.h"
#include "reader_detail.h"
#include "xml_detail.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Status;

namespace detail {

std::string base64_encode(std::span<const std::byte> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto at = [&bytes](std::size_t k) { return std::to_integer<unsigned>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = at(i) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = at(i) << 16 | at(i + 1) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool trims_leading_spaces(VR vr, bool native) noexcept {
  switch (vr) {
    case VR::AE:
    case VR::CS:
    case VR::SH:
    case VR::LO:
    case VR::IS:
      return true;
    case VR::DS:
      return native;
    default:
      return false;
  }
}

std::vector<std::string> xml_text_values(const Element& e, bool native) {
  std::string text(e.bytes().chars());
  // DCMTK pads an odd value with a NUL when it loads it; the NUL then ends the C string, and
  // trailing spaces before it stay (they are no longer trailing).
  if (text.size() % 2 != 0 && !e.modified()) text.push_back('\0');
  const VR vr = e.vr();
  const VrInfo& info = vr_info(vr);
  const auto trim_right = [](std::string& s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
  };
  std::vector<std::string> values;
  if (vr == VR::UI) {
    // Spaces in UIDs are removed (DCMTK's automatic data correction), as is the NUL padding.
    std::erase(text, ' ');
  }
  const bool per_value = trims_leading_spaces(vr, native);
  if (per_value || (native && info.multi_valued_text)) {
    // Each value on its own: leading spaces (where insignificant) and trailing spaces removed.
    for (std::string_view part : ofstd::split(text, '\\')) {
      std::string value(part);
      if (per_value) {
        const std::size_t first = value.find_first_not_of(' ');
        value.erase(0, first == std::string::npos ? value.size() : first);
      }
      trim_right(value);
      values.push_back(std::move(value));
    }
    if (!info.multi_valued_text && values.size() > 1) {
      // Single-valued VRs keep their backslashes.
      std::string joined = ofstd::join(values, "\\");
      values = {joined};
    }
    return values;
  }
  trim_right(text);
  values.push_back(std::move(text));
  return values;
}

}  // namespace detail

std::string_view xml_encoding_for(std::string_view value) noexcept {
  const std::string_view term = ofstd::trim(value, std::string_view(" \0", 2));
  if (term.empty()) return {};
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kEncodings{{
      {"ISO_IR 6", "UTF-8"},
      {"ISO_IR 192", "UTF-8"},
      {"ISO_IR 100", "ISO-8859-1"},
      {"ISO_IR 101", "ISO-8859-2"},
      {"ISO_IR 109", "ISO-8859-3"},
      {"ISO_IR 110", "ISO-8859-4"},
      {"ISO_IR 144", "ISO-8859-5"},
      {"ISO_IR 127", "ISO-8859-6"},
      {"ISO_IR 126", "ISO-8859-7"},
      {"ISO_IR 138", "ISO-8859-8"},
      {"ISO_IR 148", "ISO-8859-9"},
  }};
  for (const auto& [name, encoding] : kEncodings) {
    if (name == term) return encoding;
  }
  // Character sets with code extensions (ISO 2022) switch with ESC, which XML cannot carry:
  // their text is written converted to UTF-8 (dcm2xml writes the bytes, giving a document no
  // XML parser accepts).
  if (auto charset = CharacterSet::from_value(term); charset && charset->uses_code_extensions()) {
    return "UTF-8";
  }
  return {};
}

namespace {

constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};
constexpr Tag kDirectoryRecordSequence{0x0004, 0x1220};
constexpr Tag kPixelData{0x7FE0, 0x0010};

std::string hex4(unsigned value, bool upper) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, upper ? "%04X" : "%04x", value & 0xFFFFu);
  return buffer;
}

std::string printf_g(double value, int precision) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
  return buffer;
}

class XmlWriter {
 public:
  XmlWriter(std::string& out, const XmlWriteOptions& options, XmlNotes* notes)
      : out_(out), options_(options), notes_(notes) {
    native_ = options.format == XmlFormat::Native;
    encoding_ = options.binary_encoding
                    ? *options.binary_encoding
                    : (native_ ? XmlBinaryEncoding::Uuid : XmlBinaryEncoding::Hex);
  }

  Status write(const DicomFile& file) {
    std::string charset_value;
    bool has_charset = false;
    bool charset_present_as_other_vr = false;
    if (const Element* cs = file.data.find(kSpecificCharacterSet)) {
      has_charset = true;
      // Only a CS element names the encoding (a UN one, left by CP-246 reading, is not read by
      // DCMTK either: the document then declares none).
      charset_present_as_other_vr = cs->vr() != VR::CS || cs->kind() != ValueKind::Bytes;
      if (!charset_present_as_other_vr) {
        charset_value = std::string(ofstd::trim(cs->bytes().chars(), std::string_view(" \0", 2)));
      }
    }
    if (!has_charset && options_.assumed_character_set) {
      has_charset = true;
      charset_value = std::string(ofstd::trim(*options_.assumed_character_set));
    }
    // How text reaches the document: as its bytes under the declared encoding (ISO 8859 parts,
    // UTF-8), converted to UTF-8 (ISO 2022 sets), or with bytes above 127 as character
    // references (sets XML has no name for, as dcm2xml does; and ISO_IR 6 or no character set,
    // where such bytes are not UTF-8).
    std::string_view encoding = "UTF-8";
    quote_non_ascii_ = true;  // ASCII is expected without a character set
    if (has_charset) {
      encoding = charset_present_as_other_vr ? std::string_view() : xml_encoding_for(charset_value);
      if (charset_value == "ISO_IR 192" || (ofstd::starts_with(encoding, "ISO-8859-"))) {
        quote_non_ascii_ = false;
      } else if (encoding == "UTF-8" && charset_value != "ISO_IR 6") {
        quote_non_ascii_ = false;
        convert_to_utf8_ = true;
      }
    }
    out_ += "<?xml version=\"1.0\"";
    if (!encoding.empty()) {
      out_ += " encoding=\"";
      out_ += encoding;
      out_ += '"';
    }
    out_ += "?>\n";
    if (native_) {
      out_ += "<NativeDicomModel xml:space=\"preserve\"";
      if (options_.xml_namespace) {
        out_ += " xmlns=\"http://dicom.nema.org/PS3.19/models/NativeDICOM\"";
      }
      out_ += ">\n";
      // Encapsulated pixel data whose value the document carries: the transfer syntax it is
      // encoded in (see xml.h).
      if (const Element* pixels = file.data.find(kPixelData);
          pixels != nullptr && pixels->is_encapsulated() &&
          file.transfer_syntax.is_encapsulated() &&
          (encoding_ == XmlBinaryEncoding::Base64 || options_.bulk_data_writer)) {
        out_ += "<DicomAttribute tag=\"00020010\" vr=\"UI\" keyword=\"TransferSyntaxUID\">\n";
        out_ += "<Value number=\"1\">" + escaped(file.transfer_syntax.uid()) + "</Value>\n";
        out_ += "</DicomAttribute>\n";
      }
      DCMKIT_TRY(native_data_set(file.data, 0));
      out_ += "</NativeDicomModel>\n";
      return {};
    }
    const std::string_view root = options_.data_set_only ? "data-set" : "file-format";
    if (options_.embedded_dtd) {
      out_ += "<!DOCTYPE ";
      out_ += root;
      out_ += " [\n";
      out_ += *options_.embedded_dtd;
      out_ += "]>\n";
    } else if (options_.dtd_reference) {
      out_ += "<!DOCTYPE ";
      out_ += root;
      out_ += " SYSTEM \"dcm2xml.dtd\">\n";
    }
    const std::string xmlns =
        options_.xml_namespace ? " xmlns=\"http://dicom.offis.de/dcmtk\"" : std::string();
    const std::string ts_uid(file.transfer_syntax.uid());
    if (options_.data_set_only) {
      out_ += "<data-set" + xmlns + " xfer=\"" + ts_uid + "\" name=\"" +
              std::string(dcmtk_transfer_syntax_name(ts_uid)) + "\">\n";
      dicomdir_ = false;
      ts_ = file.transfer_syntax;
      DCMKIT_TRY(data_set(file.data, true));
      out_ += "</data-set>\n";
      return {};
    }
    out_ += "<file-format" + xmlns + ">\n";
    if (file.meta.empty()) {
      out_ += "<meta-header xfer=\"\" name=\"Unknown Transfer Syntax\">\n";
    } else {
      out_ += "<meta-header xfer=\"1.2.840.10008.1.2.1\" name=\"Little Endian Explicit\">\n";
    }
    DCMKIT_TRY(data_set(file.meta, true));
    out_ += "</meta-header>\n";
    out_ += "<data-set xfer=\"" + ts_uid + "\" name=\"" +
            std::string(dcmtk_transfer_syntax_name(ts_uid)) + "\">\n";
    dicomdir_ = is_dicomdir(file.meta);
    ts_ = file.transfer_syntax;
    DCMKIT_TRY(data_set(file.data, true));
    out_ += "</data-set>\n</file-format>\n";
    return {};
  }

 private:
  static bool is_dicomdir(const DataSet& meta) {
    const Element* sop = meta.find(Tag{0x0002, 0x0002});
    return sop != nullptr && ofstd::trim_right(sop->bytes().chars(), std::string_view(" \0", 2)) ==
                                 "1.2.840.10008.1.3.10";
  }

  bool not_loaded(std::uint64_t length) const {
    return options_.max_loaded_length && length > *options_.max_loaded_length;
  }

  // --- Escaping ------------------------------------------------------------------------------

  // Character data or attribute text: markup characters as entities, control characters as
  // character references, and bytes above 127 as references where the encoding cannot carry
  // them (DCMTK's quoting of unsupported character sets).
  void escape(std::string_view text, std::string& out) {
    for (const char c : text) {
      const auto b = static_cast<unsigned char>(c);
      switch (c) {
        case '&':
          out += "&amp;";
          continue;
        case '<':
          out += "&lt;";
          continue;
        case '>':
          out += "&gt;";
          continue;
        case '"':
          out += "&quot;";
          continue;
        case '\'':
          out += "&apos;";
          continue;
        default:
          break;
      }
      if (b == 0) continue;  // NULs (padding, or broken values) are left out
      if (b == '\n' || b == '\r' || (b >= 0x80 && quote_non_ascii_)) {
        out += "&#" + std::to_string(b) + ";";
      } else {
        // Other control characters are written as they are, as dcm2xml does (XML 1.0 has no
        // way to carry them; DICOM allows only ESC, FF, TAB, CR and LF in text).
        out += c;
      }
    }
  }
  std::string escaped(std::string_view text) {
    std::string out;
    escape(text, out);
    return out;
  }

  // --- Names -----------------------------------------------------------------------------------

  static std::string_view name_of(Tag tag, const DataSet& parent) {
    if (tag.is_private() && !tag.is_private_creator()) {
      if (const PrivateTagEntry* entry = detail::private_entry(tag, parent)) return entry->name;
    }
    return dcmtk_tag_name(tag);
  }

  // --- Values ----------------------------------------------------------------------------------

  // The numbers of a binary VR, as dcmdump prints them (without shortening).
  static std::vector<std::string> numbers(const Element& e, bool native) {
    std::vector<std::string> out;
    const auto bytes = e.bytes().span();
    const VR v = e.vr();
    const std::size_t size = vr_info(v).value_size;
    if (size == 0) return out;
    const auto order = e.byte_order();
    for (std::size_t i = 0; i + size <= bytes.size(); i += size) {
      const std::byte* p = bytes.data() + i;
      switch (v) {
        case VR::US:
          out.push_back(std::to_string(ofstd::load_u16(p, order)));
          break;
        case VR::SS:
          out.push_back(std::to_string(static_cast<std::int16_t>(ofstd::load_u16(p, order))));
          break;
        case VR::UL:
        case VR::OL:
          out.push_back(std::to_string(ofstd::load_u32(p, order)));
          break;
        case VR::SL:
          out.push_back(std::to_string(static_cast<std::int32_t>(ofstd::load_u32(p, order))));
          break;
        case VR::UV:
        case VR::OV:
          out.push_back(std::to_string(ofstd::load_u64(p, order)));
          break;
        case VR::SV:
          out.push_back(std::to_string(static_cast<std::int64_t>(ofstd::load_u64(p, order))));
          break;
        // dcm2xml prints FL and FD as dcmdump does, but OF and OD with printf's %g (8 and 17
        // significant digits).
        case VR::FL:
          out.push_back(format_dcmtk_double(std::bit_cast<float>(ofstd::load_u32(p, order)), 9));
          break;
        case VR::OF:
          out.push_back(printf_g(std::bit_cast<float>(ofstd::load_u32(p, order)), 8));
          break;
        case VR::FD:
          out.push_back(format_dcmtk_double(std::bit_cast<double>(ofstd::load_u64(p, order)), 17));
          break;
        case VR::OD:
          out.push_back(printf_g(std::bit_cast<double>(ofstd::load_u64(p, order)), 17));
          break;
        case VR::AT: {
          const unsigned group = ofstd::load_u16(p, order);
          const unsigned element = ofstd::load_u16(p + 2, order);
          out.push_back(native ? hex4(group, true) + hex4(element, true)
                               : "(" + hex4(group, false) + "," + hex4(element, false) + ")");
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  // Hex words of OB/UN (bytes) or OW (16-bit words), as dcm2xml +Wb writes them.
  static std::string hex_value(std::span<const std::byte> bytes, bool words, ofstd::Endian order) {
    std::string out;
    char buffer[8];
    if (!words) {
      out.reserve(bytes.size() * 3);
      for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i != 0) out += '\\';
        std::snprintf(buffer, sizeof buffer, "%02x", std::to_integer<unsigned>(bytes[i]));
        out += buffer;
      }
      return out;
    }
    out.reserve(bytes.size() / 2 * 5);
    for (std::size_t i = 0; i + 2 <= bytes.size(); i += 2) {
      if (i != 0) out += '\\';
      std::snprintf(buffer, sizeof buffer, "%04x",
                    static_cast<unsigned>(ofstd::load_u16(bytes.data() + i, order)));
      out += buffer;
    }
    return out;
  }

  // The bytes of a binary value as DCMTK's base64 carries them: OB/UN as they are, OW in big
  // endian words (dcm2xml writes and xml2dcm reads them so).
  static std::vector<std::byte> dcmtk_base64_bytes(const Element& e) {
    std::vector<std::byte> bytes(e.bytes().span().begin(), e.bytes().span().end());
    if (e.vr() == VR::OW && e.byte_order() == ofstd::Endian::Little) {
      for (std::size_t i = 0; i + 2 <= bytes.size(); i += 2) std::swap(bytes[i], bytes[i + 1]);
    }
    return bytes;
  }

  static bool is_binary_vr(VR vr) { return vr == VR::OB || vr == VR::OW || vr == VR::UN; }

  // --- DCMTK format ----------------------------------------------------------------------------

  Status data_set(const DataSet& ds, bool top) {
    if (++depth_ > 256) return Error(ErrorCode::LimitExceeded, "nesting too deep for XML");
    for (const Element& e : ds) DCMKIT_TRY(element(e, ds, top));
    --depth_;
    return {};
  }

  void open_tag(std::string_view kind, Tag tag, std::string_view vr) {
    out_ += '<';
    out_ += kind;
    out_ += " tag=\"";
    out_ += hex4(tag.group(), false);
    out_ += ',';
    out_ += hex4(tag.element(), false);
    out_ += "\" vr=\"";
    out_ += vr;
    out_ += '"';
  }

  void name_attribute(Tag tag, const DataSet& parent) {
    if (!options_.element_names) return;
    out_ += " name=\"";
    escape(name_of(tag, parent), out_);
    out_ += '"';
  }

  Status element(const Element& e, const DataSet& parent, bool top) {
    const Tag tag = e.tag();
    if (e.is_sequence()) {
      open_tag("sequence", tag, "SQ");
      out_ += " card=\"" + std::to_string(e.items().size()) + "\"";
      if (!e.undefined_length()) {
        out_ += " len=\"" +
                std::to_string(e.read_length() ? *e.read_length() : sequence_length(e)) + "\"";
      }
      name_attribute(tag, parent);
      out_ += ">\n";
      const bool records = dicomdir_ && top && tag == kDirectoryRecordSequence;
      for (const DataSet& item : e.items()) {
        out_ += "<item card=\"" + std::to_string(item.size()) + "\"";
        if (!item.undefined_length()) {
          out_ += " len=\"" +
                  std::to_string(item.read_length() ? *item.read_length() : item_length(item)) +
                  "\"";
        }
        if (records) out_ += " offset=\"" + std::to_string(item.source_offset()) + "\"";
        out_ += ">\n";
        DCMKIT_TRY(data_set(item, false));
        out_ += "</item>\n";
      }
      out_ += "</sequence>\n";
      return {};
    }
    if (e.is_encapsulated()) {
      open_tag("sequence", tag, "OB");
      out_ += " card=\"" + std::to_string(e.fragments().size()) + "\"";
      name_attribute(tag, parent);
      out_ += ">\n";
      for (const SharedBytes& fragment : e.fragments()) {
        std::uint64_t length = fragment.size();
        if (length % 2 != 0) ++length;
        out_ += "<pixel-item len=\"" + std::to_string(length) + "\"";
        const bool skipped = not_loaded(fragment.size());
        if (skipped) out_ += " loaded=\"no\"";
        out_ += binary_attribute();
        out_ += '>';
        if (options_.binary_data && !skipped) {
          if (encoding_ == XmlBinaryEncoding::Base64) {
            out_ += detail::base64_encode(fragment.span());
          } else {
            out_ += hex_value(fragment.span(), false, ofstd::Endian::Little);
          }
        }
        out_ += "</pixel-item>\n";
      }
      out_ += "</sequence>\n";
      return {};
    }
    const VR vr = e.vr();
    std::uint64_t length = e.length();
    // Text values are always written (DCMTK loads them when it converts them to text); long
    // binary values are left out.
    const bool skipped = vr_info(vr).kind != VrKind::Text && not_loaded(length);
    if (length % 2 != 0 && !skipped) ++length;
    const VrInfo& info = vr_info(vr);
    std::string content;
    std::size_t vm = 0;
    if (is_binary_vr(vr)) {
      vm = 1;
      if (options_.binary_data && !skipped && !e.bytes().empty()) {
        if (encoding_ == XmlBinaryEncoding::Base64) {
          auto bytes = dcmtk_base64_bytes(e);
          if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});
          content = detail::base64_encode(bytes);
        } else {
          std::vector<std::byte> bytes(e.bytes().span().begin(), e.bytes().span().end());
          if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});
          content = hex_value(bytes, vr == VR::OW, e.byte_order());
        }
      }
    } else if (info.kind == VrKind::Text) {
      if (!e.bytes().empty()) {
        const auto values = detail::xml_text_values(e, false);
        const std::string joined = ofstd::join(values, "\\");
        // vm counts the values of the stored text, before trimming (a value of spaces is one).
        vm = info.multi_valued_text
                 ? static_cast<std::size_t>(
                       std::count(e.bytes().chars().begin(), e.bytes().chars().end(), '\\')) +
                       1
                 : 1;
        // Where DCMTK normalizes each value (AE CS SH LO IS), a value of only spaces counts none.
        if (detail::trims_leading_spaces(vr, false) && values.size() == 1 && values[0].empty()) {
          vm = 0;
        }
        content = escaped(text_out(joined, vr, parent));
        note_quoted(e, joined);
      }
    } else {
      const auto values = numbers(e, false);
      vm = (vr == VR::OF || vr == VR::OD || vr == VR::OL || vr == VR::OV) ? (values.empty() ? 0 : 1)
                                                                          : values.size();
      if (!skipped) content = ofstd::join(values, "\\");
    }
    open_tag("element", tag, to_string(vr));
    out_ += " vm=\"" + std::to_string(vm) + "\" len=\"" + std::to_string(length) + "\"";
    name_attribute(tag, parent);
    if (skipped) out_ += " loaded=\"no\"";
    if (is_binary_vr(vr)) out_ += binary_attribute();
    out_ += '>';
    out_ += content;
    out_ += "</element>\n";
    return {};
  }

  // Text in the document's encoding: converted to UTF-8 for ISO 2022 character sets.
  std::string text_out(const std::string& text, VR vr, const DataSet& parent) const {
    if (!convert_to_utf8_ || !vr_info(vr).uses_charset) return text;
    const auto bytes = std::span<const std::byte>(reinterpret_cast<const std::byte*>(text.data()),
                                                  text.size());  // NOLINT: text as bytes
    auto decoded = parent.character_set().decode(bytes, vr);
    return decoded ? *decoded : text;
  }

  std::string binary_attribute() const {
    if (!options_.binary_data) return " binary=\"hidden\"";
    return encoding_ == XmlBinaryEncoding::Base64 ? " binary=\"base64\"" : " binary=\"yes\"";
  }

  void note_quoted(const Element& e, std::string_view text) {
    if (notes_ == nullptr || !quote_non_ascii_) return;
    for (const char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        notes_->push_back(e.tag().to_string() + ": non-ASCII characters written as references");
        return;
      }
    }
  }

  // Lengths of explicit-length sequences and items that were not read (set through the API):
  // what the writer would encode in explicit VR little endian.
  std::uint64_t sequence_length(const Element& e) const {
    DataSet holder;
    holder.insert(e);
    return encoded_length(holder, ts_) -
           ((ts_.is_explicit_vr() || e.read_as_un_sequence()) ? 12 : 8);
  }
  std::uint64_t item_length(const DataSet& item) const { return encoded_length(item, ts_); }

  // --- Native DICOM Model ------------------------------------------------------------------

  Status native_data_set(const DataSet& ds, int depth) {
    if (depth > 256) return Error(ErrorCode::LimitExceeded, "nesting too deep for XML");
    for (const Element& e : ds) {
      if (e.tag().is_group_length()) continue;  // not part of the model (PS3.19 §A.1.1)
      DCMKIT_TRY(native_element(e, ds, depth));
    }
    return {};
  }

  // The private creator that reserves `tag`'s block in `ds`, if present.
  static std::optional<std::string> creator_of(Tag tag, const DataSet& ds) {
    const Element* creator =
        ds.find(Tag(tag.group(), static_cast<std::uint16_t>(tag.element() >> 8)));
    // Also one left as UN (e.g. read under CP-246), which dcm2xml does not recognize.
    if (creator == nullptr || creator->kind() != ValueKind::Bytes) return std::nullopt;
    return std::string(ofstd::trim(creator->bytes().chars(), std::string_view(" \0", 2)));
  }

  Status native_element(const Element& e, const DataSet& parent, int depth) {
    const Tag tag = e.tag();
    std::uint32_t tag_value = tag.to_u32();
    std::optional<std::string> creator;
    if (tag.is_private() && !tag.is_private_creator()) {
      // The block is given by the creator (PS3.19 §A.1.5: gggg00ee with privateCreator). Where
      // no creator reserves the block, the whole tag is written: dcm2xml writes gggg00ee then
      // too, and the block is lost (tests/interop/dcm2xml_known_differences.tsv).
      if (tag.element() >= 0x1000) creator = creator_of(tag, parent);
      if (creator) tag_value &= 0xFFFF00FFu;
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%08X", tag_value);
    const VR vr = e.is_encapsulated() ? VR::OB : e.vr();
    out_ += "<DicomAttribute tag=\"";
    out_ += buffer;
    out_ += "\" vr=\"";
    out_ += to_string(e.is_sequence() ? VR::SQ : vr);
    out_ += '"';
    const std::string_view name = name_of(tag, parent);
    if (!tag.is_private() && lookup_tag(tag) != nullptr && !ofstd::starts_with(name, "RETIRED_")) {
      out_ += " keyword=\"";
      escape(name, out_);
      out_ += '"';
    }
    if (creator) {
      out_ += " privateCreator=\"";
      escape(*creator, out_);
      out_ += '"';
    }
    out_ += ">\n";
    if (e.is_sequence()) {
      std::size_t number = 0;
      for (const DataSet& item : e.items()) {
        out_ += "<Item number=\"" + std::to_string(++number) + "\">\n";
        DCMKIT_TRY(native_data_set(item, depth + 1));
        out_ += "</Item>\n";
      }
    } else if (e.is_encapsulated()) {
      // PS3.19 has no form for fragments: one value, the item stream (see xml.h), as a single
      // BulkData reference the way dcm2xml writes it.
      const std::vector<std::byte> stream = detail::encapsulated_item_stream(e);
      DCMKIT_TRY(native_binary(stream, stream.size()));
    } else if (is_binary_vr(vr) || vr == VR::OF || vr == VR::OD || vr == VR::OL || vr == VR::OV) {
      if (!e.bytes().empty()) {
        const SharedBytes bytes = e.little_endian_bytes();
        if (bytes.size() % 2 != 0) {
          // The value field as encoded: an odd value padded to even length (as dcm2xml loads
          // it).
          std::vector<std::byte> padded(bytes.span().begin(), bytes.span().end());
          padded.push_back(std::byte{0});
          DCMKIT_TRY(native_binary(padded, padded.size()));
        } else {
          DCMKIT_TRY(native_binary(bytes.span(), bytes.size()));
        }
      }
    } else if (vr == VR::PN) {
      native_person_names(e, parent);
    } else if (vr_info(vr).kind == VrKind::Text) {
      const auto values = detail::xml_text_values(e, true);
      // A value that is empty once trimmed (spaces, or only empty values) has no <Value>.
      if (std::any_of(values.begin(), values.end(),
                      [](const std::string& value) { return !value.empty(); })) {
        std::size_t number = 0;
        for (const std::string& value : values) {
          ++number;
          if (value.empty()) {
            // An empty value keeps its position (PS3.19 §A.1.5).
            out_ += "<Value number=\"" + std::to_string(number) + "\"></Value>\n";
            continue;
          }
          out_ += "<Value number=\"" + std::to_string(number) + "\">";
          escape(text_out(value, vr, parent), out_);
          out_ += "</Value>\n";
        }
        note_quoted(e, ofstd::join(values, "\\"));
      }
    } else {
      std::size_t number = 0;
      for (const std::string& value : numbers(e, true)) {
        out_ += "<Value number=\"" + std::to_string(++number) + "\">" + value + "</Value>\n";
      }
    }
    out_ += "</DicomAttribute>\n";
    return {};
  }

  Status native_binary(std::span<const std::byte> bytes, std::uint64_t size) {
    if (encoding_ == XmlBinaryEncoding::Uuid ||
        (not_loaded(size) && encoding_ != XmlBinaryEncoding::Base64)) {
      if (options_.bulk_data_writer) {
        DCMKIT_ASSIGN_OR_RETURN(const std::string uri, options_.bulk_data_writer(bytes));
        out_ += "<BulkData uri=\"" + escaped(uri) + "\"/>\n";
        return {};
      }
      out_ += "<BulkData uuid=\"" + uuid() + "\"/>\n";
      return {};
    }
    out_ += "<InlineBinary>";
    out_ += detail::base64_encode(bytes);
    out_ += "</InlineBinary>\n";
    return {};
  }

  static std::string uuid() {
    // A random (version 4) UUID (RFC 4122).
    std::random_device device;
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
      const std::uint32_t word = device();
      for (std::size_t k = 0; k < 4; ++k) bytes[i + k] = static_cast<std::uint8_t>(word >> (8 * k));
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
    char text[40];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
  }

  // Person names as PS3.19 PersonName: each value, its component groups (Alphabetic always,
  // Ideographic and Phonetic where the value has them, even empty) and their non-empty
  // components. A value of only delimiters and spaces has none, as in dcm2xml.
  void native_person_names(const Element& e, const DataSet& parent) {
    if (e.bytes().chars().find_first_not_of(std::string_view(" ^=\\\0", 5)) ==
        std::string_view::npos) {
      return;
    }
    static constexpr std::array<std::string_view, 3> kGroups = {"Alphabetic", "Ideographic",
                                                                "Phonetic"};
    static constexpr std::array<std::string_view, 5> kComponents = {
        "FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};
    const auto values = detail::xml_text_values(e, true);
    std::size_t number = 0;
    for (const std::string& raw : values) {
      const std::string value = text_out(raw, VR::PN, parent);
      out_ += "<PersonName number=\"" + std::to_string(++number) + "\">\n";
      const auto groups = ofstd::split(value, '=');
      for (std::size_t g = 0; g < groups.size() && g < kGroups.size(); ++g) {
        out_ += "<" + std::string(kGroups[g]) + ">\n";
        const auto components = ofstd::split(groups[g], '^');
        for (std::size_t c = 0; c < components.size() && c < kComponents.size(); ++c) {
          if (components[c].empty()) continue;
          out_ += "<" + std::string(kComponents[c]) + ">";
          escape(components[c], out_);
          out_ += "</" + std::string(kComponents[c]) + ">\n";
        }
        out_ += "</" + std::string(kGroups[g]) + ">\n";
      }
      out_ += "</PersonName>\n";
    }
    note_quoted(e, ofstd::join(values, "\\"));
  }

  std::string& out_;
  const XmlWriteOptions& options_;
  XmlNotes* notes_;
  bool native_ = false;
  XmlBinaryEncoding encoding_ = XmlBinaryEncoding::Hex;
  bool quote_non_ascii_ = false;
  bool convert_to_utf8_ = false;
  bool dicomdir_ = false;
  int depth_ = 0;
  TransferSyntax ts_ = explicit_vr_little_endian();
};

}  // namespace

Status write_xml(std::string& out, const DicomFile& file, const XmlWriteOptions& options,
                 XmlNotes* notes) {
  std::string text;
  XmlWriter writer(text, options, notes);
  DCMKIT_TRY(writer.write(file));
  out += text;
  return {};
}

}  // namespace dcmkit::dcmdata

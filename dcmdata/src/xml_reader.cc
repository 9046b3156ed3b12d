// SPDX-License-Identifier: BSD-3-Clause
// Reading XML (DCMTK's format and the PS3.19 Native DICOM Model) with libxml2. The document is
// untrusted: the parser reads no network resources and no external DTDs or entities, the input
// size and the nesting of items are bounded, and every value is checked as it is converted.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <libxml/xmlIO.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/xml.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/strings.h"
#include "xml_detail.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace detail {

Result<std::vector<std::byte>> base64_decode(std::string_view text) {
  std::vector<std::byte> out;
  out.reserve(text.size() / 4 * 3);
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (value < 0 || padding > 0) {
      return Error(ErrorCode::MalformedData, "invalid base64 character");
    }
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::byte>((buffer >> bits) & 0xFFu));
    }
  }
  if (padding > 2 || bits >= 6) return Error(ErrorCode::MalformedData, "invalid base64 length");
  return out;
}

}  // namespace detail

std::string_view dcmtk_xml_dtd() noexcept {
  // The rules of dcm2xml.dtd, the structure dcm2xml writes: written from that structure for
  // dcmkit, not copied.
  return "<!ELEMENT file-format (meta-header, data-set)>\n"
         "<!ATTLIST file-format xmlns CDATA #IMPLIED>\n"
         "<!ELEMENT meta-header (element+)>\n"
         "<!ATTLIST meta-header xfer NMTOKEN #REQUIRED name CDATA #IMPLIED>\n"
         "<!ELEMENT data-set (element | sequence)*>\n"
         "<!ATTLIST data-set xfer NMTOKEN #REQUIRED name CDATA #IMPLIED xmlns CDATA #IMPLIED>\n"
         "<!ELEMENT element (#PCDATA)>\n"
         "<!ATTLIST element tag CDATA #REQUIRED vr NMTOKEN #REQUIRED vm NMTOKEN #IMPLIED\n"
         "  len NMTOKEN #IMPLIED name CDATA #IMPLIED loaded (yes | no) \"yes\"\n"
         "  binary (yes | no | hidden | base64 | file) \"no\">\n"
         "<!ELEMENT sequence (item* | pixel-item*)>\n"
         "<!ATTLIST sequence tag CDATA #REQUIRED vr NMTOKEN #REQUIRED card NMTOKEN #IMPLIED\n"
         "  len NMTOKEN #IMPLIED name CDATA #IMPLIED>\n"
         "<!ELEMENT item (element | sequence)*>\n"
         "<!ATTLIST item card NMTOKEN #IMPLIED len NMTOKEN #IMPLIED offset NMTOKEN #IMPLIED>\n"
         "<!ELEMENT pixel-item (#PCDATA)>\n"
         "<!ATTLIST pixel-item len NMTOKEN #IMPLIED loaded (yes | no) \"yes\"\n"
         "  binary (yes | hidden | base64 | file) \"yes\">\n";
}

namespace {

constexpr std::string_view kDcmtkNamespace = "http://dicom.offis.de/dcmtk";
constexpr std::string_view kNativeNamespace = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};
constexpr Tag kPixelData{0x7FE0, 0x0010};

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

struct DocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct ParserDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
struct DtdDeleter {
  void operator()(xmlDtd* dtd) const { xmlFreeDtd(dtd); }
};
struct ValidDeleter {
  void operator()(xmlValidCtxt* ctxt) const { xmlFreeValidCtxt(ctxt); }
};
struct XmlCharDeleter {
  void operator()(xmlChar* text) const { xmlFree(text); }
};

std::string_view name_of(const xmlNode* node) {
  return node->name == nullptr
             ? std::string_view()
             : std::string_view(reinterpret_cast<const char*>(node->name));  // NOLINT
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
  std::unique_ptr<xmlChar, XmlCharDeleter> value(
      xmlGetProp(node, reinterpret_cast<const xmlChar*>(name)));  // NOLINT: libxml2's char type
  if (!value) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(value.get()));  // NOLINT
}

std::string content(const xmlNode* node) {
  std::unique_ptr<xmlChar, XmlCharDeleter> value(xmlNodeGetContent(node));
  if (!value) return {};
  return std::string(reinterpret_cast<const char*>(value.get()));  // NOLINT
}

bool is_element(const xmlNode* node) { return node->type == XML_ELEMENT_NODE; }

// Collects libxml2's validation messages instead of printing them.
void collect_message(void* context, const char* format, ...) {
  auto* messages = static_cast<std::string*>(context);
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (messages->size() < 4096) *messages += buffer;
}

// Decodes one UTF-8 sequence at `i`; -1 for invalid input (libxml2 gives valid UTF-8).
long next_code_point(std::string_view text, std::size_t& i) {
  const auto b = static_cast<unsigned char>(text[i]);
  std::size_t length = b < 0x80         ? 1
                       : (b >> 5) == 6  ? 2
                       : (b >> 4) == 14 ? 3
                       : (b >> 3) == 30 ? 4
                                        : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return -1;
  }
  long cp = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < length; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  i += length;
  return cp;
}

class Reader {
 public:
  Reader(const XmlReadOptions& options, XmlDocument& document)
      : options_(options), doc_(document) {}

  /// The text was escaped by escape_control_characters() before parsing.
  void set_control_escaped(bool escaped) noexcept { control_escaped_ = escaped; }

  Status read(xmlDoc* doc) {
    const xmlNode* root = xmlDocGetRootElement(doc);
    if (root == nullptr) return Error(ErrorCode::MalformedData, "the document has no root element");
    if (doc->encoding != nullptr) {
      declared_encoding_ = reinterpret_cast<const char*>(doc->encoding);  // NOLINT
    }
    const std::string_view root_name = name_of(root);
    if (root_name == "NativeDicomModel") {
      doc_.format = XmlFormat::Native;
      DCMKIT_TRY(check_namespace(root, kNativeNamespace));
      DCMKIT_TRY(native_data_set(root, doc_.data, 0));
      // File meta information (dcm2xml writes the transfer syntax of encapsulated pixel data):
      // into the meta group, as the DCMTK format's <meta-header>.
      std::vector<Tag> meta_tags;
      for (const Element& e : doc_.data) {
        if (e.tag().group() == 0x0002) meta_tags.push_back(e.tag());
      }
      for (const Tag tag : meta_tags) {
        if (const Element* e = doc_.data.find(tag); e != nullptr && options_.read_meta) {
          doc_.meta.insert(*e);
        }
        doc_.data.erase(tag);
      }
      return {};
    }
    if (root_name != "file-format" && root_name != "data-set") {
      return error_at(root, "document of the wrong type: root element '" + std::string(root_name) +
                                "', 'file-format', 'data-set' or 'NativeDicomModel' expected");
    }
    doc_.format = XmlFormat::Dcmtk;
    DCMKIT_TRY(check_namespace(root, kDcmtkNamespace));
    if (root_name == "data-set") return dcmtk_data_set_root(root);
    bool have_data_set = false;
    for (const xmlNode* child = root->children; child != nullptr; child = child->next) {
      if (!is_element(child)) continue;
      if (name_of(child) == "meta-header") {
        if (options_.read_meta) DCMKIT_TRY(dcmtk_items(child, doc_.meta, 0));
      } else if (name_of(child) == "data-set") {
        if (have_data_set) return error_at(child, "more than one data-set");
        have_data_set = true;
        DCMKIT_TRY(dcmtk_data_set_root(child));
      } else {
        return error_at(child, "unexpected <" + std::string(name_of(child)) + ">");
      }
    }
    if (!have_data_set) return error_at(root, "no data-set");
    return {};
  }

 private:
  Error error_at(const xmlNode* node, const std::string& message) const {
    return Error(ErrorCode::MalformedData,
                 "line " + std::to_string(xmlGetLineNo(node)) + ": " + message);
  }

  Status check_namespace(const xmlNode* root, std::string_view expected) const {
    if (!options_.check_namespace) return {};
    const char* href = root->ns != nullptr && root->ns->href != nullptr
                           ? reinterpret_cast<const char*>(root->ns->href)  // NOLINT
                           : "";
    if (expected != href) {
      return error_at(root, "missing or wrong namespace on the root element ('" +
                                std::string(expected) + "' expected)");
    }
    return {};
  }

  // A recoverable problem: a note, or an error unless ignore_errors.
  Status problem(const xmlNode* node, const std::string& message) {
    if (!options_.ignore_errors) return error_at(node, message);
    doc_.notes.push_back("line " + std::to_string(xmlGetLineNo(node)) + ": " + message);
    return {};
  }

  void note(const xmlNode* node, const std::string& message) {
    doc_.notes.push_back("line " + std::to_string(xmlGetLineNo(node)) + ": " + message);
  }

  // --- Text and character sets --------------------------------------------------------------

  // The bytes of a text value given as UTF-8 by libxml2, in the data set's character set (see
  // xml.h): through the document's declared ISO 8859 encoding or the Specific Character Set;
  // where neither can carry the text, characters up to U+00FF are the bytes dcm2xml quoted.
  std::string text_bytes(const std::string& utf8, VR vr) {
    if (!control_escaped_) return encoded_text(utf8, vr);
    // Control characters that XML 1.0 cannot carry came as U+F700 + byte (see read_xml()).
    std::string out;
    std::string segment;
    for (std::size_t i = 0; i < utf8.size();) {
      const auto b1 = static_cast<unsigned char>(utf8[i]);
      const auto b2 = i + 1 < utf8.size() ? static_cast<unsigned char>(utf8[i + 1]) : 0U;
      const auto b3 = i + 2 < utf8.size() ? static_cast<unsigned char>(utf8[i + 2]) : 0U;
      if (b1 == 0xEF && b2 == 0x9C && b3 >= 0x80 && b3 <= 0x9F) {
        out += encoded_text(segment, vr);
        segment.clear();
        out.push_back(static_cast<char>(b3 - 0x80));
        i += 3;
      } else {
        segment.push_back(utf8[i++]);
      }
    }
    return out + encoded_text(segment, vr);
  }

  std::string encoded_text(const std::string& utf8, VR vr) {
    if (std::all_of(utf8.begin(), utf8.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
      return utf8;
    }
    const std::string encoding = ofstd::to_upper(declared_encoding_);
    std::string term;
    if (ofstd::starts_with(encoding, "ISO-8859-")) {
      static const std::map<std::string, std::string, std::less<>> kTerms = {
          {"ISO-8859-1", "ISO_IR 100"}, {"ISO-8859-2", "ISO_IR 101"}, {"ISO-8859-3", "ISO_IR 109"},
          {"ISO-8859-4", "ISO_IR 110"}, {"ISO-8859-5", "ISO_IR 144"}, {"ISO-8859-6", "ISO_IR 127"},
          {"ISO-8859-7", "ISO_IR 126"}, {"ISO-8859-8", "ISO_IR 138"}, {"ISO-8859-9", "ISO_IR 148"}};
      if (const auto it = kTerms.find(encoding); it != kTerms.end()) term = it->second;
    } else {
      term = charset_value_;
    }
    const std::string_view trimmed = ofstd::trim(term);
    if (trimmed == "ISO_IR 192") return utf8;
    if (!trimmed.empty() && !xml_encoding_for(trimmed).empty() && trimmed != "ISO_IR 6") {
      if (auto charset = CharacterSet::from_value(trimmed)) {
        if (auto encoded = charset->encode(utf8, vr)) return *encoded;
      }
    }
    // Quoted bytes (dcm2xml's &#nnn; for character sets XML cannot name), else a character set
    // the document did not name but (0008,0005) does (GB18030, ISO 2022 ...).
    std::string bytes;
    bool all_bytes = true;
    for (std::size_t i = 0; i < utf8.size();) {
      const long cp = next_code_point(utf8, i);
      if (cp < 0 || cp > 0xFF) {
        all_bytes = false;
        break;
      }
      bytes.push_back(static_cast<char>(cp));
    }
    if (all_bytes) return bytes;
    if (!trimmed.empty()) {
      if (auto charset = CharacterSet::from_value(term)) {
        if (auto encoded = charset->encode(utf8, vr)) return *encoded;
      }
    }
    return utf8;
  }

  // --- Values --------------------------------------------------------------------------------

  static std::optional<Tag> parse_dcmtk_tag(std::string_view text) {
    // "gggg,eeee"
    if (text.size() != 9 || text[4] != ',') return std::nullopt;
    unsigned long long group = 0;
    unsigned long long element = 0;
    const auto hex = [](std::string_view s, unsigned long long& out) {
      if (s.size() != 4) return false;
      out = 0;
      for (const char c : s) {
        out <<= 4;
        if (c >= '0' && c <= '9')
          out |= static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
          out |= static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
          out |= static_cast<unsigned>(c - 'A' + 10);
        else
          return false;
      }
      return true;
    };
    if (!hex(text.substr(0, 4), group) || !hex(text.substr(5, 4), element)) return std::nullopt;
    return Tag(static_cast<std::uint16_t>(group), static_cast<std::uint16_t>(element));
  }

  static std::optional<std::uint32_t> parse_hex32(std::string_view text) {
    if (text.empty() || text.size() > 8) return std::nullopt;
    std::uint32_t value = 0;
    for (const char c : text) {
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        value |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        value |= static_cast<unsigned>(c - 'A' + 10);
      else
        return std::nullopt;
    }
    return value;
  }

  // Binary numbers of `vr` from their texts (US ... FD, AT, OF/OD/OL/OV), little endian.
  Result<std::vector<std::byte>> number_bytes(const std::vector<std::string>& texts, VR vr) const {
    std::vector<std::byte> out;
    const std::size_t size = vr_info(vr).value_size;
    for (const std::string& raw : texts) {
      const std::string_view text = ofstd::trim(raw);
      std::vector<std::byte> value(size);
      const auto bad = [&] {
        return Error(ErrorCode::MalformedData, "'" + std::string(text) + "' is not a value of VR " +
                                                   std::string(to_string(vr)));
      };
      if (vr == VR::AT) {
        std::string digits;
        for (const char c : text) {
          if (c != '(' && c != ')' && c != ',') digits += c;
        }
        const auto tag = parse_hex32(digits);
        if (!tag || digits.size() != 8) return bad();
        ofstd::store(value.data(), static_cast<std::uint16_t>(*tag >> 16), ofstd::Endian::Little);
        ofstd::store(value.data() + 2, static_cast<std::uint16_t>(*tag), ofstd::Endian::Little);
      } else if (vr == VR::FL || vr == VR::OF || vr == VR::FD || vr == VR::OD) {
        double number = 0;
        if (!ofstd::parse_double(text, number)) {
          // NaN and infinities as printf writes them.
          if (ofstd::iequals(text, "nan") || ofstd::iequals(text, "-nan")) {
            number = std::nan("");
          } else if (ofstd::iequals(text, "inf")) {
            number = HUGE_VAL;
          } else if (ofstd::iequals(text, "-inf")) {
            number = -HUGE_VAL;
          } else {
            return bad();
          }
        }
        if (size == 4) {
          ofstd::store(value.data(), std::bit_cast<std::uint32_t>(static_cast<float>(number)),
                       ofstd::Endian::Little);
        } else {
          ofstd::store(value.data(), std::bit_cast<std::uint64_t>(number), ofstd::Endian::Little);
        }
      } else {
        const bool is_signed = vr == VR::SS || vr == VR::SL || vr == VR::SV;
        if (is_signed) {
          long long number = 0;
          if (!ofstd::parse_int(text, number)) return bad();
          const long long bits = static_cast<long long>(size) * 8;
          if (bits < 64 && (number < -(1LL << (bits - 1)) || number >= (1LL << (bits - 1)))) {
            return bad();
          }
          const auto u = static_cast<std::uint64_t>(number);
          for (std::size_t k = 0; k < size; ++k) value[k] = static_cast<std::byte>(u >> (8 * k));
        } else {
          unsigned long long number = 0;
          if (!ofstd::parse_uint(text, number)) return bad();
          if (size < 8 && number >> (size * 8) != 0) return bad();
          for (std::size_t k = 0; k < size; ++k) {
            value[k] = static_cast<std::byte>(number >> (8 * k));
          }
        }
      }
      out.insert(out.end(), value.begin(), value.end());
    }
    return out;
  }

  // DCMTK format binary="yes": "01\02" (OB, UN) or "0102\0304" (OW and others), little endian.
  static Result<std::vector<std::byte>> hex_bytes(std::string_view text, bool words) {
    std::vector<std::byte> out;
    for (std::string_view part : ofstd::split(text, '\\')) {
      part = ofstd::trim(part, " \t\r\n");
      if (part.empty()) continue;
      const auto value = parse_hex32(part);
      if (!value || part.size() > (words ? 4u : 2u)) {
        return Error(ErrorCode::MalformedData,
                     "'" + std::string(part) + "' is not a hex " + (words ? "word" : "byte"));
      }
      out.push_back(static_cast<std::byte>(*value & 0xFF));
      if (words) out.push_back(static_cast<std::byte>((*value >> 8) & 0xFF));
    }
    return out;
  }

  Result<std::vector<std::byte>> file_bytes(const xmlNode* node, const std::string& name) {
    if (!options_.allow_file_references) {
      return error_at(node, "binary=\"file\" references are not allowed");
    }
    const std::string path(ofstd::trim(name, " \t\r\n"));
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::IoError,
                   "line " + std::to_string(xmlGetLineNo(node)) + ": cannot read '" + path + "'");
    }
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::byte> bytes(data.size());
    if (!data.empty()) std::memcpy(bytes.data(), data.data(), data.size());
    return bytes;
  }

  // --- DCMTK format ----------------------------------------------------------------------------

  Status dcmtk_data_set_root(const xmlNode* node) {
    if (auto xfer = attribute(node, "xfer")) doc_.transfer_syntax_uid = *xfer;
    return dcmtk_items(node, doc_.data, 0);
  }

  Status dcmtk_items(const xmlNode* parent, DataSet& ds, std::uint32_t depth) {
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
      if (!is_element(child)) continue;
      const std::string_view kind = name_of(child);
      if (kind == "element") {
        DCMKIT_TRY(dcmtk_element(child, ds));
      } else if (kind == "sequence") {
        DCMKIT_TRY(dcmtk_sequence(child, ds, depth));
      } else {
        return error_at(child, "unexpected <" + std::string(kind) + ">");
      }
    }
    return {};
  }

  Result<std::pair<Tag, VR>> tag_and_vr(const xmlNode* node) const {
    const auto tag_text = attribute(node, "tag");
    const auto vr_text = attribute(node, "vr");
    if (!tag_text || !vr_text) return error_at(node, "missing tag or vr attribute");
    const auto tag = parse_dcmtk_tag(*tag_text);
    if (!tag) return error_at(node, "invalid tag '" + *tag_text + "'");
    const auto vr = vr_from_string(*vr_text);
    if (!vr) return error_at(node, tag->to_string() + ": invalid VR '" + *vr_text + "'");
    return std::pair{*tag, *vr};
  }

  Status dcmtk_element(const xmlNode* node, DataSet& ds) {
    auto tag_vr = tag_and_vr(node);
    if (!tag_vr) return problem(node, tag_vr.error().message());
    const auto [tag, vr] = *tag_vr;
    const std::string text = content(node);
    const std::string binary = attribute(node, "binary").value_or("no");
    if (attribute(node, "loaded").value_or("yes") == "no") {
      note(node, tag.to_string() + ": value was not loaded by the writer; written empty");
      ds.insert(Element(tag, vr));
      return {};
    }
    const VrInfo& info = vr_info(vr);
    Result<std::vector<std::byte>> bytes = std::vector<std::byte>();
    if (binary == "hidden") {
      note(node, tag.to_string() + ": value is hidden; written empty");
      ds.insert(Element(tag, vr));
      return {};
    }
    if (binary == "yes") {
      bytes = hex_bytes(text, vr != VR::OB && vr != VR::UN);
    } else if (binary == "base64") {
      bytes = detail::base64_decode(text);
      // dcm2xml writes OW in big endian words (see xml_writer.cc).
      if (bytes && vr == VR::OW) {
        for (std::size_t i = 0; i + 2 <= bytes->size(); i += 2) {
          std::swap((*bytes)[i], (*bytes)[i + 1]);
        }
      }
    } else if (binary == "file") {
      bytes = file_bytes(node, text);
      if (!bytes) return std::move(bytes).error();
    } else if (binary != "no") {
      return problem(node, tag.to_string() + ": invalid binary attribute '" + binary + "'");
    } else if (info.kind == VrKind::Text) {
      const std::string value = text_bytes(text, vr);
      bytes = std::vector<std::byte>(reinterpret_cast<const std::byte*>(value.data()),   // NOLINT
                                     reinterpret_cast<const std::byte*>(value.data()) +  // NOLINT
                                         value.size());
    } else if (info.kind == VrKind::Sequence) {
      return problem(node, tag.to_string() + ": an SQ value must be a <sequence>");
    } else if (vr == VR::OB || vr == VR::UN || vr == VR::OW) {
      // Binary values without binary="yes" (hand-written documents): hex, as +Wb writes them.
      bytes = hex_bytes(text, vr == VR::OW);
    } else {
      std::vector<std::string> texts;
      if (!ofstd::trim(text).empty()) {
        for (std::string_view part : ofstd::split(text, '\\')) texts.emplace_back(part);
      }
      bytes = number_bytes(texts, vr);
    }
    if (!bytes) return problem(node, tag.to_string() + ": " + bytes.error().message());
    if (tag == kSpecificCharacterSet && ds_is_top(ds)) {
      charset_value_.assign(reinterpret_cast<const char*>(bytes->data()), bytes->size());  // NOLINT
    }
    insert(ds, Element(tag, vr, SharedBytes::from_vector(std::move(*bytes))));
    return {};
  }

  bool ds_is_top(const DataSet& ds) const { return &ds == &doc_.data; }

  // The Native document names a transfer syntax (0002,0010) that is not an encapsulated one.
  static bool names_native_transfer_syntax(const DataSet& ds) {
    const Element* uid = ds.find(Tag{0x0002, 0x0010});
    if (uid == nullptr) return false;
    const auto ts =
        TransferSyntax::lookup(ofstd::trim(uid->bytes().chars(), std::string_view(" \0", 2)));
    return ts && !ts->is_encapsulated();
  }

  void insert(DataSet& ds, Element element) {
    if (ds.contains(element.tag())) {
      doc_.notes.push_back(element.tag().to_string() + " appears twice; the last is kept");
    }
    ds.insert(std::move(element));
  }

  Status dcmtk_sequence(const xmlNode* node, DataSet& ds, std::uint32_t depth) {
    auto tag_vr = tag_and_vr(node);
    if (!tag_vr) return problem(node, tag_vr.error().message());
    const auto [tag, vr] = *tag_vr;
    if (vr != VR::SQ) {
      // Encapsulated pixel data: <pixel-item> children.
      std::vector<SharedBytes> fragments;
      for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
        if (!is_element(child)) continue;
        if (name_of(child) != "pixel-item") {
          return error_at(child, "<pixel-item> expected in encapsulated " + tag.to_string());
        }
        const std::string binary = attribute(child, "binary").value_or("yes");
        const std::string text = content(child);
        Result<std::vector<std::byte>> bytes = std::vector<std::byte>();
        if (attribute(child, "loaded").value_or("yes") == "no" || binary == "hidden") {
          note(child, tag.to_string() + ": a pixel item's value is missing; written empty");
        } else if (binary == "base64") {
          bytes = detail::base64_decode(text);
        } else if (binary == "file") {
          bytes = file_bytes(child, text);
          if (!bytes) return std::move(bytes).error();
        } else {
          bytes = hex_bytes(text, false);
        }
        if (!bytes) return problem(child, tag.to_string() + ": " + bytes.error().message());
        fragments.push_back(SharedBytes::from_vector(std::move(*bytes)));
      }
      insert(ds, Element::encapsulated(tag, vr, std::move(fragments)));
      return {};
    }
    if (depth >= options_.max_sequence_depth) {
      return Error(ErrorCode::LimitExceeded, "line " + std::to_string(xmlGetLineNo(node)) +
                                                 ": sequences nested deeper than " +
                                                 std::to_string(options_.max_sequence_depth));
    }
    std::vector<DataSet> items;
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (!is_element(child)) continue;
      if (name_of(child) != "item") return error_at(child, "<item> expected in " + tag.to_string());
      DataSet item;
      item.set_inherited_character_set(ds.character_set_ptr());
      DCMKIT_TRY(dcmtk_items(child, item, depth + 1));
      items.push_back(std::move(item));
    }
    insert(ds, Element::sequence(tag, std::move(items)));
    return {};
  }

  // --- Native DICOM Model --------------------------------------------------------------------

  Status native_data_set(const xmlNode* parent, DataSet& ds, std::uint32_t depth) {
    for (const xmlNode* child = parent->children; child != nullptr; child = child->next) {
      if (!is_element(child)) continue;
      if (name_of(child) != "DicomAttribute") {
        return error_at(child,
                        "<DicomAttribute> expected, not <" + std::string(name_of(child)) + ">");
      }
      DCMKIT_TRY(native_attribute(child, ds, depth));
    }
    return {};
  }

  // The tag of a private attribute given as gggg00ee with its creator: the block the creator
  // holds in `ds`, reserved now if it is not there yet.
  Result<Tag> private_tag(const xmlNode* node, Tag tag, const std::string& creator, DataSet& ds) {
    if (tag.element() >= 0x1000 || !tag.is_private()) return tag;
    std::optional<std::uint16_t> block;
    std::optional<std::uint16_t> free_block;
    for (std::uint16_t b = 0x10; b <= 0xFF; ++b) {
      const Element* e = ds.find(Tag(tag.group(), b));
      if (e == nullptr) {
        if (!free_block) free_block = b;
        continue;
      }
      if (ofstd::trim(e->bytes().chars(), std::string_view(" \0", 2)) == ofstd::trim(creator)) {
        block = b;
        break;
      }
    }
    if (!block) {
      if (!free_block) return error_at(node, "no free private block for '" + creator + "'");
      block = free_block;
      std::string value(ofstd::trim(creator));
      ds.insert(Element(Tag(tag.group(), *block), VR::LO, SharedBytes::copy_of(value)));
    }
    return Tag(tag.group(), static_cast<std::uint16_t>(*block << 8 | (tag.element() & 0xFF)));
  }

  Status native_attribute(const xmlNode* node, DataSet& ds, std::uint32_t depth) {
    const auto tag_text = attribute(node, "tag");
    const auto vr_text = attribute(node, "vr");
    std::optional<Tag> tag;
    if (tag_text) {
      if (const auto value = parse_hex32(*tag_text); value && tag_text->size() == 8) {
        tag = Tag::from_u32(*value);
      }
    } else if (const auto keyword = attribute(node, "keyword")) {
      tag = tag_from_keyword(*keyword);
    }
    if (!tag) return problem(node, "invalid or missing tag '" + tag_text.value_or("") + "'");
    std::optional<VR> vr;
    if (vr_text) {
      vr = vr_from_string(*vr_text);
    } else if (const TagEntry* entry = lookup_tag(*tag)) {
      vr = entry->vr();
    }
    if (!vr) return problem(node, tag->to_string() + ": invalid or missing VR");
    if (const auto creator = attribute(node, "privateCreator")) {
      DCMKIT_ASSIGN_OR_RETURN(tag, private_tag(node, *tag, *creator, ds));
    }
    std::map<std::size_t, std::string> values;
    std::vector<DataSet> items;
    std::vector<SharedBytes> fragments;
    std::optional<std::vector<std::byte>> binary;
    bool bulk = false;
    std::optional<SharedBytes> bulk_bytes;
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (!is_element(child)) continue;
      const std::string_view kind = name_of(child);
      const auto number = [&]() -> Result<std::size_t> {
        unsigned long long n = 0;
        const auto text = attribute(child, "number");
        if (!text || !ofstd::parse_uint(*text, n) || n == 0 || n > 1000000) {
          return error_at(child, "invalid number attribute");
        }
        return static_cast<std::size_t>(n);
      };
      if (kind == "Value") {
        DCMKIT_ASSIGN_OR_RETURN(const std::size_t n, number());
        values[n] = content(child);
      } else if (kind == "PersonName") {
        DCMKIT_ASSIGN_OR_RETURN(const std::size_t n, number());
        values[n] = person_name(child);
      } else if (kind == "Item") {
        if (depth >= options_.max_sequence_depth) {
          return Error(ErrorCode::LimitExceeded, "line " + std::to_string(xmlGetLineNo(child)) +
                                                     ": sequences nested deeper than " +
                                                     std::to_string(options_.max_sequence_depth));
        }
        DataSet item;
        item.set_inherited_character_set(ds.character_set_ptr());
        DCMKIT_TRY(native_data_set(child, item, depth + 1));
        items.push_back(std::move(item));
      } else if (kind == "InlineBinary") {
        auto decoded = detail::base64_decode(content(child));
        if (!decoded) return problem(child, tag->to_string() + ": " + decoded.error().message());
        binary = std::move(*decoded);
      } else if (kind == "BulkData") {
        bulk = true;
        const auto uri = attribute(child, "uri");
        if (uri && options_.bulk_data_loader) {
          auto loaded = options_.bulk_data_loader(*uri);
          if (!loaded) {
            return Error(loaded.error().code(), "line " + std::to_string(xmlGetLineNo(child)) +
                                                    ": " + tag->to_string() + ": " +
                                                    loaded.error().message());
          }
          bulk_bytes = std::move(*loaded);
        } else {
          note(child, tag->to_string() + ": BulkData cannot be resolved; written empty");
        }
      } else if (kind == "DataFragment") {
        std::vector<std::byte> bytes;
        for (const xmlNode* part = child->children; part != nullptr; part = part->next) {
          if (!is_element(part)) continue;
          if (name_of(part) == "InlineBinary") {
            auto decoded = detail::base64_decode(content(part));
            if (!decoded) return problem(part, tag->to_string() + ": " + decoded.error().message());
            bytes = std::move(*decoded);
          } else if (name_of(part) == "BulkData") {
            note(part, tag->to_string() + ": BulkData cannot be resolved; written empty");
          }
        }
        fragments.push_back(SharedBytes::from_vector(std::move(bytes)));
      } else {
        return problem(child, "unexpected <" + std::string(kind) + "> in " + tag->to_string());
      }
    }
    if (*vr == VR::SQ) {
      insert(ds, Element::sequence(*tag, std::move(items)));
      return {};
    }
    if (!fragments.empty()) {
      insert(ds, Element::encapsulated(*tag, *vr, std::move(fragments)));
      return {};
    }
    // Encapsulated Pixel Data comes as its item stream (see xml.h), unless the document names
    // a transfer syntax that is not encapsulated.
    if ((binary || bulk_bytes) && *tag == kPixelData && (*vr == VR::OB || *vr == VR::OW) &&
        !names_native_transfer_syntax(doc_.data)) {
      const SharedBytes value =
          bulk_bytes ? *bulk_bytes : SharedBytes::from_vector(std::vector<std::byte>(*binary));
      if (auto split = detail::split_item_stream(value)) {
        insert(ds, Element::encapsulated(*tag, *vr, std::move(*split)));
        return {};
      }
    }
    if (bulk_bytes) {
      insert(ds, Element(*tag, *vr, std::move(*bulk_bytes)));
      return {};
    }
    const VrInfo& info = vr_info(*vr);
    std::vector<std::byte> bytes;
    if (binary) {
      bytes = std::move(*binary);
    } else if (bulk) {
      // empty
    } else if (!values.empty()) {
      std::vector<std::string> texts(values.rbegin()->first);
      for (auto& [n, text] : values) texts[n - 1] = std::move(text);
      if (info.kind == VrKind::Text) {
        const std::string joined = text_bytes(ofstd::join(texts, "\\"), *vr);
        bytes.assign(reinterpret_cast<const std::byte*>(joined.data()),                   // NOLINT
                     reinterpret_cast<const std::byte*>(joined.data()) + joined.size());  // NOLINT
      } else if (info.kind == VrKind::Binary || *vr == VR::OF || *vr == VR::OD || *vr == VR::OL ||
                 *vr == VR::OV) {
        auto numbers = number_bytes(texts, *vr);
        if (!numbers) return problem(node, tag->to_string() + ": " + numbers.error().message());
        bytes = std::move(*numbers);
      } else {
        return problem(node, tag->to_string() + ": <Value> for VR " + std::string(to_string(*vr)));
      }
    }
    if (*tag == kSpecificCharacterSet && ds_is_top(ds)) {
      charset_value_.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT
    }
    if (tag->is_private_creator() && ds.contains(*tag)) return {};  // reserved above already
    insert(ds, Element(*tag, *vr, SharedBytes::from_vector(std::move(bytes))));
    return {};
  }

  // "Family^Given^Middle^Prefix^Suffix=...=..." from <PersonName>, empty trailing parts dropped.
  std::string person_name(const xmlNode* node) {
    static constexpr std::array<std::string_view, 3> kGroups = {"Alphabetic", "Ideographic",
                                                                "Phonetic"};
    static constexpr std::array<std::string_view, 5> kComponents = {
        "FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};
    std::array<std::string, 3> groups;
    std::size_t present = 0;  // groups up to the last one given (even empty: "A=" keeps its '=')
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (!is_element(child)) continue;
      const auto g = std::find(kGroups.begin(), kGroups.end(), name_of(child));
      if (g == kGroups.end()) continue;
      std::array<std::string, 5> parts;
      for (const xmlNode* part = child->children; part != nullptr; part = part->next) {
        if (!is_element(part)) continue;
        const auto c = std::find(kComponents.begin(), kComponents.end(), name_of(part));
        if (c != kComponents.end())
          parts[static_cast<std::size_t>(c - kComponents.begin())] = content(part);
      }
      std::size_t used = parts.size();
      while (used > 0 && parts[used - 1].empty()) --used;
      std::string text;
      for (std::size_t i = 0; i < used; ++i) {
        if (i != 0) text += '^';
        text += parts[i];
      }
      const auto index = static_cast<std::size_t>(g - kGroups.begin());
      groups[index] = std::move(text);
      present = std::max(present, index + 1);
    }
    std::size_t used = groups.size();
    while (used > present && groups[used - 1].empty()) --used;
    std::string name;
    for (std::size_t i = 0; i < used; ++i) {
      if (i != 0) name += '=';
      name += groups[i];
    }
    return name;
  }

  const XmlReadOptions& options_;
  XmlDocument& doc_;
  std::string declared_encoding_;
  std::string charset_value_;
  bool control_escaped_ = false;
};

// Control characters other than tab, line feed and carriage return cannot appear in XML 1.0,
// not even as character references, but dcm2xml writes them as they are (as DCMTK's does) when a
// value holds them. So that such documents read back to the same bytes, each becomes the
// character reference of U+F700 + its byte before parsing, and Reader::text_bytes() turns
// those back. In UTF-8 and the ISO 8859 encodings these bytes are never part of a longer
// character. Empty if the text has none.
std::string escape_control_characters(std::string_view text) {
  const auto is_control = [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b < 0x20 && b != '\t' && b != '\n' && b != '\r';
  };
  if (std::none_of(text.begin(), text.end(), is_control)) return {};
  std::string out;
  out.reserve(text.size() + 64);
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_control(c)) {
      const auto b = static_cast<unsigned char>(c);
      out += "&#xF7";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
      out.push_back(';');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Result<XmlDocument> read_xml(std::string_view text, const XmlReadOptions& options) {
  if (text.size() > options.max_input_size || text.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error(ErrorCode::LimitExceeded,
                 "XML input of " + std::to_string(text.size()) + " bytes is too large");
  }
  init_libxml();
  const std::string escaped = escape_control_characters(text);
  if (!escaped.empty()) {
    if (escaped.size() > static_cast<std::size_t>(INT_MAX)) {
      return Error(ErrorCode::LimitExceeded,
                   "XML input of " + std::to_string(text.size()) + " bytes is too large");
    }
    text = escaped;
  }
  std::unique_ptr<xmlParserCtxt, ParserDeleter> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Error(ErrorCode::Internal, "cannot create an XML parser");
  // No network, no external DTD or entities, no entity substitution; large text nodes (binary
  // values) are allowed, the size being bounded above. Errors are collected, not printed.
  const int flags = XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  std::unique_ptr<xmlDoc, DocDeleter> doc(xmlCtxtReadMemory(
      ctxt.get(), text.data(), static_cast<int>(text.size()), nullptr, nullptr, flags));
  if (!doc) {
    const xmlError* error = xmlCtxtGetLastError(ctxt.get());
    std::string message =
        error != nullptr && error->message != nullptr ? error->message : "not well-formed";
    while (!message.empty() && message.back() == '\n') message.pop_back();
    const int line = error != nullptr ? error->line : 0;
    // libxml2 keeps the column of a parser error in int2.
    const int column = error != nullptr ? error->int2 : 0;
    std::string where = "line " + std::to_string(line);
    if (column > 0) where += ", column " + std::to_string(column);
    return Error(ErrorCode::MalformedData, where + ": " + message);
  }
  if (options.validate) {
    std::string messages;
    std::unique_ptr<xmlValidCtxt, ValidDeleter> valid(xmlNewValidCtxt());
    if (!valid) return Error(ErrorCode::Internal, "cannot create an XML validator");
    valid->userData = &messages;
    valid->error = collect_message;
    valid->warning = collect_message;
    const xmlNode* root = xmlDocGetRootElement(doc.get());
    const bool native = root != nullptr && name_of(root) == "NativeDicomModel";
    int ok = 1;
    if (native) {
      // PS3.19 defines no DTD; the Native model is checked while it is read.
    } else if (doc->intSubset != nullptr && doc->intSubset->children != nullptr) {
      ok = xmlValidateDocument(valid.get(), doc.get());
    } else {
      const std::string_view dtd_text = dcmtk_xml_dtd();
      std::unique_ptr<xmlDtd, DtdDeleter> dtd(xmlIOParseDTD(
          nullptr,
          xmlParserInputBufferCreateMem(dtd_text.data(), static_cast<int>(dtd_text.size()),
                                        XML_CHAR_ENCODING_UTF8),
          XML_CHAR_ENCODING_UTF8));
      if (!dtd) return Error(ErrorCode::Internal, "cannot parse the built-in DTD");
      ok = xmlValidateDtd(valid.get(), doc.get(), dtd.get());
    }
    if (ok != 1) {
      while (!messages.empty() && messages.back() == '\n') messages.pop_back();
      return Error(ErrorCode::MalformedData, "document is not valid: " + messages);
    }
  }
  XmlDocument document;
  Reader reader(options, document);
  reader.set_control_escaped(!escaped.empty());
  DCMKIT_TRY(reader.read(doc.get()));
  return document;
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// dcmdump's text format. The layout rules (column widths, shortening, padding display, pseudo
// VRs) were established by observing DCMTK 3.6.7's output; docs/dcmdump.md lists them.
#include "dcmkit/dcmdata/dump.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/strings.h"
#include "reader_detail.h"

namespace dcmkit::dcmdata {
namespace {

// dcmdump prints at most this many characters of a value unless +L (DCMTK's line length).
constexpr std::size_t kMaxValueChars = 70;
// Values are padded to this width before " # ".
constexpr std::size_t kValueColumn = 40;

constexpr Tag kPixelRepresentation{0x0028, 0x0103};

// ANSI colours of dcmdump +C.
constexpr std::string_view kColorTag = "\x1b[22m\x1b[32m";
constexpr std::string_view kColorVr = "\x1b[22m\x1b[31m";
constexpr std::string_view kColorValue = "\x1b[1m\x1b[37m";
constexpr std::string_view kColorInfo = "\x1b[1m\x1b[30m";
constexpr std::string_view kColorLength = "\x1b[22m\x1b[36m";
constexpr std::string_view kColorVm = "\x1b[22m\x1b[35m";
constexpr std::string_view kColorName = "\x1b[22m\x1b[33m";
constexpr std::string_view kColorReset = "\x1b[0m";

// DCMTK's pseudo VR for a tag ("xs", "lt", "up", ...), or empty.
std::string_view pseudo_vr(Tag tag) noexcept {
  const TagEntry* entry = lookup_tag(tag);
  if (entry == nullptr) return {};
  const std::string_view name = dcmtk_vr_name(*entry);
  return (name == "xs" || name == "lt" || name == "up") ? name : std::string_view{};
}

// "(no value available)", "(Sequence with ...)": a description in place of a value (an AT value
// "(gggg,eeee)" also starts with a parenthesis, but is data).
bool is_note(std::string_view value) {
  if (!value.empty() && value.front() == '"') return true;  // DICOMDIR record descriptions
  if (value.empty() || value.front() != '(') return false;
  return !(value.size() >= 11 && value[5] == ',' && value[10] == ')');
}

std::string hex_tag(Tag tag) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "(%04x,%04x)", tag.group(), tag.element());
  return buffer;
}

// Digits as DCMTK generates them (established from its output): integer digits by repeated
// division, fraction digits by repeated multiplication, both in double arithmetic, rounded by
// adding 5 at the first digit not kept. The imprecision of this scheme shows in the last digits
// (2/3 prints as 0.66666666666666661), and dumps must reproduce it.
std::vector<int> integer_digits(double integral) {
  std::vector<int> digits;
  while (integral != 0) {
    const double fraction = std::modf(integral / 10, &integral);
    digits.push_back(static_cast<int>((fraction + .03) * 10));
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// Rounds `digits` (at least count+1 of them) to `count`; returns true on a carry out of the
// first digit (all nines).
bool round_digits(std::vector<int>& digits, std::size_t count) {
  digits.resize(count + 1, 0);
  digits[count] += 5;
  std::size_t i = count;
  bool carry = false;
  while (digits[i] > 9) {
    digits[i] = 0;
    if (i == 0) {
      carry = true;
      break;
    }
    ++digits[--i];
  }
  digits.resize(count);
  return carry;
}

// `count` significant digits of |value| and the decimal point position (ecvt style).
std::vector<int> significant_digits(double value, std::size_t count, int& decpt) {
  double integral = 0;
  double arg = std::modf(std::fabs(value), &integral);
  std::vector<int> digits;
  int exponent = 0;
  if (integral != 0) {
    digits = integer_digits(integral);
    exponent = static_cast<int>(digits.size());
  } else if (arg > 0) {
    while (arg * 10 < 1) {
      arg *= 10;
      --exponent;
    }
  }
  while (digits.size() <= count) {
    arg *= 10;
    double digit = 0;
    arg = std::modf(arg, &digit);
    digits.push_back(static_cast<int>(digit));
  }
  if (round_digits(digits, count)) {
    digits.insert(digits.begin(), 1);
    digits.pop_back();
    ++exponent;
  }
  decpt = exponent;
  return digits;
}

std::string digits_text(const std::vector<int>& digits, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < digits.size(); ++i) out += static_cast<char>('0' + digits[i]);
  return out;
}

std::string strip_zeros(std::string digits) {
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return digits;
}

bool is_text_vr(VR vr) { return vr_info(vr).kind == VrKind::Text; }

}  // namespace

std::string format_dcmtk_double(double value, int precision) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return "0";
  const auto count = static_cast<std::size_t>(precision);
  std::string out = value < 0 ? "-" : "";
  int decpt = 0;
  const std::vector<int> digits = significant_digits(value, count, decpt);
  const int exponent = decpt - 1;
  if (exponent < -4 || exponent >= precision) {
    const std::string mantissa = strip_zeros(digits_text(digits, 1));
    out += static_cast<char>('0' + digits[0]);
    if (!mantissa.empty()) out += "." + mantissa;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "e%c%02d", exponent < 0 ? '-' : '+',
                  exponent < 0 ? -exponent : exponent);
    return out + buffer;
  }
  if (decpt <= 0) {
    return out + "0." + std::string(static_cast<std::size_t>(-decpt), '0') +
           strip_zeros(digits_text(digits));
  }
  // Fixed notation with an integer part: the fraction's leading zeros do not count as
  // significant digits; the integer digits do.
  double integral = 0;
  double fraction = std::modf(std::fabs(value), &integral);
  std::vector<int> whole = integer_digits(integral);
  std::string fraction_text;
  if (whole.size() < count && fraction > 0) {
    const std::size_t wanted = count - whole.size();
    std::size_t zeros = 0;
    while (fraction * 10 < 1) {
      fraction *= 10;
      ++zeros;
    }
    std::vector<int> fraction_digits;
    while (fraction_digits.size() <= wanted) {
      fraction *= 10;
      double digit = 0;
      fraction = std::modf(fraction, &digit);
      fraction_digits.push_back(static_cast<int>(digit));
    }
    if (round_digits(fraction_digits, wanted)) {
      if (zeros > 0) {
        --zeros;
        fraction_digits.assign(wanted, 0);
        fraction_digits[0] = 1;
      } else {
        whole = integer_digits(integral + 1);
        fraction_digits.clear();
      }
    }
    fraction_text = strip_zeros(std::string(zeros, '0') + digits_text(fraction_digits));
  }
  out += digits_text(whole);
  if (!fraction_text.empty()) out += "." + fraction_text;
  return out;
}

std::string_view dcmtk_transfer_syntax_name(std::string_view uid) noexcept {
  struct Name {
    std::string_view uid;
    std::string_view name;
  };
  static constexpr Name kNames[] = {
      {"1.2.840.10008.1.2", "Little Endian Implicit"},
      {"1.2.840.10008.1.2.1", "Little Endian Explicit"},
      {"1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian"},
      {"1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"},
      {"1.2.840.10008.1.2.2", "Big Endian Explicit"},
      {"1.2.840.10008.1.2.4.50", "JPEG Baseline"},
      {"1.2.840.10008.1.2.4.51", "JPEG Extended, Process 2+4"},
      {"1.2.840.10008.1.2.4.52", "JPEG Extended, Process 3+5"},
      {"1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-hierarchical, Process 6+8"},
      {"1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-hierarchical, Process 7+9"},
      {"1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-hierarchical, Process 10+12"},
      {"1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-hierarchical, Process 11+13"},
      {"1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-hierarchical, Process 14"},
      {"1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-hierarchical, Process 15"},
      {"1.2.840.10008.1.2.4.59", "JPEG Extended, Hierarchical, Process 16+18"},
      {"1.2.840.10008.1.2.4.60", "JPEG Extended, Hierarchical, Process 17+19"},
      {"1.2.840.10008.1.2.4.61", "JPEG Spectral Selection, Hierarchical, Process 20+22"},
      {"1.2.840.10008.1.2.4.62", "JPEG Spectral Selection, Hierarchical, Process 21+23"},
      {"1.2.840.10008.1.2.4.63", "JPEG Full Progression, Hierarchical, Process 24+26"},
      {"1.2.840.10008.1.2.4.64", "JPEG Full Progression, Hierarchical, Process 25+27"},
      {"1.2.840.10008.1.2.4.65", "JPEG Lossless, Hierarchical, Process 28"},
      {"1.2.840.10008.1.2.4.66", "JPEG Lossless, Hierarchical, Process 29"},
      {"1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-hierarchical, 1st Order Prediction"},
      {"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"},
      {"1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-lossless)"},
      {"1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless only)"},
      {"1.2.840.10008.1.2.4.91", "JPEG 2000 (Lossless or Lossy)"},
      {"1.2.840.10008.1.2.4.92",
       "JPEG 2000 Part 2 Multicomponent Image Compression (Lossless only)"},
      {"1.2.840.10008.1.2.4.93",
       "JPEG 2000 Part 2 Multicomponent Image Compression (Lossless or Lossy)"},
      {"1.2.840.10008.1.2.4.94", "JPIP Referenced"},
      {"1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"},
      {"1.2.840.10008.1.2.4.100", "MPEG2 Main Profile @ Main Level"},
      {"1.2.840.10008.1.2.4.101", "MPEG2 Main Profile @ High Level"},
      {"1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"},
      {"1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"},
      {"1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"},
      {"1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"},
      {"1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"},
      {"1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"},
      {"1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"},
      // Added to the standard after DCMTK 3.6.7 (which prints "Little Endian Explicit" for them).
      {"1.2.840.10008.1.2.4.110", "JPEG XL Lossless"},
      {"1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"},
      {"1.2.840.10008.1.2.4.112", "JPEG XL"},
      {"1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless only)"},
      {"1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless only)"},
      {"1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 (Lossless or Lossy)"},
      {"1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced"},
      {"1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate"},
      {"1.2.840.10008.1.2.5", "RLE Lossless"},
      {"1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression"},
      {"1.2.840.113619.5.2", "Private GE Little Endian Implicit with big endian pixel data"},
  };
  for (const Name& n : kNames) {
    if (n.uid == uid) return n.name;
  }
  return "Unknown Transfer Syntax";
}

namespace {

class Dumper {
 public:
  Dumper(std::string& out, const DumpOptions& options) : out_(out), options_(options) {}

  void set_transfer_syntax(const TransferSyntax& ts) { ts_ = ts; }
  void set_dicomdir(bool dicomdir) { dicomdir_ = dicomdir; }
  /// Values of a deflated data set are always loaded (DCMTK cannot defer reading them).
  void set_load_all(bool load_all) { load_all_ = load_all; }

  bool not_loaded(std::uint64_t length) const {
    return !load_all_ && options_.max_loaded_length && length > *options_.max_loaded_length;
  }

  void comment(std::string_view text, bool close_color = true) {
    if (options_.color) {
      // dcmdump +C opens every comment line in grey (twice in tree mode) and closes the colour
      // at the end of a block only.
      out_ += kColorInfo;
      if (options_.tree) out_ += kColorInfo;
    }
    out_ += text;
    if (options_.color && close_color) out_ += kColorReset;
    out_ += '\n';
  }

  void data_set(const DataSet& ds, int level) {
    for (const Element& e : ds) element(e, ds, level);
  }

  // --- One line ---------------------------------------------------------------------------

  void line(int level, Tag tag, std::string_view vr, std::string_view value,
            std::string_view length, std::size_t vm, std::string_view name) {
    if (options_.tree) {
      std::string head;
      std::size_t width = 0;
      if (options_.color) head += kColorInfo;
      for (int i = 0; i < level; ++i) {
        head += "| ";
        width += 2;
      }
      if (options_.color) {
        if (tag == kItemTag) {
          head += kColorInfo;
        } else {
          head += level == 0 ? "\x1b[1m" : "\x1b[22m";
          head += tree_sequence_ ? "\x1b[32m" : "\x1b[33m";
        }
      }
      head += name;
      width += name.size();
      if (width < 33) head.append(33 - width, ' ');
      out_ += head;
      out_ += ' ';
      if (options_.color) out_ += kColorValue;
      if (options_.color && is_note(value)) out_ += kColorInfo;
      out_ += value;
      if (options_.color) out_ += kColorReset;
      out_ += '\n';
      return;
    }
    std::string text(static_cast<std::size_t>(2 * level), ' ');
    if (!path_prefix_.empty()) text += path_prefix_;
    const bool color = options_.color;
    if (color) text += kColorTag;
    text += hex_tag(tag);
    text += ' ';
    if (color) text += kColorVr;
    text += vr;
    text += ' ';
    if (color) text += kColorValue;
    // Values that are descriptions rather than data ("(no value available)") print in grey.
    if (color && is_note(value)) text += kColorInfo;
    text += value;
    if (value.size() < kValueColumn) text.append(kValueColumn - value.size(), ' ');
    if (color) text += kColorInfo;
    text += " # ";
    if (color) text += kColorLength;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%3.*s", static_cast<int>(length.size()), length.data());
    text += buffer;
    if (color) text += kColorInfo;
    text += ',';
    if (color) text += kColorVm;
    std::snprintf(buffer, sizeof buffer, "%2zu", vm);
    text += buffer;
    text += ' ';
    if (color) text += kColorName;
    text += name;
    if (color) text += kColorReset;
    out_ += text;
    out_ += '\n';
  }

  // --- Elements ----------------------------------------------------------------------------

  std::string_view name_of(Tag tag, const DataSet* parent = nullptr) const {
    if (parent != nullptr && tag.is_private() && !tag.is_private_creator()) {
      if (const PrivateTagEntry* entry = detail::private_entry(tag, *parent)) return entry->name;
    }
    return dcmtk_tag_name(tag);
  }

  std::string display_vr(const Element& e, const DataSet& parent) const {
    const Tag tag = e.tag();
    const std::string_view pseudo = pseudo_vr(tag);
    if (e.vr_from_dictionary()) {
      if (e.vr() == VR::UN && !tag.is_group_length() && !tag.is_private_creator() &&
          (tag.is_private() ? detail::private_entry(tag, parent) == nullptr
                            : lookup_tag(tag) == nullptr)) {
        return "??";
      }
      if (pseudo == "xs") {
        return detail::resolves_by_pixel_representation(tag) &&
                       parent.contains(kPixelRepresentation)
                   ? std::string(to_string(e.vr()))
                   : "xs";
      }
      if (!pseudo.empty()) return std::string(pseudo);
    } else if (pseudo == "up" && e.vr() == VR::UL) {
      return "up";
    }
    return std::string(to_string(e.vr()));
  }

  void element(const Element& e, const DataSet& parent, int level) {
    const Tag tag = e.tag();
    const std::string vr = display_vr(e, parent);
    switch (e.kind()) {
      case ValueKind::Sequence:
        sequence(e, parent, level);
        return;
      case ValueKind::Fragments:
        fragments(e, parent, level);
        return;
      case ValueKind::Bytes:
        break;
    }
    std::uint64_t length = e.length();
    // DCMTK pads odd values when it loads them (and when it writes values that were set); a
    // value it does not load keeps its length.
    if (length % 2 != 0 && !not_loaded(length)) ++length;
    std::size_t vm = 0;
    std::string value;
    if (level == 0 && tag == Tag{0x7FE0, 0x0010} && !options_.pixel_file_names.empty()) {
      value = "=" + options_.pixel_file_names.front();
      vm = 1;
    } else {
      value = value_text(e, vr, vm);
    }
    line(level, tag, vr, value, std::to_string(length), vm, name_of(tag, &parent));
  }

  void sequence(const Element& e, const DataSet& parent, int level) {
    const bool undefined = e.undefined_length();
    const std::string count = std::to_string(e.items().size());
    std::string value = undefined ? "(Sequence with undefined length #=" + count + ")"
                                  : "(Sequence with explicit length #=" + count + ")";
    // An explicit length is shown as read (DCMTK shows the stale length after +U8, too).
    const std::string length =
        undefined ? "u/l"
                  : std::to_string(e.read_length() ? *e.read_length() : encoded_value_length(e));
    const std::string vr = "SQ";  // also for a UN sequence read per CP-246, as DCMTK shows it
    tree_sequence_ = true;
    line(level, e.tag(), options_.tree ? "" : vr, options_.tree ? "" : value, length, 1,
         name_of(e.tag(), &parent));
    tree_sequence_ = false;
    // DICOMDIR records are shown as DCMTK shows its directory record objects.
    const bool records = dicomdir_ && level == 0 && e.tag() == Tag{0x0004, 0x1220};
    for (const DataSet& item : e.items()) {
      const std::string elements = std::to_string(item.size());
      const bool item_undefined = item.undefined_length();
      const std::string offset = "offset=$" + std::to_string(item.source_offset());
      if (options_.tree) {
        line(level + 1, kItemTag, "", records ? "\"Directory Record\" (" + offset + ")" : "", "", 1,
             "Item");
      } else {
        std::string item_value;
        if (records) {
          std::string type;
          if (const Element* t = item.find(Tag{0x0004, 0x1430})) {
            type = std::string(ofstd::trim(t->bytes().chars(), std::string_view(" \0", 2)));
          }
          item_value = "\"Directory Record\" " + type + " #=" + elements;
        } else {
          item_value = item_undefined ? "(Item with undefined length #=" + elements + ")"
                                      : "(Item with explicit length #=" + elements + ")";
        }
        line(level + 1, kItemTag, "na", item_value,
             item_undefined ? "u/l"
                            : std::to_string(item.read_length() ? *item.read_length()
                                                                : encoded_item_length(e, item)),
             1, "Item");
        if (records) {
          std::string note(static_cast<std::size_t>(2 * (level + 1)), ' ');
          note += "#  " + offset;
          if (const Element* file_id = item.find(Tag{0x0004, 0x1500})) {
            note += "  refFileID=\"" +
                    std::string(
                        ofstd::trim_right(file_id->bytes().chars(), std::string_view(" \0", 2))) +
                    "\"";
          }
          comment(note);
        }
      }
      data_set(item, level + 2);
      if (!options_.tree) {
        std::string end =
            item_undefined ? "ItemDelimitationItem" : "ItemDelimitationItem for re-encoding";
        line(level + 1, kItemDelimitationTag, "na", records ? "\"" + end + "\"" : "(" + end + ")",
             "0", 0, "ItemDelimitationItem");
      }
    }
    if (!options_.tree) {
      line(level, kSequenceDelimitationTag, "na",
           undefined ? "(SequenceDelimitationItem)" : "(SequenceDelimitationItem for re-encod.)",
           "0", 0, "SequenceDelimitationItem");
    }
  }

  void fragments(const Element& e, const DataSet& parent, int level) {
    const auto& frags = e.fragments();
    // DCMTK shows encapsulated pixel data as OB even when the file says OW.
    line(level, e.tag(), options_.tree ? "" : "OB",
         options_.tree ? "" : "(PixelSequence #=" + std::to_string(frags.size()) + ")", "u/l", 1,
         name_of(e.tag(), &parent));
    for (std::size_t index = 0; index < frags.size(); ++index) {
      const SharedBytes& fragment = frags[index];
      std::string value;
      std::uint64_t length = fragment.size();
      if (length % 2 != 0) ++length;
      if (level == 0 && index < options_.pixel_file_names.size()) {
        value = "=" + options_.pixel_file_names[index];
      } else if (fragment.empty()) {
        value = "(no value available)";
      } else if (not_loaded(fragment.size())) {
        value = "(not loaded)";
      } else {
        std::size_t vm = 0;
        value = hex_values(fragment.span(), 1, ofstd::Endian::Little, vm);
      }
      line(level + 1, kItemTag, "pi", value, std::to_string(length), 1, "Item");
    }
    if (!options_.tree) {
      line(level, kSequenceDelimitationTag, "na", "(SequenceDelimitationItem)", "0", 0,
           "SequenceDelimitationItem");
    }
  }

  std::uint64_t encoded_value_length(const Element& e) const {
    DataSet holder;
    holder.insert(e);
    const std::uint64_t with_header = encoded_length(holder, ts_);
    return with_header - ((ts_.is_explicit_vr() || e.read_as_un_sequence()) ? 12 : 8);
  }

  std::uint64_t encoded_item_length(const Element& sequence_element, const DataSet& item) const {
    const bool un = sequence_element.read_as_un_sequence() && ts_.is_explicit_vr();
    return encoded_length(item, un ? implicit_vr_little_endian() : ts_);
  }

  // --- Values ------------------------------------------------------------------------------

  std::string quote(std::string_view text) const {
    if (options_.quoting == DumpQuoting::None) return std::string(text);
    std::string out;
    for (char c : text) {
      const auto b = static_cast<unsigned char>(c);
      if (options_.quoting == DumpQuoting::Xml &&
          std::string_view("&<>\"'").find(c) != std::string_view::npos) {
        out += c == '&'   ? "&amp;"
               : c == '<' ? "&lt;"
               : c == '>' ? "&gt;"
               : c == '"' ? "&quot;"
                          : "&apos;";
      } else if (b >= 0x20 && b < 0x7F) {
        out += c;
      } else if (options_.quoting == DumpQuoting::Xml) {
        out += "&#" + std::to_string(b) + ";";
      } else {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\%03o", b);
        out += buffer;
      }
    }
    return out;
  }

  std::string shorten_text(std::string text) const {
    // "[value]" longer than the line limit keeps kMaxValueChars - 4 value characters + "...".
    if (!options_.print_all_values && text.size() + 2 > kMaxValueChars) {
      return "[" + text.substr(0, kMaxValueChars - 4) + "...";
    }
    return "[" + text + "]";
  }

  std::string hex_values(std::span<const std::byte> bytes, std::size_t word, ofstd::Endian order,
                         std::size_t& vm) const {
    const std::size_t count = bytes.size() / word;
    const std::size_t digits = word * 2;
    vm = 1;
    std::size_t print_count = count;
    const std::size_t expected = count * (digits + 1) - 1;
    if (!options_.print_all_values && expected > kMaxValueChars) {
      print_count = (kMaxValueChars - 3 + 1) / (digits + 1);
    }
    std::string out;
    out.reserve(print_count * (digits + 1) + 3);
    char buffer[24];
    for (std::size_t i = 0; i < print_count; ++i) {
      if (i != 0) out += '\\';
      const std::byte* p = bytes.data() + i * word;
      if (word == 1) {
        std::snprintf(buffer, sizeof buffer, "%02x", static_cast<unsigned>(*p));
      } else if (word == 2) {
        std::snprintf(buffer, sizeof buffer, "%04x",
                      static_cast<unsigned>(ofstd::load_u16(p, order)));
      } else if (word == 4) {
        std::snprintf(buffer, sizeof buffer, "%08x",
                      static_cast<unsigned>(ofstd::load_u32(p, order)));
      } else {
        std::snprintf(buffer, sizeof buffer, "%016llx",
                      static_cast<unsigned long long>(ofstd::load_u64(p, order)));
      }
      out += buffer;
    }
    if (print_count < count) out += "...";
    return out;
  }

  // Joins numbers with '\\', stopping with "..." before the line limit as DCMTK does.
  // "..." follows only if fewer values than the VM were printed, so the OF/OD/OL/OV family
  // (VM 1) is cut without it.
  template <class Format>
  std::string joined_numbers(std::size_t count, std::size_t vm, Format format) const {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string value = format(i);
      const std::size_t added = (i == 0 ? 0 : 1) + value.size();
      if (!options_.print_all_values && out.size() + added + 3 > kMaxValueChars) {
        if (i < vm) out += "...";
        return out;
      }
      if (i != 0) out += '\\';
      out += value;
    }
    return out;
  }

  std::string value_text(const Element& e, std::string_view vr, std::size_t& vm) const {
    const auto bytes = e.bytes().span();
    if (bytes.empty()) {
      // DCMTK counts one value for empty byte/word streams, none for other VRs.
      const VrKind kind = vr_info(e.vr()).kind;
      vm = (kind == VrKind::Bulk || vr == "??" || vr == "lt") ? 1 : 0;
      return "(no value available)";
    }
    if (not_loaded(bytes.size())) {
      vm = e.value_count();
      return "(not loaded)";
    }
    const VR v = e.vr();
    const auto order = e.byte_order();
    if (vr == "??" || v == VR::UN || v == VR::OB) {
      if (bytes.size() % 2 != 0 && options_.print_all_values) {
        // The padding byte DCMTK adds on loading shows at the end of a complete dump.
        std::vector<std::byte> padded(bytes.begin(), bytes.end());
        padded.push_back(std::byte{0});
        return hex_values(padded, 1, order, vm);
      }
      return hex_values(bytes, 1, order, vm);
    }
    if (v == VR::OW || vr == "lt") return hex_values(bytes, 2, order, vm);
    if (is_text_vr(v)) return text_value(e, v, vm);
    const std::size_t size = vr_info(v).value_size;
    const std::size_t count = size == 0 ? 0 : bytes.size() / size;
    vm = (v == VR::OF || v == VR::OD || v == VR::OL || v == VR::OV) ? 1 : count;
    auto at = [&](std::size_t i) { return bytes.data() + i * size; };
    switch (v) {
      case VR::US:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return std::to_string(ofstd::load_u16(at(i), order));
        });
      case VR::SS:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return std::to_string(static_cast<std::int16_t>(ofstd::load_u16(at(i), order)));
        });
      case VR::UL:
      case VR::OL:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return std::to_string(ofstd::load_u32(at(i), order));
        });
      case VR::SL:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return std::to_string(static_cast<std::int32_t>(ofstd::load_u32(at(i), order)));
        });
      case VR::UV:
      case VR::OV:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return std::to_string(ofstd::load_u64(at(i), order));
        });
      case VR::SV:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return std::to_string(static_cast<std::int64_t>(ofstd::load_u64(at(i), order)));
        });
      case VR::FL:
      case VR::OF:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return format_dcmtk_double(std::bit_cast<float>(ofstd::load_u32(at(i), order)), 9);
        });
      case VR::FD:
      case VR::OD:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return format_dcmtk_double(std::bit_cast<double>(ofstd::load_u64(at(i), order)), 17);
        });
      case VR::AT:
        return joined_numbers(count, vm, [&](std::size_t i) {
          return hex_tag(Tag(ofstd::load_u16(at(i), order), ofstd::load_u16(at(i) + 2, order)));
        });
      default:
        return hex_values(bytes, 1, order, vm);
    }
  }

  std::string text_value(const Element& e, VR v, std::size_t& vm) const {
    std::string text(e.bytes().chars());
    // DCMTK pads an odd-length value with a NUL when reading it, and drops trailing spaces of
    // even-length values (so a padded odd value keeps its spaces). A value set in memory (as
    // +U8 does) is shown exactly as set.
    if (text.size() % 2 != 0 && !e.modified()) text.push_back('\0');
    if (e.modified()) {
    } else if (v == VR::UI) {
      while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
      // Spaces inside a UID are removed too (DCMTK's automatic data correction).
      std::erase(text, ' ');
    } else {
      while (!text.empty() && text.back() == ' ') text.pop_back();
    }
    if (text.empty()) {
      vm = 0;
      return "(no value available)";
    }
    const VrInfo& info = vr_info(v);
    vm = info.multi_valued_text
             ? static_cast<std::size_t>(std::count(text.begin(), text.end(), '\\')) + 1
             : 1;
    if (v == VR::UI && options_.map_uid_names && vm == 1) {
      const std::string_view name = dcmtk_uid_name(text);
      if (!name.empty()) return "=" + std::string(name);
    }
    return shorten_text(quote(text));
  }

 private:
  std::string& out_;
  const DumpOptions& options_;
  TransferSyntax ts_ = explicit_vr_little_endian();
  bool dicomdir_ = false;
  bool load_all_ = false;
  bool tree_sequence_ = false;  // the tree line being printed names a sequence

 public:
  std::string path_prefix_;
};

// Search mode: for each searched tag in turn (as dcmdump does), visits the whole tree and prints
// the elements with that tag.
struct Searcher {
  Dumper& dumper;
  const DumpOptions& options;
  Tag wanted;
  std::size_t printed = 0;
  std::vector<Tag> path;

  // Returns true when the search for `wanted` is over (first instance found with -s).
  bool visit(const DataSet& ds) {
    for (const Element& e : ds) {
      if (e.tag() == wanted) {
        std::string prefix;
        if (options.prepend_path) {
          for (const Tag& t : path) prefix += hex_tag(t) + ".";
        }
        dumper.path_prefix_ = prefix;
        dumper.element(e, ds, 0);
        dumper.path_prefix_.clear();
        ++printed;
        if (options.search_first_only) return true;
      }
      if (e.is_sequence()) {
        path.push_back(e.tag());
        for (const DataSet& item : e.items()) {
          if (visit(item)) return true;
        }
        path.pop_back();
      }
    }
    return false;
  }
};

}  // namespace

namespace {
bool is_dicomdir(const DicomFile& file) {
  const Element* sop_class = file.meta.find(Tag{0x0002, 0x0002});
  return sop_class != nullptr &&
         ofstd::trim_right(sop_class->bytes().chars(), std::string_view(" \0", 2)) ==
             "1.2.840.10008.1.3.10";
}
}  // namespace

void dump_file(std::string& out, const DicomFile& file, const DumpOptions& options) {
  Dumper dumper(out, options);
  out += '\n';
  dumper.comment("# Dicom-File-Format");
  out += '\n';
  dumper.comment("# Dicom-Meta-Information-Header", false);
  dumper.comment("# Used TransferSyntax: " +
                 std::string(file.has_meta ? "Little Endian Explicit" : "Unknown Transfer Syntax"));
  dumper.set_transfer_syntax(explicit_vr_little_endian());
  dumper.data_set(file.meta, 0);
  out += '\n';
  dumper.comment("# Dicom-Data-Set", false);
  dumper.comment("# Used TransferSyntax: " +
                 std::string(dcmtk_transfer_syntax_name(file.transfer_syntax.uid())));
  dumper.set_transfer_syntax(file.transfer_syntax);
  dumper.set_dicomdir(is_dicomdir(file));
  dumper.set_load_all(file.transfer_syntax.is_deflated());
  dumper.data_set(file.data, 0);
}

void dump_data_set(std::string& out, const DataSet& data, const DumpOptions& options, int level) {
  Dumper dumper(out, options);
  dumper.data_set(data, level);
}

std::size_t dump_search(std::string& out, const DicomFile& file, const DumpOptions& options) {
  Dumper dumper(out, options);
  std::size_t printed = 0;
  for (const Tag tag : options.search) {
    Searcher searcher{dumper, options, tag, 0, {}};
    dumper.set_transfer_syntax(explicit_vr_little_endian());
    const bool done = searcher.visit(file.meta);
    if (!done) {
      dumper.set_transfer_syntax(file.transfer_syntax);
      searcher.visit(file.data);
    }
    printed += searcher.printed;
  }
  return printed;
}

}  // namespace dcmkit::dcmdata

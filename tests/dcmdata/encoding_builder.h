// SPDX-License-Identifier: BSD-3-Clause
// EncodingBuilder: writes DICOM encodings byte by byte (explicit or implicit VR, little or big
// endian), so that tests build valid and malformed inputs in code instead of opaque hex. Nothing
// is validated: a test can write any length, VR or delimiter it wants.
//
//   EncodingBuilder b(kExplicitLittle);
//   b.text(tags::PatientName, VR::PN, "Doe^John")
//       .begin_sequence(tags::ReferencedImageSequence, Length::Undefined)
//       .begin_item(Length::Defined)
//       .text(tags::ReferencedSOPInstanceUID, VR::UI, "1.2.3")
//       .end_item()
//       .end_sequence();
//   auto ds = parse_dataset(b.shared(), explicit_vr_little_endian());
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/dcmdata/vr.h"
#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmdata::testing {

/// Byte order and VR form of an encoding.
struct Encoding {
  ofstd::Endian endian;
  bool explicit_vr;
};
inline constexpr Encoding kExplicitLittle{ofstd::Endian::Little, true};
inline constexpr Encoding kImplicitLittle{ofstd::Endian::Little, false};
inline constexpr Encoding kExplicitBig{ofstd::Endian::Big, true};

/// Whether a sequence or item gets a length field (patched when it ends) or 0xFFFFFFFF and a
/// delimitation item.
enum class Length : std::uint8_t { Defined, Undefined };

inline constexpr std::uint32_t kUndefined = 0xFFFFFFFFu;

/// Views text as bytes.
inline std::span<const std::byte> as_byte_span(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};  // NOLINT
}

/// Bytes from a list of small integers (for binary values written in a fixed order).
inline std::vector<std::byte> byte_vector(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

class EncodingBuilder {
 public:
  explicit EncodingBuilder(Encoding encoding = kExplicitLittle) : encodings_{encoding} {}

  Encoding encoding() const { return encodings_.back(); }
  ofstd::Endian endian() const { return encoding().endian; }

  // --- Raw bytes ------------------------------------------------------------------------

  EncodingBuilder& raw(std::span<const std::byte> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  EncodingBuilder& raw(std::string_view text) { return raw(as_byte_span(text)); }
  EncodingBuilder& zeros(std::size_t count) {
    out_.insert(out_.end(), count, std::byte{0});
    return *this;
  }
  EncodingBuilder& u8(std::uint8_t v) {
    out_.push_back(static_cast<std::byte>(v));
    return *this;
  }
  EncodingBuilder& u16(std::uint16_t v) { return put(v); }
  EncodingBuilder& u32(std::uint32_t v) { return put(v); }
  EncodingBuilder& u64(std::uint64_t v) { return put(v); }
  EncodingBuilder& tag(Tag t) { return u16(t.group()).u16(t.element()); }

  // --- Headers --------------------------------------------------------------------------

  /// An element header: tag, then VR and a 16- or 32-bit length (explicit VR, per PS3.5 Table
  /// 7.1-1/7.1-2), or a 32-bit length (implicit VR).
  EncodingBuilder& header(Tag t, VR vr, std::uint32_t length) {
    tag(t);
    if (!encoding().explicit_vr) return u32(length);
    const auto code = static_cast<std::uint16_t>(vr);
    u8(static_cast<std::uint8_t>(code >> 8)).u8(static_cast<std::uint8_t>(code & 0xFF));
    if (vr_info(vr).long_length) return u16(0).u32(length);
    return u16(static_cast<std::uint16_t>(length));
  }
  /// An explicit VR header with any two VR characters (also ones that name no VR).
  EncodingBuilder& header_with_vr_chars(Tag t, std::string_view vr_chars, std::uint32_t length,
                                        bool long_form) {
    tag(t).raw(vr_chars);
    if (long_form) return u16(0).u32(length);
    return u16(static_cast<std::uint16_t>(length));
  }
  /// An item or delimitation item header: tag and 32-bit length, no VR.
  EncodingBuilder& item_header(Tag t, std::uint32_t length) { return tag(t).u32(length); }

  // --- Elements -------------------------------------------------------------------------

  /// An element whose value is exactly `value` (no padding is added).
  EncodingBuilder& element(Tag t, VR vr, std::span<const std::byte> value) {
    header(t, vr, static_cast<std::uint32_t>(value.size()));
    return raw(value);
  }
  EncodingBuilder& text(Tag t, VR vr, std::string_view value) {
    return element(t, vr, as_byte_span(value));
  }
  /// Binary numbers in the current byte order.
  template <class T>
  EncodingBuilder& numbers(Tag t, VR vr, std::initializer_list<T> values) {
    header(t, vr, static_cast<std::uint32_t>(values.size() * sizeof(T)));
    for (T v : values) put(v);
    return *this;
  }
  EncodingBuilder& us(Tag t, std::initializer_list<std::uint16_t> values) {
    return numbers(t, VR::US, values);
  }
  EncodingBuilder& ul(Tag t, std::initializer_list<std::uint32_t> values) {
    return numbers(t, VR::UL, values);
  }
  EncodingBuilder& fd(Tag t, std::initializer_list<double> values) {
    header(t, VR::FD, static_cast<std::uint32_t>(values.size() * 8));
    for (double v : values) put(std::bit_cast<std::uint64_t>(v));
    return *this;
  }
  EncodingBuilder& fl(Tag t, std::initializer_list<float> values) {
    header(t, VR::FL, static_cast<std::uint32_t>(values.size() * 4));
    for (float v : values) put(std::bit_cast<std::uint32_t>(v));
    return *this;
  }
  EncodingBuilder& at(Tag t, std::initializer_list<Tag> values) {
    header(t, VR::AT, static_cast<std::uint32_t>(values.size() * 4));
    for (Tag v : values) tag(v);
    return *this;
  }

  // --- Group lengths ----------------------------------------------------------------------

  /// Writes (gggg,0000) UL with a placeholder; end_group() patches in the length of everything
  /// written after it.
  EncodingBuilder& begin_group(std::uint16_t group) {
    header(Tag(group, 0), VR::UL, 4);
    group_starts_.push_back(out_.size());
    return u32(0);
  }
  EncodingBuilder& end_group() {
    const std::size_t at = group_starts_.back();
    group_starts_.pop_back();
    patch_u32(at, static_cast<std::uint32_t>(out_.size() - at - 4), endian());
    return *this;
  }

  // --- Sequences, items and fragments ----------------------------------------------------

  /// A sequence header; with VR::UN the items are encoded in implicit VR little endian
  /// (CP-246) until end_sequence().
  EncodingBuilder& begin_sequence(Tag t, Length length, VR vr = VR::SQ) {
    header(t, vr, kUndefined);
    open_.push_back(Open{out_.size() - 4, length == Length::Undefined, vr == VR::UN, endian(),
                         kSequenceDelimitationTag});
    if (vr == VR::UN) encodings_.push_back(kImplicitLittle);
    return *this;
  }
  EncodingBuilder& end_sequence() { return close(); }
  EncodingBuilder& begin_item(Length length) {
    item_header(kItemTag, kUndefined);
    open_.push_back(
        Open{out_.size() - 4, length == Length::Undefined, false, endian(), kItemDelimitationTag});
    return *this;
  }
  EncodingBuilder& end_item() { return close(); }

  /// Encapsulated pixel data (PS3.5 §A.4): header with undefined length, fragment items, and the
  /// sequence delimiter. The first fragment is the Basic Offset Table.
  EncodingBuilder& begin_fragments(Tag t = Tag(0x7FE0, 0x0010), VR vr = VR::OB) {
    return header(t, vr, kUndefined);
  }
  EncodingBuilder& fragment(std::span<const std::byte> bytes) {
    item_header(kItemTag, static_cast<std::uint32_t>(bytes.size()));
    return raw(bytes);
  }
  EncodingBuilder& end_fragments() { return item_header(kSequenceDelimitationTag, 0); }

  // --- Result ---------------------------------------------------------------------------

  std::size_t size() const { return out_.size(); }
  const std::vector<std::byte>& bytes() const { return out_; }
  SharedBytes shared() const { return SharedBytes::copy_of(out_); }

  /// Overwrites a 32-bit value already written (e.g. to corrupt a length on purpose).
  EncodingBuilder& patch_u32(std::size_t at, std::uint32_t value, ofstd::Endian endian) {
    ofstd::store(out_.data() + at, value, endian);
    return *this;
  }

 private:
  struct Open {
    std::size_t length_at;
    bool undefined;
    bool pops_encoding;
    ofstd::Endian length_endian;
    Tag delimiter;
  };

  template <class T>
  EncodingBuilder& put(T v) {
    const std::size_t at = out_.size();
    out_.resize(at + sizeof(T));
    ofstd::store(out_.data() + at, v, endian());
    return *this;
  }

  EncodingBuilder& close() {
    const Open open = open_.back();
    open_.pop_back();
    if (open.undefined) {
      item_header(open.delimiter, 0);
    } else {
      patch_u32(open.length_at, static_cast<std::uint32_t>(out_.size() - open.length_at - 4),
                open.length_endian);
    }
    // The delimiter of a CP-246 sequence is still implicit VR little endian: pop afterwards.
    if (open.pops_encoding) encodings_.pop_back();
    return *this;
  }

  std::vector<std::byte> out_;
  std::vector<Encoding> encodings_;
  std::vector<Open> open_;
  std::vector<std::size_t> group_starts_;
};

/// The File Meta Information group in explicit VR little endian (PS3.10 §7.1), optionally
/// without its group length.
inline EncodingBuilder meta_group(std::string_view transfer_syntax_uid, bool group_length = true,
                                  std::string_view sop_class = "1.2.840.10008.5.1.4.1.1.7",
                                  std::string_view sop_instance = "1.2.3.4") {
  auto padded_uid = [](std::string_view uid) {
    std::string text(uid);
    if (text.size() % 2 != 0) text.push_back('\0');
    return text;
  };
  EncodingBuilder b(kExplicitLittle);
  if (group_length) b.begin_group(0x0002);
  b.element(Tag(0x0002, 0x0001), VR::OB, byte_vector({0, 1}));
  b.text(Tag(0x0002, 0x0002), VR::UI, padded_uid(sop_class));
  b.text(Tag(0x0002, 0x0003), VR::UI, padded_uid(sop_instance));
  b.text(Tag(0x0002, 0x0010), VR::UI, padded_uid(transfer_syntax_uid));
  b.text(Tag(0x0002, 0x0012), VR::UI, padded_uid("1.2.3.999"));
  if (group_length) b.end_group();
  return b;
}

/// How a Part 10 stream starts.
struct Part10Layout {
  bool preamble = true;
  bool dicm = true;
  bool meta_group_length = true;
};

/// A Part 10 stream: [preamble] ["DICM"] meta group, then `data_set` as given.
inline std::vector<std::byte> part10(std::string_view transfer_syntax_uid,
                                     std::span<const std::byte> data_set,
                                     Part10Layout layout = {}) {
  EncodingBuilder b(kExplicitLittle);
  if (layout.preamble) b.zeros(128);
  if (layout.dicm) b.raw("DICM");
  b.raw(meta_group(transfer_syntax_uid, layout.meta_group_length).bytes());
  b.raw(data_set);
  return b.bytes();
}

}  // namespace dcmkit::dcmdata::testing

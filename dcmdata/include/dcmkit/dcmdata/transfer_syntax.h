// SPDX-License-Identifier: BSD-3-Clause
// Transfer syntaxes (PS3.5 §10 and Annex A): how a data set is encoded on the wire or on disk.
//
//   const TransferSyntax& ts = TransferSyntax::lookup_or_unknown(meta_ts_uid);
//   if (ts.is_encapsulated()) { ... pixel data comes as fragments ... }
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/byte_order.h"

namespace dcmkit::dcmdata {

/// Facts of one transfer syntax: a small regular value type (the UID is stored inline).
class TransferSyntax {
 public:
  /// Pixel data compression family, for codec selection.
  enum class Compression : std::uint8_t {
    None,
    Deflate,
    Rle,
    JpegBaseline,
    JpegExtended,
    JpegLossless,
    JpegLs,
    Jpeg2000,
    HtJpeg2000,
    JpegXl,
    Mpeg,
    Other,
  };

  constexpr TransferSyntax(std::string_view uid, std::string_view name, ofstd::Endian endian,
                           bool explicit_vr, bool encapsulated, bool deflated, bool lossy,
                           bool retired, Compression compression) noexcept
      : name_(name),
        endian_(endian),
        explicit_vr_(explicit_vr),
        encapsulated_(encapsulated),
        deflated_(deflated),
        lossy_(lossy),
        retired_(retired),
        compression_(compression) {
    const std::size_t n = uid.size() < uid_chars_.size() ? uid.size() : uid_chars_.size();
    for (std::size_t i = 0; i < n; ++i) uid_chars_[i] = uid[i];
    uid_size_ = static_cast<std::uint8_t>(n);
  }

  /// The known transfer syntax with this UID (padding removed), or nullptr.
  static const TransferSyntax* lookup(std::string_view uid) noexcept;
  /// The known syntax, else an "unknown" one that reads like Explicit VR Little Endian with
  /// encapsulated pixel data (what a private compressed syntax usually is); `is_known()` false.
  static TransferSyntax lookup_or_unknown(std::string_view uid);
  /// Every transfer syntax dcmkit knows.
  static std::span<const TransferSyntax> all() noexcept;

  std::string_view uid() const noexcept { return {uid_chars_.data(), uid_size_}; }
  std::string_view name() const noexcept { return name_; }
  ofstd::Endian endian() const noexcept { return endian_; }
  bool is_explicit_vr() const noexcept { return explicit_vr_; }
  bool is_big_endian() const noexcept { return endian_ == ofstd::Endian::Big; }
  /// Pixel Data is a sequence of fragments (PS3.5 §A.4).
  bool is_encapsulated() const noexcept { return encapsulated_; }
  /// The data set after the meta header is deflate-compressed (PS3.5 §A.5).
  bool is_deflated() const noexcept { return deflated_; }
  bool is_lossy() const noexcept { return lossy_; }
  bool is_retired() const noexcept { return retired_; }
  bool is_known() const noexcept { return known_; }
  /// GE's private syntax 1.2.840.113619.5.2: implicit VR little endian whose top-level Pixel Data
  /// is big endian.
  bool has_big_endian_pixel_data() const noexcept { return uid() == "1.2.840.113619.5.2"; }
  Compression compression() const noexcept { return compression_; }

  friend bool operator==(const TransferSyntax& a, const TransferSyntax& b) noexcept {
    return a.uid() == b.uid();
  }

 private:
  std::array<char, 64> uid_chars_{};
  std::uint8_t uid_size_ = 0;
  std::string_view name_;
  ofstd::Endian endian_;
  bool explicit_vr_;
  bool encapsulated_;
  bool deflated_;
  bool lossy_;
  bool retired_;
  Compression compression_;
  bool known_ = true;
};

/// UIDs of the transfer syntaxes the reader and writer handle natively.
namespace ts_uids {
inline constexpr std::string_view kImplicitVRLittleEndian = "1.2.840.10008.1.2";
inline constexpr std::string_view kExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
inline constexpr std::string_view kDeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
inline constexpr std::string_view kExplicitVRBigEndian = "1.2.840.10008.1.2.2";
}  // namespace ts_uids

/// The three uncompressed syntaxes as constants.
const TransferSyntax& implicit_vr_little_endian() noexcept;
const TransferSyntax& explicit_vr_little_endian() noexcept;
const TransferSyntax& explicit_vr_big_endian() noexcept;
const TransferSyntax& deflated_explicit_vr_little_endian() noexcept;

}  // namespace dcmkit::dcmdata

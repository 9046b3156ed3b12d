// SPDX-License-Identifier: BSD-3-Clause
// Data set encoding (PS3.5 §7) and Part 10 files (PS3.10 §7).
#include "dcmkit/dcmdata/writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/strings.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace dcmkit::dcmdata {

using ofstd::Endian;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constexpr std::uint32_t kUndefinedLength = 0xFFFFFFFFu;
constexpr Tag kTrailingPadding{0xFFFC, 0xFFFC};
constexpr std::uint64_t kMaxExplicitLength = 0xFFFFFFFEu;

struct Encoding {
  Endian endian;
  bool explicit_vr;
};

bool is_post_1993_vr(VR vr) {
  switch (vr) {
    case VR::UN:
    case VR::UT:
    case VR::UC:
    case VR::UR:
    case VR::OD:
    case VR::OF:
    case VR::OL:
    case VR::OV:
    case VR::SV:
    case VR::UV:
      return true;
    default:
      return false;
  }
}

// Word size for byte swapping a VR's value (0 = never swap).
std::size_t swap_size(VR vr) {
  if (vr == VR::AT) return 2;
  const VrInfo& info = vr_info(vr);
  if (info.kind == VrKind::Binary) return info.value_size;
  if (info.kind == VrKind::Bulk && vr != VR::OB && vr != VR::UN) return info.value_size;
  return 0;
}

std::uint64_t padding_value_length(std::uint64_t length_so_far, std::uint32_t alignment,
                                   std::uint32_t header) {
  if (alignment == 0) return 0;
  const std::uint64_t with_header = length_so_far + header;
  std::uint64_t pad = (alignment - with_header % alignment) % alignment;
  if (pad % 2 != 0) pad += alignment;  // keep the value even; alignments are even in practice
  return pad;
}

class Encoder {
 public:
  explicit Encoder(const WriteOptions& options, bool big_endian_pixel_data = false)
      : options_(options), big_endian_pixel_data_(big_endian_pixel_data) {}

  // --- Lengths ------------------------------------------------------------------------------

  VR written_vr(const Element& e) const {
    VR vr = e.vr();
    if (e.read_as_un_sequence()) vr = VR::UN;
    if (options_.disable_new_vrs && is_post_1993_vr(vr) && !e.is_sequence()) vr = VR::OB;
    return vr;
  }

  std::uint64_t primitive_length(const Element& e) const {
    const std::uint64_t n = e.bytes().size();
    return (options_.pad_odd_lengths && n % 2 != 0) ? n + 1 : n;
  }

  bool sequence_undefined(const Element& e, Encoding enc) const {
    // In implicit VR a reader can tell a sequence of an unknown or private tag from other data
    // only by its undefined length, so such sequences are written that way, unless the sequence
    // was itself read from implicit VR with its explicit length (kept for a bit-exact rewrite).
    if (!enc.explicit_vr && !is_dictionary_sequence(e.tag()) &&
        !(options_.sequence_lengths == LengthMode::AsRead && e.vr_from_dictionary())) {
      return true;
    }
    switch (options_.sequence_lengths) {
      case LengthMode::AsRead:
        return e.undefined_length() || e.read_as_un_sequence();
      case LengthMode::Explicit:
        return e.read_as_un_sequence();
      case LengthMode::Undefined:
        return true;
    }
    return false;
  }

  static bool is_dictionary_sequence(Tag tag) {
    if (tag.is_private()) return false;
    const TagEntry* entry = lookup_tag(tag);
    return entry != nullptr && entry->vr() == VR::SQ;
  }

  bool item_undefined(const DataSet& item, bool in_un_sequence) const {
    if (in_un_sequence && options_.sequence_lengths != LengthMode::Explicit) {
      return item.undefined_length();
    }
    switch (options_.item_lengths) {
      case LengthMode::AsRead:
        return item.undefined_length();
      case LengthMode::Explicit:
        return false;
      case LengthMode::Undefined:
        return true;
    }
    return false;
  }

  std::uint32_t header_size(VR vr, Encoding enc, std::uint64_t value_length) const {
    if (!enc.explicit_vr) return 8;
    if (vr_info(vr).long_length || value_length > 0xFFFF) return 12;
    return 8;
  }

  bool skip(const Element& e, bool top_level) const {
    if (e.tag().is_group_length() && options_.group_lengths == GroupLengthMode::Remove) return true;
    if (e.tag() == kTrailingPadding &&
        (options_.remove_padding || (top_level && options_.file_padding != 0) ||
         (!top_level && options_.item_padding != 0))) {
      return true;
    }
    return false;
  }

  bool writes_group_length(std::uint16_t group, bool has_length_element) const {
    if (group == 0xFFFE) return false;  // items and delimiters have no group length
    return (options_.group_lengths == GroupLengthMode::Recalculate && has_length_element) ||
           options_.group_lengths == GroupLengthMode::Create;
  }

  // Calls visit(group, group_length, has_length_element, first, last) for each group of `ds`.
  template <class Visit>
  void for_each_group(const DataSet& ds, Encoding enc, bool top_level, Visit visit) const {
    const auto& elements = ds.elements();
    std::size_t i = 0;
    while (i < elements.size()) {
      const std::uint16_t group = elements[i].tag().group();
      std::size_t end = i;
      std::uint64_t length = 0;
      bool has_length_element = false;
      for (; end < elements.size() && elements[end].tag().group() == group; ++end) {
        const Element& e = elements[end];
        if (e.tag().is_group_length()) {
          has_length_element = true;
        } else if (!skip(e, top_level)) {
          length += element_length(e, enc);
        }
      }
      visit(group, length, has_length_element, i, end);
      i = end;
    }
  }

  // Content length of an item's elements (or a data set), group lengths as written.
  std::uint64_t content_length(const DataSet& ds, Encoding enc, bool top_level) const {
    std::uint64_t total = 0;
    for_each_group(
        ds, enc, top_level,
        [&](std::uint16_t group, std::uint64_t length, bool has_length, std::size_t, std::size_t) {
          if (writes_group_length(group, has_length)) total += header_size(VR::UL, enc, 4) + 4;
          total += length;
        });
    if (!top_level && options_.item_padding != 0) {
      const std::uint32_t pad_header = enc.explicit_vr ? 12 : 8;
      total += pad_header + padding_value_length(total + 8, options_.item_padding, pad_header);
    }
    return total;
  }

  std::uint64_t sequence_value_length(const Element& e, Encoding enc) const {
    const bool un = e.read_as_un_sequence() && enc.explicit_vr;
    const Encoding inner = un ? Encoding{Endian::Little, false} : enc;
    std::uint64_t total = 0;
    for (const DataSet& item : e.items()) {
      total += 8 + content_length(item, inner, false);
      if (item_undefined(item, un)) total += 8;
    }
    return total;
  }

  std::uint64_t fragments_value_length(const Element& e) const {
    std::uint64_t total = 8;  // sequence delimiter
    for (const SharedBytes& f : e.fragments()) total += 8 + f.size() + (f.size() % 2);
    return total;
  }

  std::uint64_t element_length(const Element& e, Encoding enc) const {
    switch (e.kind()) {
      case ValueKind::Sequence: {
        const std::uint64_t value = sequence_value_length(e, enc);
        const bool undefined = sequence_undefined(e, enc) || value > kMaxExplicitLength;
        return (enc.explicit_vr ? 12 : 8) + value + (undefined ? 8 : 0);
      }
      case ValueKind::Fragments:
        return (enc.explicit_vr ? 12 : 8) + fragments_value_length(e);
      case ValueKind::Bytes: {
        const std::uint64_t value = primitive_length(e);
        return header_size(written_vr(e), enc, value) + value;
      }
    }
    return 0;
  }

  // --- Writing ------------------------------------------------------------------------------

  Status write_u16(ByteSink& sink, std::uint16_t v, Endian endian) {
    std::array<std::byte, 2> b{};
    ofstd::store(b.data(), v, endian);
    return sink.write(b);
  }

  Status write_u32(ByteSink& sink, std::uint32_t v, Endian endian) {
    std::array<std::byte, 4> b{};
    ofstd::store(b.data(), v, endian);
    return sink.write(b);
  }

  Status write_tag(ByteSink& sink, Tag tag, Endian endian) {
    std::array<std::byte, 4> b{};
    ofstd::store(b.data(), tag.group(), endian);
    ofstd::store(b.data() + 2, tag.element(), endian);
    return sink.write(b);
  }

  Status write_header(ByteSink& sink, Tag tag, VR vr, std::uint32_t length, Encoding enc) {
    std::array<std::byte, 12> b{};
    ofstd::store(b.data(), tag.group(), enc.endian);
    ofstd::store(b.data() + 2, tag.element(), enc.endian);
    if (!enc.explicit_vr) {
      ofstd::store(b.data() + 4, length, enc.endian);
      return sink.write(std::span(b).first(8));
    }
    const bool long_form = vr_info(vr).long_length || (length > 0xFFFF);
    VR written = vr;
    if (!vr_info(vr).long_length && length > 0xFFFF) {
      // A value too long for the 16-bit length field can only be encoded as UN.
      written = VR::UN;
    }
    const auto code = static_cast<std::uint16_t>(written);
    b[4] = static_cast<std::byte>(code >> 8);
    b[5] = static_cast<std::byte>(code & 0xFF);
    if (long_form) {
      ofstd::store(b.data() + 8, length, enc.endian);
      return sink.write(b);
    }
    ofstd::store(b.data() + 6, static_cast<std::uint16_t>(length), enc.endian);
    return sink.write(std::span(b).first(8));
  }

  Status write_item_header(ByteSink& sink, Tag tag, std::uint32_t length, Endian endian) {
    DCMKIT_TRY(write_tag(sink, tag, endian));
    return write_u32(sink, length, endian);
  }

  Status write_value_bytes(ByteSink& sink, const Element& e, Encoding enc) {
    const auto bytes = e.bytes().span();
    const std::size_t word = swap_size(e.vr());
    if (word > 1 && e.byte_order() != enc.endian && !e.read_as_un_sequence()) {
      // Swap in chunks so that large values are never copied whole.
      std::array<std::byte, 1 << 16> buffer{};
      const std::size_t chunk = buffer.size() - buffer.size() % word;
      for (std::size_t offset = 0; offset < bytes.size(); offset += chunk) {
        const std::size_t n = std::min(chunk, bytes.size() - offset);
        std::memcpy(buffer.data(), bytes.data() + offset, n);
        ofstd::swap_words(std::span(buffer).first(n), word);
        DCMKIT_TRY(sink.write(std::span<const std::byte>(buffer.data(), n)));
      }
    } else if (!bytes.empty()) {
      DCMKIT_TRY(sink.write(bytes));
    }
    if (options_.pad_odd_lengths && bytes.size() % 2 != 0) {
      const std::byte pad{static_cast<unsigned char>(vr_info(e.vr()).padding)};
      DCMKIT_TRY(sink.write(std::span<const std::byte>(&pad, 1)));
    }
    return {};
  }

  Status write_element(ByteSink& sink, const Element& e, Encoding enc) {
    switch (e.kind()) {
      case ValueKind::Bytes: {
        const std::uint64_t length = primitive_length(e);
        if (length > kMaxExplicitLength) {
          return Error(ErrorCode::InvalidArgument,
                       e.tag().to_string() + ": value longer than 2^32-2 bytes");
        }
        DCMKIT_TRY(
            write_header(sink, e.tag(), written_vr(e), static_cast<std::uint32_t>(length), enc));
        if (big_endian_pixel_data_ && depth_ == 0 && e.tag() == Tag{0x7FE0, 0x0010}) {
          // GE's private syntax: top-level Pixel Data in big endian.
          return write_value_bytes(sink, e, Encoding{Endian::Big, enc.explicit_vr});
        }
        return write_value_bytes(sink, e, enc);
      }
      case ValueKind::Fragments: {
        DCMKIT_TRY(
            write_header(sink, e.tag(), e.vr() == VR::OW ? VR::OW : VR::OB, kUndefinedLength, enc));
        for (const SharedBytes& fragment : e.fragments()) {
          const std::uint64_t size = fragment.size() + fragment.size() % 2;
          if (size > kMaxExplicitLength) {
            return Error(ErrorCode::InvalidArgument,
                         "pixel data fragment longer than 2^32-2 bytes");
          }
          DCMKIT_TRY(
              write_item_header(sink, kItemTag, static_cast<std::uint32_t>(size), enc.endian));
          if (!fragment.empty()) DCMKIT_TRY(sink.write(fragment.span()));
          if (fragment.size() % 2 != 0) {
            const std::byte zero{0};
            DCMKIT_TRY(sink.write(std::span<const std::byte>(&zero, 1)));
          }
        }
        return write_item_header(sink, kSequenceDelimitationTag, 0, enc.endian);
      }
      case ValueKind::Sequence:
        return write_sequence(sink, e, enc);
    }
    return {};
  }

  Status write_sequence(ByteSink& sink, const Element& e, Encoding enc) {
    const bool un = e.read_as_un_sequence() && enc.explicit_vr;
    const Encoding inner = un ? Encoding{Endian::Little, false} : enc;
    const std::uint64_t value = sequence_value_length(e, enc);
    const bool undefined = sequence_undefined(e, enc) || value > kMaxExplicitLength;
    DCMKIT_TRY(write_header(sink, e.tag(), un ? VR::UN : VR::SQ,
                            undefined ? kUndefinedLength : static_cast<std::uint32_t>(value), enc));
    for (const DataSet& item : e.items()) {
      const bool item_undef = item_undefined(item, un);
      const std::uint64_t item_length = content_length(item, inner, false);
      if (!item_undef && item_length > kMaxExplicitLength) {
        return Error(ErrorCode::InvalidArgument,
                     e.tag().to_string() + ": item longer than 2^32-2 bytes");
      }
      DCMKIT_TRY(write_item_header(
          sink, kItemTag, item_undef ? kUndefinedLength : static_cast<std::uint32_t>(item_length),
          inner.endian));
      ++depth_;
      const Status content = write_content(sink, item, inner, false);
      --depth_;
      DCMKIT_TRY(content);
      if (item_undef) DCMKIT_TRY(write_item_header(sink, kItemDelimitationTag, 0, inner.endian));
    }
    // A UN sequence (CP-246) is implicit VR little endian through its closing delimiter.
    if (undefined) DCMKIT_TRY(write_item_header(sink, kSequenceDelimitationTag, 0, inner.endian));
    return {};
  }

  // Writes the elements of a data set or item, with group lengths per the options.
  Status write_content(ByteSink& sink, const DataSet& ds, Encoding enc, bool top_level) {
    const auto& elements = ds.elements();
    std::uint64_t written = 0;
    Status status;
    for_each_group(ds, enc, top_level,
                   [&](std::uint16_t group, std::uint64_t length, bool has_length,
                       std::size_t first, std::size_t last) {
                     if (!status) return;
                     if (writes_group_length(group, has_length)) {
                       if (length > 0xFFFFFFFFu) {
                         status = Error(ErrorCode::InvalidArgument,
                                        "group length does not fit in 32 bits");
                         return;
                       }
                       status = write_header(sink, Tag(group, 0), VR::UL, 4, enc);
                       if (status)
                         status = write_u32(sink, static_cast<std::uint32_t>(length), enc.endian);
                       written += header_size(VR::UL, enc, 4) + 4;
                     }
                     for (std::size_t i = first; status && i < last; ++i) {
                       const Element& e = elements[i];
                       if (e.tag().is_group_length() || skip(e, top_level)) continue;
                       status = write_element(sink, e, enc);
                       written += element_length(e, enc);
                     }
                   });
    DCMKIT_TRY(std::move(status));
    if (!top_level && options_.item_padding != 0) {
      const std::uint32_t pad_header = enc.explicit_vr ? 12 : 8;
      const std::uint64_t pad =
          padding_value_length(written + 8, options_.item_padding, pad_header);
      DCMKIT_TRY(write_padding(sink, pad, enc));
    }
    return {};
  }

  // The offsets (from the start of the data set) at which the items of the top-level sequence
  // `sequence_tag` will be written.
  std::vector<std::uint64_t> item_offsets(const DataSet& ds, Encoding enc, Tag sequence_tag) const {
    std::vector<std::uint64_t> offsets;
    std::uint64_t position = 0;
    bool done = false;
    for_each_group(ds, enc, true,
                   [&](std::uint16_t group, std::uint64_t length, bool has_length,
                       std::size_t first, std::size_t last) {
                     if (done) return;
                     if (writes_group_length(group, has_length))
                       position += header_size(VR::UL, enc, 4) + 4;
                     if (group != sequence_tag.group()) {
                       position += length;
                       return;
                     }
                     for (std::size_t i = first; i < last; ++i) {
                       const Element& e = ds.elements()[i];
                       if (e.tag().is_group_length() || skip(e, true)) continue;
                       if (e.tag() != sequence_tag || !e.is_sequence()) {
                         position += element_length(e, enc);
                         continue;
                       }
                       position += enc.explicit_vr ? 12 : 8;
                       for (const DataSet& item : e.items()) {
                         offsets.push_back(position);
                         position += 8 + content_length(item, enc, false) +
                                     (item_undefined(item, false) ? 8 : 0);
                       }
                       done = true;
                       return;
                     }
                   });
    return offsets;
  }

  Status write_padding(ByteSink& sink, std::uint64_t length, Encoding enc) {
    DCMKIT_TRY(
        write_header(sink, kTrailingPadding, VR::OB, static_cast<std::uint32_t>(length), enc));
    std::array<std::byte, 256> zeros{};
    for (std::uint64_t left = length; left > 0;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
      DCMKIT_TRY(sink.write(std::span<const std::byte>(zeros.data(), n)));
      left -= n;
    }
    return {};
  }

 private:
  const WriteOptions& options_;
  bool big_endian_pixel_data_ = false;
  int depth_ = 0;  // nesting level while writing (0: top-level data set)
};

Encoding encoding_of(const TransferSyntax& ts) {
  return Encoding{ts.is_deflated() ? Endian::Little : ts.endian(), ts.is_explicit_vr()};
}

Status write_plain_dataset(ByteSink& sink, const DataSet& data, const TransferSyntax& ts,
                           const WriteOptions& options, std::uint64_t prefix_length) {
  Encoder encoder(options, ts.has_big_endian_pixel_data());
  const Encoding enc = encoding_of(ts);
  DCMKIT_TRY(encoder.write_content(sink, data, enc, true));
  if (options.file_padding != 0) {
    const std::uint64_t length = prefix_length + encoder.content_length(data, enc, true);
    const std::uint32_t header = enc.explicit_vr ? 12 : 8;
    DCMKIT_TRY(encoder.write_padding(
        sink, padding_value_length(length, options.file_padding, header), enc));
  }
  return {};
}

class FdSink final : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) { buffer_.reserve(kBufferSize); }
  Status write(std::span<const std::byte> bytes) override {
    if (buffer_.size() + bytes.size() > kBufferSize) {
      DCMKIT_TRY(flush());
      if (bytes.size() >= kBufferSize) return write_all(bytes);
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    return {};
  }
  Status flush() override {
    DCMKIT_TRY(write_all(buffer_));
    buffer_.clear();
    return {};
  }

 private:
  static constexpr std::size_t kBufferSize = 1 << 18;
  Status write_all(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Error(ErrorCode::IoError, std::strerror(errno));
      }
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return {};
  }
  int fd_;
  std::vector<std::byte> buffer_;
};

}  // namespace

struct DeflateSink::State {
  z_stream stream{};
  bool finished = false;
  std::array<std::byte, 1 << 16> out{};
};

DeflateSink::DeflateSink(ByteSink& target) : target_(target), state_(std::make_unique<State>()) {}

DeflateSink::~DeflateSink() { deflateEnd(&state_->stream); }

Result<std::unique_ptr<DeflateSink>> DeflateSink::create(ByteSink& target, int level,
                                                         bool zlib_header) {
  std::unique_ptr<DeflateSink> sink(new DeflateSink(target));  // private constructor
  if (deflateInit2(&sink->state_->stream, level, Z_DEFLATED, zlib_header ? 15 : -15, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return Error(ErrorCode::InvalidArgument,
                 "cannot initialise deflate (level " + std::to_string(level) + ")");
  }
  return sink;
}

Status DeflateSink::write(std::span<const std::byte> bytes) {
  if (state_->finished) return Error(ErrorCode::Internal, "write after finish");
  z_stream& s = state_->stream;
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1u << 30);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(bytes.data()));  // NOLINT: zlib API
    s.avail_in = static_cast<uInt>(n);
    while (s.avail_in > 0) {
      s.next_out = reinterpret_cast<Bytef*>(state_->out.data());  // NOLINT: zlib API
      s.avail_out = static_cast<uInt>(state_->out.size());
      if (deflate(&s, Z_NO_FLUSH) == Z_STREAM_ERROR)
        return Error(ErrorCode::Internal, "deflate failed");
      const std::size_t produced = state_->out.size() - s.avail_out;
      if (produced > 0) DCMKIT_TRY(target_.write(std::span(state_->out).first(produced)));
    }
    bytes = bytes.subspan(n);
  }
  return {};
}

Status DeflateSink::finish() {
  if (state_->finished) return {};
  z_stream& s = state_->stream;
  s.next_in = nullptr;
  s.avail_in = 0;
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    s.next_out = reinterpret_cast<Bytef*>(state_->out.data());  // NOLINT: zlib API
    s.avail_out = static_cast<uInt>(state_->out.size());
    status = deflate(&s, Z_FINISH);
    if (status == Z_STREAM_ERROR) return Error(ErrorCode::Internal, "deflate failed");
    const std::size_t produced = state_->out.size() - s.avail_out;
    if (produced > 0) DCMKIT_TRY(target_.write(std::span(state_->out).first(produced)));
  }
  state_->finished = true;
  return {};
}

Status write_dataset(ByteSink& sink, const DataSet& data, const TransferSyntax& ts,
                     const WriteOptions& options) {
  if (ts.is_deflated()) {
    DCMKIT_ASSIGN_OR_RETURN(auto deflater, DeflateSink::create(sink, options.deflate_level));
    DCMKIT_TRY(write_plain_dataset(*deflater, data, ts, options, 0));
    return deflater->finish();
  }
  return write_plain_dataset(sink, data, ts, options, 0);
}

Result<std::vector<std::byte>> encode_dataset(const DataSet& data, const TransferSyntax& ts,
                                              const WriteOptions& options) {
  std::vector<std::byte> out;
  VectorSink sink(out);
  DCMKIT_TRY(write_dataset(sink, data, ts, options));
  return out;
}

std::uint64_t encoded_length(const DataSet& data, const TransferSyntax& ts,
                             const WriteOptions& options) {
  Encoder encoder(options);
  return encoder.content_length(data, encoding_of(ts), true);
}

namespace {

constexpr Tag kDirectoryRecordSequence{0x0004, 0x1220};

bool is_directory_meta(const DataSet& meta) {
  const Element* sop_class = meta.find(Tag{0x0002, 0x0002});
  return sop_class != nullptr && sop_class->kind() == ValueKind::Bytes &&
         ofstd::trim_right(sop_class->bytes().chars(), std::string_view(" \0", 2)) ==
             "1.2.840.10008.1.3.10";
}

// A DICOMDIR addresses its records by byte offsets in the file (PS3.10 §8.2, PS3.3 F.3.2.2).
// Writing it anew moves the records, so the offsets that pointed at the records' old positions
// are rewritten to their new ones.
Status relocate_directory_records(DataSet& data, const TransferSyntax& ts,
                                  const WriteOptions& options, std::uint64_t data_set_offset) {
  Element* records = data.find(kDirectoryRecordSequence);
  if (records == nullptr || !records->is_sequence() || ts.is_deflated()) return {};
  Encoder encoder(options);
  const std::vector<std::uint64_t> offsets =
      encoder.item_offsets(data, encoding_of(ts), kDirectoryRecordSequence);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> moved;  // old offset -> new offset
  for (std::size_t i = 0; i < records->items().size() && i < offsets.size(); ++i) {
    const std::uint64_t old_offset = records->items()[i].source_offset();
    const std::uint64_t new_offset = data_set_offset + offsets[i];
    if (old_offset == 0) continue;  // a record that was not read from a file
    if (new_offset > 0xFFFFFFFFu) {
      return Error(ErrorCode::InvalidArgument, "DICOMDIR larger than 4 GiB cannot be addressed");
    }
    moved.emplace_back(old_offset, static_cast<std::uint32_t>(new_offset));
  }
  std::sort(moved.begin(), moved.end());
  const auto patch = [&moved](DataSet& ds, Tag tag) {
    Element* e = ds.find(tag);
    if (e == nullptr || e->kind() != ValueKind::Bytes || e->bytes().size() != 4) return;
    const auto old_offset =
        static_cast<std::uint64_t>(ofstd::load_u32(e->bytes().data(), e->byte_order()));
    if (old_offset == 0) return;
    const auto it =
        std::lower_bound(moved.begin(), moved.end(), std::pair{old_offset, std::uint32_t{0}});
    if (it == moved.end() || it->first != old_offset) return;
    std::vector<std::byte> bytes(4);
    ofstd::store(bytes.data(), it->second, Endian::Little);
    e->set_bytes(SharedBytes::from_vector(std::move(bytes)));
  };
  patch(data, Tag{0x0004, 0x1200});
  patch(data, Tag{0x0004, 0x1202});
  for (DataSet& record : records->items()) {
    patch(record, Tag{0x0004, 0x1400});
    patch(record, Tag{0x0004, 0x1420});
    patch(record, Tag{0x0004, 0x1504});
  }
  return {};
}

}  // namespace

Status write_part10(ByteSink& sink, const DataSet& meta, const DataSet& data,
                    const TransferSyntax& ts, const WriteOptions& options,
                    std::span<const std::byte> preamble) {
  std::uint64_t prefix = 0;
  if (options.write_preamble) {
    std::array<std::byte, 132> head{};
    if (preamble.size() == 128) std::memcpy(head.data(), preamble.data(), 128);
    std::memcpy(head.data() + 128, "DICM", 4);
    DCMKIT_TRY(sink.write(head));
    prefix += head.size();
  }
  // The meta group is always explicit VR little endian with a correct (0002,0000) (PS3.10 §7.1).
  WriteOptions meta_options;
  meta_options.group_lengths = GroupLengthMode::Create;
  DataSet meta_only;
  for (const Element& e : meta) {
    if (e.tag().group() == 0x0002 && !e.tag().is_group_length()) meta_only.append(e);
  }
  Encoder meta_encoder(meta_options);
  const Encoding meta_enc{Endian::Little, true};
  DCMKIT_TRY(meta_encoder.write_content(sink, meta_only, meta_enc, true));
  prefix += meta_encoder.content_length(meta_only, meta_enc, true);

  const DataSet* to_write = &data;
  DataSet relocated;
  if (is_directory_meta(meta_only) && data.contains(kDirectoryRecordSequence)) {
    relocated = data;
    DCMKIT_TRY(relocate_directory_records(relocated, ts, options, prefix));
    to_write = &relocated;
  }
  // A DICOMDIR, too, is compressed when its syntax is deflated.
  if (ts.is_deflated()) {
    DCMKIT_ASSIGN_OR_RETURN(auto deflater, DeflateSink::create(sink, options.deflate_level));
    DCMKIT_TRY(write_plain_dataset(*deflater, *to_write, ts, options, 0));
    DCMKIT_TRY(deflater->finish());
  } else {
    DCMKIT_TRY(write_plain_dataset(sink, *to_write, ts, options, prefix));
  }
  return sink.flush();
}

Status write_file(const std::filesystem::path& path, const DataSet& meta, const DataSet& data,
                  const TransferSyntax& ts, const WriteOptions& options,
                  std::span<const std::byte> preamble) {
  // Write next to the target, then rename: readers never see a partial file.
  const auto directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string temp_name = (directory / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp_name.data());
  if (fd < 0) {
    return Error(ErrorCode::IoError, std::strerror(errno))
        .with_context("creating a temporary file in " + directory.string());
  }
  Status status;
  {
    FdSink sink(fd);
    if (meta.empty()) {
      status = write_dataset(sink, data, ts, options);
      if (status) status = sink.flush();
    } else {
      WriteOptions file_options = options;
      status = write_part10(sink, meta, data, ts, file_options, preamble);
    }
  }
  if (status && ::fchmod(fd, 0644) != 0) {
    status = Error(ErrorCode::IoError, std::strerror(errno)).with_context("setting permissions");
  }
  if (::close(fd) != 0 && status) {
    status =
        Error(ErrorCode::IoError, std::string(std::strerror(errno)) + ": closing " + temp_name);
  }
  if (status && ::rename(temp_name.c_str(), path.c_str()) != 0) {
    status = Error(ErrorCode::IoError, std::strerror(errno))
                 .with_context("renaming to " + path.string());
  }
  if (!status) {
    ::unlink(temp_name.c_str());
    return std::move(status).error().with_context("writing " + path.string());
  }
  return {};
}

}  // namespace dcmkit::dcmdata

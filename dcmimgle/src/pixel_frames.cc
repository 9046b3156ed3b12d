// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/pixel_frames.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/checked_math.h"

// The codec registry arrives with issue 4; until it is in the tree, encapsulated pixel data is
// reported as an unsupported transfer syntax.
#if __has_include("dcmkit/dcmdata/codec.h")
#include "dcmkit/dcmdata/codec.h"
#define DCMKIT_HAVE_CODEC_REGISTRY 1
#endif

namespace dcmkit::dcmimgle {

using dcmdata::DataSet;
using dcmdata::Element;
using dcmdata::PixelDescription;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

Error malformed(std::string message) { return Error(ErrorCode::MalformedData, std::move(message)); }

bool is_subsampled(const std::string& photometric) {
  return photometric == "YBR_FULL_422" || photometric == "YBR_PARTIAL_422";
}

// Sign-extends the low `bits` bits of `value`.
inline std::int32_t sign_extend(std::uint32_t value, std::uint32_t bits) {
  const std::uint32_t sign = std::uint32_t{1} << (bits - 1);
  return static_cast<std::int32_t>((value ^ sign) - sign);
}

// Extracts Bits Stored bits at High Bit from each `Word` of little-endian `data`.
template <class Word>
void extract(const std::byte* data, std::size_t available, std::uint64_t count,
             const PixelDescription& d, std::int32_t* out) {
  const std::uint32_t shift = d.high_bit + 1 - d.bits_stored;
  const std::uint64_t mask =
      d.bits_stored >= 32 ? 0xFFFFFFFFull : ((std::uint64_t{1} << d.bits_stored) - 1);
  const std::size_t whole = std::min<std::uint64_t>(count, available / sizeof(Word));
  const bool plain = shift == 0 && d.bits_stored == sizeof(Word) * 8;
  for (std::size_t i = 0; i < whole; ++i) {
    Word word = 0;
    for (std::size_t b = 0; b < sizeof(Word); ++b) {
      word = static_cast<Word>(
          word | (Word{std::to_integer<std::uint8_t>(data[i * sizeof(Word) + b])} << (8 * b)));
    }
    if (plain) {
      if constexpr (sizeof(Word) == 1) {
        out[i] = d.is_signed ? static_cast<std::int8_t>(word) : word;
      } else if constexpr (sizeof(Word) == 2) {
        out[i] = d.is_signed ? static_cast<std::int16_t>(word) : word;
      } else {
        out[i] = static_cast<std::int32_t>(word);
      }
      continue;
    }
    const auto value = static_cast<std::uint32_t>((std::uint64_t{word} >> shift) & mask);
    out[i] = d.is_signed ? sign_extend(value, d.bits_stored) : static_cast<std::int32_t>(value);
  }
  std::fill(out + whole, out + count, 0);
}

// Any Bits Allocated (1, 12, 24, ...): a little-endian bit stream, least significant bit first.
void extract_bits(const std::byte* data, std::size_t available, std::uint32_t bit_offset,
                  std::uint64_t count, const PixelDescription& d, std::int32_t* out) {
  const std::uint32_t allocated = d.bits_allocated;
  const std::uint32_t shift = d.high_bit + 1 - d.bits_stored;
  const std::uint64_t mask =
      d.bits_stored >= 32 ? 0xFFFFFFFFull : ((std::uint64_t{1} << d.bits_stored) - 1);
  const std::uint64_t total_bits = std::uint64_t{available} * 8;
  std::uint64_t bit = bit_offset;
  for (std::uint64_t i = 0; i < count; ++i, bit += allocated) {
    std::uint64_t word = 0;
    if (bit + allocated <= total_bits) {
      for (std::uint32_t b = 0; b < allocated;) {
        const std::uint64_t at = bit + b;
        const std::uint32_t in_byte = static_cast<std::uint32_t>(at % 8);
        const std::uint32_t take = std::min(8 - in_byte, allocated - b);
        const std::uint64_t byte = std::to_integer<std::uint64_t>(data[at / 8]);
        word |= ((byte >> in_byte) & ((1u << take) - 1)) << b;
        b += take;
      }
    }
    const auto value = static_cast<std::uint32_t>((word >> shift) & mask);
    out[i] = d.is_signed ? sign_extend(value, d.bits_stored) : static_cast<std::int32_t>(value);
  }
}

void swap_words(std::byte* data, std::size_t size, std::uint32_t unit) {
  for (std::size_t i = 0; i + unit <= size; i += unit) std::reverse(data + i, data + i + unit);
}

}  // namespace

Result<PixelFrames> PixelFrames::open(const DataSet& data, const dcmdata::TransferSyntax& ts,
                                      const PixelLimits& limits) {
  PixelFrames frames;
  const Element* pixels = data.find(dcmdata::tags::PixelData);
  if (pixels == nullptr) {
    if ((pixels = data.find(dcmdata::tags::FloatPixelData)) != nullptr) {
      frames.kind_ = SampleKind::Float32;
    } else if ((pixels = data.find(dcmdata::tags::DoubleFloatPixelData)) != nullptr) {
      frames.kind_ = SampleKind::Float64;
    } else {
      return Error(ErrorCode::NotFound, "no pixel data found in DICOM dataset");
    }
  }
  DCMKIT_ASSIGN_OR_RETURN(frames.stored_, PixelDescription::from(data));
  PixelDescription& d = frames.stored_;
  if (frames.kind_ != SampleKind::Integer) {
    // Float pixel data has no Bits Stored / High Bit / Pixel Representation (PS3.3 C.7.6.24).
    d.bits_allocated = frames.kind_ == SampleKind::Float32 ? 32 : 64;
    d.bits_stored = d.bits_allocated;
    d.high_bit = d.bits_allocated - 1;
    d.is_signed = true;
  } else if (d.bits_stored > 32) {
    return Error(ErrorCode::Unsupported,
                 "Bits Stored " + std::to_string(d.bits_stored) + " (more than 32) not supported");
  }
  const auto samples =
      ofstd::checked_mul<std::uint64_t>(std::uint64_t{d.rows} * d.columns, d.samples_per_pixel);
  if (!samples || *samples > limits.max_frame_samples) {
    return Error(ErrorCode::LimitExceeded,
                 "frame of " + std::to_string(d.rows) + " x " + std::to_string(d.columns) + " x " +
                     std::to_string(d.samples_per_pixel) + " samples exceeds the limit");
  }
  frames.description_ = d;
  frames.ts_uid_ = std::string(ts.uid());

  if (pixels->is_encapsulated()) {
#ifdef DCMKIT_HAVE_CODEC_REGISTRY
    const auto codec = dcmdata::CodecRegistry::global().decoder(ts.uid());
    if (codec == nullptr) {
      return Error(ErrorCode::Unsupported, "unsupported transfer syntax " + std::string(ts.uid()) +
                                               " (" + std::string(ts.name()) +
                                               "): no decoder for its pixel data");
    }
    DCMKIT_ASSIGN_OR_RETURN(dcmdata::FrameIndex index, dcmdata::FrameIndex::build(data));
    DCMKIT_ASSIGN_OR_RETURN(frames.description_, codec->decoded_description(ts, d, {}));
    frames.description_.number_of_frames = d.number_of_frames;
    frames.index_ = std::make_shared<const dcmdata::FrameIndex>(std::move(index));
    frames.encapsulated_ = true;
    if (frames.description_.bits_allocated % 8 != 0 || frames.description_.bits_allocated > 32) {
      return Error(ErrorCode::Unsupported,
                   "decoded Bits Allocated " + std::to_string(frames.description_.bits_allocated));
    }
    return frames;
#else
    return Error(ErrorCode::Unsupported, "unsupported transfer syntax " + std::string(ts.uid()) +
                                             " (" + std::string(ts.name()) +
                                             "): no decoder for its pixel data");
#endif
  }

  DCMKIT_ASSIGN_OR_RETURN(frames.stored_frame_bits_, d.frame_bits());
  const auto total =
      ofstd::checked_mul<std::uint64_t>(frames.stored_frame_bits_, d.number_of_frames);
  const std::uint64_t available = std::uint64_t{pixels->bytes().size()} * 8;
  if (!total || *total > available) {
    // DCMTK renders missing pixels as zeros; a frame must at least be complete here, so that a
    // hostile Rows/Columns cannot make us produce gigabytes from a few bytes.
    const std::uint64_t complete =
        frames.stored_frame_bits_ == 0 ? 0 : available / frames.stored_frame_bits_;
    if (complete == 0) {
      return malformed("pixel data too short: " + std::to_string(pixels->bytes().size()) +
                       " bytes for a frame of " + std::to_string(frames.stored_frame_bits_ / 8) +
                       " bytes");
    }
    frames.description_.number_of_frames = complete;
    frames.stored_.number_of_frames = complete;
  }
  frames.native_ = pixels->bytes();
  frames.subsampled_ = is_subsampled(d.photometric_interpretation) && d.samples_per_pixel == 3;
  if (frames.subsampled_ && (d.columns % 2 != 0 || d.bits_allocated % 8 != 0)) {
    return malformed(d.photometric_interpretation + " with odd Columns or Bits Allocated " +
                     std::to_string(d.bits_allocated));
  }
  if (pixels->byte_order() == ofstd::Endian::Big && d.bits_allocated > 8) {
    frames.big_endian_words_ = true;
    frames.swap_unit_ = d.bits_allocated % 8 == 0 && d.bits_allocated <= 64
                            ? d.bits_allocated / 8
                            : 2;  // packed bit streams in OW: 16-bit words
  } else if (pixels->byte_order() == ofstd::Endian::Big && pixels->vr() == dcmdata::VR::OW) {
    frames.big_endian_words_ = true;
    frames.swap_unit_ = 2;
  }
  return frames;
}

std::uint64_t PixelFrames::frame_samples() const noexcept {
  return std::uint64_t{description_.rows} * description_.columns * description_.samples_per_pixel;
}

std::int64_t PixelFrames::min_storable() const noexcept {
  if (!description_.is_signed) return 0;
  return -(std::int64_t{1} << (description_.bits_stored - 1));
}

std::int64_t PixelFrames::max_storable() const noexcept {
  if (!description_.is_signed) return (std::int64_t{1} << description_.bits_stored) - 1;
  return (std::int64_t{1} << (description_.bits_stored - 1)) - 1;
}

Status PixelFrames::native_bytes(std::uint64_t index, std::vector<std::byte>& scratch,
                                 const std::byte*& data, std::size_t& size,
                                 std::uint32_t& bit_offset) const {
  if (index >= frame_count()) {
    return Error(ErrorCode::NotFound, "frame " + std::to_string(index + 1) + " of " +
                                          std::to_string(frame_count()) + " does not exist");
  }
  bit_offset = 0;
  if (encapsulated_) {
#ifdef DCMKIT_HAVE_CODEC_REGISTRY
    const dcmdata::TransferSyntax ts = dcmdata::TransferSyntax::lookup_or_unknown(ts_uid_);
    DCMKIT_ASSIGN_OR_RETURN(dcmdata::DecodedFrame decoded,
                            dcmdata::decode_frame(*index_, index, ts));
    scratch = std::move(decoded.pixels);
    data = scratch.data();
    size = scratch.size();
    return {};
#else
    return Error(ErrorCode::Unsupported, "unsupported transfer syntax");
#endif
  }
  const std::uint64_t first_bit = index * stored_frame_bits_;
  const auto start = static_cast<std::size_t>(first_bit / 8);
  bit_offset = static_cast<std::uint32_t>(first_bit % 8);
  size = static_cast<std::size_t>(
      std::min<std::uint64_t>((bit_offset + stored_frame_bits_ + 7) / 8, native_.size() - start));
  data = native_.data() + start;
  if (big_endian_words_) {
    // Swap whole words of the value: a frame may start in the middle of one.
    const std::size_t aligned = start - start % swap_unit_;
    const std::size_t end = std::min(native_.size(), start + size + swap_unit_);
    scratch.assign(native_.data() + aligned, native_.data() + end);
    swap_words(scratch.data(), scratch.size(), swap_unit_);
    data = scratch.data() + (start - aligned);
  }
  return {};
}

std::uint64_t PixelFrames::element_value_count() const noexcept {
  if (encapsulated_ || kind_ != SampleKind::Integer || stored_.bits_allocated == 0) return 0;
  const std::uint64_t padded = (std::uint64_t{native_.size()} + 1) / 2 * 2;
  return padded * 8 / stored_.bits_allocated;
}

Status PixelFrames::unpack_trailing(std::vector<std::int32_t>& out) const {
  out.clear();
  const std::uint32_t allocated = stored_.bits_allocated;
  if (encapsulated_ || kind_ != SampleKind::Integer || subsampled_ ||
      (allocated != 8 && allocated != 16 && allocated != 32)) {
    return {};
  }
  const std::uint64_t used = stored_frame_bits_ * frame_count() / 8;
  // The bytes after the frames, the pad byte of an odd length, and whole words only.
  std::vector<std::byte> tail(native_.data() + std::min<std::uint64_t>(used, native_.size()),
                              native_.data() + native_.size());
  if (native_.size() % 2 != 0) tail.push_back(std::byte{0});
  const std::size_t unit = allocated / 8;
  tail.resize(tail.size() / unit * unit);
  if (big_endian_words_) swap_words(tail.data(), tail.size(), swap_unit_);
  const std::uint64_t count = tail.size() / unit;
  out.resize(static_cast<std::size_t>(count));
  if (allocated == 8) {
    extract<std::uint8_t>(tail.data(), tail.size(), count, stored_, out.data());
  } else if (allocated == 16) {
    extract<std::uint16_t>(tail.data(), tail.size(), count, stored_, out.data());
  } else {
    extract<std::uint32_t>(tail.data(), tail.size(), count, stored_, out.data());
  }
  return {};
}

Status PixelFrames::unpack(std::uint64_t index, std::vector<std::int32_t>& out) const {
  if (kind_ != SampleKind::Integer) {
    return Error(ErrorCode::InvalidArgument, "float pixel data: use unpack_float()");
  }
  return unpack_with(index, encapsulated_ ? description_ : stored_, out);
}

Result<std::span<const std::byte>> PixelFrames::frame_words(std::uint64_t index,
                                                            std::vector<std::byte>& scratch) const {
  const PixelDescription& d = encapsulated_ ? description_ : stored_;
  if (kind_ != SampleKind::Integer || subsampled_ ||
      (d.bits_allocated != 8 && d.bits_allocated != 16 && d.bits_allocated != 32)) {
    return Error(ErrorCode::Unsupported, "frame words of Bits Allocated " +
                                             std::to_string(d.bits_allocated) + " not available");
  }
  const std::byte* data = nullptr;
  std::size_t size = 0;
  std::uint32_t bit_offset = 0;
  DCMKIT_TRY(native_bytes(index, scratch, data, size, bit_offset));
  if (bit_offset != 0) {
    return Error(ErrorCode::Unsupported, "frame does not start on a byte boundary");
  }
  const std::size_t word = d.bits_allocated / 8;
  const std::uint64_t wanted = frame_samples() * word;
  return std::span<const std::byte>(data, std::min<std::uint64_t>(size / word * word, wanted));
}

std::int32_t PixelFrames::stored_value(std::uint32_t word) const noexcept {
  const PixelDescription& d = encapsulated_ ? description_ : stored_;
  const std::uint32_t shift = d.high_bit + 1 - d.bits_stored;
  const std::uint64_t mask =
      d.bits_stored >= 32 ? 0xFFFFFFFFull : ((std::uint64_t{1} << d.bits_stored) - 1);
  const auto value = static_cast<std::uint32_t>((std::uint64_t{word} >> shift) & mask);
  return d.is_signed ? sign_extend(value, d.bits_stored) : static_cast<std::int32_t>(value);
}

Status PixelFrames::unpack_bit(std::uint64_t index, std::uint32_t bit,
                               std::vector<std::int32_t>& out) const {
  if (kind_ != SampleKind::Integer || encapsulated_ || stored_.samples_per_pixel != 1 ||
      bit >= stored_.bits_allocated) {
    return Error(ErrorCode::InvalidArgument, "no embedded overlay bit " + std::to_string(bit));
  }
  PixelDescription d = stored_;
  d.bits_stored = 1;
  d.high_bit = bit;
  d.is_signed = false;
  return unpack_with(index, d, out);
}

Status PixelFrames::unpack_with(std::uint64_t index, const PixelDescription& d,
                                std::vector<std::int32_t>& out) const {
  std::vector<std::byte> scratch;
  const std::byte* data = nullptr;
  std::size_t size = 0;
  std::uint32_t bit_offset = 0;
  DCMKIT_TRY(native_bytes(index, scratch, data, size, bit_offset));
  const std::uint64_t count = frame_samples();
  out.resize(static_cast<std::size_t>(count));
  if (subsampled_) {
    // Y0 Y1 Cb Cr per pair of pixels (PS3.3 C.7.6.3.1.2): expanded to Y Cb Cr per pixel, the
    // chroma of a pair repeated for both of its pixels.
    std::vector<std::int32_t> packed(static_cast<std::size_t>(count / 3 * 2));
    if (d.bits_allocated == 8) {
      extract<std::uint8_t>(data, size, packed.size(), d, packed.data());
    } else {
      extract<std::uint16_t>(data, size, packed.size(), d, packed.data());
    }
    for (std::size_t pair = 0, o = 0; pair + 3 < packed.size(); pair += 4, o += 6) {
      out[o] = packed[pair];
      out[o + 1] = packed[pair + 2];
      out[o + 2] = packed[pair + 3];
      out[o + 3] = packed[pair + 1];
      out[o + 4] = packed[pair + 2];
      out[o + 5] = packed[pair + 3];
    }
  } else if (bit_offset == 0 && d.bits_allocated == 8) {
    extract<std::uint8_t>(data, size, count, d, out.data());
  } else if (bit_offset == 0 && d.bits_allocated == 16) {
    extract<std::uint16_t>(data, size, count, d, out.data());
  } else if (bit_offset == 0 && d.bits_allocated == 32) {
    extract<std::uint32_t>(data, size, count, d, out.data());
  } else {
    extract_bits(data, size, bit_offset, count, d, out.data());
  }
  return {};
}

Status PixelFrames::unpack_float(std::uint64_t index, std::vector<double>& out) const {
  if (kind_ == SampleKind::Integer) {
    std::vector<std::int32_t> values;
    DCMKIT_TRY(unpack(index, values));
    out.assign(values.begin(), values.end());
    return {};
  }
  std::vector<std::byte> scratch;
  const std::byte* data = nullptr;
  std::size_t size = 0;
  std::uint32_t bit_offset = 0;
  DCMKIT_TRY(native_bytes(index, scratch, data, size, bit_offset));
  const auto count = static_cast<std::size_t>(frame_samples());
  out.assign(count, 0.0);
  if (kind_ == SampleKind::Float32) {
    for (std::size_t i = 0; i < count && (i + 1) * 4 <= size; ++i) {
      const std::uint32_t bits = ofstd::load_u32(data + i * 4, ofstd::Endian::Little);
      out[i] = static_cast<double>(std::bit_cast<float>(bits));
    }
  } else {
    for (std::size_t i = 0; i < count && (i + 1) * 8 <= size; ++i) {
      out[i] = std::bit_cast<double>(ofstd::load_u64(data + i * 8, ofstd::Endian::Little));
    }
  }
  return {};
}

void PixelFrames::release(std::uint64_t index) const noexcept {
  if (!release_pages_ || encapsulated_ || index >= frame_count()) return;
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const std::uint64_t first = index * stored_frame_bits_ / 8;
  const std::uint64_t last =
      std::min<std::uint64_t>((index + 1) * stored_frame_bits_ / 8, native_.size());
  auto begin = reinterpret_cast<std::uintptr_t>(native_.data() + first);     // NOLINT: page math
  const auto end = reinterpret_cast<std::uintptr_t>(native_.data() + last);  // NOLINT
  begin = (begin + page - 1) / page * page;  // only pages wholly inside this frame
  const std::uintptr_t end_page = end / page * page;
  if (end_page > begin) {
    // The pages of a read-only file mapping: dropping them only lowers the resident set; they
    // come back from the page cache if touched again.
    ::madvise(reinterpret_cast<void*>(begin), end_page - begin, MADV_DONTNEED);  // NOLINT
  }
}

}  // namespace dcmkit::dcmimgle

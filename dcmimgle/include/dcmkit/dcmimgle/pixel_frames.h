// SPDX-License-Identifier: BSD-3-Clause
// Pixel data interpretation: the stored sample values of frame N as integers (or floating point
// values for Float / Double Float Pixel Data), whatever Bits Allocated, Bits Stored, High Bit,
// Pixel Representation, byte order and encapsulation say. One frame is unpacked at a time, so a
// huge multi-frame object is processed with memory bounded by one frame.
//
//   auto frames = PixelFrames::open(file->data, file->transfer_syntax);
//   if (!frames) return frames.error();
//   std::vector<std::int32_t> samples;
//   DCMKIT_TRY(frames->unpack(41, samples));   // frame 42, sample values as stored
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/pixel_data.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimgle {

/// How sample values are stored.
enum class SampleKind : std::uint8_t {
  Integer,  ///< Pixel Data (7FE0,0010): Bits Stored bits, signed or unsigned
  Float32,  ///< Float Pixel Data (7FE0,0008), OF
  Float64,  ///< Double Float Pixel Data (7FE0,0009), OD
};

/// Limits that protect against hostile descriptions.
struct PixelLimits {
  /// Largest number of samples (rows × columns × samples per pixel) of one frame.
  std::uint64_t max_frame_samples = std::uint64_t{1} << 30;
};

/// The frames of one image (top-level pixel data of a data set), ready to unpack one at a time.
/// Holds views of the pixel data (a memory-mapped file stays mapped while this lives).
/// Regular value type; const methods are safe concurrently (each call unpacks into the caller's
/// buffer).
class PixelFrames {
 public:
  /// Reads the pixel description of `data` and locates its pixel data. `ts` is the transfer
  /// syntax the data set was read with; encapsulated frames are decoded by dcmdata's codec
  /// registry when unpacked (Unsupported "unsupported transfer syntax" if there is no codec).
  /// NotFound without pixel data; MalformedData for impossible or inconsistent attributes
  /// (zero size, High Bit >= Bits Allocated, too little native pixel data, ...); LimitExceeded
  /// when a frame would exceed `limits`.
  static ofstd::Result<PixelFrames> open(const dcmdata::DataSet& data,
                                         const dcmdata::TransferSyntax& ts,
                                         const PixelLimits& limits = {});

  /// The description of the unpacked samples (for encapsulated data: after decoding, so
  /// Photometric Interpretation may differ from the data set's, e.g. YBR_FULL_422 -> RGB).
  const dcmdata::PixelDescription& description() const noexcept { return description_; }
  SampleKind sample_kind() const noexcept { return kind_; }
  std::uint64_t frame_count() const noexcept { return description_.number_of_frames; }
  bool is_encapsulated() const noexcept { return encapsulated_; }
  /// Samples of one frame: rows × columns × samples per pixel (chroma-subsampled native
  /// YBR_*_422 frames are expanded to full resolution by unpack()).
  std::uint64_t frame_samples() const noexcept;
  /// Smallest and largest value Bits Stored can represent (0 .. 2^n - 1, or -2^(n-1) ..
  /// 2^(n-1) - 1 when signed).
  std::int64_t min_storable() const noexcept;
  std::int64_t max_storable() const noexcept;

  /// Unpacks frame `index` (0-based) into `out` (resized to frame_samples()): each sample's
  /// Bits Stored bits, sign-extended if signed, in the order of the stored data (interleaved
  /// or planar as Planar Configuration says). NotFound for a bad index; the codec's errors for
  /// encapsulated data; InvalidArgument for float pixel data (use unpack_float()).
  ofstd::Status unpack(std::uint64_t index, std::vector<std::int32_t>& out) const;
  /// The words of frame `index` as unpack() reads them: little-endian words of Bits Allocated
  /// bits (8, 16 or 32), byte-swapped or decoded into `scratch` when needed, else a view of the
  /// pixel data (valid while this object and `scratch` live). A word shorter frame (truncated
  /// pixel data) gives a shorter view: unpack() reads the missing words as 0. Callers map the
  /// words with stored_value(), e.g. through a table over all 2^Bits Allocated words.
  /// Unsupported for float data, Bits Allocated other than 8, 16 and 32, frames that do not start
  /// on a byte boundary and chroma-subsampled frames; else the errors of unpack().
  ofstd::Result<std::span<const std::byte>> frame_words(std::uint64_t index,
                                                        std::vector<std::byte>& scratch) const;
  /// The sample value unpack() gives for the stored word `word` (Bits Stored bits at High Bit,
  /// sign-extended if signed).
  std::int32_t stored_value(std::uint32_t word) const noexcept;
  /// Bit `bit` of each stored word of frame `index` (an overlay embedded in the unused high bits
  /// of native monochrome Pixel Data, PS3.3 C.9.2.1.3), as 0 or 1 per pixel.
  ofstd::Status unpack_bit(std::uint64_t index, std::uint32_t bit,
                           std::vector<std::int32_t>& out) const;
  /// Like unpack() for any sample kind, as doubles.
  ofstd::Status unpack_float(std::uint64_t index, std::vector<double>& out) const;

  /// Number of values the whole native Pixel Data element holds, its length rounded up to even
  /// as a reader pads it (0 for encapsulated or float data).
  std::uint64_t element_value_count() const noexcept;
  /// The values stored in the native Pixel Data element after the last frame, unpacked as
  /// unpack() does, including the zero pad byte of an odd length. DCMTK counts them in its
  /// statistics of single-frame images (see Renderer::prepare). Empty for encapsulated or float
  /// data and for Bits Allocated other than 8, 16 and 32.
  ofstd::Status unpack_trailing(std::vector<std::int32_t>& out) const;

  /// Tells the operating system that the bytes of frame `index` will not be needed again (so
  /// a memory-mapped file does not stay resident). Only has an effect after
  /// set_release_mapped_pages(true), which the caller may only enable when the pixel data is a
  /// view of a read-only file mapping (never of memory it owns).
  void release(std::uint64_t index) const noexcept;
  void set_release_mapped_pages(bool release) noexcept { release_pages_ = release; }

 private:
  ofstd::Status unpack_with(std::uint64_t index, const dcmdata::PixelDescription& d,
                            std::vector<std::int32_t>& out) const;
  ofstd::Status native_bytes(std::uint64_t index, std::vector<std::byte>& scratch,
                             const std::byte*& data, std::size_t& size,
                             std::uint32_t& bit_offset) const;

  dcmdata::PixelDescription description_;  // of the unpacked samples
  dcmdata::PixelDescription stored_;       // as in the data set
  SampleKind kind_ = SampleKind::Integer;
  bool encapsulated_ = false;
  bool big_endian_words_ = false;  // native data in big endian, to be swapped
  bool subsampled_ = false;        // native YBR_FULL_422 / YBR_PARTIAL_422
  bool release_pages_ = false;
  std::uint32_t swap_unit_ = 0;  // bytes per swapped word (2, 4 or 8)
  std::uint64_t stored_frame_bits_ = 0;
  dcmdata::SharedBytes native_;
  std::shared_ptr<const dcmdata::FrameIndex> index_;  // encapsulated frames
  std::string ts_uid_;
};

}  // namespace dcmkit::dcmimgle

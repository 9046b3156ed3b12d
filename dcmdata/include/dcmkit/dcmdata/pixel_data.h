// SPDX-License-Identifier: BSD-3-Clause
// Frame access: the bytes of frame N of a (multi-frame) image, native or encapsulated, without
// touching the other frames. Native frames are slices of Pixel Data; encapsulated frames are
// located through the Extended Offset Table, else the Basic Offset Table, else one pass over the
// fragments (PS3.5 §A.4). The bytes stay views into the source (a mapped file).
//
//   auto frames = FrameIndex::build(file->data);
//   if (!frames) return frames.error();
//   auto frame = frames->frame(41);      // Result<Frame>, frame 42 of the object
//   for (const SharedBytes& piece : frame->pieces) decode(piece.span());
#pragma once

#include <cstdint>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// The attributes that describe Pixel Data (PS3.3 C.7.6.3), as read from a data set.
struct PixelDescription {
  std::uint32_t rows = 0;
  std::uint32_t columns = 0;
  std::uint32_t samples_per_pixel = 1;
  std::uint32_t bits_allocated = 0;
  std::uint32_t bits_stored = 0;
  std::uint32_t high_bit = 0;
  bool is_signed = false;  ///< Pixel Representation 1
  std::uint32_t planar_configuration = 0;
  std::uint64_t number_of_frames = 1;  ///< Number of Frames, 1 if absent
  std::string photometric_interpretation;
  /// SOP Class UID (0008,0016), empty if absent: some IODs fix the layout of their pixels
  /// (decoders choose the planar configuration by it, as DCMTK's do).
  std::string sop_class_uid;

  /// Reads the description; MalformedData names a missing or impossible attribute (zero rows,
  /// Bits Allocated not 1 or a multiple of 8, High Bit >= Bits Allocated, ...).
  static ofstd::Result<PixelDescription> from(const DataSet& data);
  /// Bits of one native frame: rows × columns × samples × bits allocated (LimitExceeded on
  /// overflow).
  ofstd::Result<std::uint64_t> frame_bits() const;
};

/// One frame's encoded bytes: a single piece for native data (a slice of Pixel Data, in
/// `byte_order`), one piece per fragment for encapsulated data. For Bits Allocated 1, a native
/// frame need not start on a byte boundary: it starts `bit_offset` bits into its piece.
struct Frame {
  std::vector<SharedBytes> pieces;
  std::uint8_t bit_offset = 0;
  ofstd::Endian byte_order = ofstd::Endian::Little;
  bool encapsulated = false;
};

/// Where each frame of a data set's Pixel Data is. Built once (cheap: no pixel bytes are read
/// except the few that mark frame starts when an encapsulated object has no offset table), then
/// each frame is found in O(log n). Regular value type; const methods are safe concurrently.
class FrameIndex {
 public:
  /// Indexes the top-level Pixel Data (7FE0,0010) of `data`. NotFound without Pixel Data;
  /// MalformedData when the description and the data disagree (too little native data, offset
  /// tables pointing outside the fragments, frames that cannot be told apart).
  static ofstd::Result<FrameIndex> build(const DataSet& data);

  std::uint64_t frame_count() const noexcept { return description_.number_of_frames; }
  const PixelDescription& description() const noexcept { return description_; }
  bool is_encapsulated() const noexcept { return encapsulated_; }

  /// Frame `index` (0-based); NotFound if index >= frame_count().
  ofstd::Result<Frame> frame(std::uint64_t index) const;

 private:
  PixelDescription description_;
  bool encapsulated_ = false;
  // Native data.
  SharedBytes native_;
  ofstd::Endian byte_order_ = ofstd::Endian::Little;
  std::uint64_t frame_bits_ = 0;
  // Encapsulated data: the fragments (offset table excluded) and, per frame, its first fragment.
  std::vector<SharedBytes> fragments_;
  std::vector<std::size_t> first_fragment_;
};

}  // namespace dcmkit::dcmdata

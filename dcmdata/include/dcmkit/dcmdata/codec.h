// SPDX-License-Identifier: BSD-3-Clause
// Pixel data codecs: a registry of codecs keyed by transfer syntax, per-frame decoding and
// encoding, and transcode(), which moves a whole data set from one transfer syntax to another
// (decompressing and compressing every frame and fixing up the attributes that describe them).
// The registry starts empty; programs fill it with explicit register_*() calls at start-up.
//
//   dcmdata::register_rle_codec();                      // once, in main()
//   auto file = dcmdata::read_file("rle.dcm");
//   DCMKIT_TRY(dcmdata::transcode(*file, dcmdata::explicit_vr_little_endian()));
//
//   // One frame, decoded whatever the transfer syntax (native frames are just copied):
//   auto frames = dcmdata::FrameIndex::build(file->data);
//   auto pixels = dcmdata::decode_frame(*frames, 41, file->transfer_syntax);
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/pixel_data.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// Options for decoding compressed frames. Each codec reads the fields that concern it.
struct DecodeOptions {
  /// Recoverable deviations in the compressed data (an RLE segment that ends early, say) are
  /// errors rather than Diagnostics.
  Strictness strictness = Strictness::Lenient;
  /// RLE: the byte segments of a sample come least significant byte first, as some broken
  /// encoders write them (dcmdrle +br); PS3.5 §G.2 wants the most significant byte first.
  bool rle_reverse_byte_order = false;
  /// transcode(): decode the frames of a multi-frame image on this many threads (0: one per
  /// hardware thread). Codecs are immutable, so frames decode independently.
  std::uint32_t threads = 1;
};

/// Options for encoding frames. Each codec reads the fields that concern it.
struct EncodeOptions {
  /// Split each encoded frame into fragments of at most this many bytes (rounded down to an
  /// even number); 0 puts each frame into one fragment. More than one fragment per frame is not
  /// allowed for some transfer syntaxes (RLE, PS3.5 §A.4.2), so only use it for testing readers.
  std::uint64_t max_fragment_size = 0;
  /// Fill the Basic Offset Table (PS3.5 §A.4); otherwise it is left empty.
  bool create_offset_table = true;
  /// If not 0, the compression ratio counts the uncompressed image with this many bits per
  /// sample (rather than Bits Allocated) and the compressed frames without their pad bytes, as
  /// DCMTK's JPEG encoder counts them (with the depth of the image it was given).
  std::uint32_t ratio_bits_per_sample = 0;
};

/// A pixel data codec for one family of transfer syntaxes. Implementations are immutable after
/// construction, so every method may be called from several threads at once.
///
/// Native pixels, as decode_frame() produces and encode_frame() takes them, are the bytes of one
/// frame as PS3.5 §8.1.1 lays them out in little endian: Bits Allocated bits per sample (a
/// multiple of 8 here), samples interleaved or by plane as Planar Configuration says.
class PixelCodec {
 public:
  virtual ~PixelCodec() = default;

  /// A short name for logs ("RLE Lossless").
  virtual std::string_view name() const noexcept = 0;
  /// Whether the codec decodes / encodes pixel data of transfer syntax `ts`.
  virtual bool can_decode(const TransferSyntax& ts) const noexcept = 0;
  virtual bool can_encode(const TransferSyntax& ts) const noexcept = 0;

  /// The description of the pixels decode_frame() produces from frames described by
  /// `encoded` (a codec may change Photometric Interpretation or Planar Configuration).
  /// Unsupported if the codec cannot decode such frames.
  virtual ofstd::Result<PixelDescription> decoded_description(
      const TransferSyntax& ts, const PixelDescription& encoded,
      const DecodeOptions& options) const = 0;
  /// Decodes one frame and appends its native pixels (laid out as decoded_description() says)
  /// to `out`. MalformedData for corrupt data, Unsupported for what the codec cannot decode;
  /// in Lenient mode recoverable deviations are appended to `diagnostics` (if not null). On
  /// error `out` is left as it was. The codec checks the compressed size against the frame
  /// size before it allocates, so hostile descriptions cannot make it allocate without bound.
  virtual ofstd::Status decode_frame(const TransferSyntax& ts, const Frame& frame,
                                     const PixelDescription& encoded, const DecodeOptions& options,
                                     std::vector<std::byte>& out,
                                     std::vector<Diagnostic>* diagnostics) const = 0;

  /// The description of the frames encode_frame() makes from native pixels described by
  /// `native`. Unsupported if the codec cannot encode such pixels.
  virtual ofstd::Result<PixelDescription> encoded_description(
      const TransferSyntax& ts, const PixelDescription& native,
      const EncodeOptions& options) const = 0;
  /// Encodes the native pixels of one frame; returns the frame's compressed bytes (one
  /// fragment's worth; transcode() splits them if asked to).
  virtual ofstd::Result<std::vector<std::byte>> encode_frame(
      const TransferSyntax& ts, std::span<const std::byte> native,
      const PixelDescription& description, const EncodeOptions& options) const = 0;

  /// How the codec describes what it did to pixels described by `native`, for Derivation
  /// Description (0008,2111) when a new instance is made: "Lossless RLE compression".
  virtual std::string derivation_description(const TransferSyntax& ts,
                                             const PixelDescription& native) const = 0;
  /// The whole Derivation Description after encoding with compression ratio `ratio` (already
  /// formatted, "34.96"); empty writes none. By default derivation_description() followed by
  /// ", compression ratio <ratio>"; codecs that word it as DCMTK's do override it.
  virtual std::string describe_compression(const TransferSyntax& ts, const PixelDescription& native,
                                           std::string_view ratio) const;
  /// Whether Derivation Description is written whenever frames are encoded, not only for a new
  /// instance (DCMTK's JPEG codecs do so, its RLE and JPEG-LS codecs do not).
  virtual bool always_describe_derivation() const noexcept { return false; }
  /// For lossy codecs, the Lossy Image Compression Method (0028,2114) defined term
  /// ("ISO_10918_1"); empty for lossless ones.
  virtual std::string lossy_method(const TransferSyntax& /*ts*/) const { return {}; }
};

/// Codecs by transfer syntax UID. The process-wide instance, global(), is what transcode() and
/// decode_frame() use unless told otherwise; it starts empty (nothing registers itself from a
/// static initializer) and is filled by register_*() calls such as register_rle_codec().
/// Thread-safe: lookups may run concurrently with each other and with add(). A codec replaced
/// by add() stays alive for callers that still hold it (codecs are shared, immutable objects).
class CodecRegistry {
 public:
  CodecRegistry() = default;
  CodecRegistry(const CodecRegistry&) = delete;
  CodecRegistry& operator=(const CodecRegistry&) = delete;

  /// The process-wide registry.
  static CodecRegistry& global() noexcept;

  /// Registers `codec` for the transfer syntax `ts_uid`, replacing an earlier registration.
  void add(std::string_view ts_uid, std::shared_ptr<const PixelCodec> codec);
  /// Removes the codec of `ts_uid`; false if there was none.
  bool remove(std::string_view ts_uid);
  /// The codec registered for `ts_uid` that can decode it, or null.
  std::shared_ptr<const PixelCodec> decoder(std::string_view ts_uid) const;
  /// The codec registered for `ts_uid` that can encode it, or null.
  std::shared_ptr<const PixelCodec> encoder(std::string_view ts_uid) const;
  /// The UIDs that have a codec, in registration order.
  std::vector<std::string> transfer_syntaxes() const;

 private:
  struct Entry {
    std::string uid;
    std::shared_ptr<const PixelCodec> codec;
  };
  std::shared_ptr<const PixelCodec> find(std::string_view ts_uid) const;

  mutable std::shared_mutex mutex_;
  std::vector<Entry> entries_;
};

/// Registers the RLE Lossless codec (PS3.5 Annex G; 1.2.840.10008.1.2.5) in `registry`.
void register_rle_codec(CodecRegistry& registry = CodecRegistry::global());

/// Frame `index` of `frames` as native pixels (see PixelCodec), with the description of those
/// pixels: native frames are converted to little endian (Bits Allocated 1 frames are realigned
/// to start on a byte), encapsulated ones are decoded by the codec `registry` has for `ts`.
/// Unsupported if there is none; otherwise the codec's errors.
struct DecodedFrame {
  std::vector<std::byte> pixels;
  PixelDescription description;
};
ofstd::Result<DecodedFrame> decode_frame(const FrameIndex& frames, std::uint64_t index,
                                         const TransferSyntax& ts,
                                         const DecodeOptions& options = {},
                                         const CodecRegistry& registry = CodecRegistry::global(),
                                         std::vector<Diagnostic>* diagnostics = nullptr);

/// When transcode() gives the data set a new SOP Instance UID.
enum class NewInstancePolicy : std::uint8_t {
  Never,      ///< keep the SOP Instance UID
  Always,     ///< always make a new instance
  LossyOnly,  ///< only when lossy compression is applied (PS3.3 §C.7.6.1.1.5)
};

/// Options of transcode().
struct TranscodeOptions {
  DecodeOptions decode;
  EncodeOptions encode;
  NewInstancePolicy new_instance = NewInstancePolicy::LossyOnly;
  /// Turn the instance into a Secondary Capture Image (dcmcrle +cs): SOP Class UID, Conversion
  /// Type WSD and an empty Patient Orientation if absent; implies a new instance.
  bool convert_to_secondary_capture = false;
  /// Record the encoding as lossy (Lossy Image Compression, Derivation Code Sequence, a new
  /// instance under LossyOnly) although the target transfer syntax is lossless: DCMTK's
  /// pseudo-lossless JPEG codec does so, since what it codes may have been windowed.
  bool record_as_lossy = false;
};

/// What transcode() did.
struct TranscodeReport {
  bool changed_pixels = false;          ///< frames were decoded and/or encoded
  bool new_instance = false;            ///< a new SOP Instance UID was assigned
  double compression_ratio = 0.0;       ///< native size / encoded size, when encoding
  std::vector<Diagnostic> diagnostics;  ///< recoverable deviations met while decoding
};

/// Re-encodes the top-level Pixel Data of `data` from transfer syntax `source` to `target`:
/// encapsulated frames are decoded, and frames are encoded for an encapsulated target, through
/// the codecs of `registry`. Then the attributes are fixed up as DCMTK's codecs do: the
/// description of the pixels (Photometric Interpretation, Planar Configuration), the Extended
/// Offset Table (removed), Lossy Image Compression (0028,2110/2112/2114) after lossy encoding,
/// and, for a new instance, SOP Instance UID, Source Image Sequence (referring to the
/// predecessor) and Derivation Description. Between uncompressed syntaxes nothing is done (the
/// writer converts). Unsupported if a needed codec is missing; the codecs' errors otherwise.
/// On error `data` is unchanged.
ofstd::Result<TranscodeReport> transcode(DataSet& data, const TransferSyntax& source,
                                         const TransferSyntax& target,
                                         const TranscodeOptions& options = {},
                                         const CodecRegistry& registry = CodecRegistry::global());

/// transcode() on a file: also sets `file.transfer_syntax` and updates the meta information
/// (Transfer Syntax UID, Media Storage SOP Class/Instance UID) if `file.meta` is not empty.
ofstd::Result<TranscodeReport> transcode(DicomFile& file, const TransferSyntax& target,
                                         const TranscodeOptions& options = {},
                                         const CodecRegistry& registry = CodecRegistry::global());

/// True if `registry` can bring pixel data from `source` to `target` (both uncompressed, or
/// codecs for the compressed ones).
bool can_transcode(const TransferSyntax& source, const TransferSyntax& target,
                   const CodecRegistry& registry = CodecRegistry::global());

}  // namespace dcmkit::dcmdata

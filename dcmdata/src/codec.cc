// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/codec.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/rle.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/checked_math.h"
#include "dcmkit/ofstd/number_format.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

constexpr oflog::Logger kLog("dcmkit.dcmdata.codec");

// --- The RLE Lossless codec (PS3.5 Annex G) ---------------------------------------------------

class RleCodec final : public PixelCodec {
 public:
  std::string_view name() const noexcept override { return "RLE Lossless"; }
  bool can_decode(const TransferSyntax& ts) const noexcept override { return is_rle(ts); }
  bool can_encode(const TransferSyntax& ts) const noexcept override { return is_rle(ts); }

  Result<PixelDescription> decoded_description(const TransferSyntax& /*ts*/,
                                               const PixelDescription& encoded,
                                               const DecodeOptions& /*options*/) const override {
    DCMKIT_TRY(check(encoded));
    // RLE keeps every attribute: the decoded pixels are laid out as Planar Configuration says
    // (DCMTK's decoder does the same, and so the attribute stays valid either way).
    return encoded;
  }

  Status decode_frame(const TransferSyntax& /*ts*/, const Frame& frame,
                      const PixelDescription& encoded, const DecodeOptions& options,
                      std::vector<std::byte>& out,
                      std::vector<Diagnostic>* diagnostics) const override {
    if (frame.pieces.size() == 1) {
      return rle_decode_frame(frame.pieces.front().span(), encoded, out,
                              options.rle_reverse_byte_order, options.strictness, diagnostics);
    }
    // A frame split over several fragments (not allowed for RLE by PS3.5 §A.4.2, but written
    // by some encoders, e.g. D. Clunie's CT1_RLE_FRAGS sample): the fragments concatenated.
    std::vector<std::byte> joined;
    for (const SharedBytes& piece : frame.pieces) {
      joined.insert(joined.end(), piece.span().begin(), piece.span().end());
    }
    return rle_decode_frame(joined, encoded, out, options.rle_reverse_byte_order,
                            options.strictness, diagnostics);
  }

  Result<PixelDescription> encoded_description(const TransferSyntax& /*ts*/,
                                               const PixelDescription& native,
                                               const EncodeOptions& /*options*/) const override {
    DCMKIT_TRY(check(native));
    const std::string& pi = native.photometric_interpretation;
    if (pi == "YBR_FULL_422" || pi == "YBR_PARTIAL_422" || pi == "YBR_PARTIAL_420") {
      return Error(ErrorCode::Unsupported, "RLE cannot encode subsampled " + pi + " pixels");
    }
    return native;
  }

  Result<std::vector<std::byte>> encode_frame(const TransferSyntax& /*ts*/,
                                              std::span<const std::byte> native,
                                              const PixelDescription& description,
                                              const EncodeOptions& /*options*/) const override {
    return rle_encode_frame(native, description);
  }

  std::string derivation_description(const TransferSyntax& /*ts*/,
                                     const PixelDescription& /*native*/) const override {
    return "Lossless RLE compression";
  }

 private:
  static bool is_rle(const TransferSyntax& ts) noexcept {
    return ts.uid() == uids::RLELossless.str();
  }

  static Status check(const PixelDescription& d) {
    if (d.bits_allocated == 0 || d.bits_allocated % 8 != 0) {
      return Error(ErrorCode::Unsupported, "RLE needs Bits Allocated a multiple of 8, not " +
                                               std::to_string(d.bits_allocated));
    }
    if (d.samples_per_pixel * (d.bits_allocated / 8) > 15) {
      return Error(ErrorCode::Unsupported, "RLE has at most 15 segments per frame");
    }
    return {};
  }
};

// --- Helpers for transcode() ------------------------------------------------------------------

// Swaps each value of `size` bytes in place (big endian native pixels to little endian).
void swap_values(std::span<std::byte> bytes, std::size_t size) {
  if (size <= 1) return;
  for (std::size_t i = 0; i + size <= bytes.size(); i += size) {
    std::reverse(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                 bytes.begin() + static_cast<std::ptrdiff_t>(i + size));
  }
}

Result<std::uint64_t> native_frame_size(const PixelDescription& d) {
  DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t bits, d.frame_bits());
  if (bits % 8 != 0) {
    return Error(ErrorCode::Unsupported, "frames that do not end on a byte boundary");
  }
  return bits / 8;
}

// Lossy Image Compression Ratio as DCMTK's compressors write it: 5 significant digits, zeros
// right after the decimal point not counted ("26.0892").
std::string format_ratio(double ratio) { return ofstd::format_significant(ratio, 5); }

std::string text_of(const DataSet& data, Tag tag) {
  const Element* e = data.find(tag);
  if (e == nullptr || e->kind() != ValueKind::Bytes) return {};
  auto text = data.get_string(tag);
  return text ? *text : std::string();
}

// Sets the attributes of `to` that differ from `from` (the pixel description a codec changed).
Status update_description(DataSet& data, const PixelDescription& from, const PixelDescription& to) {
  if (from.photometric_interpretation != to.photometric_interpretation &&
      !to.photometric_interpretation.empty()) {
    DCMKIT_TRY(
        data.set_string(tags::PhotometricInterpretation, VR::CS, to.photometric_interpretation));
  }
  if (to.samples_per_pixel > 1 && (from.planar_configuration != to.planar_configuration ||
                                   !data.contains(tags::PlanarConfiguration))) {
    DCMKIT_TRY(data.set_int(tags::PlanarConfiguration, VR::US, to.planar_configuration));
  }
  if (from.bits_allocated != to.bits_allocated) {
    DCMKIT_TRY(data.set_int(tags::BitsAllocated, VR::US, to.bits_allocated));
    DCMKIT_TRY(data.set_int(tags::BitsStored, VR::US, to.bits_stored));
    DCMKIT_TRY(data.set_int(tags::HighBit, VR::US, to.high_bit));
  }
  return {};
}

// The values of a string attribute: none when it is absent or empty.
std::vector<std::string> values_of(const DataSet& data, Tag tag) {
  const Element* e = data.find(tag);
  if (e == nullptr || e->value_count() == 0) return {};
  auto values = data.get_strings(tag);
  return values ? std::move(*values) : std::vector<std::string>{};
}

// The new-instance fix-ups (PS3.3 §C.7.6.1.1.5 for lossy compression, and what DCMTK's codecs
// do for every new instance): a new SOP Instance UID, Source Image Sequence referring to the
// predecessor, and Derivation Description when frames were compressed.
// Sets Derivation Description, keeping an earlier one in brackets.
Status describe_derivation(DataSet& data, const std::string& derivation) {
  if (derivation.empty()) return {};
  std::string text = derivation;
  const std::string old = text_of(data, tags::DerivationDescription);
  if (!old.empty()) {
    text += " [" + old + "]";
    // ST holds at most 1024 characters (PS3.5 §6.2).
    if (text.size() > 1024) text = text.substr(0, 1020) + "...]";
  }
  return data.set_string(tags::DerivationDescription, VR::ST, text);
}

Status make_new_instance(DataSet& data, const TranscodeOptions& options,
                         const std::string& derivation, bool lossy) {
  // The old UIDs are copied as they were, valid or not (dcm4che's YBR_422.dcm has a UID with
  // a leading zero), as DCMTK copies them.
  DataSet original;
  for (const Tag tag : {tags::SOPClassUID, tags::SOPInstanceUID}) {
    if (const Element* e = data.find(tag)) original.insert(*e);
  }
  const std::string old_class = text_of(data, tags::SOPClassUID);
  const std::string old_instance = text_of(data, tags::SOPInstanceUID);
  if (options.convert_to_secondary_capture) {
    DCMKIT_TRY(data.set_uid(tags::SOPClassUID, uids::SecondaryCaptureImageStorage));
    DCMKIT_TRY(data.set_string(tags::ConversionType, VR::CS, "WSD"));
    if (!data.contains(tags::PatientOrientation)) {
      data.insert(Element(tags::PatientOrientation, VR::CS));
    }
  }
  DCMKIT_ASSIGN_OR_RETURN(const Uid uid, Uid::parse(ofstd::generate_uid()));
  DCMKIT_TRY(data.set_uid(tags::SOPInstanceUID, uid));
  if (!old_instance.empty()) {
    DataSet item;
    const auto copy_uid = [&](Tag from, Tag to) {
      const Element* e = original.find(from);
      if (e != nullptr && e->kind() == ValueKind::Bytes)
        item.insert(Element(to, VR::UI, e->bytes()));
    };
    if (!old_class.empty()) copy_uid(tags::SOPClassUID, tags::ReferencedSOPClassUID);
    copy_uid(tags::SOPInstanceUID, tags::ReferencedSOPInstanceUID);
    if (!derivation.empty()) {
      // DICOM's code for the image the compressed one was made from (PS3.16 CID 7202).
      DataSet code;
      DCMKIT_TRY(code.set_string(tags::CodeValue, VR::SH, "121320"));
      DCMKIT_TRY(code.set_string(tags::CodingSchemeDesignator, VR::SH, "DCM"));
      DCMKIT_TRY(code.set_string(tags::CodeMeaning, VR::LO, "Uncompressed predecessor"));
      std::vector<DataSet> codes;
      codes.push_back(std::move(code));
      item.insert(Element::sequence(tags::PurposeOfReferenceCodeSequence, std::move(codes)));
    }
    std::vector<DataSet> items;
    items.push_back(std::move(item));
    data.insert(Element::sequence(tags::SourceImageSequence, std::move(items)));
  }
  DCMKIT_TRY(describe_derivation(data, derivation));
  if (lossy) {
    // PS3.16 CID 7203: the image was lossy compressed (DCMTK's codecs record it so too).
    DataSet code;
    DCMKIT_TRY(code.set_string(tags::CodeValue, VR::SH, "113040"));
    DCMKIT_TRY(code.set_string(tags::CodingSchemeDesignator, VR::SH, "DCM"));
    DCMKIT_TRY(code.set_string(tags::CodeMeaning, VR::LO, "Lossy Compression"));
    std::vector<DataSet> codes;
    codes.push_back(std::move(code));
    data.insert(Element::sequence(tags::DerivationCodeSequence, std::move(codes)));
  }
  return {};
}

}  // namespace

std::string PixelCodec::describe_compression(const TransferSyntax& ts,
                                             const PixelDescription& native,
                                             std::string_view ratio) const {
  return derivation_description(ts, native) + ", compression ratio " + std::string(ratio);
}

// --- CodecRegistry ------------------------------------------------------------------------------

CodecRegistry& CodecRegistry::global() noexcept {
  static CodecRegistry registry;
  return registry;
}

void CodecRegistry::add(std::string_view ts_uid, std::shared_ptr<const PixelCodec> codec) {
  const std::unique_lock lock(mutex_);
  for (Entry& entry : entries_) {
    if (entry.uid == ts_uid) {
      entry.codec = std::move(codec);
      return;
    }
  }
  entries_.push_back(Entry{std::string(ts_uid), std::move(codec)});
}

bool CodecRegistry::remove(std::string_view ts_uid) {
  const std::unique_lock lock(mutex_);
  return std::erase_if(entries_, [ts_uid](const Entry& e) { return e.uid == ts_uid; }) > 0;
}

std::shared_ptr<const PixelCodec> CodecRegistry::find(std::string_view ts_uid) const {
  const std::shared_lock lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.uid == ts_uid) return entry.codec;
  }
  return nullptr;
}

std::shared_ptr<const PixelCodec> CodecRegistry::decoder(std::string_view ts_uid) const {
  auto codec = find(ts_uid);
  if (codec == nullptr || !codec->can_decode(TransferSyntax::lookup_or_unknown(ts_uid))) {
    return nullptr;
  }
  return codec;
}

std::shared_ptr<const PixelCodec> CodecRegistry::encoder(std::string_view ts_uid) const {
  auto codec = find(ts_uid);
  if (codec == nullptr || !codec->can_encode(TransferSyntax::lookup_or_unknown(ts_uid))) {
    return nullptr;
  }
  return codec;
}

std::vector<std::string> CodecRegistry::transfer_syntaxes() const {
  const std::shared_lock lock(mutex_);
  std::vector<std::string> uids;
  for (const Entry& entry : entries_) uids.push_back(entry.uid);
  return uids;
}

void register_rle_codec(CodecRegistry& registry) {
  registry.add(uids::RLELossless.str(), std::make_shared<const RleCodec>());
}

// --- Decoding single frames -----------------------------------------------------------------

Result<DecodedFrame> decode_frame(const FrameIndex& frames, std::uint64_t index,
                                  const TransferSyntax& ts, const DecodeOptions& options,
                                  const CodecRegistry& registry,
                                  std::vector<Diagnostic>* diagnostics) {
  DCMKIT_ASSIGN_OR_RETURN(const Frame frame, frames.frame(index));
  DecodedFrame decoded;
  if (!frame.encapsulated) {
    decoded.description = frames.description();
    DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t bits, decoded.description.frame_bits());
    const std::size_t size = static_cast<std::size_t>((bits + 7) / 8);
    const std::span<const std::byte> piece = frame.pieces.front().span();
    if (frame.bit_offset == 0) {
      decoded.pixels.assign(piece.begin(), piece.begin() + static_cast<std::ptrdiff_t>(size));
    } else {
      // Bits Allocated 1: the frame starts inside a byte; shift it to the start (bits are
      // packed least significant first, PS3.5 §8.1.1).
      decoded.pixels.resize(size);
      for (std::size_t i = 0; i < size; ++i) {
        const unsigned low = std::to_integer<unsigned>(piece[i]) >> frame.bit_offset;
        const unsigned high = i + 1 < piece.size() ? std::to_integer<unsigned>(piece[i + 1])
                                                         << (8 - frame.bit_offset)
                                                   : 0u;
        decoded.pixels[i] = static_cast<std::byte>((low | high) & 0xFFu);
      }
    }
    if (frame.byte_order == ofstd::Endian::Big) {
      swap_values(decoded.pixels, decoded.description.bits_allocated / 8);
    }
    return decoded;
  }
  auto codec = registry.decoder(ts.uid());
  if (codec == nullptr) {
    return Error(ErrorCode::Unsupported, "no decoder for transfer syntax " +
                                             std::string(ts.name()) + " (" + std::string(ts.uid()) +
                                             ")");
  }
  DCMKIT_ASSIGN_OR_RETURN(decoded.description,
                          codec->decoded_description(ts, frames.description(), options));
  DCMKIT_TRY(
      codec->decode_frame(ts, frame, frames.description(), options, decoded.pixels, diagnostics));
  return decoded;
}

// --- transcode() ------------------------------------------------------------------------------

bool can_transcode(const TransferSyntax& source, const TransferSyntax& target,
                   const CodecRegistry& registry) {
  if (source == target) return true;
  if (source.is_encapsulated() && registry.decoder(source.uid()) == nullptr) return false;
  if (target.is_encapsulated() && registry.encoder(target.uid()) == nullptr) return false;
  return true;
}

namespace {

// What re-encoding one Pixel Data element did.
struct Recoded {
  bool changed = false;
  double ratio = 0.0;
  std::string derivation;        // the codec's description, when frames were encoded
  bool always_describe = false;  // write it even without a new instance
};

// Above this many bytes of decoded frames decode_all() does not allocate the whole result up
// front: a hostile description (many frames of a huge size, each a few bytes of fragments) must
// fail at its first bad frame, not with an allocation.
constexpr std::uint64_t kMaxPreallocated = std::uint64_t{4} << 30;

// Decodes every frame of `frames`, in parallel when options.threads asks for it, and returns
// the frames' native pixels one after the other. Each frame of `frame_size` bytes (what the
// codec's decoded description says) is decoded into its worker's scratch buffer and copied into
// its place in the result, which is allocated once (not zero-filled: every byte is written).
Result<SharedBytes> decode_all(const PixelCodec& codec, const TransferSyntax& source,
                               const FrameIndex& frames, std::uint64_t frame_size,
                               const DecodeOptions& options, std::vector<Diagnostic>& diagnostics) {
  const std::uint64_t count = frames.frame_count();
  const auto decode_one = [&](std::uint64_t i, std::vector<std::byte>& out,
                              std::vector<Diagnostic>& notes) -> Status {
    DCMKIT_ASSIGN_OR_RETURN(const Frame frame, frames.frame(i));
    Status status = codec.decode_frame(source, frame, frames.description(), options, out, &notes);
    if (!status) return std::move(status).error().with_context("frame " + std::to_string(i + 1));
    return {};
  };
  std::uint64_t threads = options.threads != 0
                              ? options.threads
                              : std::max<std::uint64_t>(1, std::thread::hardware_concurrency());
  threads = std::min(threads, count);
  const auto total = ofstd::checked_mul<std::uint64_t>(frame_size, count);
  if (!total || *total > kMaxPreallocated || frame_size == 0) {
    // Frame by frame, appending: the result grows only as frames decode.
    std::vector<std::byte> decoded;
    for (std::uint64_t i = 0; i < count; ++i) DCMKIT_TRY(decode_one(i, decoded, diagnostics));
    return SharedBytes::from_vector(std::move(decoded));
  }
  const auto size = static_cast<std::size_t>(*total);
  std::shared_ptr<std::byte[]> result = std::make_shared_for_overwrite<std::byte[]>(size);
  // Each worker takes the next frame; every frame has its own notes, joined in frame order
  // afterwards, so the result does not depend on scheduling.
  std::vector<std::vector<Diagnostic>> notes(static_cast<std::size_t>(count));
  std::vector<std::optional<Error>> errors(static_cast<std::size_t>(count));
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&] {
    std::vector<std::byte> scratch;
    while (!failed.load(std::memory_order_relaxed)) {
      const std::uint64_t i = next.fetch_add(1);
      if (i >= count) return;
      const auto at = static_cast<std::size_t>(i);
      scratch.clear();
      Status status = decode_one(i, scratch, notes[at]);
      if (status && scratch.size() != frame_size) {
        status = Error(ErrorCode::Internal, "frame " + std::to_string(i + 1) + " decoded to " +
                                                std::to_string(scratch.size()) + " bytes, not " +
                                                std::to_string(frame_size));
      }
      if (!status) {
        errors[at] = std::move(status).error();
        failed = true;
        return;
      }
      std::memcpy(result.get() + at * static_cast<std::size_t>(frame_size), scratch.data(),
                  scratch.size());
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::jthread> pool;
    for (std::uint64_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (errors[i]) return *errors[i];
    diagnostics.insert(diagnostics.end(), notes[i].begin(), notes[i].end());
  }
  std::byte* data = result.get();
  return SharedBytes(std::shared_ptr<const void>(std::move(result)), {data, size});
}

// Re-encodes the Pixel Data of `data` itself (not of nested items) from `source` to `target`.
// Lossy Image Compression is recorded for the top level only (`top_level`), as DCMTK does: an
// icon's compression does not describe the image.
Result<Recoded> recode_pixels(DataSet& data, const TransferSyntax& source,
                              const TransferSyntax& target, const TranscodeOptions& options,
                              const CodecRegistry& registry, std::vector<Diagnostic>& diagnostics,
                              bool top_level = true) {
  Recoded done;
  const Element* pixels = data.find(tags::PixelData);
  if (pixels == nullptr || source == target) return done;
  const bool decode = pixels->is_encapsulated();
  const bool encode = target.is_encapsulated();
  if (!decode && !encode) return done;  // between uncompressed syntaxes the writer converts

  // 1. Native pixels: decoded, or the native value in little endian.
  PixelDescription description;
  SharedBytes native;
  if (decode) {
    auto codec = registry.decoder(source.uid());
    if (codec == nullptr) {
      return Error(ErrorCode::Unsupported, "no decoder for transfer syntax " +
                                               std::string(source.name()) + " (" +
                                               std::string(source.uid()) + ")");
    }
    DCMKIT_ASSIGN_OR_RETURN(const FrameIndex frames, FrameIndex::build(data));
    DCMKIT_ASSIGN_OR_RETURN(
        description, codec->decoded_description(source, frames.description(), options.decode));
    DCMKIT_LOG_DEBUG(kLog, "decoding " << frames.frame_count() << " frames with " << codec->name());
    DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t decoded_frame_size, native_frame_size(description));
    DCMKIT_ASSIGN_OR_RETURN(native, decode_all(*codec, source, frames, decoded_frame_size,
                                               options.decode, diagnostics));
    DCMKIT_TRY(update_description(data, frames.description(), description));
  } else {
    DCMKIT_ASSIGN_OR_RETURN(description, PixelDescription::from(data));
    native = pixels->little_endian_bytes();
  }
  done.changed = true;

  if (!encode) {
    // 2a. Native pixels (PS3.5 §8.1.1), as OW, which DCMTK writes for every decoded image.
    data.insert(Element(tags::PixelData, VR::OW, native));
  } else {
    // 2b. Encoded frames, split into fragments as asked, with the Basic Offset Table.
    auto codec = registry.encoder(target.uid());
    if (codec == nullptr) {
      return Error(ErrorCode::Unsupported, "no encoder for transfer syntax " +
                                               std::string(target.name()) + " (" +
                                               std::string(target.uid()) + ")");
    }
    DCMKIT_ASSIGN_OR_RETURN(const PixelDescription encoded_description,
                            codec->encoded_description(target, description, options.encode));
    DCMKIT_ASSIGN_OR_RETURN(const std::uint64_t frame_size, native_frame_size(description));
    const std::uint64_t frames = description.number_of_frames;
    const auto total = ofstd::checked_mul<std::uint64_t>(frame_size, frames);
    if (!total || *total > native.size()) {
      return Error(ErrorCode::MalformedData, "Pixel Data has " + std::to_string(native.size()) +
                                                 " bytes, " + std::to_string(frames) +
                                                 " frames of " + std::to_string(frame_size) +
                                                 " bytes do not fit");
    }
    DCMKIT_LOG_DEBUG(kLog, "encoding " << frames << " frames with " << codec->name());
    const std::uint64_t fragment_limit = options.encode.max_fragment_size & ~std::uint64_t{1};
    std::vector<SharedBytes> fragments(1);
    std::vector<std::byte> offset_table;
    std::uint64_t position = 0;
    std::uint64_t encoded_total = 0;
    std::uint64_t unpadded_total = 0;
    bool offsets_fit = true;
    for (std::uint64_t i = 0; i < frames; ++i) {
      const auto frame = native.span().subspan(static_cast<std::size_t>(i * frame_size),
                                               static_cast<std::size_t>(frame_size));
      DCMKIT_ASSIGN_OR_RETURN(std::vector<std::byte> bytes,
                              codec->encode_frame(target, frame, description, options.encode));
      unpadded_total += bytes.size();
      if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});  // PS3.5 §A.4: even items
      encoded_total += bytes.size();
      if (position > 0xFFFFFFFFu) offsets_fit = false;
      std::vector<std::byte> entry(4);
      ofstd::store(entry.data(), static_cast<std::uint32_t>(position), ofstd::Endian::Little);
      offset_table.insert(offset_table.end(), entry.begin(), entry.end());
      const SharedBytes whole = SharedBytes::from_vector(std::move(bytes));
      if (fragment_limit == 0 || whole.size() <= fragment_limit) {
        fragments.push_back(whole);
        position += 8 + whole.size();
      } else {
        for (std::size_t at = 0; at < whole.size(); at += fragment_limit) {
          const std::size_t n =
              std::min<std::size_t>(static_cast<std::size_t>(fragment_limit), whole.size() - at);
          fragments.push_back(whole.subrange(at, n));
          position += 8 + n;
        }
      }
    }
    // Offsets beyond 4 GiB cannot be expressed in the Basic Offset Table; it stays empty.
    if (options.encode.create_offset_table && offsets_fit) {
      fragments[0] = SharedBytes::from_vector(std::move(offset_table));
    }
    data.insert(Element::encapsulated(tags::PixelData, VR::OB, std::move(fragments)));
    DCMKIT_TRY(update_description(data, description, encoded_description));
    if (options.encode.ratio_bits_per_sample != 0 && unpadded_total > 0) {
      const double uncompressed = static_cast<double>(description.rows) * description.columns *
                                  options.encode.ratio_bits_per_sample *
                                  static_cast<double>(frames) * description.samples_per_pixel / 8.0;
      done.ratio = uncompressed / static_cast<double>(unpadded_total);
    } else if (encoded_total > 0) {
      done.ratio = static_cast<double>(*total) / static_cast<double>(encoded_total);
    }
    done.derivation = codec->describe_compression(target, description, format_ratio(done.ratio));
    done.always_describe = codec->always_describe_derivation();
    if (top_level && (target.is_lossy() || options.record_as_lossy)) {
      DCMKIT_TRY(data.set_string(tags::LossyImageCompression, VR::CS, "01"));
      std::vector<std::string> ratios = values_of(data, tags::LossyImageCompressionRatio);
      const std::size_t earlier_ratios = ratios.size();
      ratios.push_back(format_ratio(done.ratio));
      DCMKIT_TRY(data.set_strings(tags::LossyImageCompressionRatio, VR::DS, ratios));
      const std::string method = codec->lossy_method(target);
      if (!method.empty()) {
        // As DCMTK's compressors: empty methods pair up with earlier ratios that had none, so
        // that the new method stands beside the new ratio.
        std::vector<std::string> methods = values_of(data, tags::LossyImageCompressionMethod);
        if (methods.size() < earlier_ratios) methods.resize(earlier_ratios);
        methods.push_back(method);
        DCMKIT_TRY(data.set_strings(tags::LossyImageCompressionMethod, VR::CS, methods));
      }
    }
  }
  // The Extended Offset Table only describes encapsulated frames (PS3.3 §C.7.6.3.1.8).
  data.erase(tags::ExtendedOffsetTable);
  data.erase(tags::ExtendedOffsetTableLengths);
  return done;
}

// Re-encodes the Pixel Data of nested items (Icon Image Sequence, PS3.3 §F.7), which shares the
// data set's transfer syntax and so must follow it, as DCMTK's codecs do.
Status recode_nested(DataSet& data, const TransferSyntax& source, const TransferSyntax& target,
                     const TranscodeOptions& options, const CodecRegistry& registry,
                     std::vector<Diagnostic>& diagnostics, int depth) {
  if (depth > 64) return {};
  for (Element& element : data) {
    if (!element.is_sequence()) continue;
    for (DataSet& item : element.items()) {
      auto recoded = recode_pixels(item, source, target, options, registry, diagnostics, false);
      if (!recoded) {
        return std::move(recoded).error().with_context(element.tag().to_string() + " item");
      }
      DCMKIT_TRY(recode_nested(item, source, target, options, registry, diagnostics, depth + 1));
    }
  }
  return {};
}

bool has_nested_pixels(const DataSet& data, int depth) {
  if (depth > 64) return false;
  for (const Element& element : data) {
    if (!element.is_sequence()) continue;
    for (const DataSet& item : element.items()) {
      if (item.contains(tags::PixelData) || has_nested_pixels(item, depth + 1)) return true;
    }
  }
  return false;
}

}  // namespace

Result<TranscodeReport> transcode(DataSet& data, const TransferSyntax& source,
                                  const TransferSyntax& target, const TranscodeOptions& options,
                                  const CodecRegistry& registry) {
  TranscodeReport report;
  const bool same = source == target;
  const bool pixels = !same && (data.contains(tags::PixelData) || has_nested_pixels(data, 0));
  const bool lossy_encode =
      pixels && target.is_encapsulated() && (target.is_lossy() || options.record_as_lossy);
  const bool want_new = options.new_instance == NewInstancePolicy::Always ||
                        options.convert_to_secondary_capture ||
                        (options.new_instance == NewInstancePolicy::LossyOnly && lossy_encode);
  if (!pixels && !want_new) return report;

  DataSet result = data;  // changed as a copy, so that `data` stays as it was on error
  DCMKIT_ASSIGN_OR_RETURN(const Recoded top, recode_pixels(result, source, target, options,
                                                           registry, report.diagnostics));
  if (pixels) {
    DCMKIT_TRY(recode_nested(result, source, target, options, registry, report.diagnostics, 0));
  }
  report.changed_pixels = top.changed;
  report.compression_ratio = top.ratio;
  if (want_new) {
    DCMKIT_TRY(make_new_instance(result, options, top.derivation, lossy_encode && top.changed));
    report.new_instance = true;
  } else if (top.always_describe) {
    DCMKIT_TRY(describe_derivation(result, top.derivation));
  }
  data = std::move(result);
  return report;
}

Result<TranscodeReport> transcode(DicomFile& file, const TransferSyntax& target,
                                  const TranscodeOptions& options, const CodecRegistry& registry) {
  DCMKIT_ASSIGN_OR_RETURN(TranscodeReport report,
                          transcode(file.data, file.transfer_syntax, target, options, registry));
  file.transfer_syntax = target;
  if (!file.meta.empty()) {
    DCMKIT_TRY(file.meta.set_string(tags::TransferSyntaxUID, VR::UI, std::string(target.uid())));
    if (report.new_instance) {
      if (auto uid = file.data.get_uid(tags::SOPInstanceUID)) {
        DCMKIT_TRY(file.meta.set_uid(tags::MediaStorageSOPInstanceUID, *uid));
      }
      if (auto uid = file.data.get_uid(tags::SOPClassUID)) {
        DCMKIT_TRY(file.meta.set_uid(tags::MediaStorageSOPClassUID, *uid));
      }
    }
  }
  return report;
}

}  // namespace dcmkit::dcmdata

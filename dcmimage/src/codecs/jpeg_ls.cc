// SPDX-License-Identifier: BSD-3-Clause
// JPEG-LS through CharLS's C interface (no exceptions cross into dcmkit).
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"

#include <charls/charls.h>

#include <cstring>
#include <memory>
#include <string>

#include "codec_common.h"

namespace dcmkit::dcmimage {

namespace {

constexpr std::string_view kLossless = "1.2.840.10008.1.2.4.80";
constexpr std::string_view kNearLossless = "1.2.840.10008.1.2.4.81";

struct DecoderDeleter {
  void operator()(charls_jpegls_decoder* d) const noexcept { charls_jpegls_decoder_destroy(d); }
};
struct EncoderDeleter {
  void operator()(charls_jpegls_encoder* e) const noexcept { charls_jpegls_encoder_destroy(e); }
};

Error charls_error(ErrorCode code, std::string_view what, charls_jpegls_errc errc) {
  return Error(code, "JPEG-LS: " + std::string(what) + ": " + charls_get_error_message(errc));
}

bool ok(charls_jpegls_errc errc) { return errc == charls_jpegls_errc{}; }

class JpegLsCodec final : public dcmdata::PixelCodec {
 public:
  JpegLsCodec(const JpegLsDecodeParams& decode, const JpegLsEncodeParams& encode)
      : decode_(decode), encode_(encode) {}

  std::string_view name() const noexcept override { return "JPEG-LS"; }
  bool can_decode(const TransferSyntax& ts) const noexcept override { return is_jpeg_ls(ts); }
  bool can_encode(const TransferSyntax& ts) const noexcept override { return is_jpeg_ls(ts); }

  Result<PixelDescription> decoded_description(const TransferSyntax& /*ts*/,
                                               const PixelDescription& encoded,
                                               const DecodeOptions& /*options*/) const override {
    if (encoded.bits_allocated != 8 && encoded.bits_allocated != 16) {
      return Error(ErrorCode::Unsupported, "JPEG-LS: Bits Allocated " +
                                               std::to_string(encoded.bits_allocated) +
                                               " cannot hold decoded samples (8 or 16)");
    }
    if (encoded.samples_per_pixel != 1 && encoded.samples_per_pixel != 3) {
      return Error(ErrorCode::Unsupported,
                   "JPEG-LS: Samples per Pixel " + std::to_string(encoded.samples_per_pixel));
    }
    PixelDescription d = encoded;
    if (d.samples_per_pixel == 3) {
      d.planar_configuration = detail::decoded_planar_configuration(decode_.planar, d);
    }
    return d;
  }

  Status decode_frame(const TransferSyntax& ts, const Frame& frame, const PixelDescription& encoded,
                      const DecodeOptions& options, std::vector<std::byte>& out,
                      std::vector<Diagnostic>* diagnostics) const override {
    DCMKIT_ASSIGN_OR_RETURN(const PixelDescription target,
                            decoded_description(ts, encoded, options));
    std::vector<std::uint8_t> joined;
    std::span<const std::uint8_t> stream = detail::frame_stream(frame, joined);
    bool patched = false;
    if (!decode_.workaround_incomplete && !ends_with_eoi(stream)) {
      // A truncated stream is refused before CharLS sees it: CharLS 2.4.1 can spin for minutes
      // on some truncated streams instead of reporting the missing data.
      return Error(ErrorCode::MalformedData,
                   "JPEG-LS: the stream has no end-of-image marker (truncated data)");
    }
    if (decode_.workaround_incomplete && !ends_with_eoi(stream)) {
      if (joined.empty()) joined.assign(stream.begin(), stream.end());
      joined.push_back(0xFF);
      joined.push_back(0xD9);
      stream = joined;
      patched = true;
    }
    const std::unique_ptr<charls_jpegls_decoder, DecoderDeleter> decoder(
        charls_jpegls_decoder_create());
    if (!decoder) return Error(ErrorCode::Internal, "JPEG-LS: cannot create a decoder");
    auto errc =
        charls_jpegls_decoder_set_source_buffer(decoder.get(), stream.data(), stream.size());
    if (ok(errc)) errc = charls_jpegls_decoder_read_header(decoder.get());
    if (!ok(errc)) return charls_error(ErrorCode::MalformedData, "reading the header", errc);
    charls_frame_info info{};
    errc = charls_jpegls_decoder_get_frame_info(decoder.get(), &info);
    if (!ok(errc)) return charls_error(ErrorCode::MalformedData, "frame", errc);
    if (info.width != encoded.columns || info.height != encoded.rows) {
      return Error(ErrorCode::MalformedData,
                   "JPEG-LS: the stream is " + std::to_string(info.width) + "x" +
                       std::to_string(info.height) + ", the image " +
                       std::to_string(encoded.columns) + "x" + std::to_string(encoded.rows));
    }
    if (info.component_count != static_cast<std::int32_t>(encoded.samples_per_pixel)) {
      return Error(ErrorCode::MalformedData, "JPEG-LS: the stream has " +
                                                 std::to_string(info.component_count) +
                                                 " components, Samples per Pixel is " +
                                                 std::to_string(encoded.samples_per_pixel));
    }
    if (info.bits_per_sample < 2 || info.bits_per_sample > 16 ||
        static_cast<std::uint32_t>(info.bits_per_sample) > encoded.bits_allocated) {
      return Error(ErrorCode::MalformedData, "JPEG-LS: " + std::to_string(info.bits_per_sample) +
                                                 "-bit samples do not fit Bits Allocated " +
                                                 std::to_string(encoded.bits_allocated));
    }
    charls_interleave_mode mode{};
    errc = charls_jpegls_decoder_get_interleave_mode(decoder.get(), &mode);
    if (!ok(errc)) return charls_error(ErrorCode::MalformedData, "interleave mode", errc);
    size_t size = 0;
    errc = charls_jpegls_decoder_get_destination_size(decoder.get(), 0, &size);
    if (!ok(errc)) return charls_error(ErrorCode::MalformedData, "destination size", errc);
    const std::size_t pixels = std::size_t{encoded.rows} * encoded.columns;
    const std::size_t samples = encoded.samples_per_pixel;
    const std::size_t in_bytes = info.bits_per_sample <= 8 ? 1 : 2;
    if (size != pixels * samples * in_bytes) {
      return Error(ErrorCode::MalformedData, "JPEG-LS: unexpected decoded size");
    }
    // CharLS gives planes for interleave mode none, interleaved samples otherwise; when that
    // and the sample size are what the output wants, it decodes straight into the output.
    const bool in_planes = samples > 1 && mode == charls_interleave_mode{};
    const bool out_planes = samples > 1 && target.planar_configuration == 1;
    const std::size_t out_bytes = target.bits_allocated / 8;
    const bool direct = in_planes == out_planes && in_bytes == out_bytes;
    const std::size_t old_size = out.size();
    out.resize(old_size + pixels * samples * out_bytes);
    std::byte* dest = out.data() + old_size;
    std::vector<std::uint8_t> decoded(direct ? 0 : size);
    errc = charls_jpegls_decoder_decode_to_buffer(
        decoder.get(), direct ? reinterpret_cast<std::uint8_t*>(dest) : decoded.data(), size, 0);
    if (!ok(errc)) {
      out.resize(old_size);
      return charls_error(ErrorCode::MalformedData, "decoding", errc);
    }
    if (!direct) {
      for (std::size_t i = 0; i < pixels; ++i) {
        for (std::size_t s = 0; s < samples; ++s) {
          const std::size_t from = (in_planes ? s * pixels + i : i * samples + s) * in_bytes;
          const std::size_t to = (out_planes ? s * pixels + i : i * samples + s) * out_bytes;
          dest[to] = static_cast<std::byte>(decoded[from]);
          if (out_bytes > 1) {
            dest[to + 1] = in_bytes > 1 ? static_cast<std::byte>(decoded[from + 1]) : std::byte{0};
          }
        }
      }
    }
    if (patched) {
      if (options.strictness == dcmdata::Strictness::Strict) {
        out.resize(old_size);
        return Error(ErrorCode::MalformedData, "JPEG-LS: the stream has no end-of-image marker");
      }
      if (diagnostics != nullptr) {
        diagnostics->push_back(Diagnostic{0, {}, "JPEG-LS: the stream has no end-of-image marker"});
      }
    }
    return {};
  }

  Result<PixelDescription> encoded_description(const TransferSyntax& ts,
                                               const PixelDescription& native,
                                               const EncodeOptions& /*options*/) const override {
    DCMKIT_TRY(check_encodable(ts, native));
    PixelDescription d = native;
    // PS3.5 §8.2.3: Planar Configuration is 0 for JPEG-LS.
    if (d.samples_per_pixel > 1) d.planar_configuration = 0;
    return d;
  }

  Result<std::vector<std::byte>> encode_frame(const TransferSyntax& ts,
                                              std::span<const std::byte> native,
                                              const PixelDescription& description,
                                              const EncodeOptions& /*options*/) const override {
    DCMKIT_TRY(check_encodable(ts, description));
    const std::size_t pixels = std::size_t{description.rows} * description.columns;
    const std::size_t samples = description.samples_per_pixel;
    const std::size_t in_bytes = description.bits_allocated / 8;
    if (native.size() < pixels * samples * in_bytes) {
      return Error(ErrorCode::InvalidArgument, "JPEG-LS: frame shorter than the image");
    }
    std::uint32_t bits = std::max<std::uint32_t>(description.bits_stored, 2);
    if (!description.is_signed && bits < description.bits_allocated) {
      // Bits above Bits Stored in use (an embedded overlay, PS3.5 §8.1.2 retired usage): as
      // DCMTK, encode all Bits Allocated bits so that nothing is lost.
      const std::uint32_t stored_mask = (1u << bits) - 1;
      for (std::size_t i = 0; i + in_bytes <= pixels * samples * in_bytes; i += in_bytes) {
        std::uint32_t v = std::to_integer<std::uint32_t>(native[i]);
        if (in_bytes > 1) v |= std::to_integer<std::uint32_t>(native[i + 1]) << 8;
        if ((v & ~stored_mask) != 0) {
          bits = description.bits_allocated;
          break;
        }
      }
    }
    const std::size_t out_bytes = bits <= 8 ? 1 : 2;
    const bool in_planes = samples > 1 && description.planar_configuration == 1;
    JpegLsInterleave interleave = encode_.interleave;
    if (interleave == JpegLsInterleave::Default) {
      interleave = in_planes ? JpegLsInterleave::None : JpegLsInterleave::Sample;
    }
    const bool out_planes = samples > 1 && interleave == JpegLsInterleave::None;
    // The samples CharLS reads: bits_stored bits, masked (signed values are stored as their
    // two's complement bit pattern), in the layout the interleave mode wants.
    const std::uint32_t mask = bits >= 16 ? 0xFFFFu : (1u << bits) - 1;
    std::vector<std::uint8_t> source(pixels * samples * out_bytes);
    for (std::size_t i = 0; i < pixels; ++i) {
      for (std::size_t s = 0; s < samples; ++s) {
        const std::size_t from = (in_planes ? s * pixels + i : i * samples + s) * in_bytes;
        std::uint32_t v = std::to_integer<std::uint32_t>(native[from]);
        if (in_bytes > 1) v |= std::to_integer<std::uint32_t>(native[from + 1]) << 8;
        v &= mask;
        const std::size_t to = (out_planes ? s * pixels + i : i * samples + s) * out_bytes;
        source[to] = static_cast<std::uint8_t>(v & 0xFF);
        if (out_bytes > 1) source[to + 1] = static_cast<std::uint8_t>(v >> 8);
      }
    }

    const std::unique_ptr<charls_jpegls_encoder, EncoderDeleter> encoder(
        charls_jpegls_encoder_create());
    if (!encoder) return Error(ErrorCode::Internal, "JPEG-LS: cannot create an encoder");
    charls_frame_info info{};
    info.width = description.columns;
    info.height = description.rows;
    info.bits_per_sample = static_cast<std::int32_t>(bits);
    info.component_count = static_cast<std::int32_t>(samples);
    auto errc = charls_jpegls_encoder_set_frame_info(encoder.get(), &info);
    if (!ok(errc)) return charls_error(ErrorCode::Unsupported, "frame", errc);
    const int near = ts.uid() == kNearLossless ? encode_.max_deviation : 0;
    errc = charls_jpegls_encoder_set_near_lossless(encoder.get(), near);
    if (!ok(errc)) return charls_error(ErrorCode::InvalidArgument, "maximum deviation", errc);
    if (samples > 1) {
      charls_interleave_mode mode = charls_interleave_mode::line;
      if (interleave == JpegLsInterleave::Sample) mode = charls_interleave_mode::sample;
      if (interleave == JpegLsInterleave::None) mode = charls_interleave_mode::none;
      errc = charls_jpegls_encoder_set_interleave_mode(encoder.get(), mode);
      if (!ok(errc)) return charls_error(ErrorCode::Unsupported, "interleave mode", errc);
    }
    if (encode_.threshold1 != 0 || encode_.threshold2 != 0 || encode_.threshold3 != 0 ||
        encode_.reset != 0) {
      charls_jpegls_pc_parameters pc{};
      pc.threshold1 = encode_.threshold1;
      pc.threshold2 = encode_.threshold2;
      pc.threshold3 = encode_.threshold3;
      pc.reset_value = encode_.reset;
      errc = charls_jpegls_encoder_set_preset_coding_parameters(encoder.get(), &pc);
      if (!ok(errc)) return charls_error(ErrorCode::InvalidArgument, "coding parameters", errc);
    }
    size_t capacity = 0;
    errc = charls_jpegls_encoder_get_estimated_destination_size(encoder.get(), &capacity);
    if (!ok(errc)) return charls_error(ErrorCode::Internal, "destination size", errc);
    std::vector<std::uint8_t> encoded(capacity + 1);
    errc = charls_jpegls_encoder_set_destination_buffer(encoder.get(), encoded.data(), capacity);
    if (ok(errc)) {
      errc =
          charls_jpegls_encoder_encode_from_buffer(encoder.get(), source.data(), source.size(), 0);
    }
    if (!ok(errc)) return charls_error(ErrorCode::InvalidArgument, "encoding", errc);
    size_t written = 0;
    errc = charls_jpegls_encoder_get_bytes_written(encoder.get(), &written);
    if (!ok(errc)) return charls_error(ErrorCode::Internal, "encoding", errc);
    encoded.resize(written);
    // PS3.5 §A.4: items have even length. A fill byte 0xFF before EOI keeps the stream valid
    // (T.81 B.1.1.2); with +pz, transcode() pads with a zero byte instead.
    if (encoded.size() % 2 != 0 && !encode_.pad_with_zero && encoded.size() >= 2 &&
        encoded[encoded.size() - 2] == 0xFF && encoded.back() == 0xD9) {
      encoded.insert(encoded.end() - 2, std::uint8_t{0xFF});
    }
    std::vector<std::byte> result(encoded.size());
    std::memcpy(result.data(), encoded.data(), encoded.size());
    return result;
  }

  std::string derivation_description(const TransferSyntax& ts,
                                     const PixelDescription& /*native*/) const override {
    if (ts.uid() != kNearLossless) return "lossless JPEG-LS compression";
    return "near lossless JPEG-LS compression";
  }

  // DCMTK's dcmcjpls records only its near-lossless compression:
  // "near lossless JPEG-LS compression, factor 34.96 (NEAR=2)".
  std::string describe_compression(const TransferSyntax& ts, const PixelDescription& native,
                                   std::string_view ratio) const override {
    if (ts.uid() != kNearLossless) return {};
    return derivation_description(ts, native) + ", factor " + std::string(ratio) +
           " (NEAR=" + std::to_string(encode_.max_deviation) + ")";
  }

  std::string lossy_method(const TransferSyntax& ts) const override {
    return ts.uid() == kNearLossless ? "ISO_14495_1" : "";
  }

 private:
  static bool is_jpeg_ls(const TransferSyntax& ts) {
    return ts.uid() == kLossless || ts.uid() == kNearLossless;
  }

  static bool ends_with_eoi(std::span<const std::uint8_t> stream) {
    // Trailing padding (a zero byte) may follow the marker.
    std::size_t end = stream.size();
    while (end > 0 && stream[end - 1] == 0) --end;
    return end >= 2 && stream[end - 2] == 0xFF && stream[end - 1] == 0xD9;
  }

  Status check_encodable(const TransferSyntax& ts, const PixelDescription& d) const {
    if (d.bits_allocated != 8 && d.bits_allocated != 16) {
      return Error(ErrorCode::Unsupported,
                   "JPEG-LS: cannot encode Bits Allocated " + std::to_string(d.bits_allocated));
    }
    if (d.bits_stored > 16 || d.bits_stored > d.bits_allocated) {
      return Error(ErrorCode::Unsupported,
                   "JPEG-LS: cannot encode Bits Stored " + std::to_string(d.bits_stored));
    }
    if (d.samples_per_pixel != 1 && d.samples_per_pixel != 3) {
      return Error(ErrorCode::Unsupported, "JPEG-LS: cannot encode Samples per Pixel " +
                                               std::to_string(d.samples_per_pixel));
    }
    if (detail::is_subsampled(d.photometric_interpretation)) {
      return Error(ErrorCode::Unsupported,
                   "JPEG-LS: cannot encode subsampled " + d.photometric_interpretation + " pixels");
    }
    if (ts.uid() == kNearLossless && d.is_signed) {
      // As DCMTK: near-lossless coding of two's complement samples would wrap around.
      return Error(ErrorCode::Unsupported,
                   "JPEG-LS: unsupported pixel representation for near-lossless compression");
    }
    return {};
  }

  JpegLsDecodeParams decode_;
  JpegLsEncodeParams encode_;
};

}  // namespace

void register_jpeg_ls_codecs(const JpegLsDecodeParams& decode, const JpegLsEncodeParams& encode,
                             dcmdata::CodecRegistry& registry) {
  detail::register_codec(registry, std::make_shared<const JpegLsCodec>(decode, encode),
                         {kLossless, kNearLossless}, "JPEG-LS", jpeg_ls_library_version());
}

std::string jpeg_ls_library_version() {
  return std::string("CharLS ") + charls_get_version_string();
}

}  // namespace dcmkit::dcmimage

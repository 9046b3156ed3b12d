// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/codecs/jpeg.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "codec_common.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "jpeg_stream.h"
#include "own_codec.h"
#include "turbo.h"

namespace dcmkit::dcmimage {

namespace {

enum class Process : std::uint8_t { Baseline, Extended, Spectral, Progressive, Lossless, SV1 };

struct SyntaxInfo {
  std::string_view uid;
  Process process;
};

constexpr SyntaxInfo kSyntaxes[] = {
    {"1.2.840.10008.1.2.4.50", Process::Baseline}, {"1.2.840.10008.1.2.4.51", Process::Extended},
    {"1.2.840.10008.1.2.4.53", Process::Spectral}, {"1.2.840.10008.1.2.4.55", Process::Progressive},
    {"1.2.840.10008.1.2.4.57", Process::Lossless}, {"1.2.840.10008.1.2.4.70", Process::SV1},
};

const SyntaxInfo* find_syntax(std::string_view uid) {
  for (const SyntaxInfo& s : kSyntaxes) {
    if (s.uid == uid) return &s;
  }
  return nullptr;
}

bool is_lossy(Process p) { return p != Process::Lossless && p != Process::SV1; }

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

class JpegCodec final : public dcmdata::PixelCodec {
 public:
  JpegCodec(Process process, const JpegDecodeParams& decode, const JpegEncodeParams& encode)
      : process_(process), decode_(decode), encode_(encode) {}

  std::string_view name() const noexcept override { return "JPEG"; }
  bool can_decode(const TransferSyntax& ts) const noexcept override {
    return find_syntax(ts.uid()) != nullptr;
  }
  bool can_encode(const TransferSyntax& ts) const noexcept override {
    return find_syntax(ts.uid()) != nullptr;
  }

  Result<PixelDescription> decoded_description(const TransferSyntax& ts,
                                               const PixelDescription& encoded,
                                               const DecodeOptions& /*options*/) const override {
    DCMKIT_TRY(check_decodable(encoded));
    PixelDescription d = encoded;
    if (d.samples_per_pixel == 1 && sets_output_space(ts, encoded)) {
      // DCMTK labels what libjpeg's grayscale output space produced MONOCHROME2, even when the
      // image was MONOCHROME1 (the samples are not inverted).
      d.photometric_interpretation = "MONOCHROME2";
    }
    if (d.samples_per_pixel == 3) {
      if (sets_output_space(ts, encoded)) {
        // Labelled RGB even where the stream is taken for RGB already and nothing is converted
        // (+cg with an Adobe or 'R','G','B' stream), as DCMTK does.
        d.photometric_interpretation = "RGB";
      } else if (d.photometric_interpretation == "YBR_FULL_422" ||
                 d.photometric_interpretation == "YBR_PARTIAL_422" ||
                 d.photometric_interpretation == "YBR_PARTIAL_420") {
        // The decoder upsamples: the pixels are no longer subsampled.
        d.photometric_interpretation = "YBR_FULL";
      }
      d.planar_configuration = planar_of(d);
    }
    return d;
  }

  Status decode_frame(const TransferSyntax& ts, const Frame& frame, const PixelDescription& encoded,
                      const DecodeOptions& options, std::vector<std::byte>& out,
                      std::vector<Diagnostic>* diagnostics) const override {
    DCMKIT_ASSIGN_OR_RETURN(const PixelDescription target,
                            decoded_description(ts, encoded, options));
    std::vector<std::uint8_t> joined;
    const std::span<const std::uint8_t> stream = detail::frame_stream(frame, joined);
    DCMKIT_ASSIGN_OR_RETURN(const detail::StreamHeader stream_header,
                            detail::peek_stream_header(stream));
    const detail::FrameHeader& header = stream_header.frame;
    if (header.components.size() != encoded.samples_per_pixel) {
      return Error(ErrorCode::MalformedData, "JPEG: the stream has " +
                                                 std::to_string(header.components.size()) +
                                                 " components, Samples per Pixel is " +
                                                 std::to_string(encoded.samples_per_pixel));
    }
    if (header.width != encoded.columns || header.height != encoded.rows) {
      return Error(ErrorCode::MalformedData, "JPEG: the stream is " + std::to_string(header.width) +
                                                 "x" + std::to_string(header.height) +
                                                 ", the image " + std::to_string(encoded.columns) +
                                                 "x" + std::to_string(encoded.rows));
    }
    const bool convert = encoded.samples_per_pixel == 3 && converts(ts, encoded, stream_header);
    const std::size_t pixels = std::size_t{encoded.rows} * encoded.columns;
    const std::size_t samples = encoded.samples_per_pixel;
    const std::size_t bytes = target.bits_allocated / 8;
    const std::size_t frame_size = pixels * samples * bytes;
    const bool by_plane = samples > 1 && target.planar_configuration == 1;
    std::string warning;

    const std::size_t old_size = out.size();
    if (header.marker != detail::kSOF3 && header.precision == 8) {
      // One byte per sample, interleaved: libjpeg writes straight into the output; otherwise
      // into a buffer that is then widened or split into planes.
      const bool direct = bytes == 1 && !by_plane;
      std::vector<std::uint8_t> decoded(direct ? 0 : pixels * samples);
      out.resize(old_size + frame_size);
      std::byte* dest = out.data() + old_size;
      const std::span<std::uint8_t> target_bytes =
          direct ? std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(dest), frame_size)
                 : std::span<std::uint8_t>(decoded);
      auto info = detail::turbo_decode(
          stream, convert ? detail::TurboColor::YccToRgb : detail::TurboColor::Keep, target_bytes);
      if (!info) {
        out.resize(old_size);
        return std::move(info).error();
      }
      warning = info->warning;
      if (!warning.empty() && !decode_.workaround_incomplete &&
          starts_with(warning, "incomplete")) {
        out.resize(old_size);
        return Error(ErrorCode::MalformedData, "JPEG: " + warning);
      }
      if (!direct) {
        for (std::size_t i = 0; i < pixels; ++i) {
          for (std::size_t s = 0; s < samples; ++s) {
            const std::size_t at = by_plane ? s * pixels + i : i * samples + s;
            dest[at * bytes] = static_cast<std::byte>(decoded[i * samples + s]);
            for (std::size_t b = 1; b < bytes; ++b) dest[at * bytes + b] = std::byte{0};
          }
        }
      }
    } else {
      detail::OwnDecodeOptions own;
      own.predictor6_overflow = decode_.workaround_predictor6;
      own.cornell = decode_.workaround_cornell;
      own.ycc_to_rgb = convert;
      own.max_samples = pixels * samples;
      DCMKIT_ASSIGN_OR_RETURN(const detail::PlanarImage image, detail::decode_own(stream, own));
      if (image.overrun > 0) {
        if (!decode_.workaround_incomplete) {
          return Error(ErrorCode::MalformedData, "JPEG: incomplete data (" +
                                                     std::to_string(image.overrun) +
                                                     " bytes missing at least)");
        }
        warning = "incomplete JPEG data";
      }
      out.resize(old_size + frame_size);
      std::byte* dest = out.data() + old_size;
      for (std::size_t s = 0; s < samples; ++s) {
        const std::uint16_t* plane = image.plane(s);
        for (std::size_t i = 0; i < pixels; ++i) {
          const std::size_t at = (by_plane ? s * pixels + i : i * samples + s) * bytes;
          const std::uint16_t v = plane[i];
          dest[at] = static_cast<std::byte>(v & 0xFF);
          if (bytes > 1) dest[at + 1] = static_cast<std::byte>(v >> 8);
          for (std::size_t b = 2; b < bytes; ++b) dest[at + b] = std::byte{0};
        }
      }
    }
    if (!warning.empty()) {
      if (options.strictness == dcmdata::Strictness::Strict) {
        out.resize(old_size);
        return Error(ErrorCode::MalformedData, "JPEG: " + warning);
      }
      if (diagnostics != nullptr) diagnostics->push_back(Diagnostic{0, {}, "JPEG: " + warning});
    }
    return {};
  }

  Result<PixelDescription> encoded_description(const TransferSyntax& ts,
                                               const PixelDescription& native,
                                               const EncodeOptions& /*options*/) const override {
    const Process process = process_of(ts);
    DCMKIT_TRY(check_encodable(process, native));
    PixelDescription d = native;
    if (d.samples_per_pixel == 3) {
      d.planar_configuration = 0;
      const bool full = encode_.subsampling == JpegSubsampling::Full444 ||
                        encode_.subsampling == JpegSubsampling::Full422 ||
                        encode_.subsampling == JpegSubsampling::Full411;
      if (is_lossy(process) && encode_.color == JpegColorSpace::Ybr) {
        d.photometric_interpretation = full ? "YBR_FULL" : "YBR_FULL_422";
      } else if (native.photometric_interpretation == "YBR_FULL" &&
                 (is_lossy(process) || encode_.pseudo_lossless)) {
        // YCbCr input stays YCbCr whatever +cr says; DCMTK labels it by the subsampling
        // option even when the lossless process codes it at full resolution.
        d.photometric_interpretation = full ? "YBR_FULL" : "YBR_FULL_422";
      }
    }
    return d;
  }

  Result<std::vector<std::byte>> encode_frame(const TransferSyntax& ts,
                                              std::span<const std::byte> native,
                                              const PixelDescription& description,
                                              const EncodeOptions& /*options*/) const override {
    const Process process = process_of(ts);
    DCMKIT_TRY(check_encodable(process, description));
    const std::size_t pixels = std::size_t{description.rows} * description.columns;
    const std::size_t samples = description.samples_per_pixel;
    const std::size_t bytes = description.bits_allocated / 8;
    if (native.size() < pixels * samples * bytes) {
      return Error(ErrorCode::InvalidArgument, "JPEG: frame shorter than the image");
    }
    const bool by_plane = samples > 1 && description.planar_configuration == 1;
    const auto sample = [&](std::size_t i, std::size_t s) -> std::uint32_t {
      const std::size_t at = (by_plane ? s * pixels + i : i * samples + s) * bytes;
      std::uint32_t v = std::to_integer<std::uint32_t>(native[at]);
      if (bytes > 1) v |= std::to_integer<std::uint32_t>(native[at + 1]) << 8;
      return v;
    };
    std::uint32_t bits = encoding_bits(process, description);
    if (!is_lossy(process) && !encode_.pseudo_lossless && encode_.bits == JpegBits::Auto) {
      // True lossless codes every bit of the sample words, as DCMTK 3.6.7 does (precision 16
      // for Bits Allocated 16 whatever Bits Stored says): DCMTK's decoder gives back the same
      // Bits Allocated, and bits above Bits Stored (sign extension, an embedded overlay) stay.
      bits = description.bits_allocated;
    } else if (!is_lossy(process) && encode_.bits == JpegBits::Auto && !description.is_signed &&
               bits < description.bits_allocated) {
      // Bits above Bits Stored in use (an embedded overlay, PS3.5 §8.1.2 retired usage): as
      // DCMTK, a lossless encode takes all Bits Allocated bits so that nothing is lost.
      const std::uint32_t stored_mask = (1u << bits) - 1;
      for (std::size_t i = 0; i < pixels && bits != description.bits_allocated; ++i) {
        for (std::size_t s = 0; s < samples; ++s) {
          if ((sample(i, s) & ~stored_mask) != 0) bits = description.bits_allocated;
        }
      }
    }
    const std::uint32_t mask = (1u << bits) - 1;
    std::vector<std::uint8_t> encoded;
    if (bits == 8 && is_lossy(process)) {
      std::vector<std::uint8_t> interleaved(pixels * samples);
      for (std::size_t i = 0; i < pixels; ++i) {
        for (std::size_t s = 0; s < samples; ++s) {
          interleaved[i * samples + s] = static_cast<std::uint8_t>(sample(i, s) & 0xFF);
        }
      }
      detail::TurboEncodeParams p;
      p.process = process == Process::Baseline   ? detail::TurboProcess::Baseline
                  : process == Process::Extended ? detail::TurboProcess::Extended
                  : process == Process::Spectral ? detail::TurboProcess::Spectral
                                                 : detail::TurboProcess::Progressive;
      p.quality = encode_.quality;
      p.smoothing = encode_.smoothing;
      p.optimize = encode_.optimize_huffman;
      p.ycc = encode_.color == JpegColorSpace::Ybr;
      p.ycc_input = samples == 3 && description.photometric_interpretation == "YBR_FULL";
      const LumaSampling sampling = luma_sampling();
      p.h_luma = sampling.h;
      p.v_luma = sampling.v;
      DCMKIT_ASSIGN_OR_RETURN(
          encoded, detail::turbo_encode(interleaved, description.columns, description.rows,
                                        static_cast<std::uint32_t>(samples), p));
    } else {
      detail::PlanarImage image;
      image.width = description.columns;
      image.height = description.rows;
      image.precision = bits;
      image.components = samples;
      image.samples.resize(pixels * samples);
      for (std::size_t s = 0; s < samples; ++s) {
        for (std::size_t i = 0; i < pixels; ++i) {
          image.samples[s * pixels + i] = static_cast<std::uint16_t>(sample(i, s) & mask);
        }
      }
      if (is_lossy(process)) {
        detail::DctParams p;
        p.quality = encode_.quality;
        p.ycc = encode_.color == JpegColorSpace::Ybr;
        p.ycc_input = samples == 3 && description.photometric_interpretation == "YBR_FULL";
        p.progressive = process == Process::Spectral || process == Process::Progressive;
        p.spectral_only = process == Process::Spectral;
        const LumaSampling sampling = luma_sampling();
        p.luma_h = sampling.h;
        p.luma_v = sampling.v;
        DCMKIT_ASSIGN_OR_RETURN(encoded, detail::encode_dct(image, p));
      } else {
        detail::LosslessParams p;
        p.predictor = process == Process::SV1 ? 1 : encode_.selection_value;
        p.point_transform = encode_.point_transform;
        // The IDs DCMTK's IJG writes (the colour space it codes in): YCbCr as 1, 2, 3, RGB as
        // 'R', 'G', 'B' by the pseudo-lossless codec and 0, 1, 2 by the true lossless one, so
        // that decoders guessing from them (dcmdjpeg +cg) take either encoding alike.
        if (samples == 3 && description.photometric_interpretation != "YBR_FULL") {
          p.ids =
              encode_.pseudo_lossless ? detail::LosslessIds::Rgb : detail::LosslessIds::FromZero;
        }
        DCMKIT_ASSIGN_OR_RETURN(encoded, detail::encode_lossless(image, p));
      }
    }
    const std::size_t n = encoded.size();
    if (n % 2 != 0 && n >= 2 && encoded[n - 2] == 0xFF && encoded[n - 1] == 0xD9) {
      // An odd stream is made even with a fill byte before EOI (T.81 B.1.1.2), as DCMTK does,
      // rather than with a pad byte after it: the same bytes, and the same length in the ratio.
      encoded.insert(encoded.end() - 2, std::uint8_t{0xFF});
    }
    std::vector<std::byte> result(encoded.size());
    std::memcpy(result.data(), encoded.data(), encoded.size());
    return result;
  }

  std::string derivation_description(const TransferSyntax& ts,
                                     const PixelDescription& native) const override {
    const Process process = process_of(ts);
    if (!is_lossy(process)) {
      return std::string(encode_.pseudo_lossless ? "Pseudo-Lossless" : "Lossless") +
             " JPEG compression, selection value " +
             std::to_string(process == Process::SV1 ? 1 : encode_.selection_value) +
             ", point transform " + std::to_string(encode_.point_transform);
    }
    std::string text = "Lossy compression with JPEG ";
    switch (process) {
      case Process::Baseline:
        text += "baseline";
        break;
      case Process::Extended:
        text += "extended sequential";
        break;
      case Process::Spectral:
        text += "spectral selection";
        break;
      default:
        text += "full progression";
        break;
    }
    if (process != Process::Baseline) {
      text += " " + std::to_string(encoding_bits(process, native)) + " bit";
    }
    return text + ", IJG quality factor " + std::to_string(encode_.quality);
  }

  bool always_describe_derivation() const noexcept override { return true; }

  std::string lossy_method(const TransferSyntax& ts) const override {
    return is_lossy(process_of(ts)) || encode_.pseudo_lossless ? "ISO_10918_1" : "";
  }

 private:
  struct LumaSampling {
    int h = 1;
    int v = 1;
  };

  // Y's sampling factors for YCbCr (Cb and Cr 1x1), as DCMTK 3.6.7's SOF shows them at 8 and
  // 12 bits: 2x1 for the 4:2:2 options, 1x1 for +s4, and 2x2 (4:2:0) for the options its help
  // calls 4:1:1 (+n1, +np).
  LumaSampling luma_sampling() const {
    switch (encode_.subsampling) {
      case JpegSubsampling::Ybr422:
      case JpegSubsampling::Full422:
        return {2, 1};
      case JpegSubsampling::Full444:
        return {1, 1};
      case JpegSubsampling::Full411:
      case JpegSubsampling::Ybr411:
        return {2, 2};
    }
    return {2, 1};
  }

  Process process_of(const TransferSyntax& ts) const {
    const SyntaxInfo* info = find_syntax(ts.uid());
    return info != nullptr ? info->process : process_;
  }

  // Whether DCMTK's decoder sets libjpeg's output colour space (RGB, or grayscale for one
  // component) for dcmdjpeg's colour option, rather than leaving the components as coded. What
  // it sets names the decoded Photometric Interpretation, whether or not samples are converted.
  bool sets_output_space(const TransferSyntax& ts, const PixelDescription& d) const {
    const bool lossy = is_lossy(process_of(ts));
    switch (decode_.color) {
      case ColorConversion::Photometric:
        return starts_with(d.photometric_interpretation, "YBR");
      case ColorConversion::Lossy:
      case ColorConversion::GuessLossy:
        return lossy;
      case ColorConversion::Guess:
      case ColorConversion::Always:
        return true;
      case ColorConversion::Never:
        return false;
    }
    return false;
  }

  // Whether 3-component samples are converted from YCbCr to RGB: the colour options other than
  // +cg and +cgl declare the data YCbCr wherever they set the output space; with those two, the
  // library's guess from the stream's markers and component IDs decides.
  bool converts(const TransferSyntax& ts, const PixelDescription& d,
                const detail::StreamHeader& stream) const {
    if (!sets_output_space(ts, d)) return false;
    if (decode_.color == ColorConversion::Guess || decode_.color == ColorConversion::GuessLossy) {
      return detail::guesses_ycbcr(stream);
    }
    return true;
  }

  std::uint32_t planar_of(const PixelDescription& d) const {
    switch (decode_.planar) {
      case PlanarChoice::ByPixel:
        return 0;
      case PlanarChoice::ByPlane:
        return 1;
      case PlanarChoice::Auto:
        break;
    }
    return detail::automatic_planar_configuration(d);
  }

  static Status check_decodable(const PixelDescription& d) {
    if (d.bits_allocated != 8 && d.bits_allocated != 16) {
      return Error(ErrorCode::Unsupported, "JPEG: Bits Allocated " +
                                               std::to_string(d.bits_allocated) +
                                               " cannot hold decoded samples (8 or 16)");
    }
    if (d.samples_per_pixel != 1 && d.samples_per_pixel != 3 && d.samples_per_pixel != 4) {
      return Error(ErrorCode::Unsupported,
                   "JPEG: Samples per Pixel " + std::to_string(d.samples_per_pixel));
    }
    return {};
  }

  std::uint32_t encoding_bits(Process process, const PixelDescription& d) const {
    if (!is_lossy(process)) {
      if (encode_.bits == JpegBits::Force8) return 8;
      if (encode_.bits == JpegBits::Force12) return 12;
      if (encode_.bits == JpegBits::Force16) return 16;
      return std::max<std::uint32_t>(d.bits_stored, 2);
    }
    if (encode_.bits == JpegBits::Force12) return 12;
    if (encode_.bits == JpegBits::Force8) return 8;
    return d.bits_stored <= 8 ? 8 : 12;
  }

  Status check_encodable(Process process, const PixelDescription& d) const {
    if (d.bits_allocated != 8 && d.bits_allocated != 16) {
      return Error(ErrorCode::Unsupported,
                   "JPEG: cannot encode Bits Allocated " + std::to_string(d.bits_allocated));
    }
    if (d.samples_per_pixel != 1 && d.samples_per_pixel != 3) {
      return Error(ErrorCode::Unsupported,
                   "JPEG: cannot encode Samples per Pixel " + std::to_string(d.samples_per_pixel));
    }
    const std::string& pi = d.photometric_interpretation;
    if (pi == "YBR_FULL_422" || pi == "YBR_PARTIAL_422" || pi == "YBR_PARTIAL_420") {
      return Error(ErrorCode::Unsupported, "JPEG: cannot encode subsampled " + pi + " pixels");
    }
    if (is_lossy(process)) {
      const std::uint32_t bits = encoding_bits(process, d);
      if (d.bits_stored > bits) {
        return Error(ErrorCode::Unsupported, "JPEG: " + std::to_string(d.bits_stored) +
                                                 " bits stored do not fit the " +
                                                 std::to_string(bits) + "-bit lossy process");
      }
      if (process == Process::Baseline && bits != 8) {
        return Error(ErrorCode::Unsupported, "JPEG baseline encodes 8 bits only");
      }
      if (d.is_signed) {
        return Error(ErrorCode::Unsupported, "JPEG: lossy encoding of signed pixels");
      }
    } else if (d.bits_stored > 16) {
      return Error(ErrorCode::Unsupported, "JPEG lossless encodes at most 16 bits");
    }
    return {};
  }

  Process process_;
  JpegDecodeParams decode_;
  JpegEncodeParams encode_;
};

}  // namespace

void register_jpeg_codecs(const JpegDecodeParams& decode, const JpegEncodeParams& encode,
                          dcmdata::CodecRegistry& registry) {
  for (const SyntaxInfo& s : kSyntaxes) {
    registry.add(s.uid, std::make_shared<const JpegCodec>(s.process, decode, encode));
  }
  DCMKIT_LOG_DEBUG(detail::kCodecLog,
                   "registered the JPEG codecs (" << detail::turbo_version() << ")");
}

std::string jpeg_library_version() { return detail::turbo_version(); }

}  // namespace dcmkit::dcmimage

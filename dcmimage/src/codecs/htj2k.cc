// SPDX-License-Identifier: BSD-3-Clause
#include "htj2k.h"

#include <openjph/ojph_arch.h>
#include <openjph/ojph_codestream.h>
#include <openjph/ojph_file.h>
#include <openjph/ojph_mem.h>
#include <openjph/ojph_message.h>
#include <openjph/ojph_params.h>
#include <openjph/ojph_version.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>

namespace dcmkit::dcmimage::detail {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

// OpenJPH reports through process-wide message objects: information and warnings are
// dropped, errors become the exception the library expects (it does not return after
// reporting one), carrying the message. The handlers are static objects, never deleted through
// a base pointer (OpenJPH's bases have no virtual destructor).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class QuietInfo final : public ojph::message_info {
 public:
  void operator()(int /*code*/, const char* /*file*/, int /*line*/, const char* /*fmt*/,
                  ...) override {}
};
class QuietWarning final : public ojph::message_warning {
 public:
  void operator()(int /*code*/, const char* /*file*/, int /*line*/, const char* /*fmt*/,
                  ...) override {}
};
class ThrowingError final : public ojph::message_error {
 public:
  void operator()(int /*code*/, const char* /*file*/, int /*line*/, const char* fmt, ...) override {
    char text[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(text, sizeof text, fmt, args);  // NOLINT: OpenJPH's printf-style messages
    va_end(args);
    throw std::runtime_error(text);
  }
};
#pragma GCC diagnostic pop

void install_message_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    static QuietInfo info;
    static QuietWarning warning;
    static ThrowingError error;
    ojph::configure_info(&info);
    ojph::configure_warning(&warning);
    ojph::configure_error(&error);
  });
}

std::uint32_t read16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 8) | b[at + 1];
}
std::uint32_t read32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return (read16(b, at) << 16) | read16(b, at + 2);
}

// Inserts a TLM marker segment (ISO 15444-1 §A.7.1) listing every tile-part before the first
// SOT, as PS3.5 asks of the HTJ2K RPCL transfer syntax (OpenJPH 0.9 writes none).
Result<std::vector<std::uint8_t>> add_tlm(std::vector<std::uint8_t> stream) {
  const auto malformed = [] {
    return Error(ErrorCode::Internal, "HTJ2K: unexpected codestream layout from the encoder");
  };
  if (stream.size() < 4 || read16(stream, 0) != 0xFF4F) return malformed();
  std::size_t at = 2;
  while (at + 4 <= stream.size() && read16(stream, at) != 0xFF90) {
    at += 2 + read16(stream, at + 2);
  }
  const std::size_t first_sot = at;
  struct Part {
    std::uint32_t tile;
    std::uint32_t length;
  };
  std::vector<Part> parts;
  while (at + 12 <= stream.size() && read16(stream, at) == 0xFF90) {
    std::uint32_t length = read32(stream, at + 6);
    if (length == 0) length = static_cast<std::uint32_t>(stream.size() - 2 - at);  // to EOC
    if (length < 12 || at + length > stream.size()) return malformed();
    parts.push_back({read16(stream, at + 4), length});
    at += length;
  }
  if (parts.empty() || parts.size() > 10000) return malformed();
  const bool wide_index =
      std::any_of(parts.begin(), parts.end(), [](const Part& p) { return p.tile > 0xFF; });
  const std::size_t entry = wide_index ? 6 : 5;
  const std::size_t segment_length = 4 + parts.size() * entry;
  if (segment_length > 0xFFFF) return malformed();
  std::vector<std::uint8_t> tlm;
  tlm.reserve(segment_length + 2);
  const auto put16 = [&tlm](std::uint32_t v) {
    tlm.push_back(static_cast<std::uint8_t>(v >> 8));
    tlm.push_back(static_cast<std::uint8_t>(v & 0xFF));
  };
  put16(0xFF55);
  put16(static_cast<std::uint32_t>(segment_length));
  tlm.push_back(0);                         // Ztlm: the first TLM segment
  tlm.push_back(wide_index ? 0x60 : 0x50);  // Stlm: ST = 1 or 2 bytes, SP = 32-bit lengths
  for (const Part& p : parts) {
    if (wide_index) {
      put16(p.tile);
    } else {
      tlm.push_back(static_cast<std::uint8_t>(p.tile));
    }
    put16(p.length >> 16);
    put16(p.length & 0xFFFF);
  }
  stream.insert(stream.begin() + static_cast<std::ptrdiff_t>(first_sot), tlm.begin(), tlm.end());
  return stream;
}

}  // namespace

Result<std::vector<std::uint8_t>> htj2k_encode(const HtImage& image, const HtParams& params) {
  const auto components = static_cast<std::uint32_t>(image.planes.size());
  if (components != 1 && components != 3) {
    return Error(ErrorCode::Unsupported,
                 "HTJ2K: cannot encode " + std::to_string(components) + " components");
  }
  if (image.width == 0 || image.height == 0 || image.bits < 1 || image.bits > 16) {
    return Error(ErrorCode::Unsupported, "HTJ2K: cannot encode " + std::to_string(image.bits) +
                                             "-bit samples of " + std::to_string(image.width) +
                                             "x" + std::to_string(image.height));
  }
  install_message_handlers();
  std::vector<std::uint8_t> stream;
  try {
    ojph::codestream codestream;
    ojph::param_siz siz = codestream.access_siz();
    siz.set_image_extent(ojph::point(image.width, image.height));
    siz.set_num_components(components);
    for (std::uint32_t c = 0; c < components; ++c) {
      siz.set_component(c, ojph::point(1, 1), image.bits, image.is_signed);
    }
    siz.set_image_offset(ojph::point(0, 0));
    siz.set_tile_size(ojph::size(image.width, image.height));
    siz.set_tile_offset(ojph::point(0, 0));
    // Decomposition levels: no more than the smaller side allows.
    int levels = 0;
    for (std::uint32_t side = std::min(image.width, image.height);
         levels < params.levels && side >= 2; side /= 2) {
      ++levels;
    }
    ojph::param_cod cod = codestream.access_cod();
    cod.set_num_decomposition(static_cast<ojph::ui32>(levels));
    cod.set_block_dims(64, 64);
    cod.set_progression_order(params.rpcl ? "RPCL" : "LRCP");
    cod.set_color_transform(components == 3 && params.color_transform);
    cod.set_reversible(params.reversible);
    if (!params.reversible) codestream.access_qcd().set_irrev_quant(params.quantization_step);
    codestream.set_planar(false);
    ojph::mem_outfile file;
    file.open();
    codestream.write_headers(&file);
    std::vector<std::uint32_t> row(components, 0);
    ojph::ui32 next = 0;
    ojph::line_buf* line = codestream.exchange(nullptr, next);
    for (std::size_t n = 0; n < std::size_t{image.height} * components; ++n) {
      if (next >= components || row[next] >= image.height) {
        throw std::runtime_error("the encoder asked for a line that does not exist");
      }
      const std::int32_t* source = image.planes[next] + std::size_t{row[next]} * image.width;
      std::copy(source, source + image.width, line->i32);
      ++row[next];
      line = codestream.exchange(line, next);
    }
    codestream.flush();
    const auto size = static_cast<std::size_t>(file.tell());
    stream.assign(file.get_data(), file.get_data() + size);
    codestream.close();
  } catch (const std::exception& e) {
    return Error(ErrorCode::InvalidArgument, std::string("HTJ2K: ") + e.what());
  }
  if (params.rpcl) return add_tlm(std::move(stream));
  return stream;
}

std::string htj2k_library_version() {
  return "OpenJPH " + std::to_string(OPENJPH_VERSION_MAJOR) + "." +
         std::to_string(OPENJPH_VERSION_MINOR) + "." + std::to_string(OPENJPH_VERSION_PATCH);
}

}  // namespace dcmkit::dcmimage::detail

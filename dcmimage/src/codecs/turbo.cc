// SPDX-License-Identifier: BSD-3-Clause
#include "turbo.h"

#include <csetjmp>
#include <cstdio>
#include <cstring>

// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

namespace dcmkit::dcmimage::detail {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

// libjpeg's error manager, extended with the jump target and the messages. Plain data only:
// the functions that setjmp() hold no objects with destructors, so longjmp() skips none.
struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  char warning[JMSG_LENGTH_MAX];
  int premature_end;
};

extern "C" void on_error(j_common_ptr info) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);  // NOLINT: libjpeg's idiom
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

extern "C" void on_message(j_common_ptr info, int level) {
  auto* manager = reinterpret_cast<ErrorManager*>(info->err);  // NOLINT: libjpeg's idiom
  if (level < 0) {  // a warning: corrupt data that libjpeg recovered from
    if (info->err->msg_code == JWRN_JPEG_EOF) manager->premature_end = 1;
    ++info->err->num_warnings;
    (*info->err->format_message)(info, manager->warning);
  }
}

void install(ErrorManager& manager) {
  jpeg_std_error(&manager.pub);
  manager.pub.error_exit = on_error;
  manager.pub.emit_message = on_message;
  manager.message[0] = '\0';
  manager.warning[0] = '\0';
  manager.premature_end = 0;
}

// The setjmp() frame of decoding. Returns 0 on success, 1 after a libjpeg error, 2 if the
// output would not fit `max_bytes`.
int decode_raw(const std::uint8_t* data, std::size_t size, TurboColor color, bool header_only,
               std::span<std::uint8_t> out, ErrorManager* manager, TurboInfo* info) {
  jpeg_decompress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);
  cinfo.err = &manager->pub;
  if (setjmp(manager->jump) != 0) {  // NOLINT(cert-err52-cpp): libjpeg's error protocol
    jpeg_destroy_decompress(&cinfo);
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  info->width = cinfo.image_width;
  info->height = cinfo.image_height;
  info->components = static_cast<std::uint32_t>(cinfo.num_components);
  if (header_only) {
    jpeg_destroy_decompress(&cinfo);
    return 0;
  }
  // IJG 6b's defaults, which DCMTK's decoder uses: the accurate integer IDCT and fancy
  // upsampling, so that the pixels are the same.
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.do_fancy_upsampling = TRUE;
  if (cinfo.num_components == 3) {
    if (color == TurboColor::YccToRgb) {
      cinfo.jpeg_color_space = JCS_YCbCr;
      cinfo.out_color_space = JCS_RGB;
      info->converted = true;
    } else {
      // No conversion: the components as they were coded.
      cinfo.jpeg_color_space = JCS_RGB;
      cinfo.out_color_space = JCS_RGB;
    }
  } else if (cinfo.num_components == 1) {
    cinfo.jpeg_color_space = JCS_GRAYSCALE;
    cinfo.out_color_space = JCS_GRAYSCALE;
  } else {
    cinfo.out_color_space = cinfo.jpeg_color_space;
  }
  jpeg_start_decompress(&cinfo);
  const std::size_t stride =
      std::size_t{cinfo.output_width} * static_cast<std::size_t>(cinfo.output_components);
  const std::size_t total = stride * cinfo.output_height;
  if (out.size() < total) {
    jpeg_destroy_decompress(&cinfo);
    return 2;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[8];
    JDIMENSION n = 0;
    for (; n < 8 && cinfo.output_scanline + n < cinfo.output_height; ++n) {
      rows[n] = out.data() + stride * (cinfo.output_scanline + n);
    }
    if (jpeg_read_scanlines(&cinfo, rows, n) == 0) break;
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

int encode_raw(const std::uint8_t* samples, std::uint32_t width, std::uint32_t height,
               std::uint32_t components, const TurboEncodeParams* params, jpeg_scan_info* spectral,
               unsigned char** buffer, unsigned long* size, ErrorManager* manager) {
  jpeg_compress_struct cinfo;
  std::memset(&cinfo, 0, sizeof cinfo);
  cinfo.err = &manager->pub;
  if (setjmp(manager->jump) != 0) {  // NOLINT(cert-err52-cpp): libjpeg's error protocol
    jpeg_destroy_compress(&cinfo);
    return 1;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, buffer, size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = static_cast<int>(components);
  cinfo.in_color_space =
      components == 3 ? (params->ycc_input ? JCS_YCbCr : JCS_RGB) : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.optimize_coding = params->optimize ? TRUE : FALSE;
  cinfo.smoothing_factor = params->smoothing;
  jpeg_set_quality(&cinfo, params->quality, params->process == TurboProcess::Baseline);
  if (components == 3) {
    const bool ycc = params->ycc || params->ycc_input;
    jpeg_set_colorspace(&cinfo, ycc ? JCS_YCbCr : JCS_RGB);
    cinfo.comp_info[0].h_samp_factor = ycc ? params->h_luma : 1;
    cinfo.comp_info[0].v_samp_factor = ycc ? params->v_luma : 1;
    for (int c = 1; c < 3; ++c) {
      cinfo.comp_info[c].h_samp_factor = 1;
      cinfo.comp_info[c].v_samp_factor = 1;
    }
  }
  // jpeg_set_colorspace() chose IJG's markers (JFIF APP0 for grayscale and YCbCr, Adobe APP14
  // for RGB): DCMTK's streams carry them too, decoders guess the colour model from them
  // (dcmdjpeg +cg), and the stream lengths, so the compression ratios, agree with DCMTK's.
  if (params->jfif) cinfo.write_JFIF_header = TRUE;
  if (params->process == TurboProcess::Progressive) {
    jpeg_simple_progression(&cinfo);
  } else if (params->process == TurboProcess::Spectral) {
    // Spectral selection without successive approximation (T.81 G.1.1.1.1): the DC of all
    // components, then two AC bands of each component.
    int n = 0;
    const int count = static_cast<int>(components);
    spectral[n].comps_in_scan = count;
    for (int c = 0; c < count; ++c) spectral[n].component_index[c] = c;
    spectral[n].Ss = 0;
    spectral[n].Se = 0;
    spectral[n].Ah = 0;
    spectral[n].Al = 0;
    ++n;
    for (int c = 0; c < count; ++c) {
      for (int band = 0; band < 2 && n < 7; ++band) {
        spectral[n].comps_in_scan = 1;
        spectral[n].component_index[0] = c;
        spectral[n].Ss = band == 0 ? 1 : 6;
        spectral[n].Se = band == 0 ? 5 : 63;
        spectral[n].Ah = 0;
        spectral[n].Al = 0;
        ++n;
      }
    }
    cinfo.scan_info = spectral;
    cinfo.num_scans = n;
  }
  jpeg_start_compress(&cinfo, TRUE);
  const std::size_t stride = std::size_t{width} * components;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(samples + stride * cinfo.next_scanline);  // NOLINT
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return 0;
}

Error libjpeg_error(const char* message) {
  return Error(ErrorCode::MalformedData, std::string("JPEG: ") + message);
}

}  // namespace

Result<TurboInfo> turbo_read_header(std::span<const std::uint8_t> data) {
  ErrorManager manager;
  install(manager);
  TurboInfo info;
  if (decode_raw(data.data(), data.size(), TurboColor::Keep, true, {}, &manager, &info) != 0) {
    return libjpeg_error(manager.message);
  }
  return info;
}

Result<TurboInfo> turbo_decode(std::span<const std::uint8_t> data, TurboColor color,
                               std::span<std::uint8_t> out) {
  ErrorManager manager;
  install(manager);
  TurboInfo info;
  const int status = decode_raw(data.data(), data.size(), color, false, out, &manager, &info);
  if (status == 1) return libjpeg_error(manager.message);
  if (status == 2) {
    return Error(ErrorCode::MalformedData,
                 "JPEG: the image in the stream is larger than the frame");
  }
  if (manager.premature_end != 0) {
    info.warning = "incomplete JPEG data (premature end of data)";
  } else if (manager.pub.num_warnings > 0) {
    info.warning = manager.warning;
  }
  return info;
}

Result<std::vector<std::uint8_t>> turbo_encode(std::span<const std::uint8_t> samples,
                                               std::uint32_t width, std::uint32_t height,
                                               std::uint32_t components,
                                               const TurboEncodeParams& params) {
  if (components != 1 && components != 3) {
    return Error(ErrorCode::Unsupported, "JPEG: only 1 or 3 samples per pixel can be encoded");
  }
  if (width == 0 || height == 0 || width > 65500 || height > 65500 ||
      samples.size() < std::size_t{width} * height * components) {
    return Error(ErrorCode::InvalidArgument, "JPEG: bad image size for encoding");
  }
  ErrorManager manager;
  install(manager);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_scan_info spectral[7];
  std::memset(spectral, 0, sizeof spectral);
  const int status = encode_raw(samples.data(), width, height, components, &params, spectral,
                                &buffer, &size, &manager);
  std::vector<std::uint8_t> out;
  if (status == 0 && buffer != nullptr) out.assign(buffer, buffer + size);
  std::free(buffer);  // NOLINT(cppcoreguidelines-no-malloc): allocated by jpeg_mem_dest
  if (status != 0) {
    return Error(ErrorCode::Internal, std::string("JPEG encoder: ") + manager.message);
  }
  if (params.process == TurboProcess::Extended) {
    // libjpeg-turbo marks an extended sequential stream that baseline could also code as SOF0;
    // DCMTK's IJG writes SOF1 for its extended process whatever the tables, as the transfer
    // syntax (.51) suggests. The segments are the same either way.
    for (std::size_t at = 2; at + 4 <= out.size() && out[at] == 0xFF;) {
      const std::uint8_t marker = out[at + 1];
      if (marker == 0xC0) out[at + 1] = 0xC1;
      if (marker == 0xC0 || marker == 0xDA) break;
      at += 2 + (std::size_t{out[at + 2]} << 8 | out[at + 3]);
    }
  }
  return out;
}

std::string turbo_version() {
#ifdef LIBJPEG_TURBO_VERSION
#define DCMKIT_STRINGIFY2(x) #x
#define DCMKIT_STRINGIFY(x) DCMKIT_STRINGIFY2(x)
  return "libjpeg-turbo " DCMKIT_STRINGIFY(LIBJPEG_TURBO_VERSION);
#else
  return "libjpeg-turbo";
#endif
}

}  // namespace dcmkit::dcmimage::detail

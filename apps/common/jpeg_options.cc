// SPDX-License-Identifier: BSD-3-Clause
#include "common/jpeg_options.h"

#include <string>

namespace dcmkit::apps {

void add_jpeg_color_conversion_options(ofstd::CommandLine& cl, std::string_view never_text) {
  cl.add_option("+cp", "--conv-photometric", "convert if YCbCr photometric interpr. (default)");
  cl.add_option("+cl", "--conv-lossy", "convert YCbCr to RGB if lossy JPEG");
  cl.add_option("+cg", "--conv-guess", "convert to RGB if YCbCr is guessed by library");
  cl.add_option("+cgl", "--conv-guess-lossy",
                "convert to RGB if lossy JPEG and YCbCr is\n"
                "guessed by the underlying JPEG library");
  cl.add_option("+ca", "--conv-always", "always convert YCbCr to RGB");
  cl.add_option("+cn", "--conv-never", std::string(never_text));
}

void add_jpeg_workaround_options(ofstd::CommandLine& cl) {
  cl.add_option("+w6", "--workaround-pred6",
                "enable workaround for JPEG lossless images\n"
                "with overflow in predictor 6");
  cl.add_option("+wi", "--workaround-incpl", "enable workaround for incomplete JPEG data");
  cl.add_option("+wc", "--workaround-cornell",
                "enable workaround for 16-bit JPEG lossless\n"
                "Cornell images with Huffman table overflow");
}

dcmimage::JpegDecodeParams jpeg_decode_params(const ofstd::ParsedCommandLine& args) {
  using dcmimage::ColorConversion;
  dcmimage::JpegDecodeParams params;
  if (const auto choice = args.last_of({"+cp", "+cl", "+cg", "+cgl", "+ca", "+cn"})) {
    params.color = *choice == "+cp"    ? ColorConversion::Photometric
                   : *choice == "+cl"  ? ColorConversion::Lossy
                   : *choice == "+cg"  ? ColorConversion::Guess
                   : *choice == "+cgl" ? ColorConversion::GuessLossy
                   : *choice == "+ca"  ? ColorConversion::Always
                                       : ColorConversion::Never;
  }
  params.workaround_predictor6 = args.has("+w6");
  params.workaround_incomplete = args.has("+wi");
  params.workaround_cornell = args.has("+wc");
  return params;
}

}  // namespace dcmkit::apps

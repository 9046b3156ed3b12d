// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for the image file readers of img2dcm (dcmimage/image_import.h): the input is
// read as JPEG, BMP, PNG and TIFF in turn. Whatever imports must describe its pixel data
// exactly (native data of rows x columns x samples x bits / 8 bytes; JPEG streams from SOI to
// EOI) and must make a DICOM object.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "dcmkit/dcmimage/image_import.h"
#include "dcmkit/dcmimage/image_object.h"

namespace {

using namespace dcmkit::dcmimage;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "image_import_fuzzer: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);
  ImportOptions options;
  options.max_pixel_bytes = std::uint64_t{1} << 24;  // keep runs fast
  for (const ImageFileFormat format :
       {ImageFileFormat::Jpeg, ImageFileFormat::Bmp, ImageFileFormat::Png, ImageFileFormat::Tiff}) {
    auto image = import_image(file, format, options);
    if (!image) continue;
    if (image->rows == 0 || image->columns == 0) fail("image without pixels");
    if (image->transfer_syntax_uid.empty()) {
      const std::uint64_t expected = std::uint64_t{image->rows} * image->columns *
                                     image->samples_per_pixel * (image->bits_allocated / 8u);
      if (image->pixel_data.size() != expected) fail("native pixel data of the wrong size");
    } else if (image->pixel_data.size() < 4 || image->pixel_data[0] != std::byte{0xFF} ||
               image->pixel_data[1] != std::byte{0xD8}) {
      fail("JPEG stream without SOI");
    }
    const std::vector<ImportedImage> frames = {*image};
    auto object = make_image_object(frames, ImageObjectOptions{});
    if (!object) fail("an imported image makes no Secondary Capture object");
  }
  return 0;
}

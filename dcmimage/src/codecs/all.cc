// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/codecs/all.h"

#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/codecs/jpeg2000.h"
#include "dcmkit/dcmimage/codecs/jpeg_ls.h"

namespace dcmkit::dcmimage {

void register_all_codecs() {
  dcmdata::register_rle_codec();
  register_jpeg_codecs();
  register_jpeg_ls_codecs();
  register_jpeg2000_codecs();
}

}  // namespace dcmkit::dcmimage

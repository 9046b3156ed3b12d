// SPDX-License-Identifier: BSD-3-Clause
// The SOP classes whose modality transformation DCMTK's image code leaves out.
#pragma once

#include <string_view>

namespace dcmkit::dcmimage::detail {

// X-Ray Angiographic, X-Ray Radiofluoroscopic and X-Ray Angiographic Bi-Plane (retired) images:
// in the X-Ray Image module a Modality LUT means the inverse (PS3.3 C.8.7.1.1), so DCMTK 3.6.7's
// image code ignores their Rescale Slope/Intercept and Modality LUT Sequence ("processing XA or
// XRF image ... ignoring possible modality transform"): its dcmcjpeg codes, and its dcmmkdir
// makes icons of, the stored values.
inline bool is_xray_image(std::string_view sop_class) {
  return sop_class == "1.2.840.10008.5.1.4.1.1.12.1" ||  // X-Ray Angiographic Image
         sop_class == "1.2.840.10008.5.1.4.1.1.12.2" ||  // X-Ray Radiofluoroscopic Image
         sop_class == "1.2.840.10008.5.1.4.1.1.12.3";    // X-Ray Angiographic Bi-Plane (retired)
}

}  // namespace dcmkit::dcmimage::detail

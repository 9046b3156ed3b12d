// SPDX-License-Identifier: BSD-3-Clause
// Every pixel data codec dcmkit has, registered in one call: what a program needs that reads
// any input, whatever its transfer syntax (dcmconv, dcmscale, dcmquant, dcmicmp, ...).
//
//   dcmimage::register_all_codecs();   // once, in main()
//   auto file = dcmdata::read_file("any.dcm");
#pragma once

namespace dcmkit::dcmimage {

/// Registers RLE (dcmdata's), JPEG, JPEG-LS and JPEG 2000/HTJ2K with their default parameters
/// in dcmdata's global codec registry.
void register_all_codecs();

}  // namespace dcmkit::dcmimage

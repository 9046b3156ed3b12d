// SPDX-License-Identifier: BSD-3-Clause
#include "common/decompress_options.h"

#include "common/dcmdata_blocks.h"

namespace dcmkit::apps {

void add_decompress_input_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "DICOM input filename to be converted");
  cl.add_parameter("dcmfile-out", "DICOM output filename");
  cl.add_group("input options:");
  add_input_format_options(cl, false);
}

void add_planar_options(ofstd::CommandLine& cl, PlanarHelp help) {
  cl.add_subgroup("planar configuration:");
  if (help == PlanarHelp::WithRestore) {
    cl.add_option("+pr", "--planar-restore", "restore original planar configuration (default)");
    cl.add_option("+pa", "--planar-auto",
                  "automatically determine planar configuration\n"
                  "from SOP class and color space");
  } else {
    cl.add_option("+pa", "--planar-auto",
                  "automatically determine planar configuration\n"
                  "from SOP class and color space (default)");
  }
  cl.add_option("+px", "--color-by-pixel", "always store color-by-pixel");
  cl.add_option("+pl", "--color-by-plane", "always store color-by-plane");
}

void add_decompress_uid_options(ofstd::CommandLine& cl) {
  cl.add_subgroup("SOP Instance UID:");
  cl.add_option("+ud", "--uid-default", "keep same SOP Instance UID (default)");
  cl.add_option("+ua", "--uid-always", "always assign new UID");
}

}  // namespace dcmkit::apps

// SPDX-License-Identifier: BSD-3-Clause
// Option blocks that the decompression programs (dcmdjpeg, dcmdjpls, dcmdj2k) share with DCMTK's,
// before the "output options:" group that common/codec_app.h adds. Each program reads the planar
// configuration into its codec's own parameters.
#pragma once

#include "dcmkit/ofstd/command_line.h"

namespace dcmkit::apps {

/// Adds the parameters (dcmfile-in, dcmfile-out) and the "input options:" group (input file
/// format: +f, +fo, -f).
void add_decompress_input_options(ofstd::CommandLine& cl);

/// Which planar configuration choices a decompression program offers.
enum class PlanarHelp {
  WithRestore,  ///< dcmdjpls, dcmdj2k: +pr (default), +pa, +px, +pl
  AutoDefault,  ///< dcmdjpeg: +pa (default), +px, +pl
};

/// Adds the "planar configuration:" subgroup.
void add_planar_options(ofstd::CommandLine& cl, PlanarHelp help);

/// Adds the "SOP Instance UID:" subgroup (+ud, +ua), which common/codec_app.h's decompress_job()
/// reads.
void add_decompress_uid_options(ofstd::CommandLine& cl);

}  // namespace dcmkit::apps

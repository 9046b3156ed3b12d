// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/transfer_syntax.h"

#include <array>

#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::Endian;
using C = TransferSyntax::Compression;

// PS3.5 §10 and Annex A, PS3.6 Table A-1. Order: as in PS3.6.
constexpr std::array kTransferSyntaxes = {
    TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", Endian::Little, false, false,
                   false, false, false, C::None),
    TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", Endian::Little, true, false,
                   false, false, false, C::None),
    TransferSyntax("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian",
                   Endian::Little, true, true, false, false, false, C::None),
    TransferSyntax("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", Endian::Little,
                   true, false, true, false, false, C::Deflate),
    TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian", Endian::Big, true, false, false,
                   false, true, C::None),
    TransferSyntax("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", Endian::Little, true,
                   true, false, true, false, C::JpegBaseline),
    TransferSyntax("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", Endian::Little, true,
                   true, false, true, false, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)", Endian::Little, true,
                   true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.53",
                   "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)", Endian::Little,
                   true, true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.54",
                   "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)", Endian::Little,
                   true, true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.55",
                   "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)", Endian::Little,
                   true, true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.56",
                   "JPEG Full Progression, Non-Hierarchical (Process 11 & 13)", Endian::Little,
                   true, true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)",
                   Endian::Little, true, true, false, false, false, C::JpegLossless),
    TransferSyntax("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)",
                   Endian::Little, true, true, false, false, true, C::JpegLossless),
    TransferSyntax("1.2.840.10008.1.2.4.59", "JPEG Extended, Hierarchical (Process 16 & 18)",
                   Endian::Little, true, true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.60", "JPEG Extended, Hierarchical (Process 17 & 19)",
                   Endian::Little, true, true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.61",
                   "JPEG Spectral Selection, Hierarchical (Process 20 & 22)", Endian::Little, true,
                   true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.62",
                   "JPEG Spectral Selection, Hierarchical (Process 21 & 23)", Endian::Little, true,
                   true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.63",
                   "JPEG Full Progression, Hierarchical (Process 24 & 26)", Endian::Little, true,
                   true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.64",
                   "JPEG Full Progression, Hierarchical (Process 25 & 27)", Endian::Little, true,
                   true, false, true, true, C::JpegExtended),
    TransferSyntax("1.2.840.10008.1.2.4.65", "JPEG Lossless, Hierarchical (Process 28)",
                   Endian::Little, true, true, false, false, true, C::JpegLossless),
    TransferSyntax("1.2.840.10008.1.2.4.66", "JPEG Lossless, Hierarchical (Process 29)",
                   Endian::Little, true, true, false, false, true, C::JpegLossless),
    TransferSyntax(
        "1.2.840.10008.1.2.4.70",
        "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
        Endian::Little, true, true, false, false, false, C::JpegLossless),
    TransferSyntax("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", Endian::Little,
                   true, true, false, false, false, C::JpegLs),
    TransferSyntax("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression",
                   Endian::Little, true, true, false, true, false, C::JpegLs),
    TransferSyntax("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)",
                   Endian::Little, true, true, false, false, false, C::Jpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", Endian::Little, true,
                   true, false, true, false, C::Jpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.92",
                   "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)",
                   Endian::Little, true, true, false, false, false, C::Jpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression",
                   Endian::Little, true, true, false, true, false, C::Jpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.94", "JPIP Referenced", Endian::Little, true, false, false,
                   false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", Endian::Little, true, false,
                   true, false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", Endian::Little,
                   true, true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", Endian::Little,
                   true, true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1",
                   Endian::Little, true, true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.103",
                   "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", Endian::Little, true,
                   true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.104",
                   "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", Endian::Little, true,
                   true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.105",
                   "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", Endian::Little, true,
                   true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
                   Endian::Little, true, true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", Endian::Little,
                   true, true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1",
                   Endian::Little, true, true, false, true, false, C::Mpeg),
    TransferSyntax("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", Endian::Little, true, true, false,
                   false, false, C::JpegXl),
    TransferSyntax("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", Endian::Little, true,
                   true, false, false, false, C::JpegXl),
    TransferSyntax("1.2.840.10008.1.2.4.112", "JPEG XL", Endian::Little, true, true, false, true,
                   false, C::JpegXl),
    TransferSyntax("1.2.840.10008.1.2.4.201",
                   "High-Throughput JPEG 2000 Image Compression (Lossless Only)", Endian::Little,
                   true, true, false, false, false, C::HtJpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.202",
                   "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
                   Endian::Little, true, true, false, false, false, C::HtJpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression",
                   Endian::Little, true, true, false, true, false, C::HtJpeg2000),
    TransferSyntax("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced", Endian::Little, true, false,
                   false, false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate", Endian::Little, true,
                   false, true, false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.5", "RLE Lossless", Endian::Little, true, true, false, false,
                   false, C::Rle),
    TransferSyntax("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation", Endian::Little, true,
                   false, false, false, true, C::Other),
    TransferSyntax("1.2.840.10008.1.2.6.2", "XML Encoding", Endian::Little, true, false, false,
                   false, true, C::Other),
    TransferSyntax("1.2.840.10008.1.2.7.1",
                   "SMPTE ST 2110-20 Uncompressed Progressive Active Video", Endian::Little, true,
                   false, false, false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.7.2", "SMPTE ST 2110-20 Uncompressed Interlaced Active Video",
                   Endian::Little, true, false, false, false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.7.3", "SMPTE ST 2110-30 PCM Digital Audio", Endian::Little,
                   true, false, false, false, false, C::Other),
    TransferSyntax("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", Endian::Little,
                   true, true, false, false, false, C::Deflate),
    // GE's private syntax: implicit VR little endian, but Pixel Data in big endian byte order.
    TransferSyntax("1.2.840.113619.5.2",
                   "Implicit VR Little Endian with Big Endian Pixel Data (GE)", Endian::Little,
                   false, false, false, false, false, C::None),
};

}  // namespace

const TransferSyntax* TransferSyntax::lookup(std::string_view uid) noexcept {
  uid = ofstd::trim_right(uid, std::string_view(" \0", 2));
  for (const TransferSyntax& ts : kTransferSyntaxes) {
    if (ts.uid() == uid) return &ts;
  }
  return nullptr;
}

TransferSyntax TransferSyntax::lookup_or_unknown(std::string_view uid) {
  if (const TransferSyntax* known = lookup(uid)) return *known;
  TransferSyntax unknown(ofstd::trim_right(uid, std::string_view(" \0", 2)),
                         "Unknown Transfer Syntax", Endian::Little, true, true, false, false, false,
                         C::Other);
  unknown.known_ = false;
  return unknown;
}

std::span<const TransferSyntax> TransferSyntax::all() noexcept { return kTransferSyntaxes; }

const TransferSyntax& implicit_vr_little_endian() noexcept { return kTransferSyntaxes[0]; }
const TransferSyntax& explicit_vr_little_endian() noexcept { return kTransferSyntaxes[1]; }
const TransferSyntax& deflated_explicit_vr_little_endian() noexcept { return kTransferSyntaxes[3]; }
const TransferSyntax& explicit_vr_big_endian() noexcept { return kTransferSyntaxes[4]; }

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
// Writes deterministic synthetic DICOM data for the benchmarks: a multi-frame 16-bit image
// (frames x 512 x 512) and a series of single-frame CT images, all explicit VR little endian.
//
//   make_synthetic multiframe <file> <frames>
//   make_synthetic series <directory> <count>
//   make_synthetic phantom8 <file> <frames>     8-bit, realistic content (for the codec benchmark)
//   make_synthetic phantom16 <file> <frames>    16-bit, realistic content (for the codec benchmark)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"

namespace {

using namespace dcmkit::dcmdata;  // NOLINT: a small tool

constexpr int kSize = 512;

void check(const dcmkit::ofstd::Status& status) {
  if (!status) {
    std::fprintf(stderr, "make_synthetic: %s\n", status.error().to_string().c_str());
    std::exit(1);
  }
}

// Deterministic pixel values: a gradient with a per-frame offset.
SharedBytes pixels(int frames, int seed) {
  std::vector<std::byte> bytes(static_cast<std::size_t>(frames) * kSize * kSize * 2);
  std::size_t i = 0;
  for (int f = 0; f < frames; ++f) {
    for (int y = 0; y < kSize; ++y) {
      for (int x = 0; x < kSize; ++x) {
        const auto v = static_cast<unsigned>((x + y + f * 7 + seed) % 4096);
        bytes[i++] = static_cast<std::byte>(v & 0xFF);
        bytes[i++] = static_cast<std::byte>(v >> 8);
      }
    }
  }
  return SharedBytes::from_vector(std::move(bytes));
}

// A CT-like phantom that moves from frame to frame: a body ellipse with organs of different
// density, smooth shading and deterministic noise, so that lossy and lossless coders see
// realistic content (neither constant nor a pure gradient). `bits` is 8 or 16; 16-bit values
// use the whole range.
SharedBytes phantom(int frames, int bits) {
  const std::size_t bytes_per_sample = bits == 8 ? 1 : 2;
  std::vector<std::byte> bytes(static_cast<std::size_t>(frames) * kSize * kSize * bytes_per_sample);
  const double full = bits == 8 ? 255.0 : 65535.0;
  std::uint32_t noise = 12345;
  std::size_t i = 0;
  for (int f = 0; f < frames; ++f) {
    const double phase = f * 0.05;
    const double cx = 256 + 20 * std::sin(phase);
    const double cy = 256 + 12 * std::cos(phase * 1.3);
    for (int y = 0; y < kSize; ++y) {
      for (int x = 0; x < kSize; ++x) {
        const double dx = (x - cx) / 220.0;
        const double dy = (y - cy) / 170.0;
        double v = 0.02;
        if (dx * dx + dy * dy < 1.0) {
          v = 0.45 + 0.05 * std::sin(x * 0.05 + phase) * std::cos(y * 0.04);
          const double lx = (x - cx + 90) / 60.0;
          const double ly = (y - cy) / 80.0;
          const double rx = (x - cx - 90) / 60.0;
          if (lx * lx + ly * ly < 1.0 || rx * rx + ly * ly < 1.0) v = 0.15;  // lungs
          const double bx = (x - cx) / 25.0;
          const double by = (y - cy - 110) / 25.0;
          if (bx * bx + by * by < 1.0) v = 0.95;  // bone
          const double ox = (x - cx - 40 * std::cos(phase * 2)) / 30.0;
          const double oy = (y - cy + 60) / 20.0;
          if (ox * ox + oy * oy < 1.0) v = 0.6;  // an organ that moves
        }
        noise = noise * 1664525U + 1013904223U;
        v += (static_cast<double>(noise >> 24) - 128.0) / 128.0 * (bits == 8 ? 0.015 : 0.002);
        const auto value = static_cast<unsigned>(std::lround(std::clamp(v, 0.0, 1.0) * full));
        bytes[i++] = static_cast<std::byte>(value & 0xFF);
        if (bytes_per_sample == 2) bytes[i++] = static_cast<std::byte>(value >> 8);
      }
    }
  }
  return SharedBytes::from_vector(std::move(bytes));
}

// A multi-frame Secondary Capture image with phantom() content.
DataSet phantom_image(int frames, int bits) {
  DataSet ds;
  check(ds.set_string(tags::SOPClassUID,
                      bits == 8 ? "1.2.840.10008.5.1.4.1.1.7.2" : "1.2.840.10008.5.1.4.1.1.7.3"));
  check(ds.set_string(tags::SOPInstanceUID, bits == 8 ? "2.25.3333.8" : "2.25.3333.16"));
  check(ds.set_string(tags::StudyDate, "20260101"));
  check(ds.set_string(tags::Modality, "OT"));
  check(ds.set_string(tags::PatientName, "Synthetic^Phantom"));
  check(ds.set_string(tags::PatientID, "SYN0002"));
  check(ds.set_string(tags::StudyInstanceUID, "2.25.1234567891"));
  check(ds.set_string(tags::SeriesInstanceUID, "2.25.3333"));
  check(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  check(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  check(ds.set_int(tags::NumberOfFrames, VR::IS, frames));
  check(ds.set_int(tags::Rows, VR::US, kSize));
  check(ds.set_int(tags::Columns, VR::US, kSize));
  check(ds.set_int(tags::BitsAllocated, VR::US, bits));
  check(ds.set_int(tags::BitsStored, VR::US, bits));
  check(ds.set_int(tags::HighBit, VR::US, bits - 1));
  check(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  check(ds.set_bytes(tags::PixelData, bits == 8 ? VR::OB : VR::OW, phantom(frames, bits)));
  return ds;
}

DataSet image(int frames, int index, const std::string& series_uid) {
  DataSet ds;
  check(ds.set_string(tags::SpecificCharacterSet, "ISO_IR 100"));
  check(ds.set_strings(tags::ImageType, VR::CS, {"ORIGINAL", "PRIMARY", "AXIAL"}));
  check(ds.set_string(tags::SOPClassUID,
                      frames > 1 ? "1.2.840.10008.5.1.4.1.1.2.1" : "1.2.840.10008.5.1.4.1.1.2"));
  check(ds.set_string(tags::SOPInstanceUID, series_uid + "." + std::to_string(index + 1)));
  check(ds.set_string(tags::StudyDate, "20260101"));
  check(ds.set_string(tags::StudyTime, "120000"));
  check(ds.set_string(tags::Modality, "CT"));
  check(ds.set_string(tags::Manufacturer, "dcmkit synthetic"));
  check(ds.set_string(tags::PatientName, "Synthetic^Patient"));
  check(ds.set_string(tags::PatientID, "SYN0001"));
  check(ds.set_string(tags::StudyInstanceUID, "2.25.1234567890"));
  check(ds.set_string(tags::SeriesInstanceUID, series_uid));
  check(ds.set_int(tags::InstanceNumber, VR::IS, index + 1));
  check(ds.set_doubles(tags::ImagePositionPatient, VR::DS,
                       std::vector<double>{-125.0, -125.0, index * 1.25}));
  check(
      ds.set_doubles(tags::ImageOrientationPatient, VR::DS, std::vector<double>{1, 0, 0, 0, 1, 0}));
  check(ds.set_doubles(tags::PixelSpacing, VR::DS, std::vector<double>{0.488281, 0.488281}));
  check(ds.set_int(tags::SamplesPerPixel, VR::US, 1));
  check(ds.set_string(tags::PhotometricInterpretation, "MONOCHROME2"));
  if (frames > 1) check(ds.set_int(tags::NumberOfFrames, VR::IS, frames));
  check(ds.set_int(tags::Rows, VR::US, kSize));
  check(ds.set_int(tags::Columns, VR::US, kSize));
  check(ds.set_int(tags::BitsAllocated, VR::US, 16));
  check(ds.set_int(tags::BitsStored, VR::US, 12));
  check(ds.set_int(tags::HighBit, VR::US, 11));
  check(ds.set_int(tags::PixelRepresentation, VR::US, 0));
  check(ds.set_double(tags::RescaleIntercept, VR::DS, -1024));
  check(ds.set_double(tags::RescaleSlope, VR::DS, 1));
  check(ds.set_bytes(tags::PixelData, VR::OW, pixels(frames, index)));
  return ds;
}

void write(const std::filesystem::path& path, const DataSet& ds) {
  auto meta = make_file_meta(ds, explicit_vr_little_endian().uid());
  check(meta.has_value() ? dcmkit::ofstd::Status{} : dcmkit::ofstd::Status{meta.error()});
  check(write_file(path, *meta, ds, explicit_vr_little_endian()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: make_synthetic multiframe|phantom8|phantom16 <file> <frames> | series "
                 "<dir> <count>\n");
    return 1;
  }
  const std::string mode = argv[1];
  const int count = std::stoi(argv[3]);
  if (mode == "multiframe") {
    write(argv[2], image(count, 0, "2.25.1111"));
  } else if (mode == "phantom8" || mode == "phantom16") {
    write(argv[2], phantom_image(count, mode == "phantom8" ? 8 : 16));
  } else if (mode == "series") {
    std::filesystem::create_directories(argv[2]);
    for (int i = 0; i < count; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "CT%04d.dcm", i + 1);
      write(std::filesystem::path(argv[2]) / name, image(1, i, "2.25.2222"));
    }
  } else {
    std::fprintf(stderr, "make_synthetic: unknown mode %s\n", mode.c_str());
    return 1;
  }
  return 0;
}

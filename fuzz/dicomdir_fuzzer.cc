// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for reading an existing DICOMDIR (DicomDirBuilder::from_existing(), the path of
// dcmmkdir +A / +U): the input is read as a file; whatever reads is loaded as a DICOMDIR or
// refused with an error (broken offsets, cycles, records of the wrong kind), never a crash or a
// hang. A loaded directory must take a new file (and an update of it), build, encode, and load
// again with the same number of records.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/dicomdir.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"

namespace {

using namespace dcmkit::dcmdata;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "dicomdir_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

// A small CT image to add to whatever directory was loaded.
DicomFile new_image() {
  DicomFile file;
  file.transfer_syntax = explicit_vr_little_endian();
  DataSet& ds = file.data;
  const auto text = [&ds](std::uint16_t group, std::uint16_t element, VR vr, const char* value) {
    if (!ds.set_string(Tag(group, element), vr, value)) fail("cannot build the image", value);
  };
  text(0x0008, 0x0016, VR::UI, "1.2.840.10008.5.1.4.1.1.2");
  text(0x0008, 0x0018, VR::UI, "1.2.3.4.5.6.7.8.9");
  text(0x0008, 0x0020, VR::DA, "20240101");
  text(0x0008, 0x0030, VR::TM, "120000");
  text(0x0008, 0x0050, VR::SH, "ACC1");
  text(0x0008, 0x0060, VR::CS, "CT");
  text(0x0010, 0x0010, VR::PN, "Fuzz^Patient");
  text(0x0010, 0x0020, VR::LO, "FUZZ1");
  text(0x0020, 0x000D, VR::UI, "1.2.3.4.5.6.7.1");
  text(0x0020, 0x000E, VR::UI, "1.2.3.4.5.6.7.2");
  text(0x0020, 0x0010, VR::SH, "1");
  text(0x0020, 0x0011, VR::IS, "1");
  text(0x0020, 0x0013, VR::IS, "1");
  auto meta = make_file_meta(ds, file.transfer_syntax.uid());
  if (!meta) fail("cannot build the image's meta information", meta.error().to_string());
  file.meta = std::move(*meta);
  file.has_meta = true;
  return file;
}

void check(const DicomFile& input, const DicomDirOptions& options) {
  auto loaded = DicomDirBuilder::from_existing(input, options);
  if (!loaded) return;
  const DicomFile image = new_image();
  for (const bool update : {false, true}) {
    const DicomDirAddResult added = loaded->add(image, "IMG\\FUZZ1", "fuzz image", update);
    (void)added;  // refusals (a clash with an existing record) are fine
  }
  auto built = loaded->build();
  if (!built) return;  // a value from the input that cannot be written back
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  if (!write_part10(sink, built->meta, built->data, explicit_vr_little_endian())) return;
  auto reread = read_bytes(SharedBytes::copy_of(bytes));
  if (!reread) fail("cannot read the DICOMDIR written", reread.error().to_string());
  auto again = DicomDirBuilder::from_existing(*reread, options);
  if (!again) fail("cannot load the DICOMDIR written", again.error().to_string());
  if (again->record_count() != loaded->record_count()) {
    fail("records changed through writing",
         std::to_string(loaded->record_count()) + " != " + std::to_string(again->record_count()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy the size of the input, so that reads past its end are caught by ASan.
  const SharedBytes input = SharedBytes::copy_of(std::span<const std::byte>(
      reinterpret_cast<const std::byte*>(data), size));  // NOLINT: byte view of the input
  ReadOptions read;
  read.max_inflated_size = 16 << 20;
  read.max_sequence_depth = 16;
  auto file = read_bytes(input, read);
  if (!file) return 0;
  DicomDirOptions options;
  check(*file, options);
  options.consistency = ConsistencyCheck::Abort;
  options.invent_attributes = true;
  options.profile = (size & 1) != 0 ? MediaProfile::CtAndMr : MediaProfile::GeneralPurpose;
  check(*file, options);
  return 0;
}

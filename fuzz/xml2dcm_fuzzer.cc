// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for read_xml() (xml2dcm's parser, both DCMTK's format and the PS3.19 Native
// model): any input reads or fails with an error, never a crash or a hang. Whatever reads must
// encode as DICOM and write as XML in both formats, and what is written must read back.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmdata/xml.h"

namespace {

using namespace dcmkit::dcmdata;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "xml2dcm_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check(std::string_view text, bool validate) {
  XmlReadOptions read;
  read.max_sequence_depth = 16;
  read.allow_file_references = false;  // never read local files named by the input
  read.validate = validate;
  auto doc = read_xml(text, read);
  if (!doc) return;
  auto encoded = encode_dataset(doc->data, explicit_vr_little_endian());
  if (!encoded) fail("cannot encode what was read", encoded.error().to_string());
  DicomFile file;
  file.data = doc->data;
  for (const XmlFormat format : {XmlFormat::Dcmtk, XmlFormat::Native}) {
    XmlWriteOptions write;
    write.format = format;
    write.binary_data = true;
    write.binary_encoding = XmlBinaryEncoding::Base64;
    write.max_loaded_length.reset();
    write.data_set_only = true;
    std::string xml;
    auto written = write_xml(xml, file, write);
    if (!written) continue;  // a value the writer refuses (e.g. a malformed binary value)
    XmlReadOptions again_options = read;
    again_options.validate = false;
    auto again = read_xml(xml, again_options);
    if (!again) fail("cannot read what was written", again.error().to_string() + "\n" + xml);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy the size of the input, so that reads past its end are caught by ASan.
  const std::string input(reinterpret_cast<const char*>(data), size);  // NOLINT: byte view
  check(input, false);
  check(input, (size & 1) != 0);
  return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for read_xml() (xml2dcm's parser, both DCMTK's format and the PS3.19 Native
// model): any input reads or fails with an error, never a crash or a hang. Whatever reads must
// encode as DICOM and write as XML in both formats (and the Native model with BulkData
// references), and what is written must read back.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmdata/xml.h"

namespace {

using namespace dcmkit::dcmdata;
namespace ofstd = dcmkit::ofstd;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "xml2dcm_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

// BulkData URIs of the input are read as hex digits ("7fe0..."), so that the input controls the
// bytes (e.g. an item stream of encapsulated pixel data) without naming local files.
ofstd::Result<SharedBytes> hex_bulk_data(std::string_view uri) {
  if (uri.size() % 2 != 0 || uri.size() > 1 << 16) {
    return ofstd::Error(ofstd::ErrorCode::NotFound, "not a hex bulk data URI");
  }
  std::vector<std::byte> bytes;
  for (std::size_t i = 0; i < uri.size(); i += 2) {
    unsigned value = 0;
    for (const char c : uri.substr(i, 2)) {
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<unsigned>(c - 'a' + 10);
      } else {
        return ofstd::Error(ofstd::ErrorCode::NotFound, "not a hex bulk data URI");
      }
    }
    bytes.push_back(static_cast<std::byte>(value));
  }
  return SharedBytes::from_vector(std::move(bytes));
}

void check(std::string_view text, bool validate) {
  XmlReadOptions read;
  read.max_sequence_depth = 16;
  read.allow_file_references = false;  // never read local files named by the input
  read.validate = validate;
  read.bulk_data_loader = hex_bulk_data;
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
  // The Native model with every binary value in bulk data (as dcm2xml -nat +Wb), read back.
  std::vector<SharedBytes> store;
  XmlWriteOptions bulk;
  bulk.format = XmlFormat::Native;
  bulk.data_set_only = true;
  bulk.bulk_data_writer = [&store](std::span<const std::byte> bytes) {
    store.push_back(SharedBytes::copy_of(bytes));
    return ofstd::Result<std::string>(std::to_string(store.size() - 1));
  };
  std::string xml;
  if (!write_xml(xml, file, bulk)) return;
  XmlReadOptions bulk_read = read;
  bulk_read.validate = false;
  bulk_read.bulk_data_loader = [&store](std::string_view uri) -> ofstd::Result<SharedBytes> {
    for (std::size_t i = 0; i < store.size(); ++i) {
      if (uri == std::to_string(i)) return store[i];
    }
    return ofstd::Error(ofstd::ErrorCode::NotFound, "unknown bulk data URI");
  };
  auto again = read_xml(xml, bulk_read);
  if (!again) fail("cannot read what was written with bulk data", again.error().to_string());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy the size of the input, so that reads past its end are caught by ASan.
  const std::string input(reinterpret_cast<const char*>(data), size);  // NOLINT: byte view
  check(input, false);
  check(input, (size & 1) != 0);
  return 0;
}

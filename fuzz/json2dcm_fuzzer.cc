// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for read_json() (json2dcm's parser): any input reads or fails with an error, never
// a crash. Whatever reads must encode as DICOM, write as JSON, and that JSON must read back to a
// data set whose JSON is the same text (the writer and the reader agree on everything the reader
// accepts).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dcmkit/dcmdata/json.h"
#include "dcmkit/dcmdata/writer.h"

namespace {

using namespace dcmkit::dcmdata;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "json2dcm_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check(std::string_view text, bool non_finite) {
  JsonReadOptions read;
  read.allow_non_finite = non_finite;
  read.max_sequence_depth = 16;
  read.bulk_data_loader = [](std::string_view uri) -> dcmkit::ofstd::Result<SharedBytes> {
    if (uri.size() % 3 == 0) {
      return dcmkit::ofstd::Error(dcmkit::ofstd::ErrorCode::NotFound, "no such bulk data");
    }
    return SharedBytes::copy_of(uri.substr(0, uri.size() & ~std::size_t{1}));
  };
  auto doc = read_json(text, read);
  if (!doc) return;
  auto encoded = encode_dataset(doc->data, explicit_vr_little_endian());
  if (!encoded) fail("cannot encode what was read", encoded.error().to_string());
  JsonWriteOptions write;
  write.pretty = (text.size() & 1) != 0;
  write.allow_non_finite = non_finite;
  std::string json;
  auto written = write_json(json, doc->data, write, &doc->meta);
  if (!written) fail("cannot write what was read", written.error().to_string());
  auto again = read_json(json, read);
  if (!again) fail("cannot read what was written", again.error().to_string() + "\n" + json);
  std::string twice;
  auto rewritten = write_json(twice, again->data, write, &again->meta);
  if (!rewritten) fail("cannot write what was read back", rewritten.error().to_string());
  if (twice != json) fail("JSON is not stable", json + "\n" + twice);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy the size of the input, so that reads past its end are caught by ASan.
  const std::string input(reinterpret_cast<const char*>(data), size);  // NOLINT: byte view
  check(input, false);
  check(input, true);
  return 0;
}

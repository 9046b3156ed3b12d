// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for read_bytes() (Part 10 detection, meta group, inflate, data set parser): the
// input is read leniently, strictly, with parse errors ignored, and with options picked by its
// hash. Whatever reads is dumped and
// re-encoded; the encoding must read again, and encode to the same bytes (the writer and the
// reader agree on every data set the reader can produce).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"

namespace {

using namespace dcmkit::dcmdata;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "read_file_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

void check(const SharedBytes& input, const ReadOptions& options) {
  auto file = read_bytes(input, options);
  if (!file) return;
  std::string text;
  dump_file(text, *file);
  auto encoded = encode_dataset(file->data, explicit_vr_little_endian());
  if (!encoded) fail("cannot encode what was read", encoded.error().to_string());
  const auto reread_bytes = SharedBytes::copy_of(*encoded);
  auto again = parse_dataset(reread_bytes, explicit_vr_little_endian());
  if (!again) fail("cannot read what was written", again.error().to_string());
  auto twice = encode_dataset(*again, explicit_vr_little_endian());
  if (!twice) fail("cannot encode what was read back", twice.error().to_string());
  if (*twice != *encoded) fail("encoding is not stable", std::to_string(encoded->size()));
}

// Reading options picked by a hash of the input (so that seeds stay plain files): each input
// is also read with a mix of the non-default options, which reach the reader's other paths.
ReadOptions options_for(std::span<const std::byte> input) {
  std::uint64_t hash = 14695981039346656037u;  // FNV-1a
  for (const std::byte b : input)
    hash = (hash ^ std::to_integer<std::uint64_t>(b)) * 1099511628211u;
  const auto bit = [&hash](int n) { return ((hash >> n) & 1u) != 0; };
  ReadOptions options;
  options.max_inflated_size = 64 << 20;
  options.strictness = bit(0) ? Strictness::Strict : Strictness::Lenient;
  options.use_explicit_vr = bit(1);
  options.convert_un_to_known_vr = bit(2);
  options.assume_even_length = bit(3);
  options.replace_wrong_delimiters = bit(4);
  options.convert_undefined_length_obow = bit(5);
  options.convert_illegal_voi_lut = bit(6);
  options.accept_explicit_length_pixel_data = bit(7);
  options.undefined_length_un_as_sequence = bit(8);
  options.max_length_private_as_sequence = bit(9);
  options.ignore_parse_errors = bit(10);
  options.deflate_has_zlib_header = bit(11);
  options.max_sequence_depth = bit(12) ? 2 : 64;
  options.transfer_syntax = static_cast<TransferSyntaxChoice>((hash >> 16) % 5);
  options.format = static_cast<FileFormatChoice>((hash >> 20) % 3);
  if (bit(24)) options.stop_before = Tag(static_cast<std::uint16_t>(hash >> 32), 0);
  if (bit(25)) options.stop_after = Tag(static_cast<std::uint16_t>(hash >> 40), 0x0010);
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A copy the size of the input, so that reads past its end are caught by ASan.
  const SharedBytes input = SharedBytes::copy_of(std::span<const std::byte>(
      reinterpret_cast<const std::byte*>(data), size));  // NOLINT: byte view of the input
  ReadOptions lenient;
  lenient.max_inflated_size = 64 << 20;  // deflate bombs stop here, not in the allocator
  check(input, lenient);
  ReadOptions strict = lenient;
  strict.strictness = Strictness::Strict;
  check(input, strict);
  ReadOptions recovering = lenient;
  recovering.ignore_parse_errors = true;
  check(input, recovering);
  check(input, options_for(input.span()));
  return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
// The corpus runner (STYLE.md 2.11): every file of the shared corpus ($DCMKIT_CORPUS_DIR, the
// files listed in its MANIFEST.tsv; by default ../shared/corpus next to the source tree) and of
// testdata/ is read, written in each transfer syntax it can be written in and read back, and
// rewritten in its own syntax. What happens to each file is compared with
// tests/corpus/expected.tsv, so that a change of behaviour shows as a reviewable diff:
//
//   DCMKIT_UPDATE_EXPECTED=1 ./dcmkit_corpus_tests --gtest_filter=CorpusTest.MatchesExpectedTable
//
// rewrites the table.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/dump.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "sha256.h"

namespace dcmkit::dcmdata {
namespace {

namespace fs = std::filesystem;
using ofstd::ErrorCode;

// --- The files ------------------------------------------------------------------------------

fs::path source_dir() {
  if (const char* env = std::getenv("DCMKIT_SOURCE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return DCMKIT_SOURCE_DIR;
}

std::optional<fs::path> corpus_dir() {
  fs::path dir;
  if (const char* env = std::getenv("DCMKIT_CORPUS_DIR"); env != nullptr && *env != '\0') {
    dir = env;
  } else {
    dir = source_dir() / ".." / "shared" / "corpus";
  }
  if (!fs::exists(dir / "MANIFEST.tsv")) return std::nullopt;
  return dir;
}

struct CorpusFile {
  std::string key;  // "corpus/<manifest path>" or "testdata/<path>"
  fs::path path;
};

std::vector<CorpusFile> list_files() {
  std::vector<CorpusFile> files;
  if (const auto dir = corpus_dir()) {
    std::ifstream manifest(*dir / "MANIFEST.tsv");
    std::string line;
    std::getline(manifest, line);  // header
    while (std::getline(manifest, line)) {
      const std::string path = line.substr(0, line.find('\t'));
      if (!path.empty()) files.push_back({"corpus/" + path, *dir / path});
    }
  }
  const fs::path testdata = source_dir() / "testdata";
  if (fs::exists(testdata)) {
    for (const auto& entry : fs::recursive_directory_iterator(testdata)) {
      const std::string extension = entry.path().extension().string();
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file() || extension == ".md" || extension == ".tsv" ||
          extension == ".txt" || name.find("LICENSE") != std::string::npos) {
        continue;
      }
      files.push_back(
          {"testdata/" + fs::relative(entry.path(), testdata).generic_string(), entry.path()});
    }
  }
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.key < b.key; });
  return files;
}

// gtest names a file by its key in test output.
void PrintTo(const CorpusFile& file, std::ostream* out) { *out << file.key; }

const std::vector<CorpusFile>& all_files() {
  static const std::vector<CorpusFile> files = list_files();
  return files;
}

// --- Comparing data sets --------------------------------------------------------------------

std::string compare(const DataSet& a, const DataSet& b, bool ignore_vr, const std::string& path);

// Values the writer computes from the encoding: group lengths, and the byte offsets by which a
// DICOMDIR addresses its records (PS3.3 §F.3.2.2), which move with the meta group's length.
bool is_encoding_dependent(Tag tag) {
  if (tag.is_group_length()) return true;
  switch (tag.to_u32()) {
    case 0x00041200:
    case 0x00041202:
    case 0x00041400:
    case 0x00041420:
    case 0x00041504:
      return true;
    default:
      return false;
  }
}

// Empty if equal, else where and how `a` and `b` differ. With `ignore_vr`, VRs may differ (a
// data set read in implicit VR has the dictionary's VRs).
std::string compare(const Element& a, const Element& b, bool ignore_vr, const std::string& path) {
  const std::string here = path + a.tag().to_string();
  // In implicit VR, a sequence of explicit length whose tag the dictionaries do not know (a
  // private one of an unknown creator, as in fo-dicom's GH220 and GH223) reads back as UN:
  // nothing in the encoding says that it holds items.
  if (ignore_vr && a.is_sequence() && b.kind() == ValueKind::Bytes && b.vr() == VR::UN) return {};
  if (a.kind() != b.kind()) return here + ": kind differs";
  if (!ignore_vr && a.vr() != b.vr()) {
    return here + ": VR " + std::string(to_string(a.vr())) + " became " +
           std::string(to_string(b.vr()));
  }
  switch (a.kind()) {
    case ValueKind::Sequence:
      if (a.items().size() != b.items().size()) return here + ": item count differs";
      for (std::size_t i = 0; i < a.items().size(); ++i) {
        std::string d =
            compare(a.items()[i], b.items()[i], ignore_vr, here + "[" + std::to_string(i) + "].");
        if (!d.empty()) return d;
      }
      return {};
    case ValueKind::Fragments:
      return a.fragments() == b.fragments() ? std::string() : here + ": fragments differ";
    case ValueKind::Bytes:
      if (is_encoding_dependent(a.tag())) return {};
      if (a.vr() == b.vr()) return a == b ? std::string() : here + ": value differs";
      return a.little_endian_bytes() == b.little_endian_bytes() ? std::string()
                                                                : here + ": value differs";
  }
  return {};
}

std::string compare(const DataSet& a, const DataSet& b, bool ignore_vr, const std::string& path) {
  auto ia = a.begin();
  auto ib = b.begin();
  for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
    if (ia->tag() != ib->tag()) {
      return path + (ia->tag() < ib->tag() ? ia->tag().to_string() + " missing"
                                           : ib->tag().to_string() + " added");
    }
    std::string d = compare(*ia, *ib, ignore_vr, path);
    if (!d.empty()) return d;
  }
  if (ia != a.end()) return path + ia->tag().to_string() + " missing";
  if (ib != b.end()) return path + ib->tag().to_string() + " added";
  return {};
}

bool has_encapsulated(const DataSet& ds) {
  for (const Element& e : ds) {
    if (e.is_encapsulated()) return true;
    for (const DataSet& item : e.items()) {
      if (has_encapsulated(item)) return true;
    }
  }
  return false;
}

// Encapsulated pixel data can only be written in an encapsulated syntax: such files are written
// in their own syntax only, others in every syntax the writer handles.
std::vector<TransferSyntax> writable_syntaxes(const DicomFile& file) {
  if (has_encapsulated(file.data)) return {file.transfer_syntax};
  return {implicit_vr_little_endian(), explicit_vr_little_endian(), explicit_vr_big_endian(),
          deflated_explicit_vr_little_endian()};
}

ofstd::Result<DicomFile> write_then_read(const DicomFile& file, const DataSet& data,
                                         const TransferSyntax& ts, const WriteOptions& options) {
  DCMKIT_ASSIGN_OR_RETURN(const DataSet meta, make_file_meta(data, ts.uid(), {}, &file.meta));
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  DCMKIT_TRY(write_part10(sink, meta, data, ts, options));
  return read_bytes(SharedBytes::from_vector(std::move(bytes)));
}

// --- Per-file round trips -------------------------------------------------------------------

class CorpusFileTest : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(CorpusFileTest, RoundTripsInEveryWritableSyntax) {
  auto file = read_file(GetParam().path);
  if (!file) GTEST_SKIP() << "not readable: " << file.error().to_string() << " (see expected.tsv)";
  for (const TransferSyntax& ts : writable_syntaxes(*file)) {
    SCOPED_TRACE(std::string(ts.name()));
    // Exact: odd values stay odd, so that the values compare byte for byte.
    WriteOptions exact;
    exact.pad_odd_lengths = false;
    auto again = write_then_read(*file, file->data, ts, exact);
    ASSERT_TRUE(again.has_value()) << again.error().to_string();
    EXPECT_EQ(again->transfer_syntax, ts);
    EXPECT_EQ(compare(file->data, again->data, !ts.is_explicit_vr(), ""), "");
    // Conformant: values are padded once; a second round trip changes nothing.
    auto padded = write_then_read(*file, file->data, ts, {});
    ASSERT_TRUE(padded.has_value()) << padded.error().to_string();
    auto twice = write_then_read(*padded, padded->data, ts, {});
    ASSERT_TRUE(twice.has_value()) << twice.error().to_string();
    EXPECT_EQ(compare(padded->data, twice->data, false, ""), "");
  }
}

TEST_P(CorpusFileTest, DumpsWhatItReads) {
  auto file = read_file(GetParam().path);
  if (!file) GTEST_SKIP() << "not readable";
  std::string text;
  dump_file(text, *file);
  EXPECT_FALSE(text.empty());
}

std::string test_name(const ::testing::TestParamInfo<CorpusFile>& info) {
  std::string name = info.param.key;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, CorpusFileTest, ::testing::ValuesIn(all_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CorpusFileTest);

// --- The expected table ---------------------------------------------------------------------

std::string code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument:
      return "InvalidArgument";
    case ErrorCode::MalformedData:
      return "MalformedData";
    case ErrorCode::Unsupported:
      return "Unsupported";
    case ErrorCode::NotFound:
      return "NotFound";
    case ErrorCode::LimitExceeded:
      return "LimitExceeded";
    case ErrorCode::IoError:
      return "IoError";
    case ErrorCode::Network:
      return "Network";
    case ErrorCode::Internal:
      return "Internal";
  }
  return "?";
}

bool any_diagnostic(const DicomFile& file, std::string_view part) {
  return std::any_of(file.diagnostics.begin(), file.diagnostics.end(), [&](const Diagnostic& d) {
    return d.message.find(part) != std::string::npos;
  });
}

// True if a top-level group length (gggg,0000) of the file is not what the writer computes.
bool has_wrong_group_length(const DicomFile& file) {
  if (file.transfer_syntax.is_deflated()) return false;
  for (const Element& length : file.data) {
    if (!length.tag().is_group_length()) continue;
    DataSet group;
    for (const Element& e : file.data) {
      if (e.tag().group() == length.tag().group() && !e.tag().is_group_length()) group.insert(e);
    }
    const auto value = length.as_uint();
    if (!value || *value != encoded_length(group, file.transfer_syntax)) return true;
  }
  return false;
}

// "yes" if rewriting the file in its own syntax with default options gives the input bytes
// (for deflated files: the same meta group and inflated data set, as deflate streams depend on
// the compressor); otherwise "no: <why>".
std::string bit_exactness(const DicomFile& file) {
  std::vector<std::byte> out;
  VectorSink sink(out);
  std::span<const std::byte> expected = file.source.span();
  ofstd::Status status;
  if (file.transfer_syntax.is_deflated()) {
    WriteOptions options;
    options.write_preamble = file.has_preamble;
    status = write_part10(sink, file.meta, DataSet(), explicit_vr_little_endian(), options,
                          file.preamble.span());
    if (status) status = write_dataset(sink, file.data, explicit_vr_little_endian());
    std::vector<std::byte> reference(
        expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(file.data_set_offset));
    reference.insert(reference.end(), file.inflated.span().begin(), file.inflated.span().end());
    if (status && out == reference) return "yes";
  } else if (file.has_meta) {
    WriteOptions options;
    options.write_preamble = file.has_preamble;
    status = write_part10(sink, file.meta, file.data, file.transfer_syntax, options,
                          file.preamble.span());
  } else {
    status = write_dataset(sink, file.data, file.transfer_syntax);
  }
  if (!status) return "no: write fails: " + status.error().message();
  if (!file.transfer_syntax.is_deflated() &&
      std::equal(out.begin(), out.end(), expected.begin(), expected.end())) {
    return "yes";
  }
  // Why not, from what the reader reported.
  std::vector<std::string> reasons;
  if (any_diagnostic(file, "odd value length")) reasons.emplace_back("odd lengths padded");
  if (any_diagnostic(file, "Group Length is")) reasons.emplace_back("meta group length fixed");
  if (any_diagnostic(file, "without the 128-byte preamble")) {
    reasons.emplace_back("DICM without preamble");
  }
  if (any_diagnostic(file, "occurs twice")) reasons.emplace_back("duplicate dropped");
  if (any_diagnostic(file, "non-standard VR")) reasons.emplace_back("non-standard VR as UN");
  if (has_wrong_group_length(file)) reasons.emplace_back("group length fixed");
  if (reasons.empty()) {
    std::size_t at = 0;
    while (at < out.size() && at < expected.size() && out[at] == expected[at]) ++at;
    reasons.push_back("first difference at offset " + std::to_string(at));
  }
  std::string text = "no:";
  for (std::size_t i = 0; i < reasons.size(); ++i) text += (i == 0 ? " " : ", ") + reasons[i];
  return text;
}

// file, result, diagnostics, bit-exact rewrite, SHA-256 of the data set in explicit VR LE.
std::string table_row(const CorpusFile& f) {
  auto file = read_file(f.path);
  if (!file) return f.key + "\t" + code_name(file.error().code()) + "\t-\t-\t-";
  auto encoded = encode_dataset(file->data, explicit_vr_little_endian());
  const std::string sha =
      encoded ? dcmkit::testing::Sha256::of(*encoded) : "write fails: " + encoded.error().message();
  return f.key + "\tok\t" + std::to_string(file->diagnostics.size()) + "\t" + bit_exactness(*file) +
         "\t" + sha;
}

constexpr std::string_view kTableHeader =
    "# file\tresult\tdiagnostics\tbit_exact_rewrite\tsha256_explicit_le_data_set";

TEST(CorpusTest, MatchesExpectedTable) {
  if (!corpus_dir()) GTEST_SKIP() << "no corpus (set DCMKIT_CORPUS_DIR)";
  std::vector<std::string> actual;
  for (const CorpusFile& f : all_files()) actual.push_back(table_row(f));

  const fs::path table = source_dir() / "tests" / "corpus" / "expected.tsv";
  if (const char* update = std::getenv("DCMKIT_UPDATE_EXPECTED");
      update != nullptr && std::string_view(update) == "1") {
    std::ofstream out(table);
    out << kTableHeader << "\n";
    for (const std::string& row : actual) out << row << "\n";
    GTEST_SKIP() << "wrote " << table;
  }

  std::map<std::string, std::string> expected;
  std::ifstream in(table);
  ASSERT_TRUE(in.good()) << "missing " << table << "; run with DCMKIT_UPDATE_EXPECTED=1";
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    expected[line.substr(0, line.find('\t'))] = line;
  }
  std::ostringstream diff;
  std::size_t changes = 0;
  for (const std::string& row : actual) {
    const std::string key = row.substr(0, row.find('\t'));
    const auto it = expected.find(key);
    if (it == expected.end()) {
      diff << "+ " << row << "\n";
      ++changes;
    } else {
      if (it->second != row) {
        diff << "- " << it->second << "\n+ " << row << "\n";
        ++changes;
      }
      expected.erase(it);
    }
  }
  for (const auto& [key, row] : expected) {
    diff << "- " << row << "\n";
    ++changes;
  }
  EXPECT_EQ(changes, 0u) << "tests/corpus/expected.tsv differs (rerun with "
                            "DCMKIT_UPDATE_EXPECTED=1 if the change is intended):\n"
                         << diff.str();
}

TEST(CorpusTest, Sha256MatchesKnownDigests) {
  using dcmkit::testing::Sha256;
  EXPECT_EQ(Sha256::of({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string abc = "abc";
  EXPECT_EQ(Sha256::of(std::as_bytes(std::span(abc))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Two blocks, and a length that needs the padding in a block of its own.
  const std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(Sha256::of(std::as_bytes(std::span(two))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const std::string million(1000000, 'a');
  EXPECT_EQ(Sha256::of(std::as_bytes(std::span(million))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// --- Sweeps over small corpus files -------------------------------------------------------

// Reads, and for what reads, dumps and re-encodes: none of it may crash (under ASan/UBSan
// neither may it touch memory it should not).
void exercise(const SharedBytes& bytes) {
  for (const Strictness strictness : {Strictness::Lenient, Strictness::Strict}) {
    ReadOptions options;
    options.strictness = strictness;
    options.max_inflated_size = 1 << 24;
    auto file = read_bytes(bytes, options);
    if (!file) continue;
    std::string text;
    dump_file(text, *file);
    auto encoded = encode_dataset(file->data, explicit_vr_little_endian());
    if (encoded) {
      auto again =
          parse_dataset(SharedBytes::from_vector(std::move(*encoded)), explicit_vr_little_endian());
      (void)again;
    }
  }
}

TEST(CorpusSweepTest, SurvivesTruncationAndByteFlipsOfSmallFiles) {
  if (!corpus_dir()) GTEST_SKIP() << "no corpus (set DCMKIT_CORPUS_DIR)";
  std::size_t swept = 0;
  for (const CorpusFile& f : all_files()) {
    if (f.key.rfind("corpus/", 0) != 0 || fs::file_size(f.path) > 2500) continue;
    SCOPED_TRACE(f.key);
    std::ifstream in(f.path, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    const auto* data = reinterpret_cast<const std::byte*>(content.data());  // NOLINT
    const std::span<const std::byte> all(data, content.size());
    // Every prefix, copied so that ASan sees reads past its end.
    for (std::size_t n = 0; n < all.size(); ++n) exercise(SharedBytes::copy_of(all.first(n)));
    // Every byte of the first 400, flipped and set to 0x00 and 0xFF.
    std::vector<std::byte> copy(all.begin(), all.end());
    for (std::size_t i = 0; i < std::min<std::size_t>(copy.size(), 400); ++i) {
      const std::byte original = copy[i];
      for (const std::byte value : {~original, std::byte{0}, std::byte{0xFF}}) {
        copy[i] = value;
        exercise(SharedBytes::copy_of(copy));
      }
      copy[i] = original;
    }
    ++swept;
  }
  EXPECT_GE(swept, 5u);
}

}  // namespace
}  // namespace dcmkit::dcmdata

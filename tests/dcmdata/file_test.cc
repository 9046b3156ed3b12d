// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data_set_printer.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/writer.h"
#include "encoding_builder.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;
using testing::EncodingBuilder;
using testing::kExplicitBig;
using testing::kExplicitLittle;
using testing::kImplicitLittle;
using testing::Length;
using testing::part10;
using testing::Part10Layout;
using namespace std::string_view_literals;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

bool has_diagnostic(const DicomFile& file, std::string_view part) {
  for (const Diagnostic& d : file.diagnostics) {
    if (contains(d.message, part)) return true;
  }
  return false;
}

std::string diagnostics_text(const DicomFile& file) {
  std::string out;
  for (const Diagnostic& d : file.diagnostics) out += d.to_string() + "\n";
  return out;
}

// A small data set whose first element is (0008,0008), so that the detection of a bare data set
// sees a group number that differs between the byte orders.
EncodingBuilder small_data_set(testing::Encoding encoding) {
  EncodingBuilder b(encoding);
  b.text(tags::ImageType, VR::CS, "ORIGINAL\\PRIMARY");
  b.text(tags::SOPClassUID, VR::UI, "1.2.840.10008.5.1.4.1.1.7\0"sv);
  b.text(tags::SOPInstanceUID, VR::UI, "1.2.3.4\0"sv);
  b.begin_sequence(tags::ReferencedImageSequence, Length::Undefined);
  b.begin_item(Length::Defined).text(tags::ReferencedSOPInstanceUID, VR::UI, "1.2\0"sv).end_item();
  b.end_sequence();
  b.text(tags::PatientName, VR::PN, "Doe^Jane");
  b.us(tags::Rows, {0x0102});
  return b;
}

ofstd::Result<DicomFile> read(const std::vector<std::byte>& bytes,
                              const ReadOptions& options = {}) {
  return read_bytes(SharedBytes::copy_of(bytes), options);
}

std::vector<std::byte> deflate(std::span<const std::byte> bytes, bool zlib_header = false) {
  std::vector<std::byte> out;
  VectorSink sink(out);
  auto deflater = DeflateSink::create(sink, 6, zlib_header);
  EXPECT_TRUE(deflater.has_value());
  EXPECT_TRUE((*deflater)->write(bytes).has_value());
  EXPECT_TRUE((*deflater)->finish().has_value());
  return out;
}

// --- Part 10 detection ------------------------------------------------------------------

TEST(FileTest, ReadsAPart10FileWithPreambleAndMeta) {
  const EncodingBuilder data = small_data_set(kExplicitLittle);
  const auto bytes = part10(ts_uids::kExplicitVRLittleEndian, data.bytes());
  auto file = read(bytes);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(file->has_preamble);
  EXPECT_TRUE(file->has_meta);
  EXPECT_EQ(file->preamble.size(), 128u);
  EXPECT_TRUE(file->diagnostics.empty()) << diagnostics_text(*file);
  EXPECT_EQ(file->transfer_syntax, explicit_vr_little_endian());
  EXPECT_EQ(file->meta.get_uid(Tag(0x0002, 0x0010)).value().str(),
            ts_uids::kExplicitVRLittleEndian);
  EXPECT_EQ(file->data.get_string(tags::PatientName).value(), "Doe^Jane");
  EXPECT_EQ(file->data_set_offset, bytes.size() - data.size());
  const auto encoded = file->encoded_data_set();
  EXPECT_TRUE(std::equal(encoded.begin(), encoded.end(), data.bytes().begin(), data.bytes().end()));
  EXPECT_FALSE(file->stopped_early);
}

TEST(FileTest, ReadsDicmWithoutPreambleWithADiagnostic) {
  const auto bytes = part10(ts_uids::kExplicitVRLittleEndian,
                            small_data_set(kExplicitLittle).bytes(), Part10Layout{false, true});
  auto file = read(bytes);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_FALSE(file->has_preamble);
  EXPECT_TRUE(file->has_meta);
  EXPECT_TRUE(has_diagnostic(*file, "without the 128-byte preamble")) << diagnostics_text(*file);
  EXPECT_TRUE(file->data.contains(tags::Rows));
}

TEST(FileTest, ReadsMetaWithoutPreambleAndDicmWithADiagnostic) {
  const auto bytes = part10(ts_uids::kImplicitVRLittleEndian,
                            small_data_set(kImplicitLittle).bytes(), Part10Layout{false, false});
  auto file = read(bytes);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(file->has_meta);
  EXPECT_TRUE(has_diagnostic(*file, "without preamble and \"DICM\"")) << diagnostics_text(*file);
  EXPECT_EQ(file->transfer_syntax, implicit_vr_little_endian());
  EXPECT_EQ(file->data.get_int(tags::Rows).value(), 0x0102);
}

TEST(FileTest, DetectsTheSyntaxOfBareDataSets) {
  for (const auto& [encoding, ts] : {std::pair{kImplicitLittle, implicit_vr_little_endian()},
                                     std::pair{kExplicitLittle, explicit_vr_little_endian()},
                                     std::pair{kExplicitBig, explicit_vr_big_endian()}}) {
    auto file = read(small_data_set(encoding).bytes());
    ASSERT_TRUE(file.has_value()) << ts.name() << ": " << file.error().to_string();
    EXPECT_FALSE(file->has_meta);
    EXPECT_FALSE(file->has_preamble);
    EXPECT_EQ(file->transfer_syntax, ts) << ts.name();
    EXPECT_EQ(file->data.get_int(tags::Rows).value(), 0x0102) << ts.name();
    EXPECT_EQ(file->data.find(tags::ReferencedImageSequence)->items().size(), 1u);
    EXPECT_TRUE(file->diagnostics.empty()) << diagnostics_text(*file);
  }
}

TEST(FileTest, ReadsDicmAtOffset128WithoutMetaAsADataSet) {
  std::string name(120, 'A');
  name.replace(104, 4, "DICM");  // at offset 24 + 104 = 128 of the data set
  EncodingBuilder b(kExplicitLittle);
  b.text(tags::StudyDate, VR::DA, "20240101").text(tags::PatientName, VR::PN, name);
  ASSERT_EQ(std::memcmp(b.bytes().data() + 128, "DICM", 4), 0);
  auto file = read(b.bytes());
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_FALSE(file->has_meta);
  EXPECT_TRUE(has_diagnostic(*file, "not followed by meta information")) << diagnostics_text(*file);
  EXPECT_EQ(file->data.get_string(tags::PatientName).value(), name);
}

TEST(FileTest, FileOnlyRejectsABareDataSet) {
  ReadOptions options;
  options.format = FileFormatChoice::FileOnly;
  auto file = read(small_data_set(kExplicitLittle).bytes(), options);
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(file.error().to_string(), "not a DICOM file"));
}

TEST(FileTest, DataSetOnlyReadsGroup0002AsData) {
  EncodingBuilder b = testing::meta_group(ts_uids::kExplicitVRLittleEndian);
  b.raw(small_data_set(kExplicitLittle).bytes());
  ReadOptions options;
  options.format = FileFormatChoice::DataSetOnly;
  auto file = read(b.bytes(), options);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_FALSE(file->has_meta);
  EXPECT_TRUE(file->meta.empty());
  EXPECT_TRUE(file->data.contains(Tag(0x0002, 0x0010)));
  EXPECT_TRUE(file->data.contains(tags::Rows));
}

TEST(FileTest, ForcesTheDataSetSyntaxWhenAsked) {
  // The meta header claims explicit VR; the data set is implicit VR.
  const auto bytes =
      part10(ts_uids::kExplicitVRLittleEndian, small_data_set(kImplicitLittle).bytes());
  EXPECT_FALSE(read(bytes).has_value());
  for (const auto choice : {TransferSyntaxChoice::ImplicitLittle, TransferSyntaxChoice::Detect}) {
    ReadOptions options;
    options.transfer_syntax = choice;
    auto file = read(bytes, options);
    ASSERT_TRUE(file.has_value()) << file.error().to_string();
    EXPECT_EQ(file->transfer_syntax, implicit_vr_little_endian());
    EXPECT_EQ(file->data.get_int(tags::Rows).value(), 0x0102);
  }
  ReadOptions big;
  big.transfer_syntax = TransferSyntaxChoice::ExplicitBig;
  auto file =
      read(part10(ts_uids::kExplicitVRLittleEndian, small_data_set(kExplicitBig).bytes()), big);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_EQ(file->data.get_int(tags::Rows).value(), 0x0102);
  ReadOptions little;
  little.transfer_syntax = TransferSyntaxChoice::ExplicitLittle;
  file = read(part10(ts_uids::kImplicitVRLittleEndian, small_data_set(kExplicitLittle).bytes()),
              little);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_EQ(file->transfer_syntax, explicit_vr_little_endian());
}

TEST(FileTest, ReportsAMissingMetaGroupLength) {
  Part10Layout layout;
  layout.meta_group_length = false;
  auto file = read(
      part10(ts_uids::kExplicitVRLittleEndian, small_data_set(kExplicitLittle).bytes(), layout));
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(has_diagnostic(*file, "Group Length is missing")) << diagnostics_text(*file);
  EXPECT_TRUE(file->data.contains(tags::Rows));
}

TEST(FileTest, ReportsAWrongMetaGroupLength) {
  auto bytes = part10(ts_uids::kExplicitVRLittleEndian, small_data_set(kExplicitLittle).bytes());
  bytes[132 + 8] = std::byte{2};  // the value of (0002,0000)
  auto file = read(bytes);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(has_diagnostic(*file, "Group Length is 2 but the group has"))
      << diagnostics_text(*file);
  EXPECT_TRUE(file->data.contains(tags::Rows));
}

TEST(FileTest, ReportsMetaInformationInImplicitVrAndFailsStrictly) {
  EncodingBuilder meta(kImplicitLittle);
  meta.begin_group(0x0002);
  meta.text(Tag(0x0002, 0x0010), VR::UI, "1.2.840.10008.1.2\0"sv);
  meta.end_group();
  EncodingBuilder b(kExplicitLittle);
  b.zeros(128).raw("DICM").raw(meta.bytes()).raw(small_data_set(kImplicitLittle).bytes());
  auto file = read(b.bytes());
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(has_diagnostic(*file, "File Meta Information in implicit VR"));
  EXPECT_EQ(file->meta.get_uid(Tag(0x0002, 0x0010)).value().str(), "1.2.840.10008.1.2");
  EXPECT_EQ(file->data.get_int(tags::Rows).value(), 0x0102);
  ReadOptions options;
  options.strictness = Strictness::Strict;
  auto strict = read(b.bytes(), options);
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(strict.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(strict.error().to_string(), "offset 132"));
}

TEST(FileTest, DetectsTheSyntaxWhenTheMetaHasNoTransferSyntaxUid) {
  EncodingBuilder meta(kExplicitLittle);
  meta.begin_group(0x0002);
  meta.element(Tag(0x0002, 0x0001), VR::OB, testing::byte_vector({0, 1}));
  meta.end_group();
  EncodingBuilder b(kExplicitLittle);
  b.zeros(128).raw("DICM").raw(meta.bytes()).raw(small_data_set(kImplicitLittle).bytes());
  auto file = read(b.bytes());
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(has_diagnostic(*file, "Transfer Syntax UID missing")) << diagnostics_text(*file);
  EXPECT_EQ(file->transfer_syntax, implicit_vr_little_endian());
}

TEST(FileTest, ReadsAnUnknownTransferSyntaxAsExplicitLittleEndian) {
  auto file = read(part10("1.2.3.4.5.6", small_data_set(kExplicitLittle).bytes()));
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_FALSE(file->transfer_syntax.is_known());
  EXPECT_TRUE(has_diagnostic(*file, "unknown transfer syntax 1.2.3.4.5.6"));
  EXPECT_TRUE(file->data.contains(tags::Rows));
}

TEST(FileTest, FailsWhenAMetaElementLengthExceedsTheInput) {
  EncodingBuilder b(kExplicitLittle);
  b.zeros(128).raw("DICM");
  b.text(Tag(0x0002, 0x0001), VR::OB, "\0\1"sv);
  const std::size_t at = b.size();
  b.header(Tag(0x0002, 0x0010), VR::UI, 64).raw("1.2");
  auto file = read(b.bytes());
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(file.error().to_string(), "offset " + std::to_string(at) + ", (0002,0010)"))
      << file.error().to_string();
}

TEST(FileTest, FailsOnMalformedMetaContent) {
  EncodingBuilder b(kExplicitLittle);
  b.zeros(128).raw("DICM");
  // A sequence of defined length, which the scan for the end of the group skips, holding
  // something other than an item.
  b.header(Tag(0x0002, 0x0100), VR::SQ, 8).tag(tags::ImageType).u32(0);
  auto file = read(b.bytes());
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(file.error().to_string(), "File Meta Information"))
      << file.error().to_string();
}

TEST(FileTest, FailsOnEmptyInput) {
  auto file = read_bytes(SharedBytes());
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::MalformedData);
}

TEST(FileTest, PassesDataSetErrorsOnWithTheirFileOffset) {
  EncodingBuilder data(kExplicitLittle);
  data.header(tags::PatientName, VR::PN, 100);
  const auto bytes = part10(ts_uids::kExplicitVRLittleEndian, data.bytes());
  auto file = read(bytes);
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(file.error().to_string(),
                       "offset " + std::to_string(bytes.size() - 8) + ", (0010,0010)"))
      << file.error().to_string();
}

TEST(FileTest, StopsEarlyAndKeepsRecoveredErrors) {
  EncodingBuilder data = small_data_set(kExplicitLittle);
  data.header(tags::PixelData, VR::OW, 100);
  const auto bytes = part10(ts_uids::kExplicitVRLittleEndian, data.bytes());
  ReadOptions stop;
  stop.stop_before = tags::PixelData;
  auto file = read(bytes, stop);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(file->stopped_early);
  EXPECT_FALSE(file->data.contains(tags::PixelData));
  EXPECT_EQ(file->meta.size(), 6u);  // stop_before does not apply to the meta group

  ReadOptions recover;
  recover.ignore_parse_errors = true;
  file = read(bytes, recover);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  ASSERT_TRUE(file->recovered_error.has_value());
  EXPECT_TRUE(file->data.contains(tags::Rows));
}

// --- Deflate ------------------------------------------------------------------------------

TEST(FileTest, ReadsDeflatedFilesWrittenByTheWriter) {
  auto original = read(small_data_set(kExplicitLittle).bytes());
  ASSERT_TRUE(original.has_value());
  auto meta = make_file_meta(original->data, ts_uids::kDeflatedExplicitVRLittleEndian);
  ASSERT_TRUE(meta.has_value()) << meta.error().to_string();
  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  ASSERT_TRUE(
      write_part10(sink, *meta, original->data, deflated_explicit_vr_little_endian()).has_value());
  auto file = read(bytes);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_EQ(file->transfer_syntax, deflated_explicit_vr_little_endian());
  EXPECT_EQ(file->data, original->data);
  EXPECT_TRUE(file->diagnostics.empty()) << diagnostics_text(*file);
  // encoded_data_set() is still deflated; the inflated bytes are the explicit VR encoding.
  auto inflated = inflate_bytes(file->encoded_data_set(), false, 1 << 20);
  ASSERT_TRUE(inflated.has_value());
  EXPECT_EQ(*inflated, encode_dataset(original->data, explicit_vr_little_endian()).value());
  EXPECT_EQ(file->inflated.size(), inflated->size());
}

TEST(FileTest, ReadsDeflateWithAZlibHeaderWhenAsked) {
  const EncodingBuilder data = small_data_set(kExplicitLittle);
  const auto bytes = part10(ts_uids::kDeflatedExplicitVRLittleEndian, deflate(data.bytes(), true));
  ReadOptions options;
  options.deflate_has_zlib_header = true;
  auto file = read(bytes, options);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(file->data.contains(tags::Rows));
  auto raw = read(bytes);
  ASSERT_FALSE(raw.has_value());
  EXPECT_EQ(raw.error().code(), ErrorCode::MalformedData);
}

TEST(FileTest, FailsOnACorruptDeflateStream) {
  auto bytes = part10(ts_uids::kDeflatedExplicitVRLittleEndian, testing::as_byte_span("\xff\xff"));
  auto file = read(bytes);
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::MalformedData);
  EXPECT_TRUE(contains(file.error().to_string(), "cannot inflate"));
}

TEST(FileTest, FailsWhenTheInflatedDataSetExceedsTheLimit) {
  const EncodingBuilder data = small_data_set(kExplicitLittle);
  const auto bytes = part10(ts_uids::kDeflatedExplicitVRLittleEndian, deflate(data.bytes()));
  ReadOptions options;
  options.max_inflated_size = data.size() - 1;
  auto file = read(bytes, options);
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::LimitExceeded);
  options.max_inflated_size = data.size();
  EXPECT_TRUE(read(bytes, options).has_value());
}

TEST(InflateBytesTest, AcceptsExactlyTheLimitAndRejectsOneByteMore) {
  const std::vector<std::byte> plain(101, std::byte{'a'});
  const auto deflated = deflate(plain);
  auto exact = inflate_bytes(deflated, false, 101);
  ASSERT_TRUE(exact.has_value());
  EXPECT_EQ(*exact, plain);
  auto over = inflate_bytes(deflated, false, 100);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), ErrorCode::LimitExceeded);
  auto zero = inflate_bytes(deflated, false, 0);
  ASSERT_FALSE(zero.has_value());
  EXPECT_EQ(zero.error().code(), ErrorCode::LimitExceeded);
}

TEST(InflateBytesTest, AcceptsAnUnlimitedSize) {
  std::vector<std::byte> plain(300000);
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] = static_cast<std::byte>(i * 7 % 251);
  auto inflated = inflate_bytes(deflate(plain), false, std::numeric_limits<std::uint64_t>::max());
  ASSERT_TRUE(inflated.has_value()) << inflated.error().to_string();
  EXPECT_EQ(*inflated, plain);
}

TEST(InflateBytesTest, StopsAHighlyCompressedBombAtTheLimit) {
  const std::vector<std::byte> zeros(8 << 20);
  const auto deflated = deflate(zeros);
  ASSERT_LT(deflated.size(), 20000u);
  auto inflated = inflate_bytes(deflated, false, 1 << 20);
  ASSERT_FALSE(inflated.has_value());
  EXPECT_EQ(inflated.error().code(), ErrorCode::LimitExceeded);
}

TEST(InflateBytesTest, ReadsZlibWrappedStreams) {
  const std::vector<std::byte> plain(1000, std::byte{'z'});
  auto inflated = inflate_bytes(deflate(plain, true), true, 1 << 20);
  ASSERT_TRUE(inflated.has_value());
  EXPECT_EQ(*inflated, plain);
}

TEST(InflateBytesTest, FailsOnCorruptStreams) {
  auto inflated = inflate_bytes(testing::as_byte_span("\xff\xff\xff\xff"), false, 1 << 20);
  ASSERT_FALSE(inflated.has_value());
  EXPECT_EQ(inflated.error().code(), ErrorCode::MalformedData);
  auto bad_header = inflate_bytes(testing::as_byte_span("\x78\x02\xff\xff"sv), true, 1 << 20);
  ASSERT_FALSE(bad_header.has_value());
  EXPECT_EQ(bad_header.error().code(), ErrorCode::MalformedData);
}

TEST(InflateBytesTest, KeepsWhatWasInflatedFromATruncatedStream) {
  std::vector<std::byte> plain(5000);
  std::uint32_t state = 1;
  for (auto& b : plain) {
    state = state * 1103515245u + 12345u;
    b = static_cast<std::byte>(state >> 24);
  }
  auto deflated = deflate(plain);
  deflated.resize(deflated.size() / 2);
  auto inflated = inflate_bytes(deflated, false, 1 << 20);
  ASSERT_TRUE(inflated.has_value()) << inflated.error().to_string();
  EXPECT_LT(inflated->size(), plain.size());
  EXPECT_TRUE(std::equal(inflated->begin(), inflated->end(), plain.begin()));
}

// --- Files on disk ----------------------------------------------------------------------

class FileOnDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("dcmkit_file_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::filesystem::path directory_;
};

TEST_F(FileOnDiskTest, ReadsAFileMappedOrIntoMemory) {
  const auto bytes =
      part10(ts_uids::kExplicitVRLittleEndian, small_data_set(kExplicitLittle).bytes());
  const auto path = directory_ / "a.dcm";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),  // NOLINT
             static_cast<std::streamsize>(bytes.size()));
  for (const bool avoid_mmap : {false, true}) {
    ReadOptions options;
    options.avoid_mmap = avoid_mmap;
    auto file = read_file(path, options);
    ASSERT_TRUE(file.has_value()) << file.error().to_string();
    EXPECT_EQ(file->source.size(), bytes.size());
    EXPECT_EQ(file->data.get_string(tags::PatientName).value(), "Doe^Jane");
  }
}

TEST_F(FileOnDiskTest, FailsWithNotFoundForAMissingFile) {
  auto file = read_file(directory_ / "missing.dcm");
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code(), ErrorCode::NotFound);
}

// --- make_file_meta ---------------------------------------------------------------------

TEST(MakeFileMetaTest, BuildsMetaInformationThatReadsBackWithoutDiagnostics) {
  DataSet data;
  ASSERT_TRUE(data.set_string(tags::SOPClassUID, "1.2.840.10008.5.1.4.1.1.7").has_value());
  ASSERT_TRUE(data.set_string(tags::SOPInstanceUID, "1.2.3.4.5").has_value());
  auto meta = make_file_meta(data, ts_uids::kExplicitVRLittleEndian, "STORESCU");
  ASSERT_TRUE(meta.has_value()) << meta.error().to_string();
  EXPECT_EQ(meta->find(Tag(0x0002, 0x0001))->bytes().size(), 2u);
  EXPECT_EQ(meta->get_uid(Tag(0x0002, 0x0002)).value().str(), "1.2.840.10008.5.1.4.1.1.7");
  EXPECT_EQ(meta->get_uid(Tag(0x0002, 0x0003)).value().str(), "1.2.3.4.5");
  EXPECT_EQ(meta->get_uid(Tag(0x0002, 0x0010)).value().str(), ts_uids::kExplicitVRLittleEndian);
  EXPECT_EQ(meta->get_uid(Tag(0x0002, 0x0012)).value().str(), kImplementationClassUid);
  EXPECT_EQ(meta->get_string(Tag(0x0002, 0x0013)).value(), kImplementationVersionName);
  EXPECT_EQ(meta->get_string(Tag(0x0002, 0x0016)).value(), "STORESCU");

  std::vector<std::byte> bytes;
  VectorSink sink(bytes);
  ASSERT_TRUE(write_part10(sink, *meta, data, explicit_vr_little_endian()).has_value());
  auto file = read(bytes);
  ASSERT_TRUE(file.has_value()) << file.error().to_string();
  EXPECT_TRUE(file->diagnostics.empty()) << diagnostics_text(*file);
  // The group length make_file_meta computed is the one the writer writes.
  EXPECT_EQ(file->meta, *meta);
}

TEST(MakeFileMetaTest, TakesMissingSopUidsFromThePreviousMeta) {
  DataSet data;  // a DICOMDIR has no SOP UIDs in its data set
  DataSet previous;
  ASSERT_TRUE(previous.set_string(Tag(0x0002, 0x0002), VR::UI, "1.2.840.10008.1.3.10").has_value());
  ASSERT_TRUE(previous.set_string(Tag(0x0002, 0x0003), VR::UI, "1.2.3").has_value());
  auto meta = make_file_meta(data, ts_uids::kExplicitVRLittleEndian, {}, &previous);
  ASSERT_TRUE(meta.has_value()) << meta.error().to_string();
  EXPECT_EQ(meta->get_uid(Tag(0x0002, 0x0002)).value().str(), "1.2.840.10008.1.3.10");
  EXPECT_EQ(meta->get_uid(Tag(0x0002, 0x0003)).value().str(), "1.2.3");
  auto empty = make_file_meta(data, ts_uids::kExplicitVRLittleEndian);
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->find(Tag(0x0002, 0x0002))->length(), 0u);
}

TEST(MakeFileMetaTest, FailsOnAnInvalidTransferSyntaxUid) {
  DataSet data;
  ASSERT_TRUE(data.set_string(tags::SOPClassUID, "1.2.3").has_value());
  ASSERT_TRUE(data.set_string(tags::SOPInstanceUID, "1.2.4").has_value());
  auto meta = make_file_meta(data, "1..2");
  ASSERT_FALSE(meta.has_value());
  EXPECT_EQ(meta.error().code(), ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace dcmkit::dcmdata

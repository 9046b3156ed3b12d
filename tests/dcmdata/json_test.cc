// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/json.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "data_set_printer.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/writer.h"

namespace dcmkit::dcmdata {
namespace {

using ofstd::ErrorCode;
using namespace std::string_view_literals;

SharedBytes text_bytes(std::string_view text) { return SharedBytes::copy_of(text); }

std::string to_json(const DataSet& ds, JsonWriteOptions options = {}) {
  std::string out;
  auto status = write_json(out, ds, options);
  EXPECT_TRUE(status.has_value()) << status.error().to_string();
  return out;
}

std::string compact(const DataSet& ds) {
  JsonWriteOptions options;
  options.pretty = false;
  return to_json(ds, options);
}

DataSet from_json(std::string_view text, const JsonReadOptions& options = {}) {
  auto doc = read_json(text, options);
  EXPECT_TRUE(doc.has_value()) << doc.error().to_string();
  return doc ? doc->data : DataSet{};
}

ofstd::Error json_error(std::string_view text, const JsonReadOptions& options = {}) {
  auto doc = read_json(text, options);
  EXPECT_FALSE(doc.has_value()) << text;
  return doc ? ofstd::Error(ErrorCode::Internal, "no error") : doc.error();
}

std::vector<std::byte> encoded(const DataSet& ds) {
  WriteOptions options;
  options.sequence_lengths = LengthMode::Explicit;
  options.item_lengths = LengthMode::Explicit;
  options.group_lengths = GroupLengthMode::Remove;
  auto bytes = encode_dataset(ds, explicit_vr_little_endian(), options);
  EXPECT_TRUE(bytes.has_value());
  return bytes ? *bytes : std::vector<std::byte>{};
}

// DICOM -> JSON -> DICOM gives the same encoding.
void expect_round_trip(const DataSet& ds) {
  const std::string json = to_json(ds);
  const DataSet back = from_json(json);
  EXPECT_EQ(encoded(back), encoded(ds)) << json;
  EXPECT_EQ(compact(back), compact(ds));
}

TEST(JsonTest, WritesDcmtkLayout) {
  DataSet ds;
  ds.insert(Element(tags::ImageType, VR::CS, text_bytes("ORIGINAL\\PRIMARY")));
  ds.insert(Element(tags::AccessionNumber, VR::SH));
  EXPECT_EQ(to_json(ds),
            "{\n"
            "  \"00080008\": {\n"
            "    \"vr\": \"CS\",\n"
            "    \"Value\": [\n"
            "      \"ORIGINAL\",\n"
            "      \"PRIMARY\"\n"
            "    ]\n"
            "  },\n"
            "  \"00080050\": {\n"
            "    \"vr\": \"SH\"\n"
            "  }\n"
            "}\n");
  EXPECT_EQ(compact(ds),
            R"({"00080008":{"vr":"CS","Value":["ORIGINAL","PRIMARY"]},"00080050":{"vr":"SH"}})");
}

TEST(JsonTest, KeepsNumberTextExactly) {
  DataSet ds;
  ds.insert(Element(tags::PatientWeight, VR::DS, text_bytes("+1\\.5\\ 1.0 \\1e3\\00012\\\\-0 ")));
  ds.insert(Element(tags::InstanceNumber, VR::IS, text_bytes("+7")));
  ds.insert(Element(tags::PixelSpacing, VR::DS, text_bytes("0.000000\\1.")));
  EXPECT_EQ(compact(ds),
            R"({"00101030":{"vr":"DS","Value":["+1",".5"," 1.0 ",1e3,"00012",null,-0]},)"
            R"("00200013":{"vr":"IS","Value":["+7"]},)"
            R"("00280030":{"vr":"DS","Value":[0.000000,"1."]}})");
  expect_round_trip(ds);
  const DataSet back = from_json(compact(ds));
  EXPECT_EQ(back.find(tags::PatientWeight)->bytes().chars(), "+1\\.5\\ 1.0 \\1e3\\00012\\\\-0 ");
}

TEST(JsonTest, ReadsNumberTokensAsTheirText) {
  const DataSet ds = from_json(R"({"00101030":{"vr":"DS","Value":[1.50,-2e-3,"7"]}})");
  EXPECT_EQ(ds.find(tags::PatientWeight)->bytes().chars(), "1.50\\-2e-3\\7");
}

TEST(JsonTest, LargeSvUvAreExactStrings) {
  DataSet ds;
  const std::int64_t big[] = {std::numeric_limits<std::int64_t>::min(), 9007199254740992, -3};
  ASSERT_TRUE(ds.set_ints(Tag(0x0072, 0x0082), VR::SV, big).has_value());
  std::vector<std::byte> uv(8, std::byte{0xFF});
  ds.insert(Element(Tag(0x0072, 0x0083), VR::UV, SharedBytes::from_vector(uv)));
  EXPECT_EQ(compact(ds),
            R"({"00720082":{"vr":"SV","Value":["-9223372036854775808",9007199254740992,-3]},)"
            R"("00720083":{"vr":"UV","Value":["18446744073709551615"]}})");
  expect_round_trip(ds);
  const DataSet numbers = from_json(R"({"00720083":{"vr":"UV","Value":[18446744073709551615]}})");
  EXPECT_EQ(numbers.find(Tag(0x0072, 0x0083))->as_uint().value(), 18446744073709551615u);
}

TEST(JsonTest, FloatsRoundTripBitExactly) {
  DataSet ds;
  const double doubles[] = {0.1, 1e300, -0.0, 2.0 / 3, 5e-324};
  ASSERT_TRUE(ds.set_doubles(tags::SpacingBetweenSlices, VR::FD, doubles).has_value());
  const double floats[] = {0.1, 3.4e38, 1e-45};
  ASSERT_TRUE(ds.set_doubles(Tag(0x0018, 0x9230), VR::FL, floats).has_value());
  EXPECT_EQ(compact(ds),
            R"({"00180088":{"vr":"FD","Value":[0.1,1e+300,-0,0.6666666666666666,5e-324]},)"
            R"("00189230":{"vr":"FL","Value":[0.1,3.4e+38,1e-45]}})");
  expect_round_trip(ds);
}

TEST(JsonTest, NonFiniteNumbersNeedTheExtendedMode) {
  DataSet ds;
  const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                           -std::numeric_limits<double>::infinity()};
  ASSERT_TRUE(ds.set_doubles(tags::SpacingBetweenSlices, VR::FD, values).has_value());
  std::string out;
  auto strict = write_json(out, ds);
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(strict.error().code(), ErrorCode::InvalidArgument);
  JsonWriteOptions extended;
  extended.pretty = false;
  extended.allow_non_finite = true;
  const std::string json = to_json(ds, extended);
  EXPECT_EQ(json, R"({"00180088":{"vr":"FD","Value":[nan,-inf]}})");
  EXPECT_EQ(json_error(json).code(), ErrorCode::MalformedData);
  JsonReadOptions lenient;
  lenient.allow_non_finite = true;
  EXPECT_EQ(from_json(json, lenient).find(tags::SpacingBetweenSlices)->length(), 16u);
}

TEST(JsonTest, PersonNamesAsObjects) {
  DataSet ds;
  ds.insert(Element(tags::PatientName, VR::PN, text_bytes("Yamada^Tarou=YYY^TTT=yyy^ttt\\=Only")));
  EXPECT_EQ(compact(ds),
            R"({"00100010":{"vr":"PN","Value":[{"Alphabetic":"Yamada^Tarou","Ideographic":)"
            R"("YYY^TTT","Phonetic":"yyy^ttt"},{"Alphabetic":"","Ideographic":"Only"}]}})");
  expect_round_trip(ds);
  const DataSet phonetic_only = from_json(R"({"00100010":{"vr":"PN","Value":[{"Phonetic":"p"}]}})");
  EXPECT_EQ(phonetic_only.find(tags::PatientName)->bytes().chars(), "==p ");
}

TEST(JsonTest, KeepsExtraPaddingButDropsOnePadCharacter) {
  DataSet ds;
  ds.insert(Element(tags::StudyDescription, VR::LO, text_bytes("abc   ")));
  ds.insert(Element(tags::SOPInstanceUID, VR::UI, text_bytes(std::string_view("1.2.3\0", 6))));
  EXPECT_EQ(compact(ds), R"({"00080018":{"vr":"UI","Value":["1.2.3"]},)"
                         R"("00081030":{"vr":"LO","Value":["abc  "]}})");
  expect_round_trip(ds);
}

TEST(JsonTest, TextInTheDataSetsCharacterSet) {
  DataSet ds;
  ds.insert(Element(tags::SpecificCharacterSet, VR::CS, text_bytes("ISO_IR 100")));
  ASSERT_TRUE(ds.refresh_character_set().has_value());
  ds.insert(Element(tags::PatientName, VR::PN, text_bytes("M\xFCller^J\xE9r\xF4me ")));
  const std::string json = compact(ds);
  EXPECT_NE(json.find("\"M\xC3\xBCller^J\xC3\xA9r\xC3\xB4me\""), std::string::npos) << json;
  expect_round_trip(ds);
  // Items inherit it.
  DataSet outer;
  outer.insert(Element(tags::SpecificCharacterSet, VR::CS, text_bytes("ISO_IR 100")));
  DataSet item;
  item.insert(Element(tags::CodeMeaning, VR::LO, text_bytes("\xE9t\xE9")));
  outer.insert(Element::sequence(tags::ConceptNameCodeSequence, {item}));
  const DataSet back = from_json(compact(outer));
  EXPECT_EQ(
      back.find(tags::ConceptNameCodeSequence)->items()[0].find(tags::CodeMeaning)->bytes().chars(),
      "\xE9t\xE9 ");
}

TEST(JsonTest, TextThatCannotBeEncodedIsAnError) {
  auto error = json_error(R"({"00100010":{"vr":"PN","Value":[{"Alphabetic":"\u5c71"}]}})");
  EXPECT_EQ(error.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(error.to_string().find("(0010,0010)"), std::string::npos) << error.to_string();
}

TEST(JsonTest, BinaryAndTagValues) {
  DataSet ds;
  ds.insert(Element(Tag(0x0009, 0x0010), VR::LO, text_bytes("ACME")));
  ds.insert(Element(Tag(0x0009, 0x1001), VR::UN, SharedBytes::copy_of("\x01\x02\x03"sv)));
  const Tag at_values[] = {tags::PatientName, tags::StudyInstanceUID};
  ASSERT_TRUE(ds.set_tags(tags::DimensionIndexPointer, at_values).has_value());
  const std::int64_t us[] = {1, 65535};
  ASSERT_TRUE(ds.set_ints(tags::ReferencedWaveformChannels, VR::US, us).has_value());
  const std::int64_t ss[] = {-5, 6};
  ASSERT_TRUE(ds.set_ints(tags::TagAngleSecondAxis, VR::SS, ss).has_value());
  EXPECT_EQ(compact(ds), R"({"00090010":{"vr":"LO","Value":["ACME"]},)"
                         R"("00091001":{"vr":"UN","InlineBinary":"AQID"},)"
                         R"("00189219":{"vr":"SS","Value":[-5,6]},)"
                         R"("00209165":{"vr":"AT","Value":["00100010","0020000D"]},)"
                         R"("0040A0B0":{"vr":"US","Value":[1,65535]}})");
  expect_round_trip(ds);
}

TEST(JsonTest, BigEndianValuesAreWrittenLittleEndian) {
  DataSet ds;
  ds.insert(Element(tags::Rows, VR::US, SharedBytes::copy_of("\x01\x02"sv), ofstd::Endian::Big));
  ds.insert(Element(tags::RedPaletteColorLookupTableData, VR::OW,
                    SharedBytes::copy_of("\x01\x02"sv), ofstd::Endian::Big));
  EXPECT_EQ(compact(ds), R"({"00280010":{"vr":"US","Value":[258]},)"
                         R"("00281201":{"vr":"OW","InlineBinary":"AgE="}})");
}

TEST(JsonTest, SequencesAndEmptyItems) {
  DataSet inner;
  inner.insert(Element(tags::CodeValue, VR::SH, text_bytes("121049")));
  DataSet outer;
  outer.insert(Element::sequence(tags::ContentSequence, {DataSet{}, inner}));
  outer.insert(Element::sequence(tags::ReferencedStudySequence, {}));
  EXPECT_EQ(compact(outer), R"({"00081110":{"vr":"SQ"},"0040A730":{"vr":"SQ","Value":[{},)"
                            R"({"00080100":{"vr":"SH","Value":["121049"]}}]}})");
  EXPECT_EQ(to_json(outer),
            "{\n  \"00081110\": {\n    \"vr\": \"SQ\"\n  },\n  \"0040A730\": {\n    \"vr\": "
            "\"SQ\",\n    \"Value\": [\n      {},\n      {\n        \"00080100\": {\n          "
            "\"vr\": \"SH\",\n          \"Value\": [\n            \"121049\"\n          ]\n        "
            "}\n      }\n    ]\n  }\n}\n");
  expect_round_trip(outer);
}

TEST(JsonTest, EncapsulatedPixelDataAsItemStream) {
  DataSet ds;
  ds.insert(Element::encapsulated(tags::PixelData, VR::OB,
                                  {SharedBytes{}, SharedBytes::copy_of("\xFF\xD8\xFF\xD9"sv)}));
  const std::string json = compact(ds);
  EXPECT_EQ(json, R"({"7FE00010":{"vr":"OB","InlineBinary":"/v8A4AAAAAD+/wDgBAAAAP/Y/9k="}})");
  const DataSet back = from_json(json);
  ASSERT_TRUE(back.find(tags::PixelData)->is_encapsulated());
  EXPECT_EQ(back.find(tags::PixelData)->fragments().size(), 2u);
  expect_round_trip(ds);
}

TEST(JsonTest, BulkDataUris) {
  DataSet ds;
  ds.insert(Element(tags::PixelData, VR::OW, SharedBytes::copy_of("\x01\x02\x03\x04"sv)));
  JsonWriteOptions options;
  options.pretty = false;
  options.bulk_data_threshold = 4;
  options.bulk_data_uri = [](const TagPath& path, const Element&) -> ofstd::Result<std::string> {
    return "file:pixels" + path.to_string();
  };
  const std::string json = to_json(ds, options);
  EXPECT_EQ(json, R"j({"7FE00010":{"vr":"OW","BulkDataURI":"file:pixels(7fe0,0010)"}})j");
  EXPECT_EQ(json_error(json).code(), ErrorCode::Unsupported);
  JsonReadOptions read;
  read.bulk_data_loader = [](std::string_view uri) -> ofstd::Result<SharedBytes> {
    EXPECT_EQ(uri, "file:pixels(7fe0,0010)");
    return SharedBytes::copy_of("\x01\x02\x03\x04"sv);
  };
  EXPECT_EQ(encoded(from_json(json, read)), encoded(ds));
}

TEST(JsonTest, MetaInformationGoesFirstAndComesBackSeparately) {
  DataSet meta;
  meta.insert(Element(tags::TransferSyntaxUID, VR::UI, text_bytes("1.2.840.10008.1.2.1")));
  DataSet data;
  data.insert(Element(tags::Modality, VR::CS, text_bytes("CT")));
  std::string out;
  JsonWriteOptions options;
  options.pretty = false;
  ASSERT_TRUE(write_json(out, data, options, &meta).has_value());
  EXPECT_EQ(out, R"({"00020010":{"vr":"UI","Value":["1.2.840.10008.1.2.1"]},)"
                 R"("00080060":{"vr":"CS","Value":["CT"]}})");
  auto doc = read_json(out);
  ASSERT_TRUE(doc.has_value());
  EXPECT_TRUE(doc->meta.contains(tags::TransferSyntaxUID));
  EXPECT_FALSE(doc->data.contains(tags::TransferSyntaxUID));
  EXPECT_TRUE(doc->data.contains(tags::Modality));
}

TEST(JsonTest, AcceptsMembersInAnyOrderAndOneElementArrays) {
  const DataSet ds = from_json(
      R"([ {"00100010": {"Value": [{"Alphabetic": "A^B"}], "vr": "PN"},
             "00280010": {"Value": [512], "vr": "US"}} ])");
  EXPECT_EQ(ds.find(tags::PatientName)->bytes().chars(), "A^B ");
  EXPECT_EQ(ds.get_int(tags::Rows).value(), 512);
}

TEST(JsonTest, ErrorsNameLineAndColumn) {
  auto error = json_error("{\n  \"00100010\": {\n    \"vr\": \"XX\"\n  }\n}");
  EXPECT_EQ(error.code(), ErrorCode::MalformedData);
  EXPECT_EQ(error.message(), "line 3, column 11, (0010,0010): unknown VR \"XX\"");
  EXPECT_EQ(json_error("{\"00100010\": {\"vr\": \"PN\"}").message(),
            "line 1, column 26: unexpected end of input; expected '}'");
  EXPECT_EQ(json_error("{\"0010001\": {}}").message(),
            "line 1, column 2: \"0010001\" is not a tag (eight hexadecimal digits, PS3.18 "
            "§F.2.1)");
  EXPECT_EQ(json_error(R"({"00280010":{"vr":"US","Value":[70000]}})").message(),
            "line 1, column 33, (0028,0010): \"70000\" is not an integer in the range of US");
  EXPECT_EQ(json_error(R"({"00280010":{"vr":"US","Value":[1.5]}})").code(),
            ErrorCode::MalformedData);
  EXPECT_EQ(json_error(R"({"00280010":{"vr":"US"},"00280010":{"vr":"US"}})").code(),
            ErrorCode::MalformedData);
  EXPECT_EQ(json_error(R"({"00280010":{"Value":[1]}})").code(), ErrorCode::MalformedData);
  EXPECT_EQ(json_error(R"({"7FE00010":{"vr":"OB","InlineBinary":"@@@@"}})").code(),
            ErrorCode::MalformedData);
  EXPECT_EQ(json_error(R"({"00100010":{"vr":"PN","Value":["a\\b"]}})").code(),
            ErrorCode::MalformedData);
  EXPECT_EQ(json_error("{} x").code(), ErrorCode::MalformedData);
  EXPECT_EQ(json_error("").code(), ErrorCode::MalformedData);
  EXPECT_EQ(json_error("{\"00100010\":{\"vr\":\"PN\",\"Value\":[\"\xC3\"]}}").code(),
            ErrorCode::MalformedData);
  EXPECT_EQ(json_error(R"({"00100010":{"vr":"PN","Value":["\ud800"]}})").code(),
            ErrorCode::MalformedData);
}

TEST(JsonTest, LimitsDepthAndSize) {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += R"({"0040A730":{"vr":"SQ","Value":[)";
  deep += "{}";
  for (int i = 0; i < 70; ++i) deep += "]}}";
  EXPECT_EQ(json_error(deep).code(), ErrorCode::LimitExceeded);
  std::string unknown_deep = R"({"00100010":{"vr":"PN","x":)";
  unknown_deep += std::string(100000, '[');
  EXPECT_EQ(json_error(unknown_deep).code(), ErrorCode::LimitExceeded);
  JsonReadOptions small;
  small.max_input_size = 4;
  EXPECT_EQ(json_error("{    }", small).code(), ErrorCode::LimitExceeded);
}

TEST(JsonTest, Base64) {
  EXPECT_EQ(base64_encode(std::as_bytes(std::span("foobar", 6))), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::as_bytes(std::span("fo", 2))), "Zm8=");
  auto decoded = base64_decode("Zm8=");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->size(), 2u);
  EXPECT_FALSE(base64_decode("Zm8").has_value() && false);
  EXPECT_FALSE(base64_decode("Z").has_value());
  EXPECT_FALSE(base64_decode("Zm=8").has_value());
  EXPECT_FALSE(base64_decode("Zm8===").has_value());
}

}  // namespace
}  // namespace dcmkit::dcmdata

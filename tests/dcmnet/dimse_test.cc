// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/dimse.h"

#include <gtest/gtest.h>

#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/shared_bytes.h"
#include "dcmkit/dcmdata/transfer_syntax.h"

namespace dcmkit::dcmnet {
namespace {

using ofstd::ErrorCode;

TEST(DimseTest, EchoRequestIsImplicitLittleEndianWithGroupLength) {
  const auto bytes = encode_command(make_c_echo_rq(7));
  ASSERT_TRUE(bytes);
  // dcmdata's parser reads it as an implicit VR little endian data set of group 0000.
  const auto parsed = dcmdata::parse_dataset(dcmdata::SharedBytes::copy_of(*bytes),
                                             dcmdata::implicit_vr_little_endian());
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(parsed->get_uint(dcmdata::Tag{0x0000, 0x0000}).value(), bytes->size() - 12);
  EXPECT_EQ(parsed->get_uint(dcmdata::Tag{0x0000, 0x0100}).value(), 0x0030u);
  EXPECT_EQ(parsed->get_uint(dcmdata::Tag{0x0000, 0x0110}).value(), 7u);
  EXPECT_EQ(parsed->get_uint(dcmdata::Tag{0x0000, 0x0800}).value(), 0x0101u);
  EXPECT_EQ(parsed->get_string(dcmdata::Tag{0x0000, 0x0002}).value(), "1.2.840.10008.1.1");
}

TEST(DimseTest, EveryFieldRoundTrips) {
  Command c = make_c_move_rq(12, "1.2.840.10008.5.1.4.1.2.2.2", "DEST", Priority::High);
  c.message_id_responded_to = 3;
  c.requested_sop_class_uid = "1.2.3";
  c.affected_sop_instance_uid = "1.2.3.4";
  c.requested_sop_instance_uid = "1.2.3.4.5";
  c.status = 0xB000;
  c.offending_elements = {dcmdata::Tag{0x0010, 0x0010}};
  c.error_comment = "bad";
  c.error_id = 9;
  c.move_originator_ae = "ORIG";
  c.move_originator_message_id = 44;
  c.event_type_id = 1;
  c.action_type_id = 2;
  c.attribute_identifiers = {dcmdata::Tag{0x0008, 0x0018}, dcmdata::Tag{0x0020, 0x000D}};
  c.remaining_suboperations = 1;
  c.completed_suboperations = 2;
  c.failed_suboperations = 3;
  c.warning_suboperations = 4;
  const auto bytes = encode_command(c);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  const auto back = decode_command(*bytes);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, c);
}

TEST(DimseTest, ResponseMirrorsRequest) {
  const Command rq = make_c_store_rq(5, "1.2.840.10008.5.1.4.1.1.2", "1.2.3");
  const Command rsp = make_c_store_rsp(rq, status::kSuccess);
  EXPECT_EQ(rsp.field, CommandField::CStoreRsp);
  EXPECT_EQ(rsp.message_id_responded_to, 5);
  EXPECT_EQ(rsp.affected_sop_instance_uid, "1.2.3");
  EXPECT_FALSE(rsp.has_data_set);
}

TEST(DimseTest, MissingCommandFieldIsMalformed) {
  Command c = make_c_echo_rq(1);
  auto bytes = *encode_command(c);
  // Rename (0000,0100) to (0000,0101): a command without a Command Field.
  for (std::size_t i = 12; i + 8 <= bytes.size();) {
    const auto element = std::to_integer<int>(bytes[i + 2]) | std::to_integer<int>(bytes[i + 3])
                                                                  << 8;
    const auto length = std::to_integer<std::size_t>(bytes[i + 4]) |
                        std::to_integer<std::size_t>(bytes[i + 5]) << 8;
    if (element == 0x0100) bytes[i + 2] = std::byte{0x01};
    i += 8 + length;
  }
  const auto decoded = decode_command(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::MalformedData);
}

TEST(DimseTest, UnknownCommandFieldIsUnsupported) {
  Command c = make_c_echo_rq(1);
  c.field = static_cast<CommandField>(0x0042);
  const auto decoded = decode_command(*encode_command(c));
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::Unsupported);
}

TEST(DimseTest, ElementOutsideGroupZeroIsMalformed) {
  auto bytes = *encode_command(make_c_echo_rq(1));
  bytes[12] = std::byte{0x08};  // first element after the group length: group 0008
  const auto decoded = decode_command(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::MalformedData);
}

TEST(DimseTest, TruncationsAreErrorsNotCrashes) {
  const auto bytes = *encode_command(make_c_store_rq(1, "1.2.3", "4.5.6"));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::span<const std::byte> prefix(bytes.data(), n);
    (void)decode_command(prefix);
  }
}

TEST(DimseTest, StatusCategories) {
  EXPECT_EQ(categorize(0x0000), StatusCategory::Success);
  EXPECT_EQ(categorize(0xFF00), StatusCategory::Pending);
  EXPECT_EQ(categorize(0xFE00), StatusCategory::Cancel);
  EXPECT_EQ(categorize(0xB007), StatusCategory::Warning);
  EXPECT_EQ(categorize(0xA700), StatusCategory::Failure);
  EXPECT_EQ(categorize(0x0122), StatusCategory::Failure);
  EXPECT_EQ(describe_status(0x0000), "Success");
  EXPECT_EQ(describe_status(0x0122), "Failed: SOP Class not Supported");
}

TEST(DimseTest, DescribeNamesTheMessage) {
  const std::string text = describe(make_c_echo_rq(1));
  EXPECT_NE(text.find("Message Type                  : C-ECHO RQ"), std::string::npos);
  EXPECT_NE(text.find("Data Set                      : none"), std::string::npos);
}

}  // namespace
}  // namespace dcmkit::dcmnet

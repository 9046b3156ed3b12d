// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/pdu.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dcmkit::dcmnet {
namespace {

using ofstd::ErrorCode;

std::vector<std::byte> bytes_of(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (const int v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

AssociateRq full_request() {
  AssociateRq rq;
  rq.called_ae = "ANY-SCP";
  rq.calling_ae = "STORESCU";
  rq.contexts.push_back({1, "1.2.840.10008.1.1", {"1.2.840.10008.1.2"}});
  rq.contexts.push_back(
      {3, "1.2.840.10008.5.1.4.1.1.2", {"1.2.840.10008.1.2.1", "1.2.840.10008.1.2"}});
  rq.user_info.max_length = 32768;
  rq.user_info.implementation_class_uid = "1.2.3.4.5";
  rq.user_info.implementation_version_name = "DCMKIT_010";
  rq.user_info.async_operations = AsyncOperationsWindow{3, 2};
  rq.user_info.roles.push_back({"1.2.840.10008.5.1.4.1.1.2", true, true});
  rq.user_info.extended.push_back(
      {"1.2.840.10008.5.1.4.1.2.2.1", {std::byte{1}, std::byte{0}, std::byte{1}}});
  rq.user_info.common_extended.push_back(
      {"1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.4.2", {"1.2.840.10008.5.1.4.1.1.88.11"}});
  rq.user_info.user_identity_rq =
      UserIdentityRq{UserIdentityType::UsernameAndPasscode, true, "alice", "secret"};
  return rq;
}

AssociateAc full_answer() {
  AssociateAc ac;
  ac.called_ae = "ANY-SCP";
  ac.calling_ae = "STORESCU";
  ac.contexts.push_back({1, ContextResult::Acceptance, "1.2.840.10008.1.2"});
  ac.contexts.push_back({3, ContextResult::TransferSyntaxesNotSupported, "1.2.840.10008.1.2.1"});
  ac.user_info.max_length = 0;
  ac.user_info.implementation_class_uid = "1.2.3";
  ac.user_info.roles.push_back({"1.2.840.10008.5.1.4.1.1.2", false, true});
  ac.user_info.user_identity_ac = UserIdentityAc{"token"};
  return ac;
}

TEST(PduTest, AssociateRequestRoundTripsWithEverySubItem) {
  const AssociateRq rq = full_request();
  auto bytes = encode_pdu(rq);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  EXPECT_EQ((*bytes)[0], std::byte{0x01});
  auto decoded = decode_pdu(*bytes);
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  ASSERT_TRUE(std::holds_alternative<AssociateRq>(*decoded));
  EXPECT_EQ(std::get<AssociateRq>(*decoded), rq);
}

TEST(PduTest, AssociateAcceptRoundTrips) {
  const AssociateAc ac = full_answer();
  auto bytes = encode_pdu(ac);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  auto decoded = decode_pdu(*bytes);
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  EXPECT_EQ(std::get<AssociateAc>(*decoded), ac);
}

TEST(PduTest, FixedPdusHaveTheirStandardEncoding) {
  EXPECT_EQ(*encode_pdu(ReleaseRq{}), bytes_of({5, 0, 0, 0, 0, 4, 0, 0, 0, 0}));
  EXPECT_EQ(*encode_pdu(ReleaseRp{}), bytes_of({6, 0, 0, 0, 0, 4, 0, 0, 0, 0}));
  EXPECT_EQ(*encode_pdu(Abort{2, 6}), bytes_of({7, 0, 0, 0, 0, 4, 0, 0, 2, 6}));
  EXPECT_EQ(*encode_pdu(AssociateRj{1, 1, 7}), bytes_of({3, 0, 0, 0, 0, 4, 0, 1, 1, 7}));
  const auto rj = decode_pdu(bytes_of({3, 0, 0, 0, 0, 4, 0, 2, 3, 1}));
  ASSERT_TRUE(rj);
  EXPECT_EQ(std::get<AssociateRj>(*rj), (AssociateRj{2, 3, 1}));
}

TEST(PduTest, PDataViewsItsPdvs) {
  const auto bytes = bytes_of({4, 0, 0, 0, 0, 14,          // P-DATA-TF, 14 bytes
                               0, 0, 0, 3, 1, 3,  0xAA,    // PDV: ctx 1, command, last
                               0, 0, 0, 3, 5, 0,  0xBB});  // PDV: ctx 5, data
  auto decoded = decode_pdu(bytes);
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  const auto& pdvs = std::get<PDataTfView>(*decoded).pdvs;
  ASSERT_EQ(pdvs.size(), 2u);
  EXPECT_EQ(pdvs[0].context_id, 1);
  EXPECT_TRUE(pdvs[0].is_command);
  EXPECT_TRUE(pdvs[0].is_last);
  EXPECT_EQ(pdvs[0].data.size(), 1u);
  EXPECT_EQ(pdvs[0].data.data(), bytes.data() + 12);  // a view, not a copy
  EXPECT_EQ(pdvs[1].context_id, 5);
  EXPECT_FALSE(pdvs[1].is_command);
  EXPECT_FALSE(pdvs[1].is_last);
  auto again = encode_pdu(*decoded);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, bytes);
}

TEST(PduTest, PDataHeaderMatchesTheEncoder) {
  std::array<std::byte, 12> header{};
  encode_pdata_header(header, 7, false, true, 100);
  const std::vector<std::byte> payload(100, std::byte{0x42});
  PDataTfView pdata;
  pdata.pdvs.push_back(PdvView{7, false, true, payload});
  const auto encoded = encode_pdu(pdata);
  ASSERT_TRUE(encoded);
  EXPECT_TRUE(std::equal(header.begin(), header.end(), encoded->begin()));
}

TEST(PduTest, AeTitlesArePaddedAndTrimmed) {
  AssociateRq rq = full_request();
  rq.called_ae = "X";
  auto bytes = encode_pdu(rq);
  ASSERT_TRUE(bytes);
  EXPECT_EQ((*bytes)[10], std::byte{'X'});
  EXPECT_EQ((*bytes)[11], std::byte{' '});
  EXPECT_EQ(std::get<AssociateRq>(*decode_pdu(*bytes)).called_ae, "X");
}

TEST(PduTest, EncoderRejectsWhatCannotBeEncoded) {
  AssociateRq rq = full_request();
  rq.called_ae = "SEVENTEEN-CHARS-X";
  EXPECT_EQ(encode_pdu(rq).error().code(), ErrorCode::InvalidArgument);
  rq = full_request();
  rq.contexts[0].abstract_syntax = std::string(65, '1');
  EXPECT_EQ(encode_pdu(rq).error().code(), ErrorCode::InvalidArgument);
  rq = full_request();
  rq.contexts.clear();
  EXPECT_EQ(encode_pdu(rq).error().code(), ErrorCode::InvalidArgument);
  rq = full_request();
  rq.user_info.user_identity_rq->primary_field = std::string(70000, 'a');
  EXPECT_EQ(encode_pdu(rq).error().code(), ErrorCode::InvalidArgument);
}

TEST(PduTest, UnknownPduTypeIsUnsupported) {
  const auto decoded = decode_pdu(bytes_of({9, 0, 0, 0, 0, 0}));
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::Unsupported);
}

TEST(PduTest, LengthOverTheLimitIsLimitExceeded) {
  DecodeLimits limits;
  limits.max_pdu_length = 3;
  const auto decoded = decode_pdu(bytes_of({5, 0, 0, 0, 0, 4, 0, 0, 0, 0}), limits);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::LimitExceeded);
}

TEST(PduTest, TooManyContextsIsLimitExceeded) {
  AssociateRq rq = full_request();
  DecodeLimits limits;
  limits.max_contexts = 1;
  const auto decoded = decode_pdu(*encode_pdu(rq), limits);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::LimitExceeded);
}

TEST(PduTest, ItemLengthBeyondThePduIsMalformed) {
  auto bytes = *encode_pdu(full_request());
  bytes[74 + 2] = std::byte{0xFF};  // application context item length high byte
  const auto decoded = decode_pdu(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::MalformedData);
}

TEST(PduTest, MissingUserInformationIsMalformed) {
  AssociateRq rq = full_request();
  auto bytes = *encode_pdu(rq);
  // Cut the user information item (the last one) and fix the PDU length.
  std::size_t offset = 74;
  while (offset < bytes.size() && bytes[offset] != std::byte{0x50}) {
    offset += 4 + (std::to_integer<std::size_t>(bytes[offset + 2]) << 8) +
              std::to_integer<std::size_t>(bytes[offset + 3]);
  }
  bytes.resize(offset);
  const auto length = static_cast<std::uint32_t>(bytes.size() - 6);
  bytes[2] = static_cast<std::byte>(length >> 24);
  bytes[3] = static_cast<std::byte>(length >> 16);
  bytes[4] = static_cast<std::byte>(length >> 8);
  bytes[5] = static_cast<std::byte>(length);
  const auto decoded = decode_pdu(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code(), ErrorCode::MalformedData);
  EXPECT_NE(decoded.error().message().find("user information"), std::string::npos);
}

TEST(PduTest, PaddedUidsAreAccepted) {
  // Some stacks pad UIDs with NUL as in data sets; the value is the UID without padding.
  AssociateRq rq = full_request();
  rq.contexts[0].abstract_syntax = std::string("1.2.840.10008.1.1") + '\0';
  auto decoded = decode_pdu(*encode_pdu(rq));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(std::get<AssociateRq>(*decoded).contexts[0].abstract_syntax, "1.2.840.10008.1.1");
}

TEST(PduTest, UnknownUserInformationSubItemsAreKept) {
  auto bytes = *encode_pdu(full_request());
  // Append an unknown sub-item 0x5F with 2 bytes to the user information item (the last one).
  std::size_t offset = 74;
  while (bytes[offset] != std::byte{0x50}) {
    offset += 4 + (std::to_integer<std::size_t>(bytes[offset + 2]) << 8) +
              std::to_integer<std::size_t>(bytes[offset + 3]);
  }
  const std::size_t item_length = (std::to_integer<std::size_t>(bytes[offset + 2]) << 8) +
                                  std::to_integer<std::size_t>(bytes[offset + 3]) + 6;
  bytes[offset + 2] = static_cast<std::byte>(item_length >> 8);
  bytes[offset + 3] = static_cast<std::byte>(item_length & 0xFF);
  for (const int b : {0x5F, 0, 0, 2, 0xAB, 0xCD}) bytes.push_back(static_cast<std::byte>(b));
  const auto length = static_cast<std::uint32_t>(bytes.size() - 6);
  bytes[4] = static_cast<std::byte>(length >> 8);
  bytes[5] = static_cast<std::byte>(length & 0xFF);
  const auto decoded = decode_pdu(bytes);
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  const auto& unknown = std::get<AssociateRq>(*decoded).user_info.unknown;
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].type, 0x5F);
}

// Sweeps (STYLE.md 2.11): every prefix and every single-byte change of valid PDUs decodes to a
// PDU or an error, never a crash (ASan/UBSan builds check memory safety).
TEST(PduTest, EveryTruncationAndByteFlipIsHandled) {
  std::vector<std::vector<std::byte>> samples;
  samples.push_back(*encode_pdu(full_request()));
  samples.push_back(*encode_pdu(full_answer()));
  samples.push_back(bytes_of({4, 0, 0, 0, 0, 14, 0, 0, 0, 3, 1, 3, 0xAA, 0, 0, 0, 3, 5, 0, 0xBB}));
  for (const auto& sample : samples) {
    for (std::size_t n = 0; n < sample.size(); ++n) {
      const std::vector<std::byte> prefix(sample.begin(), sample.begin() + static_cast<long>(n));
      EXPECT_FALSE(decode_pdu(prefix)) << "prefix " << n;
    }
    for (std::size_t i = 0; i < sample.size(); ++i) {
      for (const int value : {0x00, 0x01, 0x7F, 0x80, 0xFF}) {
        std::vector<std::byte> changed = sample;
        changed[i] = static_cast<std::byte>(value);
        const auto decoded = decode_pdu(changed);
        if (decoded) {
          // Whatever decodes must encode again (unless a field is out of encodable range).
          (void)encode_pdu(*decoded);
        }
      }
    }
  }
}

TEST(PduTest, RejectionIsDescribedAsDcmtkDoes) {
  EXPECT_EQ(describe(AssociateRj{1, 1, 1}),
            "Result: Rejected Permanent, Source: Service User\nReason: No Reason");
  EXPECT_EQ(describe(AssociateRj{2, 3, 2}),
            "Result: Rejected Transient, Source: Service Provider (Presentation Related)\n"
            "Reason: Local Limit Exceeded");
}

}  // namespace
}  // namespace dcmkit::dcmnet

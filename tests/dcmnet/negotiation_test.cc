// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/negotiation.h"

#include <gtest/gtest.h>

namespace dcmkit::dcmnet {
namespace {

constexpr const char* kCt = "1.2.840.10008.5.1.4.1.1.2";
constexpr const char* kMr = "1.2.840.10008.5.1.4.1.1.4";
constexpr const char* kImplicit = "1.2.840.10008.1.2";
constexpr const char* kExplicit = "1.2.840.10008.1.2.1";
constexpr const char* kJpegLossless = "1.2.840.10008.1.2.4.70";

AcceptorPolicy ct_policy() {
  AcceptorPolicy policy;
  policy.ae_title = "STORESCP";
  policy.abstract_syntaxes.push_back({kCt, {kExplicit, kImplicit}});
  return policy;
}

AssociateRq request() {
  AssociateRq rq;
  rq.called_ae = "STORESCP";
  rq.calling_ae = "STORESCU";
  rq.contexts.push_back({1, kCt, {kImplicit, kExplicit}});
  rq.contexts.push_back({3, kCt, {kJpegLossless}});
  rq.contexts.push_back({5, kMr, {kImplicit}});
  rq.user_info.implementation_class_uid = "1.2.3";
  return rq;
}

TEST(NegotiationTest, AcceptorPreferenceChoosesTheTransferSyntax) {
  const auto outcome = negotiate(request(), ct_policy());
  const auto& ac = std::get<AssociateAc>(outcome);
  ASSERT_EQ(ac.contexts.size(), 3u);
  EXPECT_EQ(ac.contexts[0].result, ContextResult::Acceptance);
  EXPECT_EQ(ac.contexts[0].transfer_syntax, kExplicit);  // ours first, though proposed second
  EXPECT_EQ(ac.contexts[1].result, ContextResult::TransferSyntaxesNotSupported);
  EXPECT_EQ(ac.contexts[2].result, ContextResult::AbstractSyntaxNotSupported);
  EXPECT_EQ(ac.calling_ae, "STORESCU");
}

TEST(NegotiationTest, PromiscuousPolicyAcceptsUnknownAbstractSyntaxes) {
  AcceptorPolicy policy = ct_policy();
  policy.any_abstract_syntax_transfer_syntaxes = {kImplicit};
  const NegotiationOutcome ac_outcome = negotiate(request(), policy);
  const auto& ac = std::get<AssociateAc>(ac_outcome);
  EXPECT_EQ(ac.contexts[2].result, ContextResult::Acceptance);
}

TEST(NegotiationTest, CalledAeMismatchIsRejectedWhenRequired) {
  AcceptorPolicy policy = ct_policy();
  policy.require_called_ae_match = true;
  AssociateRq rq = request();
  rq.called_ae = "OTHER";
  const NegotiationOutcome rj_outcome = negotiate(rq, policy);
  const auto& rj = std::get<AssociateRj>(rj_outcome);
  EXPECT_EQ(rj.source, reject::kServiceUser);
  EXPECT_EQ(rj.reason, reject::kCalledAeNotRecognized);
}

TEST(NegotiationTest, MissingImplementationClassUidIsRejectedWhenRequired) {
  AcceptorPolicy policy = ct_policy();
  policy.require_implementation_class_uid = true;
  AssociateRq rq = request();
  rq.user_info.implementation_class_uid.clear();
  EXPECT_TRUE(std::holds_alternative<AssociateRj>(negotiate(rq, policy)));
}

TEST(NegotiationTest, WrongApplicationContextIsRejected) {
  AssociateRq rq = request();
  rq.application_context = "1.2.3";
  const NegotiationOutcome rj_outcome = negotiate(rq, ct_policy());
  const auto& rj = std::get<AssociateRj>(rj_outcome);
  EXPECT_EQ(rj.reason, reject::kApplicationContextNotSupported);
}

TEST(NegotiationTest, RolesAreConfirmedOnlyAsProposedAndAllowed) {
  AssociateRq rq = request();
  rq.user_info.roles.push_back({kCt, true, true});
  AcceptorPolicy policy = ct_policy();
  policy.abstract_syntaxes[0].allow_requestor_scu = false;
  const NegotiationOutcome ac_outcome = negotiate(rq, policy);
  const auto& ac = std::get<AssociateAc>(ac_outcome);
  ASSERT_EQ(ac.user_info.roles.size(), 1u);
  EXPECT_FALSE(ac.user_info.roles[0].scu_role);
  EXPECT_TRUE(ac.user_info.roles[0].scp_role);
  const auto contexts = accepted_contexts(rq, ac);
  ASSERT_TRUE(contexts);
  ASSERT_EQ(contexts->size(), 1u);
  EXPECT_FALSE((*contexts)[0].requestor_is_scu);
  EXPECT_TRUE((*contexts)[0].requestor_is_scp);
}

TEST(NegotiationTest, UserIdentityCanRejectOrAnswer) {
  AssociateRq rq = request();
  rq.user_info.user_identity_rq = UserIdentityRq{UserIdentityType::Username, true, "bob", ""};
  AcceptorPolicy policy = ct_policy();
  policy.user_identity =
      [](const UserIdentityRq& id) -> ofstd::Result<std::optional<UserIdentityAc>> {
    if (id.primary_field != "alice") {
      return ofstd::Error(ofstd::ErrorCode::InvalidArgument, "unknown user");
    }
    return std::optional<UserIdentityAc>(UserIdentityAc{"welcome"});
  };
  EXPECT_TRUE(std::holds_alternative<AssociateRj>(negotiate(rq, policy)));
  rq.user_info.user_identity_rq->primary_field = "alice";
  const NegotiationOutcome ac_outcome = negotiate(rq, policy);
  const auto& ac = std::get<AssociateAc>(ac_outcome);
  ASSERT_TRUE(ac.user_info.user_identity_ac);
  EXPECT_EQ(ac.user_info.user_identity_ac->server_response, "welcome");
}

TEST(NegotiationTest, ExtendedNegotiationIsAnsweredOnlyWhereAsked) {
  AcceptorPolicy policy = ct_policy();
  policy.extended_negotiation = {{kCt, {std::byte{0x0a}, std::byte{0x0b}}},
                                 {kMr, {std::byte{0x01}}}};
  // Not asked: no answer at all (PS3.7 §D.3.3.5).
  const NegotiationOutcome silent = negotiate(request(), policy);
  EXPECT_TRUE(std::get<AssociateAc>(silent).user_info.extended.empty());
  // Asked about CT and about a class we have nothing for: only CT is answered, with our bytes.
  AssociateRq rq = request();
  rq.user_info.extended = {{kCt, {std::byte{0x01}, std::byte{0x02}}},
                           {"1.2.840.10008.5.1.4.1.1.7", {std::byte{0x01}}}};
  const NegotiationOutcome answered = negotiate(rq, policy);
  const auto& ac = std::get<AssociateAc>(answered);
  ASSERT_EQ(ac.user_info.extended.size(), 1u);
  EXPECT_EQ(ac.user_info.extended[0],
            (ExtendedNegotiation{kCt, {std::byte{0x0a}, std::byte{0x0b}}}));
  // Without answers configured, nothing is answered.
  EXPECT_TRUE(std::get<AssociateAc>(negotiate(rq, ct_policy())).user_info.extended.empty());
}

TEST(NegotiationTest, RejectionsAreListedWithReasons) {
  const AssociateRq rq = request();
  const NegotiationOutcome ac_outcome = negotiate(rq, ct_policy());
  const auto& ac = std::get<AssociateAc>(ac_outcome);
  const auto lines = describe_rejections(rq, ac);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "context 3: CT Image Storage with JPEG Lossless, Non-Hierarchical, First-Order "
            "Prediction (Process 14 [Selection Value 1]): transfer syntaxes not supported");
  EXPECT_EQ(lines[1],
            "context 5: MR Image Storage with Implicit VR Little Endian: abstract syntax not "
            "supported");
}

TEST(NegotiationTest, AnswerWithUnproposedContextIsMalformed) {
  const AssociateRq rq = request();
  AssociateAc ac = std::get<AssociateAc>(NegotiationOutcome(negotiate(rq, ct_policy())));
  ac.contexts[0].id = 99;
  EXPECT_EQ(accepted_contexts(rq, ac).error().code(), ofstd::ErrorCode::MalformedData);
  ac = std::get<AssociateAc>(NegotiationOutcome(negotiate(rq, ct_policy())));
  ac.contexts[0].transfer_syntax = kJpegLossless;
  EXPECT_EQ(accepted_contexts(rq, ac).error().code(), ofstd::ErrorCode::MalformedData);
}

TEST(NegotiationTest, ContextsAreNumberedOddUpTo128) {
  std::vector<PresentationContextRq> contexts(128);
  ASSERT_TRUE(number_contexts(contexts));
  EXPECT_EQ(contexts.front().id, 1);
  EXPECT_EQ(contexts.back().id, 255);
  contexts.resize(129);
  EXPECT_FALSE(number_contexts(contexts));
}

}  // namespace
}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
// Association negotiation without I/O (PS3.8 §7.1.1, PS3.7 Annex D): the acceptor's policy and
// the pure function that answers an A-ASSOCIATE-RQ with it, and the requestor's reading of the
// answer, including the list of rejected abstract/transfer syntax pairs and why.
//
//   AcceptorPolicy policy;
//   policy.abstract_syntaxes.push_back({std::string(uids::Verification.str()),
//                                        {std::string(ts_uids::kImplicitVRLittleEndian)}});
//   const NegotiationOutcome outcome = negotiate(rq, policy);
//   if (const auto* ac = std::get_if<AssociateAc>(&outcome)) ...
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dcmkit/dcmnet/pdu.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// A presentation context both sides agreed on.
struct AcceptedContext {
  std::uint8_t id = 0;
  std::string abstract_syntax;
  std::string transfer_syntax;
  /// The requestor may act as SCU / as SCP on this context (PS3.7 §D.3.3.4): by default the
  /// requestor is SCU only; a role selection item changes that.
  bool requestor_is_scu = true;
  bool requestor_is_scp = false;
  friend bool operator==(const AcceptedContext&, const AcceptedContext&) = default;
};

/// How the acceptor answers one abstract syntax.
struct AcceptedAbstractSyntax {
  std::string abstract_syntax;
  /// Transfer syntaxes in the acceptor's order of preference: the first one the requestor also
  /// proposed is chosen.
  std::vector<std::string> transfer_syntaxes;
  /// Roles the acceptor allows the requestor to take when it asks for them.
  bool allow_requestor_scu = true;
  bool allow_requestor_scp = true;
};

/// The acceptor's rules.
struct AcceptorPolicy {
  /// Our AE title; echoed in the A-ASSOCIATE-AC. Empty: answer with the called AE title.
  std::string ae_title;
  /// Reject requests whose called AE title is not ae_title (PS3.8 reason 7).
  bool require_called_ae_match = false;
  /// Reject requests without an implementation class UID (storescp --reject).
  bool require_implementation_class_uid = false;
  /// The abstract syntaxes we accept, with preferred transfer syntaxes.
  std::vector<AcceptedAbstractSyntax> abstract_syntaxes;
  /// Accept abstract syntaxes not listed above with these transfer syntaxes (storescp -pm);
  /// empty: reject them.
  std::vector<std::string> any_abstract_syntax_transfer_syntaxes;
  /// Announced Maximum Length Received (0: no limit).
  std::uint32_t max_receive_pdu = 16384;
  std::string implementation_class_uid;
  std::string implementation_version_name;
  /// Decides on a user identity request: an answer (a server response is sent only when the
  /// requestor asked for a positive response), or an error to reject the association. Empty:
  /// every identity is accepted without a response.
  std::function<ofstd::Result<std::optional<UserIdentityAc>>(const UserIdentityRq&)> user_identity;
  /// SOP Class Extended Negotiation answers: for each SOP class the requestor sends a sub-item
  /// for, ours is returned; none for what it did not ask about (PS3.7 §D.3.3.5).
  std::vector<ExtendedNegotiation> extended_negotiation;
};

/// The acceptor's answer: accept (with the contexts' results) or reject.
using NegotiationOutcome = std::variant<AssociateAc, AssociateRj>;

/// Answers `rq` according to `policy`. The association is accepted even when no context is: the
/// requestor then learns per context why (DCMTK's storescp behaves the same way).
NegotiationOutcome negotiate(const AssociateRq& rq, const AcceptorPolicy& policy);

/// The contexts accepted in `ac` for the proposals of `rq`, with their roles. MalformedData if
/// the answer names a context id that was not proposed or accepts a transfer syntax that was
/// not proposed for it.
ofstd::Result<std::vector<AcceptedContext>> accepted_contexts(const AssociateRq& rq,
                                                              const AssociateAc& ac);

/// One line per rejected context of the answer: "context 3: CT Image Storage with JPEG Lossless
/// (Process 14, SV1): transfer syntaxes not supported"; empty if every context was accepted.
std::vector<std::string> describe_rejections(const AssociateRq& rq, const AssociateAc& ac);

/// A readable name for a UID: its PS3.6 name ("CT Image Storage") or the UID itself.
std::string uid_name(std::string_view uid);

/// Assigns odd context ids 1, 3, 5, ... in order. InvalidArgument beyond 128 contexts.
ofstd::Status number_contexts(std::vector<PresentationContextRq>& contexts);

}  // namespace dcmkit::dcmnet

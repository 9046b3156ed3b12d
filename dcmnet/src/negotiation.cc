// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/negotiation.h"

#include <algorithm>

#include "dcmkit/dcmdata/dictionary.h"

namespace dcmkit::dcmnet {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

const RoleSelection* find_role(const UserInformation& info, std::string_view sop_class) {
  for (const RoleSelection& role : info.roles) {
    if (role.sop_class_uid == sop_class) return &role;
  }
  return nullptr;
}

AssociateRj reject_with(std::uint8_t source, std::uint8_t reason) {
  AssociateRj rj;
  rj.result = reject::kPermanent;
  rj.source = source;
  rj.reason = reason;
  return rj;
}

}  // namespace

std::string uid_name(std::string_view uid) {
  if (const dcmdata::UidEntry* entry = dcmdata::lookup_uid(uid)) {
    // PS3.6 names may carry a note after a colon ("...: Default Transfer Syntax for DICOM").
    const std::string_view name = entry->name;
    return std::string(name.substr(0, name.find(": ")));
  }
  return std::string(uid);
}

NegotiationOutcome negotiate(const AssociateRq& rq, const AcceptorPolicy& policy) {
  // PS3.8 §9.3.2: the protocol version has bit 0 set for version 1; test only that bit.
  if ((rq.protocol_version & 1) == 0) {
    return reject_with(reject::kServiceProviderAcse, reject::kProtocolVersionNotSupported);
  }
  if (rq.application_context != kDicomApplicationContext) {
    return reject_with(reject::kServiceUser, reject::kApplicationContextNotSupported);
  }
  if (policy.require_called_ae_match && rq.called_ae != policy.ae_title) {
    return reject_with(reject::kServiceUser, reject::kCalledAeNotRecognized);
  }
  if (policy.require_implementation_class_uid && rq.user_info.implementation_class_uid.empty()) {
    return reject_with(reject::kServiceUser, reject::kNoReasonGiven);
  }
  AssociateAc ac;
  ac.called_ae = rq.called_ae;
  ac.calling_ae = rq.calling_ae;
  ac.user_info.max_length = policy.max_receive_pdu;
  ac.user_info.implementation_class_uid = policy.implementation_class_uid;
  ac.user_info.implementation_version_name = policy.implementation_version_name;
  if (rq.user_info.user_identity_rq) {
    if (policy.user_identity) {
      auto answer = policy.user_identity(*rq.user_info.user_identity_rq);
      if (!answer) return reject_with(reject::kServiceUser, reject::kNoReasonGiven);
      if (*answer && rq.user_info.user_identity_rq->positive_response_requested) {
        ac.user_info.user_identity_ac = **answer;
      }
    }
  }
  for (const ExtendedNegotiation& asked : rq.user_info.extended) {
    const auto ours = std::find_if(
        policy.extended_negotiation.begin(), policy.extended_negotiation.end(),
        [&](const ExtendedNegotiation& e) { return e.sop_class_uid == asked.sop_class_uid; });
    if (ours != policy.extended_negotiation.end()) ac.user_info.extended.push_back(*ours);
  }
  std::vector<std::string> roles_answered;
  for (const PresentationContextRq& proposed : rq.contexts) {
    PresentationContextAc answer;
    answer.id = proposed.id;
    const auto listed =
        std::find_if(policy.abstract_syntaxes.begin(), policy.abstract_syntaxes.end(),
                     [&](const AcceptedAbstractSyntax& a) {
                       return a.abstract_syntax == proposed.abstract_syntax;
                     });
    const std::vector<std::string>* preferred = nullptr;
    bool allow_scu = true;
    bool allow_scp = true;
    if (listed != policy.abstract_syntaxes.end()) {
      preferred = &listed->transfer_syntaxes;
      allow_scu = listed->allow_requestor_scu;
      allow_scp = listed->allow_requestor_scp;
    } else if (!policy.any_abstract_syntax_transfer_syntaxes.empty()) {
      preferred = &policy.any_abstract_syntax_transfer_syntaxes;
    }
    if (preferred == nullptr) {
      answer.result = ContextResult::AbstractSyntaxNotSupported;
    } else {
      answer.result = ContextResult::TransferSyntaxesNotSupported;
      for (const std::string& ts : *preferred) {
        if (std::find(proposed.transfer_syntaxes.begin(), proposed.transfer_syntaxes.end(), ts) !=
            proposed.transfer_syntaxes.end()) {
          answer.result = ContextResult::Acceptance;
          answer.transfer_syntax = ts;
          break;
        }
      }
    }
    // A rejected context still carries a transfer syntax sub-item; its value is not tested
    // (PS3.8 §9.3.3.2). Echo the first proposed one.
    if (answer.result != ContextResult::Acceptance && !proposed.transfer_syntaxes.empty()) {
      answer.transfer_syntax = proposed.transfer_syntaxes.front();
    }
    if (answer.result == ContextResult::Acceptance) {
      // PS3.7 §D.3.3.4: answer each role selection item once per SOP class; the acceptor may
      // only confirm roles the requestor proposed.
      if (const RoleSelection* role = find_role(rq.user_info, proposed.abstract_syntax)) {
        if (std::find(roles_answered.begin(), roles_answered.end(), proposed.abstract_syntax) ==
            roles_answered.end()) {
          roles_answered.push_back(proposed.abstract_syntax);
          ac.user_info.roles.push_back(RoleSelection{
              proposed.abstract_syntax, role->scu_role && allow_scu, role->scp_role && allow_scp});
        }
      }
    }
    ac.contexts.push_back(std::move(answer));
  }
  return ac;
}

Result<std::vector<AcceptedContext>> accepted_contexts(const AssociateRq& rq,
                                                       const AssociateAc& ac) {
  std::vector<AcceptedContext> accepted;
  for (const PresentationContextAc& answer : ac.contexts) {
    if (answer.result != ContextResult::Acceptance) continue;
    const auto proposed =
        std::find_if(rq.contexts.begin(), rq.contexts.end(),
                     [&](const PresentationContextRq& p) { return p.id == answer.id; });
    if (proposed == rq.contexts.end()) {
      return Error(ErrorCode::MalformedData, "A-ASSOCIATE-AC accepts presentation context " +
                                                 std::to_string(answer.id) +
                                                 ", which was not proposed");
    }
    if (std::find(proposed->transfer_syntaxes.begin(), proposed->transfer_syntaxes.end(),
                  answer.transfer_syntax) == proposed->transfer_syntaxes.end()) {
      return Error(ErrorCode::MalformedData,
                   "A-ASSOCIATE-AC accepts transfer syntax " + answer.transfer_syntax +
                       " for presentation context " + std::to_string(answer.id) +
                       ", which was not proposed for it");
    }
    AcceptedContext context;
    context.id = answer.id;
    context.abstract_syntax = proposed->abstract_syntax;
    context.transfer_syntax = answer.transfer_syntax;
    // Roles: the acceptor's answer counts if it sent one (and only for roles proposed);
    // otherwise the defaults apply (PS3.7 §D.3.3.4).
    const RoleSelection* asked = find_role(rq.user_info, proposed->abstract_syntax);
    const RoleSelection* given = find_role(ac.user_info, proposed->abstract_syntax);
    if (asked != nullptr && given != nullptr) {
      context.requestor_is_scu = asked->scu_role && given->scu_role;
      context.requestor_is_scp = asked->scp_role && given->scp_role;
    }
    accepted.push_back(std::move(context));
  }
  return accepted;
}

std::vector<std::string> describe_rejections(const AssociateRq& rq, const AssociateAc& ac) {
  std::vector<std::string> lines;
  for (const PresentationContextRq& proposed : rq.contexts) {
    const auto answer =
        std::find_if(ac.contexts.begin(), ac.contexts.end(),
                     [&](const PresentationContextAc& a) { return a.id == proposed.id; });
    std::string line = "context " + std::to_string(proposed.id) + ": " +
                       uid_name(proposed.abstract_syntax) + " with ";
    for (std::size_t i = 0; i < proposed.transfer_syntaxes.size(); ++i) {
      if (i != 0) line += ", ";
      line += uid_name(proposed.transfer_syntaxes[i]);
    }
    if (answer == ac.contexts.end()) {
      lines.push_back(line + ": not answered");
    } else if (answer->result != ContextResult::Acceptance) {
      lines.push_back(line + ": " + std::string(to_string(answer->result)));
    }
  }
  return lines;
}

Status number_contexts(std::vector<PresentationContextRq>& contexts) {
  if (contexts.size() > 128) {
    return Error(
        ErrorCode::InvalidArgument,
        "too many presentation contexts (" + std::to_string(contexts.size()) + ", at most 128)");
  }
  std::uint8_t id = 1;
  for (PresentationContextRq& context : contexts) {
    context.id = id;
    id = static_cast<std::uint8_t>(id + 2);
  }
  return {};
}

}  // namespace dcmkit::dcmnet

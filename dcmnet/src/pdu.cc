// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/pdu.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <utility>

#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/byte_reader.h"

namespace dcmkit::dcmnet {

using ofstd::ByteReader;
using ofstd::Endian;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

// Item and sub-item types (PS3.8 §9.3.2, PS3.7 Annex D.3.3).
constexpr std::uint8_t kApplicationContextItem = 0x10;
constexpr std::uint8_t kPresentationContextRqItem = 0x20;
constexpr std::uint8_t kPresentationContextAcItem = 0x21;
constexpr std::uint8_t kAbstractSyntaxItem = 0x30;
constexpr std::uint8_t kTransferSyntaxItem = 0x40;
constexpr std::uint8_t kUserInformationItem = 0x50;
constexpr std::uint8_t kMaxLengthItem = 0x51;
constexpr std::uint8_t kImplementationClassUidItem = 0x52;
constexpr std::uint8_t kAsyncOperationsItem = 0x53;
constexpr std::uint8_t kRoleSelectionItem = 0x54;
constexpr std::uint8_t kImplementationVersionItem = 0x55;
constexpr std::uint8_t kExtendedNegotiationItem = 0x56;
constexpr std::uint8_t kCommonExtendedNegotiationItem = 0x57;
constexpr std::uint8_t kUserIdentityRqItem = 0x58;
constexpr std::uint8_t kUserIdentityAcItem = 0x59;

Error malformed(const ByteReader& in, std::string_view what) {
  return Error(ErrorCode::MalformedData,
               "offset " + std::to_string(in.offset()) + ": " + std::string(what));
}

// UIDs in items carry no padding per PS3.8 §9.3.2.2.1, but some implementations pad them to
// even length with NUL as in data sets (seen from old Siemens and Philips stacks): strip it.
std::string uid_text(std::span<const std::byte> bytes) {
  std::string_view text = ofstd::as_chars(bytes);
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
  return std::string(text);
}

// AE titles: 16 characters, leading and trailing spaces not significant (PS3.8 §9.3.2). NULs are
// stripped too: a few implementations pad with them.
std::string ae_text(std::span<const std::byte> bytes) {
  std::string_view text = ofstd::as_chars(bytes);
  const auto is_pad = [](char c) { return c == ' ' || c == '\0'; };
  while (!text.empty() && is_pad(text.back())) text.remove_suffix(1);
  while (!text.empty() && is_pad(text.front())) text.remove_prefix(1);
  return std::string(text);
}

// An item header: type, reserved, 16-bit length; returns a reader over the item's content.
struct Item {
  std::uint8_t type;
  ByteReader content;
};

Result<Item> read_item(ByteReader& in) {
  const std::uint64_t start = in.offset();
  if (in.remaining() < 4) return in.truncated("item header", 4);
  DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t type, in.read_u8());
  DCMKIT_TRY(in.skip(1));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t length, in.read_u16(Endian::Big));
  if (length > in.remaining()) {
    return Error(ErrorCode::MalformedData,
                 "offset " + std::to_string(start) + ": item " + std::to_string(type) + " length " +
                     std::to_string(length) + " exceeds the " + std::to_string(in.remaining()) +
                     " bytes that remain");
  }
  const std::uint64_t content_offset = in.offset();
  DCMKIT_ASSIGN_OR_RETURN(const auto bytes, in.read_bytes(length));
  return Item{type, ByteReader(bytes, content_offset)};
}

// A 16-bit-length-prefixed field inside a sub-item (role selection, extended negotiation, user
// identity).
Result<std::span<const std::byte>> read_u16_field(ByteReader& in, std::string_view what) {
  if (in.remaining() < 2) return in.truncated(what, 2);
  DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t length, in.read_u16(Endian::Big));
  if (length > in.remaining()) {
    return malformed(in,
                     std::string(what) + " length " + std::to_string(length) + " exceeds the item");
  }
  return in.read_bytes(length);
}

Status decode_user_information(ByteReader& in, UserInformation& info, bool is_request,
                               const DecodeLimits& limits) {
  bool have_max_length = false;
  std::size_t count = 0;
  info.max_length = 0;
  while (!in.at_end()) {
    if (++count > limits.max_user_items) {
      return Error(ErrorCode::LimitExceeded, "more than " + std::to_string(limits.max_user_items) +
                                                 " user information sub-items");
    }
    DCMKIT_ASSIGN_OR_RETURN(Item item, read_item(in));
    ByteReader& sub = item.content;
    switch (item.type) {
      case kMaxLengthItem: {
        if (sub.remaining() != 4) return malformed(sub, "maximum length sub-item is not 4 bytes");
        DCMKIT_ASSIGN_OR_RETURN(info.max_length, sub.read_u32(Endian::Big));
        have_max_length = true;
        break;
      }
      case kImplementationClassUidItem:
        info.implementation_class_uid = uid_text(sub.rest());
        break;
      case kImplementationVersionItem:
        info.implementation_version_name = ae_text(sub.rest());
        break;
      case kAsyncOperationsItem: {
        if (sub.remaining() != 4) {
          return malformed(sub, "asynchronous operations window sub-item is not 4 bytes");
        }
        AsyncOperationsWindow window;
        DCMKIT_ASSIGN_OR_RETURN(window.max_invoked, sub.read_u16(Endian::Big));
        DCMKIT_ASSIGN_OR_RETURN(window.max_performed, sub.read_u16(Endian::Big));
        info.async_operations = window;
        break;
      }
      case kRoleSelectionItem: {
        RoleSelection role;
        DCMKIT_ASSIGN_OR_RETURN(const auto uid, read_u16_field(sub, "role selection UID"));
        role.sop_class_uid = uid_text(uid);
        if (sub.remaining() != 2) return malformed(sub, "role selection sub-item has bad length");
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t scu, sub.read_u8());
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t scp, sub.read_u8());
        role.scu_role = scu != 0;
        role.scp_role = scp != 0;
        info.roles.push_back(std::move(role));
        break;
      }
      case kExtendedNegotiationItem: {
        ExtendedNegotiation extended;
        DCMKIT_ASSIGN_OR_RETURN(const auto uid, read_u16_field(sub, "extended negotiation UID"));
        extended.sop_class_uid = uid_text(uid);
        const auto rest = sub.rest();
        extended.application_info.assign(rest.begin(), rest.end());
        info.extended.push_back(std::move(extended));
        break;
      }
      case kCommonExtendedNegotiationItem: {
        CommonExtendedNegotiation common;
        DCMKIT_ASSIGN_OR_RETURN(const auto sop, read_u16_field(sub, "SOP class UID"));
        common.sop_class_uid = uid_text(sop);
        DCMKIT_ASSIGN_OR_RETURN(const auto service, read_u16_field(sub, "service class UID"));
        common.service_class_uid = uid_text(service);
        DCMKIT_ASSIGN_OR_RETURN(const auto related,
                                read_u16_field(sub, "related general SOP class identification"));
        ByteReader related_in(related, sub.offset() - related.size());
        while (!related_in.at_end()) {
          if (common.related_general_sop_classes.size() >= limits.max_user_items) {
            return Error(ErrorCode::LimitExceeded, "too many related general SOP classes");
          }
          DCMKIT_ASSIGN_OR_RETURN(const auto uid,
                                  read_u16_field(related_in, "related general SOP class UID"));
          common.related_general_sop_classes.push_back(uid_text(uid));
        }
        if (!sub.at_end()) return malformed(sub, "trailing bytes in common extended negotiation");
        info.common_extended.push_back(std::move(common));
        break;
      }
      case kUserIdentityRqItem: {
        if (!is_request)
          return malformed(sub, "user identity request sub-item in an A-ASSOCIATE-AC");
        if (sub.remaining() < 2) return sub.truncated("user identity sub-item", 2);
        UserIdentityRq identity;
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t type, sub.read_u8());
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t response, sub.read_u8());
        identity.type = static_cast<UserIdentityType>(type);
        identity.positive_response_requested = response == 1;
        DCMKIT_ASSIGN_OR_RETURN(const auto primary, read_u16_field(sub, "user identity primary"));
        identity.primary_field = std::string(ofstd::as_chars(primary));
        DCMKIT_ASSIGN_OR_RETURN(const auto secondary,
                                read_u16_field(sub, "user identity secondary"));
        identity.secondary_field = std::string(ofstd::as_chars(secondary));
        info.user_identity_rq = std::move(identity);
        break;
      }
      case kUserIdentityAcItem: {
        if (is_request)
          return malformed(sub, "user identity response sub-item in an A-ASSOCIATE-RQ");
        UserIdentityAc identity;
        DCMKIT_ASSIGN_OR_RETURN(const auto response, read_u16_field(sub, "server response"));
        identity.server_response = std::string(ofstd::as_chars(response));
        info.user_identity_ac = std::move(identity);
        break;
      }
      default: {
        // PS3.7 §D.3.3: unrecognized user information sub-items are ignored.
        const auto rest = sub.rest();
        info.unknown.push_back(UnknownItem{item.type, {rest.begin(), rest.end()}});
        break;
      }
    }
  }
  if (!have_max_length) {
    return malformed(in, "user information item without a maximum length sub-item");
  }
  return {};
}

Result<PresentationContextRq> decode_context_rq(ByteReader& in, const DecodeLimits& limits) {
  if (in.remaining() < 4) return in.truncated("presentation context", 4);
  PresentationContextRq context;
  DCMKIT_ASSIGN_OR_RETURN(context.id, in.read_u8());
  DCMKIT_TRY(in.skip(3));
  bool have_abstract = false;
  while (!in.at_end()) {
    DCMKIT_ASSIGN_OR_RETURN(Item item, read_item(in));
    if (item.type == kAbstractSyntaxItem) {
      if (have_abstract) return malformed(item.content, "second abstract syntax in a context");
      context.abstract_syntax = uid_text(item.content.rest());
      have_abstract = true;
    } else if (item.type == kTransferSyntaxItem) {
      if (context.transfer_syntaxes.size() >= limits.max_transfer_syntaxes) {
        return Error(ErrorCode::LimitExceeded, "more than " +
                                                   std::to_string(limits.max_transfer_syntaxes) +
                                                   " transfer syntaxes in presentation context " +
                                                   std::to_string(context.id));
      }
      context.transfer_syntaxes.push_back(uid_text(item.content.rest()));
    } else {
      return malformed(item.content, "unexpected sub-item " + std::to_string(item.type) +
                                         " in a presentation context");
    }
  }
  if (!have_abstract) {
    return malformed(
        in, "presentation context " + std::to_string(context.id) + " without an abstract syntax");
  }
  if (context.transfer_syntaxes.empty()) {
    return malformed(
        in, "presentation context " + std::to_string(context.id) + " without a transfer syntax");
  }
  return context;
}

Result<PresentationContextAc> decode_context_ac(ByteReader& in) {
  if (in.remaining() < 4) return in.truncated("presentation context", 4);
  PresentationContextAc context;
  DCMKIT_ASSIGN_OR_RETURN(context.id, in.read_u8());
  DCMKIT_TRY(in.skip(1));
  DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t result, in.read_u8());
  if (result > 4) {
    return malformed(in, "presentation context result " + std::to_string(result) + " is invalid");
  }
  context.result = static_cast<ContextResult>(result);
  DCMKIT_TRY(in.skip(1));
  bool have_ts = false;
  while (!in.at_end()) {
    DCMKIT_ASSIGN_OR_RETURN(Item item, read_item(in));
    if (item.type != kTransferSyntaxItem || have_ts) {
      return malformed(item.content, "unexpected sub-item " + std::to_string(item.type) +
                                         " in an accepted presentation context");
    }
    context.transfer_syntax = uid_text(item.content.rest());
    have_ts = true;
  }
  if (!have_ts && context.result == ContextResult::Acceptance) {
    return malformed(in, "accepted presentation context " + std::to_string(context.id) +
                             " without a transfer syntax");
  }
  return context;
}

// The common part of A-ASSOCIATE-RQ and -AC (PS3.8 §9.3.2 and §9.3.3).
template <class Pdu, bool kIsRequest>
Result<Pdu> decode_associate(ByteReader& in, const DecodeLimits& limits) {
  Pdu pdu;
  if (in.remaining() < 68) return in.truncated("A-ASSOCIATE fixed fields", 68);
  DCMKIT_ASSIGN_OR_RETURN(pdu.protocol_version, in.read_u16(Endian::Big));
  DCMKIT_TRY(in.skip(2));
  DCMKIT_ASSIGN_OR_RETURN(const auto called, in.read_bytes(16));
  DCMKIT_ASSIGN_OR_RETURN(const auto calling, in.read_bytes(16));
  pdu.called_ae = ae_text(called);
  pdu.calling_ae = ae_text(calling);
  DCMKIT_TRY(in.skip(32));
  bool have_context = false;
  bool have_user_info = false;
  pdu.application_context.clear();
  while (!in.at_end()) {
    DCMKIT_ASSIGN_OR_RETURN(Item item, read_item(in));
    switch (item.type) {
      case kApplicationContextItem:
        if (have_context) return malformed(item.content, "second application context item");
        pdu.application_context = uid_text(item.content.rest());
        have_context = true;
        break;
      case kPresentationContextRqItem:
      case kPresentationContextAcItem: {
        const std::uint8_t expected =
            kIsRequest ? kPresentationContextRqItem : kPresentationContextAcItem;
        if (item.type != expected) {
          return malformed(item.content, kIsRequest ? "accepted presentation context in a request"
                                                    : "proposed presentation context in an answer");
        }
        if (pdu.contexts.size() >= limits.max_contexts) {
          return Error(
              ErrorCode::LimitExceeded,
              "more than " + std::to_string(limits.max_contexts) + " presentation contexts");
        }
        if constexpr (kIsRequest) {
          DCMKIT_ASSIGN_OR_RETURN(auto context, decode_context_rq(item.content, limits));
          pdu.contexts.push_back(std::move(context));
        } else {
          DCMKIT_ASSIGN_OR_RETURN(auto context, decode_context_ac(item.content));
          pdu.contexts.push_back(std::move(context));
        }
        break;
      }
      case kUserInformationItem:
        if (have_user_info) return malformed(item.content, "second user information item");
        DCMKIT_TRY(decode_user_information(item.content, pdu.user_info, kIsRequest, limits));
        have_user_info = true;
        break;
      default:
        return malformed(item.content, "unknown item type " + std::to_string(item.type) +
                                           " in an A-ASSOCIATE PDU");
    }
  }
  if (!have_context) return malformed(in, "A-ASSOCIATE PDU without an application context");
  if (!have_user_info) return malformed(in, "A-ASSOCIATE PDU without user information");
  return pdu;
}

// --- Encoding -----------------------------------------------------------------------------

class Encoder {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<std::byte>(v)); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v >> 8));
    u8(static_cast<std::uint8_t>(v));
  }
  void u32(std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v >> 16));
    u16(static_cast<std::uint16_t>(v));
  }
  void zeros(std::size_t n) { out_.insert(out_.end(), n, std::byte{0}); }
  void bytes(std::span<const std::byte> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void text(std::string_view t) { bytes(ofstd::as_bytes(t)); }
  std::size_t size() const { return out_.size(); }
  // Starts an item with a 16-bit length patched by end_item().
  std::size_t begin_item(std::uint8_t type) {
    u8(type);
    u8(0);
    u16(0);
    return out_.size();
  }
  Status end_item(std::size_t start, std::string_view what) {
    const std::size_t length = out_.size() - start;
    if (length > 0xFFFF) {
      return Error(ErrorCode::InvalidArgument,
                   std::string(what) + " is " + std::to_string(length) + " bytes, over 65535");
    }
    out_[start - 2] = static_cast<std::byte>(length >> 8);
    out_[start - 1] = static_cast<std::byte>(length & 0xFF);
    return {};
  }
  std::vector<std::byte>& out() { return out_; }

 private:
  std::vector<std::byte> out_;
};

Status check_uid(std::string_view uid, std::string_view what) {
  if (uid.size() > 64) {
    return Error(ErrorCode::InvalidArgument,
                 std::string(what) + " \"" + std::string(uid) + "\" is longer than 64 characters");
  }
  return {};
}

Status uid_item(Encoder& e, std::uint8_t type, std::string_view uid, std::string_view what) {
  DCMKIT_TRY(check_uid(uid, what));
  const std::size_t start = e.begin_item(type);
  e.text(uid);
  return e.end_item(start, what);
}

Status u16_field(Encoder& e, std::string_view bytes, std::string_view what) {
  if (bytes.size() > 0xFFFF) {
    return Error(ErrorCode::InvalidArgument, std::string(what) + " is over 65535 bytes");
  }
  e.u16(static_cast<std::uint16_t>(bytes.size()));
  e.text(bytes);
  return {};
}

Status encode_ae(Encoder& e, std::string_view ae, std::string_view what) {
  if (ae.size() > 16) {
    return Error(ErrorCode::InvalidArgument,
                 std::string(what) + " \"" + std::string(ae) + "\" is longer than 16 characters");
  }
  e.text(ae);
  e.bytes(std::vector<std::byte>(16 - ae.size(), std::byte{' '}));
  return {};
}

Status encode_user_information(Encoder& e, const UserInformation& info) {
  const std::size_t start = e.begin_item(kUserInformationItem);
  std::size_t sub = e.begin_item(kMaxLengthItem);
  e.u32(info.max_length);
  DCMKIT_TRY(e.end_item(sub, "maximum length"));
  if (!info.implementation_class_uid.empty()) {
    DCMKIT_TRY(uid_item(e, kImplementationClassUidItem, info.implementation_class_uid,
                        "implementation class UID"));
  }
  if (info.async_operations) {
    sub = e.begin_item(kAsyncOperationsItem);
    e.u16(info.async_operations->max_invoked);
    e.u16(info.async_operations->max_performed);
    DCMKIT_TRY(e.end_item(sub, "asynchronous operations window"));
  }
  for (const RoleSelection& role : info.roles) {
    DCMKIT_TRY(check_uid(role.sop_class_uid, "role selection SOP class UID"));
    sub = e.begin_item(kRoleSelectionItem);
    DCMKIT_TRY(u16_field(e, role.sop_class_uid, "role selection UID"));
    e.u8(role.scu_role ? 1 : 0);
    e.u8(role.scp_role ? 1 : 0);
    DCMKIT_TRY(e.end_item(sub, "role selection"));
  }
  if (!info.implementation_version_name.empty()) {
    if (info.implementation_version_name.size() > 16) {
      return Error(ErrorCode::InvalidArgument, "implementation version name \"" +
                                                   info.implementation_version_name +
                                                   "\" is longer than 16 characters");
    }
    sub = e.begin_item(kImplementationVersionItem);
    e.text(info.implementation_version_name);
    DCMKIT_TRY(e.end_item(sub, "implementation version name"));
  }
  for (const ExtendedNegotiation& extended : info.extended) {
    DCMKIT_TRY(check_uid(extended.sop_class_uid, "extended negotiation SOP class UID"));
    sub = e.begin_item(kExtendedNegotiationItem);
    DCMKIT_TRY(u16_field(e, extended.sop_class_uid, "extended negotiation UID"));
    e.bytes(extended.application_info);
    DCMKIT_TRY(e.end_item(sub, "SOP class extended negotiation"));
  }
  for (const CommonExtendedNegotiation& common : info.common_extended) {
    DCMKIT_TRY(check_uid(common.sop_class_uid, "common extended negotiation SOP class UID"));
    DCMKIT_TRY(check_uid(common.service_class_uid, "service class UID"));
    sub = e.begin_item(kCommonExtendedNegotiationItem);
    DCMKIT_TRY(u16_field(e, common.sop_class_uid, "SOP class UID"));
    DCMKIT_TRY(u16_field(e, common.service_class_uid, "service class UID"));
    std::size_t related_length = 0;
    for (const std::string& uid : common.related_general_sop_classes) {
      DCMKIT_TRY(check_uid(uid, "related general SOP class UID"));
      related_length += 2 + uid.size();
    }
    if (related_length > 0xFFFF) {
      return Error(ErrorCode::InvalidArgument, "related general SOP classes over 65535 bytes");
    }
    e.u16(static_cast<std::uint16_t>(related_length));
    for (const std::string& uid : common.related_general_sop_classes) {
      DCMKIT_TRY(u16_field(e, uid, "related general SOP class UID"));
    }
    DCMKIT_TRY(e.end_item(sub, "SOP class common extended negotiation"));
  }
  if (info.user_identity_rq) {
    const UserIdentityRq& identity = *info.user_identity_rq;
    sub = e.begin_item(kUserIdentityRqItem);
    e.u8(static_cast<std::uint8_t>(identity.type));
    e.u8(identity.positive_response_requested ? 1 : 0);
    DCMKIT_TRY(u16_field(e, identity.primary_field, "user identity primary field"));
    DCMKIT_TRY(u16_field(e, identity.secondary_field, "user identity secondary field"));
    DCMKIT_TRY(e.end_item(sub, "user identity"));
  }
  if (info.user_identity_ac) {
    sub = e.begin_item(kUserIdentityAcItem);
    DCMKIT_TRY(u16_field(e, info.user_identity_ac->server_response, "user identity response"));
    DCMKIT_TRY(e.end_item(sub, "user identity response"));
  }
  return e.end_item(start, "user information item");
}

void begin_pdu(Encoder& e, PduType type) {
  e.u8(static_cast<std::uint8_t>(type));
  e.u8(0);
  e.u32(0);  // patched by end_pdu()
}

std::vector<std::byte> end_pdu(Encoder& e) {
  std::vector<std::byte>& out = e.out();
  const auto length = static_cast<std::uint32_t>(out.size() - kPduHeaderSize);
  ofstd::store<std::uint32_t>(out.data() + 2, length, Endian::Big);
  return std::move(out);
}

template <class Associate>
Status encode_associate_fixed(Encoder& e, const Associate& pdu) {
  e.u16(pdu.protocol_version);
  e.u16(0);
  DCMKIT_TRY(encode_ae(e, pdu.called_ae, "called AE title"));
  DCMKIT_TRY(encode_ae(e, pdu.calling_ae, "calling AE title"));
  e.zeros(32);
  return uid_item(e, kApplicationContextItem, pdu.application_context, "application context");
}

Result<std::vector<std::byte>> encode(const AssociateRq& rq) {
  if (rq.contexts.empty()) {
    return Error(ErrorCode::InvalidArgument, "an A-ASSOCIATE-RQ needs a presentation context");
  }
  Encoder e;
  begin_pdu(e, PduType::AssociateRq);
  DCMKIT_TRY(encode_associate_fixed(e, rq));
  for (const PresentationContextRq& context : rq.contexts) {
    if (context.transfer_syntaxes.empty()) {
      return Error(
          ErrorCode::InvalidArgument,
          "presentation context " + std::to_string(context.id) + " has no transfer syntax");
    }
    const std::size_t start = e.begin_item(kPresentationContextRqItem);
    e.u8(context.id);
    e.zeros(3);
    DCMKIT_TRY(uid_item(e, kAbstractSyntaxItem, context.abstract_syntax, "abstract syntax"));
    for (const std::string& ts : context.transfer_syntaxes) {
      DCMKIT_TRY(uid_item(e, kTransferSyntaxItem, ts, "transfer syntax"));
    }
    DCMKIT_TRY(e.end_item(start, "presentation context"));
  }
  DCMKIT_TRY(encode_user_information(e, rq.user_info));
  return end_pdu(e);
}

Result<std::vector<std::byte>> encode(const AssociateAc& ac) {
  Encoder e;
  begin_pdu(e, PduType::AssociateAc);
  DCMKIT_TRY(encode_associate_fixed(e, ac));
  for (const PresentationContextAc& context : ac.contexts) {
    const std::size_t start = e.begin_item(kPresentationContextAcItem);
    e.u8(context.id);
    e.u8(0);
    e.u8(static_cast<std::uint8_t>(context.result));
    e.u8(0);
    // PS3.8 §9.3.3.2: a transfer syntax sub-item is always present; its value is not
    // significant when the context is rejected.
    DCMKIT_TRY(uid_item(e, kTransferSyntaxItem, context.transfer_syntax, "transfer syntax"));
    DCMKIT_TRY(e.end_item(start, "presentation context"));
  }
  DCMKIT_TRY(encode_user_information(e, ac.user_info));
  return end_pdu(e);
}

}  // namespace

std::string_view to_string(PduType type) noexcept {
  switch (type) {
    case PduType::AssociateRq:
      return "A-ASSOCIATE-RQ";
    case PduType::AssociateAc:
      return "A-ASSOCIATE-AC";
    case PduType::AssociateRj:
      return "A-ASSOCIATE-RJ";
    case PduType::PDataTf:
      return "P-DATA-TF";
    case PduType::ReleaseRq:
      return "A-RELEASE-RQ";
    case PduType::ReleaseRp:
      return "A-RELEASE-RP";
    case PduType::Abort:
      return "A-ABORT";
  }
  return "unknown PDU";
}

std::string_view to_string(ContextResult result) noexcept {
  switch (result) {
    case ContextResult::Acceptance:
      return "acceptance";
    case ContextResult::UserRejection:
      return "user-rejection";
    case ContextResult::NoReason:
      return "no-reason (provider rejection)";
    case ContextResult::AbstractSyntaxNotSupported:
      return "abstract syntax not supported";
    case ContextResult::TransferSyntaxesNotSupported:
      return "transfer syntaxes not supported";
  }
  return "unknown result";
}

std::string describe(const AssociateRj& rj) {
  std::string text = "Result: ";
  switch (rj.result) {
    case reject::kPermanent:
      text += "Rejected Permanent";
      break;
    case reject::kTransient:
      text += "Rejected Transient";
      break;
    default:
      text += "UNKNOWN (" + std::to_string(rj.result) + ")";
  }
  text += ", Source: ";
  switch (rj.source) {
    case reject::kServiceUser:
      text += "Service User";
      break;
    case reject::kServiceProviderAcse:
      text += "Service Provider (ACSE Related)";
      break;
    case reject::kServiceProviderPresentation:
      text += "Service Provider (Presentation Related)";
      break;
    default:
      text += "UNKNOWN (" + std::to_string(rj.source) + ")";
  }
  text += "\nReason: ";
  std::string reason;
  if (rj.source == reject::kServiceUser) {
    switch (rj.reason) {
      case 1:
        reason = "No Reason";
        break;
      case 2:
        reason = "Application Context Name Not Supported";
        break;
      case 3:
        reason = "Calling AE Title Not Recognized";
        break;
      case 7:
        reason = "Called AE Title Not Recognized";
        break;
      default:
        break;
    }
  } else if (rj.source == reject::kServiceProviderAcse) {
    if (rj.reason == 1) reason = "No Reason";
    if (rj.reason == 2) reason = "Protocol Version Not Supported";
  } else if (rj.source == reject::kServiceProviderPresentation) {
    if (rj.reason == 1) reason = "Temporary Congestion";
    if (rj.reason == 2) reason = "Local Limit Exceeded";
  }
  if (reason.empty()) reason = "UNKNOWN (" + std::to_string(rj.reason) + ")";
  return text + reason;
}

PduType type_of(const Pdu& pdu) noexcept {
  static constexpr PduType kTypes[] = {
      PduType::AssociateRq, PduType::AssociateAc, PduType::AssociateRj, PduType::PDataTf,
      PduType::ReleaseRq,   PduType::ReleaseRp,   PduType::Abort};
  return kTypes[pdu.index()];
}

Result<PduHeader> decode_pdu_header(std::span<const std::byte> bytes) {
  if (bytes.size() < kPduHeaderSize) {
    return Error(ErrorCode::MalformedData,
                 "PDU header needs 6 bytes, " + std::to_string(bytes.size()) + " available");
  }
  PduHeader header;
  header.type = std::to_integer<std::uint8_t>(bytes[0]);
  header.length = ofstd::load_u32(bytes.data() + 2, Endian::Big);
  return header;
}

Result<Pdu> decode_pdu(std::span<const std::byte> bytes, const DecodeLimits& limits) {
  DCMKIT_ASSIGN_OR_RETURN(const PduHeader header, decode_pdu_header(bytes));
  if (header.length > limits.max_pdu_length) {
    return Error(ErrorCode::LimitExceeded, "PDU length " + std::to_string(header.length) +
                                               " exceeds the limit of " +
                                               std::to_string(limits.max_pdu_length));
  }
  if (header.length != bytes.size() - kPduHeaderSize) {
    return Error(ErrorCode::MalformedData,
                 "PDU length " + std::to_string(header.length) + " does not match the " +
                     std::to_string(bytes.size() - kPduHeaderSize) + " bytes given");
  }
  ByteReader in(bytes.subspan(kPduHeaderSize), kPduHeaderSize);
  const auto fixed = [&in](std::size_t size, std::string_view name) -> Status {
    if (in.remaining() < size) return in.truncated(name, size);
    return {};
  };
  switch (header.type) {
    case static_cast<std::uint8_t>(PduType::AssociateRq): {
      DCMKIT_ASSIGN_OR_RETURN(auto rq, (decode_associate<AssociateRq, true>(in, limits)));
      return Pdu(std::move(rq));
    }
    case static_cast<std::uint8_t>(PduType::AssociateAc): {
      DCMKIT_ASSIGN_OR_RETURN(auto ac, (decode_associate<AssociateAc, false>(in, limits)));
      return Pdu(std::move(ac));
    }
    case static_cast<std::uint8_t>(PduType::AssociateRj): {
      DCMKIT_TRY(fixed(4, "A-ASSOCIATE-RJ"));
      AssociateRj rj;
      DCMKIT_TRY(in.skip(1));
      DCMKIT_ASSIGN_OR_RETURN(rj.result, in.read_u8());
      DCMKIT_ASSIGN_OR_RETURN(rj.source, in.read_u8());
      DCMKIT_ASSIGN_OR_RETURN(rj.reason, in.read_u8());
      return Pdu(rj);
    }
    case static_cast<std::uint8_t>(PduType::PDataTf): {
      PDataTfView pdata;
      while (!in.at_end()) {
        if (pdata.pdvs.size() >= limits.max_pdvs) {
          return Error(ErrorCode::LimitExceeded,
                       "more than " + std::to_string(limits.max_pdvs) + " PDVs in a P-DATA-TF");
        }
        if (in.remaining() < 6) return in.truncated("PDV item header", 6);
        const std::uint64_t start = in.offset();
        DCMKIT_ASSIGN_OR_RETURN(const std::uint32_t length, in.read_u32(Endian::Big));
        if (length < 2 || length > in.remaining()) {
          return Error(ErrorCode::MalformedData, "offset " + std::to_string(start) +
                                                     ": PDV item length " + std::to_string(length) +
                                                     " is invalid");
        }
        PdvView pdv;
        DCMKIT_ASSIGN_OR_RETURN(pdv.context_id, in.read_u8());
        DCMKIT_ASSIGN_OR_RETURN(const std::uint8_t control, in.read_u8());
        pdv.is_command = (control & 0x01) != 0;
        pdv.is_last = (control & 0x02) != 0;
        DCMKIT_ASSIGN_OR_RETURN(pdv.data, in.read_bytes(length - 2));
        pdata.pdvs.push_back(pdv);
      }
      if (pdata.pdvs.empty()) return malformed(in, "P-DATA-TF without a PDV");
      return Pdu(std::move(pdata));
    }
    case static_cast<std::uint8_t>(PduType::ReleaseRq):
      DCMKIT_TRY(fixed(4, "A-RELEASE-RQ"));
      return Pdu(ReleaseRq{});
    case static_cast<std::uint8_t>(PduType::ReleaseRp):
      DCMKIT_TRY(fixed(4, "A-RELEASE-RP"));
      return Pdu(ReleaseRp{});
    case static_cast<std::uint8_t>(PduType::Abort): {
      DCMKIT_TRY(fixed(4, "A-ABORT"));
      Abort abort;
      DCMKIT_TRY(in.skip(2));
      DCMKIT_ASSIGN_OR_RETURN(abort.source, in.read_u8());
      DCMKIT_ASSIGN_OR_RETURN(abort.reason, in.read_u8());
      return Pdu(abort);
    }
    default:
      return Error(ErrorCode::Unsupported, "unknown PDU type " + std::to_string(header.type));
  }
}

Result<std::vector<std::byte>> encode_pdu(const Pdu& pdu) {
  if (const auto* rq = std::get_if<AssociateRq>(&pdu)) return encode(*rq);
  if (const auto* ac = std::get_if<AssociateAc>(&pdu)) return encode(*ac);
  Encoder e;
  begin_pdu(e, type_of(pdu));
  if (const auto* rj = std::get_if<AssociateRj>(&pdu)) {
    e.u8(0);
    e.u8(rj->result);
    e.u8(rj->source);
    e.u8(rj->reason);
  } else if (const auto* pdata = std::get_if<PDataTfView>(&pdu)) {
    for (const PdvView& pdv : pdata->pdvs) {
      if (pdv.data.size() > 0xFFFFFFF0u) {
        return Error(ErrorCode::InvalidArgument, "PDV too large");
      }
      e.u32(static_cast<std::uint32_t>(pdv.data.size() + 2));
      e.u8(pdv.context_id);
      e.u8(static_cast<std::uint8_t>((pdv.is_command ? 1 : 0) | (pdv.is_last ? 2 : 0)));
      e.bytes(pdv.data);
    }
  } else if (const auto* abort = std::get_if<Abort>(&pdu)) {
    e.u8(0);
    e.u8(0);
    e.u8(abort->source);
    e.u8(abort->reason);
  } else {
    e.zeros(4);  // A-RELEASE-RQ/RP: reserved
  }
  if (e.size() - kPduHeaderSize > 0xFFFFFFFFu) {
    return Error(ErrorCode::InvalidArgument, "PDU too large");
  }
  return end_pdu(e);
}

void encode_pdata_header(std::span<std::byte, 12> out, std::uint8_t context_id, bool is_command,
                         bool is_last, std::uint32_t data_length) noexcept {
  out[0] = std::byte{0x04};
  out[1] = std::byte{0};
  ofstd::store<std::uint32_t>(out.data() + 2, data_length + 6, Endian::Big);
  ofstd::store<std::uint32_t>(out.data() + 6, data_length + 2, Endian::Big);
  out[10] = static_cast<std::byte>(context_id);
  out[11] = static_cast<std::byte>((is_command ? 1 : 0) | (is_last ? 2 : 0));
}

namespace {

void describe_user_information(std::ostringstream& out, const UserInformation& info) {
  out << "Max PDU length:       " << info.max_length << "\n"
      << "Implementation class: " << info.implementation_class_uid << "\n"
      << "Implementation name:  " << info.implementation_version_name << "\n";
  if (info.async_operations) {
    out << "Async operations:     invoked " << info.async_operations->max_invoked << ", performed "
        << info.async_operations->max_performed << "\n";
  }
  for (const RoleSelection& role : info.roles) {
    out << "Role selection:       " << role.sop_class_uid << " SCU=" << role.scu_role
        << " SCP=" << role.scp_role << "\n";
  }
  for (const ExtendedNegotiation& extended : info.extended) {
    out << "Extended negotiation: " << extended.sop_class_uid << " ("
        << extended.application_info.size() << " bytes)\n";
  }
  for (const CommonExtendedNegotiation& common : info.common_extended) {
    out << "Common extended neg.: " << common.sop_class_uid << " service "
        << common.service_class_uid << " (" << common.related_general_sop_classes.size()
        << " related)\n";
  }
  if (info.user_identity_rq) {
    out << "User identity:        type " << static_cast<int>(info.user_identity_rq->type)
        << ", response requested: "
        << (info.user_identity_rq->positive_response_requested ? "yes" : "no") << "\n";
  }
  if (info.user_identity_ac) {
    out << "User identity answer: " << info.user_identity_ac->server_response.size() << " bytes\n";
  }
  for (const UnknownItem& item : info.unknown) {
    out << "Unknown sub-item:     type " << static_cast<int>(item.type) << " (" << item.data.size()
        << " bytes)\n";
  }
}

}  // namespace

std::string describe(const AssociateRq& rq) {
  std::ostringstream out;
  out << "Our/their AE titles:  " << rq.calling_ae << " -> " << rq.called_ae << "\n"
      << "Application context:  " << rq.application_context << "\n";
  describe_user_information(out, rq.user_info);
  out << "Presentation contexts:\n";
  for (const PresentationContextRq& context : rq.contexts) {
    out << "  Context ID:  " << static_cast<int>(context.id) << " (Proposed)\n"
        << "    Abstract Syntax: " << context.abstract_syntax << "\n"
        << "    Transfer Syntax(es):\n";
    for (const std::string& ts : context.transfer_syntaxes) out << "      " << ts << "\n";
  }
  std::string text = std::move(out).str();
  if (!text.empty()) text.pop_back();
  return text;
}

std::string describe(const AssociateAc& ac) {
  std::ostringstream out;
  out << "Our/their AE titles:  " << ac.called_ae << " <- " << ac.calling_ae << "\n"
      << "Application context:  " << ac.application_context << "\n";
  describe_user_information(out, ac.user_info);
  out << "Presentation contexts:\n";
  for (const PresentationContextAc& context : ac.contexts) {
    out << "  Context ID:  " << static_cast<int>(context.id) << " (" << to_string(context.result)
        << ")";
    if (context.result == ContextResult::Acceptance) out << " " << context.transfer_syntax;
    out << "\n";
  }
  std::string text = std::move(out).str();
  if (!text.empty()) text.pop_back();
  return text;
}

}  // namespace dcmkit::dcmnet

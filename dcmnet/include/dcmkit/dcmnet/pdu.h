// SPDX-License-Identifier: BSD-3-Clause
// The DICOM upper-layer PDUs (PS3.8 §9.3) and their items as value types, with a bounded decoder
// and an encoder. Decoding never trusts a length field: every item is checked against the bytes
// that remain, and item counts are limited.
//
//   AssociateRq rq;
//   rq.called_ae = "ANY-SCP";
//   rq.calling_ae = "ECHOSCU";
//   rq.contexts.push_back({1, std::string(uids::Verification.str()), {"1.2.840.10008.1.2"}});
//   DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::byte> bytes, encode_pdu(rq));
//   DCMKIT_ASSIGN_OR_RETURN(const Pdu pdu, decode_pdu(bytes));
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// PDU types (PS3.8 §9.3.1).
enum class PduType : std::uint8_t {
  AssociateRq = 0x01,
  AssociateAc = 0x02,
  AssociateRj = 0x03,
  PDataTf = 0x04,
  ReleaseRq = 0x05,
  ReleaseRp = 0x06,
  Abort = 0x07,
};

/// Name of a PDU type for messages ("A-ASSOCIATE-RQ"); "unknown PDU" for other values.
std::string_view to_string(PduType type) noexcept;

/// The DICOM Application Context Name (PS3.7 Annex A.2.1).
inline constexpr std::string_view kDicomApplicationContext = "1.2.840.10008.3.1.1.1";

/// Size of the fixed PDU header: type, reserved, 32-bit big-endian length (PS3.8 §9.3.1).
inline constexpr std::size_t kPduHeaderSize = 6;

/// A proposed presentation context (item 20H, PS3.8 §9.3.2.2).
struct PresentationContextRq {
  std::uint8_t id = 1;  ///< odd, 1..255
  std::string abstract_syntax;
  std::vector<std::string> transfer_syntaxes;
  friend bool operator==(const PresentationContextRq&, const PresentationContextRq&) = default;
};

/// Result/reason of a presentation context in an A-ASSOCIATE-AC (PS3.8 Table 9-18).
enum class ContextResult : std::uint8_t {
  Acceptance = 0,
  UserRejection = 1,
  NoReason = 2,  ///< provider rejection, no reason given
  AbstractSyntaxNotSupported = 3,
  TransferSyntaxesNotSupported = 4,
};

/// Text of a context result as DCMTK prints it ("abstract syntax not supported").
std::string_view to_string(ContextResult result) noexcept;

/// An answered presentation context (item 21H, PS3.8 §9.3.3.2).
struct PresentationContextAc {
  std::uint8_t id = 1;
  ContextResult result = ContextResult::Acceptance;
  /// The accepted transfer syntax (may be empty when rejected; PS3.8 says not to test it then).
  std::string transfer_syntax;
  friend bool operator==(const PresentationContextAc&, const PresentationContextAc&) = default;
};

/// SCP/SCU Role Selection sub-item (54H, PS3.7 §D.3.3.4).
struct RoleSelection {
  std::string sop_class_uid;
  bool scu_role = false;
  bool scp_role = false;
  friend bool operator==(const RoleSelection&, const RoleSelection&) = default;
};

/// Asynchronous Operations Window sub-item (53H, PS3.7 §D.3.3.3); 0 means unlimited.
struct AsyncOperationsWindow {
  std::uint16_t max_invoked = 1;
  std::uint16_t max_performed = 1;
  friend bool operator==(const AsyncOperationsWindow&, const AsyncOperationsWindow&) = default;
};

/// SOP Class Extended Negotiation sub-item (56H, PS3.7 §D.3.3.5): service-class-specific bytes.
struct ExtendedNegotiation {
  std::string sop_class_uid;
  std::vector<std::byte> application_info;
  friend bool operator==(const ExtendedNegotiation&, const ExtendedNegotiation&) = default;
};

/// SOP Class Common Extended Negotiation sub-item (57H, PS3.7 §D.3.3.6).
struct CommonExtendedNegotiation {
  std::string sop_class_uid;
  std::string service_class_uid;
  std::vector<std::string> related_general_sop_classes;
  friend bool operator==(const CommonExtendedNegotiation&,
                         const CommonExtendedNegotiation&) = default;
};

/// User Identity types (PS3.7 Table D.3-14).
enum class UserIdentityType : std::uint8_t {
  Username = 1,
  UsernameAndPasscode = 2,
  Kerberos = 3,
  Saml = 4,
  Jwt = 5,
};

/// User Identity Negotiation sub-item of an A-ASSOCIATE-RQ (58H, PS3.7 §D.3.3.7.1). The fields
/// are bytes (a Kerberos ticket is binary), kept in std::string for convenience.
struct UserIdentityRq {
  UserIdentityType type = UserIdentityType::Username;
  bool positive_response_requested = false;
  std::string primary_field;
  std::string secondary_field;  ///< the passcode for UsernameAndPasscode, else empty
  friend bool operator==(const UserIdentityRq&, const UserIdentityRq&) = default;
};

/// User Identity Negotiation sub-item of an A-ASSOCIATE-AC (59H, PS3.7 §D.3.3.7.2).
struct UserIdentityAc {
  std::string server_response;
  friend bool operator==(const UserIdentityAc&, const UserIdentityAc&) = default;
};

/// A user information sub-item dcmkit does not know, kept so that it can be logged.
struct UnknownItem {
  std::uint8_t type = 0;
  std::vector<std::byte> data;
  friend bool operator==(const UnknownItem&, const UnknownItem&) = default;
};

/// User Information item (50H, PS3.8 §9.3.2.3 and PS3.7 Annex D.3.3).
struct UserInformation {
  /// Maximum Length Received (51H): the largest P-DATA-TF variable field the sender accepts;
  /// 0 means no limit.
  std::uint32_t max_length = 16384;
  std::string implementation_class_uid;
  std::string implementation_version_name;  ///< empty: the sub-item is not sent
  std::optional<AsyncOperationsWindow> async_operations;
  std::vector<RoleSelection> roles;
  std::vector<ExtendedNegotiation> extended;
  std::vector<CommonExtendedNegotiation> common_extended;  ///< only in A-ASSOCIATE-RQ
  std::optional<UserIdentityRq> user_identity_rq;          ///< only in A-ASSOCIATE-RQ
  std::optional<UserIdentityAc> user_identity_ac;          ///< only in A-ASSOCIATE-AC
  std::vector<UnknownItem> unknown;                        ///< decoded only, never encoded
  friend bool operator==(const UserInformation&, const UserInformation&) = default;
};

/// A-ASSOCIATE-RQ (PS3.8 §9.3.2). AE titles are kept without their space padding.
struct AssociateRq {
  std::uint16_t protocol_version = 1;
  std::string called_ae;
  std::string calling_ae;
  std::string application_context{kDicomApplicationContext};
  std::vector<PresentationContextRq> contexts;
  UserInformation user_info;
  friend bool operator==(const AssociateRq&, const AssociateRq&) = default;
};

/// A-ASSOCIATE-AC (PS3.8 §9.3.3). The AE titles echo the request's (not tested on receipt).
struct AssociateAc {
  std::uint16_t protocol_version = 1;
  std::string called_ae;
  std::string calling_ae;
  std::string application_context{kDicomApplicationContext};
  std::vector<PresentationContextAc> contexts;
  UserInformation user_info;
  friend bool operator==(const AssociateAc&, const AssociateAc&) = default;
};

/// A-ASSOCIATE-RJ result, source and reason (PS3.8 Table 9-21).
struct AssociateRj {
  std::uint8_t result = 1;  ///< 1 rejected-permanent, 2 rejected-transient
  std::uint8_t source = 1;  ///< 1 service-user, 2 provider (ACSE), 3 provider (presentation)
  std::uint8_t reason = 1;  ///< meaning depends on the source
  friend bool operator==(const AssociateRj&, const AssociateRj&) = default;
};

/// A-ASSOCIATE-RJ values (PS3.8 Table 9-21).
namespace reject {
inline constexpr std::uint8_t kPermanent = 1;
inline constexpr std::uint8_t kTransient = 2;
inline constexpr std::uint8_t kServiceUser = 1;
inline constexpr std::uint8_t kServiceProviderAcse = 2;
inline constexpr std::uint8_t kServiceProviderPresentation = 3;
// Reasons for source 1 (service user).
inline constexpr std::uint8_t kNoReasonGiven = 1;
inline constexpr std::uint8_t kApplicationContextNotSupported = 2;
inline constexpr std::uint8_t kCallingAeNotRecognized = 3;
inline constexpr std::uint8_t kCalledAeNotRecognized = 7;
// Reasons for source 2 (ACSE).
inline constexpr std::uint8_t kProtocolVersionNotSupported = 2;
// Reasons for source 3 (presentation).
inline constexpr std::uint8_t kTemporaryCongestion = 1;
inline constexpr std::uint8_t kLocalLimitExceeded = 2;
}  // namespace reject

/// DCMTK's description of a rejection, e.g. "Result: Rejected Permanent, Source: Service User,
/// Reason: No Reason" (three lines joined by ", ").
std::string describe(const AssociateRj& rj);

/// One Presentation Data Value (PS3.8 §9.3.5.1) as a view into the decoded PDU's bytes.
struct PdvView {
  std::uint8_t context_id = 0;
  bool is_command = false;  ///< message control header bit 0
  bool is_last = false;     ///< message control header bit 1
  std::span<const std::byte> data;
};

/// P-DATA-TF: its PDVs as views. Valid only while the bytes given to decode_pdu() live.
struct PDataTfView {
  std::vector<PdvView> pdvs;
};

/// A-RELEASE-RQ (PS3.8 §9.3.6).
struct ReleaseRq {
  friend bool operator==(const ReleaseRq&, const ReleaseRq&) = default;
};
/// A-RELEASE-RP (PS3.8 §9.3.7).
struct ReleaseRp {
  friend bool operator==(const ReleaseRp&, const ReleaseRp&) = default;
};

/// A-ABORT (PS3.8 §9.3.8): source 0 service user, 2 service provider; reason for provider
/// aborts (0 not specified, 1 unrecognized PDU, 2 unexpected PDU, 4 unrecognized PDU parameter,
/// 5 unexpected PDU parameter, 6 invalid PDU parameter value).
struct Abort {
  std::uint8_t source = 0;
  std::uint8_t reason = 0;
  friend bool operator==(const Abort&, const Abort&) = default;
};

/// A-ABORT values (PS3.8 Table 9-26).
namespace abort_reason {
inline constexpr std::uint8_t kServiceUser = 0;
inline constexpr std::uint8_t kServiceProvider = 2;
inline constexpr std::uint8_t kNotSpecified = 0;
inline constexpr std::uint8_t kUnrecognizedPdu = 1;
inline constexpr std::uint8_t kUnexpectedPdu = 2;
inline constexpr std::uint8_t kUnrecognizedPduParameter = 4;
inline constexpr std::uint8_t kUnexpectedPduParameter = 5;
inline constexpr std::uint8_t kInvalidPduParameterValue = 6;
}  // namespace abort_reason

/// Any decoded PDU.
using Pdu =
    std::variant<AssociateRq, AssociateAc, AssociateRj, PDataTfView, ReleaseRq, ReleaseRp, Abort>;

/// The type of a decoded PDU.
PduType type_of(const Pdu& pdu) noexcept;

/// Limits applied while decoding untrusted PDUs.
struct DecodeLimits {
  /// Largest PDU length field accepted (bytes after the 6-byte header).
  std::uint32_t max_pdu_length = 16u << 20;
  /// Most presentation contexts in one association PDU (ids are odd 1..255, so 128 is the
  /// most that can be valid).
  std::size_t max_contexts = 128;
  /// Most transfer syntaxes in one proposed context.
  std::size_t max_transfer_syntaxes = 64;
  /// Most user information sub-items of any kind.
  std::size_t max_user_items = 512;
  /// Most PDVs in one P-DATA-TF.
  std::size_t max_pdvs = 4096;
};

/// The fixed header of a PDU.
struct PduHeader {
  std::uint8_t type = 0;  ///< as received; may be an unknown value
  std::uint32_t length = 0;
};

/// Decodes the 6-byte PDU header. MalformedData if fewer bytes are given.
ofstd::Result<PduHeader> decode_pdu_header(std::span<const std::byte> bytes);

/// Decodes one whole PDU (header included). MalformedData for bad structure (with the offset
/// and item), Unsupported for an unknown PDU type, LimitExceeded when a DecodeLimits bound is
/// reached. P-DATA-TF PDVs are views into `bytes`.
ofstd::Result<Pdu> decode_pdu(std::span<const std::byte> bytes, const DecodeLimits& limits = {});

/// Encodes a PDU. InvalidArgument if a field cannot be encoded (an AE title over 16 characters,
/// a UID over 64, an item over 65535 bytes, an empty presentation context list in a request).
/// A PDataTfView is encoded with its PDVs.
ofstd::Result<std::vector<std::byte>> encode_pdu(const Pdu& pdu);

/// Writes the 12 bytes that precede a single-PDV P-DATA-TF's payload: the PDU header and the
/// PDV header for `data_length` payload bytes. Precondition: data_length + 6 fits in 32 bits.
void encode_pdata_header(std::span<std::byte, 12> out, std::uint8_t context_id, bool is_command,
                         bool is_last, std::uint32_t data_length) noexcept;

/// A multi-line description of an association PDU, in the spirit of DCMTK's debug dumps.
std::string describe(const AssociateRq& rq);
std::string describe(const AssociateAc& ac);

}  // namespace dcmkit::dcmnet

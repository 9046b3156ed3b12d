// SPDX-License-Identifier: BSD-3-Clause
// DIMSE command sets (PS3.7 §9, §10 and Annex E): the command fields of every C- and N-service
// as one value type, encoded in implicit VR little endian with a Command Group Length, and the
// status codes with their categories.
//
//   Command rq = make_c_echo_rq(1);
//   DCMKIT_ASSIGN_OR_RETURN(const std::vector<std::byte> bytes, encode_command(rq));
//   DCMKIT_ASSIGN_OR_RETURN(const Command back, decode_command(bytes));
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// Command Field values (PS3.7 Annex E).
enum class CommandField : std::uint16_t {
  CStoreRq = 0x0001,
  CStoreRsp = 0x8001,
  CGetRq = 0x0010,
  CGetRsp = 0x8010,
  CFindRq = 0x0020,
  CFindRsp = 0x8020,
  CMoveRq = 0x0021,
  CMoveRsp = 0x8021,
  CEchoRq = 0x0030,
  CEchoRsp = 0x8030,
  NEventReportRq = 0x0100,
  NEventReportRsp = 0x8100,
  NGetRq = 0x0110,
  NGetRsp = 0x8110,
  NSetRq = 0x0120,
  NSetRsp = 0x8120,
  NActionRq = 0x0130,
  NActionRsp = 0x8130,
  NCreateRq = 0x0140,
  NCreateRsp = 0x8140,
  NDeleteRq = 0x0150,
  NDeleteRsp = 0x8150,
  CCancelRq = 0x0FFF,
};

/// "C-STORE-RQ" etc.; "unknown command" for other values.
std::string_view to_string(CommandField field) noexcept;
/// True for the response command fields (bit 15 set).
constexpr bool is_response(CommandField field) noexcept {
  return (static_cast<std::uint16_t>(field) & 0x8000) != 0;
}

/// Priority (0000,0700) of C-STORE, C-FIND, C-GET and C-MOVE requests.
enum class Priority : std::uint16_t { Medium = 0x0000, High = 0x0001, Low = 0x0002 };

/// Command Data Set Type (0000,0800) meaning "no data set" (PS3.7 §E.1); any other value means
/// a data set follows.
inline constexpr std::uint16_t kNoDataSet = 0x0101;
/// The value dcmkit sends when a data set follows.
inline constexpr std::uint16_t kDataSetPresent = 0x0001;

/// DIMSE status codes used by the services dcmkit implements (PS3.7 Annex C, PS3.4).
namespace status {
inline constexpr std::uint16_t kSuccess = 0x0000;
inline constexpr std::uint16_t kPending = 0xFF00;
inline constexpr std::uint16_t kPendingWarning = 0xFF01;
inline constexpr std::uint16_t kCancel = 0xFE00;
inline constexpr std::uint16_t kSopClassNotSupported = 0x0122;
inline constexpr std::uint16_t kNoSuchSopClass = 0x0118;
inline constexpr std::uint16_t kProcessingFailure = 0x0110;
inline constexpr std::uint16_t kDuplicateInvocation = 0x0210;
inline constexpr std::uint16_t kUnrecognizedOperation = 0x0211;
inline constexpr std::uint16_t kMistypedArgument = 0x0212;
inline constexpr std::uint16_t kOutOfResources = 0xA700;
inline constexpr std::uint16_t kDataSetDoesNotMatchSopClass = 0xA900;
inline constexpr std::uint16_t kCannotUnderstand = 0xC000;
inline constexpr std::uint16_t kCoercionOfDataElements = 0xB000;
inline constexpr std::uint16_t kElementsDiscarded = 0xB006;
inline constexpr std::uint16_t kDataSetDoesNotMatchSopClassWarning = 0xB007;
}  // namespace status

/// Broad meaning of a status code (PS3.7 §C.1).
enum class StatusCategory : std::uint8_t { Success, Pending, Cancel, Warning, Failure };
StatusCategory categorize(std::uint16_t status) noexcept;
/// DCMTK's short text for a status ("Success", "Warning", "Pending", "Cancel", "Failed: ..."),
/// naming the common codes of the storage service.
std::string describe_status(std::uint16_t status);

/// One DIMSE command set. Absent optional fields are not encoded. Regular value type.
struct Command {
  CommandField field = CommandField::CEchoRq;
  std::optional<std::uint16_t> message_id;                  ///< (0000,0110)
  std::optional<std::uint16_t> message_id_responded_to;     ///< (0000,0120)
  std::string affected_sop_class_uid;                       ///< (0000,0002)
  std::string requested_sop_class_uid;                      ///< (0000,0003)
  std::string affected_sop_instance_uid;                    ///< (0000,1000)
  std::string requested_sop_instance_uid;                   ///< (0000,1001)
  std::optional<Priority> priority;                         ///< (0000,0700)
  bool has_data_set = false;                                ///< (0000,0800) != 0101H
  std::optional<std::uint16_t> status;                      ///< (0000,0900)
  std::vector<dcmdata::Tag> offending_elements;             ///< (0000,0901)
  std::string error_comment;                                ///< (0000,0902)
  std::optional<std::uint16_t> error_id;                    ///< (0000,0903)
  std::string move_destination;                             ///< (0000,0600)
  std::string move_originator_ae;                           ///< (0000,1030)
  std::optional<std::uint16_t> move_originator_message_id;  ///< (0000,1031)
  std::optional<std::uint16_t> event_type_id;               ///< (0000,1002)
  std::optional<std::uint16_t> action_type_id;              ///< (0000,1008)
  std::vector<dcmdata::Tag> attribute_identifiers;          ///< (0000,1005)
  std::optional<std::uint16_t> remaining_suboperations;     ///< (0000,1020)
  std::optional<std::uint16_t> completed_suboperations;     ///< (0000,1021)
  std::optional<std::uint16_t> failed_suboperations;        ///< (0000,1022)
  std::optional<std::uint16_t> warning_suboperations;       ///< (0000,1023)

  friend bool operator==(const Command&, const Command&) = default;
};

/// Encodes a command set in implicit VR little endian with (0000,0000) first (PS3.7 §6.3.1).
/// InvalidArgument for a value that breaks its VR (a UID over 64 characters, say).
ofstd::Result<std::vector<std::byte>> encode_command(const Command& command);

/// Decodes a command set. MalformedData if it does not parse or lacks (0000,0100); Unsupported
/// for an unknown Command Field. Elements dcmkit does not know are ignored.
ofstd::Result<Command> decode_command(std::span<const std::byte> bytes);

/// The command as a data set (for dumps and logs).
ofstd::Result<dcmdata::DataSet> command_to_data_set(const Command& command);

/// DCMTK-style multi-line dump of a command ("Message Type: C-STORE RQ", "Message ID: 1", ...).
std::string describe(const Command& command);

// --- Builders for the common requests and responses --------------------------------------

Command make_c_echo_rq(std::uint16_t message_id, std::string_view sop_class = "1.2.840.10008.1.1");
Command make_c_echo_rsp(const Command& rq, std::uint16_t status = status::kSuccess);
Command make_c_store_rq(std::uint16_t message_id, std::string_view sop_class,
                        std::string_view sop_instance, Priority priority = Priority::Medium,
                        std::string_view move_originator_ae = {},
                        std::optional<std::uint16_t> move_originator_message_id = {});
Command make_c_store_rsp(const Command& rq, std::uint16_t status = status::kSuccess);
Command make_c_find_rq(std::uint16_t message_id, std::string_view sop_class,
                       Priority priority = Priority::Medium);
Command make_c_get_rq(std::uint16_t message_id, std::string_view sop_class,
                      Priority priority = Priority::Medium);
Command make_c_move_rq(std::uint16_t message_id, std::string_view sop_class,
                       std::string_view destination, Priority priority = Priority::Medium);
Command make_c_cancel_rq(std::uint16_t message_id_being_cancelled);
/// A response for any request: the matching response field, message ID responded to, affected
/// SOP class and instance copied, no data set.
Command make_response(const Command& rq, std::uint16_t status);

}  // namespace dcmkit::dcmnet

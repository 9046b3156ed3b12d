// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmnet/dimse.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/byte_order.h"
#include "dcmkit/ofstd/byte_reader.h"

namespace dcmkit::dcmnet {

using dcmdata::Tag;
using ofstd::ByteReader;
using ofstd::Endian;
using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using ofstd::Status;

namespace {

// Command set elements (PS3.7 §E.1); all in group 0000.
enum : std::uint16_t {
  kGroupLength = 0x0000,
  kAffectedSopClass = 0x0002,
  kRequestedSopClass = 0x0003,
  kCommandField = 0x0100,
  kMessageId = 0x0110,
  kMessageIdRespondedTo = 0x0120,
  kMoveDestination = 0x0600,
  kPriority = 0x0700,
  kDataSetType = 0x0800,
  kStatus = 0x0900,
  kOffendingElement = 0x0901,
  kErrorComment = 0x0902,
  kErrorId = 0x0903,
  kAffectedSopInstance = 0x1000,
  kRequestedSopInstance = 0x1001,
  kEventTypeId = 0x1002,
  kAttributeIdentifiers = 0x1005,
  kActionTypeId = 0x1008,
  kRemaining = 0x1020,
  kCompleted = 0x1021,
  kFailed = 0x1022,
  kWarning = 0x1023,
  kMoveOriginatorAe = 0x1030,
  kMoveOriginatorMessageId = 0x1031,
};

// Writes implicit VR little endian elements in ascending element order.
class CommandWriter {
 public:
  void u16(std::uint16_t element, std::optional<std::uint16_t> value) {
    if (!value) return;
    header(element, 2);
    put16(*value);
  }
  Status uid(std::uint16_t element, std::string_view value, std::string_view what) {
    if (value.empty()) return {};
    if (value.size() > 64) {
      return Error(ErrorCode::InvalidArgument,
                   std::string(what) + " \"" + std::string(value) + "\" is longer than 64");
    }
    const std::size_t padded = value.size() + value.size() % 2;
    header(element, static_cast<std::uint32_t>(padded));
    text(value);
    if (padded != value.size()) out_.push_back(std::byte{0});
    return {};
  }
  Status string(std::uint16_t element, std::string_view value, std::size_t max,
                std::string_view what) {
    if (value.empty()) return {};
    if (value.size() > max) {
      return Error(ErrorCode::InvalidArgument, std::string(what) + " \"" + std::string(value) +
                                                   "\" is longer than " + std::to_string(max));
    }
    const std::size_t padded = value.size() + value.size() % 2;
    header(element, static_cast<std::uint32_t>(padded));
    text(value);
    if (padded != value.size()) out_.push_back(std::byte{' '});
    return {};
  }
  void tags(std::uint16_t element, const std::vector<Tag>& values) {
    if (values.empty()) return;
    header(element, static_cast<std::uint32_t>(values.size() * 4));
    for (const Tag tag : values) {
      put16(tag.group());
      put16(tag.element());
    }
  }
  std::vector<std::byte> finish() {
    // (0000,0000) UL: the length of everything after it (PS3.7 §E.1).
    std::vector<std::byte> result(12);
    ofstd::store<std::uint32_t>(result.data() + 4, 4, Endian::Little);
    ofstd::store<std::uint32_t>(result.data() + 8, static_cast<std::uint32_t>(out_.size()),
                                Endian::Little);
    result.insert(result.end(), out_.begin(), out_.end());
    return result;
  }

 private:
  void put16(std::uint16_t v) {
    out_.push_back(static_cast<std::byte>(v & 0xFF));
    out_.push_back(static_cast<std::byte>(v >> 8));
  }
  void header(std::uint16_t element, std::uint32_t length) {
    put16(0x0000);
    put16(element);
    put16(static_cast<std::uint16_t>(length & 0xFFFF));
    put16(static_cast<std::uint16_t>(length >> 16));
  }
  void text(std::string_view t) {
    const auto bytes = ofstd::as_bytes(t);
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  std::vector<std::byte> out_;
};

std::string trimmed_text(std::span<const std::byte> value) {
  std::string_view text = ofstd::as_chars(value);
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return std::string(text);
}

bool is_known_field(std::uint16_t value) {
  switch (static_cast<CommandField>(value)) {
    case CommandField::CStoreRq:
    case CommandField::CStoreRsp:
    case CommandField::CGetRq:
    case CommandField::CGetRsp:
    case CommandField::CFindRq:
    case CommandField::CFindRsp:
    case CommandField::CMoveRq:
    case CommandField::CMoveRsp:
    case CommandField::CEchoRq:
    case CommandField::CEchoRsp:
    case CommandField::NEventReportRq:
    case CommandField::NEventReportRsp:
    case CommandField::NGetRq:
    case CommandField::NGetRsp:
    case CommandField::NSetRq:
    case CommandField::NSetRsp:
    case CommandField::NActionRq:
    case CommandField::NActionRsp:
    case CommandField::NCreateRq:
    case CommandField::NCreateRsp:
    case CommandField::NDeleteRq:
    case CommandField::NDeleteRsp:
    case CommandField::CCancelRq:
      return true;
  }
  return false;
}

std::string hex4(std::uint16_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "0x0000";
  for (int i = 0; i < 4; ++i)
    text[static_cast<std::size_t>(5 - i)] = kDigits[(value >> (4 * i)) & 0xF];
  return text;
}

}  // namespace

std::string_view to_string(CommandField field) noexcept {
  switch (field) {
    case CommandField::CStoreRq:
      return "C-STORE-RQ";
    case CommandField::CStoreRsp:
      return "C-STORE-RSP";
    case CommandField::CGetRq:
      return "C-GET-RQ";
    case CommandField::CGetRsp:
      return "C-GET-RSP";
    case CommandField::CFindRq:
      return "C-FIND-RQ";
    case CommandField::CFindRsp:
      return "C-FIND-RSP";
    case CommandField::CMoveRq:
      return "C-MOVE-RQ";
    case CommandField::CMoveRsp:
      return "C-MOVE-RSP";
    case CommandField::CEchoRq:
      return "C-ECHO-RQ";
    case CommandField::CEchoRsp:
      return "C-ECHO-RSP";
    case CommandField::NEventReportRq:
      return "N-EVENT-REPORT-RQ";
    case CommandField::NEventReportRsp:
      return "N-EVENT-REPORT-RSP";
    case CommandField::NGetRq:
      return "N-GET-RQ";
    case CommandField::NGetRsp:
      return "N-GET-RSP";
    case CommandField::NSetRq:
      return "N-SET-RQ";
    case CommandField::NSetRsp:
      return "N-SET-RSP";
    case CommandField::NActionRq:
      return "N-ACTION-RQ";
    case CommandField::NActionRsp:
      return "N-ACTION-RSP";
    case CommandField::NCreateRq:
      return "N-CREATE-RQ";
    case CommandField::NCreateRsp:
      return "N-CREATE-RSP";
    case CommandField::NDeleteRq:
      return "N-DELETE-RQ";
    case CommandField::NDeleteRsp:
      return "N-DELETE-RSP";
    case CommandField::CCancelRq:
      return "C-CANCEL-RQ";
  }
  return "unknown command";
}

StatusCategory categorize(std::uint16_t code) noexcept {
  if (code == status::kSuccess) return StatusCategory::Success;
  if (code == status::kPending || code == status::kPendingWarning) return StatusCategory::Pending;
  if (code == status::kCancel) return StatusCategory::Cancel;
  // PS3.7 §C.1 and Annex C: 0001H, Bxxx and 0107H/0116H are warnings.
  if (code == 0x0001 || (code & 0xF000) == 0xB000 || code == 0x0107 || code == 0x0116) {
    return StatusCategory::Warning;
  }
  return StatusCategory::Failure;
}

std::string describe_status(std::uint16_t code) {
  switch (categorize(code)) {
    case StatusCategory::Success:
      return "Success";
    case StatusCategory::Pending:
      return "Pending";
    case StatusCategory::Cancel:
      return "Cancel";
    case StatusCategory::Warning:
      switch (code) {
        case status::kCoercionOfDataElements:
          return "Warning: Coercion of data elements";
        case status::kElementsDiscarded:
          return "Warning: Elements discarded";
        case status::kDataSetDoesNotMatchSopClassWarning:
          return "Warning: Data set does not match SOP class";
        default:
          return "Warning";
      }
    case StatusCategory::Failure:
      break;
  }
  switch (code) {
    case status::kSopClassNotSupported:
      return "Failed: SOP Class not Supported";
    case status::kNoSuchSopClass:
      return "Failed: No such SOP Class";
    case status::kProcessingFailure:
      return "Failed: Processing failure";
    case status::kUnrecognizedOperation:
      return "Failed: Unrecognized operation";
    case status::kDuplicateInvocation:
      return "Failed: Duplicate invocation";
    case status::kMistypedArgument:
      return "Failed: Mistyped argument";
    default:
      break;
  }
  if ((code & 0xFF00) == 0xA700) return "Error: Refused: Out of resources";
  if ((code & 0xFF00) == 0xA900) return "Error: Data Set does not match SOP Class";
  if ((code & 0xF000) == 0xC000) return "Error: Cannot understand";
  return "Unknown Status: " + hex4(code);
}

Result<std::vector<std::byte>> encode_command(const Command& c) {
  CommandWriter w;
  DCMKIT_TRY(w.uid(kAffectedSopClass, c.affected_sop_class_uid, "affected SOP class UID"));
  DCMKIT_TRY(w.uid(kRequestedSopClass, c.requested_sop_class_uid, "requested SOP class UID"));
  w.u16(kCommandField, static_cast<std::uint16_t>(c.field));
  w.u16(kMessageId, c.message_id);
  w.u16(kMessageIdRespondedTo, c.message_id_responded_to);
  DCMKIT_TRY(w.string(kMoveDestination, c.move_destination, 16, "move destination"));
  if (c.priority) w.u16(kPriority, static_cast<std::uint16_t>(*c.priority));
  w.u16(kDataSetType, c.has_data_set ? kDataSetPresent : kNoDataSet);
  w.u16(kStatus, c.status);
  w.tags(kOffendingElement, c.offending_elements);
  DCMKIT_TRY(w.string(kErrorComment, c.error_comment, 64, "error comment"));
  w.u16(kErrorId, c.error_id);
  DCMKIT_TRY(w.uid(kAffectedSopInstance, c.affected_sop_instance_uid, "affected SOP instance UID"));
  DCMKIT_TRY(
      w.uid(kRequestedSopInstance, c.requested_sop_instance_uid, "requested SOP instance UID"));
  w.u16(kEventTypeId, c.event_type_id);
  w.tags(kAttributeIdentifiers, c.attribute_identifiers);
  w.u16(kActionTypeId, c.action_type_id);
  w.u16(kRemaining, c.remaining_suboperations);
  w.u16(kCompleted, c.completed_suboperations);
  w.u16(kFailed, c.failed_suboperations);
  w.u16(kWarning, c.warning_suboperations);
  DCMKIT_TRY(w.string(kMoveOriginatorAe, c.move_originator_ae, 16, "move originator AE title"));
  w.u16(kMoveOriginatorMessageId, c.move_originator_message_id);
  return w.finish();
}

Result<Command> decode_command(std::span<const std::byte> bytes) {
  ByteReader in(bytes);
  Command c;
  bool have_field = false;
  bool have_data_set_type = false;
  const auto u16_value = [](ByteReader& value, std::uint16_t element) -> Result<std::uint16_t> {
    if (value.remaining() != 2) {
      return Error(ErrorCode::MalformedData,
                   "command element (0000," + hex4(element).substr(2) + ") is not 2 bytes long");
    }
    return value.read_u16(Endian::Little);
  };
  const auto tag_values = [](ByteReader& value) -> Result<std::vector<Tag>> {
    std::vector<Tag> tags;
    if (value.remaining() % 4 != 0) {
      return Error(ErrorCode::MalformedData, "AT value length is not a multiple of 4");
    }
    while (!value.at_end()) {
      DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t group, value.read_u16(Endian::Little));
      DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t element, value.read_u16(Endian::Little));
      tags.emplace_back(group, element);
    }
    return tags;
  };
  while (!in.at_end()) {
    if (in.remaining() < 8) return in.truncated("command element header", 8);
    const std::uint64_t offset = in.offset();
    DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t group, in.read_u16(Endian::Little));
    DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t element, in.read_u16(Endian::Little));
    DCMKIT_ASSIGN_OR_RETURN(const std::uint32_t length, in.read_u32(Endian::Little));
    if (group != 0x0000) {
      return Error(ErrorCode::MalformedData, "offset " + std::to_string(offset) +
                                                 ": element of group " + hex4(group) +
                                                 " in a command set");
    }
    if (length > in.remaining()) {
      return Error(ErrorCode::MalformedData, "offset " + std::to_string(offset) +
                                                 ": value length " + std::to_string(length) +
                                                 " exceeds the command set");
    }
    DCMKIT_ASSIGN_OR_RETURN(const auto value_bytes, in.read_bytes(length));
    ByteReader value(value_bytes, in.offset() - length);
    switch (element) {
      case kAffectedSopClass:
        c.affected_sop_class_uid = trimmed_text(value_bytes);
        break;
      case kRequestedSopClass:
        c.requested_sop_class_uid = trimmed_text(value_bytes);
        break;
      case kCommandField: {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t field, u16_value(value, element));
        if (!is_known_field(field)) {
          return Error(ErrorCode::Unsupported, "unknown command field " + hex4(field));
        }
        c.field = static_cast<CommandField>(field);
        have_field = true;
        break;
      }
      case kMessageId: {
        DCMKIT_ASSIGN_OR_RETURN(c.message_id, u16_value(value, element));
        break;
      }
      case kMessageIdRespondedTo: {
        DCMKIT_ASSIGN_OR_RETURN(c.message_id_responded_to, u16_value(value, element));
        break;
      }
      case kMoveDestination:
        c.move_destination = trimmed_text(value_bytes);
        break;
      case kPriority: {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t priority, u16_value(value, element));
        c.priority = static_cast<Priority>(priority);
        break;
      }
      case kDataSetType: {
        DCMKIT_ASSIGN_OR_RETURN(const std::uint16_t type, u16_value(value, element));
        c.has_data_set = type != kNoDataSet;
        have_data_set_type = true;
        break;
      }
      case kStatus: {
        DCMKIT_ASSIGN_OR_RETURN(c.status, u16_value(value, element));
        break;
      }
      case kOffendingElement: {
        DCMKIT_ASSIGN_OR_RETURN(c.offending_elements, tag_values(value));
        break;
      }
      case kErrorComment:
        c.error_comment = trimmed_text(value_bytes);
        break;
      case kErrorId: {
        DCMKIT_ASSIGN_OR_RETURN(c.error_id, u16_value(value, element));
        break;
      }
      case kAffectedSopInstance:
        c.affected_sop_instance_uid = trimmed_text(value_bytes);
        break;
      case kRequestedSopInstance:
        c.requested_sop_instance_uid = trimmed_text(value_bytes);
        break;
      case kEventTypeId: {
        DCMKIT_ASSIGN_OR_RETURN(c.event_type_id, u16_value(value, element));
        break;
      }
      case kAttributeIdentifiers: {
        DCMKIT_ASSIGN_OR_RETURN(c.attribute_identifiers, tag_values(value));
        break;
      }
      case kActionTypeId: {
        DCMKIT_ASSIGN_OR_RETURN(c.action_type_id, u16_value(value, element));
        break;
      }
      case kRemaining: {
        DCMKIT_ASSIGN_OR_RETURN(c.remaining_suboperations, u16_value(value, element));
        break;
      }
      case kCompleted: {
        DCMKIT_ASSIGN_OR_RETURN(c.completed_suboperations, u16_value(value, element));
        break;
      }
      case kFailed: {
        DCMKIT_ASSIGN_OR_RETURN(c.failed_suboperations, u16_value(value, element));
        break;
      }
      case kWarning: {
        DCMKIT_ASSIGN_OR_RETURN(c.warning_suboperations, u16_value(value, element));
        break;
      }
      case kMoveOriginatorAe:
        c.move_originator_ae = trimmed_text(value_bytes);
        break;
      case kMoveOriginatorMessageId: {
        DCMKIT_ASSIGN_OR_RETURN(c.move_originator_message_id, u16_value(value, element));
        break;
      }
      default:
        // (0000,0000) and retired or unknown command elements: ignored (PS3.7 §E.2 keeps
        // retired ones for compatibility; their values do not change the message's meaning).
        break;
    }
  }
  if (!have_field) {
    return Error(ErrorCode::MalformedData, "command set without a Command Field (0000,0100)");
  }
  if (!have_data_set_type) {
    return Error(ErrorCode::MalformedData,
                 "command set without a Command Data Set Type (0000,0800)");
  }
  return c;
}

Result<dcmdata::DataSet> command_to_data_set(const Command& command) {
  dcmdata::DataSet data;
  const auto put_uid = [&data](std::uint16_t element, const std::string& uid) -> Status {
    if (uid.empty()) return {};
    std::string padded = uid;
    if (padded.size() % 2 != 0) padded.push_back('\0');
    data.insert(dcmdata::Element(Tag{0x0000, element}, dcmdata::VR::UI,
                                 dcmdata::SharedBytes::copy_of(padded)));
    return {};
  };
  const auto put_us = [&data](std::uint16_t element, std::optional<std::uint16_t> value) -> Status {
    if (!value) return {};
    return data.set_int(Tag{0x0000, element}, dcmdata::VR::US, *value);
  };
  DCMKIT_TRY(put_uid(kAffectedSopClass, command.affected_sop_class_uid));
  DCMKIT_TRY(put_uid(kRequestedSopClass, command.requested_sop_class_uid));
  DCMKIT_TRY(put_us(kCommandField, static_cast<std::uint16_t>(command.field)));
  DCMKIT_TRY(put_us(kMessageId, command.message_id));
  DCMKIT_TRY(put_us(kMessageIdRespondedTo, command.message_id_responded_to));
  if (command.priority) {
    DCMKIT_TRY(put_us(kPriority, static_cast<std::uint16_t>(*command.priority)));
  }
  DCMKIT_TRY(put_us(kDataSetType, command.has_data_set ? kDataSetPresent : kNoDataSet));
  DCMKIT_TRY(put_us(kStatus, command.status));
  DCMKIT_TRY(put_uid(kAffectedSopInstance, command.affected_sop_instance_uid));
  DCMKIT_TRY(put_uid(kRequestedSopInstance, command.requested_sop_instance_uid));
  return data;
}

std::string describe(const Command& c) {
  std::ostringstream out;
  const auto uid_name = [](const std::string& uid) -> std::string {
    const std::string_view name = dcmdata::dcmtk_uid_name(uid);
    return name.empty() ? uid : std::string(name);
  };
  // DCMTK writes "C-STORE RQ": the last hyphen becomes a space.
  std::string type(to_string(c.field));
  if (const std::size_t hyphen = type.rfind('-'); hyphen != std::string::npos) type[hyphen] = ' ';
  out << "Message Type                  : " << type << "\n";
  if (c.message_id) out << "Message ID                    : " << *c.message_id << "\n";
  if (c.message_id_responded_to) {
    out << "Message ID Being Responded To : " << *c.message_id_responded_to << "\n";
  }
  if (!c.affected_sop_class_uid.empty()) {
    out << "Affected SOP Class UID        : " << uid_name(c.affected_sop_class_uid) << "\n";
  }
  if (!c.requested_sop_class_uid.empty()) {
    out << "Requested SOP Class UID       : " << uid_name(c.requested_sop_class_uid) << "\n";
  }
  if (!c.affected_sop_instance_uid.empty()) {
    out << "Affected SOP Instance UID     : " << c.affected_sop_instance_uid << "\n";
  }
  if (!c.requested_sop_instance_uid.empty()) {
    out << "Requested SOP Instance UID    : " << c.requested_sop_instance_uid << "\n";
  }
  if (c.priority) {
    static constexpr const char* kPriorities[] = {"medium", "high", "low"};
    const auto p = static_cast<std::uint16_t>(*c.priority);
    out << "Priority                      : " << (p < 3 ? kPriorities[p] : "unknown") << "\n";
  }
  if (!c.move_destination.empty()) {
    out << "Move Destination              : " << c.move_destination << "\n";
  }
  if (!c.move_originator_ae.empty()) {
    out << "Move Originator AE Title      : " << c.move_originator_ae << "\n";
  }
  if (c.move_originator_message_id) {
    out << "Move Originator ID            : " << *c.move_originator_message_id << "\n";
  }
  if (c.remaining_suboperations) {
    out << "Remaining Suboperations       : " << *c.remaining_suboperations << "\n";
  }
  if (c.completed_suboperations) {
    out << "Completed Suboperations       : " << *c.completed_suboperations << "\n";
  }
  if (c.failed_suboperations) {
    out << "Failed Suboperations          : " << *c.failed_suboperations << "\n";
  }
  if (c.warning_suboperations) {
    out << "Warning Suboperations         : " << *c.warning_suboperations << "\n";
  }
  out << "Data Set                      : " << (c.has_data_set ? "present" : "none");
  if (c.status) {
    out << "\nDIMSE Status                  : " << hex4(*c.status) << ": "
        << describe_status(*c.status);
  }
  if (!c.error_comment.empty()) out << "\nError Comment                 : " << c.error_comment;
  return std::move(out).str();
}

Command make_c_echo_rq(std::uint16_t message_id, std::string_view sop_class) {
  Command c;
  c.field = CommandField::CEchoRq;
  c.message_id = message_id;
  c.affected_sop_class_uid = std::string(sop_class);
  return c;
}

Command make_response(const Command& rq, std::uint16_t code) {
  Command c;
  c.field = static_cast<CommandField>(static_cast<std::uint16_t>(rq.field) | 0x8000);
  c.message_id_responded_to = rq.message_id.value_or(0);
  c.affected_sop_class_uid =
      rq.affected_sop_class_uid.empty() ? rq.requested_sop_class_uid : rq.affected_sop_class_uid;
  c.affected_sop_instance_uid = rq.affected_sop_instance_uid.empty() ? rq.requested_sop_instance_uid
                                                                     : rq.affected_sop_instance_uid;
  c.status = code;
  return c;
}

Command make_c_echo_rsp(const Command& rq, std::uint16_t code) { return make_response(rq, code); }

Command make_c_store_rq(std::uint16_t message_id, std::string_view sop_class,
                        std::string_view sop_instance, Priority priority,
                        std::string_view move_originator_ae,
                        std::optional<std::uint16_t> move_originator_message_id) {
  Command c;
  c.field = CommandField::CStoreRq;
  c.message_id = message_id;
  c.affected_sop_class_uid = std::string(sop_class);
  c.affected_sop_instance_uid = std::string(sop_instance);
  c.priority = priority;
  c.has_data_set = true;
  c.move_originator_ae = std::string(move_originator_ae);
  c.move_originator_message_id = move_originator_message_id;
  return c;
}

Command make_c_store_rsp(const Command& rq, std::uint16_t code) { return make_response(rq, code); }

Command make_c_find_rq(std::uint16_t message_id, std::string_view sop_class, Priority priority) {
  Command c;
  c.field = CommandField::CFindRq;
  c.message_id = message_id;
  c.affected_sop_class_uid = std::string(sop_class);
  c.priority = priority;
  c.has_data_set = true;
  return c;
}

Command make_c_get_rq(std::uint16_t message_id, std::string_view sop_class, Priority priority) {
  Command c = make_c_find_rq(message_id, sop_class, priority);
  c.field = CommandField::CGetRq;
  return c;
}

Command make_c_move_rq(std::uint16_t message_id, std::string_view sop_class,
                       std::string_view destination, Priority priority) {
  Command c = make_c_find_rq(message_id, sop_class, priority);
  c.field = CommandField::CMoveRq;
  c.move_destination = std::string(destination);
  return c;
}

Command make_c_cancel_rq(std::uint16_t message_id_being_cancelled) {
  Command c;
  c.field = CommandField::CCancelRq;
  c.message_id_responded_to = message_id_being_cancelled;
  return c;
}

}  // namespace dcmkit::dcmnet

// SPDX-License-Identifier: BSD-3-Clause
// DCMTK's association negotiation profile files (storescu/storescp `-xf file profile`): named
// transfer syntax lists, presentation context lists and SCP/SCU role selections, combined in
// [[Profiles]]. UIDs are written as DCMTK names them ("CTImageStorage", "JPEGBaseline",
// "LittleEndianExplicit"), as PS3.6 keywords, or as dotted numbers.
//
//   [[TransferSyntaxes]]
//   [Uncompressed]
//   TransferSyntax1 = LittleEndianExplicit
//   TransferSyntax2 = LittleEndianImplicit
//   [[PresentationContexts]]
//   [CT]
//   PresentationContext1 = CTImageStorage\Uncompressed
//   [[Profiles]]
//   [Default]
//   PresentationContexts = CT
//
//   DCMKIT_ASSIGN_OR_RETURN(AssociationProfile p, load_association_profile(path, "Default"));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmnet/pdu.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmnet {

/// One presentation context of a profile: an abstract syntax and its transfer syntaxes, in
/// order of preference.
struct ProfileContext {
  std::string abstract_syntax;
  std::vector<std::string> transfer_syntaxes;
  friend bool operator==(const ProfileContext&, const ProfileContext&) = default;
};

/// A profile resolved to UIDs.
struct AssociationProfile {
  std::string name;
  std::vector<ProfileContext> contexts;  ///< in the file's order
  std::vector<RoleSelection> roles;      ///< from its SCPSCURoleSelection list, if any
  /// From its ExtendedNegotiation list, if any: what a requestor proposes, what an acceptor
  /// answers for the SOP classes it is asked about (PS3.7 §D.3.3.5).
  std::vector<ExtendedNegotiation> extended_negotiation;
};

/// The UID for a name as DCMTK's profile files write it: a dotted UID as it is, DCMTK's short
/// name ("LittleEndianExplicit", "CTImageStorage") or a PS3.6 keyword. NotFound otherwise.
ofstd::Result<std::string> uid_from_profile_name(std::string_view name);

/// Reads profile `profile` (case-insensitive) from the text of a configuration file.
/// MalformedData naming the line for syntax errors and unknown names; NotFound if the
/// profile or a list it names does not exist. At most 128 presentation contexts.
ofstd::Result<AssociationProfile> parse_association_profile(std::string_view text,
                                                            std::string_view profile);

/// parse_association_profile() on a file; IoError if it cannot be read.
ofstd::Result<AssociationProfile> load_association_profile(const std::string& path,
                                                           std::string_view profile);

}  // namespace dcmkit::dcmnet

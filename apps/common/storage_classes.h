// SPDX-License-Identifier: BSD-3-Clause
// SOP class and transfer syntax lists shared by the storage programs (storescu, storescp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcmkit::apps {

/// Every storage SOP class of the UID registry (PS3.6 names "... Storage", retired ones too,
/// without Storage Commitment and the Media Storage Directory), sorted by UID.
const std::vector<std::string>& storage_sop_classes();

/// The storage SOP classes DCMTK's storescu proposes when not told otherwise (observed from its
/// A-ASSOCIATE-RQ), in its order.
const std::vector<std::string>& default_proposed_sop_classes();

/// Text for the current time in DCMTK's file and directory names: "YYYYMMDD_hhmmssmmm" or,
/// with `compact`, "YYYYMMDDhhmmssmmm".
std::string timestamp_text(bool compact);

/// A file or directory name component made from text a peer supplied: letters, digits, '.',
/// '-' and '_' are kept, everything else becomes '_' (so the name is also safe in a shell
/// command); never empty, never "." or "..", never starting with '.' or '-'.
std::string strict_name_component(std::string_view untrusted);

}  // namespace dcmkit::apps

// SPDX-License-Identifier: BSD-3-Clause
// Host access control for the servers' +ac option: the TCP wrapper rules of /etc/hosts.allow and
// /etc/hosts.deny (hosts_access(5)), read through Debian's libwrap as DCMTK's servers do.
#pragma once

#include <string>

namespace dcmkit::apps {

/// True if this build can check host access rules (libwrap was found at build time).
bool host_access_control_available() noexcept;

/// The host name of numeric `address` by reverse lookup; `address` itself if it has none.
std::string host_name_of(const std::string& address);

/// True if the rules let `daemon` ("storescp") accept a connection from the host named
/// `host_name` at numeric `address`. Always true without libwrap. Thread-safe.
bool host_allowed(const std::string& daemon, const std::string& host_name,
                  const std::string& address);

}  // namespace dcmkit::apps

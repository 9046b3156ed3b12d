// SPDX-License-Identifier: BSD-3-Clause
#include "common/host_access.h"

#include <netdb.h>
#include <sys/socket.h>
#include <syslog.h>

#include <mutex>

#if DCMKIT_HAVE_LIBWRAP
#include <tcpd.h>

// libwrap logs through syslog at these levels; a program using it defines them.
int allow_severity = LOG_INFO;    // NOLINT: libwrap's interface
int deny_severity = LOG_WARNING;  // NOLINT: libwrap's interface
#endif

namespace dcmkit::apps {

bool host_access_control_available() noexcept { return DCMKIT_HAVE_LIBWRAP != 0; }

std::string host_name_of(const std::string& address) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* found = nullptr;
  if (::getaddrinfo(address.c_str(), nullptr, &hints, &found) != 0) return address;
  std::string name = address;
  char host[NI_MAXHOST];
  if (::getnameinfo(found->ai_addr, found->ai_addrlen, host, sizeof host, nullptr, 0,
                    NI_NAMEREQD) == 0) {
    name = host;
  }
  ::freeaddrinfo(found);
  return name;
}

bool host_allowed(const std::string& daemon, const std::string& host_name,
                  const std::string& address) {
#if DCMKIT_HAVE_LIBWRAP
  // libwrap keeps its state in globals: one check at a time.
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  std::string daemon_copy = daemon;
  std::string name_copy = host_name;
  std::string address_copy = address;
  std::string user = STRING_UNKNOWN;
  return hosts_ctl(daemon_copy.data(), name_copy.data(), address_copy.data(), user.data()) != 0;
#else
  (void)daemon;
  (void)host_name;
  (void)address;
  return true;
#endif
}

}  // namespace dcmkit::apps

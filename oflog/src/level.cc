// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/level.h"

#include <array>
#include <string>
#include <utility>

#include "dcmkit/ofstd/strings.h"

namespace dcmkit::oflog {

std::string_view to_string(Level level) noexcept {
  switch (level) {
    case Level::Trace:
      return "TRACE";
    case Level::Debug:
      return "DEBUG";
    case Level::Info:
      return "INFO";
    case Level::Warn:
      return "WARN";
    case Level::Error:
      return "ERROR";
    case Level::Fatal:
      return "FATAL";
    case Level::Off:
      return "OFF";
  }
  return "?";
}

char to_letter(Level level) noexcept { return to_string(level).front(); }

ofstd::Result<Level> parse_level(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, Level>, 8> kNames = {{
      {"trace", Level::Trace},
      {"debug", Level::Debug},
      {"info", Level::Info},
      {"warn", Level::Warn},
      {"error", Level::Error},
      {"fatal", Level::Fatal},
      {"off", Level::Off},
      // log4cplus's ALL_LOG_LEVEL, accepted by DCMTK's --log-level though not documented.
      {"all", Level::Trace},
  }};
  for (const auto& [name, level] : kNames) {
    if (ofstd::iequals(text, name)) return level;
  }
  return ofstd::Error(ofstd::ErrorCode::InvalidArgument,
                      "invalid log level '" + std::string(text) + "'");
}

}  // namespace dcmkit::oflog

// SPDX-License-Identifier: BSD-3-Clause
// Log levels, ordered by severity, and their names as DCMTK and log4cplus spell them.
#pragma once

#include <cstdint>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::oflog {

/// Severity of a log record; a logger at level L passes records of level >= L. `Off` as a
/// logger's level passes nothing and is never the level of a record.
enum class Level : std::uint8_t {
  Trace,  ///< wire-level detail: PDU bytes, every element read
  Debug,  ///< processing detail: state transitions, codec choice
  Info,   ///< what the program does (-v)
  Warn,   ///< something is odd but processing goes on (the default threshold)
  Error,  ///< an operation failed
  Fatal,  ///< the program cannot go on
  Off,    ///< as a threshold: nothing passes
};

/// Upper-case name as in log4cplus and DCMTK's files: "TRACE", "DEBUG", "INFO", "WARN",
/// "ERROR", "FATAL", "OFF".
std::string_view to_string(Level level) noexcept;

/// First letter of the name, as in DCMTK's console output ("W: message").
char to_letter(Level level) noexcept;

/// Parses a level name case-insensitively: trace, debug, info, warn, error, fatal, off, and
/// "all" (= trace), the set DCMTK's --log-level accepts. InvalidArgument otherwise.
ofstd::Result<Level> parse_level(std::string_view text);

}  // namespace dcmkit::oflog

// SPDX-License-Identifier: BSD-3-Clause
// One log event as sinks and layouts see it.
#pragma once

#include <chrono>
#include <string_view>
#include <thread>

#include "dcmkit/oflog/level.h"

namespace dcmkit::oflog {

/// Where a log statement is in the source; filled by the DCMKIT_LOG_* macros. The pointers are
/// string literals (or null when unknown).
struct SourceLocation {
  const char* file = nullptr;
  int line = 0;
  const char* function = nullptr;
};

/// A log event. The views are valid only during the Sink::write() call that receives it; a sink
/// that keeps records must copy them.
struct Record {
  Level level = Level::Info;
  std::string_view logger;   ///< full logger name; "" for the root logger
  std::string_view message;  ///< may contain '\n'; layouts print each line with the pattern
  std::chrono::system_clock::time_point time;
  std::thread::id thread;
  SourceLocation where;
};

}  // namespace dcmkit::oflog

// SPDX-License-Identifier: BSD-3-Clause
// Named, hierarchical loggers and the logging macros. A library logs through a Logger; nothing is
// printed unless the application installs a sink (see registry.h), and a disabled statement
// costs one comparison: its stream expression is not evaluated.
//
//   constinit const oflog::Logger kLog{"dcmkit.dcmnet"};
//   DCMKIT_LOG_DEBUG(kLog, "received " << pdu.size() << " bytes from " << peer);
#pragma once

#include <atomic>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "dcmkit/oflog/level.h"
#include "dcmkit/oflog/record.h"

namespace dcmkit::oflog {

namespace detail {
struct LoggerNode;
}  // namespace detail

/// A handle to the logger named `name` ("dcmkit.dcmnet.pdu"): dots separate the levels of the
/// hierarchy, "" (or "root") is the root logger. A logger's level is its own if set, else its
/// nearest configured ancestor's; a record goes to the sinks of the logger and of its
/// ancestors (up to one whose additivity is off).
///
/// The constructor is constexpr and does not touch the registry, so loggers can be namespace-scope
/// `constinit` constants; the name is looked up on first use. The name's characters must outlive
/// the Logger (a string literal; use get_logger() for computed names). Thread-safe.
class Logger {
 public:
  constexpr explicit Logger(std::string_view name) noexcept : name_(name) {}
  Logger(const Logger& other) noexcept;
  Logger& operator=(const Logger& other) noexcept;
  ~Logger() = default;

  /// The full name given at construction.
  std::string_view name() const noexcept { return name_; }

  /// True if a record of `level` would reach a sink: a sink is installed and `level` is at or
  /// above this logger's effective level.
  bool is_enabled(Level level) const;

  /// Sends `message` at `level` if is_enabled(level). Prefer the DCMKIT_LOG_* macros.
  void log(Level level, std::string_view message, SourceLocation where = {}) const;

  /// Sends `message` to the sinks whatever this logger's level; sink thresholds still apply.
  /// For output the user asked for explicitly, such as DCMTK's --arguments.
  void force_log(Level level, std::string_view message, SourceLocation where = {}) const;

 private:
  detail::LoggerNode& node() const;

  std::string_view name_;
  mutable std::atomic<detail::LoggerNode*> node_{nullptr};
};

/// A logger for a computed name; the registry keeps a copy of the name.
Logger get_logger(std::string_view name);

}  // namespace dcmkit::oflog

/// Logs a stream expression (`"got " << n << " bytes"`) at `level` through `logger`. The
/// expression is evaluated only if the level is enabled. It cannot be parenthesized in the
/// expansion: `("got " << n)` would be a shift, hence the NOLINT.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define DCMKIT_LOG(logger, level, expression)                                                \
  do {                                                                                       \
    const ::dcmkit::oflog::Logger& dcmkit_log_logger_ = (logger);                            \
    const ::dcmkit::oflog::Level dcmkit_log_level_ = (level);                                \
    if (dcmkit_log_logger_.is_enabled(dcmkit_log_level_)) {                                  \
      ::std::ostringstream dcmkit_log_stream_;                                               \
      dcmkit_log_stream_ << expression;                                                      \
      dcmkit_log_logger_.log(dcmkit_log_level_, ::std::move(dcmkit_log_stream_).str(),       \
                             ::dcmkit::oflog::SourceLocation{__FILE__, __LINE__, __func__}); \
    }                                                                                        \
  } while (false)
// NOLINTEND(bugprone-macro-parentheses)

/// DCMKIT_LOG at trace level: wire-level detail.
#define DCMKIT_LOG_TRACE(logger, expression) \
  DCMKIT_LOG(logger, ::dcmkit::oflog::Level::Trace, expression)
/// DCMKIT_LOG at debug level: processing detail.
#define DCMKIT_LOG_DEBUG(logger, expression) \
  DCMKIT_LOG(logger, ::dcmkit::oflog::Level::Debug, expression)
/// DCMKIT_LOG at info level: what the program does.
#define DCMKIT_LOG_INFO(logger, expression) \
  DCMKIT_LOG(logger, ::dcmkit::oflog::Level::Info, expression)
/// DCMKIT_LOG at warn level.
#define DCMKIT_LOG_WARN(logger, expression) \
  DCMKIT_LOG(logger, ::dcmkit::oflog::Level::Warn, expression)
/// DCMKIT_LOG at error level.
#define DCMKIT_LOG_ERROR(logger, expression) \
  DCMKIT_LOG(logger, ::dcmkit::oflog::Level::Error, expression)
/// DCMKIT_LOG at fatal level.
#define DCMKIT_LOG_FATAL(logger, expression) \
  DCMKIT_LOG(logger, ::dcmkit::oflog::Level::Fatal, expression)

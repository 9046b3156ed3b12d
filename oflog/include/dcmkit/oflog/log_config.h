// SPDX-License-Identifier: BSD-3-Clause
// Logging configuration files (`-lc FILE`): dcmkit's small INI-like format, or the common subset
// of the log4cplus property files DCMTK uses. docs/logging.md describes both.
//
//   # dcmkit format
//   level = info
//   logger.dcmkit.dcmnet = trace
//   sink = file:${appname}.log
//   pattern = %D{%H:%M:%S} %-5p %c: %m%n
//
//   DCMKIT_ASSIGN_OR_RETURN(const auto config, oflog::load_log_config(path, {.appname = "x"}));
//   DCMKIT_TRY(oflog::apply_log_config(config));
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/oflog/level.h"
#include "dcmkit/oflog/pattern_layout.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::oflog {

/// Values of the predefined ${...} variables of configuration files.
struct ConfigContext {
  std::string appname;  ///< ${appname}: the running program, e.g. "storescu"
};

/// The syntax a configuration file is written in.
enum class ConfigSyntax : std::uint8_t {
  Dcmkit,     ///< dcmkit's own format
  Log4cplus,  ///< a log4cplus property file (keys "log4cplus.*")
};

/// One sink of a configuration.
struct SinkConfig {
  enum class Type : std::uint8_t { Stderr, Stdout, File, Null };
  std::string name;  ///< the section or appender name; generated for `sink =` lines
  Type type = Type::Stderr;
  std::string path;  ///< Type::File only
  bool append = true;
  Level threshold = Level::Trace;
  std::string pattern = std::string(kDefaultPattern);
};

/// Level, sinks and additivity of one logger.
struct LoggerConfig {
  std::string name;                ///< "" is the root logger
  std::optional<Level> level;      ///< empty: inherit from the ancestors
  std::vector<std::string> sinks;  ///< names of SinkConfigs attached to this logger
  std::optional<bool> additive;    ///< empty: unchanged (true)
};

/// A parsed configuration; apply_log_config() installs it.
struct LogConfig {
  ConfigSyntax syntax = ConfigSyntax::Dcmkit;
  std::vector<SinkConfig> sinks;
  std::vector<LoggerConfig> loggers;
};

/// Parses a configuration. The syntax is log4cplus's if any key starts with "log4cplus.", else
/// dcmkit's. MalformedData with the position: "<source>:<line>: unknown key 'levle'"; `source`
/// names the text in messages (e.g. the file name).
ofstd::Result<LogConfig> parse_log_config(std::string_view text, const ConfigContext& context = {},
                                          std::string_view source = "<config>");

/// Reads and parses a configuration file; NotFound if it does not exist or is not a regular
/// file, IoError if it cannot be read, LimitExceeded over 1 MiB, else as parse_log_config().
ofstd::Result<LogConfig> load_log_config(const std::filesystem::path& path,
                                         const ConfigContext& context = {});

/// Replaces the process-wide logging configuration (registry.h) with `config`: opens the sinks,
/// then resets the registry and installs levels, sinks and additivity. IoError if a log file
/// cannot be opened, in which case the previous configuration stays in place.
ofstd::Status apply_log_config(const LogConfig& config);
/// Like apply_log_config(config), with the console sinks writing to `out` (stdout) and `err`
/// (stderr) instead; both streams must outlive the configuration.
ofstd::Status apply_log_config(const LogConfig& config, std::ostream& out, std::ostream& err);

}  // namespace dcmkit::oflog

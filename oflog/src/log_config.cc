// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/log_config.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "dcmkit/oflog/registry.h"
#include "dcmkit/oflog/sink.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::oflog {
namespace {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

constexpr std::uintmax_t kMaxConfigSize = std::uintmax_t{1024} * 1024;
constexpr int kMaxExpansionDepth = 16;

// log4cplus's defaults for layouts that are named without a pattern.
constexpr std::string_view kSimpleLayoutPattern = "%p - %m%n";
constexpr std::string_view kTtccLayoutPattern = "%D{%H:%M:%S.%q} [%t] %p %c - %m%n";
constexpr std::string_view kLog4cplusPatternDefault = "%m%n";

struct Line {
  std::size_t number = 0;
  std::string_view text;  // trimmed
};

Error syntax_error(std::string_view source, std::size_t line, const std::string& what) {
  return {ErrorCode::MalformedData, std::string(source) + ":" + std::to_string(line) + ": " + what};
}

std::vector<Line> meaningful_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t number = 0;
  for (const std::string_view raw : ofstd::split(text, '\n')) {
    ++number;
    const std::string_view line = ofstd::trim(raw, " \t\r");
    if (line.empty() || line.front() == '#' || line.front() == ';' || line.front() == '!') {
      continue;
    }
    lines.push_back({number, line});
  }
  return lines;
}

std::optional<bool> parse_bool(std::string_view text) {
  for (const std::string_view yes : {"true", "yes", "on", "1"}) {
    if (ofstd::iequals(text, yes)) return true;
  }
  for (const std::string_view no : {"false", "no", "off", "0"}) {
    if (ofstd::iequals(text, no)) return false;
  }
  return std::nullopt;
}

std::string local_time_text(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  localtime_r(&now, &parts);
  std::array<char, 64> buffer{};
  const std::size_t length = std::strftime(buffer.data(), buffer.size(), format, &parts);
  return {buffer.data(), length};
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "localhost";
  return {buffer.data()};
}

// Expands ${name}: first the file's own properties (log4cplus syntax), then the predefined
// variables, then the environment, as DCMTK documents for its logger.cfg.
class Expander {
 public:
  Expander(const ConfigContext& context, std::string_view source) : source_(source) {
    predefined_["appname"] = context.appname;
    predefined_["date"] = local_time_text("%Y-%m-%d");
    predefined_["time"] = local_time_text("%H:%M:%S");
    predefined_["pid"] = std::to_string(getpid());
    predefined_["hostname"] = host_name();
  }

  void set_properties(const std::map<std::string, std::string, std::less<>>* properties) {
    properties_ = properties;
  }

  Result<std::string> expand(std::string_view value, std::size_t line, int depth = 0) const {
    if (depth > kMaxExpansionDepth) {
      return syntax_error(source_, line, "variables nested too deeply (a cycle?)");
    }
    std::string out;
    std::size_t position = 0;
    while (true) {
      const std::size_t open = value.find("${", position);
      if (open == std::string_view::npos) {
        out += value.substr(position);
        return out;
      }
      out += value.substr(position, open - position);
      const std::size_t close = value.find('}', open + 2);
      if (close == std::string_view::npos) {
        return syntax_error(source_, line, "unterminated '${' in '" + std::string(value) + "'");
      }
      const std::string_view name = value.substr(open + 2, close - open - 2);
      DCMKIT_ASSIGN_OR_RETURN(const std::string replacement, lookup(name, line, depth));
      out += replacement;
      position = close + 1;
    }
  }

 private:
  Result<std::string> lookup(std::string_view name, std::size_t line, int depth) const {
    if (properties_ != nullptr) {
      const auto it = properties_->find(name);
      if (it != properties_->end()) return expand(it->second, line, depth + 1);
    }
    const auto predefined = predefined_.find(name);
    if (predefined != predefined_.end()) return predefined->second;
    const std::string name_text(name);
    if (const char* environment = std::getenv(name_text.c_str())) {
      return std::string(environment);
    }
    return syntax_error(source_, line, "undefined variable ${" + name_text + "}");
  }

  std::string_view source_;
  std::map<std::string, std::string, std::less<>> predefined_;
  const std::map<std::string, std::string, std::less<>>* properties_ = nullptr;
};

LoggerConfig& logger_entry(LogConfig& config, std::string_view name) {
  for (LoggerConfig& logger : config.loggers) {
    if (logger.name == name) return logger;
  }
  config.loggers.push_back({std::string(name), std::nullopt, {}, std::nullopt});
  return config.loggers.back();
}

SinkConfig* find_sink(LogConfig& config, std::string_view name) {
  for (SinkConfig& sink : config.sinks) {
    if (sink.name == name) return &sink;
  }
  return nullptr;
}

Result<Level> level_value(std::string_view text, std::string_view source, std::size_t line) {
  Result<Level> level = parse_level(text);
  if (!level) return syntax_error(source, line, "invalid level '" + std::string(text) + "'");
  return level;
}

Result<std::string> pattern_value(std::string_view text, std::string_view source,
                                  std::size_t line) {
  const Result<PatternLayout> layout = PatternLayout::parse(text);
  if (!layout) return syntax_error(source, line, layout.error().message());
  return std::string(text);
}

// ---------------------------------------------------------------------------------------------
// dcmkit syntax

Result<LogConfig> parse_dcmkit(const std::vector<Line>& lines, const Expander& expander,
                               std::string_view source) {
  LogConfig config;
  config.syntax = ConfigSyntax::Dcmkit;
  std::optional<std::string> global_pattern;
  std::set<std::string> patterned;  // sinks with their own pattern
  std::map<std::string, std::size_t, std::less<>> section_line;
  std::vector<std::pair<std::string, std::vector<std::string>>> attachments;  // sink -> loggers
  SinkConfig* section = nullptr;
  std::size_t shorthand_count = 0;

  for (const Line& line : lines) {
    if (line.text.front() == '[') {
      if (line.text.back() != ']') return syntax_error(source, line.number, "expected ']'");
      const std::string_view header = ofstd::trim(line.text.substr(1, line.text.size() - 2));
      if (!ofstd::starts_with(header, "sink ") && !ofstd::starts_with(header, "sink\t")) {
        return syntax_error(source, line.number,
                            "unknown section '" + std::string(header) + "', expected [sink NAME]");
      }
      const std::string name(ofstd::trim(header.substr(5)));
      if (name.empty()) return syntax_error(source, line.number, "sink section without a name");
      if (find_sink(config, name) != nullptr) {
        return syntax_error(source, line.number, "sink '" + name + "' defined twice");
      }
      config.sinks.push_back(SinkConfig{});
      section = &config.sinks.back();
      section->name = name;
      section_line[name] = line.number;
      attachments.emplace_back(name, std::vector<std::string>{});
      continue;
    }
    const std::size_t equals = line.text.find('=');
    if (equals == std::string_view::npos) {
      return syntax_error(source, line.number, "expected 'key = value'");
    }
    const std::string_view key = ofstd::trim(line.text.substr(0, equals), " \t");
    const std::string_view raw_value = ofstd::trim(line.text.substr(equals + 1), " \t");
    if (key.empty()) return syntax_error(source, line.number, "missing key before '='");
    DCMKIT_ASSIGN_OR_RETURN(const std::string value, expander.expand(raw_value, line.number));

    if (section != nullptr) {
      if (key == "type") {
        if (value == "stderr") {
          section->type = SinkConfig::Type::Stderr;
        } else if (value == "stdout") {
          section->type = SinkConfig::Type::Stdout;
        } else if (value == "file") {
          section->type = SinkConfig::Type::File;
        } else if (value == "null") {
          section->type = SinkConfig::Type::Null;
        } else {
          return syntax_error(source, line.number,
                              "unknown sink type '" + value + "' (stderr, stdout, file, null)");
        }
      } else if (key == "path") {
        section->path = value;
      } else if (key == "append") {
        const std::optional<bool> append = parse_bool(value);
        if (!append) return syntax_error(source, line.number, "expected true or false");
        section->append = *append;
      } else if (key == "level") {
        DCMKIT_ASSIGN_OR_RETURN(section->threshold, level_value(value, source, line.number));
      } else if (key == "pattern") {
        DCMKIT_ASSIGN_OR_RETURN(section->pattern, pattern_value(value, source, line.number));
        patterned.insert(section->name);
      } else if (key == "logger") {
        for (const std::string_view logger : ofstd::split(value, ',')) {
          attachments.back().second.emplace_back(ofstd::trim(logger, " \t"));
        }
      } else {
        return syntax_error(
            source, line.number,
            "unknown key '" + std::string(key) + "' in [sink " + section->name + "]");
      }
      continue;
    }

    if (key == "level") {
      DCMKIT_ASSIGN_OR_RETURN(const Level level, level_value(value, source, line.number));
      logger_entry(config, "").level = level;
    } else if (ofstd::starts_with(key, "logger.") && key.size() > 7) {
      LoggerConfig& logger = logger_entry(config, key.substr(7));
      if (ofstd::iequals(value, "inherit")) {
        logger.level.reset();
      } else {
        DCMKIT_ASSIGN_OR_RETURN(logger.level, level_value(value, source, line.number));
      }
    } else if (ofstd::starts_with(key, "additivity.") && key.size() > 11) {
      const std::optional<bool> additive = parse_bool(value);
      if (!additive) return syntax_error(source, line.number, "expected true or false");
      logger_entry(config, key.substr(11)).additive = *additive;
    } else if (key == "pattern") {
      DCMKIT_ASSIGN_OR_RETURN(global_pattern, pattern_value(value, source, line.number));
    } else if (key == "sink") {
      SinkConfig sink;
      sink.name = "sink" + std::to_string(++shorthand_count);
      if (value == "stderr") {
        sink.type = SinkConfig::Type::Stderr;
      } else if (value == "stdout") {
        sink.type = SinkConfig::Type::Stdout;
      } else if (value == "null") {
        sink.type = SinkConfig::Type::Null;
      } else if (ofstd::starts_with(value, "file:") && value.size() > 5) {
        sink.type = SinkConfig::Type::File;
        sink.path = value.substr(5);
      } else {
        return syntax_error(source, line.number,
                            "expected stderr, stdout, null or file:PATH, not '" + value + "'");
      }
      config.sinks.push_back(sink);
      attachments.emplace_back(sink.name, std::vector<std::string>{});
    } else {
      return syntax_error(source, line.number, "unknown key '" + std::string(key) + "'");
    }
  }

  for (SinkConfig& sink : config.sinks) {
    if (sink.type == SinkConfig::Type::File && sink.path.empty()) {
      return syntax_error(source, section_line[sink.name],
                          "sink '" + sink.name + "' of type file needs a path");
    }
    if (global_pattern && patterned.count(sink.name) == 0) sink.pattern = *global_pattern;
  }
  if (config.sinks.empty()) {
    SinkConfig sink;
    sink.name = "console";
    if (global_pattern) sink.pattern = *global_pattern;
    config.sinks.push_back(sink);
    attachments.emplace_back(sink.name, std::vector<std::string>{});
  }
  for (auto& [sink, loggers] : attachments) {
    if (loggers.empty()) loggers.emplace_back();
    for (const std::string& logger : loggers) {
      logger_entry(config, logger == "root" ? "" : logger).sinks.push_back(sink);
    }
  }
  return config;
}

// ---------------------------------------------------------------------------------------------
// log4cplus syntax (the subset DCMTK's logger.cfg and filelog.cfg use)

// DCMTK's loggers are "dcmtk.<module>..."; ours are "dcmkit.<module>...", so existing files
// address the same parts of the toolkit.
std::string map_logger_name(std::string_view name) {
  if (name == "dcmtk") return "dcmkit";
  if (ofstd::starts_with(name, "dcmtk.")) return "dcmkit" + std::string(name.substr(5));
  return std::string(name);
}

std::string_view strip_class_prefix(std::string_view name) {
  for (const std::string_view prefix : {"log4cplus::spi::", "log4cplus::"}) {
    if (ofstd::starts_with(name, prefix)) return name.substr(prefix.size());
  }
  return name;
}

struct AppenderDraft {
  std::size_t line = 0;  // where the class was set
  std::string class_name;
  std::map<std::string, std::pair<std::string, std::size_t>, std::less<>> properties;
};

Result<LogConfig> parse_log4cplus(const std::vector<Line>& lines, Expander& expander,
                                  std::string_view source) {
  // Properties first: values may refer to any other key, defined before or after.
  std::map<std::string, std::string, std::less<>> properties;
  std::vector<std::pair<Line, std::pair<std::string, std::string>>> entries;
  for (const Line& line : lines) {
    const std::size_t equals = line.text.find('=');
    if (equals == std::string_view::npos) {
      return syntax_error(source, line.number, "expected 'key = value'");
    }
    std::string key(ofstd::trim(line.text.substr(0, equals), " \t"));
    std::string value(ofstd::trim(line.text.substr(equals + 1), " \t"));
    if (key.empty()) return syntax_error(source, line.number, "missing key before '='");
    properties[key] = value;
    entries.push_back({line, {std::move(key), std::move(value)}});
  }
  expander.set_properties(&properties);

  LogConfig config;
  config.syntax = ConfigSyntax::Log4cplus;
  // log4cplus's root logger starts at DEBUG, not at DCMTK's WARN.
  logger_entry(config, "").level = Level::Debug;
  std::map<std::string, AppenderDraft, std::less<>> appenders;
  std::vector<std::string> appender_order;
  std::vector<std::pair<std::string, std::size_t>> references;  // appender name, line

  for (const auto& [line, entry] : entries) {
    const std::string_view key = entry.first;
    if (!ofstd::starts_with(key, "log4cplus.")) continue;  // a plain property (a variable)
    DCMKIT_ASSIGN_OR_RETURN(const std::string value, expander.expand(entry.second, line.number));
    const std::string_view rest = key.substr(10);

    if (rest == "rootLogger" || (ofstd::starts_with(rest, "logger.") && rest.size() > 7)) {
      const std::string name =
          rest == "rootLogger" ? std::string() : map_logger_name(rest.substr(7));
      LoggerConfig& logger = logger_entry(config, name);
      const std::vector<std::string_view> parts = ofstd::split(value, ',');
      const std::string_view level_text = ofstd::trim(parts.front(), " \t");
      if (ofstd::iequals(level_text, "INHERIT") || ofstd::iequals(level_text, "NOTSET")) {
        if (!name.empty()) logger.level.reset();
      } else if (!level_text.empty()) {
        DCMKIT_ASSIGN_OR_RETURN(logger.level, level_value(level_text, source, line.number));
      }
      for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string_view appender = ofstd::trim(parts[i], " \t");
        if (appender.empty()) continue;
        logger.sinks.emplace_back(appender);
        references.emplace_back(std::string(appender), line.number);
      }
    } else if (ofstd::starts_with(rest, "additivity.") && rest.size() > 11) {
      const std::optional<bool> additive = parse_bool(value);
      if (!additive) return syntax_error(source, line.number, "expected true or false");
      logger_entry(config, map_logger_name(rest.substr(11))).additive = *additive;
    } else if (ofstd::starts_with(rest, "appender.") && rest.size() > 9) {
      const std::string_view spec = rest.substr(9);
      const std::size_t dot = spec.find('.');
      const std::string name(spec.substr(0, dot));
      if (appenders.find(name) == appenders.end()) appender_order.push_back(name);
      AppenderDraft& draft = appenders[name];
      if (dot == std::string_view::npos) {
        draft.class_name = std::string(strip_class_prefix(value));
        draft.line = line.number;
      } else {
        draft.properties[std::string(spec.substr(dot + 1))] = {value, line.number};
      }
    }
    // Other log4cplus.* keys (configDebug, threadPoolSize, ...) do not apply to dcmkit.
  }

  for (const std::string& name : appender_order) {
    const AppenderDraft& draft = appenders[name];
    const std::size_t first_line =
        draft.line != 0 ? draft.line
                        : (draft.properties.empty() ? 0 : draft.properties.begin()->second.second);
    if (draft.class_name.empty()) {
      return syntax_error(source, first_line, "appender '" + name + "' has no class");
    }
    SinkConfig sink;
    sink.name = name;
    sink.append = false;  // log4cplus truncates unless Append = true
    if (draft.class_name == "ConsoleAppender") {
      sink.type = SinkConfig::Type::Stdout;  // log4cplus's default; logToStderr switches
    } else if (draft.class_name == "FileAppender") {
      sink.type = SinkConfig::Type::File;
    } else if (draft.class_name == "RollingFileAppender" ||
               draft.class_name == "DailyRollingFileAppender") {
      // No rotation: the file grows (documented in docs/logging.md).
      sink.type = SinkConfig::Type::File;
      sink.append = true;
    } else if (draft.class_name == "NullAppender") {
      sink.type = SinkConfig::Type::Null;
    } else {
      return syntax_error(source, draft.line,
                          "unsupported appender class '" + draft.class_name + "'");
    }
    std::string layout_class = "SimpleLayout";
    std::optional<std::string> conversion_pattern;
    for (const auto& [property, entry] : draft.properties) {
      const auto& [value, line] = entry;
      if (property == "File") {
        sink.path = value;
      } else if (property == "Append" || property == "logToStderr") {
        const std::optional<bool> flag = parse_bool(value);
        if (!flag) return syntax_error(source, line, "expected true or false");
        if (property == "Append") {
          sink.append = *flag;
        } else if (sink.type == SinkConfig::Type::Stdout || sink.type == SinkConfig::Type::Stderr) {
          sink.type = *flag ? SinkConfig::Type::Stderr : SinkConfig::Type::Stdout;
        }
      } else if (property == "Threshold") {
        if (!ofstd::iequals(value, "NOTSET")) {
          DCMKIT_ASSIGN_OR_RETURN(sink.threshold, level_value(value, source, line));
        }
      } else if (property == "layout") {
        layout_class = std::string(strip_class_prefix(value));
        if (layout_class != "PatternLayout" && layout_class != "SimpleLayout" &&
            layout_class != "TTCCLayout") {
          return syntax_error(source, line, "unsupported layout class '" + value + "'");
        }
      } else if (property == "layout.ConversionPattern") {
        DCMKIT_ASSIGN_OR_RETURN(conversion_pattern, pattern_value(value, source, line));
      }
      // ImmediateFlush (always on here), MaxFileSize, MaxBackupIndex, Schedule, filters.* and
      // other tuning properties are accepted and ignored.
    }
    if (sink.type == SinkConfig::Type::File && sink.path.empty()) {
      return syntax_error(source, draft.line, "appender '" + name + "' needs a File");
    }
    if (layout_class == "PatternLayout") {
      sink.pattern = conversion_pattern.value_or(std::string(kLog4cplusPatternDefault));
    } else if (layout_class == "TTCCLayout") {
      sink.pattern = std::string(kTtccLayoutPattern);
    } else {
      sink.pattern = std::string(kSimpleLayoutPattern);
    }
    config.sinks.push_back(std::move(sink));
  }

  for (const auto& [appender, line] : references) {
    if (find_sink(config, appender) == nullptr) {
      return syntax_error(source, line, "undefined appender '" + appender + "'");
    }
  }
  return config;
}

}  // namespace

Result<LogConfig> parse_log_config(std::string_view text, const ConfigContext& context,
                                   std::string_view source) {
  const std::vector<Line> lines = meaningful_lines(text);
  Expander expander(context, source);
  const bool log4cplus = std::any_of(lines.begin(), lines.end(), [](const Line& line) {
    return ofstd::starts_with(line.text, "log4cplus.");
  });
  if (log4cplus) return parse_log4cplus(lines, expander, source);
  return parse_dcmkit(lines, expander, source);
}

Result<LogConfig> load_log_config(const std::filesystem::path& path, const ConfigContext& context) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Error(ErrorCode::NotFound, "log configuration '" + path.string() + "' does not exist");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Error(ErrorCode::IoError, "cannot read '" + path.string() + "'");
  if (size > kMaxConfigSize) {
    return Error(ErrorCode::LimitExceeded,
                 "log configuration '" + path.string() + "' is larger than 1 MiB");
  }
  std::ifstream file(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!file || !file.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    return Error(ErrorCode::IoError, "cannot read '" + path.string() + "'");
  }
  return parse_log_config(text, context, path.string());
}

ofstd::Status apply_log_config(const LogConfig& config) {
  return apply_log_config(config, std::cout, std::cerr);
}

ofstd::Status apply_log_config(const LogConfig& config, std::ostream& out, std::ostream& err) {
  // Open everything first, so that a failure leaves the current configuration in place.
  std::map<std::string, std::shared_ptr<Sink>, std::less<>> sinks;
  for (const SinkConfig& spec : config.sinks) {
    Result<PatternLayout> layout = PatternLayout::parse(spec.pattern);
    if (!layout) return std::move(layout).error();
    std::shared_ptr<Sink> sink;
    switch (spec.type) {
      case SinkConfig::Type::Stderr:
        sink = std::make_shared<StreamSink>(err, std::move(layout).value());
        break;
      case SinkConfig::Type::Stdout:
        sink = std::make_shared<StreamSink>(out, std::move(layout).value());
        break;
      case SinkConfig::Type::File: {
        DCMKIT_ASSIGN_OR_RETURN(std::unique_ptr<FileSink> file,
                                FileSink::open(spec.path, std::move(layout).value(), spec.append));
        sink = std::move(file);
        break;
      }
      case SinkConfig::Type::Null:
        sink = std::make_shared<NullSink>();
        break;
    }
    sink->set_threshold(spec.threshold);
    sinks[spec.name] = std::move(sink);
  }
  for (const LoggerConfig& logger : config.loggers) {
    for (const std::string& name : logger.sinks) {
      if (sinks.find(name) == sinks.end()) {
        return Error(ErrorCode::InvalidArgument,
                     "logger '" + logger.name + "' refers to undefined sink '" + name + "'");
      }
    }
  }

  reset();
  for (const LoggerConfig& logger : config.loggers) {
    if (logger.level) set_level(logger.name, *logger.level);
    if (logger.additive) set_additivity(logger.name, *logger.additive);
    for (const std::string& name : logger.sinks) add_sink(sinks[name], logger.name);
  }
  return ofstd::ok_status();
}

}  // namespace dcmkit::oflog

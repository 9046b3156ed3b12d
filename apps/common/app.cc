// SPDX-License-Identifier: BSD-3-Clause
#include "common/app.h"

#include <iostream>
#include <memory>
#include <utility>

#include "dcmkit/oflog/level.h"
#include "dcmkit/oflog/log_config.h"
#include "dcmkit/oflog/registry.h"
#include "dcmkit/oflog/sink.h"
#include "dcmkit/ofstd/exit_codes.h"

#ifndef DCMKIT_HOST_TYPE
#define DCMKIT_HOST_TYPE "unknown"
#endif
#ifndef DCMKIT_BUILD_OPTIONS
#define DCMKIT_BUILD_OPTIONS "cxx20"
#endif
#ifndef DCMKIT_ZLIB_VERSION
#define DCMKIT_ZLIB_VERSION "unknown"
#endif
#ifndef DCMKIT_ICU_VERSION
#define DCMKIT_ICU_VERSION "unknown"
#endif

namespace dcmkit::apps {

App::App(std::string program, std::string description)
    : App(std::move(program), std::move(description), std::cout, std::cerr) {}

App::App(std::string program, std::string description, std::ostream& out, std::ostream& err)
    : program_(program),
      command_line_(std::move(program), std::move(description)),
      out_(out),
      err_(err),
      logger_(oflog::get_logger("dcmkit.apps." + program_)) {
  libraries_.emplace_back("ZLIB, Version " DCMKIT_ZLIB_VERSION);
  libraries_.emplace_back("ICU, Version " DCMKIT_ICU_VERSION);

  // The "general options:" group of every DCMTK program, with DCMTK's texts.
  command_line_.add_group("general options:");
  command_line_.add_option("-h", "--help", "print this help text and exit", 0,
                           ofstd::OptionKind::Exclusive);
  command_line_.add_option("", "--version", "print version information and exit", 0,
                           ofstd::OptionKind::Exclusive);
  command_line_.add_option("", "--arguments", "print expanded command line arguments");
  command_line_.add_option("-q", "--quiet", "quiet mode, print no warnings and errors");
  command_line_.add_option("-v", "--verbose", "verbose mode, print processing details");
  command_line_.add_option("-d", "--debug", "debug mode, print debug information");
  command_line_.add_option("-ll", "--log-level",
                           "[l]evel: string constant\n"
                           "(fatal, error, warn, info, debug, trace)\n"
                           "use level l for the logger",
                           1);
  command_line_.add_option("-lc", "--log-config",
                           "[f]ilename: string\n"
                           "use config file f for the logger",
                           1);
}

App::~App() {
  if (owns_logging_) {
    oflog::flush();
    oflog::reset();
  }
}

void App::add_library(std::string description) { libraries_.push_back(std::move(description)); }

std::string App::version_details() const {
  std::string text = "Host type: " DCMKIT_HOST_TYPE "\nBuild options: " DCMKIT_BUILD_OPTIONS
                     "\n\nExternal libraries used:";
  if (libraries_.empty()) return text + " none\n";
  text += "\n";
  for (const std::string& library : libraries_) text += "- " + library + "\n";
  return text;
}

std::optional<int> App::parse(int argc, const char* const* argv) {
  command_line_.set_version_details(version_details());
  ofstd::ParseOutcome outcome = command_line_.process(argc, argv, out_, err_);
  if (outcome.exit_code) return outcome.exit_code;
  args_ = std::move(outcome.args);

  if (const std::optional<int> exit_code = configure_logging()) return exit_code;

  // DCMTK logs the expanded command line through the root logger, whatever the level (it shows
  // with --quiet too), and then its banner at debug level; both end with a newline, which
  // prints as an empty "I: " or "D: " line.
  if (args_.has("--arguments")) {
    oflog::Logger("").force_log(oflog::Level::Info, args_.arguments_message());
  }
  DCMKIT_LOG_DEBUG(logger_, command_line_.banner() << "\n");
  return std::nullopt;
}

std::optional<int> App::configure_logging() {
  // DCMTK's checks, in DCMTK's order and words.
  if (ofstd::Status conflict = args_.check_conflict("-ll", {"-v", "-d", "-q"}); !conflict) {
    return usage_error(conflict.error());
  }
  std::optional<oflog::Level> level;
  if (args_.has("-ll")) {
    const ofstd::Result<oflog::Level> parsed = oflog::parse_level(*args_.value("-ll"));
    if (!parsed) return usage_error("Invalid log level for --log-level option");
    level = *parsed;
  }
  if (ofstd::Status conflict = args_.check_conflict("-lc", {"-v", "-d", "-q"}); !conflict) {
    return usage_error(conflict.error());
  }
  if (ofstd::Status conflict = args_.check_conflict("-lc", {"-ll"}); !conflict) {
    return usage_error(conflict.error());
  }

  if (args_.has("-lc")) {
    const std::string path = *args_.value("-lc");
    const ofstd::Result<oflog::LogConfig> config =
        oflog::load_log_config(path, {.appname = program_});
    if (!config) {
      if (config.error().code() == ofstd::ErrorCode::NotFound) {
        return usage_error("Specified --log-config file does not exist");
      }
      return usage_error(config.error());
    }
    if (ofstd::Status applied = oflog::apply_log_config(*config, out_, err_); !applied) {
      return usage_error(applied.error());
    }
    owns_logging_ = true;
    return std::nullopt;
  }

  if (!level) {
    level = oflog::kDefaultLevel;
    if (const std::optional<std::string_view> verbosity = args_.last_of({"-q", "-v", "-d"})) {
      // -q still shows fatal errors, as DCMTK's does.
      level = *verbosity == "-q"   ? oflog::Level::Fatal
              : *verbosity == "-v" ? oflog::Level::Info
                                   : oflog::Level::Debug;
    }
  }
  oflog::reset();
  oflog::add_sink(std::make_shared<oflog::StreamSink>(err_));
  oflog::set_level("", *level);
  owns_logging_ = true;
  return std::nullopt;
}

int App::usage_error(std::string_view message) const {
  err_ << command_line_.error_text(message) << std::flush;
  return ofstd::kExitCommandLineSyntaxError;
}

int App::usage_error(const ofstd::Error& error) const { return usage_error(error.message()); }

int App::fail(int exit_code, std::string_view message) const {
  logger_.log(oflog::Level::Error, message);
  return exit_code;
}

int App::fatal(int exit_code, std::string_view message) const {
  logger_.log(oflog::Level::Fatal, message);
  return exit_code;
}

}  // namespace dcmkit::apps

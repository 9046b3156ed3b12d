// SPDX-License-Identifier: BSD-3-Clause
// The frame every dcmkit program shares: DCMTK's "general options" (-h, --version, --arguments,
// -q, -v, -d, -ll, -lc), console logging in DCMTK's format ("W: message") and the exit path.
//
//   int main(int argc, char** argv) {
//     apps::App app("dcmdump", "Dump DICOM file and data set");
//     ofstd::CommandLine& cl = app.command_line();
//     cl.add_parameter("dcmfile-in", "DICOM input file or directory to be dumped",
//                      ofstd::Cardinality::OneOrMore);
//     cl.add_group("output options:");
//     cl.add_subgroup("printing:");
//     cl.add_option("+L", "--print-all", "print long tag values completely");
//     cl.add_option("-L", "--print-short", "print long tag values shortened (default)");
//     if (const std::optional<int> exit_code = app.parse(argc, argv)) return *exit_code;
//     const bool print_all = app.args().last_of({"+L", "-L"}) == "+L";
//     DCMKIT_LOG_INFO(app.logger(), "dumping " << app.args().param_count() << " files");
//     ...
//     if (!read) return app.fail(ofstd::kExitCannotReadInputFile, read.error().to_string());
//   }
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::apps {

/// One program run. The constructor defines the "general options:" group, which stays the
/// current group so that a program can add its own general options (storescu's +v) right away.
/// parse() owns the process-wide logging configuration from then until the App is destroyed.
/// Not thread-safe; one per process.
class App {
 public:
  /// A program writing help and version to stdout and errors and log output to stderr.
  App(std::string program, std::string description);
  /// The same with other streams (for tests); both must outlive the App.
  App(std::string program, std::string description, std::ostream& out, std::ostream& err);
  App(const App&) = delete;
  App& operator=(const App&) = delete;
  /// Flushes and removes the console sink installed by parse().
  ~App();

  /// The command line, to add parameters, groups and options before parse().
  ofstd::CommandLine& command_line() noexcept { return command_line_; }

  /// Adds a line to --version's "External libraries used:" list, e.g. "OpenSSL 3.0.2".
  /// ZLIB and ICU, which every dcmkit build uses, are listed by default.
  void add_library(std::string description);

  /// Parses argv and handles the general options DCMTK's way: --help and --version print and
  /// end the run (exit 0); a malformed command line prints "error: ..." and ends it (exit 1);
  /// -q/-v/-d/-ll (rightmost of -q, -v, -d wins) set the level of console logging; -lc replaces
  /// console logging by a configuration file; --arguments logs the expanded command line.
  /// Returns the exit code if the program should stop now, empty to go on.
  std::optional<int> parse(int argc, const char* const* argv);

  /// The parsed command line; valid after parse() returned empty.
  const ofstd::ParsedCommandLine& args() const noexcept { return args_; }

  /// The program's logger, "dcmkit.apps.<program>".
  const oflog::Logger& logger() const noexcept { return logger_; }

  /// Reports a command-line mistake found by the program (an option value out of range, a
  /// conflict) in DCMTK's format, banner and "error: <message>" on the error stream, and returns
  /// ofstd::kExitCommandLineSyntaxError.
  int usage_error(std::string_view message) const;
  /// usage_error() with the error's message (context is left out, as DCMTK shows none).
  int usage_error(const ofstd::Error& error) const;

  /// Logs `message` at error level ("E: message") and returns `exit_code`, for `return
  /// app.fail(ofstd::kExitCannotWriteOutputFile, "...");`.
  int fail(int exit_code, std::string_view message) const;
  /// Like fail(), at fatal level ("F: message"): shown even with --quiet.
  int fatal(int exit_code, std::string_view message) const;

 private:
  std::optional<int> configure_logging();
  std::string version_details() const;

  std::string program_;
  ofstd::CommandLine command_line_;
  std::ostream& out_;
  std::ostream& err_;
  oflog::Logger logger_;
  std::vector<std::string> libraries_;
  ofstd::ParsedCommandLine args_;
  bool owns_logging_ = false;
};

}  // namespace dcmkit::apps

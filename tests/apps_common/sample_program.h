// SPDX-License-Identifier: BSD-3-Clause
// A minimal program on apps::App, used in-process by app_test.cc and as the executable
// dcmkit_sample_app: it logs one message per level and can fail on request.
#pragma once

#include <ostream>
#include <string>

#include "common/app.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace dcmkit::apps::testing {

inline int sample_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  App app("sampleapp", "Exercise the shared program frame", out, err);
  ofstd::CommandLine& cl = app.command_line();
  cl.set_option_columns(21, 3);  // dcmdump's columns, to compare with its general options
  cl.add_parameter("file-in", "input file (\"fail\" fails)", ofstd::Cardinality::OneOrMore);
  cl.add_group("processing options:");
  cl.add_subgroup("limits:");
  cl.add_option("+R", "--max-read-length",
                "[k]bytes: integer (4..4194302, default: 4)\n"
                "set threshold for long values to k kbytes",
                1);
  if (const std::optional<int> exit_code = app.parse(argc, argv)) return *exit_code;

  long long kbytes = 4;
  if (app.args().has("+R")) {
    const auto value = app.args().value_as_int("+R", ofstd::IntBounds::range(4, 4194302));
    if (!value) return app.usage_error(value.error());
    kbytes = *value;
  }
  const oflog::Logger& log = app.logger();
  DCMKIT_LOG_TRACE(log, "trace message");
  DCMKIT_LOG_DEBUG(log, "debug message, threshold " << kbytes << " kbytes");
  DCMKIT_LOG_INFO(log, "info message");
  DCMKIT_LOG_WARN(log, "warn message");
  DCMKIT_LOG_ERROR(log, "error message");
  for (const std::string& file : app.args().params()) {
    if (file == "fail") {
      return app.fail(ofstd::kExitCannotReadInputFile, "sampleapp: cannot read file: " + file);
    }
  }
  return ofstd::kExitNoError;
}

}  // namespace dcmkit::apps::testing

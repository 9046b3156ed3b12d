// SPDX-License-Identifier: BSD-3-Clause
#include "common/app.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dcmkit/oflog/registry.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "sample_program.h"

namespace dcmkit::apps {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Outcome run(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "sampleapp");
  std::vector<const char*> argv;
  argv.reserve(arguments.size());
  for (const std::string& argument : arguments) argv.push_back(argument.c_str());
  std::ostringstream out;
  std::ostringstream err;
  Outcome result;
  result.exit_code = testing::sample_main(static_cast<int>(argv.size()), argv.data(), out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

std::string banner() {
  return "$dcmkit: sampleapp v" + std::string(ofstd::dcmkit_version()) + " " +
         std::string(ofstd::dcmkit_release_date()) + " $";
}

std::string usage_error(const std::string& message) {
  return banner() + "\n\nsampleapp: Exercise the shared program frame\nerror: " + message + "\n";
}

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("dcmkit_app_" + std::to_string(::getpid()) + "_" + name);
}

TEST(AppTest, DefaultShowsWarningsAndErrors) {
  const Outcome result = run({"x"});
  EXPECT_EQ(result.exit_code, ofstd::kExitNoError);
  EXPECT_EQ(result.err, "W: warn message\nE: error message\n");
  EXPECT_EQ(result.out, "");
  EXPECT_FALSE(oflog::has_sinks());  // the App removed its sink when it ended
}

TEST(AppTest, QuietShowsOnlyFatalErrors) {
  EXPECT_EQ(run({"-q", "x"}).err, "");
  EXPECT_EQ(run({"--quiet", "x", "fail"}).err, "");
}

TEST(AppTest, VerboseShowsInfo) {
  EXPECT_EQ(run({"-v", "x"}).err, "I: info message\nW: warn message\nE: error message\n");
}

TEST(AppTest, DebugShowsBannerAndDebugMessages) {
  EXPECT_EQ(run({"--debug", "x", "+R", "8"}).err,
            "D: " + banner() +
                "\nD: \n"
                "D: debug message, threshold 8 kbytes\n"
                "I: info message\nW: warn message\nE: error message\n");
}

TEST(AppTest, RightmostOfQuietVerboseDebugWins) {
  EXPECT_EQ(run({"-q", "-v", "x"}).err, "I: info message\nW: warn message\nE: error message\n");
  EXPECT_EQ(run({"-d", "-q", "x"}).err, "");
  EXPECT_NE(run({"-q", "-d", "x"}).err.find("D: debug message"), std::string::npos);
}

TEST(AppTest, LogLevelSelectsAnyLevel) {
  const Outcome trace = run({"-ll", "trace", "x"});
  EXPECT_NE(trace.err.find("T: trace message\n"), std::string::npos);
  EXPECT_EQ(run({"--log-level", "ERROR", "x"}).err, "E: error message\n");
  EXPECT_EQ(run({"-ll", "off", "x"}).err, "");
  EXPECT_EQ(run({"-ll", "fatal", "x"}).err, "");
}

TEST(AppTest, RejectsInvalidLoggingOptionsLikeDcmtk) {
  Outcome result = run({"-ll", "loud", "x"});
  EXPECT_EQ(result.exit_code, ofstd::kExitCommandLineSyntaxError);
  EXPECT_EQ(result.err, usage_error("Invalid log level for --log-level option"));
  EXPECT_EQ(run({"-ll", "debug", "-v", "x"}).err,
            usage_error("--log-level not allowed with --verbose, --debug or --quiet"));
  EXPECT_EQ(run({"-d", "-ll", "debug", "x"}).err,
            usage_error("--log-level not allowed with --verbose, --debug or --quiet"));
  // DCMTK checks --log-level's value before --log-config's conflicts.
  EXPECT_EQ(run({"-ll", "loud", "-lc", "x.cfg", "x"}).err,
            usage_error("Invalid log level for --log-level option"));
  EXPECT_EQ(run({"-lc", "x.cfg", "-q", "x"}).err,
            usage_error("--log-config not allowed with --verbose, --debug or --quiet"));
  EXPECT_EQ(run({"-lc", "x.cfg", "-ll", "info", "x"}).err,
            usage_error("--log-config not allowed with --log-level"));
  result = run({"-lc", temp_path("missing.cfg").string(), "x"});
  EXPECT_EQ(result.exit_code, ofstd::kExitCommandLineSyntaxError);
  EXPECT_EQ(result.err, usage_error("Specified --log-config file does not exist"));
}

TEST(AppTest, LogConfigFileControlsOutput) {
  const auto config = temp_path("app.cfg");
  const auto log_file = temp_path("app.log");
  std::ofstream(config) << "level = info\n"
                           "pattern = [%p] %c{1}: %m%n\n"
                           "sink = stderr\n"
                           "[sink file]\n"
                           "type = file\n"
                           "append = false\n"
                           "path = "
                        << log_file.string()
                        << "\n"
                           "pattern = %p %m%n\n"
                           "level = error\n";
  const Outcome result = run({"-lc", config.string(), "x"});
  EXPECT_EQ(result.exit_code, ofstd::kExitNoError);
  EXPECT_EQ(result.err,
            "[INFO] sampleapp: info message\n[WARN] sampleapp: warn message\n"
            "[ERROR] sampleapp: error message\n");
  std::ifstream file(log_file);
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(text.str(), "ERROR error message\n");
  std::filesystem::remove(config);
  std::filesystem::remove(log_file);
}

TEST(AppTest, LogConfigInDcmtkSyntax) {
  const auto config = temp_path("dcmtk.cfg");
  std::ofstream(config) << "log4cplus.rootLogger = INFO, console\n"
                           "log4cplus.appender.console = log4cplus::ConsoleAppender\n"
                           "log4cplus.appender.console.logToStderr = true\n"
                           "log4cplus.appender.console.layout = log4cplus::PatternLayout\n"
                           "log4cplus.appender.console.layout.ConversionPattern = %5p: %m%n\n"
                           "log4cplus.logger.dcmtk.apps.sampleapp = ERROR\n";
  EXPECT_EQ(run({"-lc", config.string(), "x"}).err, "ERROR: error message\n");
  std::filesystem::remove(config);
}

TEST(AppTest, MalformedLogConfigIsACommandLineError) {
  const auto config = temp_path("bad.cfg");
  std::ofstream(config) << "level = info\nlevle = debug\n";
  const Outcome result = run({"-lc", config.string(), "x"});
  EXPECT_EQ(result.exit_code, ofstd::kExitCommandLineSyntaxError);
  EXPECT_EQ(result.err, usage_error(config.string() + ":2: unknown key 'levle'"));
  std::filesystem::remove(config);
}

TEST(AppTest, ArgumentsAreLoggedEvenWhenQuiet) {
  const Outcome result = run({"-q", "--arguments", "+R", "8", "x"});
  EXPECT_EQ(result.err,
            "I: calling 'sampleapp' with 5 arguments: '--quiet' '--arguments' "
            "'--max-read-length' '8' 'x' \nI: \n");
}

TEST(AppTest, ReportsOptionValueErrorsLikeDcmtk) {
  const Outcome result = run({"+R", "1", "x"});
  EXPECT_EQ(result.exit_code, ofstd::kExitCommandLineSyntaxError);
  EXPECT_EQ(result.err, usage_error("Invalid value for option --max-read-length (underflow: 1)"));
  EXPECT_EQ(run({"+xyz", "x"}).err, usage_error("Unknown option +xyz"));
  EXPECT_EQ(run({"-ll"}).err, usage_error("Missing value for option --log-level"));
}

TEST(AppTest, FailLogsAnErrorAndReturnsTheExitCode) {
  const Outcome result = run({"x", "fail"});
  EXPECT_EQ(result.exit_code, ofstd::kExitCannotReadInputFile);
  EXPECT_EQ(result.err,
            "W: warn message\nE: error message\nE: sampleapp: cannot read file: fail\n");
}

TEST(AppTest, HelpShowsDcmtkGeneralOptions) {
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{}, std::vector<std::string>{"-h"},
        std::vector<std::string>{"--help", "-ll", "loud"}}) {
    const Outcome result = run(arguments);
    EXPECT_EQ(result.exit_code, ofstd::kExitNoError);
    EXPECT_EQ(result.err, "");
    // With dcmdump's columns, this block is byte-identical to `dcmdump --help`'s.
    EXPECT_NE(result.out.find("general options:\n"
                              "  -h     --help                 print this help text and exit\n"
                              "         --version              print version information and "
                              "exit\n"
                              "         --arguments            print expanded command line "
                              "arguments\n"
                              "  -q     --quiet                quiet mode, print no warnings "
                              "and errors\n"
                              "  -v     --verbose              verbose mode, print processing "
                              "details\n"
                              "  -d     --debug                debug mode, print debug "
                              "information\n"
                              "  -ll    --log-level            [l]evel: string constant\n"
                              "                                (fatal, error, warn, info, "
                              "debug, trace)\n"
                              "                                use level l for the logger\n"
                              "  -lc    --log-config           [f]ilename: string\n"
                              "                                use config file f for the "
                              "logger\n"
                              "processing options:\n"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(result.out.rfind(banner() + "\n\nsampleapp: Exercise the shared program frame\n"
                                          "usage: sampleapp [options] file-in...\n",
                               0),
              0u);
  }
}

TEST(AppTest, VersionListsLibraries) {
  const Outcome result = run({"--version"});
  EXPECT_EQ(result.exit_code, ofstd::kExitNoError);
  EXPECT_EQ(result.out.rfind(banner() + "\n\nsampleapp: Exercise the shared program frame\n\n"
                                        "Host type: ",
                             0),
            0u)
      << result.out;
  EXPECT_NE(result.out.find("\nBuild options: "), std::string::npos);
  EXPECT_NE(result.out.find("\n\nExternal libraries used:\n- ZLIB, Version "), std::string::npos);
  EXPECT_NE(result.out.find("\n- ICU, Version "), std::string::npos);
}

// The real executable: output reaches the process's stderr and the exit code is the process's.
Outcome run_executable(const std::string& arguments) {
  const std::string command = std::string(DCMKIT_SAMPLE_APP) + " " + arguments + " 2>&1";
  Outcome result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    result.err += buffer.data();
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(AppTest, ExecutableUsesRealStreamsAndExitCodes) {
  Outcome result = run_executable("-v x fail");
  EXPECT_EQ(result.exit_code, ofstd::kExitCannotReadInputFile);
  EXPECT_EQ(result.err,
            "I: info message\nW: warn message\nE: error message\n"
            "E: sampleapp: cannot read file: fail\n");
  result = run_executable("+R abc x");
  EXPECT_EQ(result.exit_code, ofstd::kExitCommandLineSyntaxError);
  EXPECT_EQ(result.err, usage_error("Invalid value for option --max-read-length (abc)"));
  result = run_executable("-q x");
  EXPECT_EQ(result.exit_code, ofstd::kExitNoError);
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace dcmkit::apps

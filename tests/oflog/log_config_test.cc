// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/log_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dcmkit/oflog/logger.h"
#include "dcmkit/oflog/registry.h"

namespace dcmkit::oflog {
namespace {

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("dcmkit_logcfg_" + std::to_string(::getpid()) + "_" + name);
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string error_of(std::string_view text) {
  const auto config = parse_log_config(text, {.appname = "tool"}, "test.cfg");
  return config ? std::string("<ok>") : config.error().message();
}

const LoggerConfig* find_logger(const LogConfig& config, std::string_view name) {
  for (const LoggerConfig& logger : config.loggers) {
    if (logger.name == name) return &logger;
  }
  return nullptr;
}

class LogConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { reset(); }
  void TearDown() override { reset(); }
};

TEST_F(LogConfigTest, ParsesDcmkitFormat) {
  const auto config = parse_log_config(
      "# comment\n"
      "; another comment\n"
      "level = info\n"
      "logger.dcmkit.dcmnet = trace\n"
      "logger.dcmkit.dcmdata = inherit\n"
      "additivity.dcmkit.dcmnet = false\n"
      "pattern = %c: %m%n\n"
      "sink = stderr\n"
      "sink = file:/tmp/${appname}.log\n"
      "\n"
      "[sink errors]\n"
      "type = stdout\n"
      "level = error\n"
      "pattern = %P %m%n\n"
      "logger = dcmkit.dcmnet, dcmkit.apps\n",
      {.appname = "storescu"});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->syntax, ConfigSyntax::Dcmkit);
  ASSERT_EQ(config->sinks.size(), 3u);
  EXPECT_EQ(config->sinks[0].name, "sink1");
  EXPECT_EQ(config->sinks[0].type, SinkConfig::Type::Stderr);
  EXPECT_EQ(config->sinks[0].pattern, "%c: %m%n");
  EXPECT_EQ(config->sinks[1].type, SinkConfig::Type::File);
  EXPECT_EQ(config->sinks[1].path, "/tmp/storescu.log");
  EXPECT_EQ(config->sinks[1].pattern, "%c: %m%n");
  EXPECT_EQ(config->sinks[2].name, "errors");
  EXPECT_EQ(config->sinks[2].type, SinkConfig::Type::Stdout);
  EXPECT_EQ(config->sinks[2].threshold, Level::Error);
  EXPECT_EQ(config->sinks[2].pattern, "%P %m%n");

  const LoggerConfig* root = find_logger(*config, "");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->level, Level::Info);
  EXPECT_EQ(root->sinks, (std::vector<std::string>{"sink1", "sink2"}));
  const LoggerConfig* net = find_logger(*config, "dcmkit.dcmnet");
  ASSERT_NE(net, nullptr);
  EXPECT_EQ(net->level, Level::Trace);
  EXPECT_EQ(net->additive, false);
  EXPECT_EQ(net->sinks, std::vector<std::string>{"errors"});
  EXPECT_EQ(find_logger(*config, "dcmkit.apps")->sinks, std::vector<std::string>{"errors"});
  EXPECT_FALSE(find_logger(*config, "dcmkit.dcmdata")->level);
}

TEST_F(LogConfigTest, LevelOnlyConfigLogsToStderr) {
  const auto config = parse_log_config("level = debug\n");
  ASSERT_TRUE(config);
  ASSERT_EQ(config->sinks.size(), 1u);
  EXPECT_EQ(config->sinks[0].type, SinkConfig::Type::Stderr);
  EXPECT_EQ(config->sinks[0].pattern, kDefaultPattern);
  EXPECT_EQ(find_logger(*config, "")->sinks, std::vector<std::string>{"console"});
}

TEST_F(LogConfigTest, ReportsDcmkitSyntaxErrorsWithLineNumbers) {
  EXPECT_EQ(error_of("level = info\nlevle = debug\n"), "test.cfg:2: unknown key 'levle'");
  EXPECT_EQ(error_of("\n\nlevel = loud\n"), "test.cfg:3: invalid level 'loud'");
  EXPECT_EQ(error_of("just text\n"), "test.cfg:1: expected 'key = value'");
  EXPECT_EQ(error_of("= x\n"), "test.cfg:1: missing key before '='");
  EXPECT_EQ(error_of("sink = printer\n"),
            "test.cfg:1: expected stderr, stdout, null or file:PATH, not 'printer'");
  EXPECT_EQ(error_of("pattern = %m %z\n"),
            "test.cfg:1: unknown conversion '%z' in pattern '%m %z'");
  EXPECT_EQ(error_of("[sink a]\ntype = file\n"), "test.cfg:1: sink 'a' of type file needs a path");
  EXPECT_EQ(error_of("[sink a]\n[sink a]\n"), "test.cfg:2: sink 'a' defined twice");
  EXPECT_EQ(error_of("[sink a]\ncolour = red\n"), "test.cfg:2: unknown key 'colour' in [sink a]");
  EXPECT_EQ(error_of("[sinks]\n"), "test.cfg:1: unknown section 'sinks', expected [sink NAME]");
  EXPECT_EQ(error_of("[sink x\n"), "test.cfg:1: expected ']'");
  EXPECT_EQ(error_of("[sink a]\nappend = maybe\n"), "test.cfg:2: expected true or false");
  EXPECT_EQ(error_of("sink = file:${NO_SUCH_VARIABLE_DCMKIT}\n"),
            "test.cfg:1: undefined variable ${NO_SUCH_VARIABLE_DCMKIT}");
  EXPECT_EQ(error_of("sink = file:${appname\n"),
            "test.cfg:1: unterminated '${' in 'file:${appname'");
  const auto bad = parse_log_config("x\n");
  EXPECT_EQ(bad.error().code(), ofstd::ErrorCode::MalformedData);
}

TEST_F(LogConfigTest, ExpandsPredefinedAndEnvironmentVariables) {
  ::setenv("DCMKIT_TEST_LOGDIR", "/var/tmp", 1);
  const auto config = parse_log_config(
      "sink = file:${DCMKIT_TEST_LOGDIR}/${appname}-${pid}-${date}.log\n", {.appname = "echoscu"});
  ASSERT_TRUE(config) << config.error().message();
  const std::string& path = config->sinks[0].path;
  EXPECT_EQ(path.rfind("/var/tmp/echoscu-" + std::to_string(::getpid()) + "-", 0), 0u) << path;
  EXPECT_EQ(path.size(), std::string("/var/tmp/echoscu-").size() +
                             std::to_string(::getpid()).size() + 1 + 10 + 4);
}

// The shape of DCMTK's /etc/dcmtk/logger.cfg and filelog.cfg.
constexpr std::string_view kDcmtkStyle =
    "# comment\n"
    "log4cplus.rootLogger = DEBUG, console, logfile\n"
    "log4cplus.appender.console = log4cplus::ConsoleAppender\n"
    "log4cplus.appender.console.Threshold = INFO\n"
    "log4cplus.appender.console.logToStderr = true\n"
    "log4cplus.appender.console.ImmediateFlush = true\n"
    "log4cplus.appender.logfile = log4cplus::RollingFileAppender\n"
    "log4cplus.appender.logfile.File = ${logdir}/${appname}.log\n"
    "log4cplus.appender.logfile.MaxFileSize = 5MB\n"
    "log4cplus.appender.console.layout = log4cplus::PatternLayout\n"
    "log4cplus.appender.console.layout.ConversionPattern = %D{%H:%M:%S} %5p: %m%n\n"
    "log4cplus.appender.logfile.layout = log4cplus::PatternLayout\n"
    "log4cplus.appender.logfile.layout.ConversionPattern = %p - %-8c{1} - %m%n\n"
    "log4cplus.logger.dcmtk.apps.storescu.progress = INFO\n"
    "log4cplus.logger.dcmtk.dcmnet = INHERIT, dcmnet_logger\n"
    "log4cplus.additivity.dcmtk.dcmnet = false\n"
    "log4cplus.appender.dcmnet_logger = log4cplus::NullAppender\n"
    "log4cplus.appender.dcmnet_logger.filters.1 = log4cplus::spi::DenyAllFilter\n"
    "logdir = /tmp/logs\n";

TEST_F(LogConfigTest, ParsesLog4cplusSubset) {
  const auto config = parse_log_config(kDcmtkStyle, {.appname = "storescu"});
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->syntax, ConfigSyntax::Log4cplus);
  ASSERT_EQ(config->sinks.size(), 3u);
  const SinkConfig& console = config->sinks[0];
  EXPECT_EQ(console.name, "console");
  EXPECT_EQ(console.type, SinkConfig::Type::Stderr);
  EXPECT_EQ(console.threshold, Level::Info);
  EXPECT_EQ(console.pattern, "%D{%H:%M:%S} %5p: %m%n");
  const SinkConfig& logfile = config->sinks[1];
  EXPECT_EQ(logfile.type, SinkConfig::Type::File);
  EXPECT_EQ(logfile.path, "/tmp/logs/storescu.log");
  EXPECT_EQ(logfile.pattern, "%p - %-8c{1} - %m%n");
  EXPECT_EQ(config->sinks[2].type, SinkConfig::Type::Null);

  const LoggerConfig* root = find_logger(*config, "");
  EXPECT_EQ(root->level, Level::Debug);
  EXPECT_EQ(root->sinks, (std::vector<std::string>{"console", "logfile"}));
  // DCMTK's logger names map onto dcmkit's.
  EXPECT_EQ(find_logger(*config, "dcmkit.apps.storescu.progress")->level, Level::Info);
  const LoggerConfig* net = find_logger(*config, "dcmkit.dcmnet");
  ASSERT_NE(net, nullptr);
  EXPECT_FALSE(net->level);
  EXPECT_EQ(net->additive, false);
  EXPECT_EQ(net->sinks, std::vector<std::string>{"dcmnet_logger"});
}

TEST_F(LogConfigTest, Log4cplusDefaultsFollowLog4cplus) {
  const auto config = parse_log_config(
      "log4cplus.rootLogger = , out\n"
      "log4cplus.appender.out = ConsoleAppender\n"
      "log4cplus.appender.file = log4cplus::FileAppender\n"
      "log4cplus.appender.file.File = x.log\n"
      "log4cplus.appender.ttcc = log4cplus::ConsoleAppender\n"
      "log4cplus.appender.ttcc.layout = log4cplus::TTCCLayout\n");
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(find_logger(*config, "")->level, Level::Debug);  // log4cplus's root default
  EXPECT_EQ(config->sinks[0].type, SinkConfig::Type::Stdout);
  EXPECT_EQ(config->sinks[0].pattern, "%p - %m%n");  // SimpleLayout
  EXPECT_FALSE(config->sinks[1].append);
  EXPECT_NE(config->sinks[2].pattern.find("[%t]"), std::string::npos);
}

TEST_F(LogConfigTest, ReportsLog4cplusErrorsWithLineNumbers) {
  EXPECT_EQ(error_of("log4cplus.rootLogger = DEBUG, console\n"),
            "test.cfg:1: undefined appender 'console'");
  EXPECT_EQ(error_of("log4cplus.rootLogger = LOUD\n"), "test.cfg:1: invalid level 'LOUD'");
  EXPECT_EQ(error_of("log4cplus.rootLogger = INFO\ngarbage line\n"),
            "test.cfg:2: expected 'key = value'");
  EXPECT_EQ(error_of("log4cplus.rootLogger = INFO, a\nlog4cplus.appender.a = "
                     "log4cplus::SocketAppender\n"),
            "test.cfg:2: unsupported appender class 'SocketAppender'");
  EXPECT_EQ(error_of("log4cplus.appender.a = log4cplus::FileAppender\n"),
            "test.cfg:1: appender 'a' needs a File");
  EXPECT_EQ(error_of("log4cplus.appender.a.File = x\n"), "test.cfg:1: appender 'a' has no class");
  EXPECT_EQ(error_of("log4cplus.appender.a = ConsoleAppender\n"
                     "log4cplus.appender.a.layout = log4cplus::XMLLayout\n"),
            "test.cfg:2: unsupported layout class 'log4cplus::XMLLayout'");
  EXPECT_EQ(error_of("a = ${b}\nb = ${a}\nlog4cplus.rootLogger = ${a}\n"),
            "test.cfg:3: variables nested too deeply (a cycle?)");
}

TEST_F(LogConfigTest, AppliesConfigurationToTheRegistry) {
  const auto path = temp_path("apply.log");
  std::filesystem::remove(path);
  const auto config = parse_log_config(
      "level = info\n"
      "logger.dcmkit.dcmnet = debug\n"
      "sink = stderr\n"
      "[sink file]\n"
      "type = file\n"
      "path = " +
      path.string() +
      "\n"
      "append = false\n"
      "pattern = %p %c %m%n\n"
      "logger = dcmkit.dcmnet\n");
  ASSERT_TRUE(config) << config.error().message();
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_TRUE(apply_log_config(*config, out, err));
  EXPECT_EQ(effective_level(""), Level::Info);
  EXPECT_EQ(effective_level("dcmkit.dcmnet.pdu"), Level::Debug);
  DCMKIT_LOG_DEBUG(Logger("dcmkit.dcmnet.pdu"), "pdu");
  DCMKIT_LOG_DEBUG(Logger("dcmkit.dcmdata"), "hidden");
  DCMKIT_LOG_INFO(Logger("dcmkit.dcmdata"), "data");
  EXPECT_EQ(err.str(), "D: pdu\nI: data\n");
  EXPECT_EQ(out.str(), "");
  reset();
  EXPECT_EQ(read_all(path), "DEBUG dcmkit.dcmnet.pdu pdu\n");
  std::filesystem::remove(path);
}

TEST_F(LogConfigTest, FailedApplyKeepsThePreviousConfiguration) {
  std::ostringstream err;
  ASSERT_TRUE(apply_log_config(parse_log_config("level = error\n").value(), err, err));
  const auto broken = parse_log_config("level = trace\nsink = file:/nonexistent-dir/x/y.log\n");
  ASSERT_TRUE(broken);
  const ofstd::Status status = apply_log_config(*broken, err, err);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code(), ofstd::ErrorCode::IoError);
  EXPECT_EQ(effective_level(""), Level::Error);
  EXPECT_TRUE(has_sinks());
}

TEST_F(LogConfigTest, LoadsFiles) {
  const auto path = temp_path("load.cfg");
  std::ofstream(path) << "level = fatal\nbogus\n";
  const auto config = load_log_config(path);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message(), path.string() + ":2: expected 'key = value'");
  std::filesystem::remove(path);

  const auto missing = load_log_config(temp_path("missing.cfg"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ofstd::ErrorCode::NotFound);
  const auto directory = load_log_config(std::filesystem::temp_directory_path());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code(), ofstd::ErrorCode::NotFound);
}

TEST_F(LogConfigTest, ReadsTheInstalledDcmtkSamplesIfPresent) {
  for (const char* sample : {"/etc/dcmtk/logger.cfg", "/etc/dcmtk/filelog.cfg"}) {
    if (!std::filesystem::exists(sample)) continue;
    const auto config = load_log_config(sample, {.appname = "dcmdump"});
    EXPECT_TRUE(config) << sample << ": " << config.error().message();
  }
}

}  // namespace
}  // namespace dcmkit::oflog

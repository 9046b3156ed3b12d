// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/pattern_layout.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <ctime>
#include <regex>
#include <sstream>
#include <string>

namespace dcmkit::oflog {
namespace {

Record make_record(Level level, std::string_view logger, std::string_view message) {
  Record record;
  record.level = level;
  record.logger = logger;
  record.message = message;
  // 2024-03-05 06:07:08.123456 UTC
  record.time = std::chrono::system_clock::time_point(std::chrono::seconds(1709618828) +
                                                      std::chrono::microseconds(123456));
  record.thread = std::this_thread::get_id();
  record.where = {"/src/dcmnet/association.cc", 42, "negotiate"};
  return record;
}

std::string render(std::string_view pattern, const Record& record) {
  const auto layout = PatternLayout::parse(pattern);
  EXPECT_TRUE(layout) << layout.error().message();
  return layout ? layout->format(record) : std::string();
}

TEST(PatternLayoutTest, DefaultIsDcmtkConsoleFormat) {
  const PatternLayout layout;
  EXPECT_EQ(layout.pattern(), "%P: %m%n");
  EXPECT_EQ(layout.format(make_record(Level::Warn, "dcmkit.x", "odd length")), "W: odd length\n");
  EXPECT_EQ(layout.format(make_record(Level::Error, "", "cannot read")), "E: cannot read\n");
  EXPECT_EQ(layout.format(make_record(Level::Trace, "", "t")), "T: t\n");
}

TEST(PatternLayoutTest, PrintsEveryMessageLineWithThePattern) {
  const PatternLayout layout;
  // DCMTK prints its banner at debug level as "D: $dcmtk: ... $" followed by "D: ".
  EXPECT_EQ(layout.format(make_record(Level::Debug, "", "$dcmkit: x v0.1.0 $\n")),
            "D: $dcmkit: x v0.1.0 $\nD: \n");
  EXPECT_EQ(layout.format(make_record(Level::Info, "", "a\nb\r\nc")), "I: a\nI: b\nI: c\n");
  EXPECT_EQ(layout.format(make_record(Level::Info, "", "")), "I: \n");
}

TEST(PatternLayoutTest, RendersLevelLoggerAndSource) {
  const Record record = make_record(Level::Info, "dcmkit.apps.storescu", "sent");
  EXPECT_EQ(render("[%p|%P|%c|%c{1}|%c{2}|%c{9}] %m", record),
            "[INFO|I|dcmkit.apps.storescu|storescu|apps.storescu|dcmkit.apps.storescu] sent");
  EXPECT_EQ(render("%c %c{1}", make_record(Level::Info, "", "m")), "root root");
  EXPECT_EQ(render("%F|%b|%L|%l|%M", record),
            "/src/dcmnet/association.cc|association.cc|42|/src/dcmnet/association.cc:42|"
            "negotiate");
  EXPECT_EQ(render("100%% %m", record), "100% sent");
}

TEST(PatternLayoutTest, AppliesWidthAndAlignment) {
  const Record record = make_record(Level::Info, "dcmkit.apps.storescu", "m");
  EXPECT_EQ(render("[%5p][%-6p][%.3c][%-3.1P]", record), "[ INFO][INFO  ][scu][I  ]");
}

TEST(PatternLayoutTest, FormatsTimesInUtcAndLocalTime) {
  const Record record = make_record(Level::Info, "", "m");
  EXPECT_EQ(render("%d{%Y-%m-%d %H:%M:%S.%q}", record), "2024-03-05 06:07:08.123");
  EXPECT_EQ(render("%d{%H:%M:%S,%Q}", record), "06:07:08,123.456");
  EXPECT_EQ(render("%d", record), "2024-03-05 06:07:08.123");
  // Local time: compare with what the C library says for the same instant.
  const std::time_t seconds = 1709618828;
  std::tm parts{};
  localtime_r(&seconds, &parts);
  std::array<char, 32> expected{};
  std::strftime(expected.data(), expected.size(), "%H:%M:%S", &parts);
  EXPECT_EQ(render("%D{%H:%M:%S}", record), expected.data());
}

TEST(PatternLayoutTest, RendersThreadProcessAndHost) {
  const Record record = make_record(Level::Info, "", "m");
  std::ostringstream thread;
  thread << std::this_thread::get_id();
  EXPECT_EQ(render("%t", record), thread.str());
  EXPECT_EQ(render("%i", record), std::to_string(getpid()));
  EXPECT_FALSE(render("%h", record).empty());
}

TEST(PatternLayoutTest, RejectsMalformedPatterns) {
  for (const char* pattern : {"%", "%m %", "%x", "%5", "%d{%H", "%c{abc}", "%99999m"}) {
    const auto layout = PatternLayout::parse(pattern);
    ASSERT_FALSE(layout) << pattern;
    EXPECT_EQ(layout.error().code(), ofstd::ErrorCode::MalformedData);
  }
  EXPECT_EQ(PatternLayout::parse("%q").error().message(),
            "unknown conversion '%q' in pattern '%q'");
}

TEST(PatternLayoutTest, DetailedPatternShowsEverything) {
  const auto layout = PatternLayout::parse(kDetailedPattern);
  ASSERT_TRUE(layout);
  const std::string text = layout->format(make_record(Level::Warn, "dcmkit.dcmnet", "late"));
  EXPECT_TRUE(std::regex_match(
      text,
      std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} WARN  dcmkit\.dcmnet \[\d+\] late\n)")))
      << text;
}

}  // namespace
}  // namespace dcmkit::oflog

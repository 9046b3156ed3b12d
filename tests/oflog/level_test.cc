// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/level.h"

#include <gtest/gtest.h>

namespace dcmkit::oflog {
namespace {

TEST(LevelTest, OrdersBySeverity) {
  EXPECT_LT(Level::Trace, Level::Debug);
  EXPECT_LT(Level::Debug, Level::Info);
  EXPECT_LT(Level::Info, Level::Warn);
  EXPECT_LT(Level::Warn, Level::Error);
  EXPECT_LT(Level::Error, Level::Fatal);
  EXPECT_LT(Level::Fatal, Level::Off);
}

TEST(LevelTest, NamesAndLettersMatchDcmtk) {
  EXPECT_EQ(to_string(Level::Warn), "WARN");
  EXPECT_EQ(to_string(Level::Fatal), "FATAL");
  EXPECT_EQ(to_letter(Level::Trace), 'T');
  EXPECT_EQ(to_letter(Level::Debug), 'D');
  EXPECT_EQ(to_letter(Level::Info), 'I');
  EXPECT_EQ(to_letter(Level::Warn), 'W');
  EXPECT_EQ(to_letter(Level::Error), 'E');
  EXPECT_EQ(to_letter(Level::Fatal), 'F');
}

TEST(LevelTest, ParsesNamesCaseInsensitively) {
  EXPECT_EQ(parse_level("trace").value(), Level::Trace);
  EXPECT_EQ(parse_level("DEBUG").value(), Level::Debug);
  EXPECT_EQ(parse_level("Info").value(), Level::Info);
  EXPECT_EQ(parse_level("warn").value(), Level::Warn);
  EXPECT_EQ(parse_level("error").value(), Level::Error);
  EXPECT_EQ(parse_level("fatal").value(), Level::Fatal);
  EXPECT_EQ(parse_level("off").value(), Level::Off);
  EXPECT_EQ(parse_level("ALL").value(), Level::Trace);
}

TEST(LevelTest, RejectsUnknownNames) {
  // DCMTK rejects "warning" too.
  for (const char* name : {"warning", "none", "", "debug2"}) {
    const auto level = parse_level(name);
    ASSERT_FALSE(level) << name;
    EXPECT_EQ(level.error().code(), ofstd::ErrorCode::InvalidArgument);
  }
}

}  // namespace
}  // namespace dcmkit::oflog

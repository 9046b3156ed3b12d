// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

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
         ("dcmkit_oflog_" + std::to_string(::getpid()) + "_" + name);
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class SinkTest : public ::testing::Test {
 protected:
  void SetUp() override { reset(); }
  void TearDown() override { reset(); }
};

TEST_F(SinkTest, StreamSinkWritesDcmtkConsoleFormat) {
  std::ostringstream err;
  add_sink(std::make_shared<StreamSink>(err));
  set_level("", Level::Debug);
  const Logger log("dcmkit.apps.dcmdump");
  DCMKIT_LOG_DEBUG(log, "reading " << 2 << " files");
  DCMKIT_LOG_WARN(log, "odd\nlength");
  EXPECT_EQ(err.str(), "D: reading 2 files\nW: odd\nW: length\n");
}

TEST_F(SinkTest, FileSinkAppendsOrTruncates) {
  const auto path = temp_path("file_sink.log");
  std::filesystem::remove(path);
  const auto layout = PatternLayout::parse("%p %c %m%n").value();
  {
    auto sink = FileSink::open(path, layout);
    ASSERT_TRUE(sink) << sink.error().message();
    EXPECT_EQ((*sink)->path(), path);
    add_sink(std::move(sink).value());
    DCMKIT_LOG_ERROR(Logger("dcmkit.test"), "first");
    reset();
  }
  EXPECT_EQ(read_all(path), "ERROR dcmkit.test first\n");
  {
    add_sink(FileSink::open(path, layout, /*append=*/true).value());
    DCMKIT_LOG_WARN(Logger("dcmkit.test"), "second");
    reset();
  }
  EXPECT_EQ(read_all(path), "ERROR dcmkit.test first\nWARN dcmkit.test second\n");
  {
    add_sink(FileSink::open(path, layout, /*append=*/false).value());
    DCMKIT_LOG_FATAL(Logger("dcmkit.test"), "third");
    flush();
    EXPECT_EQ(read_all(path), "FATAL dcmkit.test third\n");  // flushed per record
    reset();
  }
  std::filesystem::remove(path);
}

TEST_F(SinkTest, FileSinkReportsUnopenableFiles) {
  const auto sink = FileSink::open("/nonexistent-dir/dcmkit/x.log");
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().code(), ofstd::ErrorCode::IoError);
  EXPECT_EQ(sink.error().message(), "cannot open log file '/nonexistent-dir/dcmkit/x.log'");
}

TEST_F(SinkTest, ThresholdAppliesToDirectWrites) {
  std::ostringstream out;
  StreamSink sink(out);
  EXPECT_EQ(sink.threshold(), Level::Trace);
  sink.set_threshold(Level::Error);
  Record record;
  record.message = "dropped";
  record.level = Level::Warn;
  sink.write(record);
  record.message = "kept";
  record.level = Level::Error;
  sink.write(record);
  EXPECT_EQ(out.str(), "E: kept\n");
}

TEST_F(SinkTest, NullSinkSwallowsRecords) {
  auto null_sink = std::make_shared<NullSink>();
  add_sink(null_sink);
  EXPECT_TRUE(has_sinks());
  DCMKIT_LOG_FATAL(Logger("x"), "nothing");
  SUCCEED();
}

}  // namespace
}  // namespace dcmkit::oflog

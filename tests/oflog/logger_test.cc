// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/logger.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dcmkit/oflog/registry.h"
#include "memory_sink.h"

namespace dcmkit::oflog {
namespace {

using testing::MemorySink;

constinit const Logger kNetLog{"dcmkit.dcmnet"};

class LoggerTest : public ::testing::Test {
 protected:
  void SetUp() override { reset(); }
  void TearDown() override { reset(); }

  std::shared_ptr<MemorySink> install(std::string_view logger = "") {
    auto sink = std::make_shared<MemorySink>();
    add_sink(sink, logger);
    return sink;
  }
};

TEST_F(LoggerTest, PrintsNothingWithoutSinks) {
  EXPECT_FALSE(has_sinks());
  EXPECT_FALSE(kNetLog.is_enabled(Level::Fatal));
  int evaluated = 0;
  DCMKIT_LOG_FATAL(kNetLog, "x" << ++evaluated);
  EXPECT_EQ(evaluated, 0);  // not even formatted
}

TEST_F(LoggerTest, RootDefaultsToWarn) {
  const auto sink = install();
  const Logger log("dcmkit.apps.test");
  EXPECT_EQ(effective_level("dcmkit.apps.test"), Level::Warn);
  DCMKIT_LOG_INFO(log, "info");
  DCMKIT_LOG_WARN(log, "warn");
  DCMKIT_LOG_ERROR(log, "error");
  EXPECT_EQ(sink->messages(), (std::vector<std::string>{"warn", "error"}));
  EXPECT_EQ(sink->records()[0].logger, "dcmkit.apps.test");
  EXPECT_EQ(sink->records()[0].level, Level::Warn);
}

TEST_F(LoggerTest, InheritsLevelFromNearestConfiguredAncestor) {
  install();
  set_level("", Level::Error);
  set_level("dcmkit.dcmnet", Level::Trace);
  EXPECT_EQ(effective_level("dcmkit"), Level::Error);
  EXPECT_EQ(effective_level("dcmkit.dcmnet"), Level::Trace);
  EXPECT_EQ(effective_level("dcmkit.dcmnet.pdu.detail"), Level::Trace);
  EXPECT_EQ(effective_level("dcmkit.dcmdata"), Level::Error);
  // A name that merely starts with the same letters is not a descendant.
  EXPECT_EQ(effective_level("dcmkit.dcmnetx"), Level::Error);

  set_level("dcmkit.dcmnet.pdu", Level::Info);
  EXPECT_EQ(effective_level("dcmkit.dcmnet.pdu.detail"), Level::Info);
  unset_level("dcmkit.dcmnet");
  EXPECT_EQ(effective_level("dcmkit.dcmnet"), Level::Error);
  EXPECT_EQ(effective_level("dcmkit.dcmnet.pdu.detail"), Level::Info);
  EXPECT_TRUE(kNetLog.is_enabled(Level::Error));
  EXPECT_FALSE(kNetLog.is_enabled(Level::Warn));

  unset_level("root");  // the root keeps a level: back to the default
  EXPECT_EQ(effective_level(""), kDefaultLevel);
}

TEST_F(LoggerTest, LevelChangesReachLoggersCreatedEarlier) {
  install();
  const Logger log("dcmkit.early.bird");
  EXPECT_FALSE(log.is_enabled(Level::Debug));
  set_level("dcmkit.early", Level::Debug);
  EXPECT_TRUE(log.is_enabled(Level::Debug));
}

TEST_F(LoggerTest, DoesNotEvaluateDisabledStatements) {
  install();
  set_level("", Level::Info);
  int side_effect = 0;
  auto expensive = [&side_effect] {
    ++side_effect;
    return std::string("computed");
  };
  DCMKIT_LOG_DEBUG(kNetLog, "value " << expensive());
  DCMKIT_LOG_TRACE(kNetLog, "value " << expensive());
  EXPECT_EQ(side_effect, 0);
  DCMKIT_LOG_INFO(kNetLog, "value " << expensive());
  EXPECT_EQ(side_effect, 1);
}

TEST_F(LoggerTest, FormatsStreamExpressions) {
  const auto sink = install();
  const std::size_t bytes = 42;
  DCMKIT_LOG_ERROR(kNetLog, "received " << bytes << " bytes from "
                                        << "peer" << ':' << 104);
  EXPECT_EQ(sink->messages(), std::vector<std::string>{"received 42 bytes from peer:104"});
}

TEST_F(LoggerTest, MacrosAreSingleStatements) {
  const auto sink = install();
  const bool condition = false;
  if (condition)
    DCMKIT_LOG_ERROR(kNetLog, "not this");
  else
    DCMKIT_LOG_ERROR(kNetLog, "this");
  EXPECT_EQ(sink->messages(), std::vector<std::string>{"this"});
}

TEST_F(LoggerTest, SendsRecordsToAncestorSinksUnlessAdditivityIsOff) {
  const auto root = install();
  const auto net = install("dcmkit.dcmnet");
  DCMKIT_LOG_ERROR(Logger("dcmkit.dcmnet.pdu"), "pdu");
  DCMKIT_LOG_ERROR(Logger("dcmkit.dcmdata"), "data");
  EXPECT_EQ(root->messages(), (std::vector<std::string>{"pdu", "data"}));
  EXPECT_EQ(net->messages(), std::vector<std::string>{"pdu"});

  set_additivity("dcmkit.dcmnet", false);
  DCMKIT_LOG_ERROR(kNetLog, "net only");
  EXPECT_EQ(root->messages().size(), 2u);
  EXPECT_EQ(net->messages().back(), "net only");
}

TEST_F(LoggerTest, SinkThresholdFiltersRecords) {
  const auto everything = install();
  const auto errors_only = install();
  errors_only->set_threshold(Level::Error);
  set_level("", Level::Trace);
  DCMKIT_LOG_DEBUG(kNetLog, "debug");
  DCMKIT_LOG_ERROR(kNetLog, "error");
  EXPECT_EQ(everything->messages(), (std::vector<std::string>{"debug", "error"}));
  EXPECT_EQ(errors_only->messages(), std::vector<std::string>{"error"});
}

TEST_F(LoggerTest, ForceLogIgnoresTheLoggerLevel) {
  const auto sink = install();
  set_level("", Level::Fatal);  // -q
  const Logger root("");
  root.log(Level::Info, "not shown");
  root.force_log(Level::Info, "calling 'x' with 0 arguments: \n");
  ASSERT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(sink->records()[0].level, Level::Info);
  EXPECT_EQ(sink->records()[0].logger, "");
}

TEST_F(LoggerTest, OffSilencesAndIsNeverARecordLevel) {
  const auto sink = install();
  set_level("", Level::Off);
  DCMKIT_LOG_FATAL(kNetLog, "fatal");
  EXPECT_TRUE(sink->messages().empty());
  set_level("", Level::Trace);
  kNetLog.log(Level::Off, "off");
  kNetLog.force_log(Level::Off, "off");
  EXPECT_TRUE(sink->messages().empty());
}

TEST_F(LoggerTest, RemovingSinksStopsOutput) {
  const auto sink = install();
  remove_sinks();
  EXPECT_FALSE(has_sinks());
  DCMKIT_LOG_FATAL(kNetLog, "gone");
  EXPECT_TRUE(sink->messages().empty());
}

TEST_F(LoggerTest, ComputedNamesAndCopiesWork) {
  const auto sink = install();
  std::string name = "dcmkit.apps.";
  name += "computed";
  const Logger computed = get_logger(name);
  name.assign("overwritten");
  EXPECT_EQ(computed.name(), "dcmkit.apps.computed");
  Logger copy = computed;
  DCMKIT_LOG_ERROR(copy, "via copy");
  copy = kNetLog;
  EXPECT_EQ(copy.name(), "dcmkit.dcmnet");
  ASSERT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(sink->records()[0].logger, "dcmkit.apps.computed");
  EXPECT_EQ(get_logger("root").name(), "");
}

TEST_F(LoggerTest, LogsConcurrentlyFromManyThreads) {
  const auto sink = install();
  set_level("", Level::Debug);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      const Logger log(t % 2 == 0 ? "dcmkit.even" : "dcmkit.odd");
      for (int i = 0; i < kPerThread; ++i) {
        DCMKIT_LOG_DEBUG(log, "thread " << t << " message " << i);
        if (i == kPerThread / 2 && t == 0) set_level("dcmkit.odd", Level::Trace);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const auto records = sink->records();
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kThreads * kPerThread));
  std::set<std::string> unique;
  std::set<std::thread::id> thread_ids;
  for (const auto& record : records) {
    unique.insert(record.message);
    thread_ids.insert(record.thread);
  }
  EXPECT_EQ(unique.size(), records.size());  // nothing lost, duplicated or torn
  EXPECT_EQ(thread_ids.size(), static_cast<std::size_t>(kThreads));
}

}  // namespace
}  // namespace dcmkit::oflog

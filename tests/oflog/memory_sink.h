// SPDX-License-Identifier: BSD-3-Clause
// A test sink that keeps copies of the records it receives.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "dcmkit/oflog/sink.h"

namespace dcmkit::oflog::testing {

struct CapturedRecord {
  Level level;
  std::string logger;
  std::string message;
  std::thread::id thread;
};

class MemorySink : public Sink {
 public:
  std::vector<CapturedRecord> records() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return records_;
  }
  std::vector<std::string> messages() const {
    std::vector<std::string> result;
    for (const CapturedRecord& record : records()) result.push_back(record.message);
    return result;
  }

 protected:
  void do_write(const Record& record) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    records_.push_back(
        {record.level, std::string(record.logger), std::string(record.message), record.thread});
  }

 private:
  mutable std::mutex mutex_;
  std::vector<CapturedRecord> records_;
};

}  // namespace dcmkit::oflog::testing

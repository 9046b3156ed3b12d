// SPDX-License-Identifier: BSD-3-Clause
// Sinks: where log records go (a stream such as stderr, a file, or anything implementing Sink).
//
//   oflog::add_sink(std::make_shared<oflog::StreamSink>(std::cerr));     // "W: message"
//   DCMKIT_ASSIGN_OR_RETURN(auto file, oflog::FileSink::open("run.log", layout));
//   oflog::add_sink(std::move(file));
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>

#include "dcmkit/oflog/level.h"
#include "dcmkit/oflog/pattern_layout.h"
#include "dcmkit/oflog/record.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::oflog {

/// Receives log records. Implementations override do_write() (and do_flush() if buffered);
/// oflog calls it through write(), which applies the sink's threshold and serializes calls, so
/// an implementation need not be thread-safe itself. Thread-safe.
class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink() = default;

  /// Passes the record to do_write() if its level reaches the threshold; one call at a time.
  void write(const Record& record);
  /// Flushes buffered output.
  void flush();

  /// Records below this level are dropped by this sink (log4cplus's appender Threshold).
  void set_threshold(Level level) noexcept { threshold_.store(level, std::memory_order_relaxed); }
  /// The current threshold (default Trace: everything the loggers pass).
  Level threshold() const noexcept { return threshold_.load(std::memory_order_relaxed); }

 protected:
  /// Writes one record; called with the sink's lock held.
  virtual void do_write(const Record& record) = 0;
  /// Flushes; called with the sink's lock held.
  virtual void do_flush() {}

 private:
  std::atomic<Level> threshold_{Level::Trace};
  std::mutex mutex_;
};

/// Writes formatted records to a std::ostream (std::cerr for the programs' console output) and
/// flushes after each record, as DCMTK's console appender does. The stream must outlive the sink.
class StreamSink : public Sink {
 public:
  explicit StreamSink(std::ostream& stream, PatternLayout layout = PatternLayout());

 protected:
  void do_write(const Record& record) override;
  void do_flush() override;

 private:
  std::ostream& stream_;
  PatternLayout layout_;
};

/// Appends (or, with append = false, truncates and writes) formatted records to a file; each
/// record is flushed so that a crash loses nothing.
class FileSink : public Sink {
 public:
  /// Opens the file; IoError "cannot open log file '<path>'" if that fails.
  static ofstd::Result<std::unique_ptr<FileSink>> open(const std::filesystem::path& path,
                                                       PatternLayout layout = PatternLayout(),
                                                       bool append = true);

  /// The path the sink writes to.
  const std::filesystem::path& path() const noexcept { return path_; }

  /// Only open() can make the key; use open().
  class Key {
    friend class FileSink;
    Key() = default;
  };
  FileSink(Key key, std::filesystem::path path, std::ofstream file, PatternLayout layout);

 protected:
  void do_write(const Record& record) override;
  void do_flush() override;

 private:
  std::filesystem::path path_;
  std::ofstream file_;
  PatternLayout layout_;
};

/// Drops every record (log4cplus's NullAppender): attach it to a logger whose additivity is off
/// to silence that branch of the hierarchy.
class NullSink : public Sink {
 protected:
  void do_write(const Record& /*record*/) override {}
};

}  // namespace dcmkit::oflog

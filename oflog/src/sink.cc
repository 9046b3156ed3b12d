// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/sink.h"

#include <ostream>
#include <utility>

namespace dcmkit::oflog {

void Sink::write(const Record& record) {
  if (record.level < threshold()) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  do_write(record);
}

void Sink::flush() {
  const std::lock_guard<std::mutex> lock(mutex_);
  do_flush();
}

StreamSink::StreamSink(std::ostream& stream, PatternLayout layout)
    : stream_(stream), layout_(std::move(layout)) {}

void StreamSink::do_write(const Record& record) {
  const std::string text = layout_.format(record);
  stream_.write(text.data(), static_cast<std::streamsize>(text.size()));
  stream_.flush();
}

void StreamSink::do_flush() { stream_.flush(); }

ofstd::Result<std::unique_ptr<FileSink>> FileSink::open(const std::filesystem::path& path,
                                                        PatternLayout layout, bool append) {
  std::ofstream file(path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  if (!file) {
    return ofstd::Error(ofstd::ErrorCode::IoError, "cannot open log file '" + path.string() + "'");
  }
  return std::make_unique<FileSink>(Key(), path, std::move(file), std::move(layout));
}

FileSink::FileSink(Key /*key*/, std::filesystem::path path, std::ofstream file,
                   PatternLayout layout)
    : path_(std::move(path)), file_(std::move(file)), layout_(std::move(layout)) {}

void FileSink::do_write(const Record& record) {
  const std::string text = layout_.format(record);
  file_.write(text.data(), static_cast<std::streamsize>(text.size()));
  file_.flush();
}

void FileSink::do_flush() { file_.flush(); }

}  // namespace dcmkit::oflog

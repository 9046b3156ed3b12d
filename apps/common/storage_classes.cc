// SPDX-License-Identifier: BSD-3-Clause
#include "common/storage_classes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/safe_path.h"

namespace dcmkit::apps {

const std::vector<std::string>& storage_sop_classes() {
  static const std::vector<std::string> classes = [] {
    std::vector<std::string> out;
    for (const dcmdata::UidEntry& entry : dcmdata::all_uid_entries()) {
      if (entry.type != dcmdata::UidType::SopClass) continue;
      const std::string_view name = entry.name;
      if (name.find("Storage") == std::string_view::npos ||
          name.find("Storage Commitment") != std::string_view::npos ||
          name.find("Media Storage Directory") != std::string_view::npos) {
        continue;
      }
      out.emplace_back(entry.uid);
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return classes;
}

const std::vector<std::string>& default_proposed_sop_classes() {
  // Observed in DCMTK 3.6.7 storescu's A-ASSOCIATE-RQ (two contexts each: explicit VR little
  // endian, then explicit big endian and implicit), in its order.
  static const std::vector<std::string> classes = {
      "1.2.840.10008.5.1.4.1.1.9.1.3",    "1.2.840.10008.5.1.4.1.1.88.11",
      "1.2.840.10008.5.1.4.1.1.9.4.1",    "1.2.840.10008.5.1.4.1.1.11.4",
      "1.2.840.10008.5.1.4.1.1.9.3.1",    "1.2.840.10008.5.1.4.1.1.88.65",
      "1.2.840.10008.5.1.4.1.1.88.69",    "1.2.840.10008.5.1.4.1.1.11.2",
      "1.2.840.10008.5.1.4.1.1.88.33",    "1.2.840.10008.5.1.4.1.1.1",
      "1.2.840.10008.5.1.4.1.1.2",        "1.2.840.10008.5.1.4.1.1.1.3",
      "1.2.840.10008.5.1.4.1.1.1.3.1",    "1.2.840.10008.5.1.4.1.1.1.2",
      "1.2.840.10008.5.1.4.1.1.1.2.1",    "1.2.840.10008.5.1.4.1.1.1.1",
      "1.2.840.10008.5.1.4.1.1.1.1.1",    "1.2.840.10008.5.1.4.1.1.104.1",
      "1.2.840.10008.5.1.4.1.1.2.1",      "1.2.840.10008.5.1.4.1.1.4.1",
      "1.2.840.10008.5.1.4.1.1.88.22",    "1.2.840.10008.5.1.4.1.1.12.1.1",
      "1.2.840.10008.5.1.4.1.1.12.2.1",   "1.2.840.10008.5.1.4.1.1.9.1.2",
      "1.2.840.10008.5.1.4.1.1.11.1",     "1.2.840.10008.5.1.4.1.1.9.2.1",
      "1.2.840.10008.5.1.4.1.1.88.59",    "1.2.840.10008.5.1.4.1.1.88.50",
      "1.2.840.10008.5.1.4.1.1.4",        "1.2.840.10008.5.1.4.1.1.4.2",
      "1.2.840.10008.5.1.4.1.1.7.2",      "1.2.840.10008.5.1.4.1.1.7.3",
      "1.2.840.10008.5.1.4.1.1.7.1",      "1.2.840.10008.5.1.4.1.1.7.4",
      "1.2.840.10008.5.1.4.1.1.20",       "1.2.840.10008.5.1.4.1.1.77.1.5.2",
      "1.2.840.10008.5.1.4.1.1.77.1.5.1", "1.2.840.10008.5.1.4.1.1.77.1.5.4",
      "1.2.840.10008.5.1.4.1.1.128",      "1.2.840.10008.5.1.4.1.1.88.40",
      "1.2.840.10008.5.1.4.1.1.11.3",     "1.2.840.10008.5.1.4.1.1.66",
      "1.2.840.10008.5.1.4.1.1.67",       "1.2.840.10008.5.1.4.1.1.481.4",
      "1.2.840.10008.5.1.4.1.1.481.6",    "1.2.840.10008.5.1.4.1.1.481.2",
      "1.2.840.10008.5.1.4.1.1.481.1",    "1.2.840.10008.5.1.4.1.1.481.5",
      "1.2.840.10008.5.1.4.1.1.481.3",    "1.2.840.10008.5.1.4.1.1.481.7",
      "1.2.840.10008.5.1.4.1.1.7",        "1.2.840.10008.5.1.4.1.1.66.2",
      "1.2.840.10008.5.1.4.1.1.66.1",     "1.2.840.10008.5.1.4.1.1.77.1.5.3",
      "1.2.840.10008.5.1.4.1.1.9.1.1",    "1.2.840.10008.5.1.4.1.1.6.1",
      "1.2.840.10008.5.1.4.1.1.3.1",      "1.2.840.10008.5.1.4.1.1.77.1.1",
      "1.2.840.10008.5.1.4.1.1.77.1.2",   "1.2.840.10008.5.1.4.1.1.77.1.4",
      "1.2.840.10008.5.1.4.1.1.77.1.3",   "1.2.840.10008.5.1.4.1.1.12.1",
      "1.2.840.10008.5.1.4.1.1.88.67",    "1.2.840.10008.5.1.4.1.1.12.2",
  };
  return classes;
}

std::string timestamp_text(bool compact) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char text[32];
  std::snprintf(text, sizeof text,
                compact ? "%04d%02d%02d%02d%02d%02d%03d" : "%04d%02d%02d_%02d%02d%02d%03d",
                local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min,
                local.tm_sec, static_cast<int>(millis.count()));
  return text;
}

std::string strict_name_component(std::string_view untrusted) {
  std::string text(untrusted);
  for (char& c : text) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    if (!keep) c = '_';
  }
  return ofstd::safe_path_component(text);
}

}  // namespace dcmkit::apps

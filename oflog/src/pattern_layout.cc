// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/oflog/pattern_layout.h"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <utility>

namespace dcmkit::oflog {
namespace {

constexpr std::string_view kDefaultTimeFormat = "%Y-%m-%d %H:%M:%S.%q";
constexpr std::string_view kConversions = "mnpPctihdDFbLlM";

bool takes_option(char conversion) {
  return conversion == 'c' || conversion == 'd' || conversion == 'D';
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (gethostname(buffer.data(), buffer.size() - 1) != 0) return "localhost";
  return {buffer.data()};
}

std::string thread_text(std::thread::id id) {
  std::ostringstream out;
  out << id;
  return out.str();
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Last `count` dot-separated components of a logger name ("dcmkit.apps.dump", 1 -> "dump").
std::string_view last_components(std::string_view name, std::size_t count) {
  if (count == 0) return name;
  std::size_t position = name.size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t dot = name.rfind('.', position == 0 ? 0 : position - 1);
    if (dot == std::string_view::npos || position == 0) return name;
    position = dot;
  }
  return name.substr(position + 1);
}

std::string format_time(std::chrono::system_clock::time_point time, std::string_view format,
                        bool local) {
  const auto since_epoch = time.time_since_epoch();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
  auto micro_part = micros % 1000000;
  if (micro_part < 0) micro_part += 1000000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::seconds>(
          since_epoch - std::chrono::microseconds(micro_part))));
  std::tm parts{};
  if (local) {
    localtime_r(&seconds, &parts);
  } else {
    gmtime_r(&seconds, &parts);
  }
  // %q and %Q are log4cplus's additions to strftime(); they are expanded before strftime runs.
  std::string expanded;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '%' && i + 1 < format.size()) {
      const char flag = format[i + 1];
      std::array<char, 16> buffer{};
      if (flag == 'q') {
        std::snprintf(buffer.data(), buffer.size(), "%03d", static_cast<int>(micro_part / 1000));
        expanded += buffer.data();
        ++i;
        continue;
      }
      if (flag == 'Q') {
        std::snprintf(buffer.data(), buffer.size(), "%03d.%03d",
                      static_cast<int>(micro_part / 1000), static_cast<int>(micro_part % 1000));
        expanded += buffer.data();
        ++i;
        continue;
      }
      expanded += format[i];
      expanded += flag;
      ++i;
      continue;
    }
    expanded += format[i];
  }
  if (expanded.empty()) return {};
  std::array<char, 512> buffer{};
  const std::size_t length = std::strftime(buffer.data(), buffer.size(), expanded.c_str(), &parts);
  return {buffer.data(), length};
}

void append_aligned(std::string& out, std::string_view text, std::size_t min_width,
                    std::size_t max_width, bool left_align) {
  if (max_width != 0 && text.size() > max_width) {
    // log4cplus truncates from the left, keeping the end (the interesting part of a name).
    text = text.substr(text.size() - max_width);
  }
  const std::size_t padding = text.size() < min_width ? min_width - text.size() : 0;
  if (!left_align) out.append(padding, ' ');
  out += text;
  if (left_align) out.append(padding, ' ');
}

}  // namespace

PatternLayout::PatternLayout() : PatternLayout(parse(kDefaultPattern).value()) {}

PatternLayout::PatternLayout(std::string pattern, std::vector<Piece> pieces)
    : pattern_(std::move(pattern)), pieces_(std::move(pieces)) {}

ofstd::Result<PatternLayout> PatternLayout::parse(std::string_view pattern) {
  std::vector<Piece> pieces;
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) {
      pieces.push_back({0, std::move(literal), 0, 0, false});
      literal.clear();
    }
  };
  auto error = [&](const std::string& what) {
    return ofstd::Error(ofstd::ErrorCode::MalformedData,
                        what + " in pattern '" + std::string(pattern) + "'");
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      literal += pattern[i];
      continue;
    }
    if (++i >= pattern.size()) return error("trailing '%'");
    if (pattern[i] == '%') {
      literal += '%';
      continue;
    }
    Piece piece;
    if (pattern[i] == '-') {
      piece.left_align = true;
      ++i;
    }
    while (i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9') {
      piece.min_width = piece.min_width * 10 + static_cast<std::size_t>(pattern[i] - '0');
      if (piece.min_width > 1000) return error("width too large");
      ++i;
    }
    if (i < pattern.size() && pattern[i] == '.') {
      ++i;
      while (i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9') {
        piece.max_width = piece.max_width * 10 + static_cast<std::size_t>(pattern[i] - '0');
        if (piece.max_width > 1000) return error("width too large");
        ++i;
      }
    }
    if (i >= pattern.size()) return error("incomplete conversion");
    piece.conversion = pattern[i];
    if (kConversions.find(piece.conversion) == std::string_view::npos) {
      return error("unknown conversion '%" + std::string(1, piece.conversion) + "'");
    }
    if (takes_option(piece.conversion) && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      const std::size_t close = pattern.find('}', i + 2);
      if (close == std::string_view::npos) return error("unclosed '{'");
      piece.text = std::string(pattern.substr(i + 2, close - i - 2));
      i = close;
    }
    if (piece.conversion == 'c' && !piece.text.empty()) {
      for (const char c : piece.text) {
        if (c < '0' || c > '9') return error("%c{N} needs a number");
      }
    }
    flush_literal();
    pieces.push_back(std::move(piece));
  }
  flush_literal();
  return PatternLayout(std::string(pattern), std::move(pieces));
}

std::string PatternLayout::format(const Record& record) const {
  std::string out;
  format_to(out, record);
  return out;
}

void PatternLayout::format_to(std::string& out, const Record& record) const {
  std::string_view message = record.message;
  // "a\nb" is two lines, and so is "a\n": DCMTK's programs end some messages with a newline
  // and show an empty prefixed line for it ("D: $dcmtk: ... $" then "D: ").
  while (true) {
    const std::size_t newline = message.find('\n');
    if (newline == std::string_view::npos) {
      format_line(out, record, message);
      return;
    }
    std::string_view line = message.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    format_line(out, record, line);
    message.remove_prefix(newline + 1);
  }
}

void PatternLayout::format_line(std::string& out, const Record& record,
                                std::string_view line) const {
  for (const Piece& piece : pieces_) {
    std::string converted;
    std::string_view text;
    switch (piece.conversion) {
      case 0:
        out += piece.text;
        continue;
      case 'm':
        text = line;
        break;
      case 'n':
        text = "\n";
        break;
      case 'p':
        text = to_string(record.level);
        break;
      case 'P':
        converted = std::string(1, to_letter(record.level));
        text = converted;
        break;
      case 'c': {
        const std::string_view name = record.logger.empty() ? "root" : record.logger;
        const std::size_t count =
            piece.text.empty() ? 0 : static_cast<std::size_t>(std::stoul(piece.text));
        text = last_components(name, count);
        break;
      }
      case 't':
        converted = thread_text(record.thread);
        text = converted;
        break;
      case 'i':
        converted = std::to_string(getpid());
        text = converted;
        break;
      case 'h':
        converted = host_name();
        text = converted;
        break;
      case 'd':
      case 'D':
        converted = format_time(record.time, piece.text.empty() ? kDefaultTimeFormat : piece.text,
                                piece.conversion == 'D');
        text = converted;
        break;
      case 'F':
        text = record.where.file != nullptr ? record.where.file : "";
        break;
      case 'b':
        text = base_name(record.where.file != nullptr ? record.where.file : "");
        break;
      case 'L':
        converted = std::to_string(record.where.line);
        text = converted;
        break;
      case 'l':
        converted = std::string(record.where.file != nullptr ? record.where.file : "") + ":" +
                    std::to_string(record.where.line);
        text = converted;
        break;
      case 'M':
        text = record.where.function != nullptr ? record.where.function : "";
        break;
      default:
        break;
    }
    append_aligned(out, text, piece.min_width, piece.max_width, piece.left_align);
  }
}

}  // namespace dcmkit::oflog

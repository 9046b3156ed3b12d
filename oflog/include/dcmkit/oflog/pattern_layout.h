// SPDX-License-Identifier: BSD-3-Clause
// Pattern layouts: log4cplus-style conversion patterns that turn a Record into text.
//
//   auto layout = oflog::PatternLayout::parse("%D{%Y-%m-%d %H:%M:%S.%q} %5p %c - %m%n");
//   std::string line = layout->format(record);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/oflog/record.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::oflog {

/// DCMTK's console format: the level's letter, a colon and the message ("W: message").
inline constexpr std::string_view kDefaultPattern = "%P: %m%n";

/// A richer pattern for log files: local date and time with milliseconds, level, logger, thread.
inline constexpr std::string_view kDetailedPattern = "%D{%Y-%m-%d %H:%M:%S.%q} %-5p %c [%t] %m%n";

/// Formats records by a conversion pattern (the log4cplus subset DCMTK's configuration files
/// use). Conversions:
///   %m message line   %n newline        %p level name ("WARN")   %P level letter ("W")
///   %c logger name ("root" for the root logger), %c{N} its last N components
///   %t thread id      %i process id     %h host name             %% a percent sign
///   %D{fmt} local time, %d{fmt} UTC: strftime() flags plus %q (milliseconds, "042") and %Q
///           (fractional milliseconds, "042.137"); without {fmt}: "%Y-%m-%d %H:%M:%S.%q"
///   %F source file    %b its base name  %L line                  %l "file:line"   %M function
/// A conversion may carry a width as in printf: %5p pads left, %-5p pads right, %.3m truncates.
/// A multi-line message is printed line by line, each line with the whole pattern (DCMTK prints
/// "D: first" and "D: second"). Regular value type; const methods are safe concurrently.
class PatternLayout {
 public:
  /// The default, DCMTK's console format kDefaultPattern.
  PatternLayout();

  /// Parses a pattern; MalformedData for an unknown conversion character, an unclosed "{" or a
  /// trailing "%".
  static ofstd::Result<PatternLayout> parse(std::string_view pattern);

  /// The pattern this layout was parsed from.
  const std::string& pattern() const noexcept { return pattern_; }

  /// Formats a record, one pattern per message line.
  std::string format(const Record& record) const;
  /// Appends the formatted record to `out`.
  void format_to(std::string& out, const Record& record) const;

 private:
  struct Piece {
    char conversion = 0;  // 0 for literal text
    std::string text;     // the literal, or the {option} of the conversion
    std::size_t min_width = 0;
    std::size_t max_width = 0;  // 0: unlimited
    bool left_align = false;
  };
  PatternLayout(std::string pattern, std::vector<Piece> pieces);
  void format_line(std::string& out, const Record& record, std::string_view line) const;

  std::string pattern_;
  std::vector<Piece> pieces_;
};

}  // namespace dcmkit::oflog

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/tag_path.h"

#include <cstdio>

#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;

namespace {

Error malformed(std::string_view text, std::size_t position, std::string_view why) {
  return Error(ErrorCode::MalformedData, "invalid tag path \"" + std::string(text) +
                                             "\" at character " + std::to_string(position + 1) +
                                             ": " + std::string(why));
}

Result<Tag> parse_tag_or_keyword(std::string_view token) {
  if (auto tag = Tag::parse(token)) return *tag;
  if (auto tag = tag_from_keyword(token)) return *tag;
  return Error(ErrorCode::MalformedData,
               "\"" + std::string(token) + "\" is neither a tag nor a dictionary keyword");
}

}  // namespace

Result<TagPath> TagPath::parse(std::string_view text) {
  std::vector<TagPathStep> steps;
  std::size_t pos = 0;
  if (text.empty()) return malformed(text, 0, "empty");
  while (pos < text.size()) {
    // A step's tag ends at '[' or '.', except that "(gggg,eeee)" may not contain either.
    std::size_t end = pos;
    if (text[pos] == '(') {
      end = text.find(')', pos);
      if (end == std::string_view::npos) return malformed(text, pos, "missing ')'");
      ++end;
    } else {
      end = text.find_first_of("[.", pos);
      if (end == std::string_view::npos) end = text.size();
    }
    const std::string_view token = text.substr(pos, end - pos);
    if (token.empty()) return malformed(text, pos, "missing tag");
    auto tag = parse_tag_or_keyword(token);
    if (!tag) return malformed(text, pos, tag.error().message());
    TagPathStep step{*tag, std::nullopt, false};
    pos = end;
    if (pos < text.size() && text[pos] == '[') {
      const auto close = text.find(']', pos);
      if (close == std::string_view::npos) return malformed(text, pos, "missing ']'");
      const std::string_view index = text.substr(pos + 1, close - pos - 1);
      if (index == "*") {
        step.any_item = true;
      } else {
        unsigned long long value = 0;
        if (!ofstd::parse_uint(index, value) || value > 0xFFFFFFFFull) {
          return malformed(text, pos + 1, "item index must be a number or '*'");
        }
        step.item = static_cast<std::size_t>(value);
      }
      pos = close + 1;
    }
    steps.push_back(step);
    if (pos == text.size()) break;
    if (text[pos] != '.') return malformed(text, pos, "expected '.' between steps");
    if (!step.item && !step.any_item) {
      return malformed(text, pos, "a step into a sequence needs an item index such as [0]");
    }
    ++pos;
    if (pos == text.size()) return malformed(text, pos - 1, "path ends with '.'");
  }
  return TagPath(std::move(steps));
}

bool TagPath::has_wildcard() const noexcept {
  for (const auto& step : steps_) {
    if (step.any_item) return true;
  }
  return false;
}

std::string TagPath::to_string() const {
  std::string out;
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    if (i != 0) out += '.';
    out += steps_[i].tag.to_string();
    if (steps_[i].any_item) {
      out += "[*]";
    } else if (steps_[i].item) {
      out += '[' + std::to_string(*steps_[i].item) + ']';
    }
  }
  return out;
}

}  // namespace dcmkit::dcmdata

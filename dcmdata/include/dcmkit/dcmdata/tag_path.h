// SPDX-License-Identifier: BSD-3-Clause
// TagPath: an address of an element inside nested sequences, as written in error messages and on
// command lines (dcmodify, dcmdump +P): "(0040,A730)[2].(0040,A168)[0].(0008,0100)", also with
// keywords ("ContentSequence[2].ConceptNameCodeSequence[0].CodeValue") and "[*]" wildcards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// One step: a tag, and for steps into a sequence, which item.
struct TagPathStep {
  Tag tag;
  std::optional<std::size_t> item;  ///< item index, if the step enters an item
  bool any_item = false;            ///< "[*]": every item
  friend bool operator==(const TagPathStep&, const TagPathStep&) = default;
};

/// A parsed path. Regular value type.
class TagPath {
 public:
  TagPath() = default;
  explicit TagPath(std::vector<TagPathStep> steps) : steps_(std::move(steps)) {}
  /// A path of one element at the top level.
  explicit TagPath(Tag tag) : steps_{TagPathStep{tag, std::nullopt, false}} {}

  /// Parses "(gggg,eeee)", "gggg,eeee", "ggggeeee" or a dictionary keyword per step, steps
  /// separated by '.', each step but the last followed by "[n]" or "[*]" to enter items (the
  /// last may also have one, addressing an item). MalformedData names the position.
  static ofstd::Result<TagPath> parse(std::string_view text);

  const std::vector<TagPathStep>& steps() const noexcept { return steps_; }
  bool empty() const noexcept { return steps_.empty(); }
  bool has_wildcard() const noexcept;
  /// "(0040,a730)[2].(0040,a168)[0].(0008,0100)".
  std::string to_string() const;

  /// Appends a step (used by readers to build the position of an error).
  void push(Tag tag, std::optional<std::size_t> item = std::nullopt) {
    steps_.push_back(TagPathStep{tag, item, false});
  }
  void pop() { steps_.pop_back(); }
  TagPathStep& back() { return steps_.back(); }

  friend bool operator==(const TagPath&, const TagPath&) = default;

 private:
  std::vector<TagPathStep> steps_;
};

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/charset_convert.h"

#include <memory>
#include <string_view>
#include <utility>

#include "dcmkit/dcmdata/charset.h"
#include "dcmkit/ofstd/strings.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Status;

namespace {

constexpr Tag kSpecificCharacterSet{0x0008, 0x0005};
constexpr std::string_view kUtf8Term = "ISO_IR 192";

// Not a limit of the format, only of this recursion; the reader's own depth limit is lower.
constexpr int kMaxDepth = 256;

struct Context {
  std::shared_ptr<const CharacterSet> utf8;
  std::vector<std::string>* warnings;
};

Element utf8_charset_element() {
  return Element(kSpecificCharacterSet, VR::CS, SharedBytes::copy_of(kUtf8Term));
}

// Converts `data`, whose enclosing data set's character set is `inherited`.
Status convert(DataSet& data, const CharacterSet& inherited, const std::string& path, int depth,
               const Context& context) {
  if (depth > kMaxDepth) {
    return Error(ErrorCode::LimitExceeded,
                 path + ": sequences nested deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  // The item's own (0008,0005) is parsed here rather than taken from character_set(), so that
  // a bad value is reported instead of silently decoding with the inherited set.
  CharacterSet own;
  const CharacterSet* charset = &inherited;
  const Element* declared = data.find(kSpecificCharacterSet);
  if (declared != nullptr && declared->kind() == ValueKind::Bytes) {
    auto parsed = CharacterSet::from_value(declared->bytes().chars());
    if (!parsed) {
      return std::move(parsed).error().with_context(path + kSpecificCharacterSet.to_string());
    }
    own = std::move(*parsed);
    charset = &own;
  }
  for (Element& element : data) {
    const std::string where = path + element.tag().to_string();
    if (element.is_sequence()) {
      auto& items = element.items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        DCMKIT_TRY(convert(items[i], *charset, where + "[" + std::to_string(i) + "].", depth + 1,
                           context));
        items[i].set_inherited_character_set(context.utf8);
      }
      continue;
    }
    const VrInfo& info = vr_info(element.vr());
    if (element.kind() != ValueKind::Bytes || !info.uses_charset || element.bytes().empty()) {
      continue;
    }
    // As DCMTK does, the value is converted without its trailing padding spaces; trailing NULs,
    // which no character set maps, are kept aside and put back.
    const std::string_view raw = element.bytes().chars();
    const std::string_view unpadded = ofstd::trim_right(raw, std::string_view(" ", 1));
    const std::string_view value = ofstd::trim_right(unpadded, std::string_view("\0", 1));
    bool replaced = false;
    auto decoded = charset->decode(std::span<const std::byte>(element.bytes().data(), value.size()),
                                   element.vr(), &replaced);
    if (!decoded) return std::move(decoded).error().with_context(where);
    if (replaced && context.warnings != nullptr) {
      context.warnings->push_back(where + ": bytes invalid in Specific Character Set '" +
                                  charset->value() + "' were replaced by U+FFFD");
    }
    std::string text = std::move(*decoded);
    // Values that decode to themselves (ASCII) are left untouched, byte for byte; others are
    // stored as converted, odd lengths being padded when written.
    if (text != value) {
      text.append(unpadded.substr(value.size()));
      element.set_bytes(SharedBytes::copy_of(text));
    }
  }
  if (declared != nullptr) data.insert(utf8_charset_element());
  return {};
}

}  // namespace

Status convert_to_utf8(DataSet& data, std::vector<std::string>* warnings) {
  auto utf8 = CharacterSet::from_value(kUtf8Term);
  if (!utf8) return std::move(utf8).error();
  // Converted in a copy (values are shared, not copied) so that a failure changes nothing.
  DataSet converted = data;
  std::vector<std::string> found;
  const Context context{std::make_shared<const CharacterSet>(std::move(*utf8)),
                        warnings != nullptr ? &found : nullptr};
  // A data set with no (0008,0005) of its own may be an item that inherits one.
  const auto inherited = converted.character_set_ptr();
  DCMKIT_TRY(convert(converted,
                     inherited != nullptr && !converted.contains(kSpecificCharacterSet)
                         ? *inherited
                         : CharacterSet::default_repertoire(),
                     "", 0, context));
  // A DICOMDIR declares character sets per directory record, not at its root (PS3.3 F.3.2.2).
  if (!converted.contains(Tag{0x0004, 0x1220})) converted.insert(utf8_charset_element());
  data = std::move(converted);
  if (warnings != nullptr) warnings->insert(warnings->end(), found.begin(), found.end());
  return {};
}

}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/dictionary.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"

namespace dcmkit::dcmdata {
namespace {

std::string read_source_file(const std::string& relative) {
  std::ifstream in(std::string(DCMKIT_SOURCE_DIR) + "/" + relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DictionaryTest, LooksUpTagsAndKeywordsBothWays) {
  const TagEntry* entry = lookup_tag(Tag{0x0010, 0x0010});
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->keyword, "PatientName");
  EXPECT_EQ(entry->name, "Patient's Name");
  EXPECT_EQ(entry->vr(), VR::PN);
  EXPECT_EQ(entry->vr_count, 1);
  EXPECT_EQ(entry->vm, (VM{1, 1, 1}));
  EXPECT_FALSE(entry->retired);
  EXPECT_FALSE(entry->is_repeating());
  EXPECT_EQ(entry->to_tag(), tags::PatientName);
  EXPECT_EQ(lookup_keyword("PatientName"), entry);
  EXPECT_EQ(tag_from_keyword("PatientName"), tags::PatientName);
  EXPECT_EQ(lookup_keyword("patientname"), nullptr);
  EXPECT_EQ(lookup_keyword(""), nullptr);
  EXPECT_EQ(tag_from_keyword("NoSuchKeyword"), std::nullopt);
}

TEST(DictionaryTest, FindsRetiredEntries) {
  const TagEntry* entry = lookup_tag(Tag{0x0008, 0x0010});
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->keyword, "RecognitionCode");
  EXPECT_TRUE(entry->retired);
  EXPECT_EQ(lookup_keyword("RecognitionCode"), entry);
  EXPECT_EQ(dcmtk_name(*entry), "RETIRED_RecognitionCode");
  EXPECT_EQ(tags::RecognitionCode, (Tag{0x0008, 0x0010}));
}

TEST(DictionaryTest, CoversCommandAndMetaElements) {
  EXPECT_EQ(lookup_tag(Tag{0x0000, 0x0000})->keyword, "CommandGroupLength");
  EXPECT_EQ(lookup_tag(Tag{0x0000, 0x0100})->keyword, "CommandField");
  EXPECT_EQ(lookup_tag(Tag{0x0002, 0x0000})->keyword, "FileMetaInformationGroupLength");
  EXPECT_EQ(lookup_tag(Tag{0x0002, 0x0010})->keyword, "TransferSyntaxUID");
  EXPECT_EQ(lookup_tag(Tag{0x4010, 0x0001})->keyword, "LowEnergyDetectors");  // DICOS
  EXPECT_EQ(lookup_tag(Tag{0x0014, 0x3050})->keyword, "DarkCurrentCounts");   // DICONDE
}

TEST(DictionaryTest, MatchesRepeatingGroups) {
  for (const std::uint16_t group :
       std::initializer_list<std::uint16_t>{0x6000, 0x6002, 0x601E, 0x60FE}) {
    const TagEntry* entry = lookup_tag(Tag{group, 0x3000});
    ASSERT_NE(entry, nullptr) << group;
    EXPECT_EQ(entry->keyword, "OverlayData");
    EXPECT_TRUE(entry->is_repeating());
    EXPECT_EQ(entry->tag, 0x60003000u);
    EXPECT_EQ(entry->mask, 0xFF01FFFFu);
  }
  EXPECT_EQ(lookup_tag(Tag{0x5010, 0x3000})->keyword, "CurveData");
  EXPECT_EQ(lookup_tag(Tag{0x6002, 0x0010})->keyword, "OverlayRows");
  // Odd groups are private (PS3.5 §7.8.1), never instances of a repeating group.
  EXPECT_EQ(lookup_tag(Tag{0x6001, 0x3000}), nullptr);
  EXPECT_EQ(lookup_tag(Tag{0x6003, 0x0010}), nullptr);
  EXPECT_EQ(lookup_tag(Tag{0x6100, 0x3000}), nullptr);
  EXPECT_EQ(tag_from_keyword("OverlayData"), (Tag{0x6000, 0x3000}));
}

TEST(DictionaryTest, DistinguishesVariablePixelDataFromPixelDataAndPrivateCreators) {
  const TagEntry* pixel_data = lookup_tag(Tag{0x7FE0, 0x0010});
  ASSERT_NE(pixel_data, nullptr);
  EXPECT_EQ(pixel_data->keyword, "PixelData");
  EXPECT_FALSE(pixel_data->is_repeating());
  const TagEntry* variable = lookup_tag(Tag{0x7F00, 0x0010});
  ASSERT_NE(variable, nullptr);
  EXPECT_EQ(variable->keyword, "VariablePixelData");
  EXPECT_TRUE(variable->retired);
  EXPECT_EQ(lookup_tag(Tag{0x7FE2, 0x0010}), variable);
  // (7FE1,0010) is in an odd group: a private creator, not Variable Pixel Data.
  EXPECT_EQ(lookup_tag(Tag{0x7FE1, 0x0010}), nullptr);
  EXPECT_EQ(dcmtk_tag_name(Tag{0x7FE1, 0x0010}), "PrivateCreator");
  EXPECT_EQ(dcmtk_name(*variable), "RETIRED_VariablePixelData");
}

TEST(DictionaryTest, MatchesRepeatingElements) {
  const TagEntry* source = lookup_tag(Tag{0x0020, 0x3105});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->keyword, "SourceImageIDs");
  EXPECT_EQ(source->mask, 0xFFFFFF00u);
  EXPECT_EQ(tag_from_keyword("SourceImageIDs"), (Tag{0x0020, 0x3100}));

  // (0028,04x0): x = 0 is the exact entry Transform Label; others are instances.
  EXPECT_EQ(lookup_tag(Tag{0x0028, 0x0400})->keyword, "TransformLabel");
  const TagEntry* rows_pattern = lookup_tag(Tag{0x0028, 0x0420});
  ASSERT_NE(rows_pattern, nullptr);
  EXPECT_EQ(rows_pattern->keyword, "RowsForNthOrderCoefficients");
  EXPECT_TRUE(rows_pattern->is_repeating());
  // DCMTK's fixed instance (0028,0410) shares the keyword; the keyword names the fixed tag.
  const TagEntry* rows_fixed = lookup_tag(Tag{0x0028, 0x0410});
  ASSERT_NE(rows_fixed, nullptr);
  EXPECT_FALSE(rows_fixed->is_repeating());
  EXPECT_EQ(lookup_keyword("RowsForNthOrderCoefficients"), rows_fixed);
  EXPECT_EQ(tags::RowsForNthOrderCoefficients, (Tag{0x0028, 0x0410}));

  EXPECT_EQ(lookup_tag(Tag{0x1000, 0x0020})->keyword, "EscapeTriplet");
  EXPECT_EQ(lookup_tag(Tag{0x1000, 0x1235})->keyword, "ShiftTableTriplet");
  EXPECT_EQ(lookup_tag(Tag{0x1010, 0x1234})->keyword, "ZonalMap");
}

TEST(DictionaryTest, GroupLengthsNeverMatchRepeatingEntries) {
  EXPECT_EQ(lookup_tag(Tag{0x1000, 0x0000}), nullptr);
  EXPECT_EQ(lookup_tag(Tag{0x1010, 0x0000}), nullptr);
  EXPECT_EQ(lookup_tag(Tag{0x6000, 0x0000}), nullptr);
  EXPECT_EQ(lookup_tag(Tag{0x0008, 0x0000}), nullptr);
  const TagEntry& generic = generic_group_length_entry();
  EXPECT_EQ(generic.vr(), VR::UL);
  EXPECT_EQ(generic.keyword, "GenericGroupLength");
  EXPECT_EQ(dcmtk_name(generic), "GenericGroupLength");
  EXPECT_EQ(lookup_keyword("GenericGroupLength"), nullptr);
}

TEST(DictionaryTest, PrivateCreatorEntry) {
  EXPECT_EQ(lookup_tag(Tag{0x0009, 0x0010}), nullptr);
  const TagEntry& creator = private_creator_entry();
  EXPECT_EQ(creator.vr(), VR::LO);
  EXPECT_EQ(creator.vm, (VM{1, 1, 1}));
  EXPECT_EQ(dcmtk_name(creator), "PrivateCreator");
}

TEST(DictionaryTest, UnknownTagsReturnNull) {
  for (const Tag tag :
       {Tag{0x0008, 0x0003}, Tag{0x0009, 0x1010}, Tag{0x0010, 0xFFFF}, Tag{0x0011, 0x0010},
        Tag{0x6001, 0x3000}, Tag{0xFFFF, 0xFFFF}, Tag{0x0028, 0x0421 + 0x0100}}) {
    EXPECT_EQ(lookup_tag(tag), nullptr) << tag.to_string();
  }
}

TEST(DictionaryTest, MultiVrEntries) {
  const TagEntry* smallest = lookup_tag(Tag{0x0028, 0x0106});
  ASSERT_NE(smallest, nullptr);
  EXPECT_EQ(smallest->vr_count, 2);
  EXPECT_EQ(smallest->vr(), VR::US);
  EXPECT_TRUE(smallest->allows(VR::US));
  EXPECT_TRUE(smallest->allows(VR::SS));
  EXPECT_FALSE(smallest->allows(VR::OW));

  // OB or OW: OW first, the Implicit VR encoding (PS3.5 §A.1).
  const TagEntry* pixel_data = lookup_tag(tags::PixelData);
  EXPECT_EQ(pixel_data->vr_count, 2);
  EXPECT_EQ(pixel_data->vr(), VR::OW);
  EXPECT_TRUE(pixel_data->allows(VR::OB));
  EXPECT_FALSE(pixel_data->allows(VR::UN));
  EXPECT_EQ(lookup_tag(Tag{0x6000, 0x3000})->vr(), VR::OW);

  const TagEntry* lut_data = lookup_tag(Tag{0x0028, 0x3006});
  EXPECT_EQ(lut_data->vr(), VR::OW);
  EXPECT_TRUE(lut_data->allows(VR::US));
  const TagEntry* gray = lookup_tag(Tag{0x0028, 0x1200});
  EXPECT_EQ(gray->vr_count, 3);
  EXPECT_TRUE(gray->allows(VR::SS));
}

TEST(DictionaryTest, ItemTagsHaveNoVr) {
  for (const Tag tag : {kItemTag, kItemDelimitationTag, kSequenceDelimitationTag}) {
    const TagEntry* entry = lookup_tag(tag);
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->vr_count, 0);
    EXPECT_EQ(dcmtk_vr_name(*entry), "na");
  }
  EXPECT_EQ(lookup_tag(kItemTag)->keyword, "Item");
}

TEST(DictionaryTest, ParsesValueMultiplicities) {
  EXPECT_EQ(lookup_tag(Tag{0x0008, 0x0008})->vm, (VM{2, 0, 1}));  // ImageType 2-n
  EXPECT_EQ(lookup_tag(Tag{0x0008, 0x0005})->vm, (VM{1, 0, 1}));  // SpecificCharacterSet 1-n
  EXPECT_EQ(lookup_tag(Tag{0x0018, 0x1620})->vm, (VM{2, 0, 2}));  // 2-2n
  EXPECT_EQ(lookup_tag(Tag{0x0008, 0x1162})->vm, (VM{3, 0, 3}));  // 3-3n
  EXPECT_EQ(lookup_tag(Tag{0x0004, 0x1141})->vm, (VM{1, 8, 1}));  // 1-8
  EXPECT_EQ(lookup_tag(Tag{0x0018, 0x5210})->vm, (VM{6, 6, 1}));  // 6
  EXPECT_EQ(lookup_tag(Tag{0x0028, 0x0030})->vm, (VM{2, 2, 1}));  // PixelSpacing 2
  EXPECT_TRUE(lookup_tag(Tag{0x0018, 0x1620})->vm.accepts(6));
  EXPECT_FALSE(lookup_tag(Tag{0x0018, 0x1620})->vm.accepts(5));
}

TEST(DictionaryTest, TableIsSortedAndEveryEntryIsFound) {
  const auto entries = all_tag_entries();
  ASSERT_GT(entries.size(), 5000u);
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const auto& a = entries[i - 1];
    const auto& b = entries[i];
    EXPECT_TRUE(a.tag < b.tag || (a.tag == b.tag && a.mask < b.mask)) << i;
  }
  for (const TagEntry& entry : entries) {
    EXPECT_FALSE(entry.keyword.empty());
    EXPECT_LE(entry.vr_count, 3);
    EXPECT_EQ(entry.tag & ~entry.mask, 0u) << entry.keyword;
    const TagEntry* by_keyword = lookup_keyword(entry.keyword);
    ASSERT_NE(by_keyword, nullptr) << entry.keyword;
    EXPECT_EQ(by_keyword->keyword, entry.keyword);
    if (!entry.is_repeating()) {
      EXPECT_EQ(lookup_tag(entry.to_tag()), &entry) << entry.keyword;
      EXPECT_EQ(by_keyword, &entry) << entry.keyword;
    } else {
      // The highest instance (all varying bits set, except the even-group bit) finds the entry
      // unless an exact entry claims it.
      const std::uint32_t varying = ~entry.mask & ~0x00010000u;
      const Tag instance = Tag::from_u32(entry.tag | varying);
      const TagEntry* found = lookup_tag(instance);
      ASSERT_NE(found, nullptr) << entry.keyword;
      EXPECT_TRUE(found == &entry || !found->is_repeating()) << entry.keyword;
      // tag_from_keyword() names a tag that resolves back to an entry with this keyword.
      const auto tag = tag_from_keyword(entry.keyword);
      ASSERT_TRUE(tag.has_value());
      EXPECT_EQ(lookup_tag(*tag)->keyword, entry.keyword);
    }
  }
}

// Every constant of dict/tags.h names its own dictionary entry: parse the generated header.
TEST(DictionaryTest, EveryTagConstantRoundTripsThroughTheDictionary) {
  const std::string text = read_source_file("dcmdata/include/dcmkit/dcmdata/dict/tags.h");
  const std::regex constant(R"(inline constexpr Tag (\w+)\{0x([0-9A-F]{4}), 0x([0-9A-F]{4})\};)");
  std::size_t count = 0;
  std::set<std::string> seen;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), constant);
       it != std::sregex_iterator(); ++it) {
    const std::string keyword = (*it)[1];
    const Tag tag{static_cast<std::uint16_t>(std::stoul((*it)[2], nullptr, 16)),
                  static_cast<std::uint16_t>(std::stoul((*it)[3], nullptr, 16))};
    EXPECT_TRUE(seen.insert(keyword).second) << keyword;
    const TagEntry* entry = lookup_keyword(keyword);
    ASSERT_NE(entry, nullptr) << keyword;
    EXPECT_EQ(entry->to_tag(), tag) << keyword;
    EXPECT_EQ(lookup_tag(tag), entry) << keyword;
    ++count;
  }
  EXPECT_GT(count, 5000u);
  EXPECT_EQ(tags::PatientID, (Tag{0x0010, 0x0020}));
  EXPECT_EQ(tags::SOPClassUID, (Tag{0x0008, 0x0016}));
  EXPECT_EQ(tags::TransferSyntaxUID, (Tag{0x0002, 0x0010}));
  EXPECT_EQ(tags::Item, kItemTag);
}

TEST(DictionaryTest, DcmtkNames) {
  EXPECT_EQ(dcmtk_name(*lookup_tag(tags::PatientName)), "PatientName");
  EXPECT_EQ(dcmtk_name(*lookup_tag(Tag{0x6002, 0x3000})), "OverlayData");
  EXPECT_EQ(dcmtk_name(*lookup_tag(Tag{0x0028, 0x0410})), "RETIRED_RowsForNthOrderCoefficients");
  EXPECT_EQ(dcmtk_name(*lookup_tag(Tag{0x0000, 0x0010})), "RETIRED_CommandRecognitionCode");
  EXPECT_EQ(dcmtk_tag_name(tags::PatientName), "PatientName");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0012, 0x0000}), "GenericGroupLength");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0009, 0x0000}), "PrivateGroupLength");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0009, 0x0010}), "PrivateCreator");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0009, 0x00FF}), "PrivateCreator");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0003, 0x0000}), "IllegalGroupLength");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0003, 0x0010}), "IllegalPrivateCreator");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0009, 0x1010}), "Unknown Tag & Data");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x6001, 0x3000}), "Unknown Tag & Data");
  EXPECT_EQ(dcmtk_tag_name(Tag{0x0008, 0x0003}), "Unknown Tag & Data");
}

TEST(DictionaryTest, DcmtkPseudoVrs) {
  EXPECT_EQ(dcmtk_vr_name(*lookup_tag(tags::PatientName)), "PN");
  EXPECT_EQ(dcmtk_vr_name(*lookup_tag(Tag{0x0004, 0x1200})), "up");
  EXPECT_EQ(dcmtk_vr_name(*lookup_tag(Tag{0x0028, 0x0106})), "xs");
  EXPECT_EQ(dcmtk_vr_name(*lookup_tag(Tag{0x0028, 0x3006})), "lt");
  EXPECT_EQ(dcmtk_vr_name(*lookup_tag(Tag{0x6000, 0x3000})), "ox");
  EXPECT_EQ(dcmtk_vr_name(*lookup_tag(tags::PixelData)), "px");
  EXPECT_EQ(dcmtk_vr_name(generic_group_length_entry()), "UL");
}

TEST(UidRegistryTest, LooksUpUidsAndKeywordsBothWays) {
  const UidEntry* entry = lookup_uid("1.2.840.10008.1.2.1");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->keyword, "ExplicitVRLittleEndian");
  EXPECT_EQ(entry->type, UidType::TransferSyntax);
  EXPECT_FALSE(entry->retired);
  EXPECT_EQ(lookup_uid_keyword("ExplicitVRLittleEndian"), entry);

  const UidEntry* ct = lookup_uid_keyword("CTImageStorage");
  ASSERT_NE(ct, nullptr);
  EXPECT_EQ(ct->uid, uids::CTImageStorage.str());
  EXPECT_EQ(ct->name, "CT Image Storage");
  EXPECT_EQ(ct->type, UidType::SopClass);

  const UidEntry* retired = lookup_uid("1.2.840.10008.5.1.4.1.1.6");
  ASSERT_NE(retired, nullptr);
  EXPECT_TRUE(retired->retired);
  EXPECT_EQ(retired->keyword, "UltrasoundImageStorageRetired");

  EXPECT_EQ(lookup_uid("1.2.840.10008.15.1.1")->type, UidType::SynchronizationFrameOfReference);
  EXPECT_EQ(lookup_uid("1.2.840.10008.6.1.1")->type, UidType::ContextGroupName);
  EXPECT_EQ(lookup_uid("1.2.840.10008.3.1.1.1")->type, UidType::ApplicationContextName);

  EXPECT_EQ(lookup_uid("1.2.3"), nullptr);
  EXPECT_EQ(lookup_uid(""), nullptr);
  EXPECT_EQ(lookup_uid(std::string_view("1.2.840.10008.1.2.1\0", 20)), nullptr);  // padded
  EXPECT_EQ(lookup_uid_keyword(""), nullptr);
  EXPECT_EQ(lookup_uid_keyword("ctimagestorage"), nullptr);
}

TEST(UidRegistryTest, TableIsSortedAndKeywordsAreUnique) {
  const auto entries = all_uid_entries();
  ASSERT_GT(entries.size(), 1800u);
  std::set<std::string_view> keywords;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(entries[i - 1].uid, entries[i].uid);
    }
    EXPECT_TRUE(is_valid_uid(entries[i].uid)) << entries[i].uid;
    EXPECT_EQ(lookup_uid(entries[i].uid), &entries[i]);
    if (!entries[i].keyword.empty()) {
      EXPECT_TRUE(keywords.insert(entries[i].keyword).second) << entries[i].keyword;
      EXPECT_EQ(lookup_uid_keyword(entries[i].keyword), &entries[i]);
    }
  }
}

TEST(UidRegistryTest, EveryUidConstantRoundTripsThroughTheRegistry) {
  const std::string text = read_source_file("dcmdata/include/dcmkit/dcmdata/dict/uids.h");
  const std::regex constant(R"re(inline constexpr Uid (\w+)\{"([0-9.]+)"\};)re");
  std::size_t count = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), constant);
       it != std::sregex_iterator(); ++it) {
    const UidEntry* entry = lookup_uid_keyword((*it)[1].str());
    ASSERT_NE(entry, nullptr) << (*it)[1];
    EXPECT_EQ(entry->uid, (*it)[2].str());
    ++count;
  }
  EXPECT_GT(count, 1800u);
  EXPECT_EQ(uids::ExplicitVRLittleEndian.str(), "1.2.840.10008.1.2.1");
  EXPECT_EQ(uids::Verification.str(), "1.2.840.10008.1.1");
}

TEST(UidRegistryTest, DcmtkUidNames) {
  EXPECT_EQ(dcmtk_uid_name("1.2.840.10008.1.2.1"), "LittleEndianExplicit");
  EXPECT_EQ(dcmtk_uid_name("1.2.840.10008.1.2"), "LittleEndianImplicit");
  EXPECT_EQ(dcmtk_uid_name("1.2.840.10008.1.1"), "VerificationSOPClass");
  EXPECT_EQ(dcmtk_uid_name(uids::CTImageStorage.str()), "CTImageStorage");
  EXPECT_EQ(dcmtk_uid_name("1.2.840.10008.6.1.1"), "");  // context groups have no DCMTK name
  EXPECT_EQ(dcmtk_uid_name("1.2.3"), "");
  EXPECT_EQ(dcmtk_uid_name(""), "");
}

}  // namespace
}  // namespace dcmkit::dcmdata

// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmdata/dicomdir.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/strings.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace dcmkit::dcmdata {

using ofstd::Error;
using ofstd::ErrorCode;
using ofstd::Result;
using Level = DicomDirMessage::Level;

namespace {

// Directory record attributes (PS3.3 F.3.2.2).
constexpr Tag kOffsetOfNextRecord{0x0004, 0x1400};
constexpr Tag kRecordInUseFlag{0x0004, 0x1410};
constexpr Tag kOffsetOfLowerLevel{0x0004, 0x1420};
constexpr Tag kRecordType{0x0004, 0x1430};
constexpr Tag kReferencedFileId{0x0004, 0x1500};
constexpr Tag kReferencedSopClass{0x0004, 0x1510};
constexpr Tag kReferencedSopInstance{0x0004, 0x1511};
constexpr Tag kReferencedTransferSyntax{0x0004, 0x1512};
constexpr Tag kFileSetId{0x0004, 0x1130};
constexpr Tag kDescriptorFileId{0x0004, 0x1141};
constexpr Tag kDescriptorCharset{0x0004, 0x1142};
constexpr Tag kFirstRootRecord{0x0004, 0x1200};
constexpr Tag kLastRootRecord{0x0004, 0x1202};
constexpr Tag kConsistencyFlag{0x0004, 0x1212};
constexpr std::size_t kMaxRecordDepth = 16;

std::string_view value_text(const Element* e) {
  if (e == nullptr || e->kind() != ValueKind::Bytes) return {};
  return ofstd::trim_right(e->bytes().chars(), std::string_view(" \0", 2));
}

bool has_value(const Element* e) {
  if (e == nullptr) return false;
  if (e->is_sequence()) return !e->items().empty();
  return e->length() > 0;
}

std::string tag_text(Tag tag) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "(%04x,%04x)", tag.group(), tag.element());
  return buffer.data();
}

// The last item of Verifying Observer Sequence, or null.
const DataSet* last_verifying_observer(const DataSet& data) {
  const Element* observers = data.find(tags::VerifyingObserverSequence);
  if (observers == nullptr || !observers->is_sequence() || observers->items().empty()) {
    return nullptr;
  }
  return &observers->items().back();
}

std::string tag_name(Tag tag) { return std::string(dcmtk_tag_name(tag)); }

std::string uid_name(std::string_view uid) {
  const std::string_view name = dcmtk_uid_name(uid);
  return name.empty() ? std::string(uid) : std::string(name);
}

// How a record key is filled from the file (PS3.3 F.5 types).
enum class KeyType : std::uint8_t {
  Type1,        // required with a value; refused (or invented with +I) when missing
  Type1Invent,  // like Type1 but a value may be invented with +I
  Type1C,       // copied when present with a value
  Type2,        // copied, or written empty
  Type3,        // copied when present with a value (DCMTK drops empty ones too)
};

struct Key {
  Tag tag;
  KeyType type;
};

// The level-specific keys. Lists are in tag order; the record keeps elements sorted anyway.
constexpr std::array kPatientKeys{
    Key{tags::SpecificCharacterSet, KeyType::Type1C},
    Key{tags::PatientName, KeyType::Type2},
    Key{tags::PatientID, KeyType::Type1Invent},
};
constexpr std::array kStudyKeys{
    Key{tags::SpecificCharacterSet, KeyType::Type1C}, Key{tags::StudyDate, KeyType::Type1Invent},
    Key{tags::StudyTime, KeyType::Type1Invent},       Key{tags::AccessionNumber, KeyType::Type2},
    Key{tags::StudyDescription, KeyType::Type2},      Key{tags::StudyInstanceUID, KeyType::Type1},
    Key{tags::StudyID, KeyType::Type1Invent},
};
constexpr std::array kSeriesKeys{
    Key{tags::Modality, KeyType::Type1},
    Key{tags::SeriesInstanceUID, KeyType::Type1},
    Key{tags::SeriesNumber, KeyType::Type1Invent},
};
// The general purpose DVD/BD/USB profiles add these series keys (PS3.11 D.3.3).
constexpr std::array kGeneralMediaSeriesKeys{
    Key{tags::SpecificCharacterSet, KeyType::Type1C},
    Key{tags::InstitutionName, KeyType::Type1C},
    Key{tags::InstitutionAddress, KeyType::Type1C},
    Key{tags::PerformingPhysicianName, KeyType::Type1C},
};

enum class Leaf : std::uint8_t {
  Image,
  SrDocument,
  KeyObjectDoc,
  Presentation,
  Waveform,
  RtDose,
  RtStructureSet,
  RtPlan,
  RtTreatRecord,
  Spectroscopy,
  RawData,
  Registration,
  Fiducial,
  EncapDoc,
  ValueMap,
  Stereometric,
  Measurement,
  Surface,
  SurfaceScan,
  Tract,
  Assessment,
  Annotation,
  Radiotherapy,
  HangingProtocol,  // root records (PS3.3 F.5.29, F.5.35, F.5.37-39): no patient, study or series
  Palette,
  Implant,
  ImplantAssy,
  ImplantGroup,
};

struct LeafInfo {
  Leaf leaf;
  std::string_view record_type;
  std::string_view dcmtk_name;  // as DCMTK names the record in messages ("RTPlan Record")
};

constexpr std::array kLeafInfo{
    LeafInfo{Leaf::Image, "IMAGE", "Image"},
    LeafInfo{Leaf::SrDocument, "SR DOCUMENT", "SRDocument"},
    LeafInfo{Leaf::KeyObjectDoc, "KEY OBJECT DOC", "KeyObjectDoc"},
    LeafInfo{Leaf::Presentation, "PRESENTATION", "Presentation"},
    LeafInfo{Leaf::Waveform, "WAVEFORM", "Waveform"},
    LeafInfo{Leaf::RtDose, "RT DOSE", "RTDose"},
    LeafInfo{Leaf::RtStructureSet, "RT STRUCTURE SET", "RTStructureSet"},
    LeafInfo{Leaf::RtPlan, "RT PLAN", "RTPlan"},
    LeafInfo{Leaf::RtTreatRecord, "RT TREAT RECORD", "RTTreatRecord"},
    LeafInfo{Leaf::Spectroscopy, "SPECTROSCOPY", "Spectroscopy"},
    LeafInfo{Leaf::RawData, "RAW DATA", "RawData"},
    LeafInfo{Leaf::Registration, "REGISTRATION", "Registration"},
    LeafInfo{Leaf::Fiducial, "FIDUCIAL", "Fiducial"},
    LeafInfo{Leaf::EncapDoc, "ENCAP DOC", "EncapDoc"},
    LeafInfo{Leaf::ValueMap, "VALUE MAP", "ValueMap"},
    LeafInfo{Leaf::Stereometric, "STEREOMETRIC", "Stereometric"},
    LeafInfo{Leaf::Measurement, "MEASUREMENT", "Measurement"},
    LeafInfo{Leaf::Surface, "SURFACE", "Surface"},
    LeafInfo{Leaf::SurfaceScan, "SURFACE SCAN", "SurfaceScan"},
    LeafInfo{Leaf::Tract, "TRACT", "Tract"},
    LeafInfo{Leaf::Assessment, "ASSESSMENT", "Assessment"},
    LeafInfo{Leaf::Annotation, "ANNOTATION", "Annotation"},
    LeafInfo{Leaf::Radiotherapy, "RADIOTHERAPY", "Radiotherapy"},
    LeafInfo{Leaf::HangingProtocol, "HANGING PROTOCOL", "HangingProtocol"},
    LeafInfo{Leaf::Palette, "PALETTE", "Palette"},
    LeafInfo{Leaf::Implant, "IMPLANT", "Implant"},
    LeafInfo{Leaf::ImplantAssy, "IMPLANT ASSY", "ImplantAssy"},
    LeafInfo{Leaf::ImplantGroup, "IMPLANT GROUP", "ImplantGroup"},
};

bool is_root_leaf(Leaf leaf) {
  return leaf == Leaf::HangingProtocol || leaf == Leaf::Palette || leaf == Leaf::Implant ||
         leaf == Leaf::ImplantAssy || leaf == Leaf::ImplantGroup;
}

const LeafInfo& leaf_info(Leaf leaf) { return kLeafInfo[static_cast<std::size_t>(leaf)]; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// PS3.3 F.5 / Table F.4-1: which record a storage SOP class gets.
std::optional<Leaf> leaf_for_sop_class(std::string_view uid) {
  const UidEntry* entry = lookup_uid(uid);
  if (entry == nullptr || entry->type != UidType::SopClass) return std::nullopt;
  std::string_view k = entry->keyword;
  if (ends_with(k, "Retired")) k.remove_suffix(7);
  if (!ends_with(k, "Storage") && !contains(k, "StorageFor")) return std::nullopt;
  if (k == "KeyObjectSelectionDocumentStorage") return Leaf::KeyObjectDoc;
  if (k == "HangingProtocolStorage") return Leaf::HangingProtocol;
  if (k == "ColorPaletteStorage") return Leaf::Palette;
  // The implant templates (PS3.3 F.5.37-39). DCMTK 3.6.7 swaps the assembly's and the group's
  // record types; these follow the standard.
  if (k == "GenericImplantTemplateStorage") return Leaf::Implant;
  if (k == "ImplantAssemblyTemplateStorage") return Leaf::ImplantAssy;
  if (k == "ImplantTemplateGroupStorage") return Leaf::ImplantGroup;
  if (contains(k, "SRStorage") || k == "ProcedureLogStorage" ||
      k == "SpectaclePrescriptionReportStorage" ||
      k == "MacularGridThicknessAndVolumeReportStorage") {
    return Leaf::SrDocument;
  }
  if (contains(k, "PresentationStateStorage") || k == "BasicStructuredDisplayStorage") {
    return Leaf::Presentation;
  }
  if (contains(k, "Waveform")) return Leaf::Waveform;
  if (k == "RTDoseStorage") return Leaf::RtDose;
  if (k == "RTStructureSetStorage") return Leaf::RtStructureSet;
  if (k == "RTPlanStorage" || k == "RTIonPlanStorage") return Leaf::RtPlan;
  if (contains(k, "TreatmentRecordStorage") || k == "RTTreatmentSummaryRecordStorage") {
    return Leaf::RtTreatRecord;
  }
  if (k == "MRSpectroscopyStorage") return Leaf::Spectroscopy;
  if (k == "RawDataStorage") return Leaf::RawData;
  if (contains(k, "SpatialRegistrationStorage")) return Leaf::Registration;
  if (k == "SpatialFiducialsStorage") return Leaf::Fiducial;
  if (k.starts_with("Encapsulated")) return Leaf::EncapDoc;
  if (k == "RealWorldValueMappingStorage") return Leaf::ValueMap;
  if (k == "StereometricRelationshipStorage") return Leaf::Stereometric;
  if (ends_with(k, "MeasurementsStorage") || k == "IntraocularLensCalculationsStorage") {
    return Leaf::Measurement;
  }
  if (k == "SurfaceSegmentationStorage") return Leaf::Surface;
  if (k.starts_with("SurfaceScan")) return Leaf::SurfaceScan;
  if (k == "TractographyResultsStorage") return Leaf::Tract;
  if (k == "ContentAssessmentResultsStorage") return Leaf::Assessment;
  if (k == "MicroscopyBulkSimpleAnnotationsStorage") return Leaf::Annotation;
  if (contains(k, "Image") || k == "SegmentationStorage" || ends_with(k, "MapStorage") ||
      contains(k, "Tomography")) {
    return Leaf::Image;
  }
  if (k.starts_with("RT") || contains(k, "Radiation")) return Leaf::Radiotherapy;
  return std::nullopt;
}

struct Node {
  DataSet record;
  std::vector<Node> children;
  std::string origin;  // the file the record was made from (for messages)
};

Element ul_element(Tag tag, std::uint32_t value) {
  std::vector<std::byte> bytes(4);
  for (std::size_t i = 0; i < 4; ++i) bytes[i] = static_cast<std::byte>(value >> (8 * i));
  return Element(tag, VR::UL, SharedBytes::from_vector(std::move(bytes)));
}

Element us_element(Tag tag, std::uint16_t value) {
  std::vector<std::byte> bytes{static_cast<std::byte>(value & 0xFF),
                               static_cast<std::byte>(value >> 8)};
  return Element(tag, VR::US, SharedBytes::from_vector(std::move(bytes)));
}

Element text_element(Tag tag, VR vr, std::string_view text);

// The Icon Image Sequence of an IMAGE record (PS3.3 F.7): one item, `size` x `size` 8-bit
// MONOCHROME2 pixels; black where the maker has none (as DCMTK's default icon).
Element icon_sequence(std::vector<std::uint8_t> pixels, std::uint32_t size) {
  const std::size_t count = std::size_t{size} * size;
  if (pixels.size() != count) pixels.assign(count, 0);
  std::vector<std::byte> bytes(count);
  std::transform(pixels.begin(), pixels.end(), bytes.begin(),
                 [](std::uint8_t v) { return static_cast<std::byte>(v); });
  DataSet item;
  item.insert(us_element(tags::SamplesPerPixel, 1));
  item.insert(text_element(tags::PhotometricInterpretation, VR::CS, "MONOCHROME2"));
  item.insert(us_element(tags::Rows, static_cast<std::uint16_t>(size)));
  item.insert(us_element(tags::Columns, static_cast<std::uint16_t>(size)));
  item.insert(us_element(tags::BitsAllocated, 8));
  item.insert(us_element(tags::BitsStored, 8));
  item.insert(us_element(tags::HighBit, 7));
  item.insert(us_element(tags::PixelRepresentation, 0));
  item.insert(Element(tags::PixelData, VR::OB, SharedBytes::from_vector(std::move(bytes))));
  std::vector<DataSet> items;
  items.push_back(std::move(item));
  return Element::sequence(tags::IconImageSequence, std::move(items));
}

Element text_element(Tag tag, VR vr, std::string_view text) {
  std::string padded(text);
  if (padded.size() % 2 != 0) padded.push_back(vr == VR::UI ? '\0' : ' ');
  return Element(tag, vr, SharedBytes::copy_of(std::string_view(padded)));
}

// The transfer syntaxes the profiles allow (PS3.11 annexes), by profile family.
std::vector<std::string_view> allowed_transfer_syntaxes(MediaProfile profile,
                                                        std::string_view sop_class) {
  const std::string_view le = uids::ExplicitVRLittleEndian.str();
  const std::string_view jpeg_lossless = uids::JPEGLosslessSV1.str();
  switch (profile) {
    case MediaProfile::GeneralDvdJpeg:
    case MediaProfile::GeneralBdJpeg:
    case MediaProfile::UsbFlashJpeg:
      return {le, jpeg_lossless, uids::JPEGBaseline8Bit.str(), uids::JPEGExtended12Bit.str()};
    case MediaProfile::GeneralDvdJpeg2000:
    case MediaProfile::GeneralBdJpeg2000:
    case MediaProfile::UsbFlashJpeg2000:
      return {le, uids::JPEG2000Lossless.str(), uids::JPEG2000.str()};
    case MediaProfile::GeneralBdMpeg2MainMain:
    case MediaProfile::DvdMpeg2MainMain:
      return {le, uids::MPEG2MPML.str()};
    case MediaProfile::GeneralBdMpeg2MainHigh:
      return {le, uids::MPEG2MPHL.str()};
    case MediaProfile::GeneralBdMpeg4High41:
      return {le, uids::MPEG4HP41.str()};
    case MediaProfile::GeneralBdMpeg4High41Bd:
      return {le, uids::MPEG4HP41BD.str()};
    case MediaProfile::GeneralBdMpeg4High42For2d:
      return {le, uids::MPEG4HP422D.str()};
    case MediaProfile::GeneralBdMpeg4High42For3d:
      return {le, uids::MPEG4HP423D.str()};
    case MediaProfile::GeneralBdMpeg4StereoHigh42:
      return {le, uids::MPEG4HP42STEREO.str()};
    case MediaProfile::GeneralMime:
      return {};  // any
    case MediaProfile::CtAndMr:
      // JPEG only for the images.
      if (sop_class == uids::CTImageStorage.str() || sop_class == uids::MRImageStorage.str() ||
          sop_class == uids::SecondaryCaptureImageStorage.str()) {
        return {le, jpeg_lossless};
      }
      return {le};
    case MediaProfile::BasicCardiac:
      return {jpeg_lossless};
    case MediaProfile::XrayAngiographic:
      // XA images JPEG lossless on CD, everything else uncompressed (as DCMTK 3.6.7 checks).
      if (sop_class == uids::XRayAngiographicImageStorage.str()) return {jpeg_lossless};
      return {le};
    case MediaProfile::XrayAngiographicDvd:
      // XA images JPEG lossless or lossy on DVD; DCMTK does not check the other classes.
      if (sop_class == uids::XRayAngiographicImageStorage.str()) {
        return {jpeg_lossless, uids::JPEGBaseline8Bit.str(), uids::JPEGExtended12Bit.str()};
      }
      return {};
    case MediaProfile::UltrasoundIdSf:
    case MediaProfile::UltrasoundScSf:
    case MediaProfile::UltrasoundCcSf:
    case MediaProfile::UltrasoundIdMf:
    case MediaProfile::UltrasoundScMf:
    case MediaProfile::UltrasoundCcMf:
      return {le, uids::RLELossless.str(), uids::JPEGBaseline8Bit.str()};
    default:
      return {le};
  }
}

// The SOP classes the special-purpose profiles allow; GP profiles allow every storage class.
bool sop_class_allowed(MediaProfile profile, std::string_view uid) {
  const auto any_of = [uid](std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), uid) != list.end();
  };
  switch (profile) {
    case MediaProfile::BasicCardiac:
      return any_of({uids::XRayAngiographicImageStorage.str()});
    case MediaProfile::XrayAngiographic:
    case MediaProfile::XrayAngiographicDvd:
      return any_of({uids::XRayAngiographicImageStorage.str(),
                     uids::SecondaryCaptureImageStorage.str(),
                     uids::GrayscaleSoftcopyPresentationStateStorage.str()});
    case MediaProfile::DentalRadiograph:
      return any_of({uids::DigitalIntraOralXRayImageStorageForPresentation.str(),
                     uids::DigitalXRayImageStorageForPresentation.str(),
                     uids::GrayscaleSoftcopyPresentationStateStorage.str(),
                     uids::BasicStructuredDisplayStorage.str()});
    case MediaProfile::CtAndMr:
      return any_of({uids::CTImageStorage.str(), uids::MRImageStorage.str(),
                     uids::SecondaryCaptureImageStorage.str(),
                     uids::GrayscaleSoftcopyPresentationStateStorage.str(),
                     uids::XRayRadiationDoseSRStorage.str()});
    case MediaProfile::UltrasoundIdSf:
    case MediaProfile::UltrasoundScSf:
    case MediaProfile::UltrasoundCcSf:
      return any_of({uids::UltrasoundImageStorage.str()});
    case MediaProfile::UltrasoundIdMf:
    case MediaProfile::UltrasoundScMf:
    case MediaProfile::UltrasoundCcMf:
      return any_of(
          {uids::UltrasoundImageStorage.str(), uids::UltrasoundMultiFrameImageStorage.str()});
    case MediaProfile::TwelveLeadEcg:
      return any_of({uids::TwelveLeadECGWaveformStorage.str()});
    case MediaProfile::HemodynamicWaveform:
      return any_of({uids::HemodynamicWaveformStorage.str()});
    default:
      return true;
  }
}

bool profile_is_cardiac(MediaProfile profile) {
  return profile == MediaProfile::BasicCardiac || profile == MediaProfile::XrayAngiographic ||
         profile == MediaProfile::XrayAngiographicDvd;
}

bool profile_is_general_media(MediaProfile profile) {
  switch (profile) {
    case MediaProfile::GeneralDvdJpeg:
    case MediaProfile::GeneralDvdJpeg2000:
    case MediaProfile::GeneralBdJpeg:
    case MediaProfile::GeneralBdJpeg2000:
    case MediaProfile::GeneralBdMpeg2MainMain:
    case MediaProfile::GeneralBdMpeg2MainHigh:
    case MediaProfile::GeneralBdMpeg4High41:
    case MediaProfile::GeneralBdMpeg4High41Bd:
    case MediaProfile::GeneralBdMpeg4High42For2d:
    case MediaProfile::GeneralBdMpeg4High42For3d:
    case MediaProfile::GeneralBdMpeg4StereoHigh42:
    case MediaProfile::UsbFlashJpeg:
    case MediaProfile::UsbFlashJpeg2000:
    case MediaProfile::DvdMpeg2MainMain:
      return true;
    default:
      return false;
  }
}

std::string join_syntax_names(const std::vector<std::string_view>& list) {
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += (i + 1 == list.size()) ? " or " : ", ";
    out += uid_name(list[i]);
  }
  return out;
}

std::string current_date() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::array<char, 16> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y%m%d", &tm);
  return buffer.data();
}

std::string current_time() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::array<char, 16> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%H%M%S", &tm);
  return buffer.data();
}

std::string counter_text(std::string_view prefix, unsigned value) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%06u", value);
  return std::string(prefix) + buffer.data();
}

}  // namespace

std::string_view profile_name(MediaProfile profile) noexcept {
  static constexpr std::array<std::string_view, 29> kNames{
      "STD-GEN-CD/DVD-RAM",
      "STD-GEN-DVD-JPEG",
      "STD-GEN-DVD-J2K",
      "STD-GEN-BD-JPEG",
      "STD-GEN-BD-J2K",
      "STD-GEN-BD-MPEG2-MPML",
      "STD-GEN-BD-MPEG2-MPHL",
      "STD-GEN-BD-MPEG4-HPLV41",
      "STD-GEN-BD-MPEG4-HPLV41BD",
      "STD-GEN-BD-MPEG4-HPLV42-2D",
      "STD-GEN-BD-MPEG4-HPLV42-3D",
      "STD-GEN-BD-MPEG4-SHPLV42",
      "STD-GEN-USB/MMC/CF/SD-JPEG",
      "STD-GEN-USB/MMC/CF/SD-J2K",
      "STD-GEN-MIME",
      "STD-DVD-MPEG2-MPML",
      "STD-XABC-CD",
      "STD-XA1K-CD",
      "STD-XA1K-DVD",
      "STD-DEN-CD",
      "STD-CTMR-xxxx",
      "STD-US-ID-SF-xxxx",
      "STD-US-SC-SF-xxxx",
      "STD-US-CC-SF-xxxx",
      "STD-US-ID-MF-xxxx",
      "STD-UD-SC-MF-xxxx",
      "STD-UD-CC-MF-xxxx",
      "STD-WVFM-ECG-FD",
      "STD-WVFM-HD-FD",
  };
  return kNames[static_cast<std::size_t>(profile)];
}

std::string_view record_type_for_sop_class(std::string_view sop_class_uid) noexcept {
  const std::optional<Leaf> leaf = leaf_for_sop_class(sop_class_uid);
  return leaf ? leaf_info(*leaf).record_type : std::string_view{};
}

Result<std::string> file_id_from_path(const std::filesystem::path& relative, bool map_filenames) {
  const std::string text = relative.generic_string();
  std::vector<std::string> components;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string::npos) end = text.size();
    std::string component = text.substr(start, end - start);
    if (!component.empty() && component != ".") {
      if (map_filenames) {
        for (char& c : component) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        if (component.size() > 1 && component.back() == '.') component.pop_back();
      }
      for (std::size_t i = 0; i < component.size(); ++i) {
        const char c = component[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
          return Error(ErrorCode::InvalidArgument, "invalid character(s) in filename: " + text)
              .with_context("position " + std::to_string(start + i));
        }
      }
      if (component.size() > 8) {
        return Error(ErrorCode::InvalidArgument,
                     "invalid filename (max 8 characters per component): " + text);
      }
      components.push_back(std::move(component));
    }
    start = end + 1;
  }
  if (components.empty()) return Error(ErrorCode::InvalidArgument, "empty filename: " + text);
  if (components.size() > 8) {
    return Error(ErrorCode::InvalidArgument,
                 "too many path components (max. 8) in filename: " + text);
  }
  std::string id;
  for (const std::string& component : components) {
    if (!id.empty()) id += '\\';
    id += component;
  }
  return id;
}

struct DicomDirBuilder::State {
  DicomDirOptions options;
  std::vector<Node> roots;
  std::string instance_uid;  // Media Storage SOP Instance UID (kept when updating)
  unsigned patient_counter = 0;
  unsigned study_counter = 0;
  unsigned series_counter = 0;
  unsigned instance_counter = 1;

  // Copies the keys of `keys` from `data` into `record`; invented values are reported.
  void copy_keys(std::span<const Key> keys, const DataSet& data, DataSet& record,
                 std::string_view level_name, std::string_view origin,
                 std::vector<DicomDirMessage>& messages) {
    for (const Key& key : keys) {
      const Element* e = data.find(key.tag);
      if (!has_value(e) && key.type == KeyType::Type1C) e = from_functional_groups(data, key.tag);
      if (has_value(e)) {
        record.insert(*e);
        continue;
      }
      switch (key.type) {
        case KeyType::Type1:
        case KeyType::Type1C:
        case KeyType::Type3:
          break;
        case KeyType::Type2:
          if (e != nullptr) {
            record.insert(*e);
          } else if (lookup_tag(key.tag)->vr() == VR::SQ) {
            record.insert(Element::sequence(key.tag, {}));
          } else {
            record.insert(Element(key.tag, lookup_tag(key.tag)->vr()));
          }
          break;
        case KeyType::Type1Invent: {
          std::string value = invent(key.tag, data, origin, messages);
          if (value.empty()) break;
          const TagEntry* entry = lookup_tag(key.tag);
          record.insert(text_element(key.tag, entry->vr(), value));
          if (key.tag != tags::StudyDate && key.tag != tags::StudyTime) {
            messages.push_back({Level::Warning, std::string(level_name) + " Record (origin: " +
                                                    std::string(origin) + ") inventing " +
                                                    tag_name(key.tag) + ": " + value});
          }
          break;
        }
      }
    }
  }

  // Enhanced multi-frame objects keep orientation and spacing in the Shared Functional Groups
  // Sequence (PS3.3 C.7.6.16); DCMTK's records take them from there.
  static const Element* from_functional_groups(const DataSet& data, Tag tag) {
    Tag macro{0, 0};
    if (tag == tags::ImageOrientationPatient) macro = tags::PlaneOrientationSequence;
    if (tag == tags::PixelSpacing) macro = tags::PixelMeasuresSequence;
    if (macro == Tag{0, 0}) return nullptr;
    const Element* shared = data.find(tags::SharedFunctionalGroupsSequence);
    if (shared == nullptr || !shared->is_sequence() || shared->items().empty()) return nullptr;
    const Element* group = shared->items().front().find(macro);
    if (group == nullptr || !group->is_sequence() || group->items().empty()) return nullptr;
    return group->items().front().find(tag);
  }

  std::string invent(Tag tag, const DataSet& data, std::string_view origin,
                     std::vector<DicomDirMessage>& messages) {
    if (tag == tags::PatientID) return counter_text("DCMTKPAT", patient_counter++);
    if (tag == tags::StudyID) return counter_text("DCMTKSTUDY", study_counter++);
    if (tag == tags::SeriesNumber) return std::to_string(series_counter++);
    if (tag == tags::InstanceNumber) return std::to_string(instance_counter++);
    if (tag == tags::StudyDate || tag == tags::StudyTime) {
      const bool date = tag == tags::StudyDate;
      const std::array alternatives =
          date ? std::array{tags::SeriesDate, tags::AcquisitionDate, tags::ContentDate}
               : std::array{tags::SeriesTime, tags::AcquisitionTime, tags::ContentTime};
      std::string value;
      for (Tag alternative : alternatives) {
        const Element* e = data.find(alternative);
        if (has_value(e)) {
          value = std::string(value_text(e));
          break;
        }
      }
      if (value.empty()) value = date ? current_date() : current_time();
      messages.push_back({Level::Warning, "file " + std::string(origin) + ": " + tag_name(tag) +
                                              " " + tag_text(tag) +
                                              " missing, using alternative: " + value});
      return value;
    }
    return {};
  }

  // The leaf keys (PS3.3 F.5 and the profile's additional keys, PS3.11).
  std::vector<Key> patient_keys() const {
    std::vector<Key> keys(kPatientKeys.begin(), kPatientKeys.end());
    if (profile_is_general_media(options.profile)) {
      keys.push_back({tags::PatientBirthDate, KeyType::Type1C});
      keys.push_back({tags::PatientSex, KeyType::Type1C});
    } else if (profile_is_cardiac(options.profile)) {
      // The cardiac profiles make them type 2 (PS3.11 F.3.4).
      keys.push_back({tags::PatientBirthDate, KeyType::Type2});
      keys.push_back({tags::PatientSex, KeyType::Type2});
    }
    return keys;
  }

  std::vector<Key> leaf_keys(Leaf leaf) const {
    std::vector<Key> keys{{tags::SpecificCharacterSet, KeyType::Type1C}};
    const auto content = [&keys] {
      keys.push_back({tags::ContentDate, KeyType::Type1});
      keys.push_back({tags::ContentTime, KeyType::Type1});
    };
    const auto content_identification = [&keys] {
      keys.push_back({tags::ContentLabel, KeyType::Type1});
      keys.push_back({tags::ContentDescription, KeyType::Type2});
      keys.push_back({tags::ContentCreatorName, KeyType::Type2});
    };
    switch (leaf) {
      case Leaf::Image:
        keys.clear();  // DCMTK leaves the character set out of IMAGE records
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        if (options.profile == MediaProfile::CtAndMr || profile_is_general_media(options.profile)) {
          if (options.profile != MediaProfile::CtAndMr) {
            keys.push_back({tags::ImageType, KeyType::Type1C});
          }
          keys.push_back({tags::ImagePositionPatient, KeyType::Type1C});
          keys.push_back({tags::ImageOrientationPatient, KeyType::Type1C});
          keys.push_back({tags::FrameOfReferenceUID, KeyType::Type1C});
          keys.push_back({tags::Rows, KeyType::Type1C});
          keys.push_back({tags::Columns, KeyType::Type1C});
          keys.push_back({tags::PixelSpacing, KeyType::Type1C});
          keys.push_back({tags::LossyImageCompressionRatio, KeyType::Type1C});
          keys.push_back({tags::NumberOfFrames, KeyType::Type1C});
          keys.push_back({tags::AcquisitionDateTime, KeyType::Type1C});
        } else if (profile_is_cardiac(options.profile)) {
          // Image Type of XA images, Calibration Image as type 2 (PS3.11 F.3.4); the
          // Referenced Image Sequence of biplane images is added by add().
          if (options.profile != MediaProfile::BasicCardiac) {
            keys.push_back({tags::LossyImageCompressionRatio, KeyType::Type1C});
          }
          keys.push_back({tags::CalibrationImage, KeyType::Type2});
          break;
        } else {
          keys.push_back({tags::ImageType, KeyType::Type3});
        }
        keys.push_back({tags::ReferencedImageSequence, KeyType::Type1C});
        break;
      case Leaf::SrDocument:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        keys.push_back({tags::ConceptNameCodeSequence, KeyType::Type1});
        keys.push_back({tags::CompletionFlag, KeyType::Type1});
        keys.push_back({tags::VerificationFlag, KeyType::Type1});
        break;
      case Leaf::KeyObjectDoc:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        keys.push_back({tags::ConceptNameCodeSequence, KeyType::Type1});
        break;
      case Leaf::Presentation:
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        content_identification();
        keys.push_back({tags::PresentationCreationDate, KeyType::Type1});
        keys.push_back({tags::PresentationCreationTime, KeyType::Type1});
        keys.push_back({tags::ReferencedSeriesSequence, KeyType::Type1C});
        keys.push_back({tags::BlendingSequence, KeyType::Type1C});
        break;
      case Leaf::Waveform:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        break;
      case Leaf::RtDose:
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        keys.push_back({tags::DoseSummationType, KeyType::Type1});
        keys.push_back({tags::DoseComment, KeyType::Type3});
        break;
      case Leaf::RtStructureSet:
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        keys.push_back({tags::StructureSetLabel, KeyType::Type1});
        keys.push_back({tags::StructureSetDate, KeyType::Type2});
        keys.push_back({tags::StructureSetTime, KeyType::Type2});
        break;
      case Leaf::RtPlan:
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        keys.push_back({tags::RTPlanLabel, KeyType::Type1});
        keys.push_back({tags::RTPlanDate, KeyType::Type2});
        keys.push_back({tags::RTPlanTime, KeyType::Type2});
        break;
      case Leaf::RtTreatRecord:
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        keys.push_back({tags::TreatmentDate, KeyType::Type2});
        keys.push_back({tags::TreatmentTime, KeyType::Type2});
        break;
      case Leaf::Spectroscopy:
        keys.push_back({tags::ImageType, KeyType::Type1});
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        keys.push_back({tags::ReferencedImageEvidenceSequence, KeyType::Type1C});
        keys.push_back({tags::NumberOfFrames, KeyType::Type1});
        keys.push_back({tags::Rows, KeyType::Type1});
        keys.push_back({tags::Columns, KeyType::Type1});
        keys.push_back({tags::DataPointRows, KeyType::Type1});
        keys.push_back({tags::DataPointColumns, KeyType::Type1});
        break;
      case Leaf::RawData:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1Invent});
        break;
      case Leaf::Registration:
      case Leaf::Fiducial:
      case Leaf::ValueMap:
      case Leaf::Surface:
      case Leaf::Tract:
      case Leaf::Annotation:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        content_identification();
        break;
      case Leaf::EncapDoc:
        keys.push_back({tags::ContentDate, KeyType::Type2});
        keys.push_back({tags::ContentTime, KeyType::Type2});
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        keys.push_back({tags::DocumentTitle, KeyType::Type2});
        keys.push_back({tags::HL7InstanceIdentifier, KeyType::Type1C});
        keys.push_back({tags::ConceptNameCodeSequence, KeyType::Type2});
        keys.push_back({tags::MIMETypeOfEncapsulatedDocument, KeyType::Type1});
        break;
      case Leaf::Stereometric:
        break;
      case Leaf::Measurement:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        content_identification();
        break;
      case Leaf::Assessment:
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        keys.push_back({tags::InstanceCreationDate, KeyType::Type1});
        keys.push_back({tags::InstanceCreationTime, KeyType::Type2});
        break;
      case Leaf::HangingProtocol:
        keys.push_back({tags::HangingProtocolName, KeyType::Type1});
        keys.push_back({tags::HangingProtocolDescription, KeyType::Type1});
        keys.push_back({tags::HangingProtocolLevel, KeyType::Type1});
        keys.push_back({tags::HangingProtocolCreator, KeyType::Type1});
        keys.push_back({tags::HangingProtocolCreationDateTime, KeyType::Type1});
        keys.push_back({tags::HangingProtocolDefinitionSequence, KeyType::Type1});
        keys.push_back({tags::NumberOfPriorsReferenced, KeyType::Type1});
        keys.push_back({tags::HangingProtocolUserIdentificationCodeSequence, KeyType::Type2});
        break;
      case Leaf::Palette:
        keys.push_back({tags::ContentLabel, KeyType::Type1});
        keys.push_back({tags::ContentDescription, KeyType::Type2});
        break;
      case Leaf::Implant:  // PS3.3 Table F.5-37
        keys.push_back({tags::Manufacturer, KeyType::Type1});
        keys.push_back({tags::ImplantName, KeyType::Type1});
        keys.push_back({tags::ImplantPartNumber, KeyType::Type1});
        keys.push_back({tags::ImplantSize, KeyType::Type1C});
        break;
      case Leaf::ImplantAssy:  // PS3.3 Table F.5-38
        keys.push_back({tags::ImplantAssemblyTemplateName, KeyType::Type1});
        keys.push_back({tags::ImplantAssemblyTemplateIssuer, KeyType::Type1});
        keys.push_back({tags::ProcedureTypeCodeSequence, KeyType::Type1});
        break;
      case Leaf::ImplantGroup:  // PS3.3 Table F.5-39
        keys.push_back({tags::ImplantTemplateGroupName, KeyType::Type1});
        keys.push_back({tags::ImplantTemplateGroupDescription, KeyType::Type3});
        keys.push_back({tags::ImplantTemplateGroupIssuer, KeyType::Type1});
        break;
      case Leaf::SurfaceScan:
        content();
        break;
      case Leaf::Radiotherapy:
        content();
        keys.push_back({tags::InstanceNumber, KeyType::Type1});
        break;
    }
    // DCMTK 3.6.7 writes the character set into these records only where it copies it along
    // (as observed on synthetic files of each class).
    switch (leaf) {
      case Leaf::Waveform:
      case Leaf::RtTreatRecord:
      case Leaf::Spectroscopy:
      case Leaf::RawData:
      case Leaf::Stereometric:
      case Leaf::SurfaceScan:
      case Leaf::Assessment:
        std::erase_if(keys, [](const Key& k) { return k.tag == tags::SpecificCharacterSet; });
        break;
      default:
        break;
    }
    return keys;
  }

  // The file's missing type 1 attributes, DCMTK's checks in DCMTK's order.
  void check_required(const DataSet& data, Leaf leaf, std::string_view origin,
                      std::vector<DicomDirMessage>& messages) const {
    std::vector<Tag> with_value;
    std::vector<Tag> present;
    const bool invent = options.invent_attributes;
    if (is_root_leaf(leaf)) {
      // Records of their own at the root: only their keys are required.
      for (const Key& key : leaf_keys(leaf)) {
        if (key.type == KeyType::Type1 && !has_value(data.find(key.tag))) {
          messages.push_back({Level::Error, "required attribute " + tag_name(key.tag) + " " +
                                                tag_text(key.tag) +
                                                " missing in file: " + std::string(origin)});
        }
      }
      return;
    }
    if (!invent) with_value.push_back(tags::PatientID);
    present.push_back(tags::PatientName);
    const auto report = [&](Tag tag, bool need_value) {
      const Element* e = data.find(tag);
      if (need_value ? !has_value(e) : e == nullptr) {
        messages.push_back({Level::Error, "required attribute " + tag_name(tag) + " " +
                                              tag_text(tag) +
                                              " missing in file: " + std::string(origin)});
      }
    };
    if (!invent) report(tags::PatientID, true);
    report(tags::PatientName, false);
    if (!invent) {
      report(tags::StudyDate, true);
      report(tags::StudyTime, true);
      report(tags::StudyID, true);
    }
    report(tags::StudyInstanceUID, true);
    report(tags::Modality, true);
    report(tags::SeriesInstanceUID, true);
    if (!invent) report(tags::SeriesNumber, true);
    if (leaf == Leaf::SrDocument && value_text(data.find(tags::VerificationFlag)) == "VERIFIED") {
      const DataSet* observer = last_verifying_observer(data);
      if (observer == nullptr) {
        report(tags::VerifyingObserverSequence, true);
      } else if (!has_value(observer->find(tags::VerificationDateTime))) {
        messages.push_back({Level::Error, "required attribute " +
                                              tag_name(tags::VerificationDateTime) + " " +
                                              tag_text(tags::VerificationDateTime) +
                                              " missing in file: " + std::string(origin)});
      }
    }
    for (const Key& key : leaf_keys(leaf)) {
      if (key.type == KeyType::Type1) report(key.tag, true);
      if (key.type == KeyType::Type1Invent && !invent) report(key.tag, true);
    }
  }

  // Compares a new record with the existing one; DCMTK's report format.
  bool consistent(const DataSet& existing, const DataSet& fresh, std::string_view level, Tag key,
                  std::string_view existing_origin, std::string_view origin,
                  DicomDirMessage::Level level_of_report, std::vector<DicomDirMessage>& messages) {
    std::vector<Tag> differing;
    for (const Element& e : existing) {
      if (e.tag().group() == 0x0004 || e.tag() == tags::SpecificCharacterSet) continue;
      const Element* other = fresh.find(e.tag());
      if (other == nullptr) continue;
      if (e.is_sequence() || other->is_sequence()) {
        if (!(e == *other)) differing.push_back(e.tag());
      } else if (value_text(&e) != value_text(other)) {
        differing.push_back(e.tag());
      }
    }
    if (differing.empty()) return true;
    const auto show = [](const Element* e) {
      return e->is_sequence() ? std::string("(sequence)")
                              : "\"" + std::string(value_text(e)) + "\"";
    };
    std::vector<DicomDirMessage> report;
    report.push_back({level_of_report, "file inconsistent with existing DICOMDIR record"});
    report.push_back({level_of_report, "  " + std::string(level) +
                                           " Record [Key: " + tag_name(key) + " " + tag_text(key) +
                                           "=" + show(existing.find(key)) + "]"});
    report.push_back({level_of_report, "    Existing Record (origin: " +
                                           std::string(existing_origin) + ") defines: "});
    for (Tag tag : differing) {
      report.push_back({level_of_report, "      " + tag_name(tag) + " " + tag_text(tag) + "=" +
                                             show(existing.find(tag))});
    }
    report.push_back({level_of_report, "    File (" + std::string(origin) + ") defines:"});
    for (Tag tag : differing) {
      report.push_back({level_of_report, "      " + tag_name(tag) + " " + tag_text(tag) + "=" +
                                             show(fresh.find(tag))});
    }
    report.push_back({level_of_report, ""});
    messages.insert(messages.end(), report.begin(), report.end());
    return false;
  }

  static DataSet new_record(std::string_view type) {
    DataSet record;
    record.insert(ul_element(kOffsetOfNextRecord, 0));
    record.insert(us_element(kRecordInUseFlag, 0xFFFF));
    record.insert(ul_element(kOffsetOfLowerLevel, 0));
    record.insert(text_element(kRecordType, VR::CS, type));
    return record;
  }

  // Inserts `node` before the first sibling with a greater `number` (IS), as DCMTK orders
  // series by Series Number and instances by Instance Number; others keep insertion order.
  static Node* insert_sorted(std::vector<Node>& nodes, Node node, Tag number) {
    const auto value = node.record.get_int(number);
    auto position = nodes.end();
    if (value) {
      position = std::find_if(nodes.begin(), nodes.end(), [&](const Node& sibling) {
        const auto other = sibling.record.get_int(number);
        return other && *other > *value;
      });
    }
    return &*nodes.insert(position, std::move(node));
  }

  static Node* find_child(std::vector<Node>& nodes, Tag key, std::string_view value) {
    for (Node& node : nodes) {
      if (value_text(node.record.find(key)) == value) return &node;
    }
    return nullptr;
  }
};

DicomDirBuilder::DicomDirBuilder(DicomDirOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}
DicomDirBuilder::DicomDirBuilder(DicomDirBuilder&&) noexcept = default;
DicomDirBuilder& DicomDirBuilder::operator=(DicomDirBuilder&&) noexcept = default;
DicomDirBuilder::~DicomDirBuilder() = default;

namespace {

Result<std::vector<Node>> read_records(const std::vector<DataSet>& items,
                                       const std::map<std::uint64_t, std::size_t>& by_offset,
                                       std::uint64_t offset, std::set<std::uint64_t>& visited,
                                       std::size_t depth) {
  std::vector<Node> nodes;
  if (depth > kMaxRecordDepth) {
    return Error(ErrorCode::LimitExceeded, "DICOMDIR records nested too deeply");
  }
  while (offset != 0) {
    const auto it = by_offset.find(offset);
    if (it == by_offset.end()) {
      return Error(ErrorCode::MalformedData,
                   "DICOMDIR record offset " + std::to_string(offset) + " points at no record");
    }
    if (!visited.insert(offset).second) {
      return Error(ErrorCode::MalformedData, "DICOMDIR record offsets form a cycle");
    }
    const DataSet& item = items[it->second];
    Node node;
    node.record = item;
    node.origin = "DICOMDIR";
    const auto lower = item.get_uint(kOffsetOfLowerLevel);
    if (lower && *lower != 0) {
      DCMKIT_ASSIGN_OR_RETURN(node.children,
                              read_records(items, by_offset, *lower, visited, depth + 1));
    }
    const auto in_use = item.get_uint(kRecordInUseFlag);
    if (!in_use || *in_use != 0) nodes.push_back(std::move(node));
    const auto next = item.get_uint(kOffsetOfNextRecord);
    offset = next ? *next : 0;
  }
  return nodes;
}

}  // namespace

Result<DicomDirBuilder> DicomDirBuilder::from_existing(const DicomFile& dicomdir,
                                                       DicomDirOptions options) {
  const Element* sop_class = dicomdir.meta.find(tags::MediaStorageSOPClassUID);
  if (value_text(sop_class) != uids::MediaStorageDirectoryStorage.str()) {
    return Error(ErrorCode::MalformedData, "not a DICOMDIR (Media Storage Directory Storage)");
  }
  const Element* records = dicomdir.data.find(tags::DirectoryRecordSequence);
  if (records == nullptr || !records->is_sequence()) {
    return Error(ErrorCode::MalformedData, "DICOMDIR without a Directory Record Sequence");
  }
  std::map<std::uint64_t, std::size_t> by_offset;
  for (std::size_t i = 0; i < records->items().size(); ++i) {
    by_offset.emplace(records->items()[i].source_offset(), i);
  }
  DicomDirBuilder builder(std::move(options));
  std::set<std::uint64_t> visited;
  const auto first = dicomdir.data.get_uint(kFirstRootRecord);
  if (first && *first != 0) {
    DCMKIT_ASSIGN_OR_RETURN(builder.state_->roots,
                            read_records(records->items(), by_offset, *first, visited, 0));
  }
  builder.state_->instance_uid =
      std::string(value_text(dicomdir.meta.find(tags::MediaStorageSOPInstanceUID)));
  if (builder.state_->options.file_set_id.empty()) {
    builder.state_->options.file_set_id = std::string(value_text(dicomdir.data.find(kFileSetId)));
  }
  return builder;
}

namespace {

// The image rules of the special profiles as DCMTK 3.6.7's dcmmkdir checks them (found by
// experiment, PS3.11 annexes): Basic Cardiac (8 bit XA images of at most 512 x 512, overlays in
// Overlay Data), XA (XA images up to 1024 x 1024 with 8, 10 or 12 bits stored; 8-bit MONOCHROME2
// Secondary Capture images without overlays), dental (8, 10, 12 or 16 bits stored in 8 or 16
// bits), CT/MR (MONOCHROME2 CT and MR images, MR with 8, 12 or 16 bits stored and High Bit one
// below; single-sample Secondary Capture images) and ultrasound (photometric interpretations by
// transfer syntax; region calibration for the SC and CC profiles). An encoding or resolution
// violation is a warning with -Nec / -Nrc, every other one refuses the file. False if refused.
bool check_pixel_rules(const DicomDirOptions& options, std::string_view sop_class,
                       std::string_view syntax, const DataSet& data, const std::string& origin,
                       std::vector<DicomDirMessage>& messages) {
  bool refused = false;
  const auto name = [](Tag tag) { return tag_name(tag) + " " + tag_text(tag); };
  const auto unexpected = [&](Tag tag, bool enforced) {
    messages.push_back(
        {enforced ? Level::Error : Level::Warning,
         "attribute " + name(tag) + " has other value than expected in file: " + origin});
    refused = refused || enforced;
  };
  const auto missing = [&](const DataSet& item, Tag tag, bool need_value) {
    const Element* e = item.find(tag);
    if (need_value ? has_value(e) : e != nullptr) return false;
    messages.push_back(
        {Level::Error, "required attribute " + name(tag) + " missing in file: " + origin});
    refused = true;
    return true;
  };
  const auto range = [&](Tag tag, std::uint64_t low, std::uint64_t high, bool enforced) {
    if (missing(data, tag, true)) return;
    const auto value = data.get_uint(tag);
    if (!value || *value < low || *value > high) unexpected(tag, enforced);
  };
  const auto equals = [&](Tag tag, std::string_view expected) {
    if (missing(data, tag, true)) return;
    if (value_text(data.find(tag)) != expected) unexpected(tag, true);
  };
  const auto uint_of = [&](Tag tag) { return data.get_uint(tag).value_or(0); };
  // Overlay planes described well enough to be shown (rows, columns, bits allocated, bit
  // position), with (embedded_only) or without their Overlay Data.
  const auto overlays = [&](bool embedded_only, std::string_view what) {
    for (std::uint16_t group = 0x6000; group < 0x601F; group += 2) {
      const auto has = [&](std::uint16_t element) {
        return has_value(data.find(Tag{group, element}));
      };
      if (has(0x0010) && has(0x0011) && has(0x0100) && has(0x0102) &&
          (!embedded_only || !has(0x3000))) {
        std::array<char, 8> hex{};
        std::snprintf(hex.data(), hex.size(), "%x", group);
        messages.push_back({Level::Error, std::string(what) + " 0x" + hex.data() +
                                              (embedded_only ? ", file: " : " present in file: ") +
                                              origin});
        refused = true;
      }
    }
  };
  const bool enc = options.check_encoding;
  const bool res = options.check_resolution;
  const std::string_view xa = uids::XRayAngiographicImageStorage.str();
  const std::string_view sc = uids::SecondaryCaptureImageStorage.str();
  switch (options.profile) {
    case MediaProfile::BasicCardiac:
      equals(tags::Modality, "XA");
      range(tags::Rows, 1, 512, res);
      range(tags::Columns, 1, 512, res);
      range(tags::BitsAllocated, 8, 8, enc);
      range(tags::BitsStored, 8, 8, enc);
      overlays(true, "embedded overlay data present in group");
      break;
    case MediaProfile::XrayAngiographic:
    case MediaProfile::XrayAngiographicDvd:
      if (sop_class == xa) {
        equals(tags::Modality, "XA");
        range(tags::Rows, 1, 1024, res);
        range(tags::Columns, 1, 1024, res);
        if (!missing(data, tags::BitsStored, true)) {
          const auto bits = uint_of(tags::BitsStored);
          if (bits != 8 && bits != 10 && bits != 12) unexpected(tags::BitsStored, enc);
        }
      } else if (sop_class == sc) {
        range(tags::Rows, 1, 1024, res);
        range(tags::Columns, 1, 1024, res);
        range(tags::SamplesPerPixel, 1, 1, true);
        equals(tags::PhotometricInterpretation, "MONOCHROME2");
        range(tags::BitsAllocated, 8, 8, enc);
        range(tags::BitsStored, 8, 8, enc);
        range(tags::HighBit, 7, 7, enc);
        range(tags::PixelRepresentation, 0, 0, true);
        overlays(false, "overlay group");
      }
      break;
    case MediaProfile::DentalRadiograph: {
      // The type 2 attributes first; the first one missing ends the check.
      bool present = true;
      for (Tag tag : {tags::InstitutionName, tags::ManufacturerModelName, tags::DetectorID,
                      tags::DetectorManufacturerName, tags::DetectorManufacturerModelName}) {
        if (missing(data, tag, false)) {
          present = false;
          break;
        }
      }
      if (!present || missing(data, tags::BitsAllocated, true) ||
          missing(data, tags::BitsStored, true)) {
        break;
      }
      const auto stored = uint_of(tags::BitsStored);
      const auto allocated = uint_of(tags::BitsAllocated);
      if (stored != 8 && stored != 10 && stored != 12 && stored != 16) {
        unexpected(tags::BitsStored, enc);
      }
      if ((stored == 8 && allocated != 8) || (stored != 8 && allocated != 16)) {
        unexpected(tags::BitsAllocated, enc);
      }
      break;
    }
    case MediaProfile::CtAndMr:
      if (!missing(data, tags::Rows, true)) missing(data, tags::Columns, true);
      if (sop_class == uids::CTImageStorage.str()) {
        equals(tags::Modality, "CT");
        equals(tags::PhotometricInterpretation, "MONOCHROME2");
      } else if (sop_class == uids::MRImageStorage.str()) {
        equals(tags::Modality, "MR");
        equals(tags::PhotometricInterpretation, "MONOCHROME2");
        if (missing(data, tags::BitsStored, true) || missing(data, tags::HighBit, true)) break;
        const auto stored = uint_of(tags::BitsStored);
        if (stored != 8 && stored != 12 && stored != 16) unexpected(tags::BitsStored, enc);
        if (uint_of(tags::HighBit) + 1 != stored) unexpected(tags::HighBit, enc);
      } else if (sop_class == sc) {
        range(tags::SamplesPerPixel, 1, 1, true);
        // DCMTK 3.6.7 looks at the pixel encoding of Secondary Capture images only when their
        // Photometric Interpretation is missing, and then refuses them.
        if (missing(data, tags::PhotometricInterpretation, false)) {
          unexpected(tags::PhotometricInterpretation, true);
        }
      }
      break;
    case MediaProfile::UltrasoundIdSf:
    case MediaProfile::UltrasoundScSf:
    case MediaProfile::UltrasoundCcSf:
    case MediaProfile::UltrasoundIdMf:
    case MediaProfile::UltrasoundScMf:
    case MediaProfile::UltrasoundCcMf: {
      if (!missing(data, tags::PhotometricInterpretation, true)) {
        const std::string_view pi = value_text(data.find(tags::PhotometricInterpretation));
        const bool native = syntax == uids::ExplicitVRLittleEndian.str();
        const bool rle = syntax == uids::RLELossless.str();
        const bool jpeg = syntax == uids::JPEGBaseline8Bit.str();
        const bool valid =
            ((pi == "MONOCHROME2" || pi == "RGB" || pi == "PALETTE COLOR") && (native || rle)) ||
            (pi == "YBR_FULL" && rle) ||
            ((pi == "YBR_FULL_422" || pi == "YBR_PARTIAL_422") && (native || jpeg));
        if (!valid) unexpected(tags::PhotometricInterpretation, true);
      }
      const bool calibrated = options.profile != MediaProfile::UltrasoundIdSf &&
                              options.profile != MediaProfile::UltrasoundIdMf;
      if (!calibrated) break;
      const Element* regions = data.find(tags::SequenceOfUltrasoundRegions);
      if (regions == nullptr || !regions->is_sequence() || regions->items().empty()) {
        messages.push_back({Level::Error, "required attribute " +
                                              name(tags::SequenceOfUltrasoundRegions) +
                                              " missing in file: " + origin});
        refused = true;
        break;
      }
      for (const DataSet& item : regions->items()) {
        bool ok = true;
        for (Tag tag :
             {tags::RegionLocationMinX0, tags::RegionLocationMinY0, tags::RegionLocationMaxX1,
              tags::RegionLocationMaxY1, tags::PhysicalUnitsXDirection,
              tags::PhysicalUnitsYDirection, tags::PhysicalDeltaX, tags::PhysicalDeltaY,
              tags::RegionSpatialFormat, tags::RegionDataType, tags::RegionFlags}) {
          ok = !missing(item, tag, true) && ok;
        }
        if (!ok) break;
      }
      break;
    }
    default:
      break;
  }
  return !refused;
}

}  // namespace

DicomDirAddResult DicomDirBuilder::add(const DicomFile& file, std::string_view file_id,
                                       std::string_view source_name, bool update) {
  DicomDirAddResult result;
  State& s = *state_;
  std::vector<DicomDirMessage>& messages = result.messages;
  const std::string origin(source_name);
  const DataSet& data = file.data;

  std::string sop_class(value_text(file.meta.find(tags::MediaStorageSOPClassUID)));
  if (!file.has_meta || sop_class.empty()) {
    messages.push_back(
        {Level::Error, "MediaStorageSOPClassUID missing in file meta information: " + origin});
    return result;
  }
  const std::optional<Leaf> leaf = leaf_for_sop_class(sop_class);
  const UidEntry* class_entry = lookup_uid(sop_class);
  const bool retired_refused =
      class_entry != nullptr && class_entry->retired && !s.options.allow_retired_sop_classes &&
      !(leaf && *leaf == Leaf::Image);  // retired image classes stay readable, as DCMTK's
  if (!leaf || retired_refused || !sop_class_allowed(s.options.profile, sop_class)) {
    messages.push_back({Level::Error, "invalid SOP class (" + uid_name(sop_class) + ") for " +
                                          std::string(profile_name(s.options.profile)) +
                                          " profile: " + origin});
    return result;
  }
  const std::string syntax(value_text(file.meta.find(tags::TransferSyntaxUID)));
  if (s.options.add_icons &&
      (syntax == uids::JPEG2000Lossless.str() || syntax == uids::JPEG2000.str())) {
    // DCMTK's dcmmkdir has no JPEG 2000 decoder for the icons and refuses such images.
    messages.push_back({Level::Error, "JPEG 2000 compression not supported: " + origin});
    return result;
  }
  const std::vector<std::string_view> syntaxes =
      allowed_transfer_syntaxes(s.options.profile, sop_class);
  if (!syntaxes.empty() && std::find(syntaxes.begin(), syntaxes.end(), syntax) == syntaxes.end()) {
    const Level level = s.options.check_transfer_syntax ? Level::Error : Level::Warning;
    messages.push_back({level, join_syntax_names(syntaxes) + " expected but " + uid_name(syntax) +
                                   " found: " + origin});
    if (s.options.check_transfer_syntax) return result;
  }

  const std::size_t errors_before = messages.size();
  s.check_required(data, *leaf, origin, messages);
  const bool required_ok = messages.size() == errors_before;
  // The profile's image rules apply to files with an IMAGE record.
  if (*leaf == Leaf::Image &&
      !check_pixel_rules(s.options, sop_class, syntax, data, origin, messages)) {
    return result;
  }
  if (!required_ok) return result;

  // The record refers to the instance as the data set names it (the meta may disagree).
  std::string sop_instance(value_text(data.find(tags::SOPInstanceUID)));
  if (sop_instance.empty()) {
    sop_instance = std::string(value_text(file.meta.find(tags::MediaStorageSOPInstanceUID)));
  }
  if (const std::string_view data_class = value_text(data.find(tags::SOPClassUID));
      !data_class.empty()) {
    sop_class = std::string(data_class);
  }
  // The records of their own go to the root, after the patients (PS3.3 F.4).
  const auto leaf_record = [&] {
    DataSet record = State::new_record(leaf_info(*leaf).record_type);
    record.insert(text_element(kReferencedFileId, VR::CS, file_id));
    record.insert(text_element(kReferencedSopClass, VR::UI, sop_class));
    record.insert(text_element(kReferencedSopInstance, VR::UI, sop_instance));
    record.insert(text_element(kReferencedTransferSyntax, VR::UI, syntax));
    return record;
  };
  if (is_root_leaf(*leaf)) {
    DataSet record = leaf_record();
    std::vector<Key> keys = s.leaf_keys(*leaf);
    keys.insert(keys.begin(), Key{tags::SpecificCharacterSet, KeyType::Type1C});
    s.copy_keys(keys, data, record, leaf_info(*leaf).dcmtk_name, origin, messages);
    Node* existing = State::find_child(s.roots, kReferencedSopInstance, sop_instance);
    if (existing == nullptr) {
      s.roots.push_back(Node{std::move(record), {}, origin});
    } else if (update) {
      existing->record = std::move(record);
      existing->origin = origin;
    }
    result.added = true;
    return result;
  }
  const Level report_level =
      s.options.consistency == ConsistencyCheck::Abort ? Level::Error : Level::Warning;
  const bool check = s.options.consistency != ConsistencyCheck::Off;
  const auto fail_consistency = [&result] {
    result.abort = true;
    return result;
  };

  // Makes the record of one level and finds the existing record it matches. Values invented
  // for a record that exists already are the existing record's (nothing is invented again).
  const auto level_record = [&](std::span<const Key> level_keys, std::string_view type,
                                std::string_view level_name, Tag key, std::vector<Node>& nodes,
                                DataSet& fresh) -> Node* {
    fresh = State::new_record(type);
    const std::array counters{s.patient_counter, s.study_counter, s.series_counter,
                              s.instance_counter};
    std::vector<DicomDirMessage> invented;
    s.copy_keys(level_keys, data, fresh, level_name, origin, invented);
    Node* found = nullptr;
    if (has_value(data.find(key))) {
      found = State::find_child(nodes, key, value_text(fresh.find(key)));
    } else if (key == tags::PatientID) {
      found =
          State::find_child(nodes, tags::PatientName, value_text(fresh.find(tags::PatientName)));
    }
    if (found == nullptr) {
      messages.insert(messages.end(), invented.begin(), invented.end());
      return nullptr;
    }
    s.patient_counter = counters[0];
    s.study_counter = counters[1];
    s.series_counter = counters[2];
    s.instance_counter = counters[3];
    for (const Key& k : level_keys) {
      if (k.type == KeyType::Type1Invent && !has_value(data.find(k.tag))) {
        if (const Element* e = found->record.find(k.tag)) fresh.insert(*e);
      }
    }
    return found;
  };

  // PATIENT: identified by PatientID (PS3.3 F.5.1).
  DataSet patient;
  const std::vector<Key> patient_keys = s.patient_keys();
  Node* patient_node =
      level_record(patient_keys, "PATIENT", "Patient", tags::PatientID, s.roots, patient);
  if (patient_node != nullptr && s.options.invent_patient_id &&
      value_text(patient_node->record.find(tags::PatientName)) !=
          value_text(patient.find(tags::PatientName))) {
    const std::string id = counter_text("DCMTKPAT", s.patient_counter++);
    patient.insert(text_element(tags::PatientID, VR::LO, id));
    messages.push_back(
        {Level::Warning, "Patient Record (origin: " + origin + ") inventing PatientID: " + id});
    patient_node = nullptr;
  }
  if (patient_node != nullptr && check &&
      !s.consistent(patient_node->record, patient, "Patient", tags::PatientID, patient_node->origin,
                    origin, report_level, messages) &&
      s.options.consistency == ConsistencyCheck::Abort) {
    return fail_consistency();
  }
  if (patient_node == nullptr) {
    s.roots.push_back(Node{std::move(patient), {}, origin});
    patient_node = &s.roots.back();
  }

  // STUDY: by StudyInstanceUID; SERIES: by SeriesInstanceUID.
  DataSet study;
  Node* study_node = level_record(kStudyKeys, "STUDY", "Study", tags::StudyInstanceUID,
                                  patient_node->children, study);
  if (study_node != nullptr && check &&
      !s.consistent(study_node->record, study, "Study", tags::StudyInstanceUID, study_node->origin,
                    origin, report_level, messages) &&
      s.options.consistency == ConsistencyCheck::Abort) {
    return fail_consistency();
  }
  if (study_node == nullptr) {
    patient_node->children.push_back(Node{std::move(study), {}, origin});
    study_node = &patient_node->children.back();
  }
  DataSet series;
  std::vector<Key> series_keys(kSeriesKeys.begin(), kSeriesKeys.end());
  if (profile_is_general_media(s.options.profile)) {
    // The character set comes along only with the text keys that need it (as DCMTK's).
    const bool text = has_value(data.find(tags::InstitutionName)) ||
                      has_value(data.find(tags::InstitutionAddress)) ||
                      has_value(data.find(tags::PerformingPhysicianName));
    series_keys.insert(series_keys.end(), kGeneralMediaSeriesKeys.begin() + (text ? 0 : 1),
                       kGeneralMediaSeriesKeys.end());
  } else if (profile_is_cardiac(s.options.profile)) {
    // Type 2 in the cardiac profiles (PS3.11 F.3.4).
    series_keys.push_back({tags::InstitutionName, KeyType::Type2});
    series_keys.push_back({tags::InstitutionAddress, KeyType::Type2});
    series_keys.push_back({tags::PerformingPhysicianName, KeyType::Type2});
  }
  Node* series_node = level_record(series_keys, "SERIES", "Series", tags::SeriesInstanceUID,
                                   study_node->children, series);
  if (series_node != nullptr && check &&
      !s.consistent(series_node->record, series, "Series", tags::SeriesInstanceUID,
                    series_node->origin, origin, report_level, messages) &&
      s.options.consistency == ConsistencyCheck::Abort) {
    return fail_consistency();
  }
  if (series_node == nullptr) {
    series_node = State::insert_sorted(study_node->children, Node{std::move(series), {}, origin},
                                       tags::SeriesNumber);
  }

  // The leaf.
  DataSet record = leaf_record();
  const std::vector<Key> keys = s.leaf_keys(*leaf);
  s.copy_keys(keys, data, record, leaf_info(*leaf).dcmtk_name, origin, messages);
  if (*leaf == Leaf::Image && profile_is_cardiac(s.options.profile) &&
      sop_class == uids::XRayAngiographicImageStorage.str()) {
    // XA images: Image Type (type 1), and the Referenced Image Sequence of biplane images.
    // (DCMTK writes it empty when the file has none.)
    if (const Element* e = data.find(tags::ImageType); has_value(e)) {
      record.insert(*e);
    } else {
      record.insert(Element(tags::ImageType, VR::CS));
    }
    const auto types = data.get_strings(tags::ImageType);
    if (!types || types->size() < 3) {
      messages.push_back({Level::Error, "Tag not found: cannot retrieve value 3 of " +
                                            tag_name(tags::ImageType) + " " +
                                            tag_text(tags::ImageType)});
    } else if ((*types)[2] == "BIPLANE A" || (*types)[2] == "BIPLANE B") {
      if (const Element* e = data.find(tags::ReferencedImageSequence); has_value(e)) {
        record.insert(*e);
      }
    }
  }
  if (*leaf == Leaf::Image) {
    // The profiles that want icons fix their size (PS3.11 F.3.3, H.3.3); +X adds them elsewhere.
    std::uint32_t icon_size = 0;
    switch (s.options.profile) {
      case MediaProfile::BasicCardiac:
      case MediaProfile::XrayAngiographic:
      case MediaProfile::XrayAngiographicDvd:
        icon_size = 128;
        break;
      case MediaProfile::CtAndMr:
        icon_size = 64;
        break;
      default:
        icon_size =
            s.options.add_icons ? std::clamp<std::uint32_t>(s.options.icon_size, 1, 128) : 0;
        break;
    }
    if (icon_size != 0) {
      std::vector<std::uint8_t> pixels;
      if (s.options.icon_maker) pixels = s.options.icon_maker(file, origin, icon_size, messages);
      record.insert(icon_sequence(std::move(pixels), icon_size));
    }
  }
  if (*leaf == Leaf::SrDocument && value_text(data.find(tags::VerificationFlag)) == "VERIFIED") {
    // The most recent (last) verifying observer's date and time (PS3.3 F.5.21).
    if (const DataSet* observer = last_verifying_observer(data)) {
      if (const Element* e = observer->find(tags::VerificationDateTime); has_value(e)) {
        record.insert(*e);
      }
    }
  }
  if (*leaf == Leaf::SrDocument || *leaf == Leaf::KeyObjectDoc) {
    // Content items that modify the document's concept name (PS3.3 F.5.21).
    const Element* content = data.find(tags::ContentSequence);
    if (content != nullptr && content->is_sequence()) {
      std::vector<DataSet> modifiers;
      for (const DataSet& item : content->items()) {
        if (value_text(item.find(tags::RelationshipType)) == "HAS CONCEPT MOD") {
          modifiers.push_back(item);
        }
      }
      if (!modifiers.empty()) {
        record.insert(Element::sequence(tags::ContentSequence, std::move(modifiers)));
      }
    }
  }

  Node* existing = State::find_child(series_node->children, kReferencedSopInstance, sop_instance);
  if (existing != nullptr) {
    if (update) {
      existing->record = std::move(record);
      existing->origin = origin;
    } else if (value_text(existing->record.find(kReferencedFileId)) != file_id) {
      messages.push_back(
          {Level::Warning, "SOP instance already referenced in DICOMDIR by " +
                               std::string(value_text(existing->record.find(kReferencedFileId))) +
                               ": " + origin});
    }
  } else {
    State::insert_sorted(series_node->children, Node{std::move(record), {}, origin},
                         tags::InstanceNumber);
  }
  result.added = true;
  return result;
}

namespace {

std::size_t count_nodes(const std::vector<Node>& nodes) {
  std::size_t n = nodes.size();
  for (const Node& node : nodes) n += count_nodes(node.children);
  return n;
}

// Appends the records depth first. Each record's source offset is set to a placeholder id
// (1, 2, ...) and the offsets point at those ids; the writer replaces them with byte positions.
void flatten(const std::vector<Node>& nodes, std::vector<DataSet>& out, std::uint32_t& next_id,
             std::vector<std::uint32_t>* ids_out) {
  std::vector<std::size_t> positions;
  std::vector<std::uint32_t> ids;
  for (const Node& node : nodes) {
    const std::uint32_t id = next_id++;
    ids.push_back(id);
    positions.push_back(out.size());
    out.push_back(node.record);
    out.back().set_source_offset(id);
    std::vector<std::uint32_t> child_ids;
    flatten(node.children, out, next_id, &child_ids);
    out[positions.back()].insert(
        ul_element(kOffsetOfLowerLevel, child_ids.empty() ? 0 : child_ids.front()));
  }
  for (std::size_t i = 0; i < positions.size(); ++i) {
    out[positions[i]].insert(ul_element(kOffsetOfNextRecord, i + 1 < ids.size() ? ids[i + 1] : 0));
  }
  if (ids_out != nullptr) *ids_out = std::move(ids);
}

}  // namespace

std::size_t DicomDirBuilder::record_count() const noexcept { return count_nodes(state_->roots); }

Result<DicomDirFile> DicomDirBuilder::build() const {
  const State& s = *state_;
  DicomDirFile out;
  DataSet& data = out.data;
  data.insert(text_element(kFileSetId, VR::CS, s.options.file_set_id));
  if (!s.options.descriptor_file_id.empty()) {
    data.insert(text_element(kDescriptorFileId, VR::CS, s.options.descriptor_file_id));
    data.insert(text_element(kDescriptorCharset, VR::CS, s.options.descriptor_charset));
  }
  std::vector<DataSet> items;
  std::uint32_t next_id = 1;
  std::vector<std::uint32_t> root_ids;
  flatten(s.roots, items, next_id, &root_ids);
  data.insert(ul_element(kFirstRootRecord, root_ids.empty() ? 0 : root_ids.front()));
  data.insert(ul_element(kLastRootRecord, root_ids.empty() ? 0 : root_ids.back()));
  data.insert(us_element(kConsistencyFlag, 0));
  data.insert(Element::sequence(tags::DirectoryRecordSequence, std::move(items)));

  DataSet previous;
  previous.insert(text_element(tags::MediaStorageSOPClassUID, VR::UI,
                               uids::MediaStorageDirectoryStorage.str()));
  previous.insert(text_element(tags::MediaStorageSOPInstanceUID, VR::UI,
                               s.instance_uid.empty() ? ofstd::generate_uid() : s.instance_uid));
  DCMKIT_ASSIGN_OR_RETURN(out.meta,
                          make_file_meta(data, uids::ExplicitVRLittleEndian.str(), {}, &previous));
  return out;
}

}  // namespace dcmkit::dcmdata

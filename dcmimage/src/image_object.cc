// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimage/image_object.h"

#include <array>
#include <ctime>
#include <numeric>

#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/ofstd/number_format.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace dcmkit::dcmimage {

using dcmdata::DataSet;
using dcmdata::Element;
using dcmdata::Tag;
using dcmdata::VR;
using ofstd::Error;
using ofstd::ErrorCode;
namespace tags = dcmdata::tags;
namespace uids = dcmdata::uids;

namespace {

// Multi-frame objects get Frame Time 1000 ms per frame, as DCMTK's img2dcm writes.
constexpr const char* kDefaultFrameTime = "1000";

std::string keyword(Tag tag) {
  const dcmdata::TagEntry* entry = dcmdata::lookup_tag(tag);
  return entry != nullptr ? std::string(entry->keyword) : tag.to_string();
}

VR dictionary_vr(Tag tag) {
  const dcmdata::TagEntry* entry = dcmdata::lookup_tag(tag);
  return entry != nullptr && entry->vr_count > 0 ? entry->vr() : VR::UN;
}

void insert_empty(DataSet& data, Tag tag) {
  const VR vr = dictionary_vr(tag);
  if (vr == VR::SQ) {
    data.insert(Element::sequence(tag, {}));
  } else {
    data.insert(Element(tag, vr));
  }
}

bool is_empty(const Element& element) {
  return element.is_sequence() ? element.items().empty()
                               : element.length() == 0 && !element.is_encapsulated();
}

ofstd::Status set_us(DataSet& data, Tag tag, std::uint16_t value) {
  return data.set_int(tag, VR::US, value);
}

ofstd::Status set_text(DataSet& data, Tag tag, std::string_view value) {
  return data.set_string(tag, value);
}

DataSet code_item(std::string_view value, std::string_view scheme, std::string_view meaning) {
  DataSet item;
  (void)item.set_string(tags::CodeValue, value);
  (void)item.set_string(tags::CodingSchemeDesignator, scheme);
  (void)item.set_string(tags::CodeMeaning, meaning);
  return item;
}

// What cleanupTemplate() takes out of a template: the Image Pixel module and what depends on it,
// and the SOP Class/Instance UIDs.
constexpr std::array<Tag, 23> kTemplateRemoved = {tags::PixelDataProviderURL,
                                                  tags::PhotometricInterpretation,
                                                  tags::SamplesPerPixel,
                                                  tags::Rows,
                                                  tags::Columns,
                                                  tags::BitsAllocated,
                                                  tags::BitsStored,
                                                  tags::HighBit,
                                                  tags::PixelRepresentation,
                                                  tags::PixelData,
                                                  tags::PlanarConfiguration,
                                                  tags::PixelAspectRatio,
                                                  tags::SmallestImagePixelValue,
                                                  tags::LargestImagePixelValue,
                                                  tags::RedPaletteColorLookupTableDescriptor,
                                                  tags::GreenPaletteColorLookupTableDescriptor,
                                                  tags::BluePaletteColorLookupTableDescriptor,
                                                  tags::RedPaletteColorLookupTableData,
                                                  tags::GreenPaletteColorLookupTableData,
                                                  tags::BluePaletteColorLookupTableData,
                                                  tags::ICCProfile,
                                                  tags::SOPClassUID,
                                                  tags::SOPInstanceUID};

// Patient and study attributes -stf copies, then the series ones -sef adds (PS3.3 C.7.1.1,
// C.7.2.1, C.7.3.1, C.7.5.1).
constexpr std::array<Tag, 9> kStudyAttributes = {tags::PatientName,
                                                 tags::PatientID,
                                                 tags::PatientSex,
                                                 tags::PatientBirthDate,
                                                 tags::StudyDate,
                                                 tags::StudyTime,
                                                 tags::ReferringPhysicianName,
                                                 tags::StudyID,
                                                 tags::AccessionNumber};
constexpr std::array<Tag, 2> kSeriesAttributes = {tags::SeriesNumber, tags::Manufacturer};

// The UTF-8 text with the code points `target`'s character set cannot encode left out.
std::string encodable_part(DataSet& target, Tag tag, const std::string& text) {
  std::string kept;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    const std::string candidate = kept + text.substr(i, length);
    if (target.set_string(tag, candidate)) kept = candidate;
    i += length;
  }
  return kept;
}

ofstd::Status copy_from_source(DataSet& target, const DataSet& source, bool series,
                               bool discard_illegal) {
  const std::string target_charset = target.get_string(tags::SpecificCharacterSet).value_or("");
  const std::string source_charset = source.get_string(tags::SpecificCharacterSet).value_or("");
  // Raw copies keep the bytes when the character sets agree (or the source is plain ASCII);
  // otherwise the text goes through UTF-8 into the template's character set.
  bool convert = false;
  if (target_charset != source_charset && !source_charset.empty()) {
    if (target_charset.empty()) {
      DCMKIT_TRY(target.set_string(tags::SpecificCharacterSet, source_charset));
      DCMKIT_TRY(target.refresh_character_set());
    } else {
      convert = true;
    }
  }
  auto copy = [&](Tag tag) -> ofstd::Status {
    const Element* element = source.find(tag);
    if (element == nullptr) {
      insert_empty(target, tag);
      return {};
    }
    if (!convert || element->length() == 0) {
      target.insert(*element);
      return {};
    }
    auto text = source.get_string(tag);
    if (text && target.set_string(tag, *text)) return {};
    if (text && discard_illegal) return target.set_string(tag, encodable_part(target, tag, *text));
    return Error(ErrorCode::InvalidArgument,
                 "Character set mismatch between template and study/series file");
  };
  for (const Tag tag : kStudyAttributes) DCMKIT_TRY(copy(tag));
  auto required_uid = [&](Tag tag, const char* what) -> ofstd::Status {
    const Element* element = source.find(tag);
    if (element == nullptr || element->length() == 0) {
      return Error(ErrorCode::NotFound,
                   std::string("Unable to read ") + what + " (type 1) from file");
    }
    target.insert(*element);
    return {};
  };
  DCMKIT_TRY(required_uid(tags::StudyInstanceUID, "Study Instance UID"));
  if (series) {
    DCMKIT_TRY(required_uid(tags::SeriesInstanceUID, "Series Instance UID"));
    for (const Tag tag : kSeriesAttributes) DCMKIT_TRY(copy(tag));
  }
  return {};
}

ofstd::Status set_new_uid(DataSet& data, Tag tag) {
  DCMKIT_ASSIGN_OR_RETURN(const dcmdata::Uid uid, dcmdata::Uid::parse(ofstd::generate_uid()));
  return data.set_uid(tag, uid);
}

bool has_value(const DataSet& data, Tag tag) {
  const Element* element = data.find(tag);
  return element != nullptr && !is_empty(*element);
}

ofstd::Status check_same(const ImportedImage& first, const ImportedImage& next) {
  auto differs = [](const char* what) {
    return Error(ErrorCode::InvalidArgument, std::string("value of ") + what +
                                                 " not equal for all frames of the multi-frame "
                                                 "image");
  };
  if (next.rows != first.rows) return differs("Rows");
  if (next.columns != first.columns) return differs("Columns");
  if (next.samples_per_pixel != first.samples_per_pixel) return differs("SamplesPerPixel");
  if (next.photometric_interpretation != first.photometric_interpretation) {
    return differs("PhotometricInterpretation");
  }
  if (next.bits_allocated != first.bits_allocated) return differs("BitsAllocated");
  if (next.bits_stored != first.bits_stored) return differs("BitsStored");
  if (next.high_bit != first.high_bit) return differs("HighBit");
  if (next.pixel_representation != first.pixel_representation) {
    return differs("PixelRepresentation");
  }
  if (next.planar_configuration != first.planar_configuration) {
    return differs("PlanarConfiguration");
  }
  if (next.aspect_horizontal != first.aspect_horizontal) {
    return differs("horizontal PixelAspectRatio");
  }
  if (next.aspect_vertical != first.aspect_vertical) return differs("vertical PixelAspectRatio");
  if (next.transfer_syntax_uid.empty() != first.transfer_syntax_uid.empty()) {
    return Error(ErrorCode::InvalidArgument,
                 "native and JPEG compressed frames cannot be mixed in one object");
  }
  if (first.transfer_syntax_uid.empty() && next.pixel_data.size() != first.pixel_data.size()) {
    return Error(ErrorCode::InvalidArgument,
                 "frame size not equal for all frames of the multi-frame image");
  }
  return {};
}

// The transfer syntax of all JPEG frames: one syntax covers them all, baseline frames being
// valid extended sequential data (PS3.5 §A.4.1); progressive frames cannot share with others.
ofstd::Result<std::string> common_transfer_syntax(std::span<const ImportedImage> frames) {
  std::string syntax = frames.front().transfer_syntax_uid;
  for (const ImportedImage& frame : frames) {
    if (frame.transfer_syntax_uid == syntax) continue;
    const bool sequential_pair =
        (frame.transfer_syntax_uid == uids::JPEGBaseline8Bit.str() ||
         frame.transfer_syntax_uid == uids::JPEGExtended12Bit.str()) &&
        (syntax == uids::JPEGBaseline8Bit.str() || syntax == uids::JPEGExtended12Bit.str());
    if (!sequential_pair) {
      return Error(ErrorCode::InvalidArgument,
                   "JPEG frames of different coding processes (transfer syntaxes " + syntax +
                       " and " + frame.transfer_syntax_uid + ") cannot be combined");
    }
    syntax = std::string(uids::JPEGExtended12Bit.str());
  }
  return syntax;
}

ofstd::Status insert_pixel_data(DataSet& data, std::span<const ImportedImage> frames,
                                const std::string& syntax) {
  const ImportedImage& first = frames.front();
  if (syntax.empty()) {
    std::vector<std::byte> pixels;
    pixels.reserve(first.pixel_data.size() * frames.size() + 1);
    for (const ImportedImage& frame : frames) {
      pixels.insert(pixels.end(), frame.pixel_data.begin(), frame.pixel_data.end());
    }
    if (pixels.size() % 2 != 0) pixels.push_back(std::byte{0});
    // OW, as DCMTK writes native pixel data of every depth here.
    data.insert(
        Element(tags::PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(pixels))));
  } else {
    std::vector<dcmdata::SharedBytes> fragments;
    std::vector<std::byte> offsets;
    std::uint32_t offset = 0;
    fragments.emplace_back();
    for (const ImportedImage& frame : frames) {
      std::vector<std::byte> bytes = frame.pixel_data;
      if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});
      if (bytes.size() > 0xFFFFFFF0u - offset) {
        return Error(ErrorCode::LimitExceeded, "JPEG frames exceed 4 GiB of pixel data");
      }
      for (int shift = 0; shift < 32; shift += 8) {
        offsets.push_back(static_cast<std::byte>((offset >> shift) & 0xFF));
      }
      offset += static_cast<std::uint32_t>(bytes.size()) + 8;  // item header + value
      fragments.push_back(dcmdata::SharedBytes::from_vector(std::move(bytes)));
    }
    // The Basic Offset Table is filled, for one frame too, as DCMTK writes it (PS3.5 §A.4).
    fragments[0] = dcmdata::SharedBytes::from_vector(std::move(offsets));
    data.insert(Element::encapsulated(tags::PixelData, VR::OB, std::move(fragments)));
  }
  DCMKIT_TRY(set_us(data, tags::SamplesPerPixel, first.samples_per_pixel));
  DCMKIT_TRY(set_text(data, tags::PhotometricInterpretation, first.photometric_interpretation));
  if (first.samples_per_pixel > 1) {
    DCMKIT_TRY(set_us(data, tags::PlanarConfiguration, first.planar_configuration));
  }
  DCMKIT_TRY(set_us(data, tags::Rows, first.rows));
  DCMKIT_TRY(set_us(data, tags::Columns, first.columns));
  DCMKIT_TRY(set_us(data, tags::BitsAllocated, first.bits_allocated));
  DCMKIT_TRY(set_us(data, tags::BitsStored, first.bits_stored));
  DCMKIT_TRY(set_us(data, tags::HighBit, first.high_bit));
  if (first.aspect_horizontal != first.aspect_vertical) {
    const std::vector<std::string> ratio = {std::to_string(first.aspect_vertical),
                                            std::to_string(first.aspect_horizontal)};
    DCMKIT_TRY(data.set_strings(tags::PixelAspectRatio, VR::IS, ratio));
  }
  return set_us(data, tags::PixelRepresentation, first.pixel_representation);
}

ofstd::Status fits(bool condition, std::string_view iod, std::string_view what) {
  if (condition) return {};
  return Error(ErrorCode::InvalidArgument,
               std::string(iod) + ": " + std::string(what) + " does not fit SOP class");
}

// The SOP class and attributes of each IOD (DCMTK's output plugins' convert()).
ofstd::Status apply_iod(DataSet& data, const ImportedImage& image, std::size_t frame_count,
                        ImageIod iod) {
  const bool mono = image.photometric_interpretation == "MONOCHROME2";
  const bool color = image.photometric_interpretation == "RGB" ||
                     image.photometric_interpretation == "YBR_FULL_422";
  const std::string frames = std::to_string(frame_count);
  switch (iod) {
    case ImageIod::SecondaryCapture:
      return data.set_uid(tags::SOPClassUID, uids::SecondaryCaptureImageStorage);
    case ImageIod::VLPhotographic:
      // VL Image module: 8 bits, MONOCHROME2 or colour (PS3.3 C.8.12.1.1.x).
      DCMKIT_TRY(fits(image.bits_allocated == 8 && image.bits_stored == 8, "VL Photographic Image",
                      "Bits Allocated/Stored"));
      DCMKIT_TRY(fits(mono || color, "VL Photographic Image", "Photometric Interpretation"));
      DCMKIT_TRY(data.set_uid(tags::SOPClassUID, uids::VLPhotographicImageStorage));
      return set_text(data, tags::Modality, "XC");
    case ImageIod::MultiFrameSecondaryCapture: {
      const std::string_view name = "Multi-frame Secondary Capture";
      dcmdata::Uid sop_class;
      if (mono && image.samples_per_pixel == 1 && image.bits_allocated == 8) {
        DCMKIT_TRY(fits(image.bits_stored == 8 && image.high_bit == 7, name, "Bits Stored"));
        sop_class = uids::MultiFrameGrayscaleByteSecondaryCaptureImageStorage;
      } else if (mono && image.samples_per_pixel == 1 && image.bits_allocated == 16) {
        // C.8.6.3: Bits Stored 9 to 16, High Bit one less.
        DCMKIT_TRY(fits(image.bits_stored >= 9 && image.high_bit + 1 == image.bits_stored, name,
                        "Bits Stored"));
        sop_class = uids::MultiFrameGrayscaleWordSecondaryCaptureImageStorage;
      } else if (color && image.samples_per_pixel == 3 && image.bits_allocated == 8) {
        DCMKIT_TRY(fits(image.bits_stored == 8 && image.planar_configuration == 0, name,
                        "Bits Stored/Planar Configuration"));
        sop_class = uids::MultiFrameTrueColorSecondaryCaptureImageStorage;
      } else {
        return fits(false, name, "Photometric Interpretation/Bits Allocated");
      }
      DCMKIT_TRY(fits(image.pixel_representation == 0, name, "Pixel Representation"));
      DCMKIT_TRY(data.set_uid(tags::SOPClassUID, sop_class));
      if (mono) {  // C.8.6.2: identity rescale and presentation
        DCMKIT_TRY(data.set_string(tags::RescaleIntercept, "0"));
        DCMKIT_TRY(data.set_string(tags::RescaleSlope, "1"));
        DCMKIT_TRY(data.set_string(tags::RescaleType, "US"));
        DCMKIT_TRY(data.set_string(tags::PresentationLUTShape, "IDENTITY"));
      }
      DCMKIT_TRY(data.set_string(tags::NumberOfFrames, frames));
      if (frame_count > 1) {  // C.8.6.3: Frame Increment Pointer when there are frames to step
        DCMKIT_TRY(data.set_string(tags::FrameTime, kDefaultFrameTime));
        const Tag pointer = tags::FrameTime;
        DCMKIT_TRY(data.set_tags(tags::FrameIncrementPointer, std::span<const Tag>(&pointer, 1)));
      }
      return {};
    }
    case ImageIod::OphthalmicPhotography: {
      const std::string_view name = "Ophthalmic Photography";
      const bool eight = image.bits_allocated == 8;
      DCMKIT_TRY(fits(eight || image.bits_allocated == 16, name, "Bits Allocated"));
      DCMKIT_TRY(fits(mono || color, name, "Photometric Interpretation"));
      DCMKIT_TRY(fits(image.samples_per_pixel == (mono ? 1 : 3), name, "Samples Per Pixel"));
      DCMKIT_TRY(fits(image.bits_stored == image.bits_allocated, name, "Bits Stored"));
      DCMKIT_TRY(fits(image.pixel_representation == 0 && image.planar_configuration == 0, name,
                      "Pixel Representation/Planar Configuration"));
      if (mono) DCMKIT_TRY(data.set_string(tags::PresentationLUTShape, "IDENTITY"));
      DCMKIT_TRY(
          data.set_uid(tags::SOPClassUID, eight ? uids::OphthalmicPhotography8BitImageStorage
                                                : uids::OphthalmicPhotography16BitImageStorage));
      // Lossy Image Compression is type 1 here (C.8.17.2); "00" unless the source was lossy.
      if (!data.contains(tags::LossyImageCompression)) {
        DCMKIT_TRY(data.set_string(tags::LossyImageCompression, image.lossy ? "01" : "00"));
      }
      DCMKIT_TRY(data.set_string(tags::NumberOfFrames, frames));
      DCMKIT_TRY(data.set_string(tags::FrameTime, frame_count > 1 ? kDefaultFrameTime : "0"));
      const Tag pointer = tags::FrameTime;
      return data.set_tags(tags::FrameIncrementPointer, std::span<const Tag>(&pointer, 1));
    }
  }
  return {};
}

struct Checker {
  DataSet& data;
  const ImageObjectOptions& options;
  std::vector<std::string> problems;
  // DCMTK's messages name the part that checks ("Image2Dcm: " for the common modules,
  // "I2DOutputPlug: " for the IOD's); kept so that scripts reading them need not change.
  std::string prefix = "Image2Dcm: ";

  void type2(Tag tag) {
    if (data.contains(tag)) return;
    if (options.insert_type2) {
      insert_empty(data, tag);
    } else {
      problems.push_back(prefix + "Missing type 2 attribute: " + keyword(tag));
    }
  }
  // A type 1 attribute with a default value: given it when missing or empty (with +i1).
  void type1(Tag tag, std::string_view value) {
    if (has_value(data, tag)) return;
    if (!options.invent_type1) {
      problems.push_back(prefix +
                         (data.contains(tag) ? "Empty value for type 1 attribute: "
                                             : "Missing type 1 attribute: ") +
                         keyword(tag));
      return;
    }
    if (dictionary_vr(tag) == VR::UI) {
      if (!set_new_uid(data, tag)) problems.push_back("cannot invent " + keyword(tag));
    } else if (!data.set_string(tag, value)) {
      problems.push_back("Unable to insert type 1 attribute " + keyword(tag) + " with value " +
                         std::string(value));
    }
  }
  // A type 1 attribute nobody can invent.
  void type1_required(Tag tag) {
    if (has_value(data, tag)) return;
    problems.push_back(
        prefix +
        (data.contains(tag) ? "Empty value for type 1 attribute: " : "Missing type 1 attribute: ") +
        keyword(tag));
  }
  void type1_code(Tag tag, std::string_view value, std::string_view scheme,
                  std::string_view meaning) {
    if (has_value(data, tag)) return;
    if (!options.invent_type1) {
      type1_required(tag);
      return;
    }
    data.insert(Element::sequence(tag, {code_item(value, scheme, meaning)}));
  }
};

void now_strings(std::string& date, std::string& time) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::array<char, 16> text{};
  std::strftime(text.data(), text.size(), "%Y%m%d", &local);
  date = text.data();
  std::strftime(text.data(), text.size(), "%H%M", &local);
  time = text.data();
}

}  // namespace

std::string_view image_iod_name(ImageIod iod) noexcept {
  switch (iod) {
    case ImageIod::SecondaryCapture:
      return "Secondary Capture Image SOP Class";
    case ImageIod::MultiFrameSecondaryCapture:
      return "New Secondary Capture Image SOP Classes";
    case ImageIod::VLPhotographic:
      return "Visible Light Photographic Image SOP Class";
    case ImageIod::OphthalmicPhotography:
      return "Ophthalmic Photography SOP Classes";
  }
  return "";
}

ofstd::Result<ImageObject> make_image_object(std::span<const ImportedImage> frames,
                                             const ImageObjectOptions& options) {
  if (frames.empty()) return Error(ErrorCode::InvalidArgument, "no image to convert");
  if (frames.size() > 1 &&
      (options.iod == ImageIod::SecondaryCapture || options.iod == ImageIod::VLPhotographic)) {
    return Error(ErrorCode::InvalidArgument,
                 std::string(image_iod_name(options.iod)) + " does not support multiframe images");
  }
  for (const ImportedImage& frame : frames.subspan(1))
    DCMKIT_TRY(check_same(frames.front(), frame));
  ImageObject object;
  DataSet& data = object.data;
  if (options.template_data != nullptr) {
    data = *options.template_data;
    for (const Tag tag : kTemplateRemoved) data.erase(tag);
  }
  if (options.study_source != nullptr) {
    DCMKIT_TRY(copy_from_source(data, *options.study_source, options.series_from_source,
                                options.discard_illegal));
    if (options.increment_instance) {
      const Element* number = options.study_source->find(tags::InstanceNumber);
      if (number != nullptr && number->length() > 0) {
        data.insert(*number);
      } else {
        DCMKIT_TRY(data.set_string(tags::InstanceNumber, "1"));
      }
    }
  }
  if (options.increment_instance) {
    auto number = data.get_int(tags::InstanceNumber);
    if (!number) {
      return Error(ErrorCode::NotFound, "Unable to read Instance Number from dataset");
    }
    DCMKIT_TRY(data.set_string(tags::InstanceNumber, std::to_string(*number + 1)));
  }
  if (options.study_source == nullptr || !options.series_from_source) {
    if (!has_value(data, tags::SeriesInstanceUID)) {
      DCMKIT_TRY(set_new_uid(data, tags::SeriesInstanceUID));
    }
  }
  if (options.study_source == nullptr && !has_value(data, tags::StudyInstanceUID)) {
    DCMKIT_TRY(set_new_uid(data, tags::StudyInstanceUID));
  }
  if (!has_value(data, tags::SOPInstanceUID)) DCMKIT_TRY(set_new_uid(data, tags::SOPInstanceUID));

  std::string syntax;
  if (!frames.front().transfer_syntax_uid.empty()) {
    DCMKIT_ASSIGN_OR_RETURN(syntax, common_transfer_syntax(frames));
  }
  DCMKIT_TRY(insert_pixel_data(data, frames, syntax));
  DCMKIT_TRY(apply_iod(data, frames.front(), frames.size(), options.iod));
  object.transfer_syntax_uid =
      syntax.empty() ? std::string(uids::ExplicitVRLittleEndian.str()) : syntax;
  return object;
}

std::vector<std::string> check_image_object(DataSet& data, const ImageObjectOptions& options) {
  Checker check{data, options, {}};
  if (!options.do_checks) return {};
  // Patient, General Study, General Series and General Image (PS3.3 C.7.1.1, C.7.2.1, C.7.3.1,
  // C.7.6.1); Patient Orientation is type 2C, required for these IODs.
  check.type2(tags::PatientName);
  check.type2(tags::PatientSex);
  check.type2(tags::PatientBirthDate);
  check.type2(tags::PatientID);
  check.type1(tags::StudyInstanceUID, "");
  check.type2(tags::StudyDate);
  check.type2(tags::StudyTime);
  check.type2(tags::ReferringPhysicianName);
  check.type2(tags::StudyID);
  check.type2(tags::AccessionNumber);
  check.type1(tags::SeriesInstanceUID, "");
  check.type2(tags::SeriesNumber);
  check.type2(tags::InstanceNumber);
  check.type2(tags::PatientOrientation);
  for (const Tag tag :
       {tags::Rows, tags::Columns, tags::SamplesPerPixel, tags::PhotometricInterpretation,
        tags::BitsAllocated, tags::BitsStored, tags::HighBit, tags::PixelRepresentation}) {
    check.type1_required(tag);
  }
  check.type1(tags::SOPInstanceUID, "");
  // Laterality is type 2C in General Series ("required if the body part is paired and no image
  // or frame laterality is sent"); without a Body Part Examined the condition cannot be decided,
  // so it is sent empty (unknown) unless an image laterality is present.
  if (!data.contains(tags::ImageLaterality) && !data.contains(tags::BodyPartExamined)) {
    check.type2(tags::Laterality);
  }
  check.prefix = "I2DOutputPlug: ";
  switch (options.iod) {
    case ImageIod::SecondaryCapture:
      check.type1(tags::ConversionType, "WSD");  // C.8.6.1: "workstation"
      break;
    case ImageIod::MultiFrameSecondaryCapture:
      check.type1(tags::ConversionType, "WSD");
      check.type1(tags::BurnedInAnnotation, "NO");
      break;
    case ImageIod::VLPhotographic:
      check.type2(tags::AcquisitionContextSequence);
      check.type2(tags::Manufacturer);
      check.type1(tags::ImageType, "DERIVED\\SECONDARY");
      check.type2(tags::LossyImageCompression);
      break;
    case ImageIod::OphthalmicPhotography: {
      std::string date = options.date;
      std::string time = options.time;
      if (date.empty() || time.empty()) now_strings(date, time);
      check.type1(tags::Modality, "OP");
      check.type1(tags::SynchronizationTrigger, "NO TRIGGER");
      check.type1(tags::AcquisitionTimeSynchronized, "N");
      check.type1(tags::InstanceNumber, "1");
      check.type1(tags::ImageType, "ORIGINAL\\PRIMARY");
      check.type1(tags::SynchronizationFrameOfReferenceUID, "");
      check.type1(tags::ContentDate, date);
      check.type1(tags::ContentTime, time);
      check.type1(tags::AcquisitionDateTime, date + time);
      check.type1(tags::BurnedInAnnotation, "NO");
      // CID 4209 "Eye": SCT 81745001 (DCMTK 3.6.7 swaps Code Value and Code Meaning).
      check.type1_code(tags::AnatomicRegionSequence, "81745001", "SCT", "Eye");
      check.type1_required(tags::ImageLaterality);
      check.type1_required(tags::AcquisitionDeviceTypeCodeSequence);
      for (const Tag tag :
           {tags::Manufacturer, tags::PatientEyeMovementCommanded, tags::HorizontalFieldOfView,
            tags::RefractiveStateSequence, tags::EmmetropicMagnification, tags::IntraOcularPressure,
            tags::PupilDilated, tags::IlluminationTypeCodeSequence,
            tags::LightPathFilterTypeStackCodeSequence, tags::ImagePathFilterTypeStackCodeSequence,
            tags::LensesCodeSequence, tags::DetectorType}) {
        check.type2(tag);
      }
      break;
    }
  }
  return std::move(check.problems);
}

ofstd::Status finish_image_object(DataSet& data, std::span<const ImportedImage> frames) {
  if (frames.empty() || !frames.front().lossy) return {};
  double sum = 0;
  for (const ImportedImage& frame : frames) {
    sum += frame.pixel_data.empty()
               ? 1.0
               : frame.uncompressed_size() / static_cast<double>(frame.pixel_data.size());
  }
  const double ratio = sum / static_cast<double>(frames.size());
  DCMKIT_TRY(data.set_string(tags::LossyImageCompression, "01"));
  DCMKIT_TRY(data.set_string(tags::LossyImageCompressionMethod, "ISO_10918_1"));
  // DCMTK's number format (five significant digits, leading zeros after the point not counted).
  return data.set_string(tags::LossyImageCompressionRatio, ofstd::format_significant(ratio, 5));
}

}  // namespace dcmkit::dcmimage

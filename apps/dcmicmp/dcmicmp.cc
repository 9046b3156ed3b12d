// SPDX-License-Identifier: BSD-3-Clause
// dcmicmp: compare two DICOM images and print difference metrics (maximum and mean absolute
// error, RMSE, PSNR, SNR), optionally checking them against limits and writing a difference image;
// a drop-in replacement for DCMTK's dcmicmp (see docs/dcmicmp.md).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/app.h"
#include "common/dcmdata_blocks.h"
#include "common/dcmdata_options.h"
#include "common/image_options.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/dict/uids.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmimage/codecs/all.h"
#include "dcmkit/dcmimage/image_comparison.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"
#include "dcmkit/ofstd/uid_generator.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file

// DCMTK's dcmicmp exit codes.
constexpr int kExitCannotLoad = ofstd::kExitInvalidInputFile;        // 22
constexpr int kExitCannotWrite = ofstd::kExitCannotWriteOutputFile;  // 40
constexpr int kExitConfigure = 81;
constexpr int kExitCompare = 82;
constexpr int kExitMaxError = 90;
constexpr int kExitMae = 91;
constexpr int kExitRmse = 92;
constexpr int kExitPsnr = 93;
constexpr int kExitSnr = 94;

void define_options(ofstd::CommandLine& cl) {
  cl.set_param_column(0);
  cl.add_parameter("dcmfile-in-1", "Reference DICOM image file for comparison");
  cl.add_parameter("dcmfile-in-2", "Test DICOM image file for comparison");
  cl.add_group("input options:");
  apps::add_input_format_options(cl, true);
  cl.add_group("image processing options:");
  cl.add_subgroup("modality LUT transformation:");
  cl.add_option("+M", "--use-modality", "use modality LUT transformation (default)");
  cl.add_option("-M", "--no-modality", "ignore stored modality LUT transformation");
  apps::add_voi_head_options(cl);
  cl.add_option("+Wm", "--min-max-window",
                "compute VOI window using min-max algorithm\non both images separately");
  cl.add_option("+Wn", "--min-max-window-n",
                "compute VOI window using min-max algorithm\non both images separately, ignoring "
                "extremes");
  cl.add_option(
      "+Wr", "--min-max-ref",
      "compute VOI window using min-max algorithm\nand use same window for the test image");
  cl.add_option("+Wq", "--min-max-n-ref",
                "compute VOI window using min-max algorithm,\nignoring extreme values\nand use "
                "same window for the test image");
  apps::add_voi_tail_options(cl);
  apps::add_presentation_lut_options(cl);
  cl.add_group("image comparison metrics options:");
  cl.add_option("+ce", "--check-error", "[l]imit: integer\ncheck if max absolute error <= limit",
                1);
  cl.add_option("+cm", "--check-mae", "[l]imit: float\ncheck if mean absolute error <= limit", 1);
  cl.add_option("+cr", "--check-rmse", "[l]imit: float\ncheck if root mean square error <= limit",
                1);
  cl.add_option("+cp", "--check-psnr", "[l]imit: float\ncheck if PSNR >= limit", 1);
  cl.add_option("+cs", "--check-snr", "[l]imit: float\ncheck if SNR >= limit", 1);
  cl.add_group("output options:");
  cl.add_option("+sd", "--save-diff",
                "[f]ilename: string\nwrite secondary capture difference image", 1);
  cl.add_option("+a", "--amplify", "[f]actor: float\nmultiply diff image pixel values by f", 1);
}

// An unsigned option value as DCMTK reads one: a minus sign makes it invalid (not an underflow);
// values from 2^32 - 1 up overflow.
ofstd::Result<long long> unsigned_value(const ofstd::ParsedCommandLine& args,
                                        std::string_view option, long long min) {
  const std::string text = args.value(option).value_or("");
  if (text.find('-') != std::string::npos) {
    return ofstd::Error(
        ofstd::ErrorCode::InvalidArgument,
        "Invalid value for option " + std::string(args.long_name(option)) + " (" + text + ")");
  }
  return args.value_as_int(option, ofstd::IntBounds::range(min, 4294967294LL));
}

// The limits of +ce, +cm, +cr, +cp, +cs.
struct Limits {
  std::optional<std::uint64_t> max_error;
  std::optional<double> mae;
  std::optional<double> rmse;
  std::optional<double> psnr;
  std::optional<double> snr;
};

struct Settings {
  dcmimage::ComparisonOptions comparison;
  Limits limits;
  std::optional<std::string> difference_file;
  double amplify = 1.0;
};

// The settings from the command line; an exit code for a command-line mistake.
std::optional<int> read_settings(const App& app, Settings& s) {
  const ofstd::ParsedCommandLine& args = app.args();
  dcmimage::ComparisonOptions& c = s.comparison;
  c.ignore_modality = args.last_of({"+M", "-M"}) == "-M";
  using dcmimage::ComparisonVoi;
  if (const auto voi = args.last_of({"-W", "+Wi", "+Wl", "+Wm", "+Wn", "+Wr", "+Wq", "+Ww"})) {
    if (*voi == "+Wi" || *voi == "+Wl") {
      auto n = unsigned_value(args, *voi, 1);
      if (!n) return app.usage_error(n.error());
      c.voi = *voi == "+Wi" ? ComparisonVoi::FileWindow : ComparisonVoi::FileLut;
      c.voi_index = static_cast<std::uint32_t>(*n);
    } else if (*voi == "+Ww") {
      auto window = apps::explicit_window(args);
      if (!window) return app.usage_error(window.error());
      c.voi = ComparisonVoi::Explicit;
      c.window = *window;
    } else if (*voi == "+Wm") {
      c.voi = ComparisonVoi::MinMax;
    } else if (*voi == "+Wn") {
      c.voi = ComparisonVoi::MinMaxNoExtremes;
    } else if (*voi == "+Wr") {
      c.voi = ComparisonVoi::ReferenceMinMax;
    } else if (*voi == "+Wq") {
      c.voi = ComparisonVoi::ReferenceMinMaxNoExtremes;
    }
  }
  if (const auto function = apps::voi_function(args)) c.function = *function;
  if (const auto shape = apps::presentation_shape(args)) c.shape = *shape;
  if (args.has("+ce")) {
    auto n = unsigned_value(args, "+ce", 0);
    if (!n) return app.usage_error(n.error());
    s.limits.max_error = static_cast<std::uint64_t>(*n);
  }
  const std::array<std::pair<const char*, std::optional<double>*>, 4> float_limits = {
      {{"+cm", &s.limits.mae},
       {"+cr", &s.limits.rmse},
       {"+cp", &s.limits.psnr},
       {"+cs", &s.limits.snr}}};
  for (const auto& [option, target] : float_limits) {
    if (!args.has(option)) continue;
    auto v = args.value_as_float(option, ofstd::FloatBounds::at_least(0));
    if (!v) return app.usage_error(v.error());
    *target = *v;
  }
  if (args.has("+sd")) s.difference_file = args.value("+sd");
  if (auto dependence = args.check_dependence("+a", "+sd"); !dependence) {
    return app.usage_error(dependence.error());
  }
  if (args.has("+a")) {
    auto f = args.value_as_float("+a", ofstd::FloatBounds::greater_than(0));
    if (!f) return app.usage_error(f.error());
    s.amplify = *f;
  }
  return std::nullopt;
}

// What a difference image takes from the images compared.
struct ImageFacts {
  dcmdata::DataSet copied;  // patient and study attributes (reference only)
  std::string study_uid;
  std::string series_uid;
  std::string sop_class_uid;
  std::string sop_instance_uid;
};

// The value of a UID element as stored, without padding (DCMTK takes it as it is, also as UN).
std::string text_of(const dcmdata::DataSet& data, dcmdata::Tag tag) {
  const dcmdata::Element* e = data.find(tag);
  if (e == nullptr) return {};
  const std::span<const std::byte> bytes = e->bytes().span();
  std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());  // NOLINT
  while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.pop_back();
  return text;
}

// A value as DCMTK copies it: the text of the element (UN values too, written with the VR of the
// dictionary), without validation (DCMTK writes UIDs with leading zeros as they came).
dcmdata::Element plain_copy(const dcmdata::Element& e) {
  if (e.vr() != dcmdata::VR::UN) return e;
  const dcmdata::TagEntry* entry = dcmdata::lookup_tag(e.tag());
  const dcmdata::VR vr = entry != nullptr && entry->vr_count > 0 ? entry->vr() : dcmdata::VR::UN;
  dcmdata::DataSet holder;
  (void)holder.set_bytes(e.tag(), vr, e.bytes());
  return *holder.find(e.tag());
}

ofstd::Status set_uid_text(dcmdata::DataSet& data, dcmdata::Tag tag, std::string_view uid) {
  std::string text(uid);
  if (text.size() % 2 != 0) text.push_back('\0');
  return data.set_bytes(tag, dcmdata::VR::UI, dcmdata::SharedBytes::copy_of(text));
}

// Reads what the difference image needs from one image, with DCMTK's messages: missing patient
// and study attributes of the reference are warned about (DCMTK swaps the names of birth date
// and sex), missing UIDs are errors. False if a UID is missing.
bool read_facts(const App& app, const dcmdata::DataSet& data, bool reference, ImageFacts& facts) {
  const char* which = reference ? "reference" : "test";
  const auto copy = [&](dcmdata::Tag tag, const char* name) {
    if (const dcmdata::Element* e = data.find(tag)) {
      facts.copied.insert(plain_copy(*e));
    } else {
      DCMKIT_LOG_WARN(app.logger(), name << " not found in reference image, ignoring.");
    }
  };
  const auto uid = [&](dcmdata::Tag tag, const char* name, std::string& out) {
    if (!data.contains(tag)) {
      DCMKIT_LOG_ERROR(app.logger(), name << " not found in " << which << " image.");
      return false;
    }
    out = text_of(data, tag);
    return true;
  };
  using namespace dcmdata::tags;  // NOLINT
  if (reference) {
    copy(PatientName, "Patient Name");
    copy(PatientID, "Patient ID");
    copy(PatientBirthDate, "Patient's Sex");
    copy(PatientSex, "Patient's Birth Date");
  }
  if (!uid(StudyInstanceUID, "Study Instance UID", facts.study_uid)) return false;
  if (reference) {
    copy(StudyDate, "Study Date");
    copy(StudyTime, "Study Time");
    copy(ReferringPhysicianName, "Referring Physician's Name");
    copy(StudyID, "Study ID");
    copy(AccessionNumber, "Accession Number");
    if (const dcmdata::Element* e = data.find(SpecificCharacterSet)) {
      facts.copied.insert(plain_copy(*e));
    }
    // DCMTK writes the reference's pixel aspect ratio: Pixel Aspect Ratio as it is, else one from
    // unequal Pixel Spacing values (row\column, in thousandths).
    if (const dcmdata::Element* e = data.find(PixelAspectRatio)) {
      facts.copied.insert(plain_copy(*e));
    } else if (auto text = data.get_strings(PixelSpacing); text && text->size() == 2) {
      const double row = std::strtod((*text)[0].c_str(), nullptr);
      const double column = std::strtod((*text)[1].c_str(), nullptr);
      if (row > 0 && column > 0 && row != column) {
        (void)facts.copied.set_strings(
            PixelAspectRatio, dcmdata::VR::IS,
            {std::to_string(std::lround(row * 1000)), std::to_string(std::lround(column * 1000))});
      }
    }
  }
  return uid(SOPClassUID, "SOP Class UID", facts.sop_class_uid) &&
         uid(SOPInstanceUID, "SOP Instance UID", facts.sop_instance_uid) &&
         uid(SeriesInstanceUID, "Series Instance UID", facts.series_uid);
}

std::string now_text(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), format, &tm);
  return buffer.data();
}

ofstd::Status set_empty(dcmdata::DataSet& data, dcmdata::Tag tag) {
  if (!data.contains(tag)) return data.set_string(tag, "");
  return {};
}

dcmdata::DataSet code_item(const char* value, const char* meaning) {
  dcmdata::DataSet item;
  (void)item.set_string(dcmdata::tags::CodeValue, value);
  (void)item.set_string(dcmdata::tags::CodingSchemeDesignator, "DCM");
  (void)item.set_string(dcmdata::tags::CodeMeaning, meaning);
  return item;
}

dcmdata::DataSet instance_item(const ImageFacts& facts) {
  dcmdata::DataSet item;
  (void)set_uid_text(item, dcmdata::tags::ReferencedSOPClassUID, facts.sop_class_uid);
  (void)set_uid_text(item, dcmdata::tags::ReferencedSOPInstanceUID, facts.sop_instance_uid);
  return item;
}

dcmdata::DataSet series_item(std::vector<dcmdata::DataSet> instances, const std::string& uid) {
  dcmdata::DataSet item;
  item.insert(
      dcmdata::Element::sequence(dcmdata::tags::ReferencedInstanceSequence, std::move(instances)));
  (void)set_uid_text(item, dcmdata::tags::SeriesInstanceUID, uid);
  return item;
}

// The Multi-frame Grayscale Byte/Word Secondary Capture image DCMTK's dcmicmp writes: the
// absolute differences times `amplify` (truncated, clamped to the sample range), one frame per
// frame and colour channel, with references to both images (PS3.3 A.8.3, C.12.2).
ofstd::Result<dcmdata::DataSet> difference_image(const App& app,
                                                 const dcmimage::ImageComparison& result,
                                                 const dcmimage::ComparisonImage& reference,
                                                 bool color, const ImageFacts& ref,
                                                 const ImageFacts& test, double amplify) {
  using namespace dcmdata::tags;  // NOLINT
  using dcmdata::VR;
  dcmdata::DataSet ds = ref.copied;
  DCMKIT_TRY(ds.refresh_character_set());
  const bool word = result.difference_bits > 8;
  DCMKIT_TRY(ds.set_strings(ImageType, VR::CS, {"DERIVED", "SECONDARY"}));
  const std::string date = now_text("%Y%m%d");
  const std::string time = now_text("%H%M%S");
  DCMKIT_TRY(ds.set_string(InstanceCreationDate, date));
  DCMKIT_TRY(ds.set_string(InstanceCreationTime, time));
  DCMKIT_TRY(ds.set_string(ContentDate, date));
  DCMKIT_TRY(ds.set_string(ContentTime, time));
  const dcmdata::Uid& sop_class =
      word ? dcmdata::uids::MultiFrameGrayscaleWordSecondaryCaptureImageStorage
           : dcmdata::uids::MultiFrameGrayscaleByteSecondaryCaptureImageStorage;
  DCMKIT_TRY(ds.set_uid(SOPClassUID, sop_class));
  DCMKIT_TRY(ds.set_string(SOPInstanceUID, ofstd::generate_uid()));
  DCMKIT_TRY(ds.set_string(SeriesInstanceUID, ofstd::generate_uid()));
  // DCMTK names itself as the creator; dcmkit does the same with its implementation UID.
  DCMKIT_TRY(ds.set_string(InstanceCreatorUID, dcmdata::kImplementationClassUid));
  DCMKIT_TRY(set_uid_text(ds, StudyInstanceUID, ref.study_uid));
  for (const dcmdata::Tag tag :
       {StudyDate, StudyTime, AccessionNumber, ReferringPhysicianName, PatientName, PatientID,
        PatientBirthDate, PatientSex, StudyID, PatientOrientation, Laterality}) {
    DCMKIT_TRY(set_empty(ds, tag));
  }
  DCMKIT_TRY(ds.set_string(Modality, "OT"));
  DCMKIT_TRY(ds.set_string(ConversionType, "SYN"));
  DCMKIT_TRY(ds.set_string(SeriesNumber, "1"));
  DCMKIT_TRY(ds.set_string(InstanceNumber, "1"));
  DCMKIT_TRY(ds.set_string(DerivationDescription,
                           "Difference image between reference and lossy compressed test image"));
  // Common Instance Reference module (PS3.3 C.12.2).
  std::vector<dcmdata::DataSet> series;
  std::vector<dcmdata::DataSet> other_studies;
  if (test.study_uid != ref.study_uid) {
    DCMKIT_LOG_WARN(app.logger(),
                    "Test image has a different Study Instance UID than the reference image.");
    series.push_back(series_item({instance_item(ref)}, ref.series_uid));
    dcmdata::DataSet study;
    study.insert(dcmdata::Element::sequence(ReferencedSeriesSequence,
                                            {series_item({instance_item(test)}, test.series_uid)}));
    DCMKIT_TRY(set_uid_text(study, StudyInstanceUID, test.study_uid));
    other_studies.push_back(std::move(study));
  } else if (test.series_uid != ref.series_uid) {
    DCMKIT_LOG_WARN(app.logger(),
                    "Test image has a different Series Instance UID than the reference image.");
    series.push_back(series_item({instance_item(ref)}, ref.series_uid));
    series.push_back(series_item({instance_item(test)}, test.series_uid));
  } else {
    series.push_back(series_item({instance_item(ref), instance_item(test)}, ref.series_uid));
  }
  ds.insert(dcmdata::Element::sequence(ReferencedSeriesSequence, std::move(series)));
  if (!other_studies.empty()) {
    ds.insert(dcmdata::Element::sequence(StudiesContainingOtherReferencedInstancesSequence,
                                         std::move(other_studies)));
  }
  std::vector<dcmdata::DataSet> sources;
  for (const auto& [facts, code, meaning] :
       {std::tuple{&ref, "121320", "Uncompressed predecessor"},
        std::tuple{&test, "121330", "Lossy compressed predecessor"}}) {
    dcmdata::DataSet item = instance_item(*facts);
    item.insert(
        dcmdata::Element::sequence(PurposeOfReferenceCodeSequence, {code_item(code, meaning)}));
    sources.push_back(std::move(item));
  }
  ds.insert(dcmdata::Element::sequence(SourceImageSequence, std::move(sources)));
  ds.insert(dcmdata::Element::sequence(DerivationCodeSequence,
                                       {code_item("113062", "Pixel by pixel subtraction")}));
  // Image Pixel module.
  const std::uint32_t frames = result.difference_frames;
  DCMKIT_TRY(ds.set_int(SamplesPerPixel, VR::US, 1));
  DCMKIT_TRY(ds.set_string(PhotometricInterpretation, "MONOCHROME2"));
  DCMKIT_TRY(ds.set_string(NumberOfFrames, std::to_string(frames)));
  if (frames > 1) {
    const dcmdata::Tag label = FrameLabelVector;
    DCMKIT_TRY(ds.set_tags(FrameIncrementPointer, std::span<const dcmdata::Tag>(&label, 1)));
    std::vector<std::string> labels;
    const std::uint64_t channels = color ? 3 : 1;
    for (std::uint64_t i = 0; i < frames; ++i) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "F%03llu",
                    static_cast<unsigned long long>(i / channels + 1));
      std::string text = buffer;
      if (color) text += "RGB"[i % 3];
      labels.push_back(std::move(text));
    }
    DCMKIT_TRY(ds.set_strings(FrameLabelVector, VR::SH, labels));
  }
  DCMKIT_TRY(ds.set_int(Rows, VR::US, reference.height()));
  DCMKIT_TRY(ds.set_int(Columns, VR::US, reference.width()));
  const std::int64_t bits = word ? 16 : 8;
  DCMKIT_TRY(ds.set_int(BitsAllocated, VR::US, bits));
  DCMKIT_TRY(ds.set_int(BitsStored, VR::US, bits));
  DCMKIT_TRY(ds.set_int(HighBit, VR::US, bits - 1));
  DCMKIT_TRY(ds.set_int(PixelRepresentation, VR::US, 0));
  DCMKIT_TRY(ds.set_string(BurnedInAnnotation, "YES"));
  DCMKIT_TRY(ds.set_string(RescaleIntercept, "0"));
  DCMKIT_TRY(ds.set_string(RescaleSlope, "1"));
  DCMKIT_TRY(ds.set_string(RescaleType, "US"));
  DCMKIT_TRY(ds.set_string(PresentationLUTShape, "IDENTITY"));
  const double top = word ? 65535.0 : 255.0;
  std::vector<std::byte> bytes;
  bytes.reserve(result.difference.size() * (word ? 2 : 1) + 1);
  for (const std::uint32_t d : result.difference) {
    const double scaled = std::min(std::trunc(static_cast<double>(d) * amplify), top);
    const auto v = static_cast<std::uint32_t>(scaled);
    bytes.push_back(static_cast<std::byte>(v & 0xFF));
    if (word) bytes.push_back(static_cast<std::byte>(v >> 8));
  }
  if (bytes.size() % 2 != 0) bytes.push_back(std::byte{0});
  DCMKIT_TRY(ds.set_bytes(PixelData, VR::OW, dcmdata::SharedBytes::from_vector(std::move(bytes))));
  return ds;
}

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void print_metrics(const dcmimage::ComparisonMetrics& m) {
  std::cout << "Max Absolute Error                     = " << m.max_absolute_error << "\n"
            << "Mean Absolute Error (MAE)              = " << m.mean_absolute_error << "\n"
            << "Root Mean Square Error (RMSE)          = " << m.root_mean_square_error << "\n"
            << "Peak Signal to Noise Ratio (PSNR) [dB] = " << m.peak_signal_to_noise_ratio << "\n"
            << "Signal to Noise Ratio (SNR) [dB]       = " << m.signal_to_noise_ratio << "\n";
  std::cout.flush();
}

// One input file, read and loaded for comparison; an exit code on failure.
struct Input {
  std::optional<dcmdata::DicomFile> file;
  std::optional<dcmimage::ComparisonImage> image;
  ImageFacts facts;
};

std::optional<int> load(const App& app, const std::string& path, bool reference,
                        const dcmdata::ReadOptions& read_options, const Settings& settings,
                        Input& input) {
  const std::string failure =
      std::string("Error while loading ") + (reference ? "reference" : "test") + " image: ";
  DCMKIT_LOG_INFO(app.logger(), "reading DICOM file: " << path);
  auto file = dcmdata::read_file(path, read_options);
  if (!file) {
    DCMKIT_LOG_ERROR(app.logger(), apps::read_error_message(file.error(), path));
    const bool missing = file.error().code() == ofstd::ErrorCode::NotFound ||
                         file.error().code() == ofstd::ErrorCode::IoError;
    return app.fatal(kExitCannotLoad,
                     failure + (missing ? "No such file or directory" : file.error().message()));
  }
  for (const dcmdata::Diagnostic& diagnostic : file->diagnostics) {
    DCMKIT_LOG_WARN(app.logger(), diagnostic.to_string());
  }
  input.file = std::move(*file);
  auto image = dcmimage::ComparisonImage::load(input.file->data, input.file->transfer_syntax,
                                               settings.comparison);
  if (!image) {
    DCMKIT_LOG_ERROR(app.logger(), image.error().message());
    const bool missing = image.error().code() == ofstd::ErrorCode::NotFound;
    if (missing) DCMKIT_LOG_ERROR(app.logger(), "Missing attribute");
    return app.fatal(kExitCannotLoad,
                     failure + (missing ? "Missing attribute" : image.error().message()));
  }
  input.image = std::move(*image);
  if (settings.difference_file && !read_facts(app, input.file->data, reference, input.facts)) {
    return app.fatal(kExitCannotLoad, failure + "Tag not found");
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  App app("dcmicmp", "Compare DICOM images and compute difference metrics");
  define_options(app.command_line());
  if (const auto exit_code = app.parse(argc, argv)) return *exit_code;
  Settings settings;
  if (const auto exit_code = read_settings(app, settings)) return *exit_code;
  const dcmdata::ReadOptions read_options = apps::input_format_options(app.args(), true);

  // dcmkit decodes every compressed transfer syntax it has a codec for; DCMTK's dcmicmp none.
  dcmimage::register_all_codecs();

  Input reference;
  Input test;
  if (auto code = load(app, app.args().param(0), true, read_options, settings, reference)) {
    return *code;
  }
  if (auto code = load(app, app.args().param(1), false, read_options, settings, test)) {
    return *code;
  }
  std::vector<std::string> warnings;
  const ofstd::Status configured =
      dcmimage::configure_comparison(*reference.image, *test.image, settings.comparison, warnings);
  for (const std::string& w : warnings) DCMKIT_LOG_WARN(app.logger(), w);
  if (!configured) {
    const std::string& message = configured.error().message();
    app.fatal(kExitConfigure, message);
    // The summary names what could not be set up: "cannot select VOI window", ...
    std::string summary = message.substr(0, message.find(' ', message.find("VOI ") + 4));
    if (message.rfind("cannot select VOI", 0) != 0) summary = message;
    return app.fatal(kExitConfigure, "Error while configuring display pipeline: " + summary);
  }
  if (const auto mismatch = dcmimage::find_mismatch(*reference.image, *test.image)) {
    app.fatal(kExitCompare, mismatch->detail);
    return app.fatal(kExitCompare, "Error while performing image comparison: " + mismatch->summary);
  }
  auto result =
      dcmimage::compare_images(*reference.image, *test.image, settings.difference_file.has_value());
  if (!result) {
    return app.fatal(kExitCompare,
                     "Error while performing image comparison: " + result.error().message());
  }
  const dcmimage::ComparisonMetrics& m = result->metrics;
  print_metrics(m);

  if (settings.difference_file) {
    auto image = difference_image(app, *result, *reference.image, !reference.image->is_monochrome(),
                                  reference.facts, test.facts, settings.amplify);
    if (!image) {
      return app.fatal(kExitCannotWrite,
                       "Error while writing difference image: " + image.error().message());
    }
    const dcmdata::TransferSyntax ts = dcmdata::explicit_vr_little_endian();
    auto meta = dcmdata::make_file_meta(*image, ts.uid());
    if (!meta) {
      return app.fatal(kExitCannotWrite,
                       "Error while writing difference image: " + meta.error().message());
    }
    dcmdata::WriteOptions write;
    write.sequence_lengths = dcmdata::LengthMode::Undefined;
    write.item_lengths = dcmdata::LengthMode::Undefined;
    auto written = dcmdata::write_file(*settings.difference_file, *meta, *image, ts, write);
    if (!written) {
      const bool missing = written.error().code() == ofstd::ErrorCode::NotFound ||
                           written.error().code() == ofstd::ErrorCode::IoError;
      return app.fatal(kExitCannotWrite, "Error while writing difference image: " +
                                             (missing ? std::string("No such file or directory")
                                                      : written.error().message()));
    }
  }

  const Limits& limits = settings.limits;
  if (limits.max_error && m.max_absolute_error > *limits.max_error) {
    return app.fatal(kExitMaxError, "Maximum absolute error " +
                                        std::to_string(m.max_absolute_error) + " exceeds limit " +
                                        std::to_string(*limits.max_error));
  }
  if (limits.mae && m.mean_absolute_error > *limits.mae) {
    return app.fatal(kExitMae, "Mean absolute error " + number(m.mean_absolute_error) +
                                   " exceeds limit " + number(*limits.mae));
  }
  if (limits.rmse && m.root_mean_square_error > *limits.rmse) {
    return app.fatal(kExitRmse, "Root mean square error (RMSE) " +
                                    number(m.root_mean_square_error) + " exceeds limit " +
                                    number(*limits.rmse));
  }
  if (limits.psnr && m.peak_signal_to_noise_ratio < *limits.psnr) {
    return app.fatal(kExitPsnr, "Peak signal to noise ratio (PSNR) " +
                                    number(m.peak_signal_to_noise_ratio) + " below limit " +
                                    number(*limits.psnr));
  }
  if (limits.snr && m.signal_to_noise_ratio < *limits.snr) {
    return app.fatal(kExitSnr, "Signal to noise ratio (SNR) " + number(m.signal_to_noise_ratio) +
                                   " below limit " + number(*limits.snr));
  }
  return ofstd::kExitNoError;
}

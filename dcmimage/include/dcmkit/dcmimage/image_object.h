// SPDX-License-Identifier: BSD-3-Clause
// DICOM image objects made from imported images (image_import.h): Secondary Capture, the
// multi-frame Secondary Capture classes, VL Photographic and Ophthalmic Photography, with the
// modules DCMTK's img2dcm fills, then DCMTK's attribute checks (type 2 inserted, type 1
// invented).
//
//   ImageObjectOptions options;
//   options.iod = ImageIod::VLPhotographic;
//   auto object = make_image_object(frames, options);            // Result<ImageObject>
//   ... apply overrides to object->data ...
//   auto problems = check_image_object(object->data, options);   // empty: fine
//   finish_image_object(object->data, frames);                   // lossy compression info
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmimage/image_import.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage {

/// The IODs img2dcm writes (its "target SOP class" options).
enum class ImageIod : std::uint8_t {
  SecondaryCapture,            ///< -sc: Secondary Capture Image (single frame), PS3.3 A.8.1
  MultiFrameSecondaryCapture,  ///< -nsc: Multi-frame Grayscale Byte/Word or True Color SC
  VLPhotographic,              ///< -vlp: VL Photographic Image (single frame), PS3.3 A.33.4
  OphthalmicPhotography,       ///< -oph: Ophthalmic Photography 8/16 Bit Image, PS3.3 A.39
};

/// The IOD's name in messages ("Secondary Capture Image SOP Class", ...), as DCMTK names it.
std::string_view image_iod_name(ImageIod iod) noexcept;

/// Where the non-pixel attributes come from and which checks run.
struct ImageObjectOptions {
  ImageIod iod = ImageIod::SecondaryCapture;
  /// -df/-dx: every attribute of this data set except the Image Pixel module, SOP Class and
  /// SOP Instance UID (and the palette, ICC profile, ...). Must outlive the call.
  const dcmdata::DataSet* template_data = nullptr;
  /// -stf/-sef: patient and study attributes (and with `series_from_source`, series) from
  /// here; its Specific Character Set is taken over or, if the template has another one, the
  /// values are converted (InvalidArgument if they cannot be).
  const dcmdata::DataSet* study_source = nullptr;
  bool series_from_source = false;
  /// -Cd / -Ct: characters of the source that the template's character set cannot represent
  /// are left out instead of failing (dcmkit has no transliteration table, so -Ct does the same).
  bool discard_illegal = false;
  /// -ii: Instance Number of the source (or template) plus one.
  bool increment_instance = false;
  /// --do-checks (default) / --no-checks; +i2/-i2; +i1/-i1.
  bool do_checks = true;
  bool insert_type2 = true;
  bool invent_type1 = true;
  /// "Now" for the invented Content Date/Time and Acquisition DateTime (Ophthalmic
  /// Photography): YYYYMMDD and HHMM; empty for the current local time.
  std::string date;
  std::string time;
};

/// The object before overrides and checks.
struct ImageObject {
  dcmdata::DataSet data;
  std::string transfer_syntax_uid;  ///< Explicit VR Little Endian, or the JPEG syntax
};

/// Builds the object: template, study/series source, Instance Number, new UIDs where missing,
/// the Image Pixel module and Pixel Data from `frames` (native data as OW; JPEG streams one
/// fragment per frame, Basic Offset Table filled), and the IOD's own attributes
/// (SOP Class by bit depth and colour where the IOD has several, multi-frame attributes).
/// InvalidArgument if the frames differ in their description ("value of Rows not equal for
/// all frames ...") or do not fit the IOD (several frames for a single-frame IOD, 16-bit data
/// for VL Photographic, ...); NotFound/MalformedData for a source without Study/Series
/// Instance UID or, with -ii, Instance Number.
ofstd::Result<ImageObject> make_image_object(std::span<const ImportedImage> frames,
                                             const ImageObjectOptions& options);

/// DCMTK's checks after the overrides: missing type 2 attributes inserted empty (or reported
/// with insert_type2 false), empty or missing type 1 attributes given their default value (or
/// reported with invent_type1 false; attributes without a default are always reported). Returns
/// one line per problem in DCMTK's words ("I2DOutputPlug: Missing type 1 attribute:
/// ImageLaterality"); empty if the object is fine. Does nothing with do_checks false.
std::vector<std::string> check_image_object(dcmdata::DataSet& data,
                                            const ImageObjectOptions& options);

/// Adds what only the whole object tells: for lossy (JPEG) frames Lossy Image Compression "01",
/// the method ISO_10918_1 and the ratio (mean over the frames of uncompressed size over stream
/// length, 5 significant digits), as DCMTK does after its checks.
ofstd::Status finish_image_object(dcmdata::DataSet& data, std::span<const ImportedImage> frames);

}  // namespace dcmkit::dcmimage

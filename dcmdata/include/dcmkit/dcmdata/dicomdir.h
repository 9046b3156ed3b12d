// SPDX-License-Identifier: BSD-3-Clause
// Building DICOMDIRs (PS3.10 §8, PS3.3 Annex F, PS3.11 application profiles): directory records
// made from the files of a file-set, grouped PATIENT > STUDY > SERIES > leaf, written with the
// record offsets resolved by the writer (write_file() relocates them).
//
//   DicomDirOptions options;
//   options.file_set_id = "MY_FILESET";
//   DicomDirBuilder builder(options);
//   auto file = read_file("CD/IMG/IM1");
//   auto id = file_id_from_path("IMG/IM1", false);                    // "IMG\IM1"
//   DicomDirAddResult added = builder.add(*file, *id, "CD/IMG/IM1");  // messages say why not
//   auto dicomdir = builder.build();
//   DCMKIT_TRY(write_file("CD/DICOMDIR", dicomdir->meta, dicomdir->data,
//                         explicit_vr_little_endian()));
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmdata {

/// The application profiles of PS3.11 that a DICOMDIR is built for (DCMTK's dcmmkdir -P...).
enum class MediaProfile : std::uint8_t {
  GeneralPurpose,              ///< STD-GEN-CD/DVD-RAM
  GeneralDvdJpeg,              ///< STD-GEN-DVD-JPEG
  GeneralDvdJpeg2000,          ///< STD-GEN-DVD-J2K
  GeneralBdJpeg,               ///< STD-GEN-BD-JPEG
  GeneralBdJpeg2000,           ///< STD-GEN-BD-J2K
  GeneralBdMpeg2MainMain,      ///< STD-GEN-BD-MPEG2-MPML
  GeneralBdMpeg2MainHigh,      ///< STD-GEN-BD-MPEG2-MPHL
  GeneralBdMpeg4High41,        ///< STD-GEN-BD-MPEG4-HPLV41
  GeneralBdMpeg4High41Bd,      ///< STD-GEN-BD-MPEG4-HPLV41BD
  GeneralBdMpeg4High42For2d,   ///< STD-GEN-BD-MPEG4-HPLV42-2D
  GeneralBdMpeg4High42For3d,   ///< STD-GEN-BD-MPEG4-HPLV42-3D
  GeneralBdMpeg4StereoHigh42,  ///< STD-GEN-BD-MPEG4-SHPLV42
  UsbFlashJpeg,                ///< STD-GEN-USB/MMC/CF/SD-JPEG
  UsbFlashJpeg2000,            ///< STD-GEN-USB/MMC/CF/SD-J2K
  GeneralMime,                 ///< STD-GEN-MIME
  DvdMpeg2MainMain,            ///< STD-DVD-MPEG2-MPML
  BasicCardiac,                ///< STD-XABC-CD
  XrayAngiographic,            ///< STD-XA1K-CD
  XrayAngiographicDvd,         ///< STD-XA1K-DVD
  DentalRadiograph,            ///< STD-DEN-CD
  CtAndMr,                     ///< STD-CTMR-xxxx
  UltrasoundIdSf,              ///< STD-US-ID-SF-xxxx
  UltrasoundScSf,              ///< STD-US-SC-SF-xxxx
  UltrasoundCcSf,              ///< STD-US-CC-SF-xxxx
  UltrasoundIdMf,              ///< STD-US-ID-MF-xxxx
  UltrasoundScMf,              ///< STD-UD-SC-MF-xxxx (DCMTK's spelling)
  UltrasoundCcMf,              ///< STD-UD-CC-MF-xxxx (DCMTK's spelling)
  TwelveLeadEcg,               ///< STD-WVFM-ECG-FD
  HemodynamicWaveform,         ///< STD-WVFM-HD-FD
};

/// The profile's identifier as PS3.11 (and DCMTK's messages) spell it, e.g. "STD-GEN-CD/DVD-RAM".
std::string_view profile_name(MediaProfile profile) noexcept;

/// What happens when a file disagrees with a record that is already in the DICOMDIR.
enum class ConsistencyCheck : std::uint8_t {
  Off,    ///< do not compare
  Warn,   ///< add the file, report the differences as warnings
  Abort,  ///< report the differences as errors and refuse the file (the caller stops)
};

/// One thing the builder has to say about a file, in DCMTK's words.
struct DicomDirMessage {
  enum class Level : std::uint8_t { Info, Warning, Error };
  Level level = Level::Info;
  std::string text;
};

/// Makes the pixels of an IMAGE record's icon (PS3.3 F.7): `size` x `size` 8-bit grey values
/// of `file`, rows top to bottom, or an empty vector for a black icon; what it has to say goes to
/// `messages`. dcmdata does not render images, so the caller supplies this (dcmmkdir uses
/// dcmimage::make_icon()). `source_name` is the name add() was given for the file.
using IconMaker = std::function<std::vector<std::uint8_t>(
    const DicomFile& file, std::string_view source_name, std::uint32_t size,
    std::vector<DicomDirMessage>& messages)>;

/// How DICOMDIRs are built (dcmmkdir's processing options).
struct DicomDirOptions {
  MediaProfile profile = MediaProfile::GeneralPurpose;
  /// File-set ID (0004,1130), CS of at most 16 characters; empty writes the element empty.
  std::string file_set_id;
  /// File-set Descriptor File ID (0004,1141) as a file ID ("README" or "DOC\README"); empty: none.
  std::string descriptor_file_id;
  /// Its Specific Character Set (0004,1142); used only with a descriptor.
  std::string descriptor_charset;
  ConsistencyCheck consistency = ConsistencyCheck::Warn;
  /// Invent missing type 1 keys (PatientID, StudyID, dates, numbers) instead of refusing the file.
  bool invent_attributes = false;
  /// Give a patient a new invented PatientID when its PatientName differs from the record with
  /// the same PatientID.
  bool invent_patient_id = false;
  /// Accept SOP classes the standard has retired.
  bool allow_retired_sop_classes = false;
  /// Refuse files whose transfer syntax the profile does not allow (false: warn only).
  bool check_transfer_syntax = true;
  /// Refuse images whose pixel encoding the profile does not allow (false: warn only).
  bool check_encoding = true;
  /// Refuse images whose matrix the profile does not allow (false: warn only).
  bool check_resolution = true;
  /// Icon Image Sequence in every IMAGE record (dcmmkdir +X). The Basic Cardiac and X-ray
  /// angiographic profiles always have 128 x 128 icons, CT/MR 64 x 64 ones. With this set, JPEG
  /// 2000 images are refused (DCMTK's dcmmkdir cannot decode them).
  bool add_icons = false;
  /// Width and height of the icons of +X for the other profiles (dcmmkdir -Xs, 1..128).
  std::uint32_t icon_size = 64;
  /// Makes the icons; without it they are black.
  IconMaker icon_maker;
};

/// What add() did with a file.
struct DicomDirAddResult {
  /// The file's records are in the directory now (or were already, for an unchanged file).
  bool added = false;
  /// Consistency check with ConsistencyCheck::Abort failed: the caller should stop.
  bool abort = false;
  std::vector<DicomDirMessage> messages;
};

/// A DICOMDIR ready for write_file(): its meta group and data set. The records' offsets are
/// placeholders that write_file()/write_part10() resolve to the records' byte positions.
struct DicomDirFile {
  DataSet meta;
  DataSet data;
};

/// Collects directory records. Not thread-safe; const methods are safe concurrently.
class DicomDirBuilder {
 public:
  explicit DicomDirBuilder(DicomDirOptions options);
  DicomDirBuilder(DicomDirBuilder&&) noexcept;
  DicomDirBuilder& operator=(DicomDirBuilder&&) noexcept;
  ~DicomDirBuilder();

  /// Starts from an existing DICOMDIR (to append or update), following its record offsets.
  /// MalformedData if it is not a DICOMDIR or its offsets are broken (dangling, cyclic).
  static ofstd::Result<DicomDirBuilder> from_existing(const DicomFile& dicomdir,
                                                      DicomDirOptions options);

  /// Checks `file` against the profile's rules and adds records for it: PATIENT, STUDY and
  /// SERIES as needed, and the leaf record the SOP class calls for (PS3.3 F.5), referring to it
  /// as `file_id` ("DIR\FILE", see file_id_from_path()). `source_name` names the file in
  /// messages. With `update`, a leaf record for the same SOP instance is refreshed from the file;
  /// without, an existing one is kept.
  DicomDirAddResult add(const DicomFile& file, std::string_view file_id,
                        std::string_view source_name, bool update = false);

  /// Number of records (all levels).
  std::size_t record_count() const noexcept;

  /// The DICOMDIR: a new Media Storage SOP Instance UID (or the existing one), File-set ID and
  /// descriptor, records in depth-first order with next/lower offsets linked.
  ofstd::Result<DicomDirFile> build() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Converts a path relative to the file-set root into a Referenced File ID value (PS3.10 §8.5,
/// PS3.12 Annex F): components joined by '\', each 1-8 of A-Z, 0-9 and '_', at most 8 of them.
/// With `map_filenames`, lower case letters become upper case and a trailing '.' is dropped
/// (dcmmkdir +m). InvalidArgument names the offending path ("invalid character(s) in filename").
ofstd::Result<std::string> file_id_from_path(const std::filesystem::path& relative,
                                             bool map_filenames);

/// The directory record type (0004,1430) PS3.3 F.5 assigns to a storage SOP class ("IMAGE",
/// "SR DOCUMENT", "ENCAP DOC", ...), or empty if the class has no record type.
std::string_view record_type_for_sop_class(std::string_view sop_class_uid) noexcept;

}  // namespace dcmkit::dcmdata

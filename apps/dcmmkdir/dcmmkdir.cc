// SPDX-License-Identifier: BSD-3-Clause
// dcmmkdir (and dcmgpdir): create or update a DICOMDIR for a file-set (PS3.10 §8, PS3.11
// application profiles); a drop-in replacement for DCMTK's dcmmkdir (see docs/dcmmkdir.md).
#include <fnmatch.h>

#include <array>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "common/app.h"
#include "dcmkit/dcmdata/codec.h"
#include "dcmkit/dcmdata/dicomdir.h"
#include "dcmkit/dcmdata/file.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/dcmimage/codecs/jpeg.h"
#include "dcmkit/dcmimage/icon_image.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

using dcmkit::apps::App;
using namespace dcmkit;  // NOLINT: a program's main file
namespace fs = std::filesystem;

struct ProfileOption {
  const char* short_name;
  const char* long_name;
  const char* help;
  dcmdata::MediaProfile profile;
};

using P = dcmdata::MediaProfile;
const std::array kProfiles{
    ProfileOption{"-Pgp", "--general-purpose",
                  "General Purpose Interchange on CD-R or\nDVD-RAM Media (STD-GEN-CD/DVD-RAM, "
                  "default)",
                  P::GeneralPurpose},
    ProfileOption{"-Pdv", "--general-dvd-jpeg",
                  "General Purpose DVD Interchange with JPEG\n(STD-GEN-DVD-JPEG)",
                  P::GeneralDvdJpeg},
    ProfileOption{"-Pd2", "--general-dvd-j2k",
                  "General Purpose DVD Interchange with JPEG\n2000 (STD-GEN-DVD-J2K)",
                  P::GeneralDvdJpeg2000},
    ProfileOption{"-Pbd", "--general-bd-jpeg",
                  "General Purpose BD Interchange with JPEG\n(STD-GEN-BD-JPEG)", P::GeneralBdJpeg},
    ProfileOption{"-Pb2", "--general-bd-j2k",
                  "General Purpose BD Interchange with JPEG\n2000 (STD-GEN-BD-J2K)",
                  P::GeneralBdJpeg2000},
    ProfileOption{"-Pbm", "--general-bd-mpeg2-mpml",
                  "General Purpose BD Interchange with MPEG2\nMP@ML (STD-GEN-BD-MPEG2-MPML)",
                  P::GeneralBdMpeg2MainMain},
    ProfileOption{"-Pbh", "--general-bd-mpeg2-mphl",
                  "General Purpose BD Interchange with MPEG2\nMP@HL (STD-GEN-BD-MPEG2-MPHL)",
                  P::GeneralBdMpeg2MainHigh},
    ProfileOption{"-Pba", "--general-bd-mpeg4-hp",
                  "General Purpose BD Interchange with MPEG-4\nAVC/H.264 HiP@Level4.1\n"
                  "(STD-GEN-BD-MPEG4-HPLV41)",
                  P::GeneralBdMpeg4High41},
    ProfileOption{"-Pbb", "--general-bd-mpeg4-hpbd",
                  "General Purpose BD Interchange with MPEG-4\nAVC/H.264 BD-Compatible "
                  "HiP@Level4.1\n(STD-GEN-BD-MPEG4-HPLV41BD)",
                  P::GeneralBdMpeg4High41Bd},
    ProfileOption{"", "--general-bd-mpeg4-hp2d",
                  "General Purpose BD Interchange with MPEG-4\nAVC/H.264 HiP@Level4.2 for 2D "
                  "video\n(STD-GEN-BD-MPEG4-HPLV42-2D)",
                  P::GeneralBdMpeg4High42For2d},
    ProfileOption{"", "--general-bd-mpeg4-hp3d",
                  "General Purpose BD Interchange with MPEG-4\nAVC/H.264 HiP@Level4.2 for 3D "
                  "video\n(STD-GEN-BD-MPEG4-HPLV42-3D)",
                  P::GeneralBdMpeg4High42For3d},
    ProfileOption{"", "--general-bd-mpeg4-hpst",
                  "General Purpose BD Interchange with MPEG-4\nAVC/H.264 Stereo HiP@Level4.2\n"
                  "(STD-GEN-BD-MPEG4-SHPLV42)",
                  P::GeneralBdMpeg4StereoHigh42},
    ProfileOption{"-Pfl", "--usb-and-flash-jpeg",
                  "General Purpose USB/Flash Memory Interchange\nwith JPEG "
                  "(STD-GEN-USB/MMC/CF/SD-JPEG)",
                  P::UsbFlashJpeg},
    ProfileOption{"-Pf2", "--usb-and-flash-j2k",
                  "General Purpose USB/Flash Memory Interchange\nwith JPEG 2000 "
                  "(STD-GEN-USB/MMC/CF/SD-J2K)",
                  P::UsbFlashJpeg2000},
    ProfileOption{"-Pmi", "--general-mime", "General Purpose MIME Interchange\n(STD-GEN-MIME)",
                  P::GeneralMime},
    ProfileOption{"-Pmp", "--mpeg2-mpml-dvd",
                  "DVD Interchange with MPEG2 Main Profile @\nMain Level (STD-DVD-MPEG2-MPML)",
                  P::DvdMpeg2MainMain},
    ProfileOption{"-Pbc", "--basic-cardiac",
                  "Basic Cardiac X-Ray Angiographic Studies on\nCD-R Media (STD-XABC-CD)",
                  P::BasicCardiac},
    ProfileOption{"-Pxa", "--xray-angiographic",
                  "1024 X-Ray Angiographic Studies on CD-R Media\n(STD-XA1K-CD)",
                  P::XrayAngiographic},
    ProfileOption{"-Pxd", "--xray-angiographic-dvd",
                  "1024 X-Ray Angiographic Studies on DVD Media\n(STD-XA1K-DVD)",
                  P::XrayAngiographicDvd},
    ProfileOption{"-Pde", "--dental-radiograph", "Dental Radiograph Interchange (STD-DEN-CD)",
                  P::DentalRadiograph},
    ProfileOption{"-Pcm", "--ct-and-mr", "CT/MR Studies (STD-CTMR-xxxx)", P::CtAndMr},
    ProfileOption{"-Pus", "--ultrasound-id-sf",
                  "Ultrasound Single Frame for Image Display\n(STD-US-ID-SF-xxxx)",
                  P::UltrasoundIdSf},
    ProfileOption{"", "--ultrasound-sc-sf",
                  "Ultrasound Single Frame with Spatial\nCalibration (STD-US-SC-SF-xxxx)",
                  P::UltrasoundScSf},
    ProfileOption{"", "--ultrasound-cc-sf",
                  "Ultrasound Single Frame with Combined\nCalibration (STD-US-CC-SF-xxxx)",
                  P::UltrasoundCcSf},
    ProfileOption{"-Pum", "--ultrasound-id-mf",
                  "Ultrasound Single & Multi-Frame for Image\nDisplay (STD-US-ID-MF-xxxx)",
                  P::UltrasoundIdMf},
    ProfileOption{"", "--ultrasound-sc-mf",
                  "Ultrasound Single & Multi-Frame with Spatial\nCalibration (STD-UD-SC-MF-xxxx)",
                  P::UltrasoundScMf},
    ProfileOption{"", "--ultrasound-cc-mf",
                  "Ultrasound Single & Multi-Frame with Combined\nCalibration "
                  "(STD-UD-CC-MF-xxxx)",
                  P::UltrasoundCcMf},
    ProfileOption{"-Pec", "--12-lead-ecg", "12-lead ECG Interchange on Diskette\n(STD-WVFM-ECG-FD)",
                  P::TwelveLeadEcg},
    ProfileOption{"-Phd", "--hemodynamic-waveform",
                  "Hemodynamic Waveform Interchange on Diskette\n(STD-WVFM-HD-FD)",
                  P::HemodynamicWaveform},
};

void define_options(ofstd::CommandLine& cl) {
  cl.add_parameter("dcmfile-in", "ref. DICOM file (or directory to be scanned)",
                   ofstd::Cardinality::ZeroOrMore);
  cl.add_group("input options:");
  cl.add_subgroup("DICOMDIR identifiers:");
  cl.add_option(
      "+F", "--fileset-id",
      "[i]d: string\nuse specific file-set ID\n(default: DCMTK_MEDIA_DEMO, \"\" for none)", 1);
  cl.add_option("+R", "--descriptor",
                "[f]ilename: string\nadd a file-set descriptor file ID\n"
                "(e.g. README, default: no descriptor)",
                1);
  cl.add_option("+C", "--char-set",
                "[c]harset: string\nadd a specific character set for descriptor\n"
                "(default: \"ISO_IR 100\" if descriptor present)",
                1);
  cl.add_subgroup("reading:");
  cl.add_option("+id", "--input-directory",
                "[d]irectory: string\nread referenced DICOM files from directory d\n"
                "(default for --recurse: current directory)",
                1);
  cl.add_option("-m", "--keep-filenames", "expect filenames to be in DICOM format (def.)");
  cl.add_option("+m", "--map-filenames",
                "map to DICOM filenames (lowercase->uppercase,\nand remove trailing period)");
  cl.add_option("-r", "--no-recurse", "do not recurse within directories (default)");
  cl.add_option("+r", "--recurse", "recurse within filesystem directories");
  cl.add_option("+p", "--pattern",
                "[p]attern: string (only with --recurse)\npattern for filename matching "
                "(wildcards)",
                1);
  cl.add_group("processing options:");
  cl.add_subgroup("consistency check:");
  cl.add_option("-W", "--no-consistency-check", "do not check files for consistency");
  cl.add_option("+W", "--warn-inconsist-files", "warn about inconsistent files (default)");
  cl.add_option("-a", "--abort-inconsist-file", "abort on first inconsistent file");
  cl.add_subgroup("type 1 attributes:");
  cl.add_option("-I", "--strict",
                "exit with error if DICOMDIR type 1 attributes\nare missing in DICOM file "
                "(default)");
  cl.add_option("+I", "--invent", "invent DICOMDIR type 1 attributes\nif missing in DICOM file");
  cl.add_option("+Ipi", "--invent-patient-id",
                "invent new PatientID in case of inconsistent\nPatientName attributes");
  cl.add_subgroup("other checks:");
  cl.add_option("+Nrs", "--allow-retired-sop",
                "allow retired SOP classes defined in previous\neditions of the DICOM standard");
  cl.add_option("-Nxc", "--no-xfer-check",
                "do not reject images with non-standard\ntransfer syntax (just warn)");
  cl.add_option("-Nec", "--no-encoding-check",
                "do not reject images with non-standard\npixel encoding (just warn)");
  cl.add_option("-Nrc", "--no-resolution-check",
                "do not reject images with non-standard\nspatial resolution (just warn)");
  cl.add_subgroup("icon images:");
  cl.add_option("+X", "--add-icon-image",
                "add monochrome icon image on IMAGE level\n(default for cardiac profiles)");
  cl.add_option("-Xs", "--icon-image-size",
                "[s]ize: integer (1..128)\nwidth and height of the icon image (in pixel)\n"
                "(fixed: 128 for XA, 64 for CT/MR profile)",
                1);
  cl.add_option("-Xi", "--icon-file-prefix",
                "[p]refix: string\nuse PGM image 'prefix'+'dcmfile-in' as icon\n"
                "(default: create icon from DICOM image)",
                1);
  cl.add_option("-Xd", "--default-icon",
                "[f]ilename: string\nuse specified PGM image if icon cannot be\n"
                "created automatically (default: black image)",
                1);
  cl.add_group("output options:");
  cl.add_subgroup("DICOMDIR file:");
  cl.add_option("+D", "--output-file",
                "[f]ilename: string\ngenerate specific DICOMDIR file\n"
                "(default: DICOMDIR in current directory)",
                1);
  cl.add_subgroup("profiles:");
  for (const ProfileOption& p : kProfiles) cl.add_option(p.short_name, p.long_name, p.help);
  cl.add_subgroup("writing:");
  cl.add_option("-A", "--replace", "replace existing DICOMDIR (default)");
  cl.add_option("+A", "--append", "append to existing DICOMDIR");
  cl.add_option("+U", "--update", "update existing DICOMDIR");
  cl.add_option("-w", "--discard", "do not write out DICOMDIR");
  cl.add_subgroup("backup:");
  cl.add_option("", "--create-backup", "create a backup of existing DICOMDIR (def.)");
  cl.add_option("-nb", "--no-backup", "do not create a backup of existing DICOMDIR");
  cl.add_subgroup("post-1993 value representations:");
  cl.add_option("+u", "--enable-new-vr", "enable support for new VRs (UN/UT) (default)");
  cl.add_option("-u", "--disable-new-vr", "disable support for new VRs, convert to OB");
  cl.add_subgroup("group length encoding:");
  cl.add_option("-g", "--group-length-remove", "write without group length elements (default)");
  cl.add_option("+g", "--group-length-create", "write with group length elements");
  cl.add_subgroup("length encoding in sequences and items:");
  cl.add_option("+e", "--length-explicit", "write with explicit lengths (default)");
  cl.add_option("-e", "--length-undefined", "write with undefined lengths");
}

void log_messages(const App& app, const std::vector<dcmdata::DicomDirMessage>& messages) {
  for (const dcmdata::DicomDirMessage& m : messages) {
    switch (m.level) {
      case dcmdata::DicomDirMessage::Level::Info:
        DCMKIT_LOG_INFO(app.logger(), m.text);
        break;
      case dcmdata::DicomDirMessage::Level::Warning:
        DCMKIT_LOG_WARN(app.logger(), m.text);
        break;
      case dcmdata::DicomDirMessage::Level::Error:
        DCMKIT_LOG_ERROR(app.logger(), m.text);
        break;
    }
  }
}

// Collects the files below `directory` (relative name `prefix`) in directory order, as DCMTK's
// recursive search does.
void scan_directory(const fs::path& root, const fs::path& relative, const std::string& pattern,
                    std::vector<fs::path>& out, int depth) {
  if (depth > 64) return;
  std::error_code ec;
  fs::directory_iterator it(root / relative, ec);
  if (ec) return;
  for (const fs::directory_entry& entry : it) {
    const fs::path name =
        relative.empty() ? entry.path().filename() : relative / entry.path().filename();
    std::error_code type_error;
    if (entry.is_directory(type_error)) {
      scan_directory(root, name, pattern, out, depth + 1);
    } else if (pattern.empty() ||
               ::fnmatch(pattern.c_str(), entry.path().filename().c_str(), 0) == 0) {
      out.push_back(name);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool gpdir = argc > 0 && fs::path(argv[0]).filename() == "dcmgpdir";
  App app(gpdir ? "dcmgpdir" : "dcmmkdir", "Create a DICOMDIR file");
  define_options(app.command_line());
  // Without arguments DCMTK's dcmmkdir prints its help and ends successfully.
  std::array<const char*, 2> help_argv{argc > 0 ? argv[0] : "dcmmkdir", "--help"};
  const auto exit_code = argc <= 1 ? app.parse(2, help_argv.data()) : app.parse(argc, argv);
  if (exit_code) return *exit_code;
  const ofstd::ParsedCommandLine& args = app.args();
  constexpr int kFailure = 1;  // DCMTK's dcmmkdir ends with 1 on every failure

  dcmdata::DicomDirOptions options;
  options.file_set_id = args.value("+F").value_or("DCMTK_MEDIA_DEMO");
  if (args.has("+R")) {
    options.descriptor_file_id = *args.value("+R");
    options.descriptor_charset = args.value("+C").value_or("ISO_IR 100");
  }
  // The rightmost profile option wins.
  for (const auto& occurrence : args.all_occurrences()) {
    const auto& names = args.option_names(occurrence.option);
    for (const ProfileOption& p : kProfiles) {
      if (names.long_name == p.long_name) options.profile = p.profile;
    }
  }
  const auto consistency = args.last_of({"-W", "+W", "-a"});
  options.consistency = consistency == "-W"   ? dcmdata::ConsistencyCheck::Off
                        : consistency == "-a" ? dcmdata::ConsistencyCheck::Abort
                                              : dcmdata::ConsistencyCheck::Warn;
  options.invent_attributes = args.last_of({"-I", "+I"}) == "+I";
  options.invent_patient_id = args.has("+Ipi");
  options.allow_retired_sop_classes = args.has("+Nrs");
  options.check_transfer_syntax = !args.has("-Nxc");
  options.check_encoding = !args.has("-Nec");
  options.check_resolution = !args.has("-Nrc");
  if (args.has("-Xs")) {
    auto size = args.value_as_int("-Xs", ofstd::IntBounds::range(1, 128));
    if (!size) return app.usage_error(size.error());
    options.icon_size = static_cast<std::uint32_t>(*size);
  }
  options.add_icons = args.has("+X");
  options.icon_maker = [prefix = args.value("-Xi").value_or(""),
                        fallback = args.value("-Xd").value_or("")](
                           const dcmdata::DicomFile& file, std::string_view source,
                           std::uint32_t size, std::vector<dcmdata::DicomDirMessage>& messages) {
    using Level = dcmdata::DicomDirMessage::Level;
    // An icon from a PGM file 'prefix' + the file's name (-Xi), else from the image.
    if (!prefix.empty()) {
      auto pgm = dcmimage::read_pgm_icon(prefix + std::string(source), size);
      if (pgm) return std::move(*pgm);
      messages.push_back({Level::Error, pgm.error().message()});
    } else {
      auto icon = dcmimage::make_icon(file.data, file.transfer_syntax, size);
      if (icon) return std::move(*icon);
      messages.push_back({Level::Warning, icon.error().message()});
      messages.push_back(
          {Level::Warning, "cannot create monochrome icon from image file, using default"});
    }
    // Then the default icon (-Xd); without one the icon stays black.
    if (!fallback.empty()) {
      auto pgm = dcmimage::read_pgm_icon(fallback, size);
      if (pgm) return std::move(*pgm);
      messages.push_back({Level::Error, pgm.error().message()});
    }
    return std::vector<std::uint8_t>{};
  };
  // DCMTK's dcmmkdir decodes RLE and JPEG images for icons, not JPEG-LS or JPEG 2000.
  dcmdata::register_rle_codec();
  dcmimage::register_jpeg_codecs();
  if (auto status = args.check_dependence("+p", "+r"); !status) {
    return app.usage_error(status.error());
  }

  const bool map_filenames = args.last_of({"-m", "+m"}) == "+m";
  const bool recurse = args.last_of({"-r", "+r"}) == "+r";
  const std::string pattern = args.value("+p").value_or("");
  const fs::path input_directory = args.value("+id").value_or("");
  const fs::path output = args.value("+D").value_or("DICOMDIR");
  const auto mode = args.last_of({"-A", "+A", "+U"});
  const bool append = mode == "+A" || mode == "+U";
  const bool update = mode == "+U";
  const bool discard = args.has("-w");

  dcmdata::WriteOptions write;
  write.group_lengths = args.last_of({"-g", "+g"}) == "+g" ? dcmdata::GroupLengthMode::Create
                                                           : dcmdata::GroupLengthMode::Remove;
  const bool undefined = args.last_of({"+e", "-e"}) == "-e";
  write.sequence_lengths =
      undefined ? dcmdata::LengthMode::Undefined : dcmdata::LengthMode::Explicit;
  write.item_lengths = write.sequence_lengths;
  write.disable_new_vrs = args.last_of({"+u", "-u"}) == "-u";

  if (!input_directory.empty()) {
    std::error_code ec;
    if (!fs::is_directory(input_directory, ec)) {
      return app.fatal(kFailure, "invalid input directory: " + input_directory.string());
    }
  }

  // The input files, relative to the input directory.
  DCMKIT_LOG_INFO(app.logger(), "determining input files ...");
  std::vector<fs::path> files;
  std::vector<std::string> params = args.params();
  if (params.empty() && recurse) params.emplace_back("");
  for (const std::string& param : params) {
    const fs::path full = input_directory.empty() ? fs::path(param) : input_directory / param;
    std::error_code ec;
    if (fs::is_directory(
            param.empty() ? (input_directory.empty() ? fs::path(".") : input_directory) : full,
            ec)) {
      if (recurse) {
        scan_directory(input_directory.empty() ? fs::path(".") : input_directory,
                       fs::path(param).lexically_normal(), pattern, files, 0);
      } else {
        DCMKIT_LOG_WARN(app.logger(),
                        "ignoring directory because option --recurse is not set: " << param);
      }
    } else {
      files.emplace_back(param);
    }
  }
  // The DICOMDIR itself is never one of the referenced files.
  std::erase_if(files, [](const fs::path& p) { return p.filename() == "DICOMDIR"; });

  std::optional<dcmdata::DicomDirBuilder> builder;
  std::error_code exists_error;
  if (append && fs::exists(output, exists_error)) {
    auto existing = dcmdata::read_file(output);
    if (!existing) {
      return app.fatal(kFailure, existing.error().message() + ": reading file: " + output.string());
    }
    auto loaded = dcmdata::DicomDirBuilder::from_existing(*existing, options);
    if (!loaded) {
      return app.fatal(kFailure, loaded.error().message() + ": reading file: " + output.string());
    }
    builder.emplace(std::move(*loaded));
    DCMKIT_LOG_INFO(app.logger(), (update ? "updating" : "appending to")
                                      << " DICOMDIR file using "
                                      << dcmdata::profile_name(options.profile)
                                      << " profile: " << output.string());
  } else {
    builder.emplace(options);
    DCMKIT_LOG_INFO(app.logger(), "creating DICOMDIR file using "
                                      << dcmdata::profile_name(options.profile)
                                      << " profile: " << output.string());
  }
  if (files.empty() && !append) {
    return app.fail(kFailure, "no input files: DICOMDIR not created");
  }

  std::vector<std::string> bad_files;
  std::size_t good = 0;
  for (const fs::path& file : files) {
    const std::string name = file.generic_string();
    auto id = dcmdata::file_id_from_path(file, map_filenames);
    if (!id) {
      DCMKIT_LOG_ERROR(app.logger(), id.error().message());
      // DCMTK points at the first offending character.
      const std::string& context = id.error().to_string();
      const auto at = context.find("position ");
      if (at != std::string::npos) {
        const std::size_t position = std::stoul(context.substr(at + 9));
        const std::size_t column = std::string("invalid character(s) in filename: ").size();
        DCMKIT_LOG_ERROR(app.logger(), std::string(column + position, ' ') << "^");
      }
      bad_files.push_back(name);
      continue;
    }
    DCMKIT_LOG_INFO(app.logger(), "checking file: " << name);
    const fs::path full = input_directory.empty() ? file : input_directory / file;
    auto read = dcmdata::read_file(full);
    if (!read) {
      DCMKIT_LOG_ERROR(app.logger(), read.error().message() << ": reading file: " << name);
      bad_files.push_back(name);
      continue;
    }
    const dcmdata::DicomDirAddResult added = builder->add(*read, *id, name, update);
    log_messages(app, added.messages);
    if (added.abort) {
      return app.fail(kFailure, "aborting: inconsistent file: " + name);
    }
    if (!added.added) {
      bad_files.push_back(name);
      continue;
    }
    DCMKIT_LOG_INFO(app.logger(), "adding file: " << name);
    ++good;
  }
  // Without a good file DCMTK says only that (no list of the refused files).
  if (good == 0 && !append) {
    return app.fail(kFailure, "no good files: DICOMDIR not created");
  }
  if (!bad_files.empty()) {
    DCMKIT_LOG_WARN(app.logger(), bad_files.size() << " file(s) cannot be added to DICOMDIR: ");
    for (const std::string& bad : bad_files) DCMKIT_LOG_WARN(app.logger(), "  " << bad);
  }
  if (discard) return ofstd::kExitNoError;

  auto dicomdir = builder->build();
  if (!dicomdir) return app.fatal(kFailure, dicomdir.error().message());
  DCMKIT_LOG_INFO(app.logger(), "writing file: " << output.string());
  auto written = dcmdata::write_file(output, dicomdir->meta, dicomdir->data,
                                     dcmdata::explicit_vr_little_endian(), write);
  if (!written) {
    return app.fatal(kFailure, std::string(app.command_line().program()) + ": error (" +
                                   written.error().message() +
                                   ") writing file: " + output.string());
  }
  return ofstd::kExitNoError;
}

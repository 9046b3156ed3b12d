// SPDX-License-Identifier: BSD-3-Clause
// Display functions (PS3.14): the Grayscale Standard Display Function's JND index and its
// inverse, and the LIN OD presentation LUT (PS3.3 C.11.6.1.1), whose output is linear in optical
// density on film seen under given viewing conditions; and the calibration of a monitor or printer
// described by a characteristic file (dcm2pnm's +Dm/+Dp) to the GSDF or to CIELAB.
//
//   std::vector<std::uint16_t> lut = lin_od_lut();               // DCMTK's film defaults
//   MonoOutput output{.bits = 8, .presentation_lut = &lut};     // see mono.h
//
//   auto device = read_characteristic("/usr/share/dcmtk/monitor.lut");
//   auto ddls = display_lut(*device, {.device = DeviceType::Monitor});   // 65536 DDLs
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimgle {

/// Luminance in cd/m² of JND index `jnd_index` (1..1023), PS3.14 §7.
double gsdf_luminance(double jnd_index) noexcept;

/// JND index of luminance `luminance` in cd/m² (0.05..4000), PS3.14 §7 (the inverse of
/// gsdf_luminance(), to within 1/2 JND).
double gsdf_jnd_index(double luminance) noexcept;

/// Film and viewing conditions (PS3.14 §6.2): densities, light box illumination L0 and
/// reflected ambient light La, in cd/m². The defaults are those DCMTK's dcm2pnm uses when no
/// printer characteristic is given.
struct FilmParameters {
  double min_density = 0.2;
  double max_density = 3.0;
  double illumination = 2000.0;
  double reflected_ambient = 10.0;
};

/// Luminance of optical density `density` on `film`: La + L0 · 10^-D (PS3.14 §6.2).
double film_luminance(const FilmParameters& film, double density) noexcept;

/// The LIN OD presentation LUT as DCMTK 3.6.7 applies it: `entries` (≥ 2) 16-bit P-values, entry
/// k for density Dmin + (Dmax - Dmin) · k / (entries - 1): the JND index of its luminance,
/// scaled so that Dmax is 0 and Dmin 65535, truncated. Input 0 is thus the lightest.
std::vector<std::uint16_t> lin_od_lut(const FilmParameters& film = {}, std::size_t entries = 4096);

/// A device characteristic as DCMTK's characteristic files (`.lut`, e.g. /usr/share/dcmtk/
/// monitor.lut) describe it: the largest digital driving level (keyword `max`), optional ambient
/// light (`amb`), illumination (`lum`) and order of a fitted polynomial (`ord`, 0 = cubic spline),
/// then pairs "DDL value": luminance in cd/m² for a monitor, optical density for a printer.
/// `#` starts a comment.
struct Characteristic {
  std::uint32_t max_ddl = 0;  ///< 1..65535
  std::optional<double> ambient;
  std::optional<double> illumination;
  std::uint32_t order = 0;
  /// (DDL, value) in ascending DDL order, at least two, DDLs distinct and <= max_ddl; negative
  /// values read as 0.
  std::vector<std::pair<std::uint32_t, double>> points;
  /// Recoverable problems (ignored entries and values), DCMTK's warnings.
  std::vector<std::string> warnings;

  /// Parses the text of a characteristic file. MalformedData (with DCMTK's message where it has
  /// one) for a missing or invalid `max`, fewer than two entries, or more than 65536.
  static ofstd::Result<Characteristic> parse(std::string_view text);
};

/// Reads and parses a characteristic file (at most 16 MiB). NotFound/IoError when it cannot be
/// read.
ofstd::Result<Characteristic> read_characteristic(const std::filesystem::path& path);

/// What the characteristic describes: luminance of a monitor (softcopy) or optical density of a
/// printer (hardcopy).
enum class DeviceType : std::uint8_t { Monitor, Printer };
/// The function the device is calibrated to: PS3.14's GSDF or CIELAB lightness (L*).
enum class CalibrationFunction : std::uint8_t { Gsdf, Cielab };

/// Calibration options, dcm2pnm's +Dg/+Dc, +Da, +Di, +Dn, +Dx (they override the file's values).
struct DisplaySettings {
  DeviceType device = DeviceType::Monitor;
  CalibrationFunction function = CalibrationFunction::Gsdf;
  std::optional<double> ambient;
  std::optional<double> illumination;
  std::optional<double> min_density;  ///< printers only
  std::optional<double> max_density;  ///< printers only
};

/// The display LUT, as DCMTK 3.6.7 builds it: `entries` (>= 2) DDLs, entry i for the
/// i/(entries - 1)-th point of the function between the device's darkest and brightest
/// luminance (ambient light included; JND indices equally spaced for the GSDF, L* for CIELAB),
/// each the DDL of the device curve (the points interpolated by a natural cubic spline or the
/// fitted polynomial) nearest to it. For a printer the curve is La + L0 · 10^-OD and +Dn/+Dx
/// restrict the DDLs used. MalformedData ("invalid DISPLAY file") when the characteristic cannot
/// describe a device (no light at all), InvalidArgument for an empty luminance or JND range.
ofstd::Result<std::vector<std::uint16_t>> display_lut(const Characteristic& device,
                                                      const DisplaySettings& settings,
                                                      std::size_t entries = 65536);

/// Whether `device` describes a device of `type` at all: MalformedData ("invalid DISPLAY file")
/// when, with the file's own ambient light and illumination, its darkest luminance is not above 0.
ofstd::Status check_characteristic(const Characteristic& device, DeviceType type);

/// DCMTK's warning for a curve that does not ascend (monitor luminance) or descend (printer
/// density) with the DDLs; the LUT is built all the same.
std::optional<std::string> monotony_warning(const Characteristic& device, DeviceType type);

/// Whether a device with largest DDL `max_ddl` drives output values of `bits` bits (DCMTK
/// applies a display LUT only then): max_ddl = 2^bits - 1.
bool display_fits(std::uint32_t max_ddl, std::uint32_t bits) noexcept;

}  // namespace dcmkit::dcmimgle

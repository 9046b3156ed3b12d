// SPDX-License-Identifier: BSD-3-Clause
// Display functions (PS3.14): the Grayscale Standard Display Function's JND index and its
// inverse, and the LIN OD presentation LUT (PS3.3 C.11.6.1.1), whose output is linear in optical
// density on film seen under given viewing conditions.
//
//   std::vector<std::uint16_t> lut = lin_od_lut();               // DCMTK's film defaults
//   MonoOutput output{.bits = 8, .presentation_lut = &lut};     // see mono.h
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

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

}  // namespace dcmkit::dcmimgle

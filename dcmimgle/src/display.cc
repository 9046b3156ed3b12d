// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/display.h"

#include <algorithm>
#include <cmath>

namespace dcmkit::dcmimgle {

double gsdf_luminance(double jnd_index) noexcept {
  // PS3.14 §7, equation 1: log10 L(j) as a rational function of ln j.
  constexpr double a = -1.3011877;
  constexpr double b = -2.5840191e-2;
  constexpr double c = 8.0242636e-2;
  constexpr double d = -1.0320229e-1;
  constexpr double e = 1.3646699e-1;
  constexpr double f = 2.8745620e-2;
  constexpr double g = -2.5468404e-2;
  constexpr double h = -3.1978977e-3;
  constexpr double k = 1.2992634e-4;
  constexpr double m = 1.3635334e-3;
  const double x = std::log(jnd_index);
  const double numerator = a + c * x + e * x * x + g * std::pow(x, 3) + m * std::pow(x, 4);
  const double denominator =
      1 + b * x + d * x * x + f * std::pow(x, 3) + h * std::pow(x, 4) + k * std::pow(x, 5);
  return std::pow(10.0, numerator / denominator);
}

double gsdf_jnd_index(double luminance) noexcept {
  // PS3.14 §7, equation 2: j(L) as a polynomial of log10 L, evaluated term by term with pow()
  // (as DCMTK does, which the truncated LIN OD table depends on).
  const double x = std::log10(luminance);
  return 71.498068 + 94.593053 * x + 41.912053 * std::pow(x, 2) + 9.8247004 * std::pow(x, 3) +
         0.28175407 * std::pow(x, 4) - 1.1878455 * std::pow(x, 5) - 0.18014349 * std::pow(x, 6) +
         0.14710899 * std::pow(x, 7) - 0.017046845 * std::pow(x, 8);
}

double film_luminance(const FilmParameters& film, double density) noexcept {
  return film.reflected_ambient + film.illumination * std::pow(10.0, -density);
}

std::vector<std::uint16_t> lin_od_lut(const FilmParameters& film, std::size_t entries) {
  entries = std::max<std::size_t>(entries, 2);
  const double darkest = gsdf_jnd_index(film_luminance(film, film.max_density));
  const double lightest = gsdf_jnd_index(film_luminance(film, film.min_density));
  const double span = lightest - darkest;
  std::vector<std::uint16_t> lut(entries);
  const double last = static_cast<double>(entries - 1);
  for (std::size_t i = 0; i < entries; ++i) {
    const double density =
        film.min_density + (film.max_density - film.min_density) * static_cast<double>(i) / last;
    const double p =
        span != 0 ? (gsdf_jnd_index(film_luminance(film, density)) - darkest) / span : 0.0;
    lut[i] = static_cast<std::uint16_t>(std::clamp(p, 0.0, 1.0) * 65535.0);
  }
  return lut;
}

}  // namespace dcmkit::dcmimgle

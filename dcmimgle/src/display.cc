// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/dcmimgle/display.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <span>

#include "dcmkit/ofstd/strings.h"

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

namespace {

using ofstd::Error;
using ofstd::ErrorCode;

// A natural cubic spline through (x[i], y[i]), x ascending: the second derivatives at the
// points (the usual tridiagonal recurrence).
std::vector<double> spline_derivatives(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  std::vector<double> y2(n, 0.0);
  std::vector<double> u(n, 0.0);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
    const double p = sig * y2[i - 1] + 2.0;
    y2[i] = (sig - 1.0) / p;
    u[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
    u[i] = (6.0 * u[i] / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
  }
  y2[n - 1] = 0.0;
  for (std::size_t k = n - 1; k-- > 0;) y2[k] = y2[k] * y2[k + 1] + u[k];
  return y2;
}

// The spline at the ascending points `at` (outside [x0, xn] the end intervals' cubics).
std::vector<double> spline_values(std::span<const double> x, std::span<const double> y,
                                  std::span<const double> y2, std::span<const double> at) {
  std::vector<double> out;
  out.reserve(at.size());
  std::size_t lo = 0;
  const std::size_t n = x.size();
  for (const double v : at) {
    while (lo + 2 < n && x[lo + 1] < v) ++lo;
    const std::size_t hi = lo + 1;
    const double h = x[hi] - x[lo];
    const double a = (x[hi] - v) / h;
    const double b = (v - x[lo]) / h;
    out.push_back(a * y[lo] + b * y[hi] +
                  ((a * a * a - a) * y2[lo] + (b * b * b - b) * y2[hi]) * (h * h) / 6.0);
  }
  return out;
}

// Least-squares polynomial of degree `order` through the points (normal equations, Gauss-Jordan
// elimination with partial pivoting); coefficients by ascending power. Empty if singular.
std::vector<double> fit_polynomial(std::span<const double> x, std::span<const double> y,
                                   std::uint32_t order) {
  const std::size_t n = order + 1;
  std::vector<std::vector<double>> a(n, std::vector<double>(n, 0.0));
  std::vector<double> b(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double sum = 0;
      for (const double v : x) sum += std::pow(v, static_cast<double>(i + j));
      a[i][j] = sum;
    }
    double sum = 0;
    for (std::size_t k = 0; k < x.size(); ++k) sum += y[k] * std::pow(x[k], static_cast<double>(i));
    b[i] = sum;
  }
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    }
    std::swap(a[c], a[pivot]);
    std::swap(b[c], b[pivot]);
    if (a[c][c] == 0 || !std::isfinite(a[c][c])) return {};
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> coefficients(n);
  for (std::size_t i = 0; i < n; ++i) coefficients[i] = b[i] / a[i][i];
  return coefficients;
}

double polynomial(std::span<const double> coefficients, double x) {
  double sum = 0;
  for (std::size_t i = 0; i < coefficients.size(); ++i) {
    sum += coefficients[i] * std::pow(x, static_cast<double>(i));
  }
  return sum;
}

// The GSDF's luminance at JND indices 1..1023 and its spline: DCMTK evaluates the GSDF between
// integer indices by interpolation, which the nearest-DDL choices depend on.
struct GsdfTable {
  std::vector<double> index;
  std::vector<double> luminance;
  std::vector<double> derivatives;
};

const GsdfTable& gsdf_table() {
  static const GsdfTable table = [] {
    GsdfTable t;
    for (int j = 1; j <= 1023; ++j) {
      t.index.push_back(j);
      t.luminance.push_back(gsdf_luminance(j));
    }
    t.derivatives = spline_derivatives(t.index, t.luminance);
    return t;
  }();
  return table;
}

// One token of a characteristic file: whitespace separates tokens, '#' comments to the end of
// the line.
class Tokens {
 public:
  explicit Tokens(std::string_view text) : text_(text) {}
  std::optional<std::string_view> next() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ >= text_.size()) return std::nullopt;
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        break;
      }
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::optional<std::uint64_t> parse_unsigned(std::string_view token) {
  if (token.empty() || token.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_real(std::string_view token) {
  if (token.empty() || token.size() > 64) return std::nullopt;
  const std::string s(token);
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// As an ostream prints a double by default (6 significant digits).
std::string shortest(double v) {
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%g", v);
  return buffer.data();
}

bool is_word(std::string_view token) {
  return !token.empty() &&
         ((token[0] >= 'a' && token[0] <= 'z') || (token[0] >= 'A' && token[0] <= 'Z'));
}

}  // namespace

ofstd::Result<Characteristic> Characteristic::parse(std::string_view text) {
  Characteristic c;
  Tokens tokens(text);
  bool have_max = false;
  bool have_ambient = false;
  bool have_illumination = false;
  bool have_order = false;
  constexpr std::size_t kMaxPoints = 65536;
  while (const auto token = tokens.next()) {
    if (c.points.empty() && is_word(*token)) {
      const std::string key = ofstd::to_lower(*token);
      const auto value = tokens.next();
      if (key == "max" && !have_max) {
        const auto max = value ? parse_unsigned(*value) : std::nullopt;
        if (!max || *max == 0) {
          return Error(ErrorCode::MalformedData,
                       "invalid or missing value for maximum DDL value in DISPLAY file");
        }
        if (*max > 65535) return Error(ErrorCode::MalformedData, "invalid DISPLAY file");
        c.max_ddl = static_cast<std::uint32_t>(*max);
        have_max = true;
        continue;
      }
      if ((key == "amb" && !have_ambient) || (key == "lum" && !have_illumination)) {
        const auto v = value ? parse_real(*value) : std::nullopt;
        const bool ambient = key == "amb";
        (ambient ? have_ambient : have_illumination) = true;
        if (!v || *v < 0) {
          c.warnings.push_back(std::string("invalid value for ") +
                               (ambient ? "ambient light" : "illumination") +
                               " in DISPLAY file ... ignoring");
        } else {
          (ambient ? c.ambient : c.illumination) = *v;
        }
        continue;
      }
      if (key == "ord" && !have_order) {
        have_order = true;
        const auto v = value ? parse_unsigned(*value) : std::nullopt;
        if (!v || *v > 99) {
          c.warnings.push_back("invalid value for polynomial order in DISPLAY file ... ignoring");
        } else {
          c.order = static_cast<std::uint32_t>(*v);
        }
        continue;
      }
      // An unknown or repeated keyword ends the file, as in DCMTK.
      c.warnings.push_back("missing luminance/OD value in DISPLAY file ... ignoring last entry");
      break;
    }
    if (!have_max) {
      return Error(ErrorCode::MalformedData,
                   "missing keyword 'max' for maximum DDL value in DISPLAY file");
    }
    const auto ddl = parse_unsigned(*token);
    const auto value_token = tokens.next();
    const auto value = value_token ? parse_real(*value_token) : std::nullopt;
    if (!ddl || !value) {
      c.warnings.push_back("missing luminance/OD value in DISPLAY file ... ignoring last entry");
      break;
    }
    if (*ddl > c.max_ddl) {
      c.warnings.push_back("DDL value (" + std::to_string(*ddl) + ") exceeds maximum value (" +
                           std::to_string(c.max_ddl) + ") in DISPLAY file ... ignoring value");
      continue;
    }
    if (c.points.size() >= kMaxPoints) {
      return Error(ErrorCode::MalformedData, "invalid DISPLAY file: too many entries");
    }
    c.points.emplace_back(static_cast<std::uint32_t>(*ddl), std::max(*value, 0.0));
  }
  if (!have_max) {
    return Error(ErrorCode::MalformedData,
                 "missing keyword 'max' for maximum DDL value in DISPLAY file");
  }
  // DDLs in ascending order, each once (the first entry wins).
  std::stable_sort(c.points.begin(), c.points.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto duplicates =
      std::unique(c.points.begin(), c.points.end(),
                  [](const auto& a, const auto& b) { return a.first == b.first; });
  if (duplicates != c.points.end()) {
    c.warnings.push_back("repeated DDL value in DISPLAY file ... ignoring all but the first");
    c.points.erase(duplicates, c.points.end());
  }
  if (c.points.size() < 2) {
    return Error(ErrorCode::MalformedData, "invalid DISPLAY file: fewer than two entries");
  }
  return c;
}

ofstd::Result<Characteristic> read_characteristic(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::NotFound, "can't open DISPLAY file");
  constexpr std::size_t kMaxSize = 16u << 20u;
  std::string text;
  std::array<char, 65536> buffer{};
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    text.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSize) return Error(ErrorCode::LimitExceeded, "DISPLAY file too large");
  }
  if (in.bad()) return Error(ErrorCode::IoError, "can't read DISPLAY file");
  return Characteristic::parse(text);
}

std::optional<std::string> monotony_warning(const Characteristic& device, DeviceType type) {
  const bool printer = type == DeviceType::Printer;
  for (std::size_t i = 1; i < device.points.size(); ++i) {
    const double previous = device.points[i - 1].second;
    const double value = device.points[i].second;
    if (printer ? value > previous : value < previous) {
      return printer ? "OD values (ordered by DDLs) don't descend monotonously"
                     : "luminance values (ordered by DDLs) don't ascend monotonously";
    }
  }
  return std::nullopt;
}

ofstd::Status check_characteristic(const Characteristic& device, DeviceType type) {
  if (device.points.size() < 2 || device.max_ddl == 0) {
    return Error(ErrorCode::MalformedData, "invalid DISPLAY file");
  }
  double low = device.points[0].second;
  double high = low;
  for (const auto& [ddl, value] : device.points) {
    low = std::min(low, value);
    high = std::max(high, value);
  }
  const double ambient = device.ambient.value_or(0.0);
  const double illumination = device.illumination.value_or(0.0);
  // A device that emits or transmits no light at all is not one (DCMTK: "invalid DISPLAY file"),
  // judged by the file's own values.
  const double darkest =
      type == DeviceType::Printer ? ambient + illumination * std::pow(10.0, -high) : low + ambient;
  if (!(darkest > 0)) return Error(ErrorCode::MalformedData, "invalid DISPLAY file");
  return {};
}

bool display_fits(std::uint32_t max_ddl, std::uint32_t bits) noexcept {
  return bits >= 1 && bits <= 16 && max_ddl == (1u << bits) - 1;
}

ofstd::Result<std::vector<std::uint16_t>> display_lut(const Characteristic& device,
                                                      const DisplaySettings& settings,
                                                      std::size_t entries) {
  entries = std::max<std::size_t>(entries, 2);
  const bool printer = settings.device == DeviceType::Printer;
  const std::size_t n = device.points.size();
  if (n < 2 || device.max_ddl == 0) return Error(ErrorCode::MalformedData, "invalid DISPLAY file");
  std::vector<double> x(n);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = device.points[i].first;
    y[i] = device.points[i].second;
  }
  DCMKIT_TRY(check_characteristic(device, settings.device));
  const auto [min_it, max_it] = std::minmax_element(y.begin(), y.end());
  const double file_ambient = device.ambient.value_or(0.0);
  const double file_illumination = device.illumination.value_or(0.0);
  const double ambient = settings.ambient.value_or(file_ambient);
  const double illumination = settings.illumination.value_or(file_illumination);

  // The device curve at every DDL: the file's values, a fitted polynomial or a spline.
  const std::size_t ddls = std::size_t{device.max_ddl} + 1;
  std::vector<double> curve;
  if (device.order > 0 && device.order < n) curve.resize(ddls);
  if (!curve.empty()) {
    const std::vector<double> coefficients = fit_polynomial(x, y, device.order);
    if (coefficients.empty()) {
      curve.clear();
    } else {
      for (std::size_t i = 0; i < ddls; ++i) {
        curve[i] = polynomial(coefficients, static_cast<double>(i));
      }
    }
  }
  if (curve.empty()) {
    if (n == ddls) {
      curve = y;
    } else {
      std::vector<double> at(ddls);
      for (std::size_t i = 0; i < ddls; ++i) at[i] = static_cast<double>(i);
      curve = spline_values(x, y, spline_derivatives(x, y), at);
    }
  }
  // Luminance without ambient light, and the range the function spans.
  double low = *min_it;
  double high = *max_it;
  std::size_t first = 0;
  std::size_t last = ddls - 1;
  if (printer) {
    const double max_density = settings.max_density.value_or(*max_it);
    const double min_density = settings.min_density.value_or(*min_it);
    // +Dx and +Dn restrict the DDLs to those from the last one at least as dense as Dmax to
    // the last one at least as dense as Dmin.
    const auto last_denser = [&](double density, std::size_t fallback) {
      std::size_t found = fallback;
      bool any = false;
      for (std::size_t i = 0; i < ddls; ++i) {
        if (curve[i] >= density) {
          found = i;
          any = true;
        }
      }
      return any ? found : fallback;
    };
    if (settings.max_density) first = last_denser(*settings.max_density, 0);
    if (settings.min_density) last = last_denser(*settings.min_density, ddls - 1);
    for (double& v : curve) v = illumination * std::pow(10.0, -v);
    low = illumination * std::pow(10.0, -max_density);
    high = illumination * std::pow(10.0, -min_density);
  }
  std::vector<double> targets;
  targets.reserve(entries);
  const double count_1 = static_cast<double>(entries - 1);
  if (settings.function == CalibrationFunction::Gsdf) {
    const double jnd_low = gsdf_jnd_index(low + ambient);
    const double jnd_high = gsdf_jnd_index(high + ambient);
    if (!(jnd_low < jnd_high)) {
      return Error(ErrorCode::InvalidArgument, "invalid JND range for GSDF LUT creation (" +
                                                   shortest(jnd_low) + " - " + shortest(jnd_high) +
                                                   ")");
    }
    const double step = (jnd_high - jnd_low) / count_1;
    std::vector<double> indices(entries);
    double j = jnd_low;
    for (double& v : indices) {
      v = j;
      j += step;
    }
    const GsdfTable& table = gsdf_table();
    targets = spline_values(table.index, table.luminance, table.derivatives, indices);
  } else {
    if (!(low < high)) {
      return Error(ErrorCode::InvalidArgument, "invalid value range for CIELAB LUT creation (" +
                                                   shortest(low) + " - " + shortest(high) + ")");
    }
    // L* from that of the darkest luminance (relative to the brightest) to 100, equally spaced.
    const double darkest = low + ambient;
    const double brightest = high + ambient;
    const double ratio = darkest / brightest;
    const double l_low = ratio > 0.008856 ? 116.0 * std::pow(ratio, 1.0 / 3) - 16 : 903.3 * ratio;
    const double step = (100 - l_low) / count_1;
    double l = l_low;
    for (std::size_t i = 0; i < entries; ++i) {
      const double f = l > 8 ? std::pow((l + 16) / 116, 3.0) : l / 903.3;
      targets.push_back(brightest * f);
      l += step;
    }
  }
  // Each target: the DDL whose luminance is nearest (searching upwards, the curve assumed
  // ascending, as DCMTK does).
  std::vector<std::uint16_t> lut(entries);
  std::size_t k = first;
  for (std::size_t i = 0; i < entries; ++i) {
    const double value = targets[i] - ambient;
    while (k < last && curve[k] < value) ++k;
    if (k > first && std::fabs(curve[k - 1] - value) < std::fabs(curve[k] - value)) --k;
    lut[i] = static_cast<std::uint16_t>(k);
  }
  return lut;
}

}  // namespace dcmkit::dcmimgle

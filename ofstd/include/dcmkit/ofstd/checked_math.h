// SPDX-License-Identifier: BSD-3-Clause
// Overflow-checked integer arithmetic for length and offset computations on untrusted input.
#pragma once

#include <concepts>
#include <optional>
#include <utility>

namespace dcmkit::ofstd {

/// a + b, or nullopt if the sum does not fit in T.
template <std::unsigned_integral T>
constexpr std::optional<T> checked_add(T a, T b) noexcept {
  T sum{};
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

/// a * b, or nullopt if the product does not fit in T.
template <std::unsigned_integral T>
constexpr std::optional<T> checked_mul(T a, T b) noexcept {
  T product{};
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

/// a - b, or nullopt if b > a.
template <std::unsigned_integral T>
constexpr std::optional<T> checked_sub(T a, T b) noexcept {
  if (b > a) return std::nullopt;
  return static_cast<T>(a - b);
}

/// Converts between integer types, or nullopt if the value does not fit.
template <std::integral To, std::integral From>
constexpr std::optional<To> checked_cast(From value) noexcept {
  if (!std::in_range<To>(value)) return std::nullopt;
  return static_cast<To>(value);
}

}  // namespace dcmkit::ofstd

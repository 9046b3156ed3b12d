// SPDX-License-Identifier: BSD-3-Clause
// Errors as values: Error, Result<T> and Status (= Result<void>), mirroring C++23 std::expected so
// a later switch is mechanical. No dcmkit library throws; every fallible function returns these.
//
//   ofstd::Result<Tag> tag = Tag::parse("(0010,0010)");
//   if (!tag) return std::move(tag).error().with_context("reading --search");
//   DCMKIT_ASSIGN_OR_RETURN(const auto header, read_header(reader, ts));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace dcmkit::ofstd {

/// Broad class of a failure; callers branch on it, humans read the message.
enum class ErrorCode : std::uint8_t {
  InvalidArgument,  ///< the caller passed something that cannot be used
  MalformedData,    ///< input bytes or text violate the format
  Unsupported,      ///< valid, but dcmkit cannot handle it (e.g. an unknown transfer syntax)
  NotFound,         ///< a file, tag or entry that was asked for does not exist
  LimitExceeded,    ///< a configured bound (depth, size, count) was reached
  IoError,          ///< the operating system reported a failure
  Network,          ///< a peer misbehaved or the connection failed
  Internal,         ///< a bug in dcmkit; please report it
};

/// Stable lower-case name of a code ("malformed data"), for messages and test tables.
std::string_view to_string(ErrorCode code) noexcept;

/// A failure: code, message and a chain of context ("offset 1842, (0008,1115)[2]: ...").
/// Pointer-sized, so that Result<T> stays small on hot parsing paths. Regular value type.
class Error {
 public:
  Error(ErrorCode code, std::string message);
  Error(const Error& other);
  Error& operator=(const Error& other);
  Error(Error&&) noexcept = default;
  Error& operator=(Error&&) noexcept = default;
  ~Error() = default;

  ErrorCode code() const noexcept { return rep_->code; }
  /// The innermost description of what went wrong, without context.
  const std::string& message() const noexcept { return rep_->message; }
  /// Context added by callers, outermost first, joined with ": " (empty if none).
  const std::string& context() const noexcept { return rep_->context; }
  /// Context and message as one line: "reading x.dcm: offset 12: value length exceeds input".
  std::string to_string() const;

  /// Prepends `where` to the context chain; use as `return std::move(e).with_context("...")`.
  Error with_context(std::string_view where) &&;
  Error with_context(std::string_view where) const&;

 private:
  struct Rep {
    ErrorCode code;
    std::string message;
    std::string context;
  };
  std::unique_ptr<Rep> rep_;
};

/// Tag type selecting the error alternative, like std::unexpect.
struct UnexpectTag {
  explicit UnexpectTag() = default;
};
inline constexpr UnexpectTag kUnexpect{};

/// Either a T or an Error. [[nodiscard]]: an ignored error fails the -Werror build.
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported; use a pointer");
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  using value_type = T;

  template <class U = T, std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::remove_cvref_t<U>, Result> &&
                                              !std::is_same_v<std::remove_cvref_t<U>, Error>,
                                          int> = 0>
  Result(U&& value) : storage_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}      // NOLINT
  template <class... Args>
  explicit Result(std::in_place_t, Args&&... args)
      : storage_(std::in_place_index<0>, std::forward<Args>(args)...) {}

  bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(storage_); }
  Error&& error() && { return std::get<1>(std::move(storage_)); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  /// Calls f(value) (which returns a Result) on success; passes the error through otherwise.
  template <class F>
  auto and_then(F&& f) & {
    using R = std::invoke_result_t<F, T&>;
    return has_value() ? std::forward<F>(f)(value()) : R(error());
  }
  template <class F>
  auto and_then(F&& f) && {
    using R = std::invoke_result_t<F, T&&>;
    return has_value() ? std::forward<F>(f)(std::move(*this).value()) : R(std::move(*this).error());
  }
  template <class F>
  auto and_then(F&& f) const& {
    using R = std::invoke_result_t<F, const T&>;
    return has_value() ? std::forward<F>(f)(value()) : R(error());
  }

 private:
  std::variant<T, Error> storage_;
};

/// Success without a value, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  Result(Error error) : error_(std::make_unique<Error>(std::move(error))) {}  // NOLINT
  Result(const Result& other)
      : error_(other.error_ ? std::make_unique<Error>(*other.error_) : nullptr) {}
  Result& operator=(const Result& other) {
    if (this != &other) error_ = other.error_ ? std::make_unique<Error>(*other.error_) : nullptr;
    return *this;
  }
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;
  ~Result() = default;

  bool has_value() const noexcept { return error_ == nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {}
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

  template <class F>
  auto and_then(F&& f) const {
    using R = std::invoke_result_t<F>;
    return has_value() ? std::forward<F>(f)() : R(error());
  }

 private:
  std::unique_ptr<Error> error_;
};

using Status = Result<void>;

/// A successful Status, for readability at return sites.
inline Status ok_status() { return {}; }

}  // namespace dcmkit::ofstd

#define DCMKIT_INTERNAL_CONCAT_IMPL(a, b) a##b
#define DCMKIT_INTERNAL_CONCAT(a, b) DCMKIT_INTERNAL_CONCAT_IMPL(a, b)

/// Evaluates a Status (or any Result) and returns its error from the enclosing function.
#define DCMKIT_TRY(expr)                            \
  do {                                              \
    auto&& dcmkit_try_result_ = (expr);             \
    if (!dcmkit_try_result_.has_value()) {          \
      return std::move(dcmkit_try_result_).error(); \
    }                                               \
  } while (false)

/// `DCMKIT_ASSIGN_OR_RETURN(const auto x, f());` declares x from a Result or returns its error.
#define DCMKIT_ASSIGN_OR_RETURN(lhs, expr) \
  DCMKIT_INTERNAL_ASSIGN_OR_RETURN(DCMKIT_INTERNAL_CONCAT(dcmkit_result_, __LINE__), lhs, expr)
#define DCMKIT_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                     \
  if (!tmp.has_value()) {                                \
    return std::move(tmp).error();                       \
  }                                                      \
  lhs = std::move(tmp).value()

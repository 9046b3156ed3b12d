// SPDX-License-Identifier: BSD-3-Clause
#include "dcmkit/ofstd/result.h"

namespace dcmkit::ofstd {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidArgument:
      return "invalid argument";
    case ErrorCode::MalformedData:
      return "malformed data";
    case ErrorCode::Unsupported:
      return "unsupported";
    case ErrorCode::NotFound:
      return "not found";
    case ErrorCode::LimitExceeded:
      return "limit exceeded";
    case ErrorCode::IoError:
      return "I/O error";
    case ErrorCode::Network:
      return "network error";
    case ErrorCode::Internal:
      return "internal error";
  }
  return "unknown error";
}

Error::Error(ErrorCode code, std::string message)
    : rep_(std::make_unique<Rep>(Rep{code, std::move(message), {}})) {}

Error::Error(const Error& other) : rep_(std::make_unique<Rep>(*other.rep_)) {}

Error& Error::operator=(const Error& other) {
  if (this != &other) rep_ = std::make_unique<Rep>(*other.rep_);
  return *this;
}

std::string Error::to_string() const {
  if (rep_->context.empty()) return rep_->message;
  return rep_->context + ": " + rep_->message;
}

Error Error::with_context(std::string_view where) && {
  if (!where.empty()) {
    if (rep_->context.empty()) {
      rep_->context = std::string(where);
    } else {
      rep_->context.insert(0, std::string(where) + ": ");
    }
  }
  return std::move(*this);
}

Error Error::with_context(std::string_view where) const& {
  Error copy(*this);
  return std::move(copy).with_context(where);
}

}  // namespace dcmkit::ofstd

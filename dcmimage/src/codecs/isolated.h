// SPDX-License-Identifier: BSD-3-Clause
// Runs a decoder in a child process, so that a third-party library that aborts on a corrupt
// stream ends the child, not the program. Debian builds OpenJPEG with its assertions on, and
// its HTJ2K block decoder asserts on bitstream values a hostile file chooses (found by the
// htj2k_decode fuzz target): without this, one bad frame would end a server.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage::detail {

/// Calls `work` with a buffer of `capacity` bytes in a forked child and returns what the child
/// wrote (`work` returns how many bytes of the buffer it filled) or its Error. When the child
/// dies (a signal, an exit without a result) the Error says so, naming `what`. Where fork()
/// is unavailable or fails, `work` runs in this process.
ofstd::Result<std::size_t> run_isolated(
    std::string_view what, std::span<std::byte> result,
    const std::function<ofstd::Result<std::size_t>(std::span<std::byte>)>& work);

}  // namespace dcmkit::dcmimage::detail

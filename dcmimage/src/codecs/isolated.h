// SPDX-License-Identifier: BSD-3-Clause
// Runs a decoder in a helper process, so that a third-party library that aborts on a corrupt
// stream ends the helper, not the program. Debian builds OpenJPEG with its assertions on, and
// its HTJ2K block decoder asserts on bitstream values a hostile file chooses (found by the
// htj2k_decode fuzz target): without this, one bad frame would end a server.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "dcmkit/ofstd/result.h"

namespace dcmkit::dcmimage::detail {

/// Work done in the helper process: reads `input` (bytes the caller prepared), fills `output`
/// and returns how many of its bytes it filled, or an Error. A plain function, so that the
/// helper (a fork of this program) can run it at the same address.
using IsolatedTask = ofstd::Result<std::size_t> (*)(std::span<const std::byte> input,
                                                    std::span<std::byte> output);

/// Runs `task(input, output)` in a helper process and returns what it returned; the bytes it
/// filled are copied into `output`. Each calling thread has its own helper, forked at its first
/// call and reused by the later ones (a fork per call costs milliseconds); the helper closes
/// every inherited file descriptor but its socket and ends when the thread does. When the
/// helper dies (a signal, an exit), the call returns a MalformedData Error naming `what`, and
/// the thread's next call forks a new one. Where a helper cannot be started, `task` runs in
/// this process.
ofstd::Result<std::size_t> run_isolated(std::string_view what, IsolatedTask task,
                                        std::span<const std::byte> input,
                                        std::span<std::byte> output);

}  // namespace dcmkit::dcmimage::detail

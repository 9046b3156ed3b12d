// SPDX-License-Identifier: BSD-3-Clause
// A walk over a JPEG 2000 codestream's marker segments (ISO 15444-1 Annex A), enough to tell
// whether OpenJPEG would decode any code-block with the HTJ2K block decoder (ISO 15444-15).
#pragma once

#include <cstdint>
#include <span>

namespace dcmkit::dcmimage::detail {

/// False only when the codestream is well formed enough to walk and no main or tile-part header
/// asks for HT code-blocks: no CAP marker, no Part 15 bit in Rsiz, no COD/COC with the HT
/// code-block style bit. A JP2 file, or anything the walk cannot follow, gives true.
bool may_use_ht_block_coding(std::span<const std::uint8_t> stream) noexcept;

}  // namespace dcmkit::dcmimage::detail

// SPDX-License-Identifier: BSD-3-Clause
// Private parts of the reader shared with the file reader and the writer.
#pragma once

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/dictionary.h"
#include "dcmkit/dcmdata/tag.h"
#include "dcmkit/dcmdata/vr.h"

namespace dcmkit::dcmdata::detail {

/// The VR of an element read in implicit VR: from the dictionary, with group lengths UL, private
/// creators LO, unknown tags UN, and multi-VR entries resolved from context (PS3.5 §A.1).
VR implicit_vr(Tag tag, const DataSet& context) noexcept;

/// True for the "US or SS" attributes whose VR follows Pixel Representation (0028,0103) in the
/// same data set: pixel and histogram values and the VOI LUT descriptor. Others (palette
/// descriptors, whose first value is always unsigned, and retired ones) stay unresolved.
bool resolves_by_pixel_representation(Tag tag) noexcept;

/// The private dictionary entry of a private data element, using the creator recorded in
/// `context` (the element's own data set), or nullptr.
const PrivateTagEntry* private_entry(Tag tag, const DataSet& context) noexcept;

}  // namespace dcmkit::dcmdata::detail

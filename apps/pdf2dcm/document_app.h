// SPDX-License-Identifier: BSD-3-Clause
// The program shared by pdf2dcm, cda2dcm and stl2dcm: DCMTK's document encapsulation options
// and the run (see docs/pdf2dcm.md).
#pragma once

#include "dcmkit/dcmdata/encapsulated_document.h"

namespace dcmkit::apps {

/// Runs pdf2dcm (type Pdf), cda2dcm (Cda) or stl2dcm (Stl) with the given command line.
int run_document_app(int argc, char** argv, dcmdata::DocumentType type);

}  // namespace dcmkit::apps

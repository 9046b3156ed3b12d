// SPDX-License-Identifier: BSD-3-Clause
// stl2dcm: encapsulate a STL document into a DICOM object; a drop-in replacement for DCMTK's
// stl2dcm (see docs/stl2dcm.md).
#include "pdf2dcm/document_app.h"

int main(int argc, char** argv) {
  return dcmkit::apps::run_document_app(argc, argv, dcmkit::dcmdata::DocumentType::Stl);
}

// SPDX-License-Identifier: BSD-3-Clause
// cda2dcm: encapsulate a CDA document into a DICOM object; a drop-in replacement for DCMTK's
// cda2dcm (see docs/cda2dcm.md).
#include "pdf2dcm/document_app.h"

int main(int argc, char** argv) {
  return dcmkit::apps::run_document_app(argc, argv, dcmkit::dcmdata::DocumentType::Cda);
}

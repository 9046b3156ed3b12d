// SPDX-License-Identifier: BSD-3-Clause
// pdf2dcm: encapsulate a PDF document into a DICOM object; a drop-in replacement for DCMTK's
// pdf2dcm (see docs/pdf2dcm.md).
#include "pdf2dcm/document_app.h"

int main(int argc, char** argv) {
  return dcmkit::apps::run_document_app(argc, argv, dcmkit::dcmdata::DocumentType::Pdf);
}

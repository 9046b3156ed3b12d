// SPDX-License-Identifier: BSD-3-Clause
// Uses the installed headers and libraries of ofstd, oflog and dcmdata.
#include <iostream>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/dict/tags.h"
#include "dcmkit/dcmdata/reader.h"
#include "dcmkit/dcmdata/transfer_syntax.h"
#include "dcmkit/dcmdata/writer.h"
#include "dcmkit/oflog/logger.h"
#include "dcmkit/ofstd/uid_generator.h"

int main() {
  using namespace dcmkit;
  dcmdata::DataSet ds;
  if (!ds.set_string(dcmdata::tags::PatientName, "Doe^Jane")) return 1;
  if (!ds.set_string(dcmdata::tags::SOPInstanceUID, ofstd::generate_uid())) return 1;
  auto bytes = dcmdata::encode_dataset(ds, dcmdata::explicit_vr_little_endian());
  if (!bytes) return 1;
  auto shared = dcmdata::SharedBytes::from_vector(std::move(*bytes));
  auto back = dcmdata::parse_dataset(shared, dcmdata::explicit_vr_little_endian());
  if (!back || !(*back == ds)) return 1;
  static const oflog::Logger logger("dcmkit.consumer");
  DCMKIT_LOG_INFO(logger, "not printed: no sink installed");
  std::cout << "consumer ok: " << back->get_string(dcmdata::tags::PatientName).value_or("?")
            << "\n";
  return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
// GoogleTest printers for the data model: a failed EXPECT_EQ on data sets shows their dump
// instead of raw object bytes. Found by argument-dependent lookup, so they live in dcmdata's
// namespace (inline: several test files include this header).
#pragma once

#include <ostream>
#include <string>

#include "dcmkit/dcmdata/data_set.h"
#include "dcmkit/dcmdata/dump.h"

namespace dcmkit::dcmdata {

inline void PrintTo(const DataSet& data, std::ostream* out) {
  std::string text;
  DumpOptions options;
  options.print_all_values = true;
  dump_data_set(text, data, options);
  *out << "\n" << text;
}

inline void PrintTo(const Element& element, std::ostream* out) {
  DataSet holder;
  holder.insert(element);
  PrintTo(holder, out);
}

}  // namespace dcmkit::dcmdata

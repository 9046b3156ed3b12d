// SPDX-License-Identifier: BSD-3-Clause
#include <iostream>

#include "sample_program.h"

int main(int argc, char** argv) {
  return dcmkit::apps::testing::sample_main(argc, argv, std::cout, std::cerr);
}

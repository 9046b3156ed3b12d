// SPDX-License-Identifier: BSD-3-Clause
// dcmftest: tell for each file whether it uses the DICOM Part 10 format (a 128-byte preamble
// followed by "DICM", PS3.10 §7.1); a drop-in replacement for DCMTK's dcmftest, which has no
// options: the exit status is the number of files that are not Part 10 files.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "dcmkit/ofstd/command_line.h"
#include "dcmkit/ofstd/exit_codes.h"

namespace {

constexpr std::string_view kDescription = "Test if file uses DICOM part 10 format";

bool is_part10(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  char head[132];
  in.read(head, sizeof head);
  return in.gcount() == sizeof head && std::string_view(head + 128, 4) == "DICM";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dcmkit;  // NOLINT: a program's main file
  const ofstd::CommandLine cl("dcmftest", std::string(kDescription));
  if (argc < 2) {
    std::cout << cl.banner() << "\n\ndcmftest: " << kDescription << "\nusage: dcmftest file...\n\n";
    return ofstd::kExitNoError;
  }
  // Like DCMTK's, every argument that looks like an option is an error ("-" is a file name).
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.size() > 1 && (arg[0] == '-' || arg[0] == '+')) {
      std::cerr << cl.error_text("Unknown option " + std::string(arg)) << std::flush;
      return ofstd::kExitCommandLineSyntaxError;
    }
  }
  int not_part10 = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string path = argv[i];
    const bool yes = is_part10(path);
    std::cout << (yes ? "yes: " : "no: ") << path << '\n';
    if (!yes) ++not_part10;
  }
  std::cout << std::flush;
  return not_part10 > 255 ? 255 : not_part10;
}

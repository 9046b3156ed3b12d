// SPDX-License-Identifier: BSD-3-Clause
// Runs a command and prints "<wall seconds> <peak RSS KiB>". The child is started with
// posix_spawn (a vfork-style clone), so its peak RSS does not include a copy of the parent.
//
//   measure <program> [arguments...]
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>

extern char** environ;  // NOLINT: POSIX

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: measure <program> [arguments...]\n");
    return 2;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", 1, 0);  // O_WRONLY
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[1], &actions, nullptr, argv + 1, environ) != 0) {
    std::perror("measure: posix_spawnp");
    return 2;
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) {
    std::perror("measure: wait4");
    return 2;
  }
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  std::printf("%.6f %ld\n", wall.count(), usage.ru_maxrss);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

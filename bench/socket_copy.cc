// SPDX-License-Identifier: BSD-3-Clause
// The baseline of the network benchmark: the same files copied over a plain loopback TCP
// connection, no DICOM at all. A sender thread sends each file as a length and its bytes; the
// receiver writes each to a file of its own. Prints "<seconds> <bytes>".
//
//   socket_copy <output dir> <file>...
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

void send_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
    if (n <= 0) die("send");
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool recv_all(int fd, void* data, std::size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::recv(fd, p, size, 0);
    if (n == 0) return false;
    if (n < 0) die("recv");
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: socket_copy <output dir> <file>...\n");
    return 2;
  }
  const std::string out_dir = argv[1];
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind");
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  if (::listen(listener, 1) != 0) die("listen");

  const auto start = std::chrono::steady_clock::now();
  std::uint64_t total = 0;
  std::thread receiver([&] {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) die("accept");
    std::vector<char> buffer(1 << 20);
    for (int index = 0;; ++index) {
      std::uint64_t size = 0;
      if (!recv_all(fd, &size, sizeof size)) break;
      const std::string path = out_dir + "/" + std::to_string(index) + ".bin";
      const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0) die("open output");
      while (size > 0) {
        const std::size_t chunk = size < buffer.size() ? size : buffer.size();
        if (!recv_all(fd, buffer.data(), chunk)) die("short stream");
        if (::write(out, buffer.data(), chunk) != static_cast<ssize_t>(chunk)) die("write");
        size -= chunk;
      }
      ::close(out);
    }
    ::close(fd);
  });

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("connect");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  for (int i = 2; i < argc; ++i) {
    const int in = ::open(argv[i], O_RDONLY);
    if (in < 0) die("open input");
    struct stat info {};
    ::fstat(in, &info);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    void* data = size > 0 ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, in, 0) : nullptr;
    send_all(fd, &size, sizeof size);
    if (size > 0) send_all(fd, data, size);
    if (data != nullptr) ::munmap(data, size);
    ::close(in);
    total += size;
  }
  ::close(fd);
  receiver.join();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  std::printf("%.6f %llu\n", wall.count(), static_cast<unsigned long long>(total));
  return 0;
}

// SPDX-License-Identifier: BSD-3-Clause
// Fuzz target for the upper layer: decode_pdu() on the whole input (what decodes must encode
// and decode to the same value), decode_command() on each command PDV, and an acceptor
// association fed the input as the byte stream of a peer (request, P-DATA, release...), which
// exercises the receive buffer, the state machine and DIMSE reassembly.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <variant>

#include "dcmkit/dcmnet/association.h"
#include "dcmkit/dcmnet/dimse.h"
#include "dcmkit/dcmnet/pdu.h"

namespace {

using namespace dcmkit;
using namespace dcmkit::dcmnet;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "pdu_decode_fuzzer: %s\n", what);
  std::abort();
}

template <class T>
void check_round_trip(T decoded) {
  decoded.user_info.unknown.clear();  // never encoded
  auto encoded = encode_pdu(decoded);
  if (!encoded) return;  // a value the decoder accepts but cannot be sent (an over-long UID)
  auto again = decode_pdu(*encoded);
  if (!again) fail("cannot decode what was encoded");
  const T* back = std::get_if<T>(&*again);
  if (back == nullptr || !(*back == decoded)) fail("round trip changed the PDU");
}

// Serves the input as what the peer sends; discards what we send.
class ScriptedPeer final : public Transport {
 public:
  explicit ScriptedPeer(std::span<const std::byte> input) : input_(input) {}
  ofstd::Result<std::size_t> read_some(std::span<std::byte> buffer, Deadline) override {
    // Odd chunk sizes, so that PDUs straddle reads.
    const std::size_t n = std::min({buffer.size(), input_.size(), std::size_t{37}});
    std::copy_n(input_.begin(), n, buffer.begin());
    input_ = input_.subspan(n);
    return n;
  }
  ofstd::Status write(std::span<const std::span<const std::byte>>, Deadline) override { return {}; }
  void shutdown() noexcept override { input_ = {}; }
  std::string peer_address() const override { return "fuzz"; }

 private:
  std::span<const std::byte> input_;
};

class NullSink final : public dcmdata::ByteSink {
 public:
  ofstd::Status write(std::span<const std::byte>) override { return {}; }
};

void run_acceptor(std::span<const std::byte> input) {
  AssociationConfig config;
  config.timeouts = {};
  config.limits.max_pdu_length = 1 << 20;
  auto pending = Association::receive_request(std::make_unique<ScriptedPeer>(input), config);
  if (!pending) return;
  AcceptorPolicy policy;
  policy.any_abstract_syntax_transfer_syntaxes = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1"};
  auto answered = std::move(*pending).answer(policy);
  if (!answered) return;
  auto* association = std::get_if<Association>(&*answered);
  if (association == nullptr) return;
  for (int i = 0; i < 64; ++i) {
    auto incoming = association->receive_command();
    if (!incoming) return;
    if (incoming->kind == Incoming::Kind::ReleaseRequested) {
      (void)association->acknowledge_release();
      return;
    }
    if (association->data_set_pending()) {
      NullSink sink;
      if (!association->receive_data_set(sink)) return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data),  // NOLINT
                                         size);
  if (auto pdu = decode_pdu(input)) {
    if (auto* rq = std::get_if<AssociateRq>(&*pdu)) check_round_trip(*rq);
    if (auto* ac = std::get_if<AssociateAc>(&*pdu)) check_round_trip(*ac);
    if (auto* pdata = std::get_if<PDataTfView>(&*pdu)) {
      for (const PdvView& pdv : pdata->pdvs) {
        if (!pdv.is_command) continue;
        if (auto command = decode_command(pdv.data)) {
          auto encoded = encode_command(*command);
          if (encoded) {
            auto again = decode_command(*encoded);
            if (!again || !(*again == *command)) fail("command round trip changed it");
          }
        }
      }
    }
  }
  run_acceptor(input);
  return 0;
}

// libFuzzer: opening untrusted message and attachment records. Whatever the bytes, open() must
// return a typed error (or, for a genuine record, the plaintext) and never crash or read out of
// bounds. Also checks the round-trip property: any input sealed as a message opens to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sdk/crypto/attachment_stream.h"
#include "sdk/crypto/message_ratchet.h"

using namespace sealdesk;
using namespace sealdesk::crypto;

namespace {

ChainContext fixed_context() {
  ChainContext c;
  for (size_t i = 0; i < c.session_id.size(); ++i) c.session_id[i] = static_cast<uint8_t>(i);
  c.epoch = 1;
  return c;
}

std::array<uint8_t, kChainKeyBytes> fixed_key() {
  std::array<uint8_t, kChainKeyBytes> k{};
  k.fill(0x11);
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);

  // 1. Arbitrary bytes as a sealed message, on a receiver that has seen a few messages.
  {
    MessageReceiver receiver(fixed_context(), fixed_key());
    std::vector<uint8_t> out(size);
    auto opened = receiver.open(input, out);
    if (opened.ok() && opened.value() > out.size()) std::abort();
    (void)parse_record_header(input);
  }

  // 2. A genuine message with the input xored over it: only the untouched original may open.
  {
    MessageSender sender(fixed_context(), fixed_key());
    MessageReceiver receiver(fixed_context(), fixed_key());
    const uint8_t text[] = "fuzzed message";
    std::vector<uint8_t> sealed(sealed_message_bytes(sizeof text));
    auto n = sender.seal(text, sealed);
    if (!n.ok()) std::abort();
    bool changed = false;
    for (size_t i = 0; i < size && i < sealed.size(); ++i) {
      sealed[i] ^= data[i];
      changed |= data[i] != 0;
    }
    std::vector<uint8_t> out(sealed.size());
    auto opened = receiver.open(sealed, out);
    if (changed && opened.ok()) std::abort();  // a modified record opened
    if (!changed && (!opened.ok() || opened.value() != sizeof text)) std::abort();
  }

  // 3. Round trip: the input itself as plaintext.
  if (size <= kMaxMessageBytes) {
    MessageSender sender(fixed_context(), fixed_key());
    MessageReceiver receiver(fixed_context(), fixed_key());
    std::vector<uint8_t> sealed(sealed_message_bytes(size));
    auto n = sender.seal(input, sealed);
    std::vector<uint8_t> out(sealed.size());
    auto opened = receiver.open(sealed, out);
    if (!n.ok() || !opened.ok() || opened.value() != size || (size > 0 && std::memcmp(out.data(), data, size) != 0)) std::abort();
  }

  // 4. Arbitrary bytes as a sealed attachment stream.
  {
    std::array<uint8_t, kAttachmentKeyBytes> key{};
    key.fill(0x42);
    std::vector<uint8_t> out(size);
    auto opened = open_attachment(key, {}, input, out, [](uint64_t, uint64_t) {});
    if (opened.ok() && opened.value() > out.size()) std::abort();
  }
  return 0;
}

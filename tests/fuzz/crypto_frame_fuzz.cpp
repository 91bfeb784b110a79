// libFuzzer: opening untrusted media frames (SFrame header, codec prefix parsing, H.264 escaping).
// Whatever the bytes, open() fails with a typed error and wipes its output, never crashes; and any
// input that the sealer accepts as a frame opens back to itself for every codec.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sdk/crypto/frame_crypto.h"

using namespace sealdesk;
using namespace sealdesk::crypto;

namespace {
std::array<uint8_t, kFrameBaseKeyBytes> fixed_key() {
  std::array<uint8_t, kFrameBaseKeyBytes> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i);
  return k;
}
constexpr uint64_t kKid = 0x01000000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  (void)parse_frame_header(input);

  for (uint8_t c = 0; c < kFrameCodecCount; ++c) {
    const auto codec = static_cast<FrameCodec>(c);
    (void)frame_clear_prefix_bytes(codec, input);
    (void)peek_frame_key_id(codec, input);

    // Arbitrary bytes as a sealed frame: must not open (the key is secret to the fuzzer).
    auto opener = FrameOpener::create(kKid, fixed_key()).value();
    std::vector<uint8_t> out(size);
    if (opener.open(codec, input, out).ok()) std::abort();
    // In place too.
    std::vector<uint8_t> in_place(input.begin(), input.end());
    if (opener.open(codec, in_place, in_place).ok()) std::abort();

    // Round trip: the input as a plaintext frame.
    auto sealer = FrameSealer::create(kKid, fixed_key()).value();
    std::vector<uint8_t> sealed(sealed_frame_max_bytes(codec, size));
    auto n = sealer.seal(codec, input, sealed);
    if (!n.ok()) continue;  // e.g. not an H.264 access unit
    sealed.resize(n.value());
    std::vector<uint8_t> opened(sealed.size());
    auto m = opener.open(codec, sealed, opened);
    if (!m.ok() || m.value() != size || (size > 0 && std::memcmp(opened.data(), data, size) != 0)) std::abort();
    if (opener.open(codec, sealed, opened).status() != Status::replayed) std::abort();
  }
  return 0;
}

// libFuzzer: arbitrary bytes as an Opus packet into the SDK's decoder entry (VoiceDecoder::decode),
// in every supported channel layout, plus concealment after a bad packet. Must never crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sdk/media/voice_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using sealdesk::media::VoiceDecoder;
  if (size == 0) return 0;
  const int32_t channels = (data[0] & 1) + 1;
  const int32_t rates[] = {8000, 12000, 16000, 24000, 48000};
  auto decoder = VoiceDecoder::create(rates[(data[0] >> 1) % 5], channels);
  if (!decoder.ok()) __builtin_trap();
  std::vector<int16_t> pcm(sealdesk::media::kMaxFrameSamples * 2);
  // The same bytes split into packets of a length taken from the input itself.
  std::span<const uint8_t> rest(data + 1, size - 1);
  while (!rest.empty()) {
    const size_t n = std::min<size_t>(rest.size(), 1 + rest[0] * 6u);
    (void)decoder.value().decode(rest.first(n), pcm);
    (void)decoder.value().decode({}, std::span(pcm).first(960 * static_cast<size_t>(channels)));
    rest = rest.subspan(n);
  }
  return 0;
}

// libFuzzer: arbitrary bytes as a voice note (Ogg pages -> OpusHead/OpusTags -> Opus packets ->
// PCM), the path a received attachment takes after it is opened. Must never crash; a successful
// decode must respect the declared duration.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sdk/media/voice_note.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto note = sealdesk::media::decode_voice_note(std::span(data, size));
  if (note.ok()) {
    const auto& n = note.value();
    if (n.pcm.size() % static_cast<size_t>(n.channels) != 0) __builtin_trap();
    if (static_cast<int64_t>(n.pcm.size() / static_cast<size_t>(n.channels)) * 1000 / 48000 != n.duration_ms) __builtin_trap();
  }
  return 0;
}

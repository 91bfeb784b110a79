// sdk/media bindings: Opus encoder/decoder handles. JS owns a handle and must call delete().
#include "sdk/media/voice_codec.h"
#include "wasm/common.h"

namespace sealdesk::wasm {
namespace {

using media::VoiceDecoder;
using media::VoiceEncoder;

// Returns a new encoder, or null with the error kept for _takeLastError().
VoiceEncoder* create_encoder(int32_t sample_rate, int32_t channels, int32_t application) {
  auto made = VoiceEncoder::create(sample_rate, channels, static_cast<media::Application>(application));
  if (!made.ok()) {
    to_int(made.error());
    return nullptr;
  }
  return new VoiceEncoder(std::move(made).value());
}

VoiceDecoder* create_decoder(int32_t sample_rate, int32_t channels) {
  auto made = VoiceDecoder::create(sample_rate, channels);
  if (!made.ok()) {
    to_int(made.error());
    return nullptr;
  }
  return new VoiceDecoder(std::move(made).value());
}

int32_t encode(VoiceEncoder& encoder, HeapPtr pcm, size_t pcm_samples, HeapPtr out, size_t out_len) {
  return to_int(encoder.encode(heap_view<int16_t>(pcm, pcm_samples), heap_span(out, out_len)));
}

int32_t decode(VoiceDecoder& decoder, HeapPtr packet, size_t packet_len, HeapPtr pcm, size_t pcm_samples) {
  return to_int(decoder.decode(heap_view(packet, packet_len), heap_span<int16_t>(pcm, pcm_samples)));
}

int32_t set_bitrate(VoiceEncoder& encoder, int32_t bps) { return to_int(encoder.set_bitrate(bps)); }
int32_t set_complexity(VoiceEncoder& encoder, int32_t c) { return to_int(encoder.set_complexity(c)); }

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_media) {
  using emscripten::allow_raw_pointers;
  emscripten::constant("OPUS_MAX_PACKET_BYTES", media::kMaxPacketBytes);
  emscripten::constant("OPUS_MAX_FRAME_SAMPLES", media::kMaxFrameSamples);
  emscripten::class_<VoiceEncoder>("VoiceEncoder")
      .class_function("_create", &create_encoder, allow_raw_pointers())
      .function("_encode", &encode)
      .function("_setBitrate", &set_bitrate)
      .function("_setComplexity", &set_complexity);
  emscripten::class_<VoiceDecoder>("VoiceDecoder")
      .class_function("_create", &create_decoder, allow_raw_pointers())
      .function("_decode", &decode);
}

}  // namespace sealdesk::wasm

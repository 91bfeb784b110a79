#include "sdk/media/voice_codec.h"

#include <opus.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>

namespace sealdesk::media {
namespace {

static_assert(static_cast<int>(Application::voip) == OPUS_APPLICATION_VOIP);
static_assert(static_cast<int>(Application::audio) == OPUS_APPLICATION_AUDIO);

Error opus_error(int code) { return Error{status_from_opus(code), opus_strerror(code)}; }
Error bad_arg(const char* what) { return Error{Status::codec_bad_arg, what}; }

bool valid_channels(int32_t channels) { return channels == 1 || channels == 2; }

}  // namespace

const char* opus_version() { return opus_get_version_string(); }

Status status_from_opus(int opus_error_code) {
  switch (opus_error_code) {
    case OPUS_OK: return Status::ok;
    case OPUS_BAD_ARG: return Status::codec_bad_arg;
    case OPUS_BUFFER_TOO_SMALL: return Status::codec_buffer_too_small;
    case OPUS_INVALID_PACKET: return Status::codec_invalid_packet;
    case OPUS_UNIMPLEMENTED: return Status::codec_unimplemented;
    case OPUS_INVALID_STATE: return Status::codec_invalid_state;
    case OPUS_ALLOC_FAIL: return Status::codec_alloc_fail;
    default: return opus_error_code >= 0 ? Status::ok : Status::codec_internal;
  }
}

bool is_opus_rate(int32_t rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

size_t frame_samples(int32_t sample_rate, int32_t duration_tenths_ms) {
  if (!is_opus_rate(sample_rate)) return 0;
  switch (duration_tenths_ms) {
    case 25: case 50: case 100: case 200: case 400: case 600:
      return static_cast<size_t>(sample_rate / 400 * duration_tenths_ms / 25);
    default:
      return 0;
  }
}

// opus_*_create() allocate and opus_*_destroy() free without wiping: the states are allocated
// here instead (opus_*_get_size + opus_*_init, as libopus' own create does), so they can be.
namespace {
template <typename State, typename Free>
std::unique_ptr<State, Free> alloc_state(int bytes) {
  if (bytes <= 0) return {nullptr, Free{}};
  return {static_cast<State*>(std::malloc(static_cast<size_t>(bytes))), Free{static_cast<size_t>(bytes)}};
}
}  // namespace

void VoiceEncoder::Free::operator()(OpusEncoder* e) const {
  sodium_memzero(e, bytes);
  std::free(e);
}
void VoiceDecoder::Free::operator()(OpusDecoder* d) const {
  sodium_memzero(d, bytes);
  std::free(d);
}

Result<VoiceEncoder> VoiceEncoder::create(const EncoderSettings& s) {
  if (!is_opus_rate(s.sample_rate)) return bad_arg("sample_rate must be 8000, 12000, 16000, 24000 or 48000");
  if (!valid_channels(s.channels)) return bad_arg("channels must be 1 or 2");
  if (s.application != Application::voip && s.application != Application::audio) {
    return bad_arg("application must be voip or audio");
  }
  if (s.bitrate != 0 && (s.bitrate < 500 || s.bitrate > 512000)) return bad_arg("bitrate must be 0 or 500..512000");
  if (s.complexity < 0 || s.complexity > 10) return bad_arg("complexity must be 0..10");
  if (s.expected_loss_percent < 0 || s.expected_loss_percent > 100) {
    return bad_arg("expected_loss_percent must be 0..100");
  }
  auto state = alloc_state<OpusEncoder, Free>(opus_encoder_get_size(s.channels));
  if (!state) return opus_error(OPUS_ALLOC_FAIL);
  OpusEncoder* raw = state.get();
  const int err = opus_encoder_init(raw, s.sample_rate, s.channels, static_cast<int>(s.application));
  if (err != OPUS_OK) return opus_error(err);
  VoiceEncoder encoder(std::move(state), s);
  const int results[] = {
      opus_encoder_ctl(raw, OPUS_SET_BITRATE(s.bitrate == 0 ? OPUS_AUTO : s.bitrate)),
      opus_encoder_ctl(raw, OPUS_SET_COMPLEXITY(s.complexity)),
      opus_encoder_ctl(raw, OPUS_SET_DTX(s.dtx ? 1 : 0)),
      opus_encoder_ctl(raw, OPUS_SET_INBAND_FEC(s.inband_fec ? 1 : 0)),
      opus_encoder_ctl(raw, OPUS_SET_PACKET_LOSS_PERC(s.expected_loss_percent)),
  };
  for (int r : results) {
    if (r != OPUS_OK) return opus_error(r);
  }
  return encoder;
}

Result<size_t> VoiceEncoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
  const auto channels = static_cast<size_t>(settings_.channels);
  if (pcm.size() % channels != 0) return bad_arg("pcm length is not a whole number of frames");
  const size_t frame = pcm.size() / channels;
  bool valid = false;
  for (int32_t tenths : {25, 50, 100, 200, 400, 600}) valid |= frame == frame_samples(settings_.sample_rate, tenths);
  if (!valid) return bad_arg("frame must be 2.5, 5, 10, 20, 40 or 60 ms");
  if (out.empty()) return bad_arg("output buffer is empty");
  const auto cap = static_cast<opus_int32>(std::min<size_t>(out.size(), kMaxPacketBytes));
  const opus_int32 n = opus_encode(enc_.get(), pcm.data(), static_cast<int>(frame), out.data(), cap);
  if (n < 0) return opus_error(n);
  return static_cast<size_t>(n);
}

Result<int32_t> VoiceEncoder::lookahead() const {
  opus_int32 samples = 0;
  const int r = opus_encoder_ctl(enc_.get(), OPUS_GET_LOOKAHEAD(&samples));
  if (r != OPUS_OK) return opus_error(r);
  return samples;
}

Result<VoiceDecoder> VoiceDecoder::create(int32_t sample_rate, int32_t channels) {
  if (!is_opus_rate(sample_rate)) return bad_arg("sample_rate must be 8000, 12000, 16000, 24000 or 48000");
  if (!valid_channels(channels)) return bad_arg("channels must be 1 or 2");
  auto state = alloc_state<OpusDecoder, Free>(opus_decoder_get_size(channels));
  if (!state) return opus_error(OPUS_ALLOC_FAIL);
  const int err = opus_decoder_init(state.get(), sample_rate, channels);
  if (err != OPUS_OK) return opus_error(err);
  return VoiceDecoder(std::move(state), sample_rate, channels);
}

Result<size_t> VoiceDecoder::run(const uint8_t* data, size_t size, std::span<int16_t> pcm, int decode_fec) {
  const size_t capacity = std::min(pcm.size() / static_cast<size_t>(channels_), kMaxFrameSamples);
  if (capacity == 0) return opus_error(OPUS_BUFFER_TOO_SMALL);
  if (size > static_cast<size_t>(std::numeric_limits<opus_int32>::max())) return bad_arg("packet too large");
  const int n = opus_decode(dec_.get(), data, static_cast<opus_int32>(size), pcm.data(), static_cast<int>(capacity),
                            decode_fec);
  if (n < 0) return opus_error(n);
  return static_cast<size_t>(n);
}

Result<size_t> VoiceDecoder::decode(std::span<const uint8_t> packet, std::span<int16_t> pcm) {
  if (packet.empty()) return Error{Status::codec_invalid_packet, "empty packet (use conceal() for a lost one)"};
  return run(packet.data(), packet.size(), pcm, 0);
}

Result<size_t> VoiceDecoder::conceal(std::span<int16_t> pcm) {
  // libopus requires the concealed length to be a multiple of 2.5 ms.
  const size_t frame = pcm.size() / static_cast<size_t>(channels_);
  if (frame == 0 || frame % static_cast<size_t>(sample_rate_ / 400) != 0) {
    return bad_arg("concealed length must be a multiple of 2.5 ms");
  }
  return run(nullptr, 0, pcm.first(frame * static_cast<size_t>(channels_)), 0);
}

Result<size_t> VoiceDecoder::recover(std::span<const uint8_t> next_packet, std::span<int16_t> pcm) {
  if (next_packet.empty()) return conceal(pcm);
  const size_t frame = pcm.size() / static_cast<size_t>(channels_);
  if (frame == 0 || frame % static_cast<size_t>(sample_rate_ / 400) != 0) {
    return bad_arg("recovered length must be a multiple of 2.5 ms");
  }
  return run(next_packet.data(), next_packet.size(), pcm.first(frame * static_cast<size_t>(channels_)), 1);
}

}  // namespace sealdesk::media

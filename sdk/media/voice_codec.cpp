#include "sdk/media/voice_codec.h"

#include <opus.h>

#include <algorithm>
#include <limits>

namespace sealdesk::media {
namespace {

static_assert(static_cast<int>(Application::voip) == OPUS_APPLICATION_VOIP);
static_assert(static_cast<int>(Application::audio) == OPUS_APPLICATION_AUDIO);

bool valid_rate(int32_t rate) {
  return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

Error opus_error(int code) { return Error{status_from_opus(code), opus_strerror(code)}; }

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
    default: return Status::codec_internal;
  }
}

void VoiceEncoder::Free::operator()(OpusEncoder* e) const { opus_encoder_destroy(e); }
void VoiceDecoder::Free::operator()(OpusDecoder* d) const { opus_decoder_destroy(d); }

Result<VoiceEncoder> VoiceEncoder::create(int32_t sample_rate, int32_t channels, Application application) {
  if (!valid_rate(sample_rate) || (channels != 1 && channels != 2)) return opus_error(OPUS_BAD_ARG);
  int err = OPUS_OK;
  OpusEncoder* e = opus_encoder_create(sample_rate, channels, static_cast<int>(application), &err);
  if (err != OPUS_OK || e == nullptr) return opus_error(err != OPUS_OK ? err : OPUS_ALLOC_FAIL);
  return VoiceEncoder(e, sample_rate, channels);
}

Result<size_t> VoiceEncoder::encode(std::span<const int16_t> pcm, std::span<uint8_t> out) {
  if (pcm.empty() || pcm.size() % static_cast<size_t>(channels_) != 0) return opus_error(OPUS_BAD_ARG);
  const size_t frame = pcm.size() / static_cast<size_t>(channels_);
  if (frame > kMaxFrameSamples) return opus_error(OPUS_BAD_ARG);
  const auto cap = static_cast<opus_int32>(std::min<size_t>(out.size(), std::numeric_limits<opus_int32>::max()));
  const opus_int32 n = opus_encode(enc_.get(), pcm.data(), static_cast<int>(frame), out.data(), cap);
  if (n < 0) return opus_error(n);
  return static_cast<size_t>(n);
}

Status VoiceEncoder::set_bitrate(int32_t bits_per_second) {
  return status_from_opus(opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(bits_per_second)));
}

Status VoiceEncoder::set_complexity(int32_t complexity) {
  return status_from_opus(opus_encoder_ctl(enc_.get(), OPUS_SET_COMPLEXITY(complexity)));
}

Result<VoiceDecoder> VoiceDecoder::create(int32_t sample_rate, int32_t channels) {
  if (!valid_rate(sample_rate) || (channels != 1 && channels != 2)) return opus_error(OPUS_BAD_ARG);
  int err = OPUS_OK;
  OpusDecoder* d = opus_decoder_create(sample_rate, channels, &err);
  if (err != OPUS_OK || d == nullptr) return opus_error(err != OPUS_OK ? err : OPUS_ALLOC_FAIL);
  return VoiceDecoder(d, sample_rate, channels);
}

Result<size_t> VoiceDecoder::decode(std::span<const uint8_t> packet, std::span<int16_t> pcm) {
  const size_t capacity = pcm.size() / static_cast<size_t>(channels_);
  if (capacity == 0) return opus_error(OPUS_BUFFER_TOO_SMALL);
  if (packet.size() > static_cast<size_t>(std::numeric_limits<opus_int32>::max())) return opus_error(OPUS_BAD_ARG);
  const int frame_cap = static_cast<int>(std::min(capacity, kMaxFrameSamples));
  const int n = opus_decode(dec_.get(), packet.empty() ? nullptr : packet.data(),
                            static_cast<opus_int32>(packet.size()), pcm.data(), frame_cap, 0);
  if (n < 0) return opus_error(n);
  return static_cast<size_t>(n);
}

}  // namespace sealdesk::media

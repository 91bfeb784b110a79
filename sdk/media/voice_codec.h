// Opus voice encoder and decoder (libopus), owned as RAII handles.
// Errors map one-to-one onto libopus' error codes (Status::codec_*); the detail carries
// opus_strerror()'s text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "sdk/common/status.h"

struct OpusEncoder;
struct OpusDecoder;

namespace sealdesk::media {

// libopus' version string, e.g. "libopus 1.3.1".
const char* opus_version();

enum class Application : int32_t {
  voip = 2048,      // OPUS_APPLICATION_VOIP: speech, with voice-optimised processing
  audio = 2049,     // OPUS_APPLICATION_AUDIO: music and mixed content
};

// The largest Opus packet RFC 6716 allows for one frame; an encode buffer of this size always fits.
inline constexpr size_t kMaxPacketBytes = 1275;
// The longest frame (120 ms at 48 kHz) per channel, for sizing decode buffers.
inline constexpr size_t kMaxFrameSamples = 5760;

// Maps a libopus error code (negative int) to a Status.
Status status_from_opus(int opus_error);

class VoiceEncoder {
 public:
  // sample_rate: 8000, 12000, 16000, 24000 or 48000; channels: 1 or 2.
  static Result<VoiceEncoder> create(int32_t sample_rate, int32_t channels, Application application);

  // Encodes one frame of interleaved 16-bit PCM (frame_samples per channel must be a valid Opus
  // frame size: 2.5, 5, 10, 20, 40 or 60 ms). Returns the packet size written to out.
  Result<size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out);

  Status set_bitrate(int32_t bits_per_second);
  Status set_complexity(int32_t complexity);  // 0..10

  int32_t sample_rate() const { return sample_rate_; }
  int32_t channels() const { return channels_; }

 private:
  struct Free { void operator()(OpusEncoder* e) const; };
  VoiceEncoder(OpusEncoder* e, int32_t sample_rate, int32_t channels)
      : enc_(e), sample_rate_(sample_rate), channels_(channels) {}
  std::unique_ptr<OpusEncoder, Free> enc_;
  int32_t sample_rate_;
  int32_t channels_;
};

class VoiceDecoder {
 public:
  static Result<VoiceDecoder> create(int32_t sample_rate, int32_t channels);

  // Decodes one packet into interleaved PCM; returns samples per channel written.
  // An empty packet asks for packet-loss concealment of pcm.size() / channels samples.
  Result<size_t> decode(std::span<const uint8_t> packet, std::span<int16_t> pcm);

  int32_t sample_rate() const { return sample_rate_; }
  int32_t channels() const { return channels_; }

 private:
  struct Free { void operator()(OpusDecoder* d) const; };
  VoiceDecoder(OpusDecoder* d, int32_t sample_rate, int32_t channels)
      : dec_(d), sample_rate_(sample_rate), channels_(channels) {}
  std::unique_ptr<OpusDecoder, Free> dec_;
  int32_t sample_rate_;
  int32_t channels_;
};

}  // namespace sealdesk::media

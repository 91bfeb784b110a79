// Opus voice encoder and decoder (libopus, RFC 6716), owned as RAII handles.
// Errors map one-to-one onto libopus' error codes (Status::codec_*); the detail carries
// opus_strerror()'s text or names the argument that was wrong.
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
  voip = 2048,   // OPUS_APPLICATION_VOIP: speech, with voice-optimised processing
  audio = 2049,  // OPUS_APPLICATION_AUDIO: music and mixed content
};

// Output buffer size for one encode call: libopus documents 4000 bytes as always enough for a
// packet of up to 120 ms (RFC 6716 bounds a single frame at 1275 bytes).
inline constexpr size_t kMaxPacketBytes = 4000;
// The longest frame (120 ms at 48 kHz) per channel, for sizing decode buffers.
inline constexpr size_t kMaxFrameSamples = 5760;

// Maps a libopus error code (negative int) to a Status.
Status status_from_opus(int opus_error);

// True when rate is one Opus runs at natively: 8, 12, 16, 24 or 48 kHz.
bool is_opus_rate(int32_t sample_rate);

// Samples per channel in a frame of the given duration, or 0 if Opus has no such frame size.
// Durations are in tenths of a millisecond: 25 (2.5 ms), 50, 100, 200, 400, 600.
size_t frame_samples(int32_t sample_rate, int32_t duration_tenths_ms);

struct EncoderSettings {
  int32_t sample_rate = 48000;
  int32_t channels = 1;
  Application application = Application::voip;
  int32_t bitrate = 0;                // bits/s, 500..512000; 0 keeps libopus' automatic choice
  int32_t complexity = 9;             // 0..10 (libopus' own default is 9)
  bool dtx = false;                   // discontinuous transmission: tiny packets in silence
  bool inband_fec = false;            // LBRR data so the receiver can rebuild a lost packet
  int32_t expected_loss_percent = 0;  // 0..100: tells the encoder how much FEC to spend
};

class VoiceEncoder {
 public:
  static Result<VoiceEncoder> create(const EncoderSettings& settings);

  // Encodes one frame of interleaved 16-bit PCM. pcm.size() / channels must be a frame size
  // Opus supports at this rate (2.5 to 60 ms). Returns the packet size written to out.
  Result<size_t> encode(std::span<const int16_t> pcm, std::span<uint8_t> out);

  // Samples (at the encoder's rate) the decoder output lags the input: the Ogg pre-skip.
  Result<int32_t> lookahead() const;

  const EncoderSettings& settings() const { return settings_; }

 private:
  // The codec states hold the last frames of audio: wiped before they are freed.
  struct Free {
    size_t bytes = 0;
    void operator()(OpusEncoder* e) const;
  };
  VoiceEncoder(std::unique_ptr<OpusEncoder, Free> e, const EncoderSettings& settings)
      : enc_(std::move(e)), settings_(settings) {}
  std::unique_ptr<OpusEncoder, Free> enc_;
  EncoderSettings settings_;
};

class VoiceDecoder {
 public:
  static Result<VoiceDecoder> create(int32_t sample_rate, int32_t channels);

  // Decodes one packet into interleaved PCM; returns samples per channel written.
  // invalid_packet for bytes that are not Opus; the decoder state stays usable.
  Result<size_t> decode(std::span<const uint8_t> packet, std::span<int16_t> pcm);

  // Packet-loss concealment: synthesises pcm.size() / channels samples for a lost packet.
  Result<size_t> conceal(std::span<int16_t> pcm);

  // Rebuilds the lost packet *before* next_packet from next_packet's in-band FEC data (falls
  // back to concealment inside libopus when next_packet carries none). pcm.size() / channels
  // must be the lost frame's size.
  Result<size_t> recover(std::span<const uint8_t> next_packet, std::span<int16_t> pcm);

  int32_t sample_rate() const { return sample_rate_; }
  int32_t channels() const { return channels_; }

 private:
  struct Free {  // as VoiceEncoder's
    size_t bytes = 0;
    void operator()(OpusDecoder* d) const;
  };
  VoiceDecoder(std::unique_ptr<OpusDecoder, Free> d, int32_t sample_rate, int32_t channels)
      : dec_(std::move(d)), sample_rate_(sample_rate), channels_(channels) {}
  Result<size_t> run(const uint8_t* data, size_t size, std::span<int16_t> pcm, int decode_fec);
  std::unique_ptr<OpusDecoder, Free> dec_;
  int32_t sample_rate_;
  int32_t channels_;
};

}  // namespace sealdesk::media

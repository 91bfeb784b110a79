// Voice notes: captured PCM (any rate) -> 48 kHz -> 20 ms Opus frames -> an Ogg Opus file, and
// back. The recorder enforces the maximum length and reports a level for the meter; the file it
// produces is what gets sealed as an attachment and what an agent downloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/media/ogg_opus.h"
#include "sdk/media/resampler.h"
#include "sdk/media/voice_codec.h"

namespace sealdesk::media {

struct VoiceNoteOptions {
  int32_t input_sample_rate = 48000;  // the AudioContext's rate
  int32_t max_duration_ms = 120000;   // recording stops accepting audio past this
  int32_t bitrate = 24000;
  int32_t complexity = 9;
  uint32_t serial = 0;                // Ogg stream serial; callers pass a random one
};

class VoiceNoteRecorder {
 public:
  static Result<VoiceNoteRecorder> create(const VoiceNoteOptions& options);

  // Adds mono float samples in [-1, 1] at the input rate. Past the maximum length, the part
  // that fits is kept and too_large is returned: the caller stops recording.
  Status push(std::span<const float> samples);

  // RMS of the newest 20 ms, 0..1, for the level meter.
  float level() const { return level_; }
  // Recorded length so far, in milliseconds.
  int64_t duration_ms() const;

  // Encodes what is left and returns the Ogg Opus file. The recorder cannot be reused.
  Result<std::vector<uint8_t>> finish();

 private:
  VoiceNoteRecorder(VoiceNoteOptions options, Resampler resampler, VoiceEncoder encoder, OggOpusWriter writer)
      : options_(options), resampler_(std::move(resampler)), encoder_(std::move(encoder)), writer_(std::move(writer)) {}
  Status encode_ready_frames(bool final);

  VoiceNoteOptions options_;
  Resampler resampler_;
  VoiceEncoder encoder_;
  OggOpusWriter writer_;
  std::vector<float> pending_48k_;  // resampled audio not yet encoded
  std::vector<int16_t> frame_;
  std::vector<uint8_t> packet_;
  int64_t accepted_input_ = 0;      // input samples accepted (bounded by the maximum)
  int64_t encoded_48k_ = 0;         // 48 kHz samples handed to the encoder
  float level_ = 0.0f;
  bool finished_ = false;
};

struct DecodedVoiceNote {
  int32_t sample_rate = 48000;
  int32_t channels = 1;
  std::vector<float> pcm;  // interleaved, pre-skip and end padding removed
  int64_t duration_ms = 0;
};

// Opens an Ogg Opus voice note for playback (whole file; notes are short).
Result<DecodedVoiceNote> decode_voice_note(std::span<const uint8_t> ogg_file);

}  // namespace sealdesk::media

// Ogg Opus files (RFC 7845) for voice notes: the container pages come from libogg; this module
// only builds the two header packets (OpusHead, OpusTags) and keeps granule positions right.
// A voice note travels as one such file (sealed as an attachment), so what an agent downloads
// opens in any player.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sdk/common/status.h"

namespace sealdesk::media {

struct OggOpusHeader {
  int32_t channels = 1;
  int32_t pre_skip = 0;             // 48 kHz samples to drop at the start (the encoder lookahead)
  int32_t input_sample_rate = 48000;  // informational: the rate the audio was captured at
};

class OggOpusWriter {
 public:
  static Result<OggOpusWriter> create(const OggOpusHeader& header, uint32_t serial);

  OggOpusWriter(OggOpusWriter&& other) noexcept;
  OggOpusWriter& operator=(OggOpusWriter&&) = delete;
  OggOpusWriter(const OggOpusWriter&) = delete;
  OggOpusWriter& operator=(const OggOpusWriter&) = delete;
  ~OggOpusWriter();

  // Adds one Opus packet holding samples_48k samples per channel (at 48 kHz, whatever the
  // encoder's rate: RFC 7845 §4 counts granule positions at 48 kHz).
  Status add_packet(std::span<const uint8_t> packet, int64_t samples_48k);

  // Ends the stream. valid_samples_48k is the real length of the audio; the final granule
  // position (pre_skip + valid) trims the padding of the last frame (RFC 7845 §4.4).
  // Returns the whole file.
  Result<std::vector<uint8_t>> finish(int64_t valid_samples_48k);

 private:
  struct State;
  explicit OggOpusWriter(State* state) : state_(state) {}
  Status submit(std::span<const uint8_t> packet, int64_t granule, bool end_of_stream);
  void drain_pages(bool flush);
  State* state_;
};

struct OggOpusFile {
  OggOpusHeader header;
  std::string vendor;
  std::vector<std::vector<uint8_t>> packets;  // audio packets, in order
  int64_t final_granule = 0;                  // 48 kHz, includes pre_skip
  // Playable length in 48 kHz samples per channel.
  int64_t duration_samples() const { return final_granule > header.pre_skip ? final_granule - header.pre_skip : 0; }
};

// Parses a single-stream Ogg Opus file. malformed for bad pages (CRC, capture), a missing or
// wrong OpusHead/OpusTags, or more than one logical stream; truncated when the end-of-stream
// page is missing.
Result<OggOpusFile> read_ogg_opus(std::span<const uint8_t> file);

}  // namespace sealdesk::media

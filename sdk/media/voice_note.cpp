#include "sdk/media/voice_note.h"

#include <algorithm>
#include <cmath>

namespace sealdesk::media {
namespace {

constexpr size_t kFrame48k = 960;  // 20 ms at 48 kHz

int16_t to_pcm16(float x) {
  const float clamped = std::clamp(x, -1.0f, 1.0f);
  return static_cast<int16_t>(std::lrintf(clamped * 32767.0f));
}

}  // namespace

Result<VoiceNoteRecorder> VoiceNoteRecorder::create(const VoiceNoteOptions& options) {
  if (options.max_duration_ms <= 0 || options.max_duration_ms > 15 * 60 * 1000) {
    return Error{Status::invalid_argument, "max_duration_ms must be 1..900000"};
  }
  auto resampler = Resampler::create(options.input_sample_rate, 48000);
  if (!resampler.ok()) return resampler.error();
  EncoderSettings settings;
  settings.bitrate = options.bitrate;
  settings.complexity = options.complexity;
  auto encoder = VoiceEncoder::create(settings);
  if (!encoder.ok()) return encoder.error();
  auto lookahead = encoder.value().lookahead();
  if (!lookahead.ok()) return lookahead.error();
  auto writer = OggOpusWriter::create(
      OggOpusHeader{.channels = 1, .pre_skip = lookahead.value(), .input_sample_rate = options.input_sample_rate},
      options.serial);
  if (!writer.ok()) return writer.error();
  VoiceNoteRecorder recorder(options, std::move(resampler).value(), std::move(encoder).value(),
                             std::move(writer).value());
  recorder.frame_.resize(kFrame48k);
  recorder.packet_.resize(kMaxPacketBytes);
  return recorder;
}

int64_t VoiceNoteRecorder::duration_ms() const {
  return accepted_input_ * 1000 / options_.input_sample_rate;
}

Status VoiceNoteRecorder::push(std::span<const float> samples) {
  if (finished_) return Status::invalid_argument;
  const int64_t max_input = static_cast<int64_t>(options_.max_duration_ms) * options_.input_sample_rate / 1000;
  const auto room = static_cast<size_t>(std::max<int64_t>(0, max_input - accepted_input_));
  const auto take = samples.first(std::min(room, samples.size()));
  accepted_input_ += static_cast<int64_t>(take.size());
  resampler_.process(take, pending_48k_);
  if (Status s = encode_ready_frames(false); s != Status::ok) return s;
  return take.size() < samples.size() ? Status::too_large : Status::ok;
}

Status VoiceNoteRecorder::encode_ready_frames(bool final) {
  size_t offset = 0;
  while (pending_48k_.size() - offset >= kFrame48k || (final && offset < pending_48k_.size())) {
    const size_t n = std::min(kFrame48k, pending_48k_.size() - offset);
    double energy = 0;
    for (size_t i = 0; i < kFrame48k; ++i) {
      const float x = i < n ? pending_48k_[offset + i] : 0.0f;  // the last frame is padded with silence
      frame_[i] = to_pcm16(x);
      energy += static_cast<double>(x) * x;
    }
    level_ = static_cast<float>(std::sqrt(energy / static_cast<double>(kFrame48k)));
    auto bytes = encoder_.encode(frame_, packet_);
    if (!bytes.ok()) return bytes.status();
    if (Status s = writer_.add_packet(std::span(packet_).first(bytes.value()), kFrame48k); s != Status::ok) return s;
    encoded_48k_ += static_cast<int64_t>(n);
    offset += n;
  }
  pending_48k_.erase(pending_48k_.begin(), pending_48k_.begin() + static_cast<std::ptrdiff_t>(offset));
  return Status::ok;
}

Result<std::vector<uint8_t>> VoiceNoteRecorder::finish() {
  if (finished_) return Error{Status::invalid_argument, "recorder finished"};
  finished_ = true;
  resampler_.flush(pending_48k_);
  // The encoder's lookahead delays its output: feed that much silence so the last real samples
  // come out, then mark the real length with the final granule position.
  auto lookahead = encoder_.lookahead();
  if (!lookahead.ok()) return lookahead.error();
  const int64_t real = encoded_48k_ + static_cast<int64_t>(pending_48k_.size());
  pending_48k_.insert(pending_48k_.end(), static_cast<size_t>(lookahead.value()), 0.0f);
  if (Status s = encode_ready_frames(true); s != Status::ok) return s;
  if (real == 0) return Error{Status::invalid_argument, "no audio recorded"};
  return writer_.finish(real);
}

Result<DecodedVoiceNote> decode_voice_note(std::span<const uint8_t> ogg_file) {
  auto file = read_ogg_opus(ogg_file);
  if (!file.ok()) return file.error();
  const OggOpusFile& f = file.value();
  auto decoder = VoiceDecoder::create(48000, f.header.channels);
  if (!decoder.ok()) return decoder.error();
  // 64-bit arithmetic throughout: size_t is 32 bits in WASM, and a granule position near 2^32
  // must be refused, not wrapped. An Opus packet holds at most 120 ms (RFC 6716 §3.2.5), so the
  // granule may not claim more audio than the packets can carry.
  constexpr uint64_t kMaxPacketSamples = 5760;  // 120 ms at 48 kHz
  const auto channels = static_cast<uint64_t>(f.header.channels);
  const uint64_t skip = static_cast<uint64_t>(f.header.pre_skip);
  const uint64_t duration = static_cast<uint64_t>(f.duration_samples());
  const uint64_t decodable = static_cast<uint64_t>(f.packets.size()) * kMaxPacketSamples;
  if (skip > decodable || duration > decodable - skip) {
    return Error{Status::malformed, "granule position beyond what the packets can hold"};
  }
  DecodedVoiceNote note;
  note.channels = f.header.channels;
  std::vector<int16_t> pcm(kMaxFrameSamples * static_cast<size_t>(channels));
  std::vector<float> all;
  for (const auto& packet : f.packets) {
    auto n = decoder.value().decode(packet, pcm);
    if (!n.ok()) return n.error();
    for (size_t i = 0; i < n.value() * channels; ++i) all.push_back(static_cast<float>(pcm[i]) / 32768.0f);
  }
  if ((skip + duration) * channels > all.size()) return Error{Status::malformed, "granule position beyond the decoded audio"};
  note.pcm.assign(all.begin() + static_cast<std::ptrdiff_t>(skip * channels),
                  all.begin() + static_cast<std::ptrdiff_t>((skip + duration) * channels));
  note.duration_ms = static_cast<int64_t>(duration * 1000 / 48000);
  return note;
}

}  // namespace sealdesk::media

// sdk/media bindings: Opus encoder/decoder, voice notes, live-audio receiver. JS owns each handle
// and must call delete(). Factories return null on failure (the error is in _takeLastError()).
#include <cmath>

#include "sdk/media/live_audio.h"
#include "sdk/media/voice_codec.h"
#include "sdk/media/voice_note.h"
#include "wasm/common.h"

namespace sealdesk::wasm {
namespace {

using emscripten::val;
using media::LiveAudioReceiver;
using media::VoiceDecoder;
using media::VoiceEncoder;
using media::VoiceNoteRecorder;

VoiceEncoder* create_encoder(int32_t sample_rate, int32_t channels, int32_t application, int32_t bitrate,
                             int32_t complexity, bool dtx, bool inband_fec, int32_t expected_loss_percent) {
  return handle_or_null(VoiceEncoder::create({.sample_rate = sample_rate,
                                       .channels = channels,
                                       .application = static_cast<media::Application>(application),
                                       .bitrate = bitrate,
                                       .complexity = complexity,
                                       .dtx = dtx,
                                       .inband_fec = inband_fec,
                                       .expected_loss_percent = expected_loss_percent}));
}

VoiceDecoder* create_decoder(int32_t sample_rate, int32_t channels) {
  return handle_or_null(VoiceDecoder::create(sample_rate, channels));
}

int32_t encode(VoiceEncoder& e, HeapPtr pcm, size_t pcm_samples, HeapPtr out, size_t out_len) {
  return to_int(e.encode(heap_view<int16_t>(pcm, pcm_samples), heap_span(out, out_len)));
}

int32_t lookahead(VoiceEncoder& e) { return to_int(e.lookahead()); }

int32_t decode(VoiceDecoder& d, HeapPtr packet, size_t packet_len, HeapPtr pcm, size_t pcm_samples) {
  return to_int(d.decode(heap_view(packet, packet_len), heap_span<int16_t>(pcm, pcm_samples)));
}

int32_t conceal(VoiceDecoder& d, HeapPtr pcm, size_t pcm_samples) {
  return to_int(d.conceal(heap_span<int16_t>(pcm, pcm_samples)));
}

int32_t recover(VoiceDecoder& d, HeapPtr next, size_t next_len, HeapPtr pcm, size_t pcm_samples) {
  return to_int(d.recover(heap_view(next, next_len), heap_span<int16_t>(pcm, pcm_samples)));
}

VoiceNoteRecorder* create_recorder(int32_t input_rate, int32_t max_ms, int32_t bitrate, int32_t complexity,
                                   uint32_t serial) {
  return handle_or_null(VoiceNoteRecorder::create({.input_sample_rate = input_rate,
                                            .max_duration_ms = max_ms,
                                            .bitrate = bitrate,
                                            .complexity = complexity,
                                            .serial = serial}));
}

int32_t recorder_push(VoiceNoteRecorder& r, HeapPtr samples, size_t count) {
  return to_int(r.push(heap_view<float>(samples, count)));
}
float recorder_level(const VoiceNoteRecorder& r) { return r.level(); }
double recorder_duration(const VoiceNoteRecorder& r) { return static_cast<double>(r.duration_ms()); }
val recorder_finish(VoiceNoteRecorder& r) { return output_view(r.finish()); }

// {sampleRate, channels, durationMs, pcm: Float32Array view} or null.
val decode_voice_note(HeapPtr file, size_t file_len) {
  static media::DecodedVoiceNote note;
  auto decoded = media::decode_voice_note(heap_view(file, file_len));
  if (!decoded.ok()) {
    to_int(decoded.error());
    return val::null();
  }
  note = std::move(decoded).value();
  val v = val::object();
  v.set("sampleRate", note.sample_rate);
  v.set("channels", note.channels);
  v.set("durationMs", static_cast<double>(note.duration_ms));
  v.set("pcm", val(emscripten::typed_memory_view(note.pcm.size(), note.pcm.data())));
  return v;
}

LiveAudioReceiver* create_live_receiver(int32_t target_depth) {
  return handle_or_null(LiveAudioReceiver::create(static_cast<size_t>(std::max(target_depth, 1))));
}

// seq arrives as a JS number (exact up to 2^53, far beyond a call's frame count).
int32_t live_receive(LiveAudioReceiver& r, double seq, HeapPtr packet, size_t packet_len) {
  if (!(seq >= 0) || seq > 9007199254740991.0 || std::floor(seq) != seq) return fail(Status::invalid_argument, "seq");
  return to_int(r.receive(static_cast<uint64_t>(seq), heap_view(packet, packet_len)));
}

// Writes 960 samples at pcm; returns the JitterBuffer::Action taken (0 wait, 1 play, 2 recover, 3 conceal).
int32_t live_play(LiveAudioReceiver& r, HeapPtr pcm) {
  auto action = r.play(heap_fixed<int16_t, 960>(pcm));
  if (!action.ok()) return to_int(action.error());
  return static_cast<int32_t>(action.value());
}

val live_stats(const LiveAudioReceiver& r) {
  const auto& s = r.stats();
  val v = val::object();
  v.set("played", static_cast<double>(s.played));
  v.set("recovered", static_cast<double>(s.recovered));
  v.set("concealed", static_cast<double>(s.concealed));
  v.set("late", static_cast<double>(s.late));
  v.set("duplicates", static_cast<double>(s.duplicates));
  return v;
}

}  // namespace

EMSCRIPTEN_BINDINGS(sealdesk_media) {
  using emscripten::allow_raw_pointers;
  emscripten::constant("OPUS_MAX_PACKET_BYTES", media::kMaxPacketBytes);
  emscripten::constant("OPUS_MAX_FRAME_SAMPLES", media::kMaxFrameSamples);
  emscripten::class_<VoiceEncoder>("VoiceEncoder")
      .class_function("_create", &create_encoder, allow_raw_pointers())
      .function("_encode", &encode)
      .function("_lookahead", &lookahead);
  emscripten::class_<VoiceDecoder>("VoiceDecoder")
      .class_function("_create", &create_decoder, allow_raw_pointers())
      .function("_decode", &decode)
      .function("_conceal", &conceal)
      .function("_recover", &recover);
  emscripten::class_<VoiceNoteRecorder>("VoiceNoteRecorder")
      .class_function("_create", &create_recorder, allow_raw_pointers())
      .function("_push", &recorder_push)
      .function("level", &recorder_level)
      .function("durationMs", &recorder_duration)
      .function("_finish", &recorder_finish);
  emscripten::function("_decodeVoiceNote", &decode_voice_note);
  emscripten::class_<LiveAudioReceiver>("LiveAudioReceiver")
      .class_function("_create", &create_live_receiver, allow_raw_pointers())
      .function("_receive", &live_receive)
      .function("_play", &live_play)
      .function("stats", &live_stats);
}

}  // namespace sealdesk::wasm

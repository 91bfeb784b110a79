#include "sdk/media/voice_note.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "sdk/media/ogg_opus.h"
#include "tests/native/media_test_signals.h"

namespace sealdesk::media {
namespace {

std::vector<uint8_t> record(const std::vector<float>& pcm, int32_t rate, VoiceNoteOptions options = {}) {
  options.input_sample_rate = rate;
  options.serial = 0x5EA1D35Cu;
  auto rec = VoiceNoteRecorder::create(options);
  EXPECT_TRUE(rec.ok());
  for (size_t off = 0; off < pcm.size(); off += 128) {  // AudioWorklet render quanta
    EXPECT_EQ(rec.value().push(std::span(pcm).subspan(off, std::min<size_t>(128, pcm.size() - off))), Status::ok);
  }
  auto file = rec.value().finish();
  EXPECT_TRUE(file.ok()) << status_name(file.status());
  return file.ok() ? file.value() : std::vector<uint8_t>{};
}

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  const int rc = pclose(p);
  return rc == 0 ? out : "EXIT " + std::to_string(rc) + "\n" + out;
}

std::string write_temp(const std::vector<uint8_t>& bytes, const std::string& name) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
  return path;
}

TEST(VoiceNote, RoundTripKeepsSpeechAndExactLength) {
  const auto& speech = testing::speech_48k();
  ASSERT_GT(speech.size(), 48000u);
  const auto file = record(speech, 48000);
  auto note = decode_voice_note(file);
  ASSERT_TRUE(note.ok()) << status_name(note.status());
  // Pre-skip and the final granule position trim the codec delay and padding: same length, aligned.
  EXPECT_EQ(note.value().pcm.size(), speech.size());
  EXPECT_EQ(note.value().duration_ms, static_cast<int64_t>(speech.size() * 1000 / 48000));
  size_t lag = 99;
  const double c = testing::best_correlation(speech, note.value().pcm, 64, &lag);
  // Stated floor at the default 24 kbit/s: correlation >= 0.85 at lag 0 (measured 0.887).
  RecordProperty("correlation", std::to_string(c));
  EXPECT_GE(c, 0.85);
  EXPECT_LE(lag, 2u);
}

TEST(VoiceNote, RecordsFromA44100HzContext) {
  const auto tone = testing::tone(44100 * 2, 44100, 440.0, 0.3);  // 2 s
  const auto file = record(tone, 44100);
  auto parsed = read_ogg_opus(file);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().header.input_sample_rate, 44100);
  EXPECT_EQ(parsed.value().duration_samples(), 96000);
  auto note = decode_voice_note(file);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note.value().duration_ms, 2000);
}

TEST(VoiceNote, OpusToolsReadTheFile) {
  const auto& speech = testing::speech_48k();
  ASSERT_GT(speech.size(), 48000u);
  const auto path = write_temp(record(speech, 48000), "sealdesk_note.opus");
  const std::string info = run("opusinfo '" + path + "'");
  ASSERT_EQ(info.rfind("EXIT", 0), std::string::npos) << info;
  EXPECT_NE(info.find("Channels: 1"), std::string::npos) << info;
  EXPECT_NE(info.find("Original sample rate: 48000 Hz"), std::string::npos) << info;
  EXPECT_NE(info.find("SealDesk libopus"), std::string::npos) << info;
  EXPECT_EQ(info.find("WARNING"), std::string::npos) << info;
  const std::string wav = ::testing::TempDir() + "sealdesk_note.wav";
  const std::string dec = run("opusdec --quiet --rate 48000 '" + path + "' '" + wav + "'");
  ASSERT_EQ(dec.rfind("EXIT", 0), std::string::npos) << dec;
  std::ifstream in(wav, std::ios::binary | std::ios::ate);
  const auto wav_bytes = static_cast<size_t>(in.tellg());
  // opusdec honours pre-skip and end trimming: a 44-byte header plus exactly our samples.
  EXPECT_EQ(wav_bytes, 44 + speech.size() * 2);
}

TEST(VoiceNote, MaximumLengthIsEnforced) {
  VoiceNoteOptions options;
  options.input_sample_rate = 48000;
  options.max_duration_ms = 1000;
  auto rec = VoiceNoteRecorder::create(options);
  ASSERT_TRUE(rec.ok());
  const auto tone = testing::tone(48000 * 2, 48000);
  EXPECT_EQ(rec.value().push(std::span(tone).first(36000)), Status::ok);
  EXPECT_EQ(rec.value().push(std::span(tone).subspan(36000, 36000)), Status::too_large);
  EXPECT_EQ(rec.value().duration_ms(), 1000);
  EXPECT_GT(rec.value().level(), 0.1f);
  auto file = rec.value().finish();
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(decode_voice_note(file.value()).value().duration_ms, 1000);
  EXPECT_EQ(rec.value().finish().status(), Status::invalid_argument);
}

TEST(VoiceNote, LevelMeterFollowsTheSignal) {
  auto rec = VoiceNoteRecorder::create({});
  ASSERT_TRUE(rec.ok());
  std::vector<float> silence(960, 0.0f);
  ASSERT_EQ(rec.value().push(silence), Status::ok);
  EXPECT_LT(rec.value().level(), 0.001f);
  const auto loud = testing::tone(1920, 48000, 440.0, 0.5);
  ASSERT_EQ(rec.value().push(loud), Status::ok);
  EXPECT_NEAR(rec.value().level(), 0.5f / std::sqrt(2.0f), 0.05f);
}

TEST(VoiceNote, DamagedFilesAreRejectedWithTypedErrors) {
  const auto file = record(testing::tone(48000, 48000), 48000);
  ASSERT_TRUE(decode_voice_note(file).ok());
  // Truncated: the end-of-stream page is gone.
  EXPECT_EQ(decode_voice_note(std::span(file).first(file.size() - 10)).status(), Status::truncated);
  // A flipped byte anywhere fails the page CRC (or the headers): never decoded silently.
  for (size_t i = 0; i < file.size(); i += 37) {
    auto bad = file;
    bad[i] ^= 0x40;
    auto r = decode_voice_note(bad);
    EXPECT_FALSE(r.ok()) << "byte " << i;
  }
  EXPECT_EQ(decode_voice_note({}).status(), Status::truncated);
  const std::vector<uint8_t> junk(500, 0x4f);
  EXPECT_FALSE(decode_voice_note(junk).ok());
}

// Sets the granule position of the file's last Ogg page and recomputes its CRC (RFC 3533 §6:
// CRC-32, polynomial 0x04c11db7, initial value 0, no reflection, over the page with the CRC field
// zeroed), as a sender crafting a file would.
std::vector<uint8_t> with_final_granule(std::vector<uint8_t> file, uint64_t granule) {
  size_t last = 0;
  for (size_t i = 0; i + 4 <= file.size(); ++i) {
    if (file[i] == 'O' && file[i + 1] == 'g' && file[i + 2] == 'g' && file[i + 3] == 'S') last = i;
  }
  const size_t segments = file[last + 26];
  size_t body = 0;
  for (size_t k = 0; k < segments; ++k) body += file[last + 27 + k];
  const size_t end = last + 27 + segments + body;
  for (int b = 0; b < 8; ++b) file[last + 6 + b] = static_cast<uint8_t>(granule >> (8 * b));
  for (int b = 0; b < 4; ++b) file[last + 22 + b] = 0;
  uint32_t crc = 0;
  for (size_t i = last; i < end; ++i) {
    crc ^= static_cast<uint32_t>(file[i]) << 24;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
  }
  for (int b = 0; b < 4; ++b) file[last + 22 + b] = static_cast<uint8_t>(crc >> (8 * b));
  return file;
}

// A granule position near 2^32 (or beyond what the packets can hold) claims hours of audio from a
// second of packets: refused with a typed error before any decoding, in native and in WASM alike.
TEST(VoiceNote, GranuleBeyondThePacketsIsRefused) {
  const auto file = record(testing::tone(48000, 48000), 48000);
  ASSERT_TRUE(decode_voice_note(file).ok());
  // The helper itself is right: rewriting the same granule keeps the file valid.
  auto same = read_ogg_opus(file);
  ASSERT_TRUE(same.ok());
  ASSERT_TRUE(decode_voice_note(with_final_granule(file, static_cast<uint64_t>(same.value().final_granule))).ok());
  for (uint64_t granule : {uint64_t{0xFFFFFFFFu} - 100, uint64_t{0x100000000u} + 312, uint64_t{1} << 40,
                           static_cast<uint64_t>(same.value().final_granule) + 5760 * 60}) {
    auto r = decode_voice_note(with_final_granule(file, granule));
    EXPECT_EQ(r.status(), Status::malformed) << granule;
  }
}

TEST(VoiceNote, EmptyRecordingIsAnError) {
  auto rec = VoiceNoteRecorder::create({});
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec.value().finish().status(), Status::invalid_argument);
}

}  // namespace
}  // namespace sealdesk::media

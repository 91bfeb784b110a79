#include "sdk/media/voice_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace sealdesk::media {
namespace {

// A 440 Hz tone with a 3 Hz amplitude wobble: voiced-like and deterministic.
std::vector<int16_t> tone(size_t samples, int32_t rate) {
  std::vector<int16_t> pcm(samples);
  for (size_t i = 0; i < samples; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double amp = 8000.0 * (0.7 + 0.3 * std::sin(2 * std::numbers::pi * 3 * t));
    pcm[i] = static_cast<int16_t>(amp * std::sin(2 * std::numbers::pi * 440 * t));
  }
  return pcm;
}

double correlation(const std::vector<int16_t>& a, const std::vector<int16_t>& b, size_t from, size_t to) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = from; i < to; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(VoiceCodec, ReportsLibopusVersion) {
  EXPECT_EQ(std::string(opus_version()).rfind("libopus 1.3", 0), 0u) << opus_version();
}

TEST(VoiceCodec, EncodeDecodeKeepsATone) {
  constexpr int32_t kRate = 48000;
  constexpr size_t kFrame = 960;  // 20 ms
  auto enc = VoiceEncoder::create(kRate, 1, Application::voip);
  auto dec = VoiceDecoder::create(kRate, 1);
  ASSERT_TRUE(enc.ok());
  ASSERT_TRUE(dec.ok());
  ASSERT_EQ(enc.value().set_bitrate(32000), Status::ok);

  const auto input = tone(kFrame * 25, kRate);  // 0.5 s
  std::vector<int16_t> output;
  std::vector<uint8_t> packet(kMaxPacketBytes);
  std::vector<int16_t> pcm(kFrame);
  for (size_t off = 0; off < input.size(); off += kFrame) {
    auto n = enc.value().encode(std::span(input).subspan(off, kFrame), packet);
    ASSERT_TRUE(n.ok()) << status_name(n.status());
    ASSERT_GT(n.value(), 2u);
    auto got = dec.value().decode(std::span(packet).first(n.value()), pcm);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got.value(), kFrame);
    output.insert(output.end(), pcm.begin(), pcm.end());
  }
  // Opus delays its output by its look-ahead (6.5 ms + decoder delay at 48 kHz); find the best
  // lag and require the decoded tone to match the input closely.
  double best = -1;
  for (size_t lag = 0; lag < 960; ++lag) {
    std::vector<int16_t> shifted(output.begin() + static_cast<long>(lag), output.end());
    best = std::max(best, correlation(input, shifted, 4800, input.size() - 960));
  }
  EXPECT_GT(best, 0.95);
}

TEST(VoiceCodec, BadArgumentsGiveTypedErrors) {
  auto bad_rate = VoiceEncoder::create(44100, 1, Application::voip);
  ASSERT_FALSE(bad_rate.ok());
  EXPECT_EQ(bad_rate.status(), Status::codec_bad_arg);
  EXPECT_EQ(bad_rate.error().detail, "invalid argument");  // opus_strerror(OPUS_BAD_ARG)
  EXPECT_EQ(VoiceDecoder::create(48000, 3).status(), Status::codec_bad_arg);

  auto enc = VoiceEncoder::create(48000, 1, Application::audio);
  ASSERT_TRUE(enc.ok());
  std::vector<int16_t> odd_frame(961);
  std::vector<uint8_t> packet(kMaxPacketBytes);
  EXPECT_EQ(enc.value().encode(odd_frame, packet).status(), Status::codec_bad_arg);
  EXPECT_EQ(enc.value().set_complexity(11), Status::codec_bad_arg);
}

TEST(VoiceCodec, CorruptPacketIsRejectedNotCrashing) {
  auto dec = VoiceDecoder::create(48000, 1);
  ASSERT_TRUE(dec.ok());
  std::vector<int16_t> pcm(kMaxFrameSamples);
  // TOC byte for code 3 (arbitrary frame count) with a frame count of 0: invalid per RFC 6716 §3.2.5.
  const std::vector<uint8_t> bad = {0x03, 0x00};
  EXPECT_EQ(dec.value().decode(bad, pcm).status(), Status::codec_invalid_packet);
  // Concealment (empty packet) still produces a frame.
  std::vector<int16_t> plc(960);
  auto n = dec.value().decode({}, plc);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 960u);
}

}  // namespace
}  // namespace sealdesk::media

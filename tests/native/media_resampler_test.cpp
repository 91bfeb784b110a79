#include "sdk/media/resampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/native/media_test_signals.h"

namespace sealdesk::media {
namespace {

// Resamples a 1 kHz tone and compares with the ideal tone at the output rate.
double tone_snr(int32_t in_rate, int32_t out_rate, size_t chunk) {
  const auto input = testing::tone(static_cast<size_t>(in_rate), in_rate, 1000.0, 0.5);  // 1 s
  auto r = Resampler::create(in_rate, out_rate);
  EXPECT_TRUE(r.ok());
  std::vector<float> out;
  for (size_t off = 0; off < input.size(); off += chunk) {
    r.value().process(std::span(input).subspan(off, std::min(chunk, input.size() - off)), out);
  }
  r.value().flush(out);
  EXPECT_EQ(out.size(), static_cast<size_t>(out_rate));  // exactly 1 s out for 1 s in
  const auto ideal = testing::tone(out.size(), out_rate, 1000.0, 0.5);
  // Skip the edges, where the filter sees the silence around the recording.
  return testing::snr_db(ideal, out, 200, out.size() - 200);
}

TEST(Resampler, CommonCaptureRatesReach48kHzCleanly) {
  // Stated floor: >= 60 dB SNR on a 1 kHz tone for the rates AudioContexts run at.
  EXPECT_GE(tone_snr(44100, 48000, 128), 60.0);
  EXPECT_GE(tone_snr(16000, 48000, 128), 60.0);
  EXPECT_GE(tone_snr(96000, 48000, 128), 60.0);
  EXPECT_GE(tone_snr(22050, 48000, 333), 60.0);
}

TEST(Resampler, ChunkingDoesNotChangeTheOutput) {
  const auto input = testing::tone(44100, 44100, 523.0, 0.3);
  auto whole = Resampler::create(44100, 48000);
  auto pieces = Resampler::create(44100, 48000);
  std::vector<float> a, b;
  whole.value().process(input, a);
  whole.value().flush(a);
  for (size_t off = 0; off < input.size(); off += 127) {
    pieces.value().process(std::span(input).subspan(off, std::min<size_t>(127, input.size() - off)), b);
  }
  pieces.value().flush(b);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_FLOAT_EQ(a[i], b[i]) << i;
}

TEST(Resampler, DownsamplingRemovesWhatTheOutputCannotCarry) {
  // A 30 kHz tone at 96 kHz is above 24 kHz (48 kHz Nyquist): it must be filtered out, not aliased.
  const auto input = testing::tone(96000, 96000, 30000.0, 0.5);
  auto r = Resampler::create(96000, 48000);
  std::vector<float> out;
  r.value().process(input, out);
  double energy = 0;
  for (size_t i = 1000; i < out.size() - 1000; ++i) energy += double(out[i]) * out[i];
  EXPECT_LT(std::sqrt(energy / static_cast<double>(out.size() - 2000)), 0.001);
}

TEST(Resampler, RejectsRatesOutsideRange) {
  EXPECT_EQ(Resampler::create(0, 48000).status(), Status::invalid_argument);
  EXPECT_EQ(Resampler::create(44100, 400000).status(), Status::invalid_argument);
}

}  // namespace
}  // namespace sealdesk::media

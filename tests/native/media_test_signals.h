// Test signals for the media tests: real speech from Debian's espeak-ng (rendered at test time,
// nothing committed), resampled to 48 kHz by the SDK's own resampler; and a tone.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sdk/media/resampler.h"

namespace sealdesk::media::testing {

inline std::vector<float> tone(size_t samples, int32_t rate, double hz = 440.0, double amplitude = 0.25) {
  std::vector<float> pcm(samples);
  for (size_t i = 0; i < samples; ++i) {
    pcm[i] = static_cast<float>(amplitude * std::sin(2 * 3.14159265358979 * hz * static_cast<double>(i) / rate));
  }
  return pcm;
}

inline std::vector<int16_t> to_pcm16(const std::vector<float>& x) {
  std::vector<int16_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = static_cast<int16_t>(std::lrint(std::fmax(-1.0, std::fmin(1.0, x[i])) * 32767));
  return out;
}

// About 4 s of English speech at 48 kHz, mono, in [-1, 1]. Empty if espeak-ng is missing.
inline const std::vector<float>& speech_48k() {
  static const std::vector<float> speech = [] {
    const std::string wav = ::testing::TempDir() + "sealdesk_speech.wav";
    const std::string cmd = "espeak-ng -v en -s 150 -w '" + wav +
                            "' 'Hello, my order number is four two seven. The parcel has not arrived yet, "
                            "could you check the delivery status please?' 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) return std::vector<float>{};
    std::ifstream in(wav, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // RIFF/WAVE, 16-bit mono: find the "fmt " and "data" chunks.
    int32_t rate = 0;
    std::vector<float> samples;
    for (size_t p = 12; p + 8 <= bytes.size();) {
      const std::string id(bytes.begin() + static_cast<long>(p), bytes.begin() + static_cast<long>(p) + 4);
      uint32_t size = bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (static_cast<uint32_t>(bytes[p + 7]) << 24);
      if (id == "fmt ") rate = bytes[p + 12] | (bytes[p + 13] << 8) | (bytes[p + 14] << 16);
      if (id == "data") {
        if (size == 0xffffffffu || p + 8 + size > bytes.size()) size = static_cast<uint32_t>(bytes.size() - p - 8);
        for (size_t i = 0; i + 1 < size; i += 2) {
          samples.push_back(static_cast<float>(static_cast<int16_t>(bytes[p + 8 + i] | (bytes[p + 9 + i] << 8))) / 32768.0f);
        }
        break;
      }
      p += 8 + size + (size & 1);
    }
    if (rate == 0 || samples.empty()) return std::vector<float>{};
    auto resampler = Resampler::create(rate, 48000);
    std::vector<float> out;
    resampler.value().process(samples, out);
    resampler.value().flush(out);
    return out;
  }();
  return speech;
}

inline double correlation_at(const std::vector<float>& a, const std::vector<float>& b, size_t lag, size_t limit) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i + lag < b.size() && i < a.size() && i < limit; ++i) {
    ab += double(a[i]) * b[i + lag];
    aa += double(a[i]) * a[i];
    bb += double(b[i + lag]) * b[i + lag];
  }
  return (aa > 0 && bb > 0) ? ab / std::sqrt(aa * bb) : 0;
}

// Normalised cross-correlation of b against a over their whole length, at the lag in
// [0, max_lag) that best aligns their first third of a second (the codec delay).
inline double best_correlation(const std::vector<float>& a, const std::vector<float>& b, size_t max_lag,
                               size_t* lag_out = nullptr) {
  size_t best_lag = 0;
  double best = -2;
  for (size_t lag = 0; lag < max_lag; ++lag) {
    const double c = correlation_at(a, b, lag, 16000);
    if (c > best) {
      best = c;
      best_lag = lag;
    }
  }
  if (lag_out) *lag_out = best_lag;
  return correlation_at(a, b, best_lag, SIZE_MAX);
}

// SNR in dB of b against reference a (same alignment).
inline double snr_db(const std::vector<float>& a, const std::vector<float>& b, size_t from, size_t to) {
  double signal = 0, noise = 0;
  for (size_t i = from; i < to && i < a.size() && i < b.size(); ++i) {
    signal += double(a[i]) * a[i];
    noise += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  }
  return 10 * std::log10(signal / std::max(noise, 1e-20));
}

}  // namespace sealdesk::media::testing

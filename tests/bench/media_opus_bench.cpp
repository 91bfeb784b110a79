// Native libopus beside the WASM figures (same settings and signal as tests/bench/opus.bench.mjs).
// The label names the benchmark group the runner (tests/bench/run.mjs) files the row under.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sdk/media/voice_codec.h"

namespace {

using namespace sealdesk::media;

std::vector<std::vector<int16_t>> speech_like_frames(int count) {
  uint32_t x = 0x12345678;
  std::vector<std::vector<int16_t>> frames;
  for (int f = 0; f < count; ++f) {
    std::vector<int16_t> pcm(960);
    for (int i = 0; i < 960; ++i) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      const double t = (f * 960 + i) / 48000.0;
      const double pitch = 120 + 30 * std::sin(2 * M_PI * 0.7 * t);
      double v = 0;
      for (int h = 1; h <= 6; ++h) v += std::sin(2 * M_PI * pitch * h * t) / h;
      pcm[static_cast<size_t>(i)] = static_cast<int16_t>(std::lround(4000 * v + (x / 4294967296.0 - 0.5) * 800));
    }
    frames.push_back(std::move(pcm));
  }
  return frames;
}

EncoderSettings settings() {
  EncoderSettings s;
  s.bitrate = 24000;
  s.complexity = 9;
  return s;
}

void OpusEncode(benchmark::State& state) {
  const auto frames = speech_like_frames(100);
  auto enc = VoiceEncoder::create(settings());
  std::vector<uint8_t> packet(kMaxPacketBytes);
  size_t i = 0;
  for (auto _ : state) {
    auto n = enc.value().encode(frames[i++ % 100], packet);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel("opus-encode");
}

// The packets tests/bench/opus.bench.mjs decodes (ours and opusscript's, written to
// $SEALDESK_BENCH_DIR/opus-packets.bin as 2-byte LE length + bytes), so that the WASM/native
// ratio compares the same work. Run alone, without that file: our encoder's packets only.
std::vector<std::vector<uint8_t>> decode_input() {
  std::vector<std::vector<uint8_t>> packets;
  if (const char* dir = std::getenv("SEALDESK_BENCH_DIR")) {
    std::ifstream in(std::string(dir) + "/opus-packets.bin", std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    for (size_t at = 0; at + 2 <= bytes.size();) {
      const size_t n = bytes[at] | static_cast<size_t>(bytes[at + 1]) << 8;
      if (at + 2 + n > bytes.size()) break;
      packets.emplace_back(bytes.begin() + static_cast<long>(at + 2), bytes.begin() + static_cast<long>(at + 2 + n));
      at += 2 + n;
    }
  }
  if (!packets.empty()) return packets;
  auto enc = VoiceEncoder::create(settings());
  std::vector<uint8_t> packet(kMaxPacketBytes);
  for (const auto& f : speech_like_frames(100)) {
    const size_t n = enc.value().encode(f, packet).value();
    packets.emplace_back(packet.begin(), packet.begin() + static_cast<long>(n));
  }
  return packets;
}

void OpusDecode(benchmark::State& state) {
  const auto packets = decode_input();
  auto dec = VoiceDecoder::create(48000, 1);
  std::vector<int16_t> pcm(960);
  size_t i = 0;
  for (auto _ : state) {
    auto n = dec.value().decode(packets[i++ % packets.size()], pcm);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel("opus-decode");
}

BENCHMARK(OpusEncode);
BENCHMARK(OpusDecode);

}  // namespace

BENCHMARK_MAIN();

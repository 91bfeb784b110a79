// Native throughput of the hot paths: frame seal/open (SFrame-style, ChaCha20-Poly1305, header
// and codec prefix included) and message seal/open (ratchet step, padding, XChaCha20-Poly1305),
// at 100 B, 1,200 B and 64 KiB, beside libsodium's bare XChaCha20-Poly1305 as the baseline.
//   build/native/crypto_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <string>
#include <sodium.h>

#include <vector>

#include "sdk/crypto/frame_crypto.h"
#include "sdk/crypto/message_ratchet.h"

using namespace sealdesk;
using namespace sealdesk::crypto;

namespace {

std::array<uint8_t, 32> key_bytes() {
  std::array<uint8_t, 32> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i);
  return k;
}

std::vector<uint8_t> opus_like(size_t n) {
  std::vector<uint8_t> f(n);
  randombytes_buf(f.data(), f.size());
  f[0] = 0x78;
  return f;
}

// Frames and messages can be opened once each (replay protection), so open benchmarks consume a
// pre-sealed batch and re-seal the next batch with the timer paused.
size_t batch_for(size_t bytes) { return std::max<size_t>(64, (size_t{8} << 20) / bytes); }

void BM_FrameSeal(benchmark::State& state) {
  const auto frame = opus_like(static_cast<size_t>(state.range(0)));
  auto sealer = FrameSealer::create(0x01000000, key_bytes()).value();
  std::vector<uint8_t> out(sealed_frame_max_bytes(FrameCodec::opus, frame.size()));
  for (auto _ : state) {
    auto n = sealer.seal(FrameCodec::opus, frame, out);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel("frame-seal-" + std::to_string(state.range(0)));
}

void BM_FrameOpen(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const auto frame = opus_like(size);
  auto sealer = FrameSealer::create(0x01000000, key_bytes()).value();
  auto opener = FrameOpener::create(0x01000000, key_bytes()).value();
  const size_t batch = batch_for(size);
  std::vector<std::vector<uint8_t>> sealed(batch, std::vector<uint8_t>(sealed_frame_max_bytes(FrameCodec::opus, size)));
  std::vector<size_t> lengths(batch);
  std::vector<uint8_t> out(sealed[0].size());
  size_t next = batch;
  for (auto _ : state) {
    if (next == batch) {
      state.PauseTiming();
      for (size_t i = 0; i < batch; ++i) lengths[i] = sealer.seal(FrameCodec::opus, frame, sealed[i]).value();
      next = 0;
      state.ResumeTiming();
    }
    auto n = opener.open(FrameCodec::opus, std::span(sealed[next]).first(lengths[next]), out);
    if (!n.ok()) state.SkipWithError("frame did not open");
    ++next;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel("frame-open-" + std::to_string(state.range(0)));
}

ChainContext context() {
  ChainContext c;
  c.epoch = 1;
  return c;
}

void BM_MessageSeal(benchmark::State& state) {
  const auto text = opus_like(static_cast<size_t>(state.range(0)));
  MessageSender sender(context(), key_bytes());
  std::vector<uint8_t> out(sealed_message_bytes(text.size()));
  for (auto _ : state) {
    auto n = sender.seal(text, out);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel("message-seal-" + std::to_string(state.range(0)));
}

void BM_MessageOpen(benchmark::State& state) {
  const size_t size = static_cast<size_t>(state.range(0));
  const auto text = opus_like(size);
  MessageSender sender(context(), key_bytes());
  MessageReceiver receiver(context(), key_bytes());
  const size_t batch = batch_for(size);
  std::vector<std::vector<uint8_t>> sealed(batch, std::vector<uint8_t>(sealed_message_bytes(size)));
  std::vector<uint8_t> out(sealed[0].size());
  size_t next = batch;
  for (auto _ : state) {
    if (next == batch) {
      state.PauseTiming();
      for (auto& s : sealed) (void)sender.seal(text, s);
      next = 0;
      state.ResumeTiming();
    }
    auto n = receiver.open(sealed[next], out);
    if (!n.ok()) state.SkipWithError("message did not open");
    ++next;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel("message-open-" + std::to_string(state.range(0)));
}

// Baseline: libsodium's one-shot XChaCha20-Poly1305 with a random nonce per call (what
// libsodium-wrappers' crypto_aead_xchacha20poly1305_ietf_encrypt does for a caller).
void BM_BaselineXChaCha20Poly1305Seal(benchmark::State& state) {
  const auto text = opus_like(static_cast<size_t>(state.range(0)));
  const auto key = key_bytes();
  std::vector<uint8_t> out(text.size() + 16);
  uint8_t nonce[24];
  for (auto _ : state) {
    randombytes_buf(nonce, sizeof nonce);
    unsigned long long n = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &n, text.data(), text.size(), nullptr, 0, nullptr, nonce,
                                               key.data());
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

}  // namespace

BENCHMARK(BM_FrameSeal)->Arg(100)->Arg(1200)->Arg(65536);
BENCHMARK(BM_FrameOpen)->Arg(100)->Arg(1200)->Arg(65536);
BENCHMARK(BM_MessageSeal)->Arg(100)->Arg(1200)->Arg(65536);
BENCHMARK(BM_MessageOpen)->Arg(100)->Arg(1200)->Arg(65536);
BENCHMARK(BM_BaselineXChaCha20Poly1305Seal)->Arg(100)->Arg(1200)->Arg(65536);

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}

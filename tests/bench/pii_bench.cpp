// Native masking throughput over the labelled corpus (tests/corpus/pii/corpus.jsonl): bytes of
// message text masked per second, message by message (the way the widget calls it) and as one
// large text. Run: build/native/pii_bench  (Google Benchmark prints bytes_per_second).
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/pii/masker.h"

namespace {

using namespace sealdesk;

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> messages = [] {
    std::vector<std::string> out;
    std::ifstream in(std::string(SEALDESK_SOURCE_DIR) + "/tests/corpus/pii/corpus.jsonl", std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded() && j.contains("text") && j["text"].is_string()) out.push_back(j["text"].get<std::string>());
    }
    return out;
  }();
  return messages;
}

size_t corpus_bytes() {
  size_t n = 0;
  for (const auto& m : corpus()) n += m.size();
  return n;
}

void mask_messages(benchmark::State& state, const char* config) {
  auto masker = pii::Masker::create(config);
  if (!masker.ok()) {
    state.SkipWithError("config");
    return;
  }
  pii::MaskResult r;
  size_t findings = 0;
  for (auto _ : state) {
    for (const auto& m : corpus()) {
      (void)masker.value().mask(m, r);
      findings += r.findings.size();
    }
  }
  benchmark::DoNotOptimize(findings);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus_bytes()));
  state.counters["messages"] = static_cast<double>(corpus().size());
}

void BM_MaskCorpusPerMessageLabel(benchmark::State& state) {
  mask_messages(state, "");
  state.SetLabel("pii-mask");  // the group of tests/bench/pii.bench.mjs (tests/bench/run.mjs files it there)
}
void BM_MaskCorpusPerMessagePartial(benchmark::State& state) { mask_messages(state, R"({"style":"partial"})"); }
void BM_MaskCorpusPerMessagePseudonym(benchmark::State& state) { mask_messages(state, R"({"style":"pseudonym"})"); }
void BM_MaskCorpusPerMessageWithRules(benchmark::State& state) {
  mask_messages(state, R"({"rules":[{"id":"member","pattern":"\\bM\\d{8}\\b"},{"id":"ticket","pattern":"T-\\d{6}"}]})");
}

void BM_MaskCorpusAsOneText(benchmark::State& state) {
  std::string all;
  for (const auto& m : corpus()) {
    all += m;
    all += '\n';
  }
  auto masker = pii::Masker::create("");
  pii::MaskResult r;
  for (auto _ : state) {
    (void)masker.value().mask(all, r);
    benchmark::DoNotOptimize(r.text.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * all.size()));
}

}  // namespace

BENCHMARK(BM_MaskCorpusPerMessageLabel)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaskCorpusPerMessagePartial)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaskCorpusPerMessagePseudonym)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaskCorpusPerMessageWithRules)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaskCorpusAsOneText)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();

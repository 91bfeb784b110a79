// Band-limited sample-rate conversion for captured audio (e.g. a 44.1 kHz AudioContext to the
// 48 kHz Opus runs at). Windowed-sinc interpolation with an exact rational step, so long
// recordings never drift. Streaming: feed any number of samples per call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sdk/common/status.h"

namespace sealdesk::media {

class Resampler {
 public:
  // Rates 8 kHz .. 192 kHz. invalid_argument otherwise.
  static Result<Resampler> create(int32_t input_rate, int32_t output_rate);

  // Appends the output for `input` to `out`. Output lags by nothing: the filter is centred,
  // and the last kHalfWidth input samples wait for the next call (or flush()).
  void process(std::span<const float> input, std::vector<float>& out);

  // Emits what the remaining input yields, as if followed by silence; then resets.
  void flush(std::vector<float>& out);

  int32_t input_rate() const { return in_rate_; }
  int32_t output_rate() const { return out_rate_; }

  // Input samples on each side of the interpolation point.
  static constexpr int kHalfWidth = 16;

 private:
  Resampler(int32_t in_rate, int32_t out_rate);
  float tap(double distance) const;
  void produce(std::vector<float>& out, uint64_t max_outputs);

  int32_t in_rate_;
  int32_t out_rate_;
  uint64_t step_num_;  // input samples per output sample = step_num_ / out_rate_ (reduced)
  uint64_t den_;
  double cutoff_;      // fraction of the input Nyquist the filter passes
  std::vector<float> table_;  // filter taps at kTableResolution points per input sample
  std::vector<float> history_;  // input samples; history_[0] is input index base_
  uint64_t pos_num_ = 0;        // position of the next output in history_, in 1/den_ input samples
  uint64_t total_in_ = 0;
  uint64_t total_out_ = 0;
};

}  // namespace sealdesk::media

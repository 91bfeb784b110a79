#include "sdk/media/resampler.h"

#include <cmath>
#include <cstdint>
#include <numeric>

namespace sealdesk::media {
namespace {

constexpr int kTableResolution = 256;
constexpr double kPi = 3.14159265358979323846;

// sin and cos from + and * only. libm's sin differs between glibc and Emscripten's musl in the
// last bit, and the filter table must be identical in both builds for voice notes to be
// byte-identical. Taylor series after reduction to [-pi, pi]; error < 1e-15 there.
double portable_sin(double x) {
  const double two_pi = 2 * kPi;
  x -= two_pi * static_cast<double>(static_cast<int64_t>(x / two_pi));
  if (x > kPi) x -= two_pi;
  if (x < -kPi) x += two_pi;
  const double x2 = x * x;
  double term = x, sum = x;
  for (int n = 1; n < 14; ++n) {
    term *= -x2 / static_cast<double>((2 * n) * (2 * n + 1));
    sum += term;
  }
  return sum;
}
double portable_cos(double x) { return portable_sin(x + kPi / 2); }

// Blackman window over [-1, 1].
double blackman(double x) { return 0.42 + 0.5 * portable_cos(kPi * x) + 0.08 * portable_cos(2 * kPi * x); }

}  // namespace

Result<Resampler> Resampler::create(int32_t input_rate, int32_t output_rate) {
  if (input_rate < 8000 || input_rate > 192000 || output_rate < 8000 || output_rate > 192000) {
    return Error{Status::invalid_argument, "sample rates must be 8000..192000"};
  }
  return Resampler(input_rate, output_rate);
}

Resampler::Resampler(int32_t in_rate, int32_t out_rate) : in_rate_(in_rate), out_rate_(out_rate) {
  const auto g = std::gcd(static_cast<uint64_t>(in_rate), static_cast<uint64_t>(out_rate));
  step_num_ = static_cast<uint64_t>(in_rate) / g;
  den_ = static_cast<uint64_t>(out_rate) / g;
  // Downsampling must cut below the output's Nyquist; keep a 10% transition band.
  cutoff_ = 0.9 * std::min(1.0, static_cast<double>(out_rate) / in_rate);
  table_.resize(kHalfWidth * kTableResolution + 2);
  for (size_t i = 0; i < table_.size(); ++i) {
    const double d = static_cast<double>(i) / kTableResolution;
    const double x = kPi * cutoff_ * d;
    const double sinc = d == 0 ? 1.0 : portable_sin(x) / x;
    table_[i] = d >= kHalfWidth ? 0.0f : static_cast<float>(cutoff_ * sinc * blackman(d / kHalfWidth));
  }
  history_.assign(kHalfWidth, 0.0f);  // leading silence so the first outputs have a left side
  pos_num_ = static_cast<uint64_t>(kHalfWidth) * den_;
}

float Resampler::tap(double distance) const {
  const double a = std::abs(distance) * kTableResolution;
  const auto i = static_cast<size_t>(a);
  if (i + 1 >= table_.size()) return 0.0f;
  const auto frac = static_cast<float>(a - static_cast<double>(i));
  return table_[i] + (table_[i + 1] - table_[i]) * frac;
}

void Resampler::produce(std::vector<float>& out, uint64_t max_outputs) {
  while (total_out_ < max_outputs) {
    const uint64_t index = pos_num_ / den_;
    if (index + kHalfWidth >= history_.size()) break;
    const double frac = static_cast<double>(pos_num_ % den_) / static_cast<double>(den_);
    float acc = 0.0f;
    for (int k = -kHalfWidth + 1; k <= kHalfWidth; ++k) {
      acc += history_[static_cast<size_t>(static_cast<int64_t>(index) + k)] * tap(static_cast<double>(k) - frac);
    }
    out.push_back(acc);
    ++total_out_;
    pos_num_ += step_num_;
  }
  // Drop input no future output can reach.
  const uint64_t index = pos_num_ / den_;
  const uint64_t keep_from = index > kHalfWidth ? index - kHalfWidth : 0;
  if (keep_from > 0) {
    history_.erase(history_.begin(), history_.begin() + static_cast<std::ptrdiff_t>(keep_from));
    pos_num_ -= keep_from * den_;
  }
}

void Resampler::process(std::span<const float> input, std::vector<float>& out) {
  if (in_rate_ == out_rate_) {  // nothing to convert: pass through untouched
    out.insert(out.end(), input.begin(), input.end());
    return;
  }
  history_.insert(history_.end(), input.begin(), input.end());
  total_in_ += input.size();
  produce(out, UINT64_MAX);
}

void Resampler::flush(std::vector<float>& out) {
  if (in_rate_ == out_rate_) return;
  // The output that corresponds to the input received: ceil(total_in * out / in) samples,
  // the last ones computed with silence on their right.
  const uint64_t expected = (total_in_ * den_ + step_num_ - 1) / step_num_;
  history_.insert(history_.end(), 2 * kHalfWidth + 2, 0.0f);
  produce(out, expected);
  *this = Resampler(in_rate_, out_rate_);
}

}  // namespace sealdesk::media

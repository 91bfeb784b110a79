// ISO 8601 durations (ISO 8601-1:2019 §5.5.2), the form policies use for retention and validity:
// P[nY][nM][nW][nD][T[nH][nM][nS]] with integer components of at most six digits.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sealdesk::consent {

struct IsoDuration {
  uint32_t years = 0, months = 0, weeks = 0, days = 0;
  uint32_t hours = 0, minutes = 0, seconds = 0;

  bool is_zero() const {
    return years == 0 && months == 0 && weeks == 0 && days == 0 && hours == 0 && minutes == 0 && seconds == 0;
  }
};

// nullopt unless text is such a duration with at least one component ("P", "PT" are not).
std::optional<IsoDuration> parse_iso_duration(std::string_view text);

// The instant `duration` after `start_ms` (milliseconds since the Unix epoch, UTC). Years and
// months are calendar units: the day of month is clamped to the target month's last day
// (2024-01-31 + P1M = 2024-02-29), as java.time and Temporal do; days are 24 h (UTC has no DST).
// Saturates instead of overflowing.
int64_t add_duration(int64_t start_ms, const IsoDuration& duration);

}  // namespace sealdesk::consent

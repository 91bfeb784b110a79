#include "sdk/consent/duration.h"

#include <limits>

namespace sealdesk::consent {
namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant, "chrono-Compatible
// Low-Level Date Algorithms", days_from_civil / civil_from_days).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
}

int64_t days_in_month(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

}  // namespace

std::optional<IsoDuration> parse_iso_duration(std::string_view text) {
  if (text.size() < 2 || text[0] != 'P') return std::nullopt;
  IsoDuration d;
  // Designators in the only order ISO 8601 allows; each at most once.
  static constexpr char kDateOrder[] = {'Y', 'M', 'W', 'D'};
  static constexpr char kTimeOrder[] = {'H', 'M', 'S'};
  uint32_t* date_fields[] = {&d.years, &d.months, &d.weeks, &d.days};
  uint32_t* time_fields[] = {&d.hours, &d.minutes, &d.seconds};
  size_t i = 1;
  bool in_time = false;
  size_t next_slot = 0;
  bool any_component = false;
  bool time_component = false;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      next_slot = 0;
      ++i;
      continue;
    }
    uint32_t value = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++digits > 6) return std::nullopt;
      value = value * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    if (digits == 0 || i >= text.size()) return std::nullopt;
    const char designator = text[i++];
    const char* order = in_time ? kTimeOrder : kDateOrder;
    const size_t order_size = in_time ? std::size(kTimeOrder) : std::size(kDateOrder);
    size_t slot = next_slot;
    while (slot < order_size && order[slot] != designator) ++slot;
    if (slot == order_size) return std::nullopt;
    (in_time ? time_fields : date_fields)[slot][0] = value;
    next_slot = slot + 1;
    any_component = true;
    if (in_time) time_component = true;
  }
  if (!any_component || (in_time && !time_component)) return std::nullopt;
  return d;
}

int64_t add_duration(int64_t start_ms, const IsoDuration& duration) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // Six-digit components keep every intermediate far below 2^63; only the final sum can overflow.
  const int64_t day = floor_div(start_ms, kMsPerDay);
  const int64_t ms_of_day = start_ms - day * kMsPerDay;
  int64_t y = 0, m = 0, d = 0;
  civil_from_days(day, y, m, d);
  const int64_t month_index = y * 12 + (m - 1) + int64_t{duration.years} * 12 + duration.months;
  y = floor_div(month_index, 12);
  m = month_index - y * 12 + 1;
  if (d > days_in_month(y, m)) d = days_in_month(y, m);
  const int64_t target_day = days_from_civil(y, m, d) + int64_t{duration.weeks} * 7 + duration.days;
  const int64_t time_ms =
      (int64_t{duration.hours} * 3600 + int64_t{duration.minutes} * 60 + duration.seconds) * kMsPerSecond;
  if (target_day > kMax / kMsPerDay - 1) return kMax;
  const int64_t base = target_day * kMsPerDay + ms_of_day;
  if (base > kMax - time_ms) return kMax;
  return base + time_ms;
}

}  // namespace sealdesk::consent

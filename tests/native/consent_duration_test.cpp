#include "sdk/consent/duration.h"

#include <gtest/gtest.h>

#include <limits>

namespace sealdesk::consent {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t k2024_01_31 = 1'706'659'200'000;  // 2024-01-31T00:00:00Z

TEST(IsoDuration, ParsesEveryComponentInOrder) {
  auto d = parse_iso_duration("P1Y2M3W4DT5H6M7S");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->years, 1u);
  EXPECT_EQ(d->months, 2u);
  EXPECT_EQ(d->weeks, 3u);
  EXPECT_EQ(d->days, 4u);
  EXPECT_EQ(d->hours, 5u);
  EXPECT_EQ(d->minutes, 6u);
  EXPECT_EQ(d->seconds, 7u);
  EXPECT_EQ(parse_iso_duration("PT2H")->hours, 2u);
  EXPECT_EQ(parse_iso_duration("P30D")->days, 30u);
  EXPECT_TRUE(parse_iso_duration("PT0S")->is_zero());
}

TEST(IsoDuration, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "P", "PT", "30D", "P30", "PD", "P1D2", "P1M1Y", "PT1H1H", "P1DT", "P1.5D", "P-1D",
                          "p30d", "P1234567D", "P1H", "PT1D", "P1DT1H T1M", "P30D "}) {
    EXPECT_FALSE(parse_iso_duration(bad)) << bad;
  }
}

TEST(IsoDuration, AddsDaysAndTimeExactly) {
  EXPECT_EQ(add_duration(0, *parse_iso_duration("P30D")), 30 * kDay);
  EXPECT_EQ(add_duration(5, *parse_iso_duration("PT1H30M1S")), 5 + 5'401'000);
  EXPECT_EQ(add_duration(0, *parse_iso_duration("P2W")), 14 * kDay);
}

TEST(IsoDuration, AddsCalendarMonthsClampingTheDay) {
  // 2024-01-31 + P1M = 2024-02-29 (leap year), + P1Y = 2025-01-31, + P1Y1M = 2025-02-28.
  EXPECT_EQ(add_duration(k2024_01_31, *parse_iso_duration("P1M")), k2024_01_31 + 29 * kDay);
  EXPECT_EQ(add_duration(k2024_01_31, *parse_iso_duration("P1Y")), k2024_01_31 + 366 * kDay);
  EXPECT_EQ(add_duration(k2024_01_31, *parse_iso_duration("P1Y1M")), k2024_01_31 + (366 + 28) * kDay);
  // Time of day survives the calendar arithmetic.
  EXPECT_EQ(add_duration(k2024_01_31 + 1234, *parse_iso_duration("P1M")), k2024_01_31 + 29 * kDay + 1234);
}

TEST(IsoDuration, SaturatesInsteadOfOverflowing) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(add_duration(max - 10, *parse_iso_duration("P999999Y")), max);
  EXPECT_EQ(add_duration(max - 10, *parse_iso_duration("PT1S")), max);
}

}  // namespace
}  // namespace sealdesk::consent

// Postal addresses in free chat text (issue #18): read by their structure, in one bounded
// look around the character that sets them off, never with a regular expression.
//
// Chinese (mainland, Taiwan, Hong Kong, Macau), simplified and traditional:
//   place part   names ending in an administrative unit (省 市 区/區 县/縣 州 镇/鎮 乡/鄉 村, 街道)
//                or one of 香港 九龍 新界 澳門 氹仔, then a road (路 街 道 巷 弄 里 胡同, 大道)
//                with its section (四段);
//   number part  numbered units (18号 3栋 2单元 1502室 216巷 27弄 12樓之3 A座 3组), building names
//                between them (SOHO现代城2号楼), and a bare room or postal number at the end (601).
// Without a cue the place part must end in a road with a name of two characters or more
// (三 for 道 and 里, which end everyday words: 知道, 这里) and a number must follow it at
// once: "走中山路比较快", "我在路上了", "3号线" and "市场部" are not addresses. After an address
// cue (地址：, 寄到, 住在, ship to) a place part ending in an administrative unit is enough
// (某某县某某镇某某村3组15号).
//
// English: a house number (22, 221B), one to four capitalised street-name words or ordinals
// (5th), a street suffix (Street, St, Ave, Road, ...), then optionally a direction (Central),
// a unit (Apt 5B, Suite 200, #12), a city and a state/ZIP or UK postcode (Springfield, IL
// 62704; London NW1 6XE). A unit in front (Flat 12, 221B Baker St; Unit 3, 12/F, ...) and
// PO boxes are read from their cue words. After an address cue the words may be lower case.
//
// Span conventions: the address itself, never its cue nor the punctuation after it.
// Every reader has a fixed cap (40 characters of place part, 12 number parts, 8 characters
// looked back, 5 street words), so the scan stays linear.
#pragma once

#include <cstdint>
#include <string_view>

namespace sealdesk::pii::detail {

// Whether a CJK character may set off a Chinese address on its own: a unit or road suffix
// (市 区 路 街 道 ...) or the first character of 香港 九龍 新界 澳門 氹仔.
bool is_zh_address_trigger(uint32_t cp);
// The same characters as UTF-8, for the scanner's skip bitmap.
std::string_view zh_address_trigger_chars();

struct ZhAddress {
  uint32_t start = 0;
  uint32_t end = 0;         // 0: no address
  uint32_t coarse_end = 0;  // end of the province/city/district part the partial style keeps
  // When no address was found: the reading stopped at a hard break with no digit, letter or
  // numeral on the way, so no later trigger before this offset can find one either (0: unknown).
  uint32_t fail_until = 0;
};

// A Chinese address holding the trigger character at t: its start is found by walking back
// over the place name (at most 8 characters, never before floor, stopping at verbs and
// particles such as 在 到 是 的 寄 送).
ZhAddress zh_address_around(std::string_view text, uint32_t t, uint32_t floor);
// Where a Chinese address starting at or before `from` could have its number part: the first
// offset at or after `from` holding an ASCII letter or digit or a Chinese numeral, or a
// character that ends a place part (not Han, not a space or line break); text.size() at the
// end. A number part never lies beyond a hard end, nor further than kZhAddressReach bytes
// from the trigger, so the scanner skips triggers (路路路…) without reading around them.
uint32_t zh_number_hint(std::string_view text, uint32_t from);
inline constexpr uint32_t kZhAddressReach = 160;  // 40 characters of place part

// A Chinese address starting at q, which follows an address cue.
ZhAddress zh_address_after_cue(std::string_view text, uint32_t q);

// An English street address whose house number starts at p; returns its end, 0 when none.
uint32_t en_address_at(std::string_view text, uint32_t p, bool cued);
// "Flat 12, 221B Baker St": the unit word at p..e ("Flat", "Unit", "Room"), its number, an
// optional floor (12/F), then a street address. Returns the end, 0 when none.
uint32_t en_unit_address_at(std::string_view text, uint32_t p, uint32_t e);
// The box number after "PO Box" (the cue ends at e); returns its end, 0 when none.
uint32_t po_box_number_at(std::string_view text, uint32_t e);

}  // namespace sealdesk::pii::detail

#include "sdk/pii/address.h"

#include <array>

#include "sdk/pii/text.h"

namespace sealdesk::pii::detail {
namespace {

// ---- character sets -------------------------------------------------------------------------

// Units the partial style keeps (the coarse part): the same as address_keep() in scanner.cpp.
constexpr std::u32string_view kAdminUnits = U"省市区區县縣州盟旗镇鎮乡鄉";
// Units that are part of the place but are masked: villages.
constexpr std::u32string_view kVillageUnits = U"村";
// Road suffixes that end few everyday words.
constexpr std::u32string_view kRoads = U"路街巷弄";
// Road suffixes that also end everyday words (知道, 味道, 这里, 公里): they need a longer name.
constexpr std::u32string_view kWeakRoads = U"道里";
// 皇后大道中: a direction after a Hong Kong road, read only when the number follows at once.
constexpr std::u32string_view kRoadDirections = U"中東东西南北";
// Places written without a unit.
constexpr std::array<std::u32string_view, 9> kRegions{U"香港", U"九龍", U"九龙", U"新界", U"澳門",
                                                      U"澳门", U"氹仔", U"路環", U"路环"};
// What follows a number in the number part (单元/單元 and 段 are read apart).
constexpr std::u32string_view kNumberUnits = U"号號栋棟幢座楼樓层層室巷弄组組户戶";
// What may follow 号 at once: 2号楼, 88号院.
constexpr std::u32string_view kAfterHao = U"楼樓院";
constexpr std::u32string_view kNumerals = U"一二三四五六七八九十百千零〇两兩";
// Characters that end the walk back from a trigger: verbs, particles and pronouns that come
// before an address in a sentence (我在, 寄到, 地址是, 送去). Those that also begin place names
// are left out: 和平区, 回民区, 向阳区, 交城县, 达州, 来宾, 都江堰, 于洪区.
constexpr std::u32string_view kStops =
    U"在到是的我你他她住寄送家於往去从從走过過把给給发發邮郵搬与與或了吗嗎呢啊吧要想请請"
    U"就也还還这這那哪个個位址为為係叫坐搭由经經不没沒有对對换換改填写寫留收";

constexpr uint32_t kHao = 0x53F7;      // 号
constexpr uint32_t kHaoTw = 0x865F;    // 號
constexpr uint32_t kDan = 0x5355;      // 单
constexpr uint32_t kDanTw = 0x55AE;    // 單
constexpr uint32_t kYuan = 0x5143;     // 元
constexpr uint32_t kDuan = 0x6BB5;     // 段
constexpr uint32_t kZhi = 0x4E4B;      // 之
constexpr uint32_t kHu = 0x80E1;       // 胡
constexpr uint32_t kTong = 0x540C;     // 同
constexpr uint32_t kJie = 0x8857;      // 街
constexpr uint32_t kDao = 0x9053;      // 道

bool in(std::u32string_view set, uint32_t cp) { return set.find(static_cast<char32_t>(cp)) != std::u32string_view::npos; }

// The sets above as one flag byte per character of U+3000-U+9FFF (〇 is U+3007), built once: the
// readers test several sets per character, and a text of 路路路... tests them all the time.
enum : uint8_t {
  kAdmin = 1,
  kVillage = 2,
  kRoad = 4,
  kWeakRoad = 8,
  kUnit = 16,
  kNumeral = 32,
  kStop = 64,
  kDirection = 128,
};

struct Classes {
  std::array<uint8_t, 0xA000 - 0x3000> flags{};
  Classes() {
    mark(kAdminUnits, kAdmin);
    mark(kVillageUnits, kVillage);
    mark(kRoads, kRoad);
    mark(kWeakRoads, kWeakRoad);
    mark(kNumberUnits, kUnit);
    mark(kNumerals, kNumeral);
    mark(kStops, kStop);
    mark(kRoadDirections, kDirection);
  }
  void mark(std::u32string_view set, uint8_t flag) {
    for (char32_t c : set) flags[static_cast<uint32_t>(c) - 0x3000] |= flag;
  }
};

const Classes& classes() {
  static const Classes instance;
  return instance;
}



bool is_han(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FA1F);
}

bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
bool is_upper(uint8_t c) { return c >= 'A' && c <= 'Z'; }
bool is_letter(uint8_t c) { return is_upper(c) || (c >= 'a' && c <= 'z'); }
bool is_alnum(uint8_t c) { return is_digit(c) || is_letter(c); }
uint8_t to_lower(uint8_t c) { return is_upper(c) ? static_cast<uint8_t>(c | 0x20) : c; }

std::string trigger_utf8() {
  std::string out;
  auto add = [&](std::u32string_view set) {
    for (char32_t c : set) append_utf8(out, static_cast<uint32_t>(c));
  };
  add(kAdminUnits);
  add(kVillageUnits);
  add(kRoads);
  add(kWeakRoads);
  for (std::u32string_view region : kRegions) append_utf8(out, static_cast<uint32_t>(region[0]));
  return out;
}

struct Triggers {
  std::string utf8 = trigger_utf8();
  std::array<uint64_t, 0x6000 / 64> bits{};  // U+4E00-U+9FFF
  Triggers() {
    const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
    for (size_t i = 0; i < utf8.size();) {
      const Decoded d = decode_valid_utf8(s + i);
      bits[(d.cp - 0x4E00) >> 6] |= uint64_t{1} << ((d.cp - 0x4E00) & 63);
      i += d.len;
    }
  }
};

const Triggers& triggers() {
  static const Triggers instance;
  return instance;
}

// ---- the reader -----------------------------------------------------------------------------

constexpr int kMaxPlaceChars = 40;   // a province, city, district, street and road fit in 30
constexpr int kMaxSegment = 10;      // characters of one name (坳背灣 and the like fit)
constexpr int kMaxLookBack = 8;
constexpr int kMaxNumberParts = 12;
constexpr int kMaxBuildingChars = 12;
constexpr int kMaxStreetWords = 5;

class Reader {
 public:
  explicit Reader(std::string_view text)
      : text_(text), s_(reinterpret_cast<const uint8_t*>(text.data())), n_(static_cast<uint32_t>(text.size())) {}

  uint8_t at(uint32_t i) const { return i < n_ ? s_[i] : 0; }

  // Class flags of cp (the table is looked up once per Reader, not once per test).
  bool has(uint32_t cp, uint8_t flag) const { return cp >= 0x3000 && cp < 0xA000 && (flags_[cp - 0x3000] & flag); }

  uint32_t cp_at(uint32_t i, uint32_t& len) const {
    if (i >= n_) {
      len = 0;
      return 0;
    }
    const Decoded d = decode_valid_utf8(s_ + i);
    len = d.len;
    return d.cp;
  }
  uint32_t cp_at(uint32_t i) const {
    uint32_t len = 0;
    return cp_at(i, len);
  }

  // ---- Chinese ------------------------------------------------------------------------------

  uint32_t look_back(uint32_t t, uint32_t floor) const {
    uint32_t start = t;
    for (int count = 0; count < kMaxLookBack && start > floor; ++count) {
      uint32_t b = start - 1;
      while (b > floor && (s_[b] & 0xC0) == 0x80) --b;
      const uint32_t cp = cp_at(b);
      if (!is_han(cp) || has(cp, kStop)) break;
      start = b;
    }
    return start;
  }

  // The region name (香港, 九龍, ...) at q, or 0.
  uint32_t region_at(uint32_t q) const {
    uint32_t l1 = 0;
    uint32_t l2 = 0;
    const uint32_t c1 = cp_at(q, l1);
    if (c1 != 0x9999 && c1 != 0x4E5D && c1 != 0x65B0 && c1 != 0x6FB3 && c1 != 0x6C39 && c1 != 0x8DEF) return 0;  // 香九新澳氹路
    const uint32_t c2 = cp_at(q + l1, l2);
    for (std::u32string_view r : kRegions) {
      if (static_cast<uint32_t>(r[0]) == c1 && static_cast<uint32_t>(r[1]) == c2) return q + l1 + l2;
    }
    return 0;
  }

  uint32_t numerals_end(uint32_t q) const {
    for (int i = 0; i < 4; ++i) {
      uint32_t len = 0;
      const uint32_t cp = cp_at(q, len);
      if (!has(cp, kNumeral)) break;
      q += len;
    }
    return q;
  }

  // A numbered unit at q: digits or letters (18, 1502, A, xx) or Chinese numerals (四, 二十),
  // then 号/栋/单元/楼/室/巷/弄/组/座..., 号楼, 之3. weak: the unit was 段 (a road section).
  uint32_t number_part_at(uint32_t q, bool& weak) const {
    weak = false;
    uint32_t r = q;
    if (is_alnum(at(r))) {
      bool digit = false;
      while (is_alnum(at(r)) && r - q <= 8) digit |= is_digit(s_[r++]);
      if (r - q > 8 || (!digit && r - q > 3)) return 0;
    } else {
      r = numerals_end(q);
      if (r == q) return 0;
    }
    uint32_t len = 0;
    const uint32_t unit = cp_at(r, len);
    if (unit == kDan || unit == kDanTw) {
      uint32_t len2 = 0;
      if (cp_at(r + len, len2) != kYuan) return 0;
      r += len + len2;
    } else if (unit == kDuan) {
      weak = true;
      return r + len;
    } else if (has(unit, kUnit)) {
      r += len;
      if (unit == kHao || unit == kHaoTw) {
        uint32_t after = 0;
        if (in(kAfterHao, cp_at(r, after))) r += after;
      }
    } else {
      return 0;
    }
    // 12樓之3: a part of a floor.
    uint32_t zl = 0;
    if (cp_at(r, zl) == kZhi && is_digit(at(r + zl))) {
      r += zl;
      while (is_digit(at(r)) && r - q < 24) ++r;
    }
    return r;
  }

  // A bare room or postal number closing the number part: 601, 1801, 3-2-1502, 518057. Short
  // numbers glued to a word ("2份") and times or amounts ("10:30", "2.5") are not.
  uint32_t room_at(uint32_t q) const {
    uint32_t r = q;
    int groups = 0;
    uint32_t first = 0;
    while (groups < 4 && is_digit(at(r))) {
      const uint32_t g = r;
      while (is_digit(at(r)) && r - g < 7) ++r;
      if (r - g > 6) return 0;
      if (groups == 0) first = r - g;
      ++groups;
      if (at(r) == '-' && is_digit(at(r + 1))) {
        ++r;
        continue;
      }
      break;
    }
    if (groups == 0) return 0;
    const uint8_t next = at(r);
    if (is_alnum(next) || next == ':' || next == '.' || next == '/' || next == '%' || next == '-' || next == '$') return 0;
    if (groups == 1 && first < 3 && next >= 0x80 && is_han(cp_at(r))) return 0;
    return r;
  }

  // A building name (华星时代广场, SOHO现代城, 雅蘭中心) and the numbered unit right after it:
  // returns where that unit starts, 0 when no unit follows within the cap.
  uint32_t building_then_part(uint32_t q) const {
    uint32_t r = q;
    for (int chars = 0; chars < kMaxBuildingChars; ++chars) {
      bool weak = false;
      if (chars > 0 && number_part_at(r, weak) && !weak) return r;
      if (is_letter(at(r))) {
        const uint32_t e = r;
        while (is_letter(at(r)) && r - e < 10) ++r;
        if (is_letter(at(r))) return 0;
        continue;
      }
      uint32_t len = 0;
      const uint32_t cp = cp_at(r, len);
      if (!is_han(cp) || has(cp, kStop) || has(cp, kNumeral)) return 0;
      r += len;
    }
    return 0;
  }

  // One space or line break between two parts ("30號 12樓B室", "南山区\n科技园南路").
  uint32_t gap(uint32_t q) const {
    if ((at(q) == ' ' || at(q) == '\n') && at(q + 1) != ' ' && at(q + 1) != '\n') return q + 1;
    return q;
  }

  ZhAddress zh_parse(uint32_t start, bool cued) const {
    ZhAddress out;
    out.start = start;
    uint32_t pos = start;
    uint32_t prefix_end = start;  // end of the last place component
    uint32_t coarse_end = start;
    int components = 0;
    int seg = 0;  // name characters since the last component
    bool seg_stop = false;
    bool admin = false;
    bool last_road = false;
    bool tokenish = false;  // a digit, letter or numeral was passed
    bool hard_break = false;
    for (int steps = 0; steps < kMaxPlaceChars && pos < n_; ++steps) {
      const uint8_t c = s_[pos];
      if (c < 0x80) {
        if (is_digit(c)) break;
        if (is_letter(c)) {
          bool weak = false;
          if (number_part_at(pos, weak)) break;  // "xx號", "A座": the numbers start
          tokenish = true;
          const uint32_t e = pos;
          while (is_letter(at(pos)) && pos - e <= 8) ++pos;
          if (pos - e > 8) break;
          ++seg;
          continue;
        }
        if ((c == ' ' || c == '\n') && seg == 0 && components > 0 && pos == prefix_end && gap(pos) != pos) {
          ++pos;
          continue;
        }
        hard_break = c != ' ' && c != '\n';
        break;
      }
      uint32_t len = 0;
      const uint32_t cp = cp_at(pos, len);
      if (!is_han(cp)) {
        hard_break = true;
        break;
      }
      if (const uint32_t re = region_at(pos)) {
        pos = prefix_end = coarse_end = re;
        ++components;
        seg = 0;
        seg_stop = false;
        admin = true;
        last_road = false;
        continue;
      }
      const bool right_after = seg == 0 && components > 0 && pos == prefix_end;
      if (has(cp, kNumeral)) {
        tokenish = true;
        // 忠孝東路四段: a section of the road. 三号: the numbers start.
        const uint32_t ne = numerals_end(pos);
        if (right_after && cp_at(ne) == kDuan && last_road) {
          uint32_t dl = 0;
          cp_at(ne, dl);
          pos = prefix_end = ne + dl;
          continue;
        }
        bool weak = false;
        if (right_after && number_part_at(pos, weak)) break;
      }
      // 皇后大道中99號, 德輔道西: Hong Kong roads carry a direction after the suffix.
      if (right_after && last_road && has(cp, kDirection) && is_digit(at(pos + len))) {
        pos = prefix_end = pos + len;
        continue;
      }
      const bool admin_unit = has(cp, kAdmin | kVillage);
      const bool strong_road = has(cp, kRoad) || (cp == kTong && seg >= 2 && cp_at(pos - 3) == kHu);
      const bool weak_road = has(cp, kWeakRoad);
      if ((admin_unit || strong_road || weak_road) && right_after) {
        // 杭州市, 街道, 大道: a unit glued to the one before belongs to it.
        pos = prefix_end = pos + len;
        if (has(cp, kAdmin) && !last_road) coarse_end = pos;
        if (cp == kDao && cp_at(pos - 6) == kJie) last_road = false;  // 街道 is a subdistrict
        continue;
      }
      if (admin_unit && seg >= 1) {
        pos = prefix_end = pos + len;
        if (has(cp, kAdmin)) coarse_end = pos;
        ++components;
        seg = 0;
        seg_stop = false;
        admin = true;
        last_road = false;
        continue;
      }
      // A road's name: one character after a cue or a unit (南山区科技园南路 needs none of this),
      // otherwise two (中山路; 马路 and 公路 are words), three for 道 and 里 (彌敦道 comes after 九龍).
      const int min_name = cued || admin ? 1 : (weak_road ? 3 : 2);
      if ((strong_road || weak_road) && seg >= min_name) {
        pos = prefix_end = pos + len;
        ++components;
        seg = 0;
        seg_stop = false;
        last_road = true;
        continue;
      }
      seg_stop |= has(cp, kStop);
      if (++seg > kMaxSegment) break;
      pos += len;
    }
    if (pos >= n_) hard_break = true;
    if (!tokenish && hard_break && !is_digit(at(pos))) out.fail_until = pos;

    // Without a cue: a road, and its number right after it. After a cue: any place part, and
    // a few name characters may stand between it and the number (南山区科技园18号).
    if (components == 0 && !cued) return out;
    if (!cued && (seg > 0 || !last_road)) return out;
    if (cued && (seg > 6 || seg_stop)) return out;
    uint32_t end = 0;
    int strong = 0;
    uint32_t r = gap(pos);
    bool after_gap = r != pos;
    for (int parts = 0; parts < kMaxNumberParts; ++parts) {
      bool weak = false;
      if (const uint32_t e = number_part_at(r, weak)) {
        strong += !weak;
        end = e;
        r = gap(e);
        after_gap = r != e;
        continue;
      }
      if (end == 0) break;
      if (const uint32_t e = room_at(r)) {
        end = e;
        break;
      }
      if (after_gap) break;
      const uint32_t b = building_then_part(r);
      if (b == 0) break;
      r = b;
    }
    if (strong == 0 || (components == 0 && strong < 2)) return out;
    out.end = end;
    out.coarse_end = coarse_end;
    out.fail_until = 0;
    return out;
  }

  // ---- English ------------------------------------------------------------------------------

  uint32_t word_end(uint32_t q) const {
    uint32_t e = q;
    while (e < n_ && e - q < 24 && (is_letter(s_[e]) || ((s_[e] == '\'' || s_[e] == '-') && is_letter(at(e + 1))))) ++e;
    return e;
  }

  bool word_is(uint32_t q, uint32_t e, std::string_view lower) const {
    if (e - q != lower.size()) return false;
    for (size_t i = 0; i < lower.size(); ++i) {
      if (to_lower(s_[q + i]) != static_cast<uint8_t>(lower[i])) return false;
    }
    return true;
  }

  template <size_t N>
  bool word_in(uint32_t q, uint32_t e, const std::array<std::string_view, N>& words) const {
    for (std::string_view w : words) {
      if (word_is(q, e, w)) return true;
    }
    return false;
  }

  bool street_suffix(uint32_t q, uint32_t e) const {
    static constexpr std::array<std::string_view, 36> kSuffixes{
        "street", "st", "avenue", "ave", "av", "road", "rd", "lane", "ln", "drive", "dr", "boulevard",
        "blvd", "court", "ct", "way", "place", "pl", "terrace", "tce", "close", "crescent", "cres", "square",
        "sq", "highway", "hwy", "parkway", "pkwy", "circle", "cir", "alley", "row", "grove", "mews", "parade"};
    return word_in(q, e, kSuffixes);
  }

  bool unit_word(uint32_t q, uint32_t e) const {
    static constexpr std::array<std::string_view, 10> kUnits{"apt", "apartment", "unit", "suite", "ste", "flat",
                                                             "fl", "floor", "rm", "room"};
    return word_in(q, e, kUnits);
  }

  // 5th, 42nd, 101st.
  uint32_t ordinal_end(uint32_t q) const {
    uint32_t r = q;
    while (is_digit(at(r)) && r - q < 4) ++r;
    if (r == q || r - q > 3) return 0;
    const uint8_t a = to_lower(at(r));
    const uint8_t b = to_lower(at(r + 1));
    if (!((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h'))) return 0;
    return is_alnum(at(r + 2)) ? 0 : r + 2;
  }

  // Street name words and the suffix, starting at q; returns the end of the suffix (and of a
  // direction after it: Queen's Road Central), 0 when none.
  uint32_t street_at(uint32_t q, bool cued) const {
    int names = 0;
    uint32_t r = q;
    for (int w = 0; w < kMaxStreetWords; ++w) {
      uint32_t we = 0;
      if (is_digit(at(r))) {
        we = ordinal_end(r);
        if (we == 0) return 0;
      } else if (is_letter(at(r))) {
        we = word_end(r);
        const bool capital = is_upper(s_[r]);
        if (!capital && !cued) return 0;
        if (names > 0 && street_suffix(r, we)) return direction_after(we);
        if (unit_word(r, we)) return 0;
      } else {
        return 0;
      }
      ++names;
      if (at(we) != ' ') return 0;
      r = we + 1;
    }
    return 0;
  }

  uint32_t direction_after(uint32_t e) const {
    static constexpr std::array<std::string_view, 13> kDirections{"n", "s", "e", "w", "ne", "nw", "se", "sw",
                                                                  "north", "south", "east", "west", "central"};
    if (at(e) != ' ' || !is_upper(at(e + 1))) return e;
    const uint32_t we = word_end(e + 1);
    if (is_alnum(at(we)) || !word_in(e + 1, we, kDirections)) return e;
    return we;
  }

  // Apt 5B, Suite 200, Unit 3, #12 at q; returns its end, 0 when none.
  uint32_t unit_at(uint32_t q) const {
    uint32_t r = q;
    if (at(r) == '#') {
      ++r;
      if (at(r) == ' ') ++r;
    } else {
      const uint32_t we = word_end(r);
      if (we == r || !unit_word(r, we)) return 0;
      r = we;
      if (at(r) == '.') ++r;
      if (at(r) == ' ') ++r;
      if (at(r) == '#') ++r;
    }
    const uint32_t id = r;
    while (is_alnum(at(r)) && r - id <= 6) ++r;
    if (r == id || r - id > 6 || !(is_digit(at(id)) || r - id == 1)) return 0;
    return r;
  }

  // NY 10118, 62704, 62704-1234, NW1 6XE, SW1A 2AA at q; returns the end, 0 when none.
  uint32_t postal_at(uint32_t q) const {
    uint32_t r = q;
    if (is_upper(at(r)) && is_upper(at(r + 1)) && at(r + 2) == ' ' && is_digit(at(r + 3))) r += 3;  // state
    uint32_t d = r;
    while (is_digit(at(d)) && d - r < 6) ++d;
    if (d - r == 5) {
      if (at(d) == '-' && is_digit(at(d + 1)) && is_digit(at(d + 2)) && is_digit(at(d + 3)) && is_digit(at(d + 4))) d += 5;
      return is_alnum(at(d)) ? 0 : d;
    }
    if (r != q) return 0;
    // UK: outward code (A9, A99, AA9, A9A, AA9A, AA99), a space, inward code (9AA).
    uint32_t o = q;
    while (is_upper(at(o)) && o - q < 2) ++o;
    if (o == q || !is_digit(at(o))) return 0;
    ++o;
    if (is_alnum(at(o)) && at(o) != ' ') {
      if (!is_digit(at(o)) && !is_upper(at(o))) return 0;
      ++o;
    }
    if (at(o) != ' ' || !is_digit(at(o + 1)) || !is_upper(at(o + 2)) || !is_upper(at(o + 3)) || is_alnum(at(o + 4))) return 0;
    return o + 4;
  }

  // After the street: a unit, then a city with its state/ZIP or postcode.
  uint32_t tail_at(uint32_t end) const {
    uint32_t c = end;
    if (at(c) == ',') ++c;
    if (at(c) == ' ') {
      if (const uint32_t u = unit_at(c + 1)) end = u;
    }
    const bool comma = at(end) == ',';
    c = end + (comma ? 1 : 0);
    if (at(c) != ' ') return end;
    ++c;
    if (const uint32_t z = postal_at(c)) return z;
    uint32_t city_end = 0;
    uint32_t w = c;
    for (int words = 0; words < 3 && is_upper(at(w)); ++words) {
      const uint32_t we = word_end(w);
      if (is_digit(at(we))) break;
      city_end = we;
      if (at(we) != ' ' || !is_upper(at(we + 1))) break;
      w = we + 1;
    }
    if (city_end == 0) return end;
    uint32_t a = city_end;
    if (at(a) == ',') ++a;
    const bool city_comma = a != city_end;
    if (at(a) == ' ') {
      if (const uint32_t z = postal_at(a + 1)) return z;
      // "Springfield, IL": a state after a comma.
      if (city_comma && is_upper(at(a + 1)) && is_upper(at(a + 2)) && !is_alnum(at(a + 3))) return a + 3;
    }
    // A city with nothing after it ends the address only after a comma and at a clause end.
    const uint8_t next = at(city_end);
    if (comma && (next == 0 || next == '.' || next == ',' || next == '!' || next == '?' || next == ';' || next == '\n' ||
                  next == ')' || next >= 0x80)) {
      return city_end;
    }
    return end;
  }

  uint32_t en_address(uint32_t p, bool cued) const {
    uint32_t q = p;
    while (is_digit(at(q)) && q - p < 6) ++q;
    if (q == p || q - p > 5) return 0;
    if (is_letter(at(q)) && !is_alnum(at(q + 1))) ++q;  // 221B
    if (at(q) != ' ') return 0;
    const uint32_t street_end = street_at(q + 1, cued);
    return street_end ? tail_at(street_end) : 0;
  }

  uint32_t en_unit_address(uint32_t e) const {
    uint32_t q = e;
    if (at(q) == '.') ++q;
    if (at(q) == ' ') ++q;
    if (at(q) == '#') ++q;
    const uint32_t id = q;
    while (is_alnum(at(q)) && q - id <= 6) ++q;
    if (q == id || q - id > 6) return 0;
    if (at(q) == ',') ++q;
    if (at(q) != ' ') return 0;
    ++q;
    // 12/F, : a Hong Kong floor.
    uint32_t f = q;
    while (is_digit(at(f)) && f - q < 3) ++f;
    if (f > q && at(f) == '/' && (at(f + 1) | 0x20) == 'f' && !is_alnum(at(f + 2))) {
      f += 2;
      if (at(f) == ',') ++f;
      if (at(f) != ' ') return 0;
      q = f + 1;
    }
    return is_digit(at(q)) ? en_address(q, false) : 0;
  }

  uint32_t po_box(uint32_t e) const {
    uint32_t q = e;
    if (at(q) == ' ') ++q;
    if (at(q) == '#') ++q;
    const uint32_t d = q;
    while (is_digit(at(q)) && q - d <= 8) ++q;
    if (q == d || q - d > 8 || is_alnum(at(q))) return 0;
    return q;
  }

  uint32_t number_hint(uint32_t from) const {
    uint32_t q = from;
    while (q < n_) {
      const uint8_t c = s_[q];
      if (c < 0x80) {
        if (is_alnum(c) || (c != ' ' && c != '\n')) return q;
        ++q;
        continue;
      }
      const Decoded d = decode_valid_utf8(s_ + q);
      if (!(is_han(d.cp) || d.cp == 0x3007) || has(d.cp, kNumeral)) return q;
      q += d.len;
    }
    return n_;
  }

 private:
  std::string_view text_;
  const uint8_t* s_;
  uint32_t n_;
  const uint8_t* flags_ = classes().flags.data();
};

}  // namespace

bool is_zh_address_trigger(uint32_t cp) {
  if (cp < 0x4E00 || cp > 0x9FFF) return false;
  return (triggers().bits[(cp - 0x4E00) >> 6] >> ((cp - 0x4E00) & 63)) & 1;
}

std::string_view zh_address_trigger_chars() { return triggers().utf8; }

ZhAddress zh_address_around(std::string_view text, uint32_t t, uint32_t floor) {
  const Reader reader(text);
  return reader.zh_parse(reader.look_back(t, floor), false);
}

uint32_t zh_number_hint(std::string_view text, uint32_t from) { return Reader(text).number_hint(from); }

ZhAddress zh_address_after_cue(std::string_view text, uint32_t q) { return Reader(text).zh_parse(q, true); }

uint32_t en_address_at(std::string_view text, uint32_t p, bool cued) { return Reader(text).en_address(p, cued); }

uint32_t en_unit_address_at(std::string_view text, uint32_t p, uint32_t e) {
  (void)p;
  return Reader(text).en_unit_address(e);
}

uint32_t po_box_number_at(std::string_view text, uint32_t e) { return Reader(text).po_box(e); }

}  // namespace sealdesk::pii::detail

// Cue words: the context that turns on the context-cued entities (verification codes,
// passwords, dates of birth, names) for the value right after them, and "not PII" cues
// (order/tracking numbers) that keep the next number from being read as a card.
// Matched with a byte trie, case-insensitively for ASCII; English cues must be whole words.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sealdesk::pii::detail {

enum class CueKind : uint8_t {
  code,       // verification / one-time code: 4-8 letters and digits with a digit
  pin,        // PIN: 4-12 digits (masked as a password)
  password,   // password: a run of printable ASCII
  dob,        // a date
  name,       // a personal name (Chinese or Latin script)
  name_weak,  // 我是: a Chinese name only when nothing Han-like is glued after it
  ssn,        // a US SSN, also as 9 plain digits
  tw_permit,  // 台胞证: 8 or 10 digits
  phone,      // 电话, 手機, my number, call me at, WhatsApp: a Hong Kong / Macau 8-digit number or a
              // mainland landline typed without separators (61563542, 073172317569); other
              // numbers are left to the number chains
  passport,   // 护照, 護照號碼, passport no.: any country's passport number (K1234567, 123456789)
  mo_id,      // 澳門身份證, Macau ID: the 8 digits of a Macau resident ID without parentheses
  not_pii,    // order / tracking / invoice / IMEI / version: the next number is not a card,
              // an IPv4 address or a legacy 15-digit ID
  id_hint,    // 身份证, ID number: the next number is read as a resident ID first, never a card
  name_role,  // recipient, consignee, account holder: a capitalised or romanised Latin name only
  name_self,  // I'm / I am: two capitalised words, or a romanised Chinese surname first
  wechat,     // 微信, vx, WeChat ID: a WeChat id (letter first, 4-20 letters, digits, _ -)
  qq,         // QQ, QQ号: a QQ number (5-11 digits, no leading 0)
  medical,    // 病历号, 病歷號碼, 住院号, MRN: a record number (letters and digits, 4+ digits)
  plate,      // 车牌, 車牌: a Taiwan plate (ABC-1234, AB-1234, 1234-AB)
  address,    // 地址, 寄到, 住在, ship to: a postal address (sdk/pii/address.h)
  address_unit,  // Flat, Unit, Room: a unit in front of a street address, part of the span
  po_box,     // PO Box: the box number, the cue words part of the span
};

struct CueMatch {
  CueKind kind;
  bool needs_colon;  // only counts when followed by ':' or '=' ("name: ...")
  uint32_t start;    // offset of the cue word
  uint32_t end;      // offset just after the cue word
};

// Longest cue starting at text[pos]; returns false when none. ASCII cues must start at a
// word start (the caller guarantees it) and end at a word end.
bool match_cue(std::string_view text, uint32_t pos, CueMatch& out);

// Bitmaps the scanner tests inline on every CJK character and every English word, so that
// only a few of them reach match_cue(). Built once.
struct CueFilters {
  std::array<uint64_t, 0x7000 / 64> cjk{};  // U+3000-U+9FFF that start a cue, a licence plate or an address
  // English cues by the first word of the text they can start at: [first letter][its length]
  // -> bit (second letter - 'a'), or bit 26 for a one-letter word ("d.o.b").
  std::array<std::array<uint32_t, 32>, 26> ascii_words{};
  std::array<uint64_t, 256> cjk_pairs{};  // hashed first two code points of the Chinese cues

  static uint32_t pair_hash(uint32_t first, uint32_t second) { return (first * 131u + second) & 0x3FFFu; }

  bool cjk_may_start(uint32_t cp) const {
    return cp >= 0x3000 && cp < 0xA000 && ((cjk[(cp - 0x3000) >> 6] >> ((cp - 0x3000) & 63)) & 1);
  }
  // Whether a Chinese cue may start with these two characters (false positives possible).
  bool cjk_pair_may_start(uint32_t first, uint32_t second) const {
    const uint32_t h = pair_hash(first, second);
    return (cjk_pairs[h >> 6] >> (h & 63)) & 1;
  }
  // Whether an English cue may start at a word of `len` ASCII letters whose first two letters,
  // lower-cased, are first and second (second is ignored when len is 1). A cue's first word
  // is a whole word of the text, so its length must match too.
  bool ascii_may_start(uint8_t first, uint8_t second, uint32_t len) const {
    if (len >= 32 || first < 'a' || first > 'z') return false;
    const uint32_t bit = len == 1 ? 26u : static_cast<uint32_t>(second - 'a');
    return bit < 27 && ((ascii_words[first - 'a'][len] >> bit) & 1);
  }
};
const CueFilters& cue_filters();

// Province abbreviations that start a mainland licence plate.
bool is_plate_province(uint32_t cp);

// Chinese surnames (common single-character ones, simplified and traditional) and compound ones.
bool is_cn_surname(uint32_t cp);
bool is_cn_compound_surname(uint32_t first, uint32_t second);
// Two-character role nouns that start with a surname character (商家, 房东, 车主, 师傅).
bool is_cn_role_noun(uint32_t first, uint32_t second);
// Characters that end a Chinese name after a cue (particles and common verbs: 我叫张三想问...).
bool is_cn_name_stop(uint32_t cp);
// Common romanised Chinese surnames (pinyin, Wade-Giles, Cantonese): "xie", "chan", "wong";
// word is compared case-insensitively.
bool is_romanised_surname(std::string_view word);
// Common English given names ("zoe", "priya", "michael"), compared case-insensitively: a name
// typed all in lower case after a cue ("my name is zoe anderson") starts with one.
bool is_english_given_name(std::string_view word);

}  // namespace sealdesk::pii::detail

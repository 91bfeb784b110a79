#include "sdk/pii/scanner.h"

#include <algorithm>
#include <array>
#include <limits>

#include "sdk/pii/address.h"
#include "sdk/pii/checks.h"
#include "sdk/pii/cues.h"
#include "sdk/pii/text.h"

namespace sealdesk::pii::detail {
namespace {

// ---- byte classes ---------------------------------------------------------------------------

enum : uint8_t {
  kDigit = 1,
  kUpper = 2,
  kLower = 4,
  kLocalPunct = 8,  // e-mail local-part punctuation: . _ % + -
  kHex = 16,
  kNumSep = 32,     // separators inside numbers: space - . / ( )
};
constexpr uint8_t kAlnum = kDigit | kUpper | kLower;

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit | kHex;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kUpper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLower;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kHex;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHex;
  for (char c : {'.', '_', '%', '+', '-'}) t[static_cast<uint8_t>(c)] |= kLocalPunct;
  for (char c : {' ', '-', '.', '/', '(', ')'}) t[static_cast<uint8_t>(c)] |= kNumSep;
  return t;
}
constexpr std::array<uint8_t, 256> kClass = make_classes();

bool is_digit(uint8_t c) { return (kClass[c] & kDigit) != 0; }
bool is_alnum(uint8_t c) { return (kClass[c] & kAlnum) != 0; }
bool is_letter(uint8_t c) { return (kClass[c] & (kUpper | kLower)) != 0; }
bool is_upper(uint8_t c) { return (kClass[c] & kUpper) != 0; }
bool is_hex(uint8_t c) { return (kClass[c] & kHex) != 0; }
uint8_t to_upper(uint8_t c) { return (kClass[c] & kLower) ? static_cast<uint8_t>(c - 32) : c; }
uint8_t to_lower(uint8_t c) { return (kClass[c] & kUpper) ? static_cast<uint8_t>(c + 32) : c; }
// Letters allowed in plates and new passports/permits: A-Z without I and O.
bool is_plate_letter(uint8_t c) { return is_upper(c) && c != 'I' && c != 'O'; }

bool is_han(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FA1F);
}

// Emoji and pictographs people put between a cue and its value ("验证码📞123456").
bool is_pictograph(uint32_t cp) {
  return cp >= 0x1F000 || (cp >= 0x2190 && cp <= 0x2BFF) || cp == 0xFE0F || cp == 0x20E3;
}

// Separator kinds inside number chains.
enum : uint8_t { kSepSpace = 1, kSepDash = 2, kSepDot = 4, kSepSlash = 8, kSepParen = 16 };

uint8_t sep_kind(uint8_t c) {
  switch (c) {
    case ' ': case '\n': return kSepSpace;
    case '-': return kSepDash;
    case '.': return kSepDot;
    case '/': return kSepSlash;
    case '(': case ')': return kSepParen;
    default: return 0;
  }
}

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr size_t kMaxGroups = 12;
constexpr size_t kMaxChainChars = 20;  // longest number read as a chain: 19-digit card, 0086 + mobile
constexpr uint32_t kMaxEmailLocal = 64;      // RFC 5321 local-part limit
constexpr uint32_t kMaxPassword = 64;

uint8_t clamp8(size_t v) { return static_cast<uint8_t>(std::min<size_t>(v, 255)); }

struct Candidate {
  Entity type = Entity::cn_id;
  int tier = 99;  // 0: check-digit validated; 1: shape-validated
  uint32_t start = 0;
  uint32_t end = 0;
  uint8_t keep_start = 0;
  uint8_t keep_end = 0;
};

// ---- the scanner ----------------------------------------------------------------------------

class Scanner {
 public:
  Scanner(std::string_view text, const EntitySet& enabled, std::vector<Span>& out)
      : text_(text),
        s_(reinterpret_cast<const uint8_t*>(text.data())),
        n_(static_cast<uint32_t>(text.size())),
        enabled_(enabled),
        out_(out),
        filters_(cue_filters()) {}

  void run() {
    uint32_t p = 0;
    while (p < n_) {
      const uint8_t c = s_[p];
      if (c < 0x80) {
        if (is_alnum(c)) {
          p = token(p);
          continue;
        }
        if (c == ':' && at(p + 1) == ':' && on(Entity::ipv6) && !(p > 0 && (is_alnum(s_[p - 1]) || s_[p - 1] == ':'))) {
          uint8_t keep = 0;
          if (const uint32_t end = ipv6_at(p, keep)) {
            p = emit(Entity::ipv6, p, end, keep, 0);
            continue;
          }
        }
        ++p;
        continue;
      }
      p = non_ascii(p);
    }
  }

 private:
  uint8_t at(uint32_t i) const { return i < n_ ? s_[i] : 0; }
  bool on(Entity e) const { return enabled_.test(static_cast<size_t>(e)); }

  uint32_t emit(Entity type, uint32_t start, uint32_t end, uint8_t keep_start, uint8_t keep_end) {
    out_.push_back({start, end, static_cast<uint16_t>(type), keep_start, keep_end});
    floor_ = end;
    return end;
  }

  uint32_t emit(const Candidate& c) { return emit(c.type, c.start, c.end, c.keep_start, c.keep_end); }

  uint32_t run_end(uint32_t p) const {
    while (p < n_ && is_alnum(s_[p])) ++p;
    return p;
  }

  // A token: an ASCII letter/digit run starting at p (s_[p-1] is not a letter or digit).
  uint32_t token(uint32_t p) {
    uint8_t seen = 0;  // union of the token's byte classes
    uint32_t e = p;
    for (uint8_t k; e < n_ && ((k = kClass[s_[e]]) & kAlnum); ++e) seen |= k;
    const bool digits = (seen & kDigit) != 0;
    const bool letters = (seen & (kUpper | kLower)) != 0;
    const uint8_t next = at(e);
    if (on(Entity::email) && p >= email_fail_until_ && (next == '@' || (kClass[next] & kLocalPunct))) {
      if (const uint32_t end = email_at(p)) return end;
    }
    if (next == ':' && on(Entity::ipv6) && e - p <= 4 && all_hex(p, e)) {
      uint8_t keep = 0;
      if (const uint32_t end = ipv6_at(p, keep)) return emit(Entity::ipv6, p, end, keep, 0);
    }
    if (!digits) {
      // Most words end at a space before a letter, or at sentence punctuation: nothing below.
      const uint8_t after = at(e + 1);
      if ((next > 0x20 && next < 0x7F && next != ',') ||
          (next == ' ' && (is_digit(after) || (after | 0x20) == 'a' || after == '(' || after == '['))) {
        if (const uint32_t end = word_forms(p, e, next)) return end;
      }
      return word(p, e);
    }
    if (letters && may_obfuscate(e)) {
      if (const uint32_t end = obfuscated_email(p)) return end;
    }
    // A fraction or the tail of a grouped amount ("12.13800138000", "1,380") is never a start.
    if (p >= 2 && (s_[p - 1] == '.' || s_[p - 1] == ',') && is_digit(s_[p - 2])) return e;
    if (const uint32_t end = alnum_token(p, e)) return end;
    if (letters && e - p < 9 && next == ' ' && is_digit(at(e + 1))) {
      if (const uint32_t end = spaced_passport(p, e)) return end;
    }
    if (const uint32_t end = number_chain(p, e, false)) return end;
    // A house number: "22 Baker Street", "221B Baker St", "350 5th Ave".
    if (next == ' ' && e - p <= 6 && (is_upper(at(e + 1)) || is_digit(at(e + 1))) && on(Entity::address)) {
      if (const uint32_t end = en_address_at(text_, p, false)) return emit(Entity::address, p, end, 0, 0);
    }
    if (letters) {
      // Letters glued to digits ("tel13800138000", "13800138000IPv6"): the digits alone may be
      // a mobile number or an ID.
      uint32_t q = p;
      if (is_letter(s_[p])) {
        while (q < e && is_letter(s_[q])) ++q;
        bool only_digits = true;
        for (uint32_t i = q; i < e; ++i) only_digits &= is_digit(s_[i]);
        if (only_digits) {
          // "IP61.128.62.233": an address glued to a word of two letters or more (not "v1.2.3.4").
          glued_ip_ = q - p >= 2 && to_lower(s_[p]) != 'v';
          const uint32_t end = number_chain(q, e, true);
          glued_ip_ = false;
          if (end) return end;
        }
      } else {
        while (q < e && is_digit(s_[q])) ++q;
        bool only_letters = true;
        for (uint32_t i = q; i < e; ++i) only_letters &= is_letter(s_[i]);
        if (only_letters && (q - p == 11 || q - p == 18)) {
          if (const uint32_t end = number_chain(p, q, true)) return end;
        }
      }
    }
    return e;
  }

  // What a letters-only token may start besides a cue: a structured field's key, a passport
  // typed with a space, an obfuscated e-mail. Kept out of token(), the hot path.
  [[gnu::noinline]] uint32_t word_forms(uint32_t p, uint32_t e, uint8_t next) {
    if (next == '"' || next == '=' || next == '_' || next == '-' || is_digit(next)) {
      if (const uint32_t end = field_at(p, e)) return end;
    }
    if (e - p <= 2 && next == ' ' && is_digit(at(e + 1)) && on(Entity::passport)) {
      if (const uint32_t end = spaced_passport_at(p, e)) return end;
    }
    if (may_obfuscate(e)) return obfuscated_email(p);
    return 0;
  }

  [[gnu::noinline]] uint32_t obfuscated_email(uint32_t p) {
    if (!on(Entity::email) || p < obf_fail_until_) return 0;
    return obfuscated_email_at(p);
  }

  // Whether an obfuscated e-mail may go on after a token ending at e: local-part punctuation,
  // '#', "(at)", "[at]" or " at " / " [at] " / " (at) ". A cheap test before obfuscated_email_at.
  bool may_obfuscate(uint32_t e) const {
    const uint8_t c = at(e);
    if (c == '#' || c == '(' || c == '[' || (kClass[c] & kLocalPunct)) return true;
    if (c != ' ') return false;
    const uint8_t a = at(e + 1);
    return ((a | 0x20) == 'a' && (at(e + 2) | 0x20) == 't' && at(e + 3) == ' ') || a == '(' || a == '[';
  }

  bool all_hex(uint32_t p, uint32_t e) const {
    for (uint32_t i = p; i < e; ++i) {
      if (!is_hex(s_[i])) return false;
    }
    return true;
  }

  // ---- cue words ----------------------------------------------------------------------------

  uint32_t word(uint32_t p, uint32_t e) {
    if (!filters_.ascii_may_start(to_lower(s_[p]), to_lower(at(p + 1)), e - p)) return e;
    CueMatch cue{};
    if (!match_cue(text_, p, cue)) return e;
    return cued_value(cue);
  }

  uint32_t non_ascii(uint32_t p) {
    // Runs of CJK text are skipped here, three bytes at a time, until a character that may
    // start a cue or a plate.
    while (p + 2 < n_ && (s_[p] & 0xF0) == 0xE0) {
      const uint32_t cp = ((s_[p] & 0x0Fu) << 12) | ((s_[p + 1] & 0x3Fu) << 6) | (s_[p + 2] & 0x3Fu);
      if (filters_.cjk_may_start(cp)) break;
      p += 3;
    }
    if (p >= n_ || s_[p] < 0x80) return p;
    const Decoded d = decode_valid_utf8(s_ + p);
    if (d.len == 3 && filters_.cjk_may_start(d.cp)) {
      const uint8_t next = at(p + 3);
      // Chinese cues are two characters or more: check the pair before the full lookup.
      if (next >= 0x80 && filters_.cjk_pair_may_start(d.cp, decode_valid_utf8(s_ + p + 3).cp)) {
        CueMatch cue{};
        if (match_cue(text_, p, cue)) return cued_value(cue);
      }
      if (is_plate_letter(next) && on(Entity::license_plate) && is_plate_province(d.cp)) {
        if (const uint32_t end = plate_at(p + 3)) return emit(Entity::license_plate, p, end, 2, 2);
      }
      if (p >= zh_address_fail_until_ && on(Entity::address) && is_zh_address_trigger(d.cp)) {
        if (const uint32_t end = zh_address_without_cue(p)) return end;
      }
    }
    return p + d.len;
  }

  // ---- addresses (sdk/pii/address.h) ---------------------------------------------------------

  // A Chinese address around the unit, road or region character at t, with no cue before it.
  [[gnu::noinline]] uint32_t zh_address_without_cue(uint32_t t) {
    if (!number_may_follow(t)) return 0;
    const ZhAddress a = zh_address_around(text_, t, floor_);
    if (a.end == 0) {
      // Every trigger before fail_until would read the same text to the same dead end.
      if (a.fail_until > t) zh_address_fail_until_ = a.fail_until;
      return 0;
    }
    return emit(Entity::address, a.start, a.end, significant_chars(a.start, a.coarse_end), 0);
  }

  // The address right after an address cue (地址：, 寄到, ship to): Chinese or English.
  uint32_t address_after_cue(uint32_t q) {
    if (is_digit(at(q))) {
      if (const uint32_t end = en_address_at(text_, q, true)) return emit(Entity::address, q, end, 0, 0);
      return 0;
    }
    if (at(q) < 0x80 || !number_may_follow(q)) return 0;
    const ZhAddress a = zh_address_after_cue(text_, q);
    if (a.end == 0) return 0;
    return emit(Entity::address, q, a.end, significant_chars(q, a.coarse_end), 0);
  }

  // Whether a digit, letter or numeral comes soon enough after q, before anything that ends a
  // place part. The answer is kept: it holds for every offset up to where it was found, so
  // each byte of a run of place characters is looked at once.
  bool number_may_follow(uint32_t q) {
    if (q < hint_from_ || q > hint_at_) {
      hint_from_ = q;
      hint_at_ = zh_number_hint(text_, q);
    }
    if (hint_at_ >= n_ || hint_at_ - q > kZhAddressReach) return false;
    const uint8_t c = s_[hint_at_];
    if (c < 0x80) return is_alnum(c);
    const uint32_t cp = decode_valid_utf8(s_ + hint_at_).cp;
    return is_han(cp) || cp == 0x3007;  // a numeral (the other stops are not Han)
  }

  // Letters, digits and Han characters in v..e: what the partial style counts (write_partial
  // in masker.cpp), so the kept head of an address ends where its coarse part ends.
  uint8_t significant_chars(uint32_t v, uint32_t e) const {
    uint32_t count = 0;
    for (uint32_t i = v; i < e;) {
      uint32_t len = 0;
      const uint32_t cp = cp_at(i, len);
      if (len == 0) break;
      count += is_han(cp) || (cp < 0x80 && is_alnum(static_cast<uint8_t>(cp)));
      i += len;
    }
    return clamp8(count);
  }

  // Skips what people write between a cue and its value: spaces, ':' '=' '#', 是/为/叫,
  // "is"/"was"/"are". Sets colon when a ':' or '=' was seen.
  uint32_t skip_filler(uint32_t q, bool& colon) const {
    for (int steps = 0; steps < 8 && q < n_; ++steps) {
      const uint8_t c = s_[q];
      if (c == ' ' || c == '\t') {
        ++q;
        continue;
      }
      if (c == ':' || c == '=') {
        colon = true;
        ++q;
        continue;
      }
      if (c == '#' || (c == '-' && at(q + 1) == ' ')) {
        ++q;
        continue;
      }
      if (c >= 0x80) {
        const Decoded d = decode_valid_utf8(s_ + q);
        if (d.cp == 0x662F || d.cp == 0x4E3A || d.cp == 0x70BA || d.cp == 0x53EB || d.cp == 0x4FC2 ||  // 是为為叫係
            is_pictograph(d.cp)) {
          q += d.len;
          continue;
        }
        // 应该是 / 應該是 / 就是 ("收件人应该是江诗涵"): 应 and 就 are no name's start here.
        uint32_t len2 = 0;
        const uint32_t second = cp_at(q + d.len, len2);
        if (((d.cp == 0x5E94 || d.cp == 0x61C9) && (second == 0x8BE5 || second == 0x8A72)) ||
            (d.cp == 0x5C31 && second == 0x662F)) {
          q += d.len + len2;
          continue;
        }
        break;
      }
      if (is_letter(c)) {
        const uint32_t e = run_end(q);
        const std::string_view w = text_.substr(q, e - q);
        if (equals_lower(w, "is") || equals_lower(w, "was") || equals_lower(w, "are") || equals_lower(w, "am")) {
          q = e;
          continue;
        }
      }
      break;
    }
    return q;
  }

  static bool equals_lower(std::string_view w, std::string_view lower) {
    if (w.size() != lower.size()) return false;
    for (size_t i = 0; i < w.size(); ++i) {
      if (to_lower(static_cast<uint8_t>(w[i])) != static_cast<uint8_t>(lower[i])) return false;
    }
    return true;
  }

  uint32_t cued_value(const CueMatch& cue) {
    bool colon = false;
    const uint32_t q = skip_filler(cue.end, colon);
    if (cue.needs_colon && !colon) return cue.end;
    switch (cue.kind) {
      case CueKind::code: {
        uint32_t e = run_end(q);
        bool digit = false;
        bool all_digits = e > q;
        for (uint32_t i = q; i < e; ++i) {
          digit |= is_digit(s_[i]);
          all_digits &= is_digit(s_[i]);
        }
        // Digits typed in groups: "195 914", "19 59 14", "482-913".
        std::array<char, 8> code{};
        uint32_t count = 0;
        if (all_digits && e - q <= 8) {
          for (uint32_t i = q; i < e; ++i) code[count++] = static_cast<char>(s_[i]);
          uint32_t r = e;
          while ((at(r) == ' ' || at(r) == '-') && is_digit(at(r + 1)) && r - q < 16) {
            const uint32_t ge = run_end(r + 1);
            bool group_digits = ge > r + 1;
            for (uint32_t i = r + 1; i < ge; ++i) group_digits &= is_digit(s_[i]);
            if (!group_digits) break;
            if (count + (ge - r - 1) > 8) {
              // A longer number (a 400/800 hotline, a phone) follows the cue: not a code.
              not_pii_at_ = q;
              return cue.end;
            }
            for (uint32_t i = r + 1; i < ge; ++i) code[count++] = static_cast<char>(s_[i]);
            r = ge;
          }
          if (r != e && count >= 4) e = r;
          // A service number after the cue (95588, 10690..., 400 hotlines) sent the code; it is not one.
          if (cn_service_number(std::string_view(code.data(), count))) {
            not_pii_at_ = q;
            return cue.end;
          }
        }
        const uint32_t len = all_digits && e != run_end(q) ? count : e - q;
        if (on(Entity::verification_code) && len >= 4 && len <= 8 && digit) {
          return emit(Entity::verification_code, q, e, 0, 0);
        }
        if (on(Entity::verification_code)) {
          uint32_t start = 0;
          if (const uint32_t end = code_nearby(q, start)) return emit(Entity::verification_code, start, end, 0, 0);
        }
        break;
      }
      case CueKind::pin: {
        uint32_t e = q;
        while (e < n_ && is_digit(s_[e])) ++e;
        if (on(Entity::password) && e - q >= 4 && e - q <= 12 && !is_alnum(at(e))) {
          return emit(Entity::password, q, e, 0, 0);
        }
        break;
      }
      case CueKind::password:
        if (on(Entity::password)) {
          if (const uint32_t e = password_at(q)) return emit(Entity::password, q, e, 0, 0);
        }
        break;
      case CueKind::dob:
        if (on(Entity::dob)) {
          uint8_t keep_start = 0;
          uint8_t keep_end = 0;
          if (const uint32_t e = date_at(q, keep_start, keep_end)) return emit(Entity::dob, q, e, keep_start, keep_end);
        }
        break;
      case CueKind::name:
      case CueKind::name_role:
      case CueKind::name_self:
        if (on(Entity::name)) {
          if (cue.kind != CueKind::name_self) {
            if (const uint32_t e = cn_name_at(q)) return emit(Entity::name, q, e, 1, 0);
          }
          if (const uint32_t e = cued_latin_name(q, cue.kind, colon)) return emit(Entity::name, q, e, 1, 0);
        }
        break;
      case CueKind::wechat:
        if (on(Entity::im_account) && is_letter(at(q))) {
          uint32_t e = q;
          while (e < n_ && (is_alnum(s_[e]) || s_[e] == '_' || s_[e] == '-') && e - q <= 20) ++e;
          if (e - q >= 4 && e - q <= 20 && !is_alnum(at(e))) return emit(Entity::im_account, q, e, 1, 2);
        }
        break;
      case CueKind::qq: {
        uint32_t e = q;
        while (e < n_ && is_digit(s_[e]) && e - q <= 11) ++e;
        if (on(Entity::im_account) && at(q) != '0' && e - q >= 5 && e - q <= 11 && !is_alnum(at(e))) {
          return emit(Entity::im_account, q, e, 2, 2);
        }
        break;
      }
      case CueKind::medical: {
        const uint32_t e = run_end(q);
        int digit_count = 0;
        for (uint32_t i = q; i < e; ++i) digit_count += is_digit(s_[i]);
        if (on(Entity::medical_record) && e - q <= 20 && digit_count >= 4) {
          return emit(Entity::medical_record, q, e, 0, 3);
        }
        break;
      }
      case CueKind::plate:
        if (on(Entity::license_plate)) {
          if (const uint32_t e = tw_plate_at(q)) return emit(Entity::license_plate, q, e, 1, 2);
        }
        break;
      case CueKind::name_weak:
        if (on(Entity::name)) {
          // 我是张伟， yes; 我是王者荣耀玩家 no: the name must end where the Han text ends.
          // 转账给商家了 no: a role noun.
          if (const uint32_t e = cn_name_at(q)) {
            uint32_t len = 0;
            const uint32_t next = cp_at(e, len);
            uint32_t len1 = 0;
            const uint32_t first = cp_at(q, len1);
            const bool role = e - q == 6 && is_cn_role_noun(first, cp_at(q + len1, len));
            if ((!is_han(next) || is_cn_name_stop(next)) && !role) return emit(Entity::name, q, e, 1, 0);
          }
          // 我係CHOW Ka-ho: Latin script as after "I'm".
          if (const uint32_t e = cued_latin_name(q, CueKind::name_self, colon)) return emit(Entity::name, q, e, 1, 0);
        }
        break;
      case CueKind::ssn:
        if (on(Entity::us_ssn)) {
          if (const uint32_t e = ssn_at(q)) return emit(Entity::us_ssn, q, e, 0, 4);
        }
        break;
      case CueKind::tw_permit: {
        uint32_t e = q;
        while (e < n_ && is_digit(s_[e])) ++e;
        if (on(Entity::travel_permit) && (e - q == 8 || e - q == 10) && !is_alnum(at(e))) {
          return emit(Entity::travel_permit, q, e, 1, 3);
        }
        break;
      }
      case CueKind::phone: {
        // Numbers typed with no separator after a phone cue; anything grouped is read by the
        // number chains, which need no cue.
        uint32_t e = q;
        while (e < n_ && is_digit(s_[e]) && e - q <= 12) ++e;
        if (value_goes_on(e)) break;
        const std::string_view number = text_.substr(q, e - q);
        if (on(Entity::phone_local) && hk_mo_local_valid(number)) return emit(Entity::phone_local, q, e, 0, 4);
        const size_t area = cn_area_code_length(number);
        if (on(Entity::cn_landline) && area > 0 && number.size() - area >= 7 && number.size() - area <= 8 &&
            number[area] >= '2') {
          return emit(Entity::cn_landline, q, e, clamp8(area), 4);
        }
        break;
      }
      case CueKind::passport: {
        // Any country's passport number (ICAO 9303: up to 9 characters): up to two letters,
        // then digits, 7-9 characters with 6 digits or more (K1234567, TZ1234567, 123456789).
        const uint32_t e = run_end(q);
        uint32_t letters = 0;
        while (q + letters < e && is_letter(s_[q + letters])) ++letters;
        bool tail_digits = true;
        for (uint32_t i = q + letters; i < e; ++i) tail_digits &= is_digit(s_[i]);
        if (on(Entity::passport) && letters <= 2 && tail_digits && e - q >= 7 && e - q <= 9 && e - q - letters >= 6 &&
            !value_goes_on(e)) {
          return emit(Entity::passport, q, e, 1, 3);
        }
        break;
      }
      case CueKind::mo_id: {
        // 8 digits without the parentheses: 1, 5 or 7, six digits and the check digit.
        uint32_t e = q;
        while (e < n_ && is_digit(s_[e]) && e - q <= 8) ++e;
        if (on(Entity::mo_id) && e - q == 8 && (s_[q] == '1' || s_[q] == '5' || s_[q] == '7') && !value_goes_on(e)) {
          return emit(Entity::mo_id, q, e, 1, 0);
        }
        break;
      }
      case CueKind::not_pii:
        if (is_alnum(at(q))) not_pii_at_ = q;
        break;
      case CueKind::id_hint:
        if (is_digit(at(q))) id_at_ = q;
        break;
      case CueKind::address:
        if (on(Entity::address)) {
          if (const uint32_t e = address_after_cue(q)) return e;
        }
        break;
      case CueKind::address_unit:
        if (on(Entity::address)) {
          if (const uint32_t e = en_unit_address_at(text_, cue.start, cue.end)) return emit(Entity::address, cue.start, e, 0, 0);
        }
        break;
      case CueKind::po_box:
        if (on(Entity::address)) {
          if (const uint32_t e = po_box_number_at(text_, cue.end)) return emit(Entity::address, cue.start, e, 0, 0);
        }
        break;
    }
    return cue.end;
  }

  // Latin script after a name cue: after a colon any word; otherwise a capitalised word, a
  // romanised surname or (after "my name is" and the like) a common given name, so "my name is
  // spelled wrong" is not a name. "I'm": two capitalised words or a romanised surname first
  // ("I'm Happy with it" is not a name either). Returns the name's end, 0 when none.
  uint32_t cued_latin_name(uint32_t q, CueKind kind, bool colon) const {
    const uint32_t e = latin_name_at(q);
    if (e == 0) return 0;
    const uint32_t w = name_word_end(q);
    const std::string_view first = text_.substr(q, w - q);
    const bool capital = is_upper(s_[q]);
    const bool surname = is_romanised_surname(first) && (capital || w - q >= 3);
    if (kind == CueKind::name_self) return surname || (capital && e > w) ? e : 0;
    return surname || colon || capital || (kind == CueKind::name && is_english_given_name(first)) ? e : 0;
  }

  // Whether the digits or letters ending at e go on as a longer number ("61563542-123",
  // "12345678 9", "1234.50"): then a cued reader leaves them to the number chains.
  bool value_goes_on(uint32_t e) const {
    const uint8_t c = at(e);
    return is_alnum(c) || ((c == ' ' || c == '-' || c == '.' || c == ',') && is_digit(at(e + 1)));
  }

  // A code a few characters after its cue, in the same sentence: "收唔到新嘅驗證碼，之前嗰個58751453
  // 已經過期". Up to 12 characters of Chinese text (no ASCII word, no other cue, no sentence end)
  // before a run of 4-8 digits that is no count, amount or date (5分钟, 2024年), no phone's tail
  // (尾号8000) and no service number. Returns the run's end and its start in start, 0 when none.
  uint32_t code_nearby(uint32_t q, uint32_t& start) const {
    uint32_t r = q;
    uint32_t before = 0;  // the character before the digits
    for (int chars = 0; chars < 12 && r < n_ && !is_digit(s_[r]); ++chars) {
      if (s_[r] == ',') {
        before = s_[r++];
        continue;
      }
      if (s_[r] < 0x80) return 0;  // an ASCII word, a space, sentence punctuation
      uint32_t len = 0;
      const uint32_t cp = cp_at(r, len);
      CueMatch other{};
      if (cp == 0x3002 || cp == 0x2026 || (filters_.cjk_may_start(cp) && match_cue(text_, r, other))) return 0;  // 。…
      before = cp;
      r += len;
    }
    if (r == q || !is_digit(at(r))) return 0;
    uint32_t e = r;
    while (e < n_ && is_digit(s_[e]) && e - r <= 8) ++e;
    if (e - r < 4 || e - r > 8 || value_goes_on(e) || cn_service_number(text_.substr(r, e - r))) return 0;
    switch (before) {  // 号號码碼间間室楼樓层層第共约約: a number, a room, a count
      case 0x53F7: case 0x865F: case 0x7801: case 0x78BC: case 0x95F4: case 0x9593: case 0x5BA4: case 0x697C:
      case 0x6A13: case 0x5C42: case 0x5C64: case 0x7B2C: case 0x5171: case 0x7EA6: case 0x7D04:
        return 0;
      default:
        break;
    }
    uint32_t len = 0;
    switch (cp_at(e, len)) {  // 年月日号號元块塊分秒个個次天位条條张張件台樓楼室
      case 0x5E74: case 0x6708: case 0x65E5: case 0x53F7: case 0x865F: case 0x5143: case 0x5757: case 0x584A:
      case 0x5206: case 0x79D2: case 0x4E2A: case 0x500B: case 0x6B21: case 0x5929: case 0x4F4D: case 0x6761:
      case 0x689D: case 0x5F20: case 0x5F35: case 0x4EF6: case 0x53F0: case 0x6A13: case 0x697C: case 0x5BA4:
        return 0;
      default:
        break;
    }
    start = r;
    return e;
  }

  // A structured field whose key names a PII kind: JSON "name":"胡春燕", key=value and URL
  // query fragments (?name=XIE%20YONG&...). p..e is an ASCII letter run. Returns the end of
  // what was emitted, 0 to read the text as usual (numbers in mobile/idCard fields are found
  // and validated by the ordinary recognisers).
  uint32_t field_at(uint32_t p, uint32_t e) {
    const uint8_t before = p > 0 ? s_[p - 1] : '\n';
    const bool json = before == '"';
    if (!json && before != '?' && before != '&' && before != ' ' && before != '\n' && before != ';' && before != ',') return 0;
    if (e - p > 32) return 0;  // no key is that long (and key[] below holds 32)
    uint32_t k = e;
    while (k < n_ && k - p < 32 && (is_alnum(s_[k]) || s_[k] == '_' || s_[k] == '-')) ++k;
    uint32_t v = k;
    if (json) {
      if (at(v) != '"') return 0;
      ++v;
      while (at(v) == ' ') ++v;
      if (at(v) != ':') return 0;
      ++v;
      while (at(v) == ' ') ++v;
      if (at(v) != '"') return 0;
      ++v;
    } else {
      if (at(v) != '=') return 0;
      ++v;
    }
    // The key, lower case without '_' and '-'.
    std::array<char, 32> key{};
    size_t kl = 0;
    for (uint32_t i = p; i < k; ++i) {
      if (s_[i] != '_' && s_[i] != '-') key[kl++] = static_cast<char>(to_lower(s_[i]));
    }
    const Entity kind = field_kind(std::string_view(key.data(), kl));
    if (kind == Entity::cn_mobile || !on(kind)) return 0;  // cn_mobile: "read as usual"
    uint32_t ve = v;
    if (json) {
      while (ve < n_ && s_[ve] != '"' && s_[ve] != '\n' && ve - v < 256) ve += s_[ve] == '\\' ? 2 : 1;
      if (at(ve) != '"') return 0;
    } else {
      while (ve < n_ && s_[ve] != '&' && s_[ve] != ' ' && s_[ve] != '\n' && s_[ve] != '"' && s_[ve] != '#' && ve - v < 256) ++ve;
      if (ve - v >= 256) return 0;
    }
    if (ve == v) return 0;
    int digit_count = 0;
    bool encoded_at = false;
    for (uint32_t i = v; i < ve; ++i) {
      if (!json && s_[i] == '%' && is_hex(at(i + 1)) && is_hex(at(i + 2))) {  // %20, %E8: not digits of the value
        encoded_at |= at(i + 1) == '4' && at(i + 2) == '0';
        i += 2;
        continue;
      }
      digit_count += is_digit(s_[i]);
      encoded_at |= s_[i] == '%' && at(i + 1) == '4' && at(i + 2) == '0';
    }
    switch (kind) {
      case Entity::name:
        if (digit_count > 0 || ve - v > 96) return 0;
        return emit(Entity::name, v, ve, 1, 0);
      case Entity::address:
        return emit(Entity::address, v, ve, address_keep(v, ve), 0);
      case Entity::email:
        return encoded_at ? emit(Entity::email, v, ve, 1, 0) : 0;
      case Entity::verification_code:
        if (ve - v > 8 || ve - v < 4 || digit_count == 0) return 0;
        if (key_is(key.data(), kl, "code") && (digit_count < 6 || digit_count != static_cast<int>(ve - v))) return 0;
        return emit(Entity::verification_code, v, ve, 0, 0);
      case Entity::dob:
        return digit_count > 0 ? emit(Entity::dob, v, ve, 0, 0) : 0;
      default:
        return emit(kind, v, ve, 0, 0);
    }
  }

  static bool key_is(const char* key, size_t kl, std::string_view w) { return std::string_view(key, kl) == w; }

  // Keys (lower case, no '_' or '-') that name a PII kind; cn_mobile stands for "no kind".
  static Entity field_kind(std::string_view key) {
    struct KeyKind {
      std::string_view key;
      Entity kind;
    };
    static constexpr KeyKind kKeys[] = {
        {"name", Entity::name}, {"fullname", Entity::name}, {"realname", Entity::name}, {"truename", Entity::name},
        {"customername", Entity::name}, {"receivername", Entity::name}, {"receiver", Entity::name},
        {"consignee", Entity::name}, {"contactname", Entity::name}, {"recipient", Entity::name},
        {"recipientname", Entity::name}, {"cardholder", Entity::name}, {"holdername", Entity::name},
        {"accountname", Entity::name}, {"firstname", Entity::name}, {"lastname", Entity::name},
        {"address", Entity::address}, {"addr", Entity::address}, {"receiveraddress", Entity::address},
        {"shippingaddress", Entity::address}, {"fulladdress", Entity::address}, {"detailaddress", Entity::address},
        {"street", Entity::address},
        {"email", Entity::email}, {"mail", Entity::email}, {"emailaddress", Entity::email},
        {"code", Entity::verification_code}, {"smscode", Entity::verification_code},
        {"verifycode", Entity::verification_code}, {"verificationcode", Entity::verification_code},
        {"otp", Entity::verification_code}, {"captcha", Entity::verification_code}, {"authcode", Entity::verification_code},
        {"password", Entity::password}, {"pwd", Entity::password}, {"passwd", Entity::password},
        {"birthday", Entity::dob}, {"dob", Entity::dob}, {"birthdate", Entity::dob}, {"dateofbirth", Entity::dob},
        {"wechat", Entity::im_account}, {"weixin", Entity::im_account}, {"wx", Entity::im_account}, {"qq", Entity::im_account},
    };
    for (const KeyKind& k : kKeys) {
      if (k.key == key) return k.kind;
    }
    return Entity::cn_mobile;
  }

  // Han characters up to the last administrative unit (省 市 区 县 縣 區 州 盟 旗 鄉 镇 鎮): what the
  // partial style keeps of an address, so it is masked from the street onward.
  uint8_t address_keep(uint32_t v, uint32_t ve) const {
    uint32_t count = 0;
    uint32_t keep = 0;
    for (uint32_t i = v; i < ve;) {
      uint32_t len = 0;
      const uint32_t cp = cp_at(i, len);
      if (len == 0) break;
      if (is_han(cp)) {
        ++count;
        switch (cp) {
          case 0x7701: case 0x5E02: case 0x533A: case 0x53BF: case 0x7E23: case 0x5340: case 0x5DDE: case 0x9547: case 0x93AE:
          case 0x9109: case 0x4E61:
            keep = count;
            break;
          default:
            break;
        }
      } else if (is_alnum(static_cast<uint8_t>(cp < 0x80 ? cp : 0))) {
        ++count;
      }
      i += len;
    }
    return clamp8(keep);
  }

  // A password after its cue: printable ASCII up to a space or non-ASCII text, without a
  // trailing sentence '.' ',' ';'. To keep ordinary words out ("password is wrong"), it must
  // hold a digit, a symbol or an upper-case letter after the first character.
  uint32_t password_at(uint32_t q) const {
    uint32_t e = q;
    while (e < n_ && s_[e] > 0x20 && s_[e] < 0x7F && e - q < kMaxPassword) ++e;
    while (e > q + 1 && (s_[e - 1] == '.' || s_[e - 1] == ',' || s_[e - 1] == ';')) --e;
    if (e == q) return 0;
    bool strong = false;
    for (uint32_t i = q; i < e; ++i) {
      const uint8_t c = s_[i];
      strong |= is_digit(c) || !is_alnum(c) || (i > q && is_upper(c));
    }
    return strong ? e : 0;
  }

  // Reads up to max digits at q; returns their count (0 when none) and value.
  uint32_t digits_at(uint32_t q, uint32_t max, int& value) const {
    uint32_t count = 0;
    value = 0;
    while (count < max && is_digit(at(q + count))) {
      value = value * 10 + (s_[q + count] - '0');
      ++count;
    }
    return count;
  }

  uint32_t cp_at(uint32_t q, uint32_t& len) const {
    if (q >= n_) {
      len = 0;
      return 0;
    }
    const Decoded d = decode_valid_utf8(s_ + q);
    len = d.len;
    return d.cp;
  }

  static int month_from_name(std::string_view w) {
    static constexpr std::array<std::string_view, 12> kMonths{"january", "february", "march",     "april",
                                                              "may",     "june",     "july",      "august",
                                                              "september", "october", "november", "december"};
    if (w.size() < 3) return 0;
    for (size_t m = 0; m < kMonths.size(); ++m) {
      const std::string_view full = kMonths[m];
      if (w.size() > full.size()) continue;
      if (w.size() != 3 && w.size() != full.size() && !(m == 8 && w.size() == 4)) continue;  // "Sept"
      if (equals_lower(w, full.substr(0, w.size()))) return static_cast<int>(m + 1);
    }
    return 0;
  }

  bool word_end(uint32_t e) const { return !is_alnum(at(e)); }

  // A date: 1990-03-07, 1990/3/7, 1990.03.07, 19900307, 1990年3月7日, 1990年3月, 03/07/1990,
  // 7.3.1990, March 7, 1990, 7 March 1990. Year 1900-2099 and a real date. keep_* keep the year
  // visible in the partial style.
  uint32_t date_at(uint32_t q, uint8_t& keep_start, uint8_t& keep_end) const {
    int a = 0;
    uint32_t plen = 0;
    if (cp_at(q, plen) == 0x6C11) {  // 民國 / 民国 + ROC year (1912 = year 1)
      uint32_t len = 0;
      const uint32_t second = cp_at(q + plen, len);
      if (second != 0x570B && second != 0x56FD) return 0;
      uint32_t r = q + plen + len;
      int year = 0;
      const uint32_t ny = digits_at(r, 3, year);
      if (ny == 0 || cp_at(r + ny, len) != 0x5E74 || year < 1) return 0;  // 年
      r += ny + len;
      int month = 0;
      const uint32_t nm = digits_at(r, 2, month);
      if (nm == 0 || cp_at(r + nm, len) != 0x6708 || month < 1 || month > 12) return 0;  // 月
      r += nm + len;
      int day = 0;
      const uint32_t nd = digits_at(r, 2, day);
      if (nd == 0) return r;
      const uint32_t unit = cp_at(r + nd, len);
      if ((unit != 0x65E5 && unit != 0x53F7) || !valid_date(year + 1911, month, day)) return r;
      return r + nd + len;
    }
    const uint32_t na = digits_at(q, 8, a);
    if ((na == 2 || na == 3) && (at(q + na) == '/' || at(q + na) == '.' || at(q + na) == '-')) {
      // Short dates: ROC 54/02/02, 075.03.12, or two-digit years 03/07/90 (m/d/y or d/m/y).
      const uint8_t sep = at(q + na);
      int b = 0;
      int c = 0;
      const uint32_t nb = digits_at(q + na + 1, 2, b);
      if (nb > 0 && at(q + na + 1 + nb) == sep) {
        const uint32_t nc = digits_at(q + na + 2 + nb, 2, c);
        const uint32_t end = q + na + 2 + nb + nc;
        if (nc > 0 && nc <= 2 && !is_digit(at(end)) && word_end(end)) {
          const bool roc = a >= 1 && valid_date(a + 1911, b, c);
          const bool yy = na == 2 && (valid_date(1900 + c, a, b) || valid_date(1900 + c, b, a));
          return roc || yy ? end : 0;
        }
      }
      if (na == 3) return 0;
    }
    if (na == 8) {
      if (!word_end(q + 8) || !valid_date(a / 10000, a / 100 % 100, a % 100) || a / 10000 < 1900 || a / 10000 > 2099) return 0;
      keep_start = 4;
      return q + 8;
    }
    if (na == 4) {
      const int year = a;
      if (year < 1900 || year > 2099) return 0;
      uint32_t r = q + 4;
      const uint8_t sep = at(r);
      if (sep == '-' || sep == '/' || sep == '.') {
        int month = 0;
        int day = 0;
        const uint32_t nm = digits_at(r + 1, 2, month);
        if (nm == 0 || at(r + 1 + nm) != sep) return 0;
        const uint32_t nd = digits_at(r + 2 + nm, 2, day);
        const uint32_t end = r + 2 + nm + nd;
        if (nd == 0 || !word_end(end) || !valid_date(year, month, day)) return 0;
        keep_start = 4;
        return end;
      }
      uint32_t len = 0;
      if (cp_at(r, len) == 0x5E74) {  // 年
        r += len;
        while (at(r) == ' ') ++r;
        int month = 0;
        const uint32_t nm = digits_at(r, 2, month);
        if (nm == 0 || cp_at(r + nm, len) != 0x6708 || month < 1 || month > 12) return 0;  // 月
        r += nm + len;
        keep_start = 4;
        uint32_t s = r;
        while (at(s) == ' ') ++s;
        int day = 0;
        const uint32_t nd = digits_at(s, 2, day);
        if (nd == 0) return r;  // 1990年3月
        const uint32_t unit = cp_at(s + nd, len);
        if ((unit != 0x65E5 && unit != 0x53F7) || !valid_date(year, month, day)) return r;  // 日 号
        return s + nd + len;
      }
      return 0;
    }
    if (na == 1 || na == 2) {
      const uint8_t sep = at(q + na);
      if (sep == '/' || sep == '-' || sep == '.') {
        int b = 0;
        int year = 0;
        const uint32_t nb = digits_at(q + na + 1, 2, b);
        if (nb == 0 || at(q + na + 1 + nb) != sep) return 0;
        const uint32_t ny = digits_at(q + na + 2 + nb, 4, year);
        const uint32_t end = q + na + 2 + nb + ny;
        if (ny != 4 || !word_end(end) || year < 1900 || year > 2099) return 0;
        if (!valid_date(year, a, b) && !valid_date(year, b, a)) return 0;
        keep_end = 4;
        return end;
      }
      if (sep == ' ' && is_letter(at(q + na + 1))) {  // 7 March 1990
        const uint32_t ws = q + na + 1;
        const uint32_t we = run_end(ws);
        const int month = month_from_name(text_.substr(ws, we - ws));
        int year = 0;
        if (month == 0 || at(we) != ' ' || digits_at(we + 1, 4, year) != 4 || !word_end(we + 5)) return 0;
        if (year < 1900 || year > 2099 || !valid_date(year, month, a)) return 0;
        keep_end = 4;
        return we + 5;
      }
      return 0;
    }
    if (is_letter(at(q))) {  // March 7, 1990 / Mar 7 1990
      const uint32_t we = run_end(q);
      const int month = month_from_name(text_.substr(q, we - q));
      if (month == 0) return 0;
      uint32_t r = we;
      if (at(r) == '.') ++r;
      if (at(r) != ' ') return 0;
      int day = 0;
      const uint32_t nd = digits_at(r + 1, 2, day);
      if (nd == 0) return 0;
      r += 1 + nd;
      if ((at(r) == 's' && at(r + 1) == 't') || (at(r) == 'n' && at(r + 1) == 'd') ||
          (at(r) == 'r' && at(r + 1) == 'd') || (at(r) == 't' && at(r + 1) == 'h')) {
        r += 2;
      }
      if (at(r) == ',') ++r;
      if (at(r) != ' ') return 0;
      int year = 0;
      if (digits_at(r + 1, 4, year) != 4 || !word_end(r + 5)) return 0;
      if (year < 1900 || year > 2099 || !valid_date(year, month, day)) return 0;
      keep_end = 4;
      return r + 5;
    }
    return 0;
  }

  // A Chinese name after its cue: a known surname (or compound surname) and one or two more
  // Han characters, stopping at particles and verbs glued after it (我叫张三想问 -> 张三).
  uint32_t cn_name_at(uint32_t q) const {
    uint32_t len1 = 0;
    uint32_t len2 = 0;
    const uint32_t c1 = cp_at(q, len1);
    if (!is_han(c1)) return 0;
    const uint32_t c2 = cp_at(q + len1, len2);
    uint32_t r;
    if (is_cn_compound_surname(c1, c2)) {
      r = q + len1 + len2;
    } else if (is_cn_surname(c1)) {
      r = q + len1;
    } else {
      return 0;
    }
    uint32_t given = 0;
    while (given < 2) {
      uint32_t len = 0;
      const uint32_t c = cp_at(r, len);
      if (!is_han(c) || is_cn_name_stop(c)) break;
      r += len;
      ++given;
    }
    return given > 0 ? r : 0;
  }

  uint32_t name_word_end(uint32_t w) const {
    uint32_t e = w;
    while (e < n_ && (is_letter(s_[e]) || ((s_[e] == '\'' || s_[e] == '-') && is_letter(at(e + 1))))) ++e;
    return e;
  }

  // Taiwan plates after a cue: ABC-1234, AB-1234, 1234-AB (letters without I and O).
  uint32_t tw_plate_at(uint32_t q) const {
    uint32_t letters = 0;
    while (letters < 4 && is_plate_letter(to_upper(at(q + letters)))) ++letters;
    if ((letters == 2 || letters == 3) && at(q + letters) == '-') {
      uint32_t r = q + letters + 1;
      uint32_t nd = 0;
      while (nd < 5 && is_digit(at(r + nd))) ++nd;
      if ((nd == 4 || (letters == 3 && nd == 3)) && !is_alnum(at(r + nd))) return r + nd;
      return 0;
    }
    uint32_t nd = 0;
    while (nd < 5 && is_digit(at(q + nd))) ++nd;
    if (nd == 4 && at(q + 4) == '-' && is_plate_letter(to_upper(at(q + 5))) && is_plate_letter(to_upper(at(q + 6))) &&
        !is_alnum(at(q + 7))) {
      return q + 7;
    }
    return 0;
  }

  // A Latin-script name after its cue: a word, then up to two more capitalised words that are
  // no cue.
  uint32_t latin_name_at(uint32_t q) const {
    if (!is_letter(at(q))) return 0;
    uint32_t e = name_word_end(q);
    if (e - q < 2 || is_digit(at(e))) return 0;
    static constexpr std::array<std::string_view, 10> kNotNames{"not", "the", "a", "an", "in", "on", "at", "and", "sorry", "here"};
    for (std::string_view w : kNotNames) {
      if (equals_lower(text_.substr(q, e - q), w)) return 0;
    }
    // "chen xiaoming", "zoe anderson": a romanised surname or a given name typed in lower case
    // takes the word after it too.
    const std::string_view first = text_.substr(q, e - q);
    const bool lower_surname = !is_upper(s_[q]) && ((e - q >= 3 && is_romanised_surname(first)) || is_english_given_name(first));
    for (int words = 1; words < 3; ++words) {
      if (at(e) != ' ' || !(is_upper(at(e + 1)) || (lower_surname && words == 1 && is_letter(at(e + 1))))) break;
      uint32_t next = name_word_end(e + 1);
      // A cue ends the name: "Kevin Walker MRN 37988612", "Laura Ng DOB 08/16/72".
      CueMatch cue{};
      if (is_digit(at(next)) || match_cue(text_, e + 1, cue)) break;
      // A middle initial: "Priya R. Johnson".
      if (next == e + 2 && at(next) == '.' && at(next + 1) == ' ' && is_upper(at(next + 2))) ++next;
      e = next;
    }
    return e;
  }

  // A US SSN after its cue: 123-45-6789, 123 45 6789 or 123456789.
  uint32_t ssn_at(uint32_t q) const {
    std::array<char, 9> d{};
    uint32_t run = 0;
    while (run < 10 && is_digit(at(q + run))) ++run;
    uint32_t end;
    if (run == 9) {
      for (size_t i = 0; i < 9; ++i) d[i] = static_cast<char>(s_[q + i]);
      end = q + 9;
    } else {
      const uint8_t sep = at(q + 3);
      if (run != 3 || (sep != '-' && sep != ' ') || at(q + 6) != sep) return 0;
      static constexpr std::array<uint32_t, 9> kAt{0, 1, 2, 4, 5, 7, 8, 9, 10};
      for (size_t i = 0; i < 9; ++i) {
        if (!is_digit(at(q + kAt[i]))) return 0;
        d[i] = static_cast<char>(s_[q + kAt[i]]);
      }
      end = q + 11;
    }
    if (!word_end(end) || !us_ssn_valid(std::string_view(d.data(), d.size()))) return 0;
    return end;
  }

  // ---- licence plates -----------------------------------------------------------------------

  // After a province character: a letter (no I/O), an optional separator (·, space, '-'),
  // then five characters (regular) or six (new energy: D/F + 5, or 5 digits + D/F), and an
  // optional 挂/学/警/港/澳/领/试/超.
  uint32_t plate_at(uint32_t q) const {
    if (!is_plate_letter(at(q))) return 0;
    ++q;
    if (at(q) == ' ' || at(q) == '-') {
      ++q;
    } else {
      uint32_t len = 0;
      const uint32_t cp = cp_at(q, len);
      if (cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB || cp == 0x2027) q += len;
    }
    uint32_t r = q;
    int digits = 0;
    while (r < n_ && r - q < 7 && (is_digit(s_[r]) || is_plate_letter(s_[r]))) {
      digits += is_digit(s_[r]);
      ++r;
    }
    if (is_alnum(at(r))) return 0;
    const uint32_t len = r - q;
    if (len == 5) {
      if (digits < 3) return 0;
    } else if (len == 6) {
      const bool small_nev = (s_[q] == 'D' || s_[q] == 'F') && digits >= 4 && is_digit(s_[q + 2]) &&
                             is_digit(s_[q + 3]) && is_digit(s_[q + 4]) && is_digit(s_[q + 5]);
      const bool large_nev = digits == 5 && (s_[q + 5] == 'D' || s_[q + 5] == 'F');
      if (!small_nev && !large_nev) return 0;
    } else {
      return 0;
    }
    uint32_t slen = 0;
    const uint32_t suffix = cp_at(r, slen);
    switch (suffix) {
      case 0x6302: case 0x5B66: case 0x8B66: case 0x6E2F: case 0x6FB3: case 0x9886: case 0x8BD5: case 0x8D85:
        r += slen;  // 挂 学 警 港 澳 领 试 超
        break;
      default:
        break;
    }
    return r;
  }

  // ---- e-mail, IPv6 -------------------------------------------------------------------------

  uint32_t email_at(uint32_t p) {
    const uint32_t limit = std::min(n_, p + kMaxEmailLocal);
    uint32_t q = p;
    while (q < limit && (is_alnum(s_[q]) || (kClass[s_[q]] & kLocalPunct))) ++q;
    if (at(q) != '@') {
      // Every token start before q reaches the same non-'@' byte: skip them.
      if (q < limit) email_fail_until_ = q;
      return 0;
    }
    if (s_[q - 1] == '.') return 0;
    // Domain: labels of letters, digits and '-', at least two, the last alphabetic (or xn--).
    uint32_t r = q + 1;
    uint32_t end = 0;
    int labels = 0;
    while (r < n_) {
      const uint32_t l0 = r;
      bool letters_only = true;
      while (r < n_ && (is_alnum(s_[r]) || s_[r] == '-') && r - l0 < 63) {
        letters_only &= is_letter(s_[r]);
        ++r;
      }
      if (r == l0 || s_[l0] == '-' || s_[r - 1] == '-') break;
      ++labels;
      const bool tld = (letters_only && r - l0 >= 2) || text_.substr(l0, 4) == "xn--";
      if (labels >= 2 && tld) end = r;
      if (at(r) == '.' && is_alnum(at(r + 1))) {
        ++r;
        continue;
      }
      break;
    }
    if (end == 0) {
      email_fail_until_ = q;
      return 0;
    }
    return emit(Entity::email, p, end, 1, 0);
  }

  // RFC 4291 section 2.2 text forms: eight groups, or '::' with fewer, optionally ending in a
  // dotted IPv4 address. keep receives the hex digits of the first two groups.
  uint32_t ipv6_at(uint32_t p, uint8_t& keep) const {
    uint32_t q = p;
    int groups = 0;
    bool compressed = false;
    uint32_t digits_seen = 0;
    uint8_t first_group = 0;
    bool glued = false;
    keep = 0;
    if (at(q) == ':' && at(q + 1) == ':') {
      compressed = true;
      q += 2;
    }
    while (q < n_) {
      uint32_t h = 0;
      while (h < 5 && is_hex(at(q + h))) ++h;
      if (h == 0) break;
      if (at(q + h) == '.') {
        // An embedded IPv4 tail (::ffff:192.0.2.1) ends the address.
        uint32_t v4 = q;
        for (int octet = 0; octet < 4; ++octet) {
          int value = 0;
          const uint32_t nd = digits_at(v4, 3, value);
          if (nd == 0 || value > 255) return 0;
          v4 += nd;
          if (octet < 3) {
            if (at(v4) != '.') return 0;
            ++v4;
          }
        }
        if (groups > 6) return 0;
        groups += 2;
        q = v4;
        break;
      }
      if (h > 4) return 0;
      if (is_alnum(at(q + h))) {
        // Letters glued after the address ("fe80::1ab8ping"): a group with a digit before a
        // letter that is no hex digit (the only alnum byte left here) ends it.
        bool digit = false;
        for (uint32_t i = q; i < q + h; ++i) digit |= is_digit(s_[i]);
        if (!digit) return 0;
        glued = true;
      }
      ++groups;
      digits_seen += h;
      if (groups == 1) first_group = clamp8(h);
      if (groups == 2) keep = clamp8(digits_seen);
      q += h;
      if (glued) break;
      if (at(q) == ':' && at(q + 1) == ':') {
        if (compressed) return 0;
        compressed = true;
        q += 2;
        continue;
      }
      if (at(q) == ':' && is_hex(at(q + 1))) {
        ++q;
        continue;
      }
      break;
    }
    if (groups == 0 || groups > 8 || (is_alnum(at(q)) && !glued) || (at(q) == '.' && is_digit(at(q + 1)))) return 0;
    if (!(compressed ? groups <= 7 : groups == 8)) return 0;
    if (groups <= 3) keep = first_group;
    return q;
  }

  // ---- single-token shapes: IBAN, passports, permits, USCC, 18-character IDs --------------

  uint32_t alnum_token(uint32_t p, uint32_t e) {
    const uint32_t len = e - p;
    if (len >= 4 && is_letter(s_[p]) && is_letter(s_[p + 1]) && is_digit(s_[p + 2]) && is_digit(s_[p + 3]) &&
        on(Entity::iban)) {
      if (const uint32_t end = iban_at(p)) return emit(Entity::iban, p, end, 4, 4);
    }
    // Hong Kong ID: one or two letters, six digits, the check character in parentheses
    // (A123456(3), C433978 (7)) or, with one letter, appended (Z8189723).
    const uint32_t open = at(e) == '(' ? e : (at(e) == ' ' && at(e + 1) == '(' ? e + 1 : 0);
    if ((len == 7 || len == 8) && is_letter(s_[p]) && open != 0 && at(open + 2) == ')' && on(Entity::hk_id)) {
      std::array<char, 9> up{};
      for (uint32_t i = 0; i < len; ++i) up[i] = static_cast<char>(to_upper(s_[p + i]));
      up[len] = static_cast<char>(to_upper(at(open + 1)));
      if (hkid_valid(std::string_view(up.data(), len + 1))) return emit(Entity::hk_id, p, open + 3, 1, 0);
    }
    if (len == 8 && is_letter(s_[p]) && is_digit(s_[p + 1]) && p != not_pii_at_ && on(Entity::hk_id)) {
      std::array<char, 8> up{};
      for (uint32_t i = 0; i < len; ++i) up[i] = static_cast<char>(to_upper(s_[p + i]));
      if (hkid_valid(std::string_view(up.data(), len))) return emit(Entity::hk_id, p, e, 1, 0);
    }
    // Taiwan ID: a letter and nine digits with its check digit.
    if (len == 10 && is_letter(s_[p]) && on(Entity::tw_id)) {
      std::array<char, 10> up{};
      for (uint32_t i = 0; i < len; ++i) up[i] = static_cast<char>(to_upper(s_[p + i]));
      if (tw_id_valid(std::string_view(up.data(), len))) return emit(Entity::tw_id, p, e, 1, 3);
    }
    if (len == 9 || len == 11) {
      const uint8_t c0 = to_upper(s_[p]);
      const uint8_t c1 = to_upper(s_[p + 1]);
      bool tail_digits = true;
      for (uint32_t i = p + 2; i < e; ++i) tail_digits &= is_digit(s_[i]);
      if (len == 9 && tail_digits) {
        const bool digit1 = is_digit(c1);
        if (on(Entity::passport) &&
            (((c0 == 'E' || c0 == 'G') && digit1) || (c0 == 'E' && is_plate_letter(c1)) ||
             ((c0 == 'D' || c0 == 'S' || c0 == 'P') && c1 == 'E'))) {
          return emit(Entity::passport, p, e, 1, 3);
        }
        if (on(Entity::travel_permit) &&
            (((c0 == 'C' || c0 == 'W' || c0 == 'L' || c0 == 'H' || c0 == 'M') && digit1) ||
             (c0 == 'C' && is_plate_letter(c1)))) {
          return emit(Entity::travel_permit, p, e, 1, 3);
        }
      }
      if (len == 11 && tail_digits && (c0 == 'H' || c0 == 'M') && is_digit(c1) && on(Entity::travel_permit)) {
        return emit(Entity::travel_permit, p, e, 1, 3);
      }
    }
    if (len == 18) {
      std::array<char, 18> up{};
      for (uint32_t i = 0; i < 18; ++i) up[i] = static_cast<char>(to_upper(s_[p + i]));
      const std::string_view chars(up.data(), up.size());
      if (on(Entity::cn_id) && cn_id18_valid(chars)) return emit(Entity::cn_id, p, e, 6, 4);
      if (on(Entity::uscc) && uscc_valid(chars)) return emit(Entity::uscc, p, e, 6, 4);
    }
    return 0;
  }

  [[gnu::noinline]] uint32_t spaced_passport(uint32_t p, uint32_t e) {
    return on(Entity::passport) ? spaced_passport_at(p, e) : 0;
  }

  // A passport typed with a space: "E 12345678", "EA 1234567", "e1234 5678" (the last one reaches
  // here from number_chain's caller as one token and one group).
  uint32_t spaced_passport_at(uint32_t p, uint32_t e) {
    const uint32_t q = e + 1;
    const uint32_t r = run_end(q);
    if (e - p + (r - q) != 9 || !is_letter(s_[p])) return 0;
    for (uint32_t i = q; i < r; ++i) {
      if (!is_digit(s_[i])) return 0;
    }
    for (uint32_t i = p + 2; i < e; ++i) {
      if (!is_digit(s_[i])) return 0;
    }
    const uint8_t c0 = to_upper(s_[p]);
    const uint8_t c1 = e - p >= 2 ? to_upper(s_[p + 1]) : '0';
    const bool digit1 = is_digit(c1);
    if (((c0 == 'E' || c0 == 'G') && digit1) || (c0 == 'E' && is_plate_letter(c1)) ||
        ((c0 == 'D' || c0 == 'S' || c0 == 'P') && c1 == 'E')) {
      return emit(Entity::passport, p, r, 1, 3);
    }
    return 0;
  }

  // "name at domain dot com", "name#domain.com", "name(at)domain.com", "name [at] domain [dot] com".
  // A spelled-out " at " needs a spelled-out " dot " too ("look at example.com" is not an address).
  uint32_t obfuscated_email_at(uint32_t p) {
    const uint32_t limit = std::min(n_, p + kMaxEmailLocal);
    uint32_t q = p;
    bool letter = false;
    while (q < limit && (is_alnum(s_[q]) || (kClass[s_[q]] & kLocalPunct))) letter |= is_letter(s_[q++]);
    if (q < limit) obf_fail_until_ = q;
    if (!letter || q - p < 3 || s_[q - 1] == '.') return 0;
    auto word_at = [&](uint32_t i, std::string_view w) {
      if (i + w.size() > n_) return false;
      for (size_t k = 0; k < w.size(); ++k) {
        if (to_lower(s_[i + k]) != static_cast<uint8_t>(w[k])) return false;
      }
      return true;
    };
    // The "at": returns the offset after it, 0 when absent; spelled says it was a word.
    uint32_t r = 0;
    bool spelled = false;
    if (at(q) == '#' && is_alnum(at(q + 1))) {
      r = q + 1;
    } else if (word_at(q, "(at)") || word_at(q, "[at]")) {
      r = q + 4;
      if (at(r) == ' ') ++r;
    } else if (word_at(q, " (at) ") || word_at(q, " [at] ")) {
      r = q + 6;
      spelled = true;
    } else if (word_at(q, " at ") && is_alnum(at(q + 4))) {
      r = q + 4;
      spelled = true;
    }
    if (r == 0) return 0;
    uint32_t end = 0;
    int labels = 0;
    bool spelled_dot = false;
    while (r < n_ && labels < 8) {
      const uint32_t l0 = r;
      bool letters_only = true;
      while (r < n_ && (is_alnum(s_[r]) || s_[r] == '-') && r - l0 < 63) letters_only &= is_letter(s_[r++]);
      if (r == l0) break;
      ++labels;
      if (labels >= 2 && letters_only && r - l0 >= 2 && (spelled_dot || !spelled)) end = r;
      if (at(r) == '.' && is_alnum(at(r + 1))) {
        ++r;
      } else if (word_at(r, " dot ") && is_alnum(at(r + 5))) {
        r += 5;
        spelled_dot = true;
      } else if ((word_at(r, " [dot] ") || word_at(r, " (dot) ")) && is_alnum(at(r + 7))) {
        r += 7;
        spelled_dot = true;
      } else if ((word_at(r, "[dot]") || word_at(r, "(dot)")) && is_alnum(at(r + 5))) {
        r += 5;
        spelled_dot = true;
      } else {
        break;
      }
    }
    if (end == 0 || is_alnum(at(end))) return 0;
    return emit(Entity::email, p, end, 1, 0);
  }

  // IBAN in compact form or in groups separated by single spaces (DE89 3704 0044 0532 0130 00).
  uint32_t iban_at(uint32_t p) const {
    std::array<char, 34> chars{};
    size_t count = 0;
    uint32_t q = p;
    uint32_t end = 0;
    while (true) {
      const uint32_t e = run_end(q);
      if (count + (e - q) > chars.size()) break;
      for (uint32_t i = q; i < e; ++i) chars[count++] = static_cast<char>(to_upper(s_[i]));
      if (count >= 15 && iban_valid(std::string_view(chars.data(), count))) end = e;
      if (at(e) != ' ' || !is_alnum(at(e + 1))) break;
      q = e + 1;
    }
    return end;
  }

  // ---- number chains ------------------------------------------------------------------------

  struct Group {
    uint32_t start;
    uint32_t end;
    uint8_t sep;      // separator kinds before this group (0 for the first)
    uint8_t sep_len;  // separator bytes before this group
  };

  // Digit groups starting at p0 joined by one or two separator bytes; tries IDs, cards and
  // phone numbers on every prefix of the chain and emits the best. suffix: p0 follows letters
  // in the same token, so only a mobile number or an ID may be read there.
  uint32_t number_chain(uint32_t p0, uint32_t e0, bool suffix) {
    if (e0 - p0 > kMaxChainChars) return 0;
    // The shortest chained entity is an IPv4 address (four digits and three dots): a short
    // number with no separator after it cannot start one.
    if (e0 - p0 < 4 && sep_kind(at(e0)) == 0) return 0;
    // Filled before use (groups 0..k-1, characters 0..len-1): not zeroed, this is a hot path.
    std::array<Group, kMaxGroups> g;
    std::array<char, kMaxChainChars> d;
    std::array<uint8_t, kMaxGroups> cum;      // characters in groups 0..j
    std::array<uint8_t, kMaxGroups> letters;  // whether group j has a letter
    size_t k = 0;
    size_t len = 0;
    auto add = [&](uint32_t a, uint32_t b, uint8_t sep, uint8_t sep_len) {
      g[k] = {a, b, sep, sep_len};
      uint8_t seen = 0;
      for (uint32_t i = a; i < b; ++i) {
        const uint8_t c = s_[i];
        const uint8_t cls = kClass[c];
        seen |= cls;
        d[len++] = static_cast<char>((cls & kLower) ? c - 32 : c);
      }
      letters[k] = (seen & (kUpper | kLower)) != 0;
      cum[k] = static_cast<uint8_t>(len);
      ++k;
    };
    const bool plus = !suffix && p0 > floor_ && s_[p0 - 1] == '+';
    add(p0, e0, 0, 0);
    uint32_t pos = e0;
    while (k < kMaxGroups) {
      uint32_t q = pos;
      uint8_t sep = 0;
      bool newline = false;
      while (q < n_ && q - pos < 2 && sep_kind(s_[q]) != 0) {
        newline |= s_[q] == '\n';
        sep |= sep_kind(s_[q++]);
      }
      // One line break joins a value typed across two lines; a blank line or a break with more
      // around it separates two things.
      if (q == pos || q >= n_ || !is_digit(s_[q]) || (newline && q - pos > 1)) break;
      uint32_t r = q;
      while (r < n_ && is_alnum(s_[r])) ++r;
      if (len + (r - q) > kMaxChainChars) break;
      if (plus && k == 1 && r == q + 1 && s_[q] == '0' && (sep & kSepParen) && at(r) == ')') {
        // "+44 (0)20 …": the trunk prefix in parentheses is not dialled from abroad.
        g[k] = {q, r, sep, static_cast<uint8_t>(q - pos)};
        letters[k] = 0;
        cum[k] = static_cast<uint8_t>(len);
        ++k;
      } else {
        add(q, r, sep, static_cast<uint8_t>(q - pos));
      }
      pos = r;
    }

    // Every entity below needs 8 characters or more (E.164 minimum lengths included), except
    // IPv4, which needs four groups.
    if (len < 8 && k < 4) return 0;

    // Right after another digit group and a space or dash ("3566 0480 5631 5332" failing Luhn):
    // inside someone else's number, so no landline and no grouped mobile starts here.
    const bool inside_number = !suffix && p0 >= 2 && (s_[p0 - 1] == ' ' || s_[p0 - 1] == '-') && is_digit(s_[p0 - 2]);
    const int id_tier = p0 == id_at_ ? -1 : 0;
    const bool lparen = !suffix && !plus && p0 > floor_ && s_[p0 - 1] == '(';
    // "(+852) 6326 7415": the parentheses around the country code belong to the number.
    const bool plus_paren = plus && p0 >= floor_ + 2 && p0 >= 2 && s_[p0 - 2] == '(' && k > 1 && (g[1].sep & kSepParen) &&
                            at(g[0].end) == ')';
    // "00852 6326 7415": the international call prefix instead of '+' (0086 is handled below).
    const bool intl00 = !suffix && !plus && !lparen && k > 1 && !inside_number && cum[0] >= 2 && cum[0] <= 5 && d[0] == '0' && d[1] == '0' && d[2] != '0' &&
                        !(d[2] == '8' && d[3] == '6');
    const bool bare_cc = !suffix && !plus && !lparen && !inside_number && k > 1 && cum[0] == 3 && p0 != not_pii_at_ &&
                         d[0] == '8' && ((d[1] == '5' && (d[2] == '2' || d[2] == '3')) || (d[1] == '8' && d[2] == '6'));
    const uint32_t start = p0 - (plus_paren ? 2 : (plus || lparen ? 1 : 0));

    Candidate best;
    auto consider = [&](Entity type, int tier, uint32_t end, size_t keep_start, size_t keep_end) {
      if (!on(type)) return;
      if (tier < best.tier || (tier == best.tier && end > best.end)) {
        best = {type, tier, start, end, clamp8(keep_start), clamp8(keep_end)};
      }
    };

    // "1-800-275-2273", "1 (888) ...": a North American number, never a mainland mobile.
    const bool nanp = cum[0] == 1 && d[0] == '1' && k > 1;
    uint8_t seps = 0;
    bool uniform = true;
    bool digits_only = true;
    bool single_char_seps = true;
    size_t shortest_group = 99;
    for (size_t j = 0; j < k; ++j) {
      if (j > 0) {
        if (seps != 0 && g[j].sep != g[1].sep) uniform = false;
        seps |= g[j].sep;
        single_char_seps &= g[j].sep_len == 1;
      }
      digits_only &= !letters[j];
      shortest_group = std::min<size_t>(shortest_group, g[j].end - g[j].start);
      const uint32_t end = g[j].end;
      const size_t n = cum[j];
      if (n < 8 && j != 3) continue;  // too short for anything but IPv4 (see above)
      const std::string_view dj(d.data(), n);
      // "…8000.5" or "…8000,50": the number goes on as a fraction or an amount.
      if ((at(end) == '.' || at(end) == ',') && is_digit(at(end + 1))) continue;
      const bool space_dash = (seps & ~(kSepSpace | kSepDash)) == 0;

      // Macau resident ID 1234567(8), 1234567 (8): seven digits starting 1, 5 or 7, the check
      // digit in parentheses.
      if (j == 1 && cum[0] == 7 && n == 8 && !plus && !lparen && !suffix && s_[g[1].start - 1] == '(' &&
          (g[1].sep_len == 1 || (g[1].sep_len == 2 && s_[g[1].start - 2] == ' ')) &&
          at(end) == ')' && (d[0] == '1' || d[0] == '5' || d[0] == '7') && !letters[1]) {
        consider(Entity::mo_id, 1, end + 1, 1, 0);
      }
      // Resident ID: 18 characters (last may be X) or legacy 15 digits.
      if (!plus && !lparen && space_dash && (n == 18 || n == 15)) {
        if (n == 18 && cn_id18_valid(dj)) consider(Entity::cn_id, id_tier, end, 6, 4);
        if (n == 15 && digits_only && !suffix && p0 != not_pii_at_ && cn_id15_valid(dj)) {
          consider(Entity::cn_id, id_tier + 1, end, 6, 3);
        }
      }
      if (!digits_only) continue;
      // Card: one group, or groups of 3+ digits joined by the same single space or dash.
      if (!suffix && !plus && !lparen && space_dash && uniform && single_char_seps && (j == 0 || shortest_group >= 3) &&
          n >= 13 && n <= 19 && p0 != not_pii_at_ && p0 != id_at_ && bank_card_valid(dj)) {
        consider(Entity::bank_card, 0, end, 0, 4);
      }
      // Mainland numbers, with +86 / 0086 / 86.
      size_t prefix = 0;
      if (plus) {
        prefix = dj.starts_with("86") ? 2 : std::string_view::npos;
      } else if (dj.starts_with("0086")) {
        prefix = 4;
      } else if (dj.starts_with("86") && n == 13) {
        prefix = 2;
      }
      if (prefix != std::string_view::npos && n > prefix) {
        const std::string_view national = dj.substr(prefix);
        // Dots only in the 3-4-4 grouping (138.0013.8000), so 192.168.x.x stays an address.
        const bool dots_ok = (seps & kSepDot) == 0 || (j == 2 && cum[0] == prefix + 3 && cum[1] == prefix + 7);
        const uint8_t allowed = kSepSpace | kSepDash | kSepDot | (plus_paren ? kSepParen : 0);
        if ((seps & ~allowed) == 0 && dots_ok && !lparen && !nanp && !(inside_number && j > 0) &&
            cn_mobile_valid(national)) {
          consider(Entity::cn_mobile, 1, end, prefix + 3, 4);
        }
        if (!suffix && !inside_number && (seps & ~(kSepSpace | kSepDash | kSepParen)) == 0) {
          size_t area = 0;  // area code digits without the trunk 0 when a country prefix is present
          if (prefix > 0) {
            area = (national[0] == '1' || national[0] == '2') ? 2 : (national[0] >= '3' ? 3 : 0);
            if (national[0] == '1' && national.size() > 1 && national[1] != '0') area = 0;
          } else {
            area = cn_area_code_length(national);
          }
          // The area code must end at a group boundary; with '(' it is the first group.
          bool boundary = false;
          for (size_t m = 0; m < j; ++m) {
            if (cum[m] == prefix + area) boundary = !lparen || (m == 0 && (g[1].sep & kSepParen));
          }
          const size_t subscriber = national.size() - area;
          if (area > 0 && boundary && subscriber >= 7 && subscriber <= 8 && national[area] >= '2') {
            consider(Entity::cn_landline, 1, end, prefix + area, 4);
          }
        }
      }
      // Other countries: '+' or 00, an assigned country code, a plausible length.
      if (plus || (intl00 && n > 6)) {
        const std::string_view e164 = plus ? dj : dj.substr(2);
        int min_total = 0;
        int max_total = 0;
        const int cc = e164_country_code(e164, min_total, max_total);
        const int total = static_cast<int>(e164.size());
        if (cc > 0 && total >= min_total && total <= max_total && (seps & kSepSlash) == 0 &&
            (plus || !e164.starts_with("86"))) {
          consider(Entity::phone_intl, 1, end, static_cast<size_t>(cc) + (plus ? 0 : 2), 4);
        }
      }
      // Taiwan, Hong Kong and Macau numbers dialled locally.
      if (j + 1 == k && (n == 8 || n == 9 || n == 10) && !plus && !suffix && !inside_number &&
          (seps & ~(kSepSpace | kSepDash | kSepParen)) == 0) {
        // Taiwan mobile 09xx-xxx-xxx (10 digits); landline 0 + area (2-8) + 7-8 digits, the
        // area code its own group: 02-2345-6789, (02)2345-6789, 07-345-6789.
        if (n == 10 && dj.starts_with("09") && !lparen && (seps & kSepParen) == 0 && (j == 0 || cum[0] == 4)) {
          consider(Entity::phone_local, 1, end, 4, 3);
        } else if ((n == 9 || n == 10) && cum[0] == 2 && d[0] == '0' && d[1] >= '2' && d[1] <= '8' && j > 0 &&
                   d[2] >= '2' && (!lparen || (g[1].sep & kSepParen))) {
          consider(Entity::phone_local, 1, end, 2, 4);
        }
        // Hong Kong / Macau: 8 digits in two groups of four (9831 6770, 6123-4567), starting
        // 2, 3 (fixed), 5, 6, 7, 9 (mobile); not a range of years or rooms (2019-2020, 2301-2305).
        if (n == 8 && j == 1 && cum[0] == 4 && !lparen && (seps & kSepParen) == 0 && single_char_seps &&
            hk_mo_local_valid(dj)) {
          const bool range = g[1].sep == kSepDash && d[0] == d[4] && d[1] == d[5];
          if (!range) consider(Entity::phone_local, 1, end, 0, 4);
        }
      }
      // "852 6642 5044", "886 912 345 678": a country code typed without '+' or 00, its own
      // group, before a valid local number (Hong Kong / Macau 8 digits, Taiwan 9).
      if (bare_cc && j + 1 == k && (seps & ~(kSepSpace | kSepDash)) == 0) {
        const std::string_view local = dj.substr(3);
        if (dj.starts_with("886") ? local.size() == 9 && local[0] >= '2' : hk_mo_local_valid(local)) {
          consider(Entity::phone_intl, 1, end, 3, 4);
        }
      }
      // Alipay user id: 2088 + 12 digits, one group.
      if (j == 0 && n == 16 && dj.starts_with("2088") && !plus && !lparen && !suffix) {
        consider(Entity::alipay_id, 1, end, 4, 4);
      }
      // US SSN 123-45-6789.
      if (j == 2 && !plus && !lparen && !suffix && seps == kSepDash && single_char_seps && cum[0] == 3 && cum[1] == 5 &&
          n == 9 && us_ssn_valid(dj)) {
        consider(Entity::us_ssn, 1, end, 0, 4);
      }
      // IPv4: four dotted decimal octets, not inside a longer dotted sequence.
      if (j == 3 && !plus && !lparen && (!suffix || glued_ip_) && seps == kSepDot && single_char_seps &&
          p0 != not_pii_at_ && ipv4_octets_valid(g)) {
        consider(Entity::ipv4, 1, end, cum[1], 0);
      }
    }
    if (best.tier > 1) return 0;
    return emit(best);
  }

  bool ipv4_octets_valid(const std::array<Group, kMaxGroups>& g) const {
    for (size_t j = 0; j < 4; ++j) {
      const uint32_t len = g[j].end - g[j].start;
      if (len > 3) return false;
      int value = 0;
      for (uint32_t i = g[j].start; i < g[j].end; ++i) value = value * 10 + (s_[i] - '0');
      if (value > 255) return false;
    }
    return true;
  }

  std::string_view text_;
  const uint8_t* s_;
  uint32_t n_;
  const EntitySet& enabled_;
  std::vector<Span>& out_;
  const CueFilters& filters_;
  uint32_t floor_ = 0;              // end of the last span: look-behind never crosses it
  uint32_t email_fail_until_ = 0;   // token starts before this cannot reach a valid '@'
  uint32_t not_pii_at_ = kNone;     // the number right after an order/tracking/version cue
  uint32_t id_at_ = kNone;          // the number right after an ID cue
  uint32_t obf_fail_until_ = 0;     // like email_fail_until_, for "name at domain dot com"
  uint32_t zh_address_fail_until_ = 0;  // address triggers before this cannot start an address
  uint32_t hint_from_ = 1;              // zh_number_hint(text_, hint_from_) == hint_at_
  uint32_t hint_at_ = 0;                // (empty until first asked)
  bool glued_ip_ = false;           // number_chain() called on the digits after "IP" and the like
};

}  // namespace

void scan_builtin(std::string_view text, const EntitySet& enabled, std::vector<Span>& out) {
  Scanner(text, enabled, out).run();
}

}  // namespace sealdesk::pii::detail

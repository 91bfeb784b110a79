// The built-in scanner: one left-to-right pass over the normalised text with hand-written
// recognisers (no regular expressions, no backtracking). Work per byte is bounded by a small
// constant (look-ahead windows are capped), so the whole scan is linear in the text.
//
// How the pass reads text:
//   - an ASCII letter/digit run (a token) is examined once, at its first byte: e-mail, IPv6,
//     IBAN, passport/permit/credit-code shapes, then "number chains" (digit groups joined by
//     space, '-', '.', '/', parentheses) for IDs, cards, phones, SSNs and IPv4;
//   - CJK and other non-ASCII characters delimit tokens (no \b needed: "手机13800138000谢谢"
//     yields 13800138000); a few of them start cue words (验证码, 密码, 出生, 我叫, ...) or
//     licence plates (京A·12345);
//   - cue words switch on the context-cued entities for the value right after them (codes,
//     passwords, dates incl. ROC 民國47年2月28日, names, WeChat/QQ ids, medical record numbers,
//     Taiwan plates); a code cue followed by a service number (95588, 1069..., 400/800) is not
//     a code;
//   - a letter run that is a field key ("name":"…", ?name=…, key=value) naming a PII kind masks
//     the field's value (names, addresses, codes, passwords, dates, account ids, %40 e-mails);
//     number-like fields (mobile, idCard) are left to the validated recognisers;
//   - one line break or a space inside a value joins its digit groups ("138\n0013 8000"); a
//     blank line does not.
//   - postal addresses (sdk/pii/address.h): a Chinese unit, road or region character (市 区
//     路 街 香港 ...) reads the place around it, a house number followed by a capitalised word
//     reads an English street, and address cues (地址, 寄到, ship to, Flat, PO Box) read what
//     follows them.
// Every added reader has a fixed look-ahead cap (field values 256 bytes, e-mail local parts 64,
// code groups 16), so the pass stays linear.
#pragma once

#include <bitset>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sdk/pii/entities.h"

namespace sealdesk::pii::detail {

// A found entity in normalised-text offsets. kind < kEntityCount is an Entity; larger values
// are host rules (kind - kEntityCount indexes the rule list).
struct Span {
  uint32_t start;
  uint32_t end;
  uint16_t kind;
  // For the partial style: significant characters (letters and digits; Han characters for
  // names and plates) kept visible at the start and at the end.
  uint8_t keep_start;
  uint8_t keep_end;
};

using EntitySet = std::bitset<kEntityCount>;

// Appends the spans found in text, in order and without overlaps, for the enabled entities.
void scan_builtin(std::string_view text, const EntitySet& enabled, std::vector<Span>& out);

}  // namespace sealdesk::pii::detail

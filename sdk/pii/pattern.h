// Host-rule patterns: a small regular-expression subset compiled to a Thompson NFA and run
// as a Pike VM (one pass over the text, a bounded set of live states per position: no
// backtracking, no std::regex). Matching is leftmost-longest and non-overlapping, on the
// normalised text (full-width digits and letters are already ASCII there).
//
// Supported syntax (anything else is rejected with rule_invalid and the offset):
//   literals          any UTF-8 character; metacharacters escaped with '\': \. \* \( \[ \\ ...
//   .                 any character except a newline
//   [abc] [a-z] [^…]  classes over code points; inside: ranges, \d \w \s \p{Han}, escapes
//   \d \D             ASCII digits (full-width digits arrive as ASCII)
//   \w \W             ASCII letters, digits, '_'
//   \s \S             space, \t \n \r \f \v
//   \p{Han} \P{Han}   CJK ideographs (U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+20000-2FA1F)
//   \n \t \r \uXXXX \u{X…}  characters by escape
//   \b \B             word boundary / not a boundary: between an ASCII word character and
//                     anything else, so CJK next to digits is a boundary ("电话13800138000")
//   ^ $               start / end of the message
//   (…) (?:…)         grouping (no captures)
//   a|b               alternation
//   * + ? {n} {n,} {n,m}  greedy repetition, n and m at most 64 (lazy forms are rejected)
// Limits: pattern 512 bytes, nesting depth 32, 2048 compiled instructions, matches of at most
// 256 bytes (a longer one is not reported; a shorter match ending in the same place may be).
// A pattern that can match the empty string is rejected. The cost of a scan is
// O(text bytes x instructions); rescans after a match are bounded by the match length cap.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/common/status.h"

namespace sealdesk::pii::detail {

inline constexpr size_t kMaxPatternBytes = 512;
inline constexpr size_t kMaxPatternInstructions = 2048;
inline constexpr uint32_t kMaxMatchBytes = 256;

class Pattern {
 public:
  // rule_invalid with a detail naming the problem and its byte offset in source.
  static Result<Pattern> compile(std::string_view source, bool ignore_case);

  // Calls accept(start, end) for each leftmost-longest match, left to right. When accept
  // returns false (a validator said no) scanning resumes one character after start;
  // otherwise after end.
  template <class Accept>
  void find_all(std::string_view text, Accept&& accept) const;

  size_t instruction_count() const { return program_.size(); }

 public:  // implementation types, used by the template below
  enum class Op : uint8_t { klass, split, jump, assert_pos, match };
  enum class Assertion : uint8_t { word_boundary, not_word_boundary, text_start, text_end };
  struct Inst {
    Op op;
    Assertion assertion;
    uint32_t x;  // klass: class index; split/jump/assert_pos: target
    uint32_t y;  // split: second target
  };
  struct Klass {
    std::vector<std::pair<uint32_t, uint32_t>> ranges;  // sorted, merged, inclusive
    uint64_t ascii_lo = 0;                               // bitmap of bytes 0-63
    uint64_t ascii_hi = 0;                               // bitmap of bytes 64-127
    bool matches(uint32_t cp) const;
  };

  // Per-scan working memory of the VM (thread lists and visit marks).
  struct Scratch {
    std::vector<uint32_t> clist_pc, clist_start, nlist_pc, nlist_start, stack, mark;
    uint32_t generation = 0;
  };

  // One leftmost-longest search from `from`; returns false when there is no match.
  bool search(std::string_view text, uint32_t from, uint32_t& start, uint32_t& end, Scratch& scratch) const;

 private:
  std::vector<Inst> program_;
  std::vector<Klass> classes_;
  std::vector<bool> first_byte_;  // bytes that can start a match (256 entries)
  friend class PatternCompiler;
};

template <class Accept>
void Pattern::find_all(std::string_view text, Accept&& accept) const {
  Scratch scratch;
  uint32_t from = 0;
  uint32_t start = 0;
  uint32_t end = 0;
  while (from < text.size() && search(text, from, start, end, scratch)) {
    if (accept(start, end)) {
      from = end;
    } else {
      // One code point after start.
      uint32_t next = start + 1;
      while (next < text.size() && (static_cast<uint8_t>(text[next]) & 0xC0) == 0x80) ++next;
      from = next;
    }
  }
}

}  // namespace sealdesk::pii::detail

// Text plumbing of the masker: UTF-8 decoding as the WHATWG Encoding Standard does it,
// the normalised view that scanners read, and byte -> UTF-16 offset conversion.
//
// Invalid UTF-8 (what happens to it, in one place):
//   Each maximal ill-formed subsequence counts as one U+FFFD, exactly like TextDecoder in a
//   browser (WHATWG Encoding, "UTF-8 decoder"). Scanners see it as a single space, so a number
//   split by garbage bytes ("138\xff0013\xff8000") is still one number and is still masked;
//   the masked text carries U+FFFD in its place, so output is always valid UTF-8 and no
//   input byte passes through unexamined. Offsets stay well defined: byte offsets refer to the
//   input as given, UTF-16 offsets to the text after replacement (one unit per U+FFFD).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace sealdesk::pii::detail {

inline constexpr uint32_t kReplacementChar = 0xFFFD;

struct Decoded {
  uint32_t cp;   // code point, or U+FFFD when !valid
  uint32_t len;  // bytes consumed (>= 1)
  bool valid;
};

// Decodes one step at p (avail >= 1 bytes readable).
Decoded decode_utf8(const uint8_t* p, size_t avail);

// Decodes one code point of text already known to be valid UTF-8 (the normalised text).
inline Decoded decode_valid_utf8(const uint8_t* p) {
  const uint8_t b = p[0];
  if (b < 0x80) return {b, 1, true};
  if (b < 0xE0) return {((b & 0x1Fu) << 6) | (p[1] & 0x3Fu), 2, true};
  if (b < 0xF0) return {((b & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu), 3, true};
  return {((b & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu), 4, true};
}

// What scanners see for a valid code point: kFoldKeep (unchanged), kFoldRemove (dropped), or
// the ASCII byte it reads as.
inline constexpr int kFoldKeep = -2;
inline constexpr int kFoldRemove = -1;
int fold_code_point(uint32_t cp);

// Copies n bytes between buffers that do not overlap. std::memcpy, except in WebAssembly, whose
// libc copies byte by byte unless both addresses are equally aligned (text runs rarely are):
// there, eight bytes at a time with unaligned loads and stores.
inline void copy_bytes(char* dst, const char* src, size_t n) {
#if defined(__wasm__) && defined(__clang__)
  if (n >= 8) {
    const char* const src_end = src + n;
    char* const dst_end = dst + n;
    for (; src + 8 <= src_end; src += 8, dst += 8) __builtin_memcpy_inline(dst, src, 8);
    __builtin_memcpy_inline(dst_end - 8, src_end - 8, 8);  // the tail, overlapping what was copied
  } else if (n >= 4) {
    __builtin_memcpy_inline(dst, src, 4);
    __builtin_memcpy_inline(dst + n - 4, src + n - 4, 4);
  } else if (n >= 2) {
    __builtin_memcpy_inline(dst, src, 2);
    __builtin_memcpy_inline(dst + n - 2, src + n - 2, 2);
  } else if (n == 1) {
    *dst = *src;
  }
#else
  if (n > 0) std::memcpy(dst, src, n);
#endif
}

// Appends the UTF-8 encoding of cp.
void append_utf8(std::string& out, uint32_t cp);

// The text scanners read. Folds characters that people (or evaders) use for ASCII:
// full-width forms U+FF01-FF5E -> ASCII (except the ideographic comma U+FF0C, which separates
// clauses, never digit groups), ideographic and other Unicode spaces -> ' ',
// Unicode dashes and minus -> '-', other scripts' decimal digits (Arabic-Indic, Devanagari,
// mathematical) -> '0'-'9'; removes zero-width characters and soft hyphens; invalid
// sequences -> ' '. Everything else is copied unchanged, so the result is valid UTF-8.
class NormalizedText {
 public:
  void assign(std::string_view input);

  std::string_view text() const { return text_; }
  // Number of invalid sequences replaced (each one U+FFFD in the output).
  uint32_t invalid_sequences() const { return invalid_sequences_; }
  // True when text() is the input itself (nothing folded, nothing replaced).
  bool identity() const { return anchors_.empty(); }
  // U+FFFD characters in the input as given (not counting replaced invalid sequences).
  uint32_t replacement_chars() const { return replacement_chars_; }
  // True when the input was all ASCII (then byte offsets are UTF-16 offsets too).
  bool ascii() const { return ascii_; }
  // Maps an offset in text() (at a code point boundary) to an offset in the input.
  uint32_t to_input(uint32_t offset) const;

  // Zeroes the folded copy of the message (it holds the PII in clear), if one was made.
  void wipe();

  // The same mapping for increasing offsets, in amortised constant time (findings come in
  // order; a binary search per finding costs more than the scan on punctuation-heavy text).
  class Cursor {
   public:
    explicit Cursor(const NormalizedText& text) : text_(text) {}
    uint32_t to_input(uint32_t offset);

   private:
    const NormalizedText& text_;
    size_t next_ = 0;  // first anchor with norm > the last offset asked for
  };

 private:
  // After each anchor both texts advance byte for byte until the next anchor.
  struct Anchor {
    uint32_t norm;
    uint32_t input;
  };
  std::string_view text_;
  std::string storage_;
  std::vector<Anchor> anchors_;
  uint32_t invalid_sequences_ = 0;
  uint32_t replacement_chars_ = 0;
  bool ascii_ = true;
};

// Appends input to out with each invalid sequence replaced by U+FFFD (EF BF BD).
void append_sanitized(std::string& out, std::string_view input, bool may_be_invalid);

// UTF-16 code units of valid UTF-8 text.
size_t utf16_length(std::string_view valid_utf8);

// Walks a (possibly invalid) input forwards and converts increasing byte offsets to UTF-16
// offsets of its sanitized form. Total work is linear in the input.
class Utf16Cursor {
 public:
  // ascii: the input is known to be all ASCII (offsets are returned as they are).
  Utf16Cursor(std::string_view input, bool may_be_invalid, bool ascii = false)
      : input_(input), may_be_invalid_(may_be_invalid), ascii_(ascii) {}
  // offset must be >= the previous call's offset and at a decoding step boundary.
  uint32_t advance_to(uint32_t offset);

 private:
  std::string_view input_;
  bool may_be_invalid_;
  bool ascii_;
  size_t byte_ = 0;
  size_t units_ = 0;
};

}  // namespace sealdesk::pii::detail

#include "sdk/pii/text.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "sdk/crypto/library.h"

namespace sealdesk::pii::detail {
namespace {

constexpr int kKeep = kFoldKeep;
constexpr int kRemove = kFoldRemove;

int fold(uint32_t cp) {
  // Full-width ASCII, except the ideographic comma '，': in Chinese it separates list items and
  // clauses, never digit groups, so it stays a CJK character (and a token boundary).
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp == 0xFF0C ? kKeep : static_cast<int>(cp - 0xFEE0);
  switch (cp) {
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000: return ' ';
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: return kRemove;
    case 0x2212: case 0xFE58: case 0xFE63: return '-';
    default: break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) return ' ';
  if (cp >= 0x2010 && cp <= 0x2015) return '-';
  if (cp >= 0x0660 && cp <= 0x0669) return static_cast<int>('0' + (cp - 0x0660));  // Arabic-Indic
  if (cp >= 0x06F0 && cp <= 0x06F9) return static_cast<int>('0' + (cp - 0x06F0));  // Extended Arabic-Indic
  if (cp >= 0x0966 && cp <= 0x096F) return static_cast<int>('0' + (cp - 0x0966));  // Devanagari
  if (cp >= 0x1D7CE && cp <= 0x1D7FF) return static_cast<int>('0' + (cp - 0x1D7CE) % 10);  // math digits
  return kKeep;
}

// Lead bytes of every code point fold() may change; all other lead bytes are copied as they are.
constexpr bool may_fold_lead(uint8_t b) {
  return b == 0xC2 || b == 0xD9 || b == 0xDB || b == 0xE0 || b == 0xE1 || b == 0xE2 || b == 0xE3 ||
         b == 0xEF || b == 0xF0;
}

bool all_ascii8(const uint8_t* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return (w & 0x8080808080808080ULL) == 0;
}

}  // namespace

int fold_code_point(uint32_t cp) { return cp < 0x80 ? static_cast<int>(cp) : fold(cp); }

Decoded decode_utf8(const uint8_t* p, size_t avail) {
  const uint8_t b0 = p[0];
  if (b0 < 0x80) return {b0, 1, true};
  uint32_t need;
  uint32_t cp;
  uint8_t lower = 0x80;
  uint8_t upper = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lower = 0xA0;
    if (b0 == 0xED) upper = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lower = 0x90;
    if (b0 == 0xF4) upper = 0x8F;  // <= U+10FFFF
  } else {
    return {kReplacementChar, 1, false};
  }
  uint32_t i = 1;
  for (; i <= need; ++i) {
    // The offending byte is not consumed: it starts the next step (maximal subpart rule).
    if (i >= avail || p[i] < lower || p[i] > upper) return {kReplacementChar, i, false};
    cp = (cp << 6) | (p[i] & 0x3Fu);
    lower = 0x80;
    upper = 0xBF;
  }
  return {cp, need + 1, true};
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void NormalizedText::assign(std::string_view input) {
  storage_.clear();
  anchors_.clear();
  invalid_sequences_ = 0;
  replacement_chars_ = 0;
  ascii_ = true;
  const auto* s = reinterpret_cast<const uint8_t*>(input.data());
  const size_t n = input.size();
  size_t i = 0;
  size_t copied = 0;  // input bytes mirrored into storage_ so far (once building)
  bool building = false;
  char* out = nullptr;  // storage_, written through a pointer (folding never lengthens the text)
  size_t len = 0;
  while (i < n) {
    // Runs of ASCII, then runs of CJK (and other 3-byte characters that never fold), are
    // skipped in tight loops: they are valid and kept as they are.
    while (i + 8 <= n && all_ascii8(s + i)) i += 8;
    while (i < n && s[i] < 0x80) ++i;
    if (i < n) ascii_ = false;
    while (i + 2 < n && s[i] >= 0xE4 && s[i] <= 0xEC && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) i += 3;
    if (i >= n) break;
    const uint8_t b = s[i];
    if (b < 0x80) continue;
    const Decoded d = decode_utf8(s + i, n - i);
    int folded = kKeep;
    if (!d.valid) {
      folded = ' ';
      ++invalid_sequences_;
    } else if (may_fold_lead(b)) {
      folded = fold(d.cp);
      replacement_chars_ += d.cp == kReplacementChar;  // EF BF BD: its lead may fold, so it is seen here
    }
    if (folded == kKeep) {
      i += d.len;
      continue;
    }
    if (!building) {
      storage_.resize(n);
      out = storage_.data();
      building = true;
    }
    copy_bytes(out + len, input.data() + copied, i - copied);
    len += i - copied;
    if (folded >= 0) out[len++] = static_cast<char>(folded);
    i += d.len;
    copied = i;
    anchors_.push_back({static_cast<uint32_t>(len), static_cast<uint32_t>(i)});
  }
  if (building) {
    copy_bytes(out + len, input.data() + copied, n - copied);
    storage_.resize(len + (n - copied));
    text_ = storage_;
  } else {
    text_ = input;
  }
}

void NormalizedText::wipe() {
  crypto::wipe(storage_.data(), storage_.size());
  text_ = {};
}

uint32_t NormalizedText::to_input(uint32_t offset) const {
  // Last anchor at or before offset; before the first anchor the texts are identical.
  auto it = std::upper_bound(anchors_.begin(), anchors_.end(), offset,
                             [](uint32_t value, const Anchor& a) { return value < a.norm; });
  if (it == anchors_.begin()) return offset;
  --it;
  return it->input + (offset - it->norm);
}

uint32_t NormalizedText::Cursor::to_input(uint32_t offset) {
  const auto& anchors = text_.anchors_;
  while (next_ < anchors.size() && anchors[next_].norm <= offset) ++next_;
  if (next_ == 0) return offset;
  const Anchor& a = anchors[next_ - 1];
  return a.input + (offset - a.norm);
}

namespace {

// UTF-16 units of eight bytes of valid UTF-8, or of fewer with the others zero (a zero byte is
// neither a continuation byte nor a 4-byte lead): every byte that is not a continuation
// (10xxxxxx) starts a code point, one unit; a 4-byte lead (11110xxx) adds a second unit.
// `bytes` is how many of the eight are real.
size_t word_units(uint64_t w, size_t bytes) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  // Bits only at bit 7 of each byte: shifted to bit 0 and summed by one multiply (no popcnt
  // instruction is assumed, in native builds or in WebAssembly).
  auto count = [](uint64_t high_bits) { return static_cast<size_t>(((high_bits >> 7) * kOnes) >> 56); };
  const uint64_t continuation = w & ~(w << 1) & kHigh;
  const uint64_t lead4 = w & (w << 1) & (w << 2) & (w << 3) & kHigh;
  return bytes - count(continuation) + count(lead4);
}

uint64_t load8(const uint8_t* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// UTF-16 units of s[from, to), where s holds `size` readable bytes: whole words, then the tail
// from one more word read inside the buffer (before or after the range) with the bytes outside
// the range shifted out. Byte offsets are read little-endian; elsewhere the tail goes byte by byte.
size_t utf16_units(const uint8_t* s, size_t size, size_t from, size_t to) {
  size_t units = 0;
  size_t i = from;
  for (; i + 8 <= to; i += 8) units += word_units(load8(s + i), 8);
  const size_t tail = to - i;
  if (tail == 0) return units;
  if constexpr (std::endian::native == std::endian::little) {
    if (i + 8 <= size) return units + word_units(load8(s + i) & (~uint64_t{0} >> (8 * (8 - tail))), tail);
    if (to >= 8) return units + word_units(load8(s + to - 8) >> (8 * (8 - tail)), tail);
  }
  for (; i < to; ++i) units += ((s[i] & 0xC0) != 0x80) + (s[i] >= 0xF0);
  return units;
}

}  // namespace

size_t utf16_length(std::string_view valid_utf8) {
  return utf16_units(reinterpret_cast<const uint8_t*>(valid_utf8.data()), valid_utf8.size(), 0, valid_utf8.size());
}

void append_sanitized(std::string& out, std::string_view input, bool may_be_invalid) {
  if (!may_be_invalid) {
    out.append(input);
    return;
  }
  const auto* s = reinterpret_cast<const uint8_t*>(input.data());
  size_t i = 0;
  size_t run = 0;  // start of the current valid stretch
  while (i < input.size()) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const Decoded d = decode_utf8(s + i, input.size() - i);
    if (d.valid) {
      i += d.len;
      continue;
    }
    out.append(input.data() + run, i - run);
    append_utf8(out, kReplacementChar);
    i += d.len;
    run = i;
  }
  out.append(input.data() + run, input.size() - run);
}

uint32_t Utf16Cursor::advance_to(uint32_t offset) {
  const auto* s = reinterpret_cast<const uint8_t*>(input_.data());
  const size_t target = std::min<size_t>(offset, input_.size());
  if (ascii_) return static_cast<uint32_t>(target);
  if (!may_be_invalid_) {
    units_ += utf16_units(s, input_.size(), byte_, target);
    byte_ = target;
  } else {
    while (byte_ < target) {
      const Decoded d = decode_utf8(s + byte_, input_.size() - byte_);
      byte_ += d.len;
      units_ += (d.valid && d.cp >= 0x10000) ? 2 : 1;
    }
  }
  return static_cast<uint32_t>(units_);
}

}  // namespace sealdesk::pii::detail

#include "sdk/pii/masker.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "sdk/crypto/library.h"
#include "sdk/crypto/sealed_box.h"
#include "sdk/pii/config.h"
#include "sdk/pii/scanner.h"
#include "sdk/pii/text.h"

namespace sealdesk::pii {

using detail::Decoded;
using detail::decode_utf8;
using detail::Span;

namespace {

constexpr std::string_view kPseudonymDomain = "sealdesk.pii.pseudonym.v1";
constexpr std::string_view kSealedPrefix = "[sealed:";

bool is_ascii_alnum(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool is_han(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FA1F);
}

// Whether a character of an entity counts for the partial style (kept or starred) rather than
// being a separator that stays as it is.
bool significant(const Decoded& d, bool han_counts) {
  if (d.cp < 0x80) return is_ascii_alnum(d.cp);
  if (!d.valid) return false;
  const int folded = detail::fold_code_point(d.cp);
  if (folded >= 0) return is_ascii_alnum(static_cast<uint32_t>(folded));
  return folded == detail::kFoldKeep && han_counts && is_han(d.cp);
}

template <class F>
void for_each_step(std::string_view text, F&& f) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  for (size_t i = 0; i < text.size();) {
    const Decoded d = s[i] < 0x80 ? Decoded{s[i], 1, true} : decode_utf8(s + i, text.size() - i);
    f(d, text.substr(i, d.len));
    i += d.len;
  }
}

// Length-preserving partial mask over the original characters: separators stay, significant
// characters outside the kept head and tail become '*'. At least one character is starred.
void write_partial(std::string& out, std::string_view original, bool han_counts, size_t keep_start, size_t keep_end) {
  size_t total = 0;
  for_each_step(original, [&](const Decoded& d, std::string_view) { total += significant(d, han_counts); });
  if (keep_start + keep_end >= total) {
    keep_end = 0;
    keep_start = std::min(keep_start, total / 2);
  }
  size_t index = 0;
  for_each_step(original, [&](const Decoded& d, std::string_view bytes) {
    if (!d.valid) {
      detail::append_utf8(out, detail::kReplacementChar);
    } else if (!significant(d, han_counts)) {
      out.append(bytes);
    } else {
      if (index < keep_start || index >= total - keep_end) {
        out.append(bytes);
      } else {
        out.push_back('*');
      }
      ++index;
    }
  });
}

void append_hex(std::string& out, const uint8_t* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 15]);
  }
}

// Builds the masked text in place in a std::string: sized once, written through a pointer,
// truncated at the end. In the WebAssembly build the standard library's string members are
// calls into a library that is not inlined, so one append per piece cost more than the copy.
class OutputWriter {
 public:
  OutputWriter(std::string& out, size_t expected) : out_(out) {
    if (out_.size() < expected) out_.resize(expected);
    base_ = out_.data();
    cap_ = out_.size();
  }
  void write(std::string_view bytes) {
    if (bytes.size() > cap_ - size_) grow(bytes.size());
    detail::copy_bytes(base_ + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  size_t size() const { return size_; }
  void finish() { out_.resize(size_); }

 private:
  void grow(size_t more) {
    out_.resize(std::max(size_ + more, 2 * cap_));
    base_ = out_.data();
    cap_ = out_.size();
  }
  std::string& out_;
  char* base_;
  size_t cap_;
  size_t size_ = 0;
};

}  // namespace

struct Masker::Impl {
  detail::MaskerConfig config;
  // BLAKE2b keyed with config.pseudonym_key, "sealdesk.pii.pseudonym.v1\0" absorbed.
  crypto_generichash_state pseudonym_base{};
  std::array<std::string, kEntityCount> labels;
  // By Finding::kind: the label style's replacement "[label]" and its length in UTF-16 units.
  std::vector<std::string> bracketed;
  std::vector<uint32_t> bracketed_units;
  // Scratch, reused between calls.
  detail::NormalizedText norm;
  std::vector<Span> spans;
  std::vector<Span> merged;
  std::string scratch;
  std::string piece;  // a replacement other than a label, or text with invalid sequences replaced

  ~Impl() {
    crypto::wipe(config.pseudonym_key.data(), config.pseudonym_key.size());
    crypto::wipe(&pseudonym_base, sizeof(pseudonym_base));
    crypto::wipe(scratch.data(), scratch.size());
    crypto::wipe(piece.data(), piece.size());
  }

  // Copies input text to the output, invalid sequences as U+FFFD.
  void write_sanitized(OutputWriter& out, std::string_view input, bool may_be_invalid) {
    if (!may_be_invalid) {
      out.write(input);
      return;
    }
    piece.clear();
    detail::append_sanitized(piece, input, true);
    out.write(piece);
    crypto::wipe(piece.data(), piece.size());
  }

  std::string_view type_name(uint16_t kind) const {
    if (kind < kEntityCount) return entity_name(static_cast<Entity>(kind));
    return config.rules[kind - kEntityCount].id;
  }
  std::string_view label(uint16_t kind) const {
    if (kind < kEntityCount) return labels[kind];
    return config.rules[kind - kEntityCount].label;
  }
  Style style(uint16_t kind) const {
    if (kind < kEntityCount) return config.styles[kind];
    return config.rules[kind - kEntityCount].style;
  }

  void find_rules(std::string_view text) {
    merged.clear();
    for (size_t r = 0; r < config.rules.size(); ++r) {
      const detail::Rule& rule = config.rules[r];
      const auto kind = static_cast<uint16_t>(kEntityCount + r);
      rule.pattern.find_all(text, [&](uint32_t start, uint32_t end) {
        if (rule.validator != detail::Validator::none) {
          scratch.clear();
          for (uint32_t i = start; i < end; ++i) {
            const auto c = static_cast<uint8_t>(text[i]);
            if (is_ascii_alnum(c)) scratch.push_back(static_cast<char>(c >= 'a' ? c - 32 : c));
          }
          const bool valid = detail::validate(rule.validator, scratch);
          crypto::wipe(scratch.data(), scratch.size());
          if (!valid) return false;
        }
        merged.push_back({start, end, kind, rule.keep_start, rule.keep_end});
        return true;
      });
    }
    if (merged.empty()) return;
    // Earliest start wins; then the longer span; then host rules over built-ins.
    merged.insert(merged.end(), spans.begin(), spans.end());
    std::sort(merged.begin(), merged.end(), [](const Span& a, const Span& b) {
      if (a.start != b.start) return a.start < b.start;
      if (a.end != b.end) return a.end > b.end;
      return a.kind > b.kind;
    });
    spans.clear();
    for (const Span& s : merged) {
      if (spans.empty() || s.start >= spans.back().end) spans.push_back(s);
    }
  }

  // Canonical value for pseudonyms: the same identifier written differently (separators,
  // full-width digits, +86) gives the same token.
  void canonical(const Span& span, std::string_view norm_span, std::string& out) const {
    out.clear();
    const auto kind = span.kind;
    if (kind == static_cast<uint16_t>(Entity::password) || kind == static_cast<uint16_t>(Entity::name)) {
      out.assign(norm_span);
      return;
    }
    if (kind == static_cast<uint16_t>(Entity::email)) {
      for (char c : norm_span) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
      return;
    }
    for_each_step(norm_span, [&](const Decoded& d, std::string_view bytes) {
      if (d.cp < 0x80) {
        if (is_ascii_alnum(d.cp)) out.push_back(static_cast<char>(d.cp >= 'a' ? d.cp - 32 : d.cp));
      } else if (d.cp != 0x00B7 && d.cp != 0x2022 && d.cp != 0x30FB && d.cp != 0x2027) {
        out.append(bytes);
      }
    });
    if (kind == static_cast<uint16_t>(Entity::cn_mobile) && out.size() > 11) out.erase(0, out.size() - 11);
  }

  // "[sealed:<type>:<base64url>]": crypto_box_seal of "type\0original" to reveal_key.
  Status write_sealed(std::string& out, uint16_t kind, std::string_view original, std::span<const uint8_t, kRevealKeyBytes> reveal_key) {
    const std::string_view type = type_name(kind);
    scratch.assign(type);
    scratch.push_back('\0');
    detail::append_sanitized(scratch, original, norm.invalid_sequences() > 0);
    std::vector<uint8_t> sealed(crypto::sealed_box_sealed_bytes(scratch.size()));
    const Status s = crypto::sealed_box_seal(sealed, std::span(reinterpret_cast<const uint8_t*>(scratch.data()), scratch.size()), reveal_key);
    crypto::wipe(scratch.data(), scratch.size());
    if (s != Status::ok) return s;
    std::string b64(sodium_base64_ENCODED_LEN(sealed.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(b64.data(), b64.size(), sealed.data(), sealed.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    b64.resize(b64.find('\0'));
    out.append(kSealedPrefix);
    out.append(type);
    out.push_back(':');
    out.append(b64);
    out.push_back(']');
    return Status::ok;
  }

  Status write_replacement(std::string& out, const Span& span, std::string_view original, std::string_view norm_span) {
    const Style st = style(span.kind);
    const auto entity = static_cast<Entity>(span.kind);
    const bool builtin = span.kind < kEntityCount;
    switch (st) {
      case Style::label:
        out.append(bracketed[span.kind]);
        return Status::ok;
      case Style::partial:
        if (builtin && (entity == Entity::verification_code || entity == Entity::password)) {
          out.append("******");
        } else if (builtin && entity == Entity::bank_card) {
          out.append("****");
          canonical(span, norm_span, scratch);
          out.append(std::string_view(scratch).substr(scratch.size() >= 4 ? scratch.size() - 4 : 0));
          crypto::wipe(scratch.data(), scratch.size());
        } else if (builtin && entity == Entity::email) {
          const size_t at = norm_span.find('@');
          // The first character, whole: a field value ("email":"…") may start with a non-ASCII one.
          const size_t first = norm_span.empty() ? 0 : detail::decode_valid_utf8(reinterpret_cast<const uint8_t*>(norm_span.data())).len;
          out.append(norm_span.substr(0, first));
          out.append("***");
          out.append(norm_span.substr(at == std::string_view::npos ? norm_span.size() : at));
        } else {
          const bool han = builtin && (entity == Entity::name || entity == Entity::license_plate || entity == Entity::address);
          write_partial(out, original, han, span.keep_start, span.keep_end);
        }
        return Status::ok;
      case Style::pseudonym: {
        canonical(span, norm_span, scratch);
        const std::string_view type = type_name(span.kind);
        std::array<uint8_t, 16> digest{};
        // The keyed state with the domain label already absorbed is prepared once per Masker.
        crypto_generichash_state state = pseudonym_base;
        const uint8_t zero = 0;
        crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(type.data()), type.size());
        crypto_generichash_update(&state, &zero, 1);
        crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(scratch.data()), scratch.size());
        crypto_generichash_final(&state, digest.data(), digest.size());
        crypto::wipe(&state, sizeof(state));
        crypto::wipe(scratch.data(), scratch.size());
        out.push_back('[');
        out.append(label(span.kind));
        out.push_back('#');
        append_hex(out, digest.data(), 4);
        out.push_back(']');
        return Status::ok;
      }
      case Style::sealed: return write_sealed(out, span.kind, original, config.reveal_key);
    }
    return Status::internal;
  }
};

Masker::Masker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Masker::Masker(Masker&& other) noexcept = default;
Masker& Masker::operator=(Masker&& other) noexcept = default;
Masker::~Masker() = default;

Result<Masker> Masker::create(std::string_view config_json) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  auto impl = std::make_unique<Impl>();
  std::string detail;
  if (Status s = detail::parse_config(config_json, impl->config, detail); s != Status::ok) return Error{s, detail};
  if (!impl->config.has_pseudonym_key) {
    randombytes_buf(impl->config.pseudonym_key.data(), impl->config.pseudonym_key.size());
  }
  for (size_t i = 0; i < kEntityCount; ++i) {
    impl->labels[i] = std::string(entity_label(static_cast<Entity>(i), impl->config.locale));
  }
  for (uint16_t kind = 0; kind < kEntityCount + impl->config.rules.size(); ++kind) {
    std::string text = "[";
    text.append(impl->label(kind));
    text.push_back(']');
    impl->bracketed_units.push_back(static_cast<uint32_t>(detail::utf16_length(text)));
    impl->bracketed.push_back(std::move(text));
  }
  crypto_generichash_init(&impl->pseudonym_base, impl->config.pseudonym_key.data(), impl->config.pseudonym_key.size(), 16);
  const uint8_t zero = 0;
  crypto_generichash_update(&impl->pseudonym_base, reinterpret_cast<const uint8_t*>(kPseudonymDomain.data()),
                            kPseudonymDomain.size());
  crypto_generichash_update(&impl->pseudonym_base, &zero, 1);
  return Masker(std::move(impl));
}

Status Masker::mask(std::string_view text, MaskResult& out) { return mask(text, out, {}); }

Status Masker::mask(std::string_view text, MaskResult& out, std::span<const uint8_t> reveal_key) {
  out.text.clear();
  out.findings.clear();
  for (std::string& token : out.reveal_tokens) crypto::wipe(token.data(), token.size());
  out.reveal_tokens.clear();
  if (!reveal_key.empty() && reveal_key.size() != kRevealKeyBytes) return Status::invalid_argument;
  out.invalid_utf8_sequences = 0;
  out.replacement_chars = 0;
  if (text.size() > kMaxMessageBytes) return Status::too_large;
  Impl& m = *impl_;
  m.norm.assign(text);
  const std::string_view norm = m.norm.text();
  const bool may_be_invalid = m.norm.invalid_sequences() > 0;
  m.spans.clear();
  detail::scan_builtin(norm, m.config.enabled, m.spans);
  if (!m.config.rules.empty()) m.find_rules(norm);

  out.invalid_utf8_sequences = m.norm.invalid_sequences();
  out.replacement_chars = m.norm.replacement_chars();
  OutputWriter writer(out.text, text.size() + m.spans.size() * 16);
  detail::Utf16Cursor input_units(text, may_be_invalid, m.norm.ascii());
  detail::NormalizedText::Cursor to_input(m.norm);
  size_t out_units = 0;
  uint32_t cursor = 0;        // input bytes copied or replaced so far
  uint32_t cursor_units = 0;  // the same in UTF-16 units
  for (const Span& span : m.spans) {
    const uint32_t start = to_input.to_input(span.start);
    const uint32_t end = to_input.to_input(span.end);
    Finding& f = out.findings.emplace_back();
    f.type = m.type_name(span.kind);
    f.kind = span.kind;
    f.style = m.style(span.kind);
    f.start = start;
    f.end = end;
    f.start_utf16 = input_units.advance_to(start);
    f.end_utf16 = input_units.advance_to(end);
    // The text between findings is copied (invalid sequences as U+FFFD, one unit either way),
    // so its UTF-16 length is the input's.
    m.write_sanitized(writer, text.substr(cursor, start - cursor), may_be_invalid);
    out_units += f.start_utf16 - cursor_units;
    f.masked_start = static_cast<uint32_t>(writer.size());
    f.masked_start_utf16 = static_cast<uint32_t>(out_units);
    if (f.style == Style::label) {
      writer.write(m.bracketed[span.kind]);
      out_units += m.bracketed_units[span.kind];
    } else {
      m.piece.clear();
      if (Status s = m.write_replacement(m.piece, span, text.substr(start, end - start),
                                         norm.substr(span.start, span.end - span.start));
          s != Status::ok) {
        writer.finish();
        crypto::wipe(out.text.data(), out.text.size());
        crypto::wipe(m.piece.data(), m.piece.size());
        out.text.clear();
        out.findings.clear();
        if (!m.norm.identity()) m.norm.wipe();
        return s;
      }
      writer.write(m.piece);
      out_units += detail::utf16_length(m.piece);
      crypto::wipe(m.piece.data(), m.piece.size());  // a partial replacement keeps some of the value
    }
    f.masked_end = static_cast<uint32_t>(writer.size());
    f.masked_end_utf16 = static_cast<uint32_t>(out_units);
    if (!reveal_key.empty()) {
      std::string& token = out.reveal_tokens.emplace_back();
      if (Status s = m.write_sealed(token, span.kind, text.substr(start, end - start), reveal_key.first<kRevealKeyBytes>());
          s != Status::ok) {
        writer.finish();
        crypto::wipe(out.text.data(), out.text.size());
        out.text.clear();
        out.findings.clear();
        out.reveal_tokens.clear();
        if (!m.norm.identity()) m.norm.wipe();
        return s;
      }
    }
    cursor = end;
    cursor_units = f.end_utf16;
  }
  m.write_sanitized(writer, text.substr(cursor), may_be_invalid);
  writer.finish();
  if (!m.norm.identity()) m.norm.wipe();
  return Status::ok;
}

size_t Masker::kind_count() const { return kEntityCount + impl_->config.rules.size(); }

std::string_view Masker::kind_name(uint16_t kind) const {
  return kind < kind_count() ? impl_->type_name(kind) : std::string_view();
}

Result<RevealedValue> open_reveal_token(std::string_view token, std::span<const uint8_t, kRevealKeyBytes> public_key,
                                        std::span<const uint8_t, kRevealKeyBytes> secret_key) {
  if (Status s = crypto::ensure_ready(); s != Status::ok) return s;
  if (!token.starts_with(kSealedPrefix) || !token.ends_with("]")) {
    return Error{Status::malformed, "not a [sealed:type:data] token"};
  }
  const std::string_view body = token.substr(kSealedPrefix.size(), token.size() - kSealedPrefix.size() - 1);
  const size_t colon = body.find(':');
  if (colon == std::string_view::npos || colon == 0) return Error{Status::malformed, "token has no type"};
  const std::string_view type = body.substr(0, colon);
  const std::string_view data = body.substr(colon + 1);
  std::vector<uint8_t> sealed(data.size());
  size_t sealed_len = 0;
  if (sodium_base642bin(sealed.data(), sealed.size(), data.data(), data.size(), nullptr, &sealed_len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      sealed_len < crypto::kSealedBoxOverheadBytes) {
    return Error{Status::malformed, "token data is not base64url of a sealed box"};
  }
  sealed.resize(sealed_len);
  std::string opened(sealed_len - crypto::kSealedBoxOverheadBytes, '\0');
  const Status s = crypto::sealed_box_open(std::span(reinterpret_cast<uint8_t*>(opened.data()), opened.size()),
                                           sealed, public_key, secret_key);
  if (s != Status::ok) return s;
  const size_t nul = opened.find('\0');
  if (nul == std::string::npos || std::string_view(opened).substr(0, nul) != type) {
    crypto::wipe(opened.data(), opened.size());
    return Error{Status::malformed, "sealed type does not match the token"};
  }
  RevealedValue value{std::string(type), opened.substr(nul + 1)};
  crypto::wipe(opened.data(), opened.size());
  return value;
}

}  // namespace sealdesk::pii

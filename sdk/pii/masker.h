// PII masking: finds identifiers in a chat message and replaces them before the message is
// sealed and sent. Runs in the customer's browser (WASM) and natively (tests, sealdesk-mask).
//
//   auto masker = pii::Masker::create(R"({"locale":"zh-CN","styles":{"cn_mobile":"partial"}})");
//   pii::MaskResult r;
//   masker.value().mask("手机13800138000", r);   // r.text == "手机138****8000"
//
// Detection: one linear pass of hand-written recognisers (scanner.h) plus host rules
// (pattern.h); candidates are confirmed by check digits where the identifier has one (resident
// ID, cards, USCC, IBAN) and by structure otherwise. Text is normalised first (text.h):
// full-width digits and letters, Unicode spaces and dashes, zero-width characters. Invalid
// UTF-8 is replaced by U+FFFD (see text.h for the exact rule) and counted in the result.
//
// ---- Config (JSON object; every key optional; unknown keys are rejected) ---------------------
// {
//   "locale": "zh-CN",            // labels: "zh-CN" (default), "zh-TW", "en"
//   "style": "label",             // default style: "label" | "partial" | "pseudonym" | "sealed"
//   "styles": { "cn_mobile": "partial", "bank_card": "sealed" },   // per built-in entity
//   "entities": { "ipv4": false },                                 // turn built-ins off/on
//   "pseudonymKey": "<64 hex>",   // BLAKE2b key for pseudonyms; random per Masker when absent
//   "revealKey": "<64 hex>",      // X25519 public key of the agent desk; required by "sealed"
//   "rules": [                    // host rules, at most 32, tried alongside the built-ins
//     { "id": "member_id",              // [a-z0-9_-]{1,32}, not a built-in name, unique
//       "pattern": "M\\d{8}",           // syntax in pattern.h
//       "validator": "luhn",            // optional: luhn | mod97 | mod11_2 | cn_id | uscc | iban
//       "style": "label",               // optional, default: "style" above
//       "label": {"zh-CN": "会员号", "en": "member ID"},   // or one string; default: the id
//       "ignoreCase": false,
//       "keepStart": 0, "keepEnd": 4 }  // what "partial" leaves visible (0-32)
//   ]
// }
// Validators look at the match's letters and digits only (separators dropped, upper-cased);
// luhn at its digits only.
//
// ---- Styles ---------------------------------------------------------------------------------
//   label      [手机号] / [phone]
//   partial    local convention: 138****8000, +86 138 **** 8000, 110101********1234, ****1234
//              (cards), z***@example.com, 192.168.***.**, 京A·***45, 张*, 1990-**-**, codes and
//              passwords ******
//   pseudonym  [手机号#9f2c41d0]: first 4 bytes of BLAKE2b-128 keyed with pseudonymKey over
//              the entity type and its canonical value (separators dropped), so the same number
//              gives the same token for the life of the Masker (one session)
//   sealed     [sealed:cn_mobile:<base64url>]: crypto_box_seal of "type\0original" to revealKey;
//              open_reveal_token() opens it on the agent side. Whether the agent may ask for it
//              is the consent engine's decision ("PII reveal" purpose), not the masker's.
//
// ---- Findings -------------------------------------------------------------------------------
// In text order, never overlapping. start/end locate the entity in the input (bytes natively,
// UTF-16 units for JS: both are computed here), masked_start/masked_end its replacement in the
// masked text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/pii/entities.h"

namespace sealdesk::pii {

inline constexpr size_t kMaxMessageBytes = 4 * 1024 * 1024;  // too_large above this
inline constexpr size_t kMaxRules = 32;
inline constexpr size_t kRevealKeyBytes = 32;  // X25519 public key
inline constexpr size_t kPseudonymKeyBytes = 32;

struct Finding {
  std::string_view type;  // entity name or rule id; valid as long as the Masker lives
  uint16_t kind;          // the Entity's value, or kEntityCount + index of the host rule
  Style style;
  uint32_t start;  // input bytes
  uint32_t end;
  uint32_t start_utf16;  // input UTF-16 code units (an invalid sequence counts as one U+FFFD)
  uint32_t end_utf16;
  uint32_t masked_start;  // bytes in MaskResult::text
  uint32_t masked_end;
  uint32_t masked_start_utf16;
  uint32_t masked_end_utf16;
};

struct MaskResult {
  std::string text;  // always valid UTF-8
  std::vector<Finding> findings;
  uint32_t invalid_utf8_sequences = 0;  // replaced by U+FFFD in text
  // U+FFFD characters the input itself holds. JS encoders write a lone surrogate as U+FFFD, so
  // when this is 0 the JS string was well-formed and the masked text is that string with the
  // findings replaced (the WASM wrapper rebuilds it from the string instead of decoding it).
  uint32_t replacement_chars = 0;
  // With a reveal key given to mask(): for each finding (same order), its original sealed to that
  // key as a "[sealed:<type>:<base64url>]" token, whatever the finding's display style.
  std::vector<std::string> reveal_tokens;
};

class Masker {
 public:
  // invalid_argument (bad config JSON or value, detail names the key), rule_invalid (a rule's
  // pattern or fields; detail names the rule), crypto_unavailable.
  static Result<Masker> create(std::string_view config_json = {});

  Masker(Masker&& other) noexcept;
  Masker& operator=(Masker&& other) noexcept;
  Masker(const Masker&) = delete;
  Masker& operator=(const Masker&) = delete;
  ~Masker();  // wipes the pseudonym key

  // Masks text into out (its buffers are reused). too_large over kMaxMessageBytes;
  // crypto_unavailable / internal if sealing fails (out is then cleared: nothing half-masked).
  // Not thread-safe: one Masker per thread (it keeps scratch buffers).
  Status mask(std::string_view text, MaskResult& out);
  // The same, and in the same pass each finding's original sealed to reveal_key (the agent's
  // X25519 reveal key, 32 bytes) into out.reveal_tokens: what the customer's desk attaches while
  // pii_reveal is granted. invalid_argument for a key that is not 32 bytes.
  Status mask(std::string_view text, MaskResult& out, std::span<const uint8_t> reveal_key);

  // Finding::kind values run from 0 to kind_count() - 1; kind_name() is their type string.
  size_t kind_count() const;
  std::string_view kind_name(uint16_t kind) const;

 private:
  struct Impl;
  explicit Masker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Agent side: opens a "[sealed:<type>:<base64url>]" token with the desk's X25519 key pair.
struct RevealedValue {
  std::string type;
  std::string text;  // the caller wipes it when done
};
// malformed (not a token, bad base64url, type mismatch), auth_failed (altered or another key).
Result<RevealedValue> open_reveal_token(std::string_view token, std::span<const uint8_t, kRevealKeyBytes> public_key,
                                        std::span<const uint8_t, kRevealKeyBytes> secret_key);

}  // namespace sealdesk::pii

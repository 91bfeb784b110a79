// The masker config (documented in masker.h), parsed and validated.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sdk/common/status.h"
#include "sdk/pii/entities.h"
#include "sdk/pii/pattern.h"
#include "sdk/pii/scanner.h"

namespace sealdesk::pii::detail {

enum class Validator : uint8_t { none, luhn, mod97, mod11_2, cn_id, uscc, iban };

struct Rule {
  std::string id;
  Pattern pattern;
  Validator validator = Validator::none;
  Style style = Style::label;
  std::string label;  // in the config's locale
  uint8_t keep_start = 0;
  uint8_t keep_end = 4;
};

struct MaskerConfig {
  Locale locale = Locale::zh_cn;
  std::array<Style, kEntityCount> styles{};
  EntitySet enabled;
  std::vector<Rule> rules;
  bool has_pseudonym_key = false;
  std::array<uint8_t, 32> pseudonym_key{};  // wiped by the owner
  bool has_reveal_key = false;
  std::array<uint8_t, 32> reveal_key{};
};

// Empty text means the defaults. invalid_argument / rule_invalid with a detail naming the key.
Status parse_config(std::string_view json, MaskerConfig& out, std::string& detail);

// Runs a validator over a match's significant characters (ASCII letters/digits, upper-cased).
bool validate(Validator validator, std::string_view significant);

}  // namespace sealdesk::pii::detail

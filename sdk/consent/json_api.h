// JSON in and out of the engine, for the WASM bindings and the JS layer. Names follow the
// public JS contract (camelCase). Everything a binding would otherwise have to decide lives
// here, where native tests reach it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdk/common/status.h"
#include "sdk/consent/engine.h"

namespace sealdesk::consent {

// [{"purpose","from","to","reason","revokes"}]
std::string to_json(const Changes& changes);
// {"policyId","policyVersion","gpc","minor","declaredAge","purposes":{id: state},
//  "decisions":{id:{"state","decidedAt","policyVersion","reason","guardianConfirmed","expiresAt"}}}
std::string to_json(const Snapshot& snapshot);
// {"capability","allowed","steps":[{"purposes","separate","guardianRequired"}],
//  "choices":[{"purpose","oneOf"}],"blocked":[{"purpose","reason"}]}
std::string to_json(const JitPlan& plan);
// {"requested","locale","texts":{key: text},"missing":[key],"noticeHash"}
std::string to_json(const LocalizedTexts& texts);
// [{"hash","receipt","signature"}], the receipts' exact signed bytes spliced in.
std::string ledger_to_json(const std::vector<LedgerEntry>& ledger);
// A stored decision as in the store export (decidedAt null when never decided).
nlohmann::json decision_to_json(const Decision& decision);

// ["chat","voice"]: invalid_argument unless an array of at most 256 strings.
Result<std::vector<std::string>> parse_purpose_list(std::string_view json_text);
// {"locale","collectionMethod","guardianConfirmed"} (each optional; "" gives the defaults):
// invalid_argument for other members or types.
Result<DecisionContext> parse_decision_context(std::string_view json_text);
// {"en": <locale file object>, "zh-CN": ...}: one LocaleSource per member.
Result<std::vector<LocaleSource>> parse_locale_bundle(std::string_view json_text);
// A JS number of milliseconds since the epoch: an integer in [0, 2^53).
Result<int64_t> timestamp_from_js(double ms);

}  // namespace sealdesk::consent

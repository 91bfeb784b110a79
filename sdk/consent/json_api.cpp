#include "sdk/consent/json_api.h"

#include <cmath>

namespace sealdesk::consent {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

json decision_to_json(const Decision& d) {
  return {{"state", state_name(d.state)},
          {"decidedAt", d.reason == Reason::none ? json(nullptr) : json(d.decided_at_ms)},
          {"policyVersion", d.policy_version},
          {"purposeHash", d.purpose_hash},
          {"reason", reason_name(d.reason)},
          {"guardianConfirmed", d.guardian_confirmed}};
}

std::string ledger_to_json(const std::vector<LedgerEntry>& ledger) {
  std::string out = "[";
  for (size_t i = 0; i < ledger.size(); ++i) out += (i ? "," : "") + ledger[i].to_json();
  return out + "]";
}

std::string to_json(const Changes& changes) {
  json out = json::array();
  for (const Change& c : changes) {
    out.push_back({{"purpose", c.purpose},
                   {"from", state_name(c.from)},
                   {"to", state_name(c.to)},
                   {"reason", reason_name(c.reason)},
                   {"revokes", c.revokes()}});
  }
  return dump(out);
}

std::string to_json(const Snapshot& s) {
  json purposes = json::object();
  json decisions = json::object();
  for (const PurposeStatus& p : s.purposes) {
    purposes[p.purpose] = state_name(p.state);
    json d = decision_to_json(p.decision);
    d["state"] = state_name(p.state);
    d["expiresAt"] = p.expires_at_ms ? json(*p.expires_at_ms) : json(nullptr);
    d.erase("purposeHash");
    decisions[p.purpose] = d;
  }
  return dump({{"policyId", s.policy_id},
               {"policyVersion", s.policy_version},
               {"gpc", s.gpc},
               {"minor", s.minor},
               {"declaredAge", s.declared_age ? json(*s.declared_age) : json(nullptr)},
               {"purposes", purposes},
               {"decisions", decisions}});
}

std::string to_json(const JitPlan& plan) {
  json steps = json::array();
  for (const PlanStep& step : plan.steps) {
    steps.push_back({{"purposes", step.purposes}, {"separate", step.separate}, {"guardianRequired", step.guardian_required}});
  }
  json choices = json::array();
  for (const PlanChoice& c : plan.choices) choices.push_back({{"purpose", c.purpose}, {"oneOf", c.one_of}});
  json blocked = json::array();
  for (const PlanBlock& b : plan.blocked) blocked.push_back({{"purpose", b.purpose}, {"reason", reason_name(b.reason)}});
  return dump({{"capability", plan.capability},
               {"allowed", plan.allowed},
               {"steps", steps},
               {"choices", choices},
               {"blocked", blocked}});
}

std::string to_json(const LocalizedTexts& t) {
  return dump({{"requested", t.requested},
               {"locale", t.locale},
               {"texts", t.texts},
               {"missing", t.missing},
               {"noticeHash", t.notice_hash}});
}

Result<std::vector<std::string>> parse_purpose_list(std::string_view json_text) {
  const json list = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (list.is_discarded() || !list.is_array()) return Error{Status::invalid_argument, "purposes must be a JSON array"};
  if (list.size() > 256) return Error{Status::invalid_argument, "more than 256 purposes in one call"};
  std::vector<std::string> out;
  for (const json& item : list) {
    if (!item.is_string()) return Error{Status::invalid_argument, "purposes must be strings"};
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<DecisionContext> parse_decision_context(std::string_view json_text) {
  DecisionContext ctx;
  if (json_text.empty()) return ctx;
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Error{Status::invalid_argument, "context must be a JSON object"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    if (key == "locale" && it->is_string()) {
      ctx.locale = it->get<std::string>();
    } else if (key == "collectionMethod" && it->is_string()) {
      ctx.collection_method = it->get<std::string>();
    } else if (key == "guardianConfirmed" && it->is_boolean()) {
      ctx.guardian_confirmed = it->get<bool>();
    } else {
      const bool known = key == "locale" || key == "collectionMethod" || key == "guardianConfirmed";
      return Error{Status::invalid_argument, known ? "context." + key + " has the wrong type"
                                                   : std::string("context has an unknown member")};
    }
  }
  return ctx;
}

Result<std::vector<LocaleSource>> parse_locale_bundle(std::string_view json_text) {
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error{Status::policy_invalid_json, "locale bundle is not valid JSON"};
  if (!doc.is_object()) return Error{Status::policy_invalid, "locale bundle must map tags to locale files"};
  std::vector<LocaleSource> out;
  for (auto it = doc.begin(); it != doc.end(); ++it) out.push_back({it.key(), dump(it.value())});
  return out;
}

Result<int64_t> timestamp_from_js(double ms) {
  constexpr double kLimit = 9007199254740992.0;  // 2^53: beyond it a JS number skips integers
  if (!std::isfinite(ms) || ms < 0 || ms >= kLimit || std::floor(ms) != ms) {
    return Error{Status::invalid_argument, "time must be whole milliseconds since the epoch, 0 to 2^53"};
  }
  return static_cast<int64_t>(ms);
}

}  // namespace sealdesk::consent

#include "sdk/consent/policy.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <set>

#include <nlohmann/json.hpp>

#include "sdk/consent/canonical.h"

namespace sealdesk::consent {
namespace {

using nlohmann::json;

// RFC 6901: "~" -> "~0", "/" -> "~1".
std::string pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string child(const std::string& pointer, std::string_view key) { return pointer + "/" + pointer_token(key); }
std::string child(const std::string& pointer, size_t index) { return pointer + "/" + std::to_string(index); }

// --- the schema's patterns, hand-written (no std::regex: it may throw and is large in WASM) ---
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_printable_ascii(char c) { return c >= '!' && c <= '~'; }

// ^[a-z0-9][a-z0-9._-]{0,63}$
bool is_policy_id(std::string_view s) {
  if (s.empty() || s.size() > 64 || !(is_lower(s[0]) || is_digit(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_lower(c) || is_digit(c) || c == '.' || c == '_' || c == '-'; });
}
// ^[A-Za-z0-9][A-Za-z0-9._+-]*$, 1..64
bool is_version(std::string_view s) {
  auto alnum = [](char c) { return is_lower(c) || is_upper(c) || is_digit(c); };
  if (s.empty() || s.size() > 64 || !alnum(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '+' || c == '-'; });
}
// ^[A-Z]{2}(-[A-Z0-9]{1,3})?$
bool is_jurisdiction(std::string_view s) {
  if (s.size() < 2 || !is_upper(s[0]) || !is_upper(s[1])) return false;
  if (s.size() == 2) return true;
  if (s.size() < 4 || s.size() > 6 || s[2] != '-') return false;
  return std::all_of(s.begin() + 3, s.end(), [](char c) { return is_upper(c) || is_digit(c); });
}
// ^[A-Z]{2}$
bool is_country(std::string_view s) { return s.size() == 2 && is_upper(s[0]) && is_upper(s[1]); }
// ^https://[!-~]+$, at most 2048
bool is_https_url(std::string_view s) {
  constexpr std::string_view kScheme = "https://";
  if (s.size() <= kScheme.size() || s.size() > 2048 || s.substr(0, kScheme.size()) != kScheme) return false;
  return std::all_of(s.begin() + kScheme.size(), s.end(), is_printable_ascii);
}
// ^[!-?A-~]+@[!-?A-~]+$, at most 254
bool is_email(std::string_view s) {
  const size_t at = s.find('@');
  if (s.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  return std::all_of(s.begin(), s.end(), is_printable_ascii) && s.find('@', at + 1) == std::string_view::npos;
}
// ^\+?[0-9 ()-]{3,32}$
bool is_phone(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.size() < 3 || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_digit(c) || c == ' ' || c == '(' || c == ')' || c == '-'; });
}
// ^[a-z][a-z0-9_]{0,max-1}$
bool is_snake_id(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max || !is_lower(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}
bool is_purpose_id(std::string_view s) { return is_snake_id(s, 32); }
bool is_data_category(std::string_view s) { return is_snake_id(s, 64); }
// ^[a-z][a-z0-9_.-]{0,63}$
bool is_capability_name(std::string_view s) {
  if (s.empty() || s.size() > 64 || !is_lower(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_lower(c) || is_digit(c) || c == '_' || c == '.' || c == '-'; });
}

constexpr std::initializer_list<const char*> kLegalBases = {"consent",     "contract",   "legal_obligation",
                                                            "vital_interests", "public_task", "legitimate_interests"};
constexpr std::initializer_list<const char*> kSensitiveCategories = {
    "biometric",        "religious_belief",  "specific_identity",         "medical_health",
    "financial_account", "location_tracking", "minor_personal_information"};
constexpr std::initializer_list<const char*> kThirdPartyRoles = {"processor", "controller", "joint_controller"};
constexpr std::initializer_list<const char*> kSafeguards = {"security_assessment", "certification", "standard_contract",
                                                            "adequacy", "other"};

bool one_of(std::string_view s, std::initializer_list<const char*> values) {
  return std::any_of(values.begin(), values.end(), [&](const char* v) { return s == v; });
}
std::string list_of(std::initializer_list<const char*> values) {
  std::string out;
  for (const char* v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

// Walks the document, keeping the first violation (in document and rule order).
class Checker {
 public:
  bool failed() const { return error_.has_value(); }
  Error error() const { return *error_; }

  void fail(const std::string& pointer, const std::string& rule, Status status = Status::policy_invalid) {
    if (!error_) error_ = Error{status, (pointer.empty() ? std::string("(root)") : pointer) + ": " + rule};
  }

  // An object with only the allowed members and all the required ones. nullptr on failure.
  const json* object(const json* value, const std::string& pointer, std::initializer_list<const char*> allowed,
                     std::initializer_list<const char*> required) {
    if (failed() || value == nullptr) return nullptr;
    if (!value->is_object()) {
      fail(pointer, "must be an object");
      return nullptr;
    }
    for (const char* key : required) {
      if (!value->contains(key)) {
        fail(child(pointer, key), "is required");
        return nullptr;
      }
    }
    for (auto it = value->begin(); it != value->end(); ++it) {
      if (!one_of(it.key(), allowed)) {
        fail(child(pointer, it.key()), "is not allowed");
        return nullptr;
      }
    }
    return value;
  }

  static const json* member(const json* object, const char* key) {
    if (object == nullptr) return nullptr;
    const auto it = object->find(key);
    return it == object->end() ? nullptr : &*it;
  }

  // A string member (absent and optional -> nullopt without failing).
  std::optional<std::string> string(const json* object, const std::string& pointer, const char* key,
                                    const std::function<bool(std::string_view)>& rule, const std::string& rule_text) {
    const json* v = member(object, key);
    if (failed() || v == nullptr) return std::nullopt;
    const std::string p = child(pointer, key);
    return string_value(*v, p, rule, rule_text);
  }

  std::optional<std::string> string_value(const json& v, const std::string& pointer,
                                          const std::function<bool(std::string_view)>& rule,
                                          const std::string& rule_text) {
    if (failed()) return std::nullopt;
    if (!v.is_string()) {
      fail(pointer, "must be a string");
      return std::nullopt;
    }
    const auto& s = v.get_ref<const std::string&>();
    if (!rule(s)) {
      fail(pointer, rule_text);
      return std::nullopt;
    }
    return s;
  }

  // JSON Schema minLength/maxLength count code points.
  std::optional<std::string> text(const json* object, const std::string& pointer, const char* key) {
    return string(object, pointer, key,
                  [](std::string_view s) {
                    const size_t n = utf8_length(s);
                    return n >= 1 && n <= 200;
                  },
                  "must be 1 to 200 characters");
  }

  std::optional<bool> boolean(const json* object, const std::string& pointer, const char* key) {
    const json* v = member(object, key);
    if (failed() || v == nullptr) return std::nullopt;
    if (!v->is_boolean()) {
      fail(child(pointer, key), "must be a boolean");
      return std::nullopt;
    }
    return v->get<bool>();
  }

  // An array of unique strings that each pass rule; nullopt when absent or on failure.
  std::optional<std::vector<std::string>> string_set(const json* object, const std::string& pointer, const char* key,
                                                     size_t min_items, const std::function<bool(std::string_view)>& rule,
                                                     const std::string& rule_text) {
    const json* v = member(object, key);
    if (failed() || v == nullptr) return std::nullopt;
    return string_set_value(*v, child(pointer, key), min_items, rule, rule_text);
  }

  std::optional<std::vector<std::string>> string_set_value(const json& v, const std::string& p, size_t min_items,
                                                           const std::function<bool(std::string_view)>& rule,
                                                           const std::string& rule_text) {
    if (failed()) return std::nullopt;
    if (!v.is_array()) {
      fail(p, "must be an array");
      return std::nullopt;
    }
    if (v.size() < min_items) {
      fail(p, "must have at least " + std::to_string(min_items) + (min_items == 1 ? " item" : " items"));
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i) {
      auto s = string_value(v[i], child(p, i), rule, rule_text);
      if (!s) return std::nullopt;
      if (std::find(out.begin(), out.end(), *s) != out.end()) {
        fail(p, "must not contain duplicates");
        return std::nullopt;
      }
      out.push_back(std::move(*s));
    }
    return out;
  }

 private:
  std::optional<Error> error_;
};

const auto kDurationRule = [](std::string_view s) { return parse_iso_duration(s).has_value(); };
constexpr const char* kDurationText = "must be an ISO 8601 duration";

std::optional<ThirdParty> parse_third_party(Checker& c, const json& value, const std::string& p) {
  const json* o = c.object(&value, p, {"name", "role", "country"}, {"name", "role", "country"});
  ThirdParty tp;
  if (auto v = c.text(o, p, "name")) tp.name = *v;
  if (auto v = c.string(o, p, "role", [](std::string_view s) { return one_of(s, kThirdPartyRoles); },
                        "must be one of: " + list_of(kThirdPartyRoles))) {
    tp.role = *v;
  }
  if (auto v = c.string(o, p, "country", is_country, "must be an ISO 3166-1 alpha-2 code")) tp.country = *v;
  if (c.failed()) return std::nullopt;
  return tp;
}

std::optional<Purpose> parse_purpose(Checker& c, const json& value, const std::string& p) {
  const json* o = c.object(&value, p,
                           {"id", "required", "legal_basis", "category", "sensitive", "sensitive_categories",
                            "data_categories", "retention", "validity", "third_parties", "cross_border",
                            "depends_on", "depends_on_any", "gpc_opt_out", "trains_models", "derives_voiceprints",
                            "outputs_leave_desk"},
                           {"id", "required", "legal_basis", "category", "sensitive", "data_categories", "retention",
                            "validity", "third_parties", "cross_border", "depends_on"});
  Purpose purpose;
  if (auto v = c.string(o, p, "id", is_purpose_id, "must match ^[a-z][a-z0-9_]{0,31}$")) purpose.id = *v;
  if (auto v = c.boolean(o, p, "required")) purpose.required = *v;
  if (auto v = c.string(o, p, "legal_basis", [](std::string_view s) { return one_of(s, kLegalBases); },
                        "must be one of: " + list_of(kLegalBases))) {
    purpose.legal_basis = *v;
  }
  if (auto v = c.text(o, p, "category")) purpose.category = *v;
  if (auto v = c.boolean(o, p, "sensitive")) purpose.sensitive = *v;
  if (auto v = c.string_set(o, p, "sensitive_categories", 1,
                            [](std::string_view s) { return one_of(s, kSensitiveCategories); },
                            "must be one of: " + list_of(kSensitiveCategories))) {
    purpose.sensitive_categories = std::move(*v);
  }
  if (auto v = c.string_set(o, p, "data_categories", 1, is_data_category, "must match ^[a-z][a-z0-9_]{0,63}$")) {
    purpose.data_categories = std::move(*v);
  }
  if (auto v = c.string(o, p, "retention", kDurationRule, kDurationText)) {
    purpose.retention = *v;
    purpose.retention_duration = *parse_iso_duration(*v);
  }
  if (auto v = c.string(o, p, "validity", kDurationRule, kDurationText)) {
    purpose.validity = *v;
    purpose.validity_duration = *parse_iso_duration(*v);
  }
  if (const json* tps = Checker::member(o, "third_parties"); tps != nullptr && !c.failed()) {
    const std::string tp_pointer = child(p, "third_parties");
    if (!tps->is_array()) {
      c.fail(tp_pointer, "must be an array");
    } else {
      for (size_t i = 0; i < tps->size() && !c.failed(); ++i) {
        if (auto tp = parse_third_party(c, (*tps)[i], child(tp_pointer, i))) purpose.third_parties.push_back(*tp);
      }
    }
  }
  if (const json* cb = Checker::member(o, "cross_border"); cb != nullptr && !cb->is_null() && !c.failed()) {
    const std::string cb_pointer = child(p, "cross_border");
    if (!cb->is_object()) {
      c.fail(cb_pointer, "must be null or an object");
    } else {
      const json* cbo = c.object(cb, cb_pointer, {"countries", "recipient", "safeguard"},
                                 {"countries", "recipient", "safeguard"});
      CrossBorderTransfer transfer;
      if (auto v = c.string_set(cbo, cb_pointer, "countries", 1, is_country, "must be an ISO 3166-1 alpha-2 code")) {
        transfer.countries = std::move(*v);
      }
      if (auto v = c.text(cbo, cb_pointer, "recipient")) transfer.recipient = *v;
      if (auto v = c.string(cbo, cb_pointer, "safeguard", [](std::string_view s) { return one_of(s, kSafeguards); },
                            "must be one of: " + list_of(kSafeguards))) {
        transfer.safeguard = *v;
      }
      purpose.cross_border = std::move(transfer);
    }
  }
  if (auto v = c.string_set(o, p, "depends_on", 0, is_purpose_id, "must match ^[a-z][a-z0-9_]{0,31}$")) {
    purpose.depends_on = std::move(*v);
  }
  if (auto v = c.string_set(o, p, "depends_on_any", 2, is_purpose_id, "must match ^[a-z][a-z0-9_]{0,31}$")) {
    purpose.depends_on_any = std::move(*v);
  }
  if (auto v = c.boolean(o, p, "gpc_opt_out")) purpose.gpc_opt_out = *v;
  if (auto v = c.boolean(o, p, "trains_models")) purpose.trains_models = *v;
  if (auto v = c.boolean(o, p, "derives_voiceprints")) purpose.derives_voiceprints = *v;
  if (auto v = c.boolean(o, p, "outputs_leave_desk")) purpose.outputs_leave_desk = *v;
  if (c.failed()) return std::nullopt;

  // The schema's if/then rules (PIPL Art. 29 and 39: separate consent means consent as the basis).
  if (purpose.sensitive && purpose.sensitive_categories.empty()) {
    c.fail(child(p, "sensitive_categories"), "is required for a sensitive purpose");
  } else if (!purpose.sensitive && Checker::member(o, "sensitive_categories") != nullptr) {
    c.fail(child(p, "sensitive_categories"), "is only allowed for a sensitive purpose");
  } else if (purpose.sensitive && purpose.legal_basis != "consent") {
    c.fail(child(p, "legal_basis"), "must be \"consent\" for a sensitive purpose");
  } else if (purpose.cross_border && purpose.legal_basis != "consent") {
    c.fail(child(p, "legal_basis"), "must be \"consent\" for a cross-border transfer");
  } else if (purpose.required && purpose.legal_basis == "consent") {
    c.fail(child(p, "legal_basis"), "must not be \"consent\" for a required purpose");
  } else if (!purpose.required && purpose.legal_basis != "consent") {
    c.fail(child(p, "required"), "must be true when the legal basis is not consent");
  } else if (purpose.required && purpose.sensitive) {
    c.fail(child(p, "sensitive"), "must be false for a required purpose");
  } else if (purpose.required && purpose.cross_border) {
    c.fail(child(p, "cross_border"), "must be null for a required purpose");
  } else if (purpose.required && purpose.gpc_opt_out) {
    c.fail(child(p, "gpc_opt_out"), "must be false for a required purpose");
  } else if (purpose.validity_duration.is_zero()) {  // core-only rule
    c.fail(child(p, "validity"), "must not be zero");
  }
  if (c.failed()) return std::nullopt;

  // What the processing does with the conversation, each with its own status. Training on
  // conversations is opt-in only: never required (so it starts denied until the person allows
  // it), sensitive (so it is asked alone, never bundled), and off under Global Privacy Control.
  const bool processor_named = std::any_of(purpose.third_parties.begin(), purpose.third_parties.end(),
                                           [](const ThirdParty& tp) { return tp.role == "processor"; });
  if (purpose.trains_models && purpose.required) {
    c.fail(child(p, "required"), "must be false for a purpose that trains models", Status::training_not_opt_in);
  } else if (purpose.trains_models && !purpose.sensitive) {
    c.fail(child(p, "sensitive"), "must be true for a purpose that trains models", Status::training_not_opt_in);
  } else if (purpose.trains_models && !purpose.gpc_opt_out) {
    c.fail(child(p, "gpc_opt_out"), "must be true for a purpose that trains models", Status::training_not_opt_in);
  } else if (purpose.derives_voiceprints && !purpose.sensitive) {
    c.fail(child(p, "sensitive"), "must be true for a purpose that derives voiceprints (biometric data)",
           Status::voiceprint_not_biometric);
  } else if (purpose.derives_voiceprints &&
             std::find(purpose.sensitive_categories.begin(), purpose.sensitive_categories.end(), "biometric") ==
                 purpose.sensitive_categories.end()) {
    c.fail(child(p, "sensitive_categories"), "must include \"biometric\" for a purpose that derives voiceprints",
           Status::voiceprint_not_biometric);
  } else if (purpose.outputs_leave_desk && !processor_named) {
    c.fail(child(p, "third_parties"), "must name a processor when the outputs leave the desk",
           Status::processor_missing);
  }
  if (c.failed()) return std::nullopt;

  // Optional members with their defaults filled in: writing a default out does not change the hash.
  json terms = value;
  if (!terms.contains("sensitive_categories")) terms["sensitive_categories"] = json::array();
  if (!terms.contains("depends_on_any")) terms["depends_on_any"] = json::array();
  if (!terms.contains("gpc_opt_out")) terms["gpc_opt_out"] = false;
  if (!terms.contains("trains_models")) terms["trains_models"] = false;
  if (!terms.contains("derives_voiceprints")) terms["derives_voiceprints"] = false;
  if (!terms.contains("outputs_leave_desk")) terms["outputs_leave_desk"] = false;
  auto canonical = canonical_json(terms);
  if (!canonical.ok()) {  // unreachable: every member was type-checked above
    c.fail(p, "cannot be canonicalized");
    return std::nullopt;
  }
  purpose.terms_canonical = std::move(canonical).value();
  return purpose;
}

// Dependency edges (depends_on and depends_on_any) must form a DAG. Depth-first search with
// colours; the cycle is reported as the path that closes it.
std::optional<Error> order_dependencies(Policy& policy) {
  struct Edge {
    size_t to;
    std::string pointer;  // of the depends_on / depends_on_any item
  };
  const size_t n = policy.purposes.size();
  std::vector<std::vector<Edge>> edges(n);
  for (size_t i = 0; i < n; ++i) {
    for (const char* key : {"depends_on", "depends_on_any"}) {
      const auto& list = std::string_view(key) == "depends_on" ? policy.purposes[i].depends_on
                                                               : policy.purposes[i].depends_on_any;
      for (size_t j = 0; j < list.size(); ++j) {
        edges[i].push_back({*policy.index_of(list[j]), child(child(child("/purposes", i), key), j)});
      }
    }
  }
  enum class Colour { white, grey, black };
  std::vector<Colour> colour(n, Colour::white);
  std::vector<size_t> stack;
  std::optional<Error> cycle;
  std::function<void(size_t)> visit = [&](size_t i) {
    colour[i] = Colour::grey;
    stack.push_back(i);
    for (const Edge& edge : edges[i]) {
      if (colour[edge.to] == Colour::grey) {
        std::string path;
        for (auto it = std::find(stack.begin(), stack.end(), edge.to); it != stack.end(); ++it) {
          path += policy.purposes[*it].id + " -> ";
        }
        path += policy.purposes[edge.to].id;
        cycle = Error{Status::dependency_cycle, edge.pointer + ": dependencies form a cycle: " + path};
        return;
      }
      if (colour[edge.to] == Colour::white) visit(edge.to);
      if (cycle) return;
    }
    stack.pop_back();
    colour[i] = Colour::black;
    policy.dependency_order.push_back(i);  // post-order: dependencies first
  };
  for (size_t i = 0; i < n && !cycle; ++i) {
    if (colour[i] == Colour::white) visit(i);
  }
  return cycle;
}

}  // namespace

Result<int64_t> retention_deadline(const Policy& policy, std::string_view purpose, int64_t from_ms) {
  const Purpose* p = policy.find(purpose);
  if (p == nullptr) return Error{Status::not_found, "no purpose '" + std::string(purpose) + "' in the policy"};
  return add_duration(from_ms, p->retention_duration);
}

const Purpose* Policy::find(std::string_view purpose_id) const {
  for (const Purpose& p : purposes) {
    if (p.id == purpose_id) return &p;
  }
  return nullptr;
}

std::optional<size_t> Policy::index_of(std::string_view purpose_id) const {
  for (size_t i = 0; i < purposes.size(); ++i) {
    if (purposes[i].id == purpose_id) return i;
  }
  return std::nullopt;
}

const std::vector<std::string>* Policy::capability(std::string_view name) const {
  for (const auto& [cap, needs] : capabilities) {
    if (cap == name) return &needs;
  }
  return nullptr;
}

Result<Policy> parse_policy(std::string_view json_text) {
  if (json_text.size() > kMaxPolicyBytes) return Error{Status::too_large, "policy is larger than 1 MiB"};
  const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error{Status::policy_invalid_json, "policy is not valid JSON"};

  Checker c;
  Policy policy;
  const std::string root;
  const json* o = c.object(&doc, root,
                           {"$schema", "$comment", "id", "version", "jurisdiction", "policy_url", "service",
                            "minor_age", "controller", "purposes", "capabilities", "pii_masking"},
                           {"id", "version", "jurisdiction", "policy_url", "service", "controller", "purposes",
                            "capabilities"});
  // How PII is masked before chat messages are sealed: the masker's config (sdk/pii/masker.h),
  // validated in full where the masker is built; here it only has to be an object.
  if (const json* masking = Checker::member(o, "pii_masking"); masking != nullptr && !c.failed()) {
    if (c.object(masking, child(root, "pii_masking"), {"locale", "style", "styles", "entities"}, {}) != nullptr) {
      policy.pii_masking = masking->dump();
    }
  }
  auto any_string = [](std::string_view) { return true; };
  c.string(o, root, "$schema", any_string, "");
  c.string(o, root, "$comment", any_string, "");
  if (auto v = c.string(o, root, "id", is_policy_id, "must match ^[a-z0-9][a-z0-9._-]{0,63}$")) policy.id = *v;
  if (auto v = c.string(o, root, "version", is_version, "must match ^[A-Za-z0-9][A-Za-z0-9._+-]*$ (1 to 64 characters)")) {
    policy.version = *v;
  }
  if (auto v = c.string(o, root, "jurisdiction", is_jurisdiction, "must be an ISO 3166 country code")) {
    policy.jurisdiction = *v;
  }
  if (auto v = c.string(o, root, "policy_url", is_https_url, "must be an https URL")) policy.policy_url = *v;
  if (auto v = c.text(o, root, "service")) policy.service = *v;
  if (const json* age = Checker::member(o, "minor_age"); age != nullptr && !c.failed()) {
    if (!age->is_number_integer()) {
      c.fail("/minor_age", "must be an integer");
    } else if (age->get<int64_t>() < 1 || age->get<int64_t>() > 21) {
      c.fail("/minor_age", "must be between 1 and 21");
    } else {
      policy.minor_age = static_cast<int>(age->get<int64_t>());
    }
  }

  const std::string cp = "/controller";
  const json* ctrl = c.object(Checker::member(o, "controller"), cp,
                              {"name", "contact", "email", "phone", "address", "url", "dpo"}, {"name", "contact", "dpo"});
  if (auto v = c.text(ctrl, cp, "name")) policy.controller.name = *v;
  if (auto v = c.text(ctrl, cp, "contact")) policy.controller.contact = *v;
  if (auto v = c.string(ctrl, cp, "email", is_email, "must be an email address")) policy.controller.email = *v;
  if (auto v = c.string(ctrl, cp, "phone", is_phone, "must be a phone number")) policy.controller.phone = *v;
  if (auto v = c.text(ctrl, cp, "address")) policy.controller.address = *v;
  if (auto v = c.string(ctrl, cp, "url", is_https_url, "must be an https URL")) policy.controller.url = *v;
  const json* dpo = c.object(Checker::member(ctrl, "dpo"), cp + "/dpo", {"name", "contact"}, {"name", "contact"});
  if (auto v = c.text(dpo, cp + "/dpo", "name")) policy.controller.dpo_name = *v;
  if (auto v = c.text(dpo, cp + "/dpo", "contact")) policy.controller.dpo_contact = *v;

  if (const json* purposes = Checker::member(o, "purposes"); purposes != nullptr && !c.failed()) {
    if (!purposes->is_array()) {
      c.fail("/purposes", "must be an array");
    } else if (purposes->empty()) {
      c.fail("/purposes", "must have at least 1 item");
    } else if (purposes->size() > kMaxPurposes) {
      c.fail("/purposes", "must have at most 64 items");
    }
    for (size_t i = 0; !c.failed() && i < purposes->size(); ++i) {
      const std::string p = child("/purposes", i);
      auto purpose = parse_purpose(c, (*purposes)[i], p);
      if (!purpose) break;
      if (policy.find(purpose->id) != nullptr) {
        c.fail(p + "/id", "must be unique (\"" + purpose->id + "\" is already used)");
        break;
      }
      policy.purposes.push_back(std::move(*purpose));
    }
  }

  if (const json* caps = Checker::member(o, "capabilities"); caps != nullptr && !c.failed()) {
    if (!caps->is_object()) c.fail("/capabilities", "must be an object");
    for (auto it = caps->begin(); !c.failed() && caps->is_object() && it != caps->end(); ++it) {
      const std::string p = child("/capabilities", it.key());
      if (!is_capability_name(it.key())) {
        c.fail(p, "name must match ^[a-z][a-z0-9_.-]{0,63}$");
        break;
      }
      auto needs = c.string_set_value(it.value(), p, 1, is_purpose_id, "must match ^[a-z][a-z0-9_]{0,31}$");
      if (needs) policy.capabilities.emplace_back(it.key(), std::move(*needs));
    }
  }
  if (c.failed()) return c.error();

  // Rules a JSON Schema cannot express: references, required-only dependencies, cycles.
  for (size_t i = 0; i < policy.purposes.size(); ++i) {
    const Purpose& purpose = policy.purposes[i];
    const std::string p = child("/purposes", i);
    for (const char* key : {"depends_on", "depends_on_any"}) {
      const auto& list = std::string_view(key) == "depends_on" ? purpose.depends_on : purpose.depends_on_any;
      for (size_t j = 0; j < list.size(); ++j) {
        const Purpose* dep = policy.find(list[j]);
        const std::string dp = child(child(p, key), j);
        if (dep == nullptr) {
          return Error{Status::unknown_purpose, dp + ": must name a purpose of this policy (\"" + list[j] + "\" is not one)"};
        }
        if (purpose.required && !dep->required) {
          return Error{Status::policy_invalid, dp + ": a required purpose may only depend on required purposes"};
        }
      }
    }
  }
  for (const auto& [cap, needs] : policy.capabilities) {
    for (size_t j = 0; j < needs.size(); ++j) {
      if (policy.find(needs[j]) == nullptr) {
        return Error{Status::unknown_purpose, child(child("/capabilities", cap), j) +
                                                  ": must name a purpose of this policy (\"" + needs[j] + "\" is not one)"};
      }
    }
  }
  if (auto cycle = order_dependencies(policy)) return *cycle;
  return policy;
}

}  // namespace sealdesk::consent

#include "sdk/desk/record_body.h"

#include <cmath>
#include <string_view>

#include <nlohmann/json.hpp>

namespace sealdesk::desk {
namespace {

using nlohmann::json;

// UTF-16 code units of valid UTF-8 (nlohmann checked it): four-byte sequences are two units.
size_t utf16_units(const std::string& text) {
  size_t units = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

std::string clip_ascii(const std::string& text, size_t max) { return text.size() <= max ? text : text.substr(0, max); }

// "[sealed:" type ":" base64url "]", type [a-z0-9_]{1,32} (sdk/pii/masker.h, style "sealed").
bool is_reveal_token(const std::string& token) {
  constexpr std::string_view kPrefix = "[sealed:";
  if (token.size() > 1024 || token.size() < kPrefix.size() + 4 || token.compare(0, kPrefix.size(), kPrefix) != 0 || token.back() != ']') {
    return false;
  }
  size_t i = kPrefix.size();
  const size_t type_start = i;
  while (i < token.size() && ((token[i] >= 'a' && token[i] <= 'z') || (token[i] >= '0' && token[i] <= '9') || token[i] == '_')) ++i;
  if (i == type_start || i - type_start > 32 || i >= token.size() || token[i] != ':') return false;
  const size_t data_start = ++i;
  for (; i + 1 < token.size(); ++i) {
    const char c = token[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return i > data_start;
}

bool type_of(const std::string& t, BodyType& out) {
  static constexpr std::pair<std::string_view, BodyType> kTypes[] = {{"text", BodyType::text},
                                                                      {"typing", BodyType::typing},
                                                                      {"consent", BodyType::consent},
                                                                      {"reveal-key", BodyType::reveal_key},
                                                                      {"signal", BodyType::signal}};
  for (const auto& [name, type] : kTypes) {
    if (t == name) {
      out = type;
      return true;
    }
  }
  return false;
}

bool is_index(const json& v, int64_t max) {
  return v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= max;
}

// The checked, normalised form of a parsed body; the error names the rule, never the content.
Result<RecordBody> check(json doc, double now_ms) {
  if (!doc.is_object() || !doc.contains("t") || !doc["t"].is_string()) return Error{Status::malformed, "message body has no type"};
  RecordBody body;
  if (!type_of(doc["t"].get<std::string>(), body.type)) return Error{Status::malformed, "message body has an unknown type"};
  if (doc.contains("cs")) {
    if (!doc["cs"].is_number_unsigned() || doc["cs"].get<uint64_t>() > (uint64_t{1} << 53)) {
      return Error{Status::malformed, "consent sequence is not a count"};
    }
    body.consent_seq = doc["cs"].get<uint64_t>();
  }
  json out = {{"t", doc["t"]}};
  if (body.consent_seq > 0) out["cs"] = body.consent_seq;
  switch (body.type) {
    case BodyType::text: {
      if (!doc.contains("text") || !doc["text"].is_string() || !doc.contains("id") || !doc["id"].is_string() ||
          doc["id"].get<std::string>().empty() || doc["id"].get<std::string>().size() > 64) {
        return Error{Status::malformed, "text message is malformed"};
      }
      const std::string& text = doc["text"].get_ref<const std::string&>();
      const size_t units = utf16_units(text);
      if (units > kMaxTextUnits) return Error{Status::too_large, "text message over 16384 UTF-16 units"};
      out["id"] = doc["id"];
      out["text"] = doc["text"];
      out["at"] = doc.contains("at") && doc["at"].is_number() && std::isfinite(doc["at"].get<double>()) ? doc["at"] : json(now_ms);
      json findings = json::array();
      if (doc.contains("findings") && doc["findings"].is_array()) {
        for (const json& f : doc["findings"]) {
          if (!f.is_object() || !f.contains("type") || !f["type"].is_string() || !f.contains("maskedStart") ||
              !f.contains("maskedEnd") || !is_index(f["maskedStart"], static_cast<int64_t>(units)) ||
              !is_index(f["maskedEnd"], static_cast<int64_t>(units)) || f["maskedStart"].get<int64_t>() > f["maskedEnd"].get<int64_t>()) {
            continue;  // a finding that points outside the text is dropped, the message kept
          }
          json kept = {{"type", clip_ascii(f["type"].get<std::string>(), 32)},
                       {"style", f.contains("style") && f["style"].is_string() ? clip_ascii(f["style"].get<std::string>(), 16) : ""},
                       {"maskedStart", f["maskedStart"]},
                       {"maskedEnd", f["maskedEnd"]}};
          if (f.contains("reveal") && f["reveal"].is_string() && is_reveal_token(f["reveal"].get<std::string>())) kept["reveal"] = f["reveal"];
          findings.push_back(std::move(kept));
        }
      }
      out["findings"] = std::move(findings);
      break;
    }
    case BodyType::typing: break;
    case BodyType::consent: {
      if (!doc.contains("summary") || !doc["summary"].is_object() || !doc["summary"].contains("purposes") ||
          !doc["summary"]["purposes"].is_object()) {
        return Error{Status::malformed, "consent update without purposes"};
      }
      json purposes = json::object();
      for (const auto& [id, state] : doc["summary"]["purposes"].items()) {
        if (id.size() > 64 || !state.is_string()) return Error{Status::malformed, "consent update with a malformed purpose"};
        purposes[id] = state;
      }
      json summary = {{"purposes", std::move(purposes)}};
      for (const char* key : {"policyVersion", "locale"}) {
        if (doc["summary"].contains(key) && doc["summary"][key].is_string()) summary[key] = clip_ascii(doc["summary"][key].get<std::string>(), 64);
      }
      // Privacy mode is on or absent; anything else is not the customer's software speaking.
      if (doc["summary"].contains("privacy")) {
        if (doc["summary"]["privacy"] != true) return Error{Status::malformed, "consent update with a malformed privacy flag"};
        summary["privacy"] = true;
      }
      out["summary"] = std::move(summary);
      break;
    }
    case BodyType::reveal_key: {
      if (!doc.contains("key") || !doc["key"].is_string() || doc["key"].get<std::string>().size() != 43) {
        return Error{Status::malformed, "reveal key is not 32 bytes of base64url"};
      }
      out["key"] = doc["key"];
      break;
    }
    case BodyType::signal: {
      if (!doc.contains("m") || !doc["m"].is_object()) return Error{Status::malformed, "signal without a message"};
      out["m"] = doc["m"];
      break;
    }
  }
  body.json = out.dump(-1, ' ', false, json::error_handler_t::strict);
  return body;
}

}  // namespace

const char* body_type_name(BodyType type) {
  switch (type) {
    case BodyType::text: return "text";
    case BodyType::typing: return "typing";
    case BodyType::consent: return "consent";
    case BodyType::reveal_key: return "reveal-key";
    case BodyType::signal: return "signal";
  }
  return "unknown";
}

Result<RecordBody> decode_body(std::span<const uint8_t> plaintext, double now_ms) {
  if (plaintext.size() > kMaxBodyBytes) return Error{Status::too_large, "message body too large"};
  json doc = json::parse(plaintext.begin(), plaintext.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error{Status::malformed, "message body is not UTF-8 JSON"};
  return check(std::move(doc), now_ms);
}

Result<std::string> encode_body(std::string_view json_text, uint64_t consent_seq) {
  if (json_text.size() > kMaxBodyBytes) return Error{Status::too_large, "message body too large"};
  json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error{Status::invalid_argument, "message body is not JSON"};
  if (doc.is_object()) doc.erase("cs");
  if (consent_seq > 0 && doc.is_object()) doc["cs"] = consent_seq;
  auto checked = check(doc, 0);
  if (!checked.ok()) return Error{checked.status() == Status::malformed ? Status::invalid_argument : checked.status(), checked.error().detail};
  if (checked.value().json.size() > kMaxBodyBytes) return Error{Status::too_large, "message body too large"};
  return doc.dump(-1, ' ', false, json::error_handler_t::strict);
}

Status ConsentGate::admit(BodyType type, uint64_t consent_seq) {
  if (closed_) return Status::consent_gap;
  if (type == BodyType::consent) {
    if (consent_seq == last_ + 1) {
      last_ = consent_seq;
      return Status::ok;
    }
    if (consent_seq <= last_) return Status::replayed;  // the chain refuses replays first; belt and braces
  } else if (consent_seq <= last_) {
    return Status::ok;
  }
  closed_ = true;
  return Status::consent_gap;
}

}  // namespace sealdesk::desk
